"""The units' yearly precursor registration with the secretariat, and who has not answered."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from domain.audit import person_actor
from domain.org import Role
from domain.precursor_registrations import (
    DeadlineStatus,
    RegistrationStatus,
    RegistrationView,
    deadline_for,
)
from storage import audit, org
from storage.models import Person
from storage.precursor_models import (
    PrecursorRegistration,
)
from storage.precursors import REGISTRATION, Outcome, holdings_of, keepers_by_unit, people_by_id
from storage.rows import UnitRow

# -- registration ------------------------------------------------------------------------------


async def register(
    session: AsyncSession,
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
    row = (
        await session.scalars(
            select(PrecursorRegistration)
            .where(PrecursorRegistration.unit_id == unit_id, PrecursorRegistration.year == year)
            .with_for_update()
        )
    ).first()
    if row is not None and submission_key is not None and row.submission_key == submission_key:
        return Outcome(False, None, row.id, done_before=True)
    active = await holdings_of(session, unit_id)
    if none_handled and active:
        return Outcome(False, "precursors.error.none_but_listed")
    if not none_handled and not active:
        return Outcome(False, "precursors.error.nothing_listed")
    contacts = await org.holders(session, unit_id, Role.PRECURSOR_CONTACT)
    if actor_id is not None and any(person.id == actor_id for person in contacts):
        contact_id: int | None = actor_id
    elif contacts:
        contact_id = contacts[0].id
    else:
        contact_id = actor_id
    status = RegistrationStatus.NONE if none_handled else RegistrationStatus.SUBSTANCES
    keys = sorted(view.substance.key for view in active)
    before = None
    if row is None:
        row = PrecursorRegistration(unit_id=unit_id, year=year)
        session.add(row)
    else:
        before = {"status": row.status, "substances": row.substance_keys}
    row.status = status.value
    row.substance_keys = keys
    row.contact_person_id = contact_id
    row.registered_by_id = actor_id
    row.registered_at = at
    row.submission_key = submission_key
    await session.flush()
    await audit.record(
        session,
        actor=person_actor(actor_id),
        action="precursors.register" if before is None else "precursors.register.again",
        entity_type=REGISTRATION,
        entity_id=row.id,
        before=before,
        after={
            "unit_id": unit_id,
            "year": year,
            "status": status.value,
            "substances": keys,
            "contact_person_id": contact_id,
        },
    )
    return Outcome(True, None, row.id)


async def registration_of_submission(
    session: AsyncSession, submission_key: str, actor_id: int | None
) -> PrecursorRegistration | None:
    """The registration a card (`submission_key`) of this person gave last, if it is theirs."""
    found: PrecursorRegistration | None = (
        await session.scalars(
            select(PrecursorRegistration).where(
                PrecursorRegistration.submission_key == submission_key,
                PrecursorRegistration.registered_by_id == actor_id,
            )
        )
    ).first()
    return found


async def registrations(
    session: AsyncSession, year: int, *, unit_ids: Iterable[int] | None = None
) -> list[RegistrationView]:
    """Every active unit (or the ones given) with its answer for `year`, by name."""
    units = await org.list_units(session)
    if unit_ids is not None:
        wanted = set(unit_ids)
        units = [unit for unit in units if unit.id in wanted]
    rows = {
        row.unit_id: row
        for row in (
            await session.scalars(
                select(PrecursorRegistration).where(PrecursorRegistration.year == year)
            )
        ).all()
    }
    people = await people_by_id(
        session,
        [p for row in rows.values() for p in (row.contact_person_id, row.registered_by_id)],
    )
    missing = await keepers_by_unit(session, [unit.id for unit in units if unit.id not in rows])
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


async def contact_emails(session: AsyncSession, year: int) -> dict[int, str]:
    """The registered contact's e-mail per unit (for the roll-up)."""
    rows = (
        await session.execute(
            select(PrecursorRegistration.unit_id, Person.upn)
            .join(Person, Person.id == PrecursorRegistration.contact_person_id)
            .where(PrecursorRegistration.year == year)
        )
    ).all()
    return {unit_id: upn for unit_id, upn in rows if upn}


async def units_missing(session: AsyncSession, year: int) -> list[UnitRow]:
    """Active units that have not answered for `year` (for reminders and the digest)."""
    answered = set(
        (
            await session.scalars(
                select(PrecursorRegistration.unit_id).where(PrecursorRegistration.year == year)
            )
        ).all()
    )
    return [unit for unit in await org.list_units(session) if unit.id not in answered]


async def deadline_status(session: AsyncSession, *, today: date, deadline: str) -> DeadlineStatus:
    """For the weekly digest: this year's deadline, days to it, who has and has not answered."""
    due = deadline_for(today.year, deadline)
    views = await registrations(session, today.year)
    return DeadlineStatus(
        year=today.year,
        deadline=due,
        days_left=(due - today).days,
        missing_units=[v.unit for v in views if v.status is RegistrationStatus.MISSING],
        registered_units=[v.unit for v in views if v.status is not RegistrationStatus.MISSING],
    )
