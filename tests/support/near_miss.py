"""Shared pieces of the near-miss tests: the people, a unit with its AMK, a filled form."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select

from domain.i18n import COPENHAGEN
from domain.org import OrgFile
from storage import org
from storage.audit import audited
from storage.models import Unit
from storage.near_miss_models import NearMissReport
from tests.support.card_nodes import walk
from tests.support.databases import orm_session
from tests.support.fake_connector import Sent
from tests.support.teams import BotUnderTest, User, make_user

REPORTER = make_user("Mette Reporter", "mette.reporter@uni.dk", "da-DK")
AMK = make_user("Per Koordinator", "per.amk@uni.dk", "da-DK")
AMK2 = make_user("Anna Koordinator", "anna.amk@uni.dk", "en-GB")
SECRETARIAT = make_user("Sara Sekretariat", "sara.sek@uni.dk", "da-DK")
INVESTIGATOR = make_user("Ida Undersøger", "ida@uni.dk", "da-DK")
OWNER = make_user("Otto Værkfører", "otto@uni.dk", "en-US")
OUTSIDER = make_user("Ole Udenfor", "ole@uni.dk", "da-DK")


def person(user: User) -> dict[str, str]:
    return {"upn": user.upn, "aad_object_id": user.aad, "name": user.name}


async def setup(
    bot: BotUnderTest,
    *,
    amks: tuple[User, ...] = (AMK,),
    secretariat: tuple[User, ...] = (),
    chats: tuple[User, ...] = (REPORTER, INVESTIGATOR, OWNER, OUTSIDER),
) -> int:
    """Kemi with its AMK(s), the secretariat, and personal chats with everyone."""
    assert bot.runtime is not None
    org_file = OrgFile.model_validate(
        {
            "units": [{"name": "Kemi", "amk": [person(user) for user in amks]}],
            "secretariat": [person(user) for user in secretariat],
        }
    )
    async with audited(bot.runtime.db) as connection:
        await org.import_org(connection, org_file, actor="test")
        kemi = (await connection.execute(select(Unit.id).where(Unit.name == "Kemi"))).scalar_one()
    for user in {*amks, *secretariat, *chats}:
        await bot.install_personal(user)
    bot.connector.clear()
    return int(kemi)


def form(unit_id: int, **changes: Any) -> dict[str, Any]:
    """A complete, valid form submit as Teams sends it (strings), two hours ago."""
    when = datetime.now(COPENHAGEN) - timedelta(hours=2)
    values: dict[str, Any] = {
        "action": "near_miss.submit",
        "form_id": uuid.uuid4().hex,
        "occurred_date": when.date().isoformat(),
        "occurred_time": when.strftime("%H:%M"),
        "unit_id": str(unit_id),
        "campus": "Lyngby",
        "building": "207",
        "room": "112",
        "description": "Flaske med acetone stod åben på gulvet ved stinkskabet.",
        "category": "hazardous_substance",
        "severity": "serious",
        "injured": "no",
        "immediate_action": "Flasken blev lukket og sat på plads.",
        "prevention": "Hylde ved stinkskabet.",
        "photo_url": "",
        "anonymous": "false",
    }
    values.update(changes)
    return values


async def report(bot: BotUnderTest, user: User, unit_id: int, **changes: Any) -> list[Sent]:
    """Start the dialog and send a valid form; waits for the AMK messages."""
    started = await bot.say(user, "nærved")
    assert "Meld en nærved-hændelse" in started[-1].card_text() or "Report a near miss" in (
        started[-1].card_text()
    )
    sent = await bot.submit(user, form(unit_id, **changes))
    assert bot.runtime is not None
    await bot.runtime.background.drain()
    return sent


async def reports(bot: BotUnderTest) -> list[NearMissReport]:
    assert bot.runtime is not None
    async with orm_session(bot.runtime.db) as session:
        return list(
            (await session.scalars(select(NearMissReport).order_by(NearMissReport.id))).all()
        )


def to(sent: list[Sent], user: User) -> list[Sent]:
    return [item for item in sent if item.conversation_id == user.chat_id]


def verbs(card: dict[str, Any] | None) -> set[str]:
    return {
        str(node["verb"])
        for node in walk(card)
        if node.get("type") == "Action.Execute"
        and node is not (card or {}).get("refresh", {}).get("action")
    }


def text_of(card: Any) -> str:
    return " ".join(
        str(value) for node in walk(card) for key, value in node.items() if isinstance(value, str)
    )
