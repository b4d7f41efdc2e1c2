"""Several worker processes on one port (`WORKERS=n`, PostgreSQL only).

One Python process runs its Python code on one core at a time. With `WORKERS` above 1 the
parent migrates the database once, then starts that many worker processes that each serve
`/api/messages` on the same port (`SO_REUSEPORT`: the kernel spreads connections over
them) and run their own scheduler; job claims in the database make every proactive step
happen once, whichever worker gets to it. A worker that dies is started again.
"""

from __future__ import annotations

import asyncio
import ctypes
import gc
import logging
import multiprocessing
import os
import signal
import time
from multiprocessing.connection import wait
from multiprocessing.process import BaseProcess
from types import FrameType

from aiohttp import web

from bot.app import create_app
from bot.config import Settings, configure_logging
from storage import audit
from storage.db import Database
from storage.prepare import prepare_database

log = logging.getLogger(__name__)

RESTART_PAUSE_SECONDS = 1.0
YOUNGEST_GENERATION_THRESHOLD = 10_000
PR_SET_PDEATHSIG = 1


def serve(settings: Settings) -> None:
    """One process serving the bot (the whole bot when `WORKERS` is 1)."""
    audit.seal_with(settings.audit_secret)
    asyncio.run(_serve(settings))


def _settle_startup_objects() -> None:
    """What start-up made (modules, models, the app) lives as long as the process: frozen out
    of the collector's generations, so collections under load do not walk it again, and the
    youngest generation is collected less often (a turn makes thousands of short-lived
    objects)."""
    gc.collect()
    gc.freeze()
    _, second, third = gc.get_threshold()
    gc.set_threshold(YOUNGEST_GENERATION_THRESHOLD, second, third)


def turn_wait_seconds(settings: Settings) -> float:
    """How long aiohttp waits for the turns in flight at a stop, and then as long again for
    those it has told to end before it cancels them: half of `STOP_GRACE_SECONDS`."""
    return settings.stop_grace_seconds / 2


async def _serve(settings: Settings) -> None:
    """Serve until SIGTERM or SIGINT, then stop gracefully: turns in flight and background
    work get `STOP_GRACE_SECONDS` from the signal (see `bot.app.create_app`).

    Signals after the first do not cut the stop short: a worker gets one from its supervisor
    and often one more from the terminal or the service manager, which signal the whole
    group. aiohttp's own handling ends the stop on the second one, before the connector's
    HTTP session and the database are closed and the background work is kept."""
    loop = asyncio.get_running_loop()
    stopping = asyncio.Event()

    def on_signal(signum: int) -> None:
        if stopping.is_set():
            log.info("%s: already stopping", signal.Signals(signum).name)
        stopping.set()

    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, on_signal, signum)
    runner = web.AppRunner(
        create_app(settings, migrate=settings.workers == 1),
        handle_signals=False,
        shutdown_timeout=turn_wait_seconds(settings),
    )
    try:
        await runner.setup()
        try:
            site = web.TCPSite(
                runner, settings.host, settings.port, reuse_port=settings.workers > 1
            )
            await site.start()
            _settle_startup_objects()
            await stopping.wait()
        finally:
            await runner.cleanup()
    finally:
        for signum in (signal.SIGINT, signal.SIGTERM):
            loop.remove_signal_handler(signum)


def _stop_with_parent(supervisor: int) -> None:
    """Linux: the kernel sends SIGTERM to this worker if the supervisor dies, even by SIGKILL."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
    except (OSError, AttributeError):
        log.debug("prctl is not available: workers outlive a killed supervisor")
    if os.getppid() != supervisor:
        raise SystemExit("the supervisor stopped while this worker was starting")


def _worker_main(settings: Settings, number: int, supervisor: int) -> None:
    _stop_with_parent(supervisor)
    configure_logging(settings.log_level, prefix=f"[worker {number}] ")
    serve(settings)


async def _migrate(settings: Settings) -> None:
    db = Database(settings.database_url)
    try:
        await prepare_database(db)
    finally:
        await db.dispose()


def start_ignoring_ctrl_c(process: BaseProcess) -> None:
    """Start `process` with SIGINT ignored (an ignored signal stays ignored across exec).

    A Ctrl-C reaches the whole process group; a worker still importing would end with a
    traceback. It handles SIGINT itself once it serves (`_serve`), and until then the
    supervisor stops it with SIGTERM."""
    handler = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        process.start()
    finally:
        signal.signal(signal.SIGINT, handler)


def supervise(settings: Settings) -> int:
    """Migrate once, start `settings.workers` workers, restart any that die, stop on a signal."""
    asyncio.run(_migrate(settings))
    context = multiprocessing.get_context("spawn")
    stopping = False

    def start(number: int) -> BaseProcess:
        process = context.Process(
            target=_worker_main,
            args=(settings, number, os.getpid()),
            name=f"amkbot-worker-{number}",
        )
        start_ignoring_ctrl_c(process)
        return process

    def stop(_signum: int, _frame: FrameType | None) -> None:
        nonlocal stopping
        stopping = True
        for process in workers.values():
            if process.is_alive():
                process.terminate()

    workers = {number: start(number) for number in range(1, settings.workers + 1)}
    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    while workers:
        wait([process.sentinel for process in workers.values()])
        for number, process in list(workers.items()):
            if process.is_alive():
                continue
            process.join()
            del workers[number]
            if not stopping:
                log.error(
                    "worker %d stopped (exit code %s); starting it again", number, process.exitcode
                )
                time.sleep(RESTART_PAUSE_SECONDS)
                workers[number] = start(number)
    return 0
