"""Near-miss reports: the reporting dialog and the open list's words (the follow-up card
actions are verbs in `services.near_miss`).

The dialog ends as soon as the report is stored, so the conversation's saved state no
longer holds the form (which matters for anonymous reports).
"""

from __future__ import annotations

import re
import uuid
from datetime import UTC, datetime
from typing import Any, Final, Protocol

from botbuilder.core import TurnContext
from botbuilder.dialogs import (
    ComponentDialog,
    Dialog,
    DialogTurnResult,
    WaterfallDialog,
    WaterfallStepContext,
)

from cards.common import Card
from cards.near_miss_form import FORM_ACTIONS, INJURY_ACTIONS, injury_card, report_form
from dialogs.card_prompt import CardPrompt
from dialogs.context import speaker_of
from dialogs.outgoing import card_activity, text_activity
from dialogs.work_accident import DIALOG_ID as WORK_ACCIDENT_DIALOG
from domain.actor import Speaker
from domain.commands import Flow
from domain.i18n import t
from domain.near_miss_forms import NearMissForm, kept_values, validate_form
from domain.org import UnitRef
from domain.submissions import sent_anonymously
from domain.work_accident_forms import values_from_near_miss_form

DIALOG_ID: Final = "near_miss"
NAME_KEY: Final = "near_miss.dialog_name"
_FORM: Final = "near_miss.form"
_INJURY: Final = "near_miss.injury"
_PROMPT: Final = "near_miss.prompt"
LIST_WORDS: Final = frozenset(
    {
        "nærved liste",
        "nærvedliste",
        "nærved-liste",
        "nærved-hændelser",
        "nærvedhændelser",
        "near miss list",
        "near-miss list",
        "nearmiss list",
        "near misses",
    }
)
_FORM_ID: Final = re.compile(r"^[0-9a-f]{32}$")


class NearMissServices(Protocol):
    """What the near-miss dialog and its cards need from the rest of the bot."""

    async def units(self) -> list[UnitRef]: ...

    async def submit(
        self, speaker: Speaker, form: NearMissForm, submission_key: str
    ) -> Card | None:
        """Store the report (once per key), tell the unit's AMKs later; the receipt card, or
        None when the form's unit is not an active unit (nothing is stored)."""

    async def list_card(self, speaker: Speaker) -> Card:
        """The open reports the speaker may follow up, or a clear refusal."""


def _form_id(value: dict[str, Any], options: dict[str, Any]) -> str:
    """The submitted card's own id (a double click sends the same one twice)."""
    sent = str(value.get("form_id") or "")
    return sent if _FORM_ID.match(sent) else str(options.get("form_id") or uuid.uuid4().hex)


class NearMissDialog(ComponentDialog):  # type: ignore[misc]
    """Form (kept and corrected until valid) → injury guardrail if someone was hurt (where
    the report can become a work accident's instead) → store."""

    def __init__(self, services: NearMissServices) -> None:
        super().__init__(DIALOG_ID)
        self.services = services
        self.add_dialog(CardPrompt(_PROMPT))
        self.add_dialog(WaterfallDialog(_FORM, [self._show_form, self._form_sent]))
        self.add_dialog(WaterfallDialog(_INJURY, [self._show_injury, self._injury_answered]))
        self.initial_dialog_id = _FORM

    @staticmethod
    def _options(step: WaterfallStepContext) -> dict[str, Any]:
        return step.options if isinstance(step.options, dict) else {}

    async def _show_form(self, step: WaterfallStepContext) -> DialogTurnResult:
        speaker = speaker_of(step.context)
        options = self._options(step)
        form_id = str(options.get("form_id") or uuid.uuid4().hex)
        errors = {
            field: t(speaker.lang, key) for field, key in (options.get("errors") or {}).items()
        }
        card = report_form(
            speaker.lang,
            await self.services.units(),
            now=datetime.now(UTC),
            form_id=form_id,
            values=dict(options.get("values") or {}),
            errors=errors,
        )
        return await step.prompt(
            _PROMPT, {"card": card, "actions": list(FORM_ACTIONS), "name_key": NAME_KEY}
        )

    async def _form_sent(self, step: WaterfallStepContext) -> DialogTurnResult:
        value: dict[str, Any] = step.result
        if value.get("action") == "near_miss.cancel":
            return await self._cancelled(step)
        form_id = _form_id(value, self._options(step))
        values = kept_values(value)
        form, problems = validate_form(value, datetime.now(UTC))
        if form is None:
            return await step.replace_dialog(
                _FORM, {"values": values, "errors": problems, "form_id": form_id}
            )
        if form.injured:
            return await step.replace_dialog(_INJURY, {"values": values, "form_id": form_id})
        return await self._store(step, form, values, form_id)

    async def _show_injury(self, step: WaterfallStepContext) -> DialogTurnResult:
        speaker = speaker_of(step.context)
        values = dict(self._options(step).get("values") or {})
        return await step.prompt(
            _PROMPT,
            {
                "card": injury_card(speaker.lang, anonymous=sent_anonymously(values)),
                "actions": list(INJURY_ACTIONS),
                "name_key": NAME_KEY,
            },
        )

    async def _injury_answered(self, step: WaterfallStepContext) -> DialogTurnResult:
        value: dict[str, Any] = step.result
        options = self._options(step)
        values: dict[str, str] = dict(options.get("values") or {})
        form_id = str(options.get("form_id") or uuid.uuid4().hex)
        action = value.get("action")
        if action == "near_miss.cancel":
            return await self._cancelled(step)
        if action == "near_miss.as_accident":
            # Not a near miss after all: the accident form takes over with what was typed,
            # and nothing is stored as a near miss.
            await step.parent.replace_dialog(
                WORK_ACCIDENT_DIALOG, {"values": values_from_near_miss_form(values)}
            )
            return Dialog.end_of_turn
        form, problems = validate_form(values, datetime.now(UTC))
        if action == "near_miss.edit" or form is None:
            return await step.replace_dialog(
                _FORM, {"values": values, "errors": problems, "form_id": form_id}
            )
        return await self._store(step, form, values, form_id)

    async def _store(
        self, step: WaterfallStepContext, form: NearMissForm, values: dict[str, Any], form_id: str
    ) -> DialogTurnResult:
        """Store, answer with the receipt and end: the form leaves the dialog state. A unit
        that is not (or no longer) active brings the form back."""
        speaker = speaker_of(step.context)
        receipt = await self.services.submit(speaker, form, form_id)
        if receipt is None:
            return await step.replace_dialog(
                _FORM,
                {"values": values, "errors": {"unit_id": "form.error.unit"}, "form_id": form_id},
            )
        await step.context.send_activity(card_activity(receipt))
        return await step.end_dialog()

    async def _cancelled(self, step: WaterfallStepContext) -> DialogTurnResult:
        speaker = speaker_of(step.context)
        await step.context.send_activity(text_activity(t(speaker.lang, "near_miss.cancelled")))
        return await step.end_dialog()


class NearMissModule:
    """Plugs near-miss reporting into the router: menu entry, dialog, list words."""

    flow: Flow | None = Flow.NEAR_MISS
    dialog_id: str | None = DIALOG_ID
    name_key = NAME_KEY

    def __init__(self, services: NearMissServices) -> None:
        self.services = services

    def dialogs(self) -> list[Dialog]:
        return [NearMissDialog(self.services)]

    async def on_text(self, turn_context: TurnContext, text: str) -> bool:
        if text not in LIST_WORDS:
            return False
        card = await self.services.list_card(speaker_of(turn_context))
        await turn_context.send_activity(card_activity(card))
        return True
