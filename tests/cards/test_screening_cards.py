"""The sister-screening cards are valid Adaptive Card 1.5 and small enough for Teams; the
asked unit's card has its buttons while the request is open, and its status after."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date

import pytest

from cards.common import Card, notice_card
from cards.documentation import overview_card
from cards.screening import answer_card, ask_card
from cards.screening_records import check_card, record_card, saved_card
from domain.i18n import Lang, t
from domain.org import SEED_UNITS, UnitRef
from domain.screening import (
    HeldView,
    ScreeningKind,
    ScreeningState,
    ScreeningStatus,
    ScreeningView,
)
from domain.wellbeing_privacy import Flag
from tests.cards.test_cards import MAX_CARD_BYTES, VALIDATOR
from tests.cards.test_documentation_cards import _standings

KEMI = UnitRef(id=1, name="Kemi")


def _view(status: ScreeningStatus, n: int = 0) -> ScreeningView:
    return ScreeningView(
        id=3 + n,
        unit_id=1 if n % 2 == 0 else 2 + n,
        unit="Kemi" if n % 2 == 0 else "Institut for Bioteknologi og Biomedicin",
        partner_id=2 + n if n % 2 == 0 else 1,
        partner="Institut for Fysik og Nanoteknologi" if n % 2 == 0 else "Kemi",
        status=status,
        requested_on=date(2026, 11, 20),
        planned_on=date(2027, 2, 3) if status is ScreeningStatus.ACCEPTED else None,
    )


def _held(n: int) -> HeldView:
    """Screenings of Kemi (planned and held, of each kind) and one Kemi took part in."""
    kind = list(ScreeningKind)[n % 3]
    sister = kind is ScreeningKind.SISTER
    return HeldView(
        id=20 + n,
        unit_id=1 if n < 3 else 7,
        unit="Kemi" if n < 3 else "Institut for Bioteknologi og Biomedicin",
        kind=kind,
        state=ScreeningState.PLANNED if n == 0 else ScreeningState.HELD,
        day=date(2026, 11, 2 + n),
        partner_id=(7 if n < 3 else 1) if sister else None,
        partner=("Institut for Bioteknologi og Biomedicin" if n < 3 else "Kemi")
        if sister
        else None,
        findings=n,
    )


FINDINGS = {
    "kind": "sister",
    "state": "held",
    "day": "2026-12-01",
    "proof": "http://ikke-sikker",
    "problem_1": "Løse kabler på gulvet i laboratorium 2",
    "action_2": "En handling uden problem",
}


def every_card() -> Iterator[tuple[str, Card]]:
    units = [UnitRef(id=n, name=name) for n, name in enumerate(SEED_UNITS, start=1)]
    views = [_view(list(ScreeningStatus)[n % 3], n) for n in range(6)]
    accepted = [_view(ScreeningStatus.ACCEPTED, n) for n in range(2)]
    held = [_held(n) for n in range(4)]
    batch = "0" * 32
    for lang in Lang:
        yield f"record-{lang}", record_card(lang, KEMI, [], batch=batch)
        yield (
            f"record-errors-{lang}",
            record_card(
                lang,
                KEMI,
                accepted,
                batch=batch,
                screening_id=20,
                values=FINDINGS,
                errors={
                    "request_id": t(lang, "screening.error.request"),
                    "proof": t(lang, "documentation.error.proof"),
                    "problem_2": t(lang, "wellbeing.error.item_problem"),
                },
            ),
        )
        yield (
            f"record-no-request-error-{lang}",
            record_card(
                lang,
                KEMI,
                [],
                batch=batch,
                values={"kind": "sister"},
                errors={"request_id": t(lang, "screening.error.request")},
            ),
        )
        yield (
            f"record-check-{lang}",
            check_card(
                lang,
                KEMI,
                [Flag("problem_1", "name", "Hanne Jensen"), Flag("action_3", "email", "bo@uni.dk")],
                batch=batch,
                screening_id=20,
                values=FINDINGS,
            ),
        )
        for view in held[:3]:
            yield (
                f"saved-{view.kind}-{view.state}-{lang}",
                saved_card(lang, KEMI, view, today=date(2026, 11, 1)),
            )
        yield (
            f"reminder-{lang}",
            answer_card(
                lang,
                _view(ScreeningStatus.REQUESTED),
                notice=t(lang, "screening.reminder.notice", days=7),
            ),
        )
        yield (
            f"unanswered-{lang}",
            notice_card(
                t(lang, "screening.answer.title"),
                t(lang, "screening.unanswered", partner="Fysik", day="20.11.2026"),
            ),
        )
        yield (
            f"overview-with-held-screenings-{lang}",
            overview_card(
                lang,
                KEMI,
                _standings(),
                may_record=True,
                university_wide=False,
                screenings=views[:2],
                held=held,
            ),
        )
        yield f"ask-{lang}", ask_card(lang, units[0], units, error="Vælg en anden enhed.")
        yield f"answer-{lang}", answer_card(lang, _view(ScreeningStatus.REQUESTED))
        yield (
            f"answer-errors-{lang}",
            answer_card(
                lang,
                _view(ScreeningStatus.REQUESTED),
                values={"planned_on": "2026-01-01"},
                errors={"planned_on": "Datoen kan ikke ligge i fortiden."},
            ),
        )
        yield (
            f"answered-{lang}",
            answer_card(lang, _view(ScreeningStatus.ACCEPTED), notice="Allerede besvaret."),
        )
        yield (
            f"overview-with-screenings-{lang}",
            overview_card(
                lang,
                KEMI,
                _standings(),
                may_record=True,
                university_wide=False,
                training=(3, 2),
                screenings=views,
            ),
        )


CARDS = dict(every_card())


@pytest.mark.parametrize("name", sorted(CARDS))
def test_screening_card_is_valid_and_small(name: str) -> None:
    card = CARDS[name]
    assert [error.message[:200] for error in VALIDATOR.iter_errors(card)] == []
    assert len(json.dumps(card, ensure_ascii=False).encode("utf-8")) < MAX_CARD_BYTES


def test_the_open_request_has_the_answers_and_the_answered_one_its_status() -> None:
    open_card = json.dumps(CARDS["answer-da"], ensure_ascii=False)
    assert '"screening.accept"' in open_card and '"screening.decline"' in open_card
    answered = json.dumps(CARDS["answered-da"], ensure_ascii=False)
    assert '"screening.accept"' not in answered and "aftalt til 03.02.2027" in answered
