"""Following a near-miss report up: acknowledging, assigning, corrective actions, closing;
one function per action on the caller's audited connection, the report's row locked, each
with its audit event."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, insert, select, update

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
from storage.audit import AuditedConnection
from storage.db import HotConnection
from storage.near_miss import (
    ACTION_COLUMNS,
    ACTIONS,
    ENTITY,
    REPORTS,
    ActionRow,
    Held,
    ReportRow,
    get,
    participant,
    people_of,
    roles_by_person,
    view,
)
from storage.rows import PersonRow

# Built once (binding parameters): building a statement costs as much as running it.
# The follow-up columns as the step leaves them, only while the status is the one read.
_FOLLOW_UP = (
    update(REPORTS)
    .where(REPORTS.c.id == bindparam("report_id"), REPORTS.c.status == bindparam("from_status"))
    .values(
        status=bindparam("status"),
        investigator_id=bindparam("investigator_id"),
        acknowledged_at=bindparam("acknowledged_at"),
        acknowledged_by_id=bindparam("acknowledged_by_id"),
        closed_at=bindparam("closed_at"),
        closed_by_id=bindparam("closed_by_id"),
        conclusion=bindparam("conclusion"),
        updated_at=bindparam("updated_at"),
    )
)
_ADD_ACTION = insert(ACTIONS).returning(*ACTION_COLUMNS)
_COMPLETE_ACTION = (
    update(ACTIONS)
    .where(
        ACTIONS.c.id == bindparam("action_id"),
        ACTIONS.c.status == ActionStatus.OPEN.value,
    )
    .values(
        status=ActionStatus.DONE.value,
        done_at=bindparam("now"),
        done_by_id=bindparam("actor_id"),
        updated_at=bindparam("now"),
    )
)
_REPORT_OF_ACTION = select(ACTIONS.c.report_id).where(ACTIONS.c.id == bindparam("action_id"))

# -- follow-up ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Outcome:
    """What a follow-up step did. `changed` False with `refused` naming why not:
    not_found, not_allowed, status, already, action_done, open_actions, no_conclusion."""

    report: ReportRow | None
    changed: bool
    refused: str | None = None
    person: PersonRow | None = None
    action: ActionRow | None = None
    acknowledged_now: bool = False


async def _refuse_not_allowed(
    connection: AuditedConnection, report: ReportRow, actor_id: int, what: str
) -> Outcome:
    """Wrong person: nothing changes, but the attempt is written to the audit trail."""
    await audit.record(
        connection,
        actor=person_actor(actor_id),
        action="near_miss.refused",
        entity_type=ENTITY,
        entity_id=report.id,
        after={"attempt": what, "reason": "not_allowed"},
    )
    return Outcome(report, False, "not_allowed")


async def _write(
    connection: AuditedConnection, report: ReportRow, changes: dict[str, Any], now: datetime
) -> ReportRow | None:
    """Write the report's follow-up columns as `changes` leave them, only while its status is
    still the one read (None: it was not: the caller reads it again)."""
    after = replace(report, **changes)
    result = await connection.execute(
        _FOLLOW_UP,
        {
            "report_id": report.id,
            "from_status": report.status,
            "status": after.status,
            "investigator_id": after.investigator_id,
            "acknowledged_at": after.acknowledged_at,
            "acknowledged_by_id": after.acknowledged_by_id,
            "closed_at": after.closed_at,
            "closed_by_id": after.closed_by_id,
            "conclusion": after.conclusion,
            "updated_at": now,
        },
    )
    return after if result.rowcount else None


async def _record_change(
    connection: AuditedConnection,
    report: ReportRow,
    changes: dict[str, Any],
    *,
    actor_id: int,
    action: str,
    now: datetime,
) -> ReportRow | Outcome:
    """Write the change and its audit event (the report before and as it now stands); the
    report as it now stands, or why not (its status moved on meanwhile)."""
    after = await _write(connection, report, changes, now)
    if after is None:
        return Outcome(await get(connection, report.id) or report, False, "status")
    await audit.record(
        connection,
        actor=person_actor(actor_id),
        action=action,
        entity_type=ENTITY,
        entity_id=report.id,
        before=report.snapshot(),
        after=after.snapshot(),
    )
    return after


async def _permitted(
    connection: AuditedConnection, found: Subject | None, actor_id: int, event: Event
) -> Subject | Outcome:
    """`found` when the acting person may do `event` on it; otherwise why not (no such
    report, or not theirs to do: that attempt is audited)."""
    if found is None:
        return Outcome(None, False, "not_found")
    if not found.actor().may(event):
        return await _refuse_not_allowed(connection, found.report, actor_id, event.value)
    return found


async def _ready_for(
    connection: AuditedConnection,
    report_id: int,
    found: Subject | None,
    actor_id: int,
    event: Event,
) -> ReportRow | Outcome:
    """The report when the acting person may do `event` and its status allows it now;
    otherwise why not (see `_permitted`, and "status")."""
    checked = await _permitted(
        connection, found or await subject(connection, report_id, actor_id), actor_id, event
    )
    if isinstance(checked, Outcome):
        return checked
    if not allowed(Status(checked.report.status), event):
        return Outcome(checked.report, False, "status")
    return checked.report


@dataclass(frozen=True)
class Subject:
    """A report read for a change (its row locked), and the person acting on it."""

    report: ReportRow
    actor_id: int
    person: PersonRow | None
    roles: Held

    def actor(self) -> Participant:
        """What the acting person is to the report as it now stands."""
        if self.person is None:
            return Participant(person_id=self.actor_id, name="", lang=Lang.EN)
        return participant(self.report, self.person, self.roles)

    def now_as(self, report: ReportRow | None) -> Subject:
        """The same person acting on the report as a step left it."""
        return self if report is None else replace(self, report=report)


async def subject(connection: HotConnection, report_id: int, actor_id: int) -> Subject | None:
    """The report (locked until the transaction ends) with the acting person and their
    roles, read once for a follow-up step and the card it answers with."""
    report = await get(connection, report_id, lock=True)
    if report is None:
        return None
    person = await rows.person(connection, actor_id)
    roles = (await roles_by_person(connection, [actor_id]))[actor_id] if person else frozenset()
    return Subject(report, actor_id, person, roles)


async def seen_by_actor(connection: HotConnection, found: Subject) -> FollowUpContext:
    """The report as `found` holds it, with only the acting person's part (what their own
    card needs; their roles are not read again)."""
    known = {found.person.id: found.person} if found.person is not None else {}
    named = await rows.people(connection, people_of(found.report) - known.keys())
    shown = await view(connection, found.report, known | named)
    return FollowUpContext(report=shown, people={found.actor_id: found.actor()})


async def record_refused_view(connection: AuditedConnection, report_id: int, actor_id: int) -> None:
    """Someone without a part in the report tried to open it."""
    await audit.record(
        connection,
        actor=person_actor(actor_id),
        action="near_miss.refused",
        entity_type=ENTITY,
        entity_id=report_id,
        after={"attempt": "view", "reason": "not_allowed"},
    )


async def acknowledge(
    connection: AuditedConnection,
    report_id: int,
    *,
    actor_id: int,
    now: datetime,
    found: Subject | None = None,
) -> Outcome:
    """The AMK or secretariat has seen the report (`found`: as `subject` read it)."""
    checked = await _permitted(
        connection,
        found or await subject(connection, report_id, actor_id),
        actor_id,
        Event.ACKNOWLEDGE,
    )
    if isinstance(checked, Outcome):
        return checked
    report = checked.report
    if report.acknowledged_at is not None:
        return Outcome(report, False, "already")
    if not allowed(Status(report.status), Event.ACKNOWLEDGE):
        return Outcome(report, False, "status")
    changes = {
        "status": transition(Status(report.status), Event.ACKNOWLEDGE).value,
        "acknowledged_at": now,
        "acknowledged_by_id": actor_id,
    }
    after = await _record_change(
        connection, report, changes, actor_id=actor_id, action="near_miss.acknowledge", now=now
    )
    if isinstance(after, Outcome):
        return after
    return Outcome(after, True, acknowledged_now=True)


async def assign(
    connection: AuditedConnection,
    report_id: int,
    *,
    actor_id: int,
    investigator_upn: str,
    now: datetime,
    found: Subject | None = None,
) -> Outcome:
    """Give the investigation to a person (by Entra object id or e-mail/UPN); acknowledges the
    report too."""
    report = await _ready_for(connection, report_id, found, actor_id, Event.ASSIGN)
    if isinstance(report, Outcome):
        return report
    investigator = await people.named_person(connection, investigator_upn)
    if report.investigator_id == investigator.id:
        return Outcome(report, False, None, person=investigator)
    acknowledged_now = report.acknowledged_at is None
    changes: dict[str, Any] = {
        "status": transition(Status(report.status), Event.ASSIGN).value,
        "investigator_id": investigator.id,
    }
    if acknowledged_now:
        changes |= {"acknowledged_at": now, "acknowledged_by_id": actor_id}
    after = await _record_change(
        connection, report, changes, actor_id=actor_id, action="near_miss.assign", now=now
    )
    if isinstance(after, Outcome):
        return after
    return Outcome(after, True, person=investigator, acknowledged_now=acknowledged_now)


async def add_action(
    connection: AuditedConnection,
    report_id: int,
    *,
    actor_id: int,
    form: ActionForm,
    now: datetime,
    found: Subject | None = None,
) -> Outcome:
    """A corrective action with an owner (by Entra object id or e-mail/UPN) and a due date."""
    report = await _ready_for(connection, report_id, found, actor_id, Event.ADD_ACTION)
    if isinstance(report, Outcome):
        return report
    owner = await people.named_person(connection, form.action_owner)
    changes = {"status": transition(Status(report.status), Event.ADD_ACTION).value}
    after = await _write(connection, report, changes, now)
    if after is None:
        return Outcome(await get(connection, report.id) or report, False, "status")
    added = (
        await connection.execute(
            _ADD_ACTION,
            {
                "report_id": report.id,
                "description": form.action_description,
                "owner_id": owner.id,
                "due_date": form.action_due,
                "status": ActionStatus.OPEN.value,
                "created_by_id": actor_id,
                "created_at": now,
                "updated_at": now,
            },
        )
    ).one()
    action = ActionRow(*added)
    after = replace(after, actions=(*after.actions, action))
    await audit.record(
        connection,
        actor=person_actor(actor_id),
        action="near_miss.action.add",
        entity_type=ENTITY,
        entity_id=report.id,
        before=report.snapshot(),
        after={
            **after.snapshot(),
            "action_id": action.id,
            "owner_id": owner.id,
            "due_date": action.due_date.isoformat(),
        },
    )
    return Outcome(after, True, person=owner, action=action)


async def complete_action(
    connection: AuditedConnection,
    action_id: int,
    *,
    actor_id: int,
    now: datetime,
    found: Subject | None = None,
) -> Outcome:
    """The owner (or the AMK) marks a corrective action done (`found`: its report)."""
    if found is None:
        report_id = (await connection.execute(_REPORT_OF_ACTION, {"action_id": action_id})).scalar()
        found = await subject(connection, report_id, actor_id) if report_id is not None else None
    action = next((a for a in found.report.actions if a.id == action_id), None) if found else None
    if found is None or action is None:
        return Outcome(None, False, "not_found")
    report = found.report
    if not found.actor().may(Event.COMPLETE_ACTION, action_id):
        return await _refuse_not_allowed(connection, report, actor_id, Event.COMPLETE_ACTION.value)
    if action.status == ActionStatus.DONE.value:
        return Outcome(report, False, "action_done", action=action)
    if not allowed(Status(report.status), Event.COMPLETE_ACTION):
        return Outcome(report, False, "status", action=action)
    done = await connection.execute(
        _COMPLETE_ACTION, {"action_id": action_id, "actor_id": actor_id, "now": now}
    )
    after = await _write(connection, report, {}, now) if done.rowcount else None
    if after is None:
        again = await get(connection, report.id) or report
        now_action = next((a for a in again.actions if a.id == action_id), action)
        return Outcome(again, False, "action_done", action=now_action)
    action = replace(action, status=ActionStatus.DONE.value, done_at=now)
    after = replace(after, actions=tuple(action if a.id == action_id else a for a in after.actions))
    await audit.record(
        connection,
        actor=person_actor(actor_id),
        action="near_miss.action.done",
        entity_type=ENTITY,
        entity_id=report.id,
        before={"action_id": action.id, "status": ActionStatus.OPEN.value},
        after={"action_id": action.id, "status": ActionStatus.DONE.value},
    )
    return Outcome(after, True, action=action)


async def close(
    connection: AuditedConnection,
    report_id: int,
    *,
    actor_id: int,
    conclusion: str,
    now: datetime,
    found: Subject | None = None,
) -> Outcome:
    """Close with a conclusion; refused while a corrective action is open."""
    report = await _ready_for(connection, report_id, found, actor_id, Event.CLOSE)
    if isinstance(report, Outcome):
        return report
    open_actions = sum(1 for a in report.actions if a.status == ActionStatus.OPEN.value)
    problem = close_problem(conclusion, open_actions)
    if problem is CloseProblem.OPEN_ACTIONS:
        return Outcome(report, False, "open_actions")
    if problem is CloseProblem.NO_CONCLUSION:
        return Outcome(report, False, "no_conclusion")
    changes = {
        "status": transition(Status(report.status), Event.CLOSE).value,
        "conclusion": conclusion.strip(),
        "closed_at": now,
        "closed_by_id": actor_id,
    }
    after = await _record_change(
        connection, report, changes, actor_id=actor_id, action="near_miss.close", now=now
    )
    if isinstance(after, Outcome):
        return after
    return Outcome(after, True)
