"""The precursor dialog through botbuilder's TestAdapter and the real handler."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any

import pytest
from botbuilder.schema import Activity
from sqlalchemy import select

from bot.app import BotRuntime, build_runtime
from bot.config import Settings
from domain.org import OrgFile
from storage import org
from storage.audit import audited
from storage.db import Database
from storage.models import Unit
from storage.precursor_models import PrecursorEntry, PrecursorHolding, PrecursorRegistration
from tests.dialogs.test_lone_work_dialogs import Member, text_of
from tests.support.databases import orm_session
from tests.support.fake_connector import FakeConnector
from tests.support.precursors import services_of, substance_id, walk

NOW = datetime(2026, 5, 20, 8, tzinfo=UTC)


class Scene:
    def __init__(self, db: Database, connector: FakeConnector, units: dict[str, int]) -> None:
        self.db = db
        self.connector = connector
        self.units = units
        self.runtime = self.start()
        self.karin = Member(self.runtime, connector, "Karin Kemi", "karin@uni.dk")
        self.per = Member(self.runtime, connector, "Per Persen", "per@uni.dk")

    def start(self) -> BotRuntime:
        runtime = build_runtime(Settings(database_url=self.db.url), self.db)
        services_of(runtime).clock = lambda: NOW
        return runtime

    async def restart(self) -> None:
        """A new process on the same database (dialog state lives in the database)."""
        await self.runtime.background.drain()
        await self.runtime.connector.close()
        self.runtime = self.start()
        for member in (self.karin, self.per):
            member.adapter.logic = self.runtime.bot.on_turn

    async def holding_ids(self) -> dict[str, int]:
        async with orm_session(self.db) as session:
            rows = await session.execute(
                select(PrecursorHolding.id, Unit.name).join(
                    Unit, Unit.id == PrecursorHolding.unit_id
                )
            )
            return {name: int(holding_id) for holding_id, name in rows}

    async def entries(self) -> list[PrecursorEntry]:
        async with orm_session(self.db) as session:
            return list(
                (await session.scalars(select(PrecursorEntry).order_by(PrecursorEntry.id))).all()
            )


@pytest.fixture
async def scene(db: Database, connector: FakeConnector) -> AsyncIterator[Scene]:
    async with audited(db) as connection:
        await org.import_org(
            connection,
            OrgFile.model_validate(
                {
                    "units": [
                        {
                            "name": "Kemi",
                            "precursor_contact": [{"upn": "karin@uni.dk"}],
                            "amk": [{"upn": "per@uni.dk"}],
                        },
                        {"name": "Fysik", "amk": [{"upn": "per@uni.dk"}]},
                    ]
                }
            ),
            actor="test",
        )
        units = {
            name: int(i) for name, i in (await connection.execute(select(Unit.name, Unit.id))).all()
        }
    built = Scene(db, connector, units)
    await built.karin.install()
    await built.per.install()
    try:
        yield built
    finally:
        await built.runtime.background.drain()
        await built.runtime.connector.close()


def card_of(replies: list[Activity]) -> dict[str, Any]:
    cards = [a.content for reply in replies for a in reply.attachments or []]
    assert cards, text_of(replies)
    card: dict[str, Any] = cards[-1]
    return card


def choice(replies: list[Activity], input_id: str, contains: str) -> str:
    element = next(node for node in walk(card_of(replies)) if node.get("id") == input_id)
    return str(next(c["value"] for c in element["choices"] if contains in c["title"]))


async def add(
    member: Member, query: str, pick: str, location: str = "Giftskab 2"
) -> list[Activity]:
    await member.say("prækursor")
    found = await member.submit({"action": "precursors.search", "query": query})
    return await member.submit(
        {
            "action": "precursors.add",
            "substance_id": choice(found, "substance_id", pick),
            "storage_location": location,
        }
    )


async def test_the_precursor_contact_registers_the_unit(scene: Scene) -> None:
    home = await scene.karin.say("prækursor")
    assert "Narkotikaprækursorer – Kemi" in text_of(home)
    assert "Prækursorkontakt: Karin Kemi" in text_of(home)
    added = await add(scene.karin, "toluol", "Toluen")
    assert "Toluen er tilføjet enhedens liste (Giftskab 2)" in text_of(added)
    assert "0 L på lager · Giftskab 2" in text_of(added)
    done = await scene.karin.submit({"action": "precursors.register"})
    assert "Kemi har nu indberettet sin stofliste for 2026" in text_of(done)
    async with orm_session(scene.db) as session:
        row = (await session.execute(select(PrecursorRegistration))).scalar_one()
    assert row.status == "substances" and row.substance_keys == ["toluene"]
    closed = await scene.karin.submit({"action": "precursors.close"})
    assert "Skriv **prækursor**" in text_of(closed)


async def test_an_amk_of_two_units_picks_one_and_says_none_handled(scene: Scene) -> None:
    picker = await scene.per.say("precursor")
    assert "flere enheder" in text_of(picker)
    fysik = choice(picker, "unit_id", "Fysik")
    home = await scene.per.submit({"action": "precursors.pick", "unit_id": fysik})
    assert "Narkotikaprækursorer – Fysik" in text_of(home)
    assert "ingen prækursorkontakt" in text_of(home)
    none = await scene.per.submit({"action": "precursors.none"})
    assert "Det er indberettet, at Fysik ikke håndterer prækursorer i 2026" in text_of(none)
    assert "enheden håndterer ingen prækursorer" in text_of(none)
    again = await scene.per.submit({"action": "precursors.switch"})
    assert "flere enheder" in text_of(again)
    stopped = await scene.per.submit({"action": "precursors.cancel"})
    assert "jeg har stoppet «narkotikaprækursorer»" in text_of(stopped)


async def test_none_handled_is_refused_while_substances_are_listed(scene: Scene) -> None:
    await add(scene.karin, "acetone", "Acetone")
    refused = await scene.karin.submit({"action": "precursors.none"})
    assert "Enheden har stoffer på listen" in text_of(refused)
    async with orm_session(scene.db) as session:
        assert (await session.scalars(select(PrecursorRegistration))).first() is None


ENTRY_VALUES: dict[str, dict[str, str]] = {
    "purchase": {"quantity": "2", "unit": "L", "counterparty": "VWR"},
    "consumption": {"quantity": "250", "unit": "mL", "purpose": "Rensning af glasvarer"},
    "disposal": {"quantity": "100", "unit": "g", "purpose": "Kemikalieaffald"},
    "transfer": {"quantity": "0,5", "unit": "L", "counterparty": "DTU Aqua, Kgs. Lyngby"},
    "count": {"quantity": "0,7", "unit": "L"},
}


@pytest.mark.parametrize("kind", list(ENTRY_VALUES))
async def test_each_entry_type_through_the_dialog(scene: Scene, kind: str) -> None:
    await add(scene.karin, "acetone", "Acetone")
    holding = (await scene.holding_ids())["Kemi"]
    form = await scene.karin.submit(
        {"action": "precursors.entry", "holding_id": str(holding), "kind": "opening"}
    )
    assert "Startbeholdning: Acetone" in text_of(form)
    opened = await scene.karin.submit(
        {"action": "precursors.save", "entry_date": "2026-01-02", "quantity": "1", "unit": "L"}
    )
    assert "Startbeholdning er registreret: 1 L acetone den 2. januar 2026" in text_of(opened)
    form = await scene.karin.submit(
        {"action": "precursors.entry", "holding_id": str(holding), "kind": kind}
    )
    saved = await scene.karin.submit(
        {"action": "precursors.save", "entry_date": "2026-05-19", **ENTRY_VALUES[kind]}
    )
    text = text_of(saved)
    expected = {
        "purchase": "Køb er registreret: 2 L acetone den 19. maj 2026. Beholdning nu: 3 L.",
        "consumption": (
            "Forbrug er registreret: 250 mL = 0,25 L acetone den 19. maj 2026. "
            "Beholdning nu: 0,75 L."
        ),
        "disposal": "Bortskaffelse er registreret: 100 g = 0,126582 L acetone",
        "transfer": "Overdragelse til andre er registreret: 0,5 L acetone",
        "count": (
            "Optælling registreret: 0,7 L acetone den 19. maj 2026. Bogført beholdning samme "
            "dag: 1 L. Optællingen afviger fra den bogførte beholdning med −0,3 L."
        ),
    }[kind]
    assert expected in text, text
    entries = await scene.entries()
    assert [entry.kind for entry in entries] == ["opening", kind]
    if kind == "disposal":
        assert entries[1].quantity_micro == round(100 / 0.79 * 1000)  # 100 g at 0.79 g/mL


async def test_a_wrong_entry_keeps_the_values_and_says_what_is_missing(scene: Scene) -> None:
    await add(scene.karin, "108-24-7", "Eddikesyreanhydrid")
    holding = (await scene.holding_ids())["Kemi"]
    await scene.karin.submit(
        {"action": "precursors.entry", "holding_id": str(holding), "kind": "purchase"}
    )
    wrong = await scene.karin.submit(
        {"action": "precursors.save", "entry_date": "2026-06-01", "quantity": "abc", "unit": "L"}
    )
    assert "Skriv en mængde større end 0" in text_of(wrong)
    wrong = await scene.karin.submit(
        {"action": "precursors.save", "entry_date": "2026-06-01", "quantity": "1", "unit": "L"}
    )
    text = text_of(wrong)
    assert "Datoen kan ikke ligge i fremtiden" in text
    assert "Skriv leverandøren" in text and "kræver en kundeerklæring" in text
    kept = {node["id"]: node.get("value") for node in walk(card_of(wrong)) if "id" in node}
    assert kept["entry_date"] == "2026-06-01" and kept["unit"] == "L"
    back = await scene.karin.submit({"action": "precursors.back"})
    assert "Narkotikaprækursorer – Kemi" in text_of(back)
    assert await scene.entries() == []


async def test_the_dialog_survives_a_restart(scene: Scene) -> None:
    await add(scene.karin, "toluen", "Toluen")
    holding = (await scene.holding_ids())["Kemi"]
    await scene.karin.submit(
        {"action": "precursors.entry", "holding_id": str(holding), "kind": "purchase"}
    )
    await scene.restart()
    saved = await scene.karin.submit(
        {
            "action": "precursors.save",
            "entry_date": "2026-05-01",
            "quantity": "1",
            "unit": "L",
            "counterparty": "VWR",
        }
    )
    assert "Køb er registreret: 1 L toluen" in text_of(saved)


async def test_ledger_and_taking_a_substance_off_the_list(scene: Scene) -> None:
    await add(scene.karin, "piperidin", "Piperidin")
    holding = (await scene.holding_ids())["Kemi"]
    ledger = await scene.karin.submit({"action": "precursors.ledger", "holding_id": str(holding)})
    assert "Der er ingen posteringer på stoffet endnu" in text_of(ledger)
    removed = await scene.karin.submit({"action": "precursors.remove", "holding_id": str(holding)})
    assert "Piperidin er fjernet fra enhedens liste" in text_of(removed)
    assert "Der er ingen stoffer på enhedens liste endnu" in text_of(removed)


async def test_another_units_substance_cannot_be_used(scene: Scene) -> None:
    await scene.per.say("precursor")
    picker_fysik = str(scene.units["Fysik"])
    await scene.per.submit({"action": "precursors.pick", "unit_id": picker_fysik})
    await scene.per.submit({"action": "precursors.search", "query": "acetone"})
    acetone = await substance_id(scene.db, "acetone")
    await scene.per.submit(
        {"action": "precursors.add", "substance_id": str(acetone), "storage_location": "K1"}
    )
    fysik_holding = (await scene.holding_ids())["Fysik"]
    await scene.karin.say("prækursor")
    refused = await scene.karin.submit(
        {"action": "precursors.entry", "holding_id": str(fysik_holding), "kind": "purchase"}
    )
    assert "Vælg et stof fra enhedens liste" in text_of(refused)
    assert "Narkotikaprækursorer – Kemi" in text_of(refused)
