"""Sister screenings over HTTP: one unit's AMK asks another unit from the documentation
overview; the other unit's AMK (here, with none, its leader) accepts with a proposed day on
its card; the asking unit hears it; both overviews show it; nobody else may answer."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from storage.screening_models import ScreeningRequest
from tests.support.databases import orm_session
from tests.support.teams import BotUnderTest
from tests.support.wellbeing import (
    AMK,
    EMPLOYEE,
    LEADER,
    OTHER_LEADER,
    audit_events,
    card_of,
    day,
    inputs,
    setup,
    text,
    to,
    verbs,
)


async def requests(bot: BotUnderTest) -> list[ScreeningRequest]:
    assert bot.runtime is not None
    async with orm_session(bot.runtime.db) as session:
        return list((await session.scalars(select(ScreeningRequest))).all())


async def test_a_sister_screening_is_asked_accepted_and_shown_in_both_overviews(
    bot: BotUnderTest,
) -> None:
    kemi, fysik = await setup(bot)
    assert bot.runtime is not None
    [shown] = await bot.say(AMK, "dokumentation")
    assert shown.card is not None and "Screeninger" in shown.card_text()
    assert "screening.ask" in verbs(shown.card)

    form = card_of(await bot.invoke(AMK, "screening.ask", {"unit_id": kemi}))
    assert "partner_id" in inputs(form)
    for wrong in ("", str(kemi)):
        again = card_of(
            await bot.invoke(AMK, "screening.send", {"unit_id": kemi, "partner_id": wrong})
        )
        assert "Vælg en anden enhed." in text(again)
    assert await requests(bot) == []
    sent = card_of(
        await bot.invoke(AMK, "screening.send", {"unit_id": kemi, "partner_id": str(fysik)})
    )
    assert "Anmodningen er sendt til Fysik." in text(sent)
    await bot.runtime.background.drain()
    [asked] = [m for m in to(bot.connector.messages(), OTHER_LEADER) if m.card]
    assert "**Kemi** beder **Fysik** om en søsterscreening" in asked.card_text()
    assert asked.card is not None and "screening.accept" in verbs(asked.card)
    [request] = await requests(bot)

    for outsider in (EMPLOYEE, LEADER):  # Kemi's leader may not answer for Fysik
        refused = card_of(
            await bot.invoke(
                outsider, "screening.accept", {"request_id": request.id, "planned_on": day(30)}
            )
        )
        assert "Kun enhedens leder og AMK" in text(refused)
    past = card_of(
        await bot.invoke(
            OTHER_LEADER, "screening.accept", {"request_id": request.id, "planned_on": day(-1)}
        )
    )
    assert "Datoen kan ikke ligge i fortiden." in text(past)
    bot.connector.clear()
    accepted = card_of(
        await bot.invoke(
            OTHER_LEADER, "screening.accept", {"request_id": request.id, "planned_on": day(30)}
        )
    )
    planned = date.fromisoformat(day(30)).strftime("%d.%m.%Y")
    assert f"Status: aftalt til {planned}" in text(accepted)
    assert "screening.accept" not in verbs(accepted)
    await bot.runtime.background.drain()
    told = [m.card_text() for m in to(bot.connector.messages(), AMK)]
    assert len(told) == 1 and "Fysik har accepteret jeres anmodning" in told[0]
    assert planned in told[0]
    twice = card_of(await bot.invoke(OTHER_LEADER, "screening.decline", {"request_id": request.id}))
    assert "Anmodningen er allerede besvaret." in text(twice)

    [kemi_view] = await bot.say(LEADER, "dokumentation")
    assert f"bad Fysik om en søsterscreening – aftalt til {planned}" in kemi_view.card_text()
    [fysik_view] = await bot.say(OTHER_LEADER, "dokumentation")
    assert f"Kemi bad om en søsterscreening – aftalt til {planned}" in fysik_view.card_text()
    actions = [e.action for e in await audit_events(bot)]
    assert "screening.request" in actions and "screening.accepted" in actions
    assert actions.count("screening.answer.refused") == 2


async def test_an_employee_cannot_ask_for_a_sister_screening(bot: BotUnderTest) -> None:
    kemi, fysik = await setup(bot)
    refused = card_of(
        await bot.invoke(EMPLOYEE, "screening.send", {"unit_id": kemi, "partner_id": str(fysik)})
    )
    assert "Kun enhedens leder og AMK" in text(refused)
    overview = card_of(await bot.invoke(EMPLOYEE, "documentation.show", {"unit_id": kemi}))
    assert "screening.ask" not in verbs(overview)
    assert await requests(bot) == []
