"""An administrator erases a person on request from Teams (GDPR art. 17): the admin card's
"Erase a person" opens a form (an e-mail address, or Teams' people picker), the bot shows
what would change (the dry run the command line's `person erase --dry-run` prints) with a
confirm button, and only the confirmation erases, through `storage.erasure` as the command
line does, audited. Anyone else is refused, and the refusal is audited."""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

from cards.common import Card, notice_card
from cards.erasure import erase_form_card, erase_preview_card, erased_card
from domain.actor import Speaker
from domain.i18n import t
from domain.my_data import ERASE_ACTION, EraseForm
from domain.people import PersonInput
from services.actions import CardData, CardInputs, NoData, Verb
from services.ports import Clock
from storage import audit, erasure
from storage.db import Database
from storage.models import utcnow

PREVIEW_ACTION = "person.erase.preview"


class ErasePreview(CardInputs):
    """The form's inputs: whom to erase."""


class EraseConfirm(CardData):
    """The preview card's confirmation: whom (as the administrator gave it)."""

    person: PersonInput


class ErasureServices:
    """The admin card's erasure (one transaction per click)."""

    def __init__(self, db: Database, *, picker: bool = False, clock: Clock = utcnow) -> None:
        self.db = db
        self.picker = picker
        self.clock = clock

    def verbs(self) -> list[Verb[Any]]:
        return [
            Verb("admin.erase.form", NoData, self.form),
            Verb("admin.erase.preview", ErasePreview, self.preview),
            Verb("admin.erase.confirm", EraseConfirm, self.confirm),
        ]

    async def form(self, speaker: Speaker, _: NoData) -> Card:
        if not speaker.is_admin:
            return await self._refuse(speaker, PREVIEW_ACTION)
        return erase_form_card(speaker.lang, picker=self.picker)

    async def preview(self, speaker: Speaker, sent: ErasePreview) -> Card:
        """What erasing the person would change, with the button that does it; the form
        again, with what is wrong under the field, for an unknown or mistyped person.
        Looking is audited (who looked, at whom), never what was counted."""
        lang = speaker.lang
        if not speaker.is_admin:
            return await self._refuse(speaker, PREVIEW_ACTION)
        values = sent.inputs()
        try:
            who = EraseForm.model_validate(values).person
        except ValidationError:
            key = "people.pick.error" if self.picker else "erase.person.error"
            return erase_form_card(lang, picker=self.picker, values=values, error=t(lang, key))
        async with audit.audited(self.db) as connection:
            result = await erasure.erase_person(
                connection, who=who, dry_run=True, actor=speaker.actor, now=self.clock()
            )
            if result is not None:
                await audit.record(
                    connection,
                    actor=speaker.actor,
                    action=PREVIEW_ACTION,
                    entity_type="person",
                    entity_id=result.person_id,
                )
        if result is None:
            unknown = t(lang, "erase.unknown")
            return erase_form_card(lang, picker=self.picker, values=values, error=unknown)
        return erase_preview_card(lang, result, who=who)

    async def confirm(self, speaker: Speaker, sent: EraseConfirm) -> Card:
        """Erase the person (`storage.erasure`, audited as `person.erase` with the counts);
        what changed, or that no one is known by it (erased already)."""
        lang = speaker.lang
        if not speaker.is_admin:
            return await self._refuse(speaker, ERASE_ACTION)
        async with audit.audited(self.db) as connection:
            result = await erasure.erase_person(
                connection, who=sent.person, dry_run=False, actor=speaker.actor, now=self.clock()
            )
        if result is None:
            return notice_card(t(lang, "erase.title"), t(lang, "erase.unknown"))
        return erased_card(lang, result)

    async def _refuse(self, speaker: Speaker, action: str) -> Card:
        await audit.record_refusal(
            self.db, actor=speaker.actor, action=action, entity_type="person", entity_id=None
        )
        lang = speaker.lang
        return notice_card(t(lang, "erase.title"), t(lang, "erase.not_allowed"))
