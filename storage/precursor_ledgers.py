"""Units' holdings with one year of their ledgers, for the annual reports."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import case, func, select

from domain.precursor_ledger import (
    EntryKind,
    EntryView,
    HoldingView,
    LedgerLine,
)
from storage import org
from storage.db import HotConnection
from storage.precursor_models import (
    PrecursorEntry,
    PrecursorHolding,
    PrecursorSubstance,
)
from storage.precursors import (
    HOLDING_COLUMNS,
    SUBSTANCE_COLUMNS,
    HoldingRow,
    info_of,
)
from storage.rows import people as people_by_id

_HOLDING_WIDTH = len(HOLDING_COLUMNS)


@dataclass
class YearLedgers:
    """Units' holdings with one year of their ledgers, read in a handful of queries."""

    holdings: dict[int, list[HoldingView]]
    """Unit id → every holding it ever had, by category and English name."""
    lines: dict[int, list[LedgerLine]]
    """Holding id → the book stock carried into the year as one opening line dated the day
    before 1 January (when it is not zero), then the year's entries by date: all that
    `year_figures` needs of a ledger, and it gives the same figures as the whole ledger."""
    entries: dict[int, list[tuple[int, EntryView]]]
    """Unit id → (holding id, entry) for the year's entries, by date."""


async def year_ledgers(
    connection: HotConnection, unit_ids: Sequence[int], year: int
) -> YearLedgers:
    """The units' holdings and their ledgers for `year`: the stock before the year is summed
    in the database; only the year's entries are read row by row."""
    start, end = date(year, 1, 1), date(year, 12, 31)
    result = YearLedgers(
        holdings={unit_id: [] for unit_id in unit_ids},
        lines={},
        entries={unit_id: [] for unit_id in unit_ids},
    )
    if not unit_ids:
        return result
    pairs = [
        (HoldingRow(*row[:_HOLDING_WIDTH]), info_of(row[_HOLDING_WIDTH:]))
        for row in await connection.execute(
            select(*HOLDING_COLUMNS, *SUBSTANCE_COLUMNS)
            .join(PrecursorSubstance, PrecursorSubstance.id == PrecursorHolding.substance_id)
            .where(PrecursorHolding.unit_id.in_(list(unit_ids)))
        )
    ]
    holding_ids = [row.id for row, _ in pairs]
    if not holding_ids:
        return result
    sums = {
        holding_id: (int(before or 0), int(total or 0))
        for holding_id, before, total in (
            await connection.execute(
                select(
                    PrecursorEntry.holding_id,
                    func.sum(
                        case(
                            (PrecursorEntry.entry_date < start, PrecursorEntry.delta_micro),
                            else_=0,
                        )
                    ),
                    func.sum(PrecursorEntry.delta_micro),
                )
                .where(PrecursorEntry.holding_id.in_(holding_ids))
                .group_by(PrecursorEntry.holding_id)
            )
        ).all()
    }
    rows = (
        await connection.execute(
            select(
                PrecursorEntry.id,
                PrecursorEntry.holding_id,
                PrecursorEntry.kind,
                PrecursorEntry.entry_date,
                PrecursorEntry.quantity_micro,
                PrecursorEntry.delta_micro,
                PrecursorEntry.entered_quantity,
                PrecursorEntry.entered_unit,
                PrecursorEntry.counterparty,
                PrecursorEntry.declaration_ref,
                PrecursorEntry.document_ref,
                PrecursorEntry.purpose,
                PrecursorEntry.reason,
                PrecursorEntry.reverses_id,
                PrecursorEntry.source,
                PrecursorEntry.created_by_id,
                PrecursorEntry.created_at,
            )
            .where(
                PrecursorEntry.holding_id.in_(holding_ids),
                PrecursorEntry.entry_date >= start,
                PrecursorEntry.entry_date <= end,
            )
            .order_by(PrecursorEntry.entry_date, PrecursorEntry.id)
        )
    ).all()
    kinds: dict[int, str] = {row.id: row.kind for row in rows}
    earlier = {row.reverses_id for row in rows if row.reverses_id is not None} - kinds.keys()
    if earlier:
        kinds.update(
            (entry_id, kind)
            for entry_id, kind in await connection.execute(
                select(PrecursorEntry.id, PrecursorEntry.kind).where(
                    PrecursorEntry.id.in_(sorted(earlier))
                )
            )
        )
    # A later year's reversal also marks an entry of this year as reversed.
    reversed_ids = {
        row[0]
        for row in await connection.execute(
            select(PrecursorEntry.reverses_id).where(
                PrecursorEntry.holding_id.in_(holding_ids),
                PrecursorEntry.reverses_id.is_not(None),
            )
        )
    }
    people = await people_by_id(connection, (row.created_by_id for row in rows))
    authors = {person_id: org.describe_person(person) for person_id, person in people.items()}
    views: dict[int, HoldingView] = {}
    carried = date(year - 1, 12, 31)
    for holding_row, info in pairs:
        before, total = sums.get(holding_row.id, (0, 0))
        view = HoldingView(
            id=holding_row.id,
            substance=info,
            storage_location=holding_row.storage_location,
            note=holding_row.note,
            stock_micro=total,
            active=holding_row.active,
        )
        views[view.id] = view
        result.holdings[holding_row.unit_id].append(view)
        result.lines[view.id] = (
            [
                LedgerLine(
                    id=0,
                    kind=EntryKind.OPENING,
                    entry_date=carried,
                    quantity_micro=before,
                    delta_micro=before,
                )
            ]
            if before
            else []
        )
    for items in result.holdings.values():
        items.sort(key=lambda view: (view.substance.category, view.substance.name_en))
    unit_of = {holding_row.id: holding_row.unit_id for holding_row, _ in pairs}
    for row in rows:
        kind = EntryKind(row.kind)
        reverses_kind = EntryKind(kinds[row.reverses_id]) if row.reverses_id in kinds else None
        is_reversed = row.id in reversed_ids
        result.lines[row.holding_id].append(
            LedgerLine(
                id=row.id,
                kind=kind,
                entry_date=row.entry_date,
                quantity_micro=row.quantity_micro,
                delta_micro=row.delta_micro,
                reverses_id=row.reverses_id,
                reverses_kind=reverses_kind,
                reversed=is_reversed,
            )
        )
        result.entries[unit_of[row.holding_id]].append(
            (
                row.holding_id,
                EntryView(
                    id=row.id,
                    kind=kind,
                    entry_date=row.entry_date,
                    quantity_micro=row.quantity_micro,
                    report_unit=views[row.holding_id].substance.report_unit,
                    entered=(
                        f"{row.entered_quantity} {row.entered_unit}"
                        if row.entered_quantity
                        else None
                    ),
                    counterparty=row.counterparty,
                    declaration_ref=row.declaration_ref,
                    document_ref=row.document_ref,
                    purpose=row.purpose,
                    reason=row.reason,
                    reverses_id=row.reverses_id,
                    reverses_kind=reverses_kind,
                    reversed=is_reversed,
                    created_by=authors.get(row.created_by_id) if row.created_by_id else None,
                    created_at=row.created_at,
                    source=row.source,
                ),
            )
        )
    return result
