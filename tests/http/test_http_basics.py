"""The bot over real HTTP, as Teams talks to it: install, words that work everywhere, bad input."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import pytest
from sqlalchemy import func, select

from storage.models import AuditEvent, ConversationRef, Person
from tests.support.card_nodes import walk
from tests.support.databases import orm_session
from tests.support.teams import BotUnderTest, make_user


async def test_install_greets_in_danish_with_the_services(bot: BotUnderTest) -> None:
    mette = make_user("Mette Hansen", "meha@uni.dk", "da-DK")
    sent = await bot.install_personal(mette)
    assert len(sent) == 1
    card = sent[0].card_text()
    assert "Velkommen" in card and "Mette Hansen" in card
    for service in (
        "Alenearbejde",
        "Nærved-hændelse",
        "Arbejdsulykke",
        "Trivselsdialog",
        "Narkotikaprækursorer",
    ):
        assert service in card
    assert "Hjælp" in card
    assert sent[0].conversation_id == mette.chat_id


async def test_install_greets_in_english_for_other_locales(bot: BotUnderTest) -> None:
    sent = await bot.install_personal(make_user("Jane Doe", "jado@uni.dk", "en-GB"))
    card = sent[0].card_text()
    assert "Welcome" in card and "Lone work" in card and "Near miss" in card


async def test_install_twice_greets_once_and_remembers_the_chat(bot: BotUnderTest) -> None:
    user = make_user("Ole Olsen", "olol@uni.dk")
    first = await bot.install_personal(user)
    again = await bot.post(bot.personal(user, type="installationUpdate", action="add"))
    assert len(first) == 1
    assert again.status in (200, 201)
    assert len([m for m in bot.connector.messages() if m.card]) == 1
    assert bot.runtime is not None
    async with orm_session(bot.runtime.db) as session:
        ref = (
            await session.scalars(
                select(ConversationRef).where(ConversationRef.conversation_id == user.chat_id)
            )
        ).one()
        person = await session.get(Person, ref.person_id)
    assert ref.active and ref.service_url == bot.connector.url
    assert person is not None and person.upn == "olol@uni.dk"


async def test_help_menu_and_unknown_text_always_answer(bot: BotUnderTest) -> None:
    user = make_user("Mette Hansen", "meha@uni.dk")
    help_reply = await bot.say(user, "hjælp")
    assert "annullér" in help_reply[0].card_text()
    menu_reply = await bot.say(user, "  MENU ")
    assert "Alenearbejde" in menu_reply[0].card_text()
    for text in ("hej", "🦺🔥", "'; DROP TABLE person; --", "Привет", "مرحبا"):
        reply = await bot.say(user, text)
        assert len(reply) == 1
        assert "menu" in reply[0].text
    assert bot.runtime is not None
    async with orm_session(bot.runtime.db) as session:
        assert await session.scalar(select(func.count()).select_from(Person)) == 1


async def test_cancel_with_nothing_to_cancel_says_so(bot: BotUnderTest) -> None:
    user = make_user("Mette Hansen", "meha@uni.dk")
    reply = await bot.say(user, "annullér")
    assert "ikke noget at annullere" in reply[0].text


async def test_menu_buttons_route_to_each_service(bot: BotUnderTest) -> None:
    user = make_user("Jane Doe", "jado@uni.dk", "en-US")
    form = await bot.submit(user, {"action": "menu.open", "flow": "lone_work"})
    assert "Ask for approval of lone work" in form[0].card_text()
    reply = await bot.submit(user, {"action": "menu.open", "flow": "precursors"})
    assert "kept by the unit's precursor contact" in reply[-1].text
    admin = make_user("Anne Admin", "admin@uni.dk", "en-US")
    overview = await bot.submit(admin, {"action": "menu.open", "flow": "precursors"})
    assert "Precursors: registrations for" in overview[-1].card_text()
    notes = await bot.submit(admin, {"action": "menu.open", "flow": "wellbeing"})
    assert "Well-being dialogue notes" in notes[-1].card_text()
    typed = await bot.say(user, "trivsel")
    assert "can record a well-being dialogue" in typed[-1].text


async def test_language_word_switches_and_is_remembered(bot: BotUnderTest) -> None:
    user = make_user("Jane Doe", "jado@uni.dk", "en-US")
    reply = await bot.say(user, "sprog")
    assert "dansk" in reply[0].text
    await bot.restart()
    later = await bot.say(user, "help")
    assert "Sådan bruger du AMK-bot" in later[0].card_text()


async def test_card_action_switches_language_and_returns_the_card(bot: BotUnderTest) -> None:
    user = make_user("Mette Hansen", "meha@uni.dk", "da-DK")
    reply = await bot.invoke(
        user, "settings.language", {"action": "settings.language", "lang": "en"}
    )
    assert reply.status == 200
    assert reply.body["statusCode"] == 200
    assert reply.body["type"] == "application/vnd.microsoft.card.adaptive"
    card = json.dumps(reply.body["value"], ensure_ascii=False)
    assert "Welcome to AMK-bot" in card
    follow = await bot.say(user, "hjælp")
    assert "How to use AMK-bot" in follow[0].card_text()


async def test_card_action_with_unknown_verb_answers_with_a_card(bot: BotUnderTest) -> None:
    user = make_user("Jane Doe", "jado@uni.dk", "en-US")
    reply = await bot.invoke(user, "nothing.here", {})
    assert reply.status == 200
    assert reply.body["statusCode"] == 200
    assert "no longer available" in json.dumps(reply.body["value"])


async def test_card_action_without_verb_is_a_bad_request_in_the_body(bot: BotUnderTest) -> None:
    user = make_user("Jane Doe", "jado@uni.dk", "en-US")
    activity = bot.personal(user, type="invoke", name="adaptiveCard/action", value={"action": {}})
    reply = await bot.post(activity)
    assert reply.status == 200
    assert reply.body["statusCode"] == 400
    assert reply.body["type"] == "application/vnd.microsoft.error"


async def test_other_invokes_are_not_implemented(bot: BotUnderTest) -> None:
    user = make_user("Jane Doe", "jado@uni.dk", "en-US")
    reply = await bot.post(bot.personal(user, type="invoke", name="composeExtension/query"))
    assert reply.status == 501


async def test_stale_card_submit_is_explained(bot: BotUnderTest) -> None:
    user = make_user("Jane Doe", "jado@uni.dk", "en-US")
    for value in ({"action": "admin.assign", "upn": "x"}, {"unexpected": [1, 2]}, {}):
        reply = await bot.submit(user, value)
        assert "no longer active" in reply[0].text
    bad_flow = await bot.submit(user, {"action": "menu.open", "flow": "<script>"})
    assert "could not be read" in bad_flow[0].text


async def test_malformed_requests_get_clean_4xx_and_the_bot_keeps_serving(
    bot: BotUnderTest,
) -> None:
    user = make_user("Jane Doe", "jado@uni.dk", "en-US")
    assert (await bot.post_raw(b"{not json")).status == 400
    assert (await bot.post_raw(b"[1, 2]")).status == 400
    assert (await bot.post_raw(b"\xff\xfe")).status == 400
    template = json.dumps(bot.personal(user, text="TEXT"))
    # a lone surrogate cannot be stored or sent on; NaN is not JSON
    for text in ('"\\ud800"', "NaN"):
        assert (await bot.post_raw(template.replace('"TEXT"', text).encode())).status == 400
    assert (await bot.post_raw(b"{}", content_type="text/plain")).status == 415
    assert (await bot.post({"type": "message", "text": "hi"})).status == 400
    missing_conversation = bot.personal(user, text="hi")
    del missing_conversation["conversation"]
    assert (await bot.post(missing_conversation)).status == 400
    huge = bot.personal(user, text="x" * (300 * 1024))
    assert (await bot.post(huge)).status == 413
    unknown_type = await bot.post(bot.personal(user, type="somethingNew"))
    assert unknown_type.status in (200, 201)
    still = await bot.say(user, "help")
    assert "How to use AMK-bot" in still[0].card_text()
    assert bot.connector.messages()[-1].card is not None


async def test_health_reports_the_database(bot: BotUnderTest) -> None:
    reply = await bot.get("/healthz")
    assert reply.status == 200
    assert reply.body["database"] == "ok"
    assert reply.body["auth"] == "off (local mode)"


async def test_team_install_stores_team_and_channels_and_says_hello(bot: BotUnderTest) -> None:
    user = make_user("Mette Hansen", "meha@uni.dk")
    team_id = "19:team-general@thread.tacv2"
    bot.connector.channels[team_id] = [
        {"id": team_id, "name": None},
        {"id": "19:digest@thread.tacv2", "name": "Ugeoverblik"},
    ]
    activity = bot.team_activity(
        user, team_id, team_id, type="conversationUpdate", membersAdded=[{"id": "28:amkbot-test"}]
    )
    reply = await bot.post(activity)
    assert reply.status in (200, 201)
    hello = bot.connector.messages()[-1]
    assert hello.conversation_id == team_id and "AMK-netværket" in hello.text
    assert bot.runtime is not None
    async with orm_session(bot.runtime.db) as session:
        channels = (
            await session.scalars(select(ConversationRef).where(ConversationRef.kind == "channel"))
        ).all()
    assert {c.channel_id for c in channels} == {team_id, "19:digest@thread.tacv2"}
    assert all(c.active for c in channels)

    removed = bot.team_activity(
        user, team_id, team_id, type="conversationUpdate", membersRemoved=[{"id": "28:amkbot-test"}]
    )
    assert (await bot.post(removed)).status in (200, 201)
    async with orm_session(bot.runtime.db) as session:
        channels = (
            await session.scalars(select(ConversationRef).where(ConversationRef.kind == "channel"))
        ).all()
        actions = (await session.scalars(select(AuditEvent.action))).all()
    assert channels and not any(c.active for c in channels)
    assert "team.install" in actions and "team.remove" in actions


async def test_channel_mention_gets_channel_help(bot: BotUnderTest) -> None:
    user = make_user("Mette Hansen", "meha@uni.dk")
    activity = bot.team_activity(
        user, "19:t@thread.tacv2", "19:t@thread.tacv2", text="<at>AMK-bot</at> hjælp"
    )
    reply = await bot.post(activity)
    assert reply.status in (200, 201)
    assert "kanaler" in bot.connector.messages()[-1].text


async def test_a_failing_turn_apologises_and_the_bot_keeps_serving(
    bot: BotUnderTest, monkeypatch: pytest.MonkeyPatch
) -> None:
    from dialogs.router import Router

    user = make_user("Jane Doe", "jado@uni.dk", "en-US")
    original = Router.on_personal_message

    async def broken(self: Router, turn_context: object) -> None:
        raise RuntimeError("database went away")

    monkeypatch.setattr(Router, "on_personal_message", broken)
    reply = await bot.say(user, "help")
    assert "something went wrong" in reply[0].text
    assert "Traceback" not in reply[0].text and "database" not in reply[0].text
    monkeypatch.setattr(Router, "on_personal_message", original)
    again = await bot.say(user, "help")
    assert "How to use AMK-bot" in again[0].card_text()


async def test_an_ordinary_turn_writes_nothing_about_the_speaker(bot: BotUnderTest) -> None:
    """Only news about the speaker (name, locale, chat address) is written; most turns have none."""
    user = make_user("Mette Hansen", "meha@uni.dk")
    await bot.say(user, "hjælp")
    assert bot.runtime is not None

    async def stamps() -> tuple[object, object]:
        assert bot.runtime is not None
        async with orm_session(bot.runtime.db) as session:
            person = (await session.execute(select(Person))).scalar_one()
            chat = (await session.execute(select(ConversationRef))).scalar_one()
            return person.updated_at, chat.updated_at

    before = await stamps()
    await bot.say(user, "menu")
    assert await stamps() == before
    renamed = make_user("Mette Hansen-Berg", "meha@uni.dk")
    moved = bot.personal(renamed, text="menu")
    moved["from"]["aadObjectId"] = user.aad
    moved["from"]["id"] = user.teams_id
    moved["conversation"]["id"] = user.chat_id
    await bot.post(moved)
    async with orm_session(bot.runtime.db) as session:
        assert (await session.execute(select(Person.name))).scalar_one() == "Mette Hansen-Berg"


async def test_turns_reuse_one_connector_client(
    bot: BotUnderTest, monkeypatch: pytest.MonkeyPatch
) -> None:
    """botbuilder would build a new msrest client per turn; ours builds one per service URL."""
    from botframework.connector.auth import _connector_factory_impl

    built: list[object] = []
    original = _connector_factory_impl.ConnectorClient

    def counting(*args: object, **kwargs: object) -> object:
        client = original(*args, **kwargs)
        built.append(client)
        return client

    monkeypatch.setattr(_connector_factory_impl, "ConnectorClient", counting)
    user = make_user("Kim Berg", "kibe@uni.dk")
    for text in ("hjælp", "menu", "hjælp"):
        replies = await bot.say(user, text)
        assert replies, f"no reply to {text!r}"
    assert len(built) <= 1


async def test_two_messages_of_one_chat_at_once_are_taken_one_after_the_other(
    bot: BotUnderTest,
) -> None:
    """The second turn sees the first one's dialog: it says it stopped it, and cancel stops
    the dialog whose form the user saw last."""
    names = {"alenearbejde": "anmodning om alenearbejde", "nærved": "nærved-hændelse"}
    for round_number in range(4):
        user = make_user(f"Sam Hurtig {round_number}", f"sahu{round_number}@uni.dk")
        await bot.install_personal(user)
        before = len(bot.connector.sent)
        answers = await asyncio.gather(
            bot.post(bot.personal(user, text="alenearbejde")),
            bot.post(bot.personal(user, text="nærved")),
        )
        assert all(answer.status in (200, 201) for answer in answers)
        sent = [item for item in bot.connector.sent[before:] if item.method == "POST"]
        stopped = [item for item in sent if "Jeg har stoppet" in item.text]
        assert len(stopped) == 1, [item.text for item in sent]
        forms = [item for item in sent if item.card]
        assert len(forms) == 2
        last_form = forms[-1].card_text()
        last = "nærved" if "Meld en nærved-hændelse" in last_form else "alenearbejde"
        first = "alenearbejde" if last == "nærved" else "nærved"
        assert names[first] in stopped[0].text
        cancelled = await bot.say(user, "annullér")
        assert names[last] in cancelled[0].text


def _menu_button(card: dict[str, Any], label: str) -> dict[str, Any]:
    (button,) = [
        node["data"]
        for node in walk(card)
        if node.get("type") == "Action.Submit" and node.get("title") == label
    ]
    return dict(button)


async def test_the_welcome_menu_opens_the_documentation_overview_and_the_export_picker(
    bot: BotUnderTest,
) -> None:
    user = make_user("Jane Doe", "jado@uni.dk", "en-US")
    welcome = (await bot.install_personal(user))[0].card
    assert welcome is not None
    overview = await bot.submit(user, _menu_button(welcome, "Documentation"))
    assert "Documentation" in overview[-1].card_text()
    assert "Choose the unit whose documentation" in overview[-1].card_text()
    exports = await bot.submit(user, _menu_button(welcome, "Export to Excel"))
    assert "nothing you can export" in exports[-1].text + exports[-1].card_text()
