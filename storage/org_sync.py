"""What an Entra ID sync reads and writes: the roles held now, the open tasks and their
owners, and the plan applied with the same audited role changes as `org import`."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import delete, select

from domain.near_miss import ActionStatus
from domain.org import Role
from domain.org_sync import Holder, KnownPerson, OpenItem, SyncPlan
from domain.wellbeing import ItemStatus
from storage import org
from storage.audit import AuditedConnection
from storage.db import HotConnection, dialect_insert
from storage.models import Person, PersonDirectoryUnit, RoleAssignment, Unit, utcnow
from storage.near_miss_models import NearMissAction, NearMissReport
from storage.wellbeing_models import WellbeingActionItem

TITLE_LENGTH = 80


async def current_holders(connection: HotConnection) -> list[Holder]:
    """Every role held now, with its person's ids."""
    rows = await connection.execute(
        select(
            RoleAssignment.id,
            Unit.name,
            RoleAssignment.role,
            Person.id,
            Person.aad_object_id,
            Person.upn,
            Person.name,
        )
        .join(Person, Person.id == RoleAssignment.person_id)
        .outerjoin(Unit, Unit.id == RoleAssignment.unit_id)
        .order_by(RoleAssignment.id)
    )
    return [
        Holder(
            assignment_id=assignment_id,
            unit=unit,
            role=Role(role),
            person_id=person_id,
            aad_object_id=aad,
            upn=upn,
            label=_with_upn(org.person_label(person_id, name, upn, aad), upn),
        )
        for assignment_id, unit, role, person_id, aad, upn, name in rows
    ]


async def known_people(connection: HotConnection) -> list[KnownPerson]:
    """Everyone the bot knows, with the ids Entra ID matches them by."""
    rows = await connection.execute(
        select(Person.id, Person.aad_object_id, Person.upn, Person.name)
    )
    return [
        KnownPerson(
            person_id, aad, upn, _with_upn(org.person_label(person_id, name, upn, aad), upn)
        )
        for person_id, aad, upn, name in rows
    ]


async def directory_units(connection: HotConnection) -> dict[int, str]:
    """Each person's unit as the last sync took it from Entra ID."""
    rows = await connection.execute(
        select(PersonDirectoryUnit.person_id, Unit.name).join(
            Unit, Unit.id == PersonDirectoryUnit.unit_id
        )
    )
    return {int(person_id): name for person_id, name in rows}


def _with_upn(label: str, upn: str | None) -> str:
    return f"{label} <{upn}>" if upn and label != upn else label


def _title(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= TITLE_LENGTH else flat[: TITLE_LENGTH - 1] + "…"


async def open_items(connection: HotConnection) -> list[OpenItem]:
    """Open action-plan items and open near-miss corrective actions, with their owners."""
    open_statuses = [status.value for status in ItemStatus if status.is_open]
    wellbeing = await connection.execute(
        select(
            WellbeingActionItem.id,
            Unit.id,
            Unit.name,
            Person.id,
            Person.aad_object_id,
            Person.upn,
            Person.name,
            WellbeingActionItem.action,
            WellbeingActionItem.deadline,
        )
        .join(Unit, Unit.id == WellbeingActionItem.unit_id)
        .join(Person, Person.id == WellbeingActionItem.owner_id)
        .where(WellbeingActionItem.status.in_(open_statuses))
        .order_by(WellbeingActionItem.id)
    )
    near_miss = await connection.execute(
        select(
            NearMissAction.id,
            Unit.id,
            Unit.name,
            Person.id,
            Person.aad_object_id,
            Person.upn,
            Person.name,
            NearMissReport.number,
            NearMissAction.description,
            NearMissAction.due_date,
        )
        .join(NearMissReport, NearMissReport.id == NearMissAction.report_id)
        .join(Unit, Unit.id == NearMissReport.unit_id)
        .join(Person, Person.id == NearMissAction.owner_id)
        .where(NearMissAction.status == ActionStatus.OPEN.value)
        .order_by(NearMissAction.id)
    )
    items = [
        OpenItem(
            "wellbeing",
            item_id,
            unit_id,
            unit,
            person_id,
            aad,
            upn,
            org.person_label(person_id, name, upn, aad),
            _title(action),
            deadline,
        )
        for item_id, unit_id, unit, person_id, aad, upn, name, action, deadline in wellbeing
    ]
    items += [
        OpenItem(
            "near_miss",
            item_id,
            unit_id,
            unit,
            person_id,
            aad,
            upn,
            org.person_label(person_id, name, upn, aad),
            _title(f"{number}: {description}"),
            due,
        )
        for item_id, unit_id, unit, person_id, aad, upn, name, number, description, due in near_miss
    ]
    return items


@dataclass
class AppliedSync:
    """What a sync changed."""

    roles_added: int = 0
    roles_removed: int = 0
    units_set: int = 0
    units_cleared: int = 0


async def apply_plan(connection: AuditedConnection, plan: SyncPlan, *, actor: str) -> AppliedSync:
    """Take the roles the plan removes and give the ones it grants (people are found or
    created by Entra object id, so someone who changes unit stays the same person, with
    their history), each change audited as `role.remove` / `role.assign`."""
    applied = AppliedSync()
    for holder in plan.removals:
        assignment = await org.held_role(connection, holder.assignment_id)
        if assignment is not None:
            await org.remove_role(connection, actor=actor, assignment=assignment)
            applied.roles_removed += 1
    units = {
        unit.name.casefold(): unit for unit in await org.list_units(connection, only_active=False)
    }
    for grant in plan.grants:
        person = await org.upsert_person(
            connection, aad_object_id=grant.user.id, upn=grant.user.upn, name=grant.user.name
        )
        unit = None if grant.unit is None else units[grant.unit.casefold()]
        if await org.assign_role(
            connection, actor=actor, unit=unit, person=person, role=grant.role
        ):
            applied.roles_added += 1
    if plan.leaves:
        await connection.execute(
            delete(PersonDirectoryUnit).where(
                PersonDirectoryUnit.person_id.in_([leave.person_id for leave in plan.leaves])
            )
        )
    if plan.joins:
        now = utcnow()
        insert = dialect_insert(connection, PersonDirectoryUnit)
        rows = [
            {
                "person_id": join.person_id,
                "unit_id": units[join.unit.casefold()].id,
                "synced_at": now,
            }
            for join in plan.joins
        ]
        for start in range(0, len(rows), 500):
            statement = insert.values(rows[start : start + 500])
            await connection.execute(
                statement.on_conflict_do_update(
                    index_elements=[PersonDirectoryUnit.person_id],
                    set_={
                        "unit_id": statement.excluded.unit_id,
                        "synced_at": statement.excluded.synced_at,
                    },
                )
            )
    applied.units_set = len(plan.joins)
    applied.units_cleared = len(plan.leaves)
    return applied
