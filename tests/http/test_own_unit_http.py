"""An employee's own unit, remembered from the last unit they sent a request for: the next
form starts there, and "handlingsplan" opens that unit's plan at once."""

from __future__ import annotations

from typing import Any

from tests.http.test_lone_work_http import MAJA, _request, _setup
from tests.support.card_nodes import walk
from tests.support.teams import BotUnderTest


def _unit_input(card: dict[str, Any] | None) -> dict[str, Any]:
    assert card is not None
    return next(node for node in walk(card) if node.get("id") == "unit_id")


async def test_the_next_form_starts_at_the_unit_of_the_last_request(bot: BotUnderTest) -> None:
    kemi = await _setup(bot)
    [first] = await bot.say(MAJA, "alenearbejde")
    assert "value" not in _unit_input(first.card)
    await _request(bot, kemi)
    await bot.say(MAJA, "annullér")
    [again] = await bot.say(MAJA, "alenearbejde")
    assert _unit_input(again.card)["value"] == str(kemi)


async def test_the_action_plan_opens_at_the_employees_own_unit(bot: BotUnderTest) -> None:
    kemi = await _setup(bot)
    [picker] = await bot.say(MAJA, "handlingsplan")
    assert "Hvilken enheds handlingsplan?" in picker.card_text()
    await _request(bot, kemi)
    [plan] = await bot.say(MAJA, "handlingsplan")
    assert "Handlingsplan – Kemi" in plan.card_text()
    assert "wellbeing.plan.pick" in plan.card_text()
