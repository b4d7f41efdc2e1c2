"""Our activity JSON is exactly what msrest would have sent to Teams."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from typing import Any

from botbuilder.core import CardFactory, MessageFactory, TurnContext
from botbuilder.schema import (
    Activity,
    ActivityTypes,
    CardAction,
    ChannelAccount,
    ConversationAccount,
    ConversationReference,
    InputHints,
    Mention,
    SuggestedActions,
)
from hypothesis import given, settings
from hypothesis import strategies as st
from msrest.serialization import Serializer

from bot.activity_json import activity_json, dumps
from cards.lone_work import request_form
from domain.i18n import Lang
from domain.org import UnitRef

MSREST = Serializer({"Activity": Activity})


def msrest_json(activity: Activity) -> Any:
    return MSREST.body(activity, "Activity")


def teams_reference() -> ConversationReference:
    return ConversationReference(
        activity_id="1700000000000",
        user=ChannelAccount(id="29:user", name="Ane Æblerød", aad_object_id="aad-1"),
        bot=ChannelAccount(id="28:bot", name="AMK-bot"),
        conversation=ConversationAccount(
            id="a:personal-1", conversation_type="personal", tenant_id="tenant-1"
        ),
        channel_id="msteams",
        locale="da-DK",
        service_url="https://smba.trafficmanager.net/emea/",
    )


def as_reply(activity: Activity) -> Activity:
    return TurnContext.apply_conversation_reference(activity, teams_reference())


def test_a_card_reply_matches_msrest() -> None:
    units = [UnitRef(id=1, name="Kemi — Lab ÆØÅ"), UnitRef(id=2, name="Fysik")]
    card = request_form(Lang.DA, units, requester="Ane", errors={"task": "Skriv opgaven"})
    reply = as_reply(MessageFactory.attachment(CardFactory.adaptive_card(card)))
    reply.timestamp = datetime(2026, 11, 27, 22, 10, 5, 123456, tzinfo=UTC)
    assert activity_json(reply) == msrest_json(reply)
    assert activity_json(reply)["attachments"][0]["content"] == card


def test_text_mentions_suggested_actions_and_channel_data_match_msrest() -> None:
    reply = as_reply(MessageFactory.text("Hej <at>Ane</at>", input_hint=InputHints.accepting_input))
    reply.entities = [
        Mention(
            mentioned=ChannelAccount(id="29:user", name="Ane"), text="<at>Ane</at>", type="mention"
        )
    ]
    reply.suggested_actions = SuggestedActions(
        to=["29:user"], actions=[CardAction(type="imBack", title="Ja", value={"svar": "ja"})]
    )
    reply.channel_data = {"notification": {"alert": True}, "tenant": {"id": "tenant-1"}}
    reply.local_timestamp = datetime(2026, 1, 1, 0, 0, tzinfo=timezone(timedelta(hours=1)))
    reply.summary = "Resumé"
    assert activity_json(reply) == msrest_json(reply)


def test_an_update_with_an_id_and_an_invoke_response_match_msrest() -> None:
    update = as_reply(
        MessageFactory.attachment(CardFactory.adaptive_card({"type": "AdaptiveCard"}))
    )
    update.id = "1700000000001"
    assert activity_json(update) == msrest_json(update)
    response = Activity(type=ActivityTypes.invoke_response, value={"status": 200, "body": {}})
    assert activity_json(response) == msrest_json(response)


def test_a_timestamp_given_as_text_falls_back_to_msrest() -> None:
    reply = as_reply(MessageFactory.text("hej"))
    reply.timestamp = "2026-11-27T22:10:05.5+01:00"  # type: ignore[assignment]
    assert activity_json(reply) == msrest_json(reply)
    assert activity_json(reply)["timestamp"] == "2026-11-27T21:10:05.500Z"


JSON = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**40), 2**40) | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=20,
)


@settings(max_examples=200, deadline=None)
@given(
    text=st.none() | st.text(max_size=50),
    content=st.dictionaries(st.text(max_size=8), JSON, max_size=5),
    channel_data=st.none() | st.dictionaries(st.text(max_size=8), JSON, max_size=3),
    seconds=st.integers(0, 10**9),
    micros=st.integers(0, 999_999),
)
def test_random_replies_match_msrest(
    text: str | None,
    content: dict[str, Any],
    channel_data: dict[str, Any] | None,
    seconds: int,
    micros: int,
) -> None:
    reply = as_reply(MessageFactory.text(text) if text is not None else Activity(type="message"))
    reply.attachments = [CardFactory.adaptive_card(content)]
    reply.channel_data = channel_data
    reply.timestamp = datetime(2001, 1, 1, tzinfo=UTC) + timedelta(
        seconds=seconds, microseconds=micros
    )
    assert activity_json(reply) == msrest_json(reply)


def test_models_inside_card_content_are_written_as_json() -> None:
    content = {"actions": [CardAction(type="imBack", title="OK", value="ok")], "type": "x"}
    assert (
        dumps(content)
        == '{"actions": [{"type": "imBack", "title": "OK", "value": "ok"}], "type": "x"}'
    )
