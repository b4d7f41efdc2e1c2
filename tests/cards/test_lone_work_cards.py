"""Every lone-work card is valid Adaptive Card 1.5, small enough, and in both languages."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, date, datetime

import pytest

from cards.common import Card
from cards.lone_work import approval_card, list_card, request_form, requester_card, summary_card
from domain.i18n import Lang
from domain.lone_work import FIELD_ERRORS, Hazard, Mitigation, RequestView, Schedule, Status
from domain.org import SEED_UNITS, UnitRef
from tests.cards.test_cards import MAX_CARD_BYTES, VALIDATOR
from tests.cards.test_people_picker_cards import _without_teams_extension
from tests.support.card_nodes import walk

LONG = "Meget lang beskrivelse med æøå " * 60


def view(status: Status, schedule: Schedule = Schedule.SINGLE, **changes: object) -> RequestView:
    data: dict[str, object] = {
        "id": 7,
        "number": "AL-2026-0007",
        "requester": "Maja Kemiker",
        "requester_id": 1,
        "unit": "Kemiteknik",
        "unit_id": 3,
        "task": LONG[:2000],
        "campus": "Lyngby",
        "building": "229",
        "room": "S-112",
        "schedule": schedule,
        "starts_at": datetime(2026, 12, 1, 17, tzinfo=UTC),
        "expires_at": datetime(2026, 12, 1, 21, tzinfo=UTC),
        "weekdays": ["mon", "tue", "wed", "thu", "fri"],
        "window_start": "17:00",
        "window_end": "22:00",
        "valid_from": date(2026, 12, 1),
        "valid_to": date(2027, 11, 30),
        "hazards": list(Hazard),
        "hazard_other": LONG[:300],
        "mitigations": list(Mitigation),
        "checkin_person": "Vagten",
        "checkin_interval": 30,
        "mitigation_other": LONG[:300],
        "emergency_name": "Vagtcentralen",
        "emergency_phone": "+45 45 25 10 10",
        "trained": True,
        "adult": True,
        "affiliation": "employee",
        "risky": True,
        "status": status,
        "approver": "Lise Leder",
        "approver_id": 2,
        "approver_teams_id": "29:lise",
        "conditions": LONG[:1000] if status is Status.APPROVED else None,
        "decision_note": LONG[:1000] if status is Status.REJECTED else None,
        "decided_by": "Lise Leder",
        "decided_at": datetime(2026, 11, 28, 9, tzinfo=UTC),
        "close_reason": LONG[:1000] if status is Status.REVOKED else None,
        "closed_by": "Lise Leder",
        "closed_at": datetime(2026, 11, 29, 9, tzinfo=UTC),
    }
    data.update(changes)
    return RequestView.model_validate(data)


def every_card() -> Iterator[tuple[str, Card]]:
    units = [UnitRef(id=n, name=name) for n, name in enumerate(SEED_UNITS, start=1)]
    all_errors = {field: "Fejl i feltet." for field in FIELD_ERRORS} | {
        "adult": "x",
        "trained": "x",
    }
    for lang in Lang:
        yield f"form-empty-{lang}", request_form(lang, units, requester="Maja")
        yield (
            f"form-errors-{lang}",
            request_form(
                lang,
                units,
                requester="Maja",
                values={"task": LONG[:2000], "hazards": "chemicals,other", "trained": "true"},
                errors=all_errors,
            ),
        )
        for schedule in Schedule:
            pending = view(Status.PENDING, schedule)
            yield f"summary-{schedule}-{lang}", summary_card(lang, pending, approvers=[(1, "A")])
            yield (
                f"summary-choice-{schedule}-{lang}",
                summary_card(lang, pending, approvers=[(1, "A"), (2, "B")], error="Vælg"),
            )
        for status in Status:
            yield f"approval-{status}-{lang}", approval_card(lang, view(status), notice="Bemærk")
            yield f"requester-{status}-{lang}", requester_card(lang, view(status), notice="Bemærk")
        colleague = view(Status.PENDING, emergency_name="Erik Kollega", emergency_colleague=True)
        yield f"approval-colleague-{lang}", approval_card(lang, colleague)
        many = [view(Status.PENDING, id=n, task="kort") for n in range(40)]
        yield f"list-{lang}", list_card(lang, "Mine", many, total=40)


CARDS = dict(every_card())


@pytest.mark.parametrize("name", sorted(CARDS))
def test_lone_work_card_is_valid_and_small(name: str) -> None:
    card = CARDS[name]
    assert [error.message[:200] for error in VALIDATOR.iter_errors(card)] == []
    assert len(json.dumps(card, ensure_ascii=False).encode("utf-8")) < MAX_CARD_BYTES


def test_buttons_follow_the_state() -> None:
    def verbs(card: Card) -> set[str]:
        text = json.dumps(card)
        return {
            verb
            for verb in ("approve", "reject", "revoke", "withdraw")
            if f'"lone_work.{verb}"' in text
        }

    assert verbs(approval_card(Lang.DA, view(Status.PENDING))) == {"approve", "reject"}
    assert verbs(approval_card(Lang.DA, view(Status.APPROVED))) == {"revoke"}
    assert verbs(approval_card(Lang.DA, view(Status.REJECTED))) == set()
    assert verbs(requester_card(Lang.DA, view(Status.PENDING))) == {"withdraw"}
    assert verbs(requester_card(Lang.DA, view(Status.APPROVED))) == set()
    # An approved request's requester may start a check-in session from their card.
    for status in Status:
        started = '"checkin.start"' in json.dumps(requester_card(Lang.DA, view(status)))
        assert started is (status is Status.APPROVED)
    assert approval_card(Lang.DA, view(Status.REJECTED))["refresh"]["userIds"] == []


@pytest.mark.parametrize("lang", list(Lang))
def test_the_people_picker_form_asks_for_a_colleague_or_a_name(lang: Lang) -> None:
    """Teams' picker for a colleague (checked against the schema without Teams' extension,
    as `test_people_picker_cards` does); the typed name is then optional, the phone not."""
    card = request_form(lang, [UnitRef(id=1, name="Kemi")], requester="Maja", picker=True)
    inputs = {node["id"]: node for node in walk(card) if node.get("id")}
    assert inputs["emergency_person"]["type"] == "Input.ChoiceSet"
    assert "choices.data" in inputs["emergency_person"]
    assert not inputs["emergency_name"].get("isRequired")
    assert inputs["emergency_phone"]["isRequired"] is True
    assert list(VALIDATOR.iter_errors(_without_teams_extension(card))) == []
    assert "emergency_person" not in {
        node.get("id") for node in walk(request_form(lang, [], requester="Maja"))
    }


def test_english_cards_speak_english() -> None:
    card = json.dumps(approval_card(Lang.EN, view(Status.PENDING)), ensure_ascii=False)
    assert "Approve with conditions" in card and "Godkend" not in card
    assert "Risky" in card and "Hazardous chemicals" in card


def test_text_that_looks_like_a_placeholder_is_shown_as_typed() -> None:
    """Neither a unit name nor a typed value can stand in for another field's value."""
    odd = "\x00lone_work.form:task"
    units = [UnitRef(id=1, name=odd), UnitRef(id=2, name="Kemi")]
    values: dict[str, object] = {"task": "Måling", "room": "\x00lone_work.form:campus"}
    card = request_form(Lang.DA, units, requester="Maja", values=values)
    inputs = {node["id"]: node for node in walk(card) if "id" in node}
    assert inputs["task"]["value"] == "Måling" and inputs["room"]["value"] == values["room"]
    assert "value" not in inputs["campus"]
    assert inputs["unit_id"]["choices"][0]["title"] == odd
    assert json.dumps(card, ensure_ascii=False).count("Måling") == 1


def _blocks(card: Card) -> dict[str, bool]:
    return {
        node["id"]: node.get("isVisible", True)
        for node in walk(card)
        if str(node.get("id", "")).startswith("when_")
    }


def test_the_form_asks_for_one_schedule_at_a_time() -> None:
    units = [UnitRef(id=1, name="Kemi")]
    new = request_form(Lang.DA, units, requester=None)
    assert _blocks(new) == {"when_single": True, "when_recurring": False}
    recurring = request_form(
        Lang.DA,
        units,
        requester=None,
        values={"schedule": "recurring"},
        errors={"weekdays": "Vælg mindst én ugedag."},
    )
    assert _blocks(recurring) == {"when_single": False, "when_recurring": True}
    block = next(node for node in walk(recurring) if node.get("id") == "when_recurring")
    assert "Vælg mindst én ugedag." in json.dumps(block, ensure_ascii=False)
    sends = [node["data"] for node in walk(block) if node.get("type") == "Action.Submit"]
    assert sends == [{"action": "lone_work.form.next", "schedule": "recurring"}]
    switches = {
        node["title"]: {
            target["elementId"]: target["isVisible"] for target in node["targetElements"]
        }
        for node in walk(new)
        if node.get("type") == "Action.ToggleVisibility"
    }
    assert switches == {
        "Én periode": {"when_single": True, "when_recurring": False},
        "Fast ordning (gentages)": {"when_single": False, "when_recurring": True},
    }
