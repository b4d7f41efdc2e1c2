"""Well-being dialogues, action-plan items and annual discussions: one function per action
(each inside the caller's transaction, with its audit event), the queries behind the cards,
the jobs and the digest.

Audit events carry ids, dates, counts and states — never the free text of notes or items.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import and_, exists, func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from domain.audit import SYSTEM_ACTOR, person_actor
from domain.org import Role, UnitRef
from domain.wellbeing import (
    CLOSED_ITEMS_SHOWN_DAYS,
    DEFAULT_FOLLOW_UP_DAYS,
    REOPEN_DEADLINE_DAYS,
    Access,
    AmdForm,
    DialogueForm,
    DialogueNotes,
    Effect,
    ItemStatus,
    ItemView,
    PlanView,
    Theme,
    UnitStatus,
    dialogue_due,
    local_today,
)
from domain.wellbeing_items import ItemDraft
from storage import audit, org
from storage.models import ConversationRef, Person, Unit
from storage.wellbeing_models import (
    NOTE_FIELDS,
    WellbeingActionItem,
    WellbeingAnnualDiscussion,
    WellbeingDialogue,
)

DIALOGUE = "wellbeing_dialogue"
ITEM = "wellbeing_action_item"
AMD = "wellbeing_annual_discussion"
OPEN_STATUSES = (ItemStatus.OPEN.value, ItemStatus.IN_PROGRESS.value)


# -- people and roles ----------------------------------------------------------------------


async def access_of(session: AsyncSession, person_id: int | None, *, is_admin: bool) -> Access:
    """The person's standing, from their role assignments."""
    if person_id is None:
        return Access(person_id=None, is_admin=is_admin)
    leader: set[int] = set()
    amk: set[int] = set()
    other: set[int] = set()
    secretariat = False
    for role in await org.roles_of(session, person_id):
        if role.role == Role.SECRETARIAT.value:
            secretariat = True
        elif role.unit_id is None:
            continue
        elif role.role == Role.LEADER.value:
            leader.add(role.unit_id)
        elif role.role == Role.AMK.value:
            amk.add(role.unit_id)
        else:
            other.add(role.unit_id)
    return Access(
        person_id=person_id,
        is_admin=is_admin,
        secretariat=secretariat,
        leader_of=frozenset(leader),
        amk_of=frozenset(amk),
        other_units=frozenset(other),
    )


async def known_names(session: AsyncSession) -> list[str]:
    """Every person's name the organisation knows (to spot names in free text)."""
    return [name for name in (await session.scalars(select(Person.name))).all() if name]


async def unit_names(session: AsyncSession) -> list[str]:
    return list((await session.scalars(select(Unit.name))).all())


async def people_by_id(session: AsyncSession, ids: Iterable[int]) -> dict[int, Person]:
    wanted = set(ids)
    if not wanted:
        return {}
    found = await session.scalars(select(Person).where(Person.id.in_(wanted)))
    return {person.id: person for person in found}


async def unit_leaders_and_amks(session: AsyncSession, unit_id: int) -> list[Person]:
    people = await org.holders(session, unit_id, Role.LEADER)
    people += await org.holders(session, unit_id, Role.AMK)
    unique: dict[int, Person] = {person.id: person for person in people}
    return list(unique.values())


async def has_personal_chat(session: AsyncSession, person_id: int) -> bool:
    return bool(
        await session.scalar(
            select(
                exists().where(
                    ConversationRef.person_id == person_id,
                    ConversationRef.kind == "personal",
                    ConversationRef.active.is_(True),
                )
            )
        )
    )


def _with_chat() -> Any:
    return exists().where(
        ConversationRef.person_id == WellbeingActionItem.owner_id,
        ConversationRef.kind == "personal",
        ConversationRef.active.is_(True),
    )


async def refuse(
    session: AsyncSession,
    *,
    actor_id: int | None,
    what: str,
    entity_type: str,
    entity_id: int | None,
    reason: str,
) -> None:
    """Audit a refused read or action (who tried what, and why it was refused)."""
    await audit.record(
        session,
        actor=person_actor(actor_id),
        action=f"wellbeing.{what}.refused",
        entity_type=entity_type,
        entity_id=entity_id,
        after={"reason": reason},
    )


# -- dialogues -------------------------------------------------------------------------------


async def record_dialogue(
    session: AsyncSession,
    form: DialogueForm,
    *,
    recorded_by_id: int,
    flags_confirmed: int,
    now: datetime,
    submission_key: str | None = None,
) -> WellbeingDialogue:
    """Store a checked dialogue record and audit it (without its text). If the card's
    `submission_key` stored one before, that one is returned and nothing is written; another
    transaction storing it right now makes the flush fail (IntegrityError)."""
    if submission_key is not None:
        earlier = await dialogue_of_submission(session, submission_key, recorded_by_id)
        if earlier is not None:
            return earlier
    dialogue = WellbeingDialogue(
        submission_key=submission_key,
        unit_id=form.unit_id,
        group_name=form.group_name,
        held_on=form.held_on,
        facilitator=form.facilitator,
        participants=form.participants,
        themes=[theme.value for theme in form.themes],
        theme_other=form.theme_other if Theme.OTHER in form.themes else None,
        works_well=form.works_well,
        challenges=form.challenges,
        absence_considered=form.absence_considered,
        absence_note=form.absence_note,
        flags_confirmed=flags_confirmed,
        recorded_by_id=recorded_by_id,
        created_at=now,
        updated_at=now,
    )
    session.add(dialogue)
    await session.flush()
    await audit.record(
        session,
        actor=person_actor(recorded_by_id),
        action="wellbeing.dialogue.record",
        entity_type=DIALOGUE,
        entity_id=dialogue.id,
        after=dialogue.snapshot(),
    )
    return dialogue


async def dialogue_of_submission(
    session: AsyncSession, submission_key: str, recorded_by_id: int
) -> WellbeingDialogue | None:
    """The dialogue a card (`submission_key`) of this person stored, if it stored one."""
    found: WellbeingDialogue | None = (
        await session.scalars(
            select(WellbeingDialogue).where(
                WellbeingDialogue.submission_key == submission_key,
                WellbeingDialogue.recorded_by_id == recorded_by_id,
            )
        )
    ).first()
    return found


async def get_dialogue(session: AsyncSession, dialogue_id: int) -> WellbeingDialogue | None:
    return await session.get(WellbeingDialogue, dialogue_id)


async def dialogues_of_unit(
    session: AsyncSession, unit_id: int, *, limit: int = 5
) -> Sequence[WellbeingDialogue]:
    return (
        await session.scalars(
            select(WellbeingDialogue)
            .where(WellbeingDialogue.unit_id == unit_id)
            .order_by(WellbeingDialogue.held_on.desc(), WellbeingDialogue.id.desc())
            .limit(limit)
        )
    ).all()


async def readable_dialogues(
    session: AsyncSession, access: Access, unit_id: int, *, limit: int = 10
) -> list[WellbeingDialogue]:
    """The unit's latest dialogues whose notes `access` may read (newest first)."""
    return [
        dialogue
        for dialogue in await dialogues_of_unit(session, unit_id, limit=100)
        if access.may_read_notes(dialogue.unit_id, dialogue.recorded_by_id)
    ][:limit]


async def read_notes(
    session: AsyncSession, access: Access, dialogue: WellbeingDialogue
) -> DialogueNotes | None:
    """The dialogue with its notes if `access` may read them (audited), else None (audited)."""
    if not access.may_read_notes(dialogue.unit_id, dialogue.recorded_by_id):
        await refuse(
            session,
            actor_id=access.person_id,
            what="notes.read",
            entity_type=DIALOGUE,
            entity_id=dialogue.id,
            reason="not_allowed",
        )
        return None
    unit = await session.get(Unit, dialogue.unit_id)
    recorder = await session.get(Person, dialogue.recorded_by_id)
    items = await session.scalar(
        select(func.count()).where(WellbeingActionItem.dialogue_id == dialogue.id)
    )
    await audit.record(
        session,
        actor=person_actor(access.person_id),
        action="wellbeing.notes.read",
        entity_type=DIALOGUE,
        entity_id=dialogue.id,
        after={"unit_id": dialogue.unit_id},
    )
    return DialogueNotes(
        id=dialogue.id,
        unit=unit.name if unit else "",
        group_name=dialogue.group_name,
        held_on=dialogue.held_on,
        facilitator=dialogue.facilitator,
        participants=dialogue.participants,
        themes=[Theme(value) for value in dialogue.themes],
        theme_other=dialogue.theme_other,
        works_well=dialogue.works_well,
        challenges=dialogue.challenges,
        absence_considered=dialogue.absence_considered,
        absence_note=dialogue.absence_note,
        recorded_by=org.describe_person(recorder) if recorder else "",
        notes_deleted_at=dialogue.notes_deleted_at,
        items=int(items or 0),
    )


async def has_expired_notes(session: AsyncSession, cutoff: date) -> bool:
    """Whether any dialogue held before `cutoff` still has its note text."""
    return bool(
        await session.scalar(
            select(
                exists().where(
                    WellbeingDialogue.held_on < cutoff,
                    WellbeingDialogue.notes_deleted_at.is_(None),
                )
            )
        )
    )


async def delete_expired_notes(
    session: AsyncSession, *, cutoff: date, now: datetime, retention_years: int, limit: int = 200
) -> list[int]:
    """Blank the free text of dialogues held before `cutoff`; each deletion is audited.

    The dialogue's facts (date, group, participants, themes, absence yes/no) and its action
    plan stay. A conditional UPDATE makes two instances delete (and audit) each once.
    """
    due = (
        await session.scalars(
            select(WellbeingDialogue)
            .where(WellbeingDialogue.held_on < cutoff, WellbeingDialogue.notes_deleted_at.is_(None))
            .order_by(WellbeingDialogue.id)
            .limit(limit)
        )
    ).all()
    deleted: list[int] = []
    for dialogue in due:
        had_text = [name for name in NOTE_FIELDS if getattr(dialogue, name)]
        changed = await session.execute(
            update(WellbeingDialogue)
            .where(
                WellbeingDialogue.id == dialogue.id,
                WellbeingDialogue.notes_deleted_at.is_(None),
            )
            .values(
                notes_deleted_at=now,
                updated_at=now,
                **{name: None for name in NOTE_FIELDS},
            )
            .execution_options(synchronize_session=False)
        )
        if not getattr(changed, "rowcount", 0):
            continue
        await audit.record(
            session,
            actor=SYSTEM_ACTOR,
            action="wellbeing.notes.delete",
            entity_type=DIALOGUE,
            entity_id=dialogue.id,
            before={"held_on": dialogue.held_on.isoformat(), "fields_with_text": had_text},
            after={"notes_deleted_at": now.isoformat(), "retention_years": retention_years},
        )
        deleted.append(dialogue.id)
    return deleted


# -- action-plan items -------------------------------------------------------------------------


async def owner_for(session: AsyncSession, upn: str) -> Person:
    """The person behind an owner's e-mail; someone not yet known is added by that address."""
    return await org.upsert_person(session, aad_object_id=None, upn=upn, name=None)


async def add_items(
    session: AsyncSession,
    drafts: Sequence[ItemDraft],
    *,
    unit_id: int,
    dialogue_id: int | None,
    actor_id: int,
    now: datetime,
    batch: str | None = None,
) -> list[WellbeingActionItem]:
    """Add items to the unit's plan, each audited.

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
        session.add(item)
        await session.flush()
        await audit.record(
            session,
            actor=person_actor(actor_id),
            action="wellbeing.item.add",
            entity_type=ITEM,
            entity_id=item.id,
            after=item.snapshot(),
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
    before = item.snapshot()
    follow_up_on = item.follow_up_on
    if status is ItemStatus.DONE and follow_up_on <= local_today(now):
        # Done after the follow-up date: ask about the effect once it has had time to work.
        follow_up_on = local_today(now) + timedelta(days=DEFAULT_FOLLOW_UP_DAYS)
    changed = await session.execute(
        update(WellbeingActionItem)
        .where(WellbeingActionItem.id == item.id, WellbeingActionItem.status == current.value)
        .values(
            status=status.value,
            follow_up_on=follow_up_on,
            status_note=note.strip() if note and note.strip() else None,
            status_by_id=actor_id,
            status_at=now,
            closed_at=None if status.is_open else now,
            updated_at=now,
        )
        .execution_options(synchronize_session=False)
    )
    await session.refresh(item)
    if not getattr(changed, "rowcount", 0):
        return await _refused(session, item, actor_id, "item.status", "closed")
    await audit.record(
        session,
        actor=person_actor(actor_id),
        action=f"wellbeing.item.{status.value}",
        entity_type=ITEM,
        entity_id=item.id,
        before=before,
        after=item.snapshot(),
    )
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
    before = item.snapshot()
    changed = await session.execute(
        update(WellbeingActionItem)
        .where(
            WellbeingActionItem.id == item.id,
            WellbeingActionItem.status == ItemStatus.DONE.value,
            WellbeingActionItem.effect.is_(None),
        )
        .values(
            effect=effect.value,
            effect_note=note.strip() if note and note.strip() else None,
            evaluated_by_id=actor_id,
            evaluated_at=now,
            updated_at=now,
        )
        .execution_options(synchronize_session=False)
    )
    await session.refresh(item)
    if not getattr(changed, "rowcount", 0):
        return Outcome(item, False, "already")
    await audit.record(
        session,
        actor=person_actor(actor_id),
        action=f"wellbeing.item.evaluate.{effect.value}",
        entity_type=ITEM,
        entity_id=item.id,
        before=before,
        after=item.snapshot(),
    )
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
        session.add(reopened)
        await session.flush()
        await audit.record(
            session,
            actor=person_actor(actor_id),
            action="wellbeing.item.reopen",
            entity_type=ITEM,
            entity_id=reopened.id,
            after=reopened.snapshot(),
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
                reopened_from_id=item.reopened_from_id,
                created_at=item.created_at,
            )
        )
    return views


async def item_view(session: AsyncSession, item: WellbeingActionItem) -> ItemView:
    return (await item_views(session, [item]))[0]


async def owner_upn(session: AsyncSession, item: WellbeingActionItem) -> str:
    owner = await session.get(Person, item.owner_id)
    return owner.upn or "" if owner else ""


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


# -- the annual work-environment discussion ------------------------------------------------------


async def save_amd(
    session: AsyncSession, form: AmdForm, *, actor_id: int, now: datetime
) -> tuple[WellbeingAnnualDiscussion, bool]:
    """Record (or correct) the unit's discussion of `form.year`; True if it is new."""

    def fill(row: WellbeingAnnualDiscussion) -> None:
        row.held_on = form.held_on
        row.participant_roles = [role.value for role in form.participant_roles]
        row.goals_met = form.goals_met.value
        row.goals_next_year = form.goals_next_year
        row.cooperation = form.cooperation
        row.competence_needs = form.competence_needs
        row.recorded_by_id = actor_id
        row.updated_at = now

    existing = await amd_of(session, form.unit_id, form.year)
    if existing is None:
        row = WellbeingAnnualDiscussion(unit_id=form.unit_id, year=form.year, created_at=now)
        fill(row)
        try:
            async with session.begin_nested():
                session.add(row)
                await session.flush()
        except IntegrityError:
            existing = await amd_of(session, form.unit_id, form.year)
            if existing is None:
                raise
        else:
            await audit.record(
                session,
                actor=person_actor(actor_id),
                action="wellbeing.amd.record",
                entity_type=AMD,
                entity_id=row.id,
                after=row.snapshot(),
            )
            return row, True
    before = existing.snapshot()
    fill(existing)
    await session.flush()
    await audit.record(
        session,
        actor=person_actor(actor_id),
        action="wellbeing.amd.update",
        entity_type=AMD,
        entity_id=existing.id,
        before=before,
        after=existing.snapshot(),
    )
    return existing, False


async def amd_of(
    session: AsyncSession, unit_id: int, year: int
) -> WellbeingAnnualDiscussion | None:
    return (
        await session.scalars(
            select(WellbeingAnnualDiscussion).where(
                WellbeingAnnualDiscussion.unit_id == unit_id,
                WellbeingAnnualDiscussion.year == year,
            )
        )
    ).first()


# -- counts for the overview and the weekly digest (never any text) --------------------------


async def overdue_counts_by_unit(session: AsyncSession, today: date) -> dict[int, int]:
    """`{unit_id: open items past their deadline}`."""
    rows = await session.execute(
        select(WellbeingActionItem.unit_id, func.count())
        .where(
            WellbeingActionItem.status.in_(OPEN_STATUSES),
            WellbeingActionItem.deadline < today,
        )
        .group_by(WellbeingActionItem.unit_id)
    )
    return {unit_id: int(count) for unit_id, count in rows}


async def open_counts_by_unit(session: AsyncSession) -> dict[int, int]:
    rows = await session.execute(
        select(WellbeingActionItem.unit_id, func.count())
        .where(WellbeingActionItem.status.in_(OPEN_STATUSES))
        .group_by(WellbeingActionItem.unit_id)
    )
    return {unit_id: int(count) for unit_id, count in rows}


async def last_dialogue_by_unit(session: AsyncSession) -> dict[int, tuple[date, int]]:
    """`{unit_id: (date of the last dialogue, number of dialogues)}`."""
    rows = await session.execute(
        select(
            WellbeingDialogue.unit_id, func.max(WellbeingDialogue.held_on), func.count()
        ).group_by(WellbeingDialogue.unit_id)
    )
    return {unit_id: (held, int(count)) for unit_id, held, count in rows}


async def amd_dates(session: AsyncSession, year: int) -> dict[int, date]:
    rows = await session.execute(
        select(WellbeingAnnualDiscussion.unit_id, WellbeingAnnualDiscussion.held_on).where(
            WellbeingAnnualDiscussion.year == year
        )
    )
    return {unit_id: held for unit_id, held in rows}


async def unit_statuses(
    session: AsyncSession,
    today: date,
    interval_years: int,
    unit_ids: Iterable[int] | None = None,
) -> list[UnitStatus]:
    """Counts per active unit: dialogues, when the next is due, open/overdue items, AMD."""
    units = await org.list_units(session)
    if unit_ids is not None:
        wanted = set(unit_ids)
        units = [unit for unit in units if unit.id in wanted]
    last = await last_dialogue_by_unit(session)
    open_counts = await open_counts_by_unit(session)
    overdue = await overdue_counts_by_unit(session, today)
    amd = await amd_dates(session, today.year)
    statuses: list[UnitStatus] = []
    for unit in units:
        held, count = last.get(unit.id, (None, 0))
        statuses.append(
            UnitStatus(
                unit_id=unit.id,
                unit=unit.name,
                dialogues=count,
                last_held=held,
                due_on=dialogue_due(held, interval_years, today),
                open_items=open_counts.get(unit.id, 0),
                overdue_items=overdue.get(unit.id, 0),
                amd_held_on=amd.get(unit.id),
            )
        )
    return statuses


async def dialogues_due(
    session: AsyncSession, today: date, interval_years: int, *, within_days: int = 0
) -> list[UnitStatus]:
    """Units whose next dialogue is due by `today + within_days` (never held = due now)."""
    horizon = today + timedelta(days=within_days)
    return [
        status
        for status in await unit_statuses(session, today, interval_years)
        if status.due_on <= horizon
    ]


async def units_without_amd(session: AsyncSession, year: int) -> list[UnitRef]:
    """Active units that have not recorded `year`'s annual work-environment discussion."""
    held = await amd_dates(session, year)
    return [
        UnitRef(id=unit.id, name=unit.name)
        for unit in await org.list_units(session)
        if unit.id not in held
    ]


async def plan_view(
    session: AsyncSession, unit: Unit, *, now: datetime, interval_years: int
) -> PlanView:
    """The unit's current plan with the dates the plan card shows."""
    today = local_today(now)
    items = await item_views(session, await plan_items(session, unit.id, now))
    last = (await last_dialogue_by_unit(session)).get(unit.id)
    held = last[0] if last else None
    amd = await amd_of(session, unit.id, today.year)
    return PlanView(
        unit_id=unit.id,
        unit=unit.name,
        items=items,
        last_held=held,
        due_on=dialogue_due(held, interval_years, today),
        amd_held_on=amd.held_on if amd else None,
        year=today.year,
    )
