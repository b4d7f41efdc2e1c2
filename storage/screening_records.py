"""Screenings a unit plans and holds: a new one (once per card), a planned one updated or
marked held, the ones a unit's overview shows (its own and those it took part in as the
sister unit), and the day each unit last held one (the "screening" duty)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import bindparam, func, insert, or_, select, update

from domain.i18n import local_date
from domain.screening import HeldView, RecordForm, ScreeningKind, ScreeningState
from storage import audit
from storage.db import HotConnection
from storage.models import Unit
from storage.rows import columns_of
from storage.screening_models import Screening
from storage.wellbeing_models import WellbeingActionItem

ENTITY = "screening"


@dataclass(frozen=True, slots=True)
class ScreeningRow:
    """A stored screening's columns (the `screening` row), read without the ORM."""

    id: int
    unit_id: int
    kind: str
    state: str
    partner_unit_id: int | None
    request_id: int | None
    planned_on: date | None
    held_on: date | None
    proof: str | None

    def snapshot(self) -> dict[str, Any]:
        """What an audit event keeps: facts, never the proof's link (as `Screening.snapshot`)."""
        return {
            "unit_id": self.unit_id,
            "kind": self.kind,
            "state": self.state,
            "partner_unit_id": self.partner_unit_id,
            "request_id": self.request_id,
            "planned_on": self.planned_on and self.planned_on.isoformat(),
            "held_on": self.held_on and self.held_on.isoformat(),
            "proof": self.proof is not None,
        }


_SCREENING = Screening.__table__
_COLUMNS = columns_of(_SCREENING, ScreeningRow)
_ROWS = select(*_COLUMNS)
# Built once: the new or changed row comes back whole.
_INSERT: Any = insert(Screening).returning(*_COLUMNS)
_UPDATE_PLANNED: Any = (
    update(Screening)
    .where(
        Screening.id == bindparam("planned_id"),
        Screening.unit_id == bindparam("planned_unit_id"),
        Screening.state == ScreeningState.PLANNED.value,
    )
    .returning(*_COLUMNS)
)
_UNIT = Unit.__table__
_PARTNER = _UNIT.alias("partner_unit")


def _values(form: RecordForm, partner_id: int | None, planned_on: date | None) -> dict[str, Any]:
    """The columns the form sets (`planned_on`: the row's planned day, kept when it is
    marked held)."""
    held = form.state is ScreeningState.HELD
    return {
        "kind": form.kind.value,
        "state": form.state.value,
        "partner_unit_id": partner_id,
        "request_id": form.request_id if form.kind is ScreeningKind.SISTER else None,
        "held_on": form.day if held else None,
        "planned_on": planned_on if held else form.day,
        "proof": form.proof,
    }


async def save(
    on: audit.AuditedConnection,
    *,
    unit_id: int,
    form: RecordForm,
    partner_id: int | None,
    actor_id: int,
    actor: str,
    batch: str,
    planned_id: int | None = None,
) -> ScreeningRow | None:
    """Store a new screening, or change the unit's planned one `planned_id` (planned again
    or held), audited either way. The card's `batch` was seen before: the row it stored,
    unchanged. None: `planned_id` is not the unit's planned screening (any more)."""
    connection = on
    earlier = (await connection.execute(_ROWS.where(_SCREENING.c.submission_key == batch))).first()
    if earlier is not None:
        return ScreeningRow(*earlier)
    before: ScreeningRow | None = None
    if planned_id is None:
        values = _values(form, partner_id, None)
        found = await connection.execute(
            _INSERT,
            {"unit_id": unit_id, "recorded_by_id": actor_id, "submission_key": batch, **values},
        )
    else:
        before = await planned_of(connection, planned_id, unit_id)
        if before is None:
            return None
        values = _values(form, partner_id, before.planned_on)
        found = await connection.execute(
            _UPDATE_PLANNED,
            {
                "planned_id": planned_id,
                "planned_unit_id": unit_id,
                "submission_key": batch,
                **values,
            },
        )
    stored = found.first()
    if stored is None:
        return None
    row = ScreeningRow(*stored)
    await audit.record(
        on,
        actor=actor,
        action=f"screening.{row.state}" if before is None else "screening.update",
        entity_type=ENTITY,
        entity_id=row.id,
        before=None if before is None else before.snapshot(),
        after=row.snapshot(),
    )
    return row


async def planned_of(
    connection: HotConnection, screening_id: int, unit_id: int
) -> ScreeningRow | None:
    """The unit's planned screening `screening_id` (None: not the unit's, or held already)."""
    found = (
        await connection.execute(
            _ROWS.where(
                _SCREENING.c.id == screening_id,
                _SCREENING.c.unit_id == unit_id,
                _SCREENING.c.state == ScreeningState.PLANNED.value,
            )
        )
    ).first()
    return None if found is None else ScreeningRow(*found)


async def linked_requests(connection: HotConnection, unit_id: int) -> set[int]:
    """The requests the unit's held screenings are linked to (each is recorded held once)."""
    rows = await connection.execute(
        select(_SCREENING.c.request_id).where(
            _SCREENING.c.unit_id == unit_id,
            _SCREENING.c.state == ScreeningState.HELD.value,
            _SCREENING.c.request_id.is_not(None),
        )
    )
    return {row[0] for row in rows if row[0] is not None}


async def of_unit(connection: HotConnection, unit_id: int, *, limit: int = 10) -> list[HeldView]:
    """The unit's screenings and the sister screenings it took part in, newest day first,
    each with how many action-plan items came from its findings."""
    findings = (
        select(func.count())
        .where(WellbeingActionItem.screening_id == _SCREENING.c.id)
        .correlate(_SCREENING)
        .scalar_subquery()
    )
    day = func.coalesce(_SCREENING.c.held_on, _SCREENING.c.planned_on)
    rows = await connection.execute(
        select(*_COLUMNS, _SCREENING.c.created_at, _UNIT.c.name, _PARTNER.c.name, findings)
        .join(_UNIT, _UNIT.c.id == _SCREENING.c.unit_id)
        .outerjoin(_PARTNER, _PARTNER.c.id == _SCREENING.c.partner_unit_id)
        .where(or_(_SCREENING.c.unit_id == unit_id, _SCREENING.c.partner_unit_id == unit_id))
        .order_by(day.desc(), _SCREENING.c.id.desc())
        .limit(limit)
    )
    width = len(_COLUMNS)
    views = []
    for found in rows:
        row = ScreeningRow(*found[:width])
        created_at, unit, partner_name, count = found[width:]
        held = row.state == ScreeningState.HELD.value
        views.append(
            HeldView(
                id=row.id,
                unit_id=row.unit_id,
                unit=unit,
                kind=ScreeningKind(row.kind),
                state=ScreeningState(row.state),
                day=(row.held_on if held else row.planned_on) or local_date(created_at),
                partner_id=row.partner_unit_id,
                partner=partner_name,
                proof=row.proof,
                findings=int(count),
            )
        )
    return views


async def last_held(
    connection: HotConnection, unit_ids: Iterable[int]
) -> dict[int, tuple[date, str | None]]:
    """Each unit's newest held screening: its day and proof."""
    rows = await connection.execute(
        select(_SCREENING.c.unit_id, _SCREENING.c.held_on, _SCREENING.c.proof)
        .where(
            _SCREENING.c.unit_id.in_(list(unit_ids)),
            _SCREENING.c.state == ScreeningState.HELD.value,
        )
        .order_by(_SCREENING.c.held_on, _SCREENING.c.id)
    )
    return {  # the newest comes last
        unit_id: (held_on, proof) for unit_id, held_on, proof in rows if held_on is not None
    }
