"""End-to-end: the documentation overview in the Microsoft 365 Agents Playground.

Mette Hansen, the leader of unit Kemi, writes "dokumentation" and sees Kemi's written duties,
none recorded yet. She records the physical APV from its **Registrér** button
(`Action.Execute`: the card turns into the form in place), first with a link that is not
https (the error shows under the link, what she typed is kept), then correctly: the card
turns back into the overview with the APV met and due three years on.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Locator, expect

from domain.documentation import add_months
from domain.i18n import Lang, t
from tests.e2e.playground import REPLY_TIMEOUT_S, TIMEZONE
from tests.e2e.test_lone_work_playground import (
    INVOKED,
    TwoUsers,
    approver_user,
    card_input,
    card_of,
    checkbox,
    choose,
    count_rows,
    screenshot,
    two_playgrounds,
    type_into_picker,
    wait_for_row,
)

pytestmark = pytest.mark.e2e

DA = Lang.DA
UNIT = "Kemi"
UPDATE_TIMEOUT_MS = REPLY_TIMEOUT_S * 1000
LINK = "https://safetynet.example.dk/apv/kemi"


@pytest.fixture
def users(tmp_path: Path) -> Iterator[TwoUsers]:
    """The bot (Mette leads Kemi) and Mette's playground (Lars's is not used)."""
    with two_playgrounds(tmp_path, role="leader", holder="mette") as both:
        yield both


def test_a_leader_records_the_physical_apv_in_the_playground(users: TwoUsers) -> None:
    mette = users.requester
    chat = mette.chat
    met = datetime.now(ZoneInfo(TIMEZONE)).date() - timedelta(days=30)
    with users.explain_failure():
        mette.page.goto(mette.url)
        chat.wait_for_bot_message(0, re.compile("Velkommen"), card=True, what="installation")
        before = chat.bot_message_count()
        chat.send_text("dokumentation")
        overview = chat.wait_for_bot_message(
            before,
            re.compile(re.escape(t(DA, "documentation.title", unit=UNIT))),
            card=True,
            what="dokumentation",
        )
        card = card_of(overview)
        expect(card).to_contain_text(t(DA, "documentation.status.not_recorded"))
        screenshot(chat, "e2e-documentation-01-overview.png", overview)

        invokes = count_rows(mette.page, INVOKED)
        card.get_by_role("button", name=t(DA, "documentation.record"), exact=True).first.click()
        wait_for_row(mette.page, INVOKED, invokes, "Registrér")
        title = t(DA, "documentation.record.title", duty="Fysisk APV")
        expect(overview).to_contain_text(title, timeout=UPDATE_TIMEOUT_MS)
        form = card_of(overview)
        type_into_picker(card_input(form, t(DA, "documentation.field.met_on")), met.isoformat())
        card_input(form, t(DA, "documentation.field.proof")).fill("www.safetynet.dk")
        invokes = count_rows(mette.page, INVOKED)
        form.get_by_role("button", name=t(DA, "documentation.save"), exact=True).click()
        wait_for_row(mette.page, INVOKED, invokes, "Gem with a wrong link")
        expect(overview).to_contain_text(
            t(DA, "documentation.error.proof"), timeout=UPDATE_TIMEOUT_MS
        )
        form = card_of(overview)
        link = card_input(form, t(DA, "documentation.field.proof"))
        expect(link).to_have_value("www.safetynet.dk")
        link.fill(LINK)
        invokes = count_rows(mette.page, INVOKED)
        form.get_by_role("button", name=t(DA, "documentation.save"), exact=True).click()
        wait_for_row(mette.page, INVOKED, invokes, "Gem")
        due = add_months(met, 36)
        expect(overview).to_contain_text("Gemt: Fysisk APV", timeout=UPDATE_TIMEOUT_MS)
        expect(overview).to_contain_text(t(DA, "documentation.due_on", day=f"{due:%d.%m.%Y}"))
        screenshot(chat, "e2e-documentation-02-recorded.png", overview)
        assert chat.bot_message_count() == before + 1, "a new message instead of the update"


def _click(users: TwoUsers, message: Locator, label: str) -> None:
    """Press the card's `label` button and wait for its invoke in the log panel."""
    page = users.requester.page
    invokes = count_rows(page, INVOKED)
    card_of(message).get_by_role("button", name=label, exact=True).first.click()
    wait_for_row(page, INVOKED, invokes, label)


def test_a_leader_records_instruction_and_training_in_the_playground(users: TwoUsers) -> None:
    mette = users.requester
    chat = mette.chat
    lars = approver_user()
    given = datetime.now(ZoneInfo(TIMEZONE)).date() - timedelta(days=7)
    activity = "Alenearbejde i NMR-laboratoriet"
    with users.explain_failure():
        mette.page.goto(mette.url)
        chat.wait_for_bot_message(0, re.compile("Velkommen"), card=True, what="installation")
        before = chat.bot_message_count()
        chat.send_text("dokumentation")
        overview = chat.wait_for_bot_message(
            before,
            re.compile(re.escape(t(DA, "training.block.title"))),
            card=True,
            what="dokumentation",
        )
        _click(users, overview, t(DA, "training.button.unit"))
        expect(overview).to_contain_text(t(DA, "training.unit.none"), timeout=UPDATE_TIMEOUT_MS)
        _click(users, overview, t(DA, "training.button.record"))
        expect(overview).to_contain_text(t(DA, "training.record.title"), timeout=UPDATE_TIMEOUT_MS)
        form = card_of(overview)
        card_input(form, t(DA, "training.field.person")).fill(str(lars["email"]))
        card_input(form, t(DA, "training.field.activity")).fill(activity)
        choose(mette.page, card_input(form, t(DA, "training.field.kind")), "Instruktion")
        type_into_picker(card_input(form, t(DA, "training.field.given_on")), given.isoformat())
        card_input(form, t(DA, "training.field.given_by")).fill("Mette Hansen")
        checkbox(form, t(DA, "training.field.lone_work")).check()
        card_input(form, t(DA, "training.field.proof")).fill("www.example.dk/nmr")
        _click(users, overview, t(DA, "training.button.save"))
        expect(overview).to_contain_text(t(DA, "training.error.proof"), timeout=UPDATE_TIMEOUT_MS)
        form = card_of(overview)
        expect(card_input(form, t(DA, "training.field.activity"))).to_have_value(activity)
        card_input(form, t(DA, "training.field.proof")).fill("https://www.example.dk/nmr")
        _click(users, overview, t(DA, "training.button.save"))
        expect(overview).to_contain_text(f"Gemt: {activity}", timeout=UPDATE_TIMEOUT_MS)
        # a person the bot has not met yet is shown by e-mail (with Graph: by name)
        expect(overview).to_contain_text(f"{lars['email']}: {activity}")
        expect(overview).to_contain_text(t(DA, "training.line.lone_work"))
        _click(users, overview, t(DA, "training.button.overview"))
        expect(overview).to_contain_text(
            t(DA, "training.block.counts", records=1, people=1), timeout=UPDATE_TIMEOUT_MS
        )
        _click(users, overview, t(DA, "training.button.mine"))
        expect(overview).to_contain_text(t(DA, "training.mine.none"), timeout=UPDATE_TIMEOUT_MS)
        assert chat.bot_message_count() == before + 1, "a new message instead of the update"
