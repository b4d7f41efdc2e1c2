"""A person's own data, read from every register on one connection (plain data out)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, Select, and_, func, or_, select

from domain.audit import person_actor
from domain.my_data import MyData, Record, Register, RoleHeld
from storage.checkin_models import CheckinSession
from storage.db import HotConnection
from storage.lone_work_models import LoneWorkRequest
from storage.models import AuditEvent, Person, RoleAssignment, Unit
from storage.near_miss_models import NearMissReport
from storage.precursor_models import PrecursorRegistration
from storage.training_models import TrainingRecord
from storage.wellbeing_models import WellbeingActionItem
from storage.work_accident_models import WorkAccident

_SHORT = 60


def _short(text: str) -> str:
    return text if len(text) <= _SHORT else text[: _SHORT - 1].rstrip() + "…"


def _newest_in_unit(model: Any, *columns: Any, at: Any, where: ColumnElement[bool]) -> Select[Any]:
    """`columns` of `model`'s rows that match `where`, with the moment `at` (as "at") and the
    name of the row's unit, newest first."""
    return (
        select(*columns, at.label("at"), Unit.name)
        .join(Unit, Unit.id == model.unit_id)
        .where(where)
        .order_by(at.desc(), model.id.desc())
    )


_PERSON = select(
    Person.id,
    Person.name,
    Person.upn,
    Person.aad_object_id,
    Person.language_override,
    Person.created_at,
)


async def gather(connection: HotConnection, person_id: int) -> MyData | None:
    """What the registers hold about the person, newest first in each; None if unknown.

    A near-miss report counts only if it was sent with the reporter's name: an anonymous
    one has no reporter (by design nothing can tell whose it is)."""
    person = (await connection.execute(_PERSON.where(Person.id == person_id))).first()
    if person is None:
        return None
    roles = [
        RoleHeld(role=row.role, unit=row.name)
        for row in await connection.execute(
            select(RoleAssignment.role, Unit.name)
            .outerjoin(Unit, Unit.id == RoleAssignment.unit_id)
            .where(RoleAssignment.person_id == person_id)
            .order_by(RoleAssignment.role, Unit.name)
        )
    ]
    injured = [WorkAccident.injured_id == person_id]
    upn: str | None = person[2]
    if upn:
        injured.append(func.lower(WorkAccident.injured_upn) == upn.lower())
    records: dict[Register, list[Record]] = {
        Register.LONE_WORK: [
            Record(row.number, row.at, row.name, status=f"lone_work.status.{row.status}")
            for row in await connection.execute(
                _newest_in_unit(
                    LoneWorkRequest,
                    LoneWorkRequest.number,
                    LoneWorkRequest.status,
                    at=LoneWorkRequest.created_at,
                    where=LoneWorkRequest.requester_id == person_id,
                )
            )
        ],
        Register.CHECKINS: [
            Record(row.number, row.started_at, row.name, status=f"my_data.checkin.{row.status}")
            for row in await connection.execute(
                select(
                    LoneWorkRequest.number,
                    CheckinSession.started_at,
                    CheckinSession.status,
                    Unit.name,
                )
                .join(LoneWorkRequest, LoneWorkRequest.id == CheckinSession.request_id)
                .join(Unit, Unit.id == LoneWorkRequest.unit_id)
                .where(CheckinSession.worker_id == person_id)
                .order_by(CheckinSession.started_at.desc(), CheckinSession.id.desc())
            )
        ],
        Register.NEAR_MISS: [
            Record(row.number, row.at, row.name, status=f"near_miss.status.{row.status}")
            for row in await connection.execute(
                _newest_in_unit(
                    NearMissReport,
                    NearMissReport.number,
                    NearMissReport.status,
                    at=NearMissReport.created_at,
                    where=and_(
                        NearMissReport.reporter_id == person_id,
                        NearMissReport.anonymous.is_(False),
                    ),
                )
            )
        ],
        Register.WELLBEING_ITEMS: [
            Record(_short(row.action), row.at, row.name, status=f"wellbeing.status.{row.status}")
            for row in await connection.execute(
                _newest_in_unit(
                    WellbeingActionItem,
                    WellbeingActionItem.action,
                    WellbeingActionItem.status,
                    at=WellbeingActionItem.created_at,
                    where=WellbeingActionItem.owner_id == person_id,
                )
            )
        ],
        Register.WORK_ACCIDENTS: [
            Record(
                row.number,
                row.at,
                row.name,
                part="my_data.part.injured" if row.is_injured else "my_data.part.reporter",
            )
            for row in await connection.execute(
                _newest_in_unit(
                    WorkAccident,
                    WorkAccident.number,
                    or_(*injured).label("is_injured"),
                    at=WorkAccident.occurred_at,
                    where=or_(*injured, WorkAccident.reporter_id == person_id),
                )
            )
        ],
        Register.PRECURSORS: [
            Record(str(row.year), row.at, row.name, status=f"my_data.precursors.{row.status}")
            for row in await connection.execute(
                _newest_in_unit(
                    PrecursorRegistration,
                    PrecursorRegistration.year,
                    PrecursorRegistration.status,
                    at=PrecursorRegistration.registered_at,
                    where=PrecursorRegistration.registered_by_id == person_id,
                )
            )
        ],
        Register.TRAINING: [
            Record(_short(row.activity), row.at, row.name, status=f"training.kind.{row.kind}")
            for row in await connection.execute(
                _newest_in_unit(
                    TrainingRecord,
                    TrainingRecord.activity,
                    TrainingRecord.kind,
                    at=TrainingRecord.created_at,
                    where=and_(
                        TrainingRecord.person_id == person_id,
                        TrainingRecord.personal_data_removed_at.is_(None),
                    ),
                )
            )
        ],
    }
    as_actor = (
        await connection.execute(
            select(func.count())
            .select_from(AuditEvent)
            .where(AuditEvent.actor == person_actor(person_id))
        )
    ).scalar()
    about = (
        await connection.execute(
            select(func.count())
            .select_from(AuditEvent)
            .where(AuditEvent.entity_type == "person", AuditEvent.entity_id == str(person_id))
        )
    ).scalar()
    return MyData(
        person_id=person_id,
        name=person[1],
        email=person[2],
        entra_id=person[3],
        language=person[4],
        known_since=person[5],
        roles=roles,
        records=records,
        audit_as_actor=int(as_actor or 0),
        audit_about=int(about or 0),
    )
