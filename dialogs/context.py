"""Who is speaking in this turn, and the services dialogs may call."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any, Protocol

from botbuilder.core import TurnContext

from domain.actor import Speaker
from domain.i18n import Lang
from domain.org import RoleAssignmentForm, RoleHolder, UnitRef

SPEAKER_KEY = "amkbot.speaker"


def speaker_of(turn_context: TurnContext) -> Speaker:
    speaker = turn_context.turn_state.get(SPEAKER_KEY)
    if not isinstance(speaker, Speaker):
        raise RuntimeError("the speaker was not resolved before the dialog ran")
    return speaker


def set_speaker(turn_context: TurnContext, speaker: Speaker) -> None:
    turn_context.turn_state[SPEAKER_KEY] = speaker


class OrgServices(Protocol):
    """What dialogs need from the organisation's records (one transaction per call)."""

    async def list_units(self) -> list[UnitRef]: ...

    async def get_unit(self, unit_id: int) -> UnitRef | None: ...

    async def unit_roles(self, unit_id: int) -> list[RoleHolder]: ...

    async def assign_role(
        self, speaker: Speaker, unit_id: int, form: RoleAssignmentForm
    ) -> bool: ...

    async def remove_role(self, speaker: Speaker, assignment_id: int) -> RoleHolder | None: ...

    async def set_language(self, speaker: Speaker, lang: Lang) -> None: ...

    async def refuse(
        self, speaker: Speaker, action: str, *, entity_type: str, entity_id: int | None = None
    ) -> None:
        """Audit an attempt the speaker has no right to (`<action>.refused`, once)."""


class Notifier(Protocol):
    """Messages a flow sends outside the current turn (to other people, or updates)."""

    async def card_to_person(
        self, person_id: int, card: dict[str, object], *, key: str, entity: tuple[str, str]
    ) -> bool:
        """Send `card` to the person's 1:1 chat once per `key`; False if there is no chat."""

    async def update_cards(
        self, entity: tuple[str, str], render: Callable[[str], dict[str, object] | None]
    ) -> None:
        """Replace every card posted about `entity`; `render(dedupe_key)` gives its new card."""

    def later(self, work: Coroutine[Any, Any, None], *, name: str) -> None:
        """Run `work` after the turn has answered (failures are logged, never lost silently)."""
