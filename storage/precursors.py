"""Drug-precursor records: one function per user action, each on the caller's connection (a
write on an `AuditedConnection`, inside the caller's transaction).

Ledger entries (`record`, `reverse`) are in `storage.precursor_entries`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import Select, bindparam, func, insert, select, update

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
from storage.audit import AuditedConnection
from storage.db import HotConnection
from storage.models import Person, RoleAssignment
from storage.precursor_models import (
    PrecursorEntry,
    PrecursorHolding,
    PrecursorSubstance,
)
from storage.rows import PERSON_COLUMNS, PersonRow, UnitRow, columns_of
from storage.rows import people as people_by_id

ENTRY = "precursor_entry"
HOLDING = "precursor_holding"
REGISTRATION = "precursor_registration"
KEEPER_ROLES = (Role.PRECURSOR_CONTACT.value, Role.AMK.value)


_PERSON_WIDTH = len(PERSON_COLUMNS)


# -- substances --------------------------------------------------------------------------------

_SUBSTANCE = PrecursorSubstance.__table__.c
SUBSTANCE_COLUMNS = (
    _SUBSTANCE.id,
    _SUBSTANCE.key,
    _SUBSTANCE.name_en,
    _SUBSTANCE.name_da,
    _SUBSTANCE.category,
    _SUBSTANCE.cas,
    _SUBSTANCE.cn_code,
    _SUBSTANCE.report_unit,
    _SUBSTANCE.density,
    _SUBSTANCE.threshold,
    _SUBSTANCE.verified,
    _SUBSTANCE.includes_salts,
    _SUBSTANCE.synonyms,
    _SUBSTANCE.active,
)
"""The substance columns `info_of` reads, in its order."""
SUBSTANCE_WIDTH = len(SUBSTANCE_COLUMNS)


def info_of(row: Sequence[Any]) -> SubstanceInfo:
    """A substance from a select of `SUBSTANCE_COLUMNS`."""
    (
        substance_id,
        key,
        name_en,
        name_da,
        category,
        cas,
        cn_code,
        report_unit,
        density,
        threshold,
        verified,
        salts,
        synonyms,
        active,
    ) = row
    return SubstanceInfo(
        id=substance_id,
        key=key,
        name_en=name_en,
        name_da=name_da,
        category=Category(category),
        cas=cas,
        cn=cn_code,
        report_unit=ReportUnit(report_unit),
        density=Decimal(density) if density else None,
        threshold=Decimal(threshold) if threshold else None,
        verified=bool(verified),
        salts=bool(salts),
        synonyms=tuple(synonyms or ()),
        active=bool(active),
    )


_ALL_SUBSTANCES = select(*SUBSTANCE_COLUMNS).order_by(PrecursorSubstance.id)
_ACTIVE_SUBSTANCES = _ALL_SUBSTANCES.where(PrecursorSubstance.active.is_(True))
_SUBSTANCE_BY_ID = select(*SUBSTANCE_COLUMNS).where(
    PrecursorSubstance.id == bindparam("substance_id")
)


async def substances(connection: HotConnection, *, active_only: bool = True) -> list[SubstanceInfo]:
    rows = (await connection.execute(_ACTIVE_SUBSTANCES if active_only else _ALL_SUBSTANCES)).all()
    return [info_of(row) for row in rows]


async def substance(connection: HotConnection, substance_id: int) -> SubstanceInfo | None:
    row = (await connection.execute(_SUBSTANCE_BY_ID, {"substance_id": substance_id})).first()
    return None if row is None else info_of(row)


# -- who may do what ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Access:
    """The units whose records a person keeps (precursor contact or AMK), and secretariat."""

    units: list[UnitRow]
    secretariat: bool


_MAY_KEEP = select(func.count()).where(
    RoleAssignment.person_id == bindparam("person_id"),
    RoleAssignment.unit_id == bindparam("unit_id"),
    RoleAssignment.role.in_(KEEPER_ROLES),
)


async def access(connection: HotConnection, person_id: int | None) -> Access:
    if person_id is None:
        return Access([], False)
    roles = await org.roles_of(connection, person_id)
    secretariat = any(role.role == Role.SECRETARIAT.value for role in roles)
    ids = {role.unit_id for role in roles if role.unit_id is not None and role.role in KEEPER_ROLES}
    units = [unit for unit in await org.list_units(connection) if unit.id in ids]
    return Access(units, secretariat)


async def may_keep(connection: HotConnection, person_id: int | None, unit_id: int) -> bool:
    """Precursor contact or AMK of the unit: may register and keep its ledger."""
    if person_id is None:
        return False
    found = (
        await connection.execute(_MAY_KEEP, {"person_id": person_id, "unit_id": unit_id})
    ).scalar()
    return bool(found)


async def keepers(connection: HotConnection, unit_id: int) -> list[PersonRow]:
    """Who is reminded about the unit: its precursor contacts, or its AMK if it has none."""
    contacts = await org.holders(connection, unit_id, Role.PRECURSOR_CONTACT)
    return contacts or await org.holders(connection, unit_id, Role.AMK)


async def refuse(
    connection: AuditedConnection,
    *,
    actor_id: int | None,
    what: str,
    entity: str,
    entity_id: object,
) -> None:
    """Audit an attempt by someone without the right to it."""
    await audit.record(
        connection,
        actor=person_actor(actor_id),
        action=f"precursors.{what}.refused",
        entity_type=entity,
        entity_id=None if entity_id is None else str(entity_id),
        after={"reason": "not_allowed"},
    )


# -- holdings ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class HoldingRow:
    """A `precursor_holding` row: a substance on a unit's list."""

    id: int
    unit_id: int
    substance_id: int
    storage_location: str
    note: str | None
    active: bool


HOLDING_COLUMNS = columns_of(PrecursorHolding.__table__, HoldingRow)
"""The holding columns a `HoldingRow` is built from, in its field order."""
_HOLDING_WIDTH = len(HOLDING_COLUMNS)
_HOLDING = select(*HOLDING_COLUMNS).where(PrecursorHolding.id == bindparam("holding_id"))
_HOLDING_LOCKED = _HOLDING.with_for_update()
_HOLDING_OF_SUBSTANCE = select(*HOLDING_COLUMNS).where(
    PrecursorHolding.unit_id == bindparam("unit_id"),
    PrecursorHolding.substance_id == bindparam("substance_id"),
)
_HOLDING_OF_SUBSTANCE_LOCKED = _HOLDING_OF_SUBSTANCE.with_for_update()
_E = PrecursorEntry.__table__.c
_LINES = (
    select(
        _E.id,
        _E.holding_id,
        _E.kind,
        _E.entry_date,
        _E.quantity_micro,
        _E.delta_micro,
        _E.reverses_id,
    )
    .where(_E.holding_id.in_(bindparam("holding_ids", expanding=True)))
    .order_by(_E.entry_date, _E.id)
)


def _holdings_statement(*, include_inactive: bool) -> Select[Any]:
    query = (
        select(*HOLDING_COLUMNS, *SUBSTANCE_COLUMNS)
        .join(PrecursorSubstance, PrecursorSubstance.id == PrecursorHolding.substance_id)
        .where(PrecursorHolding.unit_id == bindparam("unit_id"))
    )
    return query if include_inactive else query.where(PrecursorHolding.active.is_(True))


_ALL_HOLDINGS = _holdings_statement(include_inactive=True)
_ACTIVE_HOLDINGS = _holdings_statement(include_inactive=False)
_INSERT_HOLDING = insert(PrecursorHolding).returning(PrecursorHolding.id)
_HOLDING_IDS_OF_SUBSTANCE = select(PrecursorHolding.id).where(
    PrecursorHolding.substance_id == bindparam("substance_id")
)


async def holding(
    connection: HotConnection, holding_id: int, *, lock: bool = False
) -> HoldingRow | None:
    """The holding; `lock`: its row is locked to the end of the transaction (PostgreSQL),
    which serialises the writers of one unit's ledger of one substance."""
    row = (
        await connection.execute(_HOLDING_LOCKED if lock else _HOLDING, {"holding_id": holding_id})
    ).first()
    return None if row is None else HoldingRow(*row)


async def holding_of_substance(
    connection: HotConnection, unit_id: int, substance_id: int, *, lock: bool = False
) -> HoldingRow | None:
    """The unit's holding of the substance (active or not), if it ever had one."""
    row = (
        await connection.execute(
            _HOLDING_OF_SUBSTANCE_LOCKED if lock else _HOLDING_OF_SUBSTANCE,
            {"unit_id": unit_id, "substance_id": substance_id},
        )
    ).first()
    return None if row is None else HoldingRow(*row)


async def lines_of(
    connection: HotConnection, holding_ids: Iterable[int]
) -> dict[int, list[LedgerLine]]:
    """Every entry of the holdings as the rules see them, in date order."""
    ids = list(holding_ids)
    result: dict[int, list[LedgerLine]] = {holding_id: [] for holding_id in ids}
    if not ids:
        return result
    # Plain columns: a decade's ledger is tens of thousands of rows.
    rows = (await connection.execute(_LINES, {"holding_ids": ids})).all()
    kinds = {row[0]: row[2] for row in rows}
    reversed_ids = {row[6] for row in rows if row[6] is not None}
    for entry_id, holding_id, kind, entry_date, quantity, delta, reverses_id in rows:
        original = kinds.get(reverses_id) if reverses_id is not None else None
        result[holding_id].append(
            LedgerLine(
                id=entry_id,
                kind=EntryKind(kind),
                entry_date=entry_date,
                quantity_micro=quantity,
                delta_micro=delta,
                reverses_id=reverses_id,
                reverses_kind=EntryKind(original) if original is not None else None,
                reversed=entry_id in reversed_ids,
            )
        )
    return result


async def holdings_of(
    connection: HotConnection, unit_id: int, *, include_inactive: bool = False
) -> list[HoldingView]:
    """The unit's substances with their current book stock, by category and name."""
    views, _lines = await _holdings_and_lines(
        connection, unit_id, include_inactive=include_inactive
    )
    return views


async def _holdings_and_lines(
    connection: HotConnection, unit_id: int, *, include_inactive: bool
) -> tuple[list[HoldingView], dict[int, list[LedgerLine]]]:
    statement = _ALL_HOLDINGS if include_inactive else _ACTIVE_HOLDINGS
    rows = (await connection.execute(statement, {"unit_id": unit_id})).all()
    pairs = [(HoldingRow(*row[:_HOLDING_WIDTH]), info_of(row[_HOLDING_WIDTH:])) for row in rows]
    lines = await lines_of(connection, [row.id for row, _ in pairs])
    views = [
        HoldingView(
            id=row.id,
            substance=info,
            storage_location=row.storage_location,
            note=row.note,
            stock_micro=sum(line.delta_micro for line in lines[row.id]),
            active=row.active,
        )
        for row, info in pairs
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
    connection: AuditedConnection,
    unit_id: int,
    form: HoldingForm,
    *,
    actor_id: int | None,
    licence: str,
) -> Outcome:
    """Put a substance on the unit's list (or take it back onto it, with a new location)."""
    item = await substance(connection, form.substance_id)
    if item is None or not item.active:
        return Outcome(False, "precursors.error.substance")
    existing = await holding_of_substance(connection, unit_id, item.id)
    if existing is not None and existing.active:
        return Outcome(False, "precursors.error.already_listed", existing.id)
    if existing is None:
        holding_id: int = (
            await connection.execute(
                _INSERT_HOLDING,
                {
                    "unit_id": unit_id,
                    "substance_id": item.id,
                    "storage_location": form.storage_location,
                    "note": form.note,
                    "active": True,
                    "created_by_id": actor_id,
                },
            )
        ).scalar_one()
        action = "precursors.holding.add"
    else:
        holding_id = existing.id
        taken_back = await connection.execute(
            update(PrecursorHolding)
            .where(PrecursorHolding.id == holding_id, PrecursorHolding.active.is_(False))
            .values(active=True, storage_location=form.storage_location, note=form.note)
        )
        if taken_back.rowcount != 1:  # another turn took it back onto the list first
            return Outcome(False, "precursors.error.already_listed", holding_id)
        action = "precursors.holding.readd"
    warning = licence_warning(item, licence)
    warnings = [warning] if warning else []
    await audit.record(
        connection,
        actor=person_actor(actor_id),
        action=action,
        entity_type=HOLDING,
        entity_id=holding_id,
        after={
            "unit_id": unit_id,
            "substance": item.key,
            "storage_location": form.storage_location,
            "note": form.note,
            "warnings": [w.as_dict() for w in warnings],
        },
    )
    return Outcome(True, None, holding_id, warnings)


_REMOVE_HOLDING = (
    update(PrecursorHolding)
    .where(PrecursorHolding.id == bindparam("holding_id"), PrecursorHolding.active.is_(True))
    .values(active=False)
)


async def remove_holding(
    connection: AuditedConnection, holding_id: int, *, actor_id: int | None
) -> Outcome:
    """Take a substance off the unit's list; only with nothing left in stock."""
    row = await holding(connection, holding_id, lock=True)
    if row is None or not row.active:
        return Outcome(False, "precursors.error.holding")
    stock = sum(line.delta_micro for line in (await lines_of(connection, [row.id]))[row.id])
    if stock != 0:
        return Outcome(False, "precursors.error.stock_left", row.id)
    removed = await connection.execute(_REMOVE_HOLDING, {"holding_id": row.id})
    if removed.rowcount != 1:
        return Outcome(False, "precursors.error.holding")
    await audit.record(
        connection,
        actor=person_actor(actor_id),
        action="precursors.holding.remove",
        entity_type=HOLDING,
        entity_id=row.id,
        before={"active": True},
        after={"active": False},
    )
    return Outcome(True, None, row.id)


# -- the ledger --------------------------------------------------------------------------------


async def university_purchases(connection: HotConnection, substance_id: int, year: int) -> int:
    """Net purchases of a substance by every unit in `year` (micro-units)."""
    holding_ids = [
        row[0]
        for row in await connection.execute(
            _HOLDING_IDS_OF_SUBSTANCE, {"substance_id": substance_id}
        )
    ]
    lines = await lines_of(connection, holding_ids)
    return sum(purchased_in_year(items, year) for items in lines.values())


_ENTRY_VIEW_COLUMNS = (
    _E.id,
    _E.holding_id,
    _E.kind,
    _E.entry_date,
    _E.quantity_micro,
    _E.entered_quantity,
    _E.entered_unit,
    _E.counterparty,
    _E.declaration_ref,
    _E.document_ref,
    _E.purpose,
    _E.reason,
    _E.reverses_id,
    _E.created_by_id,
    _E.created_at,
    _E.source,
    _SUBSTANCE.report_unit,
)
_KINDS = select(_E.id, _E.kind).where(_E.id.in_(bindparam("entry_ids", expanding=True)))
_REVERSED = select(_E.reverses_id).where(
    _E.holding_id.in_(bindparam("holding_ids", expanding=True)), _E.reverses_id.is_not(None)
)


async def entries_of(
    connection: HotConnection,
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
        select(*_ENTRY_VIEW_COLUMNS)
        .join(PrecursorHolding, PrecursorHolding.id == PrecursorEntry.holding_id)
        .join(PrecursorSubstance, PrecursorSubstance.id == PrecursorHolding.substance_id)
        .where(PrecursorEntry.holding_id.in_(list(holding_ids)))
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
    rows = (await connection.execute(query)).all()
    undone = sorted({row[12] for row in rows if row[12] is not None})
    kinds: dict[int, str] = (
        {
            entry_id: kind
            for entry_id, kind in await connection.execute(_KINDS, {"entry_ids": undone})
        }
        if undone
        else {}
    )
    reversed_ids = {
        row[0] for row in await connection.execute(_REVERSED, {"holding_ids": list(holding_ids)})
    }
    authors = await people_by_id(connection, (row[13] for row in rows))
    views: list[tuple[int, EntryView]] = []
    for (
        entry_id,
        holding_id,
        kind,
        entry_date,
        quantity_micro,
        entered_quantity,
        entered_unit,
        counterparty,
        declaration_ref,
        document_ref,
        purpose,
        reason,
        reverses_id,
        created_by_id,
        created_at,
        source,
        report_unit,
    ) in rows:
        author = authors.get(created_by_id) if created_by_id else None
        views.append(
            (
                holding_id,
                EntryView(
                    id=entry_id,
                    kind=EntryKind(kind),
                    entry_date=entry_date,
                    quantity_micro=quantity_micro,
                    report_unit=ReportUnit(report_unit),
                    entered=f"{entered_quantity} {entered_unit}" if entered_quantity else None,
                    counterparty=counterparty,
                    declaration_ref=declaration_ref,
                    document_ref=document_ref,
                    purpose=purpose,
                    reason=reason,
                    reverses_id=reverses_id,
                    reverses_kind=EntryKind(kinds[reverses_id]) if reverses_id in kinds else None,
                    reversed=entry_id in reversed_ids,
                    created_by=org.describe_person(author) if author else None,
                    created_at=created_at,
                    source=source,
                ),
            )
        )
    return views


async def unit_holdings_for_year(
    connection: HotConnection, unit_id: int
) -> tuple[list[HoldingView], dict[int, list[LedgerLine]]]:
    """Every holding the unit ever had (for reports) and its ledger lines."""
    return await _holdings_and_lines(connection, unit_id, include_inactive=True)


_KEEPERS_OF_UNITS = (
    select(*PERSON_COLUMNS, RoleAssignment.unit_id, RoleAssignment.role)
    .join(RoleAssignment, RoleAssignment.person_id == Person.id)
    .where(
        RoleAssignment.unit_id.in_(bindparam("unit_ids", expanding=True)),
        RoleAssignment.role.in_(KEEPER_ROLES),
    )
    .order_by(Person.id)
)


async def keepers_by_unit(
    connection: HotConnection, unit_ids: Iterable[int]
) -> dict[int, list[PersonRow]]:
    """`keepers` of many units in one query: precursor contacts, or the AMK if none."""
    ids = list(unit_ids)
    if not ids:
        return {}
    rows = (await connection.execute(_KEEPERS_OF_UNITS, {"unit_ids": ids})).all()
    found: dict[tuple[int | None, str], list[PersonRow]] = {}
    for row in rows:
        unit_id, role = row[_PERSON_WIDTH], row[_PERSON_WIDTH + 1]
        found.setdefault((unit_id, role), []).append(PersonRow(*row[:_PERSON_WIDTH]))
    return {
        unit_id: found.get((unit_id, Role.PRECURSOR_CONTACT.value))
        or found.get((unit_id, Role.AMK.value), [])
        for unit_id in ids
    }
