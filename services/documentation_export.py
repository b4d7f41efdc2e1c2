"""The documentation overview export (`python -m bot export documentation`): every active
unit's duties (or some units') and its instruction and training as counts, read in one
transaction, then written."""

from __future__ import annotations

from collections.abc import Callable, Collection
from functools import partial
from pathlib import Path

from domain.i18n import local_date
from domain.training import UnitTrainingCounts
from reports import documentation as documentation_report
from services.documentation import unit_standings
from storage import amo, documentation, org, training
from storage.db import Database
from storage.models import utcnow


async def export_overview(db: Database, out: Path) -> int:
    """Write every active unit's duties; returns how many unit × duty rows were written."""
    return (await prepare_overview(db))(out)


async def prepare_overview(
    db: Database, unit_ids: Collection[int] | None = None
) -> Callable[[Path], int]:
    """Read the active units' duties (of `unit_ids` only, if given); the workbook is written
    by the returned function."""
    now = utcnow()
    catalogue = documentation.duties()
    async with db.reading() as connection:
        units = [
            unit
            for unit in await org.unit_choices(connection)
            if unit_ids is None or unit.id in unit_ids
        ]
        met = await documentation.last_met(connection, [unit.id for unit in units])
        review = await amo.to_review(connection, [unit.id for unit in units])
        today = local_date(now)
        counts = await training.unit_counts_of(
            connection, [unit.id for unit in units], today=today, now=now
        )
    rows = [
        (unit.name, unit_standings(catalogue, met, unit.id, today, review=review)) for unit in units
    ]
    trained = [(unit.name, counts.get(unit.id, UnitTrainingCounts())) for unit in units]
    return partial(
        documentation_report.write_workbook,
        catalogue=catalogue,
        units=rows,
        training=trained,
        now=now,
    )
