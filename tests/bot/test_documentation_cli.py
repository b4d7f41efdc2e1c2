"""Importing existing documentation records from the command line: the template, a check,
all-or-nothing, and the overview export showing what was imported."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook

from bot.__main__ import main


@pytest.fixture
def database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    path = tmp_path / "data" / "cli.db"
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{path}")
    yield path


def _fill(template: Path, rows: list[list[object]], out: Path) -> Path:
    workbook = load_workbook(template)
    sheet = workbook["Registreringer"]
    for number, row in enumerate(rows, start=2):  # as typed under the headings
        for column, value in enumerate(row, start=1):
            sheet.cell(row=number, column=column, value=value)
    workbook.save(out)
    return out


def _records(database: Path) -> list[tuple[object, ...]]:
    with sqlite3.connect(database) as connection:
        return connection.execute(
            "SELECT duty_key, subject, met_on, proof, recorded_by_id FROM duty_record ORDER BY id"
        ).fetchall()


def test_a_filled_template_is_checked_then_imported_all_or_nothing(
    database: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["documentation", "template", "--out", "skabelon.xlsx"]) == 0
    guide = [row for row in load_workbook("skabelon.xlsx")["Vejledning"].values]
    assert ("apv_physical", "Fysisk APV", 36) in [tuple(row[:3]) for row in guide]
    good = [
        ["Kemi", "Fysisk APV", None, date(2024, 3, 1), "https://safetynet.example.dk/apv"],
        ["kemi", "special_risk_assessment", "Flussyre i lab 2", date(2025, 5, 2), None],
    ]
    bad = [
        ["Kemi", "Fysisk APV", None, date(2024, 3, 1), "https://safetynet.example.dk/apv"],
        ["Ukendt enhed", "Kaffemaskine", None, "i går", "www.x.dk"],
        ["Kemi", "Særlige skriftlige risikovurderinger", None, date(2025, 5, 2), None],
    ]
    capsys.readouterr()
    assert (
        main(["documentation", "import", str(_fill(Path("skabelon.xlsx"), bad, Path("bad.xlsx")))])
        == 1
    )
    errors = capsys.readouterr().err
    assert "Række 3: ingen aktiv enhed hedder »Ukendt enhed«" in errors
    assert "Række 3: »Kaffemaskine« er ikke et krav" in errors
    assert "Række 3: datoen mangler" in errors and "Række 3: linket skal begynde" in errors
    assert "Række 4: skriv, hvad vurderingen handler om" in errors
    assert "intet er gemt" in errors
    assert _records(database) == []

    filled = _fill(Path("skabelon.xlsx"), good, Path("good.xlsx"))
    assert main(["documentation", "import", str(filled), "--check"]) == 0
    assert "Alle 2 rækker er i orden" in capsys.readouterr().out
    assert _records(database) == []
    assert main(["documentation", "import", str(filled), "--lang", "en"]) == 0
    assert "2 records were saved." in capsys.readouterr().out
    assert _records(database) == [
        ("apv_physical", None, "2024-03-01", "https://safetynet.example.dk/apv", None),
        ("special_risk_assessment", "Flussyre i lab 2", "2025-05-02", None, None),
    ]

    assert main(["export", "documentation", "--out", "oversigt.xlsx"]) == 0
    details = list(load_workbook("oversigt.xlsx")["Krav"].values)
    assert ("Kemi", "Fysisk APV", None, "Opfyldt") in [tuple(row[:4]) for row in details]


def test_a_file_that_is_not_a_workbook_is_refused(
    database: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    Path("noter.xlsx").write_text("ikke et regneark", encoding="utf-8")
    assert main(["documentation", "import", "noter.xlsx"]) == 1
    assert "noter.xlsx kan ikke læses som et Excel-ark" in capsys.readouterr().err


def test_e_learning_completions_are_imported_from_the_command_line(
    database: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["training", "template", "--out", "kurser.xlsx"]) == 0
    workbook = load_workbook("kurser.xlsx")
    sheet = workbook["Gennemførte kurser"]
    for column, value in enumerate(
        ["Kemi", "emil@uni.dk", "H&S: Alenearbejde", date(2026, 3, 2), None, None, "ja"], start=1
    ):
        sheet.cell(row=2, column=column, value=value)
    sheet.cell(row=3, column=1, value="Ukendt")
    workbook.save("udfyldt.xlsx")
    capsys.readouterr()
    assert main(["training", "import", "udfyldt.xlsx"]) == 1
    assert "Række 3: ingen aktiv enhed hedder »Ukendt«" in capsys.readouterr().err
    sheet.delete_rows(3)
    workbook.save("udfyldt.xlsx")
    assert main(["training", "import", "udfyldt.xlsx", "--lang", "en"]) == 0
    assert "1 completions were saved." in capsys.readouterr().out
    with sqlite3.connect(database) as connection:
        stored = connection.execute(
            "SELECT t.kind, t.lone_work, p.upn FROM training_record t JOIN person p"
            " ON p.id = t.person_id"
        ).fetchall()
    assert stored == [("e_learning", 1, "emil@uni.dk")]
