"""A person's own data: "mine data" / "my data" answers with what the bot holds about them
(the card's "Show everything" and the welcome card's button are the verb `my_data.show`)."""

from __future__ import annotations

from typing import Protocol

from botbuilder.core import TurnContext
from botbuilder.dialogs import Dialog

from cards.common import Card
from dialogs.context import speaker_of
from dialogs.outgoing import card_activity, text_activity
from domain.actor import Speaker
from domain.commands import Flow, asks_for_own_data

NAME_KEY = "my_data.title"


class MyDataServices(Protocol):
    async def card(self, speaker: Speaker, *, everything: bool = False) -> Card | str: ...


class MyDataModule:
    """No dialog of its own: the words, in any conversation state."""

    flow: Flow | None = None
    dialog_id: str | None = None
    name_key = NAME_KEY

    def __init__(self, services: MyDataServices) -> None:
        self.services = services

    def dialogs(self) -> list[Dialog]:
        return []

    async def on_text(self, turn_context: TurnContext, text: str) -> bool:
        if not asks_for_own_data(text):
            return False
        answer = await self.services.card(speaker_of(turn_context))
        if isinstance(answer, str):
            await turn_context.send_activity(text_activity(answer))
        else:
            await turn_context.send_activity(card_activity(answer))
        return True
