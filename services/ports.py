"""The ports the services are typed against: what they send outside the current turn, the
channel poster of the digest, scheduled jobs, the clock and the directory. `bot` implements
them."""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Coroutine, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from storage.conversations import SentPost
from storage.db import HotConnection

# Who holds a claim on scheduled work (`storage.jobs`): unique per process start, so a
# restarted process (same host, same pid in a container) is not taken for the one that died.
WORKER = f"{os.uname().nodename}:{os.getpid()}:{uuid.uuid4().hex[:8]}"

Clock = Callable[[], datetime]
"""The current time (UTC); `utcnow` unless a test or a job passes its own."""


@dataclass(frozen=True)
class Outgoing:
    """A card for a person's 1:1 chat, sent once per `key`."""

    person_id: int
    card: dict[str, object]
    key: str
    entity: tuple[str, str]

    def payload(self) -> dict[str, Any]:
        return {"person_id": self.person_id, "card": self.card, "entity": list(self.entity)}


class Notifier(Protocol):
    """Messages a flow sends outside the current turn (to other people, or updates)."""

    @property
    def reaches_without_chat(self) -> bool:
        """Whether a card to someone with no chat with the bot installs the bot for them
        first (Microsoft Graph configured) instead of being refused."""

    async def card_to_person(
        self, person_id: int, card: dict[str, object], *, key: str, entity: tuple[str, str]
    ) -> bool:
        """Send `card` to the person's 1:1 chat once per `key`; False if there is no chat
        (and, with `reaches_without_chat`, the bot cannot be installed for the person);
        True also when the card waits for the chat of a new installation."""

    async def keep_ahead(self, connection: HotConnection, cards: Sequence[Outgoing]) -> None:
        """Keep `cards` for redelivery inside the caller's transaction, before its answer."""

    async def send_kept(self, cards: Sequence[Outgoing]) -> list[bool]:
        """Send cards `keep_ahead` kept, in order; for each, whether it was delivered (or is
        still kept for a later try)."""

    async def update_cards(
        self, entity: tuple[str, str], render: Callable[[str], dict[str, object] | None]
    ) -> None:
        """Replace every card posted about `entity`; `render(dedupe_key)` gives its new card."""

    async def sent(self, entity: tuple[str, str]) -> list[SentPost]:
        """Every delivered card about `entity`, with where it went."""

    async def update_posts(
        self, posts: list[SentPost], render: Callable[[str], dict[str, object] | None]
    ) -> None:
        """Replace the cards `posts` (from `sent`) with what `render` gives for each key."""

    def later(self, work: Coroutine[Any, Any, None], *, name: str) -> None:
        """Run `work` after the turn has answered (failures are logged, never lost silently)."""


class NoConversation(Exception):
    """The bot has no active conversation with that person or channel."""


class DeliveryFailed(Exception):
    """Teams refused or did not answer (`status` None: no answer)."""

    status: int | None = None


@dataclass(frozen=True)
class Posted:
    """The outcome of a proactive send."""

    post_id: int
    activity_id: str | None
    conversation_id: str
    already_sent: bool


class ChannelPoster(Protocol):
    """Posts a card as a new thread in a team channel, once per dedupe key."""

    async def post_to_channel(
        self,
        channel_ref_id: int,
        card: dict[str, Any],
        *,
        dedupe_key: str,
        entity_type: str | None = None,
        entity_id: str | None = None,
    ) -> Posted:
        """Raises `NoConversation` or `DeliveryFailed` when the card was not posted."""


class PeriodicJob(Protocol):
    """One kind of scheduled work; `run` must be safe to call often and from many processes."""

    @property
    def name(self) -> str: ...

    async def run(self, now: datetime) -> None: ...


@dataclass(frozen=True)
class DirectoryEntry:
    """What the organisation's directory says of a person."""

    name: str | None
    upn: str | None


class Directory(Protocol):
    """The organisation's directory (Entra ID, read through Graph)."""

    async def person(self, aad_object_id: str) -> DirectoryEntry | None:
        """The person with this object id; None if unknown or the directory did not answer."""
        ...
