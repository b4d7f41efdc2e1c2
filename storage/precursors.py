"""Drug-precursor records: one function per user action, each inside the caller's transaction.

Ledger entries (`record`, `reverse`) are in `storage.precursor_entries`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from domain.audit import person_actor
from domain.org import Role
from domain.precursor_forms import HoldingForm
from domain.precursor_ledger import (
    EntryKind,
    EntryView,
    HoldingView,
    LedgerLine,
    PrecursorWarning,
    licence_warning,
    purchased_in_year,
)
from domain.precursors import Category, ReportUnit, SubstanceInfo
from storage import audit, org
from storage.models import Person, RoleAssignment
from storage.precursor_models import (
    PrecursorEntry,
    PrecursorHolding,
    PrecursorSubstance,
)
from storage.rows import PersonRow, UnitRow

ENTRY = "precursor_entry"
HOLDING = "precursor_holding"
REGISTRATION = "precursor_registration"
KEEPER_ROLES = (Role.PRECURSOR_CONTACT.value, Role.AMK.value)


# -- substances --------------------------------------------------------------------------------


def info_of(row: PrecursorSubstance) -> SubstanceInfo:
    return SubstanceInfo(
        id=row.id,
        key=row.key,
        name_en=row.name_en,
        name_da=row.name_da,
        category=Category(row.category),
        cas=row.cas,
        cn=row.cn_code,
        report_unit=ReportUnit(row.report_unit),
        density=Decimal(row.density) if row.density else None,
        threshold=Decimal(row.threshold) if row.threshold else None,
        verified=row.verified,
        salts=row.includes_salts,
        synonyms=tuple(row.synonyms or ()),
        active=row.active,
    )


async def substances(session: AsyncSession, *, active_only: bool = True) -> list[SubstanceInfo]:
    query = select(PrecursorSubstance).order_by(PrecursorSubstance.id)
    if active_only:
        query = query.where(PrecursorSubstance.active.is_(True))
    return [info_of(row) for row in (await session.scalars(query)).all()]


async def substance(session: AsyncSession, substance_id: int) -> SubstanceInfo | None:
    row = await session.get(PrecursorSubstance, substance_id)
    return None if row is None else info_of(row)


# -- who may do what ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Access:
    """The units whose records a person keeps (precursor contact or AMK), and secretariat."""

    units: list[UnitRow]
    secretariat: bool


async def access(session: AsyncSession, person_id: int | None) -> Access:
    if person_id is None:
        return Access([], False)
    roles = await org.roles_of(session, person_id)
    secretariat = any(role.role == Role.SECRETARIAT.value for role in roles)
    ids = {role.unit_id for role in roles if role.unit_id is not None and role.role in KEEPER_ROLES}
    units = [unit for unit in await org.list_units(session) if unit.id in ids]
    return Access(units, secretariat)


async def may_keep(session: AsyncSession, person_id: int | None, unit_id: int) -> bool:
    """Precursor contact or AMK of the unit: may register and keep its ledger."""
    if person_id is None:
        return False
    found = await session.scalar(
        select(func.count()).where(
            RoleAssignment.person_id == person_id,
            RoleAssignment.unit_id == unit_id,
            RoleAssignment.role.in_(KEEPER_ROLES),
        )
    )
    return bool(found)


async def keepers(session: AsyncSession, unit_id: int) -> list[PersonRow]:
    """Who is reminded about the unit: its precursor contacts, or its AMK if it has none."""
    contacts = await org.holders(session, unit_id, Role.PRECURSOR_CONTACT)
    return contacts or await org.holders(session, unit_id, Role.AMK)


async def refuse(
    session: AsyncSession, *, actor_id: int | None, what: str, entity: str, entity_id: object
) -> None:
    """Audit an attempt by someone without the right to it."""
    await audit.record(
        session,
        actor=person_actor(actor_id),
        action=f"precursors.{what}.refused",
        entity_type=entity,
        entity_id=None if entity_id is None else str(entity_id),
        after={"reason": "not_allowed"},
    )


# -- holdings ----------------------------------------------------------------------------------


async def holding(
    session: AsyncSession, holding_id: int, *, lock: bool = False
) -> PrecursorHolding | None:
    query = select(PrecursorHolding).where(PrecursorHolding.id == holding_id)
    if lock:
        query = query.with_for_update()
    return (await session.scalars(query)).first()


async def lines_of(
    session: AsyncSession, holding_ids: Iterable[int]
) -> dict[int, list[LedgerLine]]:
    """Every entry of the holdings as the rules see them, in date order."""
    ids = list(holding_ids)
    result: dict[int, list[LedgerLine]] = {holding_id: [] for holding_id in ids}
    if not ids:
        return result
    # Plain columns, not entities: a decade's ledger is tens of thousands of rows.
    rows = (
        await session.execute(
            select(
                PrecursorEntry.id,
                PrecursorEntry.holding_id,
                PrecursorEntry.kind,
                PrecursorEntry.entry_date,
                PrecursorEntry.quantity_micro,
                PrecursorEntry.delta_micro,
                PrecursorEntry.reverses_id,
            )
            .where(PrecursorEntry.holding_id.in_(ids))
            .order_by(PrecursorEntry.entry_date, PrecursorEntry.id)
        )
    ).all()
    by_id = {row.id: row for row in rows}
    reversed_ids = {row.reverses_id for row in rows if row.reverses_id is not None}
    for row in rows:
        original = by_id.get(row.reverses_id) if row.reverses_id is not None else None
        result[row.holding_id].append(
            LedgerLine(
                id=row.id,
                kind=EntryKind(row.kind),
                entry_date=row.entry_date,
                quantity_micro=row.quantity_micro,
                delta_micro=row.delta_micro,
                reverses_id=row.reverses_id,
                reverses_kind=EntryKind(original.kind) if original is not None else None,
                reversed=row.id in reversed_ids,
            )
        )
    return result


async def holdings_of(
    session: AsyncSession, unit_id: int, *, include_inactive: bool = False
) -> list[HoldingView]:
    """The unit's substances with their current book stock, by category and name."""
    views, _lines = await _holdings_and_lines(session, unit_id, include_inactive=include_inactive)
    return views


async def _holdings_and_lines(
    session: AsyncSession, unit_id: int, *, include_inactive: bool
) -> tuple[list[HoldingView], dict[int, list[LedgerLine]]]:
    query = (
        select(PrecursorHolding, PrecursorSubstance)
        .join(PrecursorSubstance, PrecursorSubstance.id == PrecursorHolding.substance_id)
        .where(PrecursorHolding.unit_id == unit_id)
    )
    if not include_inactive:
        query = query.where(PrecursorHolding.active.is_(True))
    pairs = (await session.execute(query)).all()
    lines = await lines_of(session, [pair[0].id for pair in pairs])
    views = [
        HoldingView(
            id=row.id,
            substance=info_of(item),
            storage_location=row.storage_location,
            note=row.note,
            stock_micro=sum(line.delta_micro for line in lines[row.id]),
            active=row.active,
        )
        for row, item in pairs
    ]
    views.sort(key=lambda view: (view.substance.category, view.substance.name_en))
    return views, lines


@dataclass
class Outcome:
    """What an action did; `problem` is a message key when it did nothing."""

    changed: bool
    problem: str | None = None
    entity_id: int | None = None
    warnings: list[PrecursorWarning] = field(default_factory=list)
    errors: dict[str, str] = field(default_factory=dict)
    negative: tuple[date, int] | None = None
    done_before: bool = False  # the same card did it before (`entity_id`): nothing changed


async def add_holding(
    session: AsyncSession,
    unit_id: int,
    form: HoldingForm,
    *,
    actor_id: int | None,
    licence: str,
) -> Outcome:
    """Put a substance on the unit's list (or take it back onto it, with a new location)."""
    item = await session.get(PrecursorSubstance, form.substance_id)
    if item is None or not item.active:
        return Outcome(False, "precursors.error.substance")
    existing = (
        await session.scalars(
            select(PrecursorHolding).where(
                PrecursorHolding.unit_id == unit_id,
                PrecursorHolding.substance_id == item.id,
            )
        )
    ).first()
    if existing is not None and existing.active:
        return Outcome(False, "precursors.error.already_listed", existing.id)
    if existing is None:
        existing = PrecursorHolding(
            unit_id=unit_id,
            substance_id=item.id,
            storage_location=form.storage_location,
            note=form.note,
            active=True,
            created_by_id=actor_id,
        )
        session.add(existing)
        action = "precursors.holding.add"
    else:
        existing.active = True
        existing.storage_location = form.storage_location
        existing.note = form.note
        action = "precursors.holding.readd"
    await session.flush()
    warning = licence_warning(info_of(item), licence)
    warnings = [warning] if warning else []
    await audit.record(
        session,
        actor=person_actor(actor_id),
        action=action,
        entity_type=HOLDING,
        entity_id=existing.id,
        after={
            "unit_id": unit_id,
            "substance": item.key,
            "storage_location": form.storage_location,
            "note": form.note,
            "warnings": [w.as_dict() for w in warnings],
        },
    )
    return Outcome(True, None, existing.id, warnings)


async def remove_holding(
    session: AsyncSession, holding_id: int, *, actor_id: int | None
) -> Outcome:
    """Take a substance off the unit's list; only with nothing left in stock."""
    row = await holding(session, holding_id, lock=True)
    if row is None or not row.active:
        return Outcome(False, "precursors.error.holding")
    stock = sum(line.delta_micro for line in (await lines_of(session, [row.id]))[row.id])
    if stock != 0:
        return Outcome(False, "precursors.error.stock_left", row.id)
    row.active = False
    await session.flush()
    await audit.record(
        session,
        actor=person_actor(actor_id),
        action="precursors.holding.remove",
        entity_type=HOLDING,
        entity_id=row.id,
        before={"active": True},
        after={"active": False},
    )
    return Outcome(True, None, row.id)


# -- the ledger --------------------------------------------------------------------------------


async def university_purchases(session: AsyncSession, substance_id: int, year: int) -> int:
    """Net purchases of a substance by every unit in `year` (micro-units)."""
    holding_ids = (
        await session.scalars(
            select(PrecursorHolding.id).where(PrecursorHolding.substance_id == substance_id)
        )
    ).all()
    lines = await lines_of(session, holding_ids)
    return sum(purchased_in_year(items, year) for items in lines.values())


async def people_by_id(session: AsyncSession, ids: Iterable[int | None]) -> dict[int, Person]:
    wanted = {person_id for person_id in ids if person_id is not None}
    if not wanted:
        return {}
    found = await session.scalars(select(Person).where(Person.id.in_(wanted)))
    return {person.id: person for person in found}


async def entries_of(
    session: AsyncSession,
    holding_ids: Sequence[int],
    *,
    start: date | None = None,
    end: date | None = None,
    newest_first: bool = False,
    limit: int | None = None,
) -> list[tuple[int, EntryView]]:
    """(holding id, entry) pairs, by date; `start`/`end` inclusive."""
    if not holding_ids:
        return []
    query = (
        select(PrecursorEntry, PrecursorSubstance.report_unit)
        .join(PrecursorHolding, PrecursorHolding.id == PrecursorEntry.holding_id)
        .join(PrecursorSubstance, PrecursorSubstance.id == PrecursorHolding.substance_id)
        .where(PrecursorEntry.holding_id.in_(holding_ids))
    )
    if start is not None:
        query = query.where(PrecursorEntry.entry_date >= start)
    if end is not None:
        query = query.where(PrecursorEntry.entry_date <= end)
    if newest_first:
        query = query.order_by(PrecursorEntry.entry_date.desc(), PrecursorEntry.id.desc())
    else:
        query = query.order_by(PrecursorEntry.entry_date, PrecursorEntry.id)
    if limit is not None:
        query = query.limit(limit)
    pairs = (await session.execute(query)).all()
    undone = {entry.reverses_id for entry, _ in pairs if entry.reverses_id is not None}
    kinds = (
        {
            entry_id: kind
            for entry_id, kind in (
                await session.execute(
                    select(PrecursorEntry.id, PrecursorEntry.kind).where(
                        PrecursorEntry.id.in_(undone)
                    )
                )
            ).all()
        }
        if undone
        else {}
    )
    reversed_ids = set(
        (
            await session.scalars(
                select(PrecursorEntry.reverses_id).where(
                    PrecursorEntry.holding_id.in_(holding_ids),
                    PrecursorEntry.reverses_id.is_not(None),
                )
            )
        ).all()
    )
    people = await people_by_id(session, (entry.created_by_id for entry, _ in pairs))
    views: list[tuple[int, EntryView]] = []
    for entry, report_unit in pairs:
        author = people.get(entry.created_by_id) if entry.created_by_id else None
        views.append(
            (
                entry.holding_id,
                EntryView(
                    id=entry.id,
                    kind=EntryKind(entry.kind),
                    entry_date=entry.entry_date,
                    quantity_micro=entry.quantity_micro,
                    report_unit=ReportUnit(report_unit),
                    entered=(
                        f"{entry.entered_quantity} {entry.entered_unit}"
                        if entry.entered_quantity
                        else None
                    ),
                    counterparty=entry.counterparty,
                    declaration_ref=entry.declaration_ref,
                    document_ref=entry.document_ref,
                    purpose=entry.purpose,
                    reason=entry.reason,
                    reverses_id=entry.reverses_id,
                    reverses_kind=(
                        EntryKind(kinds[entry.reverses_id]) if entry.reverses_id in kinds else None
                    ),
                    reversed=entry.id in reversed_ids,
                    created_by=org.describe_person(author) if author else None,
                    created_at=entry.created_at,
                    source=entry.source,
                ),
            )
        )
    return views


async def unit_holdings_for_year(
    session: AsyncSession, unit_id: int
) -> tuple[list[HoldingView], dict[int, list[LedgerLine]]]:
    """Every holding the unit ever had (for reports) and its ledger lines."""
    return await _holdings_and_lines(session, unit_id, include_inactive=True)


async def keepers_by_unit(
    session: AsyncSession, unit_ids: Iterable[int]
) -> dict[int, list[Person]]:
    """`keepers` of many units in one query: precursor contacts, or the AMK if none."""
    ids = list(unit_ids)
    if not ids:
        return {}
    rows = (
        await session.execute(
            select(Person, RoleAssignment.unit_id, RoleAssignment.role)
            .join(RoleAssignment, RoleAssignment.person_id == Person.id)
            .where(RoleAssignment.unit_id.in_(ids), RoleAssignment.role.in_(KEEPER_ROLES))
            .order_by(Person.id)
        )
    ).all()
    found: dict[tuple[int | None, str], list[Person]] = {}
    for person, unit_id, role in rows:
        found.setdefault((unit_id, role), []).append(person)
    return {
        unit_id: found.get((unit_id, Role.PRECURSOR_CONTACT.value))
        or found.get((unit_id, Role.AMK.value), [])
        for unit_id in ids
    }
