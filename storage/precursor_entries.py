"""Drug-precursor ledger entries: record one, find one again, reverse one; each inside the
caller's transaction.

The ledger only grows: `record` and `reverse` add rows, nothing here updates or deletes an
entry. Writers on one substance of one unit are serialised by locking its holding row
(PostgreSQL; SQLite serialises every writer), so the never-negative check cannot race.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

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
from storage.precursor_models import PrecursorEntry, PrecursorHolding, PrecursorSubstance
from storage.precursors import (
    ENTRY,
    Outcome,
    holding,
    info_of,
    lines_of,
    university_purchases,
)


def _entered(form: EntryForm) -> str:
    return format(form.quantity.normalize(), "f")


async def record(
    session: AsyncSession,
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
    row = await holding(session, holding_id, lock=True)
    if row is None or not row.active:
        return Outcome(False, "precursors.error.holding")
    if submission_key is not None:
        earlier = await entry_of_submission(session, submission_key, actor_id)
        if earlier is not None:
            return Outcome(False, None, earlier.id, done_before=True)
    item = await session.get(PrecursorSubstance, row.substance_id)
    assert item is not None
    info = info_of(item)
    micro, errors = check_entry(form, info, today=today)
    if errors or micro is None:
        return Outcome(False, "precursors.error.form", row.id, errors=errors)
    lines = (await lines_of(session, [row.id]))[row.id]
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
    entry = PrecursorEntry(
        holding_id=row.id,
        kind=form.kind.value,
        entry_date=form.entry_date,
        quantity_micro=micro,
        delta_micro=delta,
        entered_quantity=_entered(form),
        entered_unit=form.unit.value,
        counterparty=form.counterparty,
        declaration_ref=form.declaration_ref,
        document_ref=form.document_ref,
        purpose=form.purpose,
        source=source,
        created_by_id=actor_id,
        submission_key=submission_key,
    )
    session.add(entry)
    await session.flush()
    warnings: list[PrecursorWarning] = []
    if form.kind in (EntryKind.OPENING, EntryKind.PURCHASE):
        found = licence_warning(info, licence)
        if found:
            warnings.append(found)
    if form.kind is EntryKind.PURCHASE:
        yearly = await university_purchases(session, info.id, form.entry_date.year)
        found = threshold_warning(info, yearly)
        if found:
            warnings.append(found)
    await audit.record(
        session,
        actor=person_actor(actor_id),
        action=f"precursors.entry.{form.kind.value}",
        entity_type=ENTRY,
        entity_id=entry.id,
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
    return Outcome(True, None, entry.id, warnings)


async def entry_of_submission(
    session: AsyncSession, submission_key: str, actor_id: int | None
) -> PrecursorEntry | None:
    """The entry a card (`submission_key`) of this person stored, if it stored one."""
    found: PrecursorEntry | None = (
        await session.scalars(
            select(PrecursorEntry).where(
                PrecursorEntry.submission_key == submission_key,
                PrecursorEntry.created_by_id == actor_id,
            )
        )
    ).first()
    return found


async def entry_holding(session: AsyncSession, entry_id: int) -> PrecursorHolding | None:
    holding_id = await session.scalar(
        select(PrecursorEntry.holding_id).where(PrecursorEntry.id == entry_id)
    )
    return None if holding_id is None else await holding(session, holding_id)


async def reverse(
    session: AsyncSession, entry_id: int, *, actor_id: int | None, reason: str | None
) -> Outcome:
    """Undo an entry with a new, reasoned entry of the opposite effect (dated like it)."""
    original_row = await session.get(PrecursorEntry, entry_id)
    if original_row is None:
        return Outcome(False, "precursors.reverse.not_found")
    row = await holding(session, original_row.holding_id, lock=True)
    assert row is not None
    lines = (await lines_of(session, [row.id]))[row.id]
    original = next((line for line in lines if line.id == entry_id), None)
    problem = reversal_problem(original, reason)
    if problem is not None or original is None:
        return Outcome(False, f"precursors.reverse.{problem}", row.id)
    undo = reversal_of(original)
    negative = first_negative_day([*lines, undo])
    if negative is not None:
        return Outcome(False, "precursors.reverse.negative", row.id, negative=negative)
    assert reason is not None
    entry = PrecursorEntry(
        holding_id=row.id,
        kind=EntryKind.REVERSAL.value,
        entry_date=original.entry_date,
        quantity_micro=original.quantity_micro,
        delta_micro=undo.delta_micro,
        reason=reason.strip(),
        reverses_id=original.id,
        source="bot",
        created_by_id=actor_id,
    )
    session.add(entry)
    await session.flush()
    await audit.record(
        session,
        actor=person_actor(actor_id),
        action="precursors.entry.reversal",
        entity_type=ENTRY,
        entity_id=entry.id,
        before={"entry_id": original.id, "kind": original.kind.value},
        after={
            "unit_id": row.unit_id,
            "holding_id": row.id,
            "reverses_id": original.id,
            "delta_micro": undo.delta_micro,
            "reason": reason.strip(),
        },
    )
    return Outcome(True, None, entry.id)
