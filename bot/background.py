"""Work that must not delay Teams' answer (card updates, notifications), tracked so that
tests and shutdown can wait for it."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Coroutine
from typing import Any

from bot.turn_gate import BACKGROUND
from storage.db import WRITE_ALLOWANCE

log = logging.getLogger(__name__)


class BackgroundTasks:
    """Fire-and-forget with bookkeeping: failures are logged, `drain()` waits for all."""

    def __init__(self) -> None:
        self._tasks: set[asyncio.Task[None]] = set()

    def spawn(self, work: Coroutine[Any, Any, None], *, name: str) -> None:
        task = asyncio.get_running_loop().create_task(self._guard(work, name), name=name)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    @staticmethod
    async def _guard(work: Coroutine[Any, Any, None], name: str) -> None:
        WRITE_ALLOWANCE.set(BACKGROUND)
        try:
            await work
        except Exception:
            log.exception("background work %s failed", name)

    async def drain(self) -> None:
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)
