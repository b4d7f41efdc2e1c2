"""Rows read with Core statements: frozen dataclasses shared by every flow, and how to build
one from a select of its columns."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, fields
from typing import Any, Protocol

from sqlalchemy import FromClause, bindparam, select
from sqlalchemy.sql.elements import KeyedColumnElement

from storage.db import HotConnection
from storage.models import Person, RoleAssignment, Unit


def columns_of(table: FromClause, row_type: type[Any]) -> tuple[KeyedColumnElement[Any], ...]:
    """The table's columns a dataclass `row_type` is built from, in its field order."""
    return tuple(table.c[field.name] for field in fields(row_type))


@dataclass(frozen=True, slots=True)
class UnitRow:
    """A `unit` row."""

    id: int
    name: str
    active: bool


@dataclass(frozen=True, slots=True)
class PersonRow:
    """The columns of a `person` row that cards, messages and exports need."""

    id: int
    name: str | None
    upn: str | None
    aad_object_id: str | None
    teams_user_id: str | None
    locale: str | None
    language_override: str | None


@dataclass(frozen=True, slots=True)
class RoleRow:
    """A `role_assignment` row: `unit_id` None for the university-wide secretariat."""

    id: int
    person_id: int
    unit_id: int | None
    role: str


UNIT_COLUMNS = columns_of(Unit.__table__, UnitRow)
PERSON_COLUMNS = columns_of(Person.__table__, PersonRow)
ROLE_COLUMNS = columns_of(RoleAssignment.__table__, RoleRow)

_PERSON = select(*PERSON_COLUMNS).where(Person.id == bindparam("person_id"))
_PEOPLE = select(*PERSON_COLUMNS).where(Person.id.in_(bindparam("ids", expanding=True)))


async def person(connection: HotConnection, person_id: int) -> PersonRow | None:
    """The person with this id, if there is one."""
    row = (await connection.execute(_PERSON, {"person_id": person_id})).first()
    return None if row is None else PersonRow(*row)


async def people(connection: HotConnection, ids: Iterable[int | None]) -> dict[int, PersonRow]:
    """The people with these ids, by id (None, and ids with no person, are left out)."""
    wanted = sorted({person_id for person_id in ids if person_id is not None})
    if not wanted:
        return {}
    rows: Sequence[Any] = (await connection.execute(_PEOPLE, {"ids": wanted})).all()
    return {row[0]: PersonRow(*row) for row in rows}


class Speaking(Protocol):
    """A person as far as choosing their language goes: a `PersonRow` or a `Person`."""

    @property
    def locale(self) -> str | None: ...
    @property
    def language_override(self) -> str | None: ...
