"""Instruction and training records: a new record with its audit event, a person's own
records, a unit's records, the requester's records a lone-work approver is shown, and each
unit's counts (with its lone-work approvals that have no matching record)."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any

from sqlalchemy import Select, bindparam, case, func, select

from domain.lone_work import Status as LoneWorkStatus
from domain.training import (
    TrainingForm,
    TrainingKind,
    TrainingView,
    UnitTrainingCounts,
    check_lone_work,
)
from domain.wellbeing import add_years
from storage import audit
from storage.db import HotConnection
from storage.lone_work_models import LoneWorkRequest
from storage.models import Person, Unit
from storage.org import person_label
from storage.proof_models import ProofFile
from storage.training_models import TrainingRecord

ENTITY = "training_record"
# Records past retention hold no person or text: they count, but nobody reads them.
_KEPT = TrainingRecord.personal_data_removed_at.is_(None)


def _views() -> Select[*tuple[Any, ...]]:
    return (
        select(
            TrainingRecord.id,
            TrainingRecord.unit_id,
            Unit.name,
            TrainingRecord.person_id,
            Person.name,
            Person.upn,
            Person.aad_object_id,
            TrainingRecord.activity,
            TrainingRecord.kind,
            TrainingRecord.given_on,
            TrainingRecord.given_by,
            TrainingRecord.proof,
            TrainingRecord.lone_work,
            ProofFile.id,
        )
        .join(Unit, Unit.id == TrainingRecord.unit_id)
        .join(Person, Person.id == TrainingRecord.person_id)
        .outerjoin(ProofFile, ProofFile.training_record_id == TrainingRecord.id)
        .where(_KEPT)
    )


def _view(row: Sequence[Any]) -> TrainingView:
    (
        record_id,
        unit_id,
        unit,
        person_id,
        name,
        upn,
        aad,
        activity,
        kind,
        given_on,
        by,
        proof,
        lw,
        file_id,
    ) = row
    return TrainingView(
        id=record_id,
        unit_id=unit_id,
        unit=unit,
        person_id=person_id,
        person=person_label(person_id, name, upn, aad),
        activity=activity,
        kind=TrainingKind(kind),
        given_on=given_on,
        given_by=by,
        proof=proof,
        lone_work=bool(lw),
        proof_file_id=None if file_id is None else int(file_id),
    )


_NEWEST = (TrainingRecord.given_on.desc(), TrainingRecord.id.desc())
_OF_PERSON_IN_UNIT = (
    _views()
    .where(
        TrainingRecord.person_id == bindparam("person_id"),
        TrainingRecord.unit_id == bindparam("unit_id"),
    )
    .order_by(*_NEWEST)
)


@dataclass(frozen=True, slots=True)
class RecordRow:
    """A stored record's facts (the `training_record` row without its text)."""

    id: int
    unit_id: int
    person_id: int
    kind: str
    given_on: date
    lone_work: bool
    proof: str | None

    def snapshot(self) -> dict[str, Any]:
        """What the audit trail keeps (as `TrainingRecord.snapshot`): facts, never the text."""
        return {
            "unit_id": self.unit_id,
            "person_id": self.person_id,
            "kind": self.kind,
            "given_on": self.given_on.isoformat(),
            "lone_work": self.lone_work,
            "proof": self.proof is not None,
        }


async def add_record(
    connection: audit.AuditedConnection,
    *,
    unit_id: int,
    person_id: int,
    form: TrainingForm,
    actor_id: int | None,
    actor: str,
) -> RecordRow:
    """The record with its audit event (facts only, never the text); `actor_id` None:
    imported by an administrator."""
    return await audit.inserted(
        connection,
        TrainingRecord,
        RecordRow,
        {
            "unit_id": unit_id,
            "person_id": person_id,
            "activity": form.activity,
            "kind": form.kind.value,
            "given_on": form.given_on,
            "given_by": form.given_by,
            "proof": form.proof,
            "lone_work": form.lone_work,
            "recorded_by_id": actor_id,
        },
        actor=actor,
        action="training.record",
        entity_type=ENTITY,
    )


async def of_person(connection: HotConnection, person_id: int) -> list[TrainingView]:
    """The person's own records in every unit, newest first."""
    rows = await connection.execute(
        _views().where(TrainingRecord.person_id == person_id).order_by(*_NEWEST)
    )
    return [_view(row) for row in rows]


async def of_unit(
    connection: HotConnection, unit_id: int, *, person_id: int | None = None, limit: int = 25
) -> tuple[list[TrainingView], int]:
    """A unit's records, newest first (at most `limit`), of one person or everyone, and how
    many there are."""
    wanted = [TrainingRecord.unit_id == unit_id, _KEPT]
    if person_id is not None:
        wanted.append(TrainingRecord.person_id == person_id)
    rows = await connection.execute(_views().where(*wanted).order_by(*_NEWEST).limit(limit))
    total = (
        await connection.execute(select(func.count()).select_from(TrainingRecord).where(*wanted))
    ).scalar()
    return [_view(row) for row in rows], int(total or 0)


async def unit_counts(connection: HotConnection, unit_id: int) -> tuple[int, int]:
    """How many records the unit has, and for how many people."""
    row = (
        await connection.execute(
            select(func.count(), func.count(func.distinct(TrainingRecord.person_id))).where(
                TrainingRecord.unit_id == unit_id, _KEPT
            )
        )
    ).one()
    return int(row[0]), int(row[1])


async def of_person_in_unit(on: HotConnection, person_id: int, unit_id: int) -> list[TrainingView]:
    """The person's records in the unit, newest first (the lone-work approver's check)."""
    result = await on.execute(_OF_PERSON_IN_UNIT, {"person_id": person_id, "unit_id": unit_id})
    return [_view(row) for row in result.all()]


async def unit_counts_of(
    on: HotConnection, unit_ids: Collection[int], *, today: date, now: datetime
) -> dict[int, UnitTrainingCounts]:
    """Each unit's records as counts, and its lone-work approvals in force or to come (at
    `now`) with how many have no record of the requester in the unit that matches the task
    (the approver's check, `domain.training.check_lone_work`)."""
    if not unit_ids:
        return {}
    connection = on
    record = TrainingRecord
    rows = await connection.execute(
        select(
            record.unit_id,
            func.count(),
            func.count(func.distinct(case((_KEPT, record.person_id)))),
            func.sum(case((record.lone_work.is_(True), 1), else_=0)),
            func.sum(case((record.given_on > add_years(today, -1), 1), else_=0)),
            func.max(record.given_on),
        )
        .where(record.unit_id.in_(sorted(unit_ids)))
        .group_by(record.unit_id)
    )
    counts = {
        int(unit_id): UnitTrainingCounts(
            records=int(total),
            people=int(people),
            lone_work=int(lone_work or 0),
            last_year=int(last_year or 0),
            newest=newest,
        )
        for unit_id, total, people, lone_work, last_year, newest in rows
    }
    approvals = (
        await connection.execute(
            select(LoneWorkRequest.unit_id, LoneWorkRequest.requester_id, LoneWorkRequest.task)
            .where(
                LoneWorkRequest.unit_id.in_(sorted(unit_ids)),
                LoneWorkRequest.status == LoneWorkStatus.APPROVED.value,
                LoneWorkRequest.expires_at > now,
            )
            .order_by(LoneWorkRequest.id)
        )
    ).all()
    if not approvals:
        return counts
    held: dict[tuple[int, int], list[TrainingView]] = {}
    found = await connection.execute(
        _views()
        .where(
            TrainingRecord.person_id.in_(sorted({requester for _, requester, _ in approvals})),
            TrainingRecord.unit_id.in_(sorted({unit for unit, _, _ in approvals})),
        )
        .order_by(*_NEWEST)
    )
    for view in map(_view, found):
        held.setdefault((view.unit_id, view.person_id), []).append(view)
    tally: dict[int, tuple[int, int]] = {}
    for unit_id, requester_id, task in approvals:
        check = check_lone_work(held.get((unit_id, requester_id), []), task)
        given, untrained = tally.get(unit_id, (0, 0))
        tally[unit_id] = (given + 1, untrained + (check.match is None))
    for unit_id, (given, untrained) in tally.items():
        base = counts.get(unit_id, UnitTrainingCounts())
        counts[unit_id] = replace(base, approvals=given, approvals_untrained=untrained)
    return counts
