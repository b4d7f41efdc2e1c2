"""Screenings recorded over HTTP, as in Teams: an internal screening held with findings that
become items of the unit's action plan (marked as the screening's) and meet the screening
duty; a sister screening linked to its accepted request, shown on both units' overviews; a
planned screening later recorded as held; refusals and bad input; and the reminders of a
sister-screening request nobody answers."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import select

from services.screening_jobs import ScreeningReminders
from storage.screening_models import Screening, ScreeningRequest
from tests.support.card_nodes import walk
from tests.support.databases import orm_session
from tests.support.teams import BotUnderTest, User
from tests.support.wellbeing import (
    AMK,
    EMPLOYEE,
    LEADER,
    OTHER_LEADER,
    OWNER,
    action_items,
    audit_events,
    card_of,
    day,
    inputs,
    setup,
    text,
    to,
    today,
    verbs,
)

LINK = "https://safetynet.example.dk/screening/kemi-2026"


async def screenings(bot: BotUnderTest) -> list[Screening]:
    assert bot.runtime is not None
    async with orm_session(bot.runtime.db) as session:
        return list((await session.scalars(select(Screening).order_by(Screening.id))).all())


async def requests(bot: BotUnderTest) -> list[ScreeningRequest]:
    assert bot.runtime is not None
    async with orm_session(bot.runtime.db) as session:
        return list((await session.scalars(select(ScreeningRequest))).all())


def batch_of(card: dict[str, Any]) -> str:
    """The batch the form's save button carries."""
    [batch] = {
        str(node["data"]["batch"])
        for node in _actions(card)
        if node.get("verb") == "screening.record"
    }
    return batch


def _actions(card: Any) -> list[dict[str, Any]]:
    return [node for node in walk(card) if node.get("type") == "Action.Execute"]


def errors(card: Any) -> list[str]:
    """The messages shown under the fields (and over the form)."""
    return [
        str(node["text"])
        for node in walk(card)
        if node.get("type") == "TextBlock" and node.get("color") == "Attention"
    ]


async def record(bot: BotUnderTest, user: User, unit_id: int, **values: Any) -> dict[str, Any]:
    form = card_of(await bot.invoke(user, "screening.form", {"unit_id": unit_id}))
    data = {"unit_id": unit_id, "batch": batch_of(form), "rows": 3, **values}
    return card_of(await bot.invoke(user, "screening.record", data))


async def test_a_held_screening_with_findings_fills_the_action_plan_and_meets_the_duty(
    bot: BotUnderTest,
) -> None:
    kemi, _ = await setup(bot)
    [shown] = await bot.say(AMK, "dokumentation")
    assert shown.card is not None and "screening.form" in verbs(shown.card)
    form = card_of(await bot.invoke(AMK, "screening.form", {"unit_id": kemi}))
    assert {"kind", "state", "day", "proof", "problem_1", "owner_1", "deadline_3"} <= set(
        inputs(form)
    )
    assert "request_id" not in inputs(form)  # no accepted sister-screening request
    data = {
        "unit_id": kemi,
        "batch": batch_of(form),
        "rows": 3,
        "kind": "internal",
        "state": "held",
        "day": day(-2),
        "proof": LINK,
        "problem_1": "Løse kabler på gulvet i laboratorium 2",
        "action_1": "Kabelbakker monteres",
        "owner_1": OWNER.upn,
        "deadline_1": day(30),
        "problem_2": "Nødbruseren er ikke afprøvet i år",
    }
    saved = card_of(await bot.invoke(AMK, "screening.record", data))
    assert "Kemi: intern screening holdt" in text(saved)
    assert "2 fund er skrevet ind i handlingsplanen." in text(saved)
    assert "wellbeing.plan.show" in verbs(saved)
    again = card_of(await bot.invoke(AMK, "screening.record", data))  # a second click
    assert "2 fund er skrevet ind i handlingsplanen." in text(again)

    [row] = await screenings(bot)
    assert (row.kind, row.state, row.held_on.isoformat() if row.held_on else None) == (
        "internal",
        "held",
        day(-2),
    )
    first, second = await action_items(bot)
    assert first.screening_id == second.screening_id == row.id and first.unit_id == kemi
    assert first.action == "Kabelbakker monteres"
    # left out: the recorder owns it, with a deadline in 90 days, the action to be agreed
    assert second.action == "Aftales i handlingsplanen"
    assert second.deadline == today() + timedelta(days=90)
    assert second.owner_id == row.recorded_by_id

    [overview] = await bot.say(LEADER, "dokumentation")
    card = overview.card_text()
    held_on = (today() - timedelta(days=2)).strftime("%d.%m.%Y")
    assert "intern screening – holdt, 2 fund i handlingsplanen" in card
    assert f"**Opfyldt** · Sidst: {held_on} · Næste gang senest:" in card
    plan = card_of(await bot.invoke(LEADER, "wellbeing.plan.show", {"unit_id": kemi}))
    assert f"Fund fra screeningen {held_on}" in text(plan)
    actions = [event.action for event in await audit_events(bot)]
    assert actions.count("screening.held") == 1 and actions.count("wellbeing.item.add") == 2


def button(card: Any, label: str) -> dict[str, Any]:
    """The data of the button titled `label`."""
    [data] = [node["data"] for node in _actions(card) if node.get("title") == label]
    return dict(data)


async def test_a_finding_that_names_a_person_is_checked_before_the_plan_gets_it(
    bot: BotUnderTest,
) -> None:
    kemi, _ = await setup(bot)
    named = "Stinkskabet bruges af Hanne Jensen uden visir"
    held = {"kind": "internal", "state": "held", "day": day(-1)}
    check = await record(bot, AMK, kemi, **held, problem_1=named)
    assert "Punkt 1, problem: et navn? «Hanne Jensen»" in text(check)
    assert "Ret teksten" in text(check) and "Gem alligevel" in text(check)
    assert await screenings(bot) == [] and await action_items(bot) == []

    form = card_of(await bot.invoke(AMK, "screening.record", button(check, "Ret teksten")))
    assert inputs(form)["problem_1"] == named and inputs(form)["day"] == day(-1)
    assert await screenings(bot) == []
    fixed = {**held, "unit_id": kemi, "batch": batch_of(form), "rows": 3}
    fixed["problem_1"] = "Stinkskabet bruges uden visir"
    saved = card_of(await bot.invoke(AMK, "screening.record", fixed))  # clean: saved at once
    assert "1 fund er skrevet ind i handlingsplanen." in text(saved)
    [item] = await action_items(bot)
    assert item.problem == "Stinkskabet bruges uden visir"

    check = await record(bot, AMK, kemi, **held, problem_1="Spørg Bo Ibsen om nøglen")
    assert "Gem alligevel" in text(check) and len(await screenings(bot)) == 1
    anyway = card_of(await bot.invoke(AMK, "screening.record", button(check, "Gem alligevel")))
    assert "1 fund er skrevet ind i handlingsplanen." in text(anyway)
    assert [i.problem for i in await action_items(bot)][-1] == "Spørg Bo Ibsen om nøglen"
    assert len(await screenings(bot)) == 2


async def test_a_sister_screening_is_linked_to_its_request_and_both_overviews_show_it(
    bot: BotUnderTest,
) -> None:
    kemi, fysik = await setup(bot)
    missing = await record(bot, AMK, kemi, kind="sister", state="held", day=day(0))
    assert "Vælg den accepterede anmodning." in text(missing)
    assert errors(missing) == ["Noget skal rettes – se under felterne."]
    assert await screenings(bot) == []

    await bot.invoke(AMK, "screening.send", {"unit_id": kemi, "partner_id": str(fysik)})
    [request] = await requests(bot)
    await bot.invoke(
        OTHER_LEADER, "screening.accept", {"request_id": request.id, "planned_on": day(0)}
    )
    form = card_of(await bot.invoke(AMK, "screening.form", {"unit_id": kemi}))
    assert "Fysik, aftalt til" in text(form) and "request_id" in inputs(form)
    saved = await record(
        bot, AMK, kemi, kind="sister", state="held", day=day(0), request_id=str(request.id)
    )
    assert "søsterscreening med Fysik holdt" in text(saved)
    assert "Der blev ikke registreret nogen fund." in text(saved)
    [row] = await screenings(bot)
    assert (row.kind, row.partner_unit_id, row.request_id) == ("sister", fysik, request.id)

    [kemi_view] = await bot.say(LEADER, "dokumentation")
    assert "søsterscreening med Fysik – holdt, 0 fund" in kemi_view.card_text()
    [fysik_view] = await bot.say(OTHER_LEADER, "dokumentation")
    assert "søsterscreening hos Kemi (I deltog) – holdt" in fysik_view.card_text()
    # the request is used: Kemi is not offered it again, Fysik can record its own side
    again = card_of(await bot.invoke(AMK, "screening.form", {"unit_id": kemi}))
    assert "request_id" not in inputs(again)
    theirs = card_of(await bot.invoke(OTHER_LEADER, "screening.form", {"unit_id": fysik}))
    assert "Kemi, aftalt til" in text(theirs)


async def test_a_planned_screening_is_recorded_as_held_later(bot: BotUnderTest) -> None:
    kemi, _ = await setup(bot)
    past = await record(bot, LEADER, kemi, kind="secretariat", state="planned", day=day(-1))
    assert "Datoen kan ikke ligge i fortiden." in errors(past)
    findings = await record(
        bot, LEADER, kemi, kind="secretariat", state="planned", day=day(20), problem_1="Støj"
    )
    assert "Fund kan først registreres, når screeningen er holdt." in errors(findings)
    assert await screenings(bot) == []
    planned = await record(bot, LEADER, kemi, kind="secretariat", state="planned", day=day(20))
    assert "planlagt til" in text(planned)
    [row] = await screenings(bot)

    [overview] = await bot.say(AMK, "dokumentation")
    assert "screening ved arbejdsmiljøsekretariatet – planlagt" in overview.card_text()
    assert "Registrér som holdt" in overview.card_text()
    form = card_of(
        await bot.invoke(AMK, "screening.form", {"unit_id": kemi, "screening_id": row.id})
    )
    assert inputs(form)["kind"] == "secretariat" and inputs(form)["state"] == "held"
    held = card_of(
        await bot.invoke(
            AMK,
            "screening.record",
            {
                "unit_id": kemi,
                "screening_id": row.id,
                "batch": batch_of(form),
                "kind": "secretariat",
                "state": "held",
                "day": day(0),
                "problem_1": "Støj fra ventilationen i kontorerne",
            },
        )
    )
    assert "1 fund er skrevet ind i handlingsplanen." in text(held)
    [row] = await screenings(bot)
    assert row.state == "held" and row.held_on == today() and row.planned_on is not None
    [item] = await action_items(bot)
    assert item.screening_id == row.id
    gone = card_of(
        await bot.invoke(AMK, "screening.form", {"unit_id": kemi, "screening_id": row.id})
    )
    assert "findes ikke" in text(gone)
    assert "screening.update" in [event.action for event in await audit_events(bot)]


async def test_only_the_units_leader_and_amk_record_and_bad_input_is_shown_under_its_field(
    bot: BotUnderTest,
) -> None:
    kemi, _ = await setup(bot)
    for outsider in (EMPLOYEE, OTHER_LEADER):
        refused = card_of(await bot.invoke(outsider, "screening.form", {"unit_id": kemi}))
        assert "Kun enhedens leder og AMK" in text(refused)
        sent = card_of(
            await bot.invoke(
                outsider,
                "screening.record",
                {"unit_id": kemi, "kind": "internal", "state": "held", "day": day(-1)},
            )
        )
        assert "Kun enhedens leder og AMK" in text(sent)
    [employee_view] = await bot.say(EMPLOYEE, "dokumentation")
    assert employee_view.card is not None and "screening.form" not in verbs(employee_view.card)

    wrong = await record(
        bot,
        AMK,
        kemi,
        state="held",
        day=day(3),
        proof="http://ikke-sikker.example.dk",
        action_2="En handling uden problem",
    )
    assert errors(wrong) == [
        "Noget skal rettes – se under felterne.",
        "Vælg hvilken slags.",
        "Linket skal begynde med https://.",
        "Beskriv problemet.",
    ]
    assert inputs(wrong)["action_2"] == "En handling uden problem"  # what was typed is kept
    future = await record(bot, AMK, kemi, kind="internal", state="held", day=day(3))
    assert "En holdt screening kan ikke ligge i fremtiden." in errors(future)
    assert await screenings(bot) == [] and await action_items(bot) == []
    actions = [event.action for event in await audit_events(bot)]
    assert actions.count("screening.record.refused") == 4


async def test_an_unanswered_request_is_reminded_after_7_days_and_the_askers_told_after_14(
    bot: BotUnderTest,
) -> None:
    kemi, fysik = await setup(bot)
    assert bot.runtime is not None
    job = next(j for j in bot.runtime.scheduler.jobs if isinstance(j, ScreeningReminders))
    await bot.invoke(AMK, "screening.send", {"unit_id": kemi, "partner_id": str(fysik)})
    # Fysik asks Kemi too, and Kemi declines at once: that request is owed nothing
    await bot.invoke(OTHER_LEADER, "screening.send", {"unit_id": fysik, "partner_id": str(kemi)})
    answered = next(r for r in await requests(bot) if r.unit_id == fysik)
    await bot.invoke(AMK, "screening.decline", {"request_id": answered.id})
    await bot.runtime.background.drain()
    bot.connector.clear()
    asked_on = today()

    def at(days: int, hour_utc: int) -> datetime:
        moment = asked_on + timedelta(days=days)
        return datetime(moment.year, moment.month, moment.day, hour_utc, tzinfo=UTC)

    def cards(user: User) -> list[str]:
        return [m.card_text() for m in to(bot.connector.messages(), user)]

    await job.run(at(6, 22) - timedelta(hours=1))  # 21:00 UTC: 22:00 in Copenhagen, day 6
    assert cards(OTHER_LEADER) == []
    # 23:00 UTC on day 6 is midnight, day 7, in Copenhagen: two processes, one reminder
    await asyncio.gather(job.run(at(6, 23)), ScreeningReminders(*_of(job)).run(at(6, 23)))
    for offset in (8, 10, 13):
        await job.run(at(offset, 7))
    [reminder] = cards(OTHER_LEADER)
    assert "Påmindelse: anmodningen har ventet på svar i 7 dage." in reminder
    assert "screening.accept" in reminder and "**Kemi** beder **Fysik**" in reminder
    assert cards(AMK) == [] and cards(LEADER) == []
    for offset in (14, 15, 30):
        await job.run(at(offset, 7))
    [told] = cards(AMK)
    assert "Fysik har ikke svaret på jeres anmodning om søsterscreening" in told
    assert len(cards(OTHER_LEADER)) == 1 and cards(EMPLOYEE) == []


def _of(job: ScreeningReminders) -> tuple[Any, Any]:
    return job.db, job.notifier
