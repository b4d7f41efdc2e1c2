"""What the machine did while a run was slow: find stalls and sample their likely causes.

A stall is a short window in which every turn in flight waits: its turns' latencies jump
together. Beside the run, `MachineProbe` samples three suspects every `TICK` seconds:

- the load generator's own event loop (how late a short sleep wakes up),
- a disk flush (`fdatasync` of 8 kB in the temporary directory, as a commit's WAL flush),
- the CPU time the hypervisor took away (`steal` in /proc/stat) and time spent waiting on I/O.

`stalls()` lists the windows whose worst turn was far above the run's median, each with what
the probe saw in it, so a run's tail can be put down to the bot or to the machine.
"""

from __future__ import annotations

import asyncio
import gc
import os
import statistics
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

TICK = 0.02
WINDOW = 0.25
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


@dataclass
class Sample:
    at: float
    loop_lag: float = 0.0
    steal: float = 0.0
    iowait: float = 0.0


def _steal_and_iowait() -> tuple[float, float]:
    fields = Path("/proc/stat").read_text().split("\n", 1)[0].split()
    return int(fields[8]) / CLOCK_TICKS, int(fields[5]) / CLOCK_TICKS


@dataclass
class MachineProbe:
    """Samples loop lag, disk flushes and CPU steal while a run goes on."""

    samples: list[Sample] = field(default_factory=list)
    flushes: list[tuple[float, float]] = field(default_factory=list)
    collections: list[tuple[float, float]] = field(default_factory=list)
    _collecting: float = 0.0
    _stop: threading.Event = field(default_factory=threading.Event)
    _task: asyncio.Task[None] | None = None
    _thread: threading.Thread | None = None

    def start(self) -> None:
        gc.callbacks.append(self._on_gc)
        self._task = asyncio.get_running_loop().create_task(self._loop())
        self._thread = threading.Thread(target=self._flush_loop, daemon=True)
        self._thread.start()

    def _on_gc(self, phase: str, _info: dict[str, int]) -> None:
        if phase == "start":
            self._collecting = time.perf_counter()
        else:
            now = time.perf_counter()
            self.collections.append((now, now - self._collecting))

    async def stop(self) -> None:
        if self._on_gc in gc.callbacks:
            gc.callbacks.remove(self._on_gc)
        self._stop.set()
        if self._task is not None:
            await self._task
        if self._thread is not None:
            await asyncio.to_thread(self._thread.join)

    async def _loop(self) -> None:
        steal, iowait = _steal_and_iowait()
        while not self._stop.is_set():
            asked = time.perf_counter()
            await asyncio.sleep(TICK)
            now = time.perf_counter()
            new_steal, new_iowait = _steal_and_iowait()
            self.samples.append(
                Sample(now, now - asked - TICK, new_steal - steal, new_iowait - iowait)
            )
            steal, iowait = new_steal, new_iowait

    def _flush_loop(self) -> None:
        block = os.urandom(8192)
        with tempfile.NamedTemporaryFile(prefix="amkbot-bench-flush-") as handle:
            descriptor = handle.fileno()
            while not self._stop.wait(TICK):
                started = time.perf_counter()
                os.pwrite(descriptor, block, 0)
                os.fdatasync(descriptor)
                finished = time.perf_counter()
                self.flushes.append((finished, finished - started))

    def during(self, start: float, end: float) -> str:
        """What the probe saw between `start` and `end` (perf_counter seconds)."""
        inside = [s for s in self.samples if start <= s.at <= end + TICK]
        flushes = [took for at, took in self.flushes if at >= start and at - took <= end]
        lag = max((s.loop_lag for s in inside), default=0.0)
        steal = sum(s.steal for s in inside)
        iowait = sum(s.iowait for s in inside)
        flush = max(flushes, default=0.0)
        collecting = sum(took for at, took in self.collections if start <= at <= end)
        return (
            f"load generator's loop late by up to {lag * 1000:.0f} ms "
            f"(its garbage collection {collecting * 1000:.0f} ms); "
            f"slowest disk flush {flush * 1000:.1f} ms; "
            f"CPU stolen {steal * 1000:.0f} ms, I/O wait {iowait * 1000:.0f} ms"
        )

    def summary(self) -> str:
        flushes = sorted(took for _, took in self.flushes)
        lags = sorted(s.loop_lag for s in self.samples)
        steal = sum(s.steal for s in self.samples)
        span = (self.samples[-1].at - self.samples[0].at) if len(self.samples) > 1 else 0.0
        if not flushes or not lags or not span:
            return "machine probe: no samples"
        slowest_gc = max((took for _, took in self.collections), default=0.0)
        return (
            f"machine probe: disk flush p50 {statistics.median(flushes) * 1000:.2f} ms, "
            f"max {flushes[-1] * 1000:.1f} ms; load generator's loop late p99 "
            f"{lags[int(0.99 * (len(lags) - 1))] * 1000:.0f} ms, max {lags[-1] * 1000:.0f} ms "
            f"(slowest garbage collection {slowest_gc * 1000:.0f} ms); "
            f"CPU stolen {100 * steal / span / (os.cpu_count() or 1):.1f} % of the machine"
        )


def stalls(
    finished: list[tuple[float, float]], probe: MachineProbe, *, factor: float = 3.0
) -> list[str]:
    """Windows whose slowest turn took more than `factor` × the run's median latency (and at
    least 200 ms), worst first, with what the probe saw in them.

    `finished`: (when the turn ended, its latency), both in perf_counter seconds.
    """
    if len(finished) < 20:
        return []
    median = statistics.median(latency for _, latency in finished)
    limit = max(factor * median, 0.2)
    worst: dict[int, tuple[float, float]] = {}
    for end, latency in finished:
        if latency > limit:
            window = int(end // WINDOW)
            if latency > worst.get(window, (0.0, 0.0))[1]:
                worst[window] = (end, latency)
    lines = []
    for end, latency in sorted(worst.values(), key=lambda item: -item[1])[:5]:
        began = end - latency
        lines.append(f"turn of {latency * 1000:.0f} ms: {probe.during(began, end)}")
    return lines
