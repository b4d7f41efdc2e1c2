"""The AMO's composition: recording it (a duty record with the groups, the reasoning and the
members of the moment), the newest record per unit, who holds the AMO roles now, and which
units' reasoning needs a review."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from sqlalchemy import insert, select

from domain.amo import AMO_ROLES, AmoForm, AmoRecord, Member, review_needed
from domain.documentation import Duty, RecordForm
from domain.org import Role
from storage import audit, documentation
from storage.amo_models import AmoComposition, AmoMember
from storage.db import HotConnection
from storage.documentation_models import DutyRecord
from storage.models import Person, RoleAssignment
from storage.org import person_label

ENTITY = "amo_composition"
_ROLE_VALUES = [role.value for role in AMO_ROLES]


async def members(connection: HotConnection, unit_ids: Iterable[int]) -> dict[int, set[Member]]:
    """Who holds leader, AMK or AMR in each unit now (units with nobody are left out)."""
    rows = await connection.execute(
        select(RoleAssignment.unit_id, RoleAssignment.person_id, RoleAssignment.role).where(
            RoleAssignment.unit_id.in_(list(unit_ids)), RoleAssignment.role.in_(_ROLE_VALUES)
        )
    )
    found: dict[int, set[Member]] = {}
    for unit_id, person_id, role in rows:
        if unit_id is not None:
            found.setdefault(unit_id, set()).add((person_id, Role(role)))
    return found


async def names(connection: HotConnection, unit_id: int) -> dict[Role, list[str]]:
    """The names of who holds each AMO role in the unit now, in the order they were added."""
    rows = await connection.execute(
        select(RoleAssignment.role, Person.id, Person.name, Person.upn, Person.aad_object_id)
        .join(Person, Person.id == RoleAssignment.person_id)
        .where(RoleAssignment.unit_id == unit_id, RoleAssignment.role.in_(_ROLE_VALUES))
        .order_by(RoleAssignment.id)
    )
    found: dict[Role, list[str]] = {role: [] for role in AMO_ROLES}
    for role, person_id, name, upn, aad_object_id in rows:
        found[Role(role)].append(person_label(person_id, name, upn, aad_object_id))
    return found


_INSERT_COMPOSITION = insert(AmoComposition).returning(AmoComposition.id)
_INSERT_MEMBER = insert(AmoMember)


async def record(
    connection: audit.AuditedConnection,
    *,
    unit_id: int,
    duty: Duty,
    form: AmoForm,
    today: date,
    actor_id: int,
    actor: str,
) -> int:
    """Record the composition today: a duty record (which dates it and keeps the proof), the
    groups and reasoning, and the unit's members now; audited with facts only (counts, never
    the text). Earlier records are kept; the newest counts. Returns how many members."""
    duty_record = await documentation.add_record(
        connection,
        unit_id=unit_id,
        duty=duty,
        form=RecordForm(met_on=today, proof=form.proof),
        actor_id=actor_id,
        actor=actor,
    )
    composition_id: int = (
        await connection.execute(
            _INSERT_COMPOSITION,
            {
                "duty_record_id": duty_record.id,
                "groups": list(form.groups),
                "reasoning": form.reasoning,
            },
        )
    ).scalar_one()
    seats = sorted((await members(connection, [unit_id])).get(unit_id, set()))
    if seats:
        await connection.execute(
            _INSERT_MEMBER,
            [
                {"composition_id": composition_id, "person_id": person_id, "role": role.value}
                for person_id, role in seats
            ],
        )
    await audit.record(
        connection,
        actor=actor,
        action="documentation.amo.record",
        entity_type=ENTITY,
        entity_id=composition_id,
        after={
            "unit_id": unit_id,
            "duty_record_id": duty_record.id,
            "members": len(seats),
            "groups": len(form.groups),
        },
    )
    return len(seats)


async def latest(on: HotConnection, unit_ids: Iterable[int]) -> dict[int, AmoRecord]:
    """Each unit's newest recorded composition (by day, then as recorded)."""
    connection = on
    rows = await connection.execute(
        select(
            AmoComposition.id,
            AmoComposition.groups,
            AmoComposition.reasoning,
            DutyRecord.unit_id,
            DutyRecord.met_on,
            Person.id,
            Person.name,
            Person.upn,
            Person.aad_object_id,
        )
        .join(DutyRecord, DutyRecord.id == AmoComposition.duty_record_id)
        .outerjoin(Person, Person.id == DutyRecord.recorded_by_id)
        .where(DutyRecord.unit_id.in_(list(unit_ids)))
        .order_by(DutyRecord.met_on, DutyRecord.id)
    )
    newest: dict[int, tuple[int, list[str], str, date, str | None]] = {}
    for composition_id, groups, reasoning, unit_id, met_on, person_id, *person in rows:
        by = None if person_id is None else person_label(person_id, *person)
        # the newest comes last
        newest[int(unit_id)] = (int(composition_id), groups, reasoning, met_on, by)
    seats: dict[int, set[Member]] = {}
    if newest:
        member_rows = await connection.execute(
            select(AmoMember.composition_id, AmoMember.person_id, AmoMember.role).where(
                AmoMember.composition_id.in_(sorted(found[0] for found in newest.values()))
            )
        )
        for composition_id, person_id, role in member_rows:
            seats.setdefault(int(composition_id), set()).add((int(person_id), Role(role)))
    return {
        unit_id: AmoRecord(
            id=composition_id,
            unit_id=unit_id,
            recorded_on=met_on,
            recorded_by=by,
            groups=tuple(groups),
            reasoning=reasoning,
            members=frozenset(seats.get(composition_id, set())),
        )
        for unit_id, (composition_id, groups, reasoning, met_on, by) in newest.items()
    }


async def to_review(on: HotConnection, unit_ids: Iterable[int]) -> dict[int, AmoRecord]:
    """The units whose newest composition needs a review because their AMO roles changed
    substantially since (`domain.amo.review_needed`), with that record."""
    connection = on
    units = list(unit_ids)
    recorded = await latest(connection, units)
    if not recorded:
        return {}
    now = await members(connection, recorded)
    return {
        unit_id: record
        for unit_id, record in recorded.items()
        if review_needed(record.members, now.get(unit_id, set()))
    }
