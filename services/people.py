"""People picked on a card (by Entra object id) whom the bot knows no name of: their name and
address are read from the directory before the write, so the card that answers names them
and their row is the one Teams later matches them to."""

from __future__ import annotations

from collections.abc import Iterable

from domain.people import person_key
from services.ports import Directory, DirectoryEntry
from storage import org, people
from storage.db import Database

Found = dict[str, DirectoryEntry]


async def look_up(db: Database, directory: Directory | None, values: Iterable[str]) -> Found:
    """What the directory says of each picked person in `values` the bot has no name for
    (typed e-mail addresses and invalid values are skipped); empty without a directory."""
    if directory is None:
        return {}
    wanted: list[str] = []
    for value in values:
        try:
            key = person_key(value)
        except ValueError:
            continue
        if key.aad_object_id and key.aad_object_id not in wanted:
            wanted.append(key.aad_object_id)
    if not wanted:
        return {}
    async with db.reading() as connection:
        unnamed = []
        for aad in wanted:
            known = await org.find_person(connection, aad_object_id=aad)
            if known is None or not known.name:
                unnamed.append(aad)
    found: Found = {}
    for aad in unnamed:
        entry = await directory.person(aad)
        if entry is not None:
            found[aad] = entry
    return found


async def fill_in(on: org.Writable, found: Found) -> None:
    """The people `look_up` found, stored (or completed) with their name and address."""
    for aad, entry in found.items():
        await people.named_person(on, aad, name=entry.name, upn=entry.upn)
