"""What a channel activity says about where it came from (Teams' `channelData`)."""

from __future__ import annotations

from typing import Any

from botbuilder.schema import Activity

from domain.addresses import Address


def channel_data(activity: Activity) -> dict[str, Any]:
    data = activity.channel_data
    return data if isinstance(data, dict) else {}


def sub_dict(data: dict[str, Any], key: str) -> dict[str, Any]:
    value = data.get(key)
    return value if isinstance(value, dict) else {}


def channel_address(activity: Activity, channel: dict[str, Any]) -> Address:
    """A team channel the bot can post new threads into."""
    return Address(
        conversation_id=str(channel["id"]),
        kind="channel",
        service_url=activity.service_url,
        tenant_id=sub_dict(channel_data(activity), "tenant").get("id"),
        bot_id=activity.recipient.id,
        bot_name=activity.recipient.name,
        channel_id=str(channel["id"]),
        channel_name=channel.get("name") or None,
    )
