"""Screenings a unit plans and holds: a new one (once per card), a planned one updated or
marked held, the ones a unit's overview shows (its own and those it took part in as the
sister unit), and the day each unit last held one (the "screening" duty)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from sqlalchemy import func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from domain.i18n import local_date
from domain.screening import HeldView, RecordForm, ScreeningKind, ScreeningState
from storage import audit
from storage.models import Unit
from storage.screening_models import Screening
from storage.wellbeing_models import WellbeingActionItem

ENTITY = "screening"


def _apply(row: Screening, form: RecordForm, partner_id: int | None) -> None:
    held = form.state is ScreeningState.HELD
    row.kind = form.kind.value
    row.state = form.state.value
    row.partner_unit_id = partner_id
    row.request_id = form.request_id if form.kind is ScreeningKind.SISTER else None
    row.held_on = form.day if held else None
    row.planned_on = row.planned_on if held else form.day
    row.proof = form.proof


async def save(
    session: AsyncSession,
    *,
    unit_id: int,
    form: RecordForm,
    partner_id: int | None,
    actor_id: int,
    actor: str,
    batch: str,
    planned: Screening | None = None,
) -> Screening:
    """Store a new screening, or change the unit's `planned` one (planned again or held),
    audited either way. The card's `batch` was seen before: the row it stored, unchanged."""
    earlier = await session.scalar(select(Screening).where(Screening.submission_key == batch))
    if earlier is not None:
        return earlier
    before = None if planned is None else planned.snapshot()
    row = planned or Screening(unit_id=unit_id, recorded_by_id=actor_id)
    _apply(row, form, partner_id)
    row.submission_key = batch
    session.add(row)
    await session.flush()
    await audit.record(
        session,
        actor=actor,
        action=f"screening.{row.state}" if planned is None else "screening.update",
        entity_type=ENTITY,
        entity_id=row.id,
        before=before,
        after=row.snapshot(),
    )
    return row


async def planned_of(session: AsyncSession, screening_id: int, unit_id: int) -> Screening | None:
    """The unit's planned screening `screening_id` (None: not the unit's, or held already)."""
    row = await session.get(Screening, screening_id)
    if row is None or row.unit_id != unit_id or row.state != ScreeningState.PLANNED.value:
        return None
    return row


async def linked_requests(session: AsyncSession, unit_id: int) -> set[int]:
    """The requests the unit's held screenings are linked to (each is recorded held once)."""
    rows = await session.scalars(
        select(Screening.request_id).where(
            Screening.unit_id == unit_id,
            Screening.state == ScreeningState.HELD.value,
            Screening.request_id.is_not(None),
        )
    )
    return {request_id for request_id in rows if request_id is not None}


async def of_unit(session: AsyncSession, unit_id: int, *, limit: int = 10) -> list[HeldView]:
    """The unit's screenings and the sister screenings it took part in, newest day first,
    each with how many action-plan items came from its findings."""
    partner = aliased(Unit)
    findings = (
        select(func.count())
        .where(WellbeingActionItem.screening_id == Screening.id)
        .correlate(Screening)
        .scalar_subquery()
    )
    day = func.coalesce(Screening.held_on, Screening.planned_on)
    rows = await session.execute(
        select(Screening, Unit.name, partner.name, findings)
        .join(Unit, Unit.id == Screening.unit_id)
        .outerjoin(partner, partner.id == Screening.partner_unit_id)
        .where(or_(Screening.unit_id == unit_id, Screening.partner_unit_id == unit_id))
        .order_by(day.desc(), Screening.id.desc())
        .limit(limit)
    )
    views = []
    for row, unit, partner_name, count in rows:
        held = row.state == ScreeningState.HELD.value
        views.append(
            HeldView(
                id=row.id,
                unit_id=row.unit_id,
                unit=unit,
                kind=ScreeningKind(row.kind),
                state=ScreeningState(row.state),
                day=(row.held_on if held else row.planned_on) or local_date(row.created_at),
                partner_id=row.partner_unit_id,
                partner=partner_name,
                proof=row.proof,
                findings=int(count),
            )
        )
    return views


async def last_held(
    session: AsyncSession, unit_ids: Iterable[int]
) -> dict[int, tuple[date, str | None]]:
    """Each unit's newest held screening: its day and proof."""
    rows = await session.execute(
        select(Screening.unit_id, Screening.held_on, Screening.proof)
        .where(
            Screening.unit_id.in_(list(unit_ids)),
            Screening.state == ScreeningState.HELD.value,
        )
        .order_by(Screening.held_on, Screening.id)
    )
    return {  # the newest comes last
        unit_id: (held_on, proof) for unit_id, held_on, proof in rows if held_on is not None
    }
