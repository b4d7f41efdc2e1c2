"""End-to-end smoke test: AMK-bot in a real client, the Microsoft 365 Agents Playground.

The chain under test::

    Chromium (Playwright) --> playground web UI + mock Teams service (node, cwd npm/)
        --> LocaleProxy (in playground.py: makes the client Danish) --> bot (`python -m bot run`)
    bot --> the playground's mock connector (the activity's serviceUrl) --> web UI

The helpers (processes, proxy, browser, chat UI) are in `tests/e2e/playground.py`.

Run it with `make e2e` (`pytest -m e2e tests/e2e`). It needs Debian's Chromium at
/usr/bin/chromium and `npm ci --prefix npm`; without them it is skipped, except under CI
(`CI` set), where it fails instead, so that a green CI run means that it ran.

Facts about the playground (0.2.28) that this test relies on:
- Opening the page (every load, reloads included) installs the bot in the personal chat:
  the playground sends `installationUpdate` (action `add`) and `conversationUpdate` whose
  `membersAdded` holds the user and the bot, back to back (the second may be answered
  first). Neither carries the user's name in `from`; the connector's member lookup has it.
- Every activity it generates says `locale: en-US` and its config file has no locale
  setting, so the `LocaleProxy` (playground.py) rewrites the locale to `da-DK` on the way
  to the bot, as Teams does for a user with Danish as display language.
- If the requested port is taken it silently listens on another one: the real port is
  read from its `Listening on N` line.
- An `Action.Submit` click reaches the bot as a `message` whose `value` holds the data;
  no user bubble appears in the chat for it.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.playground import (
    LOCALE,
    PLAYGROUND_CONFIG,
    REPLY_TIMEOUT_S,
    LocaleProxy,
    PlaygroundChat,
    Stack,
    bot_name,
    chromium,
    open_page,
    require_playground,
    start_bot,
    start_playground,
)
from tests.e2e.test_lone_work_playground import screenshot

pytestmark = pytest.mark.e2e

SERVICES = (
    "Alenearbejde",
    "Nærved-hændelse",
    "Arbejdsulykke",
    "Trivselsdialog",
    "Narkotikaprækursorer",
    "Dokumentation",
    "Eksporter til Excel",
)
HELP = "Hjælp"


# --------------------------------------------------------------------------- fixtures


@pytest.fixture
def stack(tmp_path: Path) -> Iterator[Stack]:
    require_playground()
    name = bot_name(PLAYGROUND_CONFIG)

    with contextlib.ExitStack() as cleanup:
        bot, bot_port = start_bot(tmp_path)
        cleanup.callback(bot.stop)
        proxy = cleanup.enter_context(
            LocaleProxy(target=f"http://127.0.0.1:{bot_port}/api/messages", locale=LOCALE)
        )
        playground, playground_port = start_playground(tmp_path, proxy.url, PLAYGROUND_CONFIG)
        cleanup.callback(playground.stop)
        yield Stack(bot, bot_port, proxy, playground, playground_port, name, tmp_path)


@pytest.fixture
def page(stack: Stack) -> Iterator[Page]:
    """A Chromium page that may reach this machine only."""
    with chromium() as browser:
        yield open_page(browser, stack.browser_log)


# --------------------------------------------------------------------------- the test


def test_welcome_help_and_unknown_text(stack: Stack, page: Page) -> None:
    chat = PlaygroundChat(page, stack.bot_name)
    with stack.explain_failure(page):
        # Opening the playground installs the bot in the personal chat: it welcomes the user.
        page.goto(stack.playground_url)
        expect(page.get_by_role("treeitem", name="Personal Chat")).to_be_visible()
        welcome = chat.wait_for_bot_message(
            0, re.compile(r"Velkommen"), card=True, what="the installation"
        )
        for service in (*SERVICES, HELP):
            expect(welcome.get_by_role("button", name=service)).to_be_visible()
        screenshot(chat, "e2e-01-welcome.png", welcome)

        # The card's "Hjælp" button brings the help card.
        before = chat.bot_message_count()
        welcome.get_by_role("button", name=HELP, exact=True).click()
        chat.wait_for_bot_message(
            before, re.compile(r"hjælp", re.IGNORECASE), card=True, what=f"the {HELP!r} button"
        )
        chat.screenshot("e2e-02-help.png")

        # Text the bot does not understand gets a friendly pointer to the menu.
        before = chat.bot_message_count()
        chat.send_text("hej")
        reply = chat.wait_for_bot_message(
            before, re.compile(r"menu|hjælp", re.IGNORECASE), card=False, what="the text 'hej'"
        )
        expect(reply).not_to_contain_text("Traceback")
        chat.screenshot("e2e-03-unknown-text.png")

        # "English" is an Action.Execute: the card is replaced in place, no new message.
        before = chat.bot_message_count()
        welcome.get_by_role("button", name="English", exact=True).click()
        expect(welcome).to_contain_text("Welcome to AMK-bot", timeout=REPLY_TIMEOUT_S * 1000)
        expect(welcome.get_by_role("button", name="Lone work")).to_be_visible()
        assert chat.bot_message_count() == before
        welcome.scroll_into_view_if_needed()
        chat.screenshot("e2e-04-card-updated-in-place.png")
