"""A prompt that shows an Adaptive Card and waits for one of its submit actions."""

from __future__ import annotations

from botbuilder.dialogs import Dialog, DialogContext, DialogTurnResult

from dialogs.context import speaker_of
from dialogs.outgoing import card_activity, text_activity
from domain.i18n import t


class CardPrompt(Dialog):  # type: ignore[misc]
    """Send a card; end with the submitted `value` once one of the expected actions arrives.

    Options: `{"card": <card dict>, "actions": ["flow.submit", ...], "name_key": "..."}`.
    Anything else typed meanwhile gets a short reminder; the card stays valid.
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
        await dialog_context.context.send_activity(card_activity(options["card"]))
        return Dialog.end_of_turn

    async def continue_dialog(self, dialog_context: DialogContext) -> DialogTurnResult:
        state = dialog_context.active_dialog.state
        value = dialog_context.context.activity.value
        if isinstance(value, dict) and value.get("action") in state["actions"]:
            return await dialog_context.end_dialog(value)
        speaker = speaker_of(dialog_context.context)
        name_key = state.get("name_key")
        name = t(speaker.lang, name_key) if name_key else ""
        await dialog_context.context.send_activity(
            text_activity(t(speaker.lang, "help.in_dialog", dialog=name))
        )
        return Dialog.end_of_turn
