"""An organisation file (YAML) sent into the chat by an administrator: read, checked as the
command-line import would apply it (in a transaction rolled back afterwards), then applied
in one transaction after the administrator confirms. Each change is audited by the import."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import Any

import yaml
from pydantic import ValidationError

from domain.actor import Speaker
from domain.org import OrgFile
from storage import audit, org
from storage.audit import audited
from storage.db import Database

ORG_FILE_MAX_BYTES = 512 * 1024
"""The largest organisation file taken in the chat: it waits in the dialog state (as the
validated structure) between the summary and the confirmation."""


@dataclass(frozen=True)
class OrgCheck:
    """What the file would change, or what is wrong with it (then nothing changes)."""

    problems: list[str] = field(default_factory=list)
    units_created: list[str] = field(default_factory=list)
    roles_added: int = 0
    roles_removed: int = 0
    data: dict[str, Any] = field(default_factory=dict)


def _read(data: bytes) -> OrgFile | list[str]:
    try:
        raw = yaml.safe_load(data.decode("utf-8")) or {}
        return OrgFile.model_validate(raw)
    except (UnicodeDecodeError, yaml.YAMLError) as error:
        return [f"YAML: {type(error).__name__}: {str(error)[:300]}"]
    except ValidationError as error:
        return [
            f"{'.'.join(str(part) for part in issue['loc']) or '-'}: {issue['msg']}"
            for issue in error.errors()
        ]


class OrgImports:
    """Administrators' organisation files."""

    def __init__(self, db: Database) -> None:
        self.db = db

    async def check(self, speaker: Speaker, data: bytes) -> OrgCheck | None:
        """What importing the file would change (nothing is written); None: not an
        administrator (the refusal is audited)."""
        if not speaker.is_admin:
            await self._refuse(speaker)
            return None
        found = await asyncio.to_thread(_read, data)
        if isinstance(found, list):
            return OrgCheck(problems=found)
        return await self._run(found, actor=speaker.actor, apply=False)

    async def apply(self, speaker: Speaker, data: dict[str, Any]) -> OrgCheck | None:
        """Import the checked file (all of it, in one transaction); None: not an
        administrator (any more)."""
        if not speaker.is_admin:
            await self._refuse(speaker)
            return None
        try:
            org_file = OrgFile.model_validate(data)
        except ValidationError as error:
            return OrgCheck(problems=[str(issue["msg"]) for issue in error.errors()])
        return await self._run(org_file, actor=speaker.actor, apply=True)

    async def _run(self, org_file: OrgFile, *, actor: str, apply: bool) -> OrgCheck:
        class _CheckOnly(Exception):
            pass

        result: OrgCheck | None = None
        try:
            async with audited(self.db) as connection:
                summary = await org.import_org(connection, org_file, actor=actor)
                result = OrgCheck(
                    units_created=summary.units_created,
                    roles_added=summary.roles_added,
                    roles_removed=summary.roles_removed,
                    data=org_file.model_dump(mode="json", exclude_none=True),
                )
                if not apply:
                    raise _CheckOnly
        except _CheckOnly:
            pass
        assert result is not None
        return result

    async def _refuse(self, speaker: Speaker) -> None:
        await audit.record_refusal(
            self.db,
            actor=speaker.actor,
            action="org.import",
            entity_type="unit",
            entity_id=None,
        )
