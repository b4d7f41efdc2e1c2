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
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import QueryableAttribute

from domain.audit import person_actor
from domain.my_data import ERASE_ACTION, Erasure, pseudonym
from domain.people import person_key
from domain.retention import REMOVED_PERSON_AAD
from storage import audit, proofs
from storage.audit import REDACT_ACTION
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


async def _person_records(session: AsyncSession, person_id: int) -> dict[str, int]:
    """Rows per table that point at the person (other than their own chats and roles)."""
    counts: Counter[str] = Counter()
    for table in metadata.sorted_tables:
        if table.name in ("person", "role_assignment", "conversation_ref", "person_last_unit"):
            continue
        for column in table.columns:
            if not any(fk.column.table.name == "person" for fk in column.foreign_keys):
                continue
            found = await session.scalar(
                select(func.count()).select_from(table).where(column == person_id)
            )
            counts[table.name] += int(found or 0)
    return {name: count for name, count in sorted(counts.items()) if count}


async def _replace_texts(
    session: AsyncSession, needles: list[str], stand_in: str, *, dry_run: bool
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
                await session.execute(select(*keys, column).where(_matches(column, needles)))
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
                await session.execute(update(table).where(where).values({column.name: new}))
    return {name: count for name, count in sorted(changed.items())}


async def _redact_audit(
    session: AsyncSession, person_id: int, needles: list[str], now: datetime, *, dry_run: bool
) -> int:
    """Audit events whose details, record id or actor name the person: emptied as retention
    empties them (the hashes stay, so the chain links), announced by one `audit.redact`."""
    rows = (
        await session.execute(
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
    await session.execute(
        update(AuditEvent)
        .where(AuditEvent.id.in_(ids))
        .values(before=null(), after=null(), personal_data_removed_at=now)
        .execution_options(synchronize_session=False)
    )
    for column, stand_in in (
        (AuditEvent.entity_id, str(person_id)),
        (AuditEvent.actor, person_actor(person_id)),
    ):
        await session.execute(
            update(AuditEvent)
            .where(AuditEvent.id.in_(ids), _matches(column, needles))
            .values({column.key: stand_in})
            .execution_options(synchronize_session=False)
        )
    await audit.record(
        session,
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


async def _find(session: AsyncSession, who: str) -> Person | None:
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
    return await session.scalar(
        select(Person).where(wanted, Person.aad_object_id.is_distinct_from(REMOVED_PERSON_AAD))
    )


async def erase_person(
    session: AsyncSession, *, who: str, dry_run: bool, actor: str, now: datetime
) -> Erasure | None:
    """Erase the person with this e-mail or Entra object id (see the module); a dry run
    counts and writes nothing. None if the bot knows no one by it."""
    person = await _find(session, who)
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
        await session.execute(
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
    roles = int(
        await session.scalar(
            select(func.count())
            .select_from(RoleAssignment)
            .where(RoleAssignment.person_id == person_id)
        )
        or 0
    )
    records = await _person_records(session, person_id)
    files = await proofs.count_of_person(session, person_id)
    open_items = (
        int(
            await session.scalar(
                select(func.count())
                .select_from(WellbeingActionItem)
                .where(
                    WellbeingActionItem.owner_id == person_id, WellbeingActionItem.status.in_(_OPEN)
                )
            )
            or 0
        )
        + int(
            await session.scalar(
                select(func.count())
                .select_from(NearMissAction)
                .where(NearMissAction.owner_id == person_id, NearMissAction.status == "open")
            )
            or 0
        )
        + int(
            await session.scalar(
                select(func.count())
                .select_from(LoneWorkRequest)
                .where(
                    LoneWorkRequest.approver_id == person_id, LoneWorkRequest.status == "pending"
                )
            )
            or 0
        )
    )
    if not dry_run:
        await proofs.delete_of_person(session, person_id)
        chat_ids = [chat.id for chat in chats]
        if chat_ids:
            await session.execute(
                delete(PostedActivity).where(PostedActivity.conversation_ref_id.in_(chat_ids))
            )
            await session.execute(delete(ConversationRef).where(ConversationRef.id.in_(chat_ids)))
        for chat in chats:
            await session.execute(
                delete(DialogStateRow).where(
                    DialogStateRow.key.contains(chat.conversation_id, autoescape=True)
                )
            )
        await session.execute(delete(RoleAssignment).where(RoleAssignment.person_id == person_id))
        await session.execute(delete(PersonLastUnit).where(PersonLastUnit.person_id == person_id))
        if person.upn:
            await session.execute(
                update(WorkAccident)
                .where(func.lower(WorkAccident.injured_upn) == person.upn.lower())
                .values(injured_upn=None, injured_id=person_id)
            )
        await session.execute(
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
            .execution_options(synchronize_session=False)
        )
    texts = await _replace_texts(session, needles, stand_in, dry_run=dry_run)
    audit_events = await _redact_audit(session, person_id, needles, now, dry_run=dry_run)
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
            session,
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
