"""A link to a proof typed into a form: https only, with nothing in it that could end a link
early in a card; a blank field is no link."""

from __future__ import annotations

import re
from typing import Annotated, Final

from pydantic import AfterValidator, BeforeValidator, Field

PROOF_MAX: Final = 500
_HTTPS = re.compile(r"^https://[^\s<>\"']+$")


def _blank_is_none(value: object) -> object:
    return None if value == "" else value


def _https(value: str | None) -> str | None:
    if value is not None and not _HTTPS.match(value):
        raise ValueError("not an https link")
    return value


ProofLink = Annotated[
    Annotated[str, Field(max_length=PROOF_MAX)] | None,
    BeforeValidator(_blank_is_none),
    AfterValidator(_https),
]
