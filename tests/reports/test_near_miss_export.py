"""`python -m bot export near-miss --year Y --out F.xlsx`: the register and the statistics,
opened again with openpyxl to check values, types and the register formatting."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from bot.__main__ import main
from bot.app import prepare_database
from domain.near_miss_forms import ActionForm, NearMissForm
from domain.org import Role
from services.near_miss_export import export_year
from storage import near_miss, near_miss_follow_up, org
from storage.audit import audited
from storage.db import Database

HEADERS = [
    "Nummer",
    "Indberettet",
    "Tidspunkt for hændelsen",
    "Enhed",
    "Campus/sted",
    "Bygning",
    "Lokale",
    "Kategori",
    "Potentiel alvor",
    "Beskrivelse",
    "Gjort med det samme",
    "Forslag til forebyggelse",
    "Link til fotos",
    "Personskade",
    "Anonym",
    "Indberetter",
    "Status",
    "Modtaget",
    "Undersøges af",
    "Tiltag i alt",
    "Åbne tiltag",
    "Lukket",
    "Konklusion",
]


def _form(unit_id: int, **changes: Any) -> NearMissForm:
    value: dict[str, Any] = {
        "unit_id": unit_id,
        "occurred_date": "2026-02-10",
        "occurred_time": "08:00",
        "campus": "Lyngby",
        "building": "101",
        "description": "Palle stak ud i gangen ved varemodtagelsen.",
        "category": "slip_trip_fall",
        "severity": "minor",
        "injured": False,
        "anonymous": False,
    }
    value.update(changes)
    return NearMissForm.model_validate(value)


async def _fill(db: Database) -> None:
    """2026: a named report (acknowledged, one action, closed), an anonymous one; 2025: one."""
    async with audited(db) as connection:
        units = {u.name: u for u in await org.list_units(connection)}
        amk = await org.upsert_person(
            connection, aad_object_id=None, upn="amk@uni.dk", name="Per AMK"
        )
        mette = await org.upsert_person(
            connection, aad_object_id=None, upn="mette@uni.dk", name="Mette Hansen"
        )
        await org.assign_role(
            connection, actor="test", unit=units["Kemi"], person=amk, role=Role.AMK
        )
    async with audited(db) as connection:
        named, _ = await near_miss.submit(
            connection,
            _form(units["Kemi"].id),
            reporter_id=mette.id,
            now=datetime(2026, 2, 10, 9, 30, tzinfo=UTC),
        )
        await near_miss.submit(
            connection,
            _form(
                units["Fysik"].id,
                anonymous=True,
                category="electrical",
                severity="life_threatening",
                injured=True,
                occurred_date="2026-05-03",
            ),
            reporter_id=mette.id,
            now=datetime(2026, 5, 4, 12, 0, tzinfo=UTC),
        )
        await near_miss.submit(
            connection,
            _form(units["Kemi"].id, occurred_date="2025-12-01"),
            reporter_id=mette.id,
            now=datetime(2025, 12, 1, 12, 0, tzinfo=UTC),
        )
        named_id = named.id
    async with audited(db) as connection:
        await near_miss_follow_up.acknowledge(
            connection, named_id, actor_id=amk.id, now=datetime(2026, 2, 10, 15, 30, tzinfo=UTC)
        )
    async with audited(db) as connection:
        outcome = await near_miss_follow_up.add_action(
            connection,
            named_id,
            actor_id=amk.id,
            form=ActionForm(
                action_description="Afmærk pladsen til paller",
                action_owner="mette@uni.dk",
                action_due=date(2026, 2, 20),
            ),
            now=datetime(2026, 2, 11, 9, 0, tzinfo=UTC),
        )
        assert outcome.action is not None
        action_id = outcome.action.id
    async with audited(db) as connection:
        await near_miss_follow_up.complete_action(
            connection, action_id, actor_id=mette.id, now=datetime(2026, 2, 18, 10, 0, tzinfo=UTC)
        )
    async with audited(db) as connection:
        await near_miss_follow_up.close(
            connection,
            named_id,
            actor_id=amk.id,
            conclusion="Pladsen er afmærket med gul tape.",
            now=datetime(2026, 2, 20, 9, 30, tzinfo=UTC),
        )


def _stats(sheet: Any) -> dict[str, Any]:
    return {row[0]: row[1] for row in sheet.iter_rows(values_only=True) if row and row[0]}


def _check(path: Path) -> None:
    workbook = load_workbook(path)
    assert workbook.sheetnames == ["Nærved-hændelser", "Tiltag", "Statistik"]
    register = workbook["Nærved-hændelser"]
    assert register.freeze_panes == "A2"
    assert register.auto_filter.ref == "A1:W3"
    assert [cell.value for cell in register[1]] == HEADERS
    assert register.column_dimensions["J"].width == 60
    rows = list(register.iter_rows(min_row=2, values_only=True))
    assert [row[0] for row in rows] == ["NM-2026-0001", "NM-2026-0002"]
    named, anonymous = (dict(zip(HEADERS, row, strict=True)) for row in rows)
    assert named["Indberettet"] == datetime(2026, 2, 10, 10, 30)  # Copenhagen wall clock
    assert named["Tidspunkt for hændelsen"] == datetime(2026, 2, 10, 8, 0)
    assert register["B2"].number_format == "dd-mm-yyyy hh:mm"
    assert named["Indberetter"] == "Mette Hansen" and named["Anonym"] == "Nej"
    assert (
        named["Status"] == "Lukket" and named["Konklusion"] == "Pladsen er afmærket med gul tape."
    )
    assert named["Tiltag i alt"] == 1 and named["Åbne tiltag"] == 0
    assert named["Kategori"] == "Fald, glid eller snublen"
    assert anonymous["Indberetter"] is None and anonymous["Anonym"] == "Ja"
    assert anonymous["Personskade"] == "Ja" and anonymous["Potentiel alvor"] == "Livstruende"
    assert anonymous["Modtaget"] is None and anonymous["Enhed"] == "Fysik"
    actions = workbook["Tiltag"]
    assert actions.freeze_panes == "A2"
    (action,) = list(actions.iter_rows(min_row=2, values_only=True))
    assert action[:5] == (
        "NM-2026-0001",
        "Afmærk pladsen til paller",
        "Mette Hansen",
        datetime(2026, 2, 20),
        "Udført",
    )
    assert actions["D2"].number_format == "dd-mm-yyyy"
    statistics = workbook["Statistik"]
    assert statistics.freeze_panes == "A3"
    figures = _stats(statistics)
    assert figures["Indberetninger i alt"] == 2
    assert figures["Heraf anonyme"] == 1 and figures["Heraf med personskade"] == 1
    assert figures["Median tid til modtagelse (timer)"] == 6.0
    assert figures["Median tid til lukning (dage)"] == 10.0
    assert figures["Kemi"] == 1 and figures["Fysik"] == 1
    assert figures["El og elektriske installationer"] == 1 and figures["Andet"] == 0
    assert figures["1. kvartal 2026"] == 1 and figures["2. kvartal 2026"] == 1
    assert figures["4. kvartal 2026"] == 0 and "4. kvartal 2025" not in figures
    assert figures["Lukket"] == 1 and figures["Indberettet"] == 1
    assert isinstance(figures["Indberetninger i alt"], int)
    text = " ".join(str(v) for row in statistics.iter_rows(values_only=True) for v in row if v)
    assert "Mette" not in text


def test_the_cli_writes_register_and_statistics(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import asyncio

    database = tmp_path / "nm.db"
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{database}")

    async def fill() -> None:
        db = Database(f"sqlite:///{database}")
        try:
            await prepare_database(db)
            await _fill(db)
        finally:
            await db.dispose()

    asyncio.run(fill())
    out = tmp_path / "kamu" / "naerved-2026.xlsx"
    assert main(["export", "near-miss", "--year", "2026", "--out", str(out)]) == 0
    assert "2 near-miss reports from 2026" in capsys.readouterr().out
    _check(out)


async def test_export_on_each_database(db: Database, tmp_path: Path) -> None:
    await _fill(db)
    out = tmp_path / "register.xlsx"
    assert await export_year(db, 2026, out) == 2
    _check(out)


async def test_an_empty_year_still_gives_a_workbook(db: Database, tmp_path: Path) -> None:
    out = tmp_path / "empty.xlsx"
    assert await export_year(db, 2031, out) == 0
    workbook = load_workbook(out)
    register = workbook["Nærved-hændelser"]
    assert [cell.value for cell in register[1]] == HEADERS
    assert register.max_row == 1
    assert _stats(workbook["Statistik"])["Indberetninger i alt"] == 0
    assert _stats(workbook["Statistik"])["Median tid til modtagelse (timer)"] is None
