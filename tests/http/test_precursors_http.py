"""Drug precursors over HTTP: the keeper's cards, the secretariat's actions, reminders."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import func, select

from domain.org import OrgFile
from services.precursor_jobs import PrecursorReminders
from storage import org
from storage.audit import audited
from storage.models import AuditEvent, Unit
from storage.precursor_models import PrecursorEntry, PrecursorHolding, PrecursorRegistration
from tests.support.card_nodes import walk
from tests.support.databases import orm_session
from tests.support.fake_connector import Sent
from tests.support.precursors import choices, services_of
from tests.support.teams import BotUnderTest, User, make_user

KARIN = make_user("Karin Kemi", "karin@uni.dk", "da-DK")
PER = make_user("Per Persen", "per@uni.dk", "da-DK")
OLE = make_user("Ole Olsen", "ole@uni.dk", "en-US")
SEK = make_user("Sanne Sekretær", "sek@uni.dk", "da-DK")
NOW = datetime(2026, 5, 20, 8, 0, tzinfo=UTC)


async def _setup(bot: BotUnderTest) -> dict[str, int]:
    """Kemi (precursor contact Karin, AMK Per), Fysik (AMK Ole), the secretariat (Sanne)."""
    assert bot.runtime is not None
    services_of(bot.runtime).clock = lambda: NOW
    people = {u.upn: {"upn": u.upn, "aad_object_id": u.aad} for u in (KARIN, PER, OLE, SEK)}
    async with audited(bot.runtime.db) as connection:
        await org.import_org(
            connection,
            OrgFile.model_validate(
                {
                    "units": [
                        {
                            "name": "Kemi",
                            "precursor_contact": [people[KARIN.upn]],
                            "amk": [people[PER.upn]],
                        },
                        {"name": "Fysik", "amk": [people[OLE.upn]]},
                    ],
                    "secretariat": [people[SEK.upn]],
                }
            ),
            actor="test",
        )
        found = (await connection.execute(select(Unit.name, Unit.id))).all()
    for user in (KARIN, PER, OLE, SEK):
        await bot.install_personal(user)
    bot.connector.clear()
    return {name: int(unit_id) for name, unit_id in found}


def _card(sent: list[Sent]) -> dict[str, Any]:
    cards = [item.card for item in sent if item.card]
    assert cards, [item.text for item in sent]
    card = cards[-1]
    assert card is not None
    return card


def _text(sent: list[Sent]) -> str:
    return " ".join(item.text + " " + item.card_text() for item in sent)


async def _add_substance(bot: BotUnderTest, user: User, query: str, pick: str) -> list[Sent]:
    await bot.say(user, "prækursor")
    found = await bot.submit(user, {"action": "precursors.search", "query": query})
    substance = next(
        value for title, value in choices(_card(found), "substance_id").items() if pick in title
    )
    return await bot.submit(
        user,
        {
            "action": "precursors.add",
            "substance_id": substance,
            "storage_location": "Bygning 207, giftskab 2",
            "note": "",
        },
    )


async def _holding(bot: BotUnderTest) -> int:
    assert bot.runtime is not None
    async with orm_session(bot.runtime.db) as session:
        return int((await session.execute(select(PrecursorHolding.id))).scalar_one())


async def test_the_keeper_searches_adds_registers_and_records(bot: BotUnderTest) -> None:
    await _setup(bot)
    home = await bot.say(KARIN, "prækursor")
    text = _text(home)
    assert "Narkotikaprækursorer – Kemi" in text
    assert "har endnu ikke indberettet for 2026" in text and "om 26 dage" in text
    found = await bot.submit(KARIN, {"action": "precursors.search", "query": "eddike"})
    options = choices(_card(found), "substance_id")
    assert list(options) == [
        "Eddikesyreanhydrid · CAS 108-24-7 · kat. 2A · koder ikke verificeret",
        "Phenyleddikesyre · CAS 103-82-2 · kat. 2B · koder ikke verificeret",
    ]
    missing_location = await bot.submit(
        KARIN, {"action": "precursors.add", "substance_id": next(iter(options.values()))}
    )
    assert "Skriv hvor stoffet opbevares" in _text(missing_location)
    added = await _add_substance(bot, KARIN, "108-24-7", "Eddikesyreanhydrid")
    assert "Eddikesyreanhydrid er tilføjet enhedens liste" in _text(added)
    holding = await _holding(bot)
    form = await bot.submit(
        KARIN, {"action": "precursors.entry", "holding_id": str(holding), "kind": "purchase"}
    )
    assert "Køb: Eddikesyreanhydrid" in _text(form)
    assert "kundeerklæring" in _text(form).lower()
    no_declaration = await bot.submit(
        KARIN,
        {
            "action": "precursors.save",
            "entry_date": "2026-05-19",
            "quantity": "2500",
            "unit": "mL",
            "counterparty": "Sigma-Aldrich",
        },
    )
    assert "kræver en kundeerklæring" in _text(no_declaration)
    kept = {i["id"]: i.get("value") for i in walk(_card(no_declaration)) if "id" in i}
    assert kept["counterparty"] == "Sigma-Aldrich" and kept["unit"] == "mL"
    saved = await bot.submit(
        KARIN,
        {
            "action": "precursors.save",
            "entry_date": "2026-05-19",
            "quantity": "2500",
            "unit": "mL",
            "counterparty": "Sigma-Aldrich",
            "declaration_ref": "KE-2026-4",
        },
    )
    assert "Køb er registreret: 2.500 mL = 2,5 L eddikesyreanhydrid den 19. maj 2026" in _text(
        saved
    )
    assert "Beholdning nu: 2,5 L" in _text(saved)
    registered = await bot.submit(KARIN, {"action": "precursors.register"})
    assert "Kemi har nu indberettet sin stofliste for 2026" in _text(registered)
    assert "Indberettet for 2026 af Karin Kemi" in _text(registered)
    assert bot.runtime is not None
    async with orm_session(bot.runtime.db) as session:
        row = (await session.execute(select(PrecursorEntry))).scalar_one()
        registration = (await session.execute(select(PrecursorRegistration))).scalar_one()
    assert (row.kind, row.quantity_micro, row.declaration_ref) == (
        "purchase",
        2_500_000,
        "KE-2026-4",
    )
    assert registration.year == 2026 and registration.substance_keys == ["acetic-anhydride"]


async def test_consumption_beyond_stock_is_refused_with_the_day(bot: BotUnderTest) -> None:
    await _setup(bot)
    await _add_substance(bot, KARIN, "toluen", "Toluen")
    holding = await _holding(bot)
    await bot.submit(
        KARIN, {"action": "precursors.entry", "holding_id": str(holding), "kind": "opening"}
    )
    await bot.submit(
        KARIN,
        {"action": "precursors.save", "entry_date": "2026-01-02", "quantity": "1", "unit": "L"},
    )
    await bot.submit(
        KARIN, {"action": "precursors.entry", "holding_id": str(holding), "kind": "consumption"}
    )
    refused = await bot.submit(
        KARIN,
        {
            "action": "precursors.save",
            "entry_date": "2026-03-03",
            "quantity": "1,2",
            "unit": "L",
            "purpose": "Kromatografi",
        },
    )
    assert "negativ den 3. marts 2026 (-0,2 L)" in _text(refused)
    assert bot.runtime is not None
    async with orm_session(bot.runtime.db) as session:
        assert await session.scalar(select(func.count()).select_from(PrecursorEntry)) == 1


async def test_reverse_is_a_card_action_that_answers_with_the_ledger(bot: BotUnderTest) -> None:
    await _setup(bot)
    await _add_substance(bot, KARIN, "acetone", "Acetone")
    holding = await _holding(bot)
    await bot.submit(
        KARIN, {"action": "precursors.entry", "holding_id": str(holding), "kind": "purchase"}
    )
    await bot.submit(
        KARIN,
        {
            "action": "precursors.save",
            "entry_date": "2026-05-01",
            "quantity": "25",
            "unit": "L",
            "counterparty": "VWR",
        },
    )
    ledger = await bot.submit(KARIN, {"action": "precursors.ledger", "holding_id": str(holding)})
    assert "Posteringer: Acetone" in _text(ledger)
    entry_id = next(iter(choices(_card(ledger), "entry_id").values()))
    stranger = await bot.invoke(
        OLE, "precursors.reverse", {"holding_id": holding, "entry_id": entry_id, "reason": "x y z"}
    )
    assert stranger.status == 200
    assert stranger.body["type"] == "application/vnd.microsoft.card.adaptive"
    assert "neither precursor contact nor AMK" in json.dumps(stranger.body["value"])
    no_reason = await bot.invoke(
        KARIN, "precursors.reverse", {"holding_id": holding, "entry_id": entry_id, "reason": ""}
    )
    assert "Skriv en begrundelse" in json.dumps(no_reason.body["value"], ensure_ascii=False)
    reply = await bot.invoke(
        KARIN,
        "precursors.reverse",
        {"holding_id": holding, "entry_id": entry_id, "reason": "25 mL, ikke 25 L"},
    )
    assert reply.status == 200 and reply.body["statusCode"] == 200
    assert reply.body["type"] == "application/vnd.microsoft.card.adaptive"
    shown = json.dumps(reply.body["value"], ensure_ascii=False)
    assert f"Postering nr. {entry_id} er tilbageført" in shown
    assert "tilbagefører nr." in shown and "beholdning 0 L" in shown
    again = await bot.invoke(
        KARIN, "precursors.reverse", {"holding_id": holding, "entry_id": entry_id, "reason": "igen"}
    )
    assert "Vælg den postering" in json.dumps(again.body["value"], ensure_ascii=False) or (
        "allerede tilbageført" in json.dumps(again.body["value"], ensure_ascii=False)
    )
    assert bot.runtime is not None
    async with orm_session(bot.runtime.db) as session:
        kinds = (
            await session.scalars(select(PrecursorEntry.kind).order_by(PrecursorEntry.id))
        ).all()
        refused = await session.scalar(
            select(func.count()).where(AuditEvent.action == "precursors.reverse.refused")
        )
    assert kinds == ["purchase", "reversal"] and refused == 1


async def test_the_secretariat_sees_who_has_and_has_not_registered(bot: BotUnderTest) -> None:
    units = await _setup(bot)
    await bot.say(OLE, "precursor")
    await bot.submit(OLE, {"action": "precursors.none"})
    first = await bot.say(SEK, "prækursor")
    text = _text(first)
    assert "Prækursorer: indberetninger for 2026" in text
    assert "1 af 31 enheder har indberettet" in text and "Mangler (30)" in text
    assert "ingen prækursorer · Ole Olsen" in text
    assert "tilladelse til kategori 1 er ikke registreret" in text
    reply = await bot.invoke(
        SEK, "precursors.unit_status", {"unit_id": units["Kemi"], "year": 2026}
    )
    assert reply.status == 200 and reply.body["type"] == "application/vnd.microsoft.card.adaptive"
    shown = json.dumps(reply.body["value"], ensure_ascii=False)
    assert "Kemi: prækursorer" in shown and "Karin Kemi" in shown
    back = await bot.invoke(SEK, "precursors.overview", {"year": 2025})
    assert "indberetninger for 2025" in json.dumps(back.body["value"], ensure_ascii=False)
    word = await bot.say(SEK, "prækursor oversigt")
    assert "indberetninger for 2026" in _text(word)
    refused = await bot.invoke(KARIN, "precursors.overview", {})
    assert "for arbejdsmiljøsekretariatet" in json.dumps(refused.body["value"], ensure_ascii=False)
    peek = await bot.invoke(KARIN, "precursors.unit_status", {"unit_id": units["Fysik"]})
    assert "for arbejdsmiljøsekretariatet" in json.dumps(peek.body["value"], ensure_ascii=False)
    assert bot.runtime is not None
    async with orm_session(bot.runtime.db) as session:
        audited = (
            await session.scalars(
                select(AuditEvent.action).where(AuditEvent.action.like("precursors.%.refused"))
            )
        ).all()
    assert sorted(audited) == ["precursors.overview.refused", "precursors.unit_status.refused"]


async def test_someone_without_a_role_is_told_who_keeps_the_records(bot: BotUnderTest) -> None:
    await _setup(bot)
    stranger = make_user("Eva Ekstern", "eva@uni.dk", "da-DK")
    reply = await bot.say(stranger, "prækursor")
    assert "prækursorkontakt og arbejdsmiljøkoordinator" in _text(reply)


async def test_reminders_30_7_and_1_day_before_each_exactly_once(bot: BotUnderTest) -> None:
    units = await _setup(bot)
    assert bot.runtime is not None
    job = next(j for j in bot.runtime.scheduler.jobs if isinstance(j, PrecursorReminders))

    def at(day: date) -> datetime:
        return datetime(day.year, day.month, day.day, 7, tzinfo=UTC)

    deadline = date(2026, 6, 15)
    await job.run(at(deadline - timedelta(days=31)))
    assert bot.connector.messages() == []
    await asyncio.gather(
        job.run(at(deadline - timedelta(days=30))), job.run(at(deadline - timedelta(days=30)))
    )
    await job.run(at(deadline - timedelta(days=20)))
    to_karin = [m for m in bot.connector.messages() if m.conversation_id == KARIN.chat_id]
    to_ole = [m for m in bot.connector.messages() if m.conversation_id == OLE.chat_id]
    assert len(to_karin) == 1 and len(to_ole) == 1
    assert "Fristen er 15. juni 2026 (om 30 dage)" in to_karin[0].card_text()
    assert "The deadline is 15 June 2026 (in 30 days)" in to_ole[0].card_text()
    assert [m for m in bot.connector.messages() if m.conversation_id == PER.chat_id] == []
    # Fysik answers; Kemi does not
    await bot.say(OLE, "precursor")
    await bot.submit(OLE, {"action": "precursors.none"})
    bot.connector.clear()
    await job.run(at(deadline - timedelta(days=7)))
    await job.run(at(deadline - timedelta(days=6)))
    await job.run(at(deadline - timedelta(days=1)))
    await job.run(at(deadline))
    await job.run(at(deadline + timedelta(days=1)))
    to_karin = [m for m in bot.connector.messages() if m.conversation_id == KARIN.chat_id]
    assert [("om 7 dage" in m.card_text(), "i morgen" in m.card_text()) for m in to_karin] == [
        (True, False),
        (False, True),
    ]
    assert [m for m in bot.connector.messages() if m.conversation_id == OLE.chat_id] == []
    button = next(a for a in walk(to_karin[0].card) if a.get("type") == "Action.Submit")
    assert button["data"] == {"action": "menu.open", "flow": "precursors"}
    assert units["Kemi"]
