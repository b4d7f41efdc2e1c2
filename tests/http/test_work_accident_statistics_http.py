"""The KAMU statistics of accidents reported over HTTP: an accident counts in the quarter of
its Copenhagen day (30 September 23:30 and 1 October 00:30 are both 30 September in UTC), the
leader's EASY filing gives the days to filing and whether it was on time, and a unit with
fewer than three accidents shows no psychological one."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from sqlalchemy import select

from services.work_accident_export import export_year
from storage.models import Unit
from tests.support.databases import orm_session
from tests.support.teams import BotUnderTest
from tests.support.work_accident import AMK, INJURED, LEADER, accidents, report, setup


def _rows(sheet: Any) -> dict[str, dict[str, Any]]:
    values = list(sheet.iter_rows(values_only=True))
    header = values[0]
    rows = [dict(zip(header, row, strict=True)) for row in values[1:] if row and row[0]]
    return {str(row["Enhed"]): row for row in rows if row.get("Ulykker") is not None}


async def _unit_id(bot: BotUnderTest, name: str) -> int:
    assert bot.runtime is not None
    async with orm_session(bot.runtime.db) as session:
        return int((await session.execute(select(Unit.id).where(Unit.name == name))).scalar_one())


async def test_quarters_in_copenhagen_time_and_easy_on_time(
    bot: BotUnderTest, tmp_path: Path
) -> None:
    kemi = await setup(bot)
    fysik = await _unit_id(bot, "Fysik")
    moments = [
        ("2026-03-31", "23:30", {"absence_from": "2026-04-01"}),  # Q1, due 15 April
        ("2026-04-01", "00:30", {"absence": "no", "absence_from": "", "claim": "yes"}),  # Q2
        ("2026-09-30", "23:30", {"absence_from": "2026-10-02"}),  # Q3, due 16 October
        ("2026-10-01", "00:30", {"absence": "no", "absence_from": "", "injury_kind": "both"}),
    ]
    for day, clock, changes in moments:
        await report(bot, INJURED, kemi, occurred_date=day, occurred_time=clock, **changes)
    await report(
        bot,
        AMK,
        fysik,
        reporter_role="amk",
        injured_email=LEADER.upn,
        injury_kind="psychological",
        absence="no",
        absence_from="",
    )
    stored = {accident.occurred_at.isoformat(): accident for accident in await accidents(bot)}
    assert "2026-09-30T21:30:00+00:00" in stored and "2026-09-30T22:30:00+00:00" in stored
    march, _, september, _, _ = sorted(stored.values(), key=lambda accident: accident.id)
    for accident, filed_on in ((march, "2026-04-10"), (september, "2026-10-20")):
        reply = await bot.invoke(
            LEADER,
            "work_accident.filed",
            {"accident_id": accident.id, "easy_reference": "EASY-1", "filed_on": filed_on},
        )
        assert reply.status == 200

    out = tmp_path / "ulykker.xlsx"
    assert bot.runtime is not None
    assert await export_year(bot.runtime.db, 2026, out) == 5
    workbook = load_workbook(out)
    figures = _rows(workbook["Statistik"])
    assert list(figures) == ["Kemi", "Hele universitetet"]
    kemi_row, total = figures["Kemi"], figures["Hele universitetet"]
    assert [kemi_row[f"{q}. kvartal"] for q in (1, 2, 3, 4)] == [1, 1, 1, 1]
    assert (kemi_row["Fysiske"], kemi_row["Psykiske"], kemi_row["Fysiske og psykiske"]) == (
        3,
        0,
        1,
    )
    assert (kemi_row["Med fravær"], kemi_row["Uden fravær"]) == (2, 2)
    # the claim-only one (due 15 April) was never filed: overdue
    assert kemi_row["Skal anmeldes i EASY"] == 3 and kemi_row["Anmeldt i EASY"] == 2
    assert kemi_row["Heraf rettidigt"] == 1 and kemi_row["Fristen overskredet, ikke anmeldt"] == 1
    assert kemi_row["Median dage til anmeldelse"] == (9 + 18) / 2
    assert total["Ulykker"] == 4 and total["Psykiske"] == 0
    register = list(workbook["Arbejdsulykker"].iter_rows(min_row=2, values_only=True))
    quarters = sorted(str(row[3]) for row in register)
    assert quarters == [
        "1. kvt. 2026",
        "2. kvt. 2026",
        "3. kvt. 2026",
        "4. kvt. 2026",
        "4. kvt. 2026",
    ]
    filed = [row for row in register if row[17] is not None]
    assert sorted(row[17] for row in filed) == [datetime(2026, 4, 10), datetime(2026, 10, 20)]
