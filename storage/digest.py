"""Digest subscriptions and safety moments; one function per user action. Also the unit
filter the flows' digest queries share."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, Insert, Update, and_, bindparam, insert, select, update
from sqlalchemy.orm import InstrumentedAttribute

from domain.audit import person_actor
from domain.digest import SafetyMoment, Scope
from storage import audit
from storage.audit import AuditedConnection
from storage.db import HotConnection
from storage.digest_models import DigestSubscription, SafetyMomentRow
from storage.models import ConversationRef
from storage.rows import columns_of


@dataclass(frozen=True, slots=True)
class SubscriptionRow:
    """A stored digest subscription (the `digest_subscription` row)."""

    id: int
    conversation_ref_id: int
    lang: str
    unit_ids: list[int] | None
    active: bool
    created_by_id: int | None
    created_at: datetime


@dataclass(frozen=True, slots=True)
class ChannelRow:
    """The channel a subscription posts to: what the digest needs of its `conversation_ref`."""

    id: int
    conversation_id: str
    channel_id: str | None
    channel_name: str | None


_SUBSCRIPTION_COLUMNS = columns_of(DigestSubscription.__table__, SubscriptionRow)
_CHANNEL_COLUMNS = columns_of(ConversationRef.__table__, ChannelRow)
_SUBSCRIPTION_WIDTH = len(_SUBSCRIPTION_COLUMNS)

_SUBSCRIPTION_OF_CHANNEL = select(DigestSubscription.id).where(
    DigestSubscription.conversation_ref_id == bindparam("ref_id")
)
_SUBSCRIPTION = select(*_SUBSCRIPTION_COLUMNS).where(
    DigestSubscription.id == bindparam("subscription_id")
)
_ACTIVE = (
    select(*_SUBSCRIPTION_COLUMNS, *_CHANNEL_COLUMNS)
    .join(ConversationRef, ConversationRef.id == DigestSubscription.conversation_ref_id)
    .where(DigestSubscription.active.is_(True), ConversationRef.active.is_(True))
    .order_by(DigestSubscription.id)
)
_UNSUBSCRIBE = (
    update(DigestSubscription)
    .where(
        DigestSubscription.conversation_ref_id == bindparam("ref_id"),
        DigestSubscription.active.is_(True),
    )
    .values(active=False)
    .returning(DigestSubscription.id)
)
_MOMENT_OF_WEEK = select(SafetyMomentRow.id).where(SafetyMomentRow.week == bindparam("week"))
_MOMENT_TEXTS = select(SafetyMomentRow.text_da, SafetyMomentRow.text_en).where(
    SafetyMomentRow.week == bindparam("week")
)


async def subscribe(
    connection: AuditedConnection,
    *,
    conversation_ref_id: int,
    lang: str,
    unit_ids: list[int] | None,
    person_id: int | None,
) -> SubscriptionRow:
    """Make the channel a digest channel (again); returns the subscription."""
    values = {
        "lang": lang,
        "unit_ids": sorted(unit_ids) if unit_ids else None,
        "active": True,
        "created_by_id": person_id,
    }
    existing = (
        await connection.execute(_SUBSCRIPTION_OF_CHANNEL, {"ref_id": conversation_ref_id})
    ).scalar()
    statement: Insert | Update
    if existing is None:
        statement = insert(DigestSubscription).values(
            conversation_ref_id=conversation_ref_id, **values
        )
    else:
        statement = (
            update(DigestSubscription).where(DigestSubscription.id == existing).values(**values)
        )
    subscription = SubscriptionRow(
        *(await connection.execute(statement.returning(*_SUBSCRIPTION_COLUMNS))).one()
    )
    await audit.record(
        connection,
        actor=person_actor(person_id),
        action="digest.subscribe",
        entity_type="digest_subscription",
        entity_id=subscription.id,
        after={"lang": lang, "unit_ids": subscription.unit_ids},
    )
    return subscription


async def unsubscribe(
    connection: AuditedConnection, *, conversation_ref_id: int, person_id: int | None
) -> bool:
    """Stop the channel's digest; False if it had none."""
    subscription_id = (
        await connection.execute(_UNSUBSCRIBE, {"ref_id": conversation_ref_id})
    ).scalar()
    if subscription_id is None:
        return False
    await audit.record(
        connection,
        actor=person_actor(person_id),
        action="digest.unsubscribe",
        entity_type="digest_subscription",
        entity_id=subscription_id,
    )
    return True


async def subscription(connection: HotConnection, subscription_id: int) -> SubscriptionRow | None:
    """The subscription with this id, active or not."""
    row = (await connection.execute(_SUBSCRIPTION, {"subscription_id": subscription_id})).first()
    return None if row is None else SubscriptionRow(*row)


async def active_subscriptions(
    connection: HotConnection,
) -> list[tuple[SubscriptionRow, ChannelRow]]:
    """Subscribed channels the bot can still post to."""
    return [
        (SubscriptionRow(*row[:_SUBSCRIPTION_WIDTH]), ChannelRow(*row[_SUBSCRIPTION_WIDTH:]))
        for row in await connection.execute(_ACTIVE)
    ]


async def save_safety_moment(
    connection: AuditedConnection,
    *,
    week: str,
    danish: str,
    english: str,
    person_id: int | None,
) -> None:
    values = {"text_da": danish, "text_en": english, "author_id": person_id}
    existing = (await connection.execute(_MOMENT_OF_WEEK, {"week": week})).scalar()
    statement: Insert | Update
    if existing is None:
        statement = insert(SafetyMomentRow).values(week=week, **values)
    else:
        statement = update(SafetyMomentRow).where(SafetyMomentRow.id == existing).values(**values)
    moment_id = (await connection.execute(statement.returning(SafetyMomentRow.id))).scalar_one()
    await audit.record(
        connection,
        actor=person_actor(person_id),
        action="digest.safety_moment",
        entity_type="safety_moment",
        entity_id=moment_id,
        after={"week": week},
    )


async def safety_moment(connection: HotConnection, week: str) -> SafetyMoment | None:
    row = (await connection.execute(_MOMENT_TEXTS, {"week": week})).first()
    return None if row is None else SafetyMoment(danish=row[0], english=row[1])


def in_scope(column: InstrumentedAttribute[int], scope: Scope) -> ColumnElement[bool]:
    """The scope's units (every unit when it names none)."""
    if scope.unit_ids is None:
        return and_(True)
    return column.in_(sorted(scope.unit_ids))
