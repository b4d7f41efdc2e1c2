"""Lone-work approval over HTTP: requester and approver in their own chats, as in Teams."""

from __future__ import annotations

import asyncio
import json
from datetime import datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import func, select

from domain.i18n import COPENHAGEN
from domain.org import OrgFile
from services.lone_work_jobs import LoneWorkExpiry, LoneWorkReminders
from storage import org
from storage.audit import audited
from storage.lone_work_models import LoneWorkRequest
from storage.models import AuditEvent, Unit
from tests.support.card_nodes import walk
from tests.support.databases import orm_session
from tests.support.fake_connector import Sent
from tests.support.teams import BotUnderTest, User, make_user

MAJA = make_user("Maja Kemiker", "maja@uni.dk", "da-DK")
LISE = make_user("Lise Leder", "lise@uni.dk", "da-DK")
OLE = make_user("Ole Olsen", "ole@uni.dk", "en-US")


def _day(offset: int) -> str:
    return (datetime.now(COPENHAGEN).date() + timedelta(days=offset)).isoformat()


async def _setup(
    bot: BotUnderTest, *, leaders: list[User] | None = None, amk: User | None = None
) -> int:
    """Kemi with its leaders (and AMK) known to the bot, each with a personal chat."""
    assert bot.runtime is not None
    leaders = [LISE] if leaders is None else leaders
    unit: dict[str, Any] = {
        "name": "Kemi",
        "leader": [{"upn": u.upn, "aad_object_id": u.aad} for u in leaders],
    }
    if amk is not None:
        unit["amk"] = [{"upn": amk.upn, "aad_object_id": amk.aad}]
    async with audited(bot.runtime.db) as connection:
        await org.import_org(connection, OrgFile.model_validate({"units": [unit]}), actor="test")
        kemi = (await connection.execute(select(Unit.id).where(Unit.name == "Kemi"))).scalar_one()
    for user in [MAJA, *leaders, *([amk] if amk else [])]:
        await bot.install_personal(user)
    bot.connector.clear()
    return int(kemi)


def form(kemi: int, **changes: str) -> dict[str, str]:
    values = {
        "action": "lone_work.form.next",
        "unit_id": str(kemi),
        "task": "Destillation af opløsningsmidler",
        "campus": "Lyngby",
        "building": "207",
        "room": "112",
        "schedule": "single",
        "start_date": _day(3),
        "start_time": "18:00",
        "end_date": _day(3),
        "end_time": "22:00",
        "hazards": "chemicals,gases",
        "mitigations": "check_in,alarm",
        "checkin_person": "Vagten",
        "checkin_interval": "30",
        "emergency_name": "Vagten",
        "emergency_phone": "+45 4525 1234",
        "trained": "true",
        "adult": "true",
        "affiliation": "employee",
    }
    values.update(changes)
    return values


async def _request(bot: BotUnderTest, kemi: int, **changes: str) -> list[Sent]:
    await bot.say(MAJA, "alenearbejde")
    summary = await bot.submit(MAJA, form(kemi, **changes))
    assert "Tjek din anmodning" in summary[0].card_text(), summary[0].card_text()
    sent = await bot.submit(MAJA, {"action": "lone_work.form.send"})
    assert bot.runtime is not None
    await bot.runtime.background.drain()
    return sent


async def _only_request(bot: BotUnderTest) -> LoneWorkRequest:
    assert bot.runtime is not None
    async with orm_session(bot.runtime.db) as session:
        return (await session.execute(select(LoneWorkRequest))).scalar_one()


def _to(sent: list[Sent], user: User) -> list[Sent]:
    return [item for item in sent if item.conversation_id == user.chat_id]


async def test_request_reaches_the_approver_with_buttons_only_for_them(bot: BotUnderTest) -> None:
    kemi = await _setup(bot)
    replies = await _request(bot, kemi)
    assert any("er sendt til Lise Leder" in item.text for item in replies)
    approval = [m for m in _to(bot.connector.messages(), LISE) if m.card]
    assert len(approval) == 1
    card = approval[0].card
    assert card is not None
    assert card["refresh"]["userIds"] == [LISE.teams_id]
    verbs = {a["verb"] for a in walk(card) if a.get("type") == "Action.Execute"}
    assert {"lone_work.approve", "lone_work.approve_conditions", "lone_work.reject"} <= verbs
    text = approval[0].card_text()
    for expected in ("Maja Kemiker", "Destillation", "Lyngby, 207, 112", "Risikofyldt", "Vagten"):
        assert expected in text
    mine = [m for m in _to(bot.connector.messages(), MAJA) if m.card]
    assert "Afventer godkendelse" in mine[-1].card_text()
    request = await _only_request(bot)
    assert request.status == "pending" and request.risky and request.number.startswith("AL-")


async def test_approve_updates_every_copy_and_tells_the_requester(bot: BotUnderTest) -> None:
    kemi = await _setup(bot)
    await _request(bot, kemi)
    request = await _only_request(bot)
    bot.connector.clear()
    reply = await bot.invoke(LISE, "lone_work.approve", {"request_id": request.id})
    assert reply.status == 200
    assert reply.body["statusCode"] == 200
    assert reply.body["type"] == "application/vnd.microsoft.card.adaptive"
    shown = json.dumps(reply.body["value"], ensure_ascii=False)
    assert "Godkendt af Lise Leder" in shown
    assert reply.body["value"]["refresh"]["userIds"] == [LISE.teams_id]
    assert bot.runtime is not None
    await bot.runtime.background.drain()
    puts = [item for item in bot.connector.sent if item.method == "PUT"]
    assert {item.conversation_id for item in puts} == {MAJA.chat_id, LISE.chat_id}
    assert all("Godkendt" in item.card_text() for item in puts)
    # the leader's stored message becomes the card the click answered with
    [at_leader] = [item for item in puts if item.conversation_id == LISE.chat_id]
    assert at_leader.card == reply.body["value"]
    told = [m for m in _to(bot.connector.messages(), MAJA)]
    assert any("er godkendt af Lise Leder" in m.card_text() for m in told)
    assert (await _only_request(bot)).status == "approved"


async def test_second_click_and_other_people_change_nothing(bot: BotUnderTest) -> None:
    kemi = await _setup(bot)
    await _request(bot, kemi)
    request = await _only_request(bot)
    first = await bot.invoke(
        LISE, "lone_work.reject", {"request_id": request.id, "note": "Brug dagtid"}
    )
    assert "Afvist af Lise Leder" in json.dumps(first.body["value"], ensure_ascii=False)
    again = await bot.invoke(LISE, "lone_work.approve", {"request_id": request.id})
    assert "allerede afgjort" in json.dumps(again.body["value"], ensure_ascii=False)
    stranger = await bot.invoke(OLE, "lone_work.approve", {"request_id": request.id})
    assert "not the approver" in json.dumps(stranger.body["value"])
    stored = await _only_request(bot)
    assert stored.status == "rejected" and stored.decision_note == "Brug dagtid"
    assert bot.runtime is not None
    async with orm_session(bot.runtime.db) as session:
        actions = list((await session.scalars(select(AuditEvent.action))).all())
    assert actions.count("lone_work.reject") == 1
    assert actions.count("lone_work.decide.refused") == 2


async def test_conditions_and_rejection_need_a_text(bot: BotUnderTest) -> None:
    kemi = await _setup(bot)
    await _request(bot, kemi)
    request = await _only_request(bot)
    for verb in ("lone_work.approve_conditions", "lone_work.reject"):
        reply = await bot.invoke(LISE, verb, {"request_id": request.id, "note": "  "})
        assert "Skriv vilkårene eller begrundelsen" in json.dumps(
            reply.body["value"], ensure_ascii=False
        )
    assert (await _only_request(bot)).status == "pending"
    done = await bot.invoke(
        LISE, "lone_work.approve_conditions", {"request_id": request.id, "note": "Ring kl. 20"}
    )
    assert "Ring kl. 20" in json.dumps(done.body["value"], ensure_ascii=False)
    stored = await _only_request(bot)
    assert stored.status == "approved" and stored.conditions == "Ring kl. 20"


async def test_two_approvers_clicking_at_once_give_one_decision(bot: BotUnderTest) -> None:
    kemi = await _setup(bot)
    await _request(bot, kemi)
    request = await _only_request(bot)
    replies = await asyncio.gather(
        *[
            bot.invoke(LISE, verb, {"request_id": request.id, "note": "x"})
            for verb in ("lone_work.approve", "lone_work.reject") * 4
        ]
    )
    assert all(reply.status == 200 for reply in replies)
    assert bot.runtime is not None
    async with orm_session(bot.runtime.db) as session:
        decisions = await session.scalar(
            select(func.count()).where(
                AuditEvent.action.in_(["lone_work.approve", "lone_work.reject"])
            )
        )
    assert decisions == 1
    status = "godkendt" if (await _only_request(bot)).status == "approved" else "afvist"
    shown = [json.dumps(reply.body["value"], ensure_ascii=False) for reply in replies]
    told = [text for text in shown if "allerede afgjort" in text]
    assert len(told) == 7
    assert all(f"{status} af lise leder" in text.lower() for text in told)


async def test_risky_work_without_mitigation_is_blocked_with_the_rule(bot: BotUnderTest) -> None:
    kemi = await _setup(bot)
    await bot.say(MAJA, "alenearbejde")
    reply = await bot.submit(MAJA, form(kemi, mitigations="", adult="false", trained="false"))
    card = reply[0].card
    assert card is not None
    text = reply[0].card_text()
    assert "§ 11" in text and "under 18" in text and "instrueret og oplært" in text
    kept = {item["id"]: item.get("value") for item in walk(card) if "id" in item}
    assert (
        kept["task"] == "Destillation af opløsningsmidler" and kept["hazards"] == "chemicals,gases"
    )
    assert bot.runtime is not None
    async with orm_session(bot.runtime.db) as session:
        assert await session.scalar(select(func.count()).select_from(LoneWorkRequest)) == 0


async def test_not_risky_work_needs_no_mitigation(bot: BotUnderTest) -> None:
    kemi = await _setup(bot)
    await _request(bot, kemi, hazards="", mitigations="", trained="false")
    stored = await _only_request(bot)
    assert not stored.risky and stored.mitigations == []


async def test_recurring_arrangement_is_limited_to_twelve_months(bot: BotUnderTest) -> None:
    kemi = await _setup(bot)
    await bot.say(MAJA, "alenearbejde")
    recurring = {
        "schedule": "recurring",
        "weekdays": "tue,thu",
        "window_start": "17:00",
        "window_end": "21:00",
        "valid_from": _day(1),
        "valid_to": _day(500),
    }
    too_long = await bot.submit(MAJA, form(kemi, **recurring))
    assert "højst gælde i 12 måneder" in too_long[0].card_text()
    ok = await bot.submit(MAJA, form(kemi, **{**recurring, "valid_to": _day(200)}))
    assert "tirsdag, torsdag kl. 17.00–21.00" in ok[0].card_text()
    await bot.submit(MAJA, {"action": "lone_work.form.send"})
    stored = await _only_request(bot)
    assert stored.schedule == "recurring" and stored.weekdays == "tue,thu"


async def test_several_leaders_let_the_requester_pick(bot: BotUnderTest) -> None:
    other = make_user("Lars Leder", "lars@uni.dk")
    kemi = await _setup(bot, leaders=[LISE, other])
    await bot.say(MAJA, "alenearbejde")
    summary = await bot.submit(MAJA, form(kemi))
    assert "Hvem skal godkende?" in summary[0].card_text()
    missing = await bot.submit(MAJA, {"action": "lone_work.form.send"})
    assert "Vælg hvem der skal godkende." in missing[0].card_text()
    choice = next(item for item in walk(missing[0].card) if item.get("id") == "approver_id")
    lars = next(c["value"] for c in choice["choices"] if c["title"] == "Lars Leder")
    sent = await bot.submit(MAJA, {"action": "lone_work.form.send", "approver_id": lars})
    assert any("sendt til Lars Leder" in item.text for item in sent)


async def test_unit_without_leader_tells_amk_and_admin(bot: BotUnderTest) -> None:
    amk = make_user("Anders AMK", "anders@uni.dk")
    admin = make_user("Anne Admin", "admin@uni.dk")
    kemi = await _setup(bot, leaders=[], amk=amk)
    await bot.install_personal(admin)
    sent = await _request(bot, kemi)
    assert any("ingen leder registreret" in item.text for item in sent)
    for user in (amk, admin):
        notices = _to(bot.connector.messages(), user)
        assert any("Enhed uden godkender" in m.card_text() for m in notices), user.name
    assert (await _only_request(bot)).status == "pending"


async def test_withdraw_and_lists(bot: BotUnderTest) -> None:
    kemi = await _setup(bot)
    await _request(bot, kemi)
    request = await _only_request(bot)
    pending = await bot.say(LISE, "til godkendelse")
    assert request.number in pending[0].card_text()
    mine = await bot.say(MAJA, "mine")
    assert "Afventer godkendelse" in mine[0].card_text()
    not_mine = await bot.invoke(LISE, "lone_work.withdraw", {"request_id": request.id})
    assert "Kun den, der har sendt" in json.dumps(not_mine.body["value"], ensure_ascii=False)
    reply = await bot.invoke(MAJA, "lone_work.withdraw", {"request_id": request.id})
    assert "Trukket tilbage" in json.dumps(reply.body["value"], ensure_ascii=False)
    assert bot.runtime is not None
    await bot.runtime.background.drain()
    assert any("trukket anmodning" in m.card_text() for m in _to(bot.connector.messages(), LISE))
    late = await bot.invoke(LISE, "lone_work.approve", {"request_id": request.id})
    assert "allerede afgjort" in json.dumps(late.body["value"], ensure_ascii=False) or (
        "trukket tilbage" in json.dumps(late.body["value"], ensure_ascii=False)
    )
    assert (await _only_request(bot)).status == "withdrawn"


async def test_revoke_needs_a_reason_and_tells_the_requester(bot: BotUnderTest) -> None:
    kemi = await _setup(bot)
    await _request(bot, kemi)
    request = await _only_request(bot)
    await bot.invoke(LISE, "lone_work.approve", {"request_id": request.id})
    no_reason = await bot.invoke(LISE, "lone_work.revoke", {"request_id": request.id})
    assert "Skriv vilkårene eller begrundelsen" in json.dumps(
        no_reason.body["value"], ensure_ascii=False
    )
    by_requester = await bot.invoke(
        MAJA, "lone_work.revoke", {"request_id": request.id, "note": "x"}
    )
    assert "ikke godkender" in json.dumps(by_requester.body["value"], ensure_ascii=False)
    done = await bot.invoke(LISE, "lone_work.revoke", {"request_id": request.id, "note": "Ny APV"})
    assert "Tilbagekaldt" in json.dumps(done.body["value"], ensure_ascii=False)
    assert bot.runtime is not None
    await bot.runtime.background.drain()
    assert any(
        "tilbagekaldt af Lise Leder" in m.card_text() for m in _to(bot.connector.messages(), MAJA)
    )
    assert (await _only_request(bot)).status == "revoked"


async def test_approval_expires_at_its_end(bot: BotUnderTest) -> None:
    kemi = await _setup(bot)
    await _request(bot, kemi)
    request = await _only_request(bot)
    await bot.invoke(LISE, "lone_work.approve", {"request_id": request.id})
    assert bot.runtime is not None
    await bot.runtime.background.drain()
    bot.connector.clear()
    job = next(j for j in bot.runtime.scheduler.jobs if isinstance(j, LoneWorkExpiry))
    await job.run(request.expires_at - timedelta(minutes=1))
    assert (await _only_request(bot)).status == "approved"
    await job.run(request.expires_at + timedelta(minutes=1))
    assert (await _only_request(bot)).status == "expired"
    puts = [item for item in bot.connector.sent if item.method == "PUT"]
    assert puts and all("Udløbet" in item.card_text() for item in puts)


async def test_pending_request_reminds_the_approver_once_per_step(bot: BotUnderTest) -> None:
    kemi = await _setup(bot)
    await _request(bot, kemi)
    request = await _only_request(bot)
    assert bot.runtime is not None
    job = next(j for j in bot.runtime.scheduler.jobs if isinstance(j, LoneWorkReminders))
    bot.connector.clear()
    await job.run(request.created_at + timedelta(hours=20))
    assert _to(bot.connector.messages(), LISE) == []
    later = request.created_at + timedelta(days=4)  # Sunday: 2 working days on
    await asyncio.gather(job.run(later), job.run(later))
    await job.run(later + timedelta(hours=1))
    reminders = _to(bot.connector.messages(), LISE)
    assert len(reminders) == 1 and "Påmindelse" in reminders[0].card_text()


@pytest.mark.parametrize("lang_user", [MAJA, make_user("Jane Doe", "jado@uni.dk", "en-US")])
async def test_cancel_in_the_form_saves_nothing(bot: BotUnderTest, lang_user: User) -> None:
    kemi = await _setup(bot)
    await bot.say(lang_user, "lone work")
    await bot.submit(lang_user, form(kemi))
    stopped = await bot.say(
        lang_user, "cancel" if lang_user.locale.startswith("en") else "annullér"
    )
    assert "lone-work request" in stopped[0].text or "anmodning om alenearbejde" in stopped[0].text
    assert bot.runtime is not None
    async with orm_session(bot.runtime.db) as session:
        assert await session.scalar(select(func.count()).select_from(LoneWorkRequest)) == 0


async def test_overview_for_the_units_amk_and_nobody_else(bot: BotUnderTest) -> None:
    amk = make_user("Anders AMK", "anders@uni.dk")
    kemi = await _setup(bot, amk=amk)
    await _request(bot, kemi)
    overview = await bot.say(amk, "alenearbejde oversigt")
    text = overview[0].card_text()
    assert "**Kemi**: 1 venter, 0 godkendt, 0 afvist" in text
    assert "python -m bot" not in text and "Eksporter til Excel" in text
    card = overview[0].card
    assert card is not None
    (button,) = card["body"][-1]["actions"]
    assert button["data"] == {
        "action": "export.offer",
        "kind": "lone_work",
        "unit_id": kemi,
        "year": 2026,
    }
    offered = await bot.submit(amk, button["data"])
    consent = offered[-1].body["attachments"][0]
    assert consent["name"] == "alenearbejde-kemi-2026.xlsx"
    outsider = await bot.say(OLE, "lone work overview")
    assert "not a leader or AMK" in outsider[0].card_text()


async def test_a_students_request_says_so_on_the_approval_card(bot: BotUnderTest) -> None:
    kemi = await _setup(bot)
    await _request(bot, kemi, affiliation="student")
    (approval,) = [m for m in _to(bot.connector.messages(), LISE) if m.card]
    assert "Anmoder er" in approval.card_text() and "Studerende" in approval.card_text()
    assert (await _only_request(bot)).affiliation == "student"


async def test_the_form_asks_who_the_requester_is_and_under_18_is_the_universitys_rule(
    bot: BotUnderTest,
) -> None:
    kemi = await _setup(bot)
    (blank,) = [m for m in await bot.say(MAJA, "alenearbejde") if m.card]
    assert "Det er universitetets regel, at personer under 18 år" in blank.card_text()
    assert "undervisningsmiljøloven" in blank.card_text()
    (unsaid,) = await bot.submit(MAJA, form(kemi, affiliation=""))
    assert "Vælg, om du er ansat, studerende eller gæst." in unsaid.card_text()
    (minor,) = await bot.submit(MAJA, form(kemi, adult="false"))
    assert "Efter universitetets regler må personer under 18 år ikke" in minor.card_text()
    assert bot.runtime is not None
    async with orm_session(bot.runtime.db) as session:
        assert await session.scalar(select(func.count()).select_from(LoneWorkRequest)) == 0
