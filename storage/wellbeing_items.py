"""Action-plan items: adding, editing, status and evaluation (one function per action, each
with its audit event), the views cards show, and what the jobs pick up.

Core statements on the caller's connection, answered with `ItemRow`s. `add_items` also takes
an ORM session while a screening's findings are still stored through one."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, and_, bindparam, exists, insert, or_, select, update

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
from storage import audit, org, people, rows
from storage.audit import AuditedConnection
from storage.db import HotConnection
from storage.models import ConversationRef
from storage.rows import columns_of, person
from storage.screening_models import Screening
from storage.wellbeing import DIALOGUES, ITEM, ITEMS, OPEN_STATUSES, UNITS, refuse, table_of
from storage.wellbeing_models import WellbeingActionItem


@dataclass(frozen=True, slots=True)
class ItemRow:
    """A stored action-plan item (the `wellbeing_action_item` row), as cards and rules need it."""

    id: int
    unit_id: int
    dialogue_id: int | None
    reopened_from_id: int | None
    screening_id: int | None
    problem: str
    action: str
    owner_id: int
    deadline: date
    follow_up_on: date
    status: str
    status_note: str | None
    status_by_id: int | None
    status_at: datetime | None
    closed_at: datetime | None
    effect: str | None
    effect_note: str | None
    created_at: datetime

    def snapshot(self) -> dict[str, Any]:
        """What an audit event keeps of an item: never its text or notes."""
        return {
            "unit_id": self.unit_id,
            "dialogue_id": self.dialogue_id,
            "owner_id": self.owner_id,
            "deadline": self.deadline.isoformat(),
            "follow_up_on": self.follow_up_on.isoformat(),
            "status": self.status,
            "effect": self.effect,
            "reopened_from_id": self.reopened_from_id,
            "screening_id": self.screening_id,
        }


ITEM_COLUMNS = columns_of(ITEMS, ItemRow)
_CONVERSATIONS = table_of(ConversationRef)
_SCREENINGS = table_of(Screening)
_WITH_CHAT = exists().where(
    _CONVERSATIONS.c.person_id == ITEMS.c.owner_id,
    _CONVERSATIONS.c.kind == "personal",
    _CONVERSATIONS.c.active.is_(True),
)
_INSERT_ITEM = insert(ITEMS).returning(*ITEM_COLUMNS)
_ITEM = select(*ITEM_COLUMNS)
_ITEM_BY_ID = _ITEM.where(ITEMS.c.id == bindparam("item_id"))
_ITEMS_OF_BATCH = _ITEM.where(ITEMS.c.submission_key.like(bindparam("pattern"))).order_by(
    ITEMS.c.id
)


# -- action-plan items -------------------------------------------------------------------------


async def owner_for(on: org.Writable, upn: str) -> int:
    """The id of the person behind an owner's object id or e-mail; someone not yet known is
    added."""
    return (await people.named_person(on, upn)).id


async def _insert(
    on: org.Writable, values: dict[str, Any], *, actor_id: int | None, action: str
) -> ItemRow:
    """Insert a new item and audit it as it was stored (`audit.inserted`, on a session too)."""
    connection = on
    item = ItemRow(*(await connection.execute(_INSERT_ITEM, values)).one())
    await audit.record(
        on,
        actor=person_actor(actor_id),
        action=action,
        entity_type=ITEM,
        entity_id=item.id,
        after=item.snapshot(),
    )
    return item


def _new_item(
    *,
    unit_id: int,
    dialogue_id: int | None,
    owner_id: int,
    problem: str,
    action: str,
    deadline: date,
    follow_up_on: date,
    created_by_id: int,
    now: datetime,
    **others: Any,
) -> dict[str, Any]:
    """The columns of a new open item."""
    return {
        "unit_id": unit_id,
        "dialogue_id": dialogue_id,
        "reopened_from_id": None,
        "screening_id": None,
        "submission_key": None,
        "problem": problem,
        "action": action,
        "owner_id": owner_id,
        "deadline": deadline,
        "follow_up_on": follow_up_on,
        "status": ItemStatus.OPEN.value,
        "status_note": None,
        "status_by_id": None,
        "status_at": None,
        "closed_at": None,
        "effect": None,
        "effect_note": None,
        "evaluated_by_id": None,
        "evaluated_at": None,
        "owner_notified_at": None,
        "follow_up_sent_at": None,
        "overdue_reminded_for": None,
        "created_by_id": created_by_id,
        "created_at": now,
        "updated_at": now,
        **others,
    }


async def add_items(
    on: org.Writable,
    drafts: Sequence[ItemDraft],
    *,
    unit_id: int,
    dialogue_id: int | None,
    actor_id: int,
    now: datetime,
    batch: str | None = None,
    screening_id: int | None = None,
) -> list[ItemRow]:
    """Add items to the unit's plan, each audited (`screening_id`: the screening whose
    findings they are).

    `batch` names the card they came from: if its items are stored already (a second
    click), those are returned and nothing new is added.
    """
    if batch:
        earlier = await items_of_batch(on, batch)
        if earlier:
            return earlier
    items: list[ItemRow] = []
    for position, draft in enumerate(drafts, start=1):
        values = _new_item(
            unit_id=unit_id,
            dialogue_id=dialogue_id,
            owner_id=await owner_for(on, draft.owner_upn),
            problem=draft.problem,
            action=draft.action,
            deadline=draft.deadline,
            follow_up_on=draft.follow_up_on,
            created_by_id=actor_id,
            now=now,
            screening_id=screening_id,
            submission_key=f"{batch}:{position}" if batch else None,
        )
        items.append(await _insert(on, values, actor_id=actor_id, action="wellbeing.item.add"))
    return items


async def items_of_batch(connection: HotConnection, batch: str) -> list[ItemRow]:
    rows = await connection.execute(_ITEMS_OF_BATCH, {"pattern": f"{batch}:%"})
    return [ItemRow(*row) for row in rows]


async def get_item(connection: HotConnection, item_id: int) -> ItemRow | None:
    row = (await connection.execute(_ITEM_BY_ID, {"item_id": item_id})).first()
    return None if row is None else ItemRow(*row)


@dataclass(frozen=True)
class Outcome:
    """What an item action did: `changed`, or why not (`refused`); a reopened item if any."""

    item: ItemRow | None
    changed: bool
    refused: str | None = None
    reopened: ItemRow | None = None


async def _refused(
    on: AuditedConnection,
    item: ItemRow | None,
    actor_id: int | None,
    what: str,
    reason: str,
) -> Outcome:
    await refuse(
        on,
        actor_id=actor_id,
        what=what,
        entity_type=ITEM,
        entity_id=None if item is None else item.id,
        reason=reason,
    )
    return Outcome(item, False, reason)


async def _update_audited(
    connection: AuditedConnection,
    item: ItemRow,
    *conditions: ColumnElement[bool],
    values: dict[str, Any],
    actor_id: int | None,
    action: str,
) -> tuple[ItemRow, bool]:
    """Write `values` to the item's row only while `conditions` still hold (so two clicks
    change it once) and audit the change; the item as it is now, and whether it changed."""
    changed = await audit.updated_once(
        connection,
        WellbeingActionItem,
        item,
        *conditions,
        values=values,
        actor=person_actor(actor_id),
        action=action,
        entity_type=ITEM,
    )
    if changed is not None:
        return changed, True
    now = await get_item(connection, item.id)
    return (item if now is None else now), False


async def edit_item(
    connection: AuditedConnection,
    item_id: int,
    draft: ItemDraft,
    *,
    access: Access,
    now: datetime,
) -> Outcome:
    """Change an open item's text, owner or dates (whoever manages the unit's plan)."""
    item = await get_item(connection, item_id)
    actor_id = access.person_id
    if item is None:
        return await _refused(connection, None, actor_id, "item.edit", "not_found")
    if not access.may_manage_plan(item.unit_id):
        return await _refused(connection, item, actor_id, "item.edit", "not_allowed")
    if not ItemStatus(item.status).is_open:
        return Outcome(item, False, "closed")
    owner_id = await owner_for(connection, draft.owner_upn)
    values: dict[str, Any] = {
        "problem": draft.problem,
        "action": draft.action,
        "owner_id": owner_id,
        "deadline": draft.deadline,
        "follow_up_on": draft.follow_up_on,
        "updated_at": now,
    }
    if owner_id != item.owner_id:
        values["owner_notified_at"] = None
    if draft.follow_up_on != item.follow_up_on:
        values["follow_up_sent_at"] = None
    edited, changed = await _update_audited(
        connection,
        item,
        ITEMS.c.status.in_(OPEN_STATUSES),
        values=values,
        actor_id=actor_id,
        action="wellbeing.item.edit",
    )
    return Outcome(edited, True) if changed else Outcome(edited, False, "closed")


async def set_status(
    connection: AuditedConnection,
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
    item = await get_item(connection, item_id)
    actor_id = access.person_id
    if item is None:
        return await _refused(connection, None, actor_id, "item.status", "not_found")
    if not access.may_update_item(item.unit_id, item.owner_id):
        return await _refused(connection, item, actor_id, "item.status", "not_allowed")
    current = ItemStatus(item.status)
    if status is ItemStatus.DROPPED and not (note and note.strip()):
        return Outcome(item, False, "reason_required")
    if not current.is_open:
        return await _refused(connection, item, actor_id, "item.status", "closed")
    if current is status:
        return Outcome(item, False, "unchanged")
    follow_up_on = item.follow_up_on
    if status is ItemStatus.DONE and follow_up_on <= local_today(now):
        # Done after the follow-up date: ask about the effect once it has had time to work.
        follow_up_on = local_today(now) + timedelta(days=DEFAULT_FOLLOW_UP_DAYS)
    item, changed = await _update_audited(
        connection,
        item,
        ITEMS.c.status == current.value,
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
        return await _refused(connection, item, actor_id, "item.status", "closed")
    return Outcome(item, True)


async def evaluate(
    connection: AuditedConnection,
    item_id: int,
    effect: Effect,
    *,
    access: Access,
    note: str | None,
    now: datetime,
) -> Outcome:
    """The follow-up answer on a done item; "no" reopens the problem as a new item."""
    item = await get_item(connection, item_id)
    actor_id = access.person_id
    if item is None:
        return await _refused(connection, None, actor_id, "item.evaluate", "not_found")
    if not access.may_update_item(item.unit_id, item.owner_id):
        return await _refused(connection, item, actor_id, "item.evaluate", "not_allowed")
    if effect is not Effect.YES and not (note and note.strip()):
        return Outcome(item, False, "note_required")
    if item.status != ItemStatus.DONE.value or item.effect is not None:
        return Outcome(item, False, "already" if item.effect else "not_done")
    item, changed = await _update_audited(
        connection,
        item,
        ITEMS.c.status == ItemStatus.DONE.value,
        ITEMS.c.effect.is_(None),
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
        deadline = local_today(now) + timedelta(days=REOPEN_DEADLINE_DAYS)
        values = _new_item(
            unit_id=item.unit_id,
            dialogue_id=item.dialogue_id,
            owner_id=item.owner_id,
            problem=item.problem,
            action=item.action,
            deadline=deadline,
            follow_up_on=deadline + timedelta(days=DEFAULT_FOLLOW_UP_DAYS),
            created_by_id=actor_id if actor_id is not None else item.owner_id,
            now=now,
            reopened_from_id=item.id,
        )
        reopened = await audit.inserted(
            connection,
            WellbeingActionItem,
            ItemRow,
            values,
            actor=person_actor(actor_id),
            action="wellbeing.item.reopen",
            entity_type=ITEM,
        )
    return Outcome(item, True, reopened=reopened)


_PLAN_ITEMS = _ITEM.where(
    ITEMS.c.unit_id == bindparam("unit_id"),
    or_(ITEMS.c.status.in_(OPEN_STATUSES), ITEMS.c.closed_at >= bindparam("since")),
).order_by(ITEMS.c.deadline, ITEMS.c.id)
_ITEMS_OF_OWNER = (
    _ITEM.where(
        ITEMS.c.owner_id == bindparam("person_id"),
        or_(
            ITEMS.c.status.in_(OPEN_STATUSES),
            and_(ITEMS.c.status == ItemStatus.DONE.value, ITEMS.c.effect.is_(None)),
        ),
    )
    .order_by(ITEMS.c.deadline, ITEMS.c.id)
    .limit(30)
)


async def plan_items(connection: HotConnection, unit_id: int, now: datetime) -> list[ItemRow]:
    """The unit's current plan: open items by deadline, then those closed within a year."""
    since = now - timedelta(days=CLOSED_ITEMS_SHOWN_DAYS)
    rows = await connection.execute(_PLAN_ITEMS, {"unit_id": unit_id, "since": since})
    items = [ItemRow(*row) for row in rows]
    open_items = [item for item in items if item.status in OPEN_STATUSES]
    closed = [item for item in items if item.status not in OPEN_STATUSES]
    closed.sort(key=lambda item: item.closed_at or now, reverse=True)
    return open_items + closed


async def items_of_owner(connection: HotConnection, person_id: int) -> list[ItemRow]:
    """The person's open items, and done items still waiting for their follow-up answer."""
    rows = await connection.execute(_ITEMS_OF_OWNER, {"person_id": person_id})
    return [ItemRow(*row) for row in rows]


_UNIT_NAMES = select(UNITS.c.id, UNITS.c.name).where(
    UNITS.c.id.in_(bindparam("unit_ids", expanding=True))
)
_HELD_ON = select(DIALOGUES.c.id, DIALOGUES.c.held_on).where(
    DIALOGUES.c.id.in_(bindparam("dialogue_ids", expanding=True))
)
_SCREENING_DAYS = select(_SCREENINGS.c.id, _SCREENINGS.c.held_on, _SCREENINGS.c.planned_on).where(
    _SCREENINGS.c.id.in_(bindparam("screening_ids", expanding=True))
)


async def item_views(connection: HotConnection, items: Sequence[ItemRow]) -> list[ItemView]:
    """Items with names resolved, as cards and exports show them."""
    if not items:
        return []
    people = await rows.people(
        connection,
        {item.owner_id for item in items} | {i.status_by_id for i in items if i.status_by_id},
    )
    units: dict[int, str] = {
        unit_id: name
        for unit_id, name in await connection.execute(
            _UNIT_NAMES, {"unit_ids": sorted({item.unit_id for item in items})}
        )
    }
    dialogue_ids = sorted({item.dialogue_id for item in items if item.dialogue_id})
    held: dict[int, date] = (
        {
            dialogue_id: day
            for dialogue_id, day in await connection.execute(
                _HELD_ON, {"dialogue_ids": dialogue_ids}
            )
        }
        if dialogue_ids
        else {}
    )
    screened = await _screening_days(connection, {i.screening_id for i in items if i.screening_id})
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


async def _screening_days(connection: HotConnection, ids: set[int]) -> dict[int, date]:
    """The day each screening was held (or is planned)."""
    if not ids:
        return {}
    rows = await connection.execute(_SCREENING_DAYS, {"screening_ids": sorted(ids)})
    return {id_: day for id_, held_on, planned_on in rows if (day := held_on or planned_on)}


async def item_view(connection: HotConnection, item: ItemRow) -> ItemView:
    return (await item_views(connection, [item]))[0]


async def owner_upn(connection: HotConnection, item: ItemRow, *, picker: bool = False) -> str:
    """What the owner input shows for the item's owner (`storage.people.input_value`)."""
    return people.input_value(await person(connection, item.owner_id), picker=picker)


# -- what the jobs pick up -----------------------------------------------------------------------

_UNDELIVERED = (
    select(ITEMS.c.id)
    .where(ITEMS.c.owner_notified_at.is_(None), ITEMS.c.status.in_(OPEN_STATUSES), _WITH_CHAT)
    .order_by(ITEMS.c.id)
    .limit(bindparam("limit"))
)
_DUE_FOLLOW_UPS = (
    select(ITEMS.c.id)
    .where(
        ITEMS.c.status == ItemStatus.DONE.value,
        ITEMS.c.effect.is_(None),
        ITEMS.c.follow_up_on <= bindparam("today"),
        ITEMS.c.follow_up_sent_at.is_(None),
        _WITH_CHAT,
    )
    .order_by(ITEMS.c.id)
    .limit(bindparam("limit"))
)
_DUE_OVERDUE = (
    select(ITEMS.c.id)
    .where(
        ITEMS.c.status.in_(OPEN_STATUSES),
        ITEMS.c.deadline < bindparam("today"),
        or_(
            ITEMS.c.overdue_reminded_for.is_(None),
            ITEMS.c.overdue_reminded_for != ITEMS.c.deadline,
        ),
    )
    .order_by(ITEMS.c.id)
    .limit(bindparam("limit"))
)


async def undelivered_items(connection: HotConnection, *, limit: int = 200) -> list[int]:
    """Open items whose owner has not had the card yet but can now be reached."""
    return [item_id for (item_id,) in await connection.execute(_UNDELIVERED, {"limit": limit})]


async def due_follow_ups(connection: HotConnection, today: date, *, limit: int = 200) -> list[int]:
    """Done items at or past their follow-up date, not yet asked, whose owner can be reached."""
    rows = await connection.execute(_DUE_FOLLOW_UPS, {"today": today, "limit": limit})
    return [item_id for (item_id,) in rows]


async def due_overdue(connection: HotConnection, today: date, *, limit: int = 200) -> list[int]:
    """Open items past their deadline that have not been reminded for this deadline."""
    rows = await connection.execute(_DUE_OVERDUE, {"today": today, "limit": limit})
    return [item_id for (item_id,) in rows]


async def mark(connection: HotConnection, item_id: int, **values: Any) -> None:
    """Bookkeeping of the jobs (delivered, follow-up asked, reminded); not a user action."""
    await connection.execute(update(ITEMS).where(ITEMS.c.id == item_id).values(**values))
