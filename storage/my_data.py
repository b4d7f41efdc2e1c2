"""A person's own data, read from every register in one read session (plain data out)."""

from __future__ import annotations

from sqlalchemy import func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from domain.audit import person_actor
from domain.my_data import MyData, Record, Register, RoleHeld
from storage.checkin_models import CheckinSession
from storage.lone_work_models import LoneWorkRequest
from storage.models import AuditEvent, Person, RoleAssignment, Unit
from storage.near_miss_models import NearMissReport
from storage.precursor_models import PrecursorRegistration
from storage.wellbeing_models import WellbeingActionItem
from storage.work_accident_models import WorkAccident

_SHORT = 60


def _short(text: str) -> str:
    return text if len(text) <= _SHORT else text[: _SHORT - 1].rstrip() + "…"


async def gather(session: AsyncSession, person_id: int) -> MyData | None:
    """What the registers hold about the person, newest first in each; None if unknown.

    A near-miss report counts only if it was sent with the reporter's name: an anonymous
    one has no reporter (by design nothing can tell whose it is)."""
    person = await session.get(Person, person_id)
    if person is None:
        return None
    roles = [
        RoleHeld(role=row.role, unit=row.name)
        for row in await session.execute(
            select(RoleAssignment.role, Unit.name)
            .outerjoin(Unit, Unit.id == RoleAssignment.unit_id)
            .where(RoleAssignment.person_id == person_id)
            .order_by(RoleAssignment.role, Unit.name)
        )
    ]
    records: dict[Register, list[Record]] = {}
    records[Register.LONE_WORK] = [
        Record(row.number, row.created_at, row.name, status=f"lone_work.status.{row.status}")
        for row in await session.execute(
            select(
                LoneWorkRequest.number,
                LoneWorkRequest.created_at,
                LoneWorkRequest.status,
                Unit.name,
            )
            .join(Unit, Unit.id == LoneWorkRequest.unit_id)
            .where(LoneWorkRequest.requester_id == person_id)
            .order_by(LoneWorkRequest.created_at.desc(), LoneWorkRequest.id.desc())
        )
    ]
    records[Register.CHECKINS] = [
        Record(row.number, row.started_at, row.name, status=f"my_data.checkin.{row.status}")
        for row in await session.execute(
            select(
                LoneWorkRequest.number, CheckinSession.started_at, CheckinSession.status, Unit.name
            )
            .join(LoneWorkRequest, LoneWorkRequest.id == CheckinSession.request_id)
            .join(Unit, Unit.id == LoneWorkRequest.unit_id)
            .where(CheckinSession.worker_id == person_id)
            .order_by(CheckinSession.started_at.desc(), CheckinSession.id.desc())
        )
    ]
    records[Register.NEAR_MISS] = [
        Record(row.number, row.created_at, row.name, status=f"near_miss.status.{row.status}")
        for row in await session.execute(
            select(
                NearMissReport.number, NearMissReport.created_at, NearMissReport.status, Unit.name
            )
            .join(Unit, Unit.id == NearMissReport.unit_id)
            .where(NearMissReport.reporter_id == person_id, NearMissReport.anonymous.is_(False))
            .order_by(NearMissReport.created_at.desc(), NearMissReport.id.desc())
        )
    ]
    records[Register.WELLBEING_ITEMS] = [
        Record(
            _short(row.action), row.created_at, row.name, status=f"wellbeing.status.{row.status}"
        )
        for row in await session.execute(
            select(
                WellbeingActionItem.action,
                WellbeingActionItem.created_at,
                WellbeingActionItem.status,
                Unit.name,
            )
            .join(Unit, Unit.id == WellbeingActionItem.unit_id)
            .where(WellbeingActionItem.owner_id == person_id)
            .order_by(WellbeingActionItem.created_at.desc(), WellbeingActionItem.id.desc())
        )
    ]
    injured = [WorkAccident.injured_id == person_id]
    if person.upn:
        injured.append(func.lower(WorkAccident.injured_upn) == person.upn.lower())
    records[Register.WORK_ACCIDENTS] = [
        Record(
            row.number,
            row.occurred_at,
            row.name,
            part="my_data.part.injured" if row.is_injured else "my_data.part.reporter",
        )
        for row in await session.execute(
            select(
                WorkAccident.number,
                WorkAccident.occurred_at,
                Unit.name,
                or_(*injured).label("is_injured"),
            )
            .join(Unit, Unit.id == WorkAccident.unit_id)
            .where(or_(*injured, WorkAccident.reporter_id == person_id))
            .order_by(WorkAccident.occurred_at.desc(), WorkAccident.id.desc())
        )
    ]
    records[Register.PRECURSORS] = [
        Record(
            str(row.year), row.registered_at, row.name, status=f"my_data.precursors.{row.status}"
        )
        for row in await session.execute(
            select(
                PrecursorRegistration.year,
                PrecursorRegistration.registered_at,
                PrecursorRegistration.status,
                Unit.name,
            )
            .join(Unit, Unit.id == PrecursorRegistration.unit_id)
            .where(PrecursorRegistration.registered_by_id == person_id)
            .order_by(PrecursorRegistration.registered_at.desc(), PrecursorRegistration.id.desc())
        )
    ]
    as_actor = await session.scalar(
        select(func.count())
        .select_from(AuditEvent)
        .where(AuditEvent.actor == person_actor(person_id))
    )
    about = await session.scalar(
        select(func.count())
        .select_from(AuditEvent)
        .where(AuditEvent.entity_type == "person", AuditEvent.entity_id == str(person_id))
    )
    return MyData(
        person_id=person.id,
        name=person.name,
        email=person.upn,
        entra_id=person.aad_object_id,
        language=person.language_override,
        known_since=person.created_at,
        roles=roles,
        records=records,
        audit_as_actor=int(as_actor or 0),
        audit_about=int(about or 0),
    )
