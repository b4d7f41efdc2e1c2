"""The lone-work flow through botbuilder's TestAdapter and the real handler, branch by branch."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from datetime import datetime, timedelta
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
from domain.i18n import COPENHAGEN
from domain.org import OrgFile
from services.lone_work_jobs import LoneWorkExpiry, LoneWorkReminders
from storage import org
from storage.audit import audited
from storage.db import Database
from storage.lone_work_models import LoneWorkRequest
from storage.models import Unit
from tests.http.test_lone_work_http import form
from tests.support.databases import orm_session
from tests.support.fake_connector import FakeConnector


class Member:
    """One Teams user talking to the bot through a TestAdapter of their own."""

    def __init__(self, runtime: BotRuntime, connector: FakeConnector, name: str, upn: str) -> None:
        self.aad = str(uuid.uuid5(uuid.NAMESPACE_URL, upn))
        self.reference = ConversationReference(
            channel_id="msteams",
            service_url=connector.url,
            user=ChannelAccount(id=f"29:{upn}", name=name, aad_object_id=self.aad),
            bot=ChannelAccount(id="28:bot", name="AMK-bot"),
            conversation=ConversationAccount(id=f"a:{upn}", conversation_type="personal"),
            locale="da-DK",
        )
        self.adapter = TestAdapter(runtime.bot.on_turn, self.reference)
        connector.members[f"29:{upn}"] = {"id": f"29:{upn}", "name": name, "userPrincipalName": upn}

    async def _send(self, **fields: Any) -> list[Activity]:
        activity = Activity(
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
        return await self._send(type=ActivityTypes.message, text=text)

    async def submit(self, value: dict[str, Any]) -> list[Activity]:
        return await self._send(type=ActivityTypes.message, value=value)

    async def click(self, verb: str, **data: Any) -> str:
        """An Action.Execute; returns the text of the card that replaces the clicked one."""
        replies = await self._send(
            type=ActivityTypes.invoke,
            name="adaptiveCard/action",
            value={"action": {"type": "Action.Execute", "verb": verb, "data": data}},
        )
        response = next(r for r in replies if r.type == "invokeResponse").value
        assert response.status == 200
        return str(response.body["value"])

    async def install(self) -> None:
        await self._send(type=ActivityTypes.conversation_update, members_added=[self.reference.bot])


def text_of(replies: list[Activity]) -> str:
    parts = []
    for reply in replies:
        parts.append(reply.text or "")
        for attachment in reply.attachments or []:
            parts.append(str(attachment.content))
    return " ".join(parts)


class Scene:
    def __init__(self, runtime: BotRuntime, connector: FakeConnector, kemi: int) -> None:
        self.runtime = runtime
        self.connector = connector
        self.kemi = kemi
        self.maja = Member(runtime, connector, "Maja Kemiker", "maja@uni.dk")
        self.lise = Member(runtime, connector, "Lise Leder", "lise@uni.dk")

    async def request(self, **changes: str) -> list[Activity]:
        await self.maja.say("alenearbejde")
        return await self.maja.submit(form(self.kemi, **changes))

    async def stored(self) -> LoneWorkRequest:
        async with orm_session(self.runtime.db) as session:
            return (await session.execute(select(LoneWorkRequest))).scalar_one()


@pytest.fixture
async def scene(db: Database, connector: FakeConnector) -> AsyncIterator[Scene]:
    runtime = build_runtime(Settings(database_url=db.url), db)
    async with audited(db) as connection:
        await org.import_org(
            connection,
            OrgFile.model_validate(
                {"units": [{"name": "Kemi", "leader": [{"upn": "lise@uni.dk"}]}]}
            ),
            actor="test",
        )
        kemi = int(
            (await connection.execute(select(Unit.id).where(Unit.name == "Kemi"))).scalar_one()
        )
    built = Scene(runtime, connector, kemi)
    await built.maja.install()
    await built.lise.install()
    try:
        yield built
    finally:
        await runtime.background.drain()
        await runtime.connector.close()


async def test_not_risky_goes_straight_to_the_summary(scene: Scene) -> None:
    summary = await scene.request(hazards="", mitigations="", trained="false")
    assert "Ikke risikofyldt" in text_of(summary)
    sent = await scene.maja.submit({"action": "lone_work.form.send"})
    assert "sendt til Lise Leder" in text_of(sent)
    assert not (await scene.stored()).risky


async def test_risky_with_a_measure_is_sent(scene: Scene) -> None:
    summary = await scene.request()
    assert "Risikofyldt" in text_of(summary) and "Personlig alarm" in text_of(summary)
    await scene.maja.submit({"action": "lone_work.form.send"})
    assert (await scene.stored()).status == "pending"


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"mitigations": ""}, "§ 11"),
        ({"adult": "false"}, "universitetets regler må personer under 18"),
        ({"trained": "false"}, "kræver, at du er instrueret"),
    ],
)
async def test_blocked_branches_keep_the_form(
    scene: Scene, changes: dict[str, str], expected: str
) -> None:
    reply = await scene.request(**changes)
    assert expected in text_of(reply)
    again = await scene.maja.submit(form(scene.kemi))
    assert "Tjek din anmodning" in text_of(again)


async def test_recurring_arrangement(scene: Scene) -> None:
    day = datetime.now(COPENHAGEN).date() + timedelta(days=2)
    summary = await scene.request(
        schedule="recurring",
        weekdays="mon,fri",
        window_start="16:00",
        window_end="20:00",
        valid_from=day.isoformat(),
        valid_to=(day + timedelta(days=90)).isoformat(),
    )
    assert "mandag, fredag kl. 16.00–20.00" in text_of(summary)


async def test_edit_goes_back_to_the_form_with_the_values(scene: Scene) -> None:
    await scene.request()
    form_again = await scene.maja.submit({"action": "lone_work.form.edit"})
    assert "Destillation af opløsningsmidler" in text_of(form_again)


async def test_withdrawal(scene: Scene) -> None:
    await scene.request()
    await scene.maja.submit({"action": "lone_work.form.send"})
    request = await scene.stored()
    assert "Trukket tilbage" in await scene.maja.click("lone_work.withdraw", request_id=request.id)
    assert (await scene.stored()).status == "withdrawn"


async def test_revocation(scene: Scene) -> None:
    await scene.request()
    await scene.maja.submit({"action": "lone_work.form.send"})
    request = await scene.stored()
    assert "Godkendt" in await scene.lise.click("lone_work.approve", request_id=request.id)
    shown = await scene.lise.click("lone_work.revoke", request_id=request.id, note="Ny APV")
    assert "Tilbagekaldt" in shown
    assert (await scene.stored()).close_reason == "Ny APV"


async def test_expiry_and_reminder(scene: Scene) -> None:
    await scene.request()
    await scene.maja.submit({"action": "lone_work.form.send"})
    await scene.runtime.background.drain()
    request = await scene.stored()
    reminders = next(j for j in scene.runtime.scheduler.jobs if isinstance(j, LoneWorkReminders))
    expiry = next(j for j in scene.runtime.scheduler.jobs if isinstance(j, LoneWorkExpiry))
    scene.connector.clear()
    # Tuesday, 4 working days on: only the latest reminder, once.
    await reminders.run(request.created_at + timedelta(days=6))
    await reminders.run(request.created_at + timedelta(days=7))
    to_lise = [m for m in scene.connector.messages() if m.conversation_id == "a:lise@uni.dk"]
    assert len(to_lise) == 1 and "Anden påmindelse" in to_lise[0].card_text()
    await expiry.run(request.expires_at + timedelta(seconds=1))
    assert (await scene.stored()).status == "expired"
