"""The documentation overview export (`python -m bot export documentation`): every active
unit's duties, read in one transaction, then written."""

from __future__ import annotations

from pathlib import Path

from domain.i18n import local_date
from reports import documentation as documentation_report
from services.documentation import unit_standings
from storage import documentation, org
from storage.db import Database
from storage.models import utcnow


async def export_overview(db: Database, out: Path) -> int:
    """Write every active unit's duties; returns how many unit × duty rows were written."""
    now = utcnow()
    catalogue = documentation.duties()
    async with db.sessions() as session:
        units = await org.list_units(session)
        met = await documentation.last_met(session, [unit.id for unit in units])
    today = local_date(now)
    rows = [(unit.name, unit_standings(catalogue, met, unit.id, today)) for unit in units]
    return documentation_report.write_workbook(out, catalogue, rows, now=now)
