"""Shared pieces of the work-accident tests: the people, a unit with its leader and AMK, a
filled form, and reading what was stored."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import select

from domain.i18n import COPENHAGEN
from domain.org import OrgFile
from storage import org
from storage.audit import audited
from storage.models import AuditEvent, Unit
from storage.work_accident_models import WorkAccident
from tests.support.card_nodes import walk
from tests.support.databases import orm_session
from tests.support.fake_connector import Sent
from tests.support.teams import BotUnderTest, User, make_user

INJURED = make_user("Ida Skadet", "ida.skadet@uni.dk", "da-DK")
LEADER = make_user("Lars Leder", "lars.leder@uni.dk", "da-DK")
AMK = make_user("Per Koordinator", "per.amk@uni.dk", "en-GB")
SECRETARIAT = make_user("Sara Sekretariat", "sara.sek@uni.dk", "da-DK")
OUTSIDER = make_user("Ole Udenfor", "ole@uni.dk", "da-DK")


def person(user: User) -> dict[str, str]:
    return {"upn": user.upn, "aad_object_id": user.aad, "name": user.name}


async def setup(bot: BotUnderTest, *, leaders: tuple[User, ...] = (LEADER,)) -> int:
    """Kemi with its leader and AMK, the secretariat, and personal chats with everyone."""
    assert bot.runtime is not None
    org_file = OrgFile.model_validate(
        {
            "units": [
                {
                    "name": "Kemi",
                    "leader": [person(user) for user in leaders],
                    "amk": [person(AMK)],
                }
            ],
            "secretariat": [person(SECRETARIAT)],
        }
    )
    async with audited(bot.runtime.db) as connection:
        await org.import_org(connection, org_file, actor="test")
        kemi = (await connection.execute(select(Unit.id).where(Unit.name == "Kemi"))).scalar_one()
    for user in {INJURED, AMK, SECRETARIAT, OUTSIDER, *leaders}:
        await bot.install_personal(user)
    bot.connector.clear()
    return int(kemi)


def today() -> date:
    return datetime.now(COPENHAGEN).date()


def year() -> int:
    return today().year


def form(unit_id: int, **changes: Any) -> dict[str, Any]:
    """A complete, valid report as Teams sends it (strings): an employee hurt themselves two
    hours ago, absent from tomorrow, no witnesses."""
    when = datetime.now(COPENHAGEN) - timedelta(hours=2)
    values: dict[str, Any] = {
        "action": "work_accident.submit",
        "injured_party": "employee",
        "reporter_role": "injured",
        "injured_email": "",
        "unit_id": str(unit_id),
        "occurred_date": when.date().isoformat(),
        "occurred_time": when.strftime("%H:%M"),
        "place": "Lyngby, bygning 207, lab 112",
        "description": "Skar mig på en knust kolbe ved opvasken; såret blev syet på skadestuen.",
        "injury_kind": "physical",
        "absence": "yes",
        "absence_from": (when.date() + timedelta(days=1)).isoformat(),
        "claim": "no",
        "immediate_action": "Førstehjælp og kørsel til skadestuen.",
        "witnesses": "",
    }
    values.update(changes)
    return values


def submission_key(sent: list[Sent]) -> str | None:
    """The submission key the last form card's send button carries."""
    for message in reversed(sent):
        for node in walk(message.card):
            data = node.get("data")
            if isinstance(data, dict) and data.get("action") == "work_accident.submit":
                key = data.get("submission_key")
                return str(key) if key else None
    return None


async def report(bot: BotUnderTest, user: User, unit_id: int, **changes: Any) -> list[Sent]:
    """Open the form, send it filled in, and wait for the messages to the unit."""
    opened = await bot.say(user, "arbejdsulykke")
    key = submission_key(opened)
    assert key is not None
    sent = await bot.submit(user, {**form(unit_id, **changes), "submission_key": key})
    assert bot.runtime is not None
    await bot.runtime.background.drain()
    return sent


async def accidents(bot: BotUnderTest) -> list[WorkAccident]:
    assert bot.runtime is not None
    async with orm_session(bot.runtime.db) as session:
        return list((await session.scalars(select(WorkAccident).order_by(WorkAccident.id))).all())


async def audit_events(bot: BotUnderTest, prefix: str) -> list[AuditEvent]:
    assert bot.runtime is not None
    async with orm_session(bot.runtime.db) as session:
        return list(
            (
                await session.scalars(
                    select(AuditEvent)
                    .where(AuditEvent.action.startswith(prefix))
                    .order_by(AuditEvent.sequence)
                )
            ).all()
        )


def to(sent: list[Sent], user: User) -> list[Sent]:
    return [item for item in sent if item.conversation_id == user.chat_id]


def cards_to(bot: BotUnderTest, user: User) -> list[Sent]:
    return [item for item in to(bot.connector.messages(), user) if item.card]


def execute_verbs(card: dict[str, Any] | None) -> set[str]:
    return {str(node["verb"]) for node in walk(card) if node.get("type") == "Action.Execute"}
