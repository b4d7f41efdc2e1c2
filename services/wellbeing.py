"""Well-being services on the database and the notifier (`dialogs.wellbeing.WellbeingServices`).

Every user action is one transaction with its audit event, and every read and action checks
the speaker's role first. Messages to other people run after the answer, through the
notifier. Nothing here logs free text.
"""

from __future__ import annotations

import logging
import uuid
from typing import Any

from sqlalchemy.exc import IntegrityError

from cards.common import Card, notice_card, plain
from cards.exports import with_export
from cards.wellbeing_common import format_date
from cards.wellbeing_forms import amd_form, amd_saved_card
from cards.wellbeing_items import items_card, mine_card
from cards.wellbeing_plan import counts_card, notes_card, overview_card, plan_card, unit_picker
from domain.actor import Speaker
from domain.exports import ExportKind
from domain.i18n import Lang, t
from domain.ids import CardId, ChosenId, MaybeCardId
from domain.org import UnitRef
from domain.wellbeing import (
    ITEM_ROWS_STEP,
    DialogueForm,
    parse_amd,
)
from domain.wellbeing_privacy import Flag, check_texts
from services.actions import CardData, CardInputs, NoData, Verb
from services.wellbeing_items import (
    Evaluation,
    ItemActions,
    ItemEdit,
    ItemRef,
    ItemsForm,
    StatusChange,
)
from storage import org, wellbeing, wellbeing_counts, wellbeing_items
from storage.audit import audited
from storage.wellbeing import DialogueRow

log = logging.getLogger(__name__)


class PlanChoice(CardData):
    """Show a unit's plan: the unit the card names or the user picked (none: pick one)."""

    unit_id: ChosenId = None


class NotesChoice(CardData):
    """A unit's dialogue notes: the latest, or the dialogue the card names."""

    unit_id: CardId
    dialogue_id: MaybeCardId = None


class DatabaseWellbeingServices(ItemActions):
    """The well-being flow's reads and actions: role check, one transaction, then messages."""

    # -- the recording dialog ----------------------------------------------------------------

    async def recordable_units(self, speaker: Speaker) -> list[UnitRef]:
        async with self.db.reading() as connection:
            access = await self._access(connection, speaker)
            units = await self._units(connection)
        return [unit for unit in units if access.may_record(unit.id)]

    async def unit_problem(self, speaker: Speaker, unit_id: int) -> str | None:
        """Why the speaker cannot record a dialogue for the unit (a message key), or None.
        A unit they may not record for is a refusal, audited here."""
        async with self.db.reading() as connection:
            unit = await org.unit(connection, unit_id)
            access = await self._access(connection, speaker)
        if unit is None or not unit.active:
            return "form.error.unit"
        if access.may_record(unit_id):
            return None
        await self.refuse(speaker, "dialogue.record")
        return "wellbeing.error.unit_not_allowed"

    async def home_unit(self, speaker: Speaker) -> int | None:
        async with self.db.reading() as connection:
            return (await self._access(connection, speaker)).home_unit()

    async def flags(self, form: DialogueForm) -> list[Flag]:
        async with self.db.reading() as connection:
            index = await self._name_index(connection)
        return check_texts(form.texts(), index)

    async def record(
        self,
        speaker: Speaker,
        form: DialogueForm,
        flags_confirmed: int,
        submission_key: str | None = None,
    ) -> Card | None:
        lang = speaker.lang
        now = self.clock()
        try:
            async with audited(self.db) as connection:
                unit = await org.unit(connection, form.unit_id)
                if unit is None or not unit.active:
                    return None
                access = await self._access(connection, speaker)
                if speaker.person_id is None or not access.may_record(form.unit_id):
                    await wellbeing.refuse(
                        connection,
                        actor_id=speaker.person_id,
                        what="dialogue.record",
                        entity_type=wellbeing.DIALOGUE,
                        entity_id=None,
                        reason="not_allowed",
                    )
                    return self._not_allowed(lang, "wellbeing.not_allowed.record")
                dialogue = await wellbeing.record_dialogue(
                    connection,
                    form,
                    recorded_by_id=speaker.person_id,
                    flags_confirmed=flags_confirmed,
                    now=now,
                    submission_key=submission_key,
                )
                await org.remember_unit(connection, speaker.person_id, form.unit_id, now)
                unit_name = unit.name
        except IntegrityError:
            # The same card stored by another turn at the same moment.
            if submission_key is None:
                raise
            earlier = await self.recorded_before(speaker, submission_key)
            if earlier is None:
                raise
            return earlier
        return self._saved_card(lang, dialogue, unit_name)

    async def recorded_before(self, speaker: Speaker, submission_key: str) -> Card | None:
        """The card that followed the dialogue the speaker's card stored, if it stored one."""
        if speaker.person_id is None:
            return None
        async with self.db.reading() as connection:
            dialogue = await wellbeing.dialogue_of_submission(
                connection, submission_key, speaker.person_id
            )
            unit = await org.unit(connection, dialogue.unit_id) if dialogue is not None else None
        if dialogue is None:
            return None
        return self._saved_card(speaker.lang, dialogue, unit.name if unit else "")

    def _saved_card(self, lang: Lang, dialogue: DialogueRow, unit_name: str) -> Card:
        """The items card for the dialogue's action plan, saying it was saved. Its batch is
        the dialogue's submission key, so items are stored once from either copy."""
        return items_card(
            lang,
            picker=self.picker,
            unit=unit_name,
            unit_id=dialogue.unit_id,
            dialogue_id=dialogue.id,
            rows=ITEM_ROWS_STEP,
            batch=dialogue.submission_key or uuid.uuid4().hex,
            notice=t(
                lang,
                "wellbeing.saved",
                unit=plain(unit_name),
                group=plain(dialogue.group_name),
                date=format_date(lang, dialogue.held_on),
            ),
        )

    # -- words ---------------------------------------------------------------------------------

    async def word(self, speaker: Speaker, kind: str) -> Card:
        lang = speaker.lang
        if speaker.person_id is None:
            return self._not_allowed(lang)
        if kind == "plan":
            async with self.db.reading() as connection:
                home = (await self._access(connection, speaker)).home_unit()
                if home is None:
                    owned = await wellbeing_items.items_of_owner(connection, speaker.person_id)
                    units = {item.unit_id for item in owned}
                    home = units.pop() if len(units) == 1 else None
            if home is None:
                return await self._picker(speaker)
            return await self._plan(speaker, home)
        if kind == "amd":
            return await self._amd_form(speaker)
        if kind == "mine":
            return await self._mine(speaker)
        return await self._overview(speaker)

    async def _picker(
        self, speaker: Speaker, error: str | None = None, selected: int | None = None
    ) -> Card:
        async with self.db.reading() as connection:
            units = await self._units(connection)
        return unit_picker(speaker.lang, units, selected=selected, error=error)

    async def _plan(self, speaker: Speaker, unit_id: int, notice: str | None = None) -> Card:
        async with self.db.reading() as connection:
            unit = await org.unit(connection, unit_id)
            if unit is not None:
                access = await self._access(connection, speaker)
                plan = await wellbeing_counts.plan_view(
                    connection,
                    unit,
                    now=self.clock(),
                    interval_years=self.settings.dialogue_interval_years,
                )
                readable = await wellbeing.readable_dialogues(connection, access, unit_id, limit=1)
        if unit is None:
            return await self._picker(speaker, t(speaker.lang, "wellbeing.error.unit"))
        card = plan_card(
            speaker.lang,
            plan,
            today=self._today(),
            can_manage=access.may_manage_plan(unit_id),
            can_read_notes=bool(readable) or access.may_see_counts(unit_id),
            notice=notice,
        )
        if not access.may_see_counts(unit_id):
            return card
        return with_export(card, speaker.lang, ExportKind.ACTION_PLAN, unit_id=unit_id)

    async def _mine(self, speaker: Speaker) -> Card:
        assert speaker.person_id is not None
        async with self.db.reading() as connection:
            views = await wellbeing_items.item_views(
                connection, await wellbeing_items.items_of_owner(connection, speaker.person_id)
            )
        if not views:
            return notice_card(
                t(speaker.lang, "wellbeing.mine.title"), t(speaker.lang, "wellbeing.mine.empty")
            )
        return mine_card(speaker.lang, views, today=self._today())

    async def _overview(self, speaker: Speaker) -> Card:
        async with self.db.reading() as connection:
            access = await self._access(connection, speaker)
            units = [u for u in await self._units(connection) if access.may_see_counts(u.id)]
            statuses = (
                await wellbeing_counts.unit_statuses(
                    connection,
                    self._today(),
                    self.settings.dialogue_interval_years,
                    [unit.id for unit in units],
                )
                if units
                else []
            )
        if not units:
            await self.refuse(speaker, "overview")
            return self._not_allowed(speaker.lang, "wellbeing.not_allowed.overview")
        return overview_card(speaker.lang, statuses, today=self._today())

    async def _amd_form(self, speaker: Speaker) -> Card:
        async with self.db.reading() as connection:
            access = await self._access(connection, speaker)
            units = [u for u in await self._units(connection) if access.may_record(u.id)]
        if not units:
            await self.refuse(speaker, "amd.open", wellbeing.AMD)
            return self._not_allowed(speaker.lang, "wellbeing.not_allowed.amd")
        home = access.home_unit()
        values: dict[str, Any] = {}
        if home is not None and any(unit.id == home for unit in units):
            values["unit_id"] = str(home)
        elif len(units) == 1:
            values["unit_id"] = str(units[0].id)
        return amd_form(speaker.lang, units, year=self._today().year, values=values)

    # -- card actions ------------------------------------------------------------------------

    def verbs(self) -> list[Verb[Any]]:
        """The items form, an item's cards, the plan, the notes and the annual discussion."""
        return [
            Verb("wellbeing.items.save", ItemsForm, self.save_items),
            Verb("wellbeing.items.rows", ItemsForm, self.more_rows),
            Verb("wellbeing.items.add", ItemsForm, self.new_items),
            Verb("wellbeing.item.progress", StatusChange, self.start_item),
            Verb("wellbeing.item.done", StatusChange, self.finish_item),
            Verb("wellbeing.item.drop", StatusChange, self.drop_item),
            Verb("wellbeing.item.evaluate", Evaluation, self.evaluate),
            Verb("wellbeing.item.refresh", ItemRef, self.open_item),
            Verb("wellbeing.item.open", ItemRef, self.open_item),
            Verb("wellbeing.item.edit", ItemRef, self.edit_item),
            Verb("wellbeing.item.save", ItemEdit, self.save_item),
            Verb("wellbeing.plan.show", PlanChoice, self.show_plan),
            Verb("wellbeing.plan.pick", NoData, self.pick_plan),
            Verb("wellbeing.notes.show", NotesChoice, self.show_notes),
            Verb("wellbeing.amd.save", CardInputs, self.save_amd),
        ]

    async def show_plan(self, speaker: Speaker, choice: PlanChoice) -> Card:
        if speaker.person_id is None:
            return self._not_allowed(speaker.lang)
        if choice.unit_id is None:
            return await self._picker(speaker, t(speaker.lang, "wellbeing.error.unit"))
        return await self._plan(speaker, choice.unit_id)

    async def pick_plan(self, speaker: Speaker, _: NoData) -> Card:
        if speaker.person_id is None:
            return self._not_allowed(speaker.lang)
        async with self.db.reading() as connection:
            home = (await self._access(connection, speaker)).home_unit()
        return await self._picker(speaker, selected=home)

    # -- notes ---------------------------------------------------------------------------------

    async def show_notes(self, speaker: Speaker, choice: NotesChoice) -> Card:
        """A unit's dialogue notes (the chosen dialogue, or the latest) for those who may
        read them; the counts, or a refusal, for the others."""
        lang = speaker.lang
        if speaker.person_id is None:
            return self._not_allowed(lang)
        unit_id, wanted = choice.unit_id, choice.dialogue_id
        async with audited(self.db) as connection:
            access = await self._access(connection, speaker)
            dialogues = await wellbeing.readable_dialogues(connection, access, unit_id)
            if wanted is not None and not any(d.id == wanted for d in dialogues):
                dialogues = []  # that dialogue is not one this person may read
            if not dialogues:
                statuses = (
                    await wellbeing_counts.unit_statuses(
                        connection, self._today(), self.settings.dialogue_interval_years, [unit_id]
                    )
                    if access.may_see_counts(unit_id)
                    else []
                )
                await wellbeing.refuse(
                    connection,
                    actor_id=speaker.person_id,
                    what="notes.read",
                    entity_type=wellbeing.DIALOGUE,
                    entity_id=wanted,
                    reason="counts_only" if statuses else "not_allowed",
                )
                if statuses:
                    return counts_card(lang, statuses[0], today=self._today())
                return self._not_allowed(lang, "wellbeing.not_allowed.notes")
            chosen = next((d for d in dialogues if d.id == wanted), dialogues[0])
            notes = await wellbeing.read_notes(connection, access, chosen)
            others = [(d.id, d.held_on, d.group_name) for d in dialogues if d.id != chosen.id]
        assert notes is not None
        return notes_card(lang, notes, unit_id=unit_id, others=others)

    # -- annual discussion -------------------------------------------------------------------

    async def save_amd(self, speaker: Speaker, sent: CardInputs) -> Card:
        """Record the unit's annual discussion (or the form again, with what is wrong)."""
        lang = speaker.lang
        if speaker.person_id is None:
            return self._not_allowed(lang)
        today = self._today()
        values = {key: value for key, value in sent.inputs().items() if key != "action"}
        form, problems = parse_amd(values, today=today)
        async with self.db.reading() as connection:
            access = await self._access(connection, speaker)
            units = [u for u in await self._units(connection) if access.may_record(u.id)]
        if not units:
            await self.refuse(speaker, "amd.record", wellbeing.AMD)
            return self._not_allowed(lang, "wellbeing.not_allowed.amd")
        if form is not None and not access.may_record(form.unit_id):
            await self.refuse(speaker, "amd.record", wellbeing.AMD)
            problems = {"unit_id": "wellbeing.error.unit_not_allowed"}
            form = None
        if form is None:
            errors = {name: t(lang, key) for name, key in problems.items()}
            return amd_form(lang, units, year=today.year, values=values, errors=errors)
        assert speaker.person_id is not None
        async with audited(self.db) as connection:
            unit = await org.unit(connection, form.unit_id)
            if unit is None or not unit.active:
                errors = {"unit_id": t(lang, "form.error.unit")}
                return amd_form(lang, units, year=today.year, values=values, errors=errors)
            row, new = await wellbeing.save_amd(
                connection, form, actor_id=speaker.person_id, now=self.clock()
            )
            unit_name = unit.name
        return amd_saved_card(
            lang,
            unit=unit_name,
            unit_id=form.unit_id,
            year=row.year,
            held_on=row.held_on,
            new=new,
        )
