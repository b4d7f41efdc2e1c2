"""The investigation of a work accident: causes, corrective actions and closing with a
conclusion, each inside the caller's transaction with its audit event (ids, dates and states,
never the typed text); and the owners' reminders on the due date."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from domain.audit import SYSTEM_ACTOR, person_actor
from domain.i18n import local_date
from domain.near_miss import ActionStatus, reminder_due_at
from domain.near_miss_forms import ActionForm
from domain.work_accident import ENTITY
from storage import audit, org
from storage.rows import PersonRow
from storage.work_accident import change_once
from storage.work_accident_models import WorkAccident, WorkAccidentAction


async def locked(session: AsyncSession, accident_id: int) -> WorkAccident | None:
    """The accident, its row locked until the transaction ends (PostgreSQL; SQLite's writers
    take turns anyway)."""
    return (
        await session.scalars(
            select(WorkAccident)
            .where(WorkAccident.id == accident_id)
            .with_for_update()
            .execution_options(populate_existing=True)
        )
    ).first()


async def record_causes(
    session: AsyncSession, accident: WorkAccident, *, causes: str, actor_id: int, now: datetime
) -> None:
    """The causes the investigation found (written over earlier ones)."""
    had = accident.causes is not None
    accident.causes = causes
    accident.updated_at = now
    await session.flush()
    await audit.record(
        session,
        actor=person_actor(actor_id),
        action="work_accident.causes",
        entity_type=ENTITY,
        entity_id=accident.id,
        after={"changed": had},
    )


async def add_action(
    session: AsyncSession, accident: WorkAccident, *, form: ActionForm, actor_id: int, now: datetime
) -> tuple[WorkAccidentAction, PersonRow]:
    """A corrective action with its owner (by e-mail; a person row is made if the bot does
    not know them yet) and due date."""
    owner = await org.upsert_person(session, aad_object_id=None, upn=form.action_owner, name=None)
    action = WorkAccidentAction(
        accident_id=accident.id,
        description=form.action_description,
        owner_id=owner.id,
        due_date=form.action_due,
        status=ActionStatus.OPEN.value,
        created_by_id=actor_id,
        created_at=now,
        updated_at=now,
    )
    session.add(action)
    accident.updated_at = now
    await session.flush()
    await audit.record(
        session,
        actor=person_actor(actor_id),
        action="work_accident.action.add",
        entity_type=ENTITY,
        entity_id=accident.id,
        after={
            "action_id": action.id,
            "owner_id": owner.id,
            "due_date": action.due_date.isoformat(),
        },
    )
    return action, owner


async def complete_action(
    session: AsyncSession, accident: WorkAccident, action_id: int, *, actor_id: int, now: datetime
) -> bool:
    """Mark the action done: a conditional UPDATE on its open status (two clicks mark it
    once). False: it was done already."""
    result = await session.execute(
        update(WorkAccidentAction)
        .where(
            WorkAccidentAction.id == action_id,
            WorkAccidentAction.accident_id == accident.id,
            WorkAccidentAction.status == ActionStatus.OPEN.value,
        )
        .values(status=ActionStatus.DONE.value, done_at=now, done_by_id=actor_id, updated_at=now)
        .execution_options(synchronize_session=False)
    )
    if getattr(result, "rowcount", 0) != 1:
        return False
    accident.updated_at = now
    await audit.record(
        session,
        actor=person_actor(actor_id),
        action="work_accident.action.done",
        entity_type=ENTITY,
        entity_id=accident.id,
        before={"action_id": action_id, "status": ActionStatus.OPEN.value},
        after={"action_id": action_id, "status": ActionStatus.DONE.value},
    )
    return True


async def close(
    session: AsyncSession,
    accident: WorkAccident,
    *,
    conclusion: str,
    tell_injured: bool,
    actor_id: int,
    now: datetime,
) -> bool:
    """Close the investigation with its conclusion, and whether the injured person hears it,
    once. False: it was closed before."""
    return await change_once(
        session,
        accident,
        still=WorkAccident.closed_at.is_(None),
        values={
            "conclusion": conclusion,
            "closed_at": now,
            "closed_by_id": actor_id,
            "outcome_wanted": tell_injured,
            "updated_at": now,
        },
        action="work_accident.close",
        actor_id=actor_id,
    )


async def due_reminders(session: AsyncSession, now: datetime) -> list[WorkAccidentAction]:
    """Open actions whose due date (08:00 Copenhagen) has come and that were not reminded,
    of investigations that are not closed."""
    candidates = await session.scalars(
        select(WorkAccidentAction)
        .join(WorkAccident, WorkAccident.id == WorkAccidentAction.accident_id)
        .where(
            WorkAccidentAction.status == ActionStatus.OPEN.value,
            WorkAccidentAction.reminded_at.is_(None),
            WorkAccidentAction.due_date <= local_date(now),
            WorkAccident.closed_at.is_(None),
        )
        .order_by(WorkAccidentAction.due_date, WorkAccidentAction.id)
    )
    return [action for action in candidates if reminder_due_at(action.due_date) <= now]


async def mark_reminded(session: AsyncSession, action_id: int, now: datetime) -> None:
    action = await session.get(WorkAccidentAction, action_id)
    if action is None or action.reminded_at is not None:
        return
    action.reminded_at = now
    await audit.record(
        session,
        actor=SYSTEM_ACTOR,
        action="work_accident.action.remind",
        entity_type=ENTITY,
        entity_id=action.accident_id,
        after={"action_id": action.id, "owner_id": action.owner_id},
    )
