"""The person a card's person input names (picked by Entra object id, or typed as e-mail/UPN),
found or created."""

from __future__ import annotations

from typing import Protocol

from domain.people import person_key
from storage import org
from storage.rows import PersonRow


class Addressable(Protocol):
    """A person as a person input shows them."""

    @property
    def aad_object_id(self) -> str | None: ...
    @property
    def upn(self) -> str | None: ...


async def named_person(
    on: org.Writable, value: str, *, name: str | None = None, upn: str | None = None
) -> PersonRow:
    """The person behind `value` (an object id or an e-mail/UPN, as `domain.people` accepts
    it): the one the bot knows, or a new row for someone it has never seen. `name` and `upn`
    (from the directory, for a picked person) fill in what the row lacks."""
    key = person_key(value)
    return await org.upsert_person(
        on, aad_object_id=key.aad_object_id, upn=key.upn or upn, name=name
    )


def input_value(person: Addressable | None, *, picker: bool) -> str:
    """What a person input shows for `person`: their object id in the people picker, their
    e-mail/UPN in the typed field ("" if the bot does not know it)."""
    if person is None:
        return ""
    if picker and person.aad_object_id:
        return person.aad_object_id
    return person.upn or ""
