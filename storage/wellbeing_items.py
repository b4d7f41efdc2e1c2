"""Action-plan items: adding, editing, status and evaluation (one function per action, each
with its audit event), the views cards show, and what the jobs pick up."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, and_, exists, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from domain.audit import person_actor
from domain.wellbeing import (
    CLOSED_ITEMS_SHOWN_DAYS,
    DEFAULT_FOLLOW_UP_DAYS,
    REOPEN_DEADLINE_DAYS,
    Access,
    Effect,
    ItemStatus,
    ItemView,
    local_today,
)
from domain.wellbeing_items import ItemDraft
from storage import audit, org, people
from storage.models import ConversationRef, Person, Unit
from storage.rows import PersonRow
from storage.screening_models import Screening
from storage.wellbeing import ITEM, OPEN_STATUSES, add_audited, people_by_id, refuse
from storage.wellbeing_models import (
    WellbeingActionItem,
    WellbeingDialogue,
)


def _with_chat() -> Any:
    return exists().where(
        ConversationRef.person_id == WellbeingActionItem.owner_id,
        ConversationRef.kind == "personal",
        ConversationRef.active.is_(True),
    )


# -- action-plan items -------------------------------------------------------------------------


async def owner_for(session: AsyncSession, upn: str) -> PersonRow:
    """The person behind an owner's object id or e-mail; someone not yet known is added."""
    return await people.named_person(session, upn)


async def add_items(
    session: AsyncSession,
    drafts: Sequence[ItemDraft],
    *,
    unit_id: int,
    dialogue_id: int | None,
    actor_id: int,
    now: datetime,
    batch: str | None = None,
    screening_id: int | None = None,
) -> list[WellbeingActionItem]:
    """Add items to the unit's plan, each audited (`screening_id`: the screening whose
    findings they are).

    `batch` names the card they came from: if its items are stored already (a second
    click), those are returned and nothing new is added.
    """
    if batch:
        earlier = await items_of_batch(session, batch)
        if earlier:
            return earlier
    items: list[WellbeingActionItem] = []
    for position, draft in enumerate(drafts, start=1):
        owner = await owner_for(session, draft.owner_upn)
        item = WellbeingActionItem(
            unit_id=unit_id,
            dialogue_id=dialogue_id,
            screening_id=screening_id,
            submission_key=f"{batch}:{position}" if batch else None,
            problem=draft.problem,
            action=draft.action,
            owner_id=owner.id,
            deadline=draft.deadline,
            follow_up_on=draft.follow_up_on,
            status=ItemStatus.OPEN.value,
            created_by_id=actor_id,
            created_at=now,
            updated_at=now,
        )
        await add_audited(
            session, item, actor_id=actor_id, action="wellbeing.item.add", entity_type=ITEM
        )
        items.append(item)
    return items


async def items_of_batch(session: AsyncSession, batch: str) -> list[WellbeingActionItem]:
    return list(
        (
            await session.scalars(
                select(WellbeingActionItem)
                .where(WellbeingActionItem.submission_key.like(f"{batch}:%"))
                .order_by(WellbeingActionItem.id)
            )
        ).all()
    )


async def get_item(session: AsyncSession, item_id: int) -> WellbeingActionItem | None:
    return await session.get(WellbeingActionItem, item_id)


@dataclass(frozen=True)
class Outcome:
    """What an item action did: `changed`, or why not (`refused`); a reopened item if any."""

    item: WellbeingActionItem | None
    changed: bool
    refused: str | None = None
    reopened: WellbeingActionItem | None = None


async def _refused(
    session: AsyncSession,
    item: WellbeingActionItem | None,
    actor_id: int | None,
    what: str,
    reason: str,
) -> Outcome:
    await refuse(
        session,
        actor_id=actor_id,
        what=what,
        entity_type=ITEM,
        entity_id=None if item is None else item.id,
        reason=reason,
    )
    return Outcome(item, False, reason)


async def _update_audited(
    session: AsyncSession,
    item: WellbeingActionItem,
    *conditions: ColumnElement[bool],
    values: dict[str, Any],
    actor_id: int | None,
    action: str,
) -> bool:
    """Write `values` to the item's row only while `conditions` still hold (so two clicks
    change it once), read the row again and audit the change; False when nothing changed."""
    return await audit.changed_once(
        session,
        item,
        *conditions,
        values=values,
        actor=person_actor(actor_id),
        action=action,
        entity_type=ITEM,
    )


async def edit_item(
    session: AsyncSession,
    item_id: int,
    draft: ItemDraft,
    *,
    access: Access,
    now: datetime,
) -> Outcome:
    """Change an open item's text, owner or dates (whoever manages the unit's plan)."""
    item = await get_item(session, item_id)
    actor_id = access.person_id
    if item is None:
        return await _refused(session, None, actor_id, "item.edit", "not_found")
    if not access.may_manage_plan(item.unit_id):
        return await _refused(session, item, actor_id, "item.edit", "not_allowed")
    if not ItemStatus(item.status).is_open:
        return Outcome(item, False, "closed")
    before = item.snapshot()
    owner = await owner_for(session, draft.owner_upn)
    if owner.id != item.owner_id:
        item.owner_notified_at = None
    if draft.follow_up_on != item.follow_up_on:
        item.follow_up_sent_at = None
    item.problem = draft.problem
    item.action = draft.action
    item.owner_id = owner.id
    item.deadline = draft.deadline
    item.follow_up_on = draft.follow_up_on
    item.updated_at = now
    await session.flush()
    await audit.record(
        session,
        actor=person_actor(actor_id),
        action="wellbeing.item.edit",
        entity_type=ITEM,
        entity_id=item.id,
        before=before,
        after=item.snapshot(),
    )
    return Outcome(item, True)


async def set_status(
    session: AsyncSession,
    item_id: int,
    status: ItemStatus,
    *,
    access: Access,
    note: str | None,
    now: datetime,
) -> Outcome:
    """In progress / done / dropped (a reason is required to drop), by the owner or a manager.

    The UPDATE is conditional on the status read, so two clicks give one change.
    """
    item = await get_item(session, item_id)
    actor_id = access.person_id
    if item is None:
        return await _refused(session, None, actor_id, "item.status", "not_found")
    if not access.may_update_item(item.unit_id, item.owner_id):
        return await _refused(session, item, actor_id, "item.status", "not_allowed")
    current = ItemStatus(item.status)
    if status is ItemStatus.DROPPED and not (note and note.strip()):
        return Outcome(item, False, "reason_required")
    if not current.is_open:
        return await _refused(session, item, actor_id, "item.status", "closed")
    if current is status:
        return Outcome(item, False, "unchanged")
    follow_up_on = item.follow_up_on
    if status is ItemStatus.DONE and follow_up_on <= local_today(now):
        # Done after the follow-up date: ask about the effect once it has had time to work.
        follow_up_on = local_today(now) + timedelta(days=DEFAULT_FOLLOW_UP_DAYS)
    changed = await _update_audited(
        session,
        item,
        WellbeingActionItem.status == current.value,
        values={
            "status": status.value,
            "follow_up_on": follow_up_on,
            "status_note": note.strip() if note and note.strip() else None,
            "status_by_id": actor_id,
            "status_at": now,
            "closed_at": None if status.is_open else now,
            "updated_at": now,
        },
        actor_id=actor_id,
        action=f"wellbeing.item.{status.value}",
    )
    if not changed:
        return await _refused(session, item, actor_id, "item.status", "closed")
    return Outcome(item, True)


async def evaluate(
    session: AsyncSession,
    item_id: int,
    effect: Effect,
    *,
    access: Access,
    note: str | None,
    now: datetime,
) -> Outcome:
    """The follow-up answer on a done item; "no" reopens the problem as a new item."""
    item = await get_item(session, item_id)
    actor_id = access.person_id
    if item is None:
        return await _refused(session, None, actor_id, "item.evaluate", "not_found")
    if not access.may_update_item(item.unit_id, item.owner_id):
        return await _refused(session, item, actor_id, "item.evaluate", "not_allowed")
    if effect is not Effect.YES and not (note and note.strip()):
        return Outcome(item, False, "note_required")
    if item.status != ItemStatus.DONE.value or item.effect is not None:
        return Outcome(item, False, "already" if item.effect else "not_done")
    changed = await _update_audited(
        session,
        item,
        WellbeingActionItem.status == ItemStatus.DONE.value,
        WellbeingActionItem.effect.is_(None),
        values={
            "effect": effect.value,
            "effect_note": note.strip() if note and note.strip() else None,
            "evaluated_by_id": actor_id,
            "evaluated_at": now,
            "updated_at": now,
        },
        actor_id=actor_id,
        action=f"wellbeing.item.evaluate.{effect.value}",
    )
    if not changed:
        return Outcome(item, False, "already")
    reopened = None
    if effect is Effect.NO:
        today = local_today(now)
        deadline = today + timedelta(days=REOPEN_DEADLINE_DAYS)
        reopened = WellbeingActionItem(
            unit_id=item.unit_id,
            dialogue_id=item.dialogue_id,
            reopened_from_id=item.id,
            problem=item.problem,
            action=item.action,
            owner_id=item.owner_id,
            deadline=deadline,
            follow_up_on=deadline + timedelta(days=DEFAULT_FOLLOW_UP_DAYS),
            status=ItemStatus.OPEN.value,
            created_by_id=actor_id if actor_id is not None else item.owner_id,
            created_at=now,
            updated_at=now,
        )
        await add_audited(
            session, reopened, actor_id=actor_id, action="wellbeing.item.reopen", entity_type=ITEM
        )
    return Outcome(item, True, reopened=reopened)


async def plan_items(
    session: AsyncSession, unit_id: int, now: datetime
) -> list[WellbeingActionItem]:
    """The unit's current plan: open items by deadline, then those closed within a year."""
    since = now - timedelta(days=CLOSED_ITEMS_SHOWN_DAYS)
    items = (
        await session.scalars(
            select(WellbeingActionItem)
            .where(
                WellbeingActionItem.unit_id == unit_id,
                or_(
                    WellbeingActionItem.status.in_(OPEN_STATUSES),
                    WellbeingActionItem.closed_at >= since,
                ),
            )
            .order_by(WellbeingActionItem.deadline, WellbeingActionItem.id)
        )
    ).all()
    open_items = [item for item in items if item.status in OPEN_STATUSES]
    closed = [item for item in items if item.status not in OPEN_STATUSES]
    closed.sort(key=lambda item: item.closed_at or now, reverse=True)
    return open_items + closed


async def items_of_owner(session: AsyncSession, person_id: int) -> list[WellbeingActionItem]:
    """The person's open items, and done items still waiting for their follow-up answer."""
    return list(
        (
            await session.scalars(
                select(WellbeingActionItem)
                .where(
                    WellbeingActionItem.owner_id == person_id,
                    or_(
                        WellbeingActionItem.status.in_(OPEN_STATUSES),
                        and_(
                            WellbeingActionItem.status == ItemStatus.DONE.value,
                            WellbeingActionItem.effect.is_(None),
                        ),
                    ),
                )
                .order_by(WellbeingActionItem.deadline, WellbeingActionItem.id)
                .limit(30)
            )
        ).all()
    )


async def item_views(session: AsyncSession, items: Sequence[WellbeingActionItem]) -> list[ItemView]:
    """Items with names resolved, as cards and exports show them."""
    people = await people_by_id(
        session,
        {item.owner_id for item in items} | {i.status_by_id for i in items if i.status_by_id},
    )
    units = {
        unit.id: unit.name
        for unit in (
            await session.scalars(select(Unit).where(Unit.id.in_({i.unit_id for i in items})))
        ).all()
    }
    dialogue_ids = {item.dialogue_id for item in items if item.dialogue_id}
    held = (
        dict(
            (
                await session.execute(
                    select(WellbeingDialogue.id, WellbeingDialogue.held_on).where(
                        WellbeingDialogue.id.in_(dialogue_ids)
                    )
                )
            ).all()
        )
        if dialogue_ids
        else {}
    )
    screened = await _screening_days(session, {i.screening_id for i in items if i.screening_id})
    views: list[ItemView] = []
    for item in items:
        owner = people.get(item.owner_id)
        status_by = people.get(item.status_by_id) if item.status_by_id else None
        views.append(
            ItemView(
                id=item.id,
                unit_id=item.unit_id,
                unit=units.get(item.unit_id, ""),
                problem=item.problem,
                action=item.action,
                owner_id=item.owner_id,
                owner=org.describe_person(owner) if owner else "",
                owner_teams_id=owner.teams_user_id if owner else None,
                deadline=item.deadline,
                follow_up_on=item.follow_up_on,
                status=ItemStatus(item.status),
                status_note=item.status_note,
                status_by=org.describe_person(status_by) if status_by else None,
                status_at=item.status_at,
                effect=Effect(item.effect) if item.effect else None,
                effect_note=item.effect_note,
                dialogue_held_on=held.get(item.dialogue_id) if item.dialogue_id else None,
                screening_held_on=screened.get(item.screening_id) if item.screening_id else None,
                reopened_from_id=item.reopened_from_id,
                created_at=item.created_at,
            )
        )
    return views


async def _screening_days(session: AsyncSession, ids: set[int]) -> dict[int, date]:
    """The day each screening was held (or is planned)."""
    if not ids:
        return {}
    rows = await session.execute(
        select(Screening.id, Screening.held_on, Screening.planned_on).where(Screening.id.in_(ids))
    )
    return {id_: day for id_, held_on, planned_on in rows if (day := held_on or planned_on)}


async def item_view(session: AsyncSession, item: WellbeingActionItem) -> ItemView:
    return (await item_views(session, [item]))[0]


async def owner_upn(
    session: AsyncSession, item: WellbeingActionItem, *, picker: bool = False
) -> str:
    """What the owner input shows for the item's owner (`storage.people.input_value`)."""
    return people.input_value(await session.get(Person, item.owner_id), picker=picker)


# -- what the jobs pick up -----------------------------------------------------------------------


async def undelivered_items(session: AsyncSession, *, limit: int = 200) -> list[int]:
    """Open items whose owner has not had the card yet but can now be reached."""
    return list(
        (
            await session.scalars(
                select(WellbeingActionItem.id)
                .where(
                    WellbeingActionItem.owner_notified_at.is_(None),
                    WellbeingActionItem.status.in_(OPEN_STATUSES),
                    _with_chat(),
                )
                .order_by(WellbeingActionItem.id)
                .limit(limit)
            )
        ).all()
    )


async def due_follow_ups(session: AsyncSession, today: date, *, limit: int = 200) -> list[int]:
    """Done items at or past their follow-up date, not yet asked, whose owner can be reached."""
    return list(
        (
            await session.scalars(
                select(WellbeingActionItem.id)
                .where(
                    WellbeingActionItem.status == ItemStatus.DONE.value,
                    WellbeingActionItem.effect.is_(None),
                    WellbeingActionItem.follow_up_on <= today,
                    WellbeingActionItem.follow_up_sent_at.is_(None),
                    _with_chat(),
                )
                .order_by(WellbeingActionItem.id)
                .limit(limit)
            )
        ).all()
    )


async def due_overdue(session: AsyncSession, today: date, *, limit: int = 200) -> list[int]:
    """Open items past their deadline that have not been reminded for this deadline."""
    return list(
        (
            await session.scalars(
                select(WellbeingActionItem.id)
                .where(
                    WellbeingActionItem.status.in_(OPEN_STATUSES),
                    WellbeingActionItem.deadline < today,
                    or_(
                        WellbeingActionItem.overdue_reminded_for.is_(None),
                        WellbeingActionItem.overdue_reminded_for != WellbeingActionItem.deadline,
                    ),
                )
                .order_by(WellbeingActionItem.id)
                .limit(limit)
            )
        ).all()
    )


async def mark(session: AsyncSession, item_id: int, **values: Any) -> None:
    """Bookkeeping of the jobs (delivered, follow-up asked, reminded); not a user action."""
    await session.execute(
        update(WellbeingActionItem)
        .where(WellbeingActionItem.id == item_id)
        .values(**values)
        .execution_options(synchronize_session=False)
    )
