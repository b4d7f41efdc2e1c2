"""End-to-end: a well-being dialogue and its action plan in the Microsoft 365 Agents Playground.

Issue 5's proof, with the real client: Mette Hansen, the leader of unit Kemi, writes
"trivsel", records a well-being dialogue (counts and themes, no names) and puts one item in
Kemi's action plan with Lars Jensen as its owner. Lars gets the item as a card in his own
chat and marks it "I gang" (`Action.Execute`): the card changes in place. Mette then writes
"handlingsplan" and sees Kemi's plan with the item and its new status, and never the notes.

Two playgrounds run against one bot, as in `test_lone_work_playground.py` (whose helpers
for the two users and the card inputs this test uses): one with
`npm/.m365agentsplayground.yml` (Mette), one with `npm/.m365agentsplayground.lars.yml`
(Lars). Mette is made the leader of Kemi before the bot starts, with `python -m bot org
import`; Lars is known to the bot only from his own chat (the item names him by e-mail).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Locator, expect

from domain.i18n import Lang, t
from tests.e2e.playground import (
    REPLY_TIMEOUT_S,
    TIMEZONE,
)
from tests.e2e.test_lone_work_playground import (
    CARD_UPDATED,
    INVOKED,
    TwoUsers,
    User,
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

UNIT = "Kemi"
DA = Lang.DA
UPDATE_TIMEOUT_MS = REPLY_TIMEOUT_S * 1000

# What Mette types into the dialogue card: numbers and themes, never names.
GROUP = "Analysegruppen"
PARTICIPANTS = "12"
FACILITATOR = "HR-partner"
THEMES = ("stress", "workload", "collaboration")
WORKS_WELL = "Vi hjælper hinanden i travle perioder, og morgenmødet giver overblik."
CHALLENGES = "Mange afbrydelser i kontorlandskabet og uklar prioritering af opgaver."
ABSENCE_NOTE = "Gruppen ser ingen sammenhæng med fraværet lige nu."
# The one action-plan item.
PROBLEM = "Mange afbrydelser i kontorlandskabet"
ACTION = "Aftal stilletimer om formiddagen"


@pytest.fixture
def users(tmp_path: Path) -> Iterator[TwoUsers]:
    """The bot (Mette leads Kemi), a playground and a browser page each for Mette and Lars."""
    with two_playgrounds(tmp_path, role="leader", holder="mette") as both:
        yield both


def dmy(day: date) -> str:
    return f"{day:%d.%m.%Y}"


# --------------------------------------------------------------------------- the test


def test_wellbeing_dialogue_and_action_plan_in_the_playground(users: TwoUsers) -> None:
    mette, lars = users.requester, users.approver
    lars_email = str(approver_user()["email"])
    today = datetime.now(ZoneInfo(TIMEZONE)).date()
    held_on = today - timedelta(days=3)
    deadline = today + timedelta(days=21)
    follow_up = today + timedelta(days=42)
    with users.explain_failure():
        # Both open AMK-bot, so both are installed (and greeted) before the dialogue.
        for user in (mette, lars):
            user.page.goto(user.url)
            user.chat.wait_for_bot_message(
                0, re.compile("Velkommen"), card=True, what=f"{user.name}'s installation"
            )
        lars_before = lars.chat.bot_message_count()

        form = fill_in_dialogue(mette, held_on)
        items = send_dialogue(mette, form)
        fill_in_item(mette, items, lars_email, deadline, follow_up)
        save_items(mette, items, lars, lars_email, deadline)

        owner = owner_card(lars, lars_before, lars_email, deadline, follow_up)
        start_item(lars, owner)

        show_plan(mette, lars, lars_email, deadline, follow_up)


def fill_in_dialogue(mette: User, held_on: date) -> Locator:
    """Mette writes "trivsel" and fills in the dialogue card (the privacy warning on top)."""
    chat = mette.chat
    before = chat.bot_message_count()
    chat.send_text("trivsel")
    form = chat.wait_for_bot_message(
        before, re.compile(re.escape(t(DA, "wellbeing.form.title"))), card=True, what="trivsel"
    )
    card = card_of(form)
    expect(card).to_contain_text(t(DA, "wellbeing.privacy.title"))
    expect(card).to_contain_text("Skriv ikke navne")
    page = chat.page
    choose(page, card_input(card, t(DA, "wellbeing.field.unit")), UNIT)
    card_input(card, t(DA, "wellbeing.field.group")).fill(GROUP)
    type_into_picker(card_input(card, t(DA, "wellbeing.field.held_on")), held_on.isoformat())
    card_input(card, t(DA, "wellbeing.field.participants")).fill(PARTICIPANTS)
    facilitator = card_input(card, t(DA, "wellbeing.field.facilitator"))
    expect(facilitator).to_have_value(mette.name)  # the speaker by default
    facilitator.fill(FACILITATOR)
    for theme in THEMES:
        box = checkbox(card, t(DA, f"wellbeing.theme.{theme}"))
        box.check()
        expect(box).to_be_checked()
    card_input(card, t(DA, "wellbeing.field.works_well")).fill(WORKS_WELL)
    card_input(card, t(DA, "wellbeing.field.challenges")).fill(CHALLENGES)
    considered = card.locator("input[type='radio'][value='yes']")
    considered.check()
    expect(considered).to_be_checked()
    card_input(card, t(DA, "wellbeing.field.absence_note")).fill(ABSENCE_NOTE)
    screenshot(chat, "e2e-wellbeing-01-dialogue.png", form)
    return form


def send_dialogue(mette: User, form: Locator) -> Locator:
    """Save the dialogue: no personal data is flagged, and the action-plan card comes."""
    chat = mette.chat
    before = chat.bot_message_count()
    save = t(DA, "wellbeing.button.save_dialogue")
    card_of(form).get_by_role("button", name=save, exact=True).click()
    items = chat.wait_for_bot_message(
        before,
        re.compile(re.escape(t(DA, "wellbeing.items.title", unit=UNIT))),
        card=True,
        what=save,
    )
    expect(items).not_to_contain_text(t(DA, "wellbeing.check.title"))
    expect(items).to_contain_text(f"{UNIT} ({GROUP}")
    return items


def fill_in_item(mette: User, items: Locator, owner: str, deadline: date, follow_up: date) -> None:
    """One item in the first row (the labels repeat per row: the first match is row 1)."""
    card = card_of(items)
    expect(card).to_contain_text(t(DA, "wellbeing.items.row", n=1))
    card_input(card, t(DA, "wellbeing.field.item_problem")).fill(PROBLEM)
    card_input(card, t(DA, "wellbeing.field.item_action")).fill(ACTION)
    card_input(card, t(DA, "wellbeing.field.owner")).fill(owner)
    type_into_picker(card_input(card, t(DA, "wellbeing.field.deadline")), deadline.isoformat())
    type_into_picker(card_input(card, t(DA, "wellbeing.field.follow_up")), follow_up.isoformat())
    screenshot(mette.chat, "e2e-wellbeing-02-action-plan.png", items)


def save_items(mette: User, items: Locator, lars: User, email: str, deadline: date) -> None:
    """ "Gem punkterne" (Action.Execute): the card changes in place to the saved items."""
    chat = mette.chat
    messages = chat.bot_message_count()
    invokes = count_rows(mette.page, INVOKED)
    card_of(items).get_by_role(
        "button", name=t(DA, "wellbeing.button.save_items"), exact=True
    ).click()
    wait_for_row(mette.page, INVOKED, invokes, "the Action.Execute click on Gem punkterne")
    saved_title = t(DA, "wellbeing.items.saved_title", unit=UNIT)
    expect(items).to_contain_text(saved_title, timeout=UPDATE_TIMEOUT_MS)
    expect(items).to_contain_text(t(DA, "wellbeing.items.saved", count=1))
    expect(items).to_contain_text(PROBLEM)
    expect(items).to_contain_text(f"frist {dmy(deadline)}")
    expect(items).to_contain_text(re.compile(f"{re.escape(lars.name)}|{re.escape(email)}"))
    expect(items).not_to_contain_text("Har endnu ikke en chat")
    assert chat.bot_message_count() == messages, "Mette got a new message instead of the update"


def owner_card(lars: User, before: int, email: str, deadline: date, follow_up: date) -> Locator:
    """Lars's item arrives in his chat, with the three status buttons."""
    card = lars.chat.wait_for_bot_message(
        before,
        re.compile(re.escape(t(DA, "wellbeing.owner.new"))),
        card=True,
        what="Lars's action-plan item",
    )
    for shown in (
        t(DA, "wellbeing.owner.intro", unit=UNIT),
        PROBLEM,
        ACTION,
        dmy(deadline),
        dmy(follow_up),
        t(DA, "wellbeing.status.open"),
    ):
        expect(card).to_contain_text(shown)
    for key in ("in_progress", "done", "drop"):
        button = t(DA, f"wellbeing.button.{key}")
        expect(card.get_by_role("button", name=button, exact=True)).to_be_visible()
    expect(card).not_to_contain_text(WORKS_WELL)
    expect(card).not_to_contain_text(CHALLENGES)
    return card


def start_item(lars: User, card: Locator) -> None:
    """ "I gang" (Action.Execute): the card changes in place to in progress."""
    page = lars.page
    messages = lars.chat.bot_message_count()
    invokes = count_rows(page, INVOKED)
    updates = count_rows(page, CARD_UPDATED)
    button = t(DA, "wellbeing.button.in_progress")
    card.get_by_role("button", name=button, exact=True).click()
    wait_for_row(page, INVOKED, invokes, "the Action.Execute click on I gang")
    expect(card.get_by_role("button", name=button, exact=True)).to_have_count(
        0, timeout=UPDATE_TIMEOUT_MS
    )
    expect(card).not_to_contain_text(t(DA, "wellbeing.status.open"))
    expect(card).to_contain_text(t(DA, "wellbeing.status.in_progress"))
    for key in ("done", "drop"):
        name = t(DA, f"wellbeing.button.{key}")
        expect(card.get_by_role("button", name=name, exact=True)).to_be_visible()
    expect(card).to_contain_text(PROBLEM)
    # The bot also updates its posted copy (`PUT …/activities/{id}`), in the background.
    wait_for_row(page, CARD_UPDATED, updates, "the bot's update of Lars's card")
    expect(card.get_by_role("button", name=button, exact=True)).to_have_count(0)
    assert lars.chat.bot_message_count() == messages, "Lars got a new message"
    screenshot(lars.chat, "e2e-wellbeing-03-owner.png", card)


def show_plan(mette: User, lars: User, email: str, deadline: date, follow_up: date) -> None:
    """ "handlingsplan": Kemi's plan with the item, its owner and status, never the notes."""
    chat = mette.chat
    before = chat.bot_message_count()
    chat.send_text("handlingsplan")
    plan = chat.wait_for_bot_message(
        before,
        re.compile(re.escape(t(DA, "wellbeing.plan.title", unit=UNIT))),
        card=True,
        what="handlingsplan",
    )
    expect(plan).to_contain_text(PROBLEM)
    expect(plan).to_contain_text(t(DA, "wellbeing.plan.action", action=ACTION))
    expect(plan).to_contain_text(
        re.compile(f"Ansvarlig: ({re.escape(lars.name)}|{re.escape(email)})")
    )
    expect(plan).to_contain_text(f"frist {dmy(deadline)} · opfølgning {dmy(follow_up)}")
    expect(plan).to_contain_text(t(DA, "wellbeing.status.in_progress"))
    expect(plan).to_contain_text(t(DA, "wellbeing.plan.counts", open=1, overdue=0))
    for note in (WORKS_WELL, CHALLENGES, ABSENCE_NOTE, GROUP, FACILITATOR):
        expect(plan).not_to_contain_text(note)
    screenshot(chat, "e2e-wellbeing-04-plan.png", plan)
