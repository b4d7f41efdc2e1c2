"""Append to and verify the hash-chained audit trail."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncSession

from domain.audit import GENESIS_HASH, event_hash
from domain.audit import SYSTEM_ACTOR as SYSTEM_ACTOR
from storage.models import AuditEvent, utcnow


async def _lock_chain(session: AsyncSession) -> None:
    """Serialise appends so the chain never forks (SQLite writers are serialised already)."""
    bind = session.get_bind()
    if bind.dialect.name == "postgresql":
        await session.execute(text("SELECT pg_advisory_xact_lock(7242002)"))


async def record(
    session: AsyncSession,
    *,
    actor: str | None,
    action: str,
    entity_type: str,
    entity_id: str | int | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one event inside the caller's transaction."""
    await _lock_chain(session)
    last = (
        await session.execute(select(AuditEvent).order_by(AuditEvent.sequence.desc()).limit(1))
    ).scalar_one_or_none()
    prev_hash = last.hash if last else GENESIS_HASH
    sequence = last.sequence + 1 if last else 1
    occurred_at = utcnow()
    entity = None if entity_id is None else str(entity_id)
    audit = AuditEvent(
        sequence=sequence,
        occurred_at=occurred_at,
        actor=actor,
        action=action,
        entity_type=entity_type,
        entity_id=entity,
        before=before,
        after=after,
        prev_hash=prev_hash,
        hash=event_hash(
            prev_hash=prev_hash,
            sequence=sequence,
            occurred_at=occurred_at,
            actor=actor,
            action=action,
            entity_type=entity_type,
            entity_id=entity,
            before=before,
            after=after,
        ),
    )
    session.add(audit)
    await session.flush()
    return audit


@dataclass(frozen=True)
class ChainReport:
    """Outcome of checking the audit trail."""

    events: int
    first_broken_sequence: int | None
    reason: str | None

    @property
    def intact(self) -> bool:
        return self.first_broken_sequence is None


async def verify_chain(session: AsyncSession, batch_size: int = 5000) -> ChainReport:
    """Recompute every hash in order; report the first row that does not fit."""
    expected_prev = GENESIS_HASH
    expected_sequence = 1
    count = 0
    result = await session.stream_scalars(
        select(AuditEvent).order_by(AuditEvent.sequence).execution_options(yield_per=batch_size)
    )
    async for audit in result:
        count += 1
        if audit.sequence != expected_sequence:
            return ChainReport(count, audit.sequence, f"expected sequence {expected_sequence}")
        if audit.prev_hash != expected_prev:
            return ChainReport(count, audit.sequence, "previous hash does not match")
        recomputed = event_hash(
            prev_hash=audit.prev_hash,
            sequence=audit.sequence,
            occurred_at=audit.occurred_at,
            actor=audit.actor,
            action=audit.action,
            entity_type=audit.entity_type,
            entity_id=audit.entity_id,
            before=audit.before,
            after=audit.after,
        )
        if recomputed != audit.hash:
            return ChainReport(count, audit.sequence, "content changed after it was written")
        expected_prev = audit.hash
        expected_sequence += 1
    return ChainReport(count, None, None)
