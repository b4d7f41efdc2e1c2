"""`services.ports.Notifier` on the proactive sender, with slow work moved off the turn."""

from __future__ import annotations

import asyncio
import enum
import logging
from collections.abc import Awaitable, Callable, Coroutine, Sequence
from datetime import datetime, timedelta
from typing import Any

from bot.background import BackgroundTasks
from bot.connector import ConnectorError
from bot.proactive import ProactiveSender
from bot.reach import ChatOpener
from services.ports import WORKER, NoConversation, Outgoing
from storage import conversations, jobs
from storage.conversations import SentPost
from storage.db import HotConnection
from storage.models import utcnow

log = logging.getLogger(__name__)
REDELIVERY = "redeliver:"
REDELIVERY_ATTEMPTS = 12
# A card kept by a turn (`keep_ahead`) is due this soon: the process that answered starts its
# send right after the answer; if that process died first, the next scheduler round sends it.
KEPT_START_GRACE = timedelta(seconds=10)
# A send that was started and has recorded no outcome this long after is taken to have died
# with its process, and a scheduler round sends the card again (Teams may have it already).
SENDING_GRACE = timedelta(minutes=5)
# How long a send waits for Graph to install the app for someone with no chat; a slower
# installation (Graph throttling) goes on after the answer and the card waits for it.
INSTALL_PATIENCE = 10.0


def redelivery_pause(attempt: int) -> timedelta:
    """1, 2, 4 … minutes between tries, at most an hour (12 tries span about six hours)."""
    return timedelta(minutes=min(2 ** (attempt - 1), 60))


class _Delivery(enum.Enum):
    SENT = "sent"
    KEPT = "kept for redelivery"
    NOT_SENT = "no chat, or refused by Teams"
    AWAITING_CHAT = "waits for the chat of a new installation"


class ProactiveNotifier:
    """Sends and updates cards through `ProactiveSender`; `later()` runs after the answer.

    When the bot stops and background work outlives its deadline, `cut()` ends the sends
    and updates still waiting for Teams: a cut 1:1 card, and every card asked for after the
    cut, is kept for the scheduler's `Redelivery` instead (a cut update is dropped).
    """

    def __init__(
        self,
        sender: ProactiveSender,
        background: BackgroundTasks,
        opener: ChatOpener | None = None,
    ) -> None:
        self.sender = sender
        self.background = background
        self.opener = opener
        self.stopping = False
        self._waiting: set[asyncio.Timeout] = set()
        self._busy = 0
        self._idle = asyncio.Event()
        self._idle.set()

    def cut(self) -> None:
        """End every send and update waiting for Teams; keep later cards for redelivery."""
        self.stopping = True
        now = asyncio.get_running_loop().time()
        for scope in list(self._waiting):
            scope.reschedule(now)

    async def _unless_cut(self, work: Awaitable[Any]) -> bool:
        """Await `work`; False if `cut()` ended it."""
        scope = asyncio.timeout(None)
        try:
            async with scope:
                self._waiting.add(scope)
                if self.stopping:
                    scope.reschedule(asyncio.get_running_loop().time())
                await work
        except TimeoutError:
            if scope.expired():
                return False
            raise
        finally:
            self._waiting.discard(scope)
        return True

    async def settled(self, seconds: float) -> bool:
        """Wait until no card is being sent or kept (a cancelled turn keeps its card)."""
        try:
            await asyncio.wait_for(self._idle.wait(), seconds)
        except TimeoutError:
            return False
        return True

    @property
    def reaches_without_chat(self) -> bool:
        """With Graph configured, a card to someone with no chat installs the app for them."""
        return self.opener is not None

    def chat_opened(self, person_id: int) -> None:
        """Teams reported the person's chat: send what waits for it, after the answer."""
        if self.opener is not None:
            self.later(self.opener.deliver_waiting(person_id), name="deliver waiting cards")

    async def card_to_person(
        self, person_id: int, card: dict[str, object], *, key: str, entity: tuple[str, str]
    ) -> bool:
        outcome = await self._deliver(Outgoing(person_id, card, key, entity))
        return outcome is not _Delivery.NOT_SENT

    async def keep_ahead(self, connection: HotConnection, cards: Sequence[Outgoing]) -> None:
        """Keep `cards` for redelivery inside the caller's transaction, before its answer.

        `send_kept` sends them right after the answer and drops what it settled; if the
        process dies before it started a card's send, `Redelivery` sends it after
        `KEPT_START_GRACE`; a card whose send started waits `SENDING_GRACE` first.
        """
        await jobs.keep_ahead(
            connection,
            [(REDELIVERY + card.key, card.payload()) for card in cards],
            WORKER,
            utcnow() + KEPT_START_GRACE,
        )

    async def send_kept(self, cards: Sequence[Outgoing]) -> list[bool]:
        """Send cards `keep_ahead` kept, in order; for each, whether it was delivered (or is
        still kept for a later try). False: no chat, or Teams refused it for good."""
        outcomes = [await self._deliver(card, kept=True) for card in cards]
        settled = [
            REDELIVERY + card.key
            for card, outcome in zip(cards, outcomes, strict=True)
            if outcome is not _Delivery.KEPT
        ]
        await jobs.forget_kept(self.sender.db, settled, WORKER)
        return [outcome is not _Delivery.NOT_SENT for outcome in outcomes]

    async def _deliver(self, outgoing: Outgoing, *, kept: bool = False) -> _Delivery:
        self._busy += 1
        self._idle.clear()
        try:
            if self.stopping:
                return await self._keep(outgoing, "asked for while the bot stops")
            if kept and not await self._start(outgoing):
                log.info("%s is being sent by a scheduler round already", outgoing.key)
                return _Delivery.KEPT
            return await self._send(outgoing)
        except asyncio.CancelledError:
            # Kept by a task of its own: the cancelled one may be cancelled again.
            self.background.spawn(self._keep(outgoing, "cancelled"), name=f"keep {outgoing.key}")
            raise
        finally:
            self._busy -= 1
            if not self._busy:
                self._idle.set()

    async def _start(self, outgoing: Outgoing) -> bool:
        """Record in the kept card's row that its send starts now, before Teams is asked."""
        now = utcnow()
        return await jobs.start_kept(
            self.sender.db, REDELIVERY + outgoing.key, WORKER, now, now + SENDING_GRACE
        )

    async def _send(self, outgoing: Outgoing) -> _Delivery:
        key = outgoing.key
        try:
            sent = await self._unless_cut(
                self.sender.send_to_person(
                    outgoing.person_id,
                    outgoing.card,
                    dedupe_key=key,
                    entity_type=outgoing.entity[0],
                    entity_id=outgoing.entity[1],
                )
            )
        except NoConversation:
            if self.opener is not None:
                return await self._open_chat(outgoing)
            log.info("no personal chat with person %s; %s not sent", outgoing.person_id, key)
            return _Delivery.NOT_SENT
        except ConnectorError as error:
            if not error.retryable:
                log.warning("sending %s refused by Teams: %s", key, error.status)
                return _Delivery.NOT_SENT
            log.warning(
                "sending %s failed: %s; kept for redelivery", key, error.status or "no answer"
            )
            await jobs.park(
                self.sender.db,
                REDELIVERY + key,
                WORKER,
                outgoing.payload(),
                utcnow() + redelivery_pause(1),
            )
            return _Delivery.KEPT
        if not sent:
            return await self._keep(outgoing, "cut off by the stop")
        return _Delivery.SENT

    async def _open_chat(self, outgoing: Outgoing) -> _Delivery:
        """Install the app for the person (`ChatOpener`); the card waits for their chat.
        An installation slower than `INSTALL_PATIENCE` goes on in the background."""
        assert self.opener is not None
        opening = asyncio.ensure_future(self.opener.open_for(outgoing))
        done, _ = await asyncio.wait({opening}, timeout=INSTALL_PATIENCE)
        if opening not in done:
            self.background.spawn(_finish(opening), name=f"install for {outgoing.key}")
            return _Delivery.AWAITING_CHAT
        if opening.result():
            return _Delivery.AWAITING_CHAT
        log.info("person %s cannot be reached; %s not sent", outgoing.person_id, outgoing.key)
        return _Delivery.NOT_SENT

    async def _keep(self, outgoing: Outgoing, why: str) -> _Delivery:
        """Park the card for the next `Redelivery` run (the same dedupe key: sent once)."""
        key = outgoing.key
        if await jobs.park(self.sender.db, REDELIVERY + key, WORKER, outgoing.payload(), utcnow()):
            log.warning("sending %s %s; kept for redelivery", key, why)
        else:
            log.info("sending %s %s; it was kept for redelivery already", key, why)
        return _Delivery.KEPT

    async def update_cards(
        self, entity: tuple[str, str], render: Callable[[str], dict[str, object] | None]
    ) -> None:
        """Replace every delivered card about `entity`; a card whose delivery is not recorded
        (kept for another try) is sent as it now stands."""
        delivered, unrecorded = await conversations.posts_about(self.sender.db, *entity)
        await self.update_posts(delivered, render)
        for key in unrecorded:
            card = render(key)
            if card is not None:
                await jobs.replace_kept(self.sender.db, REDELIVERY + key, {"card": card})

    async def sent(self, entity: tuple[str, str]) -> list[SentPost]:
        """Every delivered card about `entity`, with where it went."""
        return await conversations.sent_posts(self.sender.db, entity[0], entity[1])

    async def update_posts(
        self,
        posts: list[SentPost],
        render: Callable[[str], dict[str, object] | None],
    ) -> None:
        """Replace the cards `posts` (from `sent`) with what `render` gives for each key."""
        for post in posts:
            card = render(post.dedupe_key)
            if card is None:
                continue
            if self.stopping:
                log.info("update of %s skipped: the bot is stopping", post.dedupe_key)
                continue
            try:
                if not await self._unless_cut(self.sender.update_post(post, card)):
                    log.warning("update of %s cut off by the stop", post.dedupe_key)
            except (NoConversation, ConnectorError) as error:
                log.warning("updating %s failed: %s", post.dedupe_key, type(error).__name__)

    def later(self, work: Coroutine[Any, Any, None], *, name: str) -> None:
        self.background.spawn(work, name=name)


async def _finish(work: asyncio.Future[bool]) -> None:
    await work


class Redelivery:
    """Scheduled job: sends the 1:1 cards Teams did not take (throttled, down, no answer), and
    kept cards whose process died: after `KEPT_START_GRACE` if their send never started,
    after `SENDING_GRACE` if it started and recorded no outcome (Teams may have the card).

    The card waits in `job_run` under `redeliver:<dedupe key>`; the send keeps its dedupe key,
    so a card whose delivery was recorded is never sent again. Gives up after 12 tries.
    """

    name = "redelivery"

    def __init__(self, sender: ProactiveSender, *, attempts: int = REDELIVERY_ATTEMPTS) -> None:
        self.sender = sender
        self.attempts = attempts

    async def run(self, now: datetime) -> None:
        for parked in await jobs.due(self.sender.db, REDELIVERY, now):
            if await jobs.claim(self.sender.db, parked.key, WORKER, SENDING_GRACE, now=now):
                await self._send(parked.key, parked.result or {}, parked.attempts + 1, now)

    async def _send(self, key: str, payload: dict[str, Any], attempt: int, now: datetime) -> None:
        dedupe_key = key.removeprefix(REDELIVERY)
        entity = payload.get("entity") or [None, None]
        try:
            posted = await self.sender.send_to_person(
                int(payload["person_id"]),
                payload["card"],
                dedupe_key=dedupe_key,
                entity_type=entity[0],
                entity_id=entity[1],
            )
        except (NoConversation, KeyError, TypeError, ValueError) as error:
            log.warning("redelivery of %s dropped: %s", dedupe_key, type(error).__name__)
            await jobs.complete(self.sender.db, key, WORKER, {"dropped": type(error).__name__})
            return
        except ConnectorError as error:
            reason = str(error.status or "no answer")
            if not error.retryable or attempt >= self.attempts:
                log.error(
                    "redelivery of %s gave up after %d tries: %s", dedupe_key, attempt, reason
                )
                await jobs.complete(self.sender.db, key, WORKER, {"failed": reason})
                return
            await jobs.retry_at(
                self.sender.db, key, WORKER, reason, now + redelivery_pause(attempt)
            )
            return
        log.info("redelivered %s (try %d)", dedupe_key, attempt)
        await jobs.complete(
            self.sender.db, key, WORKER, {"activity_id": posted.activity_id, "tries": attempt}
        )
