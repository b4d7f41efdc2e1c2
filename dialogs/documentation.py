"""The documentation overview's word: "dokumentation" answers with the unit's duties (its
buttons are verbs in `services.documentation`)."""

from __future__ import annotations

from typing import Final

from botbuilder.core import TurnContext
from botbuilder.dialogs import Dialog

from dialogs.context import speaker_of
from dialogs.outgoing import card_activity
from domain.commands import Flow
from services.documentation import DatabaseDocumentationServices

WORDS: Final = frozenset(
    {"dokumentation", "dokumentationskrav", "documentation", "documentation overview"}
)


class DocumentationModule:
    """The word that opens the documentation overview; no dialog of its own."""

    flow: Flow | None = None
    dialog_id: str | None = None
    name_key = "documentation.pick.title"

    def __init__(self, services: DatabaseDocumentationServices) -> None:
        self.services = services

    def dialogs(self) -> list[Dialog]:
        return []

    async def on_text(self, turn_context: TurnContext, text: str) -> bool:
        if text not in WORDS:
            return False
        card = await self.services.word(speaker_of(turn_context))
        await turn_context.send_activity(card_activity(card))
        return True
