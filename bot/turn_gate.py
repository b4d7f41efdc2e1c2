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
from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from storage.db import WRITE_ALLOWANCE, OrderedSlots

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
    """Places for turns, taken in order of arrival plus each turn's allowance."""

    def __init__(self, limit: int) -> None:
        self._slots = OrderedSlots(limit)

    @property
    def limit(self) -> int:
        return self._slots.limit

    @property
    def working(self) -> int:
        return self._slots.working

    @property
    def queued(self) -> int:
        return self._slots.queued

    async def _acquire(self, allowance: float) -> None:
        await self._slots.acquire(allowance)

    def _release(self) -> None:
        self._slots.release()

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


def aside() -> AbstractAsyncContextManager[None]:
    """Give the current turn's place up for work that runs elsewhere (a workbook written in a
    thread, a file uploaded to OneDrive), as `waiting_for_teams` does for Teams' answers."""
    return waiting_for_teams()
