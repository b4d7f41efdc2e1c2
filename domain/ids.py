"""Row ids that arrive in card data: whole numbers the database's id columns can hold."""

from __future__ import annotations

import re
from typing import Annotated, Any, Final

from pydantic import BeforeValidator, Field

MAX_ID: Final = 2**31 - 1  # PostgreSQL's `integer`, the type of every id column

_DIGITS: Final = re.compile(r"\s*[0-9]{1,20}\s*")

RowId = Annotated[int, Field(ge=1, le=MAX_ID)]


def row_id(value: Any) -> int | None:
    """The id a card sent (a number or its digits), or None for anything no row can have."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        number = value
    elif isinstance(value, str) and _DIGITS.fullmatch(value):
        number = int(value)
    else:
        return None
    return number if 1 <= number <= MAX_ID else None


def _card_id(value: Any) -> int:
    number = row_id(value)
    if number is None:
        raise ValueError("not a row id")
    return number


CardId = Annotated[int, BeforeValidator(_card_id)]
"""An id a card's own data carries (`row_id`'s rules): anything else means the card is damaged."""


def _maybe_card_id(value: Any) -> int | None:
    return None if value is None or value == "" else _card_id(value)


MaybeCardId = Annotated[int | None, BeforeValidator(_maybe_card_id)]
"""An id a card carries when it has one (left out or empty: none)."""

ChosenId = Annotated[int | None, BeforeValidator(row_id)]
"""An id the user picked in a card's input: None when nothing (readable) was picked."""
