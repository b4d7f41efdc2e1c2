"""Text people type is shown as typed on other people's cards, over HTTP.

Teams renders Markdown in a TextBlock and in a Fact's title and value (links, bold,
italics, lists). Each test sends a payload through every free-text field of a flow and
reads every card (and message) the bot showed anyone: sent, updated, or answered to a card
action. No payload may render as a link, an image or emphasis (read as in
`tests/support/teams_markdown.py`); the people the text is for must see it literally.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select, update

from dialogs.checkins import CheckinModule
from domain.digest import week_bounds
from domain.org import OrgFile
from services.checkin_jobs import CheckinJob
from services.digest import DigestJob
from services.lone_work_jobs import LoneWorkReminders
from storage import org
from storage.audit import audited
from storage.checkin_models import CheckinSession
from storage.lone_work_models import LoneWorkRequest
from storage.models import Unit
from storage.near_miss_models import NearMissReport
from storage.precursor_models import PrecursorHolding
from storage.wellbeing_models import WellbeingActionItem, WellbeingDialogue
from tests.support.card_nodes import walk
from tests.support.databases import orm_session, orm_transaction
from tests.support.fake_connector import Sent
from tests.support.near_miss import form as near_miss_form
from tests.support.precursors import choices, services_of
from tests.support.teams import BotUnderTest, User, make_user
from tests.support.teams_markdown import PAYLOADS, markdown_of, rendered_wrongly, visible
from tests.support.wellbeing import dialogue, items, row

payloads = pytest.mark.parametrize("payload", list(PAYLOADS.values()), ids=list(PAYLOADS))


@dataclass
class Seen:
    """Every card and message the bot showed, by the chat (or clicker) that got it."""

    bot: BotUnderTest
    answers: list[tuple[str, Any]] = field(default_factory=list)

    async def click(self, user: User, verb: str, data: dict[str, Any]) -> dict[str, Any]:
        """An `Action.Execute` by `user`; its answer is shown to them."""
        reply = await self.bot.invoke(user, verb, data)
        assert reply.status == 200, reply
        self.answers.append((user.chat_id, reply.body.get("value")))
        value: dict[str, Any] = reply.body.get("value") or {}
        return value

    async def settled(self) -> None:
        assert self.bot.runtime is not None
        await self.bot.runtime.background.drain()

    def texts(self) -> list[tuple[str, str]]:
        """(chat, Markdown text) of everything shown so far."""
        shown: list[tuple[str, str]] = []
        for sent in self.bot.connector.sent:
            if sent.method not in ("POST", "PUT") or "failed_with" in sent.body:
                continue
            chat = _chat_of(sent)
            shown.extend((chat, text) for text in markdown_of(sent.card))
            if sent.text:
                shown.append((chat, sent.text))
        for chat, answer in self.answers:
            if isinstance(answer, str):
                shown.append((chat, answer))
            else:
                shown.extend((chat, text) for text in markdown_of(answer))
        return shown

    def check(self, payload: str, *readers: User | str) -> None:
        """Nothing shown renders typed text as a link, an image or emphasis; each of
        `readers` (a user, or CHANNEL) was shown `payload` literally."""
        shown = self.texts()
        wrong = [(chat, problem) for chat, text in shown for problem in rendered_wrongly(text)]
        assert wrong == [], wrong
        for reader in readers:
            chat = reader if isinstance(reader, str) else reader.chat_id
            seen = [visible(text) for shown_to, text in shown if shown_to == chat]
            assert any(payload in text for text in seen), (chat, seen)


CHANNEL = "a new thread in a channel"


def _chat_of(sent: Sent) -> str:
    return CHANNEL if sent.path.rstrip("/") == "/v3/conversations" else sent.conversation_id


async def _import(bot: BotUnderTest, units: list[dict[str, Any]], **extra: Any) -> dict[str, int]:
    assert bot.runtime is not None
    async with audited(bot.runtime.db) as connection:
        await org.import_org(
            connection, OrgFile.model_validate({"units": units, **extra}), actor="test"
        )
        found = (await connection.execute(select(Unit.name, Unit.id))).all()
    return {name: int(unit_id) for name, unit_id in found}


def _person(user: User) -> dict[str, str]:
    return {"upn": user.upn, "aad_object_id": user.aad, "name": user.name}


# -- lone work and its check-ins ---------------------------------------------------------------


LISE = make_user("Lise Leder", "lise@uni.dk")
ANDERS = make_user("Anders AMK", "anders@uni.dk")
T0 = datetime.now(UTC).replace(microsecond=0)


def _day(offset: int) -> str:
    return (T0 + timedelta(days=offset)).date().isoformat()


@payloads
async def test_lone_work_request_decision_and_alarm(bot: BotUnderTest, payload: str) -> None:
    """The requester's texts (and name) on the approver's, the AMK's and the contact's
    cards; the approver's conditions and reason on the requester's."""
    maja = make_user(f"Maja {payload}", "maja@uni.dk")
    contact = make_user(f"Erik {payload}", "erik@uni.dk")
    kemi = (
        await _import(bot, [{"name": "Kemi", "leader": [_person(LISE)], "amk": [_person(ANDERS)]}])
    )["Kemi"]
    for user in (maja, LISE, ANDERS, contact):
        await bot.install_personal(user)
    seen = Seen(bot)
    await bot.say(maja, "alenearbejde")
    values = {
        "action": "lone_work.form.next",
        "unit_id": str(kemi),
        "task": payload,
        "campus": payload,
        "building": payload,
        "room": payload,
        "schedule": "single",
        "start_date": _day(3),
        "start_time": "18:00",
        "end_date": _day(3),
        "end_time": "22:00",
        "hazards": "chemicals,other",
        "hazard_other": payload,
        "mitigations": "check_in,other",
        "checkin_person": payload,
        "checkin_interval": "30",
        "mitigation_other": payload,
        "emergency_name": contact.name,
        "emergency_phone": "+45 4525 1234",
        "trained": "true",
        "adult": "true",
        "affiliation": "employee",
    }
    summary = await bot.submit(maja, values)
    assert "Tjek din anmodning" in summary[-1].card_text()
    await bot.submit(maja, {"action": "lone_work.form.send"})
    await seen.settled()
    assert bot.runtime is not None
    async with orm_session(bot.runtime.db) as session:
        request = (await session.execute(select(LoneWorkRequest))).scalar_one()
    reminders = next(j for j in bot.runtime.scheduler.jobs if isinstance(j, LoneWorkReminders))
    await reminders.run(request.created_at + timedelta(days=5))
    await bot.say(LISE, "til godkendelse")
    await seen.click(LISE, "lone_work.open", {"request_id": request.id})
    await seen.click(
        LISE, "lone_work.approve_conditions", {"request_id": request.id, "note": payload}
    )
    await seen.settled()

    async with orm_transaction(bot.runtime.db) as session:
        await session.execute(
            update(LoneWorkRequest)
            .where(LoneWorkRequest.id == request.id)
            .values(starts_at=T0 - timedelta(hours=1), expires_at=T0 + timedelta(hours=5))
        )
    module = next(m for m in bot.runtime.bot.router.modules if isinstance(m, CheckinModule))
    module.services.clock = lambda: T0  # type: ignore[attr-defined]
    job = next(j for j in bot.runtime.scheduler.jobs if isinstance(j, CheckinJob))
    await bot.say(maja, "start alenearbejde")
    async with orm_session(bot.runtime.db) as session:
        checkin = (await session.execute(select(CheckinSession))).scalar_one()
    await seen.click(maja, "checkin.help", {"session_id": checkin.id})
    await seen.settled()
    await job.run(T0 + timedelta(minutes=15))
    await seen.click(LISE, "checkin.handle", {"session_id": checkin.id, "alarm": 1})
    await seen.settled()
    await seen.click(LISE, "lone_work.revoke", {"request_id": request.id, "note": payload})
    await seen.settled()
    seen.check(payload, LISE, ANDERS, contact, maja)


@payloads
async def test_lone_work_rejection_reason(bot: BotUnderTest, payload: str) -> None:
    maja = make_user("Maja Kemiker", "maja@uni.dk")
    kemi = (await _import(bot, [{"name": "Kemi", "leader": [_person(LISE)]}]))["Kemi"]
    for user in (maja, LISE):
        await bot.install_personal(user)
    seen = Seen(bot)
    await bot.say(maja, "alenearbejde")
    values = {
        "action": "lone_work.form.next",
        "unit_id": str(kemi),
        "task": "Destillation",
        "campus": "Lyngby",
        "building": "207",
        "room": "112",
        "start_date": _day(3),
        "start_time": "18:00",
        "end_date": _day(3),
        "end_time": "22:00",
        "emergency_name": "Vagten",
        "emergency_phone": "+45 4525 1234",
        "trained": "true",
        "adult": "true",
        "affiliation": "employee",
    }
    await bot.submit(maja, values)
    await bot.submit(maja, {"action": "lone_work.form.send"})
    await seen.settled()
    assert bot.runtime is not None
    async with orm_session(bot.runtime.db) as session:
        request = (await session.execute(select(LoneWorkRequest))).scalar_one()
    await seen.click(LISE, "lone_work.reject", {"request_id": request.id, "note": payload})
    await seen.settled()
    seen.check(payload, maja)


# -- near misses ---------------------------------------------------------------------------------


@payloads
async def test_near_miss_report_follow_up_and_actions(bot: BotUnderTest, payload: str) -> None:
    """The reporter's texts on the AMK's, the investigator's and the owner's cards; the
    action, the conclusion and the names on everyone's."""
    reporter = make_user("Mette Reporter", "mette@uni.dk")
    investigator = make_user("Ida Undersøger", "ida@uni.dk")
    owner = make_user("Otto Værkfører", "otto@uni.dk", "en-US")
    kemi = (await _import(bot, [{"name": "Kemi", "amk": [_person(ANDERS)]}]))["Kemi"]
    for user in (reporter, ANDERS, investigator, owner):
        await bot.install_personal(user)
    seen = Seen(bot)
    await bot.say(reporter, "nærved")
    typed = {
        name: payload
        for name in ("campus", "building", "room", "description", "immediate_action", "prevention")
    }
    await bot.submit(reporter, near_miss_form(kemi, **typed))
    await seen.settled()
    assert bot.runtime is not None
    async with orm_session(bot.runtime.db) as session:
        report_id = (await session.execute(select(NearMissReport.id))).scalar_one()
    await seen.click(ANDERS, "near_miss.acknowledge", {"report_id": report_id})
    await seen.click(
        ANDERS, "near_miss.assign", {"report_id": report_id, "investigator": investigator.upn}
    )
    await seen.settled()
    due = (T0 + timedelta(days=14)).date().isoformat()
    await seen.click(
        investigator,
        "near_miss.action.add",
        {
            "report_id": report_id,
            "action_description": payload,
            "action_owner": owner.upn,
            "action_due": due,
        },
    )
    await seen.settled()
    to_owner = [
        sent.card for sent in bot.connector.messages() if sent.conversation_id == owner.chat_id
    ]
    done = next(node for node in walk(to_owner) if node.get("verb") == "near_miss.action.done")
    await seen.click(owner, "near_miss.action.done", done["data"])
    await seen.settled()
    await bot.say(ANDERS, "nærved liste")
    await seen.click(
        ANDERS, "near_miss.close", {"report_id": report_id, "conclusion": f"Lukket: {payload}"}
    )
    await seen.settled()
    seen.check(payload, ANDERS, investigator, owner, reporter)


# -- well-being ----------------------------------------------------------------------------------


@payloads
async def test_wellbeing_notes_plan_items_and_owners(bot: BotUnderTest, payload: str) -> None:
    """The leader's notes to the AMK, the plan's items to their owners and to every
    employee, an owner's reason to the leader and the AMK."""
    leader = make_user("Lise Leder", "lise.leder@uni.dk")
    owner = make_user("Otto Ejer", "otto@uni.dk", "en-US")
    employee = make_user("Emil Medarbejder", "emil@uni.dk")
    kemi = (
        await _import(
            bot,
            [{"name": "Kemi", "leader": [_person(leader)], "amk": [_person(ANDERS)]}],
        )
    )["Kemi"]
    for user in (leader, ANDERS, owner, employee):
        await bot.install_personal(user)
    seen = Seen(bot)
    await bot.say(leader, "trivsel")
    notes = dialogue(
        kemi,
        group_name=payload,
        facilitator=payload,
        themes="stress,other",
        theme_other=payload,
        works_well=payload,
        challenges=payload,
        absence_note=payload,
    )
    saved = await bot.submit(leader, notes)
    if "wellbeing.form.confirm" in json.dumps(saved[-1].card):
        await bot.submit(leader, {"action": "wellbeing.form.confirm"})
    assert bot.runtime is not None
    async with orm_session(bot.runtime.db) as session:
        dialogue_id = (await session.execute(select(WellbeingDialogue.id))).scalar_one()
    rows = (row(payload, action=payload), row(payload, owner=ANDERS.upn, action=payload))
    await seen.click(leader, "wellbeing.items.save", items(kemi, dialogue_id, *rows, confirm="yes"))
    await seen.settled()
    async with orm_session(bot.runtime.db) as session:
        first = (await session.scalars(select(WellbeingActionItem.id))).first()
    await seen.click(owner, "wellbeing.item.drop", {"item_id": first, "note": payload})
    await seen.settled()
    await seen.click(ANDERS, "wellbeing.notes.show", {"unit_id": kemi})
    await seen.click(employee, "wellbeing.plan.show", {"unit_id": kemi})
    await bot.say(owner, "my action items")
    await bot.say(ANDERS, "mine punkter")
    seen.check(payload, ANDERS, owner, employee, leader)


# -- drug precursors ------------------------------------------------------------------------------


@payloads
async def test_precursor_entries_to_the_other_keeper_and_the_secretariat(
    bot: BotUnderTest, payload: str
) -> None:
    karin = make_user("Karin Kemi", "karin@uni.dk")
    per = make_user("Per Persen", "per@uni.dk")
    sanne = make_user("Sanne Sekretær", "sek@uni.dk")
    assert bot.runtime is not None
    services_of(bot.runtime).clock = lambda: datetime(2026, 5, 20, 8, tzinfo=UTC)
    from storage import precursor_catalogue

    await precursor_catalogue.ensure_loaded(bot.runtime.db)
    units = await _import(
        bot,
        [{"name": "Kemi", "precursor_contact": [_person(karin)], "amk": [_person(per)]}],
        secretariat=[_person(sanne)],
    )
    for user in (karin, per, sanne):
        await bot.install_personal(user)
    seen = Seen(bot)
    await bot.say(karin, "prækursor")
    found = await bot.submit(karin, {"action": "precursors.search", "query": "acetone"})
    cards = [item.card for item in found if item.card]
    substance = next(value for title, value in choices(cards[-1], "substance_id").items())
    await bot.submit(
        karin,
        {
            "action": "precursors.add",
            "substance_id": substance,
            "storage_location": payload,
            "note": payload,
        },
    )
    async with orm_session(bot.runtime.db) as session:
        holding = (await session.execute(select(PrecursorHolding.id))).scalar_one()
    entries = (
        (
            "purchase",
            {"counterparty": payload, "declaration_ref": payload, "document_ref": payload},
        ),
        ("consumption", {"purpose": payload}),
    )
    for kind, typed in entries:
        await bot.submit(
            karin, {"action": "precursors.entry", "holding_id": str(holding), "kind": kind}
        )
        saved = await bot.submit(
            karin,
            {
                "action": "precursors.save",
                "entry_date": "2026-05-19",
                "quantity": "1",
                "unit": "L",
                **typed,
            },
        )
        assert "registreret" in " ".join(item.card_text() for item in saved), kind
    ledger = await bot.submit(karin, {"action": "precursors.ledger", "holding_id": str(holding)})
    entry_id = next(iter(choices([i.card for i in ledger if i.card][-1], "entry_id").values()))
    await seen.click(
        karin,
        "precursors.reverse",
        {"holding_id": holding, "entry_id": entry_id, "reason": payload},
    )
    await bot.submit(karin, {"action": "precursors.register"})
    await bot.say(per, "prækursor")
    await bot.submit(per, {"action": "precursors.ledger", "holding_id": str(holding)})
    await bot.say(sanne, "prækursor oversigt")
    await seen.click(sanne, "precursors.unit_status", {"unit_id": units["Kemi"], "year": 2026})
    seen.check(payload, per, sanne)


# -- the weekly digest -----------------------------------------------------------------------------


@payloads
async def test_the_safety_moment_in_the_channel(bot: BotUnderTest, payload: str) -> None:
    admin = make_user("Anne Admin", "admin@uni.dk")
    secretary = make_user("Sanne Sekretariat", "sanne@uni.dk")
    team = "19:amk-network@thread.tacv2"
    await _import(bot, [{"name": "Kemi"}], secretariat=[_person(secretary)])
    await bot.install_personal(secretary)
    bot.connector.channels[team] = [{"id": team, "name": None}]
    await bot.post(
        bot.team_activity(
            admin, team, team, type="conversationUpdate", membersAdded=[{"id": "28:amkbot-test"}]
        )
    )
    await bot.post(
        bot.team_activity(admin, team, f"{team};messageid=1", text="<at>AMK-bot</at> digest her")
    )
    seen = Seen(bot)
    card = await bot.say(secretary, "sikkerhedsøjeblik")
    week = next(
        node["data"]["week"]
        for node in walk(card[-1].card)
        if node.get("verb") == "digest.safety_moment"
    )
    await seen.click(
        secretary, "digest.safety_moment", {"week": week, "danish": payload, "english": payload}
    )
    assert bot.runtime is not None
    job = next(j for j in bot.runtime.scheduler.jobs if isinstance(j, DigestJob))
    await job.run(week_bounds(week)[0] + timedelta(hours=8))
    seen.check(payload, CHANNEL)
