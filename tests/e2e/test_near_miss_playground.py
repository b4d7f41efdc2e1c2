"""End-to-end: near-miss reports made and acknowledged in the Microsoft 365 Agents Playground.

Issue 4's proof, with the real client: Mette Hansen writes "nærved", fills the report card
and sends it as a named report; she gets a receipt with the report number. Lars Jensen, the
AMK of her unit Kemi, gets the new report as a card in his own chat and acknowledges it
(`Action.Execute`): the card changes in place, and Mette is told. Then Mette reports once
more, anonymously: the card has told her beforehand that she will hear nothing more; Lars
acknowledges that one too, and Mette gets no message about it (in the UI, in the log panel
of her playground, and in the bot's table of posted messages).

Two playgrounds run against one bot, as in `test_lone_work_playground.py` (whose helpers
for the two users and the card inputs this test uses): one with
`npm/.m365agentsplayground.yml` (Mette), one with `npm/.m365agentsplayground.lars.yml`
(Lars). Lars is made the AMK of Kemi before the bot starts, with `python -m bot org import`.

Facts about the playground (0.2.28) found with this test, besides those in
`test_playground.py` and `test_lone_work_playground.py`:
- The form's defaults are shown as sent: the `Input.Date` value today (as "27. november
  2026" in a da-DK browser) and the `Input.Time` value, the current minute (as "18.31",
  though the pop-up list only offers half hours); left alone, both are submitted as they
  were (the AMK's card shows that date and minute).
- An expanded single-select `Input.ChoiceSet` is a group of radio buttons whose `value`
  is the choice's value.
- An `Action.Execute` click shows the card of the invoke response at once, and the bot's
  own update of the same message (`PUT …/activities/{id}`, sent in the background) replaces
  it moments later. Which one stays depends on which arrives last: mostly the update, so
  the invoke response's "Du har kvitteret for modtagelsen." is usually seen only for an
  instant. The test checks what both cards show (status, who acknowledged, the buttons).
"""

from __future__ import annotations

import contextlib
import re
import sqlite3
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
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
    card_input,
    card_of,
    checkbox,
    choose,
    count_rows,
    current_user,
    screenshot,
    two_playgrounds,
    wait_for_row,
)

pytestmark = pytest.mark.e2e

UNIT = "Kemi"
DA = Lang.DA
UPDATE_TIMEOUT_MS = REPLY_TIMEOUT_S * 1000
# How long Mette's chat is watched for a message that must not come, after the bot has
# done everything else the acknowledgement causes (the notices follow the card updates).
QUIET_S = 3.0

# A new message from the bot in the log panel ("message 200" is a card update).
POSTED = re.compile(r"User Application\s*->\s*Microsoft 365 Agents Playground\s+message 201")


@pytest.fixture
def users(tmp_path: Path) -> Iterator[TwoUsers]:
    """The bot (Lars is the AMK of Kemi), a playground and a browser page each."""
    with two_playgrounds(tmp_path, role="amk", holder="lars") as both:
        yield both


# --------------------------------------------------------------------------- what is typed


@dataclass(frozen=True)
class Report:
    """What Mette types into the form, and what she picks (category and severity by their
    values; the test picks them by their Danish titles)."""

    campus: str
    building: str
    room: str
    description: str
    category: str
    severity: str
    immediate_action: str
    prevention: str
    anonymous: bool

    @property
    def location(self) -> str:
        return ", ".join((self.campus, self.building, self.room))


NAMED = Report(
    campus="Lyngby",
    building="207",
    room="112",
    description="Flaske med acetone stod åben på gulvet ved stinkskabet.",
    category="hazardous_substance",
    severity="serious",
    immediate_action="Flasken blev lukket og sat på plads.",
    prevention="En hylde ved stinkskabet.",
    anonymous=False,
)
ANONYMOUS = Report(
    campus="Lyngby",
    building="229",
    room="040",
    description="En kabeltromle lå på tværs af gangen foran laboratoriet.",
    category="slip_trip_fall",
    severity="minor",
    immediate_action="Kablet blev rullet op.",
    prevention="Faste stikkontakter ved bordene.",
    anonymous=True,
)


def category(report: Report) -> str:
    return t(DA, f"near_miss.category.{report.category}")


def severity(report: Report) -> str:
    return t(DA, f"near_miss.severity.{report.severity}")


# --------------------------------------------------------------------------- the test


def test_near_miss_reports_are_acknowledged_in_the_playground(users: TwoUsers) -> None:
    mette, lars = users.requester, users.approver
    year = datetime.now(ZoneInfo(TIMEZONE)).year
    with users.explain_failure():
        # Both open AMK-bot, so both are installed (and greeted) before the first report.
        for user in (mette, lars):
            user.page.goto(user.url)
            user.chat.wait_for_bot_message(
                0, re.compile("Velkommen"), card=True, what=f"{user.name}'s installation"
            )

        # A named report: form, receipt, the AMK's card, acknowledged, the reporter told.
        lars_before = lars.chat.bot_message_count()
        form, when = fill_in_report(mette, NAMED)
        screenshot(mette.chat, "e2e-near-miss-01-form.png", form)
        receipt, number = send_report(mette, form, NAMED, year)
        screenshot(mette.chat, "e2e-near-miss-02-receipt.png", receipt)

        card = new_report_card(lars, lars_before, number, NAMED, mette.name, when)
        screenshot(lars.chat, "e2e-near-miss-03-amk-card.png", card)
        mette_before = mette.chat.bot_message_count()
        acknowledge(lars, card, NAMED, mette.name)
        screenshot(lars.chat, "e2e-near-miss-04-acknowledged.png", card)

        told = mette.chat.wait_for_bot_message(
            mette_before,
            re.compile(re.escape(number) + r".*er modtaget af arbejdsmiljøkoordinatoren", re.S),
            card=True,
            what="the acknowledgement of the named report",
        )
        expect(told).to_contain_text(t(DA, "near_miss.title"))
        expect(told).to_contain_text("Tak, fordi du meldte den.")
        assert mette.chat.bot_message_count() == mette_before + 1, "Mette was told more than once"
        screenshot(mette.chat, "e2e-near-miss-05-reporter-told.png", receipt, told)

        # An anonymous report: told beforehand that no follow-up comes, and none comes.
        lars_before = lars.chat.bot_message_count()
        form, when = fill_in_report(mette, ANONYMOUS)
        screenshot(mette.chat, "e2e-near-miss-06-anonymous-form.png", form)
        receipt, anonymous_number = send_report(mette, form, ANONYMOUS, year)
        assert anonymous_number != number
        card = new_report_card(lars, lars_before, anonymous_number, ANONYMOUS, None, when)
        expect(card).not_to_contain_text(mette.name)
        mette_before = mette.chat.bot_message_count()
        mette_posts = count_rows(mette.page, POSTED)
        acknowledge(lars, card, ANONYMOUS, None)
        screenshot(lars.chat, "e2e-near-miss-07-anonymous-acknowledged.png", card)
        reporter_not_told(users, anonymous_number, mette_before, mette_posts)
        screenshot(mette.chat, "e2e-near-miss-08-anonymous-reporter-not-told.png", receipt)

        # The bot's own records agree: Mette is the reporter of the first report only, and
        # of the messages about the reports only the first report's reached her.
        stored = stored_reports(users.work_dir)
        assert stored[number] == (False, current_user()["aadObjectId"]), stored
        assert stored[anonymous_number] == (True, None), stored
        posted = posted_keys(users.work_dir)
        assert any(key.endswith(":reporter:acknowledged") for key in posted[number]), posted
        assert all(":amk:" in key for key in posted[anonymous_number]), posted


def fill_in_report(mette: User, report: Report) -> tuple[Locator, list[str]]:
    """Mette writes "nærved" and fills in the form, leaving the time of the event at its
    default: the form, and how the AMK's card may show that default ("27.11.2026 kl.
    18.31", with the date of today at either end of the wait for the form)."""
    chat = mette.chat
    before = chat.bot_message_count()
    days = [datetime.now(ZoneInfo(TIMEZONE)).date()]
    chat.send_text("nærved")
    form = chat.wait_for_bot_message(
        before, re.compile(re.escape(t(DA, "near_miss.form.title"))), card=True, what="nærved"
    )
    days.append(datetime.now(ZoneInfo(TIMEZONE)).date())
    card = card_of(form)
    page = chat.page
    # The anonymity promise is on the card before anything is sent.
    anonymous = checkbox(card, t(DA, "near_miss.form.anonymous"))
    expect(anonymous).not_to_be_checked()
    explain = t(DA, "near_miss.form.anonymous.explain")
    expect(card).to_contain_text(explain)
    assert "Derfor kan du heller ikke få besked om opfølgningen" in explain
    # When: the defaults, today and now, are left as they are.
    expect(card_input(card, t(DA, "near_miss.form.date"))).not_to_have_value("")
    clock = card_input(card, t(DA, "near_miss.form.time")).input_value()
    # The Playground shows the time the Danish way, without a leading zero before 10 ("1.02").
    shown = re.fullmatch(r"(\d{1,2})[.:](\d{2})", clock)
    assert shown, f"no time of day by default: {clock!r}"
    hour, minute = int(shown[1]), int(shown[2])
    when = [f"{day:%d.%m.%Y} kl. {hour:02d}.{minute:02d}" for day in days]
    choose(page, card_input(card, t(DA, "near_miss.form.unit")), UNIT)
    card_input(card, t(DA, "near_miss.form.campus")).fill(report.campus)
    card_input(card, t(DA, "near_miss.form.building")).fill(report.building)
    card_input(card, t(DA, "near_miss.form.room")).fill(report.room)
    card_input(card, t(DA, "near_miss.form.description")).fill(report.description)
    choose(page, card_input(card, t(DA, "near_miss.form.category")), category(report))
    choose(page, card_input(card, t(DA, "near_miss.form.severity")), severity(report))
    nobody_hurt = card.locator("input[type='radio'][value='no']")
    nobody_hurt.check()
    expect(nobody_hurt).to_be_checked()
    card_input(card, t(DA, "near_miss.form.immediate_action")).fill(report.immediate_action)
    card_input(card, t(DA, "near_miss.form.prevention")).fill(report.prevention)
    if report.anonymous:
        anonymous.check()
        expect(anonymous).to_be_checked()
    return form, when


def send_report(mette: User, form: Locator, report: Report, year: int) -> tuple[Locator, str]:
    """Send it; the receipt has the number to quote and says what happens next."""
    chat = mette.chat
    before = chat.bot_message_count()
    send = t(DA, "near_miss.form.submit")
    card_of(form).get_by_role("button", name=send, exact=True).click()
    receipt = chat.wait_for_bot_message(
        before, re.compile(re.escape(t(DA, "near_miss.confirm.title"))), card=True, what=send
    )
    match = re.search(rf"NM-{year}-\d{{4}}", receipt.inner_text())
    assert match is not None, f"no report number NM-{year}-nnnn in {receipt.inner_text()!r}"
    kind = "near_miss.confirm.anonymous" if report.anonymous else "near_miss.confirm.named"
    expect(receipt).to_contain_text(t(DA, kind, unit=UNIT))
    assert chat.bot_message_count() == before + 1, "more than the receipt came back"
    return receipt, match.group(0)


def new_report_card(
    lars: User, before: int, number: str, report: Report, reporter: str | None, when: list[str]
) -> Locator:
    """The AMK's card about the new report: the report, and the two first steps."""
    card = lars.chat.wait_for_bot_message(
        before, re.compile(re.escape(number)), card=True, what="the new report"
    )
    for shown in (
        t(DA, "near_miss.card.title", number=number),
        t(DA, "near_miss.card.new", unit=UNIT),
        t(DA, "near_miss.status.reported"),
        report.location,
        category(report),
        severity(report),
        report.description,
        report.immediate_action,
        report.prevention,
        reporter or t(DA, "near_miss.card.anonymous"),
    ):
        expect(card).to_contain_text(shown)
    shown = card.inner_text()
    assert any(moment in shown for moment in when), f"not the form's default {when}: {shown!r}"
    for key in ("near_miss.card.acknowledge", "near_miss.card.assign"):
        expect(card.get_by_role("button", name=t(DA, key), exact=True)).to_be_visible()
    return card


def acknowledge(lars: User, card: Locator, report: Report, reporter: str | None) -> None:
    """Lars clicks "Kvittér for modtagelsen" (Action.Execute): the card changes in place to
    acknowledged by Lars, with the next steps offered and no second acknowledgement."""
    page = lars.page
    invokes = count_rows(page, INVOKED)
    updates = count_rows(page, CARD_UPDATED)
    messages = lars.chat.bot_message_count()
    button = t(DA, "near_miss.card.acknowledge")
    card.get_by_role("button", name=button, exact=True).click()
    wait_for_row(page, INVOKED, invokes, "the Action.Execute click")
    wait_for_row(page, CARD_UPDATED, updates, "the bot's update of Lars's card")
    expect(card).to_contain_text(f"af {lars.name}", timeout=UPDATE_TIMEOUT_MS)
    expect(card).to_contain_text(t(DA, "near_miss.status.acknowledged"))
    expect(card.get_by_role("button", name=button, exact=True)).to_have_count(0)
    for key in ("near_miss.card.assign", "near_miss.card.add_action", "near_miss.card.close"):
        expect(card.get_by_role("button", name=t(DA, key), exact=True)).to_be_visible()
    expect(card).to_contain_text(report.description)
    expect(card).to_contain_text(reporter or t(DA, "near_miss.card.anonymous"))
    assert lars.chat.bot_message_count() == messages, "Lars got a new message"


def reporter_not_told(users: TwoUsers, number: str, before: int, posts: int) -> None:
    """Nothing reaches Mette about the anonymous report: her chat stays as it was."""
    mette = users.requester
    deadline = time.monotonic() + QUIET_S
    while time.monotonic() < deadline:
        assert mette.chat.bot_message_count() == before, (
            f"Mette got a message after {number}, her anonymous report, was acknowledged"
        )
        mette.page.wait_for_timeout(200)
    assert count_rows(mette.page, POSTED) == posts, "the bot posted to Mette's playground"


def stored_reports(work_dir: Path) -> dict[str, tuple[bool, str | None]]:
    """(anonymous, the reporter's Entra object id) of each report in the bot's database,
    by report number."""
    with contextlib.closing(sqlite3.connect(work_dir / "e2e.db")) as db:
        rows = db.execute(
            "SELECT r.number, r.anonymous, p.aad_object_id FROM near_miss_report AS r "
            "LEFT JOIN person AS p ON p.id = r.reporter_id"
        ).fetchall()
    return {str(number): (bool(anonymous), reporter) for number, anonymous, reporter in rows}


def posted_keys(work_dir: Path) -> dict[str, list[str]]:
    """The bot's record of the messages it posted about each report, by report number."""
    with contextlib.closing(sqlite3.connect(work_dir / "e2e.db")) as db:
        rows = db.execute(
            "SELECT r.number, p.dedupe_key FROM posted_activity AS p "
            "JOIN near_miss_report AS r ON p.entity_type = 'near_miss_report' "
            "AND p.entity_id = CAST(r.id AS TEXT) ORDER BY p.id"
        ).fetchall()
    found: dict[str, list[str]] = {}
    for number, key in rows:
        found.setdefault(str(number), []).append(str(key))
    return found
