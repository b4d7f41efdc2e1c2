"""Well-being dialogues over HTTP, as in Teams: the recording dialog branch by branch, the
action-plan items, the owners' card actions, the plan, the notes and the annual discussion."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from storage.models import JobRun
from storage.wellbeing_models import WellbeingAnnualDiscussion, WellbeingDialogue
from tests.support.databases import orm_session
from tests.support.teams import BotUnderTest
from tests.support.wellbeing import (
    ADMIN,
    AMK,
    CHALLENGES,
    CONTACT,
    EMPLOYEE,
    LEADER,
    OTHER_LEADER,
    OWNER,
    SECRETARIAT,
    WELL,
    action_items,
    audit_events,
    card_of,
    day,
    dialogue,
    dialogues,
    inputs,
    items,
    record,
    row,
    setup,
    text,
    to,
    verbs,
)

# -- recording a dialogue ----------------------------------------------------------------------


async def test_leader_records_a_dialogue_and_gets_the_items_card(bot: BotUnderTest) -> None:
    kemi, _ = await setup(bot)
    started = await bot.say(LEADER, "trivsel")
    form = started[-1].card_text()
    assert "Noter fra trivselsdialog" in form and "Skriv ikke navne" in form
    shown = inputs(started[-1].card)
    assert shown["unit_id"] == str(kemi) and shown["facilitator"] == "Lise Leder"
    reply = await bot.submit(LEADER, dialogue(kemi))
    card = reply[-1].card
    assert card is not None
    assert "Handlingsplan for Kemi" in reply[-1].card_text()
    assert "Noterne fra trivselsdialogen i Kemi (Analysegruppen" in reply[-1].card_text()
    assert {"problem_1", "owner_3", "follow_up_2"} <= set(inputs(card))
    assert {"wellbeing.items.save", "wellbeing.items.rows", "wellbeing.plan.show"} <= verbs(card)
    [stored] = await dialogues(bot)
    assert stored.participants == 12 and stored.themes == ["stress", "workload", "collaboration"]
    assert stored.works_well == WELL and stored.absence_considered
    assert stored.flags_confirmed == 0
    assert bot.runtime is not None
    again = await bot.submit(LEADER, dialogue(kemi))
    assert "ikke aktivt" in again[-1].text
    assert len(await dialogues(bot)) == 1


@pytest.mark.parametrize("user", [AMK, SECRETARIAT, ADMIN])
async def test_amk_secretariat_and_admin_may_record(bot: BotUnderTest, user: object) -> None:
    kemi, _ = await setup(bot)
    assert isinstance(user, type(AMK))
    await record(bot, user, kemi)
    [stored] = await dialogues(bot)
    assert stored.unit_id == kemi


@pytest.mark.parametrize("user", [EMPLOYEE, CONTACT])
async def test_others_are_told_they_may_not_record(bot: BotUnderTest, user: object) -> None:
    await setup(bot)
    assert isinstance(user, type(AMK))
    reply = await bot.say(user, "trivsel")
    assert "Kun enhedens leder eller arbejdsmiljøkoordinator" in reply[-1].text
    assert "handlingsplan" in reply[-1].text
    assert await dialogues(bot) == []


async def test_leader_cannot_record_for_another_unit(bot: BotUnderTest) -> None:
    kemi, fysik = await setup(bot)
    started = await bot.say(OTHER_LEADER, "trivsel")
    choices = {c["value"] for n in [started[-1].card] for c in _choices(n, "unit_id")}
    assert choices == {str(fysik)}
    reply = await bot.submit(OTHER_LEADER, dialogue(kemi))
    assert "kun registrere for enheder, hvor du er leder eller AMK" in reply[-1].card_text()
    assert await dialogues(bot) == []


def _choices(card: object, input_id: str) -> list[dict[str, str]]:
    from tests.support.card_nodes import walk

    for node in walk(card):
        if node.get("id") == input_id:
            return list(node.get("choices", []))
    return []


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"participants": "12 personer"}, "helt tal"),
        ({"participants": "0"}, "helt tal"),
        ({"themes": ""}, "mindst ét tema"),
        ({"themes": "other"}, "hvilket andet tema"),
        ({"held_on": day(2)}, "fremtiden"),
        ({"absence_considered": ""}, "sygefravær er en fast del"),
        ({"works_well": "", "challenges": ""}, "mindst én ting"),
        ({"group_name": ""}, "gruppens eller teamets navn"),
    ],
)
async def test_invalid_form_comes_back_with_the_input_kept(
    bot: BotUnderTest, changes: dict[str, str], expected: str
) -> None:
    kemi, _ = await setup(bot)
    await bot.say(LEADER, "trivsel")
    reply = await bot.submit(LEADER, dialogue(kemi, **changes))
    assert expected in reply[-1].card_text()
    kept = inputs(reply[-1].card)
    assert kept["challenges"] == dialogue(kemi, **changes)["challenges"] or not kept["challenges"]
    assert kept["facilitator"] == "HR-partner"
    assert await dialogues(bot) == []
    fixed = await bot.submit(LEADER, dialogue(kemi))
    assert "Handlingsplan for Kemi" in fixed[-1].card_text()


async def test_a_name_in_the_notes_is_flagged_and_can_be_edited(bot: BotUnderTest) -> None:
    kemi, _ = await setup(bot)
    await bot.say(AMK, "trivsel")
    named = CHALLENGES + " Vi talte især om Hanne Bøgh Jensen og hendes sygemelding."
    check = await bot.submit(AMK, dialogue(kemi, challenges=named))
    shown = check[-1].card_text()
    assert "Tjek for personoplysninger" in shown and "«Hanne Bøgh Jensen»" in shown
    assert await dialogues(bot) == []
    edit = await bot.submit(AMK, {"action": "wellbeing.form.edit"})
    kept = inputs(edit[-1].card)
    assert kept["challenges"] == named and kept["works_well"] == WELL
    assert "stadig noget, der ligner personoplysninger" in edit[-1].card_text()
    saved = await bot.submit(AMK, dialogue(kemi))
    assert "Handlingsplan for Kemi" in saved[-1].card_text()
    [stored] = await dialogues(bot)
    assert "Hanne" not in (stored.challenges or "")


async def test_a_known_person_or_an_email_is_flagged_and_can_be_confirmed(
    bot: BotUnderTest,
) -> None:
    kemi, _ = await setup(bot)
    await bot.say(LEADER, "trivsel")
    text_with = "Spørg emil@uni.dk om ideen. Kemiteknik og Emil var enige."
    check = await bot.submit(LEADER, dialogue(kemi, works_well=text_with))
    shown = check[-1].card_text()
    assert "e-mailadresse «emil@uni.dk»" in shown and "«Emil»" in shown
    saved = await bot.submit(LEADER, {"action": "wellbeing.form.confirm"})
    assert "Handlingsplan for Kemi" in saved[-1].card_text()
    [stored] = await dialogues(bot)
    assert stored.flags_confirmed == 2


async def test_cancel_saves_nothing(bot: BotUnderTest) -> None:
    kemi, _ = await setup(bot)
    await bot.say(LEADER, "trivsel")
    await bot.submit(LEADER, dialogue(kemi, challenges="Om Hanne Jensen"))
    stopped = await bot.submit(LEADER, {"action": "wellbeing.form.cancel"})
    assert "noter fra trivselsdialog" in stopped[-1].text
    await bot.say(LEADER, "trivsel")
    typed = await bot.say(LEADER, "annullér")
    assert "ikke nåede at sende, er ikke gemt" in typed[-1].text
    assert await dialogues(bot) == []


async def test_a_restart_continues_the_half_done_dialog(bot: BotUnderTest) -> None:
    kemi, _ = await setup(bot)
    await bot.say(LEADER, "trivsel")
    await bot.submit(LEADER, dialogue(kemi, challenges="Om Hanne Jensen"))
    await bot.restart()
    saved = await bot.submit(LEADER, {"action": "wellbeing.form.confirm"})
    assert "Handlingsplan for Kemi" in saved[-1].card_text()
    assert len(await dialogues(bot)) == 1


# -- action-plan items ---------------------------------------------------------------------------


async def _with_items(bot: BotUnderTest, *rows: dict[str, str]) -> tuple[int, int]:
    kemi, _ = await setup(bot)
    await record(bot, LEADER, kemi)
    [stored] = await dialogues(bot)
    reply = await bot.invoke(LEADER, "wellbeing.items.save", items(kemi, stored.id, *rows))
    assert "Gemt i handlingsplanen for Kemi" in text(card_of(reply)), text(card_of(reply))
    assert bot.runtime is not None
    await bot.runtime.background.drain()
    return kemi, stored.id


async def test_several_items_in_one_go_reach_their_owners(bot: BotUnderTest) -> None:
    kemi, _ = await setup(bot)
    await bot.install_personal(OWNER)
    await record(bot, LEADER, kemi)
    [stored] = await dialogues(bot)
    bot.connector.clear()
    reply = await bot.invoke(
        LEADER,
        "wellbeing.items.save",
        items(kemi, stored.id, row(), row("Uklar prioritering", owner=AMK.upn), {}),
    )
    shown = text(card_of(reply))
    assert "Punkter gemt: 2" in shown and "Har endnu ikke" not in shown
    assert bot.runtime is not None
    await bot.runtime.background.drain()
    to_owner = [m for m in to(bot.connector.messages(), OWNER) if m.card]
    assert len(to_owner) == 1 and "A new action-plan item for you" in to_owner[0].card_text()
    card = to_owner[0].card
    assert card is not None and card["refresh"]["userIds"] == [OWNER.teams_id]
    assert verbs(card) == {"wellbeing.item.progress", "wellbeing.item.done", "wellbeing.item.drop"}
    to_amk = [m for m in to(bot.connector.messages(), AMK) if m.card]
    assert len(to_amk) == 1 and "Uklar prioritering" in to_amk[0].card_text()
    stored_items = await action_items(bot)
    assert [i.dialogue_id for i in stored_items] == [stored.id, stored.id]
    assert all(i.owner_notified_at is not None for i in stored_items)


async def test_item_rows_are_checked_and_kept(bot: BotUnderTest) -> None:
    kemi, _ = await setup(bot)
    await record(bot, LEADER, kemi)
    [stored] = await dialogues(bot)
    bad = items(
        kemi,
        stored.id,
        row(owner="not-an-email"),
        row(deadline=day(-1)),
        row(deadline=day(20), follow_up=day(10)),
    )
    card = card_of(await bot.invoke(LEADER, "wellbeing.items.save", bad))
    shown = text(card)
    assert "e-mailadresse" in shown and "før i dag" in shown and "på eller efter fristen" in shown
    assert inputs(card)["owner_1"] == "not-an-email" and inputs(card)["problem_3"]
    blank = card_of(await bot.invoke(LEADER, "wellbeing.items.save", items(kemi, stored.id)))
    assert "Udfyld mindst ét punkt" in text(blank)
    more = card_of(
        await bot.invoke(LEADER, "wellbeing.items.rows", {**bad, "rows": 6, "problem_5": "x"})
    )
    assert "problem_6" in inputs(more) and inputs(more)["problem_5"] == "x"
    assert inputs(more)["owner_1"] == "not-an-email"
    assert await action_items(bot) == []


async def test_a_name_in_an_item_asks_before_saving(bot: BotUnderTest) -> None:
    kemi, _ = await setup(bot)
    await record(bot, LEADER, kemi)
    [stored] = await dialogues(bot)
    data = items(kemi, stored.id, row("Samarbejdet med Hanne Jensen er svært"))
    first = card_of(await bot.invoke(LEADER, "wellbeing.items.save", data))
    assert "Punkt 1, problem: et navn? «Hanne Jensen»" in text(first)
    assert "Gem alligevel" in text(first) and await action_items(bot) == []
    saved = card_of(await bot.invoke(LEADER, "wellbeing.items.save", {**data, "confirm": "yes"}))
    assert "Punkter gemt: 1" in text(saved)


async def test_owner_without_a_chat_gets_the_item_when_they_write(bot: BotUnderTest) -> None:
    kemi, _ = await setup(bot)
    await record(bot, LEADER, kemi)
    [stored] = await dialogues(bot)
    reply = await bot.invoke(LEADER, "wellbeing.items.save", items(kemi, stored.id, row()))
    assert "Har endnu ikke en chat med AMK-bot: otto@uni.dk" in text(card_of(reply))
    assert bot.runtime is not None
    await bot.runtime.background.drain()
    [item] = await action_items(bot)
    assert item.owner_notified_at is None
    await bot.install_personal(OWNER)
    bot.connector.clear()
    job = next(j for j in bot.runtime.scheduler.jobs if j.name == "wellbeing.delivery")
    await asyncio.gather(job.run(item.created_at), job.run(item.created_at))
    await job.run(item.created_at)
    delivered = [m for m in to(bot.connector.messages(), OWNER) if m.card]
    assert len(delivered) == 1 and "Mange afbrydelser" in delivered[0].card_text()


async def test_only_leader_and_amk_may_add_items(bot: BotUnderTest) -> None:
    kemi, _ = await setup(bot)
    await record(bot, LEADER, kemi)
    [stored] = await dialogues(bot)
    for user in (EMPLOYEE, OTHER_LEADER, CONTACT):
        reply = card_of(
            await bot.invoke(user, "wellbeing.items.save", items(kemi, stored.id, row()))
        )
        assert "Kun enhedens leder og AMK" in text(reply)
    assert await action_items(bot) == []
    refused = [e for e in await audit_events(bot) if e.action == "wellbeing.items.add.refused"]
    assert len(refused) == 3


# -- owners' card actions ---------------------------------------------------------------------


async def test_owner_updates_the_item_from_the_card(bot: BotUnderTest) -> None:
    await _with_items(bot, row())
    [item] = await action_items(bot)
    started = card_of(await bot.invoke(OWNER, "wellbeing.item.progress", {"item_id": item.id}))
    assert "In progress" in text(started)
    assert verbs(started) == {"wellbeing.item.done", "wellbeing.item.drop"}
    no_reason = card_of(await bot.invoke(OWNER, "wellbeing.item.drop", {"item_id": item.id}))
    assert "Write a reason" in text(no_reason)
    assert (await action_items(bot))[0].status == "in_progress"
    done = card_of(
        await bot.invoke(OWNER, "wellbeing.item.done", {"item_id": item.id, "note": "Aftalt"})
    )
    assert "Done" in text(done) and verbs(done) == set()
    assert done["refresh"]["userIds"] == []
    late = card_of(
        await bot.invoke(OWNER, "wellbeing.item.drop", {"item_id": item.id, "note": "x"})
    )
    assert "already done" in text(late)
    [stored] = await action_items(bot)
    assert stored.status == "done" and stored.closed_at is not None
    actions = [e.action for e in await audit_events(bot)]
    assert actions.count("wellbeing.item.in_progress") == 1
    assert actions.count("wellbeing.item.done") == 1


async def test_dropping_needs_a_reason_and_tells_leader_and_amk(bot: BotUnderTest) -> None:
    await _with_items(bot, row())
    [item] = await action_items(bot)
    bot.connector.clear()
    reply = card_of(
        await bot.invoke(
            OWNER, "wellbeing.item.drop", {"item_id": item.id, "note": "Løst på anden måde"}
        )
    )
    assert "Dropped" in text(reply) and "Løst på anden måde" in text(reply)
    assert bot.runtime is not None
    await bot.runtime.background.drain()
    for user in (LEADER, AMK):
        told = [m for m in to(bot.connector.messages(), user) if m.card]
        assert any("er opgivet af Otto Ejer" in m.card_text() for m in told), user.name


async def test_strangers_cannot_change_an_item(bot: BotUnderTest) -> None:
    await _with_items(bot, row())
    [item] = await action_items(bot)
    for user in (EMPLOYEE, OTHER_LEADER, CONTACT):
        reply = card_of(await bot.invoke(user, "wellbeing.item.done", {"item_id": item.id}))
        assert "Kun den ansvarlige" in text(reply)
    manager = card_of(await bot.invoke(AMK, "wellbeing.item.progress", {"item_id": item.id}))
    assert "I gang" in text(manager)
    [stored] = await action_items(bot)
    assert stored.status == "in_progress"
    refused = [e for e in await audit_events(bot) if e.action == "wellbeing.item.status.refused"]
    assert len(refused) == 3


async def test_two_clicks_at_once_give_one_change(bot: BotUnderTest) -> None:
    await _with_items(bot, row())
    [item] = await action_items(bot)
    replies = await asyncio.gather(
        *[
            bot.invoke(OWNER, verb, {"item_id": item.id, "note": "x"})
            for verb in ("wellbeing.item.done", "wellbeing.item.drop") * 3
        ]
    )
    assert all(card_of(reply) for reply in replies)
    changes = [
        e
        for e in await audit_events(bot)
        if e.action in ("wellbeing.item.done", "wellbeing.item.dropped")
    ]
    assert len(changes) == 1


async def test_owners_see_their_items_with_the_word(bot: BotUnderTest) -> None:
    await _with_items(bot, row(), row("Andet problem"))
    await bot.install_personal(OWNER)
    mine = await bot.say(OWNER, "my actions")
    assert "Andet problem" in mine[-1].card_text() and "Mange afbrydelser" in mine[-1].card_text()
    nothing = await bot.say(EMPLOYEE, "mine handlinger")
    assert "ingen åbne punkter" in nothing[-1].card_text()


# -- follow-up and overdue jobs ------------------------------------------------------------------


async def test_follow_up_asks_once_and_no_reopens_the_problem(bot: BotUnderTest) -> None:
    from tests.support.wellbeing import utc_noon

    await _with_items(bot, row())
    await bot.install_personal(OWNER)
    [item] = await action_items(bot)
    await bot.invoke(OWNER, "wellbeing.item.done", {"item_id": item.id})
    assert bot.runtime is not None
    job = next(j for j in bot.runtime.scheduler.jobs if j.name == "wellbeing.follow_ups")
    bot.connector.clear()
    await job.run(utc_noon(item.follow_up_on) - __import__("datetime").timedelta(days=1))
    assert to(bot.connector.messages(), OWNER) == []
    when = utc_noon(item.follow_up_on)
    await asyncio.gather(job.run(when), job.run(when))
    await job.run(when + __import__("datetime").timedelta(days=3))
    asked = [m for m in to(bot.connector.messages(), OWNER) if m.card]
    assert len(asked) == 1 and "does the solution work" in asked[0].card_text()
    assert verbs(asked[0].card) == {"wellbeing.item.evaluate"}
    missing = card_of(
        await bot.invoke(OWNER, "wellbeing.item.evaluate", {"item_id": item.id, "effect": "no"})
    )
    assert "Write briefly" in text(missing)
    bot.connector.clear()
    answer = card_of(
        await bot.invoke(
            OWNER,
            "wellbeing.item.evaluate",
            {"item_id": item.id, "effect": "no", "note": "Stadig mange afbrydelser"},
        )
    )
    assert "reopened as item #2" in text(answer)
    again = card_of(
        await bot.invoke(OWNER, "wellbeing.item.evaluate", {"item_id": item.id, "effect": "yes"})
    )
    assert "already been answered" in text(again)
    await bot.runtime.background.drain()
    first, reopened = await action_items(bot)
    assert first.effect == "no" and first.effect_note == "Stadig mange afbrydelser"
    assert reopened.reopened_from_id == first.id and reopened.status == "open"
    assert reopened.problem == first.problem and reopened.owner_id == first.owner_id
    new_card = [m for m in to(bot.connector.messages(), OWNER) if m.card]
    assert any("was reopened because the solution in #1" in m.card_text() for m in new_card)
    told = [m for m in to(bot.connector.messages(), LEADER) if m.card]
    assert any("genåbnet som punkt #2" in m.card_text() for m in told)


async def test_partly_is_recorded_without_reopening(bot: BotUnderTest) -> None:
    await _with_items(bot, row())
    [item] = await action_items(bot)
    await bot.invoke(OWNER, "wellbeing.item.done", {"item_id": item.id})
    answer = card_of(
        await bot.invoke(
            OWNER,
            "wellbeing.item.evaluate",
            {"item_id": item.id, "effect": "partly", "note": "Bedre om formiddagen"},
        )
    )
    assert "works partly" in text(answer)
    assert len(await action_items(bot)) == 1


async def test_overdue_items_are_reminded_once(bot: BotUnderTest) -> None:
    from datetime import timedelta

    from tests.support.wellbeing import utc_noon

    await _with_items(bot, row(), row("Andet problem", owner=AMK.upn))
    await bot.install_personal(OWNER)
    first, second = await action_items(bot)
    await bot.invoke(AMK, "wellbeing.item.done", {"item_id": second.id})
    assert bot.runtime is not None
    job = next(j for j in bot.runtime.scheduler.jobs if j.name == "wellbeing.overdue")
    bot.connector.clear()
    await job.run(utc_noon(first.deadline))
    assert bot.connector.messages() == []
    later = utc_noon(first.deadline + timedelta(days=1))
    await asyncio.gather(job.run(later), job.run(later))
    await job.run(later + timedelta(days=5))
    reminders = [m for m in bot.connector.messages() if m.card]
    assert len(reminders) == 1 and reminders[0].conversation_id == OWNER.chat_id
    assert "the deadline has passed" in reminders[0].card_text()
    async with orm_session(bot.runtime.db) as session:
        claims = await session.scalar(
            select(func.count()).where(JobRun.key.like("wellbeing:overdue:%"))
        )
    assert claims == 1


# -- the plan, the notes and who sees what ---------------------------------------------------


async def test_every_employee_sees_the_plan_but_never_the_notes(bot: BotUnderTest) -> None:
    kemi, _ = await _with_items(bot, row())
    picker = await bot.say(EMPLOYEE, "handlingsplan")
    assert "Hvilken enheds handlingsplan" in picker[-1].card_text()
    plan = card_of(await bot.invoke(EMPLOYEE, "wellbeing.plan.show", {"unit_id": kemi}))
    shown = text(plan)
    assert "Handlingsplan – Kemi" in shown and "Mange afbrydelser" in shown
    assert "Aftal stilletimer" in shown and "otto@uni.dk" in shown
    assert WELL not in shown and CHALLENGES not in shown
    assert verbs(plan) == {"wellbeing.plan.pick"}
    notes = card_of(await bot.invoke(EMPLOYEE, "wellbeing.notes.show", {"unit_id": kemi}))
    assert WELL not in text(notes) and "kan kun læses af enhedens leder" in text(notes)


async def test_known_unit_skips_the_picker(bot: BotUnderTest) -> None:
    await _with_items(bot, row())
    plan = await bot.say(CONTACT, "handlingsplan")
    assert "Handlingsplan – Kemi" in plan[-1].card_text()
    leader = await bot.say(LEADER, "action plan")
    card = leader[-1].card
    assert {"wellbeing.items.add", "wellbeing.notes.show", "wellbeing.item.edit"} <= verbs(card)


@pytest.mark.parametrize(
    ("who", "reads"),
    [
        (LEADER, True),
        (AMK, True),
        (OTHER_LEADER, False),
        (SECRETARIAT, False),
        (ADMIN, False),
        (EMPLOYEE, False),
        (CONTACT, False),
    ],
    ids=lambda value: value.name if hasattr(value, "name") else str(value),
)
async def test_who_reads_the_notes(bot: BotUnderTest, who: object, reads: bool) -> None:
    assert isinstance(who, type(AMK))
    kemi, dialogue_id = await _with_items(bot, row())
    reply = card_of(
        await bot.invoke(who, "wellbeing.notes.show", {"unit_id": kemi, "dialogue_id": dialogue_id})
    )
    shown = text(reply)
    assert (WELL in shown) is reads and (CHALLENGES in shown) is reads
    events = await audit_events(bot)
    if reads:
        assert "Fortroligt" in shown
        assert [e.action for e in events].count("wellbeing.notes.read") == 1
    else:
        assert any(e.action == "wellbeing.notes.read.refused" for e in events)
    if who is SECRETARIAT:
        assert "Tal for enheden (ikke noternes tekst)" in shown and "**Kemi**" in shown
    if who is ADMIN:
        assert "Figures for the unit (not the text of the notes)" in shown


async def test_the_facilitator_reads_their_own_notes_only(bot: BotUnderTest) -> None:
    kemi, fysik = await setup(bot)
    await record(bot, SECRETARIAT, kemi)
    await record(bot, LEADER, kemi, works_well="Lises egne noter", challenges="")
    reply = card_of(await bot.invoke(SECRETARIAT, "wellbeing.notes.show", {"unit_id": kemi}))
    assert WELL in text(reply) and "Lises egne noter" not in text(reply)
    lise_dialogue = (await dialogues(bot))[1]
    other = card_of(
        await bot.invoke(
            SECRETARIAT,
            "wellbeing.notes.show",
            {"unit_id": kemi, "dialogue_id": lise_dialogue.id},
        )
    )
    assert "Lises egne noter" not in text(other)
    leader = card_of(await bot.invoke(LEADER, "wellbeing.notes.show", {"unit_id": kemi}))
    assert "Lises egne noter" in text(leader) or WELL in text(leader)
    assert fysik


async def test_leader_edits_an_item_and_the_owner_card_follows(bot: BotUnderTest) -> None:
    await _with_items(bot, row())
    await bot.install_personal(OWNER)
    [item] = await action_items(bot)
    assert bot.runtime is not None
    delivery = next(j for j in bot.runtime.scheduler.jobs if j.name == "wellbeing.delivery")
    await delivery.run(item.created_at)
    assert [m for m in to(bot.connector.messages(), OWNER) if m.card]
    form = card_of(await bot.invoke(LEADER, "wellbeing.item.edit", {"item_id": item.id}))
    assert inputs(form)["owner"] == OWNER.upn
    refused = card_of(await bot.invoke(EMPLOYEE, "wellbeing.item.edit", {"item_id": item.id}))
    assert "Kun enhedens leder og AMK" in text(refused)
    bot.connector.clear()
    saved = card_of(
        await bot.invoke(
            LEADER,
            "wellbeing.item.save",
            {
                "item_id": item.id,
                "problem": "Mange afbrydelser om formiddagen",
                "action": "Stilletimer 9-11",
                "owner": AMK.upn,
                "deadline": day(20),
                "follow_up": day(50),
            },
        )
    )
    assert "Gemt" in text(saved)
    assert bot.runtime is not None
    await bot.runtime.background.drain()
    [stored] = await action_items(bot)
    assert stored.action == "Stilletimer 9-11" and stored.deadline.isoformat() == day(20)
    to_amk = [m for m in to(bot.connector.messages(), AMK) if m.card]
    assert any("Stilletimer 9-11" in m.card_text() for m in to_amk)
    assert any(verbs(m.card) for m in to_amk)
    updates = [m for m in bot.connector.sent if m.method == "PUT"]
    former = [m for m in updates if m.conversation_id == OWNER.chat_id]
    assert former and all("Stilletimer 9-11" in m.card_text() for m in former)
    assert all(verbs(m.card) == set() for m in former)


async def test_overview_shows_counts_to_the_secretariat_only(bot: BotUnderTest) -> None:
    await _with_items(bot, row(deadline=day(0), follow_up=day(1)))
    overview = await bot.say(SECRETARIAT, "trivsel oversigt")
    shown = overview[-1].card_text()
    assert "**Kemi**" in shown and "**Fysik**" in shown and "åbne punkter: 1" in shown
    assert WELL not in shown and "Mange afbrydelser" not in shown
    leader = await bot.say(OTHER_LEADER, "wellbeing overview")
    assert "**Fysik**" in leader[-1].card_text() and "**Kemi**" not in leader[-1].card_text()
    employee = await bot.say(EMPLOYEE, "trivsel oversigt")
    assert "for ledere, AMK'er og sekretariatet" in employee[-1].card_text()


async def test_a_group_whose_dialogue_is_older_than_two_years_makes_the_unit_due(
    bot: BotUnderTest,
) -> None:
    """Kemi's small group met three days ago, its workshop group two years and a day ago: the
    overview marks Kemi as due and lists each group (names compared without case or spaces)
    with its latest dialogue and due day; the plan card every employee sees agrees, without
    the group names."""
    from tests.support.wellbeing import today

    kemi, _ = await setup(bot)
    await record(bot, LEADER, kemi, group_name="Analysegruppen")
    old = today() - timedelta(days=1)
    old = old.replace(year=old.year - 2)
    await record(bot, LEADER, kemi, group_name=" værkstedet ", held_on=old.isoformat())
    await record(bot, LEADER, kemi, group_name="Værkstedet", held_on=day(-900))
    assert len(await dialogues(bot)) == 3
    overview = (await bot.say(SECRETARIAT, "trivsel oversigt"))[-1].card_text()
    kemi_line = next(line for line in overview.split("\n\n") if "**Kemi**" in line)
    assert "næste dialog skulle være holdt" in kemi_line, kemi_line
    groups = overview.split("**Kemi**")[1]
    assert "værkstedet: seneste dialog" in groups and "Værkstedet:" not in groups
    assert "**næste skulle være holdt" in groups.split("værkstedet:")[1].split("\n")[0]
    assert "Analysegruppen: seneste dialog" in groups
    plan = text(card_of(await bot.invoke(EMPLOYEE, "wellbeing.plan.show", {"unit_id": kemi})))
    assert "(nu)" in plan and "holder dialoger i 2 grupper" in plan
    assert "værkstedet" not in plan.casefold()  # the plan is public; group names are not


# -- the annual discussion -----------------------------------------------------------------------


def _amd(unit_id: int, **changes: str) -> dict[str, str]:
    from tests.support.wellbeing import today

    values = {
        "unit_id": str(unit_id),
        "year": str(today().year),
        "held_on": day(-1),
        "participant_roles": "leader,work_env_rep,amk",
        "goals_met": "partly",
        "goals_next_year": "Færre afbrydelser",
        "cooperation": "Arbejdsmiljøgruppen mødes hvert kvartal",
        "competence_needs": "Supplerende uddannelse til ny AMR",
    }
    values.update(changes)
    return values


async def test_annual_discussion_is_recorded_once_per_year(bot: BotUnderTest) -> None:
    kemi, fysik = await setup(bot)
    form = await bot.say(AMK, "arbejdsmiljødrøftelse")
    assert inputs(form[-1].card)["unit_id"] == str(kemi)
    first = card_of(await bot.invoke(AMK, "wellbeing.amd.save", _amd(kemi)))
    assert "er registreret" in text(first)
    second = card_of(await bot.invoke(LEADER, "wellbeing.amd.save", _amd(kemi, goals_met="yes")))
    assert "er opdateret" in text(second)
    bad = card_of(await bot.invoke(LEADER, "wellbeing.amd.save", _amd(kemi, goals_next_year="")))
    assert "Skal udfyldes" in text(bad)
    other = card_of(await bot.invoke(LEADER, "wellbeing.amd.save", _amd(fysik)))
    assert "kun registrere for enheder" in text(other)
    refused = await bot.say(EMPLOYEE, "arbejdsmiljødrøftelse")
    assert "Kun enhedens leder eller AMK" in refused[-1].card_text()
    assert bot.runtime is not None
    async with orm_session(bot.runtime.db) as session:
        rows = (await session.scalars(select(WellbeingAnnualDiscussion))).all()
    assert len(rows) == 1 and rows[0].goals_met == "yes" and rows[0].unit_id == kemi


async def test_nothing_is_logged_or_audited_with_free_text(
    bot: BotUnderTest, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level("DEBUG")
    await _with_items(bot, row())
    [item] = await action_items(bot)
    await bot.invoke(OWNER, "wellbeing.item.drop", {"item_id": item.id, "note": "Hemmelig grund"})
    assert bot.runtime is not None
    await bot.runtime.background.drain()
    secrets = (WELL, CHALLENGES, "Mange afbrydelser", "Aftal stilletimer", "Hemmelig grund")
    for event in await audit_events(bot):
        dumped = text({"before": event.before, "after": event.after})
        assert not any(secret in dumped for secret in secrets), event.action
    ours = ("bot", "dialogs", "cards", "domain", "storage", "reports")
    logged = " ".join(
        record.getMessage() for record in caplog.records if record.name.startswith(ours)
    )
    assert logged  # the bot did log something, so the check below can fail
    assert not any(secret in logged for secret in secrets)
    async with orm_session(bot.runtime.db) as session:
        assert await session.scalar(select(func.count()).select_from(WellbeingDialogue)) == 1


async def test_a_second_click_on_save_stores_the_items_once(bot: BotUnderTest) -> None:
    kemi, _ = await setup(bot)
    await record(bot, LEADER, kemi)
    [stored] = await dialogues(bot)
    data = items(kemi, stored.id, row(), row("Andet"), batch="a" * 32)
    replies = await asyncio.gather(
        *[bot.invoke(LEADER, "wellbeing.items.save", data) for _ in range(3)]
    )
    assert all("Punkter gemt: 2" in text(card_of(reply)) for reply in replies)
    again = card_of(await bot.invoke(LEADER, "wellbeing.items.save", data))
    assert "Punkter gemt: 2" in text(again)
    assert len(await action_items(bot)) == 2
    other = card_of(await bot.invoke(LEADER, "wellbeing.items.save", {**data, "batch": "b" * 32}))
    assert "Punkter gemt: 2" in text(other) and len(await action_items(bot)) == 4
