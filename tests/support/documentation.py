"""The secretariat's table of all units, read as a user reads it: each unit's row of signs,
duty by duty, over every page."""

from __future__ import annotations

import re
from typing import Any

from tests.support.card_nodes import walk
from tests.support.teams import BotUnderTest, User
from tests.support.wellbeing import card_of, text


def table_rows(card: Any) -> dict[str, list[str]]:
    """One page of the table: unit name → its signs, in the card's order."""
    (table,) = [node for node in walk(card) if node.get("type") == "Table"]
    rows: dict[str, list[str]] = {}
    for row in table["rows"][1:]:
        name, *signs = (cell["items"][0]["text"] for cell in row["cells"])
        rows[name] = signs
    return rows


async def all_units_table(bot: BotUnderTest, who: User) -> tuple[dict[str, list[str]], int]:
    """`who` writes "dokumentation" and pages through the table with **Næste**; the rows of
    every page in order, and how many pages there were."""
    [listed] = await bot.say(who, "dokumentation")
    rows = table_rows(listed.card)
    pages = 1
    counted = re.search(r"af (\d+)", text(listed.card))
    total = int(counted.group(1)) if counted else len(rows)
    while len(rows) < total:
        page = card_of(await bot.invoke(who, "documentation.all", {"page": pages}))
        rows.update(table_rows(page))
        pages += 1
    return rows, pages
