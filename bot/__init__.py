"""The Bot Framework binding: HTTP app, Teams activity handler, proactive sender, CLI."""
