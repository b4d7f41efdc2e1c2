"""Card actions by verb (issue 21, item 2): every verb a card carries is answered by the
registry and every registered verb is on some card; an unknown verb or data that do not
validate get a card in the speaker's language, over HTTP, and change nothing."""

from __future__ import annotations

import ast
import json
import logging
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from services.actions import CardData, CardInputs, InputText, NoData, Verb, Verbs
from storage.lone_work_models import LoneWorkRequest
from storage.models import Base
from tests.http.test_lone_work_http import LISE, MAJA, OLE, _only_request, _request, _setup
from tests.support.databases import orm_session
from tests.support.teams import BotUnderTest, User

CARDS = Path(__file__).resolve().parents[2] / "cards"
DAMAGED = {
    "da": "Kortet kunne ikke læses",
    "en": "The card could not be read",
}
# Menu buttons the router itself (start a flow) or the export module's submit handler answer.
ROUTED = {"menu.open", "export.pick"}
UNKNOWN = {"da": "Den handling kender jeg ikke", "en": "I don't know that action"}


# -- the verbs on the cards ----------------------------------------------------------------------


def _constant(node: ast.expr | None) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def card_verbs() -> dict[str, list[set[str] | None]]:
    """Every verb the card builders put into an `Action.Execute` (with `execute(label, verb,
    **data)`, whose Submit fallback carries the same name, `button_column(label, verb,
    **data)`, `ExecuteAction(verb=…)` or a menu row `MenuEntry(label, action)`), with the
    data keys each use names (None: it passes a `**mapping` too, so its keys are not known)."""
    found: dict[str, list[set[str] | None]] = {}
    for path in sorted(CARDS.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
            verb: str | None = None
            keys: set[str] | None = None
            if name in ("execute", "button_column") and len(node.args) >= 2:
                verb = _constant(node.args[1])
                named = {kw.arg for kw in node.keywords if kw.arg is not None}
                keys = None if any(kw.arg is None for kw in node.keywords) else named
            elif name == "MenuEntry" and len(node.args) >= 2:
                verb = _constant(node.args[1])
                keys = set()
            elif name == "ExecuteAction":
                verb = next((_constant(kw.value) for kw in node.keywords if kw.arg == "verb"), None)
                data = next((kw.value for kw in node.keywords if kw.arg == "data"), None)
                if isinstance(data, ast.Dict) and all(k is not None for k in data.keys):
                    keys = {_constant(k) or "" for k in data.keys} - {"action"}
            if verb is not None:
                found.setdefault(verb, []).append(keys)
    return found


def _registry(bot: BotUnderTest) -> Verbs:
    assert bot.runtime is not None
    actions: Verbs = bot.runtime.bot.actions
    return actions


def test_the_card_scan_sees_the_cards_verbs() -> None:
    """The scan finds verbs of every flow, so the checks below are not empty."""
    verbs = card_verbs()
    for expected in (
        "lone_work.approve",
        "lone_work.refresh",
        "near_miss.view",
        "wellbeing.item.refresh",
        "wellbeing.amd.save",
        "precursors.reverse",
        "checkin.handle",
        "digest.details",
        "settings.language",
        "admin.role.remove",
    ):
        assert expected in verbs, expected
    assert len(verbs) >= 40


async def test_every_verb_on_a_card_is_registered_and_every_registered_verb_is_on_a_card(
    bot: BotUnderTest,
) -> None:
    on_cards = set(card_verbs()) - ROUTED
    registered = _registry(bot).names()
    assert sorted(on_cards - registered) == [], "verbs on cards that nobody answers"
    assert sorted(registered - on_cards) == [], "registered verbs no card carries"


async def test_each_card_sends_the_ids_its_verbs_payload_requires(bot: BotUnderTest) -> None:
    actions = _registry(bot)
    checked = 0
    for verb, uses in card_verbs().items():
        if verb in ROUTED:
            continue
        payload = actions.payload_of(verb)
        assert payload is not None, verb
        required = {name for name, field in payload.model_fields.items() if field.is_required()}
        for keys in uses:
            if keys is not None:
                assert required <= keys, (verb, required - keys)
                checked += 1
    assert checked >= 30


def test_a_verb_registered_twice_is_refused() -> None:
    async def run(_speaker: Any, _payload: NoData) -> str:
        return "done"

    once = Verb("x.do", NoData, run)
    with pytest.raises(ValueError, match=r"x\.do"):
        Verbs([once], [Verb("x.do", NoData, run)])


def test_payloads_read_ids_strictly_and_inputs_as_text() -> None:
    class Ids(CardData):
        request_id: int

    class Form(CardInputs):
        note: InputText = ""

    from domain.ids import CardId, MaybeCardId

    class Strict(CardData):
        request_id: CardId
        other: MaybeCardId = None

    assert Strict.model_validate({"request_id": "12", "other": ""}).request_id == 12
    assert Strict.model_validate({"request_id": 12, "other": None}).other is None
    for wrong in ("abc", "-1", 0, True, 2**40, [1], None, " 1 2"):
        with pytest.raises(ValueError):
            Strict.model_validate({"request_id": wrong})
    sent = Form.model_validate({"note": 5, "extra_1": "kept", "action": "x"})
    assert sent.note == "5" and sent.inputs() == {"extra_1": "kept", "action": "x"}
    with pytest.raises(ValueError):
        Form.model_validate({"note": ["a"]})
    assert Ids.model_validate({"request_id": 3, "junk": 1}).model_dump() == {"request_id": 3}


# -- unknown verbs and damaged data over HTTP ----------------------------------------------------


async def _rows(bot: BotUnderTest) -> dict[str, int]:
    """Every table's row count but the conversations' saved dialog state (a turn in a new
    conversation saves its empty state, whatever it was about)."""
    assert bot.runtime is not None
    async with orm_session(bot.runtime.db) as session:
        return {
            table.name: int(await session.scalar(select(func.count()).select_from(table)) or 0)
            for table in Base.metadata.sorted_tables
            if table.name != "dialog_state"
        }


def _card_text(body: Any) -> str:
    assert body["statusCode"] == 200, body
    assert body["type"] == "application/vnd.microsoft.card.adaptive", body
    return json.dumps(body["value"], ensure_ascii=False)


async def _pending_request(bot: BotUnderTest) -> LoneWorkRequest:
    kemi = await _setup(bot)
    await bot.install_personal(OLE)
    await _request(bot, kemi)
    request = await _only_request(bot)
    assert request.status == "pending"
    return request


WRONG_IDS: list[Any] = ["abc", -1, 0, 2**40, str(2**70), True, 1.5, [1], {"id": 1}, None]


@pytest.mark.parametrize(("user", "lang"), [(LISE, "da"), (OLE, "en")])
async def test_an_unknown_verb_gets_a_card_in_the_speakers_language_and_changes_nothing(
    bot: BotUnderTest, user: User, lang: str
) -> None:
    request = await _pending_request(bot)
    before = await _rows(bot)
    for verb in ("lone_work.explode", "nothing", "x" * 500, "lone_work.approve "):
        reply = await bot.invoke(user, verb, {"request_id": request.id})
        assert reply.status == 200
        assert UNKNOWN[lang] in _card_text(reply.body)
    assert await _rows(bot) == before
    assert (await _only_request(bot)).status == "pending"


@pytest.mark.parametrize(("user", "lang"), [(LISE, "da"), (OLE, "en")])
async def test_damaged_card_data_gets_a_card_saying_so_and_changes_nothing(
    bot: BotUnderTest, user: User, lang: str, caplog: pytest.LogCaptureFixture
) -> None:
    """The approver (or anyone) clicking with an id no row can have, of the wrong type, or
    missing; the note of the wrong type. The log names the field, never the value."""
    request = await _pending_request(bot)
    before = await _rows(bot)
    caplog.set_level(logging.INFO, logger="services.actions")
    damaged: list[dict[str, Any]] = [{"request_id": wrong} for wrong in WRONG_IDS]
    damaged += [{}, {"request_id": request.id, "note": ["Sekret-note-4711"]}]
    for data in damaged:
        reply = await bot.invoke(user, "lone_work.approve", data)
        assert reply.status == 200, reply
        assert DAMAGED[lang] in _card_text(reply.body), data
    assert await _rows(bot) == before
    assert (await _only_request(bot)).status == "pending"
    logged = [r.getMessage() for r in caplog.records if r.name == "services.actions"]
    assert len(logged) == len(damaged)
    assert all("lone_work.approve" in line and "request_id" in line for line in logged[:-1])
    assert "note" in logged[-1] and "Sekret" not in " ".join(logged)
    assert "abc" not in " ".join(logged)


async def test_the_submit_fallback_of_damaged_data_is_answered_the_same_way(
    bot: BotUnderTest,
) -> None:
    await _pending_request(bot)
    before = await _rows(bot)
    for data in ({"request_id": "abc"}, {"request_id": str(2**40)}, {}):
        sent = await bot.submit(LISE, {"action": "lone_work.approve", **data})
        assert len(sent) == 1 and DAMAGED["da"] in sent[0].card_text()
    english = await bot.submit(OLE, {"action": "near_miss.acknowledge", "report_id": "-3"})
    assert DAMAGED["en"] in english[0].card_text()
    assert await _rows(bot) == before
    assert (await _only_request(bot)).status == "pending"


async def test_valid_data_after_damaged_data_still_decides(bot: BotUnderTest) -> None:
    """The registry's answer is per click: the same card with its real id works."""
    request = await _pending_request(bot)
    await bot.invoke(LISE, "lone_work.approve", {"request_id": "abc"})
    reply = await bot.invoke(LISE, "lone_work.approve", {"request_id": request.id})
    assert "Godkendt" in _card_text(reply.body)
    assert (await _only_request(bot)).status == "approved"
    assert MAJA.chat_id
