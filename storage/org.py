"""Units, people and role assignments, with every change audited."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol, TypeAlias

from sqlalchemy import (
    Column,
    Executable,
    Table,
    bindparam,
    delete,
    func,
    insert,
    literal,
    select,
    update,
)

from domain.i18n import Lang, preferred_lang
from domain.org import SEED_UNITS, OrgFile, OrgPerson, OrgUnit, Role, UnitRef, normalise_upn
from domain.retention import REMOVED_PERSON_AAD, REMOVED_PERSON_LABEL
from storage import audit, rows
from storage.db import HotConnection, dialect_insert, for_dialect
from storage.models import Person, PersonDirectoryUnit, PersonLastUnit, RoleAssignment, Unit
from storage.rows import (
    PERSON_COLUMNS,
    ROLE_COLUMNS,
    UNIT_COLUMNS,
    PersonRow,
    RoleRow,
    UnitRow,
)
from storage.schema import metadata

Readable: TypeAlias = HotConnection
"""Where a read runs: a plain connection (`Database.reading()`, or inside a write)."""
Writable: TypeAlias = audit.AuditedConnection
"""Where an audited write runs (`storage.audit.audited`)."""


async def seed_units(on: Writable) -> int:
    """Create the seed units that do not exist yet; returns how many were added."""
    connection = on
    existing = {row[0].casefold() for row in await connection.execute(select(Unit.name))}
    missing = [name for name in SEED_UNITS if name.casefold() not in existing]
    if missing:
        await connection.execute(insert(Unit), [{"name": name, "active": True} for name in missing])
        await audit.record(
            on,
            actor=audit.SYSTEM_ACTOR,
            action="unit.seed",
            entity_type="unit",
            after={"added": len(missing)},
        )
    return len(missing)


async def list_units(on: Readable, *, only_active: bool = True) -> list[UnitRow]:
    query = select(*UNIT_COLUMNS).order_by(func.lower(Unit.name))
    if only_active:
        query = query.where(Unit.active.is_(True))
    connection = on
    return [UnitRow(*row) for row in await connection.execute(query)]


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


def _remember_unit_statement(on: HotConnection) -> Executable:
    insert = dialect_insert(on, PersonLastUnit)
    return insert.values(
        person_id=bindparam("person_id"), unit_id=bindparam("unit_id"), used_at=bindparam("now")
    ).on_conflict_do_update(
        index_elements=[PersonLastUnit.person_id],
        set_={"unit_id": insert.excluded.unit_id, "used_at": insert.excluded.used_at},
    )


async def remember_unit(on: Readable, person_id: int, unit_id: int, now: datetime) -> None:
    """The person just sent something for `unit_id`: it is their unit now (`own_unit`)."""
    values = {"person_id": person_id, "unit_id": unit_id, "now": now}
    connection = on
    await connection.execute(
        for_dialect(connection, "remember_unit", _remember_unit_statement), values
    )


_LANGUAGE = select(Person.language_override, Person.locale).where(
    Person.id == bindparam("person_id")
)


async def language_of(connection: HotConnection, person_id: int) -> Lang:
    """The language the person reads the bot in (Danish for someone unknown)."""
    row = (await connection.execute(_LANGUAGE, {"person_id": person_id})).first()
    return Lang.DA if row is None else preferred_lang(row[0], row[1])


async def unit_by_name(on: Readable, name: str) -> UnitRow | None:
    """Case-insensitive in Python: SQLite's lower() leaves Æ, Ø and Å alone."""
    wanted = name.strip().casefold()
    connection = on
    rows = await connection.execute(select(*UNIT_COLUMNS).order_by(Unit.id))
    return next((UnitRow(*row) for row in rows if row.name.casefold() == wanted), None)


async def unit_names(on: Readable) -> list[str]:
    """Every unit's name, active or not."""
    return [name for (name,) in await on.execute(select(Unit.name))]


async def unit(on: Readable, unit_id: int) -> UnitRow | None:
    """The unit with this id, if there is one."""
    connection = on
    row = (await connection.execute(select(*UNIT_COLUMNS).where(Unit.id == unit_id))).first()
    return None if row is None else UnitRow(*row)


async def find_person(
    on: Readable, *, aad_object_id: str | None = None, upn: str | None = None
) -> PersonRow | None:
    connection = on
    if aad_object_id:
        found = (
            await connection.execute(
                select(*PERSON_COLUMNS)
                .where(Person.aad_object_id == aad_object_id.lower())
                .order_by(Person.id)
            )
        ).first()
        if found:
            return PersonRow(*found)
    if upn:
        row = (
            await connection.execute(
                select(*PERSON_COLUMNS).where(Person.upn == normalise_upn(upn)).order_by(Person.id)
            )
        ).first()
        return None if row is None else PersonRow(*row)
    return None


async def _person_by_id(connection: HotConnection, person_id: int) -> PersonRow:
    """The row just written in this transaction."""
    found = await rows.person(connection, person_id)
    if found is None:
        raise LookupError(f"person {person_id} is gone")
    return found


async def upsert_person(
    on: Writable,
    *,
    aad_object_id: str | None,
    upn: str | None,
    name: str | None,
    teams_user_id: str | None = None,
    locale: str | None = None,
) -> PersonRow:
    """The person behind a Teams user, created or refreshed from what Teams tells us."""
    connection = on
    aad = aad_object_id.lower() if aad_object_id else None
    person = await find_person(connection, aad_object_id=aad_object_id, upn=upn)
    if person is not None and aad and person.aad_object_id not in (None, aad):
        person = None  # the UPN is another Entra account's: never act as them
    if person is None:
        new_id = (
            await connection.execute(insert(Person).values(aad_object_id=aad).returning(Person.id))
        ).scalar_one()
        person = await _person_by_id(connection, new_id)
    changes: dict[str, Any] = {}
    if aad and not person.aad_object_id:
        changes["aad_object_id"] = aad
    if upn and not person.upn:
        clash = await find_person(connection, upn=upn)
        if clash is not None and clash.id != person.id and clash.aad_object_id is None:
            # Known by object id before; the UPN-only row (from an import or an admin) is them.
            await _merge_into(on, keep=person, gone=clash)
            person = await _person_by_id(connection, person.id)
            clash = None
        if clash is None or clash.id == person.id:
            changes["upn"] = normalise_upn(upn)
    for column, value in (("name", name), ("teams_user_id", teams_user_id), ("locale", locale)):
        if value and getattr(person, column) != value:
            changes[column] = value
    if not changes:
        return person
    await connection.execute(update(Person).where(Person.id == person.id).values(**changes))
    return await _person_by_id(connection, person.id)


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


async def _merge_into(on: Writable, *, keep: PersonRow, gone: PersonRow) -> None:
    """Move the roles and chats of `gone` (known by UPN only) to `keep`, then delete `gone`."""
    connection = on
    held = {
        (held_role.unit_id, held_role.role) for held_role in await roles_of(connection, keep.id)
    }
    moved = 0
    for assignment in await roles_of(connection, gone.id):
        if (assignment.unit_id, assignment.role) in held:
            await connection.execute(
                delete(RoleAssignment).where(RoleAssignment.id == assignment.id)
            )
        else:
            await connection.execute(
                update(RoleAssignment)
                .where(RoleAssignment.id == assignment.id)
                .values(person_id=keep.id)
            )
            moved += 1
    for table, column in person_references():
        await connection.execute(
            update(table).where(column == gone.id).values({column.name: keep.id})
        )
    await connection.execute(
        update(Person)
        .where(Person.id == keep.id)
        .values(
            name=keep.name or gone.name,
            language_override=keep.language_override or gone.language_override,
        )
    )
    await connection.execute(delete(Person).where(Person.id == gone.id))
    await audit.record(
        on,
        actor=audit.SYSTEM_ACTOR,
        action="person.merge",
        entity_type="person",
        entity_id=keep.id,
        before={"person_id": gone.id, "upn": gone.upn},
        after={"person_id": keep.id, "roles_moved": moved},
    )


async def roles_of(on: Readable, person_id: int) -> list[RoleRow]:
    connection = on
    rows = await connection.execute(
        select(*ROLE_COLUMNS)
        .where(RoleAssignment.person_id == person_id)
        .order_by(RoleAssignment.id)
    )
    return [RoleRow(*row) for row in rows]


@dataclass(frozen=True, slots=True)
class HeldRole:
    """A role in a unit and the person who holds it."""

    id: int
    person_id: int
    unit_id: int | None
    role: str
    person: PersonRow


_ROLE_WIDTH = len(ROLE_COLUMNS)


def _held(row: Any) -> HeldRole:
    role = RoleRow(*row[:_ROLE_WIDTH])
    person = PersonRow(*row[_ROLE_WIDTH:])
    return HeldRole(role.id, role.person_id, role.unit_id, role.role, person)


async def unit_roles(on: Readable, unit_id: int) -> list[HeldRole]:
    connection = on
    rows = await connection.execute(
        select(*ROLE_COLUMNS, *PERSON_COLUMNS)
        .join(Person, Person.id == RoleAssignment.person_id)
        .where(RoleAssignment.unit_id == unit_id)
        .order_by(RoleAssignment.role, RoleAssignment.id)
    )
    return [_held(row) for row in rows]


async def held_role(on: Readable, assignment_id: int) -> HeldRole | None:
    """One role assignment and its holder, if it still exists."""
    connection = on
    row = (
        await connection.execute(
            select(*ROLE_COLUMNS, *PERSON_COLUMNS)
            .join(Person, Person.id == RoleAssignment.person_id)
            .where(RoleAssignment.id == assignment_id)
        )
    ).first()
    return None if row is None else _held(row)


async def holders(on: Readable, unit_id: int | None, role: Role) -> list[PersonRow]:
    """Who holds `role` in the unit (or university-wide for the secretariat)."""
    query = (
        select(*PERSON_COLUMNS)
        .join(RoleAssignment, RoleAssignment.person_id == Person.id)
        .where(RoleAssignment.role == role.value)
    )
    query = query.where(
        RoleAssignment.unit_id.is_(None) if unit_id is None else RoleAssignment.unit_id == unit_id
    )
    connection = on
    return [PersonRow(*row) for row in await connection.execute(query.order_by(Person.id))]


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


class Identified(Protocol):
    """A stored row, as far as pointing at it goes."""

    @property
    def id(self) -> int: ...


async def assign_role(
    on: Writable, *, actor: str, unit: Identified | None, person: Identified, role: Role
) -> bool:
    """Give `person` the role in `unit` (None: university-wide); False if they had it."""
    unit_id = None if unit is None else unit.id
    person_id = person.id
    connection = on
    existing = (
        await connection.execute(
            select(RoleAssignment.id).where(
                RoleAssignment.person_id == person_id,
                RoleAssignment.role == role.value,
                RoleAssignment.unit_id.is_(None)
                if unit_id is None
                else RoleAssignment.unit_id == unit_id,
            )
        )
    ).first()
    if existing:
        return False
    assignment_id = (
        await connection.execute(
            insert(RoleAssignment)
            .values(person_id=person_id, unit_id=unit_id, role=role.value)
            .returning(RoleAssignment.id)
        )
    ).scalar_one()
    await audit.record(
        on,
        actor=actor,
        action="role.assign",
        entity_type="role_assignment",
        entity_id=assignment_id,
        after={"person_id": person_id, "unit_id": unit_id, "role": role.value},
    )
    return True


async def remove_role(on: Writable, *, actor: str, assignment: RoleRow | HeldRole) -> None:
    connection = on
    await connection.execute(delete(RoleAssignment).where(RoleAssignment.id == assignment.id))
    await audit.record(
        on,
        actor=actor,
        action="role.remove",
        entity_type="role_assignment",
        entity_id=assignment.id,
        before={
            "person_id": assignment.person_id,
            "unit_id": assignment.unit_id,
            "role": assignment.role,
        },
    )


async def person_from_file(on: Writable, entry: OrgPerson) -> PersonRow:
    return await upsert_person(
        on, aad_object_id=entry.aad_object_id, upn=entry.upn, name=entry.name
    )


@dataclass
class ImportSummary:
    """What an organisation import changed."""

    units_created: list[str] = field(default_factory=list)
    roles_added: int = 0
    roles_removed: int = 0


async def _unit_from_file(
    on: Writable, entry: OrgUnit, actor: str, summary: ImportSummary
) -> UnitRow:
    """The listed unit's id: created if new, (in)activated as the file says."""
    connection = on
    found = await unit_by_name(connection, entry.name)
    if found is None:
        unit_id = (
            await connection.execute(
                insert(Unit).values(name=entry.name, active=entry.active).returning(Unit.id)
            )
        ).scalar_one()
        summary.units_created.append(entry.name)
        await audit.record(
            on,
            actor=actor,
            action="unit.create",
            entity_type="unit",
            entity_id=unit_id,
            after={"name": entry.name, "active": entry.active},
        )
        return UnitRow(unit_id, entry.name, entry.active)
    if found.active != entry.active:
        await audit.record(
            on,
            actor=actor,
            action="unit.update",
            entity_type="unit",
            entity_id=found.id,
            before={"active": found.active},
            after={"active": entry.active},
        )
        await connection.execute(
            update(Unit).where(Unit.id == found.id).values(active=entry.active)
        )
    return UnitRow(found.id, found.name, entry.active)


async def import_org(on: Writable, org: OrgFile, *, actor: str) -> ImportSummary:
    """Make the database match the file: each listed unit's roles, and the secretariat."""
    connection = on
    summary = ImportSummary()
    for entry in org.units:
        unit = await _unit_from_file(on, entry, actor, summary)
        wanted: set[tuple[int, str]] = set()
        for role, listed_people in entry.people_by_role().items():
            for listed in listed_people:
                person = await person_from_file(on, listed)
                wanted.add((person.id, role.value))
                if await assign_role(on, actor=actor, unit=unit, person=person, role=role):
                    summary.roles_added += 1
        for assignment in await unit_roles(connection, unit.id):
            if (assignment.person_id, assignment.role) not in wanted:
                await remove_role(on, actor=actor, assignment=assignment)
                summary.roles_removed += 1
    wanted_secretariat: set[int] = set()
    for listed in org.secretariat:
        person = await person_from_file(on, listed)
        wanted_secretariat.add(person.id)
        if await assign_role(on, actor=actor, unit=None, person=person, role=Role.SECRETARIAT):
            summary.roles_added += 1
    current: Sequence[Any] = (
        await connection.execute(
            select(*ROLE_COLUMNS).where(
                RoleAssignment.unit_id.is_(None), RoleAssignment.role == Role.SECRETARIAT.value
            )
        )
    ).all()
    for row in current:
        secretary = RoleRow(*row)
        if secretary.person_id not in wanted_secretariat:
            await remove_role(on, actor=actor, assignment=secretary)
            summary.roles_removed += 1
    return summary


def _as_file_person(person: PersonRow) -> OrgPerson:
    return OrgPerson(aad_object_id=person.aad_object_id, upn=person.upn, name=person.name)


async def export_org(on: Readable) -> OrgFile:
    """Every unit (active or not) with its roles, and the secretariat."""
    connection = on
    units: list[OrgUnit] = []
    for unit_row in await list_units(connection, only_active=False):
        by_role: dict[str, list[OrgPerson]] = {role.value: [] for role in Role if role.is_unit_role}
        for assignment in await unit_roles(connection, unit_row.id):
            by_role.setdefault(assignment.role, []).append(_as_file_person(assignment.person))
        units.append(
            OrgUnit(
                name=unit_row.name,
                active=unit_row.active,
                leader=by_role[Role.LEADER.value],
                amk=by_role[Role.AMK.value],
                precursor_contact=by_role[Role.PRECURSOR_CONTACT.value],
                amr=by_role[Role.AMR.value],
            )
        )
    secretariat = [_as_file_person(p) for p in await holders(connection, None, Role.SECRETARIAT)]
    return OrgFile(units=units, secretariat=secretariat)
