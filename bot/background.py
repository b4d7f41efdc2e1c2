"""Work that must not delay Teams' answer (card updates, notifications), tracked so that
tests and shutdown can wait for it."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Callable, Coroutine
from contextlib import asynccontextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

from bot.turn_gate import BACKGROUND
from storage.db import WRITE_ALLOWANCE

log = logging.getLogger(__name__)

# After the deadline: how long the cut work may take to keep what it did not send, and how
# long cancelled work may take to end.
CUT_SECONDS = 5.0
CANCEL_SECONDS = 1.0


@dataclass
class _HeldForTurn:
    """Work a turn asked for, started when the turn has answered."""

    owner: BackgroundTasks
    work: list[tuple[Coroutine[Any, Any, object], str]] = field(default_factory=list)
    open: bool = True


_HELD: ContextVar[_HeldForTurn | None] = ContextVar("background_held_for_turn", default=None)


class BackgroundTasks:
    """Fire-and-forget with bookkeeping: failures are logged, `drain()` waits for all."""

    def __init__(self) -> None:
        self._tasks: set[asyncio.Task[None]] = set()

    @property
    def running(self) -> int:
        return len(self._tasks)

    def spawn(self, work: Coroutine[Any, Any, object], *, name: str) -> None:
        """Run `work` in a task of its own; inside `after_turn()`, once the turn is over."""
        held = _HELD.get()
        if held is not None and held.open and held.owner is self:
            held.work.append((work, name))
            return
        task = asyncio.get_running_loop().create_task(self._guard(work, name), name=name)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    @asynccontextmanager
    async def after_turn(self) -> AsyncIterator[None]:
        """Hold the work spawned inside the block until it ends (also by an error or a
        cancellation): a turn's answer does not wait behind its own notifications, and
        the user sees the answer first."""
        held = _HeldForTurn(self)
        token = _HELD.set(held)
        try:
            yield
        finally:
            held.open = False
            _HELD.reset(token)
            for work, name in held.work:
                self.spawn(work, name=name)

    @staticmethod
    async def _guard(work: Coroutine[Any, Any, object], name: str) -> None:
        WRITE_ALLOWANCE.set(BACKGROUND)
        try:
            await work
        except Exception:
            log.exception("background work %s failed", name)

    async def _wait(self, seconds: float | None) -> None:
        """Until all work (also work started meanwhile) is done, or `seconds` have passed."""
        loop = asyncio.get_running_loop()
        until = None if seconds is None else loop.time() + seconds
        while self._tasks:
            left = None if until is None else until - loop.time()
            if left is not None and left <= 0:
                return
            await asyncio.wait(list(self._tasks), timeout=left)

    async def drain(
        self, deadline: float | None = None, *, cut: Callable[[], None] | None = None
    ) -> list[str]:
        """Wait for all work; after `deadline` seconds call `cut` (ends what waits for Teams)
        and give the work `CUT_SECONDS` to finish, then cancel what is left.

        Returns the names of the work still running at the deadline."""
        await self._wait(deadline)
        if not self._tasks:
            return []
        late = sorted(task.get_name() for task in self._tasks)
        log.warning(
            "stopping: %d background tasks still running after %.1f s: %s",
            len(late),
            deadline or 0.0,
            ", ".join(late),
        )
        if cut is not None:
            cut()
            await self._wait(CUT_SECONDS)
        if self._tasks:
            left = list(self._tasks)
            log.error("stopping: cancelled %s", ", ".join(sorted(t.get_name() for t in left)))
            for task in left:
                task.cancel()
            await self._wait(CANCEL_SECONDS)
        return late
