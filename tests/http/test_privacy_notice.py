"""The privacy notice people meet on the welcome card and in help: what the bot stores, who
reads it and how long, with the retention periods the bot is configured with."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from cards.common import help_card, welcome_card
from domain.i18n import Lang
from domain.retention import PrivacyNotice, RetentionSettings
from tests.conftest import DatabaseTarget
from tests.support.card_nodes import walk
from tests.support.fake_connector import FakeConnector
from tests.support.teams import BotUnderTest, make_user

PRIVACY_URL = "https://www.uni.dk/amkbot/privatliv"


@pytest.fixture
async def configured_bot(
    database_target: DatabaseTarget, connector: FakeConnector
) -> AsyncIterator[BotUnderTest]:
    """A bot keeping near misses 3 years and check-ins 30 days, with a privacy statement."""
    under_test = BotUnderTest(
        database_target,
        connector,
        admin_upns=set(),
        retention=RetentionSettings(near_miss_years=3, checkin_days=30, training_years=4),
        privacy_url=PRIVACY_URL,
    )
    await under_test.start()
    try:
        yield under_test
    finally:
        await under_test.stop()


async def test_welcome_card_tells_what_is_stored_who_reads_it_and_how_long(
    configured_bot: BotUnderTest,
) -> None:
    sent = await configured_bot.install_personal(make_user("Mette Hansen", "meha@uni.dk"))
    card = sent[0].card_text()
    assert "Dine data" in card
    assert "anonym anmeldelse gemmes uden dit navn" in card
    assert "arbejdsmiljøkoordinator (AMK)" in card
    assert "instruktion og oplæring, du har fået; den kan kun du og de se" in card
    assert "nærved-hændelser 3 år efter" in card and "tjek ind-forløb efter 30 dage" in card
    assert "instruktion og oplæring 4 år efter den seneste i enheden" in card
    links = [node.get("url") for node in walk(sent[0].card) if node.get("type") == "Action.OpenUrl"]
    assert links == [PRIVACY_URL]


async def test_help_carries_the_notice_in_english(configured_bot: BotUnderTest) -> None:
    reply = await configured_bot.say(make_user("Jane Doe", "jado@uni.dk", "en-GB"), "help")
    card = reply[0].card_text()
    assert "Your data" in card and "cancel" in card
    assert "near misses 3 years after the case is closed" in card
    assert "well-being dialogue notes after 5 years" in card


@pytest.mark.parametrize("lang", list(Lang))
def test_without_a_published_statement_there_is_no_link(lang: Lang) -> None:
    for card in (
        welcome_card(lang, None, PrivacyNotice()),
        help_card(lang, is_admin=False, active_dialog=None),
    ):
        assert not [node for node in walk(card) if node.get("type") == "Action.OpenUrl"]
