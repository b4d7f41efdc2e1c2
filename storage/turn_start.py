"""What every turn reads first: who speaks, their chat with the bot, the dialog state.

One prebuilt Core statement on a plain connection: this runs on every turn, and an ORM
session with loaded `Person` and `ConversationRef` objects cost about four times as much.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import bindparam, literal, select

from storage.db import Database
from storage.models import ConversationRef, DialogStateRow, Person
from storage.rows import PersonRow


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
    def of(cls, person: PersonRow) -> KnownPerson:
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


# One statement, built once: a one-row anchor with each of the three rows left-joined by
# its unique key (a missing row, or a key given as NULL, leaves its columns NULL).
_ANCHOR = select(literal(1).label("anchor")).subquery("anchor")
_TURN_START = (
    select(
        Person.id,
        Person.upn,
        Person.name,
        Person.teams_user_id,
        Person.locale,
        Person.language_override,
        ConversationRef.person_id,
        ConversationRef.service_url,
        ConversationRef.active,
        DialogStateRow.etag,
        DialogStateRow.data,
    )
    .select_from(_ANCHOR)
    .outerjoin(Person, Person.aad_object_id == bindparam("aad_object_id"))
    .outerjoin(ConversationRef, ConversationRef.conversation_id == bindparam("conversation_id"))
    .outerjoin(DialogStateRow, DialogStateRow.key == bindparam("state_key"))
)


async def read_turn_start(
    db: Database,
    *,
    aad_object_id: str | None,
    conversation_id: str | None,
    state_key: str | None,
) -> TurnStart:
    """The speaker by Entra object id; their chat (when they are known) and the state by key."""
    async with db.reading() as connection:
        row = (
            await connection.execute(
                _TURN_START,
                {
                    "aad_object_id": aad_object_id.lower() if aad_object_id else None,
                    "conversation_id": conversation_id,
                    "state_key": state_key,
                },
            )
        ).one()
    (person_id, upn, name, teams_user_id, locale, language_override) = row[:6]
    (chat_person_id, service_url, active, etag, data) = row[6:]
    person = (
        None
        if person_id is None
        else KnownPerson(person_id, upn, name, teams_user_id, locale, language_override)
    )
    chat = (
        KnownChat(chat_person_id, service_url, bool(active))
        if person is not None and service_url is not None
        else None
    )
    state = {state_key: (etag, data)} if state_key is not None and etag is not None else {}
    return TurnStart(person, chat, state)
