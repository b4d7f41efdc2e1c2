"""A near miss that turned out to be a work accident, over HTTP: reported as the accident from
the near-miss form's injury question (nothing stored as a near miss), or from a stored near
miss, which the accident is then linked to (only for people with a part in that near miss)."""

from __future__ import annotations

from typing import Any

from tests.support.card_nodes import walk
from tests.support.near_miss import form as near_miss_form
from tests.support.near_miss import reports as near_miss_reports
from tests.support.teams import BotUnderTest
from tests.support.work_accident import (
    AMK,
    INJURED,
    LEADER,
    OUTSIDER,
    accidents,
    cards_to,
    form,
    setup,
    submission_key,
    to,
    year,
)


def _inputs(card: dict[str, Any] | None) -> dict[str, dict[str, Any]]:
    return {
        node["id"]: node for node in walk(card) if str(node.get("type", "")).startswith("Input.")
    }


# -- a near miss that became an accident -------------------------------------------------------


async def test_a_near_miss_where_someone_was_hurt_becomes_the_accident_report(
    bot: BotUnderTest,
) -> None:
    kemi = await setup(bot)
    await bot.say(INJURED, "nærved")
    guardrail = await bot.submit(INJURED, near_miss_form(kemi, injured="yes"))
    assert "Meld den som arbejdsulykke" in guardrail[-1].card_text()
    opened = await bot.submit(INJURED, {"action": "near_miss.as_accident"})
    inputs = _inputs(opened[-1].card)
    assert "Meld en arbejdsulykke" in opened[-1].card_text()
    assert inputs["place"]["value"] == "Lyngby, 207, 112"
    assert inputs["description"]["value"].startswith("Flaske med acetone")
    assert inputs["unit_id"]["value"] == str(kemi)
    assert await near_miss_reports(bot) == []
    help_now = await bot.say(INJURED, "hjælp")
    assert "Meld en arbejdsulykke" in help_now[-1].card_text()
    sent = await bot.submit(
        INJURED,
        {
            **form(kemi, description=inputs["description"]["value"]),
            "submission_key": submission_key(opened),
        },
    )
    assert f"AU-{year()}-0001" in to(sent, INJURED)[-1].card_text()
    (stored,) = await accidents(bot)
    assert stored.near_miss_id is None and stored.description.startswith("Flaske med acetone")
    assert await near_miss_reports(bot) == []


async def test_a_stored_near_miss_that_became_an_accident_is_linked_to_it(
    bot: BotUnderTest,
) -> None:
    kemi = await setup(bot)
    await bot.say(INJURED, "nærved")
    await bot.submit(INJURED, near_miss_form(kemi, injured="yes"))
    receipt = await bot.submit(INJURED, {"action": "near_miss.record_anyway"})
    assert "Blev til en arbejdsulykke" in receipt[-1].card_text()
    assert bot.runtime is not None
    await bot.runtime.background.drain()
    (near_miss,) = await near_miss_reports(bot)
    (amk_card,) = cards_to(bot, AMK)
    (button,) = [
        node["data"]
        for node in walk(amk_card.card)
        if node.get("type") == "Action.Submit" and node.get("data", {}).get("action") == "menu.open"
    ]
    assert button == {
        "action": "menu.open",
        "flow": "work_accident",
        "start": {"near_miss_id": near_miss.id},
    }
    opened = await bot.submit(AMK, button)
    inputs = _inputs(opened[-1].card)
    assert inputs["place"]["value"] == "Lyngby, 207, 112"
    assert inputs["immediate_action"]["value"] == "Flasken blev lukket og sat på plads."
    sent = await bot.submit(
        AMK,
        {
            **form(kemi, reporter_role="amk", injured_email=INJURED.upn),
            "submission_key": submission_key(opened),
        },
    )
    assert f"First reported as near miss {near_miss.number}" in to(sent, AMK)[-1].card_text()
    (stored,) = await accidents(bot)
    assert stored.near_miss_id == near_miss.id
    await bot.runtime.background.drain()
    leader_text = cards_to(bot, LEADER)[-1].card_text()
    assert f"Først meldt som nærved-hændelse {near_miss.number}" in leader_text


async def test_someone_without_a_part_gets_an_empty_form_and_no_link(bot: BotUnderTest) -> None:
    kemi = await setup(bot)
    await bot.say(INJURED, "nærved")
    await bot.submit(INJURED, near_miss_form(kemi, injured="yes"))
    await bot.submit(INJURED, {"action": "near_miss.record_anyway"})
    (near_miss,) = await near_miss_reports(bot)
    opened = await bot.submit(
        OUTSIDER,
        {"action": "menu.open", "flow": "work_accident", "start": {"near_miss_id": near_miss.id}},
    )
    inputs = _inputs(opened[-1].card)
    assert "value" not in inputs["description"] and "value" not in inputs["place"]
    await bot.submit(
        OUTSIDER,
        {
            **form(kemi, reporter_role="amk", injured_email=INJURED.upn),
            "submission_key": submission_key(opened),
        },
    )
    (stored,) = await accidents(bot)
    assert stored.near_miss_id is None
