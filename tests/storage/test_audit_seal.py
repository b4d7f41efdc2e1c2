"""Sealing the audit trail (issue 20, item 8): `python -m bot audit verify` finds a chain
rewritten and recomputed with plain SHA-256 when `AUDIT_SECRET` is set, finds its newest
events deleted given a checkpoint written outside the database, and says so plainly when it
cannot. The commands run in-process on SQLite and, with TEST_DATABASE_URL, PostgreSQL."""

from __future__ import annotations

import asyncio
import logging
import os
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import delete, func, select

from bot.__main__ import main
from bot.audit_trail import AuditCheckpoint
from domain.audit import event_hash, seal_key
from storage import audit
from storage.audit import audited
from storage.db import Database
from storage.models import AuditEvent
from tests.conftest import BACKENDS
from tests.reliability.support_processes import own_database
from tests.support.databases import orm_session, orm_transaction

SECRET = "k" * 40
KEY = seal_key(SECRET)
# 00:30 on 29 November in Copenhagen
NOW = datetime(2026, 11, 28, 23, 30, tzinfo=UTC)
ORG = """\
units:
  - name: Kemi
    leader:
      - upn: ann.leder@uni.dk
    amk:
      - upn: bo@uni.dk
    precursor_contact:
      - upn: carl@uni.dk
  - name: Nyt Center
    leader:
      - upn: ann.leder@uni.dk
secretariat:
  - upn: sekretariat@uni.dk
"""
# the seeding's event, one for the new unit, one per role
ORG_EVENTS = 7


@pytest.fixture(autouse=True)
def no_seal_after_the_test() -> Iterator[None]:
    """`main` seals this process's appends with `AUDIT_SECRET`; later tests start without."""
    yield
    audit.seal_with("")


@pytest.fixture(params=BACKENDS)
async def database_url(
    request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> AsyncIterator[str]:
    """A new database as DATABASE_URL (the command line reads nothing else), run from an
    empty working directory; no secret and no checkpoint file unless a test sets them."""
    monkeypatch.chdir(tmp_path)
    for name in ("AUDIT_SECRET", "AUDIT_CHECKPOINT_FILE"):
        monkeypatch.delenv(name, raising=False)
    if request.param == "sqlite":
        url = f"sqlite+aiosqlite:///{tmp_path / 'cli.db'}"
        monkeypatch.setenv("DATABASE_URL", url)
        yield url
        return
    async with own_database(os.environ["TEST_DATABASE_URL"]) as url:
        monkeypatch.setenv("DATABASE_URL", url)
        yield url


async def _cli(*argv: str) -> int:
    """`python -m bot …` as the operator runs it (it starts its own event loop)."""
    return await asyncio.to_thread(main, list(argv))


def _org_file(text: str) -> str:
    Path("org.yaml").write_text(text, encoding="utf-8")
    return "org.yaml"


async def _import_org(text: str = ORG) -> None:
    assert await _cli("org", "import", _org_file(text)) == 0


@asynccontextmanager
async def _opened(url: str) -> AsyncIterator[Database]:
    db = Database(url)
    try:
        yield db
    finally:
        await db.dispose()


async def _rewrite_and_recompute(url: str, sequence: int, *, drop_seals: bool = False) -> None:
    async with _opened(url) as db:
        await _rewrite(db, sequence, drop_seals=drop_seals)


async def _rewrite(db: Database, sequence: int, *, drop_seals: bool = False) -> None:
    """What someone with database access but not the secret can do: blame someone else for
    event `sequence`, then recompute its hash and every later one with plain SHA-256."""
    async with orm_transaction(db) as session:
        events = (
            await session.scalars(
                select(AuditEvent)
                .where(AuditEvent.sequence >= sequence)
                .order_by(AuditEvent.sequence)
            )
        ).all()
        events[0].actor = "someone-else@uni.dk"
        prev_hash = events[0].prev_hash
        for event in events:
            event.prev_hash = prev_hash
            event.hash = prev_hash = event_hash(
                prev_hash=prev_hash,
                sequence=event.sequence,
                occurred_at=event.occurred_at,
                actor=event.actor,
                action=event.action,
                entity_type=event.entity_type,
                entity_id=event.entity_id,
                before=event.before,
                after=event.after,
            )
            if drop_seals:
                event.seal = None


async def _delete_newest(url: str, count: int) -> None:
    async with _opened(url) as db, orm_transaction(db) as session:
        newest = await session.scalar(select(func.max(AuditEvent.sequence)))
        assert newest is not None
        await session.execute(delete(AuditEvent).where(AuditEvent.sequence > newest - count))


async def _checkpoint(url: str, secret: str, path: Path, now: datetime = NOW) -> None:
    """The bot's daily checkpoint job, as the scheduler runs it."""
    async with _opened(url) as db:
        await AuditCheckpoint(db, secret, path).run(now)


@pytest.mark.parametrize("drop_seals", [False, True], ids=["seals-kept", "seals-removed"])
async def test_a_recomputed_chain_is_found_with_the_secret(
    database_url: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    drop_seals: bool,
) -> None:
    """Event 3 is rewritten and every later hash recomputed: the hashes fit, the seals do not."""
    monkeypatch.setenv("AUDIT_SECRET", SECRET)
    await _import_org()
    await _rewrite_and_recompute(database_url, 3, drop_seals=drop_seals)
    capsys.readouterr()
    assert await _cli("audit", "verify") == 1
    captured = capsys.readouterr()
    assert "audit trail BROKEN at event 3" in captured.err
    expected = "seals were removed" if drop_seals else "hashes recomputed by someone without"
    assert expected in captured.err
    assert "intact" not in captured.out


async def test_without_the_secret_verify_says_a_recomputed_chain_goes_unnoticed(
    database_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """No secret: the same rewrite verifies, and the administrator is told why."""
    await _import_org()
    await _rewrite_and_recompute(database_url, 3)
    capsys.readouterr()
    assert await _cli("audit", "verify") == 0
    out = capsys.readouterr().out
    assert f"audit trail intact: {ORG_EVENTS} events" in out
    assert "seals: NOT CHECKED, AUDIT_SECRET is not set" in out
    assert "recomputes the later hashes cannot be detected" in out
    assert "AUDIT_CHECKPOINT_FILE is not set" in out


@pytest.mark.parametrize("secret", [SECRET, ""], ids=["signed", "unsigned"])
async def test_a_cut_tail_is_found_against_a_checkpoint_outside_the_database(
    database_url: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    secret: str,
) -> None:
    """The checkpoint saw event 7; the newest 2 events are deleted afterwards."""
    checkpoints = tmp_path / "checkpoints.log"
    monkeypatch.setenv("AUDIT_SECRET", secret)
    monkeypatch.setenv("AUDIT_CHECKPOINT_FILE", str(checkpoints))
    await _import_org()
    await _checkpoint(database_url, secret, checkpoints)
    capsys.readouterr()
    assert await _cli("audit", "verify") == 0
    assert "the newest, of 2026-11-29 00:30 (Copenhagen time), saw event 7" in (
        capsys.readouterr().out
    )
    await _delete_newest(database_url, 2)
    assert await _cli("audit", "verify") == 1
    err = capsys.readouterr().err
    assert "audit trail BROKEN at event 6: events 6 to 7 are missing" in err
    assert "the newest events were deleted" in err


async def test_a_recomputed_chain_differs_from_the_checkpoint_even_without_the_secret(
    database_url: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """A rewrite of events the checkpoint covers changes the hash it wrote down."""
    checkpoints = tmp_path / "checkpoints.log"
    monkeypatch.setenv("AUDIT_CHECKPOINT_FILE", str(checkpoints))
    await _import_org()
    await _checkpoint(database_url, "", checkpoints)
    await _rewrite_and_recompute(database_url, 3)
    capsys.readouterr()
    assert await _cli("audit", "verify") == 1
    assert (
        "BROKEN at event 7: differs from the checkpoint of 2026-11-29 00:30"
        in capsys.readouterr().err
    )


async def test_events_from_before_the_secret_verify_as_unsealed(
    database_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A trail that existed before the secret was set still verifies, and the report says
    where the seals begin; the first seal covers the older events through the hash chain."""
    await _import_org()
    monkeypatch.setenv("AUDIT_SECRET", SECRET)
    await _import_org(ORG.replace("      - upn: carl@uni.dk\n", "      - upn: dina@uni.dk\n"))
    capsys.readouterr()
    assert await _cli("audit", "verify") == 0
    out = capsys.readouterr().out
    assert f"audit trail intact: {ORG_EVENTS + 2} events" in out
    assert f"unsealed before {ORG_EVENTS + 1}" in out
    await _rewrite_and_recompute(database_url, 3)
    assert await _cli("audit", "verify") == 1
    assert f"BROKEN at event {ORG_EVENTS + 1}: its seal does not fit" in capsys.readouterr().err


async def test_a_checkpoint_line_edited_in_the_file_is_refused(
    database_url: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Someone lowers the checkpoint's sequence to hide deleted events: its signature fails."""
    checkpoints = tmp_path / "checkpoints.log"
    monkeypatch.setenv("AUDIT_SECRET", SECRET)
    monkeypatch.setenv("AUDIT_CHECKPOINT_FILE", str(checkpoints))
    await _import_org()
    await _checkpoint(database_url, SECRET, checkpoints)
    line = checkpoints.read_text(encoding="utf-8")
    assert '"sequence":7' in line
    checkpoints.write_text(line.replace('"sequence":7', '"sequence":5'), encoding="utf-8")
    capsys.readouterr()
    assert await _cli("audit", "verify") == 1
    assert "line 1 damaged or not signed with AUDIT_SECRET" in capsys.readouterr().err


async def test_a_short_secret_is_refused(
    database_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("AUDIT_SECRET", "short")
    assert await _cli("audit", "verify") == 2
    assert "AUDIT_SECRET must be at least 32 characters" in capsys.readouterr().err


# -- the bot's own appends and checkpoints --------------------------------------------------


async def test_events_of_each_transaction_carry_a_seal(db: Database) -> None:
    """Events chained in by two audited transactions each carry a seal; a rewrite of the
    first one's event with the hashes recomputed is found."""
    audit.seal_with(SECRET)
    async with audit.audited(db) as connection:
        await audit.record(
            connection, actor="person:1", action="test.hot", entity_type="test", entity_id=1
        )
    async with audited(db) as connection:
        await audit.record(
            connection, actor="person:2", action="test.connection", entity_type="test", entity_id=2
        )
    async with orm_session(db) as session:
        report = await audit.verify_chain(session, key=KEY)
        sealed = {
            event.action: event.seal
            for event in await session.scalars(
                select(AuditEvent).where(AuditEvent.entity_type == "test")
            )
        }
        hot = await session.scalar(select(AuditEvent).where(AuditEvent.action == "test.hot"))
    assert report.intact, report
    assert hot is not None
    assert sealed.keys() == {"test.hot", "test.connection"} and all(sealed.values())
    # the seeding's events came before the secret
    assert report.first_sealed == hot.sequence
    await _rewrite(db, hot.sequence)
    async with orm_session(db) as session:
        report = await audit.verify_chain(session, key=KEY)
        unchecked = await audit.verify_chain(session)
    assert report.first_broken_sequence == hot.sequence
    assert unchecked.intact and not unchecked.seals_checked


async def test_the_checkpoint_is_written_once_a_copenhagen_day(
    db: Database, tmp_path: Path
) -> None:
    """Two processes tick all day: one line for 28 November, one for 29 November (local
    midnight is 23:00 UTC), each with the head at that moment."""
    path = tmp_path / "checkpoints.log"
    first, second = AuditCheckpoint(db, SECRET, path), AuditCheckpoint(db, SECRET, path)
    evening = datetime(2026, 11, 28, 22, 59, tzinfo=UTC)
    for minutes in (0, 1, 30):
        for job in (first, second):
            await job.run(evening + timedelta(minutes=minutes))
    lines = path.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 2
    assert lines[0].startswith("audit-checkpoint ")
    assert '"at":"2026-11-28T22:59:00+00:00"' in lines[0]
    assert '"at":"2026-11-28T23:00:00+00:00"' in lines[1]


async def test_verify_reads_the_checkpoints_from_the_bots_log(
    database_url: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Without a checkpoint file the daily line goes to the log; a log kept elsewhere serves
    `audit verify --checkpoints` just as well."""
    monkeypatch.setenv("AUDIT_SECRET", SECRET)
    await _import_org()
    with caplog.at_level(logging.INFO, logger="bot.audit_trail"):
        async with _opened(database_url) as db:
            await AuditCheckpoint(db, SECRET, None).run(NOW)
    log_file = tmp_path / "bot.log"
    log_file.write_text(
        "".join(
            f"2026-11-29 00:30:00,000 INFO {r.name}: {r.getMessage()}\n" for r in caplog.records
        ),
        encoding="utf-8",
    )
    await _delete_newest(database_url, 1)
    capsys.readouterr()
    assert await _cli("audit", "verify", "--checkpoints", str(log_file)) == 1
    assert "BROKEN at event 7: event 7 is missing" in capsys.readouterr().err
