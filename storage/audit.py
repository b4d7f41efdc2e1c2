"""Append to and verify the hash-chained audit trail, sealed when the process has a secret."""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol, TypeVar

from sqlalchemy import (
    BigInteger,
    ColumnElement,
    Dialect,
    Executable,
    String,
    insert,
    select,
    text,
    update,
)

from domain.audit import (
    GENESIS_HASH,
    Checkpoint,
    event_payload,
    payload_hash,
    payload_seal,
    seal_key,
)
from domain.audit import SYSTEM_ACTOR as SYSTEM_ACTOR
from domain.i18n import COPENHAGEN
from storage.db import Database, HotConnection, HotResult, Parameters
from storage.models import AuditEvent, utcnow
from storage.rows import columns_of

# The event the retention job writes after removing people from older events.
REDACT_ACTION = "audit.redact"
_LAST_LINK = (
    select(AuditEvent.sequence, AuditEvent.hash).order_by(AuditEvent.sequence.desc()).limit(1)
)
# PostgreSQL: the chain's lock, then the newest link read after the lock is granted, in one
# round trip (migration 0009). Appends are serialised so the chain never forks; SQLite's
# writers are serialised already.
_LOCKED_LAST_LINK = text(
    "SELECT last_sequence AS sequence, last_hash AS hash FROM audit_chain_head()"
).columns(sequence=BigInteger, hash=String)
_APPEND = insert(AuditEvent)
_HEAD = select(AuditEvent.sequence, AuditEvent.hash, AuditEvent.seal).order_by(
    AuditEvent.sequence.desc()
)


@dataclass
class _SealKey:
    key: bytes | None = None


# The process's key, from `AUDIT_SECRET` (see `seal_with`): kept in memory, never stored.
_SEAL = _SealKey()


def seal_with(secret: str) -> None:
    """Seal every event this process appends with an HMAC under `secret` ("": no seal).

    Set once at start-up, before any event is written."""
    _SEAL.key = seal_key(secret)


@dataclass(frozen=True)
class _Pending:
    actor: str | None
    action: str
    entity_type: str
    entity_id: str | None
    before: dict[str, Any] | None
    after: dict[str, Any] | None


@dataclass
class AuditedConnection:
    """A `HotConnection` in a write transaction (`audited`): `record` collects events on it,
    chained in as the transaction's last statements."""

    connection: HotConnection
    pending: list[_Pending] = field(default_factory=list)

    @property
    def dialect(self) -> Dialect:
        return self.connection.dialect

    async def execute(
        self, statement: Executable, parameters: Parameters | None = None
    ) -> HotResult:
        return await self.connection.execute(statement, parameters)


@asynccontextmanager
async def audited(db: Database) -> AsyncIterator[AuditedConnection]:
    """`Database.writing()` with an audit trail: the events `record` collects are chained in
    as the transaction's last statements."""
    async with db.writing() as connection:
        audited_connection = AuditedConnection(connection)
        yield audited_connection
        if audited_connection.pending:
            last = await _last_link_on(connection)
            await connection.execute(_APPEND, _chained(last, audited_connection.pending))


async def record(
    connection: AuditedConnection,
    *,
    actor: str | None,
    action: str,
    entity_type: str,
    entity_id: str | int | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> None:
    """Add one event to the caller's transaction; it is chained in when the transaction commits.

    Appending takes the chain's lock (PostgreSQL) until the commit, so it happens as the
    last thing before the commit instead of in the middle of the caller's work.
    """
    connection.pending.append(
        _Pending(
            actor=actor,
            action=action,
            entity_type=entity_type,
            entity_id=None if entity_id is None else str(entity_id),
            before=before,
            after=after,
        )
    )


class Snapshotted(Protocol):
    """A stored row an audit event can describe: its id and the facts it keeps of it."""

    @property
    def id(self) -> int: ...

    def snapshot(self) -> dict[str, Any]: ...


R = TypeVar("R", bound=Snapshotted)


async def inserted(
    connection: AuditedConnection,
    model: Any,
    row_type: type[R],
    values: Mapping[str, Any],
    *,
    actor: str | None,
    action: str,
    entity_type: str,
) -> R:
    """Insert one row of `model` with `values` and audit it as it was stored; the stored row
    (defaults filled in) read back as `row_type`, a dataclass of the model's columns."""
    columns = columns_of(model.__table__, row_type)
    stored = row_type(
        *(await connection.execute(insert(model).values(**values).returning(*columns))).one()
    )
    await record(
        connection,
        actor=actor,
        action=action,
        entity_type=entity_type,
        entity_id=stored.id,
        after=stored.snapshot(),
    )
    return stored


async def updated_once(
    connection: AuditedConnection,
    model: Any,
    row: R,
    *conditions: ColumnElement[bool],
    values: Mapping[str, Any],
    actor: str | None,
    action: str,
    entity_type: str,
) -> R | None:
    """Write `values` to the row only while `conditions` still hold (a conditional UPDATE, so
    two clicks change it once) and audit the change with its before and after; the row as
    it now is, or None when nothing changed."""
    columns = columns_of(model.__table__, type(row))
    changed = (
        await connection.execute(
            update(model)
            .where(model.id == row.id, *conditions)
            .values(**values)
            .returning(*columns)
        )
    ).first()
    if changed is None:
        return None
    after = type(row)(*changed)
    await record(
        connection,
        actor=actor,
        action=action,
        entity_type=entity_type,
        entity_id=row.id,
        before=row.snapshot(),
        after=after.snapshot(),
    )
    return after


async def record_refusal(
    db: Database,
    *,
    actor: str | None,
    action: str,
    entity_type: str,
    entity_id: int | None,
    reason: str = "not_allowed",
) -> None:
    """One `<action>.refused` event in a transaction of its own (the refused read wrote nothing)."""
    async with audited(db) as connection:
        await record(
            connection,
            actor=actor,
            action=f"{action}.refused",
            entity_type=entity_type,
            entity_id=entity_id,
            after={"reason": reason},
        )


def _last_link(dialect: Dialect) -> Executable:
    return _LOCKED_LAST_LINK if dialect.name == "postgresql" else _LAST_LINK


async def _last_link_on(connection: HotConnection) -> Any:
    return (await connection.execute(_last_link(connection.dialect))).first()


def _chained(last: Any, pending: list[_Pending]) -> list[dict[str, Any]]:
    """The rows for `pending`, each linked to the one before, after `last` (sequence, hash)."""
    prev_hash, sequence = (last.hash, last.sequence) if last else (GENESIS_HASH, 0)
    key = _SEAL.key
    rows: list[dict[str, Any]] = []
    for item in pending:
        sequence += 1
        fields: dict[str, Any] = {
            "prev_hash": prev_hash,
            "sequence": sequence,
            "occurred_at": utcnow(),
            "actor": item.actor,
            "action": item.action,
            "entity_type": item.entity_type,
            "entity_id": item.entity_id,
            "before": item.before,
            "after": item.after,
        }
        payload = event_payload(**fields)
        prev_hash = payload_hash(payload)
        seal = payload_seal(payload, key) if key else None
        rows.append({**fields, "hash": prev_hash, "seal": seal})
    return rows


@dataclass(frozen=True)
class ChainReport:
    """Outcome of checking the audit trail."""

    events: int
    first_broken_sequence: int | None
    reason: str | None
    # Seals were checked (a key was given); events before `first_sealed` carry none
    # (all of them when it is None): they were written before the secret was set.
    seals_checked: bool = False
    first_sealed: int | None = None
    # The newest checkpoint the chain was held against (None: no checkpoint given)
    checkpoint: Checkpoint | None = None
    # Events whose people were removed at the end of the retention period: they still link,
    # but their content cannot be recomputed
    redacted: int = 0

    @property
    def intact(self) -> bool:
        return self.first_broken_sequence is None


async def head(connection: HotConnection, at: datetime) -> Checkpoint:
    """The chain's newest event as a checkpoint taken at `at` (sequence 0 when empty)."""
    newest = (await connection.execute(_HEAD.limit(1))).first()
    if newest is None:
        return Checkpoint(0, GENESIS_HASH, None, at)
    return Checkpoint(newest.sequence, newest.hash, newest.seal, at)


_CHAIN_COLUMNS = (
    AuditEvent.sequence,
    AuditEvent.prev_hash,
    AuditEvent.hash,
    AuditEvent.seal,
    AuditEvent.personal_data_removed_at,
    AuditEvent.occurred_at,
    AuditEvent.actor,
    AuditEvent.action,
    AuditEvent.entity_type,
    AuditEvent.entity_id,
    AuditEvent.before,
    AuditEvent.after,
)


async def _in_order(connection: HotConnection, batch_size: int) -> AsyncIterator[Any]:
    """Every event by sequence, read `batch_size` at a time."""
    after = None
    while True:
        query = select(*_CHAIN_COLUMNS).order_by(AuditEvent.sequence).limit(batch_size)
        if after is not None:
            query = query.where(AuditEvent.sequence > after)
        batch = (await connection.execute(query)).all()
        for row in batch:
            yield row
        if len(batch) < batch_size:
            return
        after = batch[-1].sequence


async def verify_chain(
    connection: HotConnection,
    *,
    key: bytes | None = None,
    checkpoints: Sequence[Checkpoint] = (),
    batch_size: int = 5000,
) -> ChainReport:
    """Recompute every hash in order (and every seal, given the key); hold the chain against
    checkpoints written outside the database. Report the first event that does not fit."""
    by_sequence: dict[int, list[Checkpoint]] = {}
    for checkpoint in checkpoints:
        by_sequence.setdefault(checkpoint.sequence, []).append(checkpoint)
    newest = max(checkpoints, key=lambda checkpoint: checkpoint.sequence, default=None)
    expected_prev = GENESIS_HASH
    expected_sequence = 1
    first_sealed: int | None = None
    count = 0
    redacted = 0
    last_redacted = 0
    redacted_through = 0

    def broken(sequence: int, reason: str) -> ChainReport:
        return ChainReport(count, sequence, reason, key is not None, first_sealed, newest, redacted)

    async for audit in _in_order(connection, batch_size):
        count += 1
        if audit.sequence != expected_sequence:
            return broken(audit.sequence, f"expected sequence {expected_sequence}")
        if audit.prev_hash != expected_prev:
            return broken(audit.sequence, "previous hash does not match")
        if audit.personal_data_removed_at is not None:
            redacted += 1
            last_redacted = audit.sequence
            expected_prev = audit.hash
            expected_sequence += 1
            continue
        if audit.action == REDACT_ACTION and audit.after:
            redacted_through = max(redacted_through, int(audit.after.get("through_sequence", 0)))
        payload = event_payload(
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
        if payload_hash(payload) != audit.hash:
            return broken(audit.sequence, "content changed after it was written")
        if key is not None:
            if audit.seal is not None:
                first_sealed = first_sealed or audit.sequence
                if audit.seal != payload_seal(payload, key):
                    return broken(audit.sequence, _FORGED)
            elif first_sealed is not None:
                return broken(audit.sequence, _SEAL_REMOVED)
        for checkpoint in by_sequence.get(audit.sequence, ()):
            if audit.hash != checkpoint.hash or checkpoint.seal not in (None, audit.seal):
                return broken(audit.sequence, f"differs from the checkpoint {_when(checkpoint)}")
        expected_prev = audit.hash
        expected_sequence += 1
    if last_redacted > redacted_through:
        return broken(last_redacted, _REDACTED_UNANNOUNCED)
    if newest is not None and newest.sequence >= expected_sequence:
        missing = (
            f"event {expected_sequence} is"
            if newest.sequence == expected_sequence
            else f"events {expected_sequence} to {newest.sequence} are"
        )
        return broken(
            expected_sequence,
            f"{missing} missing: the checkpoint {_when(newest)} saw event {newest.sequence} "
            "(the newest events were deleted)",
        )
    return ChainReport(count, None, None, key is not None, first_sealed, newest, redacted)


_FORGED = (
    "its seal does not fit: the event was changed and the hashes recomputed "
    "by someone without the secret"
)
_REDACTED_UNANNOUNCED = (
    "its content is marked as removed, but no retention event covers it: it was emptied "
    "by someone else"
)
_SEAL_REMOVED = "it has no seal, though earlier events have: seals were removed"


def _when(checkpoint: Checkpoint) -> str:
    local = checkpoint.at.astimezone(COPENHAGEN)
    return f"of {local:%Y-%m-%d %H:%M} (Copenhagen time)"
