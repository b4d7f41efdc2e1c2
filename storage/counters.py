"""Gap-free numbers per year from a counter row, changed in the caller's transaction: the
row lock holds other writers until the commit, and a rollback takes the number back."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, Update, bindparam, update

from storage.db import HotConnection, dialect_insert

_COUNT_UP: dict[type, Update] = {}


def _count_up(counter: Any) -> Update:
    """Built once per counter table: building it costs as much as running it."""
    statement = _COUNT_UP.get(counter)
    if statement is None:
        statement = _COUNT_UP[counter] = (
            update(counter)
            .where(counter.year == bindparam("counter_year"))
            .values(last_number=counter.last_number + 1)
            .returning(counter.last_number)
        )
    return statement


async def _count_on(connection: HotConnection, counter: Any, year: int) -> int | None:
    """The year's counter, one up; None while the year has no counter row."""
    value: int | None = (
        await connection.execute(_count_up(counter), {"counter_year": year})
    ).scalar_one_or_none()
    return value


async def next_in_year(
    on: HotConnection,
    counter: Any,
    year: int,
    *,
    start_from: Select[int, int] | None = None,
) -> int:
    """The next number of `year` on `counter` (a model with `year` and `last_number`).

    A year without a row starts at 0, or at what `start_from` selects as (year, last number).
    """
    connection = on
    sequence = await _count_on(connection, counter, year)
    if sequence is None:
        insert = dialect_insert(connection, counter)
        statement = (
            insert.from_select(["year", "last_number"], start_from)
            if start_from is not None
            else insert.values(year=year, last_number=0)
        )
        await connection.execute(statement.on_conflict_do_nothing(index_elements=["year"]))
        sequence = await _count_on(connection, counter, year)
    if sequence is None:
        raise RuntimeError(f"no {counter.__tablename__} row for {year}")
    return sequence
