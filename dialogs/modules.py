"""What a guided service plugs into the router: its dialog and extra words (card actions
are answered by verb from `services.actions.Verbs`)."""

from __future__ import annotations

from typing import Any, Protocol, runtime_checkable

from botbuilder.core import TurnContext
from botbuilder.dialogs import Dialog

from cards.common import Card
from domain.commands import Flow


class FlowModule(Protocol):
    """One service (lone work, near miss, …) as the router sees it."""

    @property
    def flow(self) -> Flow | None:
        """The menu entry that starts `dialog_id`; None for modules without one (admin)."""

    @property
    def dialog_id(self) -> str | None: ...

    @property
    def name_key(self) -> str:
        """Catalogue key naming the dialog in "you are in …" and "stopped …" messages."""

    def dialogs(self) -> list[Dialog]: ...

    async def on_text(self, turn_context: TurnContext, text: str) -> bool:
        """Handle a module-specific word (e.g. "mine"); False if the text is not for it."""


@runtime_checkable
class SubmitReceipts(Protocol):
    """A module whose cards create records once per submission key, and that can say so when
    such a card is sent again after its dialog moved on (or was lost)."""

    @property
    def creating_actions(self) -> frozenset[str]:
        """The submit actions (`data.action`) that create a record."""

    async def receipt(
        self, turn_context: TurnContext, action: str, submission_key: str
    ) -> Card | str | None:
        """What the speaker was answered when `submission_key` created its record (the
        receipt); None if it created nothing (or not for the speaker)."""


@runtime_checkable
class SubmitHandler(Protocol):
    """A module that answers some card submits itself (`data.action` in `submit_actions`),
    e.g. the export picker, whose answer is a file rather than a card."""

    @property
    def submit_actions(self) -> frozenset[str]: ...

    async def on_submit(
        self, turn_context: TurnContext, action: str, value: dict[str, Any]
    ) -> None: ...


class ChannelHandler(Protocol):
    """Words addressed to the bot in a team channel (with an @mention)."""

    async def on_channel_text(self, turn_context: TurnContext, text: str) -> bool:
        """Handle `text` (mention removed, normalised); False if it is not for this handler."""
