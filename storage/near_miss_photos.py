"""Near-miss photos: waiting under a reporting dialog's key, then the report's; who sent a
photo is never stored with it."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import bindparam, delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from domain.photos import StoredPhoto
from storage.db import HotConnection
from storage.near_miss_models import NearMissPhoto

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


async def pending_count(session: AsyncSession, key: str) -> int:
    return int(
        await session.scalar(select(func.count()).where(NearMissPhoto.pending_key == key)) or 0
    )


async def report_count(session: AsyncSession, report_id: int) -> int:
    return int(
        await session.scalar(select(func.count()).where(NearMissPhoto.report_id == report_id)) or 0
    )


async def add(
    session: AsyncSession,
    *,
    data: bytes,
    content_type: str,
    now: datetime,
    pending_key: str | None = None,
    report_id: int | None = None,
) -> int:
    """Store a photo (already without metadata) for a form being filled in or a report."""
    photo = NearMissPhoto(
        pending_key=pending_key,
        report_id=report_id,
        content_type=content_type,
        size=len(data),
        data=data,
        created_at=now,
    )
    session.add(photo)
    await session.flush()
    return photo.id


async def of_report(session: AsyncSession, report_id: int) -> list[StoredPhoto]:
    rows = await session.execute(
        select(NearMissPhoto.id, NearMissPhoto.content_type, NearMissPhoto.data)
        .where(NearMissPhoto.report_id == report_id)
        .order_by(NearMissPhoto.id)
    )
    return [StoredPhoto(int(row.id), str(row.content_type), bytes(row.data)) for row in rows]


async def delete_pending(connection: HotConnection, *, cutoff: datetime, limit: int = 200) -> int:
    """Photos of forms never sent, older than `cutoff` (at most `limit` at a time)."""
    ids = [
        row[0]
        for row in await connection.execute(
            select(NearMissPhoto.id)
            .where(NearMissPhoto.report_id.is_(None), NearMissPhoto.created_at < cutoff)
            .limit(limit)
        )
    ]
    if ids:
        await connection.execute(delete(NearMissPhoto).where(NearMissPhoto.id.in_(ids)))
    return len(ids)
