"""What depends on the calendar, at the moments where calendars go wrong.

Each test runs at every moment in `MOMENTS` (the clock frozen there, ticking on): ISO week 53,
New Year's night (already the new year in Copenhagen, still the old one in UTC), both
daylight-saving changes, a leap day, and the precursor deadline's last minute and the first
minute after it. Days, weeks, years and numbers are Copenhagen's.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta

import pytest
import time_machine
from sqlalchemy import select

from domain.i18n import COPENHAGEN
from domain.lone_work import parse
from domain.working_days import is_working_day
from services.digest import DigestJob
from services.lone_work_jobs import LoneWorkReminders
from services.near_miss import NearMissReminders
from storage.checkin_models import CheckinEvent
from tests.http.test_checkins_http import Clock, _approved, _wire
from tests.http.test_lone_work_http import LISE, MAJA, _only_request, _request, _setup, _to
from tests.http.test_lone_work_http import form as lone_work_form
from tests.http.test_precursors_http import KARIN
from tests.http.test_precursors_http import _setup as precursor_setup
from tests.services.test_digest import _posts, _subscribe
from tests.services.test_near_miss_reminders import _with_action
from tests.support import near_miss as nm
from tests.support.databases import orm_session
from tests.support.fake_connector import Sent
from tests.support.precursors import services_of
from tests.support.teams import BotUnderTest


def _copenhagen(*parts: int) -> str:
    return datetime(*parts, tzinfo=COPENHAGEN).isoformat()


MOMENTS = [
    pytest.param(_copenhagen(2026, 12, 28, 8, 5), id="2026-W53-monday"),
    pytest.param(_copenhagen(2027, 1, 1, 0, 30), id="new-year-night"),
    pytest.param(_copenhagen(2027, 3, 28, 2, 30), id="spring-forward"),
    pytest.param(_copenhagen(2027, 10, 31, 2, 30), id="fall-back"),
    pytest.param(_copenhagen(2028, 2, 29, 9, 0), id="leap-day"),
    pytest.param(_copenhagen(2026, 6, 15, 23, 59), id="precursor-deadline-last-minute"),
    pytest.param(_copenhagen(2026, 6, 16, 0, 1), id="precursor-deadline-passed"),
]

at_every_moment = pytest.mark.parametrize("frozen_now", MOMENTS, indirect=True)


def _local(moment: datetime) -> datetime:
    return moment.astimezone(COPENHAGEN)


def _iso_week(day: date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def _every(start: datetime, end: datetime, step: timedelta) -> Iterator[datetime]:
    moment = start
    while moment <= end:
        yield moment
        moment += step


@at_every_moment
async def test_case_numbers_start_with_the_year_in_copenhagen(
    bot: BotUnderTest, frozen_now: datetime
) -> None:
    year = _local(frozen_now).year
    kemi = await nm.setup(bot)
    receipt = await nm.report(bot, nm.REPORTER, kemi)
    assert f"NM-{year}-0001" in " ".join(m.card_text() for m in receipt)
    assert [r.number for r in await nm.reports(bot)] == [f"NM-{year}-0001"]
    lone_work_unit = await _setup(bot)
    await _request(bot, lone_work_unit)
    assert (await _only_request(bot)).number == f"AL-{year}-0001"
    if frozen_now.astimezone(UTC).date() == date(2026, 12, 31):
        assert year == 2027


@at_every_moment
async def test_the_lone_work_overview_counts_this_year_in_copenhagen(
    bot: BotUnderTest, frozen_now: datetime
) -> None:
    year = _local(frozen_now).year
    leader_of_kemi = await _setup(bot)
    new_years_eve = datetime(year - 1, 12, 31, 23, 30, tzinfo=COPENHAGEN)
    with time_machine.travel(new_years_eve, tick=False):
        await _request(bot, leader_of_kemi)
    await _request(bot, leader_of_kemi)
    overview = await bot.say(LISE, "alenearbejde oversigt")
    assert f"**Kemi**: 1 venter, 0 godkendt, 0 afvist i {year}" in overview[0].card_text()


@at_every_moment
async def test_the_digest_is_posted_once_a_week_with_the_iso_week(
    bot: BotUnderTest, frozen_now: datetime
) -> None:
    with time_machine.travel(frozen_now - timedelta(days=8), tick=False):
        await _subscribe(bot)
    bot.connector.clear()
    assert bot.runtime is not None
    job = next(j for j in bot.runtime.scheduler.jobs if isinstance(j, DigestJob))
    for tick in _every(frozen_now, frozen_now + timedelta(days=8), timedelta(hours=3)):
        await job.run(tick)
    this_week = _local(frozen_now).date()
    weeks = [_iso_week(this_week), _iso_week(this_week + timedelta(days=7))]
    posts = _posts(bot.connector)
    assert [_week_in(post) for post in posts] == weeks
    if _local(frozen_now).date() == date(2026, 12, 28):
        assert weeks == ["2026-W53", "2027-W01"]


def _week_in(post: Sent) -> str:
    text = post.card_text()
    marker = "Ugens arbejdsmiljøoverblik – "
    assert marker in text, text
    return text.split(marker, 1)[1][:8]


@at_every_moment
async def test_an_action_is_reminded_once_at_eight_in_the_morning(
    bot: BotUnderTest, frozen_now: datetime
) -> None:
    local = _local(frozen_now)
    due = local.date() if local.time() < time(8) else local.date() + timedelta(days=1)
    await _with_action(bot, due=due)
    assert bot.runtime is not None
    job = NearMissReminders(bot.runtime.db, bot.runtime.notifier)
    sent_at: list[datetime] = []
    for tick in _every(frozen_now, frozen_now + timedelta(hours=48), timedelta(hours=1)):
        before = len(nm.to(bot.connector.messages(), nm.OWNER))
        await job.run(tick)
        await bot.runtime.background.drain()
        if len(nm.to(bot.connector.messages(), nm.OWNER)) > before:
            sent_at.append(tick)
    assert len(sent_at) == 1
    eight = datetime.combine(due, time(8), tzinfo=COPENHAGEN)
    assert eight <= sent_at[0] < eight + timedelta(hours=1)


@at_every_moment
async def test_a_checkin_due_in_any_hour_is_asked_for_once(
    bot: BotUnderTest, frozen_now: datetime
) -> None:
    await _approved(bot, at=frozen_now)
    assert bot.runtime is not None
    started = frozen_now - timedelta(minutes=25)
    job = _wire(bot, Clock(started))
    await bot.say(MAJA, "start alenearbejde")
    bot.connector.clear()
    for tick in _every(started, frozen_now + timedelta(minutes=40), timedelta(minutes=2)):
        await job.run(tick)
        await bot.runtime.background.drain()
    async with orm_session(bot.runtime.db) as session:
        timeline = list((await session.scalars(select(CheckinEvent.kind))).all())
    assert [kind for kind in timeline if kind != "escalated"] == [
        "started",
        "prompt",
        "reminder",
        "missed",
    ]
    prompts = [m for m in _to(bot.connector.messages(), MAJA) if "Alt OK?" in m.card_text()]
    assert len(prompts) == 2  # the prompt and the reminder, each once


@at_every_moment
async def test_a_twelve_month_arrangement_may_start_today(frozen_now: datetime) -> None:
    today = _local(frozen_now).date()
    try:
        anniversary = today.replace(year=today.year + 1)
    except ValueError:  # 29 February
        anniversary = date(today.year + 1, 3, 1)
    values = lone_work_form(
        1,
        schedule="recurring",
        weekdays="mon,tue,wed,thu,fri,sat,sun",
        window_start="00:00",
        window_end="23:59",
        valid_from=today.isoformat(),
    )
    last = anniversary - timedelta(days=1)
    _, errors = parse({**values, "valid_to": last.isoformat()}, now=frozen_now)
    assert errors == {}
    _, errors = parse({**values, "valid_to": anniversary.isoformat()}, now=frozen_now)
    assert errors == {"valid_to": "lone_work.error.too_long"}
    if today == date(2028, 2, 29):
        assert last == date(2029, 2, 28)


@at_every_moment
async def test_the_approver_is_reminded_after_two_and_three_working_days(
    bot: BotUnderTest, frozen_now: datetime
) -> None:
    kemi = await _setup(bot)
    await _request(bot, kemi)
    assert bot.runtime is not None
    job = LoneWorkReminders(bot.runtime.db, bot.runtime.notifier)
    sent_at: list[datetime] = []
    for tick in _every(frozen_now, frozen_now + timedelta(days=9), timedelta(hours=3)):
        before = len(_to(bot.connector.messages(), LISE))
        await job.run(tick)
        await bot.runtime.background.drain()
        if len(_to(bot.connector.messages(), LISE)) > before:
            sent_at.append(tick)
    assert len(sent_at) == 2
    submitted = _local(frozen_now).date()
    for sent, expected in zip(sent_at, (2, 3), strict=True):
        reminded = _local(sent).date()
        working_days = [
            submitted + timedelta(days=n)
            for n in range(1, (reminded - submitted).days + 1)
            if is_working_day(submitted + timedelta(days=n))
        ]
        assert len(working_days) == expected and is_working_day(reminded)


@pytest.mark.parametrize(
    ("frozen_now", "said"),
    [
        (_copenhagen(2026, 6, 14, 23, 59), "Fristen er 15. juni 2026 (i morgen)"),
        (_copenhagen(2026, 6, 15, 23, 59), "Fristen er 15. juni 2026 (i dag)"),
        (_copenhagen(2026, 6, 16, 0, 1), "Fristen var 15. juni 2026."),
    ],
    indirect=["frozen_now"],
)
async def test_the_precursor_deadline_is_today_until_midnight_in_copenhagen(
    bot: BotUnderTest, frozen_now: datetime, said: str
) -> None:
    await precursor_setup(bot)
    assert bot.runtime is not None
    services_of(bot.runtime).clock = lambda: frozen_now
    home = await bot.say(KARIN, "prækursor")
    text = " ".join(m.card_text() for m in home)
    assert said in text, text


@pytest.mark.parametrize("frozen_now", [_copenhagen(2026, 3, 2, 0, 30)], indirect=True)
async def test_a_registration_just_after_midnight_shows_the_day_in_copenhagen(
    bot: BotUnderTest, frozen_now: datetime
) -> None:
    await precursor_setup(bot)
    assert bot.runtime is not None
    services_of(bot.runtime).clock = lambda: frozen_now
    await bot.say(KARIN, "prækursor")
    await bot.submit(KARIN, {"action": "precursors.none"})
    home = await bot.say(KARIN, "prækursor")
    text = " ".join(m.card_text() for m in home)
    assert "Indberettet for 2026 af Karin Kemi den 2. marts 2026" in text, text
