"""Lone-work check-ins: "start alenearbejde" and the check-in cards' actions."""

from __future__ import annotations

from typing import Protocol

from botbuilder.core import TurnContext
from botbuilder.dialogs import Dialog

from cards.common import Card
from dialogs.context import speaker_of
from dialogs.outgoing import card_activity, text_activity
from domain.actor import Speaker
from domain.commands import Flow

NAME_KEY = "checkins.dialog_name"
START_WORDS = frozenset({"start alenearbejde", "start lone work"})


class CheckinServices(Protocol):
    async def start(self, speaker: Speaker, request_id: int | None) -> Card | str: ...


class CheckinModule:
    """No dialog of its own: a word that starts a session and the cards' verbs."""

    flow: Flow | None = None
    dialog_id: str | None = None
    name_key = NAME_KEY

    def __init__(self, services: CheckinServices) -> None:
        self.services = services

    def dialogs(self) -> list[Dialog]:
        return []

    async def on_text(self, turn_context: TurnContext, text: str) -> bool:
        if text not in START_WORDS:
            return False
        answer = await self.services.start(speaker_of(turn_context), None)
        if isinstance(answer, str):
            await turn_context.send_activity(text_activity(answer))
        else:
            await turn_context.send_activity(card_activity(answer))
        return True
