"""Importing a unit's spreadsheet: every row checked, then all written in the caller's
transaction, or none."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import insert, update

from domain.precursor_forms import EntryForm, check_entry
from domain.precursor_import import ImportRow, RowError, import_form
from domain.precursor_ledger import (
    EntryKind,
    LedgerLine,
    delta_of,
    first_negative_day,
    has_live_entries,
    licence_warning,
)
from domain.precursors import SubstanceInfo, match_substance
from storage import audit, org
from storage.audit import AuditedConnection
from storage.precursor_models import (
    PrecursorEntry,
    PrecursorHolding,
)
from storage.precursors import (
    ENTRY,
    HOLDING,
    HoldingRow,
    holding_of_substance,
    lines_of,
    substances,
)
from storage.rows import UnitRow

_INSERT_HOLDING = insert(PrecursorHolding).returning(PrecursorHolding.id)
_INSERT_ENTRY = insert(PrecursorEntry).returning(PrecursorEntry.id)

# -- importing a unit's spreadsheet ------------------------------------------------------------


@dataclass
class ImportResult:
    """Row-by-row errors (then nothing was written), or what was written."""

    errors: list[RowError] = field(default_factory=list)
    entries: int = 0
    holdings_added: int = 0
    units: list[str] = field(default_factory=list)


@dataclass
class _Group:
    unit: UnitRow
    substance: SubstanceInfo
    holding: HoldingRow | None
    rows: list[tuple[ImportRow, EntryForm, int]] = field(default_factory=list)


async def import_rows(
    connection: AuditedConnection,
    rows: Sequence[ImportRow],
    *,
    actor: str,
    today: date,
    licence: str = "",
    unit_ids: set[int] | None = None,
    source: str | None = None,
) -> ImportResult:
    """Check every row against the catalogue, the rules and the stored ledgers; write all
    of them (one transaction) only if none is wrong. `unit_ids`: the units the person who
    sent the sheet keeps (None: any unit, for the secretariat and administrators)."""
    result = ImportResult()
    units = {unit.name.casefold(): unit for unit in await org.list_units(connection)}
    catalogue = await substances(connection)
    groups: dict[tuple[int, int], _Group] = {}
    for row in rows:
        problems: list[RowError] = []
        unit = units.get(row.unit.strip().casefold())
        if unit is None:
            problems.append(RowError(row.row, "precursors.import.unit", {"value": row.unit}))
        elif unit_ids is not None and unit.id not in unit_ids:
            problems.append(RowError(row.row, "precursors.import.not_yours", {"value": unit.name}))
            unit = None
        matches = match_substance(catalogue, row.substance)
        if not matches:
            problems.append(
                RowError(row.row, "precursors.import.substance", {"value": row.substance})
            )
        elif len(matches) > 1:
            problems.append(
                RowError(
                    row.row,
                    "precursors.import.ambiguous",
                    {"value": row.substance, "options": ", ".join(m.cas or m.key for m in matches)},
                )
            )
        form, form_problems = import_form(row)
        problems.extend(form_problems)
        if form is not None and len(matches) == 1:
            micro, errors = check_entry(form, matches[0], today=today)
            problems.extend(RowError(row.row, key) for key in dict.fromkeys(errors.values()))
            if micro is not None and unit is not None and not problems:
                group = groups.get((unit.id, matches[0].id))
                if group is None:
                    existing = await holding_of_substance(
                        connection, unit.id, matches[0].id, lock=True
                    )
                    group = _Group(unit, matches[0], existing)
                    groups[(unit.id, matches[0].id)] = group
                group.rows.append((row, form, micro))
        result.errors.extend(problems)
    for group in groups.values():
        await _check_group(connection, group, result)
    if result.errors:
        result.errors.sort(key=lambda error: error.row)
        return result
    for group in groups.values():
        await _write_group(connection, group, result, actor=actor, licence=licence)
    result.units = sorted({group.unit.name for group in groups.values()})
    await audit.record(
        connection,
        actor=actor,
        action="precursors.import",
        entity_type=ENTRY,
        after={
            "rows": len(rows),
            "entries": result.entries,
            "holdings_added": result.holdings_added,
            "units": result.units,
            **({"source": source} if source else {}),
        },
    )
    return result


async def _check_group(connection: AuditedConnection, group: _Group, result: ImportResult) -> None:
    first_row = group.rows[0][0]
    location = next(
        (row.storage_location for row, _, _ in group.rows if row.storage_location), None
    )
    if group.holding is None and not (location and len(location.strip()) >= 2):
        result.errors.append(
            RowError(
                first_row.row,
                "precursors.import.location",
                {"substance": group.substance.name_da, "unit": group.unit.name},
            )
        )
    existing = (
        (await lines_of(connection, [group.holding.id]))[group.holding.id] if group.holding else []
    )
    openings = [row for row, form, _ in group.rows if form.kind is EntryKind.OPENING]
    refused: set[int] = set()
    if openings and has_live_entries(existing):
        refused = {row.row for row in openings}
    elif len(openings) > 1:
        refused = {row.row for row in openings[1:]}
    for row in openings:
        if row.row in refused:
            result.errors.append(RowError(row.row, "precursors.error.opening"))
    new_lines: list[LedgerLine] = []
    for index, (row, form, micro) in enumerate(group.rows):
        if row.row in refused:
            continue
        new_lines.append(
            LedgerLine(
                id=2**62 + index,
                kind=form.kind,
                entry_date=form.entry_date,
                quantity_micro=micro,
                delta_micro=delta_of(form.kind, micro),
            )
        )
    negative = first_negative_day([*existing, *new_lines])
    if negative is not None:
        day, stock = negative
        culprit = max(
            (
                row
                for row, form, _ in group.rows
                if form.entry_date <= day and form.kind.sign < 0 and row.row not in refused
            ),
            key=lambda row: row.row,
            default=first_row,
        )
        result.errors.append(
            RowError(
                culprit.row,
                "precursors.import.negative",
                {
                    "substance": group.substance.name_da,
                    "unit": group.unit.name,
                    "day": day,
                    "stock": stock,
                    "report_unit": group.substance.report_unit.value,
                },
            )
        )


async def _write_group(
    connection: AuditedConnection,
    group: _Group,
    result: ImportResult,
    *,
    actor: str,
    licence: str,
) -> None:
    location = next(
        (row.storage_location for row, _, _ in group.rows if row.storage_location), None
    )
    note = next((row.note for row, _, _ in group.rows if row.note), None)
    if group.holding is None:
        storage_location = (location or "").strip()
        holding_id: int = (
            await connection.execute(
                _INSERT_HOLDING,
                {
                    "unit_id": group.unit.id,
                    "substance_id": group.substance.id,
                    "storage_location": storage_location,
                    "note": note,
                    "active": True,
                },
            )
        ).scalar_one()
        result.holdings_added += 1
        await audit.record(
            connection,
            actor=actor,
            action="precursors.holding.add",
            entity_type=HOLDING,
            entity_id=holding_id,
            after={
                "unit_id": group.unit.id,
                "substance": group.substance.key,
                "storage_location": storage_location,
                "source": "import",
            },
        )
    else:
        holding_id = group.holding.id
        if not group.holding.active:
            # locked since it was read: taken back onto the list, with the sheet's location
            await connection.execute(
                update(PrecursorHolding)
                .where(PrecursorHolding.id == holding_id, PrecursorHolding.active.is_(False))
                .values(
                    active=True,
                    **({"storage_location": location.strip()} if location else {}),
                )
            )
    warnings = [w for w in [licence_warning(group.substance, licence)] if w]
    for row, form, micro in group.rows:
        entered_quantity = format(form.quantity.normalize(), "f")
        entry_id: int = (
            await connection.execute(
                _INSERT_ENTRY,
                {
                    "holding_id": holding_id,
                    "kind": form.kind.value,
                    "entry_date": form.entry_date,
                    "quantity_micro": micro,
                    "delta_micro": delta_of(form.kind, micro),
                    "entered_quantity": entered_quantity,
                    "entered_unit": form.unit.value,
                    "counterparty": form.counterparty,
                    "declaration_ref": form.declaration_ref,
                    "document_ref": form.document_ref,
                    "purpose": form.purpose,
                    "source": "import",
                },
            )
        ).scalar_one()
        result.entries += 1
        await audit.record(
            connection,
            actor=actor,
            action=f"precursors.entry.{form.kind.value}",
            entity_type=ENTRY,
            entity_id=entry_id,
            after={
                "unit_id": group.unit.id,
                "holding_id": holding_id,
                "substance": group.substance.key,
                "kind": form.kind.value,
                "entry_date": form.entry_date.isoformat(),
                "quantity_micro": micro,
                "report_unit": group.substance.report_unit.value,
                "entered": f"{entered_quantity} {form.unit.value}",
                "counterparty": form.counterparty,
                "declaration_ref": form.declaration_ref,
                "source": "import",
                "row": row.row,
                "warnings": [w.as_dict() for w in warnings],
            },
        )
