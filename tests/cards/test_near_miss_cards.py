"""Every near-miss card, in both languages, is valid Adaptive Card 1.5 for Teams, stays under
28 KB even when full, and its universal actions carry a verb and a Submit fallback."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from cards.common import Card
from cards.near_miss import (
    list_card,
    no_part_card,
    not_allowed_card,
    owner_card,
    report_card,
    reporter_notice,
)
from cards.near_miss_form import confirmation_card, injury_card, report_form
from domain.i18n import Lang
from domain.near_miss import (
    ActionStatus,
    ActionView,
    Category,
    Participant,
    ReportSummary,
    ReportView,
    Severity,
    Status,
)
from domain.org import SEED_UNITS, UnitRef
from tests.cards.test_cards import MAX_CARD_BYTES, VALIDATOR
from tests.support.card_nodes import walk

NOW = datetime(2026, 11, 27, 13, 0, tzinfo=UTC)
UNITS = [UnitRef(id=n, name=name) for n, name in enumerate(SEED_UNITS, start=1)]
LONG = "Æøå " * 1000  # 4000 characters, the most a description may have


def _actions(count: int, *, done: bool = False) -> tuple[ActionView, ...]:
    return tuple(
        ActionView(
            id=n,
            description=f"Tiltag nummer {n}: " + "sæt skilte op og instruér " * 8,
            owner_id=100 + n,
            owner_name=f"Medarbejder Æøå {n}",
            due_date=date(2026, 12, 1) + timedelta(days=n),
            status=ActionStatus.DONE if done or n % 2 else ActionStatus.OPEN,
            done_at=NOW if done or n % 2 else None,
        )
        for n in range(1, count + 1)
    )


def _report(status: Status, **changes: Any) -> ReportView:
    values: dict[str, Any] = {
        "id": 42,
        "number": "NM-2026-0042",
        "unit_id": 22,
        "unit_name": "Kemi",
        "anonymous": False,
        "reporter_name": "Mette Hansen",
        "occurred_at": NOW - timedelta(hours=5),
        "campus": "Lyngby",
        "building": "207",
        "room": "112",
        "description": "Acetone på gulvet ved stinkskab 3.",
        "category": Category.HAZARDOUS_SUBSTANCE,
        "severity": Severity.SERIOUS,
        "injury": False,
        "immediate_action": "Tørret op.",
        "prevention": "Spildbakke.",
        "photo_url": "https://uni.sharepoint.com/sites/kemi/fotos/spild.jpg",
        "status": status,
        "created_at": NOW - timedelta(hours=4),
    }
    if status is not Status.REPORTED:
        values.update(acknowledged_at=NOW, acknowledged_by="Per Koordinator")
    if status in (Status.UNDER_INVESTIGATION, Status.ACTIONS_DECIDED, Status.CLOSED):
        values.update(investigator_name="Ida Undersøger")
    if status is Status.ACTIONS_DECIDED:
        values.update(actions=_actions(3))
    if status is Status.CLOSED:
        values.update(
            actions=_actions(2, done=True),
            closed_at=NOW,
            closed_by="Per Koordinator",
            conclusion="Spildbakke er sat op, og alle er instrueret.",
        )
    values.update(changes)
    return ReportView(**values)


AMK = Participant(person_id=7, name="Per", lang=Lang.DA, teams_id="29:amk", is_amk=True)
INVESTIGATOR = Participant(person_id=8, name="Ida", lang=Lang.DA, is_investigator=True)


def every_card() -> Iterator[tuple[str, Card]]:
    for lang in Lang:
        amk = Participant(**{**AMK.__dict__, "lang": lang})
        yield f"form-{lang}", report_form(lang, UNITS, now=NOW, form_id="f" * 32)
        yield (
            f"form-errors-{lang}",
            report_form(
                lang,
                UNITS,
                now=NOW,
                form_id="f" * 32,
                values={"description": LONG, "campus": "Lyngby", "anonymous": "true"},
                errors={name: "Fejl" for name in ("unit_id", "campus", "description", "photo_url")},
            ),
        )
        yield f"injury-{lang}", injury_card(lang)
        yield (
            f"confirmation-named-{lang}",
            confirmation_card(
                lang,
                number="NM-2026-0042",
                unit="Kemi",
                anonymous=False,
                injury=False,
                category=Category.OTHER,
            ),
        )
        yield (
            f"confirmation-anonymous-injury-threat-{lang}",
            confirmation_card(
                lang,
                number="NM-2026-0042",
                unit="Kemi",
                anonymous=True,
                injury=True,
                category=Category.THREAT_VIOLENCE,
            ),
        )
        for status in Status:
            yield f"report-{status}-{lang}", report_card(lang, _report(status), amk)
        yield (
            f"report-anonymous-injury-new-{lang}",
            report_card(
                lang,
                _report(Status.REPORTED, anonymous=True, reporter_name=None, injury=True),
                amk,
                intro="Ny hændelse",
                message="ok",
                errors=["fejl"],
            ),
        )
        yield (
            f"report-investigator-{lang}",
            report_card(lang, _report(Status.UNDER_INVESTIGATION), INVESTIGATOR),
        )
        yield (
            f"report-full-{lang}",
            report_card(
                lang,
                _report(
                    Status.ACTIONS_DECIDED,
                    description=LONG,
                    immediate_action="x" * 2000,
                    prevention="y" * 2000,
                    actions=_actions(15),
                ),
                amk,
                back_to_list=True,
            ),
        )
        report = _report(Status.ACTIONS_DECIDED)
        yield (
            f"owner-{lang}",
            owner_card(lang, report, report.actions[1], may_complete=True, intro="Du er ansvarlig"),
        )
        yield (
            f"owner-done-{lang}",
            owner_card(lang, report, report.actions[0], may_complete=True, message="Udført"),
        )
        yield f"reporter-acknowledged-{lang}", reporter_notice(lang, report, closed=False)
        yield (
            f"reporter-closed-{lang}",
            reporter_notice(lang, _report(Status.CLOSED), closed=True),
        )
        yield f"no-part-{lang}", no_part_card(lang, report)
        yield f"not-allowed-{lang}", not_allowed_card(lang)
        yield f"list-empty-{lang}", list_card(lang, [], units=["Kemi"], total=0, now=NOW)
        summaries = [
            ReportSummary(
                id=n,
                number=f"NM-2026-{n:04d}",
                unit_name=SEED_UNITS[n % len(SEED_UNITS)],
                category=list(Category)[n % 13],
                severity=list(Severity)[n % 4],
                status=list(Status)[n % 4],
                created_at=NOW - timedelta(days=n),
                open_actions=n % 3,
            )
            for n in range(1, 26)
        ]
        yield f"list-full-{lang}", list_card(lang, summaries, units=None, total=40, now=NOW)


CARDS = dict(every_card())


@pytest.mark.parametrize("name", sorted(CARDS))
def test_card_is_valid_adaptive_card_1_5(name: str) -> None:
    card = CARDS[name]
    assert [error.message[:200] for error in VALIDATOR.iter_errors(card)] == []
    assert card["version"] == "1.5"


@pytest.mark.parametrize("name", sorted(CARDS))
def test_card_is_under_28_kb(name: str) -> None:
    assert len(json.dumps(CARDS[name], ensure_ascii=False).encode("utf-8")) < MAX_CARD_BYTES


@pytest.mark.parametrize("name", sorted(CARDS))
def test_actions_have_verbs_fallbacks_and_ids_only(name: str) -> None:
    for node in walk(CARDS[name]):
        if node.get("type") == "Action.Execute":
            assert node.get("verb", "").startswith("near_miss.")
            assert node.get("fallback", {}).get("type") == "Action.Submit"
            assert node["fallback"]["data"]["action"] == node["verb"]
            assert set(node["data"]) <= {"action", "report_id", "action_id", "card", "from_list"}
        if node.get("type") == "Action.Submit":
            assert isinstance(node.get("data", {}).get("action"), str)
        assert node.get("style") != "filtered"


def test_the_buttons_follow_the_status() -> None:
    def verbs(card: Card) -> set[str]:
        return {
            node["verb"]
            for node in walk(card.get("body", []) + card.get("actions", []))
            if node.get("type") == "Action.Execute"
        }

    assert verbs(CARDS["report-reported-da"]) == {"near_miss.acknowledge", "near_miss.assign"}
    assert verbs(CARDS["report-acknowledged-da"]) == {
        "near_miss.assign",
        "near_miss.action.add",
        "near_miss.close",
    }
    # an open action hides "close" and offers "mark done"
    assert verbs(CARDS["report-actions_decided-da"]) == {
        "near_miss.assign",
        "near_miss.action.add",
        "near_miss.action.done",
    }
    assert verbs(CARDS["report-closed-da"]) == set()
    assert verbs(CARDS["report-investigator-da"]) == {"near_miss.action.add"}
    assert CARDS["report-closed-da"]["refresh"]["userIds"] == []
    assert CARDS["report-reported-da"]["refresh"]["userIds"] == ["29:amk"]


def test_anonymous_reports_show_no_reporter() -> None:
    text = json.dumps(CARDS["report-anonymous-injury-new-da"], ensure_ascii=False)
    assert "Mette Hansen" not in text and "Anonym" in text and "EASY" in text


def test_the_danish_form_reads_danish() -> None:
    text = json.dumps(CARDS["form-da"], ensure_ascii=False)
    for phrase in ("Hvad skete der?", "Kom nogen til skade", "Indberet anonymt", "Andet"):
        assert phrase in text
    english = json.dumps(CARDS["form-en"], ensure_ascii=False)
    assert "Was anyone hurt?" in english and "Kom nogen" not in english


def _typed_texts(card: Card) -> list[str]:
    return [node["text"] for node in walk(card) if node.get("type") == "TextBlock"]


def test_a_long_report_shows_its_beginning_and_the_rest_on_request() -> None:
    full = CARDS["report-full-da"]
    (whole,) = [
        node
        for node in walk(full)
        if node.get("type") == "Action.ShowCard" and node["title"] == "Vis hele indberetningen"
    ]
    shown = [text for text in _typed_texts(full) if text not in _typed_texts(whole["card"])]
    assert any(text.endswith(" …") and LONG.startswith(text[:50]) for text in shown)
    assert "x" * 2000 in _typed_texts(whole["card"])
    assert "y" * 2000 in _typed_texts(whole["card"])
    assert "x" * 2000 not in shown
    short = CARDS["report-acknowledged-da"]
    assert "Spildbakke." in _typed_texts(short)
    assert not [node for node in walk(short) if node.get("title") == "Vis hele indberetningen"]
