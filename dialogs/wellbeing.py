"""Well-being dialogues: the recording dialog, and the module that plugs the words for the
action plan, the annual discussion and the overview into the router (the cards' actions are
verbs in `services.wellbeing`).

The dialog ends as soon as the dialogue is stored, so the conversation's saved state no
longer holds the notes. Everything after that (action-plan items, the plan, the notes) is
a stateless card whose actions carry ids only; every action checks the speaker's role.
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
from cards.wellbeing_forms import CHECK_ACTIONS, FORM_ACTIONS, check_card, dialogue_form
from dialogs.card_prompt import CardDialog, end_cancelled
from dialogs.context import speaker_of
from dialogs.outgoing import card_activity, text_activity
from domain.actor import Speaker
from domain.commands import Flow
from domain.i18n import t
from domain.org import UnitRef
from domain.submissions import FIELD, key_in, new_key
from domain.wellbeing import DialogueForm, local_today, parse_dialogue
from domain.wellbeing_privacy import Flag

DIALOG_ID: Final = "wellbeing"
NAME_KEY: Final = "wellbeing.dialog_name"
_FORM: Final = "wellbeing.form"
_CHECK: Final = "wellbeing.check"
_PROMPT: Final = "wellbeing.prompt"
WORDS: Final[dict[str, str]] = {
    "handlingsplan": "plan",
    "handlingsplanen": "plan",
    "handlingsplaner": "plan",
    "action plan": "plan",
    "action-plan": "plan",
    "actionplan": "plan",
    "arbejdsmiljødrøftelse": "amd",
    "arbejdsmiljødrøftelsen": "amd",
    "årlig arbejdsmiljødrøftelse": "amd",
    "den årlige arbejdsmiljødrøftelse": "amd",
    "amd": "amd",
    "annual discussion": "amd",
    "annual work-environment discussion": "amd",
    "annual work environment discussion": "amd",
    "mine handlinger": "mine",
    "mine punkter": "mine",
    "my actions": "mine",
    "my action items": "mine",
    "trivsel oversigt": "overview",
    "trivselsoversigt": "overview",
    "trivsel overblik": "overview",
    "wellbeing overview": "overview",
    "well-being overview": "overview",
}


class WellbeingServices(Protocol):
    """What the well-being dialog and its cards need from the rest of the bot."""

    async def recordable_units(self, speaker: Speaker) -> list[UnitRef]:
        """Units the speaker may record a dialogue for (empty: not allowed)."""

    async def unit_problem(self, speaker: Speaker, unit_id: int) -> str | None:
        """Why the speaker cannot record for the unit (a message key; a refusal is audited)."""

    async def refuse(self, speaker: Speaker, what: str) -> None:
        """Audit an attempt the speaker's roles do not allow."""

    async def home_unit(self, speaker: Speaker) -> int | None: ...

    async def flags(self, form: DialogueForm) -> list[Flag]:
        """Pieces of the notes that look like personal data."""

    async def record(
        self,
        speaker: Speaker,
        form: DialogueForm,
        flags_confirmed: int,
        submission_key: str | None = None,
    ) -> Card | None:
        """Store the dialogue (if the speaker may; once per `submission_key`); the card that
        comes next (the items), or None when the form's unit is not an active unit (nothing
        is stored)."""

    async def recorded_before(self, speaker: Speaker, submission_key: str) -> Card | None:
        """The card that followed the dialogue the speaker's card stored, if it stored one."""

    async def word(self, speaker: Speaker, kind: str) -> Card: ...


def _flags(raw: Any) -> list[Flag]:
    if not isinstance(raw, list):
        return []
    return [flag for item in raw if isinstance(item, dict) if (flag := Flag.from_dict(item))]


class WellbeingDialog(CardDialog):
    """Form (kept and corrected until valid) → personal-data check if needed → store."""

    def __init__(self, services: WellbeingServices) -> None:
        super().__init__(
            DIALOG_ID,
            _PROMPT,
            (_FORM, [self._show_form, self._form_sent]),
            (_CHECK, [self._show_check, self._check_answered]),
        )
        self.services = services

    async def _show_form(self, step: WaterfallStepContext) -> DialogTurnResult:
        speaker = speaker_of(step.context)
        units = await self.services.recordable_units(speaker)
        if not units:
            await self.services.refuse(speaker, "dialogue.record")
            await step.context.send_activity(
                text_activity(t(speaker.lang, "wellbeing.not_allowed.record"))
            )
            return await step.end_dialog()
        options = self._options(step)
        values: dict[str, Any] = dict(options.get("values") or {})
        if not values:
            home = await self.services.home_unit(speaker)
            if home is not None and any(unit.id == home for unit in units):
                values["unit_id"] = str(home)
            elif len(units) == 1:
                values["unit_id"] = str(units[0].id)
            if speaker.name:
                values["facilitator"] = speaker.name
        errors = {
            field: t(speaker.lang, key) for field, key in (options.get("errors") or {}).items()
        }
        key = new_key()
        card = dialogue_form(
            speaker.lang,
            units,
            values=values,
            errors=errors,
            flags=_flags(options.get("flags")),
            submission_key=key,
        )
        return await step.prompt(
            _PROMPT, {"card": card, "actions": list(FORM_ACTIONS), "name_key": NAME_KEY, FIELD: key}
        )

    async def _form_sent(self, step: WaterfallStepContext) -> DialogTurnResult:
        value: dict[str, Any] = step.result
        if value.get("action") == "wellbeing.form.cancel":
            return await end_cancelled(step, NAME_KEY)
        speaker = speaker_of(step.context)
        values = {key: item for key, item in value.items() if key != "action"}
        form, errors = parse_dialogue(values, today=local_today(datetime.now(UTC)))
        if form is None:
            return await step.replace_dialog(_FORM, {"values": values, "errors": errors})
        problem = await self.services.unit_problem(speaker, form.unit_id)
        if problem is not None:
            return await step.replace_dialog(
                _FORM, {"values": values, "errors": {"unit_id": problem}}
            )
        flags = await self.services.flags(form)
        if flags:
            return await step.replace_dialog(
                _CHECK, {"values": values, "flags": [flag.as_dict() for flag in flags]}
            )
        return await self._store(step, form, values, 0, key_in(value))

    async def _show_check(self, step: WaterfallStepContext) -> DialogTurnResult:
        speaker = speaker_of(step.context)
        flags = _flags(self._options(step).get("flags"))
        key = new_key()
        return await step.prompt(
            _PROMPT,
            {
                "card": check_card(speaker.lang, flags, submission_key=key),
                "actions": list(CHECK_ACTIONS),
                "name_key": NAME_KEY,
                FIELD: key,
            },
        )

    async def _check_answered(self, step: WaterfallStepContext) -> DialogTurnResult:
        value: dict[str, Any] = step.result
        options = self._options(step)
        values: dict[str, Any] = dict(options.get("values") or {})
        action = value.get("action")
        if action == "wellbeing.form.cancel":
            return await end_cancelled(step, NAME_KEY)
        if action == "wellbeing.form.edit":
            return await step.replace_dialog(
                _FORM, {"values": values, "flags": options.get("flags") or []}
            )
        form, errors = parse_dialogue(values, today=local_today(datetime.now(UTC)))
        if form is None:
            return await step.replace_dialog(_FORM, {"values": values, "errors": errors})
        return await self._store(
            step, form, values, len(_flags(options.get("flags"))), key_in(value)
        )

    async def _store(
        self,
        step: WaterfallStepContext,
        form: DialogueForm,
        values: dict[str, Any],
        flags_confirmed: int,
        submission_key: str | None,
    ) -> DialogTurnResult:
        """Store, answer with the next card and end: the notes leave the dialog state. A unit
        that is not (or no longer) active brings the form back."""
        speaker = speaker_of(step.context)
        card = await self.services.record(speaker, form, flags_confirmed, submission_key)
        if card is None:
            return await step.replace_dialog(
                _FORM, {"values": values, "errors": {"unit_id": "form.error.unit"}}
            )
        await step.context.send_activity(card_activity(card))
        return await step.end_dialog()


class WellbeingModule:
    """Plugs well-being into the router: menu entry, dialog, words, and the
    answer to a dialogue card sent again."""

    flow: Flow | None = Flow.WELLBEING
    dialog_id: str | None = DIALOG_ID
    name_key = NAME_KEY
    creating_actions = frozenset({"wellbeing.form.save", "wellbeing.form.confirm"})

    def __init__(self, services: WellbeingServices) -> None:
        self.services = services

    def dialogs(self) -> list[Dialog]:
        return [WellbeingDialog(self.services)]

    async def receipt(
        self, turn_context: TurnContext, action: str, submission_key: str
    ) -> Card | str | None:
        return await self.services.recorded_before(speaker_of(turn_context), submission_key)

    async def on_text(self, turn_context: TurnContext, text: str) -> bool:
        kind = WORDS.get(text)
        if kind is None:
            return False
        card = await self.services.word(speaker_of(turn_context), kind)
        await turn_context.send_activity(card_activity(card))
        return True
