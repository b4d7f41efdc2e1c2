"""Cards for people the bot has no chat with yet.

The app is installed for the person through Graph, and the card waits in `job_run` under
`awaitchat:<person id>:<dedupe key>` until their chat is known: from the
`installationUpdate`/`conversationUpdate` Teams sends after the installation, or from Graph
(`…/installedApps/{id}/chat`) when the app was installed already and no event comes. Each
waiting card is claimed before it is sent and keeps its dedupe key, so restarts and several
instances deliver it once.
"""

from __future__ import annotations

import dataclasses
import enum
import logging
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.exc import IntegrityError

from bot.connector import ConnectorError
from bot.graph import GraphError, NotInstallable, TeamsAppInstaller
from bot.proactive import ProactiveSender
from services.ports import WORKER, NoConversation, Outgoing
from storage import conversations, jobs, rows
from storage.models import utcnow

log = logging.getLogger(__name__)

WAITING = "awaitchat:"
# How long a waiting card waits for Teams' event before a scheduler round asks Graph.
FIRST_LOOK = timedelta(minutes=1)
LEASE = timedelta(minutes=5)
# Rounds (1, 2, 4 … at most 60 minutes apart, about a day in all) before a card is given up.
LOOKS = 30


def waiting_key(person_id: int, dedupe_key: str) -> str:
    return f"{WAITING}{person_id}:{dedupe_key}"


def next_look(attempt: int) -> timedelta:
    return timedelta(minutes=min(2 ** max(attempt - 1, 0), 60))


class Sent(enum.Enum):
    SENT = "sent"
    NO_CHAT = "no chat yet"
    LATER = "tried again later"
    DROPPED = "given up"


class ChatOpener:
    """Installs the app for a person, keeps their card, and sends it when the chat is known."""

    def __init__(
        self, sender: ProactiveSender, installer: TeamsAppInstaller, *, tenant_id: str
    ) -> None:
        self.sender = sender
        self.db = sender.db
        self.installer = installer
        self.tenant_id = tenant_id

    async def open_for(self, outgoing: Outgoing) -> bool:
        """Keep `outgoing` for the person's chat and install the app for them; False if
        Graph cannot install it for them (unknown, no Teams licence, the app blocked): then
        the card is not kept and the caller reports it, as for a person with no chat."""
        user = await self.graph_user(outgoing.person_id)
        if user is None:
            return False
        key = waiting_key(outgoing.person_id, outgoing.key)
        await jobs.park(self.db, key, WORKER, outgoing.payload(), utcnow() + FIRST_LOOK)
        try:
            fresh = await self.installer.install(user)
        except NotInstallable as error:
            log.warning("cannot install the app for person %s: %s", outgoing.person_id, error)
            await jobs.discard(self.db, key)
            return False
        except GraphError as error:
            log.warning(
                "installing the app for person %s failed (%s); tried again later",
                outgoing.person_id,
                error.status or "no answer",
            )
            return True
        if not fresh and await self.adopt_chat(outgoing.person_id, user):
            await self.deliver_waiting(outgoing.person_id)
        return True

    async def graph_user(self, person_id: int) -> str | None:
        async with self.db.reading() as connection:
            person = await rows.person(connection, person_id)
        if person is None:
            return None
        return person.aad_object_id or person.upn

    async def adopt_chat(self, person_id: int, user: str) -> bool:
        """Ask Graph for the person's chat with the bot and remember it, served like the
        newest chat the bot knows (service URL, bot id); False if there is none to go by."""
        try:
            chat_id = await self.installer.personal_chat(user)
        except GraphError as error:
            log.warning("no chat of person %s from Graph: %s", person_id, error.status)
            return False
        if chat_id is None:
            return False
        try:
            async with self.db.writing() as connection:
                model = await conversations.newest_personal_address(
                    connection, self.tenant_id or None
                )
                if model is None:
                    return False
                ref = await conversations.remember(
                    connection,
                    dataclasses.replace(model, conversation_id=chat_id),
                    person_id=person_id,
                )
        except IntegrityError:
            # Teams' event about the same chat was recorded at the same moment
            return True
        return ref is not None

    async def deliver_waiting(self, person_id: int) -> None:
        """Send every card waiting for the person's chat, each claimed by one process."""
        for row in await jobs.waiting(self.db, f"{WAITING}{person_id}:"):
            now = utcnow()
            if not await jobs.start_kept(self.db, row.key, WORKER, now, now + LEASE):
                continue
            if await self.send(row.key, row.result or {}, row.attempts, now) is Sent.NO_CHAT:
                await jobs.retry_at(self.db, row.key, WORKER, "no chat yet", now + FIRST_LOOK)

    async def send(self, key: str, payload: dict[str, Any], attempt: int, now: datetime) -> Sent:
        """Send one waiting card this process has claimed and record the outcome; with no
        chat yet (`Sent.NO_CHAT`) the caller decides when to look again."""
        dedupe_key = key.removeprefix(WAITING).partition(":")[2]
        try:
            entity = payload.get("entity") or [None, None]
            posted = await self.sender.send_to_person(
                int(payload["person_id"]),
                payload["card"],
                dedupe_key=dedupe_key,
                entity_type=entity[0],
                entity_id=entity[1],
            )
        except NoConversation:
            return Sent.NO_CHAT
        except ConnectorError as error:
            reason = str(error.status or "no answer")
            if error.retryable and attempt < LOOKS:
                await jobs.retry_at(self.db, key, WORKER, reason, now + next_look(attempt))
                return Sent.LATER
            log.error("waiting card %s given up: %s", dedupe_key, reason)
            await jobs.complete(self.db, key, WORKER, {"failed": reason})
            return Sent.DROPPED
        except (KeyError, TypeError, ValueError) as error:
            log.warning("waiting card %s dropped: %s", dedupe_key, type(error).__name__)
            await jobs.complete(self.db, key, WORKER, {"dropped": type(error).__name__})
            return Sent.DROPPED
        log.info("delivered %s after the app was installed", dedupe_key)
        await jobs.complete(self.db, key, WORKER, {"activity_id": posted.activity_id})
        return Sent.SENT


class WaitingForChats:
    """Scheduled job: cards whose chat Teams has not reported yet. Each round sends those
    whose chat has appeared, asks Graph for the chat of the others (installing the app
    again if that finds none), and gives a card up after `LOOKS` rounds."""

    name = "waiting_for_chats"

    def __init__(self, opener: ChatOpener) -> None:
        self.opener = opener

    async def run(self, now: datetime) -> None:
        db = self.opener.db
        for row in await jobs.due(db, WAITING, now):
            if await jobs.claim(db, row.key, WORKER, LEASE, now=now):
                await self._look(row.key, row.result or {}, row.attempts + 1, now)

    async def _look(self, key: str, payload: dict[str, Any], attempt: int, now: datetime) -> None:
        opener = self.opener
        if await opener.send(key, payload, attempt, now) is not Sent.NO_CHAT:
            return
        person_id = int(payload.get("person_id") or 0)
        user = await opener.graph_user(person_id)
        if user is not None:
            if await opener.adopt_chat(person_id, user):
                if await opener.send(key, payload, attempt, now) is not Sent.NO_CHAT:
                    return
            else:
                try:
                    await opener.installer.install(user)
                except (GraphError, NotInstallable) as error:
                    log.warning("installing for person %s failed again: %s", person_id, error)
        if attempt >= LOOKS:
            log.error("no chat with person %s after %d rounds; card given up", person_id, attempt)
            await jobs.complete(opener.db, key, WORKER, {"failed": "no chat"})
            return
        await jobs.retry_at(opener.db, key, WORKER, "no chat yet", now + next_look(attempt))
