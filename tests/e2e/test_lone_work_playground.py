"""End-to-end: a lone-work request sent and approved in the Microsoft 365 Agents Playground.

Issue 3's proof, with the real client: Mette Hansen fills the request card and sends it;
Lars Jensen, the leader of her unit Kemi, approves it from the card in his own chat; the
card updates in place for him, and Mette's copy of the request updates and she is told.

Two playgrounds run against one bot (through one `LocaleProxy`): one with
`npm/.m365agentsplayground.yml` (current user Mette), one with
`npm/.m365agentsplayground.lars.yml` (current user Lars, his own personal chat id). Each
playground is a separate mock Teams with its own `serviceUrl`; the bot stores it per
conversation, so its proactive cards and card updates reach each user's own playground.
Lars is made the leader of Kemi before the bot starts, with `python -m bot org import`.

Facts about the playground (0.2.28) found with this test, besides those in
`test_playground.py`:
- Cards render with Fluent UI controls, not native inputs. `Input.Date` is a text box
  with a calendar pop-up: typing an ISO date and pressing Enter sets it (shown as
  "3. december 2026" in a da-DK browser; the pop-up stays open until Escape). `Input.Time`
  is a combobox of half hours that also takes a typed "18:00" (shown as "18.00").
  Submitted values are ISO dates and `HH:MM` times whatever the display. Empty inputs
  are left out of the submitted data.
- A compact `Input.ChoiceSet` is a combobox whose options (role `option`) open on a
  click; a compact multi-select one opens a menu of `menuitemcheckbox`es. An expanded
  multi-select one is a list of checkboxes that all carry the input's id (so `<label
  for>` does not tell them apart): find each by its `aria-label`, the choice's title.
  Multi-select values are submitted comma-separated; `Input.Toggle` is a checkbox. A
  required input's label gets a red " *" from the renderer.
- Once the next message arrives, a card that was submitted with `Action.Submit` is shown
  with its inputs empty again (real Teams keeps what was typed).
- A card update from the bot (`PUT …/activities/{id}`, updateActivity) is pushed to the
  page and re-rendered in place at once; no reload is needed (a reload would clear the
  chat). The log panel records it as "User Application -> … message 200" (a new message
  is "message 201"); an `Action.Execute` click is "… -> User Application invoke 200".
- `refresh.userIds` on a card only produces the warning "User specific view is not
  supported yet" (under the card and in the log panel): the playground sends no
  `refresh` invoke and shows everyone the card as sent.
"""

from __future__ import annotations

import contextlib
import json
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import yaml
from playwright.sync_api import Locator, Page, expect

from domain.i18n import Lang, t
from tests.e2e.playground import (
    LOCALE,
    NPM_DIR,
    PLAYGROUND_CONFIG,
    REPLY_TIMEOUT_S,
    TIMEZONE,
    LocaleProxy,
    PlaygroundChat,
    Process,
    bot_name,
    chromium,
    diagnostics,
    explain_failure,
    open_page,
    require_playground,
    run_bot_cli,
    start_bot,
    start_playground,
)

pytestmark = pytest.mark.e2e

APPROVER_CONFIG = NPM_DIR / ".m365agentsplayground.lars.yml"
UNIT = "Kemi"
DA = Lang.DA
UPDATE_TIMEOUT_MS = REPLY_TIMEOUT_S * 1000

# What Mette types into the card, and how the bot shows it back.
TASK = "Destillation af opløsningsmidler"
CAMPUS, BUILDING, ROOM = "Lyngby", "207", "112"
START_TIME, END_TIME = "18:00", "22:00"
HAZARD = "chemicals"
MITIGATION = "alarm"
EMERGENCY_NAME, EMERGENCY_PHONE = "Vagten", "+45 4525 1234"

# Log panel rows (see the module docstring).
CARD_UPDATED = re.compile(r"User Application\s*->\s*Microsoft 365 Agents Playground\s+message 200")
INVOKED = re.compile(r"Microsoft 365 Agents Playground\s*->\s*User Application\s+invoke 200")


# --------------------------------------------------------------------------- set-up


def _config(path: Path) -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    return loaded


def approver_user() -> dict[str, Any]:
    """Lars, from the approver's config, after checking it is the requester's with users swapped.

    The two playgrounds must agree on everything but who is using them, and must not share
    a personal chat (the bot keeps dialog state and conversation references by its id).
    """
    mette, lars = _config(PLAYGROUND_CONFIG), _config(APPROVER_CONFIG)
    same = {"version", "tenantId", "bot", "groupChat", "team"}
    problems = [f"{key} differs" for key in sorted(same) if mette.get(key) != lars.get(key)]
    if lars["users"][0] != mette["currentUser"] or mette["users"][0] != lars["currentUser"]:
        problems.append("currentUser is not swapped with the first of users")
    if lars["users"][1:] != mette["users"][1:]:
        problems.append("the other users differ")
    if lars["personalChat"]["id"] == mette["personalChat"]["id"]:
        problems.append("both use the same personalChat.id")
    assert not problems, f"{APPROVER_CONFIG} is out of step with {PLAYGROUND_CONFIG}: {problems}"
    user: dict[str, Any] = lars["currentUser"]
    return user


def current_user() -> dict[str, Any]:
    """Mette, the current user of the main playground."""
    user: dict[str, Any] = _config(PLAYGROUND_CONFIG)["currentUser"]
    return user


def import_role(work_dir: Path, role: str, holder: dict[str, Any]) -> None:
    """Kemi with `holder` in `role` (leader, amk, …), written to a file and imported."""
    org_file = work_dir / "organisation.yml"
    person = {"upn": holder["email"], "aad_object_id": holder["aadObjectId"]}
    units = [{"name": UNIT, role: [{**person, "name": holder["name"]}]}]
    org_file.write_text(yaml.safe_dump({"units": units}, allow_unicode=True), encoding="utf-8")
    run_bot_cli(work_dir, "org", "import", str(org_file))


@dataclass
class User:
    """One person at their own playground, in a browser page of their own."""

    name: str
    playground: Process
    port: int
    page: Page
    chat: PlaygroundChat

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"


@dataclass
class TwoUsers:
    """The bot, the locale proxy, and a playground each for the requester and the approver."""

    bot: Process
    proxy: LocaleProxy
    requester: User
    approver: User
    work_dir: Path
    browser_log: list[str]

    def describe(self) -> str:
        processes = [self.bot, self.requester.playground, self.approver.playground]
        parts = [diagnostics(processes, self.proxy, self.browser_log)]
        for user in (self.requester, self.approver):
            rows = "<could not read it>"
            with contextlib.suppress(Exception):
                rows = "\n".join(log_rows(user.page)[-30:])
            parts.append(f"----- {user.name}'s playground log panel -----\n{rows}")
        return "\n".join(parts)

    @contextlib.contextmanager
    def explain_failure(self) -> Iterator[None]:
        """On failure: logs, log panels, and `failure-mette.*`, `failure-lars.*` in tmp."""
        pages = {
            user.name.split()[0].lower(): user.page for user in (self.requester, self.approver)
        }
        with explain_failure(pages, self.work_dir, self.describe):
            yield


@contextlib.contextmanager
def two_playgrounds(tmp_path: Path, *, role: str, holder: str) -> Iterator[TwoUsers]:
    """The bot, a playground each for Mette (first) and Lars, a browser page each.

    `holder` ("mette" or "lars") holds `role` in Kemi before the bot starts.
    """
    require_playground()
    lars = approver_user()
    mette = current_user()
    name_of_bot = bot_name(PLAYGROUND_CONFIG)
    import_role(tmp_path, role, lars if holder == "lars" else mette)
    browser_log: list[str] = []

    with contextlib.ExitStack() as cleanup:
        bot, bot_port = start_bot(tmp_path)
        cleanup.callback(bot.stop)
        proxy = cleanup.enter_context(
            LocaleProxy(target=f"http://127.0.0.1:{bot_port}/api/messages", locale=LOCALE)
        )
        playgrounds: list[tuple[str, Process, int]] = []
        for person, config in ((mette, PLAYGROUND_CONFIG), (lars, APPROVER_CONFIG)):
            name = str(person["name"])
            label = f"playground-{name.split()[0].lower()}"
            playground, port = start_playground(tmp_path, proxy.url, config, label)
            cleanup.callback(playground.stop)
            playgrounds.append((name, playground, port))
        browser = cleanup.enter_context(chromium())  # closed first, before the playgrounds
        people: list[User] = []
        for name, playground, port in playgrounds:
            page = open_page(browser, browser_log, name)
            people.append(User(name, playground, port, page, PlaygroundChat(page, name_of_bot)))
        first, second = people
        yield TwoUsers(bot, proxy, first, second, tmp_path, browser_log)


@pytest.fixture
def users(tmp_path: Path) -> Iterator[TwoUsers]:
    """Mette requests, Lars leads Kemi and approves."""
    with two_playgrounds(tmp_path, role="leader", holder="lars") as both:
        yield both


# --------------------------------------------------------------------------- the card UI


def card_of(message: Locator) -> Locator:
    return message.locator(".ac-adaptiveCard").first


def card_input(card: Locator, label: str) -> Locator:
    """The input of the card whose label starts with `label` (the renderer adds " *")."""
    element = card.locator("label").filter(has_text=re.compile("^" + re.escape(label))).first
    input_id = element.get_attribute("for")
    assert input_id, f"the label {label!r} names no input"
    return card.locator(f"[id={json.dumps(input_id, ensure_ascii=False)}]").first


def checkbox(card: Locator, title: str) -> Locator:
    """A choice of an expanded multi-select choice set, or a toggle, by its title."""
    return card.locator(
        f"input[type='checkbox'][aria-label={json.dumps(title, ensure_ascii=False)}]"
    )


def choose(page: Page, box: Locator, option: str) -> None:
    """Pick `option` in a compact choice set (a combobox with a pop-up list)."""
    box.click()
    page.get_by_role("option", name=option, exact=True).click()
    expect(box).to_have_value(option)


def type_into_picker(box: Locator, text: str) -> None:
    """Set an Input.Date or Input.Time by typing (ISO date, HH:MM), then close its pop-up."""
    box.fill(text)
    box.press("Enter")
    box.press("Escape")
    expect(box).not_to_have_value("")


def log_rows(page: Page) -> list[str]:
    """The rows of the playground's log panel (an editable box that starts with its version)."""
    panel = page.locator("[contenteditable='true']").filter(has_text="Current version:").first
    return [row.strip() for row in panel.locator(":scope > div").all_inner_texts()]


def count_rows(page: Page, pattern: re.Pattern[str]) -> int:
    return sum(1 for row in log_rows(page) if pattern.search(row))


def wait_for_row(page: Page, pattern: re.Pattern[str], more_than: int, what: str) -> None:
    deadline = time.monotonic() + REPLY_TIMEOUT_S
    while time.monotonic() < deadline:
        if count_rows(page, pattern) > more_than:
            return
        page.wait_for_timeout(200)
    raise AssertionError(f"no new log panel row for {what} ({pattern.pattern!r})")


def screenshot(
    chat: PlaygroundChat, name: str, first: Locator, last: Locator | None = None
) -> None:
    """A screenshot with the messages from `first` to `last` in view: the page is made tall
    enough for them for the moment, as the chat pane scrolls inside a fixed-height page."""
    page = chat.page
    size = page.viewport_size or {"width": 1400, "height": 900}
    top, bottom = first.bounding_box(), (last or first).bounding_box()
    assert top is not None and bottom is not None
    needed = bottom["y"] + bottom["height"] - top["y"] + 260  # title bar, compose box, margins
    page.set_viewport_size({"width": size["width"], "height": max(size["height"], int(needed))})
    try:
        first.evaluate("element => element.scrollIntoView({block: 'start'})")
        page.wait_for_timeout(200)
        chat.screenshot(name)
    finally:
        page.set_viewport_size(size)


# --------------------------------------------------------------------------- the test


def test_lone_work_request_is_approved_in_the_playground(users: TwoUsers) -> None:
    mette, lars = users.requester, users.approver
    day = datetime.now(ZoneInfo(TIMEZONE)).date() + timedelta(days=3)
    when = f"{day:%d.%m.%Y} kl. 18.00 – {day:%d.%m.%Y} kl. 22.00"
    with users.explain_failure():
        # Both open AMK-bot, so both are installed (and greeted) before the request.
        for user in (mette, lars):
            user.page.goto(user.url)
            user.chat.wait_for_bot_message(
                0, re.compile("Velkommen"), card=True, what=f"{user.name}'s installation"
            )
        lars_messages = lars.chat.bot_message_count()

        form = fill_in_request(mette, day)
        summary = check_summary(mette, form, when)
        request_card, number = send_request(mette, summary, lars.name)

        approval = lars.chat.wait_for_bot_message(
            lars_messages, re.compile("Godkendelse af alenearbejde"), card=True, what="the request"
        )
        lars_messages = lars.chat.bot_message_count()
        mette_messages = mette.chat.bot_message_count()
        approve(lars, mette, approval, number, when)
        requester_sees_decision(mette, request_card, number, mette_messages, lars.name)
        # By now the bot has done all the approval causes: Lars's card changed in place
        # (the invoke's answer, then the bot's update of his copy) and nothing was added.
        assert lars.chat.bot_message_count() == lars_messages, "Lars got a new message"


def fill_in_request(mette: User, day: date) -> Locator:
    chat = mette.chat
    before = chat.bot_message_count()
    chat.send_text("alenearbejde")
    form = chat.wait_for_bot_message(
        before, re.compile(re.escape(t(DA, "lone_work.form.title"))), card=True, what="alenearbejde"
    )
    card = card_of(form)
    expect(card).to_contain_text(t(DA, "lone_work.form.requester", name=mette.name))
    choose(chat.page, card_input(card, t(DA, "lone_work.field.unit")), UNIT)
    card.get_by_role("radio", name=t(DA, "lone_work.affiliation.employee"), exact=True).check()
    card_input(card, t(DA, "lone_work.field.task")).fill(TASK)
    card_input(card, t(DA, "lone_work.field.campus")).fill(CAMPUS)
    card_input(card, t(DA, "lone_work.field.building")).fill(BUILDING)
    card_input(card, t(DA, "lone_work.field.room")).fill(ROOM)
    # A new form shows the single period's fields; the recurring ones are hidden.
    weekdays = re.compile("^" + re.escape(t(DA, "lone_work.field.weekdays")))
    expect(card.locator("label").filter(has_text=weekdays)).to_have_count(0)
    for name, text in (
        ("start_date", day.isoformat()),
        ("start_time", START_TIME),
        ("end_date", day.isoformat()),
        ("end_time", END_TIME),
    ):
        type_into_picker(card_input(card, t(DA, f"lone_work.field.{name}")), text)
    for key in (f"lone_work.hazard.{HAZARD}", f"lone_work.mitigation.{MITIGATION}"):
        checkbox(card, t(DA, key)).check()
    card_input(card, t(DA, "lone_work.field.emergency_name")).fill(EMERGENCY_NAME)
    card_input(card, t(DA, "lone_work.field.emergency_phone")).fill(EMERGENCY_PHONE)
    for toggle in ("trained", "adult"):
        checkbox(card, t(DA, f"lone_work.field.{toggle}")).check()
    screenshot(chat, "e2e-lone-work-01-form.png", form)
    return form


def check_summary(mette: User, form: Locator, when: str) -> Locator:
    chat = mette.chat
    before = chat.bot_message_count()
    card_of(form).get_by_role("button", name=t(DA, "lone_work.button.next"), exact=True).click()
    summary = chat.wait_for_bot_message(
        before, re.compile("Tjek din anmodning"), card=True, what="Videre"
    )
    for shown in (
        mette.name,
        UNIT,
        TASK,
        f"{CAMPUS}, {BUILDING}, {ROOM}",
        when,
        t(DA, f"lone_work.hazard.{HAZARD}"),
        t(DA, "lone_work.risk.risky"),
        t(DA, f"lone_work.mitigation.{MITIGATION}"),
        f"{EMERGENCY_NAME}, {EMERGENCY_PHONE}",
    ):
        expect(summary).to_contain_text(shown)
    screenshot(chat, "e2e-lone-work-02-summary.png", summary)
    return summary


def send_request(mette: User, summary: Locator, approver: str) -> tuple[Locator, str]:
    """Send it; Mette gets her copy of the request and the sentence naming her leader."""
    chat = mette.chat
    before = chat.bot_message_count()
    send = t(DA, "lone_work.button.send")
    card_of(summary).get_by_role("button", name=send, exact=True).click()
    sent = chat.wait_for_bot_message(
        before, re.compile(f"er sendt til {approver}"), card=False, what=send
    )
    match = re.search(r"AL-\d{4}-\d+", sent.inner_text())
    assert match is not None, f"no request number in {sent.inner_text()!r}"
    number = match.group(0)
    request_card = chat.wait_for_bot_message(
        before, re.compile(re.escape(number)), card=True, what="Mette's copy of the request"
    )
    expect(request_card).to_contain_text(t(DA, "lone_work.requester.title"))
    expect(request_card).to_contain_text(t(DA, "lone_work.status.pending"))
    withdraw = t(DA, "lone_work.button.withdraw")
    expect(request_card.get_by_role("button", name=withdraw, exact=True)).to_be_visible()
    screenshot(chat, "e2e-lone-work-03-sent.png", request_card, sent)
    return request_card, number


def approve(lars: User, mette: User, approval: Locator, number: str, when: str) -> None:
    """Lars's card shows the request with the three decisions; "Godkend" updates it in place."""
    chat = lars.chat
    for shown in (f"{mette.name} beder om", number, UNIT, TASK, when):
        expect(approval).to_contain_text(shown)
    buttons = [
        t(DA, f"lone_work.button.{key}") for key in ("approve", "approve_conditions", "reject")
    ]
    for name in buttons:
        expect(approval.get_by_role("button", name=name, exact=True)).to_be_visible()
    screenshot(chat, "e2e-lone-work-04-approval.png", approval)

    invokes = count_rows(lars.page, INVOKED)
    lars_updates = count_rows(lars.page, CARD_UPDATED)
    mette_updates = count_rows(mette.page, CARD_UPDATED)
    approval.get_by_role("button", name=buttons[0], exact=True).click()
    expect(approval).to_contain_text(f"Godkendt af {lars.name}", timeout=UPDATE_TIMEOUT_MS)
    expect(approval).to_contain_text(t(DA, "lone_work.status.approved"))
    for name in buttons:
        expect(approval.get_by_role("button", name=name, exact=True)).to_have_count(0)
    wait_for_row(lars.page, INVOKED, invokes, "the Action.Execute click")
    wait_for_row(lars.page, CARD_UPDATED, lars_updates, "the bot's update of Lars's copy")
    wait_for_row(mette.page, CARD_UPDATED, mette_updates, "the bot's update of Mette's copy")
    screenshot(chat, "e2e-lone-work-05-approved.png", approval)


def requester_sees_decision(
    mette: User, request_card: Locator, number: str, before: int, approver: str
) -> None:
    """Mette's copy of the request now says approved, and one new message tells her."""
    chat = mette.chat
    expect(request_card).to_contain_text(f"Godkendt af {approver}", timeout=UPDATE_TIMEOUT_MS)
    expect(request_card).to_contain_text(t(DA, "lone_work.status.approved"))
    expect(request_card).not_to_contain_text(t(DA, "lone_work.status.pending"))
    withdraw = t(DA, "lone_work.button.withdraw")
    expect(request_card.get_by_role("button", name=withdraw, exact=True)).to_have_count(0)
    told = chat.wait_for_bot_message(
        before, re.compile(f"er godkendt af {approver}"), card=False, what="the decision"
    )
    expect(told).to_contain_text(number)
    assert chat.bot_message_count() == before + 1, "the decision was not told exactly once"
    screenshot(chat, "e2e-lone-work-06-requester.png", request_card, told)
