"""Near-miss reports: one function per user action, each inside the caller's transaction and
audited there; queries for cards, the register and the statistics.

Anonymous reports are written with no reporter at all and audited as `anonymous`.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable
from dataclasses import dataclass, fields
from datetime import date, datetime
from typing import Any, Protocol

from sqlalchemy import (
    CompoundSelect,
    Row,
    and_,
    bindparam,
    func,
    insert,
    null,
    or_,
    select,
    union_all,
)
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

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
from storage.near_miss_models import NearMissCounter, NearMissPhoto, NearMissReport
from storage.near_miss_photos import ATTACH_PENDING
from storage.rows import PersonRow, Speaking

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
    on: AsyncSession | audit.AuditedConnection,
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
    connection = await on.connection() if isinstance(on, AsyncSession) else on
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
        on,
        actor=ANONYMOUS_ACTOR if reporter is None else person_actor(reporter),
        action="near_miss.report",
        entity_type=ENTITY,
        entity_id=report.id,
        after=after,
    )
    return report, True


async def follow_up_people(session: AsyncSession, unit_id: int) -> list[PersonRow]:
    """Who is told of a new report: the unit's AMKs, or the secretariat if it has none."""
    people = await org.holders(session, unit_id, Role.AMK)
    return people or await org.holders(session, None, Role.SECRETARIAT)


# -- reading -----------------------------------------------------------------------------------


async def get(
    session: AsyncSession, report_id: int, *, lock: bool = False
) -> NearMissReport | None:
    """A report with its actions; `lock` holds its row until the transaction ends."""
    query = (
        select(NearMissReport)
        .where(NearMissReport.id == report_id)
        .options(selectinload(NearMissReport.actions))
        .execution_options(populate_existing=True)
    )
    if lock:
        query = query.with_for_update()
    return (await session.scalars(query)).first()


async def people_by_id(session: AsyncSession, ids: Iterable[int | None]) -> dict[int, PersonRow]:
    return await rows.people(session, (person_id for person_id in ids if person_id is not None))


def people_of(report: NearMissReport) -> set[int | None]:
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
    session: AsyncSession,
    report: NearMissReport,
    people: dict[int, PersonRow] | None = None,
    *,
    unit_name: str | None = None,
) -> ReportView:
    """The report with names resolved, as cards and the register show it (`unit_name`
    given: its unit is not read)."""
    if people is None:
        people = await people_by_id(session, people_of(report))
    if unit_name is None:
        unit = await session.get(Unit, report.unit_id)
        unit_name = unit.name if unit else ""

    def name(person_id: int | None) -> str | None:
        person = people.get(person_id) if person_id is not None else None
        return org.describe_person(person) if person is not None else None

    return ReportView(
        id=report.id,
        number=report.number,
        unit_id=report.unit_id,
        unit_name=unit_name,
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
        photos=await photo_count(session, report.id),
    )


class StoredAction(Protocol):
    """A stored corrective action (`CorrectiveActionColumns` with its id)."""

    id: int
    description: str
    owner_id: int
    due_date: date
    status: str
    done_at: datetime | None


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


async def photo_count(on: AsyncSession | HotConnection, report_id: int) -> int:
    """How many photos the report has."""
    found = await on.execute(_PHOTO_COUNT, {"report_id": report_id})
    return int(found.scalar_one())


async def roles_by_person(
    session: AsyncSession, person_ids: Iterable[int]
) -> dict[int, list[RoleAssignment]]:
    """Each person's role assignments (an empty list for someone with none)."""
    wanted = set(person_ids)
    roles: dict[int, list[RoleAssignment]] = {person_id: [] for person_id in wanted}
    if wanted:
        found = await session.scalars(
            select(RoleAssignment).where(RoleAssignment.person_id.in_(wanted))
        )
        for role in found:
            roles[role.person_id].append(role)
    return roles


def participant(
    report: NearMissReport, person: PersonRow, roles: Iterable[RoleAssignment]
) -> Participant:
    """How `person` takes part in the report, from their roles and the report's fields."""
    held = [(role.role, role.unit_id) for role in roles]
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


async def _context_of(
    session: AsyncSession,
    report: NearMissReport,
    extra_people: Iterable[int],
    followers: list[PersonRow],
) -> FollowUpContext:
    known = {person.id: person for person in followers}
    wanted = (people_of(report) | set(extra_people)) - known.keys()
    people = known | await people_by_id(session, wanted)
    shown = await view(session, report, people)
    roles = await roles_by_person(session, people)
    parts = {
        person_id: participant(report, person, roles[person_id])
        for person_id, person in people.items()
    }
    return FollowUpContext(report=shown, people=parts)


async def context(
    session: AsyncSession, report_id: int, extra_people: Iterable[int] = ()
) -> FollowUpContext | None:
    """The report and everyone with a part in it (plus `extra_people`, e.g. earlier
    recipients of its cards), to render each one's card."""
    report = await get(session, report_id)
    if report is None:
        return None
    followers = await follow_up_people(session, report.unit_id)
    return await _context_of(session, report, extra_people, followers)


_PERSON_COLUMNS = (
    Person.id,
    Person.name,
    Person.upn,
    Person.aad_object_id,
    Person.teams_user_id,
    Person.locale,
    Person.language_override,
)
# Who is told of a new report (`follow_up_people`: the unit's AMKs, else the secretariat),
# with the role each row stands for, and the named reporter (role NULL), in one statement.
_ANNOUNCED: CompoundSelect[
    str | None, int, str | None, str | None, str | None, str | None, str | None, str | None
] = union_all(
    select(RoleAssignment.role, *_PERSON_COLUMNS)
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
    ),
    select(null().label("role"), *_PERSON_COLUMNS).where(Person.id == bindparam("reporter_id")),
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
    session: AsyncSession, report_id: int
) -> tuple[FollowUpContext, list[int]] | None:
    """`announcement_of` a stored report by its id."""
    connection = await session.connection()
    row = (await connection.execute(_STORED_BY_ID, {"report_id": report_id})).first()
    if row is None:
        return None
    return await announcement_of(connection, _stored(row))


async def has_personal_chat(session: AsyncSession, person_id: int) -> bool:
    return await conversations.personal_chat_of(session, person_id) is not None
