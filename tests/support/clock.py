"""The tests' clock: every test runs at a frozen moment, never at the machine's.

The suite's moment is `SUITE_NOW` unless `pytest --now=<ISO moment>` (or the environment
variable `AMKBOT_TEST_NOW`) names another; a test or module pins its own with
`@pytest.mark.now("2026-11-30T08:01+01:00")`. Time ticks on from the moment (timeouts and
`asyncio.sleep` work as usual: the event loop runs on the monotonic clock, which is not moved).

Processes a test starts run on the same clock when started with `child_environment()`: it
puts `child_clock/sitecustomize.py` on their `PYTHONPATH` and passes the test clock's offset
from the real one, so a bot process and the worker processes it spawns all agree with the test.
"""

from __future__ import annotations

import os
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest
import time_machine

SUITE_NOW = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)  # Wednesday 10:00 in Copenhagen
ENVIRONMENT = "AMKBOT_TEST_NOW"
OFFSET_ENVIRONMENT = "AMKBOT_TEST_CLOCK_OFFSET"
CHILD_HOOK = Path(__file__).resolve().parent / "child_clock"


def parse_moment(text: str) -> datetime:
    """An ISO 8601 moment; without an offset it is read as UTC."""
    moment = datetime.fromisoformat(text)
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def child_environment(environment: dict[str, str] | None = None) -> dict[str, str]:
    """`environment` (default: this process's) set up to run on the test's clock."""
    child = dict(os.environ if environment is None else environment)
    offset = time.time() - time_machine.escape_hatch.time.time()
    child[OFFSET_ENVIRONMENT] = repr(offset)
    child["PYTHONPATH"] = os.pathsep.join(
        part for part in (str(CHILD_HOOK), child.get("PYTHONPATH", "")) if part
    )
    return child


def written_for_suite_moment() -> pytest.MarkDecorator:
    """Pins a test whose fixed dates were written around `SUITE_NOW` to that moment."""
    return pytest.mark.now(SUITE_NOW.isoformat())
