"""Where the bot can speak: a conversation it can reach later, without a turn."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Address:
    """Everything needed to reach a conversation later, without a turn."""

    conversation_id: str
    kind: str
    service_url: str
    tenant_id: str | None
    bot_id: str
    bot_name: str | None = None
    user_id: str | None = None
    channel_id: str | None = None
    channel_name: str | None = None
