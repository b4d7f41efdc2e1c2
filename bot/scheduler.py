"""Time-driven work (reminders, expiry, digests): every job runs on each tick, and each job
claims what it does in the database, so several bot processes never do the same work twice."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from datetime import datetime

from services.ports import PeriodicJob
from storage.models import utcnow

log = logging.getLogger(__name__)


class Scheduler:
    """Ticks every `interval` seconds (and once at start-up, so a bot that was down catches up)."""

    def __init__(
        self,
        jobs: list[PeriodicJob],
        *,
        interval: float = 60.0,
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        self.jobs = jobs
        self.interval = interval
        self.clock = clock
        self._task: asyncio.Task[None] | None = None

    async def tick(self) -> None:
        now = self.clock()
        for job in self.jobs:
            try:
                await job.run(now)
            except Exception:
                log.exception("scheduled job %s failed; it runs again on the next tick", job.name)

    async def _loop(self) -> None:
        while True:
            await self.tick()
            await asyncio.sleep(self.interval)

    def start(self) -> None:
        if self._task is None:
            self._task = asyncio.get_running_loop().create_task(self._loop(), name="scheduler")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
