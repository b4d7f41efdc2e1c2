"""Messages the bot starts itself: cards to a person, new channel threads, card updates.

Each message has a dedupe key and a `posted_activity` row: once Teams has accepted it
(we hold its activity id) it is never sent again, whoever asks and however often.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from bot.connector import ConnectorClient, ConnectorError
from cards.common import Card, attachment
from storage import conversations
from storage.db import Database
from storage.models import ConversationRef, PostedActivity

log = logging.getLogger(__name__)


class NoConversation(Exception):
    """The bot has no active conversation with that person or channel."""


@dataclass(frozen=True)
class Posted:
    """The outcome of a proactive send."""

    post_id: int
    activity_id: str | None
    conversation_id: str
    already_sent: bool


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

    async def _ref(self, ref_id: int) -> ConversationRef:
        async with self.db.sessions() as session:
            ref = await session.get(ConversationRef, ref_id)
        if ref is None or not ref.active:
            raise NoConversation(f"conversation {ref_id} is unknown or inactive")
        return ref

    async def _personal_ref(self, person_id: int) -> ConversationRef:
        async with self.db.sessions() as session:
            ref = await conversations.personal_chat_of(session, person_id)
        if ref is None:
            raise NoConversation(f"no personal chat with person {person_id}")
        return ref

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
        ref = await self._personal_ref(person_id)
        return await self._deliver(ref, card, dedupe_key, entity_type, entity_id, new_thread=False)

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
        ref = await self._ref(channel_ref_id)
        return await self._deliver(ref, card, dedupe_key, entity_type, entity_id, new_thread=True)

    async def _deliver(
        self,
        ref: ConversationRef,
        card: Card,
        dedupe_key: str,
        entity_type: str | None,
        entity_id: str | None,
        *,
        new_thread: bool,
    ) -> Posted:
        post = await conversations.claim_post(
            self.db,
            dedupe_key=dedupe_key,
            conversation_ref_id=ref.id,
            entity_type=entity_type,
            entity_id=entity_id,
        )
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
            await conversations.mark_failed(self.db, post.id, str(error))
            if error.blocked:
                async with self.db.transaction() as session:
                    await conversations.deactivate_conversation(session, ref.conversation_id)
            raise
        await conversations.mark_sent(
            self.db, post.id, activity_id=activity_id, thread_conversation_id=conversation_id
        )
        return Posted(post.id, activity_id, conversation_id, False)

    async def update_card(self, post_id: int, card: Card) -> None:
        """Replace a card the bot posted earlier (e.g. after a decision)."""
        async with self.db.sessions() as session:
            post = await session.get(PostedActivity, post_id)
            ref = (
                None
                if post is None
                else await session.get(ConversationRef, post.conversation_ref_id)
            )
        if post is None or ref is None or not post.activity_id:
            raise NoConversation(f"post {post_id} was never delivered")
        conversation_id = post.thread_conversation_id or ref.conversation_id
        await self.connector.update(
            ref.service_url, conversation_id, post.activity_id, card_message(card)
        )
