"""Learning from a work accident over HTTP, each person in their own chat: the AMK records the
causes and a corrective action with an owner, the owner marks it done from their own card
(and is reminded on the due date), the AMK closes with a conclusion, and the injured person
hears it if they asked to; a psychological accident keeps its confidential path."""

from __future__ import annotations

import json
from datetime import datetime, time, timedelta
from typing import Any

from sqlalchemy import select

from domain.i18n import COPENHAGEN
from services.work_accident import DatabaseWorkAccidentServices
from services.work_accident_learning import ActionReminders, WorkAccidentLearning
from storage.models import Person
from storage.work_accident_models import WorkAccidentAction
from tests.support.card_nodes import walk
from tests.support.databases import orm_session
from tests.support.teams import BotUnderTest, Reply, User
from tests.support.work_accident import (
    AMK,
    INJURED,
    LEADER,
    OUTSIDER,
    accidents,
    audit_events,
    cards_to,
    execute_verbs,
    report,
    setup,
    today,
)

CAUSES = "Kolben var revnet, og opvaskestativet står for lavt."
ACTION = "Flyt opvaskestativet op i arbejdshøjde"
CONCLUSION = "Stativet er flyttet, og revnede kolber kasseres nu med det samme."


def _card(reply: Reply) -> dict[str, Any]:
    assert reply.status == 200, reply
    card: dict[str, Any] = reply.body["value"]
    return card


def _text(card: dict[str, Any]) -> str:
    return " ".join(
        str(value) for node in walk(card) for value in node.values() if isinstance(value, str)
    )


def _verbs(card: dict[str, Any]) -> set[str]:
    return execute_verbs(card)


async def _actions(bot: BotUnderTest) -> list[WorkAccidentAction]:
    assert bot.runtime is not None
    async with orm_session(bot.runtime.db) as session:
        found = await session.scalars(select(WorkAccidentAction).order_by(WorkAccidentAction.id))
        return list(found.all())


async def _drain(bot: BotUnderTest) -> None:
    assert bot.runtime is not None
    await bot.runtime.background.drain()


async def _investigated(bot: BotUnderTest, **changes: Any) -> int:
    """A reported accident whose AMK has recorded the causes and given Ole an action due in a
    week; the chats emptied."""
    kemi = await setup(bot)
    await report(bot, INJURED, kemi, **changes)
    (stored,) = await accidents(bot)
    causes = await bot.invoke(
        AMK, "work_accident.causes", {"accident_id": stored.id, "causes": CAUSES}
    )
    assert "The causes are saved." in _text(_card(causes))
    added = await bot.invoke(
        AMK,
        "work_accident.action.add",
        {
            "accident_id": stored.id,
            "action_description": ACTION,
            "action_owner": OUTSIDER.upn,
            "action_due": (today() + timedelta(days=7)).isoformat(),
        },
    )
    added_text = _text(_card(added))
    assert "Ole Udenfor has been told" in added_text
    assert ACTION in added_text and CAUSES in added_text
    await _drain(bot)
    return stored.id


async def test_investigate_act_close_and_the_injured_person_is_told(bot: BotUnderTest) -> None:
    accident_id = await _investigated(bot, wants_outcome="true")
    (owner_card,) = cards_to(bot, OUTSIDER)
    owner_text = owner_card.card_text()
    assert ACTION in owner_text and "Tiltag efter arbejdsulykke" in owner_text
    assert "kolbe ved opvasken" not in owner_text and "Ida" not in owner_text
    assert _verbs(owner_card.card or {}) == {"work_accident.action.done"}
    (action,) = await _actions(bot)
    assert (action.owner_id, action.status) != (None, "done")

    # not closed while the action is open: no button on the AMK's updated copy, and a click
    # is refused with the reason
    amk_copy = [
        s for s in bot.connector.sent if s.method == "PUT" and s.conversation_id == AMK.chat_id
    ]
    assert ACTION in amk_copy[-1].card_text() and CAUSES in amk_copy[-1].card_text()
    assert "work_accident.close" not in _verbs(amk_copy[-1].card or {})
    early = await bot.invoke(
        AMK, "work_accident.close", {"accident_id": accident_id, "conclusion": CONCLUSION}
    )
    assert "cannot be closed while corrective actions are open (1)" in _text(_card(early))

    # the owner marks it done from their own card, and may do nothing else
    done = await bot.invoke(
        OUTSIDER,
        "work_accident.action.done",
        {"accident_id": accident_id, "action_id": action.id, "card": "owner"},
    )
    done_card = _card(done)
    assert "Tiltaget er markeret som udført." in _text(done_card)
    assert "kolbe ved opvasken" not in _text(done_card)
    assert _verbs(done_card) == set()
    refused = await bot.invoke(
        OUTSIDER, "work_accident.causes", {"accident_id": accident_id, "causes": "Noget andet."}
    )
    assert "enhedens AMK" in _text(_card(refused))
    (refusal,) = await audit_events(bot, "work_accident.refused")
    assert refusal.after == {"attempt": "causes", "reason": "not_allowed"}
    await _drain(bot)

    # the AMK's copy shows it done and now offers closing; the leader reads but cannot act
    bot.connector.clear()
    closed = await bot.invoke(
        AMK,
        "work_accident.close",
        {"accident_id": accident_id, "conclusion": CONCLUSION, "tell_injured": "true"},
    )
    closed_text = _text(_card(closed))
    assert "the person who was hurt is sent the conclusion" in closed_text
    assert CONCLUSION in closed_text
    assert _verbs(_card(closed)) == {"work_accident.filed", "work_accident.not_required"}
    await _drain(bot)
    (told,) = cards_to(bot, INJURED)
    told_text = told.card_text()
    assert "Ulykken er undersøgt" in told_text and CONCLUSION in told_text and ACTION in told_text
    (stored,) = await accidents(bot)
    assert stored.conclusion == CONCLUSION and stored.outcome_wanted is True
    assert stored.closed_at is not None and stored.causes == CAUSES
    events = [
        *await audit_events(bot, "work_accident.causes"),
        *await audit_events(bot, "work_accident.action"),
        *await audit_events(bot, "work_accident.close"),
    ]
    assert [event.action for event in events] == [
        "work_accident.causes",
        "work_accident.action.add",
        "work_accident.action.done",
        "work_accident.close",
    ]
    recorded = json.dumps([event.after for event in events], ensure_ascii=False)
    for typed in (CAUSES, ACTION, CONCLUSION, "Ole"):
        assert typed not in recorded

    # a second close changes nothing
    again = await bot.invoke(
        AMK, "work_accident.close", {"accident_id": accident_id, "conclusion": CONCLUSION}
    )
    assert "already closed" in _text(_card(again))
    assert len(await audit_events(bot, "work_accident.close")) == 1


async def test_the_injured_person_who_did_not_ask_is_not_told(bot: BotUnderTest) -> None:
    accident_id = await _investigated(bot)
    (action,) = await _actions(bot)
    await bot.invoke(
        AMK, "work_accident.action.done", {"accident_id": accident_id, "action_id": action.id}
    )
    await _drain(bot)
    bot.connector.clear()
    closed = await bot.invoke(
        AMK, "work_accident.close", {"accident_id": accident_id, "conclusion": CONCLUSION}
    )
    assert "The investigation is closed." in _text(_card(closed))
    await _drain(bot)
    assert cards_to(bot, INJURED) == []
    (stored,) = await accidents(bot)
    assert stored.outcome_wanted is False


async def test_mistakes_are_shown_and_nothing_is_stored(bot: BotUnderTest) -> None:
    kemi = await setup(bot)
    await report(bot, INJURED, kemi)
    (stored,) = await accidents(bot)
    short = await bot.invoke(AMK, "work_accident.causes", {"accident_id": stored.id, "causes": "x"})
    assert "at least 10 characters" in _text(_card(short))
    for owner, due, error in (
        ("ikke en adresse", today(), "Pick the owner, or enter a valid e-mail address."),
        (OUTSIDER.upn, today() - timedelta(days=1), "The due date has passed."),
    ):
        wrong = await bot.invoke(
            AMK,
            "work_accident.action.add",
            {
                "accident_id": stored.id,
                "action_description": ACTION,
                "action_owner": owner,
                "action_due": due.isoformat(),
            },
        )
        assert error in _text(_card(wrong))
    leader = await bot.invoke(
        LEADER, "work_accident.causes", {"accident_id": stored.id, "causes": CAUSES}
    )
    assert "enhedens AMK" in _text(_card(leader))
    assert await _actions(bot) == []
    (again,) = await accidents(bot)
    assert again.causes is None


async def test_a_psychological_accident_keeps_its_confidential_path(bot: BotUnderTest) -> None:
    accident_id = await _investigated(
        bot,
        injury_kind="psychological",
        description="Blev truet af en besøgende i receptionen.",
        absence="no",
        absence_from="",
        wants_outcome="true",
        withhold_name="true",
    )
    (owner_card,) = cards_to(bot, OUTSIDER)
    assert "truet" not in owner_card.card_text()
    reads = await audit_events(bot, "work_accident.read")
    via = [(event.actor, (event.after or {}).get("via")) for event in reads]
    amk_id, owner_id = await _person_id(bot, AMK), await _person_id(bot, OUTSIDER)
    assert (f"person:{amk_id}", "causes") in via
    assert (f"person:{owner_id}", "action_owner") in via
    (action,) = await _actions(bot)
    await bot.invoke(
        OUTSIDER, "work_accident.action.done", {"accident_id": accident_id, "action_id": action.id}
    )
    await _drain(bot)
    bot.connector.clear()
    await bot.invoke(
        AMK,
        "work_accident.close",
        {"accident_id": accident_id, "conclusion": CONCLUSION, "tell_injured": "true"},
    )
    await _drain(bot)
    (told,) = cards_to(bot, INJURED)
    assert CONCLUSION in told.card_text()
    reads = await audit_events(bot, "work_accident.read")
    injured_id = await _person_id(bot, INJURED)
    assert (f"person:{injured_id}", "outcome") in [
        (event.actor, (event.after or {}).get("via")) for event in reads
    ]


async def test_the_owner_is_reminded_once_at_eight_on_the_due_date(bot: BotUnderTest) -> None:
    await _investigated(bot)
    bot.connector.clear()
    assert bot.runtime is not None
    due = today() + timedelta(days=7)

    def job() -> ActionReminders:
        assert bot.runtime is not None
        services = DatabaseWorkAccidentServices(bot.runtime.db, bot.runtime.notifier)
        return ActionReminders(WorkAccidentLearning(services))

    first, second = job(), job()
    await first.run(datetime.combine(due, time(7, 59), tzinfo=COPENHAGEN))
    assert cards_to(bot, OUTSIDER) == []
    for moment in (time(8, 0), time(8, 1), time(15, 0)):
        for instance in (first, second):
            await instance.run(datetime.combine(due, moment, tzinfo=COPENHAGEN))
    (reminder,) = cards_to(bot, OUTSIDER)
    assert "Fristen for dette tiltag er i dag" in reminder.card_text()
    assert "work_accident.action.done" in _verbs(reminder.card or {})
    (action,) = await _actions(bot)
    assert action.reminded_at is not None
    assert len(await audit_events(bot, "work_accident.action.remind")) == 1


async def _person_id(bot: BotUnderTest, user: User) -> int:
    assert bot.runtime is not None
    async with orm_session(bot.runtime.db) as session:
        found = await session.scalars(select(Person.id).where(Person.upn == user.upn))
        return int(found.one())
