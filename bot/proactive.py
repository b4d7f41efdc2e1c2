"""Messages the bot starts itself: cards to a person, new channel threads, card updates.

Each message has a dedupe key and a `posted_activity` row: once Teams has accepted it
(we hold its activity id) it is never sent again, whoever asks and however often. A 1:1 card
whose earlier send never recorded Teams' answer (the process died, or the send was cut) is
sent again with a line saying so: Teams has no idempotency key and no way for a bot to read
its messages back, so that copy may be the second.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any, Literal

from bot.connector import ConnectorClient, ConnectorError
from bot.turn_gate import URGENT
from cards.common import Card, attachment
from domain.i18n import Lang, t
from services.ports import NoConversation, Posted
from storage import conversations, org
from storage.conversations import Claim, Destination, SentPost
from storage.db import WRITE_ALLOWANCE, Database

log = logging.getLogger(__name__)


def marked_as_resent(card: Card, lang: Lang) -> Card:
    """`card` with a closing line: it is sent again and may have arrived before."""
    body = card.get("body")
    note = {
        "type": "TextBlock",
        "text": t(lang, "delivery.resent"),
        "wrap": True,
        "isSubtle": True,
        "size": "Small",
        "separator": True,
    }
    return {**card, "body": [*(body if isinstance(body, list) else []), note]}


def card_message(card: Card, *, summary: str | None = None) -> dict[str, Any]:
    message: dict[str, Any] = {"type": "message", "attachments": [attachment(card)]}
    if summary:
        message["summary"] = summary
    return message


class ProactiveSender:
    """Sends through the connector client and remembers what was sent."""

    def __init__(self, db: Database, connector: ConnectorClient) -> None:
        self.db = db
        self.connector = connector
        self._recording: set[asyncio.Future[None]] = set()

    async def send_to_person(
        self,
        person_id: int,
        card: Card,
        *,
        dedupe_key: str,
        entity_type: str | None = None,
        entity_id: str | None = None,
    ) -> Posted:
        """A card in the person's 1:1 chat with the bot."""

        ref, post = await self._claim(
            "person", person_id, dedupe_key=dedupe_key, entity_type=entity_type, entity_id=entity_id
        )
        if post.status == "sending" and not post.fresh:
            log.warning("%s may have reached Teams before; sent again, marked", dedupe_key)
            async with self.db.reading() as connection:
                card = marked_as_resent(card, await org.language_of(connection, person_id))
        return await self._deliver(ref, post, card, new_thread=False)

    async def post_to_channel(
        self,
        channel_ref_id: int,
        card: Card,
        *,
        dedupe_key: str,
        entity_type: str | None = None,
        entity_id: str | None = None,
    ) -> Posted:
        """A card as a new thread in a team channel."""

        ref, post = await self._claim(
            "conversation",
            channel_ref_id,
            dedupe_key=dedupe_key,
            entity_type=entity_type,
            entity_id=entity_id,
        )
        return await self._deliver(ref, post, card, new_thread=True)

    async def _claim(
        self,
        to: Literal["person", "conversation"],
        target_id: int,
        *,
        dedupe_key: str,
        entity_type: str | None,
        entity_id: str | None,
    ) -> tuple[Destination, Claim]:
        """The conversation and the message's row, one statement on PostgreSQL
        (`conversations.claim_to`); it needs no transaction around it."""
        async with self.db.writing_once() as connection:
            ref, post = await conversations.claim_to(
                connection,
                to,
                target_id,
                dedupe_key=dedupe_key,
                entity_type=entity_type,
                entity_id=entity_id,
            )
        if ref is None or post is None:
            missing = "no personal chat with person" if to == "person" else "no active conversation"
            raise NoConversation(f"{missing} {target_id}")
        return ref, post

    async def _deliver(
        self, ref: Destination, post: Claim, card: Card, *, new_thread: bool
    ) -> Posted:
        if post.status == "sent":
            return Posted(
                post.id, post.activity_id, post.thread_conversation_id or ref.conversation_id, True
            )
        message = card_message(card)
        try:
            if new_thread:
                conversation_id, activity_id = await self.connector.create_conversation(
                    ref.service_url,
                    {
                        "isGroup": True,
                        "bot": {"id": ref.bot_id, "name": ref.bot_name},
                        "tenantId": ref.tenant_id,
                        "channelData": {
                            "channel": {"id": ref.channel_id or ref.conversation_id},
                            "tenant": {"id": ref.tenant_id},
                        },
                        "activity": message,
                    },
                )
            else:
                conversation_id = ref.conversation_id
                activity_id = await self.connector.send(ref.service_url, conversation_id, message)
        except ConnectorError as error:
            await conversations.mark_failed(
                self.db,
                post.id,
                str(error),
                deactivate=ref.conversation_id if error.blocked else None,
            )
            raise
        await self._record_sent(post.id, activity_id, conversation_id)
        return Posted(post.id, activity_id, conversation_id, False)

    async def _record_sent(
        self, post_id: int, activity_id: str | None, conversation_id: str
    ) -> None:
        """Teams has the message: its record is finished even if the send is cut meanwhile
        (a stop's deadline), or the card kept for redelivery would be sent a second time.
        It takes the first turn at the database: until it is written, a crash would leave
        the card's fate unknown."""
        recording = asyncio.ensure_future(self._mark_sent(post_id, activity_id, conversation_id))
        self._recording.add(recording)
        recording.add_done_callback(self._recording.discard)
        await asyncio.shield(recording)

    async def _mark_sent(self, post_id: int, activity_id: str | None, conversation_id: str) -> None:
        WRITE_ALLOWANCE.set(URGENT)
        await conversations.mark_sent(
            self.db, post_id, activity_id=activity_id, thread_conversation_id=conversation_id
        )

    async def settled(self) -> None:
        """Wait for the records of sends that were cut after Teams took them."""
        if self._recording:
            await asyncio.gather(*self._recording, return_exceptions=True)

    async def update_card(self, post_id: int, card: Card) -> None:
        """Replace a card the bot posted earlier (e.g. after a decision)."""
        found = await conversations.sent_post(self.db, post_id)
        if found is None:
            raise NoConversation(f"post {post_id} was never delivered")
        await self.update_post(found, card)

    async def update_post(self, post: SentPost, card: Card) -> None:
        """`update_card` for a post already read with where it went."""
        if not post.activity_id:
            raise NoConversation(f"post {post.id} was never delivered")
        await self.connector.update(
            post.service_url, post.conversation_id, post.activity_id, card_message(card)
        )
