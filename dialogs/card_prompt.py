"""A prompt that shows an Adaptive Card and waits for one of its submit actions."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import Any

from botbuilder.dialogs import (
    ComponentDialog,
    Dialog,
    DialogContext,
    DialogTurnResult,
    WaterfallDialog,
    WaterfallStepContext,
)

from dialogs.context import speaker_of
from dialogs.outgoing import card_activity, text_activity
from domain.i18n import t
from domain.submissions import FIELD


class CardPrompt(Dialog):  # type: ignore[misc]
    """Send a card; end with the submitted `value` once one of the expected actions arrives.

    Options: `{"card": <card dict>, "actions": ["flow.submit", ...], "name_key": "...",
    "submission_key": "..."}`. With a submission key (the one in the card's creating button),
    a submit that carries another key is from another card and is not taken; the value the
    prompt ends with always carries the prompt's key. Anything else sent meanwhile gets a
    short reminder; the card stays valid.
    """

    async def begin_dialog(
        self, dialog_context: DialogContext, options: object = None
    ) -> DialogTurnResult:
        if not isinstance(options, dict) or "card" not in options:
            raise TypeError("CardPrompt needs options with a 'card'")
        # The card itself stays out of the state: the state is encoded, decoded and stored on
        # every turn, and a form card would be most of it. The card in the chat stays valid.
        state = dialog_context.active_dialog.state
        state["actions"] = list(options.get("actions", []))
        state["name_key"] = options.get("name_key")
        if options.get(FIELD):
            state[FIELD] = options[FIELD]
        await dialog_context.context.send_activity(card_activity(options["card"]))
        return Dialog.end_of_turn

    async def continue_dialog(self, dialog_context: DialogContext) -> DialogTurnResult:
        state = dialog_context.active_dialog.state
        value = dialog_context.context.activity.value
        if isinstance(value, dict) and takes(state, value):
            key = state.get(FIELD)
            return await dialog_context.end_dialog({**value, FIELD: key} if key else value)
        speaker = speaker_of(dialog_context.context)
        name_key = state.get("name_key")
        name = t(speaker.lang, name_key) if name_key else ""
        await dialog_context.context.send_activity(
            text_activity(t(speaker.lang, "help.in_dialog", dialog=name))
        )
        return Dialog.end_of_turn


Step = Callable[[WaterfallStepContext], Awaitable[DialogTurnResult]]


class CardDialog(ComponentDialog):  # type: ignore[misc]
    """A flow's dialog: waterfalls (`name`, steps) whose cards wait in one `CardPrompt`
    (`prompt`); the first waterfall starts it."""

    def __init__(
        self, dialog_id: str, prompt: str, *waterfalls: tuple[str, Sequence[Step]]
    ) -> None:
        super().__init__(dialog_id)
        self.add_dialog(CardPrompt(prompt))
        for name, steps in waterfalls:
            self.add_dialog(WaterfallDialog(name, list(steps)))
        self.initial_dialog_id = waterfalls[0][0]

    @staticmethod
    def _options(step: WaterfallStepContext) -> dict[str, Any]:
        """The options the step's waterfall was started with ({} without)."""
        return step.options if isinstance(step.options, dict) else {}


def takes(state: Mapping[str, Any], value: Mapping[str, Any]) -> bool:
    """Whether a prompt in `state` takes this submit: an awaited action, and no other card's
    submission key."""
    if value.get("action") not in state.get("actions", ()):
        return False
    expected = state.get(FIELD)
    sent = value.get(FIELD)
    return expected is None or sent is None or sent == expected


async def awaits(dialog_context: DialogContext, value: Mapping[str, Any]) -> bool:
    """Whether the active dialog waits for this submit: the innermost dialog (inside its
    component dialogs) is not a card prompt (it decides itself), or is one that `takes` it."""
    instance = dialog_context.active_dialog
    if instance is None:
        return False
    dialog = dialog_context.find_dialog_sync(instance.id)
    while isinstance(dialog, ComponentDialog):
        inner = instance.state.get(ComponentDialog.persisted_dialog_state)
        stack = inner.dialog_stack if inner is not None else []
        if not stack:
            return True
        instance = stack[0]  # the top of a stack
        dialog = await dialog.find_dialog(instance.id)
    return not isinstance(dialog, CardPrompt) or takes(instance.state, value)


async def end_cancelled(step: WaterfallStepContext, name_key: str) -> DialogTurnResult:
    """Tell the person that the flow named by `name_key` was cancelled, and end its dialog."""
    lang = speaker_of(step.context).lang
    said = t(lang, "cancel.done", dialog=t(lang, name_key))
    await step.context.send_activity(text_activity(said))
    return await step.end_dialog()
