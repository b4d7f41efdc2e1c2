"""Summarise a py-spy `--format raw` profile: where the bot's active samples go.

Run: `python -m bench.profile_summary PROFILE.txt`.
"""

from __future__ import annotations

import re
import sys
from collections import Counter
from pathlib import Path

FRAME = re.compile(r"^(?P<func>.*) \((?P<file>[^():]+)(?::\d+)?\)$")

# A stack counts for the innermost frame that falls in one of these (py-spy shortens paths).
BUCKETS = (
    ("msrest client / retry policy setup", ("msrest/",)),
    ("requests/urllib3 HTTP (thread pool)", ("requests/", "urllib3/", "http/client", "socket.py")),
    ("aiosqlite / sqlite3 (its thread)", ("aiosqlite/", "sqlite3")),
    ("asyncpg", ("asyncpg/",)),
    ("SQLAlchemy", ("sqlalchemy/",)),
    ("aiohttp / asyncio / selectors", ("aiohttp/", "asyncio/", "selectors.py", "yarl/")),
    ("json / jsonpickle / pydantic", ("json/", "jsonpickle/", "pydantic")),
    ("thread pool idle", ("concurrent/futures",)),
    (
        "botbuilder (adapter, dialogs, schema)",
        (
            *("core/", "schema/", "connector/", "integration/", "recognizers"),
            *("dialogs/prompts/", "dialogs/dialog", "dialogs/waterfall", "dialogs/component"),
            "dialogs/memory",
        ),
    ),
    ("our code", ("bot/", "dialogs/", "cards/", "domain/", "storage/", "reports/")),
)

# Module imports and migrations before the first request are not the per-turn cost.
STARTUP = ("_find_and_load", "prepare_database", "alembic/", "upgrade (storage/db.py")


def bucket(stack: list[str]) -> str:
    for frame in reversed(stack):
        match = FRAME.match(frame)
        if match is None:
            continue
        for name, needles in BUCKETS:
            if any(needle in match.group("file") for needle in needles):
                return name
    return "other"


def main() -> int:
    path = Path(sys.argv[1])
    total = 0
    by_bucket: Counter[str] = Counter()
    inclusive: Counter[str] = Counter()
    leaf: Counter[str] = Counter()
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        stack_text, _, count_text = line.rpartition(" ")
        if not count_text.isdigit():
            continue
        count = int(count_text)
        stack = stack_text.split(";")
        if any(needle in stack_text for needle in STARTUP):
            continue
        total += count
        by_bucket[bucket(stack)] += count
        leaf[stack[-1]] += count
        for frame in set(stack):
            inclusive[frame] += count
    print(f"{total} samples (start-up excluded)\n\nby component (innermost known frame):")
    for name, count in by_bucket.most_common():
        print(f"  {100 * count / total:5.1f}%  {name}")
    print("\ninclusive, top 25:")
    for frame, count in inclusive.most_common(25):
        print(f"  {100 * count / total:5.1f}%  {frame[:110]}")
    print("\nself, top 15:")
    for frame, count in leaf.most_common(15):
        print(f"  {100 * count / total:5.1f}%  {frame[:110]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
