"""A worker starts deaf to Ctrl-C: the terminal's SIGINT reaches the whole process group, and a
worker still importing must not die with a traceback (the supervisor stops it)."""

from __future__ import annotations

import multiprocessing
import signal
from multiprocessing.connection import Connection

from bot.workers import start_ignoring_ctrl_c


def _report_sigint(pipe: Connection) -> None:
    pipe.send(signal.getsignal(signal.SIGINT) == signal.SIG_IGN)


def test_a_worker_starts_with_ctrl_c_ignored_and_the_supervisor_keeps_its_own() -> None:
    context = multiprocessing.get_context("spawn")
    receiving, sending = context.Pipe(duplex=False)
    before = signal.getsignal(signal.SIGINT)
    process = context.Process(target=_report_sigint, args=(sending,))
    start_ignoring_ctrl_c(process)
    assert receiving.recv() is True
    process.join(30)
    assert process.exitcode == 0
    assert signal.getsignal(signal.SIGINT) == before


def test_a_plainly_started_process_would_take_ctrl_c() -> None:
    """The control: without it, a spawned process has Python's KeyboardInterrupt handler."""
    context = multiprocessing.get_context("spawn")
    receiving, sending = context.Pipe(duplex=False)
    process = context.Process(target=_report_sigint, args=(sending,))
    process.start()
    assert receiving.recv() is False
    process.join(30)
