"""The lone-work approver sees whether the requester's instruction and training is recorded:
the newest record of the requester in the request's unit that covers the task, with its day
and who gave it, or that none is recorded (`domain.training.matches_lone_work`)."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from domain.training import TrainingForm, TrainingKind
from services.lone_work_jobs import LoneWorkExpiry, LoneWorkReminders
from storage import training
from storage.audit import audited
from storage.lone_work_models import LoneWorkRequest
from storage.models import Person, Unit
from tests.http.test_lone_work_http import LISE, MAJA, _request, _setup, _to
from tests.support.databases import orm_session
from tests.support.teams import BotUnderTest
from tests.support.wellbeing import card_of, day, text

NONE_LINE = "ingen registrering for Maja Kemiker i Kemi, der dækker opgaven"


def record(kemi: int, activity: str, offset: int, **changes: object) -> dict[str, object]:
    values: dict[str, object] = {
        "unit_id": kemi,
        "person": MAJA.upn,
        "activity": activity,
        "kind": "instruction",
        "given_on": day(offset),
        "given_by": "Lise Leder",
        "lone_work": "false",
    }
    values.update(changes)
    return values


async def approval_text(bot: BotUnderTest) -> str:
    approval = [m for m in _to(bot.connector.messages(), LISE) if m.card]
    return approval[-1].card_text()


async def request_id(bot: BotUnderTest) -> int:
    assert bot.runtime is not None
    async with orm_session(bot.runtime.db) as session:
        return int((await session.execute(select(LoneWorkRequest.id))).scalar_one())


async def test_the_approver_is_told_when_no_training_is_recorded_and_sees_it_once_it_is(
    bot: BotUnderTest,
) -> None:
    kemi = await _setup(bot)
    await _request(bot, kemi)
    assert NONE_LINE in await approval_text(bot)

    await bot.invoke(
        LISE, "training.record", record(kemi, "Sikkert alenearbejde i lab", -40, lone_work="true")
    )
    number = await request_id(bot)
    refreshed = text(card_of(await bot.invoke(LISE, "lone_work.refresh", {"request_id": number})))
    day_shown = date.fromisoformat(day(-40)).strftime("%d.%m.%Y")
    assert (
        f"Sikkert alenearbejde i lab (instruktion, {day_shown}, givet af Lise Leder)" in refreshed
    )
    assert NONE_LINE not in refreshed
    decided = text(card_of(await bot.invoke(LISE, "lone_work.approve", {"request_id": number})))
    assert "Godkendt af Lise Leder" in decided and "Sikkert alenearbejde i lab" in decided
    # the requester's own copy does not carry the approver's line
    assert bot.runtime is not None
    await bot.runtime.background.drain()
    mine = [m for m in _to(bot.connector.messages(), MAJA) if m.card]
    assert all("Instruktion og oplæring i AMK-bot" not in m.card_text() for m in mine)


async def test_only_a_record_in_the_unit_that_covers_the_task_counts(bot: BotUnderTest) -> None:
    kemi = await _setup(bot)
    # not lone work, and not the task
    await bot.invoke(LISE, "training.record", record(kemi, "Brandslukning", -10))
    # lone work, but in another unit (imported there): the approver's unit sees only its own
    assert bot.runtime is not None
    async with bot.runtime.db.reading() as connection:
        other = (await connection.execute(select(Unit.id).where(Unit.name == "AFRI"))).one()[0]
        maja = (await connection.execute(select(Person.id).where(Person.upn == MAJA.upn))).one()[0]
    async with audited(bot.runtime.db) as connection:
        form = TrainingForm(
            person=MAJA.upn,
            activity="Alenearbejde",
            kind=TrainingKind.COURSE,
            given_on=date.fromisoformat(day(-5)),
            given_by="AFRI",
            lone_work=True,
        )
        await training.add_record(
            connection, unit_id=other, person_id=maja, form=form, actor_id=None, actor="test"
        )
    await _request(bot, kemi)
    assert NONE_LINE in await approval_text(bot)

    # the task's own words: "Destillation af opløsningsmidler"; the newest match is shown
    await bot.invoke(LISE, "training.record", record(kemi, "destillation", -300))
    await bot.invoke(
        LISE, "training.record", record(kemi, "Destillation  af opløsningsmidler", -30)
    )
    number = await request_id(bot)
    shown = text(card_of(await bot.invoke(LISE, "lone_work.refresh", {"request_id": number})))
    day_shown = date.fromisoformat(day(-30)).strftime("%d.%m.%Y")
    assert f"Destillation  af opløsningsmidler (instruktion, {day_shown}" in shown


async def test_the_reminder_and_the_expired_card_keep_the_training_line(
    bot: BotUnderTest,
) -> None:
    kemi = await _setup(bot)
    await bot.invoke(LISE, "training.record", record(kemi, "Alenearbejde, kemi", -3, kind="course"))
    await _request(bot, kemi)
    assert bot.runtime is not None
    async with orm_session(bot.runtime.db) as session:
        request = (await session.execute(select(LoneWorkRequest))).scalar_one()
    reminders = next(j for j in bot.runtime.scheduler.jobs if isinstance(j, LoneWorkReminders))
    bot.connector.clear()
    await reminders.run(request.created_at + timedelta(days=4))  # Sunday: 2 working days on
    [reminder] = _to(bot.connector.messages(), LISE)
    assert "Påmindelse" in reminder.card_text()
    assert "Alenearbejde, kemi (kursus," in reminder.card_text()

    await bot.invoke(LISE, "lone_work.approve", {"request_id": request.id})
    await bot.runtime.background.drain()
    bot.connector.clear()
    expiry = next(j for j in bot.runtime.scheduler.jobs if isinstance(j, LoneWorkExpiry))
    await expiry.run(request.expires_at + timedelta(minutes=1))
    [at_approver] = [
        item
        for item in bot.connector.sent
        if item.method == "PUT" and item.conversation_id == LISE.chat_id
    ]
    assert "Udløbet" in at_approver.card_text()
    assert "Alenearbejde, kemi (kursus," in at_approver.card_text()
