"""How many turns of this process work at once, and who goes first.

A process runs one turn's Python code at a time. With many turns in flight every `await`
waits behind all the others, so each turn takes longer and one holding the database's write
lock holds it longer too. The gate lets `limit` turns work at once and the others wait in
order; card actions (invokes: Teams waits for their answer, the user watches a spinner) go
first, then turns coming back from Teams, then new messages. A turn gives its place up while it
waits for Teams (`waiting_for_teams()`), so a slow Teams does not hold the bot up.
"""

from __future__ import annotations

import asyncio
import heapq
import itertools
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from storage.db import WRITE_ALLOWANCE

# How long a waiter may be put behind later arrivals (seconds): waiters are served in order
# of arrival plus this allowance, so nobody waits forever behind more urgent work.
URGENT = 0.0
RESUMING = 0.05
NORMAL = 0.25
BACKGROUND = 1.0


@dataclass
class _Place:
    gate: TurnGate
    task: asyncio.Task[object] | None
    held: bool = False


_CURRENT: ContextVar[_Place | None] = ContextVar("turn_place", default=None)


class TurnGate:
    """A semaphore whose waiters are served in order of arrival plus their allowance."""

    def __init__(self, limit: int) -> None:
        if limit < 1:
            raise ValueError("a turn gate needs at least one place")
        self.limit = limit
        self._free = limit
        self._waiting: list[tuple[float, int, asyncio.Future[None]]] = []
        self._order = itertools.count()

    @property
    def working(self) -> int:
        return self.limit - self._free

    @property
    def queued(self) -> int:
        return sum(1 for *_, future in self._waiting if not future.done())

    async def _acquire(self, allowance: float) -> None:
        if self._free > 0 and not self.queued:
            self._free -= 1
            return
        loop = asyncio.get_running_loop()
        future: asyncio.Future[None] = loop.create_future()
        heapq.heappush(self._waiting, (loop.time() + allowance, next(self._order), future))
        try:
            await future
        except asyncio.CancelledError:
            if future.done() and not future.cancelled():
                self._release()
            raise

    def _release(self) -> None:
        while self._waiting:
            *_, future = heapq.heappop(self._waiting)
            if not future.done():
                future.set_result(None)
                return
        self._free += 1

    @asynccontextmanager
    async def turn(self, allowance: float = NORMAL) -> AsyncIterator[None]:
        """Hold a place for the work inside the block (a turn, or background work)."""
        await self._acquire(allowance)
        place = _Place(self, asyncio.current_task(), held=True)
        token = _CURRENT.set(place)
        write_token = WRITE_ALLOWANCE.set(allowance)
        try:
            yield
        finally:
            WRITE_ALLOWANCE.reset(write_token)
            _CURRENT.reset(token)
            if place.held:
                place.held = False
                self._release()


@asynccontextmanager
async def waiting_for_teams() -> AsyncIterator[None]:
    """Give the current turn's place up while it waits for an answer from Teams."""
    place = _CURRENT.get()
    if place is None or not place.held or place.task is not asyncio.current_task():
        yield
        return
    place.held = False
    place.gate._release()
    try:
        yield
    finally:
        await place.gate._acquire(RESUMING)
        place.held = True
