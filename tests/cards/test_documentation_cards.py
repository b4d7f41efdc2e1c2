"""The documentation overview's cards are valid Adaptive Card 1.5, small enough for Teams,
and show what a reader needs: status, dates, the proof and the buttons their role allows."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from datetime import date

import pytest

from cards.common import Card
from cards.documentation import (
    UnitSummary,
    all_units_card,
    overview_card,
    pick_card,
    record_card,
    reminder_card,
)
from domain.documentation import Standing, Status, standing, worst_first
from domain.i18n import Lang, t
from domain.org import SEED_UNITS, UnitRef
from domain.proofs import RecordProof
from storage.documentation import duties
from tests.cards.test_cards import MAX_CARD_BYTES, VALIDATOR

TODAY = date(2026, 12, 7)
KEMI = UnitRef(id=1, name="Kemi")
PROOF = "https://safetynet.example.dk/apv/kemi"


def _standings() -> list[Standing]:
    catalogue = duties()
    days = [date(2023, 1, 10), None, date(2024, 11, 1), date(2026, 1, 5), date(2020, 5, 5)]
    items = [
        standing(duty, day, TODAY, proof=PROOF if day else None)
        for duty, day in zip(catalogue.duties, days, strict=False)
    ]
    risk = catalogue.get("special_risk_assessment")
    assert risk is not None
    items += [
        standing(risk, date(2025, 6, 1), TODAY, subject=f"Stof nummer {n} i laboratorium {n}")
        for n in range(12)
    ]
    return worst_first(items)


def every_card() -> Iterator[tuple[str, Card]]:
    units = [UnitRef(id=n, name=name) for n, name in enumerate(SEED_UNITS, start=1)]
    apv, risk = duties().get("apv_physical"), duties().get("special_risk_assessment")
    assert apv is not None and risk is not None
    for lang in Lang:
        for may_record in (True, False):
            yield (
                f"overview-{'leader' if may_record else 'employee'}-{lang}",
                overview_card(
                    lang, KEMI, _standings(), may_record=may_record, university_wide=not may_record
                ),
            )
        yield (
            f"overview-saved-with-proofs-{lang}",
            overview_card(
                lang,
                KEMI,
                _standings(),
                may_record=True,
                university_wide=False,
                notice="Gemt: Fysisk APV (10.01.2023).",
                hint=t(lang, "proofs.how.saved", ref="D-1234"),
                proofs={
                    (item.duty.key, item.subject): RecordProof(f"D-{n}", n if n % 2 else None)
                    for n, item in enumerate(_standings(), start=1000)
                    if item.last_met is not None
                },
            ),
        )
        yield f"record-{lang}", record_card(lang, KEMI, apv, today=TODAY)
        yield (
            f"record-errors-{lang}",
            record_card(
                lang,
                KEMI,
                risk,
                today=TODAY,
                values={"met_on": "2027-01-01", "proof": "www.x.dk", "subject": ""},
                errors={"met_on": "Fremtid", "proof": "https", "subject": "Skriv"},
            ),
        )
        yield f"pick-{lang}", pick_card(lang, units, error="Vælg en enhed.")
        catalogue_duties = duties().duties
        statuses = list(Status)
        summaries = [
            UnitSummary(
                unit=unit,
                worst=Status.OVERDUE,
                counts=Counter({Status.OVERDUE: 2}),
                statuses=[statuses[(n + i) % len(statuses)] for i in range(len(catalogue_duties))],
            )
            for n, unit in enumerate(units)
        ]
        yield f"all-units-{lang}", all_units_card(lang, summaries, catalogue_duties)
        for item in _standings()[:3]:
            if item.due_on is not None:
                yield (
                    f"reminder-{item.status}-{lang}",
                    reminder_card(lang, KEMI, item, today=TODAY),
                )


CARDS = dict(every_card())


@pytest.mark.parametrize("name", sorted(CARDS))
def test_documentation_card_is_valid_and_small(name: str) -> None:
    card = CARDS[name]
    assert [error.message[:200] for error in VALIDATOR.iter_errors(card)] == []
    assert len(json.dumps(card, ensure_ascii=False).encode("utf-8")) < MAX_CARD_BYTES


def test_only_those_who_may_record_get_the_record_buttons() -> None:
    leader = json.dumps(CARDS["overview-leader-da"])
    employee = json.dumps(CARDS["overview-employee-da"])
    assert '"documentation.form"' in leader and '"documentation.form"' not in employee
    assert PROOF in employee  # everyone may open the proof
    assert '"documentation.all"' in employee  # the secretariat's way back to all units


def test_the_overview_shows_the_most_urgent_first() -> None:
    text = json.dumps(CARDS["overview-leader-da"], ensure_ascii=False)
    assert text.index("Overskredet") < text.index("Ikke registreret") < text.index("Opfyldt")
