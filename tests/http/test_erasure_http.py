"""An administrator erases a person from Teams: the admin card's "Slet/pseudonymisér en
person" opens a form, the bot shows what would change (the command line's dry run) with a
confirm button, and only the confirmation erases (nothing naming the person is left in any
table); an unknown or mistyped e-mail comes back under the field, and anyone else is refused;
every look, erasure and refusal is audited."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator

import pytest
from sqlalchemy import select

from storage.models import AuditEvent, Person
from tests.conftest import DatabaseTarget
from tests.http.test_lone_work_http import LISE, MAJA, _request, _setup
from tests.http.test_my_data_http import _person, _traces
from tests.support.card_nodes import walk
from tests.support.databases import orm_session
from tests.support.fake_connector import FakeConnector
from tests.support.fake_graph import FakeGraph
from tests.support.teams import BotUnderTest, make_user
from tests.support.wellbeing import card_of, inputs, text, verbs

ADMIN = make_user("Ada Admin", "admin@uni.dk", "da-DK")
PEOPLE = {"type": "Data.Query", "dataset": "graph.microsoft.com/users"}


async def _events(bot: BotUnderTest, prefix: str) -> list[AuditEvent]:
    assert bot.runtime is not None
    async with orm_session(bot.runtime.db) as session:
        found = await session.scalars(
            select(AuditEvent).where(AuditEvent.action.startswith(prefix)).order_by(AuditEvent.id)
        )
        return list(found.all())


async def test_anyone_but_an_administrator_is_refused_and_it_is_audited(
    bot: BotUnderTest,
) -> None:
    await _setup(bot)
    for verb, data in (
        ("admin.erase.form", {}),
        ("admin.erase.preview", {"person": MAJA.upn}),
        ("admin.erase.confirm", {"person": MAJA.upn}),
    ):
        refused = text(card_of(await bot.invoke(LISE, verb, data)))
        assert "Kun en administrator kan slette en person." in refused, verb
        assert "Slettet person" not in refused
    actions = [event.action for event in await _events(bot, "person.erase")]
    assert actions == [
        "person.erase.preview.refused",
        "person.erase.preview.refused",
        "person.erase.refused",
    ]
    maja = await _person(bot, MAJA)
    assert maja.name == MAJA.name and maja.upn == MAJA.upn


async def test_the_administrator_sees_what_would_change_then_confirms(bot: BotUnderTest) -> None:
    kemi = await _setup(bot)
    await _request(bot, kemi)
    await bot.install_personal(ADMIN)
    [picker] = await bot.say(ADMIN, "admin")
    assert picker.card is not None and "admin.erase.form" in verbs(picker.card)
    assert "Slet/pseudonymisér en person" in picker.card_text()

    form = card_of(await bot.invoke(ADMIN, "admin.erase.form", {}))
    assert "person" in inputs(form) and "admin.erase.preview" in verbs(form)

    # a mistyped and an unknown address come back under the field; nothing is looked at
    typo = card_of(await bot.invoke(ADMIN, "admin.erase.preview", {"person": "maja"}))
    assert "Skriv personens e-mailadresse" in text(typo) and inputs(typo)["person"] == "maja"
    unknown = card_of(await bot.invoke(ADMIN, "admin.erase.preview", {"person": "ingen@uni.dk"}))
    assert "AMK-bot kender ingen med den e-mailadresse" in text(unknown)
    assert inputs(unknown)["person"] == "ingen@uni.dk"
    assert await _events(bot, "person.erase") == []

    me = await _person(bot, MAJA)
    shown = card_of(await bot.invoke(ADMIN, "admin.erase.preview", {"person": "Maja@UNI.dk"}))
    preview = text(shown)
    assert f"**Maja Kemiker (maja@uni.dk)** bliver til »Slettet person {me.id}«" in preview
    assert "Roller, der fjernes: 0 · chats, der glemmes: 1" in preview
    assert "peger på pseudonymet: alenearbejde 1" in preview
    assert "Der er ikke ændret noget endnu." in preview
    assert "admin.erase.confirm" in verbs(shown)
    assert await _traces(bot, MAJA), "the preview changes nothing"
    [looked] = await _events(bot, "person.erase")
    assert looked.action == "person.erase.preview" and looked.entity_id == str(me.id)

    confirm = next(node for node in walk(shown) if node.get("verb") == "admin.erase.confirm")
    done = text(card_of(await bot.invoke(ADMIN, "admin.erase.confirm", confirm["data"])))
    assert f"**Maja Kemiker (maja@uni.dk)** er nu »Slettet person {me.id}«" in done
    assert await _traces(bot, MAJA) == []
    erased = [e for e in await _events(bot, "person.erase") if e.action == "person.erase"]
    admin = await _person(bot, ADMIN)
    assert [e.actor for e in erased] == [f"person:{admin.id}"]
    assert "maja" not in json.dumps(erased[0].after).lower()

    again = text(card_of(await bot.invoke(ADMIN, "admin.erase.confirm", confirm["data"])))
    assert "kender ingen med den e-mailadresse (eller personen er allerede slettet)" in again
    assert len([e for e in await _events(bot, "person.erase") if e.action == "person.erase"]) == 1


@pytest.fixture
async def teams_bot(
    database_target: DatabaseTarget, connector: FakeConnector
) -> AsyncIterator[BotUnderTest]:
    """The bot as in Teams: the people picker on."""
    graph = FakeGraph()
    await graph.start()
    under_test = BotUnderTest(
        database_target,
        connector,
        admin_upns={ADMIN.upn},
        graph=graph.settings(),
        people_picker=True,
    )
    await under_test.start()
    try:
        yield under_test
    finally:
        await under_test.stop()
        await graph.close()


async def test_with_the_people_picker_the_administrator_picks_the_person(
    teams_bot: BotUnderTest,
) -> None:
    await _setup(teams_bot)
    await teams_bot.install_personal(ADMIN)
    form = card_of(await teams_bot.invoke(ADMIN, "admin.erase.form", {}))
    [field] = [node for node in walk(form) if node.get("id") == "person"]
    assert field.get("choices.data") == PEOPLE
    shown = card_of(await teams_bot.invoke(ADMIN, "admin.erase.preview", {"person": MAJA.aad}))
    assert "**Maja Kemiker (maja@uni.dk)** bliver til »Slettet person" in text(shown)
    confirm = next(node for node in walk(shown) if node.get("verb") == "admin.erase.confirm")
    await teams_bot.invoke(ADMIN, "admin.erase.confirm", confirm["data"])
    assert teams_bot.runtime is not None
    async with orm_session(teams_bot.runtime.db) as session:
        gone = (await session.scalars(select(Person).where(Person.upn == MAJA.upn))).first()
    assert gone is None
