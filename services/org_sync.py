"""The organisation from Entra ID: every group of the mapping read through a `Directory`,
compared with the roles the bot has, and (unless it is a dry run, or something is wrong)
applied in one transaction; open tasks of people deleted in Entra ID are listed to their
unit's AMKs for a new owner, and nothing of theirs is removed."""

from __future__ import annotations

import asyncio
import hashlib
import logging
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

import yaml
from pydantic import ValidationError

from cards.org_sync import orphaned_items_card
from domain.i18n import preferred_lang
from domain.org import Role
from domain.org_mapping import SyncMapping
from domain.org_sync import (
    DirectoryUser,
    OpenItem,
    SyncPlan,
    orphaned_items,
    plan_memberships,
    plan_sync,
    unit_members,
)
from services.ports import Notifier
from storage import audit, org, org_sync
from storage.db import Database
from storage.org_sync import AppliedSync

log = logging.getLogger(__name__)

READ_CONCURRENCY = 4


class GroupNotFound(LookupError):
    """Entra ID has no group with this id."""

    def __init__(self, group_id: str) -> None:
        super().__init__(group_id)
        self.group_id = group_id


class DirectoryError(Exception):
    """Entra ID (Graph) refused or did not answer; the message says what to check."""


class Directory(Protocol):
    """The directory the organisation is read from (Entra ID through Microsoft Graph)."""

    async def group_members(self, group_id: str) -> list[DirectoryUser]:
        """Every user in the group, also through nested groups; `GroupNotFound` if there is
        no such group, `DirectoryError` if the directory cannot be read."""

    async def users_with(self, attribute: str) -> list[tuple[DirectoryUser, str | None]]:
        """Every user with the value of `attribute` (e.g. `department`)."""

    async def existing_users(self, user_ids: Sequence[str], upns: Sequence[str]) -> set[str]:
        """The object ids and UPNs/mail addresses (lower-case) among these that belong to
        users who exist."""


class MappingError(ValueError):
    """The mapping file cannot be read or is not valid."""


def read_mapping(path: Path) -> SyncMapping:
    """The mapping file, or a `MappingError` that says what is wrong with it."""
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        return SyncMapping.model_validate(raw)
    except (OSError, yaml.YAMLError) as error:
        raise MappingError(f"cannot read {path}: {error}") from error
    except ValidationError as error:
        raise MappingError(f"{path} is not a valid mapping file:\n{error}") from error


@dataclass
class SyncOutcome:
    """What a sync found and did (`applied` None: nothing was written)."""

    plan: SyncPlan
    applied: AppliedSync | None = None
    told: list[int] = field(default_factory=list)


class OrgSync:
    """Makes the roles match the Entra ID groups of a mapping."""

    def __init__(
        self, db: Database, directory: Directory, notifier: Notifier | None, *, actor: str
    ) -> None:
        self.db = db
        self.directory = directory
        self.notifier = notifier
        self.actor = actor

    async def read_groups(self, group_ids: Sequence[str]) -> dict[str, list[DirectoryUser] | None]:
        """Every group's members (None: no such group), a few groups at a time."""
        gate = asyncio.Semaphore(READ_CONCURRENCY)

        async def one(group_id: str) -> list[DirectoryUser] | None:
            async with gate:
                try:
                    return await self.directory.group_members(group_id)
                except GroupNotFound:
                    return None

        try:
            async with asyncio.TaskGroup() as tasks:
                reads = [tasks.create_task(one(group_id)) for group_id in group_ids]
        except* DirectoryError as failed:  # the other reads are cancelled
            raise failed.exceptions[0] from None
        return {group_id: read.result() for group_id, read in zip(group_ids, reads, strict=True)}

    async def plan(self, mapping: SyncMapping) -> SyncPlan:
        """The diff between the groups and the roles, with what stops it and the open tasks
        whose owner no longer exists in Entra ID. Writes nothing."""
        members = await self.read_groups(mapping.group_ids())
        async with self.db.reading() as connection:
            current = await org_sync.current_holders(connection)
            units = await org.unit_names(connection)
            items = await org_sync.open_items(connection)
            reads_units = bool(mapping.member_groups() or mapping.unit_attribute)
            people = await org_sync.known_people(connection) if reads_units else []
            directory_units = await org_sync.directory_units(connection)
        plan = plan_sync(mapping, members, current, units)
        if not plan.problems and reads_units:
            attributed = []
            if mapping.unit_attribute:
                attributed = await self.directory.users_with(mapping.unit_attribute)
            employees = unit_members(mapping, members, attributed)
            plan_memberships(plan, employees, people, directory_units)
        ids = sorted({item.owner_aad for item in items if item.owner_aad})
        upns = sorted({item.owner_upn for item in items if item.owner_upn and not item.owner_aad})
        if (ids or upns) and not plan.problems:
            existing = await self.directory.existing_users(ids, upns)
            plan.orphaned = orphaned_items(items, existing)
        return plan

    async def run(self, mapping: SyncMapping, *, dry_run: bool) -> SyncOutcome:
        """Plan, then (not a dry run, no problems) apply all of it in one transaction and
        list orphaned tasks to their units' AMKs."""
        plan = await self.plan(mapping)
        outcome = SyncOutcome(plan)
        if dry_run or plan.problems:
            return outcome
        async with audit.audited(self.db) as connection:
            outcome.applied = await org_sync.apply_plan(connection, plan, actor=self.actor)
            await audit.record(
                connection,
                actor=self.actor,
                action="org.sync",
                entity_type="organisation",
                after={
                    "roles_added": outcome.applied.roles_added,
                    "roles_removed": outcome.applied.roles_removed,
                    "own_units_set": outcome.applied.units_set,
                    "own_units_cleared": outcome.applied.units_cleared,
                    "orphaned_items": len(plan.orphaned),
                },
            )
        outcome.told = await self.tell_about_orphans(plan.orphaned)
        return outcome

    async def tell_about_orphans(self, items: Sequence[OpenItem]) -> list[int]:
        """Each unit's AMKs (the secretariat if it has none) get the unit's open tasks whose
        owner is gone, once per set of tasks; the people told."""
        if self.notifier is None or not items:
            return []
        by_unit: dict[int, list[OpenItem]] = defaultdict(list)
        for item in items:
            by_unit[item.unit_id].append(item)
        told: list[int] = []
        for unit_id, unit_items in sorted(by_unit.items()):
            async with self.db.reading() as connection:
                people = await org.holders(connection, unit_id, Role.AMK)
                if not people:
                    people = await org.holders(connection, None, Role.SECRETARIAT)
            ids = ",".join(f"{item.kind}:{item.item_id}" for item in unit_items)
            digest = hashlib.sha256(ids.encode()).hexdigest()[:16]
            for person in people:
                card = orphaned_items_card(
                    preferred_lang(person.language_override, person.locale), unit_items
                )
                sent = await self.notifier.card_to_person(
                    person.id,
                    card,
                    key=f"org_sync:orphaned:{unit_id}:{digest}:{person.id}",
                    entity=("org_orphaned", str(unit_id)),
                )
                if sent:
                    told.append(person.id)
            if not people:
                log.warning("unit %s has open tasks of deleted users and nobody to tell", unit_id)
        return told
