"""Fuzzing the HTTP endpoint with Hypothesis: malformed bodies, odd activities, random card
submits for every flow's forms and random `adaptiveCard/action` invokes.

Properties: no answer is a 5xx; nothing the bot sends (or answers) shows a stack trace or an
exception class name; afterwards every flow row has the audit event that created it (no
half-written request, report or dialogue) and the audit chain verifies.

`make test` runs a few hundred cases in all; `AMKBOT_SOAK=1` (`make soak`) runs 10,000.
One bot per test function, in an event loop the test drives, so examples share it.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import uuid
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import create_async_engine

from domain.org import OrgFile
from storage import audit, org
from storage.audit import audited
from storage.db import normalise_url
from storage.lone_work_models import LoneWorkRequest
from storage.models import AuditEvent
from storage.near_miss_models import NearMissReport
from storage.wellbeing_models import WellbeingDialogue
from tests.conftest import BACKENDS, DatabaseTarget
from tests.http.test_lone_work_http import form as lone_work_form
from tests.support.card_nodes import walk
from tests.support.databases import orm_session
from tests.support.fake_connector import FakeConnector
from tests.support.near_miss import form as near_miss_form
from tests.support.teams import BotUnderTest, Reply, make_user
from tests.support.wellbeing import dialogue as wellbeing_form

SOAK = os.environ.get("AMKBOT_SOAK") == "1"
# Under AMKBOT_SOAK=1 these are the soak run (`pytest -m soak`); otherwise part of `make test`.
pytestmark = [pytest.mark.soak] if SOAK else []
# Examples per property; the four properties add up to 10,000 in the soak run.
SHARE = {"bodies": 2000, "activities": 2000, "submits": 2500, "forms": 1500, "invokes": 2000}


def examples(kind: str) -> int:
    return SHARE[kind] if SOAK else SHARE[kind] // 20


def fuzz_settings(kind: str) -> settings:
    return settings(
        max_examples=examples(kind),
        deadline=None,
        derandomize=not SOAK,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )


FUZZER = make_user("Frida Fuzz", "admin@uni.dk", "da-DK")
STRANGER = make_user("Sam Stranger", "sam@uni.dk", "en-GB")
START_WORDS = ["alenearbejde", "nærved", "trivsel", "prækursor", "admin", "menu", "hjælp"]
EXCEPTION_NAME = re.compile(r"\b[A-Z][A-Za-z]*(?:Error|Exception)\b|Traceback")
T = TypeVar("T")


# -- one bot in a loop the test drives ---------------------------------------------------------


@dataclass
class Scenario:
    """A card the bot showed after `word`: one of its submit actions and the inputs it had."""

    word: str
    action: str
    inputs: tuple[str, ...]


@dataclass
class World:
    loop: asyncio.AbstractEventLoop
    bot: BotUnderTest
    scenarios: list[Scenario] = field(default_factory=list)
    verbs: list[str] = field(default_factory=list)
    cases: int = 0

    def run(self, work: Awaitable[T]) -> T:
        return self.loop.run_until_complete(work)

    async def check(self, reply: Reply, before: int, sent_in: str) -> None:
        """The HTTP answer and whatever the bot sent since `before` look like a bot, not a crash."""
        self.cases += 1
        # 501 is the documented answer to invokes the bot does not implement; nothing else 5xx.
        assert reply.status < 500 or reply.status == 501, reply
        assert self.bot.runtime is not None
        await self.bot.runtime.background.drain()
        shown = [json.dumps(reply.body, ensure_ascii=False)] if reply.body is not None else []
        for item in self.bot.connector.sent[before:]:
            shown.append(item.text + " " + item.card_text())
        for piece in shown:
            leaked = set(EXCEPTION_NAME.findall(piece)) - set(EXCEPTION_NAME.findall(sent_in))
            assert not leaked, (leaked, piece[:500])


async def _schema(url: str, statement: str) -> None:
    engine = create_async_engine(url)
    async with engine.begin() as connection:
        await connection.execute(text(statement))
    await engine.dispose()


@contextmanager
def running_bot(backend: str, directory: Path) -> Iterator[World]:
    loop = asyncio.new_event_loop()
    schema = None
    if backend == "sqlite":
        target = DatabaseTarget(f"sqlite+aiosqlite:///{directory / 'fuzz.db'}", None)
    else:
        url = normalise_url(os.environ["TEST_DATABASE_URL"])
        schema = f"amk_{uuid.uuid4().hex[:12]}"
        loop.run_until_complete(_schema(url, f'CREATE SCHEMA "{schema}"'))
        target = DatabaseTarget(url, schema)
    connector = FakeConnector()
    loop.run_until_complete(connector.start())
    bot = BotUnderTest(target, connector, admin_upns={FUZZER.upn})
    loop.run_until_complete(bot.start())
    world = World(loop, bot)
    try:
        world.run(_prepare(world))
        yield world
        world.run(_no_partial_rows(world))
    finally:
        loop.run_until_complete(bot.stop())
        loop.run_until_complete(connector.close())
        if schema is not None:
            loop.run_until_complete(_schema(target.url, f'DROP SCHEMA "{schema}" CASCADE'))
        loop.close()


async def _prepare(world: World) -> None:
    """Every role in Kemi for the fuzzer; then each start word, harvesting the cards' forms."""
    bot = world.bot
    assert bot.runtime is not None
    unit = {
        role: [{"upn": FUZZER.upn, "aad_object_id": FUZZER.aad}]
        for role in ("leader", "amk", "precursor_contact")
    }
    async with audited(bot.runtime.db) as connection:
        await org.import_org(
            connection, OrgFile.model_validate({"units": [{"name": "Kemi", **unit}]}), actor="test"
        )
    for user in (FUZZER, STRANGER):
        await bot.install_personal(user)
    found: dict[tuple[str, str], Scenario] = {}
    for word in START_WORDS:
        for sent in await bot.say(FUZZER, word):
            nodes = list(walk(sent.card))
            inputs = tuple(
                sorted(str(n["id"]) for n in nodes if str(n.get("type", "")).startswith("Input."))
            )
            for node in nodes:
                data = node.get("data")
                if isinstance(data, dict) and isinstance(data.get("action"), str):
                    found.setdefault((word, data["action"]), Scenario(word, data["action"], inputs))
        await bot.say(FUZZER, "annullér")
    world.scenarios = sorted(found.values(), key=lambda s: (s.word, s.action))
    world.verbs = sorted(bot.runtime.bot.actions.names())
    assert len(world.scenarios) >= 10 and len(world.verbs) >= 10


async def _no_partial_rows(world: World) -> None:
    """Each request, report and dialogue has the audit event that created it, and back."""
    assert world.bot.runtime is not None
    async with orm_session(world.bot.runtime.db) as session:
        report = await audit.verify_chain(session)
        assert report.intact, report
        for model, entity, action in (
            (LoneWorkRequest, "lone_work_request", "lone_work.submit"),
            (NearMissReport, "near_miss_report", "near_miss.report"),
            (WellbeingDialogue, "wellbeing_dialogue", "wellbeing.dialogue.record"),
        ):
            rows = {str(i) for i in (await session.scalars(select(model.id))).all()}
            created = set(
                (
                    await session.scalars(
                        select(AuditEvent.entity_id).where(
                            AuditEvent.entity_type == entity, AuditEvent.action == action
                        )
                    )
                ).all()
            )
            assert rows == created, (entity, rows ^ created)


# -- strategies --------------------------------------------------------------------------------

odd_dates = st.one_of(
    st.dates().map(str),
    st.dates().map(lambda d: d.strftime("%d/%m/%Y")),
    st.dates().map(lambda d: d.strftime("%d.%m.%y")),
    st.datetimes().map(lambda d: d.isoformat() + "Z"),
    st.sampled_from(["2026-02-30", "0000-00-00", "9999-12-31T25:61", "i morgen", "31-12", ""]),
)
texts = st.one_of(
    st.text(max_size=40),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=200),
    st.sampled_from(["", " ", "\x00", "'; DROP TABLE person; --", "<script>x</script>", "🦺" * 50]),
    st.integers(min_value=1, max_value=40).map(lambda n: "ø" * (n * 1000)),
)
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=True, allow_infinity=True),
    texts,
    odd_dates,
)
json_values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=10), inner, max_size=4)
    ),
    max_leaves=12,
)


def _finite(value: Any) -> Any:
    """JSON has no NaN or infinity (Teams never sends them): those floats become null."""
    if isinstance(value, float) and (value != value or value in (float("inf"), float("-inf"))):
        return None
    if isinstance(value, dict):
        return {key: _finite(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_finite(item) for item in value]
    return value


# -- properties --------------------------------------------------------------------------------


def _run_property(
    backend: str, directory: Path, kind: str, build: Callable[[World], Callable[[], None]]
) -> World:
    with running_bot(backend, directory) as world:
        build(world)()
        assert world.cases >= min(examples(kind), 10)
        health = world.run(world.bot.get("/healthz"))
        assert health.status == 200
    return world


async def _stored(world: World) -> dict[str, int]:
    assert world.bot.runtime is not None
    async with orm_session(world.bot.runtime.db) as session:
        return {
            model.__tablename__: len((await session.scalars(select(model.id))).all())
            for model in (LoneWorkRequest, NearMissReport, WellbeingDialogue)
        }


@pytest.mark.parametrize("backend", BACKENDS)
def test_malformed_bodies_never_get_a_5xx(backend: str, tmp_path: Path) -> None:
    def build(world: World) -> Callable[[], None]:
        bodies = st.one_of(
            st.binary(max_size=300),
            json_values.map(lambda v: json.dumps(v).encode()),
            st.text(max_size=200).map(str.encode),
            st.builds(
                lambda head, cut: head[:cut],
                st.just(json.dumps(world.bot.personal(FUZZER, text="hjælp")).encode()),
                st.integers(min_value=0, max_value=400),
            ),
        )
        content_types = st.sampled_from(
            ["application/json", "application/json; charset=utf-8", "text/plain", "", "a/b"]
        )

        @fuzz_settings("bodies")
        @given(body=bodies, content_type=content_types)
        def check(body: bytes, content_type: str) -> None:
            before = len(world.bot.connector.sent)
            reply = world.run(world.bot.post_raw(body, content_type=content_type))
            world.run(world.check(reply, before, body.decode("utf-8", "replace")))

        return check

    _run_property(backend, tmp_path, "bodies", build)


ACTIVITY_TYPES = [
    "message",
    "invoke",
    "conversationUpdate",
    "installationUpdate",
    "messageReaction",
    "event",
    "typing",
    "endOfConversation",
    "",
    "💥",
]
FIELDS = [
    "type",
    "id",
    "timestamp",
    "serviceUrl",
    "channelId",
    "from",
    "conversation",
    "recipient",
    "text",
    "value",
    "name",
    "locale",
    "channelData",
    "membersAdded",
    "membersRemoved",
    "attachments",
    "entities",
    "replyToId",
    "action",
]


@pytest.mark.parametrize("backend", BACKENDS)
def test_random_activities_never_get_a_5xx(backend: str, tmp_path: Path) -> None:
    def build(world: World) -> Callable[[], None]:
        changes = st.dictionaries(st.sampled_from(FIELDS), json_values, max_size=5)
        removals = st.lists(st.sampled_from(FIELDS), max_size=3)
        nested = st.dictionaries(
            st.sampled_from(
                [
                    "from.id",
                    "from.aadObjectId",
                    "conversation.id",
                    "conversation.conversationType",
                    "channelData.team",
                    "channelData.tenant",
                ]
            ),
            json_values,
            max_size=3,
        )

        @fuzz_settings("activities")
        @given(
            kind=st.sampled_from(ACTIVITY_TYPES),
            user=st.sampled_from([FUZZER, STRANGER]),
            changes=changes,
            removals=removals,
            nested=nested,
        )
        def check(
            kind: str,
            user: Any,
            changes: dict[str, Any],
            removals: list[str],
            nested: dict[str, Any],
        ) -> None:
            activity = world.bot.personal(user, type=kind, text="hjælp")
            activity.update(_finite(changes))
            for name in removals:
                activity.pop(name, None)
            for path, value in _finite(nested).items():
                outer, inner = path.split(".")
                if isinstance(activity.get(outer), dict):
                    activity[outer][inner] = value
            body = json.dumps(activity)
            before = len(world.bot.connector.sent)
            reply = world.run(world.bot.post_raw(body.encode()))
            world.run(world.check(reply, before, body))

        return check

    _run_property(backend, tmp_path, "activities", build)


@pytest.mark.parametrize("backend", BACKENDS)
def test_random_card_submits_never_crash_or_half_save(backend: str, tmp_path: Path) -> None:
    def build(world: World) -> Callable[[], None]:
        @fuzz_settings("submits")
        @given(data=st.data())
        def check(data: st.DataObject) -> None:
            scenario = data.draw(st.sampled_from(world.scenarios), label="scenario")
            inputs = data.draw(
                st.dictionaries(st.sampled_from(scenario.inputs or ("x",)), json_values),
                label="inputs",
            )
            extra = data.draw(st.dictionaries(st.text(max_size=12), json_values, max_size=2))
            value = {**_finite(extra), **_finite(inputs), "action": scenario.action}
            if data.draw(st.booleans(), label="start the flow first"):
                world.run(world.bot.post(world.bot.personal(FUZZER, text=scenario.word)))
            body = json.dumps(value)
            before = len(world.bot.connector.sent)
            reply = world.run(
                world.bot.post(world.bot.personal(FUZZER, value=value, replyToId="card-1"))
            )
            world.run(world.check(reply, before, body))

        return check

    _run_property(backend, tmp_path, "submits", build)


FOLLOW_UPS = {
    "alenearbejde": ["lone_work.form.send"],
    "nærved": ["near_miss.record_anyway"],
    "trivsel": ["wellbeing.form.confirm"],
}


@pytest.mark.parametrize("backend", BACKENDS)
def test_nearly_valid_forms_store_whole_records_or_nothing(backend: str, tmp_path: Path) -> None:
    """Valid forms with a few fields spoiled: some are stored, each one whole."""
    stored: dict[str, int] = {}

    def build(world: World) -> Callable[[], None]:
        kemi = str(world.run(_kemi_id(world)))
        valid = {
            "alenearbejde": lone_work_form(int(kemi)),
            "nærved": near_miss_form(int(kemi)),
            "trivsel": wellbeing_form(int(kemi)),
        }

        @fuzz_settings("forms")
        @given(data=st.data())
        def check(data: st.DataObject) -> None:
            word = data.draw(st.sampled_from(sorted(valid)), label="flow")
            value = dict(valid[word])
            if "form_id" in value:
                value["form_id"] = uuid.uuid4().hex
            fields = sorted(k for k in value if k != "action")
            spoiled = data.draw(
                st.dictionaries(st.sampled_from(fields), json_values, max_size=3), label="spoil"
            )
            value.update(_finite(spoiled))
            world.run(world.bot.post(world.bot.personal(FUZZER, text=word)))
            for step in [value, *({"action": a} for a in FOLLOW_UPS[word])]:
                body = json.dumps(step)
                before = len(world.bot.connector.sent)
                reply = world.run(
                    world.bot.post(world.bot.personal(FUZZER, value=step, replyToId="card-1"))
                )
                world.run(world.check(reply, before, body))
            stored.update(world.run(_stored(world)))

        return check

    _run_property(backend, tmp_path, "forms", build)
    assert all(count > 0 for count in stored.values()), stored


async def _kemi_id(world: World) -> int:
    assert world.bot.runtime is not None
    async with orm_session(world.bot.runtime.db) as session:
        unit = await org.unit_by_name(session, "Kemi")
    assert unit is not None
    return unit.id


@pytest.mark.parametrize("backend", BACKENDS)
def test_random_card_actions_never_crash(backend: str, tmp_path: Path) -> None:
    def build(world: World) -> Callable[[], None]:
        ids = st.one_of(st.integers(min_value=-3, max_value=5).map(str), json_values)
        payloads = st.fixed_dictionaries(
            {},
            optional={
                key: ids
                for key in (
                    "request_id",
                    "report_id",
                    "action_id",
                    "item_id",
                    "session_id",
                    "unit_id",
                    "subscription_id",
                    "person_id",
                    "note",
                    "week",
                    "danish",
                    "english",
                    "lang",
                )
            },
        )

        @fuzz_settings("invokes")
        @given(
            verb=st.one_of(st.sampled_from(world.verbs), st.text(max_size=30)),
            user=st.sampled_from([FUZZER, STRANGER]),
            data=st.one_of(payloads, json_values),
        )
        def check(verb: str, user: Any, data: Any) -> None:
            body = json.dumps([verb, _finite(data)])
            before = len(world.bot.connector.sent)
            reply = world.run(
                world.bot.post(
                    world.bot.personal(
                        user,
                        type="invoke",
                        name="adaptiveCard/action",
                        value={
                            "action": {
                                "type": "Action.Execute",
                                "verb": verb,
                                "data": _finite(data),
                            },
                            "trigger": "manual",
                        },
                    )
                )
            )
            world.run(world.check(reply, before, body))

        return check

    _run_property(backend, tmp_path, "invokes", build)
