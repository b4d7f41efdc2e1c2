"""Dialog state is encoded once to see whether it changed and that text is what is stored."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from bot import state as state_module
from storage.models import DialogStateRow
from tests.support.databases import orm_session
from tests.support.teams import BotUnderTest, make_user


async def test_a_turn_encodes_its_state_twice_at_most_and_stores_that_text(
    bot: BotUnderTest, monkeypatch: pytest.MonkeyPatch
) -> None:
    user = make_user("Mette Hansen", "meha@uni.dk")
    await bot.say(user, "hjælp")
    encoded: list[str] = []
    original = state_module.encode_state

    def counting(value: object) -> str:
        text = original(value)
        encoded.append(text)
        return text

    monkeypatch.setattr(state_module, "encode_state", counting)
    form = await bot.say(user, "alenearbejde")
    assert form and form[0].card
    assert len(encoded) <= 2
    assert bot.runtime is not None
    async with orm_session(bot.runtime.db) as session:
        stored = (
            await session.scalars(
                select(DialogStateRow.data).where(DialogStateRow.key.contains(user.chat_id))
            )
        ).one()
    assert stored == encoded[-1]
    encoded.clear()
    await bot.say(user, "hjælp")
    assert len(encoded) <= 2
