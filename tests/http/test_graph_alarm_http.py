"""A check-in alarm never waits silently for a new installation: an AMK the bot is being
installed for, whose chat Teams has not reported a minute into the round, is passed over;
the secretariat gets the alarm and the approver is told."""

from __future__ import annotations

from datetime import timedelta

from domain.org import Role
from storage import conversations, org
from storage.audit import audited
from tests.http.test_checkins_http import T0, Clock, _approved, _cards, _session, _wire
from tests.http.test_graph_install_http import bot_with_graph, graph
from tests.http.test_lone_work_http import LISE, MAJA
from tests.support.fake_graph import FakeGraph
from tests.support.teams import BotUnderTest, make_user

__all__ = ["bot_with_graph", "graph"]

ANDERS = make_user("Anders AMK", "anders@uni.dk")
SOFIE = make_user("Sofie Sekretariat", "sofie@uni.dk")


async def test_an_unreachable_alarm_recipient_is_passed_over_within_a_minute(
    bot_with_graph: BotUnderTest, graph: FakeGraph
) -> None:
    bot = bot_with_graph
    await _approved(bot, amk=ANDERS)
    assert bot.runtime is not None
    await bot.install_personal(SOFIE)
    async with audited(bot.runtime.db) as connection:
        sofie = await org.find_person(connection, aad_object_id=SOFIE.aad, upn=None)
        assert sofie is not None
        await org.assign_role(
            connection, actor="test", unit=None, person=sofie, role=Role.SECRETARIAT
        )
        # Anders removed the bot; Graph installs it again, and Teams is slow to say so
        await conversations.deactivate_conversation(connection, ANDERS.chat_id)
    graph.users.update({ANDERS.aad: ANDERS.chat_id})
    job = _wire(bot, Clock(T0))
    await bot.say(MAJA, "start alenearbejde")
    due = (await _session(bot)).due_at
    await job.run(due - timedelta(minutes=5))  # the prompt
    await job.run(due + timedelta(minutes=10))  # the second prompt
    bot.connector.clear()

    alarm_at = due + timedelta(minutes=20)
    await job.run(alarm_at)
    await bot.runtime.background.drain()
    assert len(graph.installations()) == 1
    assert len(_cards(bot.connector.messages(), LISE)) == 1
    assert _cards(bot.connector.messages(), SOFIE) == []

    await job.run(alarm_at + timedelta(seconds=30))
    assert _cards(bot.connector.messages(), SOFIE) == []

    await job.run(alarm_at + timedelta(minutes=1))
    await job.run(alarm_at + timedelta(minutes=2))
    [alarm] = _cards(bot.connector.messages(), SOFIE)
    assert "har ikke tjekket ind" in alarm.card_text()
    told = [m.card_text() for m in _cards(bot.connector.messages(), LISE)]
    assert len(told) == 2
    assert "kunne ikke nå frem til Anders" in told[1] and "Sofie" in told[1]
