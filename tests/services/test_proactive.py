"""Proactive messages: retries that honour Retry-After, and nothing sent twice."""

from __future__ import annotations

import asyncio
import json
from typing import Any
from urllib.parse import quote

import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer
from sqlalchemy import select, update

from bot.connector import ConnectorClient, ConnectorError, RetryPolicy, parse_retry_after
from bot.proactive import ProactiveSender
from cards.common import notice_card
from domain.addresses import Address
from services.ports import NoConversation
from storage import conversations
from storage.db import Database
from storage.models import ConversationRef, Person, PostedActivity
from tests.cards.test_cards import MAX_CARD_BYTES, VALIDATOR
from tests.support.databases import orm_session, orm_transaction
from tests.support.fake_connector import FakeConnector
from tests.support.teams import TENANT


class RecordingSleep:
    def __init__(self) -> None:
        self.pauses: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.pauses.append(seconds)


async def _chat(db: Database, connector: FakeConnector, kind: str = "personal") -> ConversationRef:
    async with orm_transaction(db) as session:
        return await conversations.remember(
            session,
            Address(
                conversation_id="a:chat-1" if kind == "personal" else "19:digest@thread.tacv2",
                kind=kind,
                service_url=connector.url,
                tenant_id=TENANT,
                bot_id="28:amkbot-test",
                channel_id=None if kind == "personal" else "19:digest@thread.tacv2",
            ),
            person_id=None,
        )


def _sender(db: Database, sleep: RecordingSleep, attempts: int = 5) -> ProactiveSender:
    client = ConnectorClient(retry=RetryPolicy(attempts=attempts, base_delay=0.5), sleep=sleep)
    return ProactiveSender(db, client)


async def _with_person(db: Database, ref: ConversationRef) -> int:
    from storage import org
    from storage.audit import audited

    async with audited(db) as connection:
        person = await org.upsert_person(connection, aad_object_id=None, upn="p@uni.dk", name="P")
        changed = await connection.execute(
            update(ConversationRef).where(ConversationRef.id == ref.id).values(person_id=person.id)
        )
        assert changed.rowcount == 1
        return person.id


async def test_429_is_retried_after_the_time_teams_asks(
    db: Database, connector: FakeConnector
) -> None:
    ref = await _chat(db, connector)
    person_id = await _with_person(db, ref)
    sleep = RecordingSleep()
    sender = _sender(db, sleep)
    connector.fail_next.extend([(429, {"Retry-After": "7"}), (503, {})])
    try:
        posted = await sender.send_to_person(
            person_id, notice_card("Hej", "test"), dedupe_key="test:1"
        )
    finally:
        await sender.connector.close()
    assert sleep.pauses[0] == 7.0
    assert len(sleep.pauses) == 2 and 0 < sleep.pauses[1] <= 1.0
    assert len(connector.messages()) == 1
    assert posted.activity_id and not posted.already_sent


async def test_same_dedupe_key_is_never_sent_twice(db: Database, connector: FakeConnector) -> None:
    ref = await _chat(db, connector)
    person_id = await _with_person(db, ref)
    sender = _sender(db, RecordingSleep())
    try:
        first = await sender.send_to_person(person_id, notice_card("A", "a"), dedupe_key="k")
        second = await sender.send_to_person(person_id, notice_card("A", "a"), dedupe_key="k")
    finally:
        await sender.connector.close()
    assert len(connector.messages()) == 1
    assert second.already_sent and second.activity_id == first.activity_id


async def test_a_failed_send_can_be_retried_later_without_duplicates(
    db: Database, connector: FakeConnector
) -> None:
    ref = await _chat(db, connector)
    person_id = await _with_person(db, ref)
    sender = _sender(db, RecordingSleep(), attempts=2)
    connector.fail_next.extend([(500, {}), (500, {})])
    try:
        with pytest.raises(ConnectorError):
            await sender.send_to_person(person_id, notice_card("A", "a"), dedupe_key="k2")
        assert connector.messages() == []
        posted = await sender.send_to_person(person_id, notice_card("A", "a"), dedupe_key="k2")
    finally:
        await sender.connector.close()
    assert not posted.already_sent and len(connector.messages()) == 1
    async with orm_session(db) as session:
        row = (await session.execute(select(PostedActivity))).scalar_one()
    assert row.status == "sent" and row.attempts == 2


async def test_blocked_bot_is_not_retried_and_the_chat_is_marked_inactive(
    db: Database, connector: FakeConnector
) -> None:
    ref = await _chat(db, connector)
    person_id = await _with_person(db, ref)
    sleep = RecordingSleep()
    sender = _sender(db, sleep)
    connector.fail_next.append((403, {}))
    try:
        with pytest.raises(ConnectorError):
            await sender.send_to_person(person_id, notice_card("A", "a"), dedupe_key="k3")
        with pytest.raises(NoConversation):
            await sender.send_to_person(person_id, notice_card("A", "a"), dedupe_key="k4")
    finally:
        await sender.connector.close()
    assert sleep.pauses == []


async def test_channel_post_opens_a_new_thread_and_can_be_updated(
    db: Database, connector: FakeConnector
) -> None:
    ref = await _chat(db, connector, kind="channel")
    sender = _sender(db, RecordingSleep())
    try:
        posted = await sender.post_to_channel(
            ref.id, notice_card("Ugens overblik", "x"), dedupe_key="digest:1:2026-W48"
        )
        await sender.update_card(posted.post_id, notice_card("Ugens overblik", "opdateret"))
    finally:
        await sender.connector.close()
    create, put = connector.sent[0], connector.sent[1]
    assert create.path == "/v3/conversations"
    assert create.body["isGroup"] is True
    assert create.body["channelData"]["channel"]["id"] == "19:digest@thread.tacv2"
    assert create.card is not None
    assert put.method == "PUT"
    assert put.path.endswith(f"/activities/{posted.activity_id}")
    assert posted.conversation_id in put.conversation_id
    assert "opdateret" in put.card_text()


def test_retry_after_accepts_seconds_and_http_dates() -> None:
    from datetime import UTC, datetime

    now = datetime(2026, 11, 27, 12, 0, 0, tzinfo=UTC)
    assert parse_retry_after("3", now) == 3.0
    assert parse_retry_after("Fri, 27 Nov 2026 12:00:10 GMT", now) == 10.0
    assert parse_retry_after("garbage", now) is None
    assert parse_retry_after(None, now) is None


async def test_a_send_cut_after_teams_took_it_is_still_recorded_and_not_sent_again(
    db: Database, connector: FakeConnector, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A stop's deadline can cut a send between Teams' answer and our record of it: the
    record is finished anyway, so the card kept for redelivery is not sent a second time."""
    ref = await _chat(db, connector)
    person_id = await _with_person(db, ref)
    sender = _sender(db, RecordingSleep())
    recording, go_on = asyncio.Event(), asyncio.Event()
    mark_sent = conversations.mark_sent

    async def slow_record(*args: Any, **kwargs: Any) -> None:
        recording.set()
        await go_on.wait()
        await mark_sent(*args, **kwargs)

    monkeypatch.setattr(conversations, "mark_sent", slow_record)
    card = notice_card("Godkend", "Alenearbejde AL-2026-0001")
    send = asyncio.create_task(sender.send_to_person(person_id, card, dedupe_key="approve:1"))
    await asyncio.wait_for(recording.wait(), 10)
    send.cancel()
    with pytest.raises(asyncio.CancelledError):
        await send
    go_on.set()
    await asyncio.wait_for(sender.settled(), 10)

    again = await sender.send_to_person(person_id, card, dedupe_key="approve:1")
    assert again.already_sent
    assert len(connector.sent) == 1


async def test_a_send_whose_answer_was_never_recorded_goes_again_marked_in_their_language(
    db: Database, connector: FakeConnector
) -> None:
    """A claim still "sending" from an earlier send (its process died before recording
    Teams' answer) may be at Teams already: the next send says it is sent again, in the
    reader's language. A send Teams refused goes again unmarked."""
    ref = await _chat(db, connector)
    person_id = await _with_person(db, ref)
    async with orm_transaction(db) as session:
        person = await session.get(Person, person_id)
        assert person is not None
        person.language_override = "en"
    for key in ("died:1", "refused:1"):
        await conversations.claim_post(db, dedupe_key=key, conversation_ref_id=ref.id)
    refused = await conversations.claim_post(db, dedupe_key="refused:1", conversation_ref_id=ref.id)
    await conversations.mark_failed(db, refused.id, "503: Service Unavailable")
    sender = _sender(db, RecordingSleep())
    card = notice_card("Approve", "Lone work AL-2026-0001")
    try:
        for key in ("died:1", "refused:1", "new:1"):
            await sender.send_to_person(person_id, card, dedupe_key=key)
    finally:
        await sender.connector.close()
    died, failed, new = connector.messages()
    assert "Sent again: AMK-bot was interrupted" in died.card_text()
    assert "Lone work AL-2026-0001" in died.card_text()
    assert "Sent again" not in failed.card_text() + new.card_text()
    assert died.card is not None and list(VALIDATOR.iter_errors(died.card)) == []
    assert len(json.dumps(died.card).encode()) < MAX_CARD_BYTES


async def test_ids_and_service_urls_with_reserved_letters_are_sent_quoted() -> None:
    """Teams ids hold ':', ';' and '@' (and could hold '/', ' ' or 'ø'): each id goes as
    one quoted path segment, on any service URL, with or without a closing slash."""
    seen: list[tuple[str, str]] = []

    async def handle(request: web.Request) -> web.Response:
        seen.append((request.method, request.raw_path))
        return web.json_response({"id": "1"})

    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", handle)
    server = TestServer(app, host="127.0.0.1")
    await server.start_server()
    client = ConnectorClient()
    odd = "a:1ø;messageid=17@thread/x y"
    try:
        await client.send(str(server.make_url("/emea")), odd, {"type": "message"})
        unencoded = f"{server.make_url('/')}rum ø/"
        await client.update(unencoded, odd, "17;x", {"type": "message"})
    finally:
        await client.close()
        await server.close()
    quoted = quote(odd, safe="")
    assert seen == [
        ("POST", f"/emea/v3/conversations/{quoted}/activities"),
        ("PUT", f"/rum%20%C3%B8/v3/conversations/{quoted}/activities/17%3Bx"),
    ]
