"""Every well-being card is valid Adaptive Card 1.5, under 28 KB at its fullest, in Danish and
English, and shows only what its reader may see."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, date, datetime

import pytest

from cards.common import Card
from cards.wellbeing_forms import amd_form, amd_saved_card, check_card, dialogue_form
from cards.wellbeing_items import (
    follow_up_card,
    item_edit_card,
    items_card,
    items_saved_card,
    mine_card,
    owner_card,
)
from cards.wellbeing_plan import (
    MAX_PLAN_ROWS,
    counts_card,
    notes_card,
    overview_card,
    plan_card,
    unit_picker,
)
from domain.i18n import Lang
from domain.org import SEED_UNITS, UnitRef
from domain.wellbeing import (
    AMD_ERRORS,
    DIALOGUE_ERRORS,
    MAX_ITEM_ROWS,
    MAX_ITEM_TEXT,
    DialogueNotes,
    Effect,
    ItemStatus,
    ItemView,
    PlanView,
    Theme,
    UnitStatus,
    group_statuses,
)
from domain.wellbeing_privacy import Flag
from tests.cards.test_cards import MAX_CARD_BYTES, VALIDATOR
from tests.support.card_nodes import walk
from tests.support.wellbeing import verbs

TODAY = date(2026, 11, 27)
LONG = "Lang tekst med æøå og ÆØÅ – " * 200
UNITS = [UnitRef(id=n, name=name) for n, name in enumerate(SEED_UNITS, start=1)]
FLAGS = [
    Flag("challenges", "name", "Hanne Bøgh Jensen"),
    Flag("works_well", "email", "anne@uni.dk"),
    Flag("absence_note", "cpr", "••••••-••••"),
    Flag("problem_2", "name", "Bo Ibsen"),
]


def item(status: ItemStatus = ItemStatus.OPEN, **changes: object) -> ItemView:
    data: dict[str, object] = {
        "id": 41,
        "unit_id": 22,
        "unit": "Kemi",
        "problem": LONG[:MAX_ITEM_TEXT],
        "action": LONG[:MAX_ITEM_TEXT],
        "owner_id": 7,
        "owner": "Otto Ejer med et meget langt navn",
        "owner_teams_id": "29:otto",
        "deadline": date(2026, 11, 1),
        "follow_up_on": date(2026, 12, 1),
        "status": status,
        "status_note": LONG[:500] if status is ItemStatus.DROPPED else None,
        "status_by": "Lise Leder",
        "status_at": datetime(2026, 11, 20, tzinfo=UTC),
        "dialogue_held_on": date(2026, 10, 1),
        "reopened_from_id": 40,
    }
    data.update(changes)
    return ItemView.model_validate(data)


def notes(deleted: bool = False) -> DialogueNotes:
    return DialogueNotes(
        id=3,
        unit="Kemi",
        group_name="Analysegruppen",
        held_on=date(2026, 10, 1),
        facilitator="HR-partner",
        participants=12,
        themes=list(Theme),
        theme_other=LONG[:300],
        works_well=None if deleted else LONG[:4000],
        challenges=None if deleted else LONG[:4000],
        absence_considered=True,
        absence_note=None if deleted else LONG[:500],
        recorded_by="Lise Leder",
        notes_deleted_at=datetime(2031, 10, 2, tzinfo=UTC) if deleted else None,
        items=3,
    )


def status(unit_id: int, name: str, *, held: date | None) -> UnitStatus:
    return UnitStatus(
        unit_id=unit_id,
        unit=name,
        dialogues=4,
        last_held=held,
        due_on=date(2027, 5, 1) if held else TODAY,
        open_items=12,
        overdue_items=3,
        amd_held_on=date(2026, 11, 3) if unit_id % 2 else None,
        groups=group_statuses(
            [(f"Gruppe {n} – laboratoriet på anden sal", date(2024, 1 + n, 1)) for n in range(12)],
            2,
        )
        if held and unit_id % 2
        else [],
    )


def plan(count: int) -> PlanView:
    statuses = list(ItemStatus)
    return PlanView(
        unit_id=22,
        unit="Kemi",
        items=[
            item(statuses[n % 4], id=n, screening_held_on=date(2026, 11, 3) if n % 3 else None)
            for n in range(count)
        ],
        last_held=date(2025, 1, 1),
        due_on=date(2027, 1, 1),
        amd_held_on=None,
        year=2026,
        groups=group_statuses(
            [("Analysegruppen", date(2025, 1, 1)), ("Værkstedet", date(2026, 3, 1))], 2
        ),
    )


def every_card() -> Iterator[tuple[str, Card]]:
    dialogue_errors = {name: "Fejl i feltet." for name in DIALOGUE_ERRORS}
    item_errors = {
        f"{name}_{row}": "Fejl."
        for row in range(1, MAX_ITEM_ROWS + 1)
        for name in ("problem", "action", "owner", "deadline", "follow_up")
    }
    limits = {"problem": MAX_ITEM_TEXT, "action": MAX_ITEM_TEXT, "owner": 320}
    full_rows = {key: LONG[: limits.get(key.rsplit("_", 1)[0], 10)] for key in item_errors}
    for lang in Lang:
        yield f"form-empty-{lang}", dialogue_form(lang, UNITS)
        yield (
            f"form-full-{lang}",
            dialogue_form(
                lang,
                UNITS,
                values={
                    "works_well": LONG[:4000],
                    "challenges": LONG[:4000],
                    "theme_other": LONG[:300],
                    "absence_note": LONG[:500],
                    "themes": ",".join(Theme),
                    "participants": "12",
                },
                errors=dialogue_errors,
                flags=FLAGS * 3,
            ),
        )
        yield f"check-{lang}", check_card(lang, FLAGS * 3)
        for rows in (3, MAX_ITEM_ROWS):
            yield (
                f"items-{rows}-{lang}",
                items_card(
                    lang,
                    unit="Engineering Technology",
                    unit_id=1,
                    dialogue_id=2,
                    rows=rows,
                    batch="0" * 32,
                    values=full_rows,
                    errors=item_errors,
                    flags=FLAGS * 3,
                    notice=LONG[:300],
                ),
            )
        yield (
            f"items-saved-{lang}",
            items_saved_card(
                lang,
                unit="Kemi",
                unit_id=1,
                dialogue_id=None,
                views=[item(id=n) for n in range(MAX_ITEM_ROWS)],
                unreachable=[f"person{n}@uni.dk" for n in range(MAX_ITEM_ROWS)],
            ),
        )
        for state in ItemStatus:
            view = item(state)
            yield f"owner-{state}-{lang}", owner_card(lang, view, today=TODAY, notice="Bemærk")
            yield (
                f"owner-readonly-{state}-{lang}",
                owner_card(lang, view, today=TODAY, interactive=False),
            )
            yield (
                f"edit-{state}-{lang}",
                item_edit_card(
                    lang,
                    view,
                    owner_upn="otto@uni.dk",
                    today=TODAY,
                    errors={"problem": "x", "owner": "y", "follow_up": "z"},
                    flags=FLAGS,
                    notice="Gemt",
                ),
            )
        for effect in [None, *Effect]:
            done = item(ItemStatus.DONE, effect=effect, effect_note="Note" if effect else None)
            yield (
                f"follow-up-{effect}-{lang}",
                follow_up_card(lang, done, today=TODAY, notice="Vælg"),
            )
        yield f"mine-{lang}", mine_card(lang, [item(id=n) for n in range(40)], today=TODAY)
        yield f"picker-{lang}", unit_picker(lang, UNITS, selected=3, error="Vælg en enhed.")
        for count in (0, 3, 60):
            yield (
                f"plan-{count}-manager-{lang}",
                plan_card(
                    lang,
                    plan(count),
                    today=TODAY,
                    can_manage=True,
                    can_read_notes=True,
                    notice="x",
                ),
            )
        yield (
            f"plan-employee-{lang}",
            plan_card(lang, plan(5), today=TODAY, can_manage=False, can_read_notes=False),
        )
        others = [(n, date(2025, 1, n), LONG[:200]) for n in range(1, 10)]
        yield f"notes-{lang}", notes_card(lang, notes(), unit_id=22, others=others)
        yield f"notes-deleted-{lang}", notes_card(lang, notes(True), unit_id=22, others=[])
        statuses = [
            status(n, name, held=date(2025, 5, 1) if n % 3 else None)
            for n, name in enumerate(SEED_UNITS, start=1)
        ]
        yield f"overview-{lang}", overview_card(lang, statuses, today=TODAY)
        yield f"counts-{lang}", counts_card(lang, statuses[0], today=TODAY)
        yield (
            f"amd-{lang}",
            amd_form(
                lang,
                UNITS,
                year=2026,
                values={"goals_next_year": LONG[:2000], "cooperation": LONG[:2000]},
                errors={name: "Fejl." for name in AMD_ERRORS},
            ),
        )
        yield (
            f"amd-saved-{lang}",
            amd_saved_card(lang, unit="Kemi", unit_id=1, year=2026, held_on=TODAY, new=True),
        )


CARDS = dict(every_card())


@pytest.mark.parametrize("name", sorted(CARDS))
def test_wellbeing_card_is_valid_and_small(name: str) -> None:
    card = CARDS[name]
    assert [error.message[:200] for error in VALIDATOR.iter_errors(card)] == []
    assert len(json.dumps(card, ensure_ascii=False).encode("utf-8")) < MAX_CARD_BYTES


@pytest.mark.parametrize("name", sorted(CARDS))
def test_universal_actions_have_a_submit_fallback(name: str) -> None:
    from tests.support.card_nodes import walk

    for node in walk(CARDS[name]):
        if node.get("type") == "Action.Execute" and node.get("title") != "refresh":
            assert node["fallback"]["type"] == "Action.Submit"
            assert node["fallback"]["data"]["action"] == node["verb"]


def test_buttons_follow_the_state_and_the_reader() -> None:
    assert verbs(owner_card(Lang.DA, item(), today=TODAY)) == {
        "wellbeing.item.progress",
        "wellbeing.item.done",
        "wellbeing.item.drop",
    }
    started = owner_card(Lang.DA, item(ItemStatus.IN_PROGRESS), today=TODAY)
    assert verbs(started) == {"wellbeing.item.done", "wellbeing.item.drop"}
    assert started["refresh"]["userIds"] == ["29:otto"]
    done = owner_card(Lang.DA, item(ItemStatus.DONE), today=TODAY)
    assert verbs(done) == set() and done["refresh"]["userIds"] == []
    assert verbs(owner_card(Lang.DA, item(), today=TODAY, interactive=False)) == set()
    assert verbs(follow_up_card(Lang.DA, item(ItemStatus.DONE), today=TODAY)) == {
        "wellbeing.item.evaluate"
    }
    answered = item(ItemStatus.DONE, effect=Effect.YES)
    assert verbs(follow_up_card(Lang.DA, answered, today=TODAY)) == set()
    employee = plan_card(Lang.DA, plan(4), today=TODAY, can_manage=False, can_read_notes=False)
    assert verbs(employee) == {"wellbeing.plan.pick"}
    manager = plan_card(Lang.DA, plan(4), today=TODAY, can_manage=True, can_read_notes=True)
    assert {"wellbeing.items.add", "wellbeing.notes.show", "wellbeing.item.edit"} <= verbs(manager)
    assert "menu.open" in json.dumps(manager)


def test_the_plan_never_shows_notes_and_marks_overdue_items() -> None:
    view = item(ItemStatus.IN_PROGRESS, status_note="Hemmelig note", effect_note="Anden note")
    card = json.dumps(
        plan_card(
            Lang.DA,
            plan(0).model_copy(update={"items": [view]}),
            today=TODAY,
            can_manage=True,
            can_read_notes=True,
        ),
        ensure_ascii=False,
    )
    assert "Hemmelig note" not in card and "Anden note" not in card
    assert "I gang – fristen er overskredet" in card
    assert f"{len(plan(MAX_PLAN_ROWS + 5).items) - MAX_PLAN_ROWS} punkter mere" in json.dumps(
        plan_card(
            Lang.DA, plan(MAX_PLAN_ROWS + 5), today=TODAY, can_manage=False, can_read_notes=False
        ),
        ensure_ascii=False,
    )


def test_english_cards_speak_english() -> None:
    form = json.dumps(dialogue_form(Lang.EN, UNITS), ensure_ascii=False)
    assert "Do not write names or health information" in form
    assert "Dialogue-based cooperation" in form and "Neurodiversity" in form
    assert "Trivsel" not in form and "Skriv" not in form
    owner = json.dumps(owner_card(Lang.EN, item(), today=TODAY), ensure_ascii=False)
    assert "In progress" in owner and "Not started – overdue" in owner
    danish = json.dumps(dialogue_form(Lang.DA, UNITS), ensure_ascii=False)
    assert "Skriv ikke navne eller helbredsoplysninger" in danish
    assert "Dialogbaseret samarbejde" in danish and "Inkluderende kultur" in danish


def test_a_long_plan_shows_five_items_and_the_rest_on_request() -> None:
    card = plan_card(
        Lang.DA, plan(MAX_PLAN_ROWS), today=TODAY, can_manage=True, can_read_notes=False
    )
    (more,) = [node for node in walk(card) if node.get("type") == "Action.ShowCard"]
    assert more["title"] == f"Vis {MAX_PLAN_ROWS - 5} punkter mere"
    outside = [node for node in card["body"] if node.get("type") == "ColumnSet"]
    inside = [node for node in more["card"]["body"] if node.get("type") == "ColumnSet"]
    assert (len(outside), len(inside)) == (5, MAX_PLAN_ROWS - 5)
    short = plan_card(Lang.DA, plan(5), today=TODAY, can_manage=True, can_read_notes=False)
    assert not [node for node in walk(short) if node.get("type") == "Action.ShowCard"]


def test_long_notes_show_a_beginning_and_all_of_them_on_request() -> None:
    card = CARDS["notes-da"]
    (all_notes,) = [
        node
        for node in walk(card)
        if node.get("type") == "Action.ShowCard" and node["title"] == "Vis alle noterne"
    ]
    inside = [node["text"] for node in walk(all_notes["card"]) if node.get("type") == "TextBlock"]
    outside = [
        node["text"]
        for node in walk(card["body"])
        if node.get("type") == "TextBlock" and node["text"] not in inside
    ]
    assert len([text for text in inside if text.startswith("Lang tekst")]) == 3
    assert [text for text in outside if text.startswith("Lang tekst")] == [
        next(text for text in outside if text.startswith("Lang tekst"))
    ]
    assert max(len(text) for text in outside) <= 300
    short_notes = notes().model_copy(
        update={"works_well": "Godt samarbejde.", "challenges": "Travlt.", "absence_note": None}
    )
    text = json.dumps(notes_card(Lang.DA, short_notes, unit_id=22, others=[]), ensure_ascii=False)
    assert "Godt samarbejde." in text and "Travlt." in text and "Vis alle noterne" not in text
