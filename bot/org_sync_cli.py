"""`python -m bot org sync --mapping FILE [--dry-run]`: the roles from Entra ID groups."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

from bot.config import Settings
from domain.org_mapping import SyncMapping
from domain.org_sync import describe
from services.org_sync import (
    Directory,
    DirectoryError,
    MappingError,
    OrgSync,
    SyncOutcome,
    read_mapping,
)
from services.ports import Notifier
from storage.db import Database
from storage.prepare import prepare_database

ACTOR = "cli:org-sync"
Print = Callable[[str], None]


def _err(line: str) -> None:
    print(line, file=sys.stderr)


def report(outcome: SyncOutcome, *, dry_run: bool, out: Print = print, err: Print = _err) -> int:
    """Print the diff (or the problems that stopped it); the exit code."""
    plan = outcome.plan
    if plan.problems:
        for problem in plan.problems:
            err(f"error: {problem}")
        err(f"nothing was changed: {len(plan.problems)} problem(s) in the mapping or in Entra ID")
        return 1
    for line in describe(plan):
        out(line)
    orphaned = f", {len(plan.orphaned)} open task(s) of users deleted in Entra ID"
    units = ""
    if plan.joins or plan.leaves:
        units = f", {len(plan.joins)} own unit(s) set and {len(plan.leaves)} cleared"
    if dry_run:
        out(
            f"dry run, nothing changed: {len(plan.grants)} role(s) to add, "
            f"{len(plan.removals)} to remove{units}{orphaned}"
        )
        return 0
    applied = outcome.applied
    assert applied is not None
    out(
        f"synchronised: {applied.roles_added} role(s) added, {applied.roles_removed} removed"
        f"{units}{orphaned}, listed to {len(set(outcome.told))} AMK(s) or secretariat member(s)"
    )
    return 0


async def sync(
    db: Database,
    directory: Directory,
    notifier: Notifier | None,
    mapping: SyncMapping,
    *,
    dry_run: bool,
    out: Print = print,
    err: Print = _err,
) -> int:
    """Run the sync on `db` and print what it found or did; the exit code."""
    try:
        outcome = await OrgSync(db, directory, notifier, actor=ACTOR).run(mapping, dry_run=dry_run)
    except DirectoryError as error:
        err(f"error: {error}")
        err("nothing was changed")
        return 1
    return report(outcome, dry_run=dry_run, out=out, err=err)


def missing_credentials(settings: Settings) -> str | None:
    if settings.graph_credentials:
        return None
    return (
        "org sync reads Entra ID through Microsoft Graph with the bot's app registration: set "
        "MicrosoftAppId, MicrosoftAppPassword and MicrosoftAppTenantId (the app needs the "
        "application permissions GroupMember.Read.All and User.Read.All)"
    )


async def command(settings: Settings, path: Path, *, dry_run: bool) -> int:
    """The CLI command: settings and mapping checked, then the sync against Graph."""
    refusal = missing_credentials(settings)
    if refusal:
        _err(refusal)
        return 2
    try:
        mapping = read_mapping(path)
    except MappingError as error:
        _err(str(error))
        return 2
    from bot.org_directory import entra_directory

    directory = entra_directory(settings.graph)
    if dry_run:
        db = Database(settings.database_url)
        try:
            await prepare_database(db)
            return await sync(db, directory, None, mapping, dry_run=True)
        finally:
            await directory.close()
            await db.dispose()
    from bot.app import build_runtime

    runtime = build_runtime(settings)
    try:
        await prepare_database(runtime.db)
        code = await sync(runtime.db, directory, runtime.notifier, mapping, dry_run=False)
        await runtime.background.drain()
        return code
    finally:
        await directory.close()
        await runtime.connector.close()
        await runtime.db.dispose()
