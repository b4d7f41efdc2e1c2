"""The action-plan export: a workbook a unit can publish, with no notes in it."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import openpyxl
import pytest

from bot.__main__ import main
from bot.app import prepare_database
from domain.i18n import Lang, t
from domain.org import OrgFile, UnknownUnit
from domain.wellbeing import Access, DialogueForm, ItemStatus, local_today
from domain.wellbeing_items import ItemDraft
from services.wellbeing_export import export_action_plan
from storage import org, wellbeing, wellbeing_items
from storage.audit import audited
from storage.db import Database
from tests.support.clock import written_for_suite_moment

NOTES = "Hemmelige noter om gruppen"
STATUS_NOTE = "Droppet af en fortrolig grund"


async def _fill(db: Database) -> None:
    """Kemi: a dialogue with three items (one dropped with a reason, one closed long ago)."""
    now = datetime.now(UTC)
    today = local_today(now)
    org_file = OrgFile.model_validate(
        {"units": [{"name": "Kemi", "leader": [{"upn": "lise@uni.dk", "name": "Lise Leder"}]}]}
    )
    async with audited(db) as connection:
        await org.import_org(connection, org_file, actor="test")
    async with db.reading() as connection:
        kemi = await org.unit_by_name(connection, "Kemi")
        lise = await org.find_person(connection, upn="lise@uni.dk")
    assert kemi is not None and lise is not None

    def draft(problem: str, deadline: date) -> ItemDraft:
        return ItemDraft(
            problem=problem,
            action=f"Handling for {problem.lower()}",
            owner_upn="otto@uni.dk",
            deadline=deadline,
            follow_up_on=deadline + timedelta(days=30),
        )

    async with audited(db) as connection:
        dialogue = await wellbeing.record_dialogue(
            connection,
            DialogueForm.model_validate(
                {
                    "unit_id": kemi.id,
                    "group_name": "Analysegruppen",
                    "held_on": today - timedelta(days=3),
                    "facilitator": "HR-partner",
                    "participants": 8,
                    "themes": ["stress"],
                    "works_well": NOTES,
                    "challenges": NOTES,
                    "absence_considered": True,
                    "absence_note": NOTES,
                }
            ),
            recorded_by_id=lise.id,
            flags_confirmed=0,
            now=now,
        )
        items = await wellbeing_items.add_items(
            connection,
            [
                draft("Afbrydelser", today + timedelta(days=10)),
                draft("Uklar prioritering", today + timedelta(days=5)),
                draft("Gammel sag", today + timedelta(days=1)),
            ],
            unit_id=kemi.id,
            dialogue_id=dialogue.id,
            actor_id=lise.id,
            now=now - timedelta(days=400),
        )
        access = Access(person_id=lise.id, leader_of=frozenset({kemi.id}))
        await wellbeing_items.set_status(
            connection, items[1].id, ItemStatus.DROPPED, access=access, note=STATUS_NOTE, now=now
        )
        await wellbeing_items.set_status(
            connection,
            items[2].id,
            ItemStatus.DONE,
            access=access,
            note=None,
            now=now - timedelta(days=380),
        )


async def test_export_writes_the_current_plan_without_notes(db: Database, tmp_path: Path) -> None:
    await _fill(db)
    out = tmp_path / "kemi.xlsx"
    count = await export_action_plan(db, "kemi", out)
    assert count == 2
    workbook = openpyxl.load_workbook(out)
    sheet = workbook["Handlingsplan"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:4] == ("Nr.", "Problem (hvad)", "Handling (hvordan)", "Ansvarlig (hvem)")
    assert sheet.freeze_panes == "A2"
    problems = [row[1] for row in rows[1:]]
    assert problems == ["Afbrydelser", "Uklar prioritering"]
    assert rows[1][3] == "otto@uni.dk" and rows[1][6] == "Ikke startet"
    assert rows[2][6] == "Opgivet"
    assert isinstance(rows[1][4], datetime)  # a real date cell
    everything = " ".join(
        str(value)
        for name in workbook.sheetnames
        for row in workbook[name].iter_rows(values_only=True)
        for value in row
    )
    assert NOTES not in everything and STATUS_NOTE not in everything
    assert "HR-partner" not in everything and "Gammel sag" not in everything
    info = dict(
        (row[0], row[1]) for row in workbook["Om handlingsplanen"].iter_rows(values_only=True)
    )
    assert info["Enhed"] == "Kemi" and info["Punkter"] == 2 and info["Åbne punkter"] == 1


async def test_export_refuses_an_unknown_unit(db: Database, tmp_path: Path) -> None:
    with pytest.raises(UnknownUnit):
        await export_action_plan(db, "Ingen", tmp_path / "x.xlsx")


def test_cli_writes_the_action_plan(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "cli.db"
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{path}")

    async def fill() -> None:
        db = Database(f"sqlite:///{path}")
        try:
            await prepare_database(db)
            await _fill(db)
        finally:
            await db.dispose()

    asyncio.run(fill())
    out = tmp_path / "plan.xlsx"
    assert main(["export", "action-plan", "--unit", "Kemi", "--out", str(out)]) == 0
    assert "the action plan of Kemi with 2 items" in capsys.readouterr().out
    assert openpyxl.load_workbook(out)["Handlingsplan"].max_row == 3
    assert main(["export", "action-plan", "--unit", "Nowhere", "--out", str(out)]) == 2
    assert "no unit named 'Nowhere'" in capsys.readouterr().err


@written_for_suite_moment()
async def test_digest_section_counts_per_unit_without_text(db: Database) -> None:
    from domain.digest import scope_for
    from services.digest_sections import wellbeing_section

    await _fill(db)
    async with db.reading() as connection:
        kemi = await org.unit_by_name(connection, "Kemi")
        assert kemi is not None
        names = {unit.id: unit.name for unit in await org.list_units(connection)}
        december = datetime(2026, 12, 20, 10, tzinfo=UTC)
        section = await wellbeing_section(connection, scope_for("2026-W52", december), names)
        only_kemi = scope_for("2026-W52", december, frozenset({kemi.id}))
        narrow = await wellbeing_section(connection, only_kemi, names)
        june = await wellbeing_section(
            connection, scope_for("2026-W25", december.replace(month=6)), names
        )
    keys = [line.key for line in section.lines]
    assert keys == [
        "wellbeing.digest.overdue",
        "wellbeing.digest.dialogue_due",
        "wellbeing.digest.amd_missing",
    ]
    overdue = section.lines[0].values
    assert overdue["count"] == 1 and overdue["units"] == "Kemi 1"
    due = section.lines[1].values
    assert "Kemi" not in str(due["units"]) and int(due["count"]) >= 30
    assert "(+" in str(due["units"])  # a long list is cut, never a list of everything
    assert section.lines[2].values["year"] == 2026
    assert [line.key for line in narrow.lines] == [
        "wellbeing.digest.overdue",
        "wellbeing.digest.amd_missing",
    ]
    assert "wellbeing.digest.amd_missing" not in [line.key for line in june.lines]
    card = " ".join(t(Lang.DA, line.key, **line.values) for line in section.lines)
    assert "Punkter i handlingsplaner over fristen: 1 (Kemi 1)" in card
    assert NOTES not in card and "Afbrydelser" not in card
