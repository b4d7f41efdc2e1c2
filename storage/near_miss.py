"""Near-miss reports: one function per user action, each on the caller's connection and
audited there; queries for cards, the register and the statistics.

Anonymous reports are written with no reporter at all and audited as `anonymous`.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, fields
from datetime import date, datetime
from typing import Any, Protocol

from sqlalchemy import (
    CompoundSelect,
    Row,
    Table,
    and_,
    bindparam,
    func,
    insert,
    null,
    or_,
    select,
    union_all,
)

from domain.audit import person_actor
from domain.i18n import Lang, preferred_lang
from domain.near_miss import (
    ActionStatus,
    ActionView,
    Category,
    FollowUpContext,
    Participant,
    ReportFacts,
    ReportView,
    Severity,
    Status,
    format_number,
)
from domain.near_miss_forms import NearMissForm
from domain.numbering import local_year
from domain.org import Role, UnknownUnit
from storage import audit, conversations, org, rows
from storage.counters import next_in_year
from storage.db import HotConnection
from storage.models import Person, RoleAssignment, Unit
from storage.near_miss_models import NearMissAction, NearMissCounter, NearMissPhoto, NearMissReport
from storage.near_miss_photos import ATTACH_PENDING
from storage.rows import PERSON_COLUMNS, PersonRow, Speaking, columns_of

ENTITY = "near_miss_report"
ANONYMOUS_ACTOR = "anonymous"
LIST_LIMIT = 25


def lang_of(person: Speaking) -> Lang:
    return preferred_lang(person.language_override, person.locale)


# -- reporting ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class StoredReport(ReportFacts):
    """A report as `submit` stored it (or found it stored before), with its unit's name."""

    reporter_id: int | None


# Built once (binding parameters): building a statement costs as much as running it.
_REPORT = NearMissReport.__table__.c
_STORED_COLUMNS = (
    _REPORT.id,
    _REPORT.number,
    _REPORT.unit_id,
    Unit.name,
    _REPORT.anonymous,
    _REPORT.reporter_id,
    _REPORT.occurred_at,
    _REPORT.campus,
    _REPORT.building,
    _REPORT.room,
    _REPORT.description,
    _REPORT.category,
    _REPORT.severity,
    _REPORT.injury,
    _REPORT.immediate_action,
    _REPORT.prevention,
    _REPORT.photo_url,
    _REPORT.status,
    _REPORT.created_at,
)
_STORED = select(*_STORED_COLUMNS).outerjoin(Unit, Unit.id == _REPORT.unit_id)
_STORED_BY_KEY = _STORED.where(_REPORT.submission_key == bindparam("submission_key"))
_STORED_BY_ID = _STORED.where(_REPORT.id == bindparam("report_id"))
# The unit's name and an earlier report of the same submission, in one round trip.
_BEFORE_SUBMIT = select(
    select(Unit.name).where(Unit.id == bindparam("unit_id"), Unit.active).scalar_subquery(),
    select(_REPORT.id)
    .where(_REPORT.submission_key == bindparam("submission_key"))
    .scalar_subquery(),
)
_INSERT_REPORT = insert(NearMissReport).returning(_REPORT.id)
_PHOTO_COUNT = select(func.count()).where(NearMissPhoto.report_id == bindparam("report_id"))


def _stored(row: Row[Any]) -> StoredReport:
    return StoredReport(
        id=row.id,
        number=row.number,
        unit_id=row.unit_id,
        unit_name=row.name or "",
        anonymous=bool(row.anonymous),
        reporter_id=row.reporter_id,
        occurred_at=row.occurred_at,
        campus=row.campus,
        building=row.building,
        room=row.room,
        description=row.description,
        category=Category(row.category),
        severity=Severity(row.severity),
        injury=bool(row.injury),
        immediate_action=row.immediate_action,
        prevention=row.prevention,
        photo_url=row.photo_url,
        status=Status(row.status),
        created_at=row.created_at,
    )


async def stored_by_submission(
    connection: HotConnection, submission_key: str
) -> StoredReport | None:
    """The report a submission (the form's card) stored, if it was stored."""
    row = (await connection.execute(_STORED_BY_KEY, {"submission_key": submission_key})).first()
    return _stored(row) if row is not None else None


async def _next_number(connection: HotConnection, year: int) -> str:
    """The year's next number from its counter row (`storage.counters`)."""
    return format_number(year, await next_in_year(connection, NearMissCounter, year))


async def submit(
    connection: audit.AuditedConnection,
    form: NearMissForm,
    *,
    reporter_id: int | None,
    now: datetime,
    submission_key: str | None = None,
    photo_key: str | None = None,
) -> tuple[StoredReport, bool]:
    """Store a validated report (False: this submission was stored before, e.g. a
    double click). An anonymous report keeps no trace of who sent it. `UnknownUnit` when
    the form's unit is not an active unit. The photos sent while the form was filled in
    (under `photo_key`) become the report's."""
    unit_name, earlier = (
        await connection.execute(
            _BEFORE_SUBMIT, {"unit_id": form.unit_id, "submission_key": submission_key}
        )
    ).one()
    if earlier is not None and submission_key:
        existing = await stored_by_submission(connection, submission_key)
        if existing is not None:
            return existing, False
    if unit_name is None:
        raise UnknownUnit(form.unit_id)
    reporter = None if form.anonymous else reporter_id
    number = await _next_number(connection, local_year(now))
    values: dict[str, Any] = {
        "number": number,
        "submission_key": submission_key,
        "unit_id": form.unit_id,
        "anonymous": form.anonymous,
        "reporter_id": reporter,
        "occurred_at": form.occurred_at,
        "campus": form.campus,
        "building": form.building,
        "room": form.room,
        "description": form.description,
        "category": form.category.value,
        "severity": form.severity.value,
        "injury": form.injured,
        "immediate_action": form.immediate_action,
        "prevention": form.prevention,
        "photo_url": form.photo_url,
        "status": Status.REPORTED.value,
        "created_at": now,
        "updated_at": now,
    }
    report_id: int = (await connection.execute(_INSERT_REPORT, values)).scalar_one()
    if photo_key:
        await connection.execute(ATTACH_PENDING, {"key": photo_key, "rid": report_id, "at": now})
    report = StoredReport(
        id=report_id,
        number=number,
        unit_id=form.unit_id,
        unit_name=unit_name,
        anonymous=form.anonymous,
        reporter_id=reporter,
        occurred_at=values["occurred_at"],
        campus=form.campus,
        building=form.building,
        room=form.room,
        description=form.description,
        category=form.category,
        severity=form.severity,
        injury=form.injured,
        immediate_action=form.immediate_action,
        prevention=form.prevention,
        photo_url=form.photo_url,
        status=Status.REPORTED,
        created_at=now,
    )
    after: dict[str, object] = {
        "number": report.number,
        "unit_id": report.unit_id,
        "category": report.category.value,
        "severity": report.severity.value,
        "injury": report.injury,
        "anonymous": report.anonymous,
        "status": report.status.value,
    }
    if reporter is not None:
        after["reporter_id"] = reporter
    await audit.record(
        connection,
        actor=ANONYMOUS_ACTOR if reporter is None else person_actor(reporter),
        action="near_miss.report",
        entity_type=ENTITY,
        entity_id=report.id,
        after=after,
    )
    return report, True


# -- reading -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ActionRow:
    """A corrective action's columns (the `near_miss_action` row) that cards and rules need."""

    id: int
    report_id: int
    description: str
    owner_id: int
    due_date: date
    status: str
    done_at: datetime | None


@dataclass(frozen=True, slots=True)
class ReportRow:
    """A stored report's columns (the `near_miss_report` row) with its unit's name and its
    corrective actions (oldest first), read without the ORM."""

    id: int
    number: str
    unit_id: int
    anonymous: bool
    reporter_id: int | None
    occurred_at: datetime
    campus: str
    building: str | None
    room: str | None
    description: str
    category: str
    severity: str
    injury: bool
    immediate_action: str | None
    prevention: str | None
    photo_url: str | None
    status: str
    investigator_id: int | None
    acknowledged_at: datetime | None
    acknowledged_by_id: int | None
    closed_at: datetime | None
    closed_by_id: int | None
    conclusion: str | None
    created_at: datetime
    unit_name: str = ""
    actions: tuple[ActionRow, ...] = ()

    def snapshot(self) -> dict[str, Any]:
        """The follow-up fields an audit event keeps (as `NearMissReport.snapshot`)."""
        return {
            "status": self.status,
            "investigator_id": self.investigator_id,
            "acknowledged_by_id": self.acknowledged_by_id,
            "closed_by_id": self.closed_by_id,
        }


def _table(model: Any) -> Table:
    table = model.__table__
    assert isinstance(table, Table)
    return table


REPORTS = _table(NearMissReport)
"""The reports table, for statements built once."""
ACTIONS = _table(NearMissAction)
"""The corrective actions table, for statements built once."""
_OWN_FIELDS = [
    field.name for field in fields(ReportRow) if field.name not in ("unit_name", "actions")
]
REPORT_COLUMNS = (
    *(REPORTS.c[name] for name in _OWN_FIELDS),
    func.coalesce(
        select(Unit.name).where(Unit.id == REPORTS.c.unit_id).scalar_subquery(), ""
    ).label("unit_name"),
)
"""The columns a `ReportRow` is built from (`report_row`), its actions apart."""
ACTION_COLUMNS = columns_of(ACTIONS, ActionRow)
"""The columns an `ActionRow` is built from, in its field order."""
_REPORT_BY_ID = select(*REPORT_COLUMNS).where(REPORTS.c.id == bindparam("report_id"))
_LOCKED_REPORT_BY_ID = _REPORT_BY_ID.with_for_update()
_ACTIONS_OF = (
    select(*ACTION_COLUMNS)
    .where(ACTIONS.c.report_id == bindparam("report_id"))
    .order_by(ACTIONS.c.id)
)
_ROLES_OF = select(RoleAssignment.person_id, RoleAssignment.role, RoleAssignment.unit_id).where(
    RoleAssignment.person_id.in_(bindparam("person_ids", expanding=True))
)
# The unit's AMKs and the secretariat, with the role each row stands for.
_FOLLOWER_ROWS = (
    select(RoleAssignment.role, *PERSON_COLUMNS)
    .join(Person, Person.id == RoleAssignment.person_id)
    .where(
        or_(
            and_(
                RoleAssignment.role == Role.AMK.value,
                RoleAssignment.unit_id == bindparam("unit_id"),
            ),
            and_(
                RoleAssignment.role == Role.SECRETARIAT.value,
                RoleAssignment.unit_id.is_(None),
            ),
        )
    )
)
_FOLLOWERS = _FOLLOWER_ROWS.order_by(Person.id)


# Positional: the selected columns, then the actions.
_new_report_row: Callable[..., ReportRow] = ReportRow


def report_row(row: Sequence[Any], actions: Iterable[ActionRow] = ()) -> ReportRow:
    """A report from a select of `REPORT_COLUMNS`, with its actions."""
    return _new_report_row(*row, tuple(actions))


async def get(connection: HotConnection, report_id: int, *, lock: bool = False) -> ReportRow | None:
    """A report with its actions; `lock` holds its row until the transaction ends."""
    statement = _LOCKED_REPORT_BY_ID if lock else _REPORT_BY_ID
    row = (await connection.execute(statement, {"report_id": report_id})).first()
    if row is None:
        return None
    actions = await connection.execute(_ACTIONS_OF, {"report_id": report_id})
    return report_row(row, (ActionRow(*action) for action in actions))


async def follow_up_people(connection: HotConnection, unit_id: int) -> list[PersonRow]:
    """Who is told of a new report: the unit's AMKs, or the secretariat if it has none."""
    amks: list[PersonRow] = []
    secretariat: list[PersonRow] = []
    for row in await connection.execute(_FOLLOWERS, {"unit_id": unit_id}):
        (amks if row[0] == Role.AMK.value else secretariat).append(PersonRow(*row[1:]))
    return amks or secretariat


def people_of(report: ReportRow) -> set[int | None]:
    """The people a report names: reporter, investigator, who acted on it, action owners."""
    ids: set[int | None] = {
        report.reporter_id,
        report.investigator_id,
        report.acknowledged_by_id,
        report.closed_by_id,
    }
    ids.update(action.owner_id for action in report.actions)
    return ids


async def view(
    connection: HotConnection,
    report: ReportRow,
    people: Mapping[int, PersonRow] | None = None,
) -> ReportView:
    """The report with names resolved, as cards and the register show it."""
    if people is None:
        people = await rows.people(connection, people_of(report))
    return report_view(report, people, await photo_count(connection, report.id))


def report_view(report: ReportRow, people: Mapping[int, PersonRow], photos: int) -> ReportView:
    """The report with the names of the people it names (`people`) and its photos' count."""

    def name(person_id: int | None) -> str | None:
        person = people.get(person_id) if person_id is not None else None
        return org.describe_person(person) if person is not None else None

    return ReportView(
        id=report.id,
        number=report.number,
        unit_id=report.unit_id,
        unit_name=report.unit_name,
        anonymous=report.anonymous,
        reporter_name=None if report.anonymous else name(report.reporter_id),
        occurred_at=report.occurred_at,
        campus=report.campus,
        building=report.building,
        room=report.room,
        description=report.description,
        category=Category(report.category),
        severity=Severity(report.severity),
        injury=report.injury,
        immediate_action=report.immediate_action,
        prevention=report.prevention,
        photo_url=report.photo_url,
        status=Status(report.status),
        created_at=report.created_at,
        investigator_name=name(report.investigator_id),
        acknowledged_at=report.acknowledged_at,
        acknowledged_by=name(report.acknowledged_by_id),
        closed_at=report.closed_at,
        closed_by=name(report.closed_by_id),
        conclusion=report.conclusion,
        actions=action_views(report.actions, name),
        photos=photos,
    )


class StoredAction(Protocol):
    """A stored corrective action (`CorrectiveActionColumns` with its id, or a row of them)."""

    @property
    def id(self) -> int: ...
    @property
    def description(self) -> str: ...
    @property
    def owner_id(self) -> int: ...
    @property
    def due_date(self) -> date: ...
    @property
    def status(self) -> str: ...
    @property
    def done_at(self) -> datetime | None: ...


def action_views(
    actions: Iterable[StoredAction], name: Callable[[int | None], str | None]
) -> tuple[ActionView, ...]:
    """Corrective actions as cards and registers show them (`name`: a person's name by id);
    shared by near misses and work accidents."""
    return tuple(
        ActionView(
            id=action.id,
            description=action.description,
            owner_id=action.owner_id,
            owner_name=name(action.owner_id) or "",
            due_date=action.due_date,
            status=ActionStatus(action.status),
            done_at=action.done_at,
        )
        for action in actions
    )


async def photo_count(connection: HotConnection, report_id: int) -> int:
    """How many photos the report has."""
    found = await connection.execute(_PHOTO_COUNT, {"report_id": report_id})
    return int(found.scalar_one())


Held = frozenset[tuple[str, int | None]]
"""A person's roles as (role, unit id) pairs (unit id None: university-wide)."""


async def roles_by_person(connection: HotConnection, person_ids: Iterable[int]) -> dict[int, Held]:
    """Each person's roles (empty for someone with none)."""
    wanted = sorted(set(person_ids))
    held: dict[int, set[tuple[str, int | None]]] = {person_id: set() for person_id in wanted}
    if wanted:
        for person_id, role, unit_id in await connection.execute(_ROLES_OF, {"person_ids": wanted}):
            held[person_id].add((role, unit_id))
    return {person_id: frozenset(roles) for person_id, roles in held.items()}


def participant(report: ReportRow, person: PersonRow, held: Held) -> Participant:
    """How `person` takes part in the report, from their roles and the report's fields."""
    return Participant(
        person_id=person.id,
        name=org.describe_person(person),
        lang=lang_of(person),
        teams_id=person.teams_user_id,
        is_amk=(Role.AMK.value, report.unit_id) in held,
        is_secretariat=(Role.SECRETARIAT.value, None) in held,
        is_investigator=report.investigator_id == person.id,
        owned_actions=frozenset(
            action.id for action in report.actions if action.owner_id == person.id
        ),
    )


async def context_of(
    connection: HotConnection,
    report: ReportRow,
    extra_people: Iterable[int] = (),
) -> FollowUpContext:
    """The report and everyone with a part in it (plus `extra_people`), to render each one's
    card."""
    followers = await follow_up_people(connection, report.unit_id)
    known = {person.id: person for person in followers}
    wanted = (people_of(report) | set(extra_people)) - known.keys()
    people = known | await rows.people(connection, wanted)
    shown = await view(connection, report, people)
    roles = await roles_by_person(connection, people)
    parts = {
        person_id: participant(report, person, roles[person_id])
        for person_id, person in people.items()
    }
    return FollowUpContext(report=shown, people=parts)


async def context(
    connection: HotConnection, report_id: int, extra_people: Iterable[int] = ()
) -> FollowUpContext | None:
    """The report and everyone with a part in it (plus `extra_people`, e.g. earlier
    recipients of its cards), to render each one's card."""
    report = await get(connection, report_id)
    if report is None:
        return None
    return await context_of(connection, report, extra_people)


# Who is told of a new report (`follow_up_people`: the unit's AMKs, else the secretariat),
# with the role each row stands for, and the named reporter (role NULL), in one statement.
_ANNOUNCED: CompoundSelect[
    str | None, int, str | None, str | None, str | None, str | None, str | None, str | None
] = union_all(
    _FOLLOWER_ROWS,
    select(null().label("role"), *PERSON_COLUMNS).where(Person.id == bindparam("reporter_id")),
)


def new_report_view(report: StoredReport, reporter_name: str | None) -> ReportView:
    """A report just stored, as cards show it: nobody has acted on it yet."""
    facts = {field.name: getattr(report, field.name) for field in fields(ReportFacts)}
    return ReportView(**facts, reporter_name=None if report.anonymous else reporter_name)


async def announcement_of(
    connection: HotConnection, report: StoredReport
) -> tuple[FollowUpContext, list[int]]:
    """A new report's context (the people told of it, and its named reporter) and who is
    told of it (`follow_up_people`), read in one statement."""
    rows = await connection.execute(
        _ANNOUNCED, {"unit_id": report.unit_id, "reporter_id": report.reporter_id}
    )
    amks: list[int] = []
    secretariat: list[int] = []
    people: dict[int, tuple[str, Lang, str | None]] = {}
    for row in rows:
        person_id = row.id
        people[person_id] = (
            org.person_label(person_id, row.name, row.upn, row.aad_object_id),
            preferred_lang(row.language_override, row.locale),
            row.teams_user_id,
        )
        if row.role == Role.AMK.value:
            amks.append(person_id)
        elif row.role == Role.SECRETARIAT.value:
            secretariat.append(person_id)
    amks.sort()
    secretariat.sort()
    recipients = amks or secretariat
    wanted = [*dict.fromkeys(recipients)]
    reporter = report.reporter_id
    reporter_name: str | None = None
    if reporter is not None and reporter in people:
        reporter_name = people[reporter][0]
        if reporter not in wanted:
            wanted.append(reporter)
    parts = {
        person_id: Participant(
            person_id=person_id,
            name=people[person_id][0],
            lang=people[person_id][1],
            teams_id=people[person_id][2],
            is_amk=person_id in amks,
            is_secretariat=person_id in secretariat,
        )
        for person_id in wanted
    }
    view = dataclasses.replace(
        new_report_view(report, reporter_name), photos=await photo_count(connection, report.id)
    )
    return FollowUpContext(report=view, people=parts), recipients


async def announcement(
    connection: HotConnection, report_id: int
) -> tuple[FollowUpContext, list[int]] | None:
    """`announcement_of` a stored report by its id."""
    row = (await connection.execute(_STORED_BY_ID, {"report_id": report_id})).first()
    if row is None:
        return None
    return await announcement_of(connection, _stored(row))


async def has_personal_chat(connection: HotConnection, person_id: int) -> bool:
    return await conversations.personal_destination(connection, person_id) is not None
