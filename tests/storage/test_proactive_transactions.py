"""Proactive sends and card updates: what they cost in transactions, and that they still
never send a card twice, mark failures and give up on blocked chats."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator

import pytest
from sqlalchemy import select

from bot.background import BackgroundTasks
from bot.connector import ConnectorClient, ConnectorError, RetryPolicy
from bot.notifier import ProactiveNotifier
from bot.proactive import ProactiveSender
from cards.common import notice_card
from domain.addresses import Address
from services.ports import NoConversation
from storage import conversations, org
from storage.audit import audited
from storage.db import Database
from storage.models import PostedActivity
from tests.support.databases import orm_session, orm_transaction
from tests.support.fake_connector import FakeConnector, slow, status
from tests.support.teams import TENANT
from tests.support.transaction_log import recorded

ENTITY = ("lone_work", "7")


async def _person_with_chat(db: Database, connector: FakeConnector, number: int) -> int:
    async with audited(db) as connection:
        person = await org.upsert_person(
            connection, aad_object_id=None, upn=f"p{number}@uni.dk", name=f"P{number}"
        )
        await conversations.remember(
            connection,
            Address(
                conversation_id=f"a:chat-{number}",
                kind="personal",
                service_url=connector.url,
                tenant_id=TENANT,
                bot_id="28:amkbot-test",
            ),
            person_id=person.id,
        )
        return person.id


@pytest.fixture
async def sender(db: Database) -> AsyncIterator[ProactiveSender]:
    client = ConnectorClient(retry=RetryPolicy(attempts=2, base_delay=0.01))
    yield ProactiveSender(db, client)
    await client.close()


async def _post(db: Database, key: str) -> PostedActivity:
    async with orm_session(db) as session:
        return (
            await session.scalars(select(PostedActivity).where(PostedActivity.dedupe_key == key))
        ).one()


async def _chat_active(db: Database, conversation_id: str) -> bool:
    async with orm_session(db) as session:
        ref = await conversations.by_conversation_id(session, conversation_id)
    assert ref is not None
    return ref.active


async def test_a_card_to_a_person_takes_two_transactions(
    db: Database, connector: FakeConnector, sender: ProactiveSender
) -> None:
    """Find the chat and claim the card in one (one statement on PostgreSQL, a lookup and
    the claim on SQLite), record Teams' answer in the other."""
    person_id = await _person_with_chat(db, connector, 1)
    with recorded(db) as counted:
        posted = await sender.send_to_person(
            person_id, notice_card("Hej", "x"), dedupe_key="k", entity_type=ENTITY[0]
        )
    assert len(counted.transactions) == 2
    assert len(counted.statements) == (3 if db.is_sqlite else 2)
    assert not posted.already_sent and len(connector.messages()) == 1
    row = await _post(db, "k")
    assert (row.status, row.activity_id, row.attempts) == ("sent", posted.activity_id, 1)
    assert row.entity_type == ENTITY[0]


async def test_a_card_already_sent_is_not_sent_again_and_costs_one_transaction(
    db: Database, connector: FakeConnector, sender: ProactiveSender
) -> None:
    person_id = await _person_with_chat(db, connector, 1)
    first = await sender.send_to_person(person_id, notice_card("A", "a"), dedupe_key="k")
    with recorded(db) as counted:
        again = await sender.send_to_person(person_id, notice_card("A", "a"), dedupe_key="k")
    assert len(counted.transactions) == 1
    assert again.already_sent and again.activity_id == first.activity_id
    assert again.post_id == first.post_id and again.conversation_id == "a:chat-1"
    assert len(connector.messages()) == 1


async def test_no_chat_means_no_conversation_and_nothing_recorded(
    db: Database, connector: FakeConnector, sender: ProactiveSender
) -> None:
    async with audited(db) as connection:
        person = await org.upsert_person(connection, aad_object_id=None, upn="x@uni.dk", name="X")
        person_id = person.id
    with pytest.raises(NoConversation):
        await sender.send_to_person(person_id, notice_card("A", "a"), dedupe_key="k")
    async with orm_session(db) as session:
        assert (await session.scalars(select(PostedActivity))).all() == []
    assert connector.messages() == []


async def test_a_refused_send_is_marked_failed_and_sent_on_the_next_try(
    db: Database, connector: FakeConnector, sender: ProactiveSender
) -> None:
    person_id = await _person_with_chat(db, connector, 1)
    connector.plan("POST .*/activities", status(400))
    with pytest.raises(ConnectorError):
        await sender.send_to_person(person_id, notice_card("A", "a"), dedupe_key="k")
    row = await _post(db, "k")
    assert (row.status, row.attempts) == ("failed", 1) and row.last_error
    assert await _chat_active(db, "a:chat-1")
    posted = await sender.send_to_person(person_id, notice_card("A", "a"), dedupe_key="k")
    assert not posted.already_sent and posted.post_id == row.id
    assert len(connector.messages()) == 1
    assert (await _post(db, "k")).status == "sent"


@pytest.mark.parametrize("code", [403, 404])
async def test_a_blocked_chat_is_deactivated_with_the_failure_in_one_transaction(
    db: Database, connector: FakeConnector, sender: ProactiveSender, code: int
) -> None:
    person_id = await _person_with_chat(db, connector, 1)
    connector.plan("POST .*/activities", status(code))
    with recorded(db) as counted, pytest.raises(ConnectorError):
        await sender.send_to_person(person_id, notice_card("A", "a"), dedupe_key="k")
    assert len(counted.transactions) == 2
    assert (await _post(db, "k")).status == "failed"
    assert not await _chat_active(db, "a:chat-1")
    with pytest.raises(NoConversation):
        await sender.send_to_person(person_id, notice_card("A", "a"), dedupe_key="k2")
    assert connector.messages() == []
    async with orm_session(db) as session:
        keys = (await session.scalars(select(PostedActivity.dedupe_key))).all()
    assert keys == ["k"]


async def test_a_send_racing_another_writers_claim_reads_its_row_and_sends_nothing(
    db: Database, connector: FakeConnector, sender: ProactiveSender
) -> None:
    """Another worker holds the same key, uncommitted; once it commits as sent, this send
    takes its row instead of failing, and Teams gets the card once (from the other)."""
    person_id = await _person_with_chat(db, connector, 1)
    async with orm_session(db) as session:
        ref = await conversations.personal_chat_of(session, person_id)
    assert ref is not None
    async with orm_transaction(db) as session:
        session.add(
            PostedActivity(
                dedupe_key="k",
                conversation_ref_id=ref.id,
                status="sent",
                activity_id="activity-other",
            )
        )
        await session.flush()
        racing = asyncio.create_task(
            sender.send_to_person(person_id, notice_card("A", "a"), dedupe_key="k")
        )
        await asyncio.sleep(0.3)
        assert not racing.done()
    posted = await racing
    assert posted.already_sent and posted.activity_id == "activity-other"
    assert connector.messages() == []


async def test_concurrent_sends_of_one_key_share_one_row(
    db: Database, connector: FakeConnector, sender: ProactiveSender
) -> None:
    """However they interleave: no error, one row, and every HTTP send is one a caller saw."""
    person_id = await _person_with_chat(db, connector, 1)
    connector.plan("POST .*/activities", slow(0.05))
    results = await asyncio.gather(
        *(sender.send_to_person(person_id, notice_card("A", "a"), dedupe_key="k") for _ in range(5))
    )
    assert len({posted.post_id for posted in results}) == 1
    sent = [posted for posted in results if not posted.already_sent]
    assert sent and len(connector.messages()) == len(sent)
    row = await _post(db, "k")
    assert row.status == "sent" and row.attempts == len(sent)


async def test_a_channel_post_claims_in_one_transaction_and_skips_inactive_channels(
    db: Database, connector: FakeConnector, sender: ProactiveSender
) -> None:
    async with orm_transaction(db) as session:
        ref = await conversations.remember(
            session,
            Address(
                conversation_id="19:digest@thread.tacv2",
                kind="channel",
                service_url=connector.url,
                tenant_id=TENANT,
                bot_id="28:amkbot-test",
                channel_id="19:digest@thread.tacv2",
            ),
        )
    with recorded(db) as counted:
        posted = await sender.post_to_channel(ref.id, notice_card("A", "a"), dedupe_key="d:1")
    assert len(counted.transactions) == 2
    assert posted.conversation_id.startswith("thread-") and not posted.already_sent
    again = await sender.post_to_channel(ref.id, notice_card("A", "a"), dedupe_key="d:1")
    assert again.already_sent and again.post_id == posted.post_id
    async with orm_transaction(db) as session:
        await conversations.deactivate_conversation(session, ref.conversation_id)
    with pytest.raises(NoConversation):
        await sender.post_to_channel(ref.id, notice_card("A", "a"), dedupe_key="d:2")
    with pytest.raises(NoConversation):
        await sender.post_to_channel(ref.id + 1000, notice_card("A", "a"), dedupe_key="d:3")
    assert len(connector.sent) == 1
    async with orm_session(db) as session:
        keys = (await session.scalars(select(PostedActivity.dedupe_key))).all()
    assert keys == ["d:1"]


async def _three_copies(
    db: Database, connector: FakeConnector, sender: ProactiveSender
) -> dict[str, str | None]:
    """Activity id of each copy, by chat."""
    copies = {}
    for number in (1, 2, 3):
        person_id = await _person_with_chat(db, connector, number)
        posted = await sender.send_to_person(
            person_id,
            notice_card("Anmodning", "afventer"),
            dedupe_key=f"lw:7:{number}",
            entity_type=ENTITY[0],
            entity_id=ENTITY[1],
        )
        copies[posted.conversation_id] = posted.activity_id
    connector.clear()
    return copies


async def test_updating_three_copies_reads_them_in_one_transaction(
    db: Database, connector: FakeConnector, sender: ProactiveSender
) -> None:
    copies = await _three_copies(db, connector, sender)
    notifier = ProactiveNotifier(sender, BackgroundTasks())
    with recorded(db) as counted:
        await notifier.update_cards(ENTITY, lambda key: notice_card("Godkendt", f"til {key}"))
    assert len(counted.transactions) == 1
    assert len(counted.statements) == 1
    assert [put.method for put in connector.sent] == ["PUT"] * 3
    for number in (1, 2, 3):
        chat = f"a:chat-{number}"
        (put,) = [put for put in connector.sent if put.conversation_id == chat]
        assert put.path.endswith(f"/activities/{copies[chat]}")
        assert "Godkendt" in put.card_text() and f"til lw:7:{number}" in put.card_text()


async def test_one_failing_update_does_not_stop_the_others(
    db: Database,
    connector: FakeConnector,
    sender: ProactiveSender,
    caplog: pytest.LogCaptureFixture,
) -> None:
    await _three_copies(db, connector, sender)
    connector.plan("PUT .*a:chat-1", status(404))
    notifier = ProactiveNotifier(sender, BackgroundTasks())
    with caplog.at_level(logging.WARNING, logger="bot.notifier"):
        await notifier.update_cards(
            ENTITY, lambda key: None if key.endswith(":3") else notice_card("Afvist", key)
        )
    updated = [put.conversation_id for put in connector.sent if "failed_with" not in put.body]
    assert updated == ["a:chat-2"]
    assert "updating lw:7:1 failed: ConnectorError" in caplog.text
    assert "lw:7:3" not in caplog.text


async def test_update_card_by_id_reads_post_and_chat_in_one_statement(
    db: Database, connector: FakeConnector, sender: ProactiveSender
) -> None:
    person_id = await _person_with_chat(db, connector, 1)
    posted = await sender.send_to_person(person_id, notice_card("A", "a"), dedupe_key="k")
    with recorded(db) as counted:
        await sender.update_card(posted.post_id, notice_card("A", "opdateret"))
    assert (len(counted.transactions), len(counted.statements)) == (1, 1)
    assert connector.sent[-1].method == "PUT" and "opdateret" in connector.sent[-1].card_text()
    with pytest.raises(NoConversation):
        await sender.update_card(posted.post_id + 100, notice_card("A", "b"))


async def test_an_unsent_post_is_not_updated(
    db: Database, connector: FakeConnector, sender: ProactiveSender
) -> None:
    person_id = await _person_with_chat(db, connector, 1)
    async with orm_session(db) as session:
        ref = await conversations.personal_chat_of(session, person_id)
    assert isinstance(ref, conversations.ConversationRow)
    post = await conversations.claim_post(db, dedupe_key="k", conversation_ref_id=ref.id)
    with pytest.raises(NoConversation):
        await sender.update_card(post.id, notice_card("A", "b"))
    assert connector.sent == []
