"""`python -m bot export work-accidents --year Y [--unit U] --out F.xlsx`: the register and
the statistics for KAMU, read back with openpyxl and rendered by LibreOffice.

The year: Kemi has four accidents (one on 31 March 23:30 and one on 1 April 00:30 Copenhagen
time, a psychological one, one whose EASY deadline has passed), Fysik two (a physical one on
New Year's Eve 23:30, a psychological one that the small-number rule leaves out), and Fysik
has one on 1 January 2027 00:30 (still 2026 in UTC) that belongs to 2027."""

from __future__ import annotations

import asyncio
import os
import shutil
import subprocess
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from bot.__main__ import main
from bot.app import prepare_database
from domain.i18n import COPENHAGEN
from domain.near_miss_forms import ActionForm
from domain.org import UnknownUnit
from domain.work_accident import EasyStatus, easy_deadline
from domain.work_accident_forms import WorkAccidentForm
from services.work_accident_export import export_year
from storage import org, work_accident, work_accident_learning
from storage.audit import audited
from storage.db import Database

PSYCHOLOGICAL_TEXT = "Truet af en besøgende i receptionen"
ACTION = "Kassér revnede kolber"


def _form(unit_id: int, when: datetime, **changes: Any) -> WorkAccidentForm:
    value: dict[str, Any] = {
        "injured_party": "employee",
        "reporter_role": "injured",
        "unit_id": unit_id,
        "occurred_date": when.date().isoformat(),
        "occurred_time": when.strftime("%H:%M"),
        "place": "Lyngby, bygning 207",
        "description": "Skar mig på en knust kolbe ved opvasken.",
        "injury_kind": "physical",
        "absence": "no",
        "claim": "no",
    }
    value.update(changes)
    return WorkAccidentForm.model_validate(value)


def _cph(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=COPENHAGEN)  # type: ignore[misc]


async def _fill(db: Database) -> None:
    async with audited(db) as connection:
        units = {unit.name: unit.id for unit in await org.list_units(connection)}
        ida = await org.upsert_person(
            connection, aad_object_id=None, upn="ida@uni.dk", name="Ida Skadet"
        )
        leader = await org.upsert_person(
            connection, aad_object_id=None, upn="lars@uni.dk", name="Lars Leder"
        )
    kemi, fysik = units["Kemi"], units["Fysik"]
    plan: list[tuple[int, datetime, dict[str, Any], date | None]] = [
        # Q1, absence from 2 April: due 16 April, filed on the 10th (8 days, on time)
        (
            kemi,
            _cph(2026, 3, 31, 23, 30),
            {"absence": "yes", "absence_from": "2026-04-02"},
            date(2026, 4, 10),
        ),
        # Q2, a possible claim: due 15 April, filed on the 20th (19 days, late)
        (kemi, _cph(2026, 4, 1, 0, 30), {"claim": "yes"}, date(2026, 4, 20)),
        (
            kemi,
            _cph(2026, 6, 10, 9, 0),
            {"injury_kind": "psychological", "description": PSYCHOLOGICAL_TEXT},
            None,
        ),
        # absence from 2 September: due 16 September, still not filed
        (kemi, _cph(2026, 9, 1, 10, 0), {"absence": "yes", "absence_from": "2026-09-02"}, None),
        (fysik, _cph(2026, 12, 31, 23, 30), {}, None),
        (
            fysik,
            _cph(2026, 7, 1, 12, 0),
            {"injury_kind": "both", "description": PSYCHOLOGICAL_TEXT},
            None,
        ),
        (fysik, _cph(2027, 1, 1, 0, 30), {}, None),
        (kemi, _cph(2025, 12, 31, 12, 0), {}, None),
    ]
    for number, (unit_id, when, changes, filed_on) in enumerate(plan):
        form = _form(unit_id, when, **changes)
        reported = when.astimezone(UTC) + timedelta(hours=1)
        async with audited(db) as connection:
            accident, _ = await work_accident.submit(
                connection,
                form,
                reporter_id=ida.id,
                deadline=easy_deadline(
                    form.injured_party, form.accident_day, form.first_absence_day, form.claim
                ),
                now=reported,
                submission_key=f"key-{number}",
            )
            if number == 0:
                await work_accident_learning.record_causes(
                    connection, accident, causes="Revnet kolbe.", actor_id=leader.id, now=reported
                )
            if number in (0, 2):
                action_id, _ = await work_accident_learning.add_action(
                    connection,
                    accident,
                    form=ActionForm(
                        action_description=ACTION if number == 0 else PSYCHOLOGICAL_TEXT,
                        action_owner="lars@uni.dk",
                        action_due=date(2026, 12, 1),
                    ),
                    actor_id=leader.id,
                    now=reported,
                )
            if number == 0:
                await work_accident_learning.complete_action(
                    connection, accident, action_id, actor_id=leader.id, now=reported
                )
                await work_accident_learning.close(
                    connection,
                    accident,
                    conclusion="Kolber tjekkes nu.",
                    tell_injured=False,
                    actor_id=leader.id,
                    now=reported + timedelta(days=1),
                )
            if filed_on is not None:
                await work_accident.record_easy(
                    connection,
                    accident,
                    status=EasyStatus.FILED,
                    actor_id=leader.id,
                    now=reported,
                    reference=f"EASY-{number}",
                    filed_on=filed_on,
                )


def _rows(sheet: Any) -> list[dict[str, Any]]:
    values = list(sheet.iter_rows(values_only=True))
    header = values[0]
    return [dict(zip(header, row, strict=True)) for row in values[1:] if row and row[0]]


def _check(path: Path) -> None:
    workbook = load_workbook(path)
    assert workbook.sheetnames == ["Arbejdsulykker", "Tiltag", "Statistik"]
    register = workbook["Arbejdsulykker"]
    assert register.freeze_panes == "A2"
    rows = _rows(register)
    assert len(rows) == 6
    by_time = {row["Tidspunkt for ulykken"]: row for row in rows}
    assert datetime(2027, 1, 1, 0, 30) not in by_time
    march = by_time[datetime(2026, 3, 31, 23, 30)]
    april = by_time[datetime(2026, 4, 1, 0, 30)]
    assert march["Kvartal"] == "1. kvt. 2026" and april["Kvartal"] == "2. kvt. 2026"
    assert by_time[datetime(2026, 12, 31, 23, 30)]["Kvartal"] == "4. kvt. 2026"
    assert march["Frist i EASY"] == datetime(2026, 4, 16)
    assert march["Dage til anmeldelse"] == 8 and march["Rettidigt"] == "Ja"
    assert april["Dage til anmeldelse"] == 19 and april["Rettidigt"] == "Nej"
    assert march["Anmeldes i EASY"] == "Arbejdstilsynet og forsikringen/AES"
    assert march["Navn"] == "Ida Skadet" and march["Fortrolig"] == "Nej"
    assert march["Undersøgelse"] == "Undersøgelsen er afsluttet."
    assert march["Årsager"] == "Revnet kolbe." and march["Konklusion"] == "Kolber tjekkes nu."
    assert (march["Tiltag i alt"], march["Åbne tiltag"]) == (1, 0)
    assert march["Afsluttet"] == datetime(2026, 4, 2, 0, 30)
    actions = _rows(workbook["Tiltag"])
    assert [(a["Tiltag"], a["Ansvarlig"], a["Status"]) for a in actions] == [
        (ACTION, "Lars Leder", "Udført"),
        (None, "Lars Leder", "Åben"),
    ]
    psychological = by_time[datetime(2026, 6, 10, 9, 0)]
    assert psychological["Fortrolig"] == "Ja"
    assert psychological["Navn"] is None and psychological["Hvad skete der"] is None
    assert psychological["Sted"] is None
    every_value = " ".join(
        str(value)
        for sheet in workbook.worksheets
        for row in sheet.iter_rows(values_only=True)
        for value in row
        if value is not None
    )
    assert PSYCHOLOGICAL_TEXT not in every_value
    statistics = workbook["Statistik"]
    assert statistics.freeze_panes == "A2"
    figures = {row["Enhed"]: row for row in _rows(statistics) if row.get("Ulykker") is not None}
    assert list(figures) == ["Fysik", "Kemi", "Hele universitetet"]
    kemi, fysik, total = figures["Kemi"], figures["Fysik"], figures["Hele universitetet"]
    assert [kemi[f"{q}. kvartal"] for q in (1, 2, 3, 4)] == [1, 2, 1, 0]
    assert (kemi["Ulykker"], kemi["Fysiske"], kemi["Psykiske"]) == (4, 3, 1)
    assert (kemi["Med fravær"], kemi["Uden fravær"]) == (2, 2)
    assert (kemi["Skal anmeldes i EASY"], kemi["Anmeldt i EASY"]) == (3, 2)
    assert (kemi["Heraf rettidigt"], kemi["Fristen overskredet, ikke anmeldt"]) == (1, 1)
    assert kemi["Andel rettidigt"] == pytest.approx(1 / 3)
    assert kemi["Median dage til anmeldelse"] == 13.5
    assert kemi["Bemærkning"] is None
    # Fysik has two accidents: its psychological one is in no figure, the university's neither
    assert (fysik["Ulykker"], fysik["Fysiske"], fysik["4. kvartal"]) == (1, 1, 1)
    assert fysik["Psykiske"] is None and fysik["Fysiske og psykiske"] is None
    assert fysik["3. kvartal"] == 0
    assert "færre end 3" in fysik["Bemærkning"]
    assert (total["Ulykker"], total["Psykiske"], total["Fysiske og psykiske"]) == (5, 1, 0)
    assert [total[f"{q}. kvartal"] for q in (1, 2, 3, 4)] == [1, 2, 1, 1]
    cell = next(c for c in statistics[4] if c.value == pytest.approx(1 / 3))
    assert cell.number_format == "0%"


async def test_export_on_each_database(db: Database, tmp_path: Path) -> None:
    await _fill(db)
    out = tmp_path / "ulykker-2026.xlsx"
    assert await export_year(db, 2026, out) == 6
    _check(out)


async def test_one_unit_and_an_unknown_one(db: Database, tmp_path: Path) -> None:
    await _fill(db)
    out = tmp_path / "kemi.xlsx"
    assert await export_year(db, 2026, out, unit="kemi") == 4
    workbook = load_workbook(out)
    assert {row["Enhed"] for row in _rows(workbook["Arbejdsulykker"])} == {"Kemi"}
    text = [row[0] for row in workbook["Statistik"].iter_rows(values_only=True) if row[0]]
    assert "Enhed: Kemi" in text
    with pytest.raises(UnknownUnit):
        await export_year(db, 2026, tmp_path / "x.xlsx", unit="Ingen")


async def test_an_empty_year_still_gives_a_workbook(db: Database, tmp_path: Path) -> None:
    out = tmp_path / "empty.xlsx"
    assert await export_year(db, 2031, out) == 0
    statistics = _rows(load_workbook(out)["Statistik"])
    assert statistics[0]["Enhed"] == "Hele universitetet" and statistics[0]["Ulykker"] == 0
    assert statistics[0]["Andel rettidigt"] is None


def test_the_cli_writes_the_workbook(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    database = tmp_path / "au.db"
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
    out = tmp_path / "kamu" / "ulykker-2026.xlsx"
    assert main(["export", "work-accidents", "--year", "2026", "--out", str(out)]) == 0
    assert "6 work accidents from 2026" in capsys.readouterr().out
    _check(out)
    kemi = tmp_path / "kemi.xlsx"
    command = ["export", "work-accidents", "--year", "2026", "--unit", "Kemi", "--out"]
    assert main([*command, str(kemi)]) == 0
    assert "4 work accidents of Kemi from 2026" in capsys.readouterr().out
    assert main([*command[:-3], "--unit", "Ingen", "--out", str(kemi)]) == 2
    assert "no unit named 'Ingen'" in capsys.readouterr().err


async def test_the_workbook_opens_in_libreoffice(db: Database, tmp_path: Path) -> None:
    """Real spreadsheet software accepts it: LibreOffice converts it to PDF."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        if os.environ.get("CI"):
            pytest.fail("soffice is missing; CI must install libreoffice-calc")
        pytest.skip("LibreOffice (soffice) is not installed")
    await _fill(db)
    workbook = tmp_path / "ulykker-2026.xlsx"
    await export_year(db, 2026, workbook)
    result = await asyncio.to_thread(
        subprocess.run,
        [
            soffice,
            f"-env:UserInstallation=file://{tmp_path / 'lo-profile'}",
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
    pdf = tmp_path / "ulykker-2026.pdf"
    assert result.returncode == 0, result.stderr
    assert pdf.exists() and pdf.read_bytes().startswith(b"%PDF"), result.stdout
