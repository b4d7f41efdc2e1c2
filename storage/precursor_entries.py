"""Drug-precursor ledger entries: record one, find one again, reverse one; each on the
caller's audited connection, inside its transaction.

The ledger only grows: `record` and `reverse` add rows, nothing here updates or deletes an
entry. Writers on one substance of one unit are serialised by locking its holding row
(PostgreSQL; SQLite serialises every writer), so the never-negative check cannot race.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import bindparam, insert, select

from domain.audit import person_actor
from domain.precursor_forms import EntryForm, check_entry
from domain.precursor_ledger import (
    EntryKind,
    LedgerLine,
    PrecursorWarning,
    delta_of,
    first_negative_day,
    has_live_entries,
    licence_warning,
    reversal_of,
    reversal_problem,
    threshold_warning,
)
from storage import audit
from storage.audit import AuditedConnection
from storage.db import HotConnection
from storage.precursor_models import PrecursorEntry
from storage.precursors import (
    ENTRY,
    HoldingRow,
    Outcome,
    holding,
    lines_of,
    substance,
    university_purchases,
)
from storage.rows import columns_of


@dataclass(frozen=True, slots=True)
class EntryRow:
    """The columns of a stored entry its receipt needs."""

    id: int
    holding_id: int
    kind: str
    entry_date: date
    quantity_micro: int
    entered_quantity: str | None
    entered_unit: str | None


_COLUMNS = columns_of(PrecursorEntry.__table__, EntryRow)
_ENTRY = select(*_COLUMNS).where(PrecursorEntry.id == bindparam("entry_id"))
_OF_SUBMISSION = select(*_COLUMNS).where(
    PrecursorEntry.submission_key == bindparam("submission_key"),
    PrecursorEntry.created_by_id == bindparam("actor_id"),
)
_HOLDING_OF_ENTRY = select(PrecursorEntry.holding_id).where(
    PrecursorEntry.id == bindparam("entry_id")
)
_INSERT = insert(PrecursorEntry).returning(PrecursorEntry.id)


def _entered(form: EntryForm) -> str:
    return format(form.quantity.normalize(), "f")


async def record(
    connection: AuditedConnection,
    holding_id: int,
    form: EntryForm,
    *,
    actor_id: int | None,
    today: date,
    licence: str,
    source: str = "bot",
    submission_key: str | None = None,
) -> Outcome:
    """Add one entry, refusing anything that would make the book stock negative on any day.

    An entry the same card (`submission_key`) stored before is not added again: the outcome
    names it, unchanged. The holding's row lock makes a concurrent save of the card wait and
    then find it."""
    row = await holding(connection, holding_id, lock=True)
    if row is None or not row.active:
        return Outcome(False, "precursors.error.holding")
    if submission_key is not None:
        earlier = await entry_of_submission(connection, submission_key, actor_id)
        if earlier is not None:
            return Outcome(False, None, earlier.id, done_before=True)
    info = await substance(connection, row.substance_id)
    assert info is not None
    micro, errors = check_entry(form, info, today=today)
    if errors or micro is None:
        return Outcome(False, "precursors.error.form", row.id, errors=errors)
    lines = (await lines_of(connection, [row.id]))[row.id]
    if form.kind is EntryKind.OPENING and has_live_entries(lines):
        return Outcome(
            False, "precursors.error.form", row.id, errors={"kind": "precursors.error.opening"}
        )
    delta = delta_of(form.kind, micro)
    candidate = LedgerLine(
        id=2**62,
        kind=form.kind,
        entry_date=form.entry_date,
        quantity_micro=micro,
        delta_micro=delta,
    )
    negative = first_negative_day([*lines, candidate])
    if negative is not None:
        return Outcome(
            False,
            "precursors.error.form",
            row.id,
            errors={"quantity": "precursors.error.negative"},
            negative=negative,
        )
    entry_id: int = (
        await connection.execute(
            _INSERT,
            {
                "holding_id": row.id,
                "kind": form.kind.value,
                "entry_date": form.entry_date,
                "quantity_micro": micro,
                "delta_micro": delta,
                "entered_quantity": _entered(form),
                "entered_unit": form.unit.value,
                "counterparty": form.counterparty,
                "declaration_ref": form.declaration_ref,
                "document_ref": form.document_ref,
                "purpose": form.purpose,
                "source": source,
                "created_by_id": actor_id,
                "submission_key": submission_key,
            },
        )
    ).scalar_one()
    warnings: list[PrecursorWarning] = []
    if form.kind in (EntryKind.OPENING, EntryKind.PURCHASE):
        found = licence_warning(info, licence)
        if found:
            warnings.append(found)
    if form.kind is EntryKind.PURCHASE:
        yearly = await university_purchases(connection, info.id, form.entry_date.year)
        found = threshold_warning(info, yearly)
        if found:
            warnings.append(found)
    await audit.record(
        connection,
        actor=person_actor(actor_id),
        action=f"precursors.entry.{form.kind.value}",
        entity_type=ENTRY,
        entity_id=entry_id,
        after={
            "unit_id": row.unit_id,
            "holding_id": row.id,
            "substance": info.key,
            "kind": form.kind.value,
            "entry_date": form.entry_date.isoformat(),
            "quantity_micro": micro,
            "report_unit": info.report_unit.value,
            "entered": f"{_entered(form)} {form.unit.value}",
            "counterparty": form.counterparty,
            "declaration_ref": form.declaration_ref,
            "document_ref": form.document_ref,
            "purpose": form.purpose,
            "source": source,
            "warnings": [w.as_dict() for w in warnings],
        },
    )
    return Outcome(True, None, entry_id, warnings)


async def entry_of_submission(
    connection: HotConnection, submission_key: str, actor_id: int | None
) -> EntryRow | None:
    """The entry a card (`submission_key`) of this person stored, if it stored one."""
    row = (
        await connection.execute(
            _OF_SUBMISSION, {"submission_key": submission_key, "actor_id": actor_id}
        )
    ).first()
    return None if row is None else EntryRow(*row)


async def entry(connection: HotConnection, entry_id: int) -> EntryRow | None:
    row = (await connection.execute(_ENTRY, {"entry_id": entry_id})).first()
    return None if row is None else EntryRow(*row)


async def entry_holding(connection: HotConnection, entry_id: int) -> HoldingRow | None:
    holding_id = (await connection.execute(_HOLDING_OF_ENTRY, {"entry_id": entry_id})).scalar()
    return None if holding_id is None else await holding(connection, holding_id)


async def reverse(
    connection: AuditedConnection, entry_id: int, *, actor_id: int | None, reason: str | None
) -> Outcome:
    """Undo an entry with a new, reasoned entry of the opposite effect (dated like it)."""
    holding_id = (await connection.execute(_HOLDING_OF_ENTRY, {"entry_id": entry_id})).scalar()
    if holding_id is None:
        return Outcome(False, "precursors.reverse.not_found")
    row = await holding(connection, holding_id, lock=True)
    assert row is not None
    lines = (await lines_of(connection, [row.id]))[row.id]
    original = next((line for line in lines if line.id == entry_id), None)
    problem = reversal_problem(original, reason)
    if problem is not None or original is None:
        return Outcome(False, f"precursors.reverse.{problem}", row.id)
    undo = reversal_of(original)
    negative = first_negative_day([*lines, undo])
    if negative is not None:
        return Outcome(False, "precursors.reverse.negative", row.id, negative=negative)
    assert reason is not None
    values: dict[str, Any] = {
        "holding_id": row.id,
        "kind": EntryKind.REVERSAL.value,
        "entry_date": original.entry_date,
        "quantity_micro": original.quantity_micro,
        "delta_micro": undo.delta_micro,
        "reason": reason.strip(),
        "reverses_id": original.id,
        "source": "bot",
        "created_by_id": actor_id,
    }
    reversal_id: int = (await connection.execute(_INSERT, values)).scalar_one()
    await audit.record(
        connection,
        actor=person_actor(actor_id),
        action="precursors.entry.reversal",
        entity_type=ENTRY,
        entity_id=reversal_id,
        before={"entry_id": original.id, "kind": original.kind.value},
        after={
            "unit_id": row.unit_id,
            "holding_id": row.id,
            "reverses_id": original.id,
            "delta_micro": undo.delta_micro,
            "reason": reason.strip(),
        },
    )
    return Outcome(True, None, reversal_id)
