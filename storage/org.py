"""Units, people and role assignments, with every change audited."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

from sqlalchemy import Column, Executable, Table, bindparam, func, literal, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from domain.i18n import Lang, preferred_lang
from domain.org import SEED_UNITS, OrgFile, OrgPerson, OrgUnit, Role, UnitRef, normalise_upn
from domain.retention import REMOVED_PERSON_AAD, REMOVED_PERSON_LABEL
from storage import audit
from storage.db import HotConnection, dialect_insert, for_dialect
from storage.models import Person, PersonDirectoryUnit, PersonLastUnit, RoleAssignment, Unit
from storage.schema import metadata


async def seed_units(session: AsyncSession) -> int:
    """Create the seed units that do not exist yet; returns how many were added."""
    existing = {name.casefold() for name in (await session.scalars(select(Unit.name))).all()}
    added = 0
    for name in SEED_UNITS:
        if name.casefold() not in existing:
            session.add(Unit(name=name))
            added += 1
    if added:
        await session.flush()
        await audit.record(
            session,
            actor=audit.SYSTEM_ACTOR,
            action="unit.seed",
            entity_type="unit",
            after={"added": added},
        )
    return added


async def list_units(session: AsyncSession, *, only_active: bool = True) -> list[Unit]:
    query = select(Unit).order_by(func.lower(Unit.name))
    if only_active:
        query = query.where(Unit.active.is_(True))
    return list((await session.scalars(query)).all())


_UNIT_CHOICES = (
    select(Unit.id, Unit.name).where(Unit.active.is_(True)).order_by(func.lower(Unit.name))
)
# where each candidate unit comes from, in the order `own_unit` trusts them
_BY_ROLE, _BY_DIRECTORY, _BY_LAST_USE = 0, 1, 2
_ROLE_UNITS = select(
    RoleAssignment.unit_id.label("unit_id"), literal(_BY_ROLE).label("source")
).where(RoleAssignment.person_id == bindparam("person_id"), RoleAssignment.unit_id.is_not(None))
_OWN_UNIT = _ROLE_UNITS.union(
    select(PersonDirectoryUnit.unit_id, literal(_BY_DIRECTORY))
    .join(Unit, Unit.id == PersonDirectoryUnit.unit_id)
    .where(PersonDirectoryUnit.person_id == bindparam("person_id"), Unit.active.is_(True)),
    select(PersonLastUnit.unit_id, literal(_BY_LAST_USE))
    .join(Unit, Unit.id == PersonLastUnit.unit_id)
    .where(PersonLastUnit.person_id == bindparam("person_id"), Unit.active.is_(True)),
)


# The list read last and its models: the units seldom change, and every form shows them.
_last_unit_list: tuple[tuple[tuple[int, str], ...], tuple[UnitRef, ...]] = ((), ())


async def unit_choices(connection: HotConnection) -> list[UnitRef]:
    """The active units for a form's choice list, by name (Core: every form shows them)."""
    global _last_unit_list
    rows = tuple((unit_id, name) for unit_id, name in await connection.execute(_UNIT_CHOICES))
    if rows != _last_unit_list[0]:
        # Straight from the table's NOT NULL columns: nothing to validate.
        units = tuple(UnitRef.model_construct(id=unit_id, name=name) for unit_id, name in rows)
        _last_unit_list = (rows, units)
    return list(_last_unit_list[1])


async def own_unit(connection: HotConnection, person_id: int) -> int | None:
    """The person's own unit: the one unit they hold a role in, else the (active) unit
    Entra ID gives them (`org sync`), else the one they last sent something for; None if
    none tells (e.g. roles in several units, nothing sent yet)."""
    rows: list[tuple[int, int]] = [
        (int(unit_id), int(source))
        for unit_id, source in await connection.execute(_OWN_UNIT, {"person_id": person_id})
    ]
    by_role = {unit_id for unit_id, source in rows if source == _BY_ROLE}
    if len(by_role) == 1:
        return by_role.pop()
    others = sorted((source, unit_id) for unit_id, source in rows if source != _BY_ROLE)
    return others[0][1] if others else None


def _remember_unit_statement(on: AsyncSession | HotConnection) -> Executable:
    insert = dialect_insert(on, PersonLastUnit)
    return insert.values(
        person_id=bindparam("person_id"), unit_id=bindparam("unit_id"), used_at=bindparam("now")
    ).on_conflict_do_update(
        index_elements=[PersonLastUnit.person_id],
        set_={"unit_id": insert.excluded.unit_id, "used_at": insert.excluded.used_at},
    )


async def remember_unit(
    on: AsyncSession | HotConnection, person_id: int, unit_id: int, now: datetime
) -> None:
    """The person just sent something for `unit_id`: it is their unit now (`own_unit`)."""
    values = {"person_id": person_id, "unit_id": unit_id, "now": now}
    if isinstance(on, AsyncSession):
        await on.execute(_remember_unit_statement(on), values)
        return
    await on.execute(for_dialect(on, "remember_unit", _remember_unit_statement), values)


_LANGUAGE = select(Person.language_override, Person.locale).where(
    Person.id == bindparam("person_id")
)


async def language_of(connection: HotConnection, person_id: int) -> Lang:
    """The language the person reads the bot in (Danish for someone unknown)."""
    row = (await connection.execute(_LANGUAGE, {"person_id": person_id})).first()
    return Lang.DA if row is None else preferred_lang(row[0], row[1])


async def unit_by_name(session: AsyncSession, name: str) -> Unit | None:
    """Case-insensitive in Python: SQLite's lower() leaves Æ, Ø and Å alone."""
    wanted = name.strip().casefold()
    units = (await session.scalars(select(Unit).order_by(Unit.id))).all()
    return next((unit for unit in units if unit.name.casefold() == wanted), None)


async def find_person(
    session: AsyncSession, *, aad_object_id: str | None = None, upn: str | None = None
) -> Person | None:
    if aad_object_id:
        found = (
            await session.scalars(
                select(Person).where(Person.aad_object_id == aad_object_id.lower())
            )
        ).first()
        if found:
            return found
    if upn:
        return (
            await session.scalars(select(Person).where(Person.upn == normalise_upn(upn)))
        ).first()
    return None


async def upsert_person(
    session: AsyncSession,
    *,
    aad_object_id: str | None,
    upn: str | None,
    name: str | None,
    teams_user_id: str | None = None,
    locale: str | None = None,
) -> Person:
    """The person behind a Teams user, created or refreshed from what Teams tells us."""
    person = await find_person(session, aad_object_id=aad_object_id, upn=upn)
    if (
        person is not None
        and aad_object_id
        and person.aad_object_id not in (None, aad_object_id.lower())
    ):
        person = None  # the UPN is another Entra account's: never act as them
    if person is None:
        person = Person()
        session.add(person)
    if aad_object_id and not person.aad_object_id:
        person.aad_object_id = aad_object_id.lower()
    if upn and not person.upn:
        clash = await find_person(session, upn=upn)
        if clash is not None and clash is not person and clash.aad_object_id is None:
            # Known by object id before; the UPN-only row (from an import or an admin) is them.
            await _merge_into(session, keep=person, gone=clash)
            clash = None
        if clash is None or clash is person:
            person.upn = normalise_upn(upn)
    if name:
        person.name = name
    if teams_user_id:
        person.teams_user_id = teams_user_id
    if locale:
        person.locale = locale
    await session.flush()
    return person


def person_references() -> list[tuple[Table, Column[Any]]]:
    """Every column of every table that points at `person.id` (roles are moved separately)."""
    found: list[tuple[Table, Column[Any]]] = []
    for table in metadata.sorted_tables:
        if table.name == RoleAssignment.__tablename__:
            continue
        for column in table.columns:
            if any(key.column.table.name == "person" for key in column.foreign_keys):
                found.append((table, column))
    return found


async def _merge_into(session: AsyncSession, *, keep: Person, gone: Person) -> None:
    """Move the roles and chats of `gone` (known by UPN only) to `keep`, then delete `gone`."""
    held = {(held_role.unit_id, held_role.role) for held_role in await roles_of(session, keep.id)}
    moved = 0
    for assignment in await roles_of(session, gone.id):
        if (assignment.unit_id, assignment.role) in held:
            await session.delete(assignment)
        else:
            assignment.person_id = keep.id
            moved += 1
    await session.flush()
    for table, column in person_references():
        await session.execute(update(table).where(column == gone.id).values({column.name: keep.id}))
    keep.name = keep.name or gone.name
    keep.language_override = keep.language_override or gone.language_override
    await session.flush()
    await session.delete(gone)
    await session.flush()
    await audit.record(
        session,
        actor=audit.SYSTEM_ACTOR,
        action="person.merge",
        entity_type="person",
        entity_id=keep.id,
        before={"person_id": gone.id, "upn": gone.upn},
        after={"person_id": keep.id, "roles_moved": moved},
    )


async def roles_of(session: AsyncSession, person_id: int) -> list[RoleAssignment]:
    return list(
        (
            await session.scalars(
                select(RoleAssignment)
                .where(RoleAssignment.person_id == person_id)
                .options(selectinload(RoleAssignment.unit))
            )
        ).all()
    )


async def unit_roles(session: AsyncSession, unit_id: int) -> list[RoleAssignment]:
    return list(
        (
            await session.scalars(
                select(RoleAssignment)
                .where(RoleAssignment.unit_id == unit_id)
                .options(selectinload(RoleAssignment.person))
                .order_by(RoleAssignment.role, RoleAssignment.id)
            )
        ).all()
    )


async def holders(session: AsyncSession, unit_id: int | None, role: Role) -> list[Person]:
    """Who holds `role` in the unit (or university-wide for the secretariat)."""
    query = select(Person).join(RoleAssignment).where(RoleAssignment.role == role.value)
    query = query.where(
        RoleAssignment.unit_id.is_(None) if unit_id is None else RoleAssignment.unit_id == unit_id
    )
    return list((await session.scalars(query.order_by(Person.id))).all())


class Describable(Protocol):
    """A person as a label needs them: a `Person`, or a row read as columns."""

    @property
    def id(self) -> int: ...
    @property
    def name(self) -> str | None: ...
    @property
    def upn(self) -> str | None: ...
    @property
    def aad_object_id(self) -> str | None: ...


def person_label(
    person_id: int, name: str | None, upn: str | None, aad_object_id: str | None
) -> str:
    """How a person is named on cards and in exports: name, else UPN, else their ids; a
    person removed at the end of a retention period is a dash."""
    if aad_object_id == REMOVED_PERSON_AAD:
        return REMOVED_PERSON_LABEL
    return name or upn or aad_object_id or f"#{person_id}"


def describe_person(person: Describable) -> str:
    return person_label(person.id, person.name, person.upn, person.aad_object_id)


async def assign_role(
    session: AsyncSession, *, actor: str, unit: Unit | None, person: Person, role: Role
) -> bool:
    """Give `person` the role; False if they had it already."""
    unit_id = None if unit is None else unit.id
    existing = (
        await session.scalars(
            select(RoleAssignment).where(
                RoleAssignment.person_id == person.id,
                RoleAssignment.role == role.value,
                RoleAssignment.unit_id.is_(None)
                if unit_id is None
                else RoleAssignment.unit_id == unit_id,
            )
        )
    ).first()
    if existing:
        return False
    assignment = RoleAssignment(person_id=person.id, unit_id=unit_id, role=role.value)
    session.add(assignment)
    await session.flush()
    await audit.record(
        session,
        actor=actor,
        action="role.assign",
        entity_type="role_assignment",
        entity_id=assignment.id,
        after={"person_id": person.id, "unit_id": unit_id, "role": role.value},
    )
    return True


async def remove_role(session: AsyncSession, *, actor: str, assignment: RoleAssignment) -> None:
    before = {
        "person_id": assignment.person_id,
        "unit_id": assignment.unit_id,
        "role": assignment.role,
    }
    await session.delete(assignment)
    await session.flush()
    await audit.record(
        session,
        actor=actor,
        action="role.remove",
        entity_type="role_assignment",
        entity_id=assignment.id,
        before=before,
    )


async def person_from_file(session: AsyncSession, entry: OrgPerson) -> Person:
    return await upsert_person(
        session, aad_object_id=entry.aad_object_id, upn=entry.upn, name=entry.name
    )


@dataclass
class ImportSummary:
    """What an organisation import changed."""

    units_created: list[str] = field(default_factory=list)
    roles_added: int = 0
    roles_removed: int = 0


async def import_org(session: AsyncSession, org: OrgFile, *, actor: str) -> ImportSummary:
    """Make the database match the file: each listed unit's roles, and the secretariat."""
    summary = ImportSummary()
    for entry in org.units:
        unit = await unit_by_name(session, entry.name)
        if unit is None:
            unit = Unit(name=entry.name, active=entry.active)
            session.add(unit)
            await session.flush()
            summary.units_created.append(entry.name)
            await audit.record(
                session,
                actor=actor,
                action="unit.create",
                entity_type="unit",
                entity_id=unit.id,
                after={"name": unit.name, "active": unit.active},
            )
        elif unit.active != entry.active:
            await audit.record(
                session,
                actor=actor,
                action="unit.update",
                entity_type="unit",
                entity_id=unit.id,
                before={"active": unit.active},
                after={"active": entry.active},
            )
            unit.active = entry.active
        wanted: set[tuple[int, str]] = set()
        for role, people in entry.people_by_role().items():
            for listed in people:
                person = await person_from_file(session, listed)
                wanted.add((person.id, role.value))
                if await assign_role(session, actor=actor, unit=unit, person=person, role=role):
                    summary.roles_added += 1
        for assignment in await unit_roles(session, unit.id):
            if (assignment.person_id, assignment.role) not in wanted:
                await remove_role(session, actor=actor, assignment=assignment)
                summary.roles_removed += 1
    wanted_secretariat: set[int] = set()
    for listed in org.secretariat:
        person = await person_from_file(session, listed)
        wanted_secretariat.add(person.id)
        if await assign_role(session, actor=actor, unit=None, person=person, role=Role.SECRETARIAT):
            summary.roles_added += 1
    current = await session.scalars(
        select(RoleAssignment).where(
            RoleAssignment.unit_id.is_(None), RoleAssignment.role == Role.SECRETARIAT.value
        )
    )
    for assignment in list(current.all()):
        if assignment.person_id not in wanted_secretariat:
            await remove_role(session, actor=actor, assignment=assignment)
            summary.roles_removed += 1
    return summary


def _as_file_person(person: Person) -> OrgPerson:
    return OrgPerson(aad_object_id=person.aad_object_id, upn=person.upn, name=person.name)


async def export_org(session: AsyncSession) -> OrgFile:
    """Every unit (active or not) with its roles, and the secretariat."""
    units: list[OrgUnit] = []
    for unit in await list_units(session, only_active=False):
        by_role: dict[str, list[OrgPerson]] = {role.value: [] for role in Role if role.is_unit_role}
        for assignment in await unit_roles(session, unit.id):
            by_role.setdefault(assignment.role, []).append(_as_file_person(assignment.person))
        units.append(
            OrgUnit(
                name=unit.name,
                active=unit.active,
                leader=by_role[Role.LEADER.value],
                amk=by_role[Role.AMK.value],
                precursor_contact=by_role[Role.PRECURSOR_CONTACT.value],
                amr=by_role[Role.AMR.value],
            )
        )
    secretariat = [_as_file_person(p) for p in await holders(session, None, Role.SECRETARIAT)]
    return OrgFile(units=units, secretariat=secretariat)
