"""Erasing a person on request (GDPR art. 17), in the caller's transaction: the person row
keeps only a pseudonym ("Slettet person 7"), so the records the law requires (accidents,
lone-work approvals, precursor registrations, action plans) keep their content without the
person; their name, e-mail, Entra id and Teams ids are replaced wherever they were written
(other people's forms and notes included), their chats, roles and conversation state go,
and audit events whose details named them are emptied the way retention empties them (the
hash chain still links). The free text of well-being notes otherwise stays until its own
retention period ends."""

from __future__ import annotations

import re
from collections import Counter
from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Column,
    Select,
    String,
    Table,
    Text,
    and_,
    cast,
    delete,
    func,
    null,
    or_,
    select,
    update,
)
from sqlalchemy.orm import QueryableAttribute

from domain.audit import person_actor
from domain.my_data import ERASE_ACTION, Erasure, pseudonym
from domain.people import person_key
from domain.retention import REMOVED_PERSON_AAD
from storage import audit, proofs
from storage.audit import REDACT_ACTION, AuditedConnection
from storage.lone_work_models import LoneWorkRequest
from storage.models import (
    AuditEvent,
    ConversationRef,
    DialogStateRow,
    Person,
    PersonLastUnit,
    PostedActivity,
    RoleAssignment,
)
from storage.near_miss_models import NearMissAction
from storage.rows import PERSON_COLUMNS, PersonRow
from storage.schema import metadata
from storage.wellbeing_models import WellbeingActionItem
from storage.work_accident_models import WorkAccident

# Columns that hold no text anyone typed or that must not change (hashes, keys handled apart).
_SKIPPED = {
    ("audit_event", "prev_hash"),
    ("audit_event", "hash"),
    ("audit_event", "seal"),
    ("dialog_state", "key"),
    ("dialog_state", "etag"),
}
_OPEN = ("open", "in_progress")


def _text_columns(table: Table) -> list[Column[Any]]:
    return [
        column
        for column in table.columns
        if isinstance(column.type, String | Text | JSON)
        and (table.name, column.name) not in _SKIPPED
    ]


def _replace(value: Any, pattern: re.Pattern[str], stand_in: str) -> Any:
    """`value` with every match of `pattern` replaced, inside JSON structures too."""
    if isinstance(value, str):
        return pattern.sub(stand_in, value)
    if isinstance(value, list):
        return [_replace(item, pattern, stand_in) for item in value]
    if isinstance(value, dict):
        return {key: _replace(item, pattern, stand_in) for key, item in value.items()}
    return value


def _pattern(needles: list[str]) -> re.Pattern[str]:
    """Any needle, case-insensitively; a name only as whole words."""
    parts = [
        rf"(?<!\w){re.escape(needle)}(?!\w)" if needle[:1].isalnum() else re.escape(needle)
        for needle in sorted(needles, key=len, reverse=True)
    ]
    return re.compile("|".join(parts), re.IGNORECASE)


def _matches(column: Column[Any] | QueryableAttribute[Any], needles: list[str]) -> Any:
    text = func.lower(cast(column, Text)) if isinstance(column.type, JSON) else func.lower(column)
    return or_(*(text.contains(needle.lower(), autoescape=True) for needle in needles))


async def _count(connection: AuditedConnection, statement: Select[Any]) -> int:
    return int((await connection.execute(statement)).scalar() or 0)


async def _person_records(connection: AuditedConnection, person_id: int) -> dict[str, int]:
    """Rows per table that point at the person (other than their own chats and roles)."""
    counts: Counter[str] = Counter()
    for table in metadata.sorted_tables:
        if table.name in ("person", "role_assignment", "conversation_ref", "person_last_unit"):
            continue
        for column in table.columns:
            if not any(fk.column.table.name == "person" for fk in column.foreign_keys):
                continue
            counts[table.name] += await _count(
                connection, select(func.count()).select_from(table).where(column == person_id)
            )
    return {name: count for name, count in sorted(counts.items()) if count}


async def _replace_texts(
    connection: AuditedConnection, needles: list[str], stand_in: str, *, dry_run: bool
) -> dict[str, int]:
    """Every text column of every table (the audit trail and person rows apart): the needles
    replaced by `stand_in`. Returns the rows changed per table."""
    pattern = _pattern(needles)
    changed: Counter[str] = Counter()
    for table in metadata.sorted_tables:
        if table.name in ("audit_event", "person"):
            continue
        keys = list(table.primary_key.columns)
        for column in _text_columns(table):
            rows = (
                await connection.execute(select(*keys, column).where(_matches(column, needles)))
            ).all()
            for row in rows:
                value = row[-1]
                new = _replace(value, pattern, stand_in)
                if new == value:
                    continue
                changed[table.name] += 1
                if dry_run:
                    continue
                where = and_(*(key == row[index] for index, key in enumerate(keys)))
                await connection.execute(update(table).where(where).values({column.name: new}))
    return {name: count for name, count in sorted(changed.items())}


async def _redact_audit(
    connection: AuditedConnection,
    person_id: int,
    needles: list[str],
    now: datetime,
    *,
    dry_run: bool,
) -> int:
    """Audit events whose details, record id or actor name the person: emptied as retention
    empties them (the hashes stay, so the chain links), announced by one `audit.redact`."""
    rows = (
        await connection.execute(
            select(AuditEvent.id, AuditEvent.sequence).where(
                AuditEvent.personal_data_removed_at.is_(None),
                or_(
                    _matches(AuditEvent.before, needles),
                    _matches(AuditEvent.after, needles),
                    _matches(AuditEvent.entity_id, needles),
                    _matches(AuditEvent.actor, needles),
                ),
            )
        )
    ).all()
    if not rows or dry_run:
        return len(rows)
    ids = [row.id for row in rows]
    await connection.execute(
        update(AuditEvent)
        .where(AuditEvent.id.in_(ids))
        .values(before=null(), after=null(), personal_data_removed_at=now)
    )
    for column, stand_in in (
        (AuditEvent.entity_id, str(person_id)),
        (AuditEvent.actor, person_actor(person_id)),
    ):
        await connection.execute(
            update(AuditEvent)
            .where(AuditEvent.id.in_(ids), _matches(column, needles))
            .values({column.key: stand_in})
        )
    await audit.record(
        connection,
        actor=audit.SYSTEM_ACTOR,
        action=REDACT_ACTION,
        entity_type="audit_event",
        after={
            "events": len(rows),
            "through_sequence": max(row.sequence for row in rows),
            "reason": "erasure",
        },
    )
    return len(rows)


async def _find(connection: AuditedConnection, who: str) -> PersonRow | None:
    """The person with this e-mail (any case) or Entra object id (the people picker's
    value); never the stand-in for people removed at retention."""
    try:
        key = person_key(who)
    except ValueError:
        return None
    wanted = (
        Person.aad_object_id == key.aad_object_id
        if key.aad_object_id
        else func.lower(Person.upn) == (key.upn or "").lower()
    )
    row = (
        await connection.execute(
            select(*PERSON_COLUMNS).where(
                wanted, Person.aad_object_id.is_distinct_from(REMOVED_PERSON_AAD)
            )
        )
    ).first()
    return None if row is None else PersonRow(*row)


async def erase_person(
    connection: AuditedConnection, *, who: str, dry_run: bool, actor: str, now: datetime
) -> Erasure | None:
    """Erase the person with this e-mail or Entra object id (see the module); a dry run
    counts and writes nothing. None if the bot knows no one by it."""
    person = await _find(connection, who)
    if person is None:
        return None
    person_id = person.id
    described = (
        " ".join(
            part
            for part in (
                person.name,
                f"({person.upn})" if person.name and person.upn else person.upn,
            )
            if part
        )
        or f"#{person_id}"
    )
    stand_in = pseudonym(person_id)
    chats = (
        await connection.execute(
            select(
                ConversationRef.id, ConversationRef.conversation_id, ConversationRef.user_id
            ).where(ConversationRef.person_id == person_id)
        )
    ).all()
    needles = [
        value
        for value in (
            person.name,
            person.upn,
            person.aad_object_id,
            person.teams_user_id,
            *(chat.conversation_id for chat in chats),
            *(chat.user_id for chat in chats),
        )
        if value and len(value.strip()) >= 3
    ]
    needles = list(dict.fromkeys(value.strip() for value in needles))
    roles = await _count(
        connection,
        select(func.count())
        .select_from(RoleAssignment)
        .where(RoleAssignment.person_id == person_id),
    )
    records = await _person_records(connection, person_id)
    files = await proofs.count_of_person(connection, person_id)
    open_items = (
        await _count(
            connection,
            select(func.count())
            .select_from(WellbeingActionItem)
            .where(
                WellbeingActionItem.owner_id == person_id, WellbeingActionItem.status.in_(_OPEN)
            ),
        )
        + await _count(
            connection,
            select(func.count())
            .select_from(NearMissAction)
            .where(NearMissAction.owner_id == person_id, NearMissAction.status == "open"),
        )
        + await _count(
            connection,
            select(func.count())
            .select_from(LoneWorkRequest)
            .where(LoneWorkRequest.approver_id == person_id, LoneWorkRequest.status == "pending"),
        )
    )
    if not dry_run:
        await proofs.delete_of_person(connection, person_id)
        chat_ids = [chat.id for chat in chats]
        if chat_ids:
            await connection.execute(
                delete(PostedActivity).where(PostedActivity.conversation_ref_id.in_(chat_ids))
            )
            await connection.execute(
                delete(ConversationRef).where(ConversationRef.id.in_(chat_ids))
            )
        for chat in chats:
            await connection.execute(
                delete(DialogStateRow).where(
                    DialogStateRow.key.contains(chat.conversation_id, autoescape=True)
                )
            )
        await connection.execute(
            delete(RoleAssignment).where(RoleAssignment.person_id == person_id)
        )
        await connection.execute(
            delete(PersonLastUnit).where(PersonLastUnit.person_id == person_id)
        )
        if person.upn:
            await connection.execute(
                update(WorkAccident)
                .where(func.lower(WorkAccident.injured_upn) == person.upn.lower())
                .values(injured_upn=None, injured_id=person_id)
            )
        await connection.execute(
            update(Person)
            .where(Person.id == person_id)
            .values(
                name=stand_in,
                upn=None,
                aad_object_id=None,
                teams_user_id=None,
                locale=None,
                language_override=None,
                updated_at=now,
            )
        )
    texts = await _replace_texts(connection, needles, stand_in, dry_run=dry_run)
    audit_events = await _redact_audit(connection, person_id, needles, now, dry_run=dry_run)
    result = Erasure(
        person_id=person_id,
        pseudonym=stand_in,
        roles=roles,
        chats=len(chats),
        records=records,
        texts=texts,
        audit_events=audit_events,
        open_items=open_items,
        person=described,
        files=files,
    )
    if not dry_run:
        await audit.record(
            connection,
            actor=actor,
            action=ERASE_ACTION,
            entity_type="person",
            entity_id=person_id,
            after={
                "roles": roles,
                "chats": len(chats),
                "records": records,
                "texts": texts,
                "audit_events": audit_events,
                "proof_files": files,
            },
        )
    return result
