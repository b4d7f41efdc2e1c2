"""Precursor workbooks read back with openpyxl, opened by LibreOffice, and the import."""

from __future__ import annotations

import asyncio
import os
import shutil
import subprocess
import time
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select

from bot.__main__ import main
from bot.app import prepare_database
from domain.i18n import Lang
from domain.org import UnknownUnit
from domain.precursor_ledger import EntryView, YearFigures, year_figures
from reports.precursor_import import IMPORT_COLUMNS, write_template
from reports.precursors import UNIT_COLUMNS
from services.precursor_workbooks import export_all, export_unit, import_file
from storage import audit, org, precursor_entries, precursor_registrations, precursors
from storage.db import Database
from storage.models import AuditEvent
from storage.precursor_models import PrecursorEntry, PrecursorHolding
from tests.support.databases import orm_session
from tests.support.precursors import add, entry, person_id, record, setup_org

KEMI = {
    "name": "Kemi",
    "precursor_contact": [{"upn": "karin@uni.dk", "name": "Karin Kemi"}],
}
FYSIK = {"name": "Fysik", "amk": [{"upn": "ole@uni.dk", "name": "Ole Olsen"}]}
TODAY = date(2026, 12, 31)
DISCREPANCY = "F8CBAD"


async def _populate(db: Database) -> dict[str, int]:
    """Kemi: acetic anhydride (opening, purchase, consumption, a count 50 mL short) and
    piperonal; Fysik: acetone. Kemi registered; Fysik did not."""
    units = await setup_org(db, [KEMI, FYSIK])
    karin = await person_id(db, "karin@uni.dk")
    acetic = await add(db, units["Kemi"], "acetic-anhydride", actor=karin)
    piperonal = await add(db, units["Kemi"], "piperonal", actor=karin)
    acetone = await add(db, units["Fysik"], "acetone")
    steps = [
        (acetic, entry("opening", "2025-11-01", "1", "L")),
        (acetic, entry("purchase", "2026-02-01", "2500", "mL")),
        (acetic, entry("consumption", "2026-03-01", "1080", "g")),
        (acetic, entry("count", "2026-06-01", "2.45", "L")),
        (piperonal, entry("purchase", "2026-04-01", "250", "g")),
        (acetone, entry("purchase", "2026-01-15", "10", "L", declaration_ref=None)),
        (acetone, entry("transfer", "2026-09-01", "2.5", "L", counterparty="DTU Aqua")),
        (acetone, entry("count", "2026-12-01", "7.5", "L")),
    ]
    for holding, form in steps:
        outcome = await record(db, holding, form, actor=karin, today=TODAY)
        assert outcome.changed, outcome
    wrong = await record(db, acetone, entry("disposal", "2026-10-01", "1", "L"), today=TODAY)
    assert wrong.entity_id is not None
    async with audit.audited(db) as connection:
        await precursor_entries.reverse(
            connection, wrong.entity_id, actor_id=karin, reason="fejltastning"
        )
        await precursor_registrations.register(
            connection,
            units["Kemi"],
            2026,
            actor_id=karin,
            none_handled=False,
            at=datetime(2026, 5, 2, 9, tzinfo=UTC),
        )
    return units


def _rows(sheet: Any) -> list[list[Any]]:
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def _by_name(sheet: Any) -> dict[str, list[Any]]:
    rows = _rows(sheet)
    return {row[1]: row for row in rows[1:]}


async def test_unit_report_has_the_year_per_substance_with_types_and_highlights(
    db: Database, tmp_path: Path
) -> None:
    await _populate(db)
    out = tmp_path / "kemi.xlsx"
    assert await export_unit(db, "kemi", 2026, out) == 2
    workbook = load_workbook(out)
    assert workbook.sheetnames == ["Kemi 2026", "Posteringer", "Om rapporten"]
    sheet = workbook["Kemi 2026"]
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:R3"
    header = [cell.value for cell in sheet[1]]
    assert header == [name for name, _ in UNIT_COLUMNS]
    assert all(cell.font.b for cell in sheet[1])
    acetic = _by_name(sheet)["Eddikesyreanhydrid"]
    assert acetic[:5] == ["2A", "Eddikesyreanhydrid", "108-24-7", "2915 24 00", "L"]
    opening, bought, used, disposed, given, closing = acetic[5:11]
    assert (opening, bought, used, disposed, given, closing) == (1, 2.5, 1, 0, 0, 2.5)
    assert all(isinstance(value, int | float) for value in acetic[5:11])
    assert acetic[11] == datetime(2026, 6, 1)  # a real date
    assert acetic[12] == pytest.approx(2.45) and acetic[13] == pytest.approx(2.5)
    assert acetic[14] == pytest.approx(-0.05)
    row = next(r for r in sheet.iter_rows(min_row=2) if r[1].value == "Eddikesyreanhydrid")
    assert row[0].fill.fgColor.rgb.endswith(DISCREPANCY)
    assert row[6].number_format == '#,##0.000 "L"'
    assert row[11].number_format == "dd-mm-yyyy"
    piperonal = _by_name(sheet)["Piperonal"]
    assert piperonal[0] == "1" and piperonal[6] == 0.25 and piperonal[12] is None
    other = next(r for r in sheet.iter_rows(min_row=2) if r[1].value == "Piperonal")
    assert other[6].number_format == '#,##0.000 "kg"'
    assert other[0].fill.fgColor.rgb in (None, "00000000")
    entries = _rows(workbook["Posteringer"])
    assert len(entries) == 1 + 4  # the opening stock is from 2025
    kinds = [row[5] for row in entries[1:]]
    assert kinds == ["Køb", "Forbrug", "Køb", "Optælling"]
    assert entries[2][4] == datetime(2026, 3, 1) and entries[2][8] == "1080 g"
    assert entries[2][7] == pytest.approx(-1) and entries[2][6] == pytest.approx(1)
    about = {row[0]: row[1] for row in _rows(workbook["Om rapporten"])}
    assert about["Kontaktperson"] == "Karin Kemi"
    assert about["Kontaktpersonens e-mail"] == "karin@uni.dk"
    assert about["Stoffer med afvigelse ved optælling"] == 1
    assert about["År"] == 2026
    with pytest.raises(UnknownUnit):
        await export_unit(db, "Atlantis", 2026, out)


async def test_roll_up_has_a_summary_categories_units_and_a_sheet_per_unit(
    db: Database, tmp_path: Path
) -> None:
    await _populate(db)
    out = tmp_path / "all.xlsx"
    assert await export_all(db, 2026, out, licence="") == 2
    workbook = load_workbook(out)
    assert workbook.sheetnames == [
        "Oversigt",
        "Kategorier",
        "Enheder",
        "Fysik",
        "Kemi",
        "Posteringer",
        "Om rapporten",
    ]
    for name in workbook.sheetnames[:-1]:
        assert workbook[name].freeze_panes == "A2", name
        assert workbook[name].auto_filter.ref, name
    summary = _by_name(workbook["Oversigt"])
    assert set(summary) == {"Eddikesyreanhydrid", "Piperonal", "Acetone"}
    acetone = summary["Acetone"]
    # 10 L bought, 2.5 L transferred, the wrong 1 L disposal reversed: 7.5 L, counted 7.5 L
    assert acetone[5] == 1 and acetone[7] == 10 and acetone[10] == 2.5 and acetone[11] == 7.5
    assert acetone[9] == 0 and acetone[12] is None and acetone[13] is None
    acetic = summary["Eddikesyreanhydrid"]
    assert acetic[12] == pytest.approx(-0.05) and acetic[13] == "Kemi"
    assert acetic[14] == 100
    assert "kategori 1" in (summary["Piperonal"][15] or "").lower()
    categories = _rows(workbook["Kategorier"])
    assert categories[0][:2] == ["Kategori", "Enhed"]
    assert [row[:3] for row in categories[1:]] == [["1", "kg", 1], ["2A", "L", 1], ["3", "L", 1]]
    units = {row[0]: row for row in _rows(workbook["Enheder"])[1:]}
    assert len(units) == 31
    assert units["Kemi"][1] == "Stofliste indberettet" and units["Kemi"][2] == "Karin Kemi"
    assert units["Kemi"][3] == "karin@uni.dk" and units["Kemi"][4] == datetime(2026, 5, 2, 11)
    assert units["Kemi"][7] == 1
    assert units["Fysik"][1] == "Mangler" and units["Fysik"][2] == "Ole Olsen"
    assert units["Aqua"][6] == 0
    kemi_row = next(r for r in workbook["Enheder"].iter_rows(min_row=2) if r[0].value == "Kemi")
    assert kemi_row[0].fill.fgColor.rgb.endswith(DISCREPANCY)
    assert _by_name(workbook["Fysik"])["Acetone"][10] == 7.5
    reversal = [row for row in _rows(workbook["Posteringer"]) if row[5] and "Tilbage" in row[5]]
    assert reversal and reversal[0][5] == "Tilbageføring af bortskaffelse"
    assert reversal[0][15] == "fejltastning" and reversal[0][7] == 1


async def test_an_export_opens_in_libreoffice(db: Database, tmp_path: Path) -> None:
    """Real spreadsheet software accepts the roll-up: LibreOffice converts it to PDF."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        if os.environ.get("CI"):
            pytest.fail(
                "soffice is missing; CI must run: apt-get install -y --no-install-recommends "
                "libreoffice-calc"
            )
        pytest.skip(
            "LibreOffice (soffice) is not installed: apt-get install -y "
            "--no-install-recommends libreoffice-calc"
        )
    await _populate(db)
    workbook = tmp_path / "prækursorer-2026.xlsx"
    await export_all(db, 2026, workbook)
    profile = tmp_path / "lo-profile"
    started = time.monotonic()
    result = await asyncio.to_thread(
        subprocess.run,
        [
            soffice,
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(workbook),
        ],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    pdf = tmp_path / "prækursorer-2026.pdf"
    assert result.returncode == 0, result.stderr
    assert pdf.exists() and pdf.read_bytes().startswith(b"%PDF"), result.stdout
    assert pdf.stat().st_size > 5000
    assert time.monotonic() - started < 180


# -- import ------------------------------------------------------------------------------------


def _sheet(path: Path, rows: list[list[Any]], header: list[str] | None = None) -> Path:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Posteringer"
    sheet.append(header or [name for name, _ in IMPORT_COLUMNS])
    for row in rows:
        sheet.append(row)
    workbook.save(path)
    return path


GOOD_ROWS: list[list[Any]] = [
    [
        "Kemi",
        "108-24-7",
        "startbeholdning",
        date(2025, 12, 31),
        1,
        "L",
        None,
        None,
        None,
        None,
        "Bygning 207, giftskab 2",
        "98 %",
    ],
    [
        "Kemi",
        "Eddikesyreanhydrid",
        "køb",
        date(2026, 2, 1),
        2500,
        "mL",
        "Sigma-Aldrich",
        "KE-2026-4",
        "F-88123",
        None,
        None,
        None,
    ],
    [
        "kemi",
        "acetic anhydride",
        "consumption",
        "01-03-2026",
        "0,5",
        "l",
        None,
        None,
        None,
        "Acetylering",
        None,
        None,
    ],
    ["Fysik", "Toluen", "køb", "2026-04-01", 5, "L", "VWR", None, None, None, "Kælder, K12", None],
    [
        "Fysik",
        "toluene",
        "optælling",
        date(2026, 5, 1),
        4.9,
        "L",
        None,
        None,
        None,
        None,
        None,
        None,
    ],
]


async def test_a_good_sheet_is_imported_whole(db: Database, tmp_path: Path) -> None:
    await setup_org(db, [KEMI, FYSIK])
    path = _sheet(tmp_path / "good.xlsx", GOOD_ROWS)
    checked = await import_file(db, path, actor="test", today=TODAY, check_only=True)
    assert checked.errors == [] and not checked.written and checked.entries == 5
    async with orm_session(db) as session:
        assert await session.scalar(select(func.count()).select_from(PrecursorEntry)) == 0
    outcome = await import_file(db, path, actor="cli:test", today=TODAY)
    assert outcome.errors == [] and outcome.written
    assert (outcome.entries, outcome.holdings_added, outcome.units) == (5, 2, ["Fysik", "Kemi"])
    async with orm_session(db) as session:
        rows = (await session.scalars(select(PrecursorEntry).order_by(PrecursorEntry.id))).all()
        holdings = (await session.scalars(select(PrecursorHolding))).all()
        audited = await session.scalar(select(func.count()).where(AuditEvent.actor == "cli:test"))
    assert [row.kind for row in rows] == ["opening", "purchase", "consumption", "purchase", "count"]
    assert [row.quantity_micro for row in rows] == [
        1_000_000,
        2_500_000,
        500_000,
        5_000_000,
        4_900_000,
    ]
    assert {row.source for row in rows} == {"import"}
    assert sorted(h.storage_location for h in holdings) == [
        "Bygning 207, giftskab 2",
        "Kælder, K12",
    ]
    assert audited == 5 + 2 + 1


async def test_a_sheet_with_errors_writes_nothing_and_says_which_rows(
    db: Database, tmp_path: Path
) -> None:
    await setup_org(db, [KEMI, FYSIK])
    bad = [list(row) for row in GOOD_ROWS]
    bad[1][7] = None  # a category 2A purchase without customer declaration
    bad[2][4] = "5"  # consumes more than there is
    bad.append(
        [
            "Atlantis",
            "acetone",
            "køb",
            date(2026, 1, 1),
            1,
            "L",
            "VWR",
            None,
            None,
            None,
            "X1",
            None,
        ]
    )
    bad.append(
        ["Kemi", "chloroform", "køb", date(2026, 1, 1), 1, "L", "VWR", None, None, None, "X1", None]
    )
    bad.append(
        ["Kemi", "acetone", "lån", date(2026, 1, 1), 1, "L", None, None, None, None, "X1", None]
    )
    bad.append(
        [
            "Kemi",
            "piperonal",
            "køb",
            date(2026, 1, 1),
            10,
            "mL",
            "VWR",
            "KE-9",
            None,
            None,
            None,
            None,
        ]
    )
    bad.append(
        [
            "Kemi",
            "chloroephedrine",
            "køb",
            date(2026, 1, 1),
            1,
            "g",
            "VWR",
            "KE-9",
            None,
            None,
            "X",
            None,
        ]
    )
    bad.append(
        ["Kemi", "acetone", "køb", date(2027, 1, 1), 1, "L", "VWR", None, None, None, "X1", None]
    )
    path = _sheet(tmp_path / "bad.xlsx", bad)
    outcome = await import_file(db, path, actor="test", today=TODAY, lang=Lang.DA)
    assert not outcome.written
    text = "\n".join(outcome.errors)
    expected = [
        "række 3: Køb af kategori 1 og 2 kræver en kundeerklæring",
        "række 7: enheden «Atlantis» findes ikke i AMK-bot",
        "række 8: «chloroform» står ikke på listen",
        "række 9: typen «lån» kendes ikke",
        "række 10: Stoffet indberettes i kg, og kataloget har ingen massefylde",
        "række 11: «chloroephedrine» passer på flere stoffer",
        "række 12: Datoen kan ikke ligge i fremtiden.",
    ]
    for line in expected:
        assert line in text, text
    # the purchase in row 3 is refused, so the consumption in row 4 overdraws the opening stock
    assert (
        "række 4: beholdningen af Eddikesyreanhydrid i Kemi bliver negativ den 1. marts 2026 "
        "(-4 L)" in text
    )
    async with orm_session(db) as session:
        assert await session.scalar(select(func.count()).select_from(PrecursorEntry)) == 0
        assert await session.scalar(select(func.count()).select_from(PrecursorHolding)) == 0


async def test_the_import_checks_the_balance_against_the_stored_ledger(
    db: Database, tmp_path: Path
) -> None:
    units = await setup_org(db, [KEMI])
    holding = await add(db, units["Kemi"], "toluene")
    await record(db, holding, entry("purchase", "2026-01-10", "1", "L"), today=TODAY)
    rows = [
        [
            "Kemi",
            "toluen",
            "forbrug",
            date(2026, 1, 5),
            0.5,
            "L",
            None,
            None,
            None,
            "Før købet",
            None,
            None,
        ],
        [
            "Kemi",
            "toluen",
            "forbrug",
            date(2026, 2, 5),
            0.5,
            "L",
            None,
            None,
            None,
            "Efter købet",
            None,
            None,
        ],
        [
            "Kemi",
            "toluen",
            "startbeholdning",
            date(2025, 1, 1),
            1,
            "L",
            None,
            None,
            None,
            None,
            None,
            None,
        ],
    ]
    outcome = await import_file(
        db, _sheet(tmp_path / "x.xlsx", rows), actor="t", today=TODAY, lang=Lang.DA
    )
    text = "\n".join(outcome.errors)
    assert (
        "række 2: beholdningen af Toluen i Kemi bliver negativ den 5. januar 2026 (-0,5 L)" in text
    )
    assert "række 4: Der er allerede posteringer på stoffet" in text
    fixed = await import_file(db, _sheet(tmp_path / "y.xlsx", rows[1:2]), actor="t", today=TODAY)
    assert fixed.written and fixed.holdings_added == 0


async def test_wrong_headings_or_an_empty_sheet_are_explained(db: Database, tmp_path: Path) -> None:
    await setup_org(db, [KEMI])
    wrong = _sheet(tmp_path / "w.xlsx", GOOD_ROWS, header=["Unit", "Substance"])
    outcome = await import_file(db, wrong, actor="t", today=TODAY)
    assert "The first row must be the template's headings" in outcome.errors[0]
    empty = _sheet(tmp_path / "e.xlsx", [])
    assert (
        "no entries below the headings"
        in (await import_file(db, empty, actor="t", today=TODAY)).errors[0]
    )
    not_excel = tmp_path / "n.xlsx"
    not_excel.write_text("hello", encoding="utf-8")
    assert (
        "cannot be read as an Excel workbook"
        in (await import_file(db, not_excel, actor="t", today=TODAY)).errors[0]
    )


async def test_the_template_round_trips(db: Database, tmp_path: Path) -> None:
    await setup_org(db, [KEMI])
    async with db.reading() as connection:
        substances = await precursors.substances(connection)
    path = tmp_path / "template.xlsx"
    write_template(path, substances)
    workbook = load_workbook(path)
    assert workbook.sheetnames == ["Posteringer", "Vejledning", "Stoffer"]
    sheet = workbook["Posteringer"]
    assert [cell.value for cell in sheet[1]] == [name for name, _ in IMPORT_COLUMNS]
    assert sheet.max_row == 1 or all(cell.value is None for cell in sheet[2])
    validations = {str(v.sqref): v.formula1 for v in sheet.data_validations.dataValidation}
    assert (
        validations["C2:C5000"]
        == '"startbeholdning,køb,forbrug,bortskaffelse,overdragelse,optælling"'
    )
    assert validations["F2:F5000"] == '"g,kg,mL,L"'
    listed = _rows(workbook["Stoffer"])
    assert len(listed) == 1 + 49
    for row in GOOD_ROWS[:2]:
        sheet.append(row)
    workbook.save(path)
    outcome = await import_file(db, path, actor="t", today=TODAY)
    assert outcome.written and outcome.entries == 2


# -- command line --------------------------------------------------------------------------------


def test_the_commands(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    database = f"sqlite+aiosqlite:///{tmp_path / 'cli.db'}"
    monkeypatch.setenv("DATABASE_URL", database)
    monkeypatch.setenv("PRECURSOR_LICENCE", "Toldstyrelsen TS-2024-17")
    monkeypatch.chdir(tmp_path)

    async def populate() -> None:
        db = Database(database)
        try:
            await prepare_database(db)
            await _populate(db)
        finally:
            await db.dispose()

    asyncio.run(populate())
    assert (
        main(["export", "precursors", "--unit", "Kemi", "--year", "2026", "--out", "kemi.xlsx"])
        == 0
    )
    assert "2 precursors of Kemi in 2026" in capsys.readouterr().out
    assert main(["export", "precursors", "--all", "--year", "2026", "--out", "all.xlsx"]) == 0
    about = {row[0]: row[1] for row in _rows(load_workbook("all.xlsx")["Om rapporten"])}
    assert about["Universitetets tilladelse (kategori 1)"] == "Toldstyrelsen TS-2024-17"
    assert (
        main(["export", "precursors", "--unit", "Atlantis", "--year", "2026", "--out", "x.xlsx"])
        == 2
    )
    with pytest.raises(SystemExit):
        main(["export", "precursors", "--year", "2026", "--out", "x.xlsx"])
    assert main(["precursors", "template", "--out", "template.xlsx"]) == 0
    assert Path("template.xlsx").exists()
    _sheet(
        Path("bad.xlsx"),
        [["Kemi", "acetone", "lån", date(2026, 1, 1), 1, "L", None, None, None, None, "X", None]],
    )
    capsys.readouterr()
    assert main(["precursors", "import", "bad.xlsx", "--lang", "da"]) == 1
    err = capsys.readouterr().err
    assert "række 2: typen «lån» kendes ikke" in err and "intet er gemt" in err
    _sheet(
        Path("good.xlsx"),
        [
            [
                "Fysik",
                "acetone",
                "forbrug",
                date(2026, 1, 20),
                0.5,
                "L",
                None,
                None,
                None,
                "Rengøring",
                None,
                None,
            ]
        ],
    )
    assert main(["precursors", "import", "good.xlsx", "--check"]) == 0
    assert "checked only" in capsys.readouterr().out
    assert main(["precursors", "import", "good.xlsx"]) == 0
    assert "1 entries imported for Fysik" in capsys.readouterr().out


# -- the roll-up on a seeded decade ------------------------------------------------------------


def _micro(value: Any) -> int:
    assert isinstance(value, int | float), value
    return round(value * 1_000_000)


async def test_the_roll_up_of_a_seeded_decade_shows_each_ledger_cell_by_cell(
    db: Database, tmp_path: Path
) -> None:
    """Every unit sheet row is the rules applied to the holding's whole ledger, every entry
    of the year is listed with its unit's order, and each cell has its number format: dates
    as dates, quantities in the substance's unit, discrepancies filled; nothing else styled."""
    from bench.volume import seed

    await seed(db, scale=0.03, until=datetime(2026, 11, 25, 10, tzinfo=UTC))
    year = 2025
    out = tmp_path / "all.xlsx"
    sheets = await export_all(db, year, out)
    async with db.reading() as connection:
        units = await org.list_units(connection, only_active=False)
        expected_units = []
        expected_entries: list[tuple[str, EntryView, str]] = []
        figures: dict[tuple[str, str], YearFigures] = {}
        for unit in units:
            holdings = await precursors.holdings_of(connection, unit.id, include_inactive=True)
            lines = await precursors.lines_of(connection, [view.id for view in holdings])
            shown = False
            for view in holdings:
                year_of = year_figures(lines[view.id], year)
                if view.active or year_of.handled or year_of.closing:
                    figures[(unit.name, view.substance.name_da)] = year_of
                    shown = True
            if not shown:
                continue
            expected_units.append(unit.name)
            unit_of = {view.id: view.substance.report_unit.value for view in holdings}
            expected_entries += [
                (unit.name, found, unit_of[holding_id])
                for holding_id, found in await precursors.entries_of(
                    connection,
                    list(unit_of),
                    start=date(year, 1, 1),
                    end=date(year, 12, 31),
                )
            ]
    assert sheets == len(expected_units) > 5
    workbook = load_workbook(out)
    assert workbook.sheetnames == [
        "Oversigt",
        "Kategorier",
        "Enheder",
        *expected_units,
        "Posteringer",
        "Om rapporten",
    ]

    def plain(cell: Any) -> bool:
        return cell.number_format == "General" and cell.fill.fill_type is None and not cell.font.b

    quantity = (5, 6, 7, 8, 9, 10, 12, 13, 14)
    discrepant = 0
    for name in expected_units:
        rows = list(workbook[name].iter_rows(min_row=2))
        assert len(rows) == sum(1 for unit, _ in figures if unit == name)
        for row in rows:
            year_of = figures[(name, str(row[1].value))]
            shown_in = row[4].value
            assert [_micro(cell.value) for cell in row[5:11]] == [
                year_of.opening,
                year_of.purchases,
                year_of.consumption,
                year_of.disposal,
                year_of.transfers,
                year_of.closing,
            ]
            assert row[11].value == (
                datetime.combine(year_of.count_date, datetime.min.time())
                if year_of.count_date
                else None
            )
            if year_of.counted is not None:
                assert row[11].number_format == "dd-mm-yyyy"
                assert _micro(row[14].value) == year_of.difference
            for index in quantity:
                if row[index].value is not None:
                    assert row[index].number_format == f'#,##0.000 "{shown_in}"'
            filled = [cell.fill.fgColor.rgb.endswith(DISCREPANCY) for cell in row]
            assert filled == [year_of.has_discrepancy] * len(row)
            assert row[14].font.b is year_of.has_discrepancy
            discrepant += year_of.has_discrepancy
            assert all(plain(row[index]) for index in (0, 1, 2, 3, 4, 16, 17) if not filled[0])
    assert discrepant > 0

    rows = list(workbook["Posteringer"].iter_rows(min_row=2))
    assert len(rows) == len(expected_entries) > 100
    for row, (name, item, report_unit) in zip(rows, expected_entries, strict=True):
        assert [row[0].value, row[3].value] == [name, item.id]
        assert row[4].value == datetime.combine(item.entry_date, datetime.min.time())
        assert row[4].number_format == "dd-mm-yyyy"
        assert _micro(row[6].value) == item.quantity_micro
        assert abs(_micro(row[7].value)) in (0, item.quantity_micro)
        assert row[6].number_format == row[7].number_format == f'#,##0.000 "{report_unit}"'
        assert (row[14].value == "Ja") is item.reversed
        assert row[17].value is not None and row[17].number_format == "dd-mm-yyyy hh:mm"
        others = [cell for index, cell in enumerate(row) if index not in (4, 6, 7, 17)]
        assert all(plain(cell) for cell in others if len(str(cell.value or "")) <= 40)
