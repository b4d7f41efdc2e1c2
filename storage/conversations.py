"""Where the bot can speak (chats, teams, channels) and the messages it has posted."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Any, Literal

from sqlalchemy import (
    Executable,
    Insert,
    Row,
    Select,
    Update,
    bindparam,
    func,
    insert,
    literal,
    or_,
    select,
    true,
    update,
)
from sqlalchemy.dialects.postgresql import insert as postgresql_insert

from domain.addresses import Address
from storage import audit
from storage.db import Database, HotConnection, dialect_insert, for_dialect
from storage.models import ConversationRef, PostedActivity, Team, utcnow
from storage.org import Readable, Writable
from storage.rows import columns_of


@dataclass(frozen=True, slots=True)
class ConversationRow:
    """A stored conversation reference (`conversation_ref`)."""

    id: int
    conversation_id: str
    kind: str
    service_url: str
    tenant_id: str | None
    bot_id: str
    bot_name: str | None
    user_id: str | None
    person_id: int | None
    team_id: int | None
    channel_id: str | None
    channel_name: str | None
    active: bool
    welcomed: bool


@dataclass(frozen=True, slots=True)
class TeamRow:
    """A team the bot is (or was) installed in."""

    id: int
    team_id: str
    name: str | None
    active: bool
    removed_at: datetime | None


_REF_COLUMNS = columns_of(ConversationRef.__table__, ConversationRow)
_TEAM_COLUMNS = columns_of(Team.__table__, TeamRow)


async def remember(
    on: Readable,
    address: Address,
    *,
    person_id: int | None = None,
    team: TeamRow | None = None,
    active: bool = True,
) -> ConversationRow | None:
    """Create or refresh the reference to a conversation (and mark it active, or as `active`
    says), for a turn of `person_id`; None, and nothing changed, if it is another person's
    1:1 chat."""
    connection = on
    ref = await by_conversation_id(connection, address.conversation_id)
    if ref is not None and ref.kind == "personal" and ref.person_id not in (None, person_id):
        return None
    values: dict[str, Any] = {
        "kind": address.kind,
        "service_url": address.service_url,
        "tenant_id": address.tenant_id,
        "bot_id": address.bot_id,
        "bot_name": address.bot_name,
        "user_id": address.user_id or (ref.user_id if ref else None),
        "channel_id": address.channel_id or (ref.channel_id if ref else None),
        "channel_name": address.channel_name or (ref.channel_name if ref else None),
        "active": active,
    }
    if person_id is not None:
        values["person_id"] = person_id
    if team is not None:
        values["team_id"] = team.id
    statement: Insert | Update
    if ref is None:
        statement = insert(ConversationRef).values(
            conversation_id=address.conversation_id, **values
        )
    else:
        statement = update(ConversationRef).where(ConversationRef.id == ref.id).values(**values)
    return ConversationRow(*(await connection.execute(statement.returning(*_REF_COLUMNS))).one())


async def by_conversation_id(on: Readable, conversation_id: str) -> ConversationRow | None:
    connection = on
    row = (
        await connection.execute(
            select(*_REF_COLUMNS).where(ConversationRef.conversation_id == conversation_id)
        )
    ).first()
    return None if row is None else ConversationRow(*row)


async def personal_chat_of(on: Readable, person_id: int) -> ConversationRow | None:
    connection = on
    row = (
        await connection.execute(
            select(*_REF_COLUMNS)
            .where(
                ConversationRef.person_id == person_id,
                ConversationRef.kind == "personal",
                ConversationRef.active.is_(True),
            )
            .order_by(ConversationRef.updated_at.desc())
        )
    ).first()
    return None if row is None else ConversationRow(*row)


async def newest_personal_address(on: Readable, tenant_id: str | None) -> Address | None:
    """Where the bot's newest active 1:1 chat in `tenant_id` is served from (service URL,
    bot id), as the model for a chat learnt of outside a turn; None before the first one."""
    query = select(*_REF_COLUMNS).where(
        ConversationRef.kind == "personal", ConversationRef.active.is_(True)
    )
    if tenant_id:
        query = query.where(ConversationRef.tenant_id == tenant_id)
    connection = on
    row = (await connection.execute(query.order_by(ConversationRef.updated_at.desc()))).first()
    if row is None:
        return None
    ref = ConversationRow(*row)
    return Address(
        conversation_id=ref.conversation_id,
        kind="personal",
        service_url=ref.service_url,
        tenant_id=ref.tenant_id,
        bot_id=ref.bot_id,
        bot_name=ref.bot_name,
    )


async def _team(connection: HotConnection, team_id: str) -> TeamRow | None:
    row = (await connection.execute(select(*_TEAM_COLUMNS).where(Team.team_id == team_id))).first()
    return None if row is None else TeamRow(*row)


async def install_team(
    on: Writable,
    *,
    team_id: str,
    name: str | None,
    aad_group_id: str | None,
    tenant_id: str | None,
    service_url: str,
    actor: str | None,
) -> TeamRow:
    connection = on
    team = await _team(connection, team_id)
    values: dict[str, Any] = {
        "tenant_id": tenant_id,
        "service_url": service_url,
        "active": True,
        "removed_at": None,
    }
    if name:
        values["name"] = name
    if aad_group_id:
        values["aad_group_id"] = aad_group_id
    statement: Insert | Update
    if team is None:
        statement = insert(Team).values(team_id=team_id, **values)
    else:
        statement = update(Team).where(Team.id == team.id).values(**values)
    stored = TeamRow(*(await connection.execute(statement.returning(*_TEAM_COLUMNS))).one())
    if team is None or not team.active:
        await audit.record(
            on,
            actor=actor,
            action="team.install",
            entity_type="team",
            entity_id=stored.id,
            after={"name": stored.name},
        )
    return stored


async def remove_team(on: Writable, *, team_id: str, actor: str | None) -> bool:
    """Mark the team and all its channels inactive; False if the team was unknown."""
    connection = on
    team = await _team(connection, team_id)
    if team is None:
        return False
    await connection.execute(
        update(Team).where(Team.id == team.id).values(active=False, removed_at=utcnow())
    )
    await connection.execute(
        update(ConversationRef).where(ConversationRef.team_id == team.id).values(active=False)
    )
    await audit.record(on, actor=actor, action="team.remove", entity_type="team", entity_id=team.id)
    return True


async def uninstall_chat(on: Readable, conversation_id: str, *, person_id: int | None) -> None:
    """The bot was removed from a chat (by `person_id`): inactive, and welcomed again if it
    comes back. Another person's 1:1 chat is left alone."""
    owner = ConversationRef.person_id
    mine = owner.is_(None) if person_id is None else or_(owner.is_(None), owner == person_id)
    connection = on
    await connection.execute(
        update(ConversationRef)
        .where(
            ConversationRef.conversation_id == conversation_id,
            or_(ConversationRef.kind != "personal", mine),
        )
        .values(active=False, welcomed=False)
    )


async def deactivate_conversation(on: Readable, conversation_id: str) -> None:
    connection = on
    await connection.execute(
        update(ConversationRef)
        .where(ConversationRef.conversation_id == conversation_id)
        .values(active=False)
    )


async def team_channels(on: Readable, team_id: str) -> list[ConversationRow]:
    connection = on
    rows = await connection.execute(
        select(*_REF_COLUMNS)
        .join(Team, ConversationRef.team_id == Team.id)
        .where(Team.team_id == team_id, ConversationRef.kind == "channel")
        .order_by(ConversationRef.id)
    )
    return [ConversationRow(*row) for row in rows]


@dataclass(frozen=True)
class Destination:
    """Where a proactive message goes: a stored conversation, as a send needs it."""

    id: int
    conversation_id: str
    service_url: str
    tenant_id: str | None
    bot_id: str
    bot_name: str | None
    channel_id: str | None
    active: bool


@dataclass(frozen=True)
class Claim:
    """A message's `posted_activity` row: new ("sending", `fresh`), or sent or being sent
    before. A row "sending" that is not fresh is a send started earlier whose answer was
    never recorded (its process died, or the send was cut): Teams may have the message."""

    id: int
    status: str
    activity_id: str | None
    thread_conversation_id: str | None
    fresh: bool


# Built once (binding parameters): these run for every proactive message.
_DESTINATION = select(
    ConversationRef.id,
    ConversationRef.conversation_id,
    ConversationRef.service_url,
    ConversationRef.tenant_id,
    ConversationRef.bot_id,
    ConversationRef.bot_name,
    ConversationRef.channel_id,
    ConversationRef.active,
)
_PERSONAL_DESTINATION = (
    _DESTINATION.where(
        ConversationRef.person_id == bindparam("person_id"),
        ConversationRef.kind == "personal",
        ConversationRef.active.is_(True),
    )
    .order_by(ConversationRef.updated_at.desc())
    .limit(1)
)
_DESTINATION_BY_ID = _DESTINATION.where(ConversationRef.id == bindparam("ref_id"))
_DestinationQuery = Select[int, str, str, str | None, str, str | None, str | None, bool]
_CLAIM_COLUMNS = (
    PostedActivity.id,
    PostedActivity.status,
    PostedActivity.activity_id,
    PostedActivity.thread_conversation_id,
)
_CLAIMED = select(*_CLAIM_COLUMNS).where(PostedActivity.dedupe_key == bindparam("claim_key"))
_MARK_SENT = (
    update(PostedActivity)
    .where(PostedActivity.id == bindparam("post_id"))
    .values(
        status="sent",
        activity_id=bindparam("sent_activity_id"),
        thread_conversation_id=bindparam("sent_thread_id"),
        attempts=PostedActivity.attempts + 1,
        last_error=None,
    )
)


def _destination(
    row: Row[int, str, str, str | None, str, str | None, str | None, bool] | None,
) -> Destination | None:
    if row is None:
        return None
    ref_id, conversation_id, service_url, tenant_id, bot_id, bot_name, channel_id, active = row
    return Destination(
        ref_id, conversation_id, service_url, tenant_id, bot_id, bot_name, channel_id, bool(active)
    )


async def personal_destination(connection: HotConnection, person_id: int) -> Destination | None:
    """The person's newest active 1:1 chat with the bot."""
    row = (await connection.execute(_PERSONAL_DESTINATION, {"person_id": person_id})).first()
    return _destination(row)


def _claim_statement(connection: HotConnection) -> Executable:
    return (
        dialect_insert(connection, PostedActivity)
        .on_conflict_do_nothing(index_elements=[PostedActivity.dedupe_key])
        .values(
            dedupe_key=bindparam("claim_key"),
            conversation_ref_id=bindparam("claim_ref_id"),
            entity_type=bindparam("claim_entity_type"),
            entity_id=bindparam("claim_entity_id"),
        )
        .returning(*_CLAIM_COLUMNS)
    )


async def claim(
    connection: HotConnection,
    *,
    dedupe_key: str,
    conversation_ref_id: int,
    entity_type: str | None = None,
    entity_id: str | None = None,
) -> Claim:
    """The row for one message to send; an existing row means it was sent or is being sent.

    `INSERT … ON CONFLICT DO NOTHING`: a row another writer holds or has committed is never
    an error that would undo the caller's transaction; it is read instead.
    """
    values = {
        "claim_key": dedupe_key,
        "claim_ref_id": conversation_ref_id,
        "claim_entity_type": entity_type,
        "claim_entity_id": entity_id,
    }
    statement = for_dialect(connection, "claim", _claim_statement)
    row = (await connection.execute(statement, values)).first()
    fresh = row is not None
    if row is None:
        row = (await connection.execute(_CLAIMED, values)).one()
    post_id, status, activity_id, thread_conversation_id = row
    return Claim(post_id, status, activity_id, thread_conversation_id, fresh)


# Where a claimed message goes: a person's newest active 1:1 chat, or a stored conversation.
_DESTINATIONS: dict[str, tuple[_DestinationQuery, str]] = {
    "person": (_PERSONAL_DESTINATION, "person_id"),
    "conversation": (_DESTINATION_BY_ID, "ref_id"),
}


@cache
def _claim_at_statement(to: str) -> Executable:
    """PostgreSQL: the destination and the claim in one statement (the claim reads the
    destination's row from a CTE). Built once per kind of destination."""
    found = _DESTINATIONS[to][0].cte("destination")
    claimed = (
        postgresql_insert(PostedActivity)
        .from_select(
            [
                "dedupe_key",
                "conversation_ref_id",
                "entity_type",
                "entity_id",
                "status",
                "attempts",
                "created_at",
                "updated_at",
            ],
            select(
                bindparam("claim_key", type_=PostedActivity.dedupe_key.type),
                found.c.id,
                bindparam("claim_entity_type", type_=PostedActivity.entity_type.type),
                bindparam("claim_entity_id", type_=PostedActivity.entity_id.type),
                literal("sending", PostedActivity.status.type),
                literal(0, PostedActivity.attempts.type),
                bindparam("claim_now", type_=PostedActivity.created_at.type),
                bindparam("claim_now", type_=PostedActivity.updated_at.type),
            ).where(found.c.active.is_(True)),
            include_defaults=False,
        )
        .on_conflict_do_nothing(index_elements=[PostedActivity.dedupe_key])
        .returning(*_CLAIM_COLUMNS)
        .cte("claimed")
    )
    return select(*found.c, *claimed.c).select_from(found.outerjoin(claimed, true()))


async def claim_to(
    connection: HotConnection,
    to: Literal["person", "conversation"],
    target_id: int,
    *,
    dedupe_key: str,
    entity_type: str | None = None,
    entity_id: str | None = None,
) -> tuple[Destination | None, Claim | None]:
    """`claim` where the message goes, looked up with it: the person's (`target_id`) newest
    active 1:1 chat, or the stored conversation `target_id`. No claim for a conversation that
    is unknown or inactive.

    On PostgreSQL one round trip: a claim that loses to an existing row (sent before, or being
    sent) reads that row in a second. Elsewhere the lookup and `claim`, one after the other.
    """
    destination, key = _DESTINATIONS[to]
    parameters = {key: target_id}
    if connection.dialect.name != "postgresql":
        ref = _destination((await connection.execute(destination, parameters)).first())
        if ref is None or not ref.active:
            return ref, None
        return ref, await claim(
            connection,
            dedupe_key=dedupe_key,
            conversation_ref_id=ref.id,
            entity_type=entity_type,
            entity_id=entity_id,
        )
    statement = _claim_at_statement(to)
    values = {
        **parameters,
        "claim_key": dedupe_key,
        "claim_entity_type": entity_type,
        "claim_entity_id": entity_id,
        "claim_now": utcnow(),
    }
    row = (await connection.execute(statement, values)).first()
    if row is None:
        return None, None
    ref = _destination(row[:8])
    if ref is None or not ref.active:
        return ref, None
    post_id, status, activity_id, thread_conversation_id = row[8:]
    fresh = post_id is not None
    if post_id is None:
        post_id, status, activity_id, thread_conversation_id = (
            await connection.execute(_CLAIMED, {"claim_key": dedupe_key})
        ).one()
    return ref, Claim(post_id, status, activity_id, thread_conversation_id, fresh)


async def claim_post(
    db: Database,
    *,
    dedupe_key: str,
    conversation_ref_id: int,
    entity_type: str | None = None,
    entity_id: str | None = None,
) -> Claim:
    """`claim` on its own (the claim is one statement; it needs no transaction around it)."""
    async with db.writing_once() as connection:
        return await claim(
            connection,
            dedupe_key=dedupe_key,
            conversation_ref_id=conversation_ref_id,
            entity_type=entity_type,
            entity_id=entity_id,
        )


async def mark_sent(
    db: Database, post_id: int, *, activity_id: str | None, thread_conversation_id: str | None
) -> None:
    async with db.writing_once() as connection:
        await connection.execute(
            _MARK_SENT,
            {
                "post_id": post_id,
                "sent_activity_id": activity_id,
                "sent_thread_id": thread_conversation_id,
            },
        )


async def mark_failed(
    db: Database, post_id: int, error: str, *, deactivate: str | None = None
) -> None:
    """Record a refused send; `deactivate` also marks that conversation inactive."""
    async with db.writing() as connection:
        await connection.execute(
            update(PostedActivity)
            .where(PostedActivity.id == post_id)
            .values(status="failed", attempts=PostedActivity.attempts + 1, last_error=error[:500])
        )
        if deactivate is not None:
            await deactivate_conversation(connection, deactivate)


@dataclass(frozen=True)
class SentPost:
    """A delivered message, as updating it needs it."""

    id: int
    dedupe_key: str
    activity_id: str | None
    # The thread the message started, or the conversation it went to.
    conversation_id: str
    service_url: str


_SENT_POST = select(
    PostedActivity.id,
    PostedActivity.dedupe_key,
    PostedActivity.activity_id,
    func.coalesce(PostedActivity.thread_conversation_id, ConversationRef.conversation_id),
    ConversationRef.service_url,
).join(ConversationRef, PostedActivity.conversation_ref_id == ConversationRef.id)
_SENT_ABOUT = _SENT_POST.where(
    PostedActivity.entity_type == bindparam("entity_type"),
    PostedActivity.entity_id == bindparam("entity_id"),
    PostedActivity.status == "sent",
).order_by(PostedActivity.id)
_SENT_BY_ID = _SENT_POST.where(PostedActivity.id == bindparam("post_id"))


_POSTED_ABOUT = (
    _SENT_POST.add_columns(PostedActivity.status)
    .where(
        PostedActivity.entity_type == bindparam("entity_type"),
        PostedActivity.entity_id == bindparam("entity_id"),
    )
    .order_by(PostedActivity.id)
)


async def posts_about(
    db: Database, entity_type: str, entity_id: str
) -> tuple[list[SentPost], list[str]]:
    """Every copy about the entity, in one query: the delivered ones with where they went,
    and the keys of those whose delivery is not recorded (refused, cut, or its process
    died): they are still to be sent, or sent again."""
    async with db.reading() as connection:
        rows = await connection.execute(
            _POSTED_ABOUT, {"entity_type": entity_type, "entity_id": entity_id}
        )
        delivered, unrecorded = [], []
        for *post, status in rows:
            if status == "sent":
                delivered.append(SentPost(*post))
            else:
                unrecorded.append(str(post[1]))
        return delivered, unrecorded


async def sent_posts(db: Database, entity_type: str, entity_id: str) -> list[SentPost]:
    """Every delivered copy about the entity, with where it went, in one query."""
    async with db.reading() as connection:
        rows = await connection.execute(
            _SENT_ABOUT, {"entity_type": entity_type, "entity_id": entity_id}
        )
        return [SentPost(*row) for row in rows]


async def sent_post(db: Database, post_id: int) -> SentPost | None:
    """One posted message (delivered or not) with where it went."""
    async with db.reading() as connection:
        row = (await connection.execute(_SENT_BY_ID, {"post_id": post_id})).first()
    return None if row is None else SentPost(*row)
