"""Instruction and training in the secretariat's documentation workbook and the weekly
digest: counts per unit only (never a record or a person), with the unit's lone-work
approvals whose requester has no matching record highlighted."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

from openpyxl import load_workbook
from sqlalchemy import select

from domain.digest import iso_week, scope_for
from domain.i18n import Lang, t
from services.digest_sections import compose
from services.documentation_export import export_overview
from storage.lone_work_models import LoneWorkRequest
from tests.http.test_lone_work_http import LISE, MAJA, _request, _setup
from tests.http.test_lone_work_training_http import record
from tests.support.databases import orm_session
from tests.support.teams import BotUnderTest
from tests.support.wellbeing import day

SHEET = "Instruktion og oplæring"
UNTRAINED = "Godkendt alenearbejde uden registreret instruktion eller oplæring"


async def _workbook(bot: BotUnderTest, out: Path) -> dict[str, list[object]]:
    assert bot.runtime is not None
    await export_overview(bot.runtime.db, out)
    workbook = load_workbook(out)
    rows = list(workbook[SHEET].iter_rows(values_only=True))
    everything = " ".join(
        str(value)
        for sheet in workbook.worksheets
        for row in sheet.iter_rows(values_only=True)
        for value in row
        if value is not None
    )
    for private in ("Maja", MAJA.upn, "Brandslukning", "Destillation", "Lise Leder"):
        assert private not in everything, private
    return {"header": list(rows[0]), **{str(row[0]): list(row[1:]) for row in rows[1:]}}


async def _digest_lines(bot: BotUnderTest) -> list[str]:
    assert bot.runtime is not None
    now = datetime.now(UTC)
    async with bot.runtime.db.reading() as connection:
        content = await compose(connection, scope_for(iso_week(now), now))
    section = next(s for s in content.sections if s.flow == "documentation")
    return [t(Lang.DA, line.key, **line.values) for line in section.lines]


async def test_the_workbook_and_digest_count_approved_lone_work_without_training(
    bot: BotUnderTest, tmp_path: Path
) -> None:
    kemi = await _setup(bot)
    await bot.invoke(LISE, "training.record", record(kemi, "Brandslukning", -400))
    await bot.invoke(LISE, "training.record", record(kemi, "Brandslukning", -10))
    await _request(bot, kemi)
    assert bot.runtime is not None
    async with orm_session(bot.runtime.db) as session:
        request = (await session.execute(select(LoneWorkRequest))).scalar_one()
    await bot.invoke(LISE, "lone_work.approve", {"request_id": request.id})

    sheet = await _workbook(bot, tmp_path / "before.xlsx")
    assert sheet["header"] == [
        "Enhed",
        "Registreringer i alt",
        "Personer med registreringer",
        "Markeret som alenearbejde",
        "Seneste 12 måneder",
        "Seneste registrering",
        "Godkendt alenearbejde",
        "Heraf uden registreret oplæring",
    ]
    newest = datetime.combine(date.fromisoformat(day(-10)), datetime.min.time())
    assert sheet["Kemi"] == [2, 1, 0, 1, newest, 1, 1]
    assert sheet["Fysik"] == [0, 0, 0, 0, None, 0, 0]
    grid = load_workbook(tmp_path / "before.xlsx")[SHEET]
    kemi_row = next(row for row in grid.iter_rows(min_row=2) if row[0].value == "Kemi")
    assert kemi_row[7].fill.fgColor.rgb.endswith("FFC7CE"), "the gap stands out"
    assert f"{UNTRAINED}: **1** – Kemi 1" in await _digest_lines(bot)

    await bot.invoke(
        LISE, "training.record", record(kemi, "Sikkert alenearbejde", -1, lone_work="true")
    )
    sheet = await _workbook(bot, tmp_path / "after.xlsx")
    assert sheet["Kemi"][:4] == [3, 1, 1, 2] and sheet["Kemi"][5:] == [1, 0]
    assert not any(line.startswith(UNTRAINED) for line in await _digest_lines(bot))
