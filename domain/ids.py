"""Row ids that arrive in card data: whole numbers the database's id columns can hold."""

from __future__ import annotations

import re
from typing import Annotated, Any, Final

from pydantic import Field

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
