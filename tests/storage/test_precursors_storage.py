"""Precursor storage on SQLite and (with TEST_DATABASE_URL) PostgreSQL."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
import yaml
from sqlalchemy import func, select

from domain.precursor_forms import HoldingForm
from domain.precursor_ledger import EntryKind, WarningKind, year_figures
from domain.precursor_registrations import RegistrationStatus
from storage import (
    audit,
    precursor_catalogue,
    precursor_entries,
    precursor_ledgers,
    precursor_registrations,
    precursors,
)
from storage.audit import audited
from storage.db import Database
from storage.models import AuditEvent
from storage.precursor_models import (
    PrecursorCatalogue,
    PrecursorEntry,
    PrecursorHolding,
    PrecursorSubstance,
)
from tests.support.databases import orm_session
from tests.support.precursors import add, entry, person_id, record, setup_org, substance_id

KEMI = {
    "name": "Kemi",
    "precursor_contact": [{"upn": "karin@uni.dk", "name": "Karin Kemi"}],
    "amk": [{"upn": "per@uni.dk"}],
}
FYSIK = {"name": "Fysik", "amk": [{"upn": "ole@uni.dk"}]}


async def test_catalogue_loads_once_and_a_new_version_retires_what_it_drops(
    db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = await precursor_catalogue.ensure_loaded(db)
    again = await precursor_catalogue.ensure_loaded(db)
    assert first.added == 49 and not first.already_loaded
    assert again.already_loaded
    async with orm_session(db) as session:
        assert await session.scalar(select(func.count()).select_from(PrecursorSubstance)) == 49
    raw = yaml.safe_load(
        (precursor_catalogue.SEED_DIR / "precursors-2025.yaml").read_text(encoding="utf-8")
    )
    raw["version"] = "2026.1"
    raw["substances"] = [s for s in raw["substances"] if s["key"] != "safrole"]
    raw["substances"][0]["name_da"] = "1-Phenyl-2-propanon (BMK)"
    raw["substances"].append(
        {
            "key": "new-thing",
            "name_en": "New thing",
            "name_da": "Nyt stof",
            "category": "1",
            "source": "Reg 2099/1",
            "verified": False,
            "check": "test",
        }
    )
    (tmp_path / "precursors-2026.yaml").write_text(yaml.safe_dump(raw), encoding="utf-8")
    monkeypatch.setattr(precursor_catalogue, "SEED_DIR", tmp_path)
    catalogue, sha = precursor_catalogue.newest_catalogue(tmp_path)
    async with audited(db) as connection:
        summary = await precursor_catalogue.load(connection, catalogue, sha, actor="test")
        assert await precursor_catalogue.current_version(connection) == "2026.1"
    assert (summary.added, summary.updated, summary.retired) == (1, 1, 1)
    async with orm_session(db) as session:
        safrole = (
            await session.scalars(
                select(PrecursorSubstance).where(PrecursorSubstance.key == "safrole")
            )
        ).one()
        assert not safrole.active
        versions = (await session.scalars(select(PrecursorCatalogue.version))).all()
    assert sorted(versions) == ["2025.1", "2026.1"]


async def test_two_processes_loading_at_once_load_once(database_target: object) -> None:
    from tests.conftest import DatabaseTarget

    assert isinstance(database_target, DatabaseTarget)
    from bot.app import prepare_database

    first, second = database_target.open(), database_target.open()
    try:
        await prepare_database(first)
        results = await asyncio.gather(
            precursor_catalogue.ensure_loaded(first), precursor_catalogue.ensure_loaded(second)
        )
        assert sorted(r.already_loaded for r in results) == [False, True]
        async with orm_session(first) as session:
            assert await session.scalar(select(func.count()).select_from(PrecursorSubstance)) == 49
    finally:
        await first.dispose()
        await second.dispose()


async def test_access_follows_the_roles(db: Database) -> None:
    units = await setup_org(db, [KEMI, FYSIK], secretariat=("sek@uni.dk",))
    ids = {upn: await person_id(db, upn) for upn in ("karin@uni.dk", "per@uni.dk", "sek@uni.dk")}
    ole = await person_id(db, "ole@uni.dk")
    async with db.reading() as c:
        karin = await precursors.access(c, ids["karin@uni.dk"])
        per = await precursors.access(c, ids["per@uni.dk"])
        sek = await precursors.access(c, ids["sek@uni.dk"])
        assert [u.name for u in karin.units] == ["Kemi"] and not karin.secretariat
        assert [u.name for u in per.units] == ["Kemi"]
        assert sek.units == [] and sek.secretariat
        assert await precursors.may_keep(c, ole, units["Fysik"])
        assert not await precursors.may_keep(c, ole, units["Kemi"])
        assert not await precursors.may_keep(c, None, units["Kemi"])
        assert [p.upn for p in await precursors.keepers(c, units["Kemi"])] == ["karin@uni.dk"]
        assert [p.upn for p in await precursors.keepers(c, units["Fysik"])] == ["ole@uni.dk"]


async def test_ledger_balances_refuses_negative_and_reverses(db: Database) -> None:
    units = await setup_org(db, [KEMI])
    karin = await person_id(db, "karin@uni.dk")
    holding = await add(db, units["Kemi"], "acetic-anhydride", actor=karin)
    assert (
        await record(db, holding, entry("opening", "2025-12-01", "1", "L"), actor=karin)
    ).changed
    buy = await record(db, holding, entry("purchase", "2026-02-01", "2500", "mL"), actor=karin)
    assert buy.changed
    used = await record(db, holding, entry("consumption", "2026-03-01", "1080", "g"), actor=karin)
    assert used.changed  # 1080 g at 1.08 g/mL = 1 L
    more = await record(db, holding, entry("consumption", "2026-03-05", "2", "L"), actor=karin)
    assert more.changed
    too_much = await record(db, holding, entry("consumption", "2026-03-06", "0.6", "L"))
    assert not too_much.changed
    assert too_much.errors == {"quantity": "precursors.error.negative"}
    assert too_much.negative == (date(2026, 3, 6), -100_000)
    backdated = await record(db, holding, entry("disposal", "2025-11-30", "1", "mL"))
    assert backdated.negative == (date(2025, 11, 30), -1000)
    second_opening = await record(db, holding, entry("opening", "2026-01-01", "1", "L"))
    assert second_opening.errors == {"kind": "precursors.error.opening"}
    async with db.reading() as c:
        [view] = await precursors.holdings_of(c, units["Kemi"])
    assert view.stock_micro == 500_000
    # a purchase that was used cannot be reversed; the consumption can
    assert buy.entity_id is not None and used.entity_id is not None
    async with audited(db) as c:
        refused = await precursor_entries.reverse(
            c, buy.entity_id, actor_id=karin, reason="forkert mængde"
        )
    assert not refused.changed and refused.problem == "precursors.reverse.negative"
    async with audited(db) as c:
        no_reason = await precursor_entries.reverse(c, used.entity_id, actor_id=karin, reason=" ")
        assert no_reason.problem == "precursors.reverse.reason"
        done = await precursor_entries.reverse(
            c, used.entity_id, actor_id=karin, reason="tastefejl"
        )
    assert done.changed
    async with audited(db) as c:
        twice = await precursor_entries.reverse(c, used.entity_id, actor_id=karin, reason="igen")
        assert twice.problem == "precursors.reverse.already"
        assert done.entity_id is not None
        of_reversal = await precursor_entries.reverse(
            c, done.entity_id, actor_id=karin, reason="igen"
        )
        assert of_reversal.problem == "precursors.reverse.is_reversal"
    async with db.reading() as c:
        [view] = await precursors.holdings_of(c, units["Kemi"])
        rows = (await c.execute(select(PrecursorEntry.__table__).order_by(PrecursorEntry.id))).all()
        lines = (await precursors.lines_of(c, [holding]))[holding]
    assert view.stock_micro == 1_500_000
    assert [row.kind for row in rows] == [
        "opening",
        "purchase",
        "consumption",
        "consumption",
        "reversal",
    ]
    reversal = rows[-1]
    assert reversal.reverses_id == used.entity_id and reversal.reason == "tastefejl"
    assert reversal.entry_date == date(2026, 3, 1) and reversal.delta_micro == 1_000_000
    assert rows[2].entered_quantity == "1080" and rows[2].entered_unit == "g"
    assert [line.reversed for line in lines] == [False, False, True, False, False]


async def test_entries_and_refusals_are_audited_and_the_chain_holds(db: Database) -> None:
    units = await setup_org(db, [KEMI])
    karin = await person_id(db, "karin@uni.dk")
    holding = await add(db, units["Kemi"], "toluene", actor=karin)
    first = await record(db, holding, entry("purchase", "2026-02-01", "1", "L"), actor=karin)
    assert first.entity_id is not None
    async with audited(db) as c:
        await precursor_entries.reverse(c, first.entity_id, actor_id=karin, reason="dobbelt")
        await precursors.refuse(
            c, actor_id=None, what="reverse", entity=precursors.HOLDING, entity_id=holding
        )
    async with orm_session(db) as session:
        events = (
            await session.scalars(
                select(AuditEvent)
                .where(AuditEvent.action.like("precursors.%"))
                .order_by(AuditEvent.sequence)
            )
        ).all()
    async with db.reading() as c:
        report = await audit.verify_chain(c)
    assert [event.action for event in events] == [
        "precursors.catalogue.load",
        "precursors.holding.add",
        "precursors.entry.purchase",
        "precursors.entry.reversal",
        "precursors.reverse.refused",
    ]
    purchase = events[2].after or {}
    assert purchase["substance"] == "toluene" and purchase["quantity_micro"] == 1_000_000
    assert events[2].actor == f"person:{karin}"
    assert report.intact


async def test_concurrent_consumption_cannot_overdraw(db: Database) -> None:
    units = await setup_org(db, [KEMI])
    holding = await add(db, units["Kemi"], "acetone")
    await record(db, holding, entry("purchase", "2026-02-01", "1", "L"))
    outcomes = await asyncio.gather(
        *[record(db, holding, entry("consumption", "2026-03-01", "300", "mL")) for _ in range(5)]
    )
    assert sum(outcome.changed for outcome in outcomes) == 3
    async with db.reading() as c:
        [view] = await precursors.holdings_of(c, units["Kemi"])
    assert view.stock_micro == 100_000


async def test_holdings_add_remove_and_re_add(db: Database) -> None:
    units = await setup_org(db, [KEMI])
    holding = await add(db, units["Kemi"], "piperidine")
    async with audited(db) as c:
        again = await precursors.add_holding(
            c,
            units["Kemi"],
            HoldingForm(substance_id=await substance_id(db, "piperidine"), storage_location="X2"),
            actor_id=None,
            licence="",
        )
    assert again.problem == "precursors.error.already_listed"
    await record(db, holding, entry("purchase", "2026-02-01", "100", "mL"))
    async with audited(db) as c:
        stock_left = await precursors.remove_holding(c, holding, actor_id=None)
    assert stock_left.problem == "precursors.error.stock_left"
    await record(db, holding, entry("disposal", "2026-02-02", "86", "g"))
    async with audited(db) as c:
        removed = await precursors.remove_holding(c, holding, actor_id=None)
    assert removed.changed
    async with db.reading() as c:
        assert await precursors.holdings_of(c, units["Kemi"]) == []
        [old] = await precursors.holdings_of(c, units["Kemi"], include_inactive=True)
        assert not old.active and old.stock_micro == 0
    rest = await record(db, holding, entry("purchase", "2026-02-03", "1", "kg"))
    assert rest.problem == "precursors.error.holding"
    assert await add(db, units["Kemi"], "piperidine") == holding


async def test_category_1_warns_without_licence_and_2a_near_its_threshold(db: Database) -> None:
    units = await setup_org(db, [KEMI, FYSIK])
    async with audited(db) as c:
        listed = await precursors.add_holding(
            c,
            units["Kemi"],
            HoldingForm(substance_id=await substance_id(db, "safrole"), storage_location="Skab"),
            actor_id=None,
            licence="",
        )
    assert [w.kind for w in listed.warnings] == [WarningKind.LICENCE_MISSING]
    assert listed.entity_id is not None
    licensed = await record(
        db, listed.entity_id, entry("purchase", "2026-02-01", "10", "g"), licence="LIC-1"
    )
    assert licensed.warnings == []
    kemi = await add(db, units["Kemi"], "acetic-anhydride")
    fysik = await add(db, units["Fysik"], "acetic-anhydride")
    first = await record(db, kemi, entry("purchase", "2026-02-01", "50", "L"))
    assert first.warnings == []
    second = await record(db, fysik, entry("purchase", "2026-03-01", "35", "L"))
    assert [w.kind for w in second.warnings] == [WarningKind.THRESHOLD_NEAR]
    assert second.warnings[0].total_micro == 85_000_000
    third = await record(db, fysik, entry("purchase", "2026-04-01", "20", "L"))
    assert [w.kind for w in third.warnings] == [WarningKind.THRESHOLD_EXCEEDED]
    next_year = await record(
        db, kemi, entry("purchase", "2027-01-05", "1", "L"), today=date(2027, 1, 5)
    )
    assert next_year.warnings == []


async def test_registration_status_missing_units_and_deadline(db: Database) -> None:
    units = await setup_org(db, [KEMI, FYSIK])
    karin = await person_id(db, "karin@uni.dk")
    ole = await person_id(db, "ole@uni.dk")
    at = datetime(2026, 5, 2, 9, tzinfo=UTC)
    async with audited(db) as c:
        nothing = await precursor_registrations.register(
            c, units["Kemi"], 2026, actor_id=karin, none_handled=False, at=at
        )
    assert nothing.problem == "precursors.error.nothing_listed"
    await add(db, units["Kemi"], "toluene")
    async with audited(db) as c:
        wrong = await precursor_registrations.register(
            c, units["Kemi"], 2026, actor_id=karin, none_handled=True, at=at
        )
        assert wrong.problem == "precursors.error.none_but_listed"
        assert (
            await precursor_registrations.register(
                c, units["Kemi"], 2026, actor_id=karin, none_handled=False, at=at
            )
        ).changed
        assert (
            await precursor_registrations.register(
                c, units["Fysik"], 2026, actor_id=ole, none_handled=True, at=at
            )
        ).changed
    async with db.reading() as c:
        views = {v.unit: v for v in await precursor_registrations.registrations(c, 2026)}
        missing = [unit.name for unit in await precursor_registrations.units_missing(c, 2026)]
        status = await precursor_registrations.deadline_status(
            c, today=date(2026, 6, 8), deadline="06-15"
        )
        last_year = await precursor_registrations.units_missing(c, 2025)
    assert views["Kemi"].status is RegistrationStatus.SUBSTANCES and views["Kemi"].substances == 1
    assert views["Kemi"].contact == "Karin Kemi"
    assert views["Fysik"].status is RegistrationStatus.NONE
    assert views["Fysik"].contact == "ole@uni.dk"  # no precursor contact: the AMK who answered
    assert views["Aqua"].status is RegistrationStatus.MISSING
    assert "Kemi" not in missing and "Fysik" not in missing and "Aqua" in missing
    assert len(missing) == len(views) - 2
    assert status.days_left == 7 and status.deadline == date(2026, 6, 15)
    assert status.missing_units == missing and status.registered_units == ["Fysik", "Kemi"]
    assert len(last_year) == len(views)
    async with audited(db) as c:
        again = await precursor_registrations.register(
            c, units["Kemi"], 2026, actor_id=karin, none_handled=False, at=at
        )
    assert again.changed
    async with orm_session(db) as session:
        actions = (
            await session.scalars(
                select(AuditEvent.action).where(AuditEvent.action.like("precursors.register%"))
            )
        ).all()
    assert sorted(actions) == [
        "precursors.register",
        "precursors.register",
        "precursors.register.again",
    ]


def test_nothing_in_storage_updates_or_deletes_an_entry() -> None:
    """The ledger is append-only by construction: no function takes an entry to change it."""
    source = Path(precursors.__file__).read_text(encoding="utf-8")
    assert "update(PrecursorEntry" not in source
    assert "delete(PrecursorEntry" not in source
    assert "session.delete(" not in source


async def test_entries_of_names_authors_and_marks_reversals(db: Database) -> None:
    units = await setup_org(db, [KEMI])
    karin = await person_id(db, "karin@uni.dk")
    holding = await add(db, units["Kemi"], "mek")
    bought = await record(db, holding, entry("purchase", "2026-02-01", "2", "L"), actor=karin)
    assert bought.entity_id is not None
    async with audited(db) as c:
        await precursor_entries.reverse(c, bought.entity_id, actor_id=karin, reason="forkert stof")
    async with db.reading() as c:
        pairs = await precursors.entries_of(c, [holding], newest_first=True)
        holdings = (await c.execute(select(func.count()).select_from(PrecursorHolding))).scalar()
    assert holdings == 1
    (_, reversal), (_, purchase) = pairs
    assert reversal.kind is EntryKind.REVERSAL and reversal.reverses_kind is EntryKind.PURCHASE
    assert purchase.reversed and purchase.created_by == "Karin Kemi"
    assert purchase.entered == "2 L" and purchase.declaration_ref == "KE-1"


async def test_year_ledgers_give_the_figures_and_entries_of_the_whole_ledger(
    db: Database,
) -> None:
    """The report's reading (stock before the year summed in SQL, the year row by row)
    agrees with the rules applied to every entry, for years before, in and after the data."""
    units = await setup_org(db, [KEMI, FYSIK])
    karin = await person_id(db, "karin@uni.dk")
    acetic = await add(db, units["Kemi"], "acetic-anhydride", actor=karin)
    mek = await add(db, units["Kemi"], "mek")
    acetone = await add(db, units["Fysik"], "acetone")
    steps = [
        (acetic, entry("opening", "2024-05-01", "1", "L")),
        (acetic, entry("purchase", "2025-02-01", "2500", "mL")),
        (acetic, entry("consumption", "2025-03-01", "0.5", "L")),
        (acetic, entry("count", "2025-06-01", "2.9", "L")),
        (acetic, entry("count", "2025-09-01", "2.95", "L")),
        (acetic, entry("purchase", "2026-01-10", "1", "L")),
        (acetone, entry("purchase", "2024-01-15", "10", "L")),
        (acetone, entry("transfer", "2025-09-01", "2.5", "L", counterparty="DTU")),
    ]
    ids: list[int] = []
    for holding, form in steps:
        outcome = await record(db, holding, form, actor=karin, today=date(2026, 6, 30))
        assert outcome.changed and outcome.entity_id is not None, outcome
        ids.append(outcome.entity_id)
    async with audited(db) as c:
        for wrong in (ids[2], ids[4]):  # the consumption and the later count
            assert (
                await precursor_entries.reverse(c, wrong, actor_id=karin, reason="fejl")
            ).changed
    async with db.reading() as c:
        lines = await precursors.lines_of(c, [acetic, mek, acetone])
        for year in (2023, 2024, 2025, 2026, 2027):
            ledgers = await precursor_ledgers.year_ledgers(c, [units["Kemi"], units["Fysik"]], year)
            for holding, whole in lines.items():
                assert year_figures(ledgers.lines[holding], year) == year_figures(whole, year)
            assert [view.id for view in ledgers.holdings[units["Kemi"]]] == [
                view.id for view in await precursors.holdings_of(c, units["Kemi"])
            ]
            for unit_id in (units["Kemi"], units["Fysik"]):
                views = await precursors.holdings_of(c, unit_id)
                assert ledgers.holdings[unit_id] == views
                expected = await precursors.entries_of(
                    c,
                    [view.id for view in views],
                    start=date(year, 1, 1),
                    end=date(year, 12, 31),
                )
                assert ledgers.entries[unit_id] == expected
        ledgers = await precursor_ledgers.year_ledgers(c, [units["Kemi"]], 2025)
    # 2025: 1 L carried in, 2.5 L bought, the consumption and the September count reversed.
    figures = year_figures(ledgers.lines[acetic], 2025)
    assert (figures.opening, figures.purchases, figures.consumption) == (1_000_000, 2_500_000, 0)
    assert figures.count_date == date(2025, 6, 1) and figures.difference == -600_000
    kinds = [(entry.kind, entry.reversed) for _, entry in ledgers.entries[units["Kemi"]]]
    assert kinds == [
        (EntryKind.PURCHASE, False),
        (EntryKind.CONSUMPTION, True),
        (EntryKind.REVERSAL, False),
        (EntryKind.COUNT, False),
        (EntryKind.COUNT, True),
        (EntryKind.REVERSAL, False),
    ]
    assert ledgers.holdings[units["Kemi"]][0].stock_micro == 4_500_000
