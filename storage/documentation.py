"""The documentation overview's reads and its one write: the duties list, when each unit last
met each duty (recorded here, or taken from the well-being records), and a new record."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import func, select

from domain.documentation import Duty, DutyCatalogue, RecordForm, Source
from domain.org import Role, UnitRef
from domain.screening import SCREENING_DUTY
from storage import audit, org, screening_records, wellbeing_counts
from storage.db import HotConnection
from storage.documentation_models import DutyRecord
from storage.models import RoleAssignment
from storage.wellbeing_models import WellbeingAnnualDiscussion

DUTIES_FILE = Path(__file__).parent / "seed" / "duties.yaml"
ENTITY = "duty_record"


@cache
def duties(path: Path = DUTIES_FILE) -> DutyCatalogue:
    """The list of duties shipped with the bot (read once)."""
    return DutyCatalogue.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))


async def active_unit(connection: HotConnection, unit_id: int) -> UnitRef | None:
    """The unit whose overview (and its training, AMO and screenings) a card names, if it
    exists and is active."""
    unit = await org.unit(connection, unit_id)
    return None if unit is None or not unit.active else UnitRef(id=unit.id, name=unit.name)


# (unit id, duty key, subject) → (the day it was last met, the proof)
Met = dict[tuple[int, str, str | None], tuple[date, str | None]]


async def last_met(on: HotConnection, unit_ids: Iterable[int]) -> Met:
    """For each unit and duty (and subject), the newest day it was met and its proof: the
    recorded duties from their records, the psychological APV from the well-being dialogues
    (the least recent of the groups' latest dialogues), the annual discussion from its
    records, the screening duty from the screenings held too (the newer counts)."""
    connection = on
    units = list(unit_ids)
    met: Met = {}
    records = await connection.execute(
        select(
            DutyRecord.unit_id,
            DutyRecord.duty_key,
            DutyRecord.subject,
            DutyRecord.met_on,
            DutyRecord.proof,
        )
        .where(DutyRecord.unit_id.in_(units))
        .order_by(DutyRecord.met_on, DutyRecord.id)
    )
    for unit_id, key, subject, day, proof in records:
        met[(unit_id, key, subject)] = (day, proof)  # the newest comes last
    # The interval does not matter here: only each group's latest day is used.
    for unit_id, groups in (await wellbeing_counts.groups_by_unit(connection, 1, units)).items():
        oldest = min(group.last_held for group in groups)
        met[(unit_id, Source.WELLBEING.value, None)] = (oldest, None)
    discussions = await connection.execute(
        select(WellbeingAnnualDiscussion.unit_id, func.max(WellbeingAnnualDiscussion.held_on))
        .where(WellbeingAnnualDiscussion.unit_id.in_(units))
        .group_by(WellbeingAnnualDiscussion.unit_id)
    )
    for unit_id, held_on in discussions:
        met[(unit_id, Source.ANNUAL_DISCUSSION.value, None)] = (held_on, None)
    for unit_id, (held_on, proof) in (await screening_records.last_held(connection, units)).items():
        recorded = met.get((unit_id, SCREENING_DUTY, None))
        if recorded is None or recorded[0] <= held_on:
            met[(unit_id, SCREENING_DUTY, None)] = (held_on, proof)
    return met


async def newest_records(
    connection: HotConnection, unit_id: int
) -> dict[tuple[str, str | None], tuple[int, date]]:
    """(duty key, subject) → the id and day of the unit's newest record of it (the one
    `last_met` counts)."""
    rows = await connection.execute(
        select(DutyRecord.id, DutyRecord.duty_key, DutyRecord.subject, DutyRecord.met_on)
        .where(DutyRecord.unit_id == unit_id)
        .order_by(DutyRecord.met_on, DutyRecord.id)
    )
    newest: dict[tuple[str, str | None], tuple[int, date]] = {}
    for record_id, key, subject, day in rows:
        newest[(key, subject)] = (int(record_id), day)  # the newest comes last
    return newest


async def amo_members(connection: HotConnection, unit_id: int) -> dict[Role, int]:
    """How many leaders and work-environment representatives the unit has now."""
    rows = await connection.execute(
        select(RoleAssignment.role, func.count())
        .where(
            RoleAssignment.unit_id == unit_id,
            RoleAssignment.role.in_([Role.LEADER.value, Role.AMR.value]),
        )
        .group_by(RoleAssignment.role)
    )
    return {Role(role): int(count) for role, count in rows}


def met_on(met: Met, unit_id: int, duty: Duty) -> list[tuple[str | None, date, str | None]]:
    """(subject, day, proof) of one unit's duty: one entry, or one per subject."""
    key = duty.key if duty.source is Source.RECORDED else duty.source.value
    return sorted(
        (
            (subject, day, proof)
            for (unit, duty_key, subject), (day, proof) in met.items()
            if unit == unit_id and duty_key == key
        ),
        key=lambda entry: (entry[0] or "").lower(),
    )


@dataclass(frozen=True, slots=True)
class DutyRecordRow:
    """A stored `duty_record` row."""

    id: int
    unit_id: int
    duty_key: str
    subject: str | None
    met_on: date
    proof: str | None
    recorded_by_id: int | None

    def snapshot(self) -> dict[str, Any]:
        """What the audit trail keeps (as `DutyRecord.snapshot`): facts, never the text."""
        return {
            "unit_id": self.unit_id,
            "duty": self.duty_key,
            "met_on": self.met_on.isoformat(),
            "proof": self.proof is not None,
        }


async def add_record(
    connection: audit.AuditedConnection,
    *,
    unit_id: int,
    duty: Duty,
    form: RecordForm,
    actor_id: int | None,
    actor: str,
) -> DutyRecordRow:
    """One time the unit met the duty, with its audit event (facts only, never the text);
    `actor_id` None: imported by an administrator."""
    return await audit.inserted(
        connection,
        DutyRecord,
        DutyRecordRow,
        {
            "unit_id": unit_id,
            "duty_key": duty.key,
            "subject": form.subject if duty.per_subject else None,
            "met_on": form.met_on,
            "proof": form.proof,
            "recorded_by_id": actor_id,
        },
        actor=actor,
        action="documentation.record",
        entity_type=ENTITY,
    )
