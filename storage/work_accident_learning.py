"""The investigation of a work accident: causes, corrective actions and closing with a
conclusion, each inside the caller's transaction with its audit event (ids, dates and states,
never the typed text); and the owners' reminders on the due date."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import bindparam, insert, select, update

from domain.audit import SYSTEM_ACTOR, person_actor
from domain.i18n import local_date
from domain.near_miss import ActionStatus, reminder_due_at
from domain.near_miss_forms import ActionForm
from domain.work_accident import ENTITY
from storage import audit, org
from storage.audit import AuditedConnection
from storage.db import HotConnection
from storage.rows import PersonRow, columns_of
from storage.work_accident import ACCIDENT, ACCIDENTS, ACTIONS, AccidentRow, change_once
from storage.work_accident_models import WorkAccident, WorkAccidentAction


@dataclass(frozen=True, slots=True)
class DueAction:
    """An open corrective action whose owner is to be reminded."""

    id: int
    accident_id: int
    owner_id: int
    due_date: date


# Built once (binding parameters): building a statement costs as much as running it.
_LOCKED = ACCIDENT.where(ACCIDENTS.c.id == bindparam("accident_id")).with_for_update()
_TOUCH = (
    update(WorkAccident)
    .where(WorkAccident.id == bindparam("accident_id"))
    .values(updated_at=bindparam("now"))
)
_CAUSES = (
    update(WorkAccident)
    .where(WorkAccident.id == bindparam("accident_id"))
    .values(causes=bindparam("new_causes"), updated_at=bindparam("now"))
)
_ADD_ACTION = insert(WorkAccidentAction).returning(ACTIONS.c.id)
_COMPLETE = (
    update(WorkAccidentAction)
    .where(
        WorkAccidentAction.id == bindparam("action_id"),
        WorkAccidentAction.accident_id == bindparam("of_accident"),
        WorkAccidentAction.status == ActionStatus.OPEN.value,
    )
    .values(
        status=ActionStatus.DONE.value,
        done_at=bindparam("now"),
        done_by_id=bindparam("actor_id"),
        updated_at=bindparam("now"),
    )
)
_DUE = (
    select(*columns_of(ACTIONS, DueAction))
    .join(WorkAccident, WorkAccident.id == ACTIONS.c.accident_id)
    .where(
        ACTIONS.c.status == ActionStatus.OPEN.value,
        ACTIONS.c.reminded_at.is_(None),
        ACTIONS.c.due_date <= bindparam("today"),
        WorkAccident.closed_at.is_(None),
    )
    .order_by(ACTIONS.c.due_date, ACTIONS.c.id)
)
_REMINDED = (
    update(WorkAccidentAction)
    .where(
        WorkAccidentAction.id == bindparam("action_id"), WorkAccidentAction.reminded_at.is_(None)
    )
    .values(reminded_at=bindparam("now"))
    .returning(ACTIONS.c.accident_id, ACTIONS.c.owner_id)
)


async def locked(connection: HotConnection, accident_id: int) -> AccidentRow | None:
    """The accident, its row locked until the transaction ends (PostgreSQL; SQLite's writers
    take turns anyway)."""
    row = (await connection.execute(_LOCKED, {"accident_id": accident_id})).first()
    return None if row is None else AccidentRow(*row)


async def record_causes(
    connection: AuditedConnection,
    accident: AccidentRow,
    *,
    causes: str,
    actor_id: int,
    now: datetime,
) -> None:
    """The causes the investigation found (written over earlier ones)."""
    await connection.execute(
        _CAUSES, {"accident_id": accident.id, "new_causes": causes, "now": now}
    )
    await audit.record(
        connection,
        actor=person_actor(actor_id),
        action="work_accident.causes",
        entity_type=ENTITY,
        entity_id=accident.id,
        after={"changed": accident.causes is not None},
    )


async def add_action(
    connection: AuditedConnection,
    accident: AccidentRow,
    *,
    form: ActionForm,
    actor_id: int,
    now: datetime,
) -> tuple[int, PersonRow]:
    """A corrective action with its owner (by e-mail; a person row is made if the bot does
    not know them yet) and due date: the action's id and its owner."""
    owner = await org.upsert_person(
        connection, aad_object_id=None, upn=form.action_owner, name=None
    )
    action_id: int = (
        await connection.execute(
            _ADD_ACTION,
            {
                "accident_id": accident.id,
                "description": form.action_description,
                "owner_id": owner.id,
                "due_date": form.action_due,
                "status": ActionStatus.OPEN.value,
                "created_by_id": actor_id,
                "created_at": now,
                "updated_at": now,
            },
        )
    ).scalar_one()
    await connection.execute(_TOUCH, {"accident_id": accident.id, "now": now})
    await audit.record(
        connection,
        actor=person_actor(actor_id),
        action="work_accident.action.add",
        entity_type=ENTITY,
        entity_id=accident.id,
        after={
            "action_id": action_id,
            "owner_id": owner.id,
            "due_date": form.action_due.isoformat(),
        },
    )
    return action_id, owner


async def complete_action(
    connection: AuditedConnection,
    accident: AccidentRow,
    action_id: int,
    *,
    actor_id: int,
    now: datetime,
) -> bool:
    """Mark the action done: a conditional UPDATE on its open status (two clicks mark it
    once). False: it was done already."""
    result = await connection.execute(
        _COMPLETE,
        {"action_id": action_id, "of_accident": accident.id, "actor_id": actor_id, "now": now},
    )
    if result.rowcount != 1:
        return False
    await connection.execute(_TOUCH, {"accident_id": accident.id, "now": now})
    await audit.record(
        connection,
        actor=person_actor(actor_id),
        action="work_accident.action.done",
        entity_type=ENTITY,
        entity_id=accident.id,
        before={"action_id": action_id, "status": ActionStatus.OPEN.value},
        after={"action_id": action_id, "status": ActionStatus.DONE.value},
    )
    return True


async def close(
    connection: AuditedConnection,
    accident: AccidentRow,
    *,
    conclusion: str,
    tell_injured: bool,
    actor_id: int,
    now: datetime,
) -> bool:
    """Close the investigation with its conclusion, and whether the injured person hears it,
    once. False: it was closed before."""
    return await change_once(
        connection,
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


async def due_reminders(connection: HotConnection, now: datetime) -> list[DueAction]:
    """Open actions whose due date (08:00 Copenhagen) has come and that were not reminded,
    of investigations that are not closed."""
    rows = await connection.execute(_DUE, {"today": local_date(now)})
    candidates = [DueAction(*row) for row in rows]
    return [action for action in candidates if reminder_due_at(action.due_date) <= now]


async def mark_reminded(connection: AuditedConnection, action_id: int, now: datetime) -> None:
    row = (await connection.execute(_REMINDED, {"action_id": action_id, "now": now})).first()
    if row is None:
        return
    accident_id, owner_id = row
    await audit.record(
        connection,
        actor=SYSTEM_ACTOR,
        action="work_accident.action.remind",
        entity_type=ENTITY,
        entity_id=accident_id,
        after={"action_id": action_id, "owner_id": owner_id},
    )
