"""The units' yearly precursor registration with the secretariat, and who has not answered."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import bindparam, insert, select, update

from domain.audit import person_actor
from domain.org import Role
from domain.precursor_registrations import (
    DeadlineStatus,
    RegistrationStatus,
    RegistrationView,
    deadline_for,
)
from storage import audit, org
from storage.audit import AuditedConnection
from storage.db import HotConnection
from storage.models import Person, Unit
from storage.precursor_models import PrecursorRegistration
from storage.precursors import (
    REGISTRATION,
    Outcome,
    holdings_of,
    keepers_by_unit,
)
from storage.rows import UnitRow
from storage.rows import people as people_by_id


@dataclass(frozen=True, slots=True)
class RegistrationRow:
    """A unit's answer for a year (the `precursor_registration` row) and the unit's name."""

    id: int
    unit_id: int
    year: int
    status: str
    substance_keys: list[str]
    contact_person_id: int | None
    registered_by_id: int | None
    registered_at: datetime
    submission_key: str | None
    unit_name: str


_R = PrecursorRegistration.__table__.c
_COLUMNS = (
    _R.id,
    _R.unit_id,
    _R.year,
    _R.status,
    _R.substance_keys,
    _R.contact_person_id,
    _R.registered_by_id,
    _R.registered_at,
    _R.submission_key,
    Unit.name,
)
"""The columns a `RegistrationRow` is built from, in its field order."""
_SELECT = select(*_COLUMNS).join(Unit, Unit.id == PrecursorRegistration.unit_id)
_OF_UNIT_LOCKED = _SELECT.where(
    PrecursorRegistration.unit_id == bindparam("unit_id"),
    PrecursorRegistration.year == bindparam("year"),
).with_for_update(of=PrecursorRegistration)
_BY_ID = _SELECT.where(PrecursorRegistration.id == bindparam("registration_id"))
_OF_SUBMISSION = _SELECT.where(
    PrecursorRegistration.submission_key == bindparam("submission_key"),
    PrecursorRegistration.registered_by_id == bindparam("actor_id"),
)
_OF_YEAR = _SELECT.where(PrecursorRegistration.year == bindparam("year"))
_INSERT = insert(PrecursorRegistration).returning(PrecursorRegistration.id)
_UPDATE = update(PrecursorRegistration).where(
    PrecursorRegistration.id == bindparam("registration_id")
)
_CONTACT_EMAILS = (
    select(PrecursorRegistration.unit_id, Person.upn)
    .join(Person, Person.id == PrecursorRegistration.contact_person_id)
    .where(PrecursorRegistration.year == bindparam("year"))
)
_ANSWERED = select(PrecursorRegistration.unit_id).where(
    PrecursorRegistration.year == bindparam("year")
)

# -- registration ------------------------------------------------------------------------------


async def register(
    connection: AuditedConnection,
    unit_id: int,
    year: int,
    *,
    actor_id: int | None,
    none_handled: bool,
    at: datetime,
    submission_key: str | None = None,
) -> Outcome:
    """The unit's answer for `year`: its current substance list, or "none handled".

    The answer the same card (`submission_key`) gave last is not given again: the outcome
    names it, unchanged. The row is locked, so a concurrent click waits and then finds it."""
    found = (await connection.execute(_OF_UNIT_LOCKED, {"unit_id": unit_id, "year": year})).first()
    row = None if found is None else RegistrationRow(*found)
    if row is not None and submission_key is not None and row.submission_key == submission_key:
        return Outcome(False, None, row.id, done_before=True)
    active = await holdings_of(connection, unit_id)
    if none_handled and active:
        return Outcome(False, "precursors.error.none_but_listed")
    if not none_handled and not active:
        return Outcome(False, "precursors.error.nothing_listed")
    contacts = await org.holders(connection, unit_id, Role.PRECURSOR_CONTACT)
    if actor_id is not None and any(person.id == actor_id for person in contacts):
        contact_id: int | None = actor_id
    elif contacts:
        contact_id = contacts[0].id
    else:
        contact_id = actor_id
    status = RegistrationStatus.NONE if none_handled else RegistrationStatus.SUBSTANCES
    keys = sorted(view.substance.key for view in active)
    values = {
        "status": status.value,
        "substance_keys": keys,
        "contact_person_id": contact_id,
        "registered_by_id": actor_id,
        "registered_at": at,
        "submission_key": submission_key,
    }
    before = None
    if row is None:
        registration_id: int = (
            await connection.execute(_INSERT, {"unit_id": unit_id, "year": year, **values})
        ).scalar_one()
    else:
        before = {"status": row.status, "substances": row.substance_keys}
        registration_id = row.id
        changed = await connection.execute(_UPDATE, {"registration_id": row.id, **values})
        if changed.rowcount != 1:
            raise RuntimeError(f"registration {row.id} went away while locked")
    await audit.record(
        connection,
        actor=person_actor(actor_id),
        action="precursors.register" if before is None else "precursors.register.again",
        entity_type=REGISTRATION,
        entity_id=registration_id,
        before=before,
        after={
            "unit_id": unit_id,
            "year": year,
            "status": status.value,
            "substances": keys,
            "contact_person_id": contact_id,
        },
    )
    return Outcome(True, None, registration_id)


async def registration(connection: HotConnection, registration_id: int) -> RegistrationRow | None:
    row = (await connection.execute(_BY_ID, {"registration_id": registration_id})).first()
    return None if row is None else RegistrationRow(*row)


async def registration_of_submission(
    connection: HotConnection, submission_key: str, actor_id: int | None
) -> RegistrationRow | None:
    """The registration a card (`submission_key`) of this person gave last, if it is theirs."""
    row = (
        await connection.execute(
            _OF_SUBMISSION, {"submission_key": submission_key, "actor_id": actor_id}
        )
    ).first()
    return None if row is None else RegistrationRow(*row)


async def registrations(
    connection: HotConnection, year: int, *, unit_ids: Iterable[int] | None = None
) -> list[RegistrationView]:
    """Every active unit (or the ones given) with its answer for `year`, by name."""
    units = await org.list_units(connection)
    if unit_ids is not None:
        wanted = set(unit_ids)
        units = [unit for unit in units if unit.id in wanted]
    rows = {
        row.unit_id: row
        for row in (
            RegistrationRow(*found) for found in await connection.execute(_OF_YEAR, {"year": year})
        )
    }
    people = await people_by_id(
        connection,
        [p for row in rows.values() for p in (row.contact_person_id, row.registered_by_id)],
    )
    missing = await keepers_by_unit(connection, [unit.id for unit in units if unit.id not in rows])
    views: list[RegistrationView] = []
    for unit in units:
        row = rows.get(unit.id)
        if row is None:
            contacts = missing[unit.id]
            views.append(
                RegistrationView(
                    unit_id=unit.id,
                    unit=unit.name,
                    year=year,
                    status=RegistrationStatus.MISSING,
                    contact=", ".join(org.describe_person(p) for p in contacts) or None,
                )
            )
            continue
        contact = people.get(row.contact_person_id) if row.contact_person_id else None
        registrant = people.get(row.registered_by_id) if row.registered_by_id else None
        views.append(
            RegistrationView(
                unit_id=unit.id,
                unit=unit.name,
                year=year,
                status=RegistrationStatus(row.status),
                contact=org.describe_person(contact) if contact else None,
                registered_by=org.describe_person(registrant) if registrant else None,
                registered_at=row.registered_at,
                substances=len(row.substance_keys or []),
            )
        )
    return views


async def contact_emails(connection: HotConnection, year: int) -> dict[int, str]:
    """The registered contact's e-mail per unit (for the roll-up)."""
    rows = (await connection.execute(_CONTACT_EMAILS, {"year": year})).all()
    return {unit_id: upn for unit_id, upn in rows if upn}


async def units_missing(connection: HotConnection, year: int) -> list[UnitRow]:
    """Active units that have not answered for `year` (for reminders and the digest)."""
    answered = {row[0] for row in await connection.execute(_ANSWERED, {"year": year})}
    return [unit for unit in await org.list_units(connection) if unit.id not in answered]


async def deadline_status(
    connection: HotConnection, *, today: date, deadline: str
) -> DeadlineStatus:
    """For the weekly digest: this year's deadline, days to it, who has and has not answered."""
    due = deadline_for(today.year, deadline)
    views = await registrations(connection, today.year)
    return DeadlineStatus(
        year=today.year,
        deadline=due,
        days_left=(due - today).days,
        missing_units=[v.unit for v in views if v.status is RegistrationStatus.MISSING],
        registered_units=[v.unit for v in views if v.status is not RegistrationStatus.MISSING],
    )
