"""`python -m bench.volume`: a decade of university-scale data, and how long the reports take.

`seed` fills a database with ten years of realistic rows for the 31 seeded units (near
misses with their actions and numbering, lone-work requests, a precursor ledger whose stock
never goes negative, registrations, well-being dialogues and action-plan items) through the
app's own tables, in bulk. `time` measures, each in a fresh process, the weekly digest for
one subscription covering every unit, the university-wide precursor roll-up, the near-miss
register and statistics, and a few other exports; on PostgreSQL it also shows the plans of
the SQL those reports issue. `all` does both on a fresh database and removes it afterwards.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import Table, event, func, insert, select, text

from domain.audit import person_actor
from domain.digest import iso_week, scope_for
from domain.i18n import COPENHAGEN
from domain.lone_work import Hazard, LoneWorkForm, Mitigation, check, period_of
from domain.lone_work import Schedule as LoneWorkSchedule
from domain.lone_work import Status as LoneWorkStatus
from domain.near_miss import (
    ActionStatus,
    Category,
    Event,
    Severity,
    Status,
    close_problem,
    format_number,
    local_year,
    reminder_due_at,
    transition,
)
from domain.org import Role
from domain.precursor_ledger import EntryKind, LedgerLine, delta_of, first_negative_day
from domain.precursor_registrations import RegistrationStatus
from domain.wellbeing import (
    AmdRole,
    Effect,
    GoalsMet,
    ItemStatus,
    Theme,
    WellbeingSettings,
    add_years,
    notes_cutoff,
)
from storage import audit, lone_work, org, precursor_catalogue
from storage.audit import audited
from storage.db import Database, normalise_url
from storage.digest_models import DigestSubscription
from storage.lone_work_models import LoneWorkRequest
from storage.models import Base, ConversationRef, Person, RoleAssignment, Team, Unit
from storage.near_miss_models import NearMissAction, NearMissCounter, NearMissReport
from storage.precursor_models import (
    PrecursorEntry,
    PrecursorHolding,
    PrecursorRegistration,
    PrecursorSubstance,
)
from storage.wellbeing_models import (
    NOTE_FIELDS,
    WellbeingActionItem,
    WellbeingAnnualDiscussion,
    WellbeingDialogue,
)
from tests.support.databases import orm_session, orm_transaction

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
RESULTS = ROOT / "bench" / "results"
BATCH = 5_000
YEARS = 10
EMPLOYEES_PER_UNIT = 80
CHANNEL_ID = "19:volume-digest@thread.tacv2"


@dataclass(frozen=True)
class Volume:
    """How many rows of each kind a decade holds (the issue's university scale)."""

    near_miss: int = 100_000
    lone_work: int = 20_000
    ledger: int = 50_000
    action_items: int = 5_000
    employees_per_unit: int = EMPLOYEES_PER_UNIT

    def scaled(self, factor: float) -> Volume:
        return Volume(
            near_miss=max(1, round(self.near_miss * factor)),
            lone_work=max(1, round(self.lone_work * factor)),
            ledger=max(1, round(self.ledger * factor)),
            action_items=max(1, round(self.action_items * factor)),
            employees_per_unit=max(4, round(self.employees_per_unit * min(1.0, factor * 10))),
        )


@dataclass
class SeedReport:
    """What `seed` wrote: rows per table, the period, and how long it took."""

    counts: dict[str, int]
    start: datetime
    until: datetime
    seconds: float
    subscription_id: int
    phases: dict[str, float] = field(default_factory=dict)


# -- the organisation --------------------------------------------------------------------------


@dataclass
class _UnitPeople:
    id: int
    name: str
    leaders: list[int] = field(default_factory=list)
    amks: list[int] = field(default_factory=list)
    contacts: list[int] = field(default_factory=list)
    employees: list[int] = field(default_factory=list)


@dataclass
class _Org:
    units: list[_UnitPeople]
    secretariat: list[int]
    names: dict[int, str]
    weights: list[float]

    def pick_unit(self, rng: random.Random) -> _UnitPeople:
        return rng.choices(self.units, weights=self.weights)[0]


FIRST_NAMES = (
    "Anne",
    "Bo",
    "Camilla",
    "Dorte",
    "Emil",
    "Freja",
    "Gustav",
    "Hanne",
    "Ida",
    "Jens",
    "Karen",
    "Lars",
    "Mette",
    "Niels",
    "Ole",
    "Pernille",
    "Rasmus",
    "Sofie",
    "Thomas",
    "Ulla",
    "Victor",
    "Yasmin",
    "Zainab",
    "Aksel",
    "Birgitte",
    "Carsten",
    "Ditte",
)
LAST_NAMES = (
    "Andersen",
    "Bak",
    "Christensen",
    "Dam",
    "Eriksen",
    "Frandsen",
    "Grøn",
    "Hansen",
    "Iversen",
    "Jensen",
    "Kristensen",
    "Larsen",
    "Madsen",
    "Nielsen",
    "Olsen",
    "Poulsen",
    "Rasmussen",
    "Sørensen",
    "Thomsen",
    "Vestergaard",
    "Østergaard",
)
CAMPUSES = ("Lyngby", "Ballerup", "Risø", "Hirtshals", "Silkeborg")


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _between(rng: random.Random, start: datetime, end: datetime) -> datetime:
    """A moment in [start, end] (start if the interval is empty)."""
    span = (end - start).total_seconds()
    if span <= 0:
        return start
    return start + timedelta(seconds=rng.random() * span)


def _soon_after(
    rng: random.Random, start: datetime, hours: float, until: datetime, *, least: float = 0.25
) -> datetime:
    """A moment `least`..`hours` hours after `start`, never after `until`."""
    low = start + timedelta(hours=least)
    high = min(start + timedelta(hours=hours), until)
    if high <= low:
        return _between(rng, start, max(start, until))
    return _between(rng, low, high)


def _local_date(moment: datetime) -> date:
    return moment.astimezone(COPENHAGEN).date()


def _local_moment(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=COPENHAGEN).astimezone(UTC)


async def _next_ids(db: Database, tables: Sequence[type[Base]]) -> dict[str, int]:
    ids: dict[str, int] = {}
    async with orm_session(db) as session:
        for model in tables:
            table = _table(model)
            ids[table.name] = int(await session.scalar(select(func.max(table.c.id))) or 0) + 1
    return ids


def _table(model: type[Base]) -> Table:
    table = model.__table__
    assert isinstance(table, Table)
    return table


async def _insert(db: Database, model: type[Base], rows: Sequence[dict[str, Any]]) -> None:
    """Bulk INSERT (executemany) in batches, one write transaction per batch."""
    table = _table(model)
    for offset in range(0, len(rows), BATCH):
        async with orm_transaction(db) as session:
            await session.execute(insert(table), list(rows[offset : offset + BATCH]))


async def _seed_org(
    db: Database, rng: random.Random, volume: Volume, start: datetime, ids: dict[str, int]
) -> tuple[_Org, int, int]:
    """People with the three unit roles, employees, and a secretariat; returns rows written."""
    async with db.reading() as connection:
        units = await org.list_units(connection)
    people: list[dict[str, Any]] = []
    roles: list[dict[str, Any]] = []
    next_person = ids["person"]
    next_role = ids["role_assignment"]
    token = uuid.uuid4().hex[:6]

    def person(label: str) -> int:
        nonlocal next_person
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        person_id = next_person
        next_person += 1
        aad = str(uuid.UUID(int=rng.getrandbits(128)))
        people.append(
            {
                "id": person_id,
                "aad_object_id": aad,
                "upn": f"{first}.{last}.{label}{person_id}.{token}@uni.dk".casefold(),
                "name": f"{first} {last}",
                "teams_user_id": f"29:{aad}",
                "locale": rng.choice(("da-DK", "da-DK", "da-DK", "en-US")),
                "language_override": None,
                "created_at": start,
                "updated_at": start,
            }
        )
        return person_id

    def assign(person_id: int, unit_id: int | None, role: Role) -> None:
        nonlocal next_role
        roles.append(
            {
                "id": next_role,
                "person_id": person_id,
                "unit_id": unit_id,
                "role": role.value,
                "created_at": start,
            }
        )
        next_role += 1

    result: list[_UnitPeople] = []
    for unit in units:
        item = _UnitPeople(unit.id, unit.name)
        for _ in range(2):
            item.leaders.append(person("leder"))
            assign(item.leaders[-1], unit.id, Role.LEADER)
        for _ in range(rng.choice((1, 2))):
            item.amks.append(person("amk"))
            assign(item.amks[-1], unit.id, Role.AMK)
        item.contacts.append(person("kontakt"))
        assign(item.contacts[-1], unit.id, Role.PRECURSOR_CONTACT)
        item.employees = [person("ansat") for _ in range(volume.employees_per_unit)]
        result.append(item)
    secretariat = [person("sekretariat") for _ in range(3)]
    for person_id in secretariat:
        assign(person_id, None, Role.SECRETARIAT)
    await _insert(db, Person, people)
    await _insert(db, RoleAssignment, roles)
    # Big departments report more: a few units carry most of the volume.
    weights = [1.0 / (1 + index) ** 0.7 for index in range(len(result))]
    rng.shuffle(weights)
    names = {unit.id: unit.name for unit in units}
    return _Org(result, secretariat, names, weights), len(people), len(roles)


# -- near misses -------------------------------------------------------------------------------

DESCRIPTIONS = (
    "Flaske med {thing} stod uden låg i stinkskabet efter arbejdstid.",
    "Kollega gled på vand ved nødbruseren i {room}; ingen kom til skade.",
    "Gasflaske ({thing}) var ikke fastspændt i {room}.",
    "Forlængerledning med beskadiget isolering brugt ved {thing}.",
    "Laserafskærmning manglede ved opstillingen i {room} under justering.",
    "Flydende nitrogen blev transporteret i elevatoren sammen med personer.",
    "Affaldsdunk til {thing} var overfyldt og lugtede stærkt.",
    "Nødudgang fra {room} var blokeret af paller.",
)
THINGS = ("acetone", "saltsyre", "argon", "ethanol", "centrifuge", "varmeskab", "nitrogen")
IMMEDIATE = ("Området afspærret og rengjort.", "Flasken lukket og sat på plads.", None, None)
PREVENTION = ("Tydelig skiltning og fast tjekliste ved lukning.", None, None)
CONCLUSIONS = (
    "Procedure gennemgået med gruppen; ingen yderligere tiltag nødvendige.",
    "Tiltag gennemført og effekten vurderet tilfredsstillende.",
    "Årsagen var manglende oplæring; oplæring gennemført for alle nye.",
)
ACTION_TEXTS = (
    "Opsæt skilt og opdatér instruks for {room}.",
    "Gennemfør oplæring i håndtering af {thing}.",
    "Indkøb fastspændingsbeslag til gasflasker.",
    "Tilføj punktet til den ugentlige sikkerhedsrunde.",
)
SEVERITY_WEIGHTS = {
    Severity.MINOR: 55,
    Severity.SERIOUS: 30,
    Severity.VERY_SERIOUS: 12,
    Severity.LIFE_THREATENING: 3,
}
STATUS_BY_AGE: tuple[tuple[int, dict[Status, float]], ...] = (
    (2, {Status.REPORTED: 70, Status.ACKNOWLEDGED: 30}),
    (
        14,
        {
            Status.REPORTED: 20,
            Status.ACKNOWLEDGED: 30,
            Status.UNDER_INVESTIGATION: 20,
            Status.ACTIONS_DECIDED: 20,
            Status.CLOSED: 10,
        },
    ),
    (
        90,
        {
            Status.REPORTED: 5,
            Status.ACKNOWLEDGED: 15,
            Status.UNDER_INVESTIGATION: 15,
            Status.ACTIONS_DECIDED: 25,
            Status.CLOSED: 40,
        },
    ),
    (
        365,
        {
            Status.REPORTED: 1,
            Status.ACKNOWLEDGED: 4,
            Status.UNDER_INVESTIGATION: 5,
            Status.ACTIONS_DECIDED: 10,
            Status.CLOSED: 80,
        },
    ),
    (
        10**6,
        {
            Status.REPORTED: 0.2,
            Status.ACKNOWLEDGED: 0.8,
            Status.UNDER_INVESTIGATION: 1,
            Status.ACTIONS_DECIDED: 2,
            Status.CLOSED: 96,
        },
    ),
)


def _working_hours_moment(rng: random.Random, start: datetime, until: datetime) -> datetime:
    """A moment in [start, until), mostly on weekdays between 8 and 17 Copenhagen time."""
    while True:
        moment = _between(rng, start, until)
        local = moment.astimezone(COPENHAGEN)
        if local.weekday() < 5 and 8 <= local.hour < 17:
            return moment
        if rng.random() < 0.12:
            return moment


def _status_for_age(rng: random.Random, age_days: float) -> Status:
    for limit, weights in STATUS_BY_AGE:
        if age_days < limit:
            return rng.choices(list(weights), weights=list(weights.values()))[0]
    return Status.CLOSED


def _near_miss_rows(
    rng: random.Random,
    people: _Org,
    count: int,
    start: datetime,
    until: datetime,
    ids: dict[str, int],
) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[dict[str, Any]]]:
    """Reports in time order (numbered per Copenhagen year), actions, and the counters."""
    moments = sorted(_working_hours_moment(rng, start, until) for _ in range(count))
    reports: list[dict[str, Any]] = []
    actions: list[dict[str, Any]] = []
    counters: Counter[int] = Counter()
    report_id = ids["near_miss_report"]
    action_id = ids["near_miss_action"]
    for created in moments:
        unit = people.pick_unit(rng)
        year = local_year(created)
        counters[year] += 1
        anonymous = rng.random() < 0.2
        room = f"{rng.randint(1, 450)}.{rng.randint(1, 3)}"
        thing = rng.choice(THINGS)
        target = _status_for_age(rng, (until - created).total_seconds() / 86400)
        status = Status.REPORTED
        updated = created
        report: dict[str, Any] = {
            "id": report_id,
            "number": format_number(year, counters[year]),
            "submission_key": None,
            "unit_id": unit.id,
            "anonymous": anonymous,
            "reporter_id": None if anonymous else rng.choice(unit.employees),
            "occurred_at": created - timedelta(minutes=rng.randint(5, 72 * 60)),
            "campus": rng.choice(CAMPUSES),
            "building": str(rng.randint(101, 460)),
            "room": room,
            "description": rng.choice(DESCRIPTIONS).format(thing=thing, room=room),
            "category": rng.choice(list(Category)).value,
            "severity": rng.choices(
                list(SEVERITY_WEIGHTS), weights=list(SEVERITY_WEIGHTS.values())
            )[0].value,
            "injury": rng.random() < 0.05,
            "immediate_action": rng.choice(IMMEDIATE),
            "prevention": rng.choice(PREVENTION),
            "photo_url": None,
            "investigator_id": None,
            "acknowledged_at": None,
            "acknowledged_by_id": None,
            "closed_at": None,
            "closed_by_id": None,
            "conclusion": None,
            "created_at": created,
        }
        follow_up = unit.amks or people.secretariat
        if target is not Status.REPORTED:
            status = transition(status, Event.ACKNOWLEDGE)
            updated = _soon_after(rng, created, 96, until)
            report["acknowledged_at"] = updated
            report["acknowledged_by_id"] = rng.choice(follow_up)
        if target in (Status.UNDER_INVESTIGATION,) or (
            target in (Status.ACTIONS_DECIDED, Status.CLOSED) and rng.random() < 0.5
        ):
            status = transition(status, Event.ASSIGN)
            updated = _soon_after(rng, updated, 72, until)
            report["investigator_id"] = rng.choice(unit.leaders + unit.employees[:5])
        mine: list[dict[str, Any]] = []
        if target is Status.ACTIONS_DECIDED or (target is Status.CLOSED and rng.random() < 0.35):
            for _ in range(rng.choice((1, 1, 1, 2, 2, 3))):
                status = transition(status, Event.ADD_ACTION)
                made = _soon_after(rng, updated, 240, until)
                due = _local_date(made) + timedelta(days=rng.randint(14, 60))
                action: dict[str, Any] = {
                    "id": action_id,
                    "report_id": report_id,
                    "description": rng.choice(ACTION_TEXTS).format(thing=thing, room=room),
                    "owner_id": rng.choice(unit.employees + unit.leaders),
                    "due_date": due,
                    "status": ActionStatus.OPEN.value,
                    "created_by_id": rng.choice(follow_up),
                    "done_at": None,
                    "done_by_id": None,
                    "reminded_at": None,
                    "created_at": made,
                    "updated_at": made,
                }
                action_id += 1
                mine.append(action)
                updated = max(updated, made)
            for action in mine:
                done = target is Status.CLOSED or rng.random() < 0.4
                latest = min(reminder_due_at(action["due_date"]) + timedelta(days=20), until)
                if done and latest > action["created_at"]:
                    action["status"] = ActionStatus.DONE.value
                    action["done_at"] = _between(rng, action["created_at"], latest)
                    action["done_by_id"] = action["owner_id"]
                    action["updated_at"] = action["done_at"]
                    updated = max(updated, action["done_at"])
                    if action["done_at"] > reminder_due_at(action["due_date"]):
                        action["reminded_at"] = reminder_due_at(action["due_date"])
                elif target is Status.CLOSED:
                    action["status"] = ActionStatus.DONE.value
                    action["done_at"] = _soon_after(rng, action["created_at"], 48, until)
                    action["done_by_id"] = action["owner_id"]
                    action["updated_at"] = action["done_at"]
                    updated = max(updated, action["done_at"])
                elif reminder_due_at(action["due_date"]) <= until:
                    action["reminded_at"] = reminder_due_at(action["due_date"])
                    action["updated_at"] = action["reminded_at"]
        if target is Status.CLOSED:
            conclusion = rng.choice(CONCLUSIONS)
            open_actions = sum(1 for a in mine if a["status"] == ActionStatus.OPEN.value)
            assert close_problem(conclusion, open_actions) is None
            status = transition(status, Event.CLOSE)
            updated = _soon_after(rng, updated, 24 * 14, until)
            report["closed_at"] = updated
            report["closed_by_id"] = rng.choice(follow_up)
            report["conclusion"] = conclusion
        assert status is target, (status, target)
        report["status"] = status.value
        report["updated_at"] = updated
        reports.append(report)
        actions.extend(mine)
        report_id += 1
    counter_rows = [{"year": year, "last_number": last} for year, last in sorted(counters.items())]
    return reports, actions, counter_rows


# -- lone work ---------------------------------------------------------------------------------

TASKS = (
    "Måling på massespektrometer efter kl. 17",
    "Vedligehold af cellekulturer i weekenden",
    "Prøveudtagning i felten ved kysten",
    "Kalibrering af laseropstilling",
    "Skrivebordsarbejde og dataanalyse",
)


def _lone_work_form(rng: random.Random, unit_id: int, created: datetime) -> LoneWorkForm:
    risky = rng.random() < 0.4
    first = _local_date(created) + timedelta(days=rng.randint(1, 20))
    values: dict[str, Any] = {
        "unit_id": unit_id,
        "task": rng.choice(TASKS),
        "campus": rng.choice(CAMPUSES),
        "building": str(rng.randint(101, 460)),
        "room": str(rng.randint(1, 250)),
        "emergency_name": f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
        "emergency_phone": f"+45 {rng.randint(20, 99)} {rng.randint(10, 99)} {rng.randint(10, 99)} "
        f"{rng.randint(10, 99)}",
        "trained": True,
        "adult": True,
        "affiliation": "employee",
    }
    if rng.random() < 0.8:
        values.update(
            schedule=LoneWorkSchedule.SINGLE.value,
            start_date=first,
            start_time=rng.choice(("16:30", "17:00", "18:00")),
            end_date=first,
            end_time=rng.choice(("21:00", "22:00", "23:30")),
        )
    else:
        values.update(
            schedule=LoneWorkSchedule.RECURRING.value,
            valid_from=first,
            valid_to=first + timedelta(days=rng.randint(14, 180)),
            weekdays=rng.choice((["mon", "wed"], ["sat", "sun"], ["tue", "thu", "fri"])),
            window_start="16:00",
            window_end="20:00",
        )
    if risky:
        values.update(
            hazards=[rng.choice([h.value for h in Hazard if h is not Hazard.OTHER])],
            mitigations=[Mitigation.CHECK_IN.value, Mitigation.PHONE_COVERAGE.value],
            checkin_person=f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
            checkin_interval=rng.choice((15, 30, 60)),
        )
    else:
        values.update(mitigations=[Mitigation.PHONE_COVERAGE.value])
    return LoneWorkForm.model_validate(values)


def _lone_work_rows(
    rng: random.Random,
    people: _Org,
    count: int,
    start: datetime,
    until: datetime,
    ids: dict[str, int],
) -> list[dict[str, Any]]:
    moments = sorted(_working_hours_moment(rng, start, until) for _ in range(count))
    rows: list[dict[str, Any]] = []
    per_year: Counter[int] = Counter()
    request_id = ids["lone_work_request"]
    for created in moments:
        unit = people.pick_unit(rng)
        form = _lone_work_form(rng, unit.id, created)
        assert check(form, now=created) == {}, check(form, now=created)
        period = period_of(form)
        assert period is not None
        per_year[created.year] += 1
        requester = rng.choice(unit.employees)
        approver = rng.choice(unit.leaders)
        row: dict[str, Any] = {
            "id": request_id,
            **lone_work.request_values(
                form,
                period,
                number=f"AL-{created.year}-{per_year[created.year]:04d}",
                requester_id=requester,
                approver_id=approver,
                now=created,
            ),
        }
        request_id += 1
        ended = period.expires_at <= until
        outcome = rng.choices(
            ["approved", "pending", "rejected", "withdrawn", "revoked"],
            weights=[78, 3, 8, 7, 4] if ended else [62, 25, 7, 6, 0],
        )[0]
        decided = _soon_after(rng, created, 36, min(until, period.starts_at))
        if outcome in ("approved", "rejected", "revoked"):
            row["decided_by_id"] = approver
            row["decided_at"] = decided
            row["updated_at"] = decided
            if outcome == "rejected":
                row["status"] = LoneWorkStatus.REJECTED.value
                row["decision_note"] = "Arbejdet skal udføres i normal arbejdstid."
            else:
                row["status"] = LoneWorkStatus.APPROVED.value
                if rng.random() < 0.2:
                    row["conditions"] = "Ring til vagten ved start og slut."
            if outcome == "revoked":
                closed = _between(rng, decided, min(period.expires_at, until))
                row.update(
                    status=LoneWorkStatus.REVOKED.value,
                    closed_by_id=approver,
                    closed_at=closed,
                    close_reason="Laboratoriet lukkes for renovering.",
                    updated_at=closed,
                )
        elif outcome == "withdrawn":
            closed = _soon_after(rng, created, 48, min(until, period.expires_at))
            row.update(
                status=LoneWorkStatus.WITHDRAWN.value,
                closed_by_id=requester,
                closed_at=closed,
                updated_at=closed,
            )
        if ended and row["status"] in (
            LoneWorkStatus.PENDING.value,
            LoneWorkStatus.APPROVED.value,
        ):
            expired = min(period.expires_at + timedelta(minutes=rng.randint(0, 1)), until)
            row.update(
                status=LoneWorkStatus.EXPIRED.value,
                closed_by_id=None,
                closed_at=expired,
                close_reason=None,
                updated_at=expired,
            )
        rows.append(row)
    return rows


# -- drug precursors ---------------------------------------------------------------------------

SUPPLIERS = ("Sigma-Aldrich", "VWR", "Merck", "Th. Geyer", "Fisher Scientific")
PURPOSES = ("Syntese, projekt {n}", "Undervisning, kursus {n}", "Analyse, projekt {n}")
LOCATIONS = ("Bygning {b}, giftskab {n}", "Bygning {b}, syreskab {n}", "Bygning {b}, kemikalierum")


@dataclass
class _Holding:
    id: int
    unit: _UnitPeople
    substance: PrecursorSubstance
    first: date
    entries: list[dict[str, Any]] = field(default_factory=list)


def _entered(micro: int, report_unit: str, rng: random.Random) -> tuple[str, str]:
    """What the keeper typed: whole kg/L when it is one, else g/mL (1 g = 1000 micro-kg)."""
    small = "g" if report_unit == "kg" else "mL"
    if micro % 1_000_000 == 0 and rng.random() < 0.7:
        return str(micro // 1_000_000), report_unit
    return str(micro // 1000), small


def _ledger_for(
    rng: random.Random,
    holding: _Holding,
    count: int,
    until: datetime,
    units: list[_UnitPeople],
) -> None:
    """`count` entries: an opening balance, movements, a count every December, a few
    reversals; the running book stock is kept, so no day ever ends below zero."""
    today = _local_date(until)
    report_unit = holding.substance.report_unit
    keeper = holding.unit.contacts[0]
    span = (today - holding.first).days
    counts = [
        date(year, 12, rng.randint(1, 15))
        for year in range(holding.first.year, today.year + 1)
        if holding.first < date(year, 12, 1) and date(year, 12, 15) <= today
    ]
    counts = counts[len(counts) - min(len(counts), max(0, count - 1)) :]
    movements = max(0, count - 1 - len(counts))
    days = sorted(
        holding.first + timedelta(days=rng.randint(1, max(1, span))) for _ in range(movements)
    )
    plan: list[tuple[date, str]] = [(holding.first, EntryKind.OPENING.value)]
    plan += [(day, "movement") for day in days if day <= today]
    plan += [(day, EntryKind.COUNT.value) for day in counts]
    plan.sort(key=lambda item: (item[0], item[1] == EntryKind.COUNT.value))
    stock = 0
    project = rng.randint(100, 999)
    counts_left = len(counts)

    def add(day: date, kind: EntryKind, micro: int, **extra: Any) -> dict[str, Any]:
        entered_quantity, entered_unit = _entered(micro, report_unit, rng)
        created = min(
            _local_moment(day, rng.randint(8, 16), rng.randint(0, 59))
            + timedelta(days=rng.choice((0, 0, 0, 1, 2))),
            until - timedelta(hours=1),
        )
        row: dict[str, Any] = {
            "holding_id": holding.id,
            "kind": kind.value,
            "entry_date": day,
            "quantity_micro": micro,
            "delta_micro": delta_of(kind, micro),
            "entered_quantity": entered_quantity,
            "entered_unit": entered_unit,
            "counterparty": None,
            "declaration_ref": None,
            "document_ref": None,
            "purpose": None,
            "reason": None,
            "reverses_id": None,
            "source": "bot",
            "created_by_id": keeper,
            "created_at": created,
        }
        row.update(extra)
        holding.entries.append(row)
        return row

    for day, what in plan:
        if what == EntryKind.OPENING.value:
            micro = rng.randint(1, 40) * 100_000
            add(day, EntryKind.OPENING, micro)
            stock += micro
        elif what == EntryKind.COUNT.value:
            counts_left -= 1
            counted = stock
            if stock and rng.random() < 0.05:
                counted = max(0, stock - rng.randint(1, 50) * 1000)
            add(day, EntryKind.COUNT, counted)
        elif len(holding.entries) + counts_left < count:
            kind = rng.choices(
                [EntryKind.PURCHASE, EntryKind.CONSUMPTION, EntryKind.DISPOSAL, EntryKind.TRANSFER],
                weights=[28, 58, 9, 5],
            )[0]
            if kind is not EntryKind.PURCHASE and stock < 1000:
                kind = EntryKind.PURCHASE
            if kind is EntryKind.PURCHASE:
                micro = rng.choice((500, 1000, 2500, 5000)) * 1000
                add(
                    day,
                    kind,
                    micro,
                    counterparty=rng.choice(SUPPLIERS),
                    declaration_ref=f"KE-{day.year}-{rng.randint(1, 400)}",
                    document_ref=f"F-{rng.randint(10000, 99999)}",
                )
                stock += micro
                continue
            micro = max(1000, min(stock, rng.randint(1, max(1, stock // 1000 // 3)) * 1000))
            if kind is EntryKind.CONSUMPTION:
                row = add(day, kind, micro, purpose=rng.choice(PURPOSES).format(n=project))
                if rng.random() < 0.02 and len(holding.entries) + counts_left < count:
                    # Typed twice by mistake: the keeper undoes it the same day.
                    add(
                        day,
                        EntryKind.REVERSAL,
                        micro,
                        delta_micro=micro,
                        reverses_id=row,
                        created_at=row["created_at"] + timedelta(minutes=3),
                        reason="Indtastet to gange ved en fejl.",
                        entered_quantity=None,
                        entered_unit=None,
                    )
                    continue
            elif kind is EntryKind.DISPOSAL:
                add(day, kind, micro, counterparty="Kommunekemi", purpose="Udløbet")
            else:
                other = rng.choice([unit for unit in units if unit is not holding.unit])
                add(day, kind, micro, counterparty=other.name)
            stock -= micro


def _check_ledger(holding: _Holding) -> None:
    lines = [
        LedgerLine(
            id=index,
            kind=EntryKind(row["kind"]),
            entry_date=row["entry_date"],
            quantity_micro=row["quantity_micro"],
            delta_micro=row["delta_micro"],
        )
        for index, row in enumerate(holding.entries)
    ]
    assert first_negative_day(lines) is None, holding.id


async def _precursor_rows(
    db: Database,
    rng: random.Random,
    people: _Org,
    total: int,
    start: datetime,
    until: datetime,
    ids: dict[str, int],
) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[dict[str, Any]]]:
    await precursor_catalogue.ensure_loaded(db)
    async with orm_session(db) as session:
        substances = list(
            (
                await session.scalars(
                    select(PrecursorSubstance)
                    .where(PrecursorSubstance.active.is_(True))
                    .order_by(PrecursorSubstance.id)
                )
            ).all()
        )
    today = _local_date(until)
    first_day = _local_date(start)
    keepers = rng.sample(people.units, k=max(1, round(len(people.units) * 0.65)))
    holdings: list[_Holding] = []
    holding_id = ids["precursor_holding"]
    for unit in keepers:
        for substance in rng.sample(substances, k=min(len(substances), rng.randint(3, 8))):
            offset = rng.randint(0, 365 * 3) if rng.random() < 0.7 else rng.randint(0, 365 * 9)
            holdings.append(_Holding(holding_id, unit, substance, first_day + timedelta(offset)))
            holding_id += 1
    weights = [rng.uniform(0.3, 1.7) for _ in holdings]
    scale = total / sum(weights)
    shares = [max(2, round(weight * scale)) for weight in weights]
    shares[0] += total - sum(shares)
    for holding, share in zip(holdings, shares, strict=True):
        _ledger_for(rng, holding, max(2, share), until, people.units)
        _check_ledger(holding)
    # Ids in the order the keepers typed the entries, as the app would have given them.
    everything = [row for holding in holdings for row in holding.entries]
    everything.sort(key=lambda row: row["created_at"])
    entry_id = ids["precursor_entry"]
    for row in everything:
        row["id"] = entry_id
        entry_id += 1
    for row in everything:
        if isinstance(row["reverses_id"], dict):
            row["reverses_id"] = row["reverses_id"]["id"]
    holding_rows = [
        {
            "id": holding.id,
            "unit_id": holding.unit.id,
            "substance_id": holding.substance.id,
            "storage_location": rng.choice(LOCATIONS).format(
                b=rng.randint(200, 230), n=rng.randint(1, 4)
            ),
            "note": rng.choice((None, None, "37 % opløsning", "Vandfri")),
            "active": True,
            "created_by_id": holding.unit.contacts[0],
            "created_at": _local_moment(holding.first, 9),
            "updated_at": _local_moment(holding.first, 9),
        }
        for holding in holdings
    ]
    registrations: list[dict[str, Any]] = []
    registration_id = ids["precursor_registration"]
    for year in range(first_day.year, today.year + 1):
        for unit in people.units:
            at = _local_moment(date(year, rng.randint(2, 5), rng.randint(1, 28)), 10)
            if at > until or (year == today.year and rng.random() < 0.1):
                continue
            keys = sorted(
                h.substance.key for h in holdings if h.unit is unit and h.first.year <= year
            )
            contact = unit.contacts[0]
            registrations.append(
                {
                    "id": registration_id,
                    "unit_id": unit.id,
                    "year": year,
                    "status": (
                        RegistrationStatus.SUBSTANCES if keys else RegistrationStatus.NONE
                    ).value,
                    "substance_keys": keys,
                    "contact_person_id": contact,
                    "registered_by_id": contact,
                    "registered_at": at,
                }
            )
            registration_id += 1
    return holding_rows, everything, registrations


# -- well-being --------------------------------------------------------------------------------

PROBLEMS = (
    "Uklar opgavefordeling i gruppen",
    "Stort arbejdspres op til deadlines",
    "Manglende introduktion af nye kolleger",
    "Støj i kontormiljøet",
)
ACTIONS = (
    "Ugentligt kort planlægningsmøde",
    "Fast mentorordning for nye",
    "Stilletimer om formiddagen",
    "Prioriteringssamtale med leder hvert kvartal",
)


def _wellbeing_rows(
    rng: random.Random,
    people: _Org,
    items: int,
    start: datetime,
    until: datetime,
    ids: dict[str, int],
) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[dict[str, Any]]]:
    today = _local_date(until)
    cutoff = notes_cutoff(until, 5)
    dialogues: list[dict[str, Any]] = []
    count = max(1, items // 8)
    dialogue_id = ids["wellbeing_dialogue"]
    for _ in range(count):
        unit = people.pick_unit(rng)
        held = _local_date(_between(rng, start, until - timedelta(days=1)))
        created = min(_local_moment(held, 15) + timedelta(days=rng.randint(0, 5)), until)
        row: dict[str, Any] = {
            "id": dialogue_id,
            "unit_id": unit.id,
            "group_name": f"Sektion {rng.randint(1, 6)}",
            "held_on": held,
            "facilitator": f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
            "participants": rng.randint(4, 25),
            "themes": sorted({rng.choice([t.value for t in Theme if t is not Theme.OTHER])}),
            "theme_other": None,
            "works_well": "Godt fagligt fællesskab og hjælpsomhed.",
            "challenges": "Travlhed i eksamensperioden.",
            "absence_considered": rng.random() < 0.7,
            "absence_note": None,
            "flags_confirmed": 0,
            "recorded_by_id": rng.choice(unit.leaders + unit.amks),
            "notes_deleted_at": None,
            "created_at": created,
            "updated_at": created,
        }
        if held < cutoff:
            deleted = min(_local_moment(add_years(held, 5) + timedelta(days=1), 3), until)
            row.update(dict.fromkeys(NOTE_FIELDS))
            row["notes_deleted_at"] = max(deleted, created)
            row["updated_at"] = row["notes_deleted_at"]
        dialogues.append(row)
        dialogue_id += 1
    dialogues.sort(key=lambda row: row["created_at"])
    action_rows: list[dict[str, Any]] = []
    item_id = ids["wellbeing_action_item"]
    unit_by_id = {unit.id: unit for unit in people.units}
    for _ in range(items):
        dialogue = rng.choice(dialogues)
        unit = unit_by_id[dialogue["unit_id"]]
        created = dialogue["created_at"]
        deadline = dialogue["held_on"] + timedelta(days=rng.randint(30, 180))
        follow_up = deadline + timedelta(days=rng.randint(14, 60))
        owner = rng.choice(unit.employees[:10] + unit.leaders)
        if follow_up < today:
            status = rng.choices(list(ItemStatus), weights=[8, 8, 74, 10])[0]
        else:
            status = rng.choices(list(ItemStatus), weights=[50, 40, 8, 2])[0]
        row = {
            "id": item_id,
            "unit_id": unit.id,
            "dialogue_id": dialogue["id"] if rng.random() < 0.9 else None,
            "reopened_from_id": None,
            "submission_key": None,
            "problem": rng.choice(PROBLEMS),
            "action": rng.choice(ACTIONS),
            "owner_id": owner,
            "deadline": deadline,
            "follow_up_on": follow_up,
            "status": status.value,
            "status_note": None,
            "status_by_id": None,
            "status_at": None,
            "closed_at": None,
            "effect": None,
            "effect_note": None,
            "evaluated_by_id": None,
            "evaluated_at": None,
            "owner_notified_at": created + timedelta(minutes=1),
            "follow_up_sent_at": (
                _local_moment(follow_up, 8) if _local_moment(follow_up, 8) <= until else None
            ),
            "overdue_reminded_for": None,
            "created_by_id": dialogue["recorded_by_id"],
            "created_at": created,
            "updated_at": created,
        }
        if status is not ItemStatus.OPEN:
            at = _between(rng, created, min(_local_moment(deadline, 12), until))
            row.update(status_by_id=owner, status_at=at, updated_at=at)
            if not status.is_open:
                row["closed_at"] = at
        if status is ItemStatus.DONE and row["follow_up_sent_at"] is not None:
            evaluated = _soon_after(rng, row["follow_up_sent_at"], 24 * 7, until)
            row.update(
                effect=rng.choice(list(Effect)).value,
                evaluated_by_id=owner,
                evaluated_at=evaluated,
                updated_at=max(row["updated_at"], evaluated),
            )
        if status.is_open and deadline < today:
            row["overdue_reminded_for"] = deadline
        action_rows.append(row)
        item_id += 1
    action_rows.sort(key=lambda row: (row["created_at"], row["id"]))
    discussions: list[dict[str, Any]] = []
    discussion_id = ids["wellbeing_annual_discussion"]
    for year in range(_local_date(start).year, today.year + 1):
        for unit in people.units:
            held = date(year, rng.randint(10, 12), rng.randint(1, 15))
            if held >= today or (year == today.year and rng.random() < 0.3):
                continue
            at = min(_local_moment(held, 14), until)
            discussions.append(
                {
                    "id": discussion_id,
                    "unit_id": unit.id,
                    "year": year,
                    "held_on": held,
                    "participant_roles": [AmdRole.LEADER.value, AmdRole.AMK.value],
                    "goals_met": rng.choice(list(GoalsMet)).value,
                    "goals_next_year": "Færre nærved-hændelser med kemikalier.",
                    "cooperation": "Godt samarbejde med AMR.",
                    "competence_needs": "Kursus i risikovurdering.",
                    "recorded_by_id": unit.leaders[0],
                    "created_at": at,
                    "updated_at": at,
                }
            )
            discussion_id += 1
    return dialogues, action_rows, discussions


# -- seeding -----------------------------------------------------------------------------------

SEEDED_TABLES: tuple[type[Base], ...] = (
    Person,
    RoleAssignment,
    Team,
    ConversationRef,
    DigestSubscription,
    NearMissReport,
    NearMissAction,
    LoneWorkRequest,
    PrecursorHolding,
    PrecursorEntry,
    PrecursorRegistration,
    WellbeingDialogue,
    WellbeingActionItem,
    WellbeingAnnualDiscussion,
)


async def _subscription(db: Database, until: datetime, person_id: int) -> int:
    """A channel that subscribed to the digest for every unit (as "digest her" makes it)."""
    async with orm_transaction(db) as session:
        team = Team(
            team_id="19:volume-team@thread.tacv2",
            name="AMK-netværket",
            service_url="https://smba.trafficmanager.net/emea/",
            installed_at=until - timedelta(days=400),
        )
        session.add(team)
        await session.flush()
        ref = ConversationRef(
            conversation_id=CHANNEL_ID,
            kind="channel",
            service_url=team.service_url,
            bot_id="28:amkbot",
            bot_name="AMK-bot",
            team_id=team.id,
            channel_id=CHANNEL_ID,
            channel_name="Arbejdsmiljø",
        )
        session.add(ref)
        await session.flush()
        subscription = DigestSubscription(
            conversation_ref_id=ref.id, lang="da", unit_ids=None, created_by_id=person_id
        )
        session.add(subscription)
        await session.flush()
        return subscription.id


async def _fix_sequences(db: Database) -> None:
    """Explicit ids leave PostgreSQL's sequences behind; move them past the rows."""
    if db.is_sqlite:
        return
    async with orm_transaction(db) as session:
        for model in SEEDED_TABLES:
            name = _table(model).name
            await session.execute(
                text(
                    f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "
                    f"GREATEST((SELECT max(id) FROM {name}), 1))"
                )
            )


async def prepare(db: Database) -> None:
    """Migrate to the newest schema and seed the units (what `python -m bot db upgrade` does)."""
    await db.upgrade()
    async with audited(db) as connection:
        await org.seed_units(connection)


async def seed(
    db: Database,
    *,
    scale: float = 1.0,
    until: datetime | None = None,
    rng_seed: int = 8,
    log: bool = False,
) -> SeedReport:
    """Ten years up to `until` (default now) at `scale` × the university's volume."""
    began = time.perf_counter()
    rng = random.Random(rng_seed)
    volume = Volume().scaled(scale) if scale != 1.0 else Volume()
    end = _aware(until or datetime.now(UTC)).replace(microsecond=0)
    start = end - timedelta(days=round(365.25 * YEARS))
    phases: dict[str, float] = {}

    def lap(name: str, since: float) -> float:
        now = time.perf_counter()
        phases[name] = round(now - since, 2)
        if log:
            print(f"  {name}: {phases[name]:.1f} s", file=sys.stderr)
        return now

    mark = time.perf_counter()
    ids = await _next_ids(db, SEEDED_TABLES)
    people, persons, roles = await _seed_org(db, rng, volume, start, ids)
    subscription_id = await _subscription(db, end, people.secretariat[0])
    mark = lap("organisation", mark)

    reports, actions, counters = _near_miss_rows(rng, people, volume.near_miss, start, end, ids)
    mark = lap("near misses generated", mark)
    async with orm_session(db) as session:
        taken = set((await session.scalars(select(NearMissCounter.year))).all())
    assert not taken & {row["year"] for row in counters}, "near misses were seeded here before"
    await _insert(db, NearMissReport, reports)
    await _insert(db, NearMissAction, actions)
    await _insert(db, NearMissCounter, counters)
    mark = lap("near misses inserted", mark)

    requests = _lone_work_rows(rng, people, volume.lone_work, start, end, ids)
    await _insert(db, LoneWorkRequest, requests)
    mark = lap("lone work", mark)

    holdings, entries, registrations = await _precursor_rows(
        db, rng, people, volume.ledger, start, end, ids
    )
    await _insert(db, PrecursorHolding, holdings)
    await _insert(db, PrecursorEntry, entries)
    await _insert(db, PrecursorRegistration, registrations)
    mark = lap("precursors", mark)

    dialogues, items, discussions = _wellbeing_rows(
        rng, people, volume.action_items, start, end, ids
    )
    await _insert(db, WellbeingDialogue, dialogues)
    await _insert(db, WellbeingActionItem, items)
    await _insert(db, WellbeingAnnualDiscussion, discussions)
    mark = lap("well-being", mark)

    await _fix_sequences(db)
    counts = {
        "units": len(people.units),
        "person": persons,
        "role_assignment": roles,
        "near_miss_report": len(reports),
        "near_miss_report_anonymous": sum(1 for row in reports if row["anonymous"]),
        "near_miss_action": len(actions),
        "near_miss_counter": len(counters),
        "lone_work_request": len(requests),
        "precursor_holding": len(holdings),
        "precursor_entry": len(entries),
        "precursor_registration": len(registrations),
        "wellbeing_dialogue": len(dialogues),
        "wellbeing_action_item": len(items),
        "wellbeing_annual_discussion": len(discussions),
        "digest_subscription": 1,
    }
    async with audited(db) as connection:
        await audit.record(
            connection,
            actor=person_actor(None),
            action="bench.volume.seed",
            entity_type="database",
            after={"scale": scale, "until": end.isoformat(), "counts": counts},
        )
    # Fresh statistics for the planner, as autovacuum would gather them after such a load.
    names = [_table(model).name for model in SEEDED_TABLES] + ["near_miss_counter"]
    if not db.is_sqlite:
        async with db.engine.connect() as connection:
            await connection.execution_options(isolation_level="AUTOCOMMIT")
            for name in names:
                await connection.execute(text(f"ANALYZE {name}"))
    else:
        async with orm_transaction(db) as session:
            await session.execute(text("ANALYZE"))
    lap("analyze", mark)
    return SeedReport(
        counts=counts,
        start=start,
        until=end,
        seconds=round(time.perf_counter() - began, 1),
        subscription_id=subscription_id,
        phases=phases,
    )


# -- measuring (each in a child process) -------------------------------------------------------


@dataclass
class Captured:
    """SELECT statements an operation issued, with their parameters (for EXPLAIN)."""

    statements: list[tuple[str, Any]] = field(default_factory=list)

    def attach(self, db: Database) -> None:
        engines = {id(db.engine): db.engine, id(db.read_engine): db.read_engine}
        for engine in engines.values():
            event.listen(engine.sync_engine, "before_cursor_execute", self._record)

    def _record(
        self,
        _connection: Any,
        _cursor: Any,
        statement: str,
        parameters: Any,
        _context: Any,
        _executemany: bool,
    ) -> None:
        if statement.lstrip().upper().startswith("SELECT"):
            self.statements.append((statement, parameters))


def _peak_mb() -> float:
    """This process's peak RSS since it started (VmHWM; ru_maxrss as a fallback)."""
    return (_high_water_kb("self") or resource.getrusage(resource.RUSAGE_SELF).ru_maxrss) / 1024


async def _child(args: argparse.Namespace) -> dict[str, Any]:
    """One measurement in this (fresh) process; prints JSON for the parent."""
    db = Database(args.database_url)
    captured = Captured()
    captured.attach(db)
    result: dict[str, Any] = {"what": args.what}
    out = Path(args.out) if args.out else None
    try:
        if args.what == "digest":
            from cards.digest import digest_card
            from domain.i18n import Lang
            from services.digest_sections import compose
            from storage.digest import active_subscriptions

            now = datetime.now(UTC)
            runs: list[float] = []
            cpu: list[float] = []
            size = 0
            for _ in range(args.repeat):
                began, began_cpu = time.perf_counter(), time.process_time()
                async with db.reading() as connection:
                    subscription, _ref = (await active_subscriptions(connection))[0]
                    units = frozenset(subscription.unit_ids) if subscription.unit_ids else None
                    scope = scope_for(
                        iso_week(now),
                        now,
                        units,
                        dialogue_interval_years=WellbeingSettings().dialogue_interval_years,
                        precursor_deadline="06-15",
                    )
                    content = await compose(connection, scope)
                card = digest_card(
                    Lang(subscription.lang),
                    content,
                    subscription_id=subscription.id,
                    exports_url=None,
                )
                runs.append(time.perf_counter() - began)
                cpu.append(time.process_time() - began_cpu)
                size = len(json.dumps(card, ensure_ascii=False).encode("utf-8"))
            result.update(
                seconds=runs[0],
                cpu_seconds=cpu[0],
                warm_seconds=statistics.median(runs[1:]) if len(runs) > 1 else runs[0],
                card_bytes=size,
                lines=sum(len(section.lines) for section in content.sections),
            )
        elif args.what == "precursors":
            import openpyxl

            from reports import precursors as precursor_report
            from services.precursor_workbooks import export_all

            modes: list[bool] = []

            class RecordingWorkbook(openpyxl.Workbook):
                def __init__(self, write_only: bool = False, iso_dates: bool = False) -> None:
                    modes.append(write_only)
                    super().__init__(write_only=write_only, iso_dates=iso_dates)

            setattr(precursor_report, "Workbook", RecordingWorkbook)  # noqa: B010
            assert out is not None
            began, began_cpu = time.perf_counter(), time.process_time()
            sheets = await export_all(db, args.year, out)
            result.update(
                seconds=time.perf_counter() - began,
                cpu_seconds=time.process_time() - began_cpu,
                units_with_sheets=sheets,
            )
            result["write_only"] = modes
            book = openpyxl.load_workbook(out, read_only=True)
            rows = book["Posteringer"].iter_rows(min_row=2, values_only=True)
            result["entry_rows"] = sum(1 for _ in rows)
            book.close()
        elif args.what == "near-miss":
            from domain.numbering import year_bounds
            from services.near_miss_export import export_year
            from storage.near_miss_lists import statistics as near_miss_statistics

            assert out is not None
            began, began_cpu = time.perf_counter(), time.process_time()
            count = await export_year(db, args.year, out)
            result.update(
                seconds=time.perf_counter() - began,
                cpu_seconds=time.process_time() - began_cpu,
                reports=count,
            )
            start, end = year_bounds(args.year)
            began = time.perf_counter()
            async with db.reading() as connection:
                await near_miss_statistics(connection, start, end)
            result["statistics_seconds"] = time.perf_counter() - began
        else:
            raise SystemExit(f"unknown measurement {args.what}")
        result["peak_rss_mb"] = _peak_mb()
        if args.explain and not db.is_sqlite:
            result["plans"] = await _explain(args.database_url, captured.statements)
        result["statements"] = len(captured.statements)
    finally:
        await db.dispose()
    return result


BIG_TABLES = (
    "near_miss_report",
    "near_miss_action",
    "lone_work_request",
    "precursor_entry",
    "wellbeing_action_item",
)
SCAN = re.compile(
    r"(Seq Scan on \w+|Parallel Seq Scan on \w+|Index Only Scan using \w+|"
    r"Index Scan using \w+|Bitmap Index Scan on \w+|Index Only Scan Backward using \w+|"
    r"Index Scan Backward using \w+)"
)


async def _explain(url: str, statements: list[tuple[str, Any]]) -> list[dict[str, Any]]:
    """EXPLAIN (ANALYZE, BUFFERS) of each distinct SELECT that touches a big table."""
    import asyncpg  # type: ignore[import-untyped]

    dsn = normalise_url(url).replace("postgresql+asyncpg://", "postgresql://")
    connection = await asyncpg.connect(dsn)
    plans: list[dict[str, Any]] = []
    seen: set[str] = set()
    try:
        for statement, parameters in statements:
            shape = re.sub(r"\$\d+::\w+(, \$\d+::\w+)*", "…", statement)
            if shape in seen or not any(name in statement for name in BIG_TABLES):
                continue
            seen.add(shape)
            values = list(parameters or ())
            rows = await connection.fetch("EXPLAIN (ANALYZE, BUFFERS) " + statement, *values)
            plan = [row[0] for row in rows]
            plans.append(
                {
                    "sql": " ".join(statement.split()),
                    "scans": SCAN.findall("\n".join(plan)),
                    "execution_ms": next(
                        (
                            float(line.split(":")[1].split()[0])
                            for line in plan
                            if line.startswith("Execution Time")
                        ),
                        None,
                    ),
                    "plan": plan,
                }
            )
    finally:
        await connection.close()
    return plans


@dataclass
class Measured:
    name: str
    seconds: float
    cpu_seconds: float | None
    peak_mb: float
    target: str = ""
    met: bool | None = None
    note: str = ""
    details: dict[str, Any] = field(default_factory=dict)


@dataclass
class ChildRun:
    wall: float
    cpu: float
    peak_mb: float
    output: str
    code: int


def _run_child(arguments: list[str], env: dict[str, str]) -> ChildRun:
    """Run a fresh Python process: wall and CPU seconds, peak RSS (MB), stdout, exit code."""
    with tempfile.TemporaryFile(mode="w+") as output, tempfile.TemporaryFile(mode="w+") as errors:
        began = time.perf_counter()
        process = subprocess.Popen(
            [PYTHON, *arguments], cwd=ROOT, env=env, stdout=output, stderr=errors
        )
        # The kernel's ru_maxrss of a child counts the parent's image it was forked from;
        # the child's own high-water mark (VmHWM) is sampled instead.
        peak_kb = 0
        while True:
            pid, status, usage = os.wait4(process.pid, os.WNOHANG)
            if pid:
                break
            peak_kb = max(peak_kb, _high_water_kb(process.pid))
            time.sleep(0.02)
        wall = time.perf_counter() - began
        process.returncode = os.waitstatus_to_exitcode(status)
        output.seek(0)
        errors.seek(0)
        if process.returncode != 0:
            print(errors.read()[-3000:], file=sys.stderr)
        return ChildRun(
            wall, usage.ru_utime + usage.ru_stime, peak_kb / 1024, output.read(), process.returncode
        )


def _high_water_kb(pid: int | str) -> int:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0
    found = re.search(r"^VmHWM:\s+(\d+) kB", status, re.MULTILINE)
    return int(found.group(1)) if found else 0


def _json_tail(output: str) -> dict[str, Any]:
    line = [line for line in output.splitlines() if line.startswith("{")][-1]
    result: dict[str, Any] = json.loads(line)
    return result


async def _busiest_unit(url: str, year: int) -> str:
    db = Database(url)
    try:
        async with orm_session(db) as session:
            row = (
                await session.execute(
                    select(Unit.name, func.count())
                    .join(LoneWorkRequest, LoneWorkRequest.unit_id == Unit.id)
                    .where(
                        LoneWorkRequest.created_at >= datetime(year, 1, 1, tzinfo=UTC),
                        LoneWorkRequest.created_at < datetime(year + 1, 1, 1, tzinfo=UTC),
                    )
                    .group_by(Unit.name)
                    .order_by(func.count().desc())
                    .limit(1)
                )
            ).first()
    finally:
        await db.dispose()
    return str(row[0]) if row else "Kemi"


def _cli(label: str, arguments: list[str], env: dict[str, str], **extra: Any) -> Measured:
    run = _run_child(["-m", "bot", *arguments], env)
    note = str(extra.pop("note", ""))
    if run.code != 0:
        note = f"{note}; FAILED (exit {run.code})".strip("; ")
    return Measured(
        f"`python -m bot {label}` (whole process)",
        run.wall,
        run.cpu,
        run.peak_mb,
        note=note,
        **extra,
    )


def measure(url: str, year: int, *, explain: bool, work: Path) -> list[Measured]:
    """Every measurement in its own process; the exports also through the bot's own CLI."""
    env = {**os.environ, "DATABASE_URL": url, "LOG_LEVEL": "WARNING"}
    results: list[Measured] = []
    plans: dict[str, list[dict[str, Any]]] = {}

    def child(what: str, *extra: str) -> dict[str, Any]:
        arguments = ["-m", "bench.volume", "_child", what, "--database-url", url]
        arguments += ["--year", str(year), *extra]
        if explain:
            arguments.append("--explain")
        run = _run_child(arguments, env)
        if run.code != 0:
            raise SystemExit(f"measuring {what} failed")
        found = _json_tail(run.output)
        plans[what] = found.pop("plans", [])
        return found

    digest = child("digest", "--repeat", "5")
    results.append(
        Measured(
            "weekly digest: compose + card for 1 subscription covering all units (first call)",
            digest["seconds"],
            digest["cpu_seconds"],
            digest["peak_rss_mb"],
            "< 1 s",
            digest["seconds"] < 1.0,
            f"warm median {digest['warm_seconds'] * 1000:.0f} ms; card "
            f"{digest['card_bytes'] / 1024:.1f} KB; {digest['statements']} SELECTs",
            digest,
        )
    )
    results.append(
        _cli(
            "digest --now --dry-run", ["digest", "--now", "--dry-run", "--channel", CHANNEL_ID], env
        )
    )
    out = work / f"precursors-{year}.xlsx"
    found = child("precursors", "--out", str(out))
    results.append(
        Measured(
            f"precursor roll-up `export_all({year})`",
            found["seconds"],
            found["cpu_seconds"],
            found["peak_rss_mb"],
            "< 3 s, < 300 MB",
            found["seconds"] < 3.0 and found["peak_rss_mb"] < 300,
            f"write_only={found['write_only']}; {found['units_with_sheets']} unit sheets; "
            f"{found['entry_rows']} entry rows; {found['statements']} SELECTs",
            found,
        )
    )
    run = _cli(
        f"export precursors --all --year {year}",
        ["export", "precursors", "--all", "--year", str(year), "--out", str(out)],
        env,
        target="< 3 s, < 300 MB",
    )
    run.met = run.seconds < 3.0 and run.peak_mb < 300 and "FAILED" not in run.note
    run.note = f"{out.stat().st_size / 1024:.0f} KB file {run.note}".strip()
    results.append(run)
    out = work / f"near-miss-{year}.xlsx"
    found = child("near-miss", "--out", str(out))
    results.append(
        Measured(
            f"near-miss register + statistics `export_year({year})`",
            found["seconds"],
            found["cpu_seconds"],
            found["peak_rss_mb"],
            note=f"{found['reports']} reports; statistics() alone "
            f"{found['statistics_seconds'] * 1000:.0f} ms; {found['statements']} SELECTs",
            details=found,
        )
    )
    results.append(
        _cli(
            f"export near-miss --year {year}",
            ["export", "near-miss", "--year", str(year), "--out", str(out)],
            env,
        )
    )
    unit = asyncio.run(_busiest_unit(url, year))
    for label, arguments in (
        (
            f"export lone-work --unit {unit} --year {year}",
            ["export", "lone-work", "--unit", unit, "--year", str(year)],
        ),
        (
            f"export precursors --unit {unit} --year {year}",
            ["export", "precursors", "--unit", unit, "--year", str(year)],
        ),
        (f"export action-plan --unit {unit}", ["export", "action-plan", "--unit", unit]),
        ("audit verify", ["audit", "verify"]),
    ):
        extra = ["--out", str(work / f"{arguments[1]}.xlsx")] if arguments[0] == "export" else []
        results.append(_cli(label, [*arguments, *extra], env))
    if explain:
        (work / "plans.json").write_text(json.dumps(plans, indent=1, default=str))
        for what, items in plans.items():
            for item in items:
                results[0].details.setdefault("explain", []).append({"what": what, **item})
    return results


def print_table(results: list[Measured], database: str) -> str:
    lines = [
        f"| operation ({database}) | wall s | CPU s | peak RSS MB | target | met? | notes |",
        "|---|---|---|---|---|---|---|",
    ]
    for item in results:
        met = "" if item.met is None else ("yes" if item.met else "**no**")
        cpu = "" if item.cpu_seconds is None else f"{item.cpu_seconds:.2f}"
        lines.append(
            f"| {item.name} | {item.seconds:.2f} | {cpu} | {item.peak_mb:.0f} | {item.target} "
            f"| {met} | {item.note} |"
        )
    return "\n".join(lines)


def print_plans(results: list[Measured]) -> str:
    explained = results[0].details.get("explain", []) if results else []
    lines = ["| report | query | execution ms | scans |", "|---|---|---|---|"]
    for item in explained:
        sql = item["sql"]
        sql = sql if len(sql) < 150 else sql[:147] + "…"
        scans = "; ".join(dict.fromkeys(item["scans"]))
        lines.append(f"| {item['what']} | `{sql}` | {item['execution_ms']} | {scans} |")
    return "\n".join(lines)


# -- the command line --------------------------------------------------------------------------


async def _create_database(server_url: str) -> str:
    import asyncpg

    name = f"amkbot_volume_{uuid.uuid4().hex[:10]}"
    dsn = normalise_url(server_url).replace("postgresql+asyncpg://", "postgresql://")
    connection = await asyncpg.connect(dsn)
    try:
        await connection.execute(f'CREATE DATABASE "{name}"')
    finally:
        await connection.close()
    return f"{dsn.rsplit('/', 1)[0]}/{name}"


async def _drop_database(server_url: str, url: str) -> None:
    import asyncpg

    name = url.rsplit("/", 1)[1]
    assert name.startswith("amkbot_volume_")
    dsn = normalise_url(server_url).replace("postgresql+asyncpg://", "postgresql://")
    connection = await asyncpg.connect(dsn)
    try:
        await connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await connection.close()


async def _seed_command(url: str, scale: float) -> SeedReport:
    db = Database(url)
    try:
        await prepare(db)
        return await seed(db, scale=scale, log=True)
    finally:
        await db.dispose()


def _show_seed(report: SeedReport, url: str) -> None:
    period = f"{report.start:%Y-%m-%d} – {report.until:%Y-%m-%d}"
    print(f"seeded {url} in {report.seconds:.1f} s ({period})")
    for name, count in report.counts.items():
        print(f"  {name:32} {count:>8,}")
    print(f"  phases: {report.phases}")


def _default_year() -> int:
    return datetime.now(COPENHAGEN).year - 1


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.volume", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    seed_parser = commands.add_parser("seed", help="fill a database with a decade of data")
    time_parser = commands.add_parser("time", help="time the digest and the exports")
    all_parser = commands.add_parser("all", help="seed a fresh database, time, remove it")
    for sub in (seed_parser, time_parser):
        sub.add_argument("--database-url", default=None)
    for sub in (seed_parser, all_parser):
        sub.add_argument("--scale", type=float, default=1.0, help="1.0 = the university's volume")
    for sub in (time_parser, all_parser):
        sub.add_argument("--year", type=int, default=_default_year())
        sub.add_argument("--no-explain", action="store_true")
    all_parser.add_argument(
        "--server-url", default=None, help="PostgreSQL server: a fresh database is made there"
    )
    child = commands.add_parser("_child")
    child.add_argument("what")
    child.add_argument("--database-url", required=True)
    child.add_argument("--year", type=int, default=_default_year())
    child.add_argument("--out", default=None)
    child.add_argument("--repeat", type=int, default=1)
    child.add_argument("--explain", action="store_true")
    args = parser.parse_args(argv)

    if args.command == "_child":
        print(json.dumps(asyncio.run(_child(args)), default=str))
        return 0
    if args.command == "seed":
        url = args.database_url
        if url is None:
            directory = Path(tempfile.mkdtemp(prefix="amkbot-volume-"))
            url = f"sqlite+aiosqlite:///{directory / 'amkbot.db'}"
        report = asyncio.run(_seed_command(url, args.scale))
        _show_seed(report, url)
        return 0
    if args.command == "time":
        if args.database_url is None:
            parser.error("time needs --database-url (of a database `seed` filled)")
        with tempfile.TemporaryDirectory(prefix="amkbot-volume-") as work:
            results = measure(
                args.database_url, args.year, explain=not args.no_explain, work=Path(work)
            )
        database = "sqlite" if "sqlite" in args.database_url else "postgresql"
        print(print_table(results, database))
        if database == "postgresql" and not args.no_explain:
            print(print_plans(results))
        return 0
    return _all(args)


def _all(args: argparse.Namespace) -> int:
    work = Path(tempfile.mkdtemp(prefix="amkbot-volume-"))
    server = args.server_url
    url = (
        asyncio.run(_create_database(server))
        if server
        else f"sqlite+aiosqlite:///{work / 'amkbot.db'}"
    )
    database = "postgresql" if server else "sqlite"
    try:
        report = asyncio.run(_seed_command(url, args.scale))
        _show_seed(report, database)
        results = measure(url, args.year, explain=not args.no_explain, work=work)
        table = print_table(results, database)
        print(table)
        plans = print_plans(results) if server and not args.no_explain else ""
        if plans:
            print(plans)
        RESULTS.mkdir(parents=True, exist_ok=True)
        stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
        load = " ".join(f"{value:.2f}" for value in os.getloadavg())
        print(f"load average at the end: {load}")
        (RESULTS / f"volume-{database}.md").write_text(
            f"Run {stamp}, seed {report.seconds:.1f} s, year {args.year}, load {load}\n\n"
            f"{json.dumps(report.counts)}\n\n{table}\n\n{plans}\n"
        )
        (RESULTS / f"volume-{database}.json").write_text(
            json.dumps(
                {
                    "when": stamp,
                    "seed_seconds": report.seconds,
                    "phases": report.phases,
                    "counts": report.counts,
                    "results": [item.__dict__ for item in results],
                },
                indent=1,
                default=str,
            )
        )
    finally:
        if server:
            asyncio.run(_drop_database(server, url))
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
