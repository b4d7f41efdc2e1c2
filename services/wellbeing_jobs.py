"""Scheduled well-being work: deliver items to owners who could not be reached at once, ask
about the effect on the follow-up date, remind overdue items once, and delete note text
past the retention period. Each send is claimed in `job_run`, so it happens once."""

from __future__ import annotations

import logging
from datetime import date, datetime

from cards.wellbeing_items import follow_up_card, owner_card
from domain.i18n import t
from domain.wellbeing import ItemView, WellbeingSettings, local_today, notes_cutoff
from services.claimed import send_once
from services.ports import Notifier, PeriodicJob
from services.wellbeing import DatabaseWellbeingServices
from services.wellbeing_core import CLAIM_LEASE, owner_key, person_lang
from storage import wellbeing, wellbeing_items
from storage.audit import audited
from storage.db import Database, HotConnection
from storage.rows import PersonRow
from storage.rows import person as person_by_id
from storage.wellbeing import ITEM

log = logging.getLogger(__name__)


class WellbeingDelivery:
    """Items whose owner had no chat with the bot yet: sent as soon as there is one."""

    name = "wellbeing.delivery"

    def __init__(self, services: DatabaseWellbeingServices) -> None:
        self.services = services

    async def run(self, now: datetime) -> None:
        async with self.services.db.reading() as connection:
            ids = await wellbeing_items.undelivered_items(connection)
        for item_id in ids:
            await self.services.deliver_owner_card(item_id)


class _DueItems:
    """A job over the items due today (`due`): each one's view and owner, read on a
    connection of its own, then handed to `handle`."""

    def __init__(self, services: DatabaseWellbeingServices) -> None:
        self.services = services
        self.db = services.db

    async def due(self, connection: HotConnection, today: date) -> list[int]:
        raise NotImplementedError

    async def handle(
        self, item_id: int, view: ItemView, owner: PersonRow | None, now: datetime
    ) -> None:
        raise NotImplementedError

    async def run(self, now: datetime) -> None:
        async with self.db.reading() as connection:
            ids = await self.due(connection, local_today(now))
        for item_id in ids:
            async with self.db.reading() as connection:
                item = await wellbeing_items.get_item(connection, item_id)
                if item is None:
                    continue
                view = await wellbeing_items.item_view(connection, item)
                owner = await person_by_id(connection, item.owner_id)
            await self.handle(item_id, view, owner, now)


class WellbeingFollowUps(_DueItems):
    """On the follow-up date of a done item: was the solution adequate and effective?"""

    name = "wellbeing.follow_ups"

    async def due(self, connection: HotConnection, today: date) -> list[int]:
        return await wellbeing_items.due_follow_ups(connection, today)

    async def handle(
        self, item_id: int, view: ItemView, owner: PersonRow | None, now: datetime
    ) -> None:
        if owner is None:
            return
        follow_up_on = view.follow_up_on.isoformat()

        async def send() -> bool:
            return await self.services.notifier.card_to_person(
                owner.id,
                follow_up_card(person_lang(owner), view, today=local_today(now)),
                key=f"wellbeing:item:{item_id}:follow_up:{follow_up_on}",
                entity=(ITEM, str(item_id)),
            )

        async def sent() -> None:
            async with self.db.writing() as connection:
                await wellbeing_items.mark(connection, item_id, follow_up_sent_at=now)

        await send_once(
            self.db,
            f"wellbeing:follow_up:{item_id}:{follow_up_on}",
            send,
            lease=CLAIM_LEASE,
            retry_if=lambda delivered: not delivered,
            then=sent,
        )


class WellbeingOverdue(_DueItems):
    """One reminder to the owner of an open item past its deadline (per deadline)."""

    name = "wellbeing.overdue"

    async def due(self, connection: HotConnection, today: date) -> list[int]:
        return await wellbeing_items.due_overdue(connection, today)

    async def handle(
        self, item_id: int, view: ItemView, owner: PersonRow | None, now: datetime
    ) -> None:
        deadline = view.deadline.isoformat()

        async def send() -> bool:
            if owner is None:
                return False
            lang = person_lang(owner)
            return await self.services.notifier.card_to_person(
                owner.id,
                owner_card(
                    lang,
                    view,
                    today=local_today(now),
                    heading=t(lang, "wellbeing.overdue.title"),
                    notice=t(lang, "wellbeing.overdue.notice"),
                ),
                key=f"{owner_key(item_id, owner.id)}:overdue:{deadline}",
                entity=(ITEM, str(item_id)),
            )

        async def sent() -> None:
            async with self.db.writing() as connection:
                await wellbeing_items.mark(connection, item_id, overdue_reminded_for=view.deadline)

        await send_once(
            self.db, f"wellbeing:overdue:{item_id}:{deadline}", send, lease=CLAIM_LEASE, then=sent
        )


class WellbeingRetention:
    """Blank the free text of notes older than the retention period (audited, once each)."""

    name = "wellbeing.retention"

    def __init__(self, db: Database, settings: WellbeingSettings) -> None:
        self.db = db
        self.settings = settings

    async def run(self, now: datetime) -> None:
        cutoff = notes_cutoff(now, self.settings.retention_years)
        async with self.db.reading() as connection:
            if not await wellbeing.has_expired_notes(connection, cutoff):
                return
        async with audited(self.db) as connection:
            deleted = await wellbeing.delete_expired_notes(
                connection, cutoff=cutoff, now=now, retention_years=self.settings.retention_years
            )
        if deleted:
            log.info("deleted the note text of %d well-being dialogues", len(deleted))


def wellbeing_jobs(
    db: Database, notifier: Notifier, settings: WellbeingSettings
) -> list[PeriodicJob]:
    services = DatabaseWellbeingServices(db, notifier, settings=settings)
    return [
        WellbeingDelivery(services),
        WellbeingFollowUps(services),
        WellbeingOverdue(services),
        WellbeingRetention(db, settings),
    ]
