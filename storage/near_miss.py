"""Near-miss reports: one function per user action, each inside the caller's transaction and
audited there; queries for cards, the register and the statistics.

Anonymous reports are written with no reporter at all and audited as `anonymous`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import (
    CompoundSelect,
    Row,
    and_,
    bindparam,
    insert,
    null,
    or_,
    select,
    union_all,
)
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from domain.audit import person_actor
from domain.i18n import COPENHAGEN, Lang, preferred_lang
from domain.near_miss import (
    ActionForm,
    ActionStatus,
    ActionView,
    Category,
    CloseProblem,
    Event,
    FollowUpContext,
    NearMissForm,
    NearMissStatistics,
    Participant,
    ReportSummary,
    ReportView,
    Severity,
    Status,
    allowed,
    close_problem,
    format_number,
    median_duration,
    quarter_of,
    reminder_due_at,
    transition,
)
from domain.numbering import local_year
from domain.org import Role, UnknownUnit
from storage import audit, conversations, org
from storage.counters import next_in_year
from storage.db import HotConnection
from storage.models import Person, RoleAssignment, Unit
from storage.near_miss_models import NearMissAction, NearMissCounter, NearMissReport

ENTITY = "near_miss_report"
ANONYMOUS_ACTOR = "anonymous"
LIST_LIMIT = 25


def lang_of(person: Person) -> Lang:
    return preferred_lang(person.language_override, person.locale)


# -- reporting ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class StoredReport:
    """A report as `submit` stored it (or found it stored before), with its unit's name."""

    id: int
    number: str
    unit_id: int
    unit_name: str
    anonymous: bool
    reporter_id: int | None
    occurred_at: datetime
    campus: str
    building: str | None
    room: str | None
    description: str
    category: Category
    severity: Severity
    injury: bool
    immediate_action: str | None
    prevention: str | None
    photo_url: str | None
    status: Status
    created_at: datetime


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
) -> tuple[StoredReport, bool]:
    """Store a validated report (False: this submission was stored before, e.g. a
    double click). An anonymous report keeps no trace of who sent it. `UnknownUnit` when
    the form's unit is not an active unit."""
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


async def follow_up_people(session: AsyncSession, unit_id: int) -> list[Person]:
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


async def people_by_id(session: AsyncSession, ids: Iterable[int | None]) -> dict[int, Person]:
    wanted = {person_id for person_id in ids if person_id is not None}
    if not wanted:
        return {}
    found = await session.scalars(select(Person).where(Person.id.in_(wanted)))
    return {person.id: person for person in found}


def _people_of(report: NearMissReport) -> set[int | None]:
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
    people: dict[int, Person] | None = None,
    *,
    unit_name: str | None = None,
) -> ReportView:
    """The report with names resolved, as cards and the register show it (`unit_name`
    given: its unit is not read)."""
    if people is None:
        people = await people_by_id(session, _people_of(report))
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
        actions=tuple(
            ActionView(
                id=action.id,
                description=action.description,
                owner_id=action.owner_id,
                owner_name=name(action.owner_id) or "",
                due_date=action.due_date,
                status=ActionStatus(action.status),
                done_at=action.done_at,
            )
            for action in report.actions
        ),
    )


async def _roles_by_person(
    session: AsyncSession, person_ids: Iterable[int]
) -> dict[int, list[RoleAssignment]]:
    wanted = set(person_ids)
    roles: dict[int, list[RoleAssignment]] = {person_id: [] for person_id in wanted}
    if wanted:
        found = await session.scalars(
            select(RoleAssignment).where(RoleAssignment.person_id.in_(wanted))
        )
        for role in found:
            roles[role.person_id].append(role)
    return roles


def _participant(
    report: NearMissReport, person: Person, roles: Iterable[RoleAssignment]
) -> Participant:
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
    followers: list[Person],
) -> FollowUpContext:
    known = {person.id: person for person in followers}
    wanted = (_people_of(report) | set(extra_people)) - known.keys()
    people = known | await people_by_id(session, wanted)
    shown = await view(session, report, people)
    roles = await _roles_by_person(session, people)
    parts = {
        person_id: _participant(report, person, roles[person_id])
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
    return ReportView(
        id=report.id,
        number=report.number,
        unit_id=report.unit_id,
        unit_name=report.unit_name,
        anonymous=report.anonymous,
        reporter_name=None if report.anonymous else reporter_name,
        occurred_at=report.occurred_at,
        campus=report.campus,
        building=report.building,
        room=report.room,
        description=report.description,
        category=report.category,
        severity=report.severity,
        injury=report.injury,
        immediate_action=report.immediate_action,
        prevention=report.prevention,
        photo_url=report.photo_url,
        status=report.status,
        created_at=report.created_at,
    )


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
    return FollowUpContext(report=new_report_view(report, reporter_name), people=parts), recipients


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


# -- follow-up ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Outcome:
    """What a follow-up step did. `changed` False with `refused` naming why not:
    not_found, not_allowed, status, already, action_done, open_actions, no_conclusion."""

    report: NearMissReport | None
    changed: bool
    refused: str | None = None
    person: Person | None = None
    action: NearMissAction | None = None
    acknowledged_now: bool = False


async def _refuse_not_allowed(
    session: AsyncSession, report: NearMissReport, actor_id: int, what: str
) -> Outcome:
    """Wrong person: nothing changes, but the attempt is written to the audit trail."""
    await audit.record(
        session,
        actor=person_actor(actor_id),
        action="near_miss.refused",
        entity_type=ENTITY,
        entity_id=report.id,
        after={"attempt": what, "reason": "not_allowed"},
    )
    return Outcome(report, False, "not_allowed")


@dataclass(frozen=True)
class Subject:
    """A report read for a change (its row locked), and the person acting on it."""

    report: NearMissReport
    actor_id: int
    person: Person | None
    roles: tuple[RoleAssignment, ...]

    def actor(self) -> Participant:
        """What the acting person is to the report as it now stands."""
        if self.person is None:
            return Participant(person_id=self.actor_id, name="", lang=Lang.EN)
        return _participant(self.report, self.person, self.roles)


async def subject(session: AsyncSession, report_id: int, actor_id: int) -> Subject | None:
    """The report (locked until the transaction ends) with the acting person and their
    roles, read once for a follow-up step and the card it answers with."""
    report = await get(session, report_id, lock=True)
    if report is None:
        return None
    person = await session.get(Person, actor_id)
    roles = (await _roles_by_person(session, [actor_id]))[actor_id] if person else []
    return Subject(report, actor_id, person, tuple(roles))


async def seen_by_actor(session: AsyncSession, found: Subject) -> FollowUpContext:
    """The report as it now stands in this transaction, with only the acting person's part
    (what their own card needs; their roles are not read again)."""
    known = {found.person.id: found.person} if found.person is not None else {}
    people = known | await people_by_id(session, _people_of(found.report) - known.keys())
    shown = await view(session, found.report, people)
    return FollowUpContext(report=shown, people={found.actor_id: found.actor()})


async def record_refused_view(session: AsyncSession, report_id: int, actor_id: int) -> None:
    """Someone without a part in the report tried to open it."""
    await audit.record(
        session,
        actor=person_actor(actor_id),
        action="near_miss.refused",
        entity_type=ENTITY,
        entity_id=report_id,
        after={"attempt": "view", "reason": "not_allowed"},
    )


async def acknowledge(
    session: AsyncSession,
    report_id: int,
    *,
    actor_id: int,
    now: datetime,
    found: Subject | None = None,
) -> Outcome:
    """The AMK or secretariat has seen the report (`found`: as `subject` read it)."""
    found = found or await subject(session, report_id, actor_id)
    if found is None:
        return Outcome(None, False, "not_found")
    report = found.report
    if not found.actor().may(Event.ACKNOWLEDGE):
        return await _refuse_not_allowed(session, report, actor_id, Event.ACKNOWLEDGE.value)
    if report.acknowledged_at is not None:
        return Outcome(report, False, "already")
    if not allowed(Status(report.status), Event.ACKNOWLEDGE):
        return Outcome(report, False, "status")
    before = report.snapshot()
    report.status = transition(Status(report.status), Event.ACKNOWLEDGE).value
    report.acknowledged_at = now
    report.acknowledged_by_id = actor_id
    report.updated_at = now
    await session.flush()
    await audit.record(
        session,
        actor=person_actor(actor_id),
        action="near_miss.acknowledge",
        entity_type=ENTITY,
        entity_id=report.id,
        before=before,
        after=report.snapshot(),
    )
    return Outcome(report, True, acknowledged_now=True)


async def assign(
    session: AsyncSession,
    report_id: int,
    *,
    actor_id: int,
    investigator_upn: str,
    now: datetime,
    found: Subject | None = None,
) -> Outcome:
    """Give the investigation to a person (by e-mail/UPN); acknowledges the report too."""
    found = found or await subject(session, report_id, actor_id)
    if found is None:
        return Outcome(None, False, "not_found")
    report = found.report
    if not found.actor().may(Event.ASSIGN):
        return await _refuse_not_allowed(session, report, actor_id, Event.ASSIGN.value)
    status = Status(report.status)
    if not allowed(status, Event.ASSIGN):
        return Outcome(report, False, "status")
    investigator = await org.upsert_person(
        session, aad_object_id=None, upn=investigator_upn, name=None
    )
    if report.investigator_id == investigator.id:
        return Outcome(report, False, None, person=investigator)
    before = report.snapshot()
    acknowledged_now = report.acknowledged_at is None
    if acknowledged_now:
        report.acknowledged_at = now
        report.acknowledged_by_id = actor_id
    report.status = transition(status, Event.ASSIGN).value
    report.investigator_id = investigator.id
    report.updated_at = now
    await session.flush()
    await audit.record(
        session,
        actor=person_actor(actor_id),
        action="near_miss.assign",
        entity_type=ENTITY,
        entity_id=report.id,
        before=before,
        after=report.snapshot(),
    )
    return Outcome(report, True, person=investigator, acknowledged_now=acknowledged_now)


async def add_action(
    session: AsyncSession,
    report_id: int,
    *,
    actor_id: int,
    form: ActionForm,
    now: datetime,
    found: Subject | None = None,
) -> Outcome:
    """A corrective action with an owner (by e-mail/UPN) and a due date."""
    found = found or await subject(session, report_id, actor_id)
    if found is None:
        return Outcome(None, False, "not_found")
    report = found.report
    if not found.actor().may(Event.ADD_ACTION):
        return await _refuse_not_allowed(session, report, actor_id, Event.ADD_ACTION.value)
    status = Status(report.status)
    if not allowed(status, Event.ADD_ACTION):
        return Outcome(report, False, "status")
    owner = await org.upsert_person(session, aad_object_id=None, upn=form.action_owner, name=None)
    action = NearMissAction(
        description=form.action_description,
        owner_id=owner.id,
        due_date=form.action_due,
        status=ActionStatus.OPEN.value,
        created_by_id=actor_id,
        created_at=now,
        updated_at=now,
    )
    report.actions.append(action)
    before = report.snapshot()
    report.status = transition(status, Event.ADD_ACTION).value
    report.updated_at = now
    await session.flush()
    await audit.record(
        session,
        actor=person_actor(actor_id),
        action="near_miss.action.add",
        entity_type=ENTITY,
        entity_id=report.id,
        before=before,
        after={
            **report.snapshot(),
            "action_id": action.id,
            "owner_id": owner.id,
            "due_date": action.due_date.isoformat(),
        },
    )
    return Outcome(report, True, person=owner, action=action)


async def complete_action(
    session: AsyncSession,
    action_id: int,
    *,
    actor_id: int,
    now: datetime,
    found: Subject | None = None,
) -> Outcome:
    """The owner (or the AMK) marks a corrective action done (`found`: its report)."""
    if found is None:
        report_id = await session.scalar(
            select(NearMissAction.report_id).where(NearMissAction.id == action_id)
        )
        found = await subject(session, report_id, actor_id) if report_id is not None else None
    action = next((a for a in found.report.actions if a.id == action_id), None) if found else None
    if found is None or action is None:
        return Outcome(None, False, "not_found")
    report = found.report
    if not found.actor().may(Event.COMPLETE_ACTION, action_id):
        return await _refuse_not_allowed(session, report, actor_id, Event.COMPLETE_ACTION.value)
    if action.status == ActionStatus.DONE.value:
        return Outcome(report, False, "action_done", action=action)
    if not allowed(Status(report.status), Event.COMPLETE_ACTION):
        return Outcome(report, False, "status", action=action)
    action.status = ActionStatus.DONE.value
    action.done_at = now
    action.done_by_id = actor_id
    action.updated_at = now
    report.updated_at = now
    await session.flush()
    await audit.record(
        session,
        actor=person_actor(actor_id),
        action="near_miss.action.done",
        entity_type=ENTITY,
        entity_id=report.id,
        before={"action_id": action.id, "status": ActionStatus.OPEN.value},
        after={"action_id": action.id, "status": ActionStatus.DONE.value},
    )
    return Outcome(report, True, action=action)


async def close(
    session: AsyncSession,
    report_id: int,
    *,
    actor_id: int,
    conclusion: str,
    now: datetime,
    found: Subject | None = None,
) -> Outcome:
    """Close with a conclusion; refused while a corrective action is open."""
    found = found or await subject(session, report_id, actor_id)
    if found is None:
        return Outcome(None, False, "not_found")
    report = found.report
    if not found.actor().may(Event.CLOSE):
        return await _refuse_not_allowed(session, report, actor_id, Event.CLOSE.value)
    status = Status(report.status)
    if not allowed(status, Event.CLOSE):
        return Outcome(report, False, "status")
    open_actions = sum(1 for a in report.actions if a.status == ActionStatus.OPEN.value)
    problem = close_problem(conclusion, open_actions)
    if problem is CloseProblem.OPEN_ACTIONS:
        return Outcome(report, False, "open_actions")
    if problem is CloseProblem.NO_CONCLUSION:
        return Outcome(report, False, "no_conclusion")
    before = report.snapshot()
    report.status = transition(status, Event.CLOSE).value
    report.conclusion = conclusion.strip()
    report.closed_at = now
    report.closed_by_id = actor_id
    report.updated_at = now
    await session.flush()
    await audit.record(
        session,
        actor=person_actor(actor_id),
        action="near_miss.close",
        entity_type=ENTITY,
        entity_id=report.id,
        before=before,
        after=report.snapshot(),
    )
    return Outcome(report, True)


# -- lists and reminders -----------------------------------------------------------------------


@dataclass(frozen=True)
class OpenList:
    """The open reports a person may see: `units` None means every unit (secretariat)."""

    units: list[str] | None
    reports: list[ReportSummary]
    total: int


async def open_reports_for(session: AsyncSession, person_id: int) -> OpenList | None:
    """An AMK's units' open reports, the secretariat's for all units; None for others."""
    roles = await org.roles_of(session, person_id)
    secretariat = any(r.role == Role.SECRETARIAT.value and r.unit_id is None for r in roles)
    unit_ids = sorted(
        {r.unit_id for r in roles if r.role == Role.AMK.value and r.unit_id is not None}
    )
    if not secretariat and not unit_ids:
        return None
    query = (
        select(NearMissReport)
        .where(NearMissReport.status != Status.CLOSED.value)
        .options(selectinload(NearMissReport.actions))
        .order_by(NearMissReport.created_at.desc(), NearMissReport.id.desc())
    )
    if not secretariat:
        query = query.where(NearMissReport.unit_id.in_(unit_ids))
    reports = list((await session.scalars(query)).all())
    units = {unit.id: unit.name for unit in await org.list_units(session, only_active=False)}
    summaries = [
        ReportSummary(
            id=report.id,
            number=report.number,
            unit_name=units.get(report.unit_id, ""),
            category=Category(report.category),
            severity=Severity(report.severity),
            status=Status(report.status),
            created_at=report.created_at,
            open_actions=sum(1 for a in report.actions if a.status == ActionStatus.OPEN.value),
        )
        for report in reports[:LIST_LIMIT]
    ]
    scope = None if secretariat else sorted(units.get(unit_id, "") for unit_id in unit_ids)
    return OpenList(units=scope, reports=summaries, total=len(reports))


async def due_reminders(session: AsyncSession, now: datetime) -> list[NearMissAction]:
    """Open actions whose due date (08:00 Copenhagen) has come and that were not reminded."""
    today = now.astimezone(COPENHAGEN).date()
    candidates = await session.scalars(
        select(NearMissAction)
        .join(NearMissReport)
        .where(
            NearMissAction.status == ActionStatus.OPEN.value,
            NearMissAction.reminded_at.is_(None),
            NearMissAction.due_date <= today,
            NearMissReport.status != Status.CLOSED.value,
        )
        .order_by(NearMissAction.due_date, NearMissAction.id)
    )
    return [action for action in candidates if reminder_due_at(action.due_date) <= now]


async def mark_reminded(session: AsyncSession, action_id: int, now: datetime) -> None:
    action = await session.get(NearMissAction, action_id)
    if action is None or action.reminded_at is not None:
        return
    action.reminded_at = now
    await audit.record(
        session,
        actor=audit.SYSTEM_ACTOR,
        action="near_miss.action.remind",
        entity_type=ENTITY,
        entity_id=action.report_id,
        after={"action_id": action.id, "owner_id": action.owner_id},
    )


# -- the register and the statistics -----------------------------------------------------------


async def _reports_in(
    session: AsyncSession, start: datetime, end: datetime
) -> list[NearMissReport]:
    return list(
        (
            await session.scalars(
                select(NearMissReport)
                .where(NearMissReport.created_at >= start, NearMissReport.created_at < end)
                .options(selectinload(NearMissReport.actions))
                .order_by(NearMissReport.created_at, NearMissReport.id)
            )
        ).all()
    )


async def reports_between(
    session: AsyncSession, start: datetime, end: datetime
) -> list[ReportView]:
    """Every report made in [start, end), oldest first, for the register."""
    reports = await _reports_in(session, start, end)
    ids: set[int | None] = set()
    for report in reports:
        ids |= _people_of(report)
    people = await people_by_id(session, ids)
    # Held here so `view`'s session.get(Unit, …) finds them in the (weak) identity map
    # instead of one SELECT per report.
    units = await org.list_units(session, only_active=False)
    views = [await view(session, report, people) for report in reports]
    del units
    return views


def _quarters(start: datetime, end: datetime) -> list[tuple[int, int]]:
    first = quarter_of(start)
    last = quarter_of(end - timedelta(microseconds=1))
    quarters = []
    year, quarter = first
    while (year, quarter) <= last:
        quarters.append((year, quarter))
        year, quarter = (year + 1, 1) if quarter == 4 else (year, quarter + 1)
    return quarters


async def statistics(
    session: AsyncSession, start: datetime, end: datetime, *, now: datetime | None = None
) -> NearMissStatistics:
    """Counts and median times of the reports made in [start, end) (the digest uses this
    too). Every category, severity, status and quarter is listed, also with zero."""
    reports = await _reports_in(session, start, end)
    units = {unit.id: unit.name for unit in await org.list_units(session, only_active=False)}
    today = (now or datetime.now(COPENHAGEN)).astimezone(COPENHAGEN).date()
    by_unit = Counter(units.get(report.unit_id, "") for report in reports)
    by_quarter: dict[tuple[int, int], int] = dict.fromkeys(_quarters(start, end), 0)
    for report in reports:
        key = quarter_of(report.created_at)
        by_quarter[key] = by_quarter.get(key, 0) + 1
    to_ack = [r.acknowledged_at - r.created_at for r in reports if r.acknowledged_at is not None]
    to_close = [r.closed_at - r.created_at for r in reports if r.closed_at is not None]
    actions = [a for report in reports for a in report.actions]
    open_actions = [a for a in actions if a.status == ActionStatus.OPEN.value]
    return NearMissStatistics(
        start=start,
        end=end,
        total=len(reports),
        anonymous=sum(1 for report in reports if report.anonymous),
        injuries=sum(1 for report in reports if report.injury),
        by_unit=dict(sorted(by_unit.items(), key=lambda item: item[0].casefold())),
        by_category={c: sum(1 for r in reports if r.category == c.value) for c in Category},
        by_severity={s: sum(1 for r in reports if r.severity == s.value) for s in Severity},
        by_status={s: sum(1 for r in reports if r.status == s.value) for s in Status},
        by_quarter=dict(sorted(by_quarter.items())),
        acknowledged=len(to_ack),
        closed=len(to_close),
        median_to_acknowledge=median_duration(to_ack),
        median_to_close=median_duration(to_close),
        open_actions=len(open_actions),
        overdue_actions=sum(1 for a in open_actions if a.due_date < today),
    )
