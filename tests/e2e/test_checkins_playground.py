"""End-to-end: lone-work check-ins (issue 9) in the Microsoft 365 Agents Playground.

Mette Hansen asks for lone work that starts within the hour and Lars Jensen, the leader of
her unit Kemi, approves it, as in `test_lone_work_playground.py` (whose fixture, helpers and
two playgrounds this test uses; their own screenshots are switched off here). Mette presses
"Start alenearbejde" on her updated copy of the request: the card turns into the session
card. The check-ins then happen without waiting real minutes: the scheduler's check-in job
(`services.checkin_jobs.CheckinJob.run`) is run in a separate process against the bot's SQLite
database with a `now` the test chooses relative to the session's due time, and its cards go
through the `serviceUrl` stored for each person, i.e. to their own playgrounds:

1. at the due time, the "Alt OK?" card reaches Mette; she presses "Jeg er OK" and the card
   updates in place ("Tak. Næste tjek senest …");
2. the next round goes unanswered: past the first grace period Mette gets the second prompt,
   past the second the alarm card reaches Lars; he presses "Jeg tager mig af det", his card
   updates, and Mette is told that he is handling it.

The bot's own scheduler runs the same job with the real clock meanwhile; it owes nothing
then (the first check-in is an hour away) and each step is claimed once in `job_run`.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Locator, expect

import tests.e2e.test_lone_work_playground as lone_work
from domain.i18n import Lang, t
from tests.e2e.playground import REPO_ROOT, TIMEZONE, bot_env
from tests.e2e.test_lone_work_playground import (
    CARD_UPDATED,
    INVOKED,
    UPDATE_TIMEOUT_MS,
    TwoUsers,
    User,
    approve,
    card_of,
    check_summary,
    count_rows,
    fill_in_request,
    requester_sees_decision,
    screenshot,
    send_request,
    users,  # noqa: F401 (the fixture)
    wait_for_row,
)

pytestmark = pytest.mark.e2e

DA = Lang.DA
GRACE_MINUTES = 10  # domain.checkins.GRACE

# Runs the check-in job once, `now` = the open session's due time + OFFSET minutes; prints
# the due time and `now` as JSON. Argument: OFFSET. Environment: DATABASE_URL.
JOB_SCRIPT = """
import asyncio, json, os, sys
from datetime import timedelta
from sqlalchemy import select
from bot.app import build_runtime
from services.checkin_jobs import CheckinJob
from bot.config import Settings
from storage.checkin_models import CheckinSession

async def main(offset):
    runtime = build_runtime(Settings(database_url=os.environ["DATABASE_URL"]))
    try:
        async with runtime.db.reading() as connection:
            due = (await connection.execute(
                select(CheckinSession.due_at).where(CheckinSession.status != "finished")
            )).scalar_one()
        now = due + timedelta(minutes=offset)
        job = next(j for j in runtime.scheduler.jobs if isinstance(j, CheckinJob))
        await job.run(now)
        await runtime.background.drain()
    finally:
        await runtime.connector.close()
        await runtime.db.dispose()
    print(json.dumps({"due": due.isoformat(), "now": now.isoformat()}))

asyncio.run(main(float(sys.argv[1])))
"""


def run_checkin_job(work_dir: Path, minutes_after_due: float) -> dict[str, str]:
    """The scheduler's check-in job, once, with the clock at the due time + the offset."""
    done = subprocess.run(
        [sys.executable, "-c", JOB_SCRIPT, str(minutes_after_due)],
        cwd=REPO_ROOT,
        env=bot_env(work_dir),
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, (
        f"the check-in job failed with {done.returncode}:\n{done.stdout}\n{done.stderr}"
    )
    result: dict[str, str] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


@pytest.fixture
def no_lone_work_screenshots(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The lone-work steps reused here take no screenshots (they are that test's)."""
    monkeypatch.setattr(lone_work, "screenshot", lambda *args, **kwargs: None)
    yield


def request_times(monkeypatch: pytest.MonkeyPatch) -> tuple[datetime, datetime]:
    """Start at the next half hour at least 5 minutes away (so within the hour), end 3 hours
    later (or at 23.59, as the card has one date for both); set for `fill_in_request`."""
    now = datetime.now(ZoneInfo(TIMEZONE)).replace(second=0, microsecond=0)
    start = now + timedelta(minutes=5)
    start += timedelta(minutes=(30 - start.minute % 30) % 30)
    end = start + timedelta(hours=3)
    if end.date() != start.date():
        end = start.replace(hour=23, minute=59)
    monkeypatch.setattr(lone_work, "START_TIME", f"{start:%H:%M}")
    monkeypatch.setattr(lone_work, "END_TIME", f"{end:%H:%M}")
    return start, end


def test_checkins_prompt_ok_alarm_and_handled_in_the_playground(
    users: TwoUsers,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
    no_lone_work_screenshots: None,
) -> None:
    mette, lars = users.requester, users.approver
    start, end = request_times(monkeypatch)
    when = f"{start:%d.%m.%Y} kl. {start:%H.%M} – {end:%d.%m.%Y} kl. {end:%H.%M}"
    with users.explain_failure():
        for user in (mette, lars):
            user.page.goto(user.url)
            user.chat.wait_for_bot_message(
                0, re.compile("Velkommen"), card=True, what=f"{user.name}'s installation"
            )
        lars_messages = lars.chat.bot_message_count()
        form = fill_in_request(mette, start.date())
        summary = check_summary(mette, form, when)
        request_card, number = send_request(mette, summary, lars.name)
        approval = lars.chat.wait_for_bot_message(
            lars_messages, re.compile("Godkendelse af alenearbejde"), card=True, what="the request"
        )
        mette_messages = mette.chat.bot_message_count()
        approve(lars, mette, approval, number, when)
        requester_sees_decision(mette, request_card, number, mette_messages, lars.name)

        start_session(mette, request_card, number)
        all_ok(users.work_dir, mette)
        alarm = missed_checkin(users.work_dir, mette, lars)
        handled(mette, lars, alarm)


def start_session(mette: User, request_card: Locator, number: str) -> None:
    """Pressing "Start alenearbejde" on the approved request: the card becomes the session card."""
    button = t(DA, "checkins.button.start")
    card_of(request_card).get_by_role("button", name=button, exact=True).click()
    title = t(DA, "checkins.title.started")
    expect(request_card).to_contain_text(title, timeout=UPDATE_TIMEOUT_MS)
    for shown in (number, lone_work.TASK, t(DA, "checkins.fact.due"), "erstatter aldrig"):
        expect(request_card).to_contain_text(shown)
    for key in ("ok", "help", "extend", "finish"):
        name = t(DA, f"checkins.button.{key}")
        expect(request_card.get_by_role("button", name=name, exact=True)).to_be_visible()
    screenshot(mette.chat, "e2e-checkins-01-started.png", request_card)


def all_ok(work_dir: Path, mette: User) -> None:
    """The job at the due time sends "Alt OK?"; "Jeg er OK" updates the card in place."""
    before = mette.chat.bot_message_count()
    run_checkin_job(work_dir, -4)
    prompt = mette.chat.wait_for_bot_message(
        before, re.compile(re.escape(t(DA, "checkins.title.prompt"))), card=True, what="Alt OK?"
    )
    expect(prompt).to_contain_text("Tryk Jeg er OK")
    screenshot(mette.chat, "e2e-checkins-02-all-ok.png", prompt)
    invokes = count_rows(mette.page, INVOKED)
    ok = t(DA, "checkins.button.ok")
    prompt.get_by_role("button", name=ok, exact=True).click()
    expect(prompt).to_contain_text("Tak. Næste tjek senest", timeout=UPDATE_TIMEOUT_MS)
    wait_for_row(mette.page, INVOKED, invokes, "the Jeg er OK click")
    assert mette.chat.bot_message_count() == before + 1, "Jeg er OK added a message"


def missed_checkin(work_dir: Path, mette: User, lars: User) -> Locator:
    """The next round unanswered: the second prompt to Mette, then the alarm to Lars."""
    before = mette.chat.bot_message_count()
    run_checkin_job(work_dir, -4)
    mette.chat.wait_for_bot_message(
        before, re.compile(re.escape(t(DA, "checkins.title.prompt"))), card=True, what="round 2"
    )
    run_checkin_job(work_dir, GRACE_MINUTES + 1)
    reminder = mette.chat.wait_for_bot_message(
        before,
        re.compile(re.escape(t(DA, "checkins.title.reminder"))),
        card=True,
        what="the second prompt",
    )
    expect(reminder).to_contain_text("får din leder og enhedens AMK en alarm")

    lars_before = lars.chat.bot_message_count()
    run_checkin_job(work_dir, 2 * GRACE_MINUTES + 1)
    title = t(DA, "checkins.title.alarm_missed", worker=mette.name)
    alarm = lars.chat.wait_for_bot_message(
        lars_before, re.compile(re.escape(title)), card=True, what="the alarm"
    )
    for shown in ("har ikke svaret", t(DA, "checkins.alarm.round", round=1), lone_work.TASK):
        expect(alarm).to_contain_text(shown)
    handle = t(DA, "checkins.button.handle")
    expect(alarm.get_by_role("button", name=handle, exact=True)).to_be_visible()
    screenshot(lars.chat, "e2e-checkins-03-alarm.png", alarm)
    return alarm


def handled(mette: User, lars: User, alarm: Locator) -> None:
    """Lars presses "Jeg tager mig af det": his's card says he is on it, and Mette is told."""
    mette_before = mette.chat.bot_message_count()
    lars_before = lars.chat.bot_message_count()
    updates = count_rows(lars.page, CARD_UPDATED)
    handle = t(DA, "checkins.button.handle")
    alarm.get_by_role("button", name=handle, exact=True).click()
    expect(alarm).to_contain_text(f"{lars.name} tager sig af det", timeout=UPDATE_TIMEOUT_MS)
    expect(alarm.get_by_role("button", name=handle, exact=True)).to_have_count(0)
    wait_for_row(lars.page, CARD_UPDATED, updates, "the bot's update of the alarm card")
    told = mette.chat.wait_for_bot_message(
        mette_before,
        re.compile(re.escape(t(DA, "checkins.handled.message", name=lars.name))),
        card=True,
        what="the handled message",
    )
    assert lars.chat.bot_message_count() == lars_before, "Lars got a new message"
    screenshot(lars.chat, "e2e-checkins-04-handled.png", alarm)
    screenshot(mette.chat, "e2e-checkins-04-handled-mette.png", told)
