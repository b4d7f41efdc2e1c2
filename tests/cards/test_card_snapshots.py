"""The main cards of each flow as reviewable JSON: each card built from fixed data is compared
with its snapshot in tests/cards/snapshots/<card>.<lang>.json. After an intended change run
the tests with UPDATE_SNAPSHOTS=1 to write them again, and review the diff."""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime
from decimal import Decimal
from functools import partial
from pathlib import Path

import pytest

from cards.admin import unit_roles_card
from cards.checkins import session_card
from cards.common import Card
from cards.documentation import overview_card, record_card
from cards.lone_work import approval_card, request_form, requester_card, summary_card
from cards.near_miss import report_card
from cards.near_miss_form import confirmation_card, report_form
from cards.precursor_forms import entry_form, search_card
from cards.precursors import home_card
from cards.training import record_card as training_record_card
from cards.wellbeing_forms import amd_form, dialogue_form
from cards.wellbeing_items import items_card, owner_card
from domain.checkins import SessionStatus, SessionView
from domain.documentation import standing, worst_first
from domain.i18n import Lang
from domain.lone_work import Schedule, Status
from domain.near_miss import Category
from domain.near_miss import Status as NearMissStatus
from domain.org import Role, RoleHolder, UnitRef
from domain.precursor_ledger import EntryKind, HoldingView
from domain.precursor_registrations import RegistrationStatus, RegistrationView, UnitHome
from domain.precursors import (
    Category as PrecursorCategory,
)
from domain.precursors import ReportUnit, SubstanceInfo
from domain.screening import ScreeningStatus, ScreeningView
from storage.documentation import duties
from tests.cards.test_lone_work_cards import view
from tests.cards.test_near_miss_cards import AMK, NOW, _report
from tests.cards.test_wellbeing_cards import item

SNAPSHOTS = Path(__file__).parent / "snapshots"
UPDATE = os.environ.get("UPDATE_SNAPSHOTS") == "1"
UNITS = [UnitRef(id=1, name="Kemi"), UnitRef(id=2, name="Fysik"), UnitRef(id=3, name="Biologi")]
TODAY = date(2026, 11, 27)


def _request(status: Status) -> object:
    return view(
        status,
        Schedule.SINGLE,
        task="Måling i laboratoriet",
        hazard_other="Støv",
        mitigation_other="Dør på klem",
        conditions=None,
        decision_note=None,
        close_reason=None,
    )


ACETONE = SubstanceInfo(
    id=5,
    key="acetone",
    name_en="Acetone",
    name_da="Acetone",
    category=PrecursorCategory.CAT3,
    cas="67-64-1",
    cn="2914 11 00",
    report_unit=ReportUnit.L,
    density=Decimal("0.79"),
    threshold=None,
    verified=True,
)
HOLDING = HoldingView(
    id=9, substance=ACETONE, storage_location="Skab 2", note=None, stock_micro=2_500_000
)
SESSION = SessionView(
    id=4,
    request_id=7,
    number="AL-2026-0007",
    worker="Maja Kemiker",
    worker_id=1,
    unit="Kemi",
    unit_id=1,
    task="Måling",
    location="Lyngby, 229, S-112",
    emergency_name="Vagtcentralen",
    emergency_phone="+45 45 25 10 10",
    interval_minutes=30,
    max_interval_minutes=60,
    started_at=datetime(2026, 11, 27, 16, tzinfo=UTC),
    ends_at=datetime(2026, 11, 27, 20, tzinfo=UTC),
    limit_at=datetime(2026, 11, 27, 20, tzinfo=UTC),
    due_at=datetime(2026, 11, 27, 16, 30, tzinfo=UTC),
    round=1,
    status=SessionStatus.ACTIVE,
)


def _home() -> UnitHome:
    return UnitHome(
        unit_id=1,
        unit="Kemi",
        registration=RegistrationView(
            unit_id=1,
            unit="Kemi",
            year=2026,
            status=RegistrationStatus.MISSING,
            contact=None,
            registered_by=None,
            registered_at=None,
            substances=0,
        ),
        deadline=date(2027, 1, 31),
        days_left=65,
        holdings=[HOLDING],
        warnings=[],
        contacts=["Karin Kemi"],
    )


LW_VALUES = {"task": "Måling", "campus": "Lyngby", "hazards": "chemicals", "trained": "true"}
NM_VALUES = {"campus": "Lyngby", "description": "Acetone på gulvet", "anonymous": "true"}


def _builders() -> Iterator[tuple[str, Callable[[], Card]]]:
    da, en = Lang.DA, Lang.EN
    for lang in (da, en):
        yield f"lone_work.form.{lang}", partial(request_form, lang, UNITS, requester="Maja")
        yield f"near_miss.form.{lang}", partial(report_form, lang, UNITS, now=NOW, form_id="f1")
    yield (
        "lone_work.form-errors.da",
        lambda: request_form(
            da,
            UNITS,
            requester="Maja",
            values=LW_VALUES,
            errors={"room": "Skriv rummet.", "emergency_phone": "Skriv et telefonnummer."},
        ),
    )
    pending = _request(Status.PENDING)
    yield (
        "lone_work.summary.da",
        lambda: summary_card(
            da, pending, approvers=[(2, "Lise Leder"), (3, "Bo Leder")], submission_key="s1"
        ),
    )
    yield "lone_work.approval.da", lambda: approval_card(da, pending)
    yield "lone_work.requester-approved.da", lambda: requester_card(da, _request(Status.APPROVED))
    yield "checkins.session.da", lambda: session_card(da, SESSION)
    yield (
        "near_miss.form-errors.da",
        lambda: report_form(
            da,
            UNITS,
            now=NOW,
            form_id="f1",
            values=NM_VALUES,
            errors={"occurred_date": "Datoen ligger i fremtiden.", "unit_id": "Vælg en enhed."},
        ),
    )
    yield (
        "near_miss.receipt.da",
        lambda: confirmation_card(
            da,
            number="NM-2026-0042",
            unit="Kemi",
            anonymous=False,
            injury=False,
            category=Category.HAZARDOUS_SUBSTANCE,
        ),
    )
    yield (
        "near_miss.follow-up.da",
        lambda: report_card(da, _report(NearMissStatus.ACKNOWLEDGED), AMK),
    )
    yield "wellbeing.dialogue.da", lambda: dialogue_form(da, UNITS, submission_key="s1")
    yield (
        "wellbeing.dialogue-errors.da",
        lambda: dialogue_form(
            da,
            UNITS,
            values={
                "group_name": "Analysegruppen",
                "themes": "workload,other",
                "participants": "7",
            },
            errors={"held_on": "Vælg datoen.", "themes": "Vælg mindst ét tema."},
        ),
    )
    yield (
        "wellbeing.items.da",
        lambda: items_card(
            da,
            unit="Kemi",
            unit_id=1,
            dialogue_id=3,
            rows=2,
            batch="b1",
            values={"problem_1": "For mange afbrydelser", "owner_1": "lise@uni.dk"},
            errors={"deadline_1": "Vælg en frist."},
        ),
    )
    yield (
        "wellbeing.owner.da",
        lambda: owner_card(
            da, item(problem="For mange afbrydelser", action="Faste mødefri timer"), today=TODAY
        ),
    )
    yield "wellbeing.amd.da", lambda: amd_form(da, UNITS, year=2026)
    yield "precursors.home.da", lambda: home_card(da, _home(), submission_key="s1")
    yield (
        "precursors.search.da",
        lambda: search_card(
            da, "Kemi", "acet", [ACETONE], errors={"storage_location": "Skriv hvor."}
        ),
    )
    yield (
        "precursors.entry-purchase.da",
        lambda: entry_form(
            da, "Kemi", EntryKind.PURCHASE, HOLDING, today=TODAY, submission_key="s1"
        ),
    )
    yield (
        "precursors.entry-errors.da",
        lambda: entry_form(
            da,
            "Kemi",
            EntryKind.CONSUMPTION,
            HOLDING,
            today=TODAY,
            values={"quantity": "2,5", "unit": "mL"},
            errors={"quantity": "Skriv en mængde.", "purpose": "Skriv formålet."},
        ),
    )
    holders = [
        RoleHolder(assignment_id=1, person="Lise Leder", upn="lise@uni.dk", role=Role.LEADER)
    ]
    yield (
        "admin.roles-errors.da",
        lambda: unit_roles_card(
            da,
            UNITS[0],
            holders,
            values={"upn": "lise", "role": "amk"},
            errors={"upn": "Skriv en e-mailadresse."},
        ),
    )
    yield from _documentation_cards()


def _documentation_cards() -> Iterator[tuple[str, Callable[[], Card]]]:
    catalogue = duties()
    days = [date(2023, 11, 1), date(2025, 2, 3), None, date(2026, 1, 5), date(2024, 6, 1), None]
    standings = worst_first(
        [
            standing(
                duty,
                day,
                TODAY,
                proof="https://safetynet.example.dk/apv" if day and duty.recordable else None,
            )
            for duty, day in zip(catalogue.duties, days, strict=True)
        ]
    )
    risk = catalogue.get("special_risk_assessment")
    assert risk is not None
    yield (
        "documentation.overview.da",
        lambda: overview_card(
            Lang.DA,
            UNITS[0],
            standings,
            may_record=True,
            university_wide=False,
            amo={Role.LEADER: 1, Role.AMR: 2},
            training=(14, 9),
            screenings=[
                ScreeningView(
                    id=1,
                    unit_id=UNITS[0].id,
                    unit=UNITS[0].name,
                    partner_id=99,
                    partner="Fysik",
                    status=ScreeningStatus.ACCEPTED,
                    requested_on=date(2026, 11, 20),
                    planned_on=date(2027, 2, 3),
                )
            ],
        ),
    )
    yield (
        "documentation.record-errors.da",
        lambda: record_card(
            Lang.DA,
            UNITS[0],
            risk,
            today=TODAY,
            values={"met_on": "2027-01-01", "proof": "www.apv.dk"},
            errors={
                "subject": "Skriv, hvad vurderingen handler om.",
                "met_on": "Datoen kan ikke ligge i fremtiden.",
                "proof": "Linket skal begynde med https://.",
            },
        ),
    )
    yield (
        "training.record-errors.da",
        lambda: training_record_card(
            Lang.DA,
            UNITS[0],
            today=TODAY,
            values={"person": "emil", "activity": "Alenearbejde", "given_on": "2027-01-01"},
            errors={
                "person": "Skriv personens e-mailadresse.",
                "given_on": "Datoen kan ikke ligge i fremtiden.",
                "given_by": "Skriv, hvem der gav instruktionen eller oplæringen.",
            },
        ),
    )


BUILDERS = dict(_builders())


@pytest.mark.parametrize("name", sorted(BUILDERS))
def test_card_matches_its_snapshot(name: str) -> None:
    card = BUILDERS[name]()
    path = SNAPSHOTS / f"{name}.json"
    if UPDATE:
        SNAPSHOTS.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(card, ensure_ascii=False, indent=2) + "\n", "utf-8")
    assert path.exists(), f"no snapshot {path.name}: run with UPDATE_SNAPSHOTS=1"
    assert json.loads(path.read_text("utf-8")) == card


def test_every_snapshot_has_its_card() -> None:
    stale = {path.name.removesuffix(".json") for path in SNAPSHOTS.glob("*.json")} - set(BUILDERS)
    assert stale == set()
