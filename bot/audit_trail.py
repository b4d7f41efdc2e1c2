"""Sealing the audit trail outside the database: the daily checkpoint of its head (sequence,
hash, seal), signed with `AUDIT_SECRET` and appended to `AUDIT_CHECKPOINT_FILE` and the log,
and `audit verify`, which holds the chain against the seals and the checkpoints and says
what it could not check."""

from __future__ import annotations

import asyncio
import logging
import os
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

from domain.audit import Checkpoint, CheckpointFile, checkpoint_line, read_checkpoints, seal_key
from domain.i18n import COPENHAGEN
from storage import audit, jobs
from storage.db import Database

log = logging.getLogger(__name__)
WORKER = f"{os.uname().nodename}:{os.getpid()}"
LEASE = timedelta(minutes=10)


def checkpoint_key(day: date) -> str:
    return f"audit-checkpoint:{day.isoformat()}"


class AuditCheckpoint:
    """Once a Copenhagen day, however many processes run: a signed line with the head."""

    name = "audit.checkpoint"

    def __init__(self, db: Database, secret: str, path: Path | None) -> None:
        self.db = db
        self.key = seal_key(secret)
        self.path = path
        self._written_on: date | None = None

    async def run(self, now: datetime) -> None:
        day = now.astimezone(COPENHAGEN).date()
        if self._written_on == day:
            return
        key = checkpoint_key(day)
        if not await jobs.claim(self.db, key, WORKER, LEASE, now=now):
            claim = await jobs.status_of(self.db, key)
            if claim is not None and claim.status == "done":
                self._written_on = day
            return
        try:
            checkpoint = await self.write(now)
        except Exception as error:
            await jobs.release_failed(self.db, key, WORKER, type(error).__name__)
            raise
        await jobs.complete(self.db, key, WORKER, {"sequence": checkpoint.sequence})
        self._written_on = day

    async def write(self, now: datetime) -> Checkpoint:
        """Append the head's line to the file (flushed to disk) and the log."""
        async with self.db.reading() as connection:
            checkpoint = await audit.head(connection, now)
        line = checkpoint_line(checkpoint, self.key)
        if self.path is not None:
            await asyncio.to_thread(_append, self.path, line)
        log.info("%s", line)
        return checkpoint


def _append(path: Path, line: str) -> None:
    """Add the line at the end of the file, on disk before it returns."""
    with path.open("a", encoding="utf-8") as file:
        file.write(line + "\n")
        file.flush()
        os.fsync(file.fileno())


@dataclass(frozen=True)
class Verdict:
    """What `audit verify` tells the administrator: problems (if any), then what was and was
    not checked; the exit code is 0 intact, 1 broken, 2 unreadable checkpoint file."""

    code: int
    problems: list[str]
    notes: list[str]


async def verify(db: Database, secret: str, path: Path | None) -> Verdict:
    """Hold the chain against its seals (with the secret) and the checkpoints in `path`."""
    key = seal_key(secret)
    try:
        found = _load(path, key)
    except (OSError, UnicodeDecodeError) as error:
        return Verdict(2, [f"cannot read the checkpoint file {path}: {error}"], [])
    async with db.reading() as connection:
        report = await audit.verify_chain(connection, key=key, checkpoints=found.checkpoints)
    problems: list[str] = []
    notes = [_seals_line(report), _checkpoints_line(report, found, path)]
    if found.rejected:
        numbers = ", ".join(str(number) for number in found.rejected)
        problems.append(
            f"checkpoint file {path}: line {numbers} damaged or not signed with AUDIT_SECRET "
            "(edited, or written with another secret); not used"
        )
    if report.first_broken_sequence is not None:
        problems.append(
            f"audit trail BROKEN at event {report.first_broken_sequence}: {report.reason}"
        )
    else:
        removed = (
            f" ({report.redacted} of them past retention: people removed, linked but not "
            "recomputed)"
            if report.redacted
            else ""
        )
        notes.insert(0, f"audit trail intact: {report.events} events{removed}")
    return Verdict(1 if problems else 0, problems, notes)


def _load(path: Path | None, key: bytes | None) -> CheckpointFile:
    """The checkpoints in the file; none when there is no file (yet)."""
    try:
        text = "" if path is None else path.read_text(encoding="utf-8")
    except FileNotFoundError:
        text = ""
    return read_checkpoints(text, key)


def _seals_line(report: audit.ChainReport) -> str:
    if not report.seals_checked:
        return (
            "seals: NOT CHECKED, AUDIT_SECRET is not set: someone with database access who "
            "rewrites an event and recomputes the later hashes cannot be detected"
        )
    if report.events == 0 or report.first_sealed == 1:
        return "seals: checked with AUDIT_SECRET; every event is sealed"
    if report.first_sealed is None:
        return (
            f"seals: checked with AUDIT_SECRET, but none of the {report.events} events is "
            "sealed (written before AUDIT_SECRET was set, or the seals removed): a rewrite "
            "of them cannot be detected"
        )
    return (
        f"seals: checked with AUDIT_SECRET; unsealed before {report.first_sealed} (events 1 "
        f"to {report.first_sealed - 1} were written before AUDIT_SECRET was set; the seal "
        f"of event {report.first_sealed} covers them through the hash chain)"
    )


def _checkpoints_line(report: audit.ChainReport, found: CheckpointFile, path: Path | None) -> str:
    if path is None:
        return (
            "checkpoints: none, AUDIT_CHECKPOINT_FILE is not set (the bot's log has them too: "
            "--checkpoints <log file>): deleting the newest events cannot be detected"
        )
    newest = report.checkpoint
    if newest is None:
        return (
            f"checkpoints: none in {path} yet (the bot writes one a day): deleting the "
            "newest events cannot be detected"
        )
    unsigned = f", {found.unsigned} of them unsigned" if found.unsigned else ""
    when = newest.at.astimezone(COPENHAGEN)
    return (
        f"checkpoints: {len(found.checkpoints)} in {path}{unsigned}; the newest, of "
        f"{when:%Y-%m-%d %H:%M} (Copenhagen time), saw event {newest.sequence}: deleting "
        f"events written after it cannot be detected"
    )
