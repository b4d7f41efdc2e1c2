"""Persistence: models, migrations and one service function per user action."""
