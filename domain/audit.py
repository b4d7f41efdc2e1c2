"""The audit trail's hash chain: each event seals the one before it.

With a secret kept outside the database, each event also carries a seal (an HMAC over the
same input as its hash), and checkpoints of the chain's head are signed lines written
outside the database."""

from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Final

GENESIS_HASH: Final = "0" * 64
SYSTEM_ACTOR: Final = "system"
CHECKPOINT_MARK: Final = "audit-checkpoint"


def person_actor(person_id: int | None) -> str:
    """How the audit trail names a person (or the bot itself when nobody acted)."""
    return f"person:{person_id}" if person_id is not None else SYSTEM_ACTOR


def canonical_json(value: Any) -> str:
    """A stable JSON text: sorted keys, no spaces, UTF-8 kept."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def as_naive_utc(moment: datetime) -> datetime:
    """Databases differ in keeping time zones; the hash always sees naive UTC."""
    if moment.tzinfo is None:
        return moment
    return moment.astimezone(UTC).replace(tzinfo=None)


def seal_key(secret: str) -> bytes | None:
    """The key that seals events and signs checkpoints; None without a secret."""
    return secret.encode("utf-8") or None


def event_payload(
    *,
    prev_hash: str,
    sequence: int,
    occurred_at: datetime,
    actor: str | None,
    action: str,
    entity_type: str,
    entity_id: str | None,
    before: Any,
    after: Any,
) -> bytes:
    """What an event's hash and seal cover: the previous hash and every field of the event."""
    return canonical_json(
        {
            "prev": prev_hash,
            "seq": sequence,
            "at": as_naive_utc(occurred_at).isoformat(timespec="microseconds"),
            "actor": actor,
            "action": action,
            "entity_type": entity_type,
            "entity_id": entity_id,
            "before": before,
            "after": after,
        }
    ).encode("utf-8")


def payload_hash(payload: bytes) -> str:
    return hashlib.sha256(payload).hexdigest()


def payload_seal(payload: bytes, key: bytes) -> str:
    """HMAC-SHA-256 under the secret: only its holder can make one that fits."""
    return hmac.digest(key, payload, "sha256").hex()


def event_hash(**fields: Any) -> str:
    """SHA-256 over the previous hash and every field of the event (see `event_payload`)."""
    return payload_hash(event_payload(**fields))


@dataclass(frozen=True)
class Checkpoint:
    """The chain's head at a moment: its newest event's sequence, hash and seal."""

    sequence: int
    hash: str
    seal: str | None
    at: datetime


def _checkpoint_fields(checkpoint: Checkpoint) -> dict[str, Any]:
    return {
        "at": checkpoint.at.astimezone(UTC).isoformat(timespec="seconds"),
        "hash": checkpoint.hash,
        "seal": checkpoint.seal,
        "sequence": checkpoint.sequence,
    }


def checkpoint_line(checkpoint: Checkpoint, key: bytes | None) -> str:
    """One line, `audit-checkpoint {json}`, signed with the key (`mac` is null without one)."""
    fields = _checkpoint_fields(checkpoint)
    mac = payload_seal(canonical_json(fields).encode("utf-8"), key) if key else None
    return f"{CHECKPOINT_MARK} {canonical_json({**fields, 'mac': mac})}"


@dataclass(frozen=True)
class CheckpointFile:
    """The checkpoints found in a text (a checkpoint file, or a log that has the lines)."""

    checkpoints: list[Checkpoint]
    unsigned: int
    # line numbers of lines that are damaged, or signed with another key
    rejected: list[int]


def read_checkpoints(text: str, key: bytes | None) -> CheckpointFile:
    """Every checkpoint line in `text`; a signature is checked when there is a key."""
    found: list[Checkpoint] = []
    unsigned = 0
    rejected: list[int] = []
    for number, line in enumerate(text.splitlines(), start=1):
        _, mark, rest = line.partition(f"{CHECKPOINT_MARK} ")
        if not mark:
            continue
        checkpoint, mac = _parse_checkpoint(rest)
        if checkpoint is None:
            rejected.append(number)
            continue
        if mac is None:
            unsigned += 1
        elif key is not None:
            expected = payload_seal(canonical_json(_checkpoint_fields(checkpoint)).encode(), key)
            if mac != expected:
                rejected.append(number)
                continue
        found.append(checkpoint)
    return CheckpointFile(found, unsigned, rejected)


def _parse_checkpoint(text: str) -> tuple[Checkpoint | None, str | None]:
    try:
        fields = json.loads(text)
        checkpoint = Checkpoint(
            sequence=int(fields["sequence"]),
            hash=str(fields["hash"]),
            seal=None if fields["seal"] is None else str(fields["seal"]),
            at=datetime.fromisoformat(fields["at"]),
        )
        mac = fields["mac"]
    except (ValueError, TypeError, KeyError):
        return None, None
    if checkpoint.at.tzinfo is None or not (mac is None or isinstance(mac, str)):
        return None, None
    return checkpoint, mac
