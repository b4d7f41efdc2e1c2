"""Work accidents over HTTP, each person in their own chat as in Teams: the report card, the
EASY deadline on the receipt and on the leader's card, and what the leader records."""

from __future__ import annotations

import asyncio
import json
from datetime import datetime, timedelta
from typing import Any

from domain.i18n import COPENHAGEN
from domain.work_accident import SupportOffers
from storage.work_accident_models import WorkAccident
from tests.conftest import DatabaseTarget
from tests.support.card_nodes import walk
from tests.support.fake_connector import FakeConnector
from tests.support.teams import BotUnderTest, Reply
from tests.support.work_accident import (
    AMK,
    INJURED,
    LEADER,
    OUTSIDER,
    SECRETARIAT,
    accidents,
    audit_events,
    cards_to,
    execute_verbs,
    form,
    report,
    setup,
    submission_key,
    to,
    today,
)

YEAR = datetime.now(COPENHAGEN).year


def _inputs(card: dict[str, Any] | None) -> dict[str, dict[str, Any]]:
    return {
        node["id"]: node for node in walk(card) if str(node.get("type", "")).startswith("Input.")
    }


def _danish(day: Any) -> str:
    return str(day.strftime("%d.%m.%Y"))


def _card(reply: Reply) -> dict[str, Any]:
    assert reply.status == 200, reply
    assert reply.body["type"] == "application/vnd.microsoft.card.adaptive"
    card: dict[str, Any] = reply.body["value"]
    return card


def _text(card: dict[str, Any]) -> str:
    return " ".join(
        str(value) for node in walk(card) for value in node.values() if isinstance(value, str)
    )


# -- the report card ---------------------------------------------------------------------------


async def test_the_word_opens_one_card_with_every_field(bot: BotUnderTest) -> None:
    await setup(bot)
    reply = await bot.say(INJURED, "arbejdsulykke")
    card = reply[-1].card
    inputs = _inputs(card)
    assert set(inputs) == {
        "injured_party",
        "reporter_role",
        "injured_email",
        "unit_id",
        "occurred_date",
        "occurred_time",
        "place",
        "description",
        "injury_kind",
        "absence",
        "absence_from",
        "claim",
        "immediate_action",
        "witnesses",
        "withhold_name",
        "wants_outcome",
    }
    assert inputs["withhold_name"]["type"] == "Input.Toggle"
    assert inputs["wants_outcome"]["type"] == "Input.Toggle"
    assert inputs["withhold_name"]["value"] == "false"
    assert [c["value"] for c in inputs["injured_party"]["choices"]] == [
        "employee",
        "student",
        "guest",
    ]
    assert [c["value"] for c in inputs["injury_kind"]["choices"]] == [
        "physical",
        "psychological",
        "both",
    ]
    assert [c["value"] for c in inputs["reporter_role"]["choices"]] == ["injured", "leader", "amk"]
    assert inputs["absence_from"]["type"] == "Input.Date"
    assert not inputs["witnesses"].get("isRequired")
    text = reply[-1].card_text()
    assert "Studerende og gæster anmeldes ikke i EASY" in text
    assert "universitetets egen ulykkesstatistik" in text
    english = await bot.say(AMK, "work accident")
    assert "Report a work accident" in english[-1].card_text()
    assert "Students and guests are not reported in EASY" in english[-1].card_text()


async def test_the_menu_and_help_offer_it(bot: BotUnderTest) -> None:
    await setup(bot)
    menu = await bot.say(INJURED, "menu")
    assert "Arbejdsulykke" in menu[-1].card_text()
    help_card = await bot.say(INJURED, "hjælp")
    assert "**arbejdsulykke**" in help_card[-1].card_text()
    opened = await bot.submit(INJURED, {"action": "menu.open", "flow": "work_accident"})
    assert "Meld en arbejdsulykke" in opened[-1].card_text()
    cancelled = await bot.say(INJURED, "annullér")
    assert "Meld en arbejdsulykke" in cancelled[-1].text
    assert await accidents(bot) == []


# -- the EASY deadline -------------------------------------------------------------------------


async def test_absence_is_due_in_easy_14_days_after_the_first_day_and_the_unit_is_told(
    bot: BotUnderTest,
) -> None:
    kemi = await setup(bot)
    first_day = today() + timedelta(days=1)
    sent = await report(bot, INJURED, kemi, absence_from=first_day.isoformat())
    receipt = to(sent, INJURED)[-1].card_text()
    due = first_day + timedelta(days=14)
    assert f"AU-{YEAR}-0001" in receipt
    assert "til Arbejdstilsynet og forsikringen/AES" in receipt
    assert f"senest **{_danish(due)}**" in receipt
    (stored,) = await accidents(bot)
    assert stored.easy_duty == "authority_and_insurer" and stored.easy_status == "pending"
    assert stored.easy_due == due and stored.absence_from == first_day
    assert stored.injured_id == stored.reporter_id is not None
    for user in (LEADER, AMK):
        (card,) = cards_to(bot, user)
        assert {"work_accident.filed", "work_accident.not_required"} <= execute_verbs(card.card)
    assert "work_accident.causes" in execute_verbs(cards_to(bot, AMK)[0].card)
    assert "work_accident.causes" not in execute_verbs(cards_to(bot, LEADER)[0].card)
    leader_text = cards_to(bot, LEADER)[0].card_text()
    for expected in ("Ida Skadet", "Skar mig på en knust kolbe", "Kemi", _danish(due)):
        assert expected in leader_text
    assert "Reported in EASY" in cards_to(bot, AMK)[0].card_text()
    assert cards_to(bot, OUTSIDER) == []
    (event,) = await audit_events(bot, "work_accident.report")
    recorded = json.dumps(event.after)
    assert "kolbe" not in recorded and "Lyngby" not in recorded and "skadestuen" not in recorded
    assert event.after is not None and event.after["easy_due"] == due.isoformat()


async def test_no_absence_but_a_possible_claim_goes_to_the_insurer_only(bot: BotUnderTest) -> None:
    kemi = await setup(bot)
    sent = await report(bot, INJURED, kemi, absence="no", absence_from="", claim="unsure")
    receipt = to(sent, INJURED)[-1].card_text()
    due = today() + timedelta(days=14)
    assert f"til forsikringen/AES senest **{_danish(due)}**" in receipt
    assert "ulykkesdagen" in receipt and "Arbejdstilsynet og" not in receipt
    (stored,) = await accidents(bot)
    assert (stored.easy_duty, stored.easy_due, stored.absence_from) == ("insurer", due, None)


async def test_no_absence_and_no_claim_is_recorded_without_an_easy_report(
    bot: BotUnderTest,
) -> None:
    kemi = await setup(bot)
    sent = await report(bot, INJURED, kemi, absence="no", absence_from="", claim="no")
    assert "Skal ikke anmeldes i EASY" in to(sent, INJURED)[-1].card_text()
    (stored,) = await accidents(bot)
    assert (stored.easy_status, stored.easy_due) == ("not_applicable", None)
    (card,) = cards_to(bot, LEADER)
    assert execute_verbs(card.card) == set()


async def test_a_student_is_recorded_for_the_statistics_not_in_easy(bot: BotUnderTest) -> None:
    kemi = await setup(bot)
    sent = await report(
        bot,
        AMK,
        kemi,
        injured_party="student",
        reporter_role="amk",
        claim="yes",
        injured_email="",
    )
    receipt = to(sent, AMK)[-1].card_text()
    assert "Students and guests are not reported in EASY" in receipt
    (stored,) = await accidents(bot)
    assert (stored.easy_duty, stored.easy_status, stored.easy_due) == (
        "not_employee",
        "not_applicable",
        None,
    )
    assert stored.injured_id is None and stored.injured_upn is None


async def test_a_report_by_the_leader_tells_the_injured_person(bot: BotUnderTest) -> None:
    kemi = await setup(bot)
    await report(bot, LEADER, kemi, reporter_role="leader", injured_email=INJURED.upn.upper())
    (stored,) = await accidents(bot)
    notices = [m.card_text() for m in cards_to(bot, INJURED)]
    assert len(notices) == 1
    assert "Lars Leder har meldt en arbejdsulykke, hvor du kom til skade" in notices[0]
    assert stored.number in notices[0]
    assert stored.injured_id is not None and stored.injured_id != stored.reporter_id


# -- mistakes ----------------------------------------------------------------------------------


async def test_mistakes_are_shown_under_their_fields_and_nothing_is_stored(
    bot: BotUnderTest,
) -> None:
    kemi = await setup(bot)
    opened = await bot.say(LEADER, "arbejdsulykke")
    key = submission_key(opened)
    tomorrow = today() + timedelta(days=1)
    wrong = form(
        kemi,
        reporter_role="leader",
        injured_email="",
        description="Kort",
        occurred_date=tomorrow.isoformat(),
        absence_from="",
        injury_kind="",
    )
    reply = await bot.submit(LEADER, {**wrong, "submission_key": key})
    card = reply[-1].card
    text = reply[-1].card_text()
    for expected in (
        "Beskriv, hvad der skete",
        "ude i fremtiden",
        "Skriv første fraværsdag",
        "Skriv e-mailen på den medarbejder",
        "Vælg, hvilken slags skade",
    ):
        assert expected in text, expected
    assert _inputs(card)["description"]["value"] == "Kort"
    assert _inputs(card)["place"]["value"] == "Lyngby, bygning 207, lab 112"
    assert await accidents(bot) == []
    same_day = await bot.submit(
        LEADER,
        {
            **form(kemi, absence_from=form(kemi)["occurred_date"]),
            "submission_key": submission_key(reply),
        },
    )
    assert "efter skadesdagen" in same_day[-1].card_text()
    assert await accidents(bot) == []
    fixed = await bot.submit(LEADER, {**form(kemi), "submission_key": submission_key(same_day)})
    assert f"AU-{YEAR}-0001" in to(fixed, LEADER)[-1].card_text()


async def test_the_card_sent_twice_stores_one_accident(bot: BotUnderTest) -> None:
    kemi = await setup(bot)
    opened = await bot.say(INJURED, "arbejdsulykke")
    value = {**form(kemi), "submission_key": submission_key(opened)}
    first = await bot.submit(INJURED, value)
    again = await bot.submit(INJURED, value)
    assert f"AU-{YEAR}-0001" in first[-1].card_text()
    assert f"AU-{YEAR}-0001" in again[-1].card_text()
    assert len(await accidents(bot)) == 1


# -- what the leader records -------------------------------------------------------------------


async def _reported(bot: BotUnderTest) -> WorkAccident:
    kemi = await setup(bot)
    await report(bot, INJURED, kemi)
    bot.connector.clear()
    (stored,) = await accidents(bot)
    return stored


async def test_the_leader_records_the_easy_report_once_and_every_copy_shows_it(
    bot: BotUnderTest,
) -> None:
    stored = await _reported(bot)
    missing = _card(
        await bot.invoke(
            LEADER, "work_accident.filed", {"accident_id": stored.id, "easy_reference": ""}
        )
    )
    assert "Skriv referencen fra EASY" in _text(missing)
    assert (await accidents(bot))[0].easy_status == "pending"
    done = _card(
        await bot.invoke(
            LEADER,
            "work_accident.filed",
            {
                "accident_id": stored.id,
                "easy_reference": "EASY-123456",
                "filed_on": today().isoformat(),
            },
        )
    )
    text = _text(done)
    assert "anmeldelsen i EASY er registreret" in text and "EASY-123456" in text
    assert execute_verbs(done) == set()
    (after,) = await accidents(bot)
    assert (after.easy_status, after.easy_reference, after.easy_filed_on) == (
        "filed",
        "EASY-123456",
        today(),
    )
    assert bot.runtime is not None
    await bot.runtime.background.drain()
    updates = [s for s in bot.connector.sent if s.method == "PUT"]
    assert {u.conversation_id for u in updates} == {LEADER.chat_id, AMK.chat_id}
    assert all("EASY-123456" in u.card_text() for u in updates)
    again = _card(
        await bot.invoke(
            AMK,
            "work_accident.not_required",
            {"accident_id": stored.id, "not_required_reason": "Ikke fravær alligevel"},
        )
    )
    assert "Lars Leder has already recorded it" in _text(again)
    assert (await accidents(bot))[0].easy_status == "filed"
    events = [e.action for e in await audit_events(bot, "work_accident.easy")]
    assert events == ["work_accident.easy.filed"]


async def test_no_report_needed_takes_a_reason_and_others_are_refused(bot: BotUnderTest) -> None:
    stored = await _reported(bot)
    refused = _card(
        await bot.invoke(
            OUTSIDER,
            "work_accident.not_required",
            {"accident_id": stored.id, "not_required_reason": "Det var ingenting"},
        )
    )
    assert "kun enhedens leder og AMK" in _text(refused)
    (event,) = await audit_events(bot, "work_accident.refused")
    assert event.actor is not None and event.after == {
        "attempt": "not_required",
        "reason": "not_allowed",
    }
    short = _card(
        await bot.invoke(
            AMK, "work_accident.not_required", {"accident_id": stored.id, "not_required_reason": ""}
        )
    )
    assert "Say briefly why no report is needed" in _text(short)
    done = _card(
        await bot.invoke(
            AMK,
            "work_accident.not_required",
            {
                "accident_id": stored.id,
                "not_required_reason": "Fraværet skyldtes ikke ulykken.",
            },
        )
    )
    assert "Fraværet skyldtes ikke ulykken." in _text(done)
    (after,) = await accidents(bot)
    assert after.easy_status == "not_required"
    assert after.not_required_reason == "Fraværet skyldtes ikke ulykken."
    (event,) = await audit_events(bot, "work_accident.easy")
    assert "skyldtes" not in json.dumps(event.after) and "skyldtes" not in json.dumps(event.before)


async def test_a_filing_date_in_the_future_is_refused(bot: BotUnderTest) -> None:
    stored = await _reported(bot)
    reply = _card(
        await bot.invoke(
            LEADER,
            "work_accident.filed",
            {
                "accident_id": stored.id,
                "easy_reference": "EASY-1",
                "filed_on": (today() + timedelta(days=1)).isoformat(),
            },
        )
    )
    assert "kan ikke ligge efter i dag" in _text(reply)
    assert (await accidents(bot))[0].easy_status == "pending"


# -- psychological accidents -------------------------------------------------------------------


async def test_a_psychological_accident_is_confidential_and_the_name_can_be_kept_from_the_amk(
    bot: BotUnderTest,
) -> None:
    kemi = await setup(bot)
    sent = await report(
        bot,
        INJURED,
        kemi,
        injury_kind="psychological",
        description="Blev truet af en gæst i laboratoriet og har svært ved at sove.",
        withhold_name="true",
        absence="no",
        absence_from="",
    )
    receipt = to(sent, INJURED)[-1].card_text()
    assert "behandles fortroligt" in receipt
    assert "krisehjælp og samtaler med en psykolog" in receipt
    (stored,) = await accidents(bot)
    assert stored.name_withheld and stored.follow_up_by == today() + timedelta(days=7)
    (leader_card,) = cards_to(bot, LEADER)
    assert "Ida Skadet" in leader_card.card_text() and "Fortroligt" in leader_card.card_text()
    assert "work_accident.followed_up" in execute_verbs(leader_card.card)
    (amk_card,) = cards_to(bot, AMK)
    amk_text = json.dumps(amk_card.card)
    assert "Ida" not in amk_text and "ida.skadet" not in amk_text
    assert "Name not shown to the AMK" in amk_card.card_text()
    assert "Confidential" in amk_card.card_text()
    assert "work_accident.followed_up" not in execute_verbs(amk_card.card)
    assert cards_to(bot, SECRETARIAT) == [] and cards_to(bot, OUTSIDER) == []
    reads = await audit_events(bot, "work_accident.read")
    assert bot.runtime is not None
    readers = sorted(str(event.actor) for event in reads)
    assert len(readers) == 2 and all(event.after == {"via": "announce"} for event in reads)
    assert "Blev truet" not in json.dumps([event.after for event in reads])


async def test_every_read_of_a_psychological_accident_is_audited_and_the_follow_up_is_the_leaders(
    bot: BotUnderTest,
) -> None:
    kemi = await setup(bot)
    await report(
        bot, LEADER, kemi, reporter_role="leader", injured_email=INJURED.upn, injury_kind="both"
    )
    (stored,) = await accidents(bot)
    notice = cards_to(bot, INJURED)[-1].card_text()
    assert "krisehjælp" in notice and "behandles fortroligt" in notice
    refused = _card(await bot.invoke(AMK, "work_accident.followed_up", {"accident_id": stored.id}))
    assert "The leader records the follow-up" in _text(refused)
    done = _card(await bot.invoke(LEADER, "work_accident.followed_up", {"accident_id": stored.id}))
    assert "opfølgningen er registreret" in _text(done)
    assert "Lars Leder har fulgt op" in _text(done)
    assert "work_accident.followed_up" not in execute_verbs(done)
    again = _card(await bot.invoke(LEADER, "work_accident.followed_up", {"accident_id": stored.id}))
    assert "allerede registreret" in _text(again)
    assert bot.runtime is not None
    await bot.runtime.background.drain()
    vias = sorted(
        str((event.after or {}).get("via"))
        for event in await audit_events(bot, "work_accident.read")
    )
    # The announcement to both, the notice to the injured person, each click of the leader,
    # and both copies updated once.
    assert vias == [
        "announce",
        "announce",
        "follow_up",
        "follow_up",
        "injured_notice",
        "update",
        "update",
    ]
    followed = await audit_events(bot, "work_accident.followed_up")
    assert len(followed) == 1
    (after,) = await accidents(bot)
    assert after.followed_up_at is not None


async def test_a_physical_accident_leaves_no_read_events(bot: BotUnderTest) -> None:
    kemi = await setup(bot)
    sent = await report(bot, INJURED, kemi)
    assert "fortroligt" not in to(sent, INJURED)[-1].card_text()
    assert await audit_events(bot, "work_accident.read") == []
    (stored,) = await accidents(bot)
    assert stored.follow_up_by is None and not stored.name_withheld


async def test_the_configured_support_offers_are_shown(
    database_target: DatabaseTarget, connector: FakeConnector
) -> None:
    offers = SupportOffers(
        da="Ring til krisepsykologen på 70 20 00 00.", en="Call the crisis line on 70 20 00 00."
    )
    bot = BotUnderTest(database_target, connector, admin_upns=set(), work_accident_support=offers)
    await bot.start()
    try:
        kemi = await setup(bot)
        danish = await report(bot, INJURED, kemi, injury_kind="psychological")
        assert "Ring til krisepsykologen" in to(danish, INJURED)[-1].card_text()
        english = await report(
            bot,
            AMK,
            kemi,
            injury_kind="psychological",
            reporter_role="amk",
            injured_email=INJURED.upn,
        )
        assert "Call the crisis line" in to(english, AMK)[-1].card_text()
    finally:
        await bot.stop()


async def test_two_clicks_at_once_record_the_easy_report_once(bot: BotUnderTest) -> None:
    stored = await _reported(bot)
    data = {
        "accident_id": stored.id,
        "easy_reference": "EASY-555",
        "filed_on": today().isoformat(),
    }
    replies = await asyncio.gather(
        bot.invoke(LEADER, "work_accident.filed", data),
        bot.invoke(AMK, "work_accident.filed", data),
    )
    texts = [_text(_card(reply)) for reply in replies]
    recorded = [
        text
        for text in texts
        if "report in EASY is recorded" in text or "anmeldelsen i EASY er registreret" in text
    ]
    already = [
        text for text in texts if "already recorded" in text or "allerede registreret" in text
    ]
    assert len(recorded) == 1 and len(already) == 1
    assert "Lars Leder" in already[0] or "Per Koordinator" in already[0]
    events = await audit_events(bot, "work_accident.easy")
    assert [event.action for event in events] == ["work_accident.easy.filed"]
