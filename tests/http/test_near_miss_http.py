"""Near-miss reporting and follow-up over HTTP, each person in their own chat as in Teams."""

from __future__ import annotations

import asyncio
import json
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select

from domain.i18n import COPENHAGEN
from storage.models import AuditEvent, Person, Unit
from storage.near_miss_models import NearMissAction, NearMissReport
from tests.support.card_nodes import walk
from tests.support.databases import orm_session, orm_transaction
from tests.support.near_miss import (
    AMK,
    AMK2,
    INVESTIGATOR,
    OUTSIDER,
    OWNER,
    REPORTER,
    SECRETARIAT,
    form,
    report,
    reports,
    setup,
    text_of,
    to,
    verbs,
)
from tests.support.teams import BotUnderTest, Reply, User

YEAR = datetime.now(COPENHAGEN).year


def _inputs(card: dict[str, Any] | None) -> dict[str, dict[str, Any]]:
    return {
        node["id"]: node for node in walk(card) if str(node.get("type", "")).startswith("Input.")
    }


def _card(reply: Reply) -> dict[str, Any]:
    assert reply.status == 200, reply
    assert reply.body["statusCode"] == 200
    assert reply.body["type"] == "application/vnd.microsoft.card.adaptive"
    card: dict[str, Any] = reply.body["value"]
    return card


async def _audit(bot: BotUnderTest, action: str) -> list[AuditEvent]:
    assert bot.runtime is not None
    async with orm_session(bot.runtime.db) as session:
        return list(
            (await session.scalars(select(AuditEvent).where(AuditEvent.action == action))).all()
        )


async def _person_id(bot: BotUnderTest, user: User) -> int:
    assert bot.runtime is not None
    async with orm_session(bot.runtime.db) as session:
        return int(
            (
                await session.execute(select(Person.id).where(Person.aad_object_id == user.aad))
            ).scalar_one()
        )


async def _status(bot: BotUnderTest) -> str:
    return (await reports(bot))[-1].status


async def _drained(bot: BotUnderTest) -> None:
    assert bot.runtime is not None
    await bot.runtime.background.drain()


def _due(days: int) -> str:
    return (datetime.now(COPENHAGEN).date() + timedelta(days=days)).isoformat()


# -- reporting ---------------------------------------------------------------------------------


async def test_the_word_opens_one_form_with_every_field(bot: BotUnderTest) -> None:
    await setup(bot)
    reply = await bot.say(REPORTER, "nærved")
    card = reply[-1].card
    inputs = _inputs(card)
    assert set(inputs) == {
        "occurred_date",
        "occurred_time",
        "unit_id",
        "campus",
        "building",
        "room",
        "description",
        "category",
        "severity",
        "injured",
        "immediate_action",
        "prevention",
        "photo_url",
        "anonymous",
    }
    assert inputs["occurred_date"]["type"] == "Input.Date"
    assert inputs["occurred_date"]["value"] == datetime.now(COPENHAGEN).date().isoformat()
    assert inputs["occurred_time"]["type"] == "Input.Time"
    assert inputs["anonymous"]["type"] == "Input.Toggle"
    assert len(inputs["category"]["choices"]) == 13
    assert len(inputs["severity"]["choices"]) == 4
    assert all(node.get("style") != "filtered" for node in walk(card))
    text = reply[-1].card_text()
    assert "Anonymt betyder anonymt" in text and "ingen kan spørge dig" in text
    english = await bot.say(AMK2, "near miss")
    assert "Report a near miss" in english[-1].card_text()


async def test_a_unit_renamed_or_closed_shows_so_in_the_next_form(bot: BotUnderTest) -> None:
    """The forms' unit list is built once per list read: a change must still show at once."""
    await setup(bot)
    assert bot.runtime is not None

    def unit_titles(reply: list[Reply]) -> set[str]:
        choices = _inputs(reply[-1].card)["unit_id"]["choices"]
        return {str(choice["title"]) for choice in choices}

    before = unit_titles(await bot.say(REPORTER, "nærved"))
    await bot.say(REPORTER, "annullér")
    renamed, closed = sorted(before)[:2]
    async with orm_transaction(bot.runtime.db) as session:
        units = {unit.name: unit for unit in (await session.scalars(select(Unit))).all()}
        units[renamed].name = "Omdøbt Enhed"
        units[closed].active = False
    after = unit_titles(await bot.say(REPORTER, "nærved"))
    assert after == (before - {renamed, closed}) | {"Omdøbt Enhed"}


async def test_the_menu_button_opens_the_form(bot: BotUnderTest) -> None:
    await setup(bot)
    reply = await bot.submit(REPORTER, {"action": "menu.open", "flow": "near_miss"})
    assert "Meld en nærved-hændelse" in reply[-1].card_text()


async def test_a_named_report_gets_a_number_and_reaches_the_amk(bot: BotUnderTest) -> None:
    kemi = await setup(bot)
    sent = await report(bot, REPORTER, kemi)
    receipt = to(sent, REPORTER)[-1].card_text()
    assert f"NM-{YEAR}-0001" in receipt and "Du hører fra mig" in receipt
    stored = (await reports(bot))[0]
    assert stored.number == f"NM-{YEAR}-0001" and stored.status == "reported"
    assert stored.reporter_id == await _person_id(bot, REPORTER) and not stored.anonymous
    assert stored.description.startswith("Flaske med acetone") and stored.campus == "Lyngby"
    amk_cards = [m for m in to(bot.connector.messages(), AMK) if m.card]
    assert len(amk_cards) == 1
    card = amk_cards[0].card
    assert verbs(card) == {"near_miss.acknowledge", "near_miss.assign"}
    assert card is not None and card["refresh"]["userIds"] == [AMK.teams_id]
    text = amk_cards[0].card_text()
    for expected in ("Mette Reporter", "Flaske med acetone", "Lyngby, 207, 112", "Kemi"):
        assert expected in text
    (event,) = await _audit(bot, "near_miss.report")
    assert event.actor == f"person:{stored.reporter_id}"


async def test_numbers_run_on_within_the_year(bot: BotUnderTest) -> None:
    kemi = await setup(bot)
    await report(bot, REPORTER, kemi)
    second = await report(bot, OUTSIDER, kemi, anonymous="true")
    assert f"NM-{YEAR}-0002" in to(second, OUTSIDER)[-1].card_text()
    assert [r.number for r in await reports(bot)] == [f"NM-{YEAR}-0001", f"NM-{YEAR}-0002"]


async def test_errors_are_shown_and_what_was_typed_is_kept(bot: BotUnderTest) -> None:
    kemi = await setup(bot)
    await bot.say(REPORTER, "nærved")
    tomorrow = datetime.now(COPENHAGEN) + timedelta(days=1)
    reply = await bot.submit(
        REPORTER,
        form(
            kemi,
            description="Kort",
            occurred_date=tomorrow.date().isoformat(),
            photo_url="fotos på drevet",
            category="",
        ),
    )
    card = reply[-1].card
    text = reply[-1].card_text()
    assert "Beskriv hvad der skete" in text
    assert "ude i fremtiden" in text
    assert "https://" in text
    assert "Vælg hvad det drejede sig om" in text
    inputs = _inputs(card)
    assert inputs["description"]["value"] == "Kort"
    assert (
        inputs["campus"]["value"] == "Lyngby" and inputs["photo_url"]["value"] == "fotos på drevet"
    )
    assert await reports(bot) == []
    fixed = to(await bot.submit(REPORTER, form(kemi)), REPORTER)
    assert "NM-" in fixed[-1].card_text()


async def test_someone_hurt_explains_easy_and_records_only_if_asked(bot: BotUnderTest) -> None:
    kemi = await setup(bot)
    await bot.say(REPORTER, "nærved")
    warning = await bot.submit(REPORTER, form(kemi, injured="yes"))
    text = warning[-1].card_text()
    assert "arbejdsulykke" in text and "EASY" in text and "14 dage efter første fraværsdag" in text
    # Who receives what: with absence both, with a possible claim only the insurer.
    assert "til Arbejdstilsynet og forsikringen/AES senest 14 dage efter første fraværsdag" in text
    assert "til forsikringen/AES senest 14 dage efter ulykkesdagen" in text
    assert await reports(bot) == []
    recorded = to(await bot.submit(REPORTER, {"action": "near_miss.record_anyway"}), REPORTER)
    assert "NM-" in recorded[-1].card_text() and "EASY" in recorded[-1].card_text()
    (stored,) = await reports(bot)
    assert stored.injury is True


async def test_someone_hurt_can_go_back_and_edit(bot: BotUnderTest) -> None:
    kemi = await setup(bot)
    await bot.say(REPORTER, "nærved")
    await bot.submit(REPORTER, form(kemi, injured="yes", campus="Risø"))
    back = await bot.submit(REPORTER, {"action": "near_miss.edit"})
    inputs = _inputs(back[-1].card)
    assert inputs["campus"]["value"] == "Risø" and inputs["injured"]["value"] == "yes"
    done = to(await bot.submit(REPORTER, form(kemi, campus="Risø")), REPORTER)
    assert "NM-" in done[-1].card_text()
    (stored,) = await reports(bot)
    assert stored.campus == "Risø" and stored.injury is False


async def test_cancel_stores_nothing(bot: BotUnderTest) -> None:
    kemi = await setup(bot)
    await bot.say(REPORTER, "nærved")
    await bot.submit(REPORTER, form(kemi, injured="yes"))
    cancelled = await bot.submit(REPORTER, {"action": "near_miss.cancel"})
    assert "annulleret" in cancelled[-1].text
    await bot.say(REPORTER, "nærved")
    cancelled = await bot.submit(REPORTER, {"action": "near_miss.cancel"})
    assert "Intet er gemt" in cancelled[-1].text
    assert await reports(bot) == []


async def test_the_same_card_sent_twice_is_stored_once(bot: BotUnderTest) -> None:
    kemi = await setup(bot)
    await bot.say(REPORTER, "nærved")
    value = form(kemi)
    first = to(await bot.submit(REPORTER, value), REPORTER)
    again = to(await bot.submit(REPORTER, value), REPORTER)
    assert "NM-" in first[-1].card_text()
    assert "ikke aktivt længere" in again[-1].text
    assert len(await reports(bot)) == 1


async def test_two_clicks_at_the_same_moment_store_one_report(bot: BotUnderTest) -> None:
    kemi = await setup(bot)
    await bot.say(REPORTER, "nærved")
    value = form(kemi)
    await asyncio.gather(
        bot.post(bot.personal(REPORTER, value=value)), bot.post(bot.personal(REPORTER, value=value))
    )
    await _drained(bot)
    assert len(await reports(bot)) == 1
    assert len(await _audit(bot, "near_miss.report")) == 1
    assert len([m for m in to(bot.connector.messages(), AMK) if m.card]) == 1
    receipts = [m for m in to(bot.connector.messages(), REPORTER) if "NM-" in m.card_text()]
    assert receipts and all(f"NM-{YEAR}-0001" in m.card_text() for m in receipts)


async def test_a_half_filled_report_survives_a_restart(bot: BotUnderTest) -> None:
    kemi = await setup(bot)
    await bot.say(REPORTER, "nærved")
    await bot.restart()
    done = to(await bot.submit(REPORTER, form(kemi)), REPORTER)
    assert "NM-" in done[-1].card_text()


async def test_a_unit_without_amk_reaches_the_secretariat(bot: BotUnderTest) -> None:
    kemi = await setup(bot, amks=(), secretariat=(SECRETARIAT,))
    await report(bot, REPORTER, kemi)
    (card,) = [m for m in to(bot.connector.messages(), SECRETARIAT) if m.card]
    assert "near_miss.acknowledge" in verbs(card.card)


async def test_an_english_speaking_amk_gets_english(bot: BotUnderTest) -> None:
    kemi = await setup(bot, amks=(AMK, AMK2))
    await report(bot, REPORTER, kemi)
    (card,) = [m for m in to(bot.connector.messages(), AMK2) if m.card]
    assert "A new near miss has been reported in Kemi" in card.card_text()
    assert "Hazardous substances" in card.card_text()


# -- the AMK's card actions --------------------------------------------------------------------


async def test_acknowledge_answers_with_the_updated_card_and_tells_the_reporter(
    bot: BotUnderTest,
) -> None:
    kemi = await setup(bot, amks=(AMK, AMK2))
    await report(bot, REPORTER, kemi)
    report_id = (await reports(bot))[0].id
    bot.connector.clear()
    reply = await bot.invoke(AMK, "near_miss.acknowledge", {"report_id": report_id})
    card = _card(reply)
    assert "Du har kvitteret for modtagelsen" in text_of(card)
    assert "near_miss.acknowledge" not in verbs(card)
    assert {"near_miss.assign", "near_miss.action.add", "near_miss.close"} <= verbs(card)
    assert await _status(bot) == "acknowledged"
    await _drained(bot)
    notices = [m for m in to(bot.connector.messages(), REPORTER) if m.card]
    assert (
        len(notices) == 1 and "er modtaget af arbejdsmiljøkoordinatoren" in notices[0].card_text()
    )
    updates = [s for s in bot.connector.sent if s.method == "PUT"]
    assert {s.conversation_id for s in updates} == {AMK.chat_id, AMK2.chat_id}
    assert all("near_miss.acknowledge" not in verbs(s.card) for s in updates)
    english = next(s for s in updates if s.conversation_id == AMK2.chat_id)
    assert "Acknowledged" in english.card_text()


async def test_the_second_acknowledge_says_who_was_first(bot: BotUnderTest) -> None:
    kemi = await setup(bot, amks=(AMK, AMK2))
    await report(bot, REPORTER, kemi)
    report_id = (await reports(bot))[0].id
    await bot.invoke(AMK, "near_miss.acknowledge", {"report_id": report_id})
    reply = await bot.invoke(AMK2, "near_miss.acknowledge", {"report_id": report_id})
    assert "Per Koordinator already acknowledged it" in text_of(_card(reply))
    assert len(await _audit(bot, "near_miss.acknowledge")) == 1


async def test_two_acknowledges_at_once_count_once(bot: BotUnderTest) -> None:
    kemi = await setup(bot, amks=(AMK, AMK2))
    await report(bot, REPORTER, kemi)
    report_id = (await reports(bot))[0].id
    bot.connector.clear()
    replies = await asyncio.gather(
        bot.invoke(AMK, "near_miss.acknowledge", {"report_id": report_id}),
        bot.invoke(AMK2, "near_miss.acknowledge", {"report_id": report_id}),
    )
    texts = [text_of(_card(reply)) for reply in replies]
    assert sum("Du har kvitteret" in x or "You have acknowledged" in x for x in texts) == 1
    assert sum("already acknowledged" in x or "har allerede kvitteret" in x for x in texts) == 1
    assert len(await _audit(bot, "near_miss.acknowledge")) == 1
    await _drained(bot)
    assert len([m for m in to(bot.connector.messages(), REPORTER) if m.card]) == 1


async def test_a_wrong_person_is_refused_nothing_changes_and_it_is_audited(
    bot: BotUnderTest,
) -> None:
    kemi = await setup(bot)
    await report(bot, REPORTER, kemi)
    report_id = (await reports(bot))[0].id
    for verb, data in (
        ("near_miss.acknowledge", {}),
        ("near_miss.assign", {"investigator": OUTSIDER.upn}),
        ("near_miss.close", {"conclusion": "Jeg lukker bare sagen selv."}),
        ("near_miss.view", {}),
    ):
        reply = await bot.invoke(OUTSIDER, verb, {"report_id": report_id, **data})
        text = text_of(_card(reply))
        assert "Intet er ændret" in text, verb
        assert "Flaske med acetone" not in text
    assert await _status(bot) == "reported"
    refused = await _audit(bot, "near_miss.refused")
    outsider = await _person_id(bot, OUTSIDER)
    assert [(e.actor, e.after["attempt"]) for e in refused if e.after] == [
        (f"person:{outsider}", "acknowledge"),
        (f"person:{outsider}", "assign"),
        (f"person:{outsider}", "close"),
        (f"person:{outsider}", "view"),
    ]
    # the reporter cannot follow up their own report either
    mine = await bot.invoke(REPORTER, "near_miss.acknowledge", {"report_id": report_id})
    assert "Intet er ændret" in text_of(_card(mine))


async def test_assign_tells_the_investigator_who_may_add_actions_but_not_close(
    bot: BotUnderTest,
) -> None:
    kemi = await setup(bot)
    await report(bot, REPORTER, kemi)
    report_id = (await reports(bot))[0].id
    bot.connector.clear()
    bad = await bot.invoke(AMK, "near_miss.assign", {"report_id": report_id, "investigator": "ida"})
    assert "gyldig e-mailadresse" in text_of(_card(bad))
    assert await _status(bot) == "reported"
    reply = await bot.invoke(
        AMK, "near_miss.assign", {"report_id": report_id, "investigator": INVESTIGATOR.upn.upper()}
    )
    assert "Ida Undersøger undersøger nu hændelsen" in text_of(_card(reply))
    assert await _status(bot) == "under_investigation"
    await _drained(bot)
    (card,) = [m for m in to(bot.connector.messages(), INVESTIGATOR) if m.card]
    assert "Per Koordinator har bedt dig undersøge" in card.card_text()
    assert verbs(card.card) == {"near_miss.action.add"}
    # assigning acknowledged the report, so the reporter hears of it
    assert any("er modtaget" in m.card_text() for m in to(bot.connector.messages(), REPORTER))
    added = await bot.invoke(
        INVESTIGATOR,
        "near_miss.action.add",
        {
            "report_id": report_id,
            "action_description": "Sæt en hylde op ved stinkskabet",
            "action_owner": OWNER.upn,
            "action_due": _due(14),
        },
    )
    assert "Tiltaget er tilføjet" in text_of(_card(added))
    closing = await bot.invoke(
        INVESTIGATOR, "near_miss.close", {"report_id": report_id, "conclusion": "Alt er i orden."}
    )
    assert "Intet er ændret" in text_of(_card(closing))
    assert await _status(bot) == "actions_decided"


async def test_an_investigator_without_a_chat_is_named_to_the_amk(bot: BotUnderTest) -> None:
    kemi = await setup(bot)
    await report(bot, REPORTER, kemi)
    report_id = (await reports(bot))[0].id
    reply = await bot.invoke(
        AMK, "near_miss.assign", {"report_id": report_id, "investigator": "ny.kollega@uni.dk"}
    )
    assert "har ikke skrevet med AMK-bot endnu" in text_of(_card(reply))


async def test_actions_then_close_with_conclusion_tells_the_reporter(bot: BotUnderTest) -> None:
    kemi = await setup(bot)
    await report(bot, REPORTER, kemi)
    report_id = (await reports(bot))[0].id
    await bot.invoke(AMK, "near_miss.acknowledge", {"report_id": report_id})
    past = await bot.invoke(
        AMK,
        "near_miss.action.add",
        {
            "report_id": report_id,
            "action_description": "Hylde",
            "action_owner": OWNER.upn,
            "action_due": _due(-1),
        },
    )
    assert "Fristen er allerede overskredet" in text_of(_card(past))
    added = await bot.invoke(
        AMK,
        "near_miss.action.add",
        {
            "report_id": report_id,
            "action_description": "Sæt en hylde op ved stinkskabet",
            "action_owner": OWNER.upn,
            "action_due": _due(7),
        },
    )
    card = _card(added)
    assert "Otto Værkfører" in text_of(card) and "near_miss.close" not in verbs(card)
    assert await _status(bot) == "actions_decided"
    await _drained(bot)
    (owner_card,) = [m for m in to(bot.connector.messages(), OWNER) if m.card]
    assert "You own this corrective action" in owner_card.card_text()
    done_buttons = [
        node for node in walk(owner_card.card) if node.get("verb") == "near_miss.action.done"
    ]
    assert done_buttons
    early = await bot.invoke(
        AMK, "near_miss.close", {"report_id": report_id, "conclusion": "Hylden er sat op."}
    )
    assert "mens der er åbne tiltag (1)" in text_of(_card(early))
    assert await _status(bot) == "actions_decided"

    nosy = await bot.invoke(OUTSIDER, "near_miss.action.done", done_buttons[0]["data"])
    assert "Intet er ændret" in text_of(_card(nosy))
    bot.connector.clear()
    done = await bot.invoke(OWNER, "near_miss.action.done", done_buttons[0]["data"])
    done_card = _card(done)
    assert "The action is marked done" in text_of(done_card)
    assert "near_miss.action.done" not in verbs(done_card)
    assert "Sæt en hylde op" in text_of(done_card)  # the owner's own card, not the AMK's
    await _drained(bot)
    amk_update = [
        s for s in bot.connector.sent if s.method == "PUT" and s.conversation_id == AMK.chat_id
    ]
    assert amk_update and "near_miss.close" in verbs(amk_update[-1].card)

    short = await bot.invoke(AMK, "near_miss.close", {"report_id": report_id, "conclusion": "ok"})
    assert "mindst 10 tegn" in text_of(_card(short))
    bot.connector.clear()
    closed = await bot.invoke(
        AMK,
        "near_miss.close",
        {"report_id": report_id, "conclusion": "Hylden er sat op, og flasker står nu sikkert."},
    )
    closed_card = _card(closed)
    assert "Sagen er lukket" in text_of(closed_card) and verbs(closed_card) == set()
    assert closed_card["refresh"]["userIds"] == []
    assert await _status(bot) == "closed"
    await _drained(bot)
    told = [m for m in to(bot.connector.messages(), REPORTER) if m.card]
    assert len(told) == 1
    assert "er lukket" in told[0].card_text()
    assert "flasker står nu sikkert" in told[0].card_text()
    again = await bot.invoke(
        AMK, "near_miss.close", {"report_id": report_id, "conclusion": "Igen igen igen."}
    )
    assert "«Lukket»" in text_of(_card(again))
    assert len(await _audit(bot, "near_miss.close")) == 1


# -- the list ----------------------------------------------------------------------------------


async def test_the_list_shows_open_reports_to_amk_and_secretariat_only(bot: BotUnderTest) -> None:
    kemi = await setup(bot, secretariat=(SECRETARIAT,))
    assert bot.runtime is not None
    async with orm_session(bot.runtime.db) as session:
        fysik = (await session.execute(select(Unit.id).where(Unit.name == "Fysik"))).scalar_one()
    await report(bot, REPORTER, kemi)
    await report(bot, REPORTER, fysik, description="Cykel på tværs af gangen ved auditoriet.")
    await report(
        bot, OUTSIDER, kemi, anonymous="true", description="Løs ledning ved døren i kælderen."
    )
    first = (await reports(bot))[0]
    await bot.invoke(AMK, "near_miss.acknowledge", {"report_id": first.id})
    await bot.invoke(
        AMK,
        "near_miss.close",
        {"report_id": first.id, "conclusion": "Flasken er fjernet, intet at gøre."},
    )
    await _drained(bot)

    mine = to(await bot.say(AMK, "nærved liste"), AMK)
    text = mine[-1].card_text()
    assert f"NM-{YEAR}-0003" in text and f"NM-{YEAR}-0001" not in text
    assert f"NM-{YEAR}-0002" not in text  # Fysik is not Per's unit
    assert "Mette Reporter" not in text and "Ole Udenfor" not in text
    everything = to(await bot.say(SECRETARIAT, "near miss list"), SECRETARIAT)
    assert f"NM-{YEAR}-0002" in everything[-1].card_text()
    assert f"NM-{YEAR}-0003" in everything[-1].card_text()
    refused = to(await bot.say(OUTSIDER, "nærved liste"), OUTSIDER)
    assert "kun for arbejdsmiljøkoordinatorer" in refused[-1].card_text()
    assert [e.after for e in await _audit(bot, "near_miss.refused")] == [
        {"attempt": "list", "reason": "not_allowed"}
    ]

    opened = await bot.invoke(
        AMK, "near_miss.view", {"report_id": (await reports(bot))[2].id, "from_list": True}
    )
    card = _card(opened)
    assert "Løs ledning" in text_of(card) and "Anonym" in text_of(card)
    assert "near_miss.list" in verbs(card)
    back = await bot.invoke(AMK, "near_miss.list", {})
    assert "Åbne nærved-hændelser" in text_of(_card(back))


async def test_refresh_shows_the_current_state(bot: BotUnderTest) -> None:
    kemi = await setup(bot, amks=(AMK, AMK2))
    await report(bot, REPORTER, kemi)
    report_id = (await reports(bot))[0].id
    await bot.invoke(AMK2, "near_miss.acknowledge", {"report_id": report_id})
    refreshed = await bot.invoke(AMK, "near_miss.view", {"report_id": report_id})
    text = text_of(_card(refreshed))
    assert "Anna Koordinator" in text and "near_miss.acknowledge" not in verbs(_card(refreshed))


async def test_an_unknown_report_is_said_to_be_unknown(bot: BotUnderTest) -> None:
    await setup(bot)
    reply = await bot.invoke(AMK, "near_miss.acknowledge", {"report_id": 99999})
    assert "findes ikke" in text_of(_card(reply))
    junk = await bot.invoke(AMK, "near_miss.acknowledge", {"report_id": "x"})
    assert "kunne ikke læses" in text_of(_card(junk))


async def test_the_submit_fallback_works_like_the_invoke(bot: BotUnderTest) -> None:
    kemi = await setup(bot)
    await report(bot, REPORTER, kemi)
    report_id = (await reports(bot))[0].id
    reply = to(
        await bot.submit(AMK, {"action": "near_miss.acknowledge", "report_id": report_id}), AMK
    )
    assert "Du har kvitteret" in reply[-1].card_text()
    assert await _status(bot) == "acknowledged"
    assert bot.runtime is not None
    async with orm_session(bot.runtime.db) as session:
        assert await session.scalar(select(func.count()).select_from(NearMissAction)) == 0
        assert await session.scalar(select(func.count()).select_from(NearMissReport)) == 1
    assert json.dumps(reply[-1].card)


async def test_the_investigator_hears_who_asked_them(bot: BotUnderTest) -> None:
    kemi = await setup(bot, amks=(AMK, AMK2))
    await report(bot, REPORTER, kemi)
    report_id = (await reports(bot))[0].id
    await bot.invoke(AMK2, "near_miss.acknowledge", {"report_id": report_id})
    await bot.invoke(
        AMK, "near_miss.assign", {"report_id": report_id, "investigator": INVESTIGATOR.upn}
    )
    await _drained(bot)
    (card,) = [m for m in to(bot.connector.messages(), INVESTIGATOR) if m.card]
    assert "Per Koordinator har bedt dig undersøge" in card.card_text()
    assert "Anna Koordinator" in card.card_text()  # who acknowledged it
