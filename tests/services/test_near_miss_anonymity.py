"""Anonymous means anonymous: after an anonymous report (and its whole follow-up) nothing in
the database, the log or the messages links the report to the person who sent it.

The person's own rows exist because they spoke to the bot (person, their chat's reference,
their dialog state's key): that is expected and is not a link to the report. Runs on SQLite
and, with TEST_DATABASE_URL, on PostgreSQL.
"""

from __future__ import annotations

import dataclasses
import json
import logging
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import time_machine
from sqlalchemy import MetaData, select
from sqlalchemy.engine import Connection

from domain.audit import person_actor
from domain.i18n import COPENHAGEN
from storage.models import ConversationRef, Person
from storage.near_miss_models import NearMissAction, NearMissReport
from storage.schema import metadata
from tests.support.card_nodes import walk
from tests.support.databases import orm_session
from tests.support.fake_connector import Sent
from tests.support.near_miss import AMK, OWNER, REPORTER, form, report, reports, setup, to
from tests.support.teams import BotUnderTest, User

OUR_LOGGERS = ("bot", "dialogs", "cards", "domain", "storage", "reports", "tests")
# Third-party debug chatter prints SQL parameters and request URLs of every turn (the
# speaker lookup included); it must stay off in production (LOG_LEVEL is INFO there).
THIRD_PARTY_DEBUG = ("aiosqlite", "asyncpg", "sqlalchemy", "urllib3", "msrest")
PERSON_KEYS = {
    "person_id",
    "reporter_id",
    "investigator_id",
    "acknowledged_by_id",
    "closed_by_id",
    "owner_id",
    "done_by_id",
    "created_by_id",
}
SECRET_TEXT = "Truck bakkede tæt forbi mig på rampen bag bygning 101."


def identity(user: User) -> list[str]:
    return [user.aad, user.teams_id, user.name, user.upn, user.chat_id]


def _read_every_table(connection: Connection) -> dict[str, list[dict[str, Any]]]:
    """Every row of every table the database has (whoever's models they belong to)."""
    reflected = MetaData()
    reflected.reflect(bind=connection)
    return {
        table.name: [dict(row) for row in connection.execute(select(table)).mappings()]
        for table in reflected.sorted_tables
    }


async def _rows(bot: BotUnderTest) -> dict[str, list[dict[str, Any]]]:
    assert bot.runtime is not None
    async with bot.runtime.db.engine.connect() as connection:
        return await connection.run_sync(_read_every_table)


def _text(value: Any) -> str:
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False, default=str)
    return str(value)


async def traces(bot: BotUnderTest, user: User) -> list[str]:
    """Every place that names `user` or links a near-miss report to them, beyond the rows
    that exist because they talked to the bot."""
    assert bot.runtime is not None
    async with orm_session(bot.runtime.db) as session:
        me = (
            await session.execute(select(Person).where(Person.aad_object_id == user.aad))
        ).scalar_one()
        my_chats = set(
            (
                await session.scalars(
                    select(ConversationRef.id).where(ConversationRef.person_id == me.id)
                )
            ).all()
        )
    rows = await _rows(bot)
    found: list[str] = []
    needles = [needle.lower() for needle in identity(user)]
    for table, items in rows.items():
        for row in items:
            for column, value in row.items():
                if value is None:
                    continue
                text = _text(value).lower()
                if not any(needle in text for needle in needles):
                    continue
                expected = (
                    (table == "person" and row["id"] == me.id)
                    or (
                        table == "conversation_ref"
                        and row["id"] in my_chats
                        and column in ("conversation_id", "user_id")
                    )
                    or (table == "dialog_state" and column == "key")
                )
                if not expected:
                    found.append(f"{table}.{column} names the user")
    for table in metadata.sorted_tables:
        if not table.name.startswith("near_miss"):
            continue
        person_columns = [
            column.name
            for column in table.columns
            if any(fk.column.table.name == "person" for fk in column.foreign_keys)
        ]
        for row in rows[table.name]:
            found.extend(
                f"{table.name}.{column} points at the user"
                for column in person_columns
                if row[column] == me.id
            )
    for event in rows["audit_event"]:
        if event["actor"] == person_actor(me.id):
            found.append(f"audit_event {event['action']} has the user as actor")
        for side in ("before", "after"):
            for key, value in (event[side] or {}).items():
                if key in PERSON_KEYS and value == me.id:
                    found.append(f"audit_event {event['action']}.{side}.{key} is the user")
    for post in rows["posted_activity"]:
        if post["conversation_ref_id"] in my_chats:
            found.append(f"posted_activity {post['dedupe_key']} went to the user")
        if str(me.id) in post["dedupe_key"].split(":"):
            found.append(f"posted_activity key {post['dedupe_key']} names the user")
    for state in rows["dialog_state"]:
        if user.chat_id in state["key"]:
            data = state["data"]
            if SECRET_TEXT in data or "NM-" in data or "near_miss" in data:
                found.append("the user's dialog state still holds the report")
    return found


def _messages_about_the_report(bot: BotUnderTest, user: User) -> list[Sent]:
    return [m for m in bot.connector.sent if m.conversation_id != user.chat_id]


async def _follow_up(bot: BotUnderTest, report_id: int) -> None:
    """The AMK acknowledges, assigns an action to Otto, Otto does it, the AMK closes."""
    due = (datetime.now(COPENHAGEN).date() + timedelta(days=3)).isoformat()
    for user, verb, data in (
        (AMK, "near_miss.acknowledge", {}),
        (
            AMK,
            "near_miss.action.add",
            {"action_description": "Spejl på rampen", "action_owner": OWNER.upn, "action_due": due},
        ),
    ):
        reply = await bot.invoke(user, verb, {"report_id": report_id, **data})
        assert reply.status == 200 and reply.body["statusCode"] == 200
    assert bot.runtime is not None
    await bot.runtime.background.drain()
    action_id = await _action_id(bot)
    done = await bot.invoke(
        OWNER, "near_miss.action.done", {"report_id": report_id, "action_id": action_id}
    )
    assert done.status == 200
    closed = await bot.invoke(
        AMK,
        "near_miss.close",
        {"report_id": report_id, "conclusion": "Spejlet er sat op, og ruten er afmærket."},
    )
    assert "Sagen er lukket" in json.dumps(closed.body, ensure_ascii=False)
    await bot.runtime.background.drain()


async def _action_id(bot: BotUnderTest) -> int:
    assert bot.runtime is not None
    async with orm_session(bot.runtime.db) as session:
        return int((await session.execute(select(NearMissAction.id))).scalar_one())


async def test_an_anonymous_report_leaves_no_trace_of_its_reporter(
    bot: BotUnderTest, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    kemi = await setup(bot)
    sent = await report(bot, REPORTER, kemi, anonymous="true", description=SECRET_TEXT)
    receipt = to(sent, REPORTER)[-1].card_text()
    assert "Du har indberettet anonymt" in receipt and "ingen beskeder" in receipt
    (stored,) = await reports(bot)
    assert stored.anonymous and stored.reporter_id is None and stored.description == SECRET_TEXT
    mine = len(to(bot.connector.messages(), REPORTER))

    await _follow_up(bot, stored.id)
    assert (await reports(bot))[0].status == "closed"

    # the reporter heard nothing after the receipt; nobody else heard who it was
    assert len(to(bot.connector.messages(), REPORTER)) == mine
    for message in _messages_about_the_report(bot, REPORTER):
        body = json.dumps(message.body, ensure_ascii=False).lower()
        assert not [n for n in identity(REPORTER) if n.lower() in body], message.path
    assert any(SECRET_TEXT in m.card_text() for m in to(bot.connector.messages(), AMK))

    assert await traces(bot, REPORTER) == []

    assert bot.runtime is not None
    async with orm_session(bot.runtime.db) as session:
        report_row = (await session.execute(select(NearMissReport))).scalar_one()
    assert report_row.reporter_id is None

    checked = 0
    for record in caplog.records:
        if record.levelno < logging.INFO and record.name.startswith(THIRD_PARTY_DEBUG):
            continue
        message = record.getMessage()
        if record.name == "aiohttp.access" and "/v3/conversations" in message:
            continue  # the fake Teams service's own access log, not the bot's
        if record.exc_text:
            message += record.exc_text
        checked += 1
        leaked = [n for n in identity(REPORTER) if n.lower() in message.lower()]
        assert not leaked, f"{record.name}: {message[:300]}"
        assert SECRET_TEXT not in message, f"{record.name} logged the free text"
    assert checked > 0
    assert any(
        record.name == "services.near_miss" and "recorded" in record.getMessage()
        for record in caplog.records
    ), "the report's own log line was not captured, so the scan proves nothing"


async def test_the_scan_does_find_a_named_reporter(bot: BotUnderTest) -> None:
    """The same scan on a named report finds the links, so it can fail."""
    kemi = await setup(bot)
    await report(bot, REPORTER, kemi, description=SECRET_TEXT)
    (stored,) = await reports(bot)
    await bot.invoke(AMK, "near_miss.acknowledge", {"report_id": stored.id})
    assert bot.runtime is not None
    await bot.runtime.background.drain()
    found = await traces(bot, REPORTER)
    assert "near_miss_report.reporter_id points at the user" in found
    assert "audit_event near_miss.report has the user as actor" in found
    assert "audit_event near_miss.report.after.reporter_id is the user" in found
    assert any(item.startswith("posted_activity") for item in found)


async def test_an_abandoned_form_is_gone_from_the_state_once_sent(bot: BotUnderTest) -> None:
    """While the form is open the state holds it; after sending, the row holds nothing."""
    kemi = await setup(bot)
    await bot.say(REPORTER, "nærved")
    await bot.submit(REPORTER, form(kemi, anonymous="true", description=SECRET_TEXT, injured="yes"))
    during = [
        state for state in (await _rows(bot))["dialog_state"] if REPORTER.chat_id in state["key"]
    ]
    assert SECRET_TEXT in during[0]["data"]
    await bot.submit(REPORTER, {"action": "near_miss.record_anyway"})
    after = [
        state for state in (await _rows(bot))["dialog_state"] if REPORTER.chat_id in state["key"]
    ]
    assert SECRET_TEXT not in after[0]["data"]
    assert json.loads(after[0]["data"])["DialogState"]["stack"] == []


async def _own_rows(bot: BotUnderTest, user: User) -> tuple[Person, ConversationRef]:
    assert bot.runtime is not None
    async with orm_session(bot.runtime.db) as session:
        person = (
            await session.scalars(select(Person).where(Person.aad_object_id == user.aad))
        ).one()
        chat = (
            await session.scalars(
                select(ConversationRef).where(ConversationRef.conversation_id == user.chat_id)
            )
        ).one()
    return person, chat


@pytest.mark.parametrize("injured", ["no", "yes"])
async def test_an_anonymous_report_does_not_touch_the_reporters_own_rows(
    bot: BotUnderTest, injured: str
) -> None:
    """Teams sends a new display name with the anonymous report: the reporter's person row
    and chat reference keep their `updated_at` (which would name the report's moment), and
    the name is recorded on the next ordinary message."""
    kemi = await setup(bot)
    await bot.say(REPORTER, "nærved")
    before_person, before_chat = await _own_rows(bot, REPORTER)
    renamed = dataclasses.replace(REPORTER, name="Mette R. Reporter")
    later = datetime.now(UTC) + timedelta(hours=1)
    with time_machine.travel(later, tick=False):
        answer = await bot.submit(renamed, form(kemi, anonymous="true", injured=injured))
        if injured == "yes":
            record = next(
                node["data"]
                for node in walk(answer[-1].card)
                if (node.get("data") or {}).get("action") == "near_miss.record_anyway"
            )
            await bot.submit(renamed, record)
        assert bot.runtime is not None
        await bot.runtime.background.drain()
    (stored,) = await reports(bot)
    assert stored.anonymous and stored.created_at == later
    person, chat = await _own_rows(bot, REPORTER)
    assert (person.name, person.updated_at) == (before_person.name, before_person.updated_at)
    assert chat.updated_at == before_chat.updated_at

    with time_machine.travel(later + timedelta(hours=1), tick=False):
        await bot.say(renamed, "menu")
    person, _ = await _own_rows(bot, REPORTER)
    assert person.name == "Mette R. Reporter" and person.updated_at > later
