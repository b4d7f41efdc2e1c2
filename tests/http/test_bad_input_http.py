"""Bad input over HTTP (issue 20, item 5): each case gets the form back with the field's
error, a clear notice or a clean 400, the same on SQLite and PostgreSQL; never the apology
for a failed turn, and nothing stored half or wrong."""

from __future__ import annotations

import json
from typing import Any

import pytest
from sqlalchemy import func, select, update

from storage.lone_work_models import LoneWorkRequest
from storage.models import Unit
from storage.near_miss_models import NearMissAction, NearMissReport
from storage.wellbeing_models import WellbeingAnnualDiscussion, WellbeingDialogue
from tests.http.test_lone_work_http import LISE, MAJA, _day, _setup, form
from tests.support import near_miss as near_miss
from tests.support import wellbeing as wellbeing
from tests.support.databases import orm_session, orm_transaction
from tests.support.fake_connector import Sent
from tests.support.teams import BotUnderTest

APOLOGY = ("Beklager, noget gik galt", "Sorry, something went wrong")
PICK_FROM_LIST = "Vælg en enhed fra listen."
OUT_OF_RANGE = [str(2**70), str(2**40), "-1", "0"]


def _shown(sent: list[Sent]) -> str:
    return " ".join(item.text + " " + item.card_text() for item in sent)


def _no_apology(shown: str) -> None:
    assert not any(apology in shown for apology in APOLOGY), shown


async def _count(bot: BotUnderTest, model: Any) -> int:
    assert bot.runtime is not None
    async with orm_session(bot.runtime.db) as session:
        return int(await session.scalar(select(func.count()).select_from(model)) or 0)


# -- unit ids ------------------------------------------------------------------------------------


@pytest.mark.parametrize("unit_id", [*OUT_OF_RANGE, "99999"])
async def test_lone_work_with_a_unit_not_on_the_list_gets_the_form_back(
    bot: BotUnderTest, unit_id: str
) -> None:
    kemi = await _setup(bot)
    await bot.say(MAJA, "alenearbejde")
    reply = _shown(await bot.submit(MAJA, form(kemi, unit_id=unit_id)))
    _no_apology(reply)
    assert "Anmod om godkendelse af alenearbejde" in reply
    assert "Tjek din anmodning" not in reply
    assert PICK_FROM_LIST in reply or "Vælg din enhed." in reply
    send = _shown(await bot.submit(MAJA, {"action": "lone_work.form.send"}))
    _no_apology(send)
    assert await _count(bot, LoneWorkRequest) == 0


async def test_a_unit_closed_between_summary_and_send_brings_the_form_back(
    bot: BotUnderTest,
) -> None:
    kemi = await _setup(bot)
    await bot.say(MAJA, "alenearbejde")
    summary = _shown(await bot.submit(MAJA, form(kemi)))
    assert "Tjek din anmodning" in summary
    assert bot.runtime is not None
    async with orm_transaction(bot.runtime.db) as session:
        await session.execute(update(Unit).where(Unit.id == kemi).values(active=False))
    reply = _shown(await bot.submit(MAJA, {"action": "lone_work.form.send"}))
    _no_apology(reply)
    assert PICK_FROM_LIST in reply and "Anmod om godkendelse af alenearbejde" in reply
    assert await _count(bot, LoneWorkRequest) == 0
    assert not [item for item in bot.connector.messages() if item.conversation_id == LISE.chat_id]


@pytest.mark.parametrize("unit_id", [*OUT_OF_RANGE, "99999"])
async def test_near_miss_with_a_unit_not_on_the_list_gets_the_form_back(
    bot: BotUnderTest, unit_id: str
) -> None:
    kemi = await near_miss.setup(bot)
    await bot.say(near_miss.REPORTER, "nærved")
    reply = _shown(
        await bot.submit(near_miss.REPORTER, {**near_miss.form(kemi), "unit_id": unit_id})
    )
    _no_apology(reply)
    assert "Meld en nærved-hændelse" in reply
    assert PICK_FROM_LIST in reply or "Vælg enheden." in reply
    assert await _count(bot, NearMissReport) == 0


async def test_a_unit_closed_while_the_personal_data_check_waits_brings_the_form_back(
    bot: BotUnderTest,
) -> None:
    """The unit is read again in the transaction that stores the dialogue (the secretariat
    records for any unit, so the form comes back with the units still open)."""
    kemi, _ = await wellbeing.setup(bot)
    await bot.say(wellbeing.SECRETARIAT, "trivsel")
    flagged = wellbeing.dialogue(kemi, works_well="Spørg emil@uni.dk om ideen.")
    check = _shown(await bot.submit(wellbeing.SECRETARIAT, flagged))
    assert "emil@uni.dk" in check
    assert bot.runtime is not None
    async with orm_transaction(bot.runtime.db) as session:
        await session.execute(update(Unit).where(Unit.id == kemi).values(active=False))
    reply = _shown(await bot.submit(wellbeing.SECRETARIAT, {"action": "wellbeing.form.confirm"}))
    _no_apology(reply)
    assert PICK_FROM_LIST in reply and "Noter fra trivselsdialog" in reply
    assert await _count(bot, WellbeingDialogue) == 0


async def test_an_annual_discussion_for_an_unknown_unit_gets_the_form_back(
    bot: BotUnderTest,
) -> None:
    kemi, _ = await wellbeing.setup(bot)
    year = wellbeing.today().year
    data = {
        "unit_id": "99999",
        "year": str(year),
        "held_on": wellbeing.day(-1),
        "participant_roles": "leader,work_env_rep",
        "goals_met": "yes",
        "goals_next_year": "Færre afbrydelser",
        "cooperation": "Møde hver måned",
        "competence_needs": "Ingen",
    }
    reply = await bot.invoke(wellbeing.SECRETARIAT, "wellbeing.amd.save", data)
    shown = wellbeing.text(wellbeing.card_of(reply))
    _no_apology(shown)
    assert PICK_FROM_LIST in shown
    assert await _count(bot, WellbeingAnnualDiscussion) == 0
    again = await bot.invoke(
        wellbeing.SECRETARIAT, "wellbeing.amd.save", {**data, "unit_id": str(kemi)}
    )
    assert wellbeing.card_of(again) and await _count(bot, WellbeingAnnualDiscussion) == 1


# -- ids in card actions -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("verb", "key"),
    [
        ("lone_work.approve", "request_id"),
        ("near_miss.acknowledge", "report_id"),
        ("wellbeing.item.done", "item_id"),
        ("checkin.ok", "session_id"),
        ("precursors.unit_status", "unit_id"),
        ("admin.role.remove", "assignment_id"),
    ],
)
async def test_card_ids_no_row_can_have_get_a_clear_answer(
    bot: BotUnderTest, verb: str, key: str
) -> None:
    """2^70 overflowed SQLite's integers and 2^40 PostgreSQL's; as text (Action.Submit) and
    as numbers (Action.Execute)."""
    kemi, _ = await wellbeing.setup(bot)
    for wrong in OUT_OF_RANGE:
        data: dict[str, Any] = {"unit_id": kemi, "assignment_id": 1, key: wrong}
        submitted = _shown(await bot.submit(wellbeing.ADMIN, {"action": verb, **data}))
        _no_apology(submitted)
        assert submitted.strip()
        for value in (wrong, int(wrong)):
            reply = await bot.invoke(wellbeing.ADMIN, verb, {**data, key: value})
            assert reply.status == 200, reply
            _no_apology(json.dumps(reply.body, ensure_ascii=False))


# -- text with control characters ----------------------------------------------------------------


async def test_nul_and_other_control_characters_are_removed_from_what_is_stored(
    bot: BotUnderTest,
) -> None:
    """PostgreSQL refused NUL where SQLite kept it; tab and line breaks stay."""
    kemi = await _setup(bot)
    await bot.say(MAJA, "alenearbejde")
    summary = _shown(await bot.submit(MAJA, form(kemi, task="Dest\x00illation\x07 af\tvæske\r\n")))
    assert "Tjek din anmodning" in summary and "\x00" not in summary
    _no_apology(_shown(await bot.submit(MAJA, {"action": "lone_work.form.send"})))
    assert bot.runtime is not None
    async with orm_session(bot.runtime.db) as session:
        task = await session.scalar(select(LoneWorkRequest.task))
    assert task == "Destillation af\tvæske"

    await bot.say(near_miss.REPORTER, "nærved")
    described = "Flaske\x00 med acetone\x1b stod åben\npå gulvet."
    receipt = _shown(
        await bot.submit(near_miss.REPORTER, near_miss.form(kemi, description=described))
    )
    _no_apology(receipt)
    assert "Tak for din indberetning" in receipt
    async with orm_session(bot.runtime.db) as session:
        description = await session.scalar(select(NearMissReport.description))
    assert description == "Flaske med acetone stod åben\npå gulvet."


# -- dates ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        (
            {"start_date": "9999-12-31", "end_date": "9999-12-31"},
            "Perioden skal slutte inden for 12 måneder fra i dag.",
        ),
        ({"end_date": "9999-12-31"}, "En periode kan højst vare 12 måneder."),
        ({"start_date": "0001-01-01", "start_time": "00:30"}, "højst vare 12 måneder"),
        ({"start_date": "0001-01-01", "end_date": "0001-01-01"}, "Perioden er allerede slut."),
        (
            {"start_date": _day(300), "end_date": _day(380)},
            "Perioden skal slutte inden for 12 måneder fra i dag.",
        ),
        (
            {
                "schedule": "recurring",
                "weekdays": "mon",
                "window_start": "17:00",
                "window_end": "20:00",
                "valid_from": "9999-12-01",
                "valid_to": "9999-12-31",
            },
            "Perioden skal slutte inden for 12 måneder fra i dag.",
        ),
        (
            {
                "schedule": "recurring",
                "weekdays": "mon",
                "window_start": "00:30",
                "window_end": "02:00",
                "valid_from": "0001-01-01",
                "valid_to": "0001-01-02",
            },
            "Perioden er allerede slut.",
        ),
    ],
)
async def test_a_lone_work_period_must_end_within_twelve_months(
    bot: BotUnderTest, changes: dict[str, str], message: str
) -> None:
    kemi = await _setup(bot)
    await bot.say(MAJA, "alenearbejde")
    reply = _shown(await bot.submit(MAJA, form(kemi, **changes)))
    _no_apology(reply)
    assert message in reply and "Tjek din anmodning" not in reply
    _no_apology(_shown(await bot.submit(MAJA, {"action": "lone_work.form.send"})))
    assert await _count(bot, LoneWorkRequest) == 0


# -- the request itself --------------------------------------------------------------------------


async def test_activities_without_channel_or_sender_get_a_clean_400(bot: BotUnderTest) -> None:
    for path in (("channelId",), ("from",), ("from", "id")):
        activity = bot.personal(MAJA, text="hjælp")
        holder = activity
        for name in path[:-1]:
            holder = holder[name]
        del holder[path[-1]]
        reply = await bot.post(activity)
        assert reply.status == 400, (path, reply)
        assert ("from.id" if path[0] == "from" else "channelId") in reply.body["error"]
    assert bot.connector.sent == []
    answered = await bot.say(MAJA, "hjælp")
    assert len(answered) == 1


def _nested(depth: int) -> str:
    return '{"x":' * depth + "1" + "}" * depth


@pytest.mark.parametrize("depth", [65, 1000])
async def test_json_nested_too_deep_gets_a_clean_400(bot: BotUnderTest, depth: int) -> None:
    """A card action and a card submit with their data nested `depth` levels deeper."""
    kemi = await _setup(bot)
    await bot.say(MAJA, "alenearbejde")
    bot.connector.clear()
    invoke = bot.personal(
        MAJA,
        type="invoke",
        name="adaptiveCard/action",
        value={
            "action": {"type": "Action.Execute", "verb": "lone_work.open", "data": {"x": "DEEP"}}
        },
    )
    submit = bot.personal(MAJA, value={**form(kemi), "x": "DEEP"}, replyToId="card-1")
    for activity in (invoke, submit):
        raw = json.dumps(activity).replace('"DEEP"', _nested(depth))
        reply = await bot.post_raw(raw.encode())
        assert reply.status == 400 and "nested" in reply.body["error"]
    assert bot.connector.sent == []
    summary = await bot.submit(MAJA, form(kemi))
    assert "Tjek din anmodning" in _shown(summary)


async def test_plan_dates_and_dialogue_dates_stay_within_five_years(bot: BotUnderTest) -> None:
    """An item's deadline in year 9999 overflowed the default follow-up date; a dialogue
    held in year 1 was stored."""
    kemi, _ = await wellbeing.setup(bot)
    await bot.say(wellbeing.LEADER, "trivsel")
    old = _shown(await bot.submit(wellbeing.LEADER, wellbeing.dialogue(kemi, held_on="0001-01-01")))
    assert "Vælg en dato inden for de seneste fem år." in old
    assert await _count(bot, WellbeingDialogue) == 0
    await wellbeing.record(bot, wellbeing.LEADER, kemi)
    [stored] = await wellbeing.dialogues(bot)
    for deadline, follow_up in (("9999-12-31", ""), (wellbeing.day(30), "9999-12-31")):
        row = wellbeing.row(deadline=deadline, follow_up=follow_up)
        reply = await bot.invoke(
            wellbeing.LEADER, "wellbeing.items.save", wellbeing.items(kemi, stored.id, row)
        )
        shown = wellbeing.text(wellbeing.card_of(reply))
        _no_apology(shown)
        assert "Vælg en dato inden for de næste fem år." in shown
    assert await wellbeing.action_items(bot) == []


async def test_a_corrective_action_due_in_year_9999_is_refused_with_its_field(
    bot: BotUnderTest,
) -> None:
    kemi = await near_miss.setup(bot)
    await near_miss.report(bot, near_miss.REPORTER, kemi)
    [stored] = await near_miss.reports(bot)
    await bot.invoke(near_miss.AMK, "near_miss.acknowledge", {"report_id": stored.id})
    action = {
        "report_id": stored.id,
        "action_description": "Sæt en hylde op ved stinkskabet",
        "action_owner": near_miss.OWNER.upn,
        "action_due": "9999-12-31",
    }
    reply = await bot.invoke(near_miss.AMK, "near_miss.action.add", action)
    shown = json.dumps(reply.body, ensure_ascii=False)
    _no_apology(shown)
    assert "Vælg en frist inden for de næste fem år." in shown
    assert bot.runtime is not None
    async with orm_session(bot.runtime.db) as session:
        assert await session.scalar(select(func.count()).select_from(NearMissAction)) == 0
