"""A restart between any two steps of any dialog: the user continues where they were.

Every flow is played twice over HTTP, each time on a fresh database: once without a restart
and once with the bot restarted (a new process on the same database) between every two
consecutive steps. What each user saw at each step (the card-action answers, every message
and card update) must be the same, and so must the records, audit events, sends and job
claims at the end, so nothing is lost, stored twice or sent twice because of a restart.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from sqlalchemy import select

from dialogs.checkins import CheckinModule
from domain.i18n import COPENHAGEN
from services.checkin_jobs import CheckinJob
from services.digest import DigestJob
from services.lone_work_jobs import LoneWorkReminders
from services.near_miss import NearMissReminders
from services.work_accident_jobs import WorkAccidentReminders
from storage.checkin_models import CheckinEvent, CheckinSession
from storage.digest_models import DigestSubscription
from storage.lone_work_models import LoneWorkRequest
from storage.models import ConversationRef, RoleAssignment, Unit
from storage.near_miss_models import NearMissAction, NearMissReport
from storage.precursor_models import PrecursorEntry, PrecursorHolding, PrecursorRegistration
from storage.wellbeing_models import WellbeingActionItem, WellbeingDialogue
from storage.work_accident_models import WorkAccident
from tests.conftest import DatabaseTarget
from tests.http import test_checkins_http as checkins
from tests.http import test_lone_work_http as lone
from tests.http import test_precursors_http as pre
from tests.reliability.support_restart import (
    NamingConnector,
    Step,
    World,
    differences,
    facts,
    observed,
    play,
    shown_text,
    world,
)
from tests.support import near_miss as nm
from tests.support import wellbeing as wb
from tests.support import work_accident as wa
from tests.support.databases import orm_session
from tests.support.precursors import services_of, substance_id
from tests.support.teams import BOT_ID, Reply, User, make_user


@dataclass(frozen=True)
class Flow:
    name: str
    setup: Callable[[World], Awaitable[None]]
    steps: list[Step]
    tables: list[type[Any]]


def expect(*needles: str) -> Any:
    """A check on a step's result: these texts are shown, and a card action got a card."""

    def check(result: Any) -> Any:
        shown = shown_text(result)
        for needle in needles:
            assert needle in shown, f"{needle!r} not in {shown[:800]!r}"
        if isinstance(result, Reply):
            assert result.status == 200 and result.body["statusCode"] == 200, result
        return result

    return check


def say(user: User, words: str, *needles: str) -> Step:
    async def run(scene: World) -> Any:
        return expect(*needles)(await scene.bot.say(user, words))

    return Step(f"{user.name}: {words}", run)


def submit(user: User, value: Any, *needles: str) -> Step:
    """`value`: a dict, or a function of the world giving one (for ids known only then)."""

    async def run(scene: World) -> Any:
        data = await value(scene) if callable(value) else value
        return expect(*needles)(await scene.bot.submit(user, data))

    label = value.get("action", "?") if isinstance(value, dict) else getattr(value, "label", "?")
    return Step(f"{user.name} submits {label}", run)


def click(user: User, verb: str, data: Any, *needles: str) -> Step:
    async def run(scene: World) -> Any:
        values = await data(scene) if callable(data) else data
        return expect(*needles)(await scene.bot.invoke(user, verb, values))

    return Step(f"{user.name} clicks {verb}", run)


def tick(name: str, job: type[Any], when: Any) -> Step:
    """The scheduler's job runs at `when(world)` (a test clock: the future comes at once)."""

    async def run(scene: World) -> Any:
        await scene.tick(job, await when(scene))
        return None

    return Step(f"tick {name}", run)


def labelled(label: str, make: Any) -> Any:
    make.label = label
    return make


async def scalar(scene: World, query: Any) -> Any:
    async with orm_session(scene.db) as session:
        return (await session.execute(query)).scalar_one()


# -- role administration -----------------------------------------------------------------------

ADMIN = make_user("Anne Admin", "admin@uni.dk", "da-DK")


async def _unit(scene: World, name: str) -> int:
    return int(await scalar(scene, select(Unit.id).where(Unit.name == name)))


def _admin_flow() -> Flow:
    async def setup(scene: World) -> None:
        await scene.bot.install_personal(ADMIN)

    async def kemi(scene: World) -> dict[str, Any]:
        return {"action": "admin.unit", "unit_id": str(await _unit(scene, "Kemi"))}

    async def fysik(scene: World) -> dict[str, Any]:
        return {"action": "admin.unit", "unit_id": str(await _unit(scene, "Fysik"))}

    async def remove(scene: World) -> dict[str, Any]:
        assignment = await scalar(
            scene, select(RoleAssignment.id).where(RoleAssignment.role == "amk")
        )
        return {"assignment_id": assignment, "unit_id": await _unit(scene, "Fysik")}

    assign = {"action": "admin.assign", "upn": "Leder@Uni.dk", "name": "Lise Leder"}
    return Flow(
        "admin",
        setup,
        [
            say(ADMIN, "admin", "Roller pr. enhed"),
            submit(ADMIN, labelled("admin.unit", kemi), "Roller i Kemi"),
            submit(
                ADMIN, {**assign, "upn": "not-an-email", "role": "boss"}, "gyldig e-mailadresse"
            ),
            submit(ADMIN, {**assign, "role": "leader"}, "Lise Leder er nu leder i Kemi"),
            submit(ADMIN, {**assign, "role": "leader"}, "er allerede leder i Kemi"),
            submit(ADMIN, {"action": "admin.back"}, "Roller pr. enhed"),
            submit(ADMIN, labelled("admin.unit", fysik), "Roller i Fysik"),
            submit(
                ADMIN,
                {"action": "admin.assign", "upn": "per@uni.dk", "name": "Per AMK", "role": "amk"},
                "Per AMK",
            ),
            click(ADMIN, "admin.role.remove", remove, "Per AMK er ikke længere"),
            submit(ADMIN, {"action": "admin.done"}, "Rolleadministrationen er lukket"),
            submit(ADMIN, {"action": "admin.unit", "unit_id": "1"}, "ikke aktivt"),
        ],
        [RoleAssignment],
    )


# -- a lone-work request, its reminder and the approver's decision -------------------------------


def _lone_work_flow() -> Flow:
    async def setup(scene: World) -> None:
        scene.values["kemi"] = await lone._setup(scene.bot)

    def form(**changes: str) -> Any:
        async def make(scene: World) -> dict[str, str]:
            return {**base, "unit_id": str(scene.values["kemi"]), **changes}

        return labelled("lone_work.form.next", make)

    base = lone.form(0)

    async def request_id(scene: World) -> dict[str, Any]:
        return {"request_id": await scalar(scene, select(LoneWorkRequest.id))}

    async def reject(scene: World) -> dict[str, Any]:
        return {**await request_id(scene), "note": "Brug dagtid"}

    def after(delta: timedelta) -> Any:
        async def when(scene: World) -> datetime:
            created: datetime = await scalar(scene, select(LoneWorkRequest.created_at))
            return created + delta

        return when

    maja, lise = lone.MAJA, lone.LISE
    return Flow(
        "lone_work",
        setup,
        [
            say(maja, "alenearbejde", "Anmod om godkendelse af alenearbejde"),
            submit(maja, form(mitigations="", adult="false", trained="false"), "§ 11", "under 18"),
            submit(maja, form(), "Tjek din anmodning"),
            submit(maja, {"action": "lone_work.form.edit"}, "Destillation af opløsningsmidler"),
            submit(maja, form(room="113"), "Tjek din anmodning", "113"),
            submit(maja, {"action": "lone_work.form.send"}, "er sendt til Lise Leder"),
            tick("lone-work reminder, too early", LoneWorkReminders, after(timedelta(hours=20))),
            tick("lone-work reminder, due", LoneWorkReminders, after(timedelta(days=5))),
            tick("lone-work reminder, again", LoneWorkReminders, after(timedelta(days=6))),
            click(lise, "lone_work.approve", request_id, "Godkendt af Lise Leder"),
            click(lise, "lone_work.reject", reject, "allerede afgjort"),
            say(maja, "mine", "AL-"),
        ],
        [LoneWorkRequest],
    )


# -- a near miss: the report with the injury guardrail, then the AMK's follow-up ----------------


def _near_miss_flow() -> Flow:
    async def setup(scene: World) -> None:
        scene.values["kemi"] = await nm.setup(scene.bot)

    base = nm.form(0)

    def form(**changes: str) -> Any:
        async def make(scene: World) -> dict[str, Any]:
            return {**base, "unit_id": str(scene.values["kemi"]), **changes}

        return labelled("near_miss.submit", make)

    async def report(scene: World) -> dict[str, Any]:
        return {"report_id": await scalar(scene, select(NearMissReport.id))}

    async def assign(scene: World) -> dict[str, Any]:
        return {**await report(scene), "investigator": nm.INVESTIGATOR.upn}

    due = (datetime.now(COPENHAGEN).date() + timedelta(days=7)).isoformat()

    async def action(scene: World) -> dict[str, Any]:
        return {
            **await report(scene),
            "action_description": "Sæt en hylde op ved stinkskabet",
            "action_owner": nm.OWNER.upn,
            "action_due": due,
        }

    async def done(scene: World) -> dict[str, Any]:
        action_id = await scalar(scene, select(NearMissAction.id))
        return {**await report(scene), "action_id": action_id, "card": "owner"}

    async def close(scene: World) -> dict[str, Any]:
        return {**await report(scene), "conclusion": "Hylden er sat op, flasker står sikkert."}

    def on_due_day(hours: int) -> Any:
        async def when(scene: World) -> datetime:
            local = datetime.combine(datetime.fromisoformat(due).date(), time(8, 1), COPENHAGEN)
            return local.astimezone(UTC) + timedelta(hours=hours)

        return when

    reporter, amk = nm.REPORTER, nm.AMK
    return Flow(
        "near_miss",
        setup,
        [
            say(reporter, "nærved", "Meld en nærved-hændelse"),
            submit(reporter, form(description="Kort"), "Beskriv hvad der skete"),
            submit(reporter, form(injured="yes"), "arbejdsulykke", "EASY"),
            submit(reporter, {"action": "near_miss.edit"}, "Flaske med acetone"),
            submit(reporter, form(injured="yes"), "arbejdsulykke"),
            submit(reporter, {"action": "near_miss.record_anyway"}, "NM-"),
            submit(reporter, {"action": "near_miss.record_anyway"}, "ikke aktivt"),
            click(amk, "near_miss.acknowledge", report, "Du har kvitteret"),
            click(amk, "near_miss.assign", assign, "Ida Undersøger undersøger nu"),
            click(nm.INVESTIGATOR, "near_miss.action.add", action, "Tiltaget er tilføjet"),
            tick("action reminder, the day before", NearMissReminders, on_due_day(-24)),
            tick("action reminder, due", NearMissReminders, on_due_day(0)),
            tick("action reminder, again", NearMissReminders, on_due_day(2)),
            click(nm.OWNER, "near_miss.action.done", done, "The action is marked done"),
            click(amk, "near_miss.close", close, "Sagen er lukket"),
            click(amk, "near_miss.close", close, "«Lukket»"),
        ],
        [NearMissReport, NearMissAction],
    )


# -- a work accident: the report, the EASY deadline's reminders and the leader's record ---------


def _work_accident_flow() -> Flow:
    async def setup(scene: World) -> None:
        scene.values["kemi"] = await wa.setup(scene.bot)

    first_day = datetime.now(COPENHAGEN).date() + timedelta(days=1)
    due = first_day + timedelta(days=14)

    def form(**changes: str) -> Any:
        async def make(scene: World) -> dict[str, Any]:
            return wa.form(scene.values["kemi"], absence_from=first_day.isoformat(), **changes)

        return labelled("work_accident.submit", make)

    def filed(**inputs: str) -> Any:
        async def make(scene: World) -> dict[str, Any]:
            return {"accident_id": await scalar(scene, select(WorkAccident.id)), **inputs}

        return make

    def days_before(days: int) -> Any:
        async def when(scene: World) -> datetime:
            local = datetime.combine(due - timedelta(days=days), time(8, 1), COPENHAGEN)
            return local.astimezone(UTC)

        return when

    today = datetime.now(COPENHAGEN).date().isoformat()
    return Flow(
        "work_accident",
        setup,
        [
            say(wa.INJURED, "arbejdsulykke", "Meld en arbejdsulykke"),
            submit(wa.INJURED, form(description="Kort"), "Beskriv, hvad der skete"),
            submit(wa.INJURED, form(), "AU-", "Arbejdstilsynet og forsikringen/AES"),
            tick("EASY reminder, a week before", WorkAccidentReminders, days_before(7)),
            tick("EASY reminder, again", WorkAccidentReminders, days_before(6)),
            click(wa.LEADER, "work_accident.filed", filed(), "Skriv referencen fra EASY"),
            click(
                wa.LEADER,
                "work_accident.filed",
                filed(easy_reference="EASY-77", filed_on=today),
                "anmeldelsen i EASY er registreret",
            ),
            click(
                wa.AMK,
                "work_accident.not_required",
                filed(not_required_reason="Intet fravær alligevel"),
                "already recorded",
            ),
            tick("EASY reminder, last day", WorkAccidentReminders, days_before(0)),
        ],
        [WorkAccident],
    )


# -- a well-being dialogue, its action-plan items and the owner's follow-up ----------------------


def _wellbeing_flow() -> Flow:
    async def setup(scene: World) -> None:
        scene.values["kemi"], _ = await wb.setup(scene.bot)
        await scene.bot.install_personal(wb.OWNER)
        scene.connector.clear()

    named = wb.CHALLENGES + " Vi talte især om Hanne Bøgh Jensen og hendes sygemelding."

    def notes(**changes: str) -> Any:
        async def make(scene: World) -> dict[str, Any]:
            return wb.dialogue(scene.values["kemi"], **changes)

        return labelled("wellbeing.form.save", make)

    async def items(scene: World) -> dict[str, Any]:
        dialogue_id = await scalar(scene, select(WellbeingDialogue.id))
        rows = (wb.row(), wb.row("Uklar prioritering", owner=wb.AMK.upn))
        return wb.items(scene.values["kemi"], dialogue_id, *rows, batch="a" * 32)

    async def first_item(scene: World) -> dict[str, Any]:
        return {
            "item_id": await scalar(
                scene, select(WellbeingActionItem.id).order_by(WellbeingActionItem.id).limit(1)
            )
        }

    async def finished(scene: World) -> dict[str, Any]:
        return {**await first_item(scene), "note": "Aftalt med teamet"}

    async def effect(scene: World) -> dict[str, Any]:
        return {**await first_item(scene), "effect": "yes"}

    def follow_up(days: int) -> Any:
        async def when(scene: World) -> datetime:
            day = await scalar(
                scene,
                select(WellbeingActionItem.follow_up_on).order_by(WellbeingActionItem.id).limit(1),
            )
            return wb.utc_noon(day) + timedelta(days=days)

        return when

    async def run_follow_up(scene: World, at: datetime) -> None:
        await scene.named_job("wellbeing.follow_ups").run(at)

    def ask(name: str, days: int) -> Step:
        async def run(scene: World) -> Any:
            await run_follow_up(scene, await follow_up(days)(scene))

        return Step(f"tick {name}", run)

    leader, owner = wb.LEADER, wb.OWNER
    return Flow(
        "wellbeing",
        setup,
        [
            say(leader, "trivsel", "Noter fra trivselsdialog"),
            submit(leader, notes(challenges=named), "Tjek for personoplysninger"),
            submit(leader, {"action": "wellbeing.form.edit"}, "Hanne Bøgh Jensen"),
            submit(leader, notes(), "Handlingsplan for Kemi"),
            click(leader, "wellbeing.items.save", items, "Punkter gemt: 2"),
            click(leader, "wellbeing.items.save", items, "Punkter gemt: 2"),
            click(owner, "wellbeing.item.progress", first_item, "In progress"),
            click(owner, "wellbeing.item.done", finished, "Done"),
            ask("follow-up, the day before", -1),
            ask("follow-up, due", 0),
            ask("follow-up, again", 3),
            click(owner, "wellbeing.item.evaluate", effect, "Follow-up"),
            say(owner, "mine handlinger", "My action-plan items"),
        ],
        [WellbeingDialogue, WellbeingActionItem],
    )


# -- drug precursors: the keeper's list, a ledger entry, a reversal, the registration -----------


def _precursor_flow() -> Flow:
    async def setup(scene: World) -> None:
        await pre._setup(scene.bot)
        scene.hook(lambda runtime: setattr(services_of(runtime), "clock", lambda: pre.NOW))

    async def add(scene: World) -> dict[str, Any]:
        found = await substance_id(scene.db, "acetic-anhydride")
        return {"action": "precursors.add", "substance_id": str(found)}

    async def add_with_place(scene: World) -> dict[str, Any]:
        return {**await add(scene), "storage_location": "Bygning 207, giftskab 2", "note": ""}

    async def holding(scene: World) -> str:
        return str(await scalar(scene, select(PrecursorHolding.id)))

    async def purchase(scene: World) -> dict[str, Any]:
        return {
            "action": "precursors.entry",
            "holding_id": await holding(scene),
            "kind": "purchase",
        }

    async def ledger(scene: World) -> dict[str, Any]:
        return {"action": "precursors.ledger", "holding_id": await holding(scene)}

    async def reverse(scene: World) -> dict[str, Any]:
        entry = await scalar(scene, select(PrecursorEntry.id))
        return {"holding_id": int(await holding(scene)), "entry_id": entry, "reason": "2,5 mL"}

    bought = {
        "action": "precursors.save",
        "entry_date": "2026-05-19",
        "quantity": "2500",
        "unit": "mL",
        "counterparty": "Sigma-Aldrich",
    }
    karin = pre.KARIN
    return Flow(
        "precursors",
        setup,
        [
            say(karin, "prækursor", "Narkotikaprækursorer – Kemi"),
            submit(karin, {"action": "precursors.search", "query": "108-24-7"}, "Eddikesyre"),
            submit(karin, labelled("precursors.add", add), "Skriv hvor stoffet opbevares"),
            submit(karin, labelled("precursors.add", add_with_place), "er tilføjet"),
            submit(karin, labelled("precursors.entry", purchase), "Køb: Eddikesyreanhydrid"),
            submit(karin, bought, "kræver en kundeerklæring"),
            submit(karin, {**bought, "declaration_ref": "KE-2026-4"}, "Køb er registreret"),
            submit(karin, labelled("precursors.ledger", ledger), "Posteringer: Eddikesyre"),
            click(karin, "precursors.reverse", reverse, "er tilbageført"),
            submit(karin, {"action": "precursors.back"}, "Narkotikaprækursorer – Kemi"),
            submit(karin, {"action": "precursors.register"}, "har nu indberettet"),
            submit(karin, {"action": "precursors.close"}, "Skriv **prækursor**"),
            submit(karin, {"action": "precursors.register"}, "ikke aktivt"),
        ],
        [PrecursorHolding, PrecursorEntry, PrecursorRegistration],
    )


# -- a lone-work check-in session: prompts, OK, help, the approver handling it, finish ------------


def _checkin_flow() -> Flow:
    clock = checkins.Clock(checkins.T0)

    def wire(runtime: Any) -> None:
        module = next(m for m in runtime.bot.router.modules if isinstance(m, CheckinModule))
        module.services.clock = clock  # type: ignore[attr-defined]

    async def setup(scene: World) -> None:
        clock.now = checkins.T0
        await checkins._approved(scene.bot)
        scene.hook(wire)

    async def session(scene: World) -> dict[str, Any]:
        return {"session_id": await scalar(scene, select(CheckinSession.id))}

    def before_due(minutes: int) -> Any:
        async def when(scene: World) -> datetime:
            due: datetime = await scalar(scene, select(CheckinSession.due_at))
            return due - timedelta(minutes=minutes)

        return when

    def at(offset: timedelta) -> Step:
        async def run(scene: World) -> Any:
            clock.now = checkins.T0 + offset
            return None

        return Step(f"the clock shows T0 + {offset}", run)

    async def alarm(scene: World) -> dict[str, Any]:
        return {**await session(scene), "alarm": 1}

    maja, lise = lone.MAJA, lone.LISE
    return Flow(
        "checkins",
        setup,
        [
            say(maja, "start alenearbejde", "Alenearbejde i gang"),
            tick("check-in prompt", CheckinJob, before_due(4)),
            tick("check-in prompt, again", CheckinJob, before_due(2)),
            at(timedelta(minutes=28)),
            click(maja, "checkin.ok", session, "Tak. Næste tjek senest"),
            tick("second prompt", CheckinJob, before_due(4)),
            click(maja, "checkin.help", session, "får besked nu"),
            click(lise, "checkin.handle", alarm, "Lise Leder tager sig af det"),
            click(lise, "checkin.handle", alarm, "tager sig allerede af det"),
            click(maja, "checkin.finish", session, "Alenearbejde afsluttet"),
        ],
        [CheckinSession, CheckinEvent],
    )


# -- the weekly digest: subscribe in a channel, the post, stop ------------------------------------

TEAM = "19:amk-network@thread.tacv2"
DIGEST_ADMIN = make_user("Anne Admin", "admin@uni.dk", "da-DK")


def _next_monday_0801() -> datetime:
    today = datetime.now(COPENHAGEN).date()
    monday = today + timedelta(days=7 - today.weekday())
    return datetime.combine(monday, time(8, 1), COPENHAGEN).astimezone(UTC)


def _digest_flow() -> Flow:
    monday = _next_monday_0801()

    async def setup(scene: World) -> None:
        scene.connector.channels[TEAM] = [{"id": TEAM, "name": None}]

    def channel(words: str, *needles: str, **fields: Any) -> Step:
        async def run(scene: World) -> Any:
            since = len(scene.connector.messages())
            where = TEAM if fields else f"{TEAM};messageid=1"
            activity = scene.bot.team_activity(DIGEST_ADMIN, TEAM, where, text=words, **fields)
            reply = await scene.bot.post(activity)
            assert reply.status in (200, 201), reply
            shown = " ".join(m.text for m in scene.connector.messages()[since:])
            for needle in needles:
                assert needle in shown, (needle, shown)
            return reply

        return Step(f"channel: {words or fields.get('type')}", run)

    def posted(when: datetime) -> Any:
        async def at(_scene: World) -> datetime:
            return when

        return at

    return Flow(
        "digest",
        setup,
        [
            channel("", "AMK-netværket", type="conversationUpdate", membersAdded=[{"id": BOT_ID}]),
            channel("<at>AMK-bot</at> digest her Kemi, Atlantis", "kender jeg ikke"),
            channel("<at>AMK-bot</at> digest her", "får nu det ugentlige arbejdsmiljøoverblik"),
            tick("digest, before it is due", DigestJob, posted(monday - timedelta(minutes=2))),
            tick("digest, due", DigestJob, posted(monday)),
            tick("digest, again", DigestJob, posted(monday + timedelta(minutes=5))),
            channel("<at>AMK-bot</at> digest stop", "ikke længere"),
            tick("digest, the week after", DigestJob, posted(monday + timedelta(days=7))),
        ],
        [DigestSubscription, ConversationRef],
    )


FLOWS = [
    _admin_flow(),
    _lone_work_flow(),
    _near_miss_flow(),
    _work_accident_flow(),
    _wellbeing_flow(),
    _precursor_flow(),
    _checkin_flow(),
    _digest_flow(),
]


@pytest.mark.parametrize("flow", FLOWS, ids=[flow.name for flow in FLOWS])
async def test_a_restart_between_any_two_steps_changes_nothing_for_the_user(
    flow: Flow, database_target: DatabaseTarget, tmp_path: Path
) -> None:
    async with world(database_target, tmp_path) as plain:
        await flow.setup(plain)
        expected = await play(plain, flow.steps, restart_after_each=False)
        expected_facts = await facts(plain.db, flow.tables)
    async with world(database_target, tmp_path) as restarted:
        await flow.setup(restarted)
        actual = await play(restarted, flow.steps, restart_after_each=True)
        actual_facts = await facts(restarted.db, flow.tables)
    assert differences(expected, actual) == []
    assert actual_facts == expected_facts
    # the transcripts are not empty: the flow sent things, and each was sent once
    assert sum(len(observation.sent) for observation in expected) >= len(flow.steps) // 2


async def _sends(*texts: tuple[str, str]) -> list[dict[str, Any]]:
    """What the users notice of these messages (chat, text), sent one after the other, and
    then of an update of every one of them."""
    connector = NamingConnector()
    await connector.start()
    try:
        async with aiohttp.ClientSession() as http:
            posted = []
            for chat, words in texts:
                path = f"{connector.url}v3/conversations/{chat}/activities"
                async with http.post(path, json={"text": words}) as answer:
                    posted.append((chat, words, (await answer.json())["id"]))
            for chat, words, activity in posted:
                path = f"{connector.url}v3/conversations/{chat}/activities/{activity}"
                async with http.put(path, json={"text": words + " (updated)"}) as answer:
                    assert answer.status == 200
        return observed(connector.sent, {}, connector.names)
    finally:
        await connector.close()


async def test_sends_to_different_chats_compare_equal_whichever_arrived_first() -> None:
    """Work after the answer sends to several people at once, in no fixed order: that order
    (and the connector's arrival-numbered activity ids) is not what anyone sees. The order
    within one chat is."""
    one, other = ("a:personal-otto", "Dit punkt"), ("a:personal-per", "Dit andet punkt")
    assert await _sends(one, other) == await _sends(other, one)
    second = ("a:personal-otto", "Endnu et punkt")
    assert await _sends(one, second) != await _sends(second, one)
