"""Rules and types of AMK-bot, free of I/O."""
