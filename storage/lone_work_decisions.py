"""Lone-work decisions and closes (decide, withdraw, revoke, expire) on the caller's audited
connection."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from sqlalchemy import and_, bindparam, select, update

from domain.audit import person_actor
from domain.lone_work import Decision, Status
from domain.org import Role
from storage import audit
from storage.db import HotConnection
from storage.lone_work import ENTITY, REQUEST_COLUMNS, REQUESTS, ROLES, Loaded, RequestRow, load

# Built once (binding parameters): building a statement costs as much as running it.
_STILL = and_(REQUESTS.c.id == bindparam("request_id"), REQUESTS.c.status == bindparam("from"))
_DECIDE = (
    update(REQUESTS)
    .where(_STILL)
    .values(
        status=bindparam("status"),
        conditions=bindparam("conditions"),
        decision_note=bindparam("decision_note"),
        decided_by_id=bindparam("decided_by_id"),
        decided_at=bindparam("decided_at"),
        updated_at=bindparam("updated_at"),
    )
)
_CLOSE = (
    update(REQUESTS)
    .where(_STILL)
    .values(
        status=bindparam("status"),
        closed_by_id=bindparam("closed_by_id"),
        closed_at=bindparam("closed_at"),
        close_reason=bindparam("close_reason"),
        updated_at=bindparam("updated_at"),
    )
)


_IS_LEADER = select(ROLES.c.id).where(
    ROLES.c.unit_id == bindparam("unit_id"),
    ROLES.c.person_id == bindparam("person_id"),
    ROLES.c.role == Role.LEADER.value,
)


@dataclass(frozen=True)
class Outcome:
    """What an action did: `changed`, or why not (`refused`) — the request as it now stands,
    with its unit's name and the people it names (`Loaded`)."""

    loaded: Loaded | None
    changed: bool
    refused: str | None = None

    @property
    def request(self) -> RequestRow | None:
        return None if self.loaded is None else self.loaded.request


async def _refuse(
    connection: audit.AuditedConnection,
    loaded: Loaded | None,
    actor_id: int,
    what: str,
    reason: str,
) -> Outcome:
    await audit.record(
        connection,
        actor=person_actor(actor_id),
        action=f"lone_work.{what}.refused",
        entity_type=ENTITY,
        entity_id=None if loaded is None else loaded.request.id,
        after={"reason": reason},
    )
    return Outcome(loaded, False, reason)


async def _change(
    connection: HotConnection,
    loaded: Loaded,
    statement: Any,
    from_status: Status,
    actor_id: int | None,
    values: dict[str, Any],
) -> tuple[bool, Loaded]:
    """Set `values` only if the request is still in `from_status` (False: it no longer was),
    and the request as it now stands (read again only when it was not changed)."""
    request = loaded.request
    result = await connection.execute(
        statement, {"request_id": request.id, "from": from_status.value, **values}
    )
    if not result.rowcount:
        # Requests are never deleted: the row is still there.
        again = await load(connection, request.id, actor_id)
        return False, loaded if again is None else again
    return True, Loaded(replace(request, **values), loaded.unit_name, loaded.people)


async def decide(
    connection: audit.AuditedConnection,
    request_id: int,
    *,
    actor_id: int,
    decision: Decision,
    note: str | None,
    now: datetime,
) -> Outcome:
    """The approver's decision; a second click or another person changes nothing."""
    loaded = await load(connection, request_id, actor_id)
    if loaded is None:
        return await _refuse(connection, None, actor_id, "decide", "not_found")
    request = loaded.request
    if request.approver_id != actor_id:
        return await _refuse(connection, loaded, actor_id, "decide", "not_approver")
    if decision is not Decision.APPROVE and not (note and note.strip()):
        return Outcome(loaded, False, "note_required")
    status = Status.REJECTED if decision is Decision.REJECT else Status.APPROVED
    values = {
        "status": status.value,
        "conditions": (
            note.strip() if decision is Decision.APPROVE_WITH_CONDITIONS and note else None
        ),
        "decision_note": note.strip() if decision is Decision.REJECT and note else None,
        "decided_by_id": actor_id,
        "decided_at": now,
        "updated_at": now,
    }
    changed, after = await _change(connection, loaded, _DECIDE, Status.PENDING, actor_id, values)
    if not changed:
        return await _refuse(connection, after, actor_id, "decide", "already")
    await audit.record(
        connection,
        actor=person_actor(actor_id),
        action=f"lone_work.{decision.value}",
        entity_type=ENTITY,
        entity_id=request.id,
        before=request.snapshot(),
        after=after.request.snapshot(),
    )
    return Outcome(after, True)


async def _close(
    connection: audit.AuditedConnection,
    loaded: Loaded,
    *,
    actor_id: int | None,
    from_status: Status,
    to_status: Status,
    reason: str | None,
    now: datetime,
) -> tuple[bool, Loaded]:
    values = {
        "status": to_status.value,
        "closed_by_id": actor_id,
        "closed_at": now,
        "close_reason": reason,
        "updated_at": now,
    }
    changed, after = await _change(connection, loaded, _CLOSE, from_status, actor_id, values)
    if not changed:
        return False, after
    await audit.record(
        connection,
        actor=person_actor(actor_id),
        action=f"lone_work.{to_status.value}",
        entity_type=ENTITY,
        entity_id=loaded.request.id,
        before=loaded.request.snapshot(),
        after=after.request.snapshot(),
    )
    return True, after


async def withdraw(
    connection: audit.AuditedConnection, request_id: int, *, actor_id: int, now: datetime
) -> Outcome:
    """The requester takes back a request that is still pending."""
    loaded = await load(connection, request_id, actor_id)
    if loaded is None:
        return await _refuse(connection, None, actor_id, "withdraw", "not_found")
    if loaded.request.requester_id != actor_id:
        return await _refuse(connection, loaded, actor_id, "withdraw", "not_requester")
    closed, after = await _close(
        connection,
        loaded,
        actor_id=actor_id,
        from_status=Status.PENDING,
        to_status=Status.WITHDRAWN,
        reason=None,
        now=now,
    )
    if not closed:
        return await _refuse(connection, after, actor_id, "withdraw", "closed")
    return Outcome(after, True)


async def may_revoke(connection: HotConnection, request: RequestRow, person_id: int) -> bool:
    """The approver, or any leader of the request's unit."""
    if request.approver_id == person_id:
        return True
    found = await connection.execute(
        _IS_LEADER, {"unit_id": request.unit_id, "person_id": person_id}
    )
    return found.first() is not None


async def revoke(
    connection: audit.AuditedConnection,
    request_id: int,
    *,
    actor_id: int,
    reason: str | None,
    now: datetime,
) -> Outcome:
    """Take back an approval (a reason is required)."""
    loaded = await load(connection, request_id, actor_id)
    if loaded is None:
        return await _refuse(connection, None, actor_id, "revoke", "not_found")
    if not await may_revoke(connection, loaded.request, actor_id):
        return await _refuse(connection, loaded, actor_id, "revoke", "not_approver")
    if not (reason and reason.strip()):
        return Outcome(loaded, False, "note_required")
    closed, after = await _close(
        connection,
        loaded,
        actor_id=actor_id,
        from_status=Status.APPROVED,
        to_status=Status.REVOKED,
        reason=reason.strip(),
        now=now,
    )
    if not closed:
        return await _refuse(connection, after, actor_id, "revoke", "closed")
    return Outcome(after, True)


_DUE = (
    select(*REQUEST_COLUMNS)
    .where(
        REQUESTS.c.status.in_([Status.PENDING.value, Status.APPROVED.value]),
        REQUESTS.c.expires_at <= bindparam("now"),
    )
    .order_by(REQUESTS.c.id)
    .limit(500)
)


async def expire_due(connection: audit.AuditedConnection, now: datetime) -> list[RequestRow]:
    """Approved or pending requests whose period has ended become expired."""
    due = [RequestRow(*row) for row in await connection.execute(_DUE, {"now": now})]
    expired: list[RequestRow] = []
    for request in due:
        closed, after = await _close(
            connection,
            Loaded(request, None, {}),
            actor_id=None,
            from_status=Status(request.status),
            to_status=Status.EXPIRED,
            reason=None,
            now=now,
        )
        if closed:
            expired.append(after.request)
    return expired
