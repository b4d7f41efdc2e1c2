"""`dialogs.context.Notifier` on the proactive sender, with slow work moved off the turn."""

from __future__ import annotations

import logging
from collections.abc import Callable, Coroutine
from typing import Any

from bot.background import BackgroundTasks
from bot.connector import ConnectorError
from bot.proactive import NoConversation, ProactiveSender
from storage import conversations

log = logging.getLogger(__name__)


class ProactiveNotifier:
    """Sends and updates cards through `ProactiveSender`; `later()` runs after the answer."""

    def __init__(self, sender: ProactiveSender, background: BackgroundTasks) -> None:
        self.sender = sender
        self.background = background

    async def card_to_person(
        self, person_id: int, card: dict[str, object], *, key: str, entity: tuple[str, str]
    ) -> bool:
        try:
            await self.sender.send_to_person(
                person_id, card, dedupe_key=key, entity_type=entity[0], entity_id=entity[1]
            )
        except NoConversation:
            log.info("no personal chat with person %s; %s not sent", person_id, key)
            return False
        except ConnectorError as error:
            log.warning("sending %s failed: %s", key, error.status or "no answer")
            return False
        return True

    async def update_cards(
        self, entity: tuple[str, str], render: Callable[[str], dict[str, object] | None]
    ) -> None:
        for post in await conversations.posts_for(self.sender.db, entity[0], entity[1]):
            card = render(post.dedupe_key)
            if card is None:
                continue
            try:
                await self.sender.update_card(post.id, card)
            except (NoConversation, ConnectorError) as error:
                log.warning("updating %s failed: %s", post.dedupe_key, type(error).__name__)

    def later(self, work: Coroutine[Any, Any, None], *, name: str) -> None:
        self.background.spawn(work, name=name)
