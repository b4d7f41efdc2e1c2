"""Our activity JSON is exactly what msrest would have sent to Teams."""

from __future__ import annotations

import json
from copy import deepcopy
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
from msrest.serialization import Model, Serializer

from bot.activity_json import activity_from_json, activity_json, dumps
from cards.lone_work import request_form
from dialogs.outgoing import card_activity, text_activity
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
    assert json.loads(dumps(content)) == {
        "actions": [{"type": "imBack", "title": "OK", "value": "ok"}],
        "type": "x",
    }


def test_bodies_keep_letters_dates_and_enum_values_as_teams_reads_them() -> None:
    """Danish letters go out as UTF-8, dates as msrest writes them, enums as their values."""
    when = datetime(2026, 11, 28, 9, 30, tzinfo=UTC)
    body = {"text": "Godkendt af Søren Ærø", "at": when, "kind": ActivityTypes.message, 7: "x"}
    raw = dumps(body)
    assert "Søren Ærø".encode() in raw
    assert json.loads(raw) == {
        "text": "Godkendt af Søren Ærø",
        "at": MSREST.serialize_iso(when),
        "kind": "message",
        "7": "x",
    }


# -- the way in: request bodies as msrest reads them ---------------------------------------------


def snapshot(value: Any) -> Any:
    """Everything a model holds (unknown keys included), for comparing two readings."""
    if isinstance(value, Model):
        return {"model": type(value).__name__, **{k: snapshot(v) for k, v in vars(value).items()}}
    if isinstance(value, list):
        return [snapshot(item) for item in value]
    if isinstance(value, dict):
        return {key: snapshot(item) for key, item in value.items()}
    return value


def msrest_reading(body: dict[str, Any]) -> Any:
    try:
        return snapshot(Activity().deserialize(body))
    except Exception as error:
        return ("refused", type(error).__name__)


def our_reading(body: dict[str, Any]) -> Any:
    try:
        return snapshot(activity_from_json(body))
    except Exception as error:
        return ("refused", type(error).__name__)


def teams_body(**fields: Any) -> dict[str, Any]:
    """A personal-chat activity as Teams posts it."""
    body: dict[str, Any] = {
        "type": "message",
        "id": "1700000000000",
        "timestamp": "2026-11-27T10:00:00.000Z",
        "serviceUrl": "https://smba.trafficmanager.net/emea/",
        "channelId": "msteams",
        "from": {"id": "29:user", "name": "Ane Æblerød", "aadObjectId": "aad-1"},
        "conversation": {"id": "a:personal-1", "conversationType": "personal", "tenantId": "t"},
        "recipient": {"id": "28:bot", "name": "AMK-bot"},
        "locale": "da-DK",
        "channelData": {"tenant": {"id": "t"}},
    }
    body.update(fields)
    return body


def test_a_teams_card_submit_reads_as_msrest_reads_it() -> None:
    body = teams_body(
        value={"action": "lone_work.submit", "task": "Måling", "hazards": ["chemicals"]}
    )
    body["entities"] = [
        {"type": "clientInfo", "locale": "da-DK", "country": "DK", "platform": "Web"}
    ]
    body["timestamp"] = "2026-11-27T22:10:05.1234567Z"
    body["localTimestamp"] = "2026-11-27T23:10:05.123+01:00"
    body["futureField"] = {"kept": True}
    reading = our_reading(body)
    assert reading == msrest_reading(body)
    assert reading["entities"][0]["additional_properties"]["platform"] == "Web"
    assert reading["additional_properties"] == {"futureField": {"kept": True}}


def test_an_invoke_and_a_members_added_update_read_as_msrest_reads_them() -> None:
    invoke = teams_body(
        type="invoke",
        name="adaptiveCard/action",
        value={
            "action": {"type": "Action.Execute", "verb": "lone_work.approve", "data": {"id": 7}},
            "trigger": "manual",
        },
    )
    assert our_reading(invoke) == msrest_reading(invoke)
    update = {
        "type": "conversationUpdate",
        "id": "f:1",
        "serviceUrl": "https://smba.trafficmanager.net/emea/",
        "channelId": "msteams",
        "from": {"id": "29:user", "aadObjectId": "aad-1"},
        "recipient": {"id": "28:bot", "name": "AMK-bot"},
        "conversation": {
            "id": "19:team@thread.tacv2",
            "isGroup": True,
            "conversationType": "channel",
        },
        "membersAdded": [{"id": "28:bot"}, None],
        "channelData": {"team": {"id": "19:team", "name": "AMK"}, "eventType": "teamMemberAdded"},
    }
    assert our_reading(update) == msrest_reading(update)


def test_shapes_msrest_converts_or_refuses_read_the_same() -> None:
    base = teams_body(text="hej")
    for change in (
        {"text": 42},  # msrest turns a number into text
        {"historyDisclosed": "true"},  # and text into a boolean
        {"channelData": {"tenant": None, "ids": [1, None]}},  # nulls in objects are kept
        {"from": "29:user"},  # and refuses an account that is not an object
        {"timestamp": "yesterday"},
    ):
        body = {**base, **change}
        assert our_reading(body) == msrest_reading(body), change


KEYS = st.sampled_from(
    ["type", "id", "text", "locale", "value", "channelData", "from", "conversation", "extra"]
)
ACCOUNT = st.fixed_dictionaries(
    {"id": st.text(max_size=10)},
    optional={"name": st.text(max_size=10) | st.integers(), "aadObjectId": st.text(max_size=10)},
)


@settings(max_examples=300, deadline=None)
@given(
    changes=st.dictionaries(KEYS, JSON | ACCOUNT, max_size=5),
    entities=st.none() | st.lists(st.dictionaries(st.text(max_size=6), JSON, max_size=3)),
    members=st.none() | st.lists(st.none() | ACCOUNT, max_size=3),
)
def test_random_request_bodies_read_as_msrest_reads_them(
    changes: dict[str, Any], entities: list[Any] | None, members: list[Any] | None
) -> None:
    body: dict[str, Any] = {**teams_body(text="x"), **changes}
    if entities is not None:
        body["entities"] = entities
    if members is not None:
        body["membersAdded"] = members
    assert our_reading(body) == msrest_reading(body)


def test_outgoing_activities_are_what_message_factory_builds_and_stay_unchanged() -> None:
    """A turn's copy is addressed; the activity we built is not touched, and the JSON that
    goes to Teams is what the SDK's own activities give."""
    card = request_form(Lang.EN, [UnitRef(id=1, name="Kemi")], requester="Ane")
    for ours, theirs in (
        (card_activity(card), MessageFactory.attachment(CardFactory.adaptive_card(card))),
        (text_activity("Hej"), MessageFactory.text("Hej")),
    ):
        before = snapshot(ours)
        sent = as_reply(deepcopy(ours))
        assert snapshot(ours) == before
        assert sent is not ours
        assert activity_json(sent) == msrest_json(as_reply(theirs)) == msrest_json(sent)


@settings(max_examples=500, deadline=None)
@given(
    moment=st.datetimes(min_value=datetime(1970, 1, 1), max_value=datetime(2100, 1, 1)),
    separator=st.sampled_from(["T", "T", "T", " ", "t"]),
    digits=st.integers(min_value=0, max_value=9),
    offset_minutes=st.none() | st.integers(min_value=-14 * 60, max_value=14 * 60),
    zone_form=st.sampled_from(["+HH:MM", "+HH:MM", "+HHMM", "HH:MM"]),
    noise=st.sampled_from(["", "", "", " ", "Z", "x", ".", ":00"]),
)
def test_timestamps_read_as_msrest_reads_them(
    moment: datetime,
    separator: str,
    digits: int,
    offset_minutes: int | None,
    zone_form: str,
    noise: str,
) -> None:
    """Teams writes 0–7 fractional digits and "Z" or an offset; each reads as the same
    moment and offset as msrest reads it, and anything else is left to msrest."""
    fraction = f".{moment.microsecond:06d}987"[: digits + 1] if digits else ""
    if offset_minutes is None:
        zone = "Z"
    else:
        sign = "-" if offset_minutes < 0 else "+"
        hours, minutes = divmod(abs(offset_minutes), 60)
        zone = zone_form.replace("+", sign).replace("HH", f"{hours:02d}")
        zone = zone.replace("MM", f"{minutes:02d}")
    text = f"{moment:%Y-%m-%d}{separator}{moment:%H:%M:%S}{fraction}{zone}{noise}"
    body = teams_body(text="x", timestamp=text, localTimestamp=text)
    ours, theirs = our_reading(body), msrest_reading(body)
    assert ours == theirs
    if isinstance(ours, dict):
        assert ours["timestamp"].utcoffset() == theirs["timestamp"].utcoffset()
