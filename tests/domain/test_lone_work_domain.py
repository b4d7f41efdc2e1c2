"""Lone-work rules, storage and the register export, without Teams in the way."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from bot.__main__ import main
from domain.lone_work import (
    Decision,
    LoneWorkForm,
    RequestView,
    check,
    parse,
)
from domain.working_days import working_days_between
from reports.lone_work import COLUMNS
from services.lone_work_export import export_register
from services.lone_work_views import loaded_view, views_and_people
from storage import checkins, lone_work, lone_work_decisions, org
from storage.audit import audited
from storage.db import Database
from storage.models import Unit
from tests.support.databases import orm_session

NOW = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)


def values(**changes: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "unit_id": "1",
        "task": "Laserjustering",
        "campus": "Risø",
        "building": "101",
        "room": "S12",
        "schedule": "single",
        "start_date": "2026-12-02",
        "start_time": "19:00",
        "end_date": "2026-12-02",
        "end_time": "23:30",
        "hazards": "lasers",
        "mitigations": "calling_distance",
        "emergency_name": "Vagtcentralen",
        "emergency_phone": "45 25 10 10",
        "trained": "true",
        "adult": "true",
        "affiliation": "employee",
    }
    base.update(changes)
    return base


def errors_of(**changes: Any) -> dict[str, str]:
    return parse(values(**changes), now=NOW)[1]


def test_a_complete_risky_request_with_a_measure_passes() -> None:
    form, errors = parse(values(), now=NOW)
    assert errors == {} and form is not None and form.risky


@pytest.mark.parametrize(
    ("changes", "field", "key"),
    [
        ({"mitigations": ""}, "mitigations", "lone_work.error.no_mitigation"),
        ({"adult": "false"}, "adult", "lone_work.error.minor"),
        ({"trained": "false"}, "trained", "lone_work.error.untrained"),
        ({"end_time": "18:00"}, "end_time", "lone_work.error.end_before_start"),
        (
            {"start_date": "2026-11-01", "end_date": "2026-11-01"},
            "end_date",
            "lone_work.error.in_past",
        ),
        ({"hazards": "other"}, "hazard_other", "lone_work.error.hazard_other"),
        ({"mitigations": "check_in"}, "checkin_person", "lone_work.error.checkin"),
        ({"mitigations": "other"}, "mitigation_other", "lone_work.error.mitigation_other"),
        ({"emergency_phone": "ring mig"}, "emergency_phone", "lone_work.error.phone"),
        ({"start_time": "25:00"}, "start_time", "lone_work.error.time"),
        ({"unit_id": "Kemi"}, "unit_id", "lone_work.error.unit"),
        ({"hazards": "dragons"}, "hazards", "lone_work.error.invalid"),
        ({"affiliation": ""}, "affiliation", "lone_work.error.affiliation"),
        ({"affiliation": "visitor"}, "affiliation", "lone_work.error.affiliation"),
    ],
)
def test_each_rule_points_at_its_field(changes: dict[str, Any], field: str, key: str) -> None:
    assert errors_of(**changes).get(field) == key


def test_not_risky_work_needs_neither_measure_nor_training() -> None:
    assert errors_of(hazards="", mitigations="", trained="false", adult="false") == {}


def test_recurring_rules() -> None:
    recurring = {
        "schedule": "recurring",
        "weekdays": "mon,wed",
        "window_start": "17:00",
        "window_end": "20:00",
        "valid_from": "2026-12-01",
        "valid_to": "2027-06-01",
    }
    assert errors_of(**recurring) == {}
    assert errors_of(**{**recurring, "weekdays": ""})["weekdays"] == "lone_work.error.weekdays"
    assert (
        errors_of(**{**recurring, "window_end": "16:00"})["window_end"] == "lone_work.error.window"
    )
    too_long = errors_of(**{**recurring, "valid_to": "2028-01-01"})
    assert too_long["valid_to"] == "lone_work.error.too_long"


def test_working_days_skip_the_weekend() -> None:
    friday = datetime(2026, 11, 27, 15, 0, tzinfo=UTC)
    assert working_days_between(friday, friday + timedelta(days=3)) == 1
    assert working_days_between(friday, friday + timedelta(days=4)) == 2


async def _kemi(db: Database) -> int:
    async with orm_session(db) as session:
        return int((await session.execute(select(Unit.id).where(Unit.name == "Kemi"))).scalar_one())


async def test_register_export_is_a_real_register(db: Database, tmp_path: Path) -> None:
    kemi = await _kemi(db)
    async with audited(db) as connection:
        maja = await org.upsert_person(
            connection, aad_object_id=None, upn="maja@uni.dk", name="Maja"
        )
        lise = await org.upsert_person(
            connection, aad_object_id=None, upn="lise@uni.dk", name="Lise"
        )
    form = LoneWorkForm.model_validate(values(unit_id=str(kemi)))
    assert check(form, now=NOW) == {}
    async with audited(db) as connection:
        first = await lone_work.submit(
            connection, form, requester_id=maja.id, approver_id=lise.id, now=NOW
        )
        await lone_work.submit(connection, form, requester_id=maja.id, approver_id=lise.id, now=NOW)
        await lone_work_decisions.decide(
            connection,
            first.id,
            actor_id=lise.id,
            decision=Decision.APPROVE_WITH_CONDITIONS,
            note="Ring til vagten kl. 21",
            now=NOW,
        )
    async with audited(db) as connection:
        started = await checkins.start(connection, first, worker_id=maja.id, now=NOW)
        ok = await checkins.check_ok(connection, started.checkin, first, now=NOW, interval=None)
        assert ok is not None
        assert await checkins.finish(connection, ok, now=NOW) is not None
    out = tmp_path / "register.xlsx"
    assert await export_register(db, "kemi", 2026, out) == 2
    sheet = load_workbook(out)["Alenearbejde 2026"]
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == f"A1:{sheet.cell(1, len(COLUMNS)).column_letter}3"
    header = [cell.value for cell in sheet[1]]
    assert header == [name for name, _ in COLUMNS]
    row = {header[i]: cell.value for i, cell in enumerate(sheet[2])}
    assert row["Nr."] == "AL-2026-0001"
    assert row["Status"] == "Godkendt med vilkår" and row["Vilkår"] == "Ring til vagten kl. 21"
    assert isinstance(row["Start"], datetime) and row["Start"].hour == 19
    assert row["Risiko"] == "Risikofyldt" and row["Afgjort af"] == "Lise"
    assert row["Anmoder er"] == "Ansat"
    assert sheet.column_dimensions["E"].width == 45
    timeline = load_workbook(out)["Tjek-ind"]
    events = [[cell.value for cell in row] for row in timeline.iter_rows(min_row=2)]
    assert [row[3] for row in events] == ["Startet", "Svarede OK", "Afsluttet"]
    assert all(row[0] == "AL-2026-0001" and isinstance(row[2], datetime) for row in events)
    assert events[1][4] == "Maja"


def test_export_of_an_unknown_unit_fails_clearly(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path / 'cli.db'}")
    code = main(
        [
            "export",
            "lone-work",
            "--unit",
            "Atlantis",
            "--year",
            "2026",
            "--out",
            str(tmp_path / "x.xlsx"),
        ]
    )
    assert code == 2
    assert "no unit named 'Atlantis'" in capsys.readouterr().err
    assert not (tmp_path / "x.xlsx").exists()
    assert (
        main(
            [
                "export",
                "lone-work",
                "--unit",
                "Kemi",
                "--year",
                "2026",
                "--out",
                str(tmp_path / "k.xlsx"),
            ]
        )
        == 0
    )
    assert load_workbook(tmp_path / "k.xlsx")["Alenearbejde 2026"].max_row == 1


async def test_merging_people_keeps_their_requests(db: Database) -> None:
    """Someone known by e-mail (e.g. an approver) who later arrives from Teams stays one person."""
    kemi = await _kemi(db)
    aad = "3f9a7c21-5b8e-4d6a-9c1f-2e4b6d8a0c13"
    async with audited(db) as connection:
        teams_only = await org.upsert_person(connection, aad_object_id=aad, upn=None, name="Lise")
        by_mail = await org.upsert_person(
            connection, aad_object_id=None, upn="lise@uni.dk", name=None
        )
        maja = await org.upsert_person(
            connection, aad_object_id=None, upn="maja@uni.dk", name="Maja"
        )
    form = LoneWorkForm.model_validate(values(unit_id=str(kemi)))
    async with audited(db) as connection:
        request = await lone_work.submit(
            connection, form, requester_id=maja.id, approver_id=by_mail.id, now=NOW
        )
    async with audited(db) as connection:
        merged = await org.upsert_person(
            connection, aad_object_id=aad, upn="lise@uni.dk", name="Lise"
        )
    assert merged.id == teams_only.id
    async with audited(db) as connection:
        outcome = await lone_work_decisions.decide(
            connection,
            request.id,
            actor_id=merged.id,
            decision=Decision.APPROVE,
            note=None,
            now=NOW,
        )
    assert outcome.changed and outcome.request is not None
    assert outcome.request.approver_id == merged.id


async def test_a_stored_request_views_as_a_validated_view_would(db: Database) -> None:
    """Views of stored requests skip validation: every field already has the view's type."""
    kemi = await _kemi(db)
    async with audited(db) as connection:
        maja = await org.upsert_person(
            connection, aad_object_id=None, upn="maja@uni.dk", name="Maja"
        )
        lise = await org.upsert_person(connection, aad_object_id=None, upn="lise@uni.dk", name=None)
        form = LoneWorkForm.model_validate(
            values(unit_id=str(kemi), mitigations="check_in", checkin_person="Vagten")
            | {"checkin_interval": "30"}
        )
    async with audited(db) as connection:
        request = await lone_work.submit(
            connection, form, requester_id=maja.id, approver_id=lise.id, now=NOW
        )
    async with audited(db) as connection:
        outcome = await lone_work_decisions.decide(
            connection, request.id, actor_id=lise.id, decision=Decision.APPROVE, note=None, now=NOW
        )
    assert outcome.loaded is not None
    async with db.reading() as connection:
        stored = await lone_work.load(connection, request.id)
        assert stored is not None
        listed, _ = await views_and_people(connection, [stored.request])
    for shown in (loaded_view(outcome.loaded), listed[0]):
        validated = RequestView.model_validate(shown.model_dump())
        assert shown == validated
        for field in RequestView.model_fields:
            assert type(getattr(shown, field)) is type(getattr(validated, field)), field
    assert listed[0].checkin_interval == 30 and listed[0].approver == "lise@uni.dk"
