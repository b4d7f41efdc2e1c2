"""The person a card names: found by object id or address, created when unknown, and one row
when a person typed by address before is picked later."""

from __future__ import annotations

from sqlalchemy import func, select

from services.people import fill_in, look_up
from services.ports import DirectoryEntry
from storage import people
from storage.audit import audited
from storage.db import Database
from storage.models import Person
from tests.support.databases import orm_session

PICKED = "5f0b1c2d-3e4f-4a5b-8c6d-7e8f9a0b1c2d"


class Directory:
    """A directory that knows one person and counts the questions."""

    def __init__(self) -> None:
        self.asked: list[str] = []

    async def person(self, aad_object_id: str) -> DirectoryEntry | None:
        self.asked.append(aad_object_id)
        if aad_object_id != PICKED:
            return None
        return DirectoryEntry(name="Pia Plukket", upn="pia@uni.dk")


async def _count(db: Database) -> int:
    async with orm_session(db) as session:
        return int(await session.scalar(select(func.count()).select_from(Person)) or 0)


async def test_a_person_typed_before_and_picked_later_is_one_person(db: Database) -> None:
    async with audited(db) as connection:
        typed = await people.named_person(connection, "Pia@Uni.dk")
        typed_id = typed.id
    before = await _count(db)
    directory = Directory()
    found = await look_up(db, directory, [PICKED.upper(), "pia@uni.dk", "not a person"])
    assert directory.asked == [PICKED]
    async with audited(db) as connection:
        await fill_in(connection, found)
        picked = await people.named_person(connection, PICKED)
        assert (picked.aad_object_id, picked.upn, picked.name) == (
            PICKED,
            "pia@uni.dk",
            "Pia Plukket",
        )
        assert picked.id == typed_id  # the row typed before is the picked person
        assert people.input_value(picked, picker=True) == PICKED
        assert people.input_value(picked, picker=False) == "pia@uni.dk"
    assert await _count(db) == before
    # Named now: the directory is not asked again.
    assert await look_up(db, directory, [PICKED]) == {}
    assert directory.asked == [PICKED]


async def test_without_a_directory_a_picked_person_is_known_by_object_id(db: Database) -> None:
    assert await look_up(db, None, [PICKED]) == {}
    async with audited(db) as connection:
        first = await people.named_person(connection, PICKED)
        again = await people.named_person(connection, PICKED.upper())
        assert first.id == again.id and first.upn is None and first.name is None
        assert people.input_value(first, picker=False) == ""
