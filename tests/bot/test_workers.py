"""`WORKERS=n`: several worker processes serve one port on PostgreSQL, and stop together."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.config import Settings

PG_URL = os.environ.get("TEST_DATABASE_URL")
ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _children(pid: int) -> set[int]:
    try:
        return {int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()}
    except OSError:
        return set()


def _workers(pid: int) -> set[int]:
    found = set()
    for child in _children(pid):
        try:
            if "--multiprocessing-fork" in Path(f"/proc/{child}/cmdline").read_text():
                found.add(child)
        except OSError:
            continue
    return found


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    stat = Path(f"/proc/{pid}/stat")
    return stat.exists() and stat.read_text().rsplit(")", 1)[1].split()[0] != "Z"


def _wait_for(condition: object, seconds: float = 60.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if callable(condition) and condition():
            return True
        time.sleep(0.2)
    return False


def _healthy(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as answer:
            return int(answer.status) == 200
    except (OSError, urllib.error.URLError):
        return False


@pytest.fixture
def pg_database() -> Iterator[str]:
    if not PG_URL:
        pytest.skip("WORKERS above 1 needs PostgreSQL: set TEST_DATABASE_URL")
    name = f"amk_workers_{uuid.uuid4().hex[:10]}"
    base = PG_URL.rsplit("/", 1)[0]
    subprocess.run(["psql", f"{base}/postgres", "-qc", f'CREATE DATABASE "{name}"'], check=True)
    try:
        yield f"{base}/{name}"
    finally:
        subprocess.run(
            ["psql", f"{base}/postgres", "-qc", f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'],
            check=False,
        )


def _start(database_url: str, port: int, tmp_path: Path) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "WORKERS": "2",
        "PORT": str(port),
        "DATABASE_URL": database_url,
        "MicrosoftAppId": "",
    }
    log = (tmp_path / "bot.log").open("wb")
    return subprocess.Popen(
        [sys.executable, "-m", "bot", "run"], env=env, cwd=tmp_path, stdout=log, stderr=log
    )


def test_two_workers_serve_restart_and_stop_together(pg_database: str, tmp_path: Path) -> None:
    port = _free_port()
    supervisor = _start(pg_database, port, tmp_path)
    try:
        assert _wait_for(lambda: _healthy(port) and len(_workers(supervisor.pid)) == 2)
        workers = _workers(supervisor.pid)
        answered = [_healthy(port) for _ in range(20)]
        assert all(answered)
        # Each worker logs with its own prefix once it is up; one alone may be answering yet.
        log_file = tmp_path / "bot.log"
        assert _wait_for(lambda: all(f"[worker {n}]" in log_file.read_text() for n in (1, 2)))

        victim = min(workers)
        os.kill(victim, signal.SIGKILL)
        assert _wait_for(lambda: len(_workers(supervisor.pid) - workers) == 1)
        assert _wait_for(lambda: _healthy(port))

        supervisor.send_signal(signal.SIGINT)
        assert supervisor.wait(60) == 0
        current = workers | _workers(supervisor.pid)
        assert _wait_for(lambda: not any(_alive(pid) for pid in current), 30)
    finally:
        if supervisor.poll() is None:
            supervisor.kill()
            supervisor.wait()
    assert "starting it again" in log_file.read_text()


def test_workers_stop_when_the_supervisor_is_killed(pg_database: str, tmp_path: Path) -> None:
    port = _free_port()
    supervisor = _start(pg_database, port, tmp_path)
    try:
        assert _wait_for(lambda: _healthy(port) and len(_workers(supervisor.pid)) == 2)
        workers = _workers(supervisor.pid)
        supervisor.kill()
        supervisor.wait()
        assert _wait_for(lambda: not any(_alive(pid) for pid in workers), 30)
        assert not _healthy(port)
    finally:
        if supervisor.poll() is None:
            supervisor.kill()


def test_workers_need_postgresql(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "bot", "run"],
        env={
            **os.environ,
            "WORKERS": "2",
            "PORT": str(_free_port()),
            "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}",
        },
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert "WORKERS above 1 needs PostgreSQL" in result.stderr


@pytest.mark.parametrize("value", ["0", "-1", "two", "65"])
def test_bad_workers_setting_is_refused(value: str) -> None:
    with pytest.raises(ValueError, match="WORKERS"):
        Settings.from_env({"WORKERS": value}, dotenv=None)


def test_workers_default_to_one() -> None:
    assert Settings.from_env({}, dotenv=None).workers == 1
    assert Settings.from_env({"WORKERS": "3"}, dotenv=None).workers == 3
