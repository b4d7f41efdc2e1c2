"""A lone-work request is answered at once; its cards go out after the answer and are never
lost: they are kept in the request's own transaction until Teams has taken them."""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from domain.org import OrgFile
from storage import conversations, org
from storage.audit import audited
from storage.lone_work_models import LoneWorkRequest
from storage.models import JobRun, Unit
from tests.http.test_lone_work_http import LISE, MAJA, form
from tests.support.databases import orm_session
from tests.support.fake_connector import Sent, status, taken_unanswered
from tests.support.teams import BotUnderTest, User, make_user

AMALIE = make_user("Amalie AMK", "amalie@uni.dk", "da-DK")


async def _kemi(
    bot: BotUnderTest, *, chats: list[User], leaders: tuple[User, ...] = (LISE,)
) -> int:
    """Kemi led by `leaders`, with Amalie as its AMK; only `chats` have opened the bot."""
    assert bot.runtime is not None
    unit: dict[str, Any] = {
        "name": "Kemi",
        "leader": [{"upn": user.upn, "aad_object_id": user.aad} for user in leaders],
        "amk": [{"upn": AMALIE.upn, "aad_object_id": AMALIE.aad}],
    }
    async with audited(bot.runtime.db) as connection:
        await org.import_org(connection, OrgFile.model_validate({"units": [unit]}), actor="test")
        kemi = (await connection.execute(select(Unit.id).where(Unit.name == "Kemi"))).scalar_one()
    for user in chats:
        await bot.install_personal(user)
    bot.connector.clear()
    return int(kemi)


async def _send_request(bot: BotUnderTest, kemi: int) -> list[Sent]:
    """Maja fills in and sends a request; what her own turn got back."""
    await bot.say(MAJA, "alenearbejde")
    await bot.submit(MAJA, form(kemi))
    bot.connector.clear()
    return await bot.submit(MAJA, {"action": "lone_work.form.send"})


async def _tick(bot: BotUnderTest, now: datetime) -> None:
    assert bot.runtime is not None
    bot.runtime.scheduler.clock = lambda: now
    await bot.runtime.scheduler.tick()
    await bot.runtime.background.drain()


def _posts_to(bot: BotUnderTest, user: User) -> list[Sent]:
    return [m for m in bot.connector.messages() if m.conversation_id == user.chat_id]


def _approval_cards(bot: BotUnderTest) -> list[Sent]:
    return [m for m in _posts_to(bot, LISE) if "Godkend" in m.card_text()]


def _requester_cards(bot: BotUnderTest) -> list[Sent]:
    return [m for m in _posts_to(bot, MAJA) if "Afventer godkendelse" in m.card_text()]


def _status_cards(bot: BotUnderTest) -> list[Sent]:
    """Maja's own card about her request, whatever its state (it shows the work to be done)."""
    return [m for m in _posts_to(bot, MAJA) if "Destillation af opløsningsmidler" in m.card_text()]


async def _kept(bot: BotUnderTest) -> list[str]:
    assert bot.runtime is not None
    async with orm_session(bot.runtime.db) as session:
        return list(
            (await session.scalars(select(JobRun.key).where(JobRun.key.like("redeliver:%")))).all()
        )


def _dies_after_answering(bot: BotUnderTest) -> None:
    """The work after the answer never runs, as when the process dies right after it."""
    assert bot.runtime is not None

    def dropped(work: Coroutine[Any, Any, None], *, name: str) -> None:
        work.close()

    bot.runtime.notifier.later = dropped  # type: ignore[method-assign]


async def _only_request_id(bot: BotUnderTest) -> int:
    assert bot.runtime is not None
    async with orm_session(bot.runtime.db) as session:
        return int((await session.execute(select(LoneWorkRequest.id))).scalar_one())


async def _amk_told_once_and_nothing_kept(bot: BotUnderTest) -> None:
    """After the work that follows the answer: Amalie got one notice, no card is kept."""
    assert bot.runtime is not None
    await bot.runtime.background.drain()
    told = [m.card_text() for m in _posts_to(bot, AMALIE)]
    assert len(told) == 1 and "Enhed uden godkender" in told[0]
    assert await _kept(bot) == []


async def test_the_answer_comes_first_then_each_card_once(bot: BotUnderTest) -> None:
    kemi = await _kemi(bot, chats=[MAJA, LISE])
    answered = await _send_request(bot, kemi)
    assert bot.runtime is not None
    await bot.runtime.background.drain()
    assert any("er sendt til Lise Leder" in m.text for m in answered)
    order = [m for m in bot.connector.messages() if m.card or "er sendt til" in m.text]
    assert "er sendt til Lise Leder" in order[0].text, "the answer is not waiting for the cards"
    assert len(_requester_cards(bot)) == 1 and len(_approval_cards(bot)) == 1
    assert await _kept(bot) == [], "cards Teams took are not kept for redelivery"
    now = datetime.now(UTC)
    for minutes in (6, 60):
        await _tick(bot, now + timedelta(minutes=minutes))
    assert len(_requester_cards(bot)) == 1 and len(_approval_cards(bot)) == 1


async def test_cards_of_a_process_that_died_after_answering_are_sent_at_the_next_round(
    bot: BotUnderTest,
) -> None:
    kemi = await _kemi(bot, chats=[MAJA, LISE])
    _dies_after_answering(bot)
    answered = await _send_request(bot, kemi)
    assert any("er sendt til Lise Leder" in m.text for m in answered)
    assert _approval_cards(bot) == [] and _requester_cards(bot) == []
    await bot.restart()
    now = datetime.now(UTC)
    await _tick(bot, now + timedelta(minutes=1))
    assert len(_approval_cards(bot)) == 1 and len(_requester_cards(bot)) == 1, (
        "cards whose send never started do not wait for the grace of a started one"
    )
    assert not any("Sendt igen" in m.card_text() for m in bot.connector.messages())
    await _tick(bot, now + timedelta(hours=2))
    assert len(_approval_cards(bot)) == 1 and len(_requester_cards(bot)) == 1

    bot.connector.clear()
    reply = await bot.invoke(LISE, "lone_work.approve", {"request_id": await _only_request_id(bot)})
    assert reply.status == 200
    assert bot.runtime is not None
    await bot.runtime.background.drain()
    updated = {m.conversation_id for m in bot.connector.sent if m.method == "PUT"}
    assert updated == {MAJA.chat_id, LISE.chat_id}, "the redelivered cards update in place"


class ProcessDied(Exception):
    """Stands for a kill -9: nothing the process would have done next happens."""


async def test_a_process_killed_while_teams_took_the_first_card(
    bot: BotUnderTest, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Teams has the requester's card, the process dies before it records that, and before
    it started the approver's card: the approver's card goes at the next round; the
    requester's, whose fate is unknown, waits the grace and comes again, marked, as the
    request now stands."""
    kemi = await _kemi(bot, chats=[MAJA, LISE])

    async def dies(*args: Any, **kwargs: Any) -> None:
        raise ProcessDied

    monkeypatch.setattr(conversations, "mark_sent", dies)
    await _send_request(bot, kemi)
    assert bot.runtime is not None
    await bot.runtime.background.drain()
    monkeypatch.undo()
    assert len(_status_cards(bot)) == 1 and _approval_cards(bot) == []
    await bot.restart()
    now = datetime.now(UTC)
    await _tick(bot, now + timedelta(minutes=1))
    assert len(_approval_cards(bot)) == 1, "the approver's card was never handed to Teams"
    assert len(_status_cards(bot)) == 1, "a card Teams may have waits the grace"

    reply = await bot.invoke(LISE, "lone_work.approve", {"request_id": await _only_request_id(bot)})
    assert reply.status == 200
    assert bot.runtime is not None
    await bot.runtime.background.drain()
    await _tick(bot, now + timedelta(minutes=4))
    assert len(_status_cards(bot)) == 1
    await _tick(bot, now + timedelta(minutes=6))
    mine = _status_cards(bot)
    assert len(mine) == 2 and len(_approval_cards(bot)) == 1
    assert "Afventer godkendelse" in mine[0].card_text()
    assert "Sendt igen" not in mine[0].card_text()
    assert "Sendt igen: AMK-bot blev afbrudt" in mine[1].card_text()
    assert "Godkendt af Lise Leder" in mine[1].card_text(), "sent again as it now stands"
    await _tick(bot, now + timedelta(hours=2))
    assert len(_status_cards(bot)) == 2 and len(_approval_cards(bot)) == 1

    bot.connector.clear()
    reply = await bot.invoke(
        LISE, "lone_work.revoke", {"request_id": await _only_request_id(bot), "note": "Stop"}
    )
    assert reply.status == 200
    await bot.runtime.background.drain()
    put = [m for m in bot.connector.sent if m.method == "PUT" and m.conversation_id == MAJA.chat_id]
    assert len(put) == 1 and put[0].path.endswith(f"/{mine[1].answered_id}"), (
        "the copy the bot recorded is the one it keeps up to date"
    )


async def test_a_round_and_the_answering_process_never_both_send_a_card(
    bot: BotUnderTest,
) -> None:
    """A scheduler round takes the kept cards while the work after the answer has not started
    yet (a busy process): whoever starts a card's send first sends it, the other leaves it."""
    kemi = await _kemi(bot, chats=[MAJA, LISE])
    assert bot.runtime is not None
    held: list[Coroutine[Any, Any, None]] = []
    bot.runtime.notifier.later = lambda work, *, name: held.append(work)  # type: ignore[method-assign]
    await _send_request(bot, kemi)
    bot.connector.plan(rf"POST /v3/conversations/{MAJA.chat_id}/activities$", taken_unanswered())
    tick = asyncio.create_task(_tick(bot, datetime.now(UTC) + timedelta(minutes=6)))
    await bot.connector.holding.wait()
    for work in held:
        await work
    bot.connector.release()
    await tick
    await bot.runtime.background.drain()
    assert len(_requester_cards(bot)) == 1 and len(_approval_cards(bot)) == 1
    assert not any("Sendt igen" in m.card_text() for m in bot.connector.messages())


async def test_an_approver_who_never_opened_the_bot(bot: BotUnderTest) -> None:
    kemi = await _kemi(bot, chats=[MAJA, AMALIE])
    answered = await _send_request(bot, kemi)
    assert any("venter på lise@uni.dk, som endnu ikke har åbnet" in m.text for m in answered)
    await _amk_told_once_and_nothing_kept(bot)
    assert len(_requester_cards(bot)) == 1
    await _tick(bot, datetime.now(UTC) + timedelta(minutes=10))
    assert len(_posts_to(bot, AMALIE)) == 1 and len(_requester_cards(bot)) == 1


async def test_an_approver_teams_refuses_to_reach(bot: BotUnderTest) -> None:
    kemi = await _kemi(bot, chats=[MAJA, LISE, AMALIE])
    bot.connector.plan(rf"POST /v3/conversations/{LISE.chat_id}/activities", status(403))
    answered = await _send_request(bot, kemi)
    assert any("er sendt til Lise Leder" in m.text for m in answered)
    await _amk_told_once_and_nothing_kept(bot)
    assert bot.connector.pending_faults() == 0
    notices = [m.card_text() for m in _posts_to(bot, MAJA) if "kunne ikke levere" in m.card_text()]
    assert len(notices) == 1 and "Lise Leder" in notices[0]
    assert "Godkenderen kunne ikke nås" in notices[0]
    await _tick(bot, datetime.now(UTC) + timedelta(minutes=10))
    assert _approval_cards(bot) == [] and len(_posts_to(bot, AMALIE)) == 1


async def test_a_unit_without_a_leader(bot: BotUnderTest) -> None:
    kemi = await _kemi(bot, chats=[MAJA, AMALIE], leaders=())
    answered = await _send_request(bot, kemi)
    assert any("Kemi har ingen leder registreret" in m.text for m in answered)
    await _amk_told_once_and_nothing_kept(bot)
    assert len(_requester_cards(bot)) == 1


def _decisions_told(bot: BotUnderTest) -> list[Sent]:
    return [m for m in _posts_to(bot, MAJA) if "er godkendt af Lise Leder" in m.card_text()]


async def test_the_decision_reaches_the_requester_once(bot: BotUnderTest) -> None:
    kemi = await _kemi(bot, chats=[MAJA, LISE])
    await _send_request(bot, kemi)
    assert bot.runtime is not None
    await bot.runtime.background.drain()
    reply = await bot.invoke(LISE, "lone_work.approve", {"request_id": await _only_request_id(bot)})
    assert reply.status == 200
    await bot.runtime.background.drain()
    assert len(_decisions_told(bot)) == 1
    assert await _kept(bot) == []
    await _tick(bot, datetime.now(UTC) + timedelta(minutes=10))
    assert len(_decisions_told(bot)) == 1


async def test_a_decision_answered_by_a_process_that_then_died_still_reaches_the_requester(
    bot: BotUnderTest,
) -> None:
    kemi = await _kemi(bot, chats=[MAJA, LISE])
    await _send_request(bot, kemi)
    assert bot.runtime is not None
    await bot.runtime.background.drain()
    _dies_after_answering(bot)
    reply = await bot.invoke(LISE, "lone_work.approve", {"request_id": await _only_request_id(bot)})
    assert reply.status == 200 and "Godkendt af Lise Leder" in str(reply.body)
    assert _decisions_told(bot) == []
    await bot.restart()
    now = datetime.now(UTC)
    await _tick(bot, now + timedelta(minutes=1))
    assert len(_decisions_told(bot)) == 1
    await _tick(bot, now + timedelta(hours=2))
    assert len(_decisions_told(bot)) == 1
