"""End-to-end: a unit's drug precursors kept in the Microsoft 365 Agents Playground.

Issue 6's proof with the real client: Mette Hansen, the precursor contact of Kemi (made so
with `python -m bot org import` before the bot starts), writes "prækursor" and gets her
unit's page; she searches the catalogue ("eddike"), picks acetic anhydride from the short
choice list and says where it is kept; records a purchase of 2500 mL (shown back as 2,5 L,
the substance's reporting unit); registers the unit's list for the year; and reverses the
purchase from the ledger card with a reason (`Action.Execute`: the card changes in place).
Screenshots of each step go to `docs/screenshots/e2e-precursors-*.png`.

Facts about the playground (0.2.28) this test relies on are in `test_playground.py` and
`test_lone_work_playground.py`; besides them:
- An `Input.Number` is a text box; `fill` types the digits.
- Action.Submit buttons with `associatedInputs: "none"` ("Tilbage") submit without the
  card's required inputs; the others refuse while a required input is empty.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from playwright.sync_api import Locator, Page, expect

from domain.i18n import Lang, t
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
    run_bot_cli,
    start_bot,
    start_playground,
)
from tests.e2e.test_lone_work_playground import card_input, card_of, choose, screenshot

pytestmark = pytest.mark.e2e

DA = Lang.DA
UNIT = "Kemi"
LOCATION = "Bygning 207, rum 112, giftskab 2"
UPDATE_TIMEOUT_MS = REPLY_TIMEOUT_S * 1000


@pytest.fixture
def stack(tmp_path: Path) -> Iterator[Stack]:
    """The bot with Mette as Kemi's precursor contact, the locale proxy and a playground."""
    require_playground()
    mette = yaml.safe_load(PLAYGROUND_CONFIG.read_text(encoding="utf-8"))["currentUser"]
    person = {"upn": mette["email"], "aad_object_id": mette["aadObjectId"], "name": mette["name"]}
    org_file = tmp_path / "organisation.yml"
    org_file.write_text(
        yaml.safe_dump({"units": [{"name": UNIT, "precursor_contact": [person]}]}),
        encoding="utf-8",
    )
    run_bot_cli(tmp_path, "org", "import", str(org_file))
    with contextlib.ExitStack() as cleanup:
        bot, bot_port = start_bot(tmp_path)
        cleanup.callback(bot.stop)
        proxy = cleanup.enter_context(
            LocaleProxy(target=f"http://127.0.0.1:{bot_port}/api/messages", locale=LOCALE)
        )
        playground, port = start_playground(tmp_path, proxy.url, PLAYGROUND_CONFIG)
        cleanup.callback(playground.stop)
        yield Stack(bot, bot_port, proxy, playground, port, bot_name(), tmp_path)


@pytest.fixture
def page(stack: Stack) -> Iterator[Page]:
    with chromium() as browser:
        yield open_page(browser, stack.browser_log)


def click(chat: PlaygroundChat, message: Locator, button: str, expected: str, what: str) -> Locator:
    """Click a Submit button of a card; the bot's next card must contain `expected`."""
    before = chat.bot_message_count()
    card_of(message).get_by_role("button", name=button, exact=True).click()
    return chat.wait_for_bot_message(before, re.compile(re.escape(expected)), card=True, what=what)


def test_a_unit_registers_and_keeps_its_precursors(stack: Stack, page: Page) -> None:
    chat = PlaygroundChat(page, stack.bot_name)
    with stack.explain_failure(page):
        page.goto(stack.playground_url)
        chat.wait_for_bot_message(0, re.compile("Velkommen"), card=True, what="the installation")

        before = chat.bot_message_count()
        chat.send_text("prækursor")
        home = chat.wait_for_bot_message(
            before, re.compile(f"Narkotikaprækursorer – {UNIT}"), card=True, what="prækursor"
        )
        expect(home).to_contain_text(re.compile(r"ikke indberettet for \d{4}"))
        expect(home).to_contain_text(t(DA, "precursors.home.no_substances"))
        screenshot(chat, "e2e-precursors-01-home.png", home)

        # Search the catalogue: a short choice list for the typed text.
        card_input(card_of(home), t(DA, "precursors.field.query")).fill("eddike")
        found = click(chat, home, t(DA, "precursors.button.search"), "træf", "Søg")
        card = card_of(found)
        expect(card).to_contain_text("Eddikesyreanhydrid · CAS 108-24-7 · kat. 2A")
        expect(card).to_contain_text("Phenyleddikesyre")
        card.get_by_role("radio", name=re.compile("^Eddikesyreanhydrid")).check()
        card_input(card, "Opbevaringssted").fill(LOCATION)
        screenshot(chat, "e2e-precursors-02-search.png", found)
        added = click(
            chat,
            found,
            t(DA, "precursors.button.add"),
            "Eddikesyreanhydrid er tilføjet enhedens liste",
            "Tilføj",
        )
        expect(added).to_contain_text(f"0 L på lager · {LOCATION}")

        # A purchase in mL; the substance is reported in L.
        form = click(
            chat, added, t(DA, "precursors.button.entry"), "Køb: Eddikesyreanhydrid", "Videre"
        )
        card = card_of(form)
        expect(card).to_contain_text("kundeerklæring")
        card_input(card, "Mængde").fill("2500")
        choose(page, card_input(card, "Enhed"), "mL")
        card_input(card, "Leverandør").fill("Sigma-Aldrich")
        card_input(card, "Kundeerklæring").fill("KE-2026-4")
        screenshot(chat, "e2e-precursors-03-purchase.png", form)
        recorded = click(
            chat, form, t(DA, "precursors.button.save"), "Køb er registreret: 2.500 mL", "Gem"
        )
        expect(recorded).to_contain_text("Beholdning nu: 2,5 L")
        expect(recorded).to_contain_text(f"2,5 L på lager · {LOCATION}")
        screenshot(chat, "e2e-precursors-04-recorded.png", recorded)

        registered = click(
            chat,
            recorded,
            t(DA, "precursors.button.register"),
            f"{UNIT} har nu indberettet sin stofliste",
            "Indberet stoflisten",
        )
        expect(registered).to_contain_text("Indberettet for")
        expect(registered).to_contain_text(": 1 stof.")
        screenshot(chat, "e2e-precursors-05-registered.png", registered)

        # The ledger: the purchase is reversed with a reason, the card changes in place.
        ledger = click(
            chat,
            registered,
            t(DA, "precursors.button.ledger"),
            "Posteringer: Eddikesyreanhydrid",
            "Posteringer og rettelser",
        )
        card = card_of(ledger)
        box = card_input(card, t(DA, "precursors.field.entry"))
        box.click()
        page.get_by_role("option").first.click()
        card_input(card, "Begrundelse").fill("Forkert leverandør")
        messages = chat.bot_message_count()
        card.get_by_role("button", name=t(DA, "precursors.button.reverse"), exact=True).click()
        expect(ledger).to_contain_text("er tilbageført", timeout=UPDATE_TIMEOUT_MS)
        expect(ledger).to_contain_text("beholdning 0 L")
        expect(ledger).to_contain_text("Forkert leverandør")
        assert chat.bot_message_count() == messages, "the reversal added a message"
        screenshot(chat, "e2e-precursors-06-reversed.png", ledger)
