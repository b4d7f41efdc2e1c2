"""End-to-end: the weekly digest in a team channel of the Microsoft 365 Agents Playground.

Issue 7's proof with the real client: Mette Hansen (an admin: `ADMIN_UPNS`) opens the
channel Arbejdsmiljø of "My Team", which installs the bot in the team; she writes
"@AMK-bot digest her" there and the bot confirms the subscription in her thread. Then
`python -m bot digest --now` (a separate process, same database) posts the week's digest,
composed from near-miss reports and lone-work requests seeded into the database, through
the serviceUrl the bot stored for the channel: the card appears in the channel as a new
thread, with the seeded numbers and the near-miss chart. A second run posts nothing.

Facts about the playground (0.2.28) found with this test, besides those in
`test_playground.py` and `test_lone_work_playground.py`:
- Opening the page installs the bot in the personal chat only. Selecting a team channel
  in the tree the first time installs it in the team: `installationUpdate` (add) and
  `conversationUpdate` (`eventType` teamMemberAdded, `membersAdded` the bot), both with the
  selected channel as conversation (its id has no `;messageid=`) and `channelData.team`
  (id, name, aadGroupId), but no `channelData.channel`. `GET /v3/teams/{id}/conversations`
  lists General (id = team id, no name) and the configured channel. The bot's answer to
  the install goes to the channel itself and shows as a new thread.
- A channel is a column of threads, newest first; a new post goes through the "Start a
  new post" box and its "Post" button, a reply through the thread's own box. The boxes are
  Lexical editors: typing "@" and a few letters opens a "Typeahead menu" listbox with the
  bot (a `menuitem`); picking it makes a mention (blue name). The bot gets the message as
  `<at>AMK-bot</at> digest her` with a `mention` entity for the bot. Typing the markup
  `<at>AMK-bot</at>` literally makes the same mention; a typed "@AMK-bot" whose menu was
  dismissed is plain text, and the playground does not send the message to the bot at
  all. The conversation id is `<channel id>;messageid=<the post's id>`, and the bot's
  answer shows as a reply in that thread.
- A proactive `POST /v3/conversations` with `channelData.channel.id` and an `activity`
  starts a new thread in that channel, shown at once without a reload.
- The log panel records the new thread as "User Application -> Microsoft 365 Agents
  Playground createConversation 201"; a reply in a thread is "… message 201".
- It DOES render `Chart.VerticalBar` (Fluent UI charts, an SVG), so the chart's `fallback`
  is not shown: the chart is an element labelled "<title>, Vertical bar chart" (the title
  itself is not shown), each bar an image labelled "<x>, <y>"; long x labels are cut
  ("Farlige s…"), and the y axis of small counts has fractional ticks (0.75, 1.5, …). The
  fallback for clients without charts is checked by the HTTP test (`tests/services/test_digest.py`).
  Markdown in a `TextBlock` (`**4**`) renders as bold text.
"""

from __future__ import annotations

import asyncio
import contextlib
import re
import time
from collections.abc import Awaitable, Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar

import pytest
import yaml
from playwright.sync_api import Locator, Page, expect
from sqlalchemy import select

from dialogs.digest import schedule_text
from domain.digest import Schedule, iso_week, week_bounds
from domain.i18n import Lang, t
from domain.near_miss import Category, Severity
from services.digest import digest_key
from storage import conversations, jobs, org
from storage import digest as digest_store
from storage.audit import audited
from storage.db import Database
from storage.lone_work_models import LoneWorkRequest
from storage.models import PostedActivity, Team
from storage.near_miss_models import NearMissReport
from tests.e2e.playground import (
    LOCALE,
    PLAYGROUND_CONFIG,
    REPLY_TIMEOUT_S,
    LocaleProxy,
    PlaygroundChannel,
    Stack,
    bot_name,
    chromium,
    database_url,
    log_panel_rows,
    open_page,
    require_playground,
    run_bot_cli,
    start_bot,
    start_playground,
)
from tests.support.databases import orm_session, orm_transaction

pytestmark = pytest.mark.e2e

DA = Lang.DA
REPLY_TIMEOUT_MS = REPLY_TIMEOUT_S * 1000
CHANNEL = "Arbejdsmiljø"
# The bot's own scheduler would post the digest as soon as it is due (it ticks every minute),
# racing the CLI this test is about: with the schedule at the very end of the ISO week the
# digest is never due while the test runs (see `wait_out_the_week_end`).
SCHEDULE = "SUN 23:59"
WEEK_END_MARGIN = timedelta(minutes=15)
QUIET_PERIOD_S = 3.0  # how long the channel must stay without a second card
# The log panel's row for a new thread the bot started (`POST /v3/conversations`).
NEW_THREAD = re.compile(
    r"User Application\s*->\s*Microsoft 365 Agents Playground\s+createConversation 201"
)

# The seeded units and what the card must say about them (the week before this week).
NEAR_MISSES = [  # unit, category, severity
    ("Kemi", Category.HAZARDOUS_SUBSTANCE, Severity.MINOR),
    ("Kemi", Category.HAZARDOUS_SUBSTANCE, Severity.MINOR),
    ("Kemi", Category.FIRE_EXPLOSION, Severity.LIFE_THREATENING),
    ("Fysik", Category.HAZARDOUS_SUBSTANCE, Severity.MINOR),
]
REQUESTER = "Jens Laborant"  # a person named in the seeded requests, never in the channel


# --------------------------------------------------------------------------- set-up


def _config() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load(PLAYGROUND_CONFIG.read_text(encoding="utf-8"))
    return loaded


def wait_out_the_week_end() -> None:
    """Near the end of an ISO week, wait for the next: `SCHEDULE` must not come due, and the
    seeded week, the bot's and the CLI's week must be the same."""
    now = datetime.now(UTC)
    _, week_end = week_bounds(iso_week(now))
    if week_end - now < WEEK_END_MARGIN:
        time.sleep((week_end - now).total_seconds() + 5)


def expected_lines(week: str) -> list[str]:
    """The digest's lines for the seeded data, as rendered (markdown bold removed)."""
    lines = [
        t(DA, "digest.title", week=week),
        t(DA, "digest.near_miss.new", count=4, units="Kemi 3, Fysik 1"),
        t(DA, "digest.near_miss.serious", count=1, units="Kemi 1"),
        t(DA, "digest.near_miss.old_open", count=1, units="Kemi 1"),
        t(DA, "digest.lone_work.waiting", count=1, units="Kemi 1"),
        t(DA, "digest.lone_work.risky_next_week", count=1, units="Aqua 1"),
    ]
    return [line.replace("**", "") for line in lines]


def chart_bars() -> list[str]:
    """The near-miss chart's bars as the playground names them: "<category>, <count>"."""
    return [
        f"{t(DA, f'near_miss.category.{category.value}')}, {count}"
        for category, count in ((Category.HAZARDOUS_SUBSTANCE, 3), (Category.FIRE_EXPLOSION, 1))
    ]


def chart_fallback() -> str:
    """The text a client without charts shows instead (`cards/digest.py`)."""
    return ": ".join([t(DA, "digest.near_miss.chart"), chart_bars()[0].replace(", ", ": ")])


T = TypeVar("T")


def with_database(work_dir: Path, work: Callable[[Database], Awaitable[T]]) -> T:
    """Run `work` against the test's database, in a thread of its own: the test's thread
    may be inside Playwright's event loop, where `asyncio.run` is not allowed."""

    async def run() -> T:
        db = Database(database_url(work_dir))
        try:
            return await work(db)
        finally:
            await db.dispose()

    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, run()).result(timeout=60)


@dataclass(frozen=True)
class Stored:
    """What the bot has stored about the team and the digest, for the checks."""

    team: tuple[str | None, str, bool] | None  # name, service URL, active
    channels: dict[str, tuple[str | None, str]]  # conversation id -> channel name, service URL
    subscriptions: list[tuple[int, str, str, list[int] | None]]  # id, channel, lang, units
    posts: list[tuple[str | None, str | None, str]]  # activity id, thread id, status
    job_result: dict[str, Any] | None  # of the first subscription's digest of the week


def stored(work_dir: Path, team_id: str, week: str) -> Stored:
    async def read(db: Database) -> Stored:
        async with orm_session(db) as session:
            team = await session.scalar(select(Team).where(Team.team_id == team_id))
            channels = await conversations.team_channels(session, team_id)
        async with db.reading() as connection:
            subscribed = await digest_store.active_subscriptions(connection)
        posts = []
        job_result = None
        if subscribed:
            first = str(subscribed[0][0].id)
            async with orm_session(db) as session:
                found = await session.scalars(
                    select(PostedActivity).where(
                        PostedActivity.entity_type == "digest",
                        PostedActivity.entity_id == first,
                        PostedActivity.status == "sent",
                    )
                )
                posts = [
                    (post.activity_id, post.thread_conversation_id, post.status) for post in found
                ]
            run = await jobs.status_of(db, digest_key(subscribed[0][0].id, week))
            job_result = run.result if run else None
        return Stored(
            team=(team.name, team.service_url, team.active) if team else None,
            channels={ref.conversation_id: (ref.channel_name, ref.service_url) for ref in channels},
            subscriptions=[
                (sub.id, ref.conversation_id, sub.lang, sub.unit_ids) for sub, ref in subscribed
            ],
            posts=posts,
            job_result=job_result,
        )

    return with_database(work_dir, read)


def seed(work_dir: Path, week: str) -> None:
    """Near misses and lone-work requests that the digest of `week` reports on.

    The digest posted in a week looks back at the week before: four new near misses in that
    week (one life-threatening), one older than 30 days and still open, one lone-work request
    pending since early that week, and one approved risky request for the coming week.
    """
    this_monday, next_monday = week_bounds(week)
    last_monday = this_monday - timedelta(days=7)
    # Night work from Sunday 20:00 to Monday 02:00: in this week and in the next, whichever
    # of the two the card calls "the coming week" (see the report of this test's author).
    night_start = next_monday - timedelta(hours=4)

    async def write(db: Database) -> None:
        async with audited(db) as connection:
            units = {unit.name: unit.id for unit in await org.list_units(connection)}
            person = await org.upsert_person(
                connection, aad_object_id=None, upn="jela@example.dk", name=REQUESTER
            )
        async with orm_transaction(db) as session:
            rows: list[NearMissReport | LoneWorkRequest] = [
                near_miss(
                    number,
                    units[unit],
                    last_monday + timedelta(days=number, hours=9),
                    category=category.value,
                    severity=severity.value,
                )
                for number, (unit, category, severity) in enumerate(NEAR_MISSES, start=1)
            ]
            rows.append(near_miss(9, units["Kemi"], last_monday - timedelta(days=40)))
            rows.append(lone_work(1, units["Kemi"], person.id, last_monday + timedelta(hours=9)))
            rows.append(
                lone_work(
                    2,
                    units["Aqua"],
                    person.id,
                    last_monday + timedelta(days=2, hours=9),
                    status="approved",
                    starts_at=night_start,
                    expires_at=night_start + timedelta(hours=6),
                )
            )
            session.add_all(rows)

    with_database(work_dir, write)


def near_miss(number: int, unit_id: int, created: datetime, **fields: Any) -> NearMissReport:
    values: dict[str, Any] = {
        "number": f"NM-{created.year}-{number:04d}",
        "unit_id": unit_id,
        "anonymous": True,
        "occurred_at": created - timedelta(hours=1),
        "campus": "Lyngby",
        "description": "Spild af opløsningsmiddel ved stinkskab",
        "category": Category.HAZARDOUS_SUBSTANCE.value,
        "severity": Severity.MINOR.value,
        "status": "reported",
        "created_at": created,
        "updated_at": created,
    }
    values.update(fields)
    return NearMissReport(**values)


def lone_work(
    number: int, unit_id: int, person_id: int, created: datetime, **fields: Any
) -> LoneWorkRequest:
    starts_at = fields.pop("starts_at", created + timedelta(days=14))
    expires_at = fields.pop("expires_at", starts_at + timedelta(hours=4))
    values: dict[str, Any] = {
        "number": f"AL-{created.year}-{number:04d}",
        "requester_id": person_id,
        "unit_id": unit_id,
        "approver_id": person_id,
        "task": "Destillation",
        "campus": "Lyngby",
        "building": "207",
        "room": "112",
        "schedule": "single",
        "starts_at": starts_at,
        "expires_at": expires_at,
        "hazards": ["chemicals"],
        "mitigations": ["alarm"],
        "emergency_name": "Vagten",
        "emergency_phone": "+45 4525 1234",
        "trained": True,
        "adult": True,
        "affiliation": "employee",
        "risky": True,
        "status": "pending",
        "created_at": created,
        "updated_at": created,
    }
    values.update(fields)
    return LoneWorkRequest(**values)


@dataclass
class DigestStack:
    """The bot, the locale proxy and the playground, and what the test needs to know."""

    stack: Stack
    admin_upn: str
    team: str
    team_id: str
    channel_id: str
    week: str

    def settings(self) -> dict[str, str]:
        """The settings the bot and the CLI share (besides the database)."""
        return {"ADMIN_UPNS": self.admin_upn, "DIGEST_SCHEDULE": SCHEDULE}

    @property
    def connector(self) -> str:
        """The playground's mock Bot Connector, the serviceUrl of its activities."""
        return f"http://localhost:{self.stack.playground_port}/_connector"

    def stored(self) -> Stored:
        return stored(self.stack.work_dir, self.team_id, self.week)

    def threads_started(self, page: Page) -> int:
        """How many threads the bot started with `POST /v3/conversations`."""
        return sum(1 for row in log_panel_rows(page) if NEW_THREAD.search(row))

    def digest_now(self) -> str:
        """`python -m bot digest --now`: its output, after checking it names the week."""
        done = run_bot_cli(self.stack.work_dir, "digest", "--now", **self.settings())
        output = done.stdout.strip()
        assert self.week in output, f"the CLI did not run the digest of {self.week}:\n{output}"
        return output


@pytest.fixture
def digest_stack(tmp_path: Path) -> Iterator[DigestStack]:
    """The bot (Mette is an admin) with a migrated, seeded database, and one playground."""
    require_playground()
    config = _config()
    admin_upn = str(config["currentUser"]["email"])
    settings = {"ADMIN_UPNS": admin_upn, "DIGEST_SCHEDULE": SCHEDULE}
    wait_out_the_week_end()
    week = iso_week(datetime.now(UTC))
    run_bot_cli(tmp_path, "db", "upgrade")
    seed(tmp_path, week)

    with contextlib.ExitStack() as cleanup:
        bot, bot_port = start_bot(tmp_path, **settings)
        cleanup.callback(bot.stop)
        proxy = cleanup.enter_context(
            LocaleProxy(target=f"http://127.0.0.1:{bot_port}/api/messages", locale=LOCALE)
        )
        playground, playground_port = start_playground(tmp_path, proxy.url, PLAYGROUND_CONFIG)
        cleanup.callback(playground.stop)
        stack = Stack(bot, bot_port, proxy, playground, playground_port, bot_name(), tmp_path)
        team = config["team"]
        channel = next(item for item in team["channels"] if item["name"] == CHANNEL)
        yield DigestStack(
            stack, admin_upn, str(team["name"]), str(team["id"]), str(channel["id"]), week
        )


@pytest.fixture
def page(digest_stack: DigestStack) -> Iterator[Page]:
    """A Chromium page that may reach this machine only."""
    with chromium() as browser:
        yield open_page(browser, digest_stack.stack.browser_log)


# --------------------------------------------------------------------------- the test


def test_digest_is_posted_once_in_the_channel(digest_stack: DigestStack, page: Page) -> None:
    stack = digest_stack.stack
    channel = PlaygroundChannel(page, stack.bot_name)
    with stack.explain_failure(page):
        page.goto(stack.playground_url)
        expect(page.get_by_role("treeitem", name="Personal Chat")).to_be_visible()

        # Opening the channel installs the bot in the team: it says hello in a new thread.
        channel.open(digest_stack.team, CHANNEL)
        hello = channel.threads().filter(has_text=f"Hej {digest_stack.team}!")
        expect(hello).to_have_count(1, timeout=REPLY_TIMEOUT_MS)
        assert channel.started_by(hello) == stack.bot_name
        installed(digest_stack)

        subscribe(digest_stack, channel)
        card = digest_card(digest_stack, channel)
        post_again(digest_stack, channel, card)


def installed(digest_stack: DigestStack) -> None:
    """The bot stored the team and its channels, to be reached through this playground."""
    connector = digest_stack.connector
    records = digest_stack.stored()
    assert records.team == (digest_stack.team, connector, True), records
    assert records.channels.get(digest_stack.channel_id) == (CHANNEL, connector), records
    assert digest_stack.team_id in records.channels, f"General is missing: {records}"


def subscribe(digest_stack: DigestStack, channel: PlaygroundChannel) -> None:
    """Mette posts "@AMK-bot digest her"; the bot answers in her thread."""
    channel.post("digest her", mention=channel.bot_name)
    thread = channel.threads().filter(has_text="digest her")
    expect(thread).to_have_count(1)
    assert channel.started_by(thread) == _config()["currentUser"]["name"]
    # The mention reached the bot as Teams sends it (the post shows it as a blue name).
    mentioned = f"text='<at>{channel.bot_name}</at> digest her'"
    seen = digest_stack.stack.proxy.seen
    assert any(mentioned in activity for activity in seen), "the bot got no mention"
    answer = t(
        DA, "digest.subscribed", schedule=schedule_text(DA, Schedule.parse(SCHEDULE))
    ).replace("**", "")
    expect(thread).to_contain_text(answer, timeout=REPLY_TIMEOUT_MS)
    subscriptions = digest_stack.stored().subscriptions
    assert [row[1:] for row in subscriptions] == [(digest_stack.channel_id, DA.value, None)]
    channel.screenshot("e2e-digest-01-subscribed.png", thread)


def digest_titled(channel: PlaygroundChannel, week: str) -> Locator:
    card = channel.page.locator(".ac-adaptiveCard")
    return channel.threads().filter(has=card).filter(has_text=t(DA, "digest.title", week=week))


def digest_card(digest_stack: DigestStack, channel: PlaygroundChannel) -> Locator:
    """The CLI posts the digest: a new thread with the card, the seeded numbers in it."""
    threads = channel.threads().count()
    assert digest_stack.threads_started(channel.page) == 0
    output = digest_stack.digest_now()
    assert re.search(rf"digest {digest_stack.week} for subscription \d+: posted", output), output
    posted = digest_titled(channel, digest_stack.week)
    expect(posted).to_have_count(1, timeout=REPLY_TIMEOUT_MS)
    expect(channel.threads()).to_have_count(threads + 1)
    assert digest_stack.threads_started(channel.page) == 1
    # The posted activity and its thread are stored with the claim on the week.
    records = digest_stack.stored()
    assert len(records.posts) == 1 and records.posts[0][2] == "sent", records
    activity_id, thread_id, _ = records.posts[0]
    assert activity_id and thread_id and thread_id.startswith(digest_stack.channel_id), records
    assert records.job_result == {"activity_id": activity_id, "thread": thread_id}, records
    assert channel.started_by(posted) == channel.bot_name
    # The newest thread is at the top.
    expect(channel.threads().first).to_contain_text(t(DA, "digest.title", week=digest_stack.week))
    card = posted.locator(".ac-adaptiveCard")
    for line in expected_lines(digest_stack.week):
        expect(card).to_contain_text(line)
    expect(card.locator("strong, b").filter(has_text=re.compile(r"^4$"))).to_have_count(1)
    # The playground renders the chart (Fluent UI charts, SVG), so not its text fallback.
    chart = card.get_by_label(f"{t(DA, 'digest.near_miss.chart')}, Vertical bar chart")
    expect(chart).to_be_visible()
    for bar in chart_bars():
        expect(chart.get_by_role("img", name=bar, exact=True)).to_be_visible()
    expect(card).not_to_contain_text(chart_fallback())
    expect(card.get_by_role("button", name=t(DA, "digest.details"), exact=True)).to_be_visible()
    expect(card).not_to_contain_text(REQUESTER)
    channel.screenshot("e2e-digest-02-card.png", posted)
    return posted


def post_again(digest_stack: DigestStack, channel: PlaygroundChannel, posted: Locator) -> None:
    """A second run finds the week's post claimed: nothing new appears in the channel."""
    threads = channel.threads().count()
    output = digest_stack.digest_now()
    assert re.search(rf"digest {digest_stack.week} for subscription \d+: already", output), output
    channel.page.wait_for_timeout(QUIET_PERIOD_S * 1000)
    expect(digest_titled(channel, digest_stack.week)).to_have_count(1)
    expect(channel.threads()).to_have_count(threads)
    expect(posted).to_be_visible()
    assert digest_stack.threads_started(channel.page) == 1
    assert len(digest_stack.stored().posts) == 1
