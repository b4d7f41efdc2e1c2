"""Local mode (no app id, no authentication): only this machine may reach the bot unless a
setting says otherwise, only http(s) service URLs are posted to, and a turn changes no
one's stored 1:1 chat but its sender's."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

import bot.workers
from bot.__main__ import main
from bot.config import Settings
from storage.models import ConversationRef
from tests.reliability.test_faults import LISE, MAJA, _approval_cards, _ask_for_approval
from tests.reliability.test_faults import _kemi_with_leader as kemi_with_leader
from tests.support.databases import orm_session
from tests.support.fake_connector import FakeConnector
from tests.support.teams import BOT_ID, BotUnderTest, make_user


@pytest.fixture
def served(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> list[Settings]:
    """`python -m bot run` in an empty directory, recording what it would serve."""
    calls: list[Settings] = []
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(bot.workers, "serve", calls.append)
    monkeypatch.setenv("DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path / 'amkbot.db'}")
    for name in ("MicrosoftAppId", "MicrosoftAppPassword", "LOCAL_MODE_ALLOW_REMOTE", "WORKERS"):
        monkeypatch.delenv(name, raising=False)
    return calls


@pytest.mark.parametrize("host", ["0.0.0.0", "::", "10.0.0.5", "bot.example.org"])
def test_local_mode_refuses_to_listen_beyond_this_machine(
    served: list[Settings],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    host: str,
) -> None:
    monkeypatch.setenv("HOST", host)
    assert main(["run"]) == 2
    assert served == []
    assert "LOCAL_MODE_ALLOW_REMOTE" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("env", "host"),
    [
        ({}, "127.0.0.1"),
        ({}, "localhost"),
        ({}, "::1"),
        ({"LOCAL_MODE_ALLOW_REMOTE": "true"}, "0.0.0.0"),
        ({"MicrosoftAppId": "0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b"}, "0.0.0.0"),
    ],
)
def test_the_bot_listens_on_loopback_when_asked_or_anywhere_with_authentication(
    served: list[Settings], monkeypatch: pytest.MonkeyPatch, env: dict[str, str], host: str
) -> None:
    monkeypatch.setenv("HOST", host)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    assert main(["run"]) == 0
    assert [settings.host for settings in served] == [host]


@pytest.mark.parametrize(
    "service_url",
    ["file:///etc/passwd", "ftp://files.example.org/", "gopher://x.example/", "http://", "x"],
)
async def test_a_service_url_other_than_http_is_refused_and_nothing_stored(
    bot: BotUnderTest, service_url: str
) -> None:
    assert bot.runtime is not None
    user = make_user("Mette Hansen", "meha@uni.dk")
    reply = await bot.post(bot.personal(user, text="hjælp", serviceUrl=service_url))
    assert reply.status == 400
    assert reply.body == {"error": "serviceUrl must be an http or https URL"}
    async with orm_session(bot.runtime.db) as session:
        assert (await session.scalars(select(ConversationRef))).all() == []
    assert bot.connector.sent == []


async def test_a_turn_changes_no_one_elses_stored_chat(bot: BotUnderTest) -> None:
    assert bot.runtime is not None
    kemi = await kemi_with_leader(bot)
    elsewhere = FakeConnector()
    await elsewhere.start()
    try:
        in_lises_chat = {"id": LISE.chat_id, "conversationType": "personal"}
        # Maja writes into Lise's chat from another service URL, then removes the bot there.
        hello = bot.personal(MAJA, text="hjælp", serviceUrl=elsewhere.url)
        hello["conversation"] = in_lises_chat
        removed = bot.personal(MAJA, type="conversationUpdate", membersRemoved=[{"id": BOT_ID}])
        removed["conversation"] = in_lises_chat
        removed["serviceUrl"] = elsewhere.url
        for activity in (hello, removed):
            assert (await bot.post(activity)).status in (200, 201)

        await _ask_for_approval(bot, kemi)
        assert len(_approval_cards(bot)) == 1  # in Lise's own chat, where Teams reaches her
        assert not any("Godkend" in sent.card_text() for sent in elsewhere.sent)
        async with orm_session(bot.runtime.db) as session:
            chat = (
                await session.scalars(
                    select(ConversationRef).where(ConversationRef.conversation_id == LISE.chat_id)
                )
            ).one()
        assert (chat.service_url, chat.active) == (bot.connector.url, True)
    finally:
        await elsewhere.close()
