"""A person named on a card: picked in Teams' people picker, which submits the person's Entra
object id, or typed as an e-mail address/UPN where the picker is not offered (the Playground,
local mode)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Final

from pydantic import AfterValidator
from pydantic_core import PydanticCustomError

from domain.org import GUID_PATTERN, is_email, normalise_upn

# What Teams' people picker searches: everyone in the organisation (`Data.Query` dataset).
PEOPLE_DATASET: Final = "graph.microsoft.com/users"
MAX_PERSON_INPUT: Final = 320


@dataclass(frozen=True, slots=True)
class PersonKey:
    """Who a card's person input names: by Entra object id (picked) or by UPN (typed)."""

    aad_object_id: str | None = None
    upn: str | None = None


def is_object_id(value: str) -> bool:
    return bool(GUID_PATTERN.match(value.strip()))


def normalise_person(value: str) -> str:
    """An object id or an e-mail address in the form it is stored in (lower case); anything
    else raises `PydanticCustomError("person")`."""
    text = value.strip()
    if len(text) <= MAX_PERSON_INPUT and (is_object_id(text) or is_email(text)):
        return normalise_upn(text)
    raise PydanticCustomError("person", "neither an Entra object id nor an e-mail address")


def person_key(value: str) -> PersonKey:
    """The key of a value `normalise_person` accepted."""
    text = normalise_person(value)
    return PersonKey(aad_object_id=text) if is_object_id(text) else PersonKey(upn=text)


PersonInput = Annotated[str, AfterValidator(normalise_person)]
"""A form field naming a person: an Entra object id (the picker) or an e-mail address/UPN."""
