"""A person's own data: "mine data" shows what the bot holds about the speaker (an access
request, audited); administrators erase a person on request (pseudonymised everywhere)."""

from __future__ import annotations

from typing import Any

from cards.common import Card
from cards.my_data import my_data_card
from domain.actor import Speaker
from domain.i18n import t
from domain.my_data import ACCESS_ACTION, Erasure, MyData, Register
from services.actions import CardData, Verb
from storage import audit, erasure, my_data
from storage.audit import audited
from storage.db import Database
from storage.models import utcnow


class ShowMyData(CardData):
    """The card's "Show everything" (or a plain "show my data" button)."""

    all: bool = False


class DatabaseMyDataServices:
    """What the bot holds about a person, and their erasure."""

    def __init__(self, db: Database) -> None:
        self.db = db

    async def gather(self, person_id: int) -> MyData | None:
        """Everything the registers hold about the person, as plain data (no audit: the
        caller audits the access it serves)."""
        async with self.db.reading() as connection:
            return await my_data.gather(connection, person_id)

    async def access(self, speaker: Speaker) -> MyData | None:
        """The speaker's own data, read and audited as an access request in one
        transaction; None if the bot holds nothing about them."""
        if speaker.person_id is None:
            return None
        async with audited(self.db) as connection:
            data = await my_data.gather(connection, speaker.person_id)
            if data is None:
                return None
            await audit.record(
                connection,
                actor=speaker.actor,
                action=ACCESS_ACTION,
                entity_type="person",
                entity_id=speaker.person_id,
                after={
                    "records": {register.value: len(data.of(register)) for register in Register}
                },
            )
        return data

    async def card(self, speaker: Speaker, *, everything: bool = False) -> Card | str:
        """The speaker's own data as a card (or a sentence when there is nothing)."""
        data = await self.access(speaker)
        if data is None:
            return t(speaker.lang, "my_data.unknown")
        return my_data_card(speaker.lang, data, everything=everything)

    async def show(self, speaker: Speaker, action: ShowMyData) -> Card | str:
        return await self.card(speaker, everything=action.all)

    def verbs(self) -> list[Verb[Any]]:
        return [Verb("my_data.show", ShowMyData, self.show)]

    async def erase(self, who: str, *, dry_run: bool, actor: str) -> Erasure | None:
        """Replace the person with this e-mail (or Entra object id) by a pseudonym in every
        register (a dry run only counts); None if the bot knows no one by it."""
        async with self.db.transaction() as session:
            result = await erasure.erase_person(
                session, who=who, dry_run=dry_run, actor=actor, now=utcnow()
            )
        return result
