"""A prompt that shows an Adaptive Card and waits for one of its submit actions."""

from __future__ import annotations

from typing import Any

from botbuilder.core import MessageFactory
from botbuilder.dialogs import Dialog, DialogContext, DialogTurnResult
from botbuilder.schema import Activity, Attachment

from cards.common import CARD_CONTENT_TYPE
from dialogs.context import speaker_of
from domain.i18n import t


class SentCard(dict[str, Any]):
    """A card on its way out. Nobody changes a card once built, so botbuilder's deep copy of
    every outgoing activity (up to 0.6 ms for a form) can share it."""

    def __deepcopy__(self, memo: dict[int, Any]) -> SentCard:
        return self


def card_activity(card: dict[str, Any]) -> Activity:
    return MessageFactory.attachment(
        Attachment(content_type=CARD_CONTENT_TYPE, content=SentCard(card))
    )


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
            MessageFactory.text(t(speaker.lang, "help.in_dialog", dialog=name))
        )
        return Dialog.end_of_turn
