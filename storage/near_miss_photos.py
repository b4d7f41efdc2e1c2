"""Near-miss photos: waiting under a reporting dialog's key, then the report's; who sent a
photo is never stored with it."""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import datetime

from sqlalchemy import bindparam, delete, func, insert, select, update

from domain.photos import StoredPhoto
from storage.db import HotConnection
from storage.near_miss_models import NearMissPhoto, NearMissReport

MAX_PHOTOS = 10
"""The most photos one report (or one form being filled in) keeps."""

ATTACH_PENDING = (
    update(NearMissPhoto)
    .where(NearMissPhoto.pending_key == bindparam("key"))
    .values(report_id=bindparam("rid"), pending_key=None, created_at=bindparam("at"))
)
"""The photos sent while a form was filled in become the stored report's (`key`, `rid`), and
take the report's moment (`at`) as theirs: the moment each was sent, which the sender's turn
shares, is not kept."""


_PENDING_COUNT = select(func.count()).where(NearMissPhoto.pending_key == bindparam("key"))
_REPORT_COUNT = select(func.count()).where(NearMissPhoto.report_id == bindparam("report_id"))
_ADD = insert(NearMissPhoto).returning(NearMissPhoto.id)
_OF_REPORT = (
    select(NearMissPhoto.id, NearMissPhoto.content_type, NearMissPhoto.data)
    .where(NearMissPhoto.report_id == bindparam("report_id"))
    .order_by(NearMissPhoto.id)
)
_UNSENT = (
    select(NearMissPhoto.id)
    .where(NearMissPhoto.report_id.is_(None), NearMissPhoto.created_at < bindparam("cutoff"))
    .limit(bindparam("limit"))
)
_DELETE = delete(NearMissPhoto).where(NearMissPhoto.id.in_(bindparam("ids", expanding=True)))


@dataclass(frozen=True, slots=True)
class PhotoTarget:
    """The columns of a report that decide whether its reporter may add photos to it."""

    id: int
    number: str
    reporter_id: int | None
    personal_data_removed_at: datetime | None


_REPORT = NearMissReport.__table__.c
_TARGET = select(*(_REPORT[field.name] for field in fields(PhotoTarget))).where(
    _REPORT.number == bindparam("number")
)


async def report_by_number(connection: HotConnection, number: str) -> PhotoTarget | None:
    """The report with this number (as typed: any case), if there is one."""
    row = (await connection.execute(_TARGET, {"number": number.upper()})).first()
    return None if row is None else PhotoTarget(*row)


async def pending_count(connection: HotConnection, key: str) -> int:
    return int((await connection.execute(_PENDING_COUNT, {"key": key})).scalar() or 0)


async def report_count(connection: HotConnection, report_id: int) -> int:
    return int((await connection.execute(_REPORT_COUNT, {"report_id": report_id})).scalar() or 0)


async def add(
    connection: HotConnection,
    *,
    data: bytes,
    content_type: str,
    now: datetime,
    pending_key: str | None = None,
    report_id: int | None = None,
) -> int:
    """Store a photo (already without metadata) for a form being filled in or a report."""
    values = {
        "pending_key": pending_key,
        "report_id": report_id,
        "content_type": content_type,
        "size": len(data),
        "data": data,
        "created_at": now,
    }
    return int((await connection.execute(_ADD, values)).scalar_one())


async def of_report(connection: HotConnection, report_id: int) -> list[StoredPhoto]:
    rows = await connection.execute(_OF_REPORT, {"report_id": report_id})
    return [StoredPhoto(int(row[0]), str(row[1]), bytes(row[2])) for row in rows]


async def delete_pending(connection: HotConnection, *, cutoff: datetime, limit: int = 200) -> int:
    """Photos of forms never sent, older than `cutoff` (at most `limit` at a time)."""
    found = await connection.execute(_UNSENT, {"cutoff": cutoff, "limit": limit})
    ids = [int(row[0]) for row in found]
    if ids:
        await connection.execute(_DELETE, {"ids": ids})
    return len(ids)
