"""Proof files of training and documentation records: the record a reference names, storing a
file (replacing the record's earlier one), reading one back with its record, and removing
the files of training records."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, delete, func, insert, select

from domain.proofs import CleanProof, ProofRef, RecordKind, StoredProof
from storage.db import HotConnection
from storage.documentation import ENTITY as DUTY_ENTITY
from storage.documentation_models import DutyRecord
from storage.proof_models import ProofFile
from storage.training import ENTITY as TRAINING_ENTITY
from storage.training_models import TrainingRecord


@dataclass(frozen=True)
class ProofTarget:
    """The record a proof is for: its unit, and for a training record the person it is
    about (None: a documentation record)."""

    ref: ProofRef
    unit_id: int
    person_id: int | None

    @property
    def entity(self) -> str:
        return TRAINING_ENTITY if self.ref.kind is RecordKind.TRAINING else DUTY_ENTITY


async def target(connection: HotConnection, ref: ProofRef) -> ProofTarget | None:
    """The record `ref` names, if it is there (a training record past retention is not)."""
    if ref.kind is RecordKind.TRAINING:
        row = (
            await connection.execute(
                select(TrainingRecord.unit_id, TrainingRecord.person_id).where(
                    TrainingRecord.id == ref.record_id,
                    TrainingRecord.personal_data_removed_at.is_(None),
                )
            )
        ).first()
        return None if row is None else ProofTarget(ref, int(row[0]), int(row[1]))
    unit_id = (
        await connection.execute(select(DutyRecord.unit_id).where(DutyRecord.id == ref.record_id))
    ).scalar()
    return None if unit_id is None else ProofTarget(ref, int(unit_id), None)


def _owner(ref: ProofRef) -> ColumnElement[bool]:
    if ref.kind is RecordKind.TRAINING:
        return ProofFile.training_record_id == ref.record_id
    return ProofFile.duty_record_id == ref.record_id


async def put(
    connection: HotConnection, ref: ProofRef, proof: CleanProof, *, now: datetime
) -> tuple[int, bool]:
    """Store the record's proof file; (its id, whether an earlier file was replaced)."""
    removed = await connection.execute(delete(ProofFile).where(_owner(ref)))
    training = ref.kind is RecordKind.TRAINING
    file_id: int = (
        await connection.execute(
            insert(ProofFile)
            .values(
                training_record_id=ref.record_id if training else None,
                duty_record_id=None if training else ref.record_id,
                name=proof.name,
                content_type=proof.content_type,
                size=len(proof.data),
                sha256=proof.sha256,
                data=proof.data,
                created_at=now,
            )
            .returning(ProofFile.id)
        )
    ).scalar_one()
    return file_id, bool(removed.rowcount)


@dataclass(frozen=True)
class FoundProof:
    """A stored proof file with the record it proves."""

    file: StoredProof
    target: ProofTarget


async def read(connection: HotConnection, file_id: int, *, data: bool = True) -> FoundProof | None:
    """The file (without its bytes unless `data`) and its record; None if either is gone (or
    the training record is past retention)."""
    content = ProofFile.data if data else ProofFile.size
    row = (
        await connection.execute(
            select(
                ProofFile.id,
                ProofFile.name,
                ProofFile.content_type,
                content,
                ProofFile.training_record_id,
                ProofFile.duty_record_id,
            ).where(ProofFile.id == file_id)
        )
    ).first()
    if row is None:
        return None
    file_id, name, content_type, body, training_id, duty_id = row
    if training_id is not None:
        ref = ProofRef(RecordKind.TRAINING, int(training_id))
    else:
        ref = ProofRef(RecordKind.DOCUMENTATION, int(duty_id or 0))
    found = await target(connection, ref)
    if found is None:
        return None
    stored = StoredProof(
        int(file_id),
        str(name),
        str(content_type),
        bytes(body) if isinstance(body, bytes | memoryview) else b"",
    )
    return FoundProof(stored, found)


async def of_duty_records(connection: HotConnection, record_ids: Collection[int]) -> dict[int, int]:
    """Duty record id → its proof file's id, for those that have one."""
    if not record_ids:
        return {}
    rows = await connection.execute(
        select(ProofFile.duty_record_id, ProofFile.id).where(
            ProofFile.duty_record_id.in_(sorted(record_ids))
        )
    )
    return {int(record_id or 0): int(file_id) for record_id, file_id in rows}


async def delete_of_training(on: HotConnection, record_ids: Collection[int]) -> int:
    """Remove the proof files of these training records; how many there were."""
    if not record_ids:
        return 0
    connection = on
    result = await connection.execute(
        delete(ProofFile).where(ProofFile.training_record_id.in_(sorted(record_ids)))
    )
    return int(result.rowcount or 0)


async def count_of_person(on: HotConnection, person_id: int) -> int:
    """How many proof files the person's training records have."""
    connection = on
    found = await connection.execute(
        select(func.count())
        .select_from(ProofFile)
        .join(TrainingRecord, TrainingRecord.id == ProofFile.training_record_id)
        .where(TrainingRecord.person_id == person_id)
    )
    return int(found.scalar() or 0)


async def delete_of_person(on: HotConnection, person_id: int) -> int:
    """Remove the proof files of the person's training records; how many there were."""
    connection = on
    rows = await connection.execute(
        select(TrainingRecord.id).where(TrainingRecord.person_id == person_id)
    )
    return await delete_of_training(connection, [row[0] for row in rows])
