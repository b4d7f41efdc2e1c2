"""Digest subscriptions and safety moments; one function per user action. Also the two
helpers the flows' digest queries share (a unit filter, counts grouped by unit)."""

from __future__ import annotations

from sqlalchemy import ColumnElement, and_, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute

from domain.audit import person_actor
from domain.digest import SafetyMoment, Scope
from storage import audit
from storage.digest_models import DigestSubscription, SafetyMomentRow
from storage.models import ConversationRef


async def subscribe(
    session: AsyncSession,
    *,
    conversation_ref_id: int,
    lang: str,
    unit_ids: list[int] | None,
    person_id: int | None,
) -> DigestSubscription:
    """Make the channel a digest channel (again); returns the subscription."""
    subscription = (
        await session.scalars(
            select(DigestSubscription).where(
                DigestSubscription.conversation_ref_id == conversation_ref_id
            )
        )
    ).first()
    if subscription is None:
        subscription = DigestSubscription(conversation_ref_id=conversation_ref_id)
        session.add(subscription)
    subscription.lang = lang
    subscription.unit_ids = sorted(unit_ids) if unit_ids else None
    subscription.active = True
    subscription.created_by_id = person_id
    await session.flush()
    await audit.record(
        session,
        actor=person_actor(person_id),
        action="digest.subscribe",
        entity_type="digest_subscription",
        entity_id=subscription.id,
        after={"lang": lang, "unit_ids": subscription.unit_ids},
    )
    return subscription


async def unsubscribe(
    session: AsyncSession, *, conversation_ref_id: int, person_id: int | None
) -> bool:
    subscription = (
        await session.scalars(
            select(DigestSubscription).where(
                DigestSubscription.conversation_ref_id == conversation_ref_id,
                DigestSubscription.active.is_(True),
            )
        )
    ).first()
    if subscription is None:
        return False
    subscription.active = False
    await audit.record(
        session,
        actor=person_actor(person_id),
        action="digest.unsubscribe",
        entity_type="digest_subscription",
        entity_id=subscription.id,
    )
    return True


async def active_subscriptions(
    session: AsyncSession,
) -> list[tuple[DigestSubscription, ConversationRef]]:
    """Subscribed channels the bot can still post to."""
    rows = await session.execute(
        select(DigestSubscription, ConversationRef)
        .join(ConversationRef, ConversationRef.id == DigestSubscription.conversation_ref_id)
        .where(DigestSubscription.active.is_(True), ConversationRef.active.is_(True))
        .order_by(DigestSubscription.id)
    )
    return [(subscription, ref) for subscription, ref in rows.tuples()]


async def save_safety_moment(
    session: AsyncSession, *, week: str, danish: str, english: str, person_id: int | None
) -> None:
    row = (
        await session.scalars(select(SafetyMomentRow).where(SafetyMomentRow.week == week))
    ).first()
    if row is None:
        row = SafetyMomentRow(week=week)
        session.add(row)
    row.text_da = danish
    row.text_en = english
    row.author_id = person_id
    await session.flush()
    await audit.record(
        session,
        actor=person_actor(person_id),
        action="digest.safety_moment",
        entity_type="safety_moment",
        entity_id=row.id,
        after={"week": week},
    )


async def safety_moment(session: AsyncSession, week: str) -> SafetyMoment | None:
    row = (
        await session.scalars(select(SafetyMomentRow).where(SafetyMomentRow.week == week))
    ).first()
    return None if row is None else SafetyMoment(danish=row.text_da, english=row.text_en)


def in_scope(column: InstrumentedAttribute[int], scope: Scope) -> ColumnElement[bool]:
    """The scope's units (every unit when it names none)."""
    if scope.unit_ids is None:
        return and_(True)
    return column.in_(sorted(scope.unit_ids))


async def per_unit(
    session: AsyncSession, unit_column: InstrumentedAttribute[int], *conditions: ColumnElement[bool]
) -> dict[int, int]:
    """`{unit_id: rows}` of the rows matching `conditions`, counted in the database."""
    rows = await session.execute(
        select(unit_column, func.count()).where(*conditions).group_by(unit_column)
    )
    return {int(unit_id): int(count) for unit_id, count in rows.tuples()}
