"""Dialogs driven through botbuilder's TestAdapter and the real handler, on the real database."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
from botbuilder.core.adapters import TestAdapter
from botbuilder.schema import (
    Activity,
    ActivityTypes,
    ChannelAccount,
    ConversationAccount,
    ConversationReference,
)
from sqlalchemy import select

from bot.app import BotRuntime, build_runtime
from bot.config import Settings
from storage.db import Database
from storage.models import RoleAssignment, Unit
from tests.support.databases import orm_session
from tests.support.fake_connector import FakeConnector

ADMIN_AAD = "7d1c6f7e-0000-4000-8000-000000000001"


class Conversation:
    """say()/submit() as the admin, returning what the bot sent back."""

    def __init__(self, runtime: BotRuntime, connector: FakeConnector) -> None:
        reference = ConversationReference(
            channel_id="msteams",
            service_url=connector.url,
            user=ChannelAccount(id="29:admin", name="Anne Admin", aad_object_id=ADMIN_AAD),
            bot=ChannelAccount(id="28:bot", name="AMK-bot"),
            conversation=ConversationAccount(id="a:admin-chat", conversation_type="personal"),
            locale="da-DK",
        )
        self.adapter = TestAdapter(runtime.bot.on_turn, reference)
        self.reference = reference
        connector.members["29:admin"] = {"id": "29:admin", "userPrincipalName": "admin@uni.dk"}

    async def _send(self, **fields: Any) -> list[Activity]:
        activity = Activity(
            type=ActivityTypes.message,
            locale="da-DK",
            service_url=self.reference.service_url,
            from_property=self.reference.user,
            recipient=self.reference.bot,
            conversation=self.reference.conversation,
            **fields,
        )
        await self.adapter.receive_activity(activity)
        replies = []
        while self.adapter.activity_buffer:
            replies.append(self.adapter.get_next_activity())
        return replies

    async def say(self, text: str) -> list[Activity]:
        return await self._send(text=text)

    async def submit(self, value: dict[str, Any]) -> list[Activity]:
        return await self._send(value=value)


def card_of(activity: Activity) -> dict[str, Any]:
    content: dict[str, Any] = activity.attachments[0].content
    return content


@pytest.fixture
async def conversation(db: Database, connector: FakeConnector) -> AsyncIterator[Conversation]:
    settings = Settings(database_url=db.url, admin_upns=frozenset({"admin@uni.dk"}))
    runtime = build_runtime(settings, db)
    try:
        yield Conversation(runtime, connector)
    finally:
        await runtime.connector.close()


async def test_admin_dialog_writes_the_role(conversation: Conversation, db: Database) -> None:
    picker = await conversation.say("admin")
    choices = card_of(picker[0])["body"][1]["choices"]
    fysik = next(choice["value"] for choice in choices if choice["title"] == "Fysik")
    roles = await conversation.submit({"action": "admin.unit", "unit_id": fysik})
    assert card_of(roles[0])["body"][0]["text"] == "Roller i Fysik"
    await conversation.submit(
        {"action": "admin.assign", "upn": "kontakt@uni.dk", "role": "precursor_contact"}
    )
    async with orm_session(db) as session:
        unit = (await session.execute(select(Unit).where(Unit.name == "Fysik"))).scalar_one()
        assignment = (await session.execute(select(RoleAssignment))).scalar_one()
    assert assignment.unit_id == unit.id and assignment.role == "precursor_contact"


async def test_done_closes_the_dialog(conversation: Conversation) -> None:
    await conversation.say("admin")
    closed = await conversation.submit({"action": "admin.done"})
    assert closed[0].text == "Rolleadministrationen er lukket."
    nothing = await conversation.say("annullér")
    assert "ikke noget at annullere" in nothing[0].text


async def test_unknown_unit_is_refused_with_the_picker_again(conversation: Conversation) -> None:
    await conversation.say("admin")
    again = await conversation.submit({"action": "admin.unit", "unit_id": "99999"})
    texts = [block.get("text") for block in card_of(again[0])["body"]]
    assert "Vælg en enhed." in texts
