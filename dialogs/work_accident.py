"""Work accidents: the reporting dialog (the EASY card actions are verbs in
`services.work_accident`).

The dialog ends as soon as the report is stored, so the conversation's saved state no
longer holds the form (health data).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, Final, Protocol

from botbuilder.core import TurnContext
from botbuilder.dialogs import (
    Dialog,
    DialogTurnResult,
    WaterfallStepContext,
)

from cards.common import Card
from cards.work_accident import FORM_ACTIONS, report_form
from dialogs.card_prompt import CardDialog
from dialogs.context import speaker_of
from dialogs.outgoing import card_activity, text_activity
from domain.actor import Speaker
from domain.commands import Flow
from domain.i18n import t
from domain.ids import row_id
from domain.org import UnitRef
from domain.submissions import FIELD, key_in, new_key
from domain.work_accident_forms import WorkAccidentForm, kept_values, validate_form

DIALOG_ID: Final = "work_accident"
NAME_KEY: Final = "work_accident.dialog_name"
_FORM: Final = "work_accident.form"
_PROMPT: Final = "work_accident.prompt"


class WorkAccidentServices(Protocol):
    """What the work-accident dialog needs from the rest of the bot."""

    async def units(self) -> list[UnitRef]: ...

    async def from_near_miss(self, speaker: Speaker, near_miss_id: int) -> dict[str, str] | None:
        """The form's values from a near miss the speaker may report as an accident."""

    async def submit(
        self,
        speaker: Speaker,
        form: WorkAccidentForm,
        submission_key: str,
        *,
        near_miss_id: int | None = None,
    ) -> Card | None:
        """Store the report (once per key; linked to the near miss it was first reported
        as) and tell the unit later; the receipt, or None when the form's unit is not an
        active unit (nothing is stored)."""

    async def receipt(self, speaker: Speaker, submission_key: str) -> Card | None:
        """The receipt of the report `submission_key` stored for the speaker, if any."""


class WorkAccidentDialog(CardDialog):
    """Form (kept and corrected until valid) → store → receipt and end.

    Options: `values` to start the form with (a near miss being reported as an accident
    before it was stored), or `start.near_miss_id` from a card (a stored near miss that
    became an accident: the form starts with its values if the speaker may report it, and
    the accident is linked to it)."""

    def __init__(self, services: WorkAccidentServices) -> None:
        super().__init__(
            DIALOG_ID,
            _PROMPT,
            (_FORM, [self._show_form, self._form_sent]),
        )
        self.services = services

    async def _show_form(self, step: WaterfallStepContext) -> DialogTurnResult:
        speaker = speaker_of(step.context)
        options = self._options(step)
        key = str(options.get(FIELD) or new_key())
        start = options.get("start")
        near_miss_id = row_id(
            start.get("near_miss_id") if isinstance(start, dict) else options.get("near_miss_id")
        )
        values = dict(options.get("values") or {})
        if near_miss_id is not None and not values:
            carried = await self.services.from_near_miss(speaker, near_miss_id)
            if carried is None:
                near_miss_id = None
            values = carried or {}
        errors = {
            field: t(speaker.lang, message)
            for field, message in (options.get("errors") or {}).items()
        }
        card = report_form(
            speaker.lang,
            await self.services.units(),
            now=datetime.now(UTC),
            submission_key=key,
            values=values,
            errors=errors,
        )
        step.values["near_miss_id"] = near_miss_id
        return await step.prompt(
            _PROMPT,
            {"card": card, "actions": list(FORM_ACTIONS), "name_key": NAME_KEY, FIELD: key},
        )

    async def _form_sent(self, step: WaterfallStepContext) -> DialogTurnResult:
        value: dict[str, Any] = step.result
        speaker = speaker_of(step.context)
        if value.get("action") == "work_accident.cancel":
            await step.context.send_activity(
                text_activity(t(speaker.lang, "work_accident.cancelled"))
            )
            return await step.end_dialog()
        key = key_in(value) or str(self._options(step).get(FIELD) or new_key())
        near_miss_id = row_id(step.values.get("near_miss_id"))
        again = {"values": kept_values(value), FIELD: key, "near_miss_id": near_miss_id}
        form, problems = validate_form(value, datetime.now(UTC))
        if form is None:
            return await step.replace_dialog(_FORM, {**again, "errors": problems})
        receipt = await self.services.submit(speaker, form, key, near_miss_id=near_miss_id)
        if receipt is None:
            return await step.replace_dialog(
                _FORM, {**again, "errors": {"unit_id": "form.error.unit"}}
            )
        await step.context.send_activity(card_activity(receipt))
        return await step.end_dialog()


class WorkAccidentModule:
    """Plugs work-accident reporting into the router: menu entry, dialog, and the receipt of
    a report card sent again after its dialog ended."""

    flow: Flow | None = Flow.WORK_ACCIDENT
    dialog_id: str | None = DIALOG_ID
    name_key = NAME_KEY
    creating_actions = frozenset({"work_accident.submit"})

    def __init__(self, services: WorkAccidentServices) -> None:
        self.services = services

    def dialogs(self) -> list[Dialog]:
        return [WorkAccidentDialog(self.services)]

    async def receipt(
        self, turn_context: TurnContext, action: str, submission_key: str
    ) -> Card | str | None:
        return await self.services.receipt(speaker_of(turn_context), submission_key)

    async def on_text(self, turn_context: TurnContext, text: str) -> bool:
        return False
