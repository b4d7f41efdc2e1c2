"""Lone-work approval: the request dialog and the list words (the approval cards' actions are
verbs in `services.lone_work`)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, Protocol

from botbuilder.core import TurnContext
from botbuilder.dialogs import (
    Dialog,
    DialogTurnResult,
    WaterfallStepContext,
)

from cards.common import Card
from cards.lone_work import request_form, summary_card
from dialogs.card_prompt import CardDialog, end_cancelled
from dialogs.context import speaker_of
from dialogs.outgoing import card_activity, text_activity
from domain.actor import Speaker
from domain.commands import Flow
from domain.i18n import t
from domain.lone_work import LoneWorkForm, NotSent, parse, preview
from domain.org import UnitRef
from domain.submissions import FIELD, key_in, new_key

DIALOG_ID = "lone_work"
NAME_KEY = "lone_work.dialog_name"
_FORM = "lone_work.form"
_SUMMARY = "lone_work.summary"
_PROMPT = "lone_work.prompt"
LIST_WORDS = {
    "mine": "mine",
    "mine anmodninger": "mine",
    "my requests": "mine",
    "til godkendelse": "pending",
    "pending": "pending",
    "alenearbejde oversigt": "overview",
    "lone work overview": "overview",
    "lone work summary": "overview",
}


UNKNOWN_UNIT: dict[str, str] = {"unit_id": "form.error.unit"}
UNNAMED: dict[str, str] = {"emergency_name": "lone_work.error.emergency_unnamed"}


class LoneWorkServices(Protocol):
    """What the lone-work dialog and its cards need from the rest of the bot."""

    @property
    def picker(self) -> bool:
        """Whether the form offers Teams' people picker for the emergency contact."""

    async def contact_name(self, aad_object_id: str) -> str | None:
        """The name of the colleague picked as emergency contact: the one the bot knows, or
        the directory's; None if neither knows it."""

    async def form_choices(
        self, speaker: Speaker, *, home: bool
    ) -> tuple[list[UnitRef], int | None]:
        """The units to choose from and, if `home`, the speaker's unit when they have one."""

    async def summary_choices(self, unit_id: int) -> tuple[str, list[tuple[int, str]]] | None:
        """The unit's name and its approvers (id, name); None if it is not an active unit."""

    async def submit(
        self,
        speaker: Speaker,
        form: LoneWorkForm,
        chosen_approver: str,
        submission_key: str | None = None,
    ) -> str | NotSent:
        """Store the request with the unit's approver (`chosen_approver` when it has several),
        send the cards; the sentence to tell the requester, or why nothing was stored. A
        `submission_key` that sent a request before sends nothing again: the answer is that
        request's sentence."""

    async def sent_before(self, speaker: Speaker, submission_key: str) -> str | None:
        """The sentence about the request the speaker's summary card sent, if it sent one."""

    async def list_card(self, speaker: Speaker, which: str) -> Card: ...


class LoneWorkDialog(CardDialog):
    """Form (kept and corrected until valid) → summary with approver → send."""

    def __init__(self, services: LoneWorkServices) -> None:
        super().__init__(
            DIALOG_ID,
            _PROMPT,
            (_FORM, [self._show_form, self._form_sent]),
            (_SUMMARY, [self._show_summary, self._summary_sent]),
        )
        self.services = services

    async def _show_form(self, step: WaterfallStepContext) -> DialogTurnResult:
        speaker = speaker_of(step.context)
        options = self._options(step)
        values: dict[str, Any] = dict(options.get("values") or {})
        units, home = await self.services.form_choices(speaker, home=not values)
        if home is not None:
            values["unit_id"] = str(home)
        errors = {
            field: t(speaker.lang, key) for field, key in (options.get("errors") or {}).items()
        }
        card = request_form(
            speaker.lang,
            units,
            requester=speaker.name,
            values=values,
            errors=errors,
            picker=self.services.picker,
        )
        return await step.prompt(
            _PROMPT,
            {
                "card": card,
                "actions": ["lone_work.form.next", "lone_work.form.cancel"],
                "name_key": NAME_KEY,
            },
        )

    async def _form_sent(self, step: WaterfallStepContext) -> DialogTurnResult:
        value: dict[str, Any] = step.result
        if value.get("action") == "lone_work.form.cancel":
            return await end_cancelled(step, NAME_KEY)
        values = {key: item for key, item in value.items() if key != "action"}
        form, errors = parse(values, now=datetime.now(UTC))
        if errors or form is None:
            return await step.replace_dialog(_FORM, {"values": values, "errors": errors})
        if form.emergency_person and not form.emergency_name:
            name = await self.services.contact_name(form.emergency_person)
            if not name:
                return await step.replace_dialog(_FORM, {"values": values, "errors": UNNAMED})
            values["emergency_name"] = name[:200]
        return await step.replace_dialog(_SUMMARY, {"values": values})

    async def _show_summary(self, step: WaterfallStepContext) -> DialogTurnResult:
        speaker = speaker_of(step.context)
        options = self._options(step)
        values: dict[str, Any] = options["values"]
        form, errors = parse(values, now=datetime.now(UTC))
        if form is None or errors:
            return await step.replace_dialog(_FORM, {"values": values, "errors": errors})
        choices = await self.services.summary_choices(form.unit_id)
        if choices is None:
            return await step.replace_dialog(_FORM, {"values": values, "errors": UNKNOWN_UNIT})
        unit, approvers = choices
        key = new_key()
        card = summary_card(
            speaker.lang,
            preview(form, requester=speaker.name or "", unit=unit),
            approvers=approvers,
            error=t(speaker.lang, options["error"]) if options.get("error") else None,
            submission_key=key,
        )
        return await step.prompt(
            _PROMPT,
            {
                "card": card,
                "actions": ["lone_work.form.send", "lone_work.form.edit", "lone_work.form.cancel"],
                "name_key": NAME_KEY,
                FIELD: key,
            },
        )

    async def _summary_sent(self, step: WaterfallStepContext) -> DialogTurnResult:
        speaker = speaker_of(step.context)
        value: dict[str, Any] = step.result
        values: dict[str, Any] = self._options(step)["values"]
        action = value.get("action")
        if action == "lone_work.form.cancel":
            return await end_cancelled(step, NAME_KEY)
        if action == "lone_work.form.edit":
            return await step.replace_dialog(_FORM, {"values": values})
        form, errors = parse(values, now=datetime.now(UTC))
        if form is None or errors:
            return await step.replace_dialog(_FORM, {"values": values, "errors": errors})
        sentence = await self.services.submit(
            speaker, form, str(value.get("approver_id") or ""), key_in(value)
        )
        if isinstance(sentence, NotSent) and sentence.reason == "unit":
            return await step.replace_dialog(_FORM, {"values": values, "errors": UNKNOWN_UNIT})
        if isinstance(sentence, NotSent):
            return await step.replace_dialog(
                _SUMMARY, {"values": values, "error": "lone_work.error.approver"}
            )
        await step.context.send_activity(text_activity(sentence))
        return await step.end_dialog()


class LoneWorkModule:
    """Plugs lone work into the router: menu entry, dialog, list words, and
    the answer to a summary sent again."""

    flow: Flow | None = Flow.LONE_WORK
    dialog_id: str | None = DIALOG_ID
    name_key = NAME_KEY
    creating_actions = frozenset({"lone_work.form.send"})

    def __init__(self, services: LoneWorkServices) -> None:
        self.services = services

    def dialogs(self) -> list[Dialog]:
        return [LoneWorkDialog(self.services)]

    async def receipt(
        self, turn_context: TurnContext, action: str, submission_key: str
    ) -> Card | str | None:
        return await self.services.sent_before(speaker_of(turn_context), submission_key)

    async def on_text(self, turn_context: TurnContext, text: str) -> bool:
        which = LIST_WORDS.get(text)
        if which is None:
            return False
        card = await self.services.list_card(speaker_of(turn_context), which)
        await turn_context.send_activity(card_activity(card))
        return True
