"""The training cards are valid Adaptive Card 1.5, small enough for Teams, and show what a
reader needs: what was given, when, by whom, the proof; the buttons their part allows."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date

import pytest

from cards.common import Card
from cards.lone_work import approval_card
from cards.training import lone_work_line, mine_card, record_card, unit_card
from domain.i18n import Lang, t
from domain.lone_work import Status
from domain.org import UnitRef
from domain.training import TrainingCheck, TrainingKind, TrainingView
from tests.cards.test_cards import MAX_CARD_BYTES, VALIDATOR
from tests.cards.test_lone_work_cards import view

TODAY = date(2026, 12, 7)
KEMI = UnitRef(id=1, name="Kemi")
PROOF = "https://kurser.uni.dk/bevis/(123)"


def _records(count: int) -> list[TrainingView]:
    return [
        TrainingView(
            id=n,
            unit_id=1,
            unit="Kemi",
            person_id=n,
            person=f"Medarbejder nummer {n} med et langt navn",
            activity=f"Alenearbejde med flussyre i laboratorium {n}, bygning 207",
            kind=list(TrainingKind)[n % 4],
            given_on=date(2026, 1, 1 + n % 28),
            given_by="Arbejdsmiljøkoordinator Per Koordinator",
            proof=PROOF if n % 2 else None,
            lone_work=bool(n % 3),
            proof_file_id=n if n % 3 == 1 else None,
        )
        for n in range(count)
    ]


def every_card() -> Iterator[tuple[str, Card]]:
    for lang in Lang:
        yield f"mine-{lang}", mine_card(lang, _records(6), back_to=1)
        yield f"mine-none-{lang}", mine_card(lang, [], back_to=None)
        yield f"unit-{lang}", unit_card(lang, KEMI, _records(25), 40, may_record=True)
        yield (
            f"unit-saved-{lang}",
            unit_card(
                lang,
                KEMI,
                _records(3),
                3,
                may_record=True,
                notice="Gemt: Alenearbejde for Emil Medarbejder (07.12.2026).",
                hint=t(lang, "proofs.how.saved", ref="T-1234"),
            ),
        )
        yield (
            f"unit-filter-error-{lang}",
            unit_card(lang, KEMI, [], 0, may_record=True, person="x", error="Skriv en e-mail."),
        )
        yield f"record-{lang}", record_card(lang, KEMI, today=TODAY)
        for name, check in (
            ("match", TrainingCheck(_records(2)[1])),
            ("none", TrainingCheck(None)),
        ):
            yield (
                f"lone-work-approval-{name}-{lang}",
                approval_card(lang, view(Status.PENDING, training=check)),
            )
        yield (
            f"record-errors-{lang}",
            record_card(
                lang,
                KEMI,
                today=TODAY,
                values={"person": "emil", "given_on": "2027-01-01", "proof": "www.x.dk"},
                errors={"person": "E-mail", "given_on": "Fremtid", "proof": "https"},
            ),
        )


CARDS = dict(every_card())


@pytest.mark.parametrize("name", sorted(CARDS))
def test_training_card_is_valid_and_small(name: str) -> None:
    card = CARDS[name]
    assert [error.message[:200] for error in VALIDATOR.iter_errors(card)] == []
    assert len(json.dumps(card, ensure_ascii=False).encode("utf-8")) < MAX_CARD_BYTES


def test_a_proof_link_with_brackets_stays_one_link() -> None:
    text = json.dumps(CARDS["mine-da"], ensure_ascii=False)
    assert "(https://kurser.uni.dk/bevis/%28123%29)" in text


def test_the_approval_card_carries_the_training_line() -> None:
    assert "oplæring, 02.01.2026" in json.dumps(
        CARDS["lone-work-approval-match-da"], ensure_ascii=False
    )
    assert "nothing recorded for Maja Kemiker in" in json.dumps(CARDS["lone-work-approval-none-en"])


def test_the_approver_line_names_the_match_or_says_none_is_recorded() -> None:
    match = _records(2)[1]
    found = lone_work_line(Lang.DA, TrainingCheck(match), requester="Emil", unit="Kemi")
    assert "oplæring, 02.01.2026" in found.text and found.color == "Good"
    none = lone_work_line(Lang.EN, TrainingCheck(None), requester="Emil", unit="Kemi")
    assert "nothing recorded for Emil in Kemi" in none.text and none.color == "Attention"
