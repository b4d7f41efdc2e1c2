"""Submission keys: the id a card that creates something carries in its submit data, so the
same card sent twice (a double click, a retry after a crash) creates its record once."""

from __future__ import annotations

import re
import uuid
from collections.abc import Mapping
from typing import Final

FIELD: Final = "submission_key"
_SHAPE: Final = re.compile(r"[0-9a-f]{32}")


def new_key() -> str:
    """A fresh key for a card about to be shown (a UUID as 32 hex digits)."""
    return uuid.uuid4().hex


def valid_key(value: object) -> str | None:
    """`value` if it has a key's shape, else None (nothing else reaches a query)."""
    return value if isinstance(value, str) and _SHAPE.fullmatch(value) else None


def key_in(data: Mapping[str, object]) -> str | None:
    """The valid key a card's submit data carries, if any."""
    return valid_key(data.get(FIELD))


def card_data(submission_key: str | None) -> dict[str, str]:
    """The submit data that carries the key into a card's creating button (none without one)."""
    return {FIELD: submission_key} if submission_key else {}


ANONYMOUS_FIELD: Final = "anonymous"


def sent_anonymously(data: Mapping[str, object]) -> bool:
    """A card submit made anonymously (`"anonymous": "true"`): the turn writes nothing of the
    speaker's own (person row, chat reference), so no `updated_at` can tie them to what it
    creates; what changed about them is recorded on their next turn."""
    value = data.get(ANONYMOUS_FIELD)
    return value is True or (isinstance(value, str) and value.strip().lower() == "true")
