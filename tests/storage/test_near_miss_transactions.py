"""What near-miss steps cost the database: a follow-up step reads its report and the acting
person's roles once, and a new report is announced without reading it back."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from domain.i18n import COPENHAGEN
from tests.support.card_nodes import walk
from tests.support.near_miss import AMK, OWNER, REPORTER, form, report, reports, setup, text_of, to
from tests.support.teams import BotUnderTest, Reply, User
from tests.support.transaction_log import Transaction, recorded

REPORT_READ = r"\bFROM near_miss_report\b"
ROLES_READ = r"\brole_assignment\b"


def _due(days: int) -> str:
    return (datetime.now(COPENHAGEN).date() + timedelta(days=days)).isoformat()


async def _step(
    bot: BotUnderTest, user: User, verb: str, data: dict[str, Any]
) -> tuple[str, Transaction]:
    """The card the step answers with, and the transaction that did it (the audited one)."""
    assert bot.runtime is not None
    with recorded(bot.runtime.db) as log:
        reply: Reply = await bot.invoke(user, verb, data)
    assert reply.status == 200, reply
    (acting,) = log.touching(r"INSERT INTO audit_event")
    await bot.runtime.background.drain()
    return text_of(reply.body["value"]), acting


async def test_a_follow_up_step_reads_its_report_and_roles_once(bot: BotUnderTest) -> None:
    kemi = await setup(bot)
    await report(bot, REPORTER, kemi)
    report_id = (await reports(bot))[0].id

    text, acting = await _step(bot, AMK, "near_miss.acknowledge", {"report_id": report_id})
    assert "Du har kvitteret for modtagelsen" in text
    assert (acting.count(REPORT_READ), acting.count(ROLES_READ)) == (1, 1)

    text, acting = await _step(
        bot,
        AMK,
        "near_miss.action.add",
        {
            "report_id": report_id,
            "action_description": "Sæt en hylde op ved stinkskabet",
            "action_owner": OWNER.upn,
            "action_due": _due(7),
        },
    )
    assert "Otto Værkfører" in text and "Sæt en hylde op" in text
    assert (acting.count(REPORT_READ), acting.count(ROLES_READ)) == (1, 1)

    (owner_card,) = [m for m in to(bot.connector.messages(), OWNER) if m.card]
    (done,) = [n for n in walk(owner_card.card) if n.get("verb") == "near_miss.action.done"]
    text, acting = await _step(bot, OWNER, "near_miss.action.done", done["data"])
    assert "The action is marked done" in text and "Sæt en hylde op" in text
    assert (acting.count(REPORT_READ), acting.count(ROLES_READ)) == (1, 1)

    text, acting = await _step(
        bot,
        AMK,
        "near_miss.close",
        {"report_id": report_id, "conclusion": "Hylden er sat op, og flasker står nu sikkert."},
    )
    assert "Sagen er lukket" in text
    assert (acting.count(REPORT_READ), acting.count(ROLES_READ)) == (1, 1)
    assert (await reports(bot))[0].status == "closed"


async def test_a_new_report_is_announced_without_reading_it_back(bot: BotUnderTest) -> None:
    kemi = await setup(bot)
    assert bot.runtime is not None
    await bot.say(REPORTER, "nærved")
    with recorded(bot.runtime.db) as log:
        await bot.submit(REPORTER, form(kemi))
        await bot.runtime.background.drain()
    (card,) = [m for m in to(bot.connector.messages(), AMK) if m.card]
    for expected in ("Mette Reporter", "Flaske med acetone", "Kemi"):
        assert expected in card.card_text()
    assert log.count(REPORT_READ) == 1, "only the double-submit check reads reports"
    assert log.count(r"\bFROM unit\b") == 1
    assert log.count(ROLES_READ) == 1, "recipients, their roles and the reporter in one read"


async def test_a_report_is_stored_in_one_transaction_of_five_statements(bot: BotUnderTest) -> None:
    """The unit and the double-submit check in one read, the number, the row, the audit
    event (its chain's last link and the event; on PostgreSQL after the chain's lock), once
    the year has its counter row."""
    kemi = await setup(bot)
    assert bot.runtime is not None
    await report(bot, REPORTER, kemi)
    await bot.say(REPORTER, "nærved")
    with recorded(bot.runtime.db) as log:
        await bot.submit(REPORTER, form(kemi, anonymous="true"))
        await bot.runtime.background.drain()
    (stored,) = log.touching(r"INSERT INTO near_miss_report")
    statements = [s for s in stored.statements if "pg_advisory_xact_lock" not in s]
    assert len(statements) == 5, statements
    assert [r.number[-4:] for r in await reports(bot)] == ["0001", "0002"]
