"""The action-plan items' use cases, on the flow's shared core (`services.wellbeing_core`):
adding items, delivering each to its owner, status, evaluation, edits.
`services.wellbeing.DatabaseWellbeingServices` builds on them."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy.exc import IntegrityError

from cards.common import Card, notice_card, plain
from cards.wellbeing_items import (
    follow_up_card,
    item_edit_card,
    items_card,
    items_saved_card,
    owner_card,
)
from domain.actor import Speaker
from domain.i18n import Lang, t
from domain.ids import CardId, MaybeCardId
from domain.org import UnitRef
from domain.wellbeing import ITEM_ROWS_STEP, Access, ItemStatus, ItemView
from domain.wellbeing_items import (
    ItemDraft,
    item_texts,
    item_values,
    parse_effect,
    parse_item,
    parse_items,
    rows_of,
)
from domain.wellbeing_privacy import check_texts
from services.actions import CardData, CardInputs, InputText
from services.people import Found, fill_in, look_up
from services.ports import WORKER
from services.wellbeing_core import (
    CLAIM_LEASE,
    WellbeingCore,
    item_flags,
    owner_key,
    person_lang,
)
from storage import jobs, org, wellbeing, wellbeing_items
from storage.audit import audited
from storage.db import HotConnection
from storage.rows import PersonRow
from storage.rows import person as person_by_id
from storage.wellbeing import ITEM
from storage.wellbeing_items import ItemRow

_BATCH = re.compile(r"[0-9a-f]{32}")


class ItemsForm(CardInputs):
    """The items form: its unit and dialogue, and its rows' inputs (with `rows`, `batch`,
    `confirm`)."""

    unit_id: CardId
    dialogue_id: MaybeCardId = None


class ItemRef(CardData):
    item_id: CardId


class StatusChange(ItemRef):
    """An owner's (or, from the edit card, a manager's) status button, with a note."""

    origin: InputText = ""
    note: InputText = ""

    def note_text(self) -> str | None:
        return self.note.strip()[:500] or None


class Evaluation(StatusChange):
    effect: InputText = ""


class ItemEdit(CardInputs):
    """The edit card: the item, and the inputs (with `confirm`)."""

    item_id: CardId


@dataclass(frozen=True)
class ItemsTarget:
    """Where an items form's items go."""

    unit: UnitRef
    dialogue_id: int | None
    rows: int
    batch: str

    def form(self, lang: Lang, **extra: Any) -> Card:
        return items_card(
            lang,
            unit=self.unit.name,
            unit_id=self.unit.id,
            dialogue_id=self.dialogue_id,
            rows=self.rows,
            batch=self.batch,
            **extra,
        )


class ItemActions(WellbeingCore):
    """The action-plan items: one transaction per action with its audit event, then the
    messages to owners and managers."""

    # -- items ---------------------------------------------------------------------------------

    async def new_items(self, speaker: Speaker, sent: ItemsForm) -> Card:
        """An empty items form for the unit (after items were saved: "add more")."""
        target = await self._items_target(speaker, sent)
        if not isinstance(target, ItemsTarget):
            return target
        return items_card(
            speaker.lang,
            picker=self.picker,
            unit=target.unit.name,
            unit_id=target.unit.id,
            dialogue_id=target.dialogue_id,
            rows=ITEM_ROWS_STEP,
            batch=uuid.uuid4().hex,
        )

    async def more_rows(self, speaker: Speaker, sent: ItemsForm) -> Card:
        """The items form again with more rows, the typed rows kept."""
        target = await self._items_target(speaker, sent)
        if not isinstance(target, ItemsTarget):
            return target
        return target.form(speaker.lang, values=item_values(sent.inputs(), target.rows))

    async def save_items(self, speaker: Speaker, sent: ItemsForm) -> Card:
        """Store the form's items (once per batch) after the personal-data check, and deliver
        each to its owner; the form again with what is wrong, or what was flagged."""
        lang = speaker.lang
        target = await self._items_target(speaker, sent)
        if not isinstance(target, ItemsTarget):
            return target
        data, rows, today = sent.inputs(), target.rows, self._today()
        values = item_values(data, rows)
        drafts, problems = parse_items(data, rows, today=today)
        if problems:
            errors = {name: t(lang, key) for name, key in problems.items()}
            return target.form(lang, picker=self.picker, values=values, errors=errors)
        if not drafts:
            return target.form(
                lang, picker=self.picker, values=values, notice=t(lang, "wellbeing.items.none")
            )
        if str(data.get("confirm")) != "yes":
            async with self.db.reading() as connection:
                flags = await item_flags(connection, data, rows, today=today)
            if flags:
                return target.form(lang, picker=self.picker, values=values, flags=flags)
        assert speaker.person_id is not None
        unit, dialogue_id = target.unit, target.dialogue_id
        in_directory = await look_up(self.db, self.directory, [d.owner_upn for d in drafts])
        views, unreachable = await self._store_items(
            speaker.person_id, drafts, unit.id, dialogue_id, target.batch, in_directory
        )
        for view in views:
            self.notifier.later(self._deliver_quietly(view.id), name=f"wellbeing.deliver.{view.id}")
        return items_saved_card(
            lang,
            unit=unit.name,
            unit_id=unit.id,
            dialogue_id=dialogue_id,
            views=views,
            unreachable=unreachable,
        )

    async def _items_target(self, speaker: Speaker, sent: ItemsForm) -> ItemsTarget | Card:
        """The unit (and dialogue) the items form is for, if the speaker manages its plan;
        otherwise the answer (a refusal is audited)."""
        lang = speaker.lang
        if speaker.person_id is None:
            return self._not_allowed(lang)
        unit_id = sent.unit_id
        async with self.db.reading() as connection:
            access = await self._access(connection, speaker)
            unit = await org.unit(connection, unit_id)
            dialogue_id = sent.dialogue_id
            if dialogue_id is not None:
                dialogue = await wellbeing.get_dialogue(connection, dialogue_id)
                if dialogue is None or dialogue.unit_id != unit_id:
                    dialogue_id = None
        if unit is None:
            return notice_card(t(lang, "wellbeing.title"), t(lang, "card.invalid_input"))
        if not access.may_manage_plan(unit.id):
            async with audited(self.db) as connection:
                await wellbeing.refuse(
                    connection,
                    actor_id=speaker.person_id,
                    what="items.add",
                    entity_type=ITEM,
                    entity_id=None,
                    reason="not_allowed",
                )
            return self._not_allowed(lang, "wellbeing.not_allowed.plan")
        sent_batch = str(sent.inputs().get("batch") or "")
        batch = sent_batch if _BATCH.fullmatch(sent_batch) else uuid.uuid4().hex
        return ItemsTarget(
            UnitRef(id=unit.id, name=unit.name),
            dialogue_id,
            rows_of(sent.inputs().get("rows")),
            batch,
        )

    async def _store_items(
        self,
        actor_id: int,
        drafts: list[ItemDraft],
        unit_id: int,
        dialogue_id: int | None,
        batch: str,
        in_directory: Found,
    ) -> tuple[list[ItemView], list[str]]:
        """Store the card's items once; a concurrent click (or a new owner added by both at
        once) makes one transaction fail, and its retry finds what the other stored. Owners
        picked by object id come with what the directory said of them (`in_directory`)."""
        for attempt in range(3):
            try:
                async with audited(self.db) as connection:
                    await fill_in(connection, in_directory)
                    items = await wellbeing_items.add_items(
                        connection,
                        drafts,
                        unit_id=unit_id,
                        dialogue_id=dialogue_id,
                        actor_id=actor_id,
                        now=self.clock(),
                        batch=batch,
                    )
                    views = await wellbeing_items.item_views(connection, items)
                    unreachable = [
                        view.owner
                        for view in views
                        if not self.notifier.reaches_without_chat
                        and not await wellbeing.has_personal_chat(connection, view.owner_id)
                    ]
                return views, unreachable
            except IntegrityError:
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")

    async def _deliver_quietly(self, item_id: int) -> None:
        await self.deliver_owner_card(item_id)

    async def deliver_owner_card(self, item_id: int) -> bool:
        """Send the owner their item once (per owner); False if it cannot be sent yet."""
        async with self.db.reading() as connection:
            item = await wellbeing_items.get_item(connection, item_id)
        if item is None or not ItemStatus(item.status).is_open:
            return False
        owner_id = item.owner_id
        key = f"wellbeing:assign:{item_id}:{owner_id}"
        if not await jobs.claim(self.db, key, WORKER, CLAIM_LEASE):
            return False
        try:
            async with self.db.reading() as connection:
                item = await wellbeing_items.get_item(connection, item_id)
                owner = await person_by_id(connection, owner_id)
                view = None
                if item is not None and owner is not None and item.owner_id == owner_id:
                    view = await wellbeing_items.item_view(connection, item)
            if view is None or owner is None:
                await jobs.complete(self.db, key, WORKER, {"delivered": False})
                return False
            lang = person_lang(owner)
            delivered = await self.notifier.card_to_person(
                owner.id,
                owner_card(lang, view, today=self._today(), heading=t(lang, "wellbeing.owner.new")),
                key=owner_key(item_id, owner_id),
                entity=(ITEM, str(item_id)),
            )
        except Exception as error:
            await jobs.release_failed(self.db, key, WORKER, type(error).__name__)
            raise
        if not delivered:
            await jobs.release_failed(self.db, key, WORKER, "not delivered")
            return False
        async with self.db.writing() as connection:
            await wellbeing_items.mark(connection, item_id, owner_notified_at=self.clock())
        await jobs.complete(self.db, key, WORKER, {"delivered": True})
        return True

    def _render_for(self, view: ItemView, owner: PersonRow | None) -> Callable[[str], Card | None]:
        """The new card for each posted copy of an item (the owner's card, the follow-up)."""
        today = self._today()

        def render(key: str) -> Card | None:
            if owner is None:
                return None
            lang = person_lang(owner)
            if ":follow_up:" in key:
                return follow_up_card(lang, view, today=today)
            posted_to = re.search(r":owner:(\d+)(?::|$)", key)
            if posted_to is None:
                return None
            if int(posted_to.group(1)) == view.owner_id:
                return owner_card(lang, view, today=today)
            # A former owner's copy: the item as it is now, without buttons.
            return owner_card(lang, view, today=today, interactive=False)

        return render

    async def update_posted(self, item_id: int) -> None:
        """Bring every posted card of the item up to date."""
        async with self.db.reading() as connection:
            item = await wellbeing_items.get_item(connection, item_id)
            if item is None:
                return
            view = await wellbeing_items.item_view(connection, item)
            owner = await person_by_id(connection, item.owner_id)
        await self.notifier.update_cards((ITEM, str(item_id)), self._render_for(view, owner))

    def _refusal(self, lang: Lang, reason: str | None, view: ItemView | None) -> str:
        if reason == "closed" and view is not None:
            return t(
                lang,
                "wellbeing.refused.closed",
                status=t(lang, f"wellbeing.status.{view.status.value}").lower(),
            )
        return t(lang, f"wellbeing.refused.{reason or 'not_allowed'}")

    async def _item_card(
        self,
        speaker: Speaker,
        item: ItemRow,
        access: Access,
        connection: HotConnection,
        *,
        origin: str,
        notice: str | None = None,
    ) -> Card:
        """The card for this reader: the owner's card, the follow-up question, or the editor."""
        lang = speaker.lang
        today = self._today()
        view = await wellbeing_items.item_view(connection, item)
        if origin == "edit" and access.may_manage_plan(item.unit_id):
            return item_edit_card(
                lang,
                view,
                picker=self.picker,
                owner_upn=await wellbeing_items.owner_upn(connection, item, picker=self.picker),
                today=today,
                notice=notice,
            )
        if (
            view.status is ItemStatus.DONE
            and (view.effect is not None or view.follow_up_on <= today)
            and access.may_update_item(item.unit_id, item.owner_id)
        ):
            return follow_up_card(lang, view, today=today, notice=notice)
        if item.owner_id == speaker.person_id:
            return owner_card(lang, view, today=today, notice=notice)
        if access.may_manage_plan(item.unit_id):
            return item_edit_card(
                lang,
                view,
                picker=self.picker,
                owner_upn=await wellbeing_items.owner_upn(connection, item, picker=self.picker),
                today=today,
                notice=notice,
            )
        return owner_card(lang, view, today=today, notice=notice, interactive=False)

    async def open_item(self, speaker: Speaker, ref: ItemRef) -> Card:
        """The item's card as it is now, for this reader (a refresh, or Open in the plan)."""
        if speaker.person_id is None:
            return self._not_allowed(speaker.lang)
        async with self.db.reading() as connection:
            item = await wellbeing_items.get_item(connection, ref.item_id)
            if item is None:
                return notice_card(
                    t(speaker.lang, "wellbeing.title"),
                    t(speaker.lang, "wellbeing.refused.not_found"),
                )
            access = await self._access(connection, speaker)
            return await self._item_card(speaker, item, access, connection, origin="open")

    async def start_item(self, speaker: Speaker, change: StatusChange) -> Card:
        return await self._set_status(speaker, ItemStatus.IN_PROGRESS, change)

    async def finish_item(self, speaker: Speaker, change: StatusChange) -> Card:
        return await self._set_status(speaker, ItemStatus.DONE, change)

    async def drop_item(self, speaker: Speaker, change: StatusChange) -> Card:
        return await self._set_status(speaker, ItemStatus.DROPPED, change)

    async def _set_status(self, speaker: Speaker, status: ItemStatus, change: StatusChange) -> Card:
        lang = speaker.lang
        if speaker.person_id is None:
            return self._not_allowed(lang)
        item_id = change.item_id
        origin = "edit" if change.origin == "edit" else "owner"
        async with audited(self.db) as connection:
            access = await self._access(connection, speaker)
            outcome = await wellbeing_items.set_status(
                connection,
                item_id,
                status,
                access=access,
                note=change.note_text(),
                now=self.clock(),
            )
            if outcome.item is None:
                return notice_card(
                    t(lang, "wellbeing.title"), t(lang, "wellbeing.refused.not_found")
                )
            if outcome.refused == "not_allowed":
                return self._not_allowed(lang, "wellbeing.refused.not_owner")
            notice = None
            if not outcome.changed and outcome.refused != "unchanged":
                view = await wellbeing_items.item_view(connection, outcome.item)
                notice = self._refusal(lang, outcome.refused, view)
            card = await self._item_card(
                speaker, outcome.item, access, connection, origin=origin, notice=notice
            )
            item = outcome.item
            unit_id = item.unit_id
        if outcome.changed:
            self.notifier.later(self.update_posted(item_id), name="wellbeing.status")
            if status is ItemStatus.DROPPED:
                self.notifier.later(
                    self._tell_managers(item_id, unit_id, "dropped", skip=speaker.person_id),
                    name="wellbeing.dropped",
                )
        return card

    async def evaluate(self, speaker: Speaker, evaluation: Evaluation) -> Card:
        """The follow-up: did the item work (not: a new item is opened)."""
        lang = speaker.lang
        if speaker.person_id is None:
            return self._not_allowed(lang)
        item_id = evaluation.item_id
        effect = parse_effect(evaluation.effect)
        async with audited(self.db) as connection:
            access = await self._access(connection, speaker)
            item = await wellbeing_items.get_item(connection, item_id)
            if item is None:
                return notice_card(
                    t(lang, "wellbeing.title"), t(lang, "wellbeing.refused.not_found")
                )
            if effect is None:
                view = await wellbeing_items.item_view(connection, item)
                return follow_up_card(
                    lang, view, today=self._today(), notice=t(lang, "wellbeing.error.effect")
                )
            outcome = await wellbeing_items.evaluate(
                connection,
                item_id,
                effect,
                access=access,
                note=evaluation.note_text(),
                now=self.clock(),
            )
            if outcome.refused == "not_allowed":
                return self._not_allowed(lang, "wellbeing.refused.not_owner")
            assert outcome.item is not None
            view = await wellbeing_items.item_view(connection, outcome.item)
            notice = None
            if not outcome.changed:
                notice = self._refusal(lang, outcome.refused, view)
            elif outcome.reopened is not None:
                notice = t(lang, "wellbeing.reopened", ref=f"#{outcome.reopened.id}")
            reopened_id = outcome.reopened.id if outcome.reopened else None
            unit_id = outcome.item.unit_id
        if outcome.changed:
            self.notifier.later(self.update_posted(item_id), name="wellbeing.evaluated")
        if reopened_id is not None:
            self.notifier.later(self._deliver_quietly(reopened_id), name="wellbeing.reopened")
            self.notifier.later(
                self._tell_managers(reopened_id, unit_id, "reopened", skip=None),
                name="wellbeing.reopened.managers",
            )
        return follow_up_card(lang, view, today=self._today(), notice=notice)

    async def _tell_managers(
        self, item_id: int, unit_id: int, what: str, *, skip: int | None
    ) -> None:
        """Tell the unit's leaders and AMKs that an item was dropped or reopened."""
        async with self.db.reading() as connection:
            item = await wellbeing_items.get_item(connection, item_id)
            if item is None:
                return
            view = await wellbeing_items.item_view(connection, item)
            people = await wellbeing.unit_leaders_and_amks(connection, unit_id)
        for person in people:
            if person.id == skip:
                continue
            lang = person_lang(person)
            await self.notifier.card_to_person(
                person.id,
                notice_card(
                    t(lang, "wellbeing.title"),
                    t(
                        lang,
                        f"wellbeing.managers.{what}",
                        ref=view.reference,
                        unit=plain(view.unit),
                        owner=plain(view.owner),
                        by=plain(view.status_by or view.owner),
                        problem=plain(view.problem[:200]),
                        note=plain(view.status_note or ""),
                    ),
                ),
                key=f"wellbeing:item:{item_id}:{what}:{person.id}",
                entity=("wellbeing_notice", str(item_id)),
            )

    async def edit_item(self, speaker: Speaker, ref: ItemRef) -> Card:
        """The item's edit form, for those who manage the unit's plan."""
        lang = speaker.lang
        if speaker.person_id is None:
            return self._not_allowed(lang)
        async with audited(self.db) as connection:
            item = await wellbeing_items.get_item(connection, ref.item_id)
            if item is None:
                return notice_card(
                    t(lang, "wellbeing.title"), t(lang, "wellbeing.refused.not_found")
                )
            access = await self._access(connection, speaker)
            if not access.may_manage_plan(item.unit_id):
                await wellbeing.refuse(
                    connection,
                    actor_id=speaker.person_id,
                    what="item.edit",
                    entity_type=ITEM,
                    entity_id=item.id,
                    reason="not_allowed",
                )
                return self._not_allowed(lang, "wellbeing.not_allowed.plan")
            view = await wellbeing_items.item_view(connection, item)
            upn = await wellbeing_items.owner_upn(connection, item, picker=self.picker)
        return item_edit_card(lang, view, picker=self.picker, owner_upn=upn, today=self._today())

    async def save_item(self, speaker: Speaker, edit: ItemEdit) -> Card:
        """Save the edited item after the personal-data check (or the form, with what is
        wrong); a new owner gets the item."""
        lang = speaker.lang
        if speaker.person_id is None:
            return self._not_allowed(lang)
        data = edit.inputs()
        today = self._today()
        async with self.db.reading() as connection:
            item = await wellbeing_items.get_item(connection, edit.item_id)
            if item is None:
                return notice_card(
                    t(lang, "wellbeing.title"), t(lang, "wellbeing.refused.not_found")
                )
            access = await self._access(connection, speaker)
            view = await wellbeing_items.item_view(connection, item)
            upn = await wellbeing_items.owner_upn(connection, item, picker=self.picker)
            index = await self._name_index(connection)
        if not access.may_manage_plan(view.unit_id):
            async with audited(self.db) as connection:
                await wellbeing.refuse(
                    connection,
                    actor_id=speaker.person_id,
                    what="item.edit",
                    entity_type=ITEM,
                    entity_id=view.id,
                    reason="not_allowed",
                )
            return self._not_allowed(lang, "wellbeing.not_allowed.plan")
        values = {
            name: str(data.get(name) or "")
            for name in ("problem", "action", "owner", "deadline", "follow_up")
        }
        draft, problems = parse_item(data, None, today=today, old_deadline=view.deadline)
        if draft is None:
            problems = problems or {"problem": "wellbeing.error.item_problem"}
            errors = {name: t(lang, key) for name, key in problems.items()}
            return item_edit_card(
                lang,
                view,
                picker=self.picker,
                owner_upn=upn,
                today=today,
                values=values,
                errors=errors,
            )
        if str(data.get("confirm")) != "yes":
            flags = check_texts(item_texts([(None, draft)]), index)
            if flags:
                return item_edit_card(
                    lang,
                    view,
                    picker=self.picker,
                    owner_upn=upn,
                    today=today,
                    values=values,
                    flags=flags,
                )
        in_directory = await look_up(self.db, self.directory, [draft.owner_upn])
        async with audited(self.db) as connection:
            await fill_in(connection, in_directory)
            outcome = await wellbeing_items.edit_item(
                connection, view.id, draft, access=access, now=self.clock()
            )
            assert outcome.item is not None
            new_view = await wellbeing_items.item_view(connection, outcome.item)
            new_upn = await wellbeing_items.owner_upn(connection, outcome.item, picker=self.picker)
        if not outcome.changed:
            return item_edit_card(
                lang,
                new_view,
                picker=self.picker,
                owner_upn=new_upn,
                today=today,
                notice=self._refusal(lang, outcome.refused, new_view),
            )
        self.notifier.later(self.update_posted(view.id), name="wellbeing.edited")
        if new_view.owner_id != view.owner_id:
            self.notifier.later(self._deliver_quietly(view.id), name="wellbeing.new_owner")
        return item_edit_card(
            lang,
            new_view,
            picker=self.picker,
            owner_upn=new_upn,
            today=today,
            notice=t(lang, "wellbeing.edit.saved"),
        )
