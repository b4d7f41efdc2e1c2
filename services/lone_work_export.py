"""The lone-work register export (`python -m bot export lone-work`): read, then write."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import partial
from pathlib import Path

from domain.lone_work import LoneWorkRegister, RegisterEvent
from domain.numbering import year_bounds
from domain.org import UnknownUnit
from reports import lone_work as lone_work_report
from services.lone_work_views import views_and_people
from storage import checkins, lone_work_lists, org, rows
from storage.db import Database
from storage.models import utcnow


def _name(people: Mapping[int, org.Describable], person_id: int | None) -> str | None:
    person = people.get(person_id) if person_id is not None else None
    return None if person is None else org.describe_person(person)


async def export_register(db: Database, unit_name: str, year: int, out: Path) -> int:
    """Write the unit's requests created in `year` (Copenhagen time); returns how many.
    Raises `UnknownUnit` when no unit has that name."""
    return (await prepare_register(db, unit_name, year))(out)


async def prepare_register(db: Database, unit_name: str, year: int) -> Callable[[Path], int]:
    """Read the register; the workbook is written by the returned function (plain data
    only, so it may run in a thread). Raises `UnknownUnit` when no unit has that name."""
    start, end = year_bounds(year)
    async with db.reading() as connection:
        unit = await org.unit_by_name(connection, unit_name)
        if unit is None:
            raise UnknownUnit(unit_name)
        requests = await lone_work_lists.register(connection, unit.id, start, end)
        views, people = await views_and_people(connection, requests)
        events = await checkins.timelines_of_requests(connection, [r.id for r in requests])
        actors = await rows.people(
            connection, {event.actor_id for _, event in events if event.actor_id is not None}
        )
    numbers = {request.id: request.number for request in requests}
    register = LoneWorkRegister(
        unit=unit.name,
        year=year,
        requests=views,
        emails={person_id: person.upn for person_id, person in people.items() if person.upn},
        events=[
            RegisterEvent(
                number=numbers[request_id],
                session_id=event.session_id,
                at=event.at,
                kind=event.kind,
                actor=_name(actors, event.actor_id),
                detail=event.detail,
            )
            for request_id, event in events
        ],
    )
    return partial(lone_work_report.write_workbook, register=register, printed_at=utcnow())
