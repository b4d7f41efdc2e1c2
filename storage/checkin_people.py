"""Who a lone worker's check-in session alarms: the responders, the ladder after them, and
the emergency contact as a person the bot can reach."""

from __future__ import annotations

from sqlalchemy import bindparam, select

from domain.org import Role
from storage import org, rows
from storage.audit import AuditedConnection
from storage.checkins import CheckinSessionRow
from storage.db import HotConnection
from storage.lone_work import RequestRow
from storage.models import Person
from storage.rows import PERSON_COLUMNS, PersonRow

# The Teams users the bot knows by a typed name (two are enough to know it is not one).
_NAMED = (
    select(*PERSON_COLUMNS)
    .where(Person.name == bindparam("name"), Person.teams_user_id.is_not(None))
    .limit(2)
)


async def responders(
    connection: HotConnection, checkin: CheckinSessionRow, request: RequestRow
) -> list[PersonRow]:
    """Who gets the escalation: the approver, the unit's AMKs and the emergency contact (a
    picked colleague, or exactly one person the bot knows on Teams by the typed name); never
    the worker."""
    people: list[PersonRow] = []
    approver_id = request.approver_id or request.decided_by_id
    if approver_id is not None:
        approver = await rows.person(connection, approver_id)
        if approver is not None:
            people.append(approver)
    people.extend(await org.holders(connection, request.unit_id, Role.AMK))
    contact = await emergency_person(connection, request)
    if contact is not None:
        people.append(contact)
    seen: set[int] = {checkin.worker_id}
    unique: list[PersonRow] = []
    for person in people:
        if person.id not in seen:
            seen.add(person.id)
            unique.append(person)
    return unique


async def ladder(
    connection: HotConnection, checkin: CheckinSessionRow, request: RequestRow
) -> list[PersonRow]:
    """Who may be alarmed, in order: the responders, then the unit's other leaders, then
    the secretariat (those after the responders are alarmed only for one who cannot be
    reached); never the worker."""
    people = await responders(connection, checkin, request)
    seen = {checkin.worker_id, *(person.id for person in people)}
    for person in [
        *await org.holders(connection, request.unit_id, Role.LEADER),
        *await org.holders(connection, None, Role.SECRETARIAT),
    ]:
        if person.id not in seen:
            seen.add(person.id)
            people.append(person)
    return people


async def emergency_person(connection: HotConnection, request: RequestRow) -> PersonRow | None:
    """The emergency contact as a person the bot can alarm: the colleague picked in the
    people picker (their row, once `picked_contact` made it), or the one Teams user the bot
    knows by the typed name."""
    if request.emergency_aad_object_id:
        return await org.find_person(connection, aad_object_id=request.emergency_aad_object_id)
    name = request.emergency_name.strip()
    if not name:
        return None
    matches = (await connection.execute(_NAMED, {"name": name})).all()
    return PersonRow(*matches[0]) if len(matches) == 1 else None


async def picked_contact(connection: AuditedConnection, request: RequestRow) -> None:
    """A row for the colleague picked as the emergency contact, if the bot has none yet
    (known by object id and the name on the request until they write to the bot), so the
    alarm can reach them, installing the app for them where Graph is configured."""
    aad = request.emergency_aad_object_id
    if aad and await org.find_person(connection, aad_object_id=aad) is None:
        await org.upsert_person(
            connection, aad_object_id=aad, upn=None, name=request.emergency_name.strip() or None
        )


async def may_handle(
    connection: HotConnection, checkin: CheckinSessionRow, request: RequestRow, person_id: int
) -> bool:
    """Whether the person is on the session's alarm ladder."""
    return any(person.id == person_id for person in await ladder(connection, checkin, request))
