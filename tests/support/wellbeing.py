"""Shared pieces of the well-being tests: the people and their roles, filled cards, lookups."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import select

from domain.i18n import COPENHAGEN
from domain.org import OrgFile
from storage import org
from storage.audit import audited
from storage.models import AuditEvent, Unit
from storage.wellbeing_models import WellbeingActionItem, WellbeingDialogue
from tests.support.card_nodes import walk
from tests.support.databases import orm_session
from tests.support.fake_connector import Sent
from tests.support.teams import BotUnderTest, Reply, User, make_user

LEADER = make_user("Lise Leder", "lise.leder@uni.dk", "da-DK")
AMK = make_user("Per Koordinator", "per.amk@uni.dk", "da-DK")
OTHER_LEADER = make_user("Frida Fysikleder", "frida@uni.dk", "da-DK")
SECRETARIAT = make_user("Sara Sekretariat", "sara.sek@uni.dk", "da-DK")
ADMIN = make_user("Anne Admin", "admin@uni.dk", "en-US")
EMPLOYEE = make_user("Emil Medarbejder", "emil@uni.dk", "da-DK")
OWNER = make_user("Otto Ejer", "otto@uni.dk", "en-US")
CONTACT = make_user("Karin Kontakt", "karin@uni.dk", "da-DK")

WELL = "Vi hjælper hinanden i travle perioder, og morgenmødet giver overblik."
CHALLENGES = "Mange afbrydelser i kontorlandskabet og uklar prioritering af opgaver."


def person(user: User) -> dict[str, str]:
    return {"upn": user.upn, "aad_object_id": user.aad, "name": user.name}


def today() -> date:
    return datetime.now(COPENHAGEN).date()


def day(offset: int) -> str:
    return (today() + timedelta(days=offset)).isoformat()


async def setup(bot: BotUnderTest) -> tuple[int, int]:
    """Kemi (leader, AMK, precursor contact), Fysik (leader), the secretariat; everyone chats
    with the bot except the owner, who has not written to it yet."""
    assert bot.runtime is not None
    org_file = OrgFile.model_validate(
        {
            "units": [
                {
                    "name": "Kemi",
                    "leader": [person(LEADER)],
                    "amk": [person(AMK)],
                    "precursor_contact": [person(CONTACT)],
                },
                {"name": "Fysik", "leader": [person(OTHER_LEADER)]},
            ],
            "secretariat": [person(SECRETARIAT)],
        }
    )
    async with audited(bot.runtime.db) as connection:
        await org.import_org(connection, org_file, actor="test")
        ids = dict((await connection.execute(select(Unit.name, Unit.id))).all())
    for user in (LEADER, AMK, OTHER_LEADER, SECRETARIAT, ADMIN, EMPLOYEE, CONTACT):
        await bot.install_personal(user)
    bot.connector.clear()
    return int(ids["Kemi"]), int(ids["Fysik"])


def dialogue(unit_id: int, **changes: Any) -> dict[str, Any]:
    """A complete, valid dialogue card submit as Teams sends it (strings)."""
    values: dict[str, Any] = {
        "action": "wellbeing.form.save",
        "unit_id": str(unit_id),
        "group_name": "Analysegruppen",
        "held_on": day(-3),
        "participants": "12",
        "facilitator": "HR-partner",
        "themes": "stress,workload,collaboration",
        "theme_other": "",
        "works_well": WELL,
        "challenges": CHALLENGES,
        "absence_considered": "yes",
        "absence_note": "Gruppen ser ingen sammenhæng med fraværet lige nu.",
    }
    values.update(changes)
    return values


def items(
    unit_id: int, dialogue_id: int | None, *rows: dict[str, str], **extra: Any
) -> dict[str, Any]:
    """An items card submit: row n's inputs are `problem_n`, `action_n`, … ."""
    data: dict[str, Any] = {
        "unit_id": unit_id,
        "dialogue_id": dialogue_id or "",
        "rows": max(3, len(rows)),
        **extra,
    }
    for number, row in enumerate(rows, start=1):
        for name, value in row.items():
            data[f"{name}_{number}"] = value
    return data


def row(
    problem: str = "Mange afbrydelser", owner: str = OWNER.upn, **changes: str
) -> dict[str, str]:
    values = {
        "problem": problem,
        "action": "Aftal stilletimer om formiddagen",
        "owner": owner,
        "deadline": day(14),
        "follow_up": day(60),
    }
    values.update(changes)
    return values


async def record(bot: BotUnderTest, user: User, unit_id: int, **changes: Any) -> list[Sent]:
    """Start the dialog and send a valid form (no personal data in it)."""
    await bot.say(user, "trivsel")
    return await bot.submit(user, dialogue(unit_id, **changes))


async def dialogues(bot: BotUnderTest) -> list[WellbeingDialogue]:
    assert bot.runtime is not None
    async with orm_session(bot.runtime.db) as session:
        return list(
            (await session.scalars(select(WellbeingDialogue).order_by(WellbeingDialogue.id))).all()
        )


async def action_items(bot: BotUnderTest) -> list[WellbeingActionItem]:
    assert bot.runtime is not None
    async with orm_session(bot.runtime.db) as session:
        return list(
            (
                await session.scalars(select(WellbeingActionItem).order_by(WellbeingActionItem.id))
            ).all()
        )


async def audit_events(bot: BotUnderTest) -> list[AuditEvent]:
    assert bot.runtime is not None
    async with orm_session(bot.runtime.db) as session:
        return list((await session.scalars(select(AuditEvent).order_by(AuditEvent.sequence))).all())


def to(sent: list[Sent], user: User) -> list[Sent]:
    return [item for item in sent if item.conversation_id == user.chat_id]


def verbs(card: dict[str, Any] | None) -> set[str]:
    """The verbs of a card's buttons (not of its refresh action)."""
    refresh = (card or {}).get("refresh", {}).get("action")
    return {
        str(node["verb"])
        for node in walk(card)
        if node.get("type") == "Action.Execute" and node is not refresh
    }


def inputs(card: dict[str, Any] | None) -> dict[str, Any]:
    """Input id → the value the card shows."""
    return {
        str(node["id"]): node.get("value")
        for node in walk(card)
        if str(node.get("type", "")).startswith("Input.")
    }


def card_of(reply: Reply) -> dict[str, Any]:
    """The card of an `adaptiveCard/action` answer, checked to be what Teams expects."""
    assert reply.status == 200, reply
    assert reply.body["statusCode"] == 200, reply.body
    assert reply.body["type"] == "application/vnd.microsoft.card.adaptive"
    card: dict[str, Any] = reply.body["value"]
    return card


def text(card: Any) -> str:
    return json.dumps(card, ensure_ascii=False)


def utc_noon(local_day: date) -> datetime:
    return datetime(
        local_day.year, local_day.month, local_day.day, 12, tzinfo=COPENHAGEN
    ).astimezone(UTC)
