"""The erasure cards are valid Adaptive Card 1.5, small enough for Teams, and name every
register in words an administrator reads (every table the erasure can count has a label).
The form with the people picker is checked with the other picker cards."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from sqlalchemy import JSON, String, Table, Text

from cards.common import Card
from cards.erasure import erase_form_card, erase_preview_card, erased_card, table_label
from domain.i18n import Lang
from domain.my_data import Erasure
from storage.schema import metadata
from tests.cards.test_cards import MAX_CARD_BYTES, VALIDATOR

# Counted apart (roles, chats) or never among the counts (the audit trail, the person row).
NOT_COUNTED = {"audit_event", "person", "role_assignment", "person_last_unit"}

ERASURE = Erasure(
    person_id=7,
    pseudonym="Slettet person 7",
    roles=2,
    chats=1,
    records={
        "lone_work_request": 3,
        "near_miss_report": 1,
        "wellbeing_action_item": 4,
        "training_record": 2,
        "precursor_entry": 12,
        "work_accident": 1,
    },
    texts={"lone_work_request": 1, "wellbeing_dialogue": 2, "posted_activity": 5},
    audit_events=14,
    open_items=2,
    person="Maja Marie Kemiker-Christoffersen (maja.marie.kemiker-christoffersen@uni.dk)",
)


def every_card() -> Iterator[tuple[str, Card]]:
    for lang in Lang:
        yield f"form-{lang}", erase_form_card(lang, picker=False)
        yield (
            f"form-error-{lang}",
            erase_form_card(
                lang, picker=False, values={"person": "maja"}, error="Skriv en e-mailadresse."
            ),
        )
        yield f"preview-{lang}", erase_preview_card(lang, ERASURE, who="maja@uni.dk")
        yield f"done-{lang}", erased_card(lang, ERASURE)


CARDS = dict(every_card())


@pytest.mark.parametrize("name", sorted(CARDS))
def test_erasure_card_is_valid_and_small(name: str) -> None:
    card = CARDS[name]
    assert [error.message[:200] for error in VALIDATOR.iter_errors(card)] == []
    assert len(json.dumps(card, ensure_ascii=False).encode("utf-8")) < MAX_CARD_BYTES


def _counted(table: Table) -> bool:
    """A table whose rows may point at a person or hold text naming one."""
    return table.name not in NOT_COUNTED and any(
        isinstance(column.type, String | Text | JSON)
        or any(key.column.table.name == "person" for key in column.foreign_keys)
        for column in table.columns
    )


def test_every_table_the_erasure_counts_has_a_label() -> None:
    other = table_label(Lang.DA, "no_such_table")
    unlabelled = [
        table.name
        for table in metadata.sorted_tables
        if _counted(table) and table_label(Lang.DA, table.name) == other
    ]
    assert unlabelled == []


def test_the_preview_says_what_changes_and_warns_about_open_tasks() -> None:
    shown = json.dumps(CARDS["preview-da"], ensure_ascii=False)
    assert "alenearbejde 3, nærved-hændelser 1" in shown
    assert "2 åbne opgaver eller anmodninger venter på personen" in shown
    assert '"verb": "admin.erase.confirm"' in shown and '"person": "maja@uni.dk"' in shown
