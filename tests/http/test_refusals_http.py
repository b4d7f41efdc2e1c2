"""Refusals over HTTP (issue 20, item 6): every attempt a person's roles do not allow is
refused with a clear message and written to the audit trail exactly once."""

from __future__ import annotations

import json
from collections.abc import Awaitable
from typing import Any, TypeVar

from sqlalchemy import select

from storage.models import AuditEvent, RoleAssignment
from tests.http.test_checkins_http import _approved, _session
from tests.http.test_lone_work_http import MAJA, OLE, _only_request, _request, _setup
from tests.support import near_miss as near_miss
from tests.support import wellbeing as wellbeing
from tests.support.databases import orm_session
from tests.support.fake_connector import Sent
from tests.support.teams import BotUnderTest, Reply
from tests.support.wellbeing import (
    ADMIN,
    EMPLOYEE,
    LEADER,
    OTHER_LEADER,
    SECRETARIAT,
    card_of,
    dialogues,
    record,
    text,
)

T = TypeVar("T")
TEAM = "19:amk-network@thread.tacv2"


async def _refusals(bot: BotUnderTest) -> list[str]:
    assert bot.runtime is not None
    async with orm_session(bot.runtime.db) as session:
        actions = await session.scalars(select(AuditEvent.action).order_by(AuditEvent.sequence))
        return [action for action in actions if action.endswith(".refused")]


async def refused(bot: BotUnderTest, attempt: Awaitable[T]) -> tuple[list[str], T]:
    """The refusal events `attempt` wrote, and its answer."""
    before = len(await _refusals(bot))
    answer = await attempt
    return (await _refusals(bot))[before:], answer


def _shown(answer: Reply | list[Sent]) -> str:
    if isinstance(answer, Reply):
        return json.dumps(answer.body, ensure_ascii=False)
    return " ".join(item.text + " " + item.card_text() for item in answer)


# -- administration ------------------------------------------------------------------------------


async def test_admin_typed_by_someone_else_is_refused_once(bot: BotUnderTest) -> None:
    await wellbeing.setup(bot)
    events, answer = await refused(bot, bot.say(EMPLOYEE, "admin"))
    assert events == ["admin.open.refused"] and "ikke adgang" in _shown(answer)
    events, _ = await refused(bot, bot.say(ADMIN, "admin"))
    assert events == []


async def test_removing_a_role_without_being_admin_is_refused_once(bot: BotUnderTest) -> None:
    await wellbeing.setup(bot)
    assert bot.runtime is not None
    async with orm_session(bot.runtime.db) as session:
        assignment = (await session.scalars(select(RoleAssignment))).first()
    assert assignment is not None
    data = {"assignment_id": assignment.id, "unit_id": assignment.unit_id}
    events, reply = await refused(bot, bot.invoke(EMPLOYEE, "admin.role.remove", data))
    assert events == ["role.remove.refused"] and "ikke adgang" in _shown(reply)
    events, sent = await refused(bot, bot.submit(EMPLOYEE, {"action": "admin.role.remove", **data}))
    assert events == ["role.remove.refused"] and "ikke adgang" in _shown(sent)
    async with orm_session(bot.runtime.db) as session:
        assert await session.get(RoleAssignment, assignment.id) is not None


# -- well-being ----------------------------------------------------------------------------------


async def test_a_refused_notes_read_is_audited_once(bot: BotUnderTest) -> None:
    """Asking for one dialogue by id wrote two refusal events before."""
    kemi, _ = await wellbeing.setup(bot)
    await record(bot, LEADER, kemi)
    [stored] = await dialogues(bot)
    for who, data, shown in (
        (EMPLOYEE, {"unit_id": kemi, "dialogue_id": stored.id}, "kan kun læses"),
        (EMPLOYEE, {"unit_id": kemi}, "kan kun læses"),
        (OTHER_LEADER, {"unit_id": kemi, "dialogue_id": stored.id}, "kan kun læses"),
        (SECRETARIAT, {"unit_id": kemi, "dialogue_id": stored.id}, "Tal for enheden"),
        (SECRETARIAT, {"unit_id": kemi}, "Tal for enheden"),
    ):
        events, reply = await refused(bot, bot.invoke(who, "wellbeing.notes.show", data))
        assert events == ["wellbeing.notes.read.refused"], (who.name, data)
        assert shown in text(card_of(reply)) and wellbeing.WELL not in _shown(reply)


async def test_well_being_refusals_are_audited_once(bot: BotUnderTest) -> None:
    kemi, fysik = await wellbeing.setup(bot)
    amd = {
        "unit_id": str(fysik),
        "year": str(wellbeing.today().year),
        "held_on": wellbeing.day(-1),
        "participant_roles": "leader,amk",
        "goals_met": "yes",
        "goals_next_year": "Færre afbrydelser",
        "cooperation": "Møde hver måned",
        "competence_needs": "Ingen",
    }
    plan = wellbeing.items(kemi, None, wellbeing.row())
    attempts: list[tuple[str, Awaitable[Any]]] = [
        ("wellbeing.dialogue.record.refused", bot.say(EMPLOYEE, "trivsel")),
        ("wellbeing.overview.refused", bot.say(EMPLOYEE, "trivsel oversigt")),
        ("wellbeing.amd.open.refused", bot.say(EMPLOYEE, "arbejdsmiljødrøftelse")),
        ("wellbeing.amd.record.refused", bot.invoke(EMPLOYEE, "wellbeing.amd.save", amd)),
        ("wellbeing.amd.record.refused", bot.invoke(LEADER, "wellbeing.amd.save", amd)),
        ("wellbeing.items.add.refused", bot.invoke(EMPLOYEE, "wellbeing.items.save", plan)),
    ]
    for expected, attempt in attempts:
        events, _ = await refused(bot, attempt)
        assert events == [expected]

    await bot.say(LEADER, "trivsel")
    events, sent = await refused(bot, bot.submit(LEADER, wellbeing.dialogue(fysik)))
    assert events == ["wellbeing.dialogue.record.refused"]
    assert "kun registrere for enheder, hvor du er leder" in _shown(sent)
    assert await dialogues(bot) == []


# -- lone work and check-ins ---------------------------------------------------------------------


async def test_lone_work_refusals_are_audited_once(bot: BotUnderTest) -> None:
    kemi = await _setup(bot)
    await _request(bot, kemi)
    request = await _only_request(bot)
    mine = {"request_id": request.id}
    events, reply = await refused(bot, bot.invoke(OLE, "lone_work.open", mine))
    assert events == ["lone_work.open.refused"] and "do not have access" in _shown(reply)
    events, sent = await refused(bot, bot.say(OLE, "lone work overview"))
    assert events == ["lone_work.overview.refused"] and "not a leader or AMK" in _shown(sent)
    events, _ = await refused(bot, bot.invoke(OLE, "lone_work.approve", mine))
    assert events == ["lone_work.decide.refused"]
    events, _ = await refused(bot, bot.invoke(MAJA, "lone_work.open", mine))
    assert events == []


async def test_a_click_on_someone_elses_check_in_is_audited_once(bot: BotUnderTest) -> None:
    await _approved(bot)
    await bot.say(MAJA, "start alenearbejde")
    checkin = await _session(bot)
    finish = bot.invoke(OLE, "checkin.finish", {"session_id": checkin.id})
    events, reply = await refused(bot, finish)
    assert events == ["checkin.finish.refused"] and "someone else's lone work" in _shown(reply)
    assert (await _session(bot)).status == "active"


# -- the digest, precursors, near misses ---------------------------------------------------------


async def test_digest_refusals_are_audited_once(bot: BotUnderTest) -> None:
    await wellbeing.setup(bot)
    bot.connector.channels[TEAM] = [{"id": TEAM, "name": None}]
    channel = bot.team_activity(LEADER, TEAM, TEAM, text="<at>AMK-bot</at> digest her")
    moment = {"week": "2026-W50", "danish": "Hej", "english": "Hi"}
    attempts: list[tuple[str, Awaitable[Any]]] = [
        ("digest.subscribe.refused", bot.post(channel)),
        ("digest.safety_moment.open.refused", bot.say(EMPLOYEE, "sikkerhedsøjeblik")),
        ("digest.safety_moment.refused", bot.invoke(EMPLOYEE, "digest.safety_moment", moment)),
        ("digest.details.refused", bot.invoke(EMPLOYEE, "digest.details", {"subscription_id": 1})),
    ]
    for expected, attempt in attempts:
        bot.connector.clear()
        events, answer = await refused(bot, attempt)
        assert events == [expected]
        told = _shown(answer) + _shown(bot.connector.messages())
        assert "Kun administratorer" in told or "Only administrators" in told, told


async def test_precursor_refusals_are_audited_once(bot: BotUnderTest) -> None:
    await wellbeing.setup(bot)
    events, sent = await refused(bot, bot.say(EMPLOYEE, "prækursor"))
    assert events == ["precursors.open.refused"] and "Du har ingen af de roller" in _shown(sent)
    events, _ = await refused(bot, bot.invoke(EMPLOYEE, "precursors.overview", {}))
    assert events == ["precursors.overview.refused"]


async def test_near_miss_refusals_are_audited_once(bot: BotUnderTest) -> None:
    kemi = await near_miss.setup(bot)
    await near_miss.report(bot, near_miss.REPORTER, kemi)
    [stored] = await near_miss.reports(bot)
    outsider = near_miss.OUTSIDER
    for verb in ("near_miss.view", "near_miss.acknowledge", "near_miss.close"):
        events, _ = await refused(bot, bot.invoke(outsider, verb, {"report_id": stored.id}))
        assert events == ["near_miss.refused"], verb
    events, _ = await refused(bot, bot.say(outsider, "nærved liste"))
    assert events == ["near_miss.refused"]
