"""The audit trail's hash chain: each event seals the one before it."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from typing import Any, Final

GENESIS_HASH: Final = "0" * 64
SYSTEM_ACTOR: Final = "system"


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


def event_hash(
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
) -> str:
    """SHA-256 over the previous hash and every field of the event."""
    payload = canonical_json(
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
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()
