"""Every card that creates something creates it once, however often the same card arrives:
twice in a row, twice at once (in one process and in two runtimes on one database), and
again after a restart that lost the dialog's state. The second answer is the first one's
receipt, not an error, and nobody is told twice."""

from __future__ import annotations

import asyncio
import json
import uuid
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

import pytest
from sqlalchemy import func, select, update

import tests.http.test_lone_work_http as lw
import tests.http.test_precursors_http as pc
import tests.support.wellbeing as wb
from bot.app import BotRuntime
from storage.lone_work_models import LoneWorkRequest
from storage.models import AuditEvent, DialogStateRow
from storage.precursor_models import PrecursorEntry, PrecursorRegistration
from storage.wellbeing_models import WellbeingActionItem, WellbeingDialogue
from tests.support.card_nodes import walk
from tests.support.databases import orm_session, orm_transaction
from tests.support.precursors import services_of
from tests.support.teams import BotUnderTest, Reply, User

STALE = "ikke aktivt længere"


@dataclass(frozen=True)
class Prepared:
    """Who sends the creating card, what it sends, and the chats that may be told once."""

    user: User
    payload: dict[str, Any]
    told: tuple[User, ...] = ()


@dataclass(frozen=True)
class Creating:
    """One kind of creating submit: how to get to its card, what it stores, its receipt."""

    name: str
    prepare: Callable[[BotUnderTest], Awaitable[Prepared]]
    table: Any
    audit_action: str
    receipt: str
    verb: str | None = None  # sent as an Action.Execute invoke with this verb
    configure: Callable[[BotRuntime], None] = lambda runtime: None


def _button_data(card: dict[str, Any] | None, action: str) -> dict[str, Any]:
    """The data of the card's button that submits `action` (as Teams sends it back)."""
    for node in walk(card):
        data = node.get("data")
        if isinstance(data, dict) and data.get("action") == action:
            return dict(data)
    raise AssertionError(f"no {action} button in the card")


def _last_card(sent: list[Any]) -> dict[str, Any]:
    """The last card of the turn's answer (a reply to the user's activity); a card an earlier
    turn sends on its own after its answer (to a leader) can arrive meanwhile."""
    cards = [item.card for item in sent if item.card and "/activities/" in item.path]
    assert cards, [item.text for item in sent]
    card: dict[str, Any] = cards[-1]
    return card


# -- the creating submits ----------------------------------------------------------------------


async def _lone_work(bot: BotUnderTest) -> Prepared:
    kemi = await lw._setup(bot)
    await bot.say(lw.MAJA, "alenearbejde")
    summary = await bot.submit(lw.MAJA, lw.form(kemi))
    send = _button_data(_last_card(summary), "lone_work.form.send")
    return Prepared(lw.MAJA, send, told=(lw.LISE,))


async def _wellbeing_dialogue(bot: BotUnderTest) -> Prepared:
    kemi, _ = await wb.setup(bot)
    form = await bot.say(wb.LEADER, "trivsel")
    save = _button_data(_last_card(form), "wellbeing.form.save")
    return Prepared(wb.LEADER, {**wb.dialogue(kemi), **save})


async def _wellbeing_items(bot: BotUnderTest) -> Prepared:
    kemi, _ = await wb.setup(bot)
    saved = await wb.record(bot, wb.LEADER, kemi)
    data = _button_data(_last_card(saved), "wellbeing.items.save")
    rows = wb.items(kemi, data["dialogue_id"], wb.row(owner=wb.AMK.upn))
    return Prepared(wb.LEADER, {**data, **rows, "batch": data["batch"]}, told=(wb.AMK,))


def _precursor_clock(runtime: BotRuntime) -> None:
    services_of(runtime).clock = lambda: pc.NOW


async def _precursor_entry(bot: BotUnderTest) -> Prepared:
    await pc._setup(bot)
    await pc._add_substance(bot, pc.KARIN, "108-24-7", "Eddikesyreanhydrid")
    holding = await pc._holding(bot)
    form = await bot.submit(
        pc.KARIN, {"action": "precursors.entry", "holding_id": str(holding), "kind": "purchase"}
    )
    save = _button_data(_last_card(form), "precursors.save")
    values = {
        "entry_date": "2026-05-19",
        "quantity": "2500",
        "unit": "mL",
        "counterparty": "Sigma-Aldrich",
        "declaration_ref": "KE-2026-4",
    }
    return Prepared(pc.KARIN, {**save, **values})


async def _precursor_registration(bot: BotUnderTest) -> Prepared:
    await pc._setup(bot)
    home = await pc._add_substance(bot, pc.KARIN, "108-24-7", "Eddikesyreanhydrid")
    return Prepared(pc.KARIN, _button_data(_last_card(home), "precursors.register"))


CREATING = [
    Creating(
        "lone-work request",
        _lone_work,
        LoneWorkRequest,
        "lone_work.submit",
        "er sendt til Lise Leder",
    ),
    Creating(
        "well-being dialogue",
        _wellbeing_dialogue,
        WellbeingDialogue,
        "wellbeing.dialogue.record",
        "Noterne fra trivselsdialogen i Kemi (Analysegruppen",
    ),
    Creating(
        "action-plan items",
        _wellbeing_items,
        WellbeingActionItem,
        "wellbeing.item.add",
        "Punkter gemt: 1",
        verb="wellbeing.items.save",
    ),
    Creating(
        "precursor entry",
        _precursor_entry,
        PrecursorEntry,
        "precursors.entry.purchase",
        "Køb er registreret: 2.500 mL = 2,5 L eddikesyreanhydrid den 19. maj 2026",
        configure=_precursor_clock,
    ),
    Creating(
        "precursor registration",
        _precursor_registration,
        PrecursorRegistration,
        "precursors.register",
        "Kemi har nu indberettet sin stofliste for 2026",
        configure=_precursor_clock,
    ),
]


@pytest.fixture(params=CREATING, ids=[creating.name for creating in CREATING])
def creating(request: pytest.FixtureRequest) -> Creating:
    made: Creating = request.param
    return made


# -- sending and checking ----------------------------------------------------------------------


def _activity(bot: BotUnderTest, creating: Creating, prepared: Prepared) -> dict[str, Any]:
    """The creating card's submit as Teams posts it, with an id of its own."""
    if creating.verb is None:
        activity = bot.personal(prepared.user, value=prepared.payload, replyToId="card-1")
    else:
        activity = bot.personal(
            prepared.user,
            type="invoke",
            name="adaptiveCard/action",
            value={
                "action": {
                    "type": "Action.Execute",
                    "verb": creating.verb,
                    "data": prepared.payload,
                },
                "trigger": "manual",
            },
            replyToId="card-1",
        )
    activity["id"] = f"in-{uuid.uuid4().hex}"
    return activity


async def _send(bot: BotUnderTest, creating: Creating, prepared: Prepared) -> str:
    """Send the card once; what the bot answered it (its replies, or the invoke's body)."""
    activity = _activity(bot, creating, prepared)
    reply: Reply = await bot.post(activity)
    assert reply.status in (200, 201), reply
    answered = [
        item.text + " " + item.card_text()
        for item in bot.connector.sent
        if item.method == "POST" and item.path.endswith(f"/activities/{activity['id']}")
    ]
    if creating.verb is not None:
        answered.append(json.dumps(reply.body, ensure_ascii=False))
    return " ".join(answered)


async def _count(bot: BotUnderTest, model: Any, **where: Any) -> int:
    assert bot.runtime is not None
    query = select(func.count()).select_from(model)
    for name, value in where.items():
        query = query.where(getattr(model, name) == value)
    async with orm_session(bot.runtime.db) as session:
        return int(await session.scalar(query) or 0)


async def _assert_created_once(bot: BotUnderTest, creating: Creating, prepared: Prepared) -> None:
    """One record, one audit event creating it, and each other person told once."""
    assert bot.runtime is not None
    await bot.runtime.background.drain()
    assert await _count(bot, creating.table) == 1
    assert await _count(bot, AuditEvent, action=creating.audit_action) == 1
    assert await _count(bot, AuditEvent, action="precursors.register.again") == 0
    for person in prepared.told:
        cards = [m for m in bot.connector.messages() if m.conversation_id == person.chat_id]
        assert len([m for m in cards if m.card]) == 1, [m.card_text()[:80] for m in cards]
    others = Counter(
        (m.conversation_id, m.text, m.card_text())
        for m in bot.connector.messages()
        if m.conversation_id != prepared.user.chat_id
    )
    assert all(count == 1 for count in others.values()), others


@asynccontextmanager
async def _second_runtime(bot: BotUnderTest, creating: Creating) -> AsyncIterator[BotUnderTest]:
    """Another bot runtime on the same database and connector (another worker)."""
    other = BotUnderTest(bot.database, bot.connector, admin_upns={"admin@uni.dk"})
    await other.start()
    assert other.runtime is not None
    creating.configure(other.runtime)
    try:
        yield other
    finally:
        await other.runtime.background.drain()
        await other.stop()


async def _prepared(bot: BotUnderTest, creating: Creating) -> Prepared:
    assert bot.runtime is not None
    creating.configure(bot.runtime)
    return await creating.prepare(bot)


# -- the tests ---------------------------------------------------------------------------------


async def test_the_same_card_sent_twice_in_a_row_creates_once_and_answers_twice(
    bot: BotUnderTest, creating: Creating
) -> None:
    prepared = await _prepared(bot, creating)
    first = await _send(bot, creating, prepared)
    again = await _send(bot, creating, prepared)
    assert creating.receipt in first
    assert creating.receipt in again and STALE not in again
    await _assert_created_once(bot, creating, prepared)


async def test_the_same_card_sent_twice_at_once_creates_once(
    bot: BotUnderTest, creating: Creating
) -> None:
    prepared = await _prepared(bot, creating)
    answers = await asyncio.gather(*(_send(bot, creating, prepared) for _ in range(2)))
    assert all(creating.receipt in answer for answer in answers), answers
    await _assert_created_once(bot, creating, prepared)


async def test_the_same_card_sent_to_two_runtimes_at_once_creates_once(
    bot: BotUnderTest, creating: Creating
) -> None:
    """Two workers on one database (WORKERS=2): each takes one of the two clicks."""
    prepared = await _prepared(bot, creating)
    async with _second_runtime(bot, creating) as other:
        answers = await asyncio.gather(
            _send(bot, creating, prepared), _send(other, creating, prepared)
        )
    assert all(creating.receipt in answer for answer in answers), answers
    assert not any("gik galt" in answer for answer in answers), answers
    await _assert_created_once(bot, creating, prepared)


async def test_the_same_card_sent_again_after_a_restart_that_lost_the_state_creates_once(
    bot: BotUnderTest, creating: Creating
) -> None:
    """The process died after the record was committed and before the dialog's state was
    saved: after the restart the dialog still waits for the card, which the user sends
    again. Then once more, with the state as it was saved."""
    prepared = await _prepared(bot, creating)
    assert bot.runtime is not None
    async with orm_session(bot.runtime.db) as session:
        before = dict(
            (await session.execute(select(DialogStateRow.key, DialogStateRow.data))).all()
        )
    first = await _send(bot, creating, prepared)
    assert creating.receipt in first
    await bot.runtime.background.drain()
    await bot.restart()
    assert bot.runtime is not None
    creating.configure(bot.runtime)
    async with orm_transaction(bot.runtime.db) as session:
        for key, data in before.items():
            await session.execute(
                update(DialogStateRow)
                .where(DialogStateRow.key == key)
                .values(data=data, etag=uuid.uuid4().hex)
            )
    again = await _send(bot, creating, prepared)
    assert creating.receipt in again and STALE not in again
    await bot.restart()
    assert bot.runtime is not None
    creating.configure(bot.runtime)
    once_more = await _send(bot, creating, prepared)
    assert creating.receipt in once_more and STALE not in once_more
    await _assert_created_once(bot, creating, prepared)


# -- which card a submit comes from ------------------------------------------------------------

LONE_WORK = CREATING[0]


async def test_a_send_whose_key_has_the_wrong_shape_is_not_taken(bot: BotUnderTest) -> None:
    prepared = await _lone_work(bot)
    for wrong in ("x' OR '1'='1", "A" * 32, 42, ["a" * 32]):
        payload = {**prepared.payload, "submission_key": wrong}
        answer = await _send(bot, LONE_WORK, Prepared(prepared.user, payload))
        assert "Du er midt i: anmodning om alenearbejde" in answer, answer
    assert await _count(bot, LoneWorkRequest) == 0
    assert LONE_WORK.receipt in await _send(bot, LONE_WORK, prepared)
    assert await _count(bot, LoneWorkRequest) == 1


async def test_an_older_summary_sent_while_a_newer_one_waits_is_answered_for_itself(
    bot: BotUnderTest,
) -> None:
    """The first request's Send, clicked again while the second request's summary waits:
    the answer names the first request, and the second is still sent by its own card."""
    kemi = await lw._setup(bot)
    cards = []
    for task in ("Destillation af opløsningsmidler", "Kalibrering af massespektrometer"):
        await bot.say(lw.MAJA, "alenearbejde")
        summary = await bot.submit(lw.MAJA, lw.form(kemi, task=task))
        cards.append(Prepared(lw.MAJA, _button_data(_last_card(summary), "lone_work.form.send")))
        if len(cards) == 1:
            assert "-0001 er sendt til Lise Leder" in await _send(bot, LONE_WORK, cards[0])
    first, second = cards
    assert "-0001 er sendt til Lise Leder" in await _send(bot, LONE_WORK, first)
    assert "-0002 er sendt til Lise Leder" in await _send(bot, LONE_WORK, second)
    assert bot.runtime is not None
    async with orm_session(bot.runtime.db) as session:
        tasks = (await session.scalars(select(LoneWorkRequest.task))).all()
    assert sorted(tasks) == ["Destillation af opløsningsmidler", "Kalibrering af massespektrometer"]


async def test_a_dialogue_saved_twice_answers_with_one_items_card_batch(bot: BotUnderTest) -> None:
    """Both answers to a dialogue card sent twice are items cards of one batch: the plan's
    items are stored once, whichever copy they are saved from."""
    prepared = await _wellbeing_dialogue(bot)
    answers = [await bot.submit(prepared.user, prepared.payload) for _ in range(2)]
    saves = [_button_data(_last_card(answer), "wellbeing.items.save") for answer in answers]
    assert saves[0]["batch"] == saves[1]["batch"]
    for save in saves:
        data = {**save, **wb.items(save["unit_id"], save["dialogue_id"], wb.row())}
        reply = await bot.invoke(prepared.user, "wellbeing.items.save", data)
        assert "Punkter gemt: 1" in json.dumps(reply.body, ensure_ascii=False)
    assert await _count(bot, WellbeingActionItem) == 1
