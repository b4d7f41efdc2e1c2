"""Guided conversations: the router, the card prompt and one dialog per flow."""
