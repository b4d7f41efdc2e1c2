"""The nightly organisation sync from Entra ID: once a Copenhagen day, from 02:00, claimed
so that one process runs it however many there are; the mapping file is read each night,
so a change to it needs no restart."""

from __future__ import annotations

import logging
from datetime import datetime, time, timedelta
from functools import partial
from pathlib import Path

from cards.org_sync import sync_failed_card
from domain.i18n import COPENHAGEN, preferred_lang
from services.claimed import send_once
from services.org_sync import DirectoryError, MappingError, OrgSync, read_mapping
from storage import org

log = logging.getLogger(__name__)

NIGHTLY_AT = time(2, 0)


class OrgSyncJob:
    """Runs `OrgSync` on the mapping at `mapping_path` once a night; what stops it (a bad
    mapping, Graph refusing, a problem in the groups) changes nothing and is logged (by
    count: the problems name people), and the next night tries again."""

    name = "org.sync"

    def __init__(
        self,
        sync: OrgSync,
        mapping_path: Path,
        *,
        admin_upns: frozenset[str] = frozenset(),
        at: time = NIGHTLY_AT,
    ) -> None:
        self.sync = sync
        self.mapping_path = mapping_path
        self.admin_upns = admin_upns
        self.at = at

    async def run(self, now: datetime) -> None:
        local = now.astimezone(COPENHAGEN)
        if local.time() < self.at:
            return
        night = local.date().isoformat()
        await send_once(
            self.sync.db, f"org-sync:{night}", partial(self.once, night), lease=timedelta(hours=1)
        )

    async def once(self, night: str) -> dict[str, int | str]:
        """One sync; what it did, as the job's result. When something stops it, the
        administrators (`ADMIN_UPNS`) are told that nothing changed."""
        try:
            mapping = read_mapping(self.mapping_path)
        except MappingError:
            log.error(
                "org sync: the mapping file %s cannot be used; nothing changed", self.mapping_path
            )
            await self.tell_admins(night, "mapping")
            return {"refused": "mapping"}
        try:
            outcome = await self.sync.run(mapping, dry_run=False)
        except DirectoryError as error:
            log.error("org sync: %s; nothing changed", error)
            await self.tell_admins(night, "graph")
            return {"refused": "graph"}
        problems = len(outcome.plan.problems)
        if problems:
            log.error(
                "org sync: %d problem(s) in the mapping or in Entra ID, nothing changed; "
                "`python -m bot org sync --dry-run` lists them",
                problems,
            )
            await self.tell_admins(night, "problems", problems)
            return {"problems": problems}
        applied = outcome.applied
        added = applied.roles_added if applied else 0
        removed = applied.roles_removed if applied else 0
        log.info("org sync: %d role(s) added, %d removed", added, removed)
        return {"added": added, "removed": removed, "orphaned": len(outcome.plan.orphaned)}

    async def tell_admins(self, night: str, reason: str, problems: int = 0) -> None:
        """The administrators the bot knows get a notice that the night's sync changed
        nothing (once per night each)."""
        notifier = self.sync.notifier
        if notifier is None:
            return
        async with self.sync.db.reading() as connection:
            admins = [await org.find_person(connection, upn=upn) for upn in sorted(self.admin_upns)]
        for admin in admins:
            if admin is None:
                continue
            lang = preferred_lang(admin.language_override, admin.locale)
            await notifier.card_to_person(
                admin.id,
                sync_failed_card(lang, reason, problems),
                key=f"org_sync:failed:{night}:{admin.id}",
                entity=("org_sync", night),
            )
