"""Following a near-miss report up: acknowledging, assigning, corrective actions, closing;
one function per action under a row lock, each with its audit event."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import (
    select,
)
from sqlalchemy.ext.asyncio import AsyncSession

from domain.audit import person_actor
from domain.i18n import Lang
from domain.near_miss import (
    ActionStatus,
    CloseProblem,
    Event,
    FollowUpContext,
    Participant,
    Status,
    allowed,
    close_problem,
    transition,
)
from domain.near_miss_forms import ActionForm
from storage import audit, people, rows
from storage.models import RoleAssignment
from storage.near_miss import (
    ENTITY,
    get,
    participant,
    people_by_id,
    people_of,
    roles_by_person,
    view,
)
from storage.near_miss_models import NearMissAction, NearMissReport
from storage.rows import PersonRow

# -- follow-up ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Outcome:
    """What a follow-up step did. `changed` False with `refused` naming why not:
    not_found, not_allowed, status, already, action_done, open_actions, no_conclusion."""

    report: NearMissReport | None
    changed: bool
    refused: str | None = None
    person: PersonRow | None = None
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


async def _record_change(
    session: AsyncSession, report: NearMissReport, actor_id: int, action: str, before: Any
) -> None:
    """Write the change and its audit event: the report before and as it now stands."""
    await session.flush()
    await audit.record(
        session,
        actor=person_actor(actor_id),
        action=action,
        entity_type=ENTITY,
        entity_id=report.id,
        before=before,
        after=report.snapshot(),
    )


async def _permitted(
    session: AsyncSession, found: Subject | None, actor_id: int, event: Event
) -> Subject | Outcome:
    """`found` when the acting person may do `event` on it; otherwise why not (no such
    report, or not theirs to do: that attempt is audited)."""
    if found is None:
        return Outcome(None, False, "not_found")
    if not found.actor().may(event):
        return await _refuse_not_allowed(session, found.report, actor_id, event.value)
    return found


async def _ready_for(
    session: AsyncSession, report_id: int, found: Subject | None, actor_id: int, event: Event
) -> NearMissReport | Outcome:
    """The report when the acting person may do `event` and its status allows it now;
    otherwise why not (see `_permitted`, and "status")."""
    checked = await _permitted(
        session, found or await subject(session, report_id, actor_id), actor_id, event
    )
    if isinstance(checked, Outcome):
        return checked
    if not allowed(Status(checked.report.status), event):
        return Outcome(checked.report, False, "status")
    return checked.report


@dataclass(frozen=True)
class Subject:
    """A report read for a change (its row locked), and the person acting on it."""

    report: NearMissReport
    actor_id: int
    person: PersonRow | None
    roles: tuple[RoleAssignment, ...]

    def actor(self) -> Participant:
        """What the acting person is to the report as it now stands."""
        if self.person is None:
            return Participant(person_id=self.actor_id, name="", lang=Lang.EN)
        return participant(self.report, self.person, self.roles)


async def subject(session: AsyncSession, report_id: int, actor_id: int) -> Subject | None:
    """The report (locked until the transaction ends) with the acting person and their
    roles, read once for a follow-up step and the card it answers with."""
    report = await get(session, report_id, lock=True)
    if report is None:
        return None
    person = await rows.person(session, actor_id)
    roles = (await roles_by_person(session, [actor_id]))[actor_id] if person else []
    return Subject(report, actor_id, person, tuple(roles))


async def seen_by_actor(session: AsyncSession, found: Subject) -> FollowUpContext:
    """The report as it now stands in this transaction, with only the acting person's part
    (what their own card needs; their roles are not read again)."""
    known = {found.person.id: found.person} if found.person is not None else {}
    people = known | await people_by_id(session, people_of(found.report) - known.keys())
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
    checked = await _permitted(
        session, found or await subject(session, report_id, actor_id), actor_id, Event.ACKNOWLEDGE
    )
    if isinstance(checked, Outcome):
        return checked
    report = checked.report
    if report.acknowledged_at is not None:
        return Outcome(report, False, "already")
    if not allowed(Status(report.status), Event.ACKNOWLEDGE):
        return Outcome(report, False, "status")
    before = report.snapshot()
    report.status = transition(Status(report.status), Event.ACKNOWLEDGE).value
    report.acknowledged_at = now
    report.acknowledged_by_id = actor_id
    report.updated_at = now
    await _record_change(session, report, actor_id, "near_miss.acknowledge", before)
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
    """Give the investigation to a person (by Entra object id or e-mail/UPN); acknowledges the
    report too."""
    report = await _ready_for(session, report_id, found, actor_id, Event.ASSIGN)
    if isinstance(report, Outcome):
        return report
    status = Status(report.status)
    investigator = await people.named_person(session, investigator_upn)
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
    await _record_change(session, report, actor_id, "near_miss.assign", before)
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
    """A corrective action with an owner (by Entra object id or e-mail/UPN) and a due date."""
    report = await _ready_for(session, report_id, found, actor_id, Event.ADD_ACTION)
    if isinstance(report, Outcome):
        return report
    status = Status(report.status)
    owner = await people.named_person(session, form.action_owner)
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
    report = await _ready_for(session, report_id, found, actor_id, Event.CLOSE)
    if isinstance(report, Outcome):
        return report
    status = Status(report.status)
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
    await _record_change(session, report, actor_id, "near_miss.close", before)
    return Outcome(report, True)
