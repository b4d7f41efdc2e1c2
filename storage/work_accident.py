"""Work accidents: one function per read or write, each inside the caller's transaction and
audited there. Audit events keep ids, kinds, dates and states, never free text or names.

Rows are read and written with Core statements (`AccidentRow`, `ActionRow`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement, bindparam, insert, select, update

from domain.audit import person_actor
from domain.i18n import Lang, local_date, preferred_lang
from domain.numbering import local_year
from domain.org import Role, UnknownUnit
from domain.work_accident import (
    ENTITY,
    AccidentView,
    Claim,
    EasyDeadline,
    EasyDuty,
    EasyStatus,
    InjuredParty,
    InjuryKind,
    Reader,
    ReporterRole,
    follow_up_by,
    format_number,
)
from domain.work_accident_forms import WorkAccidentForm
from storage import audit, conversations, org, rows
from storage.audit import AuditedConnection
from storage.counters import next_in_year
from storage.db import HotConnection
from storage.models import Unit
from storage.near_miss import action_views
from storage.near_miss_models import NearMissReport
from storage.rows import PersonRow, Speaking, columns_of
from storage.work_accident_models import WorkAccident, WorkAccidentAction, WorkAccidentCounter


def lang_of(person: Speaking) -> Lang:
    return preferred_lang(person.language_override, person.locale)


@dataclass(frozen=True, slots=True)
class AccidentRow:
    """A stored accident's columns (the `work_accident` row), read without the ORM."""

    id: int
    number: str
    unit_id: int
    near_miss_id: int | None
    reporter_id: int | None
    reporter_role: str
    injured_party: str
    injured_id: int | None
    injured_upn: str | None
    occurred_at: datetime
    place: str
    description: str
    injury_kind: str
    absence_from: date | None
    claim: str
    immediate_action: str | None
    witnesses: str | None
    name_withheld: bool
    easy_duty: str
    easy_due: date | None
    easy_status: str
    easy_reference: str | None
    easy_filed_on: date | None
    not_required_reason: str | None
    easy_decided_by_id: int | None
    easy_decided_at: datetime | None
    follow_up_by: date | None
    followed_up_at: datetime | None
    followed_up_by_id: int | None
    causes: str | None
    conclusion: str | None
    closed_at: datetime | None
    closed_by_id: int | None
    outcome_wanted: bool | None
    created_at: datetime

    def snapshot(self) -> dict[str, Any]:
        """What an audit event keeps of the EASY report (never free text or names)."""
        return {
            "easy_status": self.easy_status,
            "easy_due": self.easy_due.isoformat() if self.easy_due else None,
            "easy_filed_on": self.easy_filed_on.isoformat() if self.easy_filed_on else None,
            "easy_decided_by_id": self.easy_decided_by_id,
            "followed_up_by_id": self.followed_up_by_id,
            "closed_by_id": self.closed_by_id,
            "outcome_wanted": self.outcome_wanted,
        }


@dataclass(frozen=True, slots=True)
class ActionRow:
    """A corrective action's columns (the `work_accident_action` row)."""

    id: int
    accident_id: int
    description: str
    owner_id: int
    due_date: date
    status: str
    done_at: datetime | None


@dataclass(frozen=True, slots=True)
class CarriedNearMiss:
    """What an accident report takes over from the near miss it was first reported as."""

    id: int
    unit_id: int
    reporter_id: int | None
    occurred_at: datetime
    campus: str | None
    building: str | None
    room: str | None
    description: str
    immediate_action: str | None


ACCIDENTS = WorkAccident.__table__
"""The work accidents table, for statements built once."""
ACTIONS = WorkAccidentAction.__table__
"""The corrective actions table, for statements built once."""
_NEAR_MISSES = NearMissReport.__table__
ACCIDENT_COLUMNS = columns_of(ACCIDENTS, AccidentRow)
"""The accident columns an `AccidentRow` is built from, in its field order."""
ACTION_COLUMNS = columns_of(ACTIONS, ActionRow)
"""The action columns an `ActionRow` is built from, in its field order."""

# Built once (binding parameters): building a statement costs as much as running it.
ACCIDENT = select(*ACCIDENT_COLUMNS)
"""Every accident as an `AccidentRow` (add a where clause)."""
_BY_ID = ACCIDENT.where(ACCIDENTS.c.id == bindparam("accident_id"))
_BY_SUBMISSION = ACCIDENT.where(ACCIDENTS.c.submission_key == bindparam("submission_key"))
_UNIT_ACTIVE = select(Unit.active).where(Unit.id == bindparam("unit_id"))
_INSERT = insert(WorkAccident).returning(*ACCIDENT_COLUMNS)
_NEAR_MISS = select(*columns_of(_NEAR_MISSES, CarriedNearMiss)).where(
    _NEAR_MISSES.c.id == bindparam("near_miss_id")
)
_UNIT_AND_NEAR_MISS = select(
    select(Unit.name).where(Unit.id == bindparam("unit_id")).scalar_subquery(),
    select(_NEAR_MISSES.c.number)
    .where(_NEAR_MISSES.c.id == bindparam("near_miss_id"))
    .scalar_subquery(),
)
_ACTIONS_OF = (
    select(*ACTION_COLUMNS)
    .where(ACTIONS.c.accident_id == bindparam("accident_id"))
    .order_by(ACTIONS.c.id)
)
_OWNED = select(ACTIONS.c.id).where(
    ACTIONS.c.accident_id == bindparam("accident_id"),
    ACTIONS.c.owner_id == bindparam("person_id"),
)
_FOLLOWED_UP = (
    update(WorkAccident)
    .where(
        WorkAccident.id == bindparam("accident_id"),
        WorkAccident.follow_up_by.is_not(None),
        WorkAccident.followed_up_at.is_(None),
    )
    .values(
        followed_up_at=bindparam("now"),
        followed_up_by_id=bindparam("actor_id"),
        updated_at=bindparam("now"),
    )
    .returning(*ACCIDENT_COLUMNS)
)
_FOLLOW_UPS_OPEN = ACCIDENT.where(
    ACCIDENTS.c.followed_up_at.is_(None), ACCIDENTS.c.follow_up_by >= bindparam("since")
).order_by(ACCIDENTS.c.follow_up_by, ACCIDENTS.c.id)
_PENDING_DUE = ACCIDENT.where(
    ACCIDENTS.c.easy_status == EasyStatus.PENDING.value, ACCIDENTS.c.easy_due >= bindparam("since")
).order_by(ACCIDENTS.c.easy_due, ACCIDENTS.c.id)


async def get(connection: HotConnection, accident_id: int) -> AccidentRow | None:
    row = (await connection.execute(_BY_ID, {"accident_id": accident_id})).first()
    return None if row is None else AccidentRow(*row)


async def by_submission(connection: HotConnection, submission_key: str) -> AccidentRow | None:
    """The accident a report card (its submission key) stored, if it did."""
    row = (await connection.execute(_BY_SUBMISSION, {"submission_key": submission_key})).first()
    return None if row is None else AccidentRow(*row)


async def submit(
    connection: AuditedConnection,
    form: WorkAccidentForm,
    *,
    reporter_id: int | None,
    deadline: EasyDeadline,
    now: datetime,
    submission_key: str,
    near_miss_id: int | None = None,
) -> tuple[AccidentRow, bool]:
    """Store a validated report with its EASY deadline (False: this card stored it before).
    `UnknownUnit` when the form's unit is not an active unit."""
    earlier = await by_submission(connection, submission_key)
    if earlier is not None:
        return earlier, False
    active = (await connection.execute(_UNIT_ACTIVE, {"unit_id": form.unit_id})).scalar()
    if not active:
        raise UnknownUnit(form.unit_id)
    injured_id, injured_upn = await _injured(connection, form, reporter_id)
    sequence = await next_in_year(connection, WorkAccidentCounter, local_year(now))
    values: dict[str, Any] = {
        "number": format_number(local_year(now), sequence),
        "submission_key": submission_key,
        "unit_id": form.unit_id,
        "near_miss_id": near_miss_id,
        "reporter_id": reporter_id,
        "reporter_role": form.reporter_role.value,
        "injured_party": form.injured_party.value,
        "injured_id": injured_id,
        "injured_upn": injured_upn,
        "occurred_at": form.occurred_at,
        "place": form.place,
        "description": form.description,
        "injury_kind": form.injury_kind.value,
        "absence_from": form.first_absence_day,
        "claim": form.claim.value,
        "immediate_action": form.immediate_action,
        "witnesses": form.witnesses,
        "name_withheld": form.name_withheld,
        "outcome_wanted": form.wants_outcome,
        "follow_up_by": (follow_up_by(local_date(now)) if form.injury_kind.confidential else None),
        "easy_duty": deadline.duty.value,
        "easy_due": deadline.due,
        "easy_status": deadline.status.value,
        "created_at": now,
        "updated_at": now,
    }
    accident = AccidentRow(*(await connection.execute(_INSERT, values)).one())
    await audit.record(
        connection,
        actor=person_actor(reporter_id),
        action="work_accident.report",
        entity_type=ENTITY,
        entity_id=accident.id,
        after={
            "number": accident.number,
            "unit_id": accident.unit_id,
            "near_miss_id": accident.near_miss_id,
            "reporter_role": accident.reporter_role,
            "injured_party": accident.injured_party,
            "injured_id": accident.injured_id,
            "injury_kind": accident.injury_kind,
            "absence": accident.absence_from is not None,
            "claim": accident.claim,
            "name_withheld": accident.name_withheld,
            **accident.snapshot(),
            "easy_duty": accident.easy_duty,
        },
    )
    return accident, True


async def _injured(
    connection: HotConnection, form: WorkAccidentForm, reporter_id: int | None
) -> tuple[int | None, str | None]:
    """Who was hurt: the reporter, a person the bot knows by the e-mail given, or the e-mail."""
    if form.reporter_role is ReporterRole.INJURED:
        return reporter_id, None
    if form.injured_email is None:
        return None, None
    known = await org.find_person(connection, upn=form.injured_email)
    return (known.id, None) if known is not None else (None, form.injured_email)


async def near_miss_to_carry(
    connection: HotConnection, near_miss_id: int, person_id: int
) -> CarriedNearMiss | None:
    """The near miss a person may report as having become an accident: its named reporter,
    or a leader or AMK of its unit, or the secretariat. None for anyone else."""
    row = (await connection.execute(_NEAR_MISS, {"near_miss_id": near_miss_id})).first()
    if row is None:
        return None
    report = CarriedNearMiss(*row)
    if report.reporter_id == person_id:
        return report
    roles = {(a.unit_id, a.role) for a in await org.roles_of(connection, person_id)}
    if roles & {
        (report.unit_id, Role.AMK.value),
        (report.unit_id, Role.LEADER.value),
        (None, Role.SECRETARIAT.value),
    }:
        return report
    return None


async def view(connection: HotConnection, accident: AccidentRow) -> AccidentView:
    """The accident as its cards show it, names resolved."""
    unit_name, near_miss_number = (
        await connection.execute(
            _UNIT_AND_NEAR_MISS,
            {"unit_id": accident.unit_id, "near_miss_id": accident.near_miss_id},
        )
    ).one()
    actions = await actions_of(connection, accident.id)
    names = await _names(
        connection,
        (
            accident.reporter_id,
            accident.injured_id,
            accident.easy_decided_by_id,
            accident.followed_up_by_id,
            accident.closed_by_id,
            *(action.owner_id for action in actions),
        ),
    )
    return AccidentView(
        id=accident.id,
        number=accident.number,
        unit_id=accident.unit_id,
        unit_name=unit_name or "",
        injured=InjuredParty(accident.injured_party),
        reporter_role=ReporterRole(accident.reporter_role),
        reporter_name=names.get(accident.reporter_id),
        injured_name=names.get(accident.injured_id) or accident.injured_upn,
        occurred_at=accident.occurred_at,
        place=accident.place,
        description=accident.description,
        injury_kind=InjuryKind(accident.injury_kind),
        absence_from=accident.absence_from,
        claim=Claim(accident.claim),
        immediate_action=accident.immediate_action,
        witnesses=accident.witnesses,
        duty=EasyDuty(accident.easy_duty),
        easy_due=accident.easy_due,
        easy_status=EasyStatus(accident.easy_status),
        easy_reference=accident.easy_reference,
        easy_filed_on=accident.easy_filed_on,
        not_required_reason=accident.not_required_reason,
        decided_by=names.get(accident.easy_decided_by_id),
        decided_at=accident.easy_decided_at,
        name_withheld=accident.name_withheld,
        follow_up_by=accident.follow_up_by,
        followed_up_at=accident.followed_up_at,
        followed_up_by=names.get(accident.followed_up_by_id),
        near_miss_number=near_miss_number,
        created_at=accident.created_at,
        causes=accident.causes,
        conclusion=accident.conclusion,
        closed_at=accident.closed_at,
        closed_by=names.get(accident.closed_by_id),
        outcome_wanted=accident.outcome_wanted,
        injured_known=accident.injured_id is not None,
        actions=action_views(actions, names.get),
    )


async def actions_of(connection: HotConnection, accident_id: int) -> list[ActionRow]:
    """The accident's corrective actions, oldest first."""
    found = await connection.execute(_ACTIONS_OF, {"accident_id": accident_id})
    return [ActionRow(*row) for row in found]


async def _names(connection: HotConnection, ids: tuple[int | None, ...]) -> dict[int | None, str]:
    people = await rows.people(
        connection, (person_id for person_id in ids if person_id is not None)
    )
    return {person_id: org.describe_person(person) for person_id, person in people.items()}


@dataclass(frozen=True)
class Recipients:
    """Who hears of an accident: the unit's leaders and AMKs, and the secretariat."""

    leaders: list[PersonRow]
    amks: list[PersonRow]
    secretariat: list[PersonRow]

    def easy_owners(self) -> list[PersonRow]:
        """Who is told to report in EASY: the leaders and AMKs (the secretariat if the unit
        has neither), each once."""
        people = {person.id: person for person in (*self.leaders, *self.amks)}
        if not people:
            people = {person.id: person for person in self.secretariat}
        return list(people.values())


async def recipients(connection: HotConnection, unit_id: int) -> Recipients:
    return Recipients(
        leaders=await org.holders(connection, unit_id, Role.LEADER),
        amks=await org.holders(connection, unit_id, Role.AMK),
        secretariat=await org.holders(connection, None, Role.SECRETARIAT),
    )


async def reader(connection: HotConnection, accident: AccidentRow, person_id: int) -> Reader:
    """The person's part in the accident's unit."""
    roles = {
        (assignment.unit_id, assignment.role)
        for assignment in await org.roles_of(connection, person_id)
    }
    owned = await connection.execute(_OWNED, {"accident_id": accident.id, "person_id": person_id})
    return Reader(
        person_id=person_id,
        is_leader=(accident.unit_id, Role.LEADER.value) in roles,
        is_amk=(accident.unit_id, Role.AMK.value) in roles,
        is_secretariat=(None, Role.SECRETARIAT.value) in roles,
        owned_actions=frozenset(action_id for (action_id,) in owned),
    )


async def change_once(
    connection: AuditedConnection,
    accident: AccidentRow,
    *,
    still: ColumnElement[bool],
    values: dict[str, Any],
    action: str,
    actor_id: int,
) -> bool:
    """Set `values` on the accident only while `still` holds (a conditional UPDATE, so two
    clicks change it once) and audit the change with its before and after. False: it was
    changed before."""
    changed = await audit.updated_once(
        connection,
        WorkAccident,
        accident,
        still,
        values=values,
        actor=person_actor(actor_id),
        action=action,
        entity_type=ENTITY,
    )
    return changed is not None


async def record_easy(
    connection: AuditedConnection,
    accident: AccidentRow,
    *,
    status: EasyStatus,
    actor_id: int,
    now: datetime,
    reference: str | None = None,
    filed_on: date | None = None,
    reason: str | None = None,
) -> bool:
    """Record that the accident was reported in EASY (reference, day) or is not to be (why),
    once: while it is still pending. False: it was recorded before."""
    return await change_once(
        connection,
        accident,
        still=WorkAccident.easy_status == EasyStatus.PENDING.value,
        values={
            "easy_status": status.value,
            "easy_reference": reference,
            "easy_filed_on": filed_on,
            "not_required_reason": reason,
            "easy_decided_by_id": actor_id,
            "easy_decided_at": now,
            "updated_at": now,
        },
        action=f"work_accident.easy.{status.value}",
        actor_id=actor_id,
    )


async def record_refusal(
    connection: AuditedConnection, accident_id: int, actor_id: int, attempt: str
) -> None:
    await audit.record(
        connection,
        actor=person_actor(actor_id),
        action="work_accident.refused",
        entity_type=ENTITY,
        entity_id=accident_id,
        after={"attempt": attempt, "reason": "not_allowed"},
    )


async def record_reads(
    connection: AuditedConnection, accident: AccidentRow, person_ids: list[int], via: str
) -> None:
    """One `work_accident.read` event per person shown a psychological accident's card
    (`via`: the card's occasion); nothing for a physical one."""
    if not InjuryKind(accident.injury_kind).confidential:
        return
    for person_id in person_ids:
        await audit.record(
            connection,
            actor=person_actor(person_id),
            action="work_accident.read",
            entity_type=ENTITY,
            entity_id=accident.id,
            after={"via": via},
        )


async def confirm_follow_up(
    connection: AuditedConnection, accident: AccidentRow, *, actor_id: int, now: datetime
) -> bool:
    """The leader has followed up with the person: a conditional UPDATE (once), audited.
    False: it was recorded before, or the accident has no follow-up."""
    row = (
        await connection.execute(
            _FOLLOWED_UP, {"accident_id": accident.id, "actor_id": actor_id, "now": now}
        )
    ).first()
    if row is None:
        return False
    await audit.record(
        connection,
        actor=person_actor(actor_id),
        action="work_accident.followed_up",
        entity_type=ENTITY,
        entity_id=accident.id,
        after=AccidentRow(*row).snapshot(),
    )
    return True


async def follow_ups_open_since(connection: HotConnection, since: date) -> list[AccidentRow]:
    """Psychological accidents whose leader has not recorded the follow-up, with a last day
    on or after `since`."""
    found = await connection.execute(_FOLLOW_UPS_OPEN, {"since": since})
    return [AccidentRow(*row) for row in found]


async def pending_due_since(connection: HotConnection, since: date) -> list[AccidentRow]:
    """Accidents whose EASY report is still owed, with a deadline on or after `since`."""
    found = await connection.execute(_PENDING_DUE, {"since": since})
    return [AccidentRow(*row) for row in found]


async def has_personal_chat(connection: HotConnection, person_id: int) -> bool:
    return await conversations.personal_destination(connection, person_id) is not None


async def fresh(connection: HotConnection, accident: AccidentRow) -> AccidentRow:
    """The accident as it stands now, read again after a change in the caller's transaction."""
    return AccidentRow(*(await connection.execute(_BY_ID, {"accident_id": accident.id})).one())
