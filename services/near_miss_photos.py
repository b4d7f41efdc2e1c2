"""Photos with a near-miss report: sent while reporting (kept under the form's random key
until the report is stored), or afterwards by the named reporter to their own report; shown
to those who may read the report. Metadata is removed before anything is stored, and no
photo row names who sent it."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from domain.actor import Speaker
from domain.photos import CleanPhoto, PhotoProblem, StoredPhoto, for_chat, prepare_photo
from storage import audit, near_miss, near_miss_follow_up, near_miss_photos
from storage.db import Database
from storage.models import utcnow
from storage.near_miss import ENTITY
from storage.near_miss_photos import MAX_PHOTOS


class PhotoRefusal(StrEnum):
    NOT_PHOTO = "not_photo"  # not a JPEG or PNG that could be read through
    TOO_MANY_PIXELS = "too_many_pixels"  # a picture too large to decode (domain.photos)
    TOO_MANY = "too_many"
    NOT_YOURS = "not_yours"  # no such report, anonymous, or someone else's


@dataclass(frozen=True)
class PhotoAdded:
    """The photo was stored (`count`: how many there are now), or why not."""

    count: int = 0
    refused: PhotoRefusal | None = None
    number: str | None = None


@dataclass(frozen=True)
class ReportPhotos:
    number: str
    photos: list[StoredPhoto]


async def _prepared(data: bytes) -> CleanPhoto | PhotoProblem:
    """The photo as stored (`domain.photos.prepare_photo`), made off the event loop: scaling
    a 12-megapixel phone photo down takes about a quarter of a second."""
    return await asyncio.to_thread(prepare_photo, data)


class NearMissPhotoServices:
    """Storing and showing near-miss photos."""

    def __init__(self, db: Database, *, clock: Callable[[], datetime] = utcnow) -> None:
        self.db = db
        self.clock = clock

    async def add_pending(self, pending_key: str, data: bytes) -> PhotoAdded:
        """A photo sent while the form is filled in. Not audited: an audit event would name
        the sender, and the report may be anonymous (the report's own event covers it)."""
        photo = await _prepared(data)
        if not isinstance(photo, CleanPhoto):
            return PhotoAdded(refused=PhotoRefusal(photo.value))
        async with self.db.writing() as connection:
            count = await near_miss_photos.pending_count(connection, pending_key)
            if count >= MAX_PHOTOS:
                return PhotoAdded(count, PhotoRefusal.TOO_MANY)
            await near_miss_photos.add(
                connection,
                data=photo.data,
                content_type=photo.content_type,
                now=self.clock(),
                pending_key=pending_key,
            )
        return PhotoAdded(count + 1)

    async def add_to_own_report(self, speaker: Speaker, number: str, data: bytes) -> PhotoAdded:
        """A photo the named reporter adds to their own report afterwards (audited)."""
        photo = await _prepared(data)
        async with audit.audited(self.db) as connection:
            report = await near_miss_photos.report_by_number(connection, number)
            if (
                report is None
                or speaker.person_id is None
                or report.reporter_id != speaker.person_id
                or report.personal_data_removed_at is not None
            ):
                return PhotoAdded(refused=PhotoRefusal.NOT_YOURS)
            if not isinstance(photo, CleanPhoto):
                return PhotoAdded(refused=PhotoRefusal(photo.value), number=report.number)
            count = await near_miss_photos.report_count(connection, report.id)
            if count >= MAX_PHOTOS:
                return PhotoAdded(count, PhotoRefusal.TOO_MANY, report.number)
            photo_id = await near_miss_photos.add(
                connection,
                data=photo.data,
                content_type=photo.content_type,
                now=self.clock(),
                report_id=report.id,
            )
            await audit.record(
                connection,
                actor=speaker.actor,
                action="near_miss.photo.add",
                entity_type=ENTITY,
                entity_id=report.id,
                after={"photo_id": photo_id, "size": len(photo.data)},
            )
        return PhotoAdded(count + 1, number=report.number)

    async def photos_for(self, speaker: Speaker, report_id: int) -> ReportPhotos | None:
        """The report's photos for someone who may read the report (the read is audited),
        each as the chat gets it (`domain.photos.for_chat`: one stored too large before
        photos were scaled down is scaled down now, off the event loop, and not stored
        again); None otherwise (the refusal is audited)."""
        if speaker.person_id is None:
            return None
        async with audit.audited(self.db) as connection:
            context = await near_miss.context(connection, report_id, [speaker.person_id])
            if context is None:
                return None
            if not context.people[speaker.person_id].may_view:
                await near_miss_follow_up.record_refused_view(
                    connection, report_id, speaker.person_id
                )
                return None
            photos = await near_miss_photos.of_report(connection, report_id)
            await audit.record(
                connection,
                actor=speaker.actor,
                action="near_miss.photos.view",
                entity_type=ENTITY,
                entity_id=report_id,
                after={"photos": len(photos)},
            )
        return ReportPhotos(
            context.report.number, [await asyncio.to_thread(for_chat, photo) for photo in photos]
        )
