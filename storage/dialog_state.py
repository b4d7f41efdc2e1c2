"""Key/value rows with etags: where conversation state lives between turns."""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from sqlalchemy import bindparam, delete, insert, select, update
from sqlalchemy.exc import IntegrityError

from storage.db import Database, HotConnection
from storage.models import DialogStateRow


class EtagConflict(Exception):
    """Someone else wrote the state since it was read."""


async def read(db: Database, keys: Iterable[str]) -> dict[str, tuple[str, str]]:
    """`{key: (etag, data)}` for the keys that exist."""
    wanted = list(keys)
    if not wanted:
        return {}
    async with db.reading() as connection:
        return await read_in(connection, wanted)


_READ = select(DialogStateRow.key, DialogStateRow.etag, DialogStateRow.data).where(
    DialogStateRow.key.in_(bindparam("keys", expanding=True))
)


async def read_in(connection: HotConnection, keys: list[str]) -> dict[str, tuple[str, str]]:
    """`read` on a connection the caller already has open."""
    rows = await connection.execute(_READ, {"keys": keys})
    return {key: (etag, data) for key, etag, data in rows}


_OVERWRITE = (
    update(DialogStateRow)
    .where(DialogStateRow.key == bindparam("row_key"))
    .values(etag=bindparam("new_etag"), data=bindparam("new_data"))
)
_REPLACE = (
    update(DialogStateRow)
    .where(
        DialogStateRow.key == bindparam("row_key"),
        DialogStateRow.etag == bindparam("expected_etag"),
    )
    .values(etag=bindparam("new_etag"), data=bindparam("new_data"))
)
_CREATE = insert(DialogStateRow).values(
    key=bindparam("row_key"), etag=bindparam("new_etag"), data=bindparam("new_data")
)


async def write(db: Database, key: str, data: str, expected_etag: str | None) -> str:
    """Store `data` and return the new etag.

    No etag: the key must be new. `*`: overwrite. Any other etag: the row must still have it.
    Prebuilt Core statements on a plain connection: this runs on nearly every turn.
    """
    new_etag = uuid.uuid4().hex
    values = {"row_key": key, "new_etag": new_etag, "new_data": data}
    if expected_etag == "*":
        async with db.writing_once() as connection:
            if (await connection.execute(_OVERWRITE, values)).rowcount:
                return new_etag
    if expected_etag in (None, "*"):
        try:
            async with db.writing_once() as connection:
                await connection.execute(_CREATE, values)
        except IntegrityError as error:
            raise EtagConflict(key) from error
        return new_etag
    async with db.writing_once() as connection:
        changed = await connection.execute(_REPLACE, {**values, "expected_etag": expected_etag})
        if not changed.rowcount:
            raise EtagConflict(key)
    return new_etag


_REMOVE = delete(DialogStateRow).where(DialogStateRow.key.in_(bindparam("keys", expanding=True)))


async def remove(db: Database, keys: Iterable[str]) -> None:
    wanted = list(keys)
    if wanted:
        async with db.writing() as connection:
            await connection.execute(_REMOVE, {"keys": wanted})
