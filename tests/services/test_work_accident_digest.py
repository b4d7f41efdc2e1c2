"""The weekly digest's work-accident section: counts per unit of the week's accidents, of EASY
reports due within a week and of overdue ones; a psychological accident is never counted in a
unit with fewer than three accidents in the year (no small-number disclosure)."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from itertools import count
from typing import Any

from cards.digest import digest_card
from domain.digest import Section, scope_for, week_bounds
from domain.i18n import Lang
from services.digest_sections import compose
from storage import org
from storage.db import Database
from storage.work_accident_models import WorkAccident
from tests.support.databases import orm_session, orm_transaction

WEEK = "2026-W49"
MONDAY_0801 = datetime(2026, 11, 30, 7, 1, tzinfo=UTC)  # 08:01 in Copenhagen
TODAY = date(2026, 11, 30)
LAST_WEEK, _ = week_bounds("2026-W48")
NUMBERS = count(1)


def _accident(unit_id: int, created: datetime, **fields: Any) -> WorkAccident:
    number = next(NUMBERS)
    values: dict[str, Any] = {
        "number": f"AU-2026-{number:04d}",
        "unit_id": unit_id,
        "reporter_role": "injured",
        "injured_party": "employee",
        "occurred_at": created,
        "place": "Lab",
        "description": "Faldt på trappen.",
        "injury_kind": "physical",
        "claim": "no",
        "easy_duty": "none",
        "easy_status": "not_applicable",
        "name_withheld": False,
        "created_at": created,
        "updated_at": created,
    }
    values.update(fields)
    return WorkAccident(**values)


def _pending(due: date) -> dict[str, Any]:
    return {"easy_duty": "insurer", "easy_status": "pending", "easy_due": due}


async def _section(db: Database, unit_ids: frozenset[int] | None = None) -> Section:
    async with db.reading() as connection:
        content = await compose(connection, scope_for(WEEK, MONDAY_0801, unit_ids))
    return next(section for section in content.sections if section.flow == "work_accident")


async def test_counts_per_unit_and_no_psychological_accident_of_a_small_unit(
    db: Database,
) -> None:
    async with orm_session(db) as session:
        units = {unit.name: unit.id for unit in await org.list_units(session)}
    small, large = sorted(units.values())[:2]
    in_week = LAST_WEEK + timedelta(days=2)
    earlier = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    async with orm_transaction(db) as session:
        session.add_all(
            [
                # A small unit: one physical, one psychological (overdue too) this year.
                _accident(small, in_week),
                _accident(
                    small,
                    in_week,
                    injury_kind="psychological",
                    **_pending(TODAY - timedelta(days=1)),
                ),
                # A larger unit: three accidents in the year, one of them psychological.
                _accident(large, earlier),
                _accident(large, earlier, **_pending(TODAY - timedelta(days=3))),
                _accident(
                    large, in_week, injury_kind="both", **_pending(TODAY + timedelta(days=6))
                ),
                # Filed in time: nothing owed any more; due in 8 days: not yet.
                _accident(
                    large,
                    earlier,
                    easy_duty="insurer",
                    easy_status="filed",
                    easy_due=TODAY - timedelta(days=10),
                ),
                _accident(large, earlier, **_pending(TODAY + timedelta(days=8))),
            ]
        )
    section = await _section(db)
    lines = {line.key: line.values for line in section.lines}
    names = {unit_id: name for name, unit_id in units.items()}
    assert lines["work_accident.digest.new"]["count"] == 2
    assert lines["work_accident.digest.new"]["units"] == ", ".join(
        sorted((f"{names[large]} 1", f"{names[small]} 1"), key=str.casefold)
    )
    assert lines["work_accident.digest.due_soon"] == {"count": 1, "units": f"{names[large]} 1"}
    assert lines["work_accident.digest.overdue"] == {"count": 1, "units": f"{names[large]} 1"}
    assert next(line for line in section.lines if "overdue" in line.key).highlight
    card = json.dumps(
        digest_card(Lang.DA, await _compose(db), subscription_id=1, exports_url=None),
        ensure_ascii=False,
    )
    assert "Arbejdsulykker" in card and "EASY-fristen er overskredet: **1**" in card
    assert "Faldt på trappen" not in card
    only_small = await _section(db, frozenset({small}))
    assert {line.key: line.values["count"] for line in only_small.lines} == {
        "work_accident.digest.new": 1
    }


async def _compose(db: Database) -> Any:
    async with db.reading() as connection:
        return await compose(connection, scope_for(WEEK, MONDAY_0801))


async def test_a_week_without_accidents_has_no_section(db: Database) -> None:
    assert (await _section(db)).empty
