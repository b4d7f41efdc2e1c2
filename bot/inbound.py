"""What `/api/messages` accepts of a parsed request body before anything else reads it.

Teams nests an activity a few levels deep (a card's inputs under `value`, the tenant under
`channelData`); nothing it sends comes near `MAX_DEPTH`. Control characters other than tab,
line feed and carriage return cannot be typed in Teams; they arrive only with pasted text.
PostgreSQL refuses NUL in text, SQLite keeps it, and a spreadsheet export refuses them all,
so they are removed from every string of the activity, once, here.
"""

from __future__ import annotations

import re
from typing import Any, Final

MAX_DEPTH: Final = 64
_CONTROL: Final = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def cleaned(payload: dict[str, Any]) -> dict[str, Any] | None:
    """`payload` with control characters removed from its strings (in place), or None when
    its objects and arrays are nested more than `MAX_DEPTH` deep."""
    pending: list[tuple[dict[str, Any] | list[Any], int]] = [(payload, 1)]
    while pending:
        container, depth = pending.pop()
        if depth > MAX_DEPTH:
            return None
        if isinstance(container, dict):
            for key, item in container.items():
                if _visit(item, depth, pending):
                    container[key] = _CONTROL.sub("", item)
        else:
            for index, item in enumerate(container):
                if _visit(item, depth, pending):
                    container[index] = _CONTROL.sub("", item)
    return payload


def _visit(item: Any, depth: int, pending: list[tuple[Any, int]]) -> bool:
    """True for a string with control characters; objects and arrays are queued."""
    if isinstance(item, str):
        return _CONTROL.search(item) is not None
    if isinstance(item, dict | list):
        pending.append((item, depth + 1))
    return False
