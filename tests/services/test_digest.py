"""The weekly digest: subscribe in a channel, the right numbers, posted exactly once."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from bot.connector import ConnectorClient, RetryPolicy
from bot.notifier import ProactiveNotifier
from bot.proactive import ProactiveSender
from domain.digest import Schedule, week_bounds
from domain.near_miss import Category, Severity
from domain.org import OrgFile
from services.digest import DigestJob, DigestPoster
from storage import org
from storage.audit import audited
from storage.db import Database
from storage.lone_work_models import LoneWorkRequest
from storage.near_miss_models import NearMissReport
from tests.cards.test_cards import MAX_CARD_BYTES, VALIDATOR
from tests.support.card_nodes import walk
from tests.support.clock import written_for_suite_moment
from tests.support.databases import orm_session, orm_transaction
from tests.support.fake_connector import FakeConnector, Sent
from tests.support.teams import BotUnderTest, make_user

ADMIN = make_user("Anne Admin", "admin@uni.dk")
AMK = make_user("Anders AMK", "anders@uni.dk")
OUTSIDER = make_user("Otto Udenfor", "otto@uni.dk")
TEAM = "19:amk-network@thread.tacv2"
pytestmark = written_for_suite_moment()

WEEK = "2026-W49"
MONDAY_0801 = datetime(2026, 11, 30, 7, 1, tzinfo=UTC)  # 08:01 in Copenhagen


async def _subscribe(bot: BotUnderTest, text: str = "<at>AMK-bot</at> digest her") -> Sent:
    bot.connector.channels[TEAM] = [{"id": TEAM, "name": None}]
    await bot.post(
        bot.team_activity(
            ADMIN, TEAM, TEAM, type="conversationUpdate", membersAdded=[{"id": "28:amkbot-test"}]
        )
    )
    await bot.post(bot.team_activity(ADMIN, TEAM, f"{TEAM};messageid=1", text=text))
    return bot.connector.messages()[-1]


async def _unit_ids(db: Database) -> dict[str, int]:
    async with orm_session(db) as session:
        return {unit.name: unit.id for unit in await org.list_units(session)}


def _report(number: int, unit_id: int, created: datetime, **fields: Any) -> NearMissReport:
    values: dict[str, Any] = {
        "number": f"NM-{created.year}-{number:04d}",
        "unit_id": unit_id,
        "anonymous": True,
        "occurred_at": created,
        "campus": "Lyngby",
        "description": "tekst",
        "category": Category.HAZARDOUS_SUBSTANCE.value,
        "severity": Severity.MINOR.value,
        "status": "reported",
        "created_at": created,
        "updated_at": created,
    }
    values.update(fields)
    return NearMissReport(**values)


def _lone_work(unit_id: int, person_id: int, created: datetime, **fields: Any) -> LoneWorkRequest:
    values: dict[str, Any] = {
        "number": f"AL-2026-{abs(hash((unit_id, created, tuple(fields.items())))) % 9999:04d}",
        "requester_id": person_id,
        "unit_id": unit_id,
        "approver_id": person_id,
        "task": "x",
        "campus": "Lyngby",
        "building": "1",
        "room": "1",
        "schedule": "single",
        "starts_at": created + timedelta(days=10),
        "expires_at": created + timedelta(days=11),
        "hazards": ["chemicals"],
        "mitigations": ["alarm"],
        "emergency_name": "Vagt",
        "emergency_phone": "45251010",
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


async def _seed(db: Database) -> None:
    units = await _unit_ids(db)
    week_start, _ = week_bounds("2026-W48")
    async with audited(db) as connection:
        person = await org.upsert_person(connection, aad_object_id=None, upn="x@uni.dk", name="X")
    async with orm_transaction(db) as session:
        session.add_all(
            [
                _report(1, units["Kemi"], week_start + timedelta(days=1)),
                _report(2, units["Kemi"], week_start + timedelta(days=2)),
                _report(
                    3,
                    units["Kemi"],
                    week_start + timedelta(days=3),
                    category=Category.FIRE_EXPLOSION.value,
                    severity=Severity.LIFE_THREATENING.value,
                ),
                _report(4, units["Fysik"], week_start + timedelta(days=4)),
                _report(5, units["Kemi"], week_start - timedelta(days=40)),
                _report(6, units["Fysik"], week_start - timedelta(days=40), status="closed"),
                _lone_work(units["Kemi"], person.id, MONDAY_0801 - timedelta(days=7)),
                _lone_work(units["Fysik"], person.id, MONDAY_0801 - timedelta(hours=1)),
                _lone_work(
                    units["Aqua"],
                    person.id,
                    MONDAY_0801 - timedelta(days=3),
                    status="approved",
                    starts_at=MONDAY_0801 + timedelta(days=2),
                    expires_at=MONDAY_0801 + timedelta(days=3),
                ),
            ]
        )


class RecordingSleep:
    def __init__(self) -> None:
        self.pauses: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.pauses.append(seconds)


def _job(bot: BotUnderTest) -> DigestJob:
    assert bot.runtime is not None
    return next(job for job in bot.runtime.scheduler.jobs if isinstance(job, DigestJob))


def _posts(connector: FakeConnector) -> list[Sent]:
    return [item for item in connector.messages() if item.path == "/v3/conversations"]


async def test_only_admins_and_the_secretariat_manage_the_digest(bot: BotUnderTest) -> None:
    await bot.install_personal(AMK)
    bot.connector.channels[TEAM] = [{"id": TEAM, "name": None}]
    await bot.post(bot.team_activity(AMK, TEAM, TEAM, text="<at>AMK-bot</at> digest her"))
    assert "Kun administratorer" in bot.connector.messages()[-1].text
    reply = await _subscribe(bot)
    assert "får nu det ugentlige arbejdsmiljøoverblik (mandag kl. 08:00)" in reply.text
    await bot.post(bot.team_activity(ADMIN, TEAM, TEAM, text="<at>AMK-bot</at> digest stop"))
    assert "ikke længere" in bot.connector.messages()[-1].text
    assert bot.runtime is not None
    await _job(bot).run(MONDAY_0801)
    assert _posts(bot.connector) == []


async def test_a_channel_subscribing_mid_week_starts_next_week(bot: BotUnderTest) -> None:
    from storage.models import utcnow

    await _subscribe(bot)
    await _job(bot).run(utcnow() + timedelta(minutes=1))
    assert _posts(bot.connector) == []
    await _job(bot).run(MONDAY_0801)
    assert len(_posts(bot.connector)) == 1


async def test_subscription_can_be_limited_to_units(bot: BotUnderTest) -> None:
    unknown = await _subscribe(bot, "<at>AMK-bot</at> digest here Kemi, Atlantis")
    assert "Atlantis" in unknown.text and "kender jeg ikke" in unknown.text
    limited = await _subscribe(bot, "<at>AMK-bot</at> digest here Kemi")
    assert "for Kemi" in limited.text
    assert bot.runtime is not None
    await _seed(bot.runtime.db)
    await _job(bot).run(MONDAY_0801)
    text = _posts(bot.connector)[0].card_text()
    assert "Nye i ugen: **3** – Kemi 3" in text and "Fysik" not in text


async def test_digest_posts_once_with_the_right_numbers(bot: BotUnderTest) -> None:
    await _subscribe(bot)
    assert bot.runtime is not None
    await _seed(bot.runtime.db)
    job = _job(bot)
    await job.run(MONDAY_0801 - timedelta(minutes=2))
    assert _posts(bot.connector) == []
    await job.run(MONDAY_0801)
    await job.run(MONDAY_0801 + timedelta(minutes=1))
    posts = _posts(bot.connector)
    assert len(posts) == 1
    post = posts[0]
    assert post.body["channelData"]["channel"]["id"] == TEAM
    text = post.card_text()
    assert "Ugens arbejdsmiljøoverblik – 2026-W49" in text
    assert "Nye i ugen: **4** – Kemi 3, Fysik 1" in text
    assert "Meget alvorlige eller livstruende: **1** – Kemi 1" in text
    assert "Åbne i mere end 30 dage: **1** – Kemi 1" in text
    assert "Venter på godkendelse i mere end 2 arbejdsdage: **1** – Kemi 1" in text
    assert "Godkendt risikofyldt alenearbejde i den kommende uge: **1** – Aqua 1" in text
    assert "x@uni.dk" not in text and "X " not in text
    chart = next(e for e in walk(post.card) if e.get("type") == "Chart.VerticalBar")
    assert {bar["x"]: bar["y"] for bar in chart["data"]} == {
        "Farlige stoffer og kemikalier": 3,
        "Brand eller eksplosion": 1,
    }
    assert chart["fallback"]["type"] == "TextBlock"
    assert "Farlige stoffer og kemikalier: 3" in chart["fallback"]["text"]


def _as_client_without_charts(card: dict[str, Any]) -> dict[str, Any]:
    """What a 1.5 client renders: chart elements replaced by their fallback."""

    def swap(node: Any) -> Any:
        if isinstance(node, dict):
            if str(node.get("type", "")).startswith("Chart."):
                return swap(node["fallback"])
            return {key: swap(value) for key, value in node.items()}
        if isinstance(node, list):
            return [swap(value) for value in node]
        return node

    swapped: dict[str, Any] = swap(card)
    return swapped


async def _poster(db: Database, connector: FakeConnector, sleep: RecordingSleep) -> DigestPoster:
    from bot.config import Settings

    client = ConnectorClient(retry=RetryPolicy(attempts=6, base_delay=0.5), sleep=sleep)
    sender = ProactiveSender(db, client)
    from bot.background import BackgroundTasks

    notifier = ProactiveNotifier(sender, BackgroundTasks())
    return DigestPoster(
        db, sender, notifier, Settings(database_url=db.url, admin_upns=frozenset({"admin@uni.dk"}))
    )


async def test_two_instances_post_once(bot: BotUnderTest) -> None:
    await _subscribe(bot)
    assert bot.runtime is not None
    sleep = RecordingSleep()
    first = await _poster(bot.runtime.db, bot.connector, sleep)
    second = await _poster(bot.runtime.db, bot.connector, sleep)
    schedule = Schedule.parse("MON 08:00")
    try:
        await asyncio.gather(
            *[DigestJob(poster, schedule).run(MONDAY_0801) for poster in (first, second) * 3]
        )
    finally:
        await first.sender.connector.close()
        await second.sender.connector.close()
    assert len(_posts(bot.connector)) == 1


async def test_throttled_and_failing_posts_are_retried_and_posted_once(bot: BotUnderTest) -> None:
    await _subscribe(bot)
    assert bot.runtime is not None
    sleep = RecordingSleep()
    poster = await _poster(bot.runtime.db, bot.connector, sleep)
    bot.connector.fail_next.extend([(429, {"Retry-After": "7"})] + [(500, {})] * 4)
    try:
        await DigestJob(poster, Schedule.parse("MON 08:00")).run(MONDAY_0801)
    finally:
        await poster.sender.connector.close()
    assert sleep.pauses[0] == 7.0 and len(sleep.pauses) == 5
    assert len(_posts(bot.connector)) == 1


async def test_five_server_errors_then_success_posts_once(bot: BotUnderTest) -> None:
    await _subscribe(bot)
    assert bot.runtime is not None
    sleep = RecordingSleep()
    poster = await _poster(bot.runtime.db, bot.connector, sleep)
    bot.connector.fail_next.extend([(500, {})] * 5)
    try:
        await DigestJob(poster, Schedule.parse("MON 08:00")).run(MONDAY_0801)
        await DigestJob(poster, Schedule.parse("MON 08:00")).run(MONDAY_0801)
    finally:
        await poster.sender.connector.close()
    assert len(sleep.pauses) == 5 and all(0 < pause <= 8 for pause in sleep.pauses)
    assert len(_posts(bot.connector)) == 1
    failed = [item for item in bot.connector.sent if item.body.get("failed_with") == 500]
    assert len(failed) == 5


async def test_a_post_that_keeps_failing_is_given_up_and_admins_are_told(bot: BotUnderTest) -> None:
    await bot.install_personal(ADMIN)
    await _subscribe(bot)
    assert bot.runtime is not None
    sleep = RecordingSleep()
    poster = await _poster(bot.runtime.db, bot.connector, sleep)
    job = DigestJob(poster, Schedule.parse("MON 08:00"))
    bot.connector.fail_next.extend([(503, {})] * 6 * 5)
    try:
        for minute in range(6):
            await job.run(MONDAY_0801 + timedelta(minutes=minute))
    finally:
        await poster.sender.connector.close()
    assert _posts(bot.connector) == []
    told = [m for m in bot.connector.messages() if m.conversation_id == ADMIN.chat_id]
    assert any("kunne ikke postes" in m.card_text() for m in told)
    (failure,) = [m for m in told if "kunne ikke postes" in m.card_text()]
    assert "python -m bot" not in failure.card_text()
    assert failure.card is not None
    (button,) = failure.card["actions"]
    assert button["title"] == "Prøv igen" and button["verb"] == "digest.retry"
    outsider = await bot.invoke(OUTSIDER, "digest.retry", button["data"])
    assert "arbejdsmiljøsekretariatet" in str(outsider.body) and _posts(bot.connector) == []
    again = await bot.invoke(ADMIN, "digest.retry", button["data"])
    assert "er postet i kanalen" in str(again.body)
    assert len(_posts(bot.connector)) == 1
    twice = await bot.invoke(ADMIN, "digest.retry", button["data"])
    assert "allerede postet" in str(twice.body) and len(_posts(bot.connector)) == 1


async def test_card_stays_small_and_valid_with_a_decade_of_data(db: Database) -> None:
    units = await _unit_ids(db)
    week_start, _ = week_bounds("2026-W48")
    rows = []
    number = 0
    for unit_id in units.values():
        for category in Category:
            for severity in Severity:
                number += 1
                rows.append(
                    _report(
                        number,
                        unit_id,
                        week_start + timedelta(hours=number % 150),
                        category=category.value,
                        severity=severity.value,
                    )
                )
                number += 1
                rows.append(
                    _report(number, unit_id, week_start - timedelta(days=400 + number % 3000))
                )
    async with orm_transaction(db) as session:
        session.add_all(rows)
    from cards.digest import digest_card
    from domain.digest import scope_for
    from domain.i18n import Lang
    from services.digest_sections import compose

    async with db.reading() as connection:
        content = await compose(connection, scope_for(WEEK, MONDAY_0801))
    for lang in Lang:
        card = digest_card(
            lang, content, subscription_id=1, exports_url="https://amkbot.example.com/exports"
        )
        size = len(json.dumps(card, ensure_ascii=False).encode("utf-8"))
        assert size < MAX_CARD_BYTES, size
        assert [
            e.message[:200] for e in VALIDATOR.iter_errors(_as_client_without_charts(card))
        ] == []
    text = json.dumps(
        digest_card(Lang.DA, content, subscription_id=1, exports_url=None), ensure_ascii=False
    )
    assert f"**{len(units) * len(Category) * len(Severity)}**" in text
    assert "(+23)" in text


async def test_safety_moment_and_details(bot: BotUnderTest) -> None:
    secretary = make_user("Sanne Sekretariat", "sanne@uni.dk")
    assert bot.runtime is not None
    async with audited(bot.runtime.db) as connection:
        await org.import_org(
            connection,
            OrgFile.model_validate(
                {
                    "units": [{"name": "Kemi", "amk": [{"upn": AMK.upn}]}],
                    "secretariat": [{"upn": secretary.upn}],
                }
            ),
            actor="test",
        )
    for user in (secretary, AMK):
        await bot.install_personal(user)
    await _subscribe(bot)
    denied = await bot.say(AMK, "safety moment")
    assert "Only administrators" in denied[0].text or "Kun administratorer" in denied[0].text
    card = await bot.say(secretary, "sikkerhedsøjeblik")
    week = next(
        e["data"]["week"] for e in walk(card[0].card) if e.get("verb") == "digest.safety_moment"
    )
    saved = await bot.invoke(
        secretary,
        "digest.safety_moment",
        {
            "week": week,
            "danish": "Luk altid stinkskabet.",
            "english": "Always close the fume hood.",
        },
    )
    assert "er gemt" in json.dumps(saved.body["value"], ensure_ascii=False)
    await _job(bot).run(week_bounds(week)[0] + timedelta(hours=8))
    assert "Luk altid stinkskabet." in _posts(bot.connector)[-1].card_text()
    bot.connector.clear()
    details = await bot.post(
        bot.team_activity(
            AMK,
            TEAM,
            f"{TEAM};messageid=9",
            type="invoke",
            name="adaptiveCard/action",
            value={
                "action": {
                    "type": "Action.Execute",
                    "verb": "digest.details",
                    "data": {"subscription_id": 1},
                }
            },
        )
    )
    assert details.body["type"] == "application/vnd.microsoft.activity.message"
    assert "personlig chat" in details.body["value"]
    await bot.runtime.background.drain()
    assert any(m.conversation_id == AMK.chat_id for m in bot.connector.messages())


def test_cli_dry_run_prints_the_card(
    tmp_path: Any, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from bot.__main__ import main

    monkeypatch.setenv("DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path / 'd.db'}")
    assert main(["digest", "--dry-run"]) == 2
    assert main(["digest", "--now", "--week", "2026-48"]) == 2
    assert main(["digest", "--now", "--dry-run"]) == 0
    assert "no channel subscribes" in capsys.readouterr().err


async def test_precursor_deadline_shows_only_when_it_is_near(db: Database) -> None:
    from domain.digest import iso_week, scope_for
    from domain.i18n import Lang, t
    from services.digest_sections import compose

    may = datetime(2026, 5, 20, 8, 0, tzinfo=UTC)
    august = datetime(2026, 8, 20, 8, 0, tzinfo=UTC)
    async with db.reading() as connection:
        near = await compose(connection, scope_for(iso_week(may), may))
        far = await compose(connection, scope_for(iso_week(august), august))
    section = next(s for s in near.sections if s.flow == "precursors")
    text = " ".join(t(Lang.DA, line.key, **line.values) for line in section.lines)
    assert "26 dage til fristen 15.06.2026" in text
    assert "**31**" in text and "Adgangskursus, AFRI" in text and "(+23)" in text
    assert next(s for s in far.sections if s.flow == "precursors").empty
