"""What every turn reads first: who speaks, their chat with the bot, the dialog state.

Read with Core statements on one plain connection: this runs on every turn, and an ORM
session with loaded `Person` and `ConversationRef` objects cost about four times as much.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import bindparam, select

from storage.db import Database
from storage.models import ConversationRef, DialogStateRow, Person


@dataclass(frozen=True)
class KnownPerson:
    """The speaker's row, as far as a turn needs it."""

    id: int
    upn: str | None
    name: str | None
    teams_user_id: str | None
    locale: str | None
    language_override: str | None

    @classmethod
    def of(cls, person: Person) -> KnownPerson:
        return cls(
            person.id,
            person.upn,
            person.name,
            person.teams_user_id,
            person.locale,
            person.language_override,
        )


@dataclass(frozen=True)
class KnownChat:
    """The stored address of the conversation the turn came from."""

    person_id: int | None
    service_url: str
    active: bool


@dataclass(frozen=True)
class TurnStart:
    person: KnownPerson | None
    chat: KnownChat | None
    # {key: (etag, data)}, as `storage.dialog_state.read` gives it
    state: dict[str, tuple[str, str]]


# Built once: building a statement and its cache key costs as much as running it.
_PERSON = select(
    Person.id,
    Person.upn,
    Person.name,
    Person.teams_user_id,
    Person.locale,
    Person.language_override,
).where(Person.aad_object_id == bindparam("aad_object_id"))
_CHAT = select(
    ConversationRef.person_id, ConversationRef.service_url, ConversationRef.active
).where(ConversationRef.conversation_id == bindparam("conversation_id"))
_STATE = select(DialogStateRow.etag, DialogStateRow.data).where(
    DialogStateRow.key == bindparam("state_key")
)


async def read_turn_start(
    db: Database,
    *,
    aad_object_id: str | None,
    conversation_id: str | None,
    state_key: str | None,
) -> TurnStart:
    """The speaker by Entra object id; their chat (when they are known) and the state by key."""
    person: KnownPerson | None = None
    chat: KnownChat | None = None
    state: dict[str, tuple[str, str]] = {}
    async with db.reading() as connection:
        if aad_object_id:
            row = (
                await connection.execute(_PERSON, {"aad_object_id": aad_object_id.lower()})
            ).first()
            if row is not None:
                person_id, upn, name, teams_user_id, locale, language_override = row
                person = KnownPerson(person_id, upn, name, teams_user_id, locale, language_override)
        if person is not None and conversation_id is not None:
            found = (await connection.execute(_CHAT, {"conversation_id": conversation_id})).first()
            if found is not None:
                chat = KnownChat(found.person_id, found.service_url, bool(found.active))
        if state_key is not None:
            stored = (await connection.execute(_STATE, {"state_key": state_key})).first()
            if stored is not None:
                state[state_key] = (stored.etag, stored.data)
    return TurnStart(person, chat, state)
