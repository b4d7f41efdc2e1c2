"""The AMO's cards (its form, the overview's reasoning and the review card) are valid Adaptive
Card 1.5, small enough for Teams, and show what the reader needs."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date

import pytest

from cards.amo import form_card, form_values, review_card
from cards.common import Card
from cards.documentation import overview_card
from domain.amo import AMO_DUTY, GROUPS_MAX, REASONING_MAX, AmoRecord
from domain.documentation import standing
from domain.i18n import Lang
from domain.org import Role
from storage.documentation import duties
from tests.cards.test_cards import MAX_CARD_BYTES, VALIDATOR
from tests.cards.test_documentation_cards import KEMI, TODAY, _standings

PEOPLE = {
    Role.LEADER: ["Lise Leder", "Frederikke Andersen-Christiansen"],
    Role.AMK: ["Per Koordinator"],
    Role.AMR: [],
}
RECORD = AmoRecord(
    id=7,
    unit_id=KEMI.id,
    recorded_on=date(2026, 3, 2),
    recorded_by="Lise Leder",
    groups=("Laboratorierne", "Kontorerne og værkstedet"),
    reasoning="To grupper, fordi laboratorierne og kontorerne har forskellige risici. " * 4,
    members=frozenset({(1, Role.LEADER), (2, Role.AMK), (3, Role.AMR)}),
)
LONGEST = AmoRecord(
    **{
        **RECORD.model_dump(),
        "groups": tuple(f"Arbejdsmiljøgruppe nummer {n} i bygning {n}" for n in range(GROUPS_MAX)),
        "reasoning": "Begrundelse " * (REASONING_MAX // 12),
    }
)


def _overview(lang: Lang, record: AmoRecord, *, review: bool) -> Card:
    duty = duties().get(AMO_DUTY)
    assert duty is not None
    items = [item for item in _standings() if item.duty.key != AMO_DUTY]
    items.insert(0, standing(duty, record.recorded_on, TODAY, review=review))
    return overview_card(
        lang,
        KEMI,
        items,
        may_record=True,
        university_wide=False,
        amo={Role.LEADER: 2, Role.AMR: 1},
        amo_record=record,
    )


def every_card() -> Iterator[tuple[str, Card]]:
    for lang in Lang:
        yield f"form-{lang}", form_card(lang, KEMI, PEOPLE)
        yield f"form-filled-{lang}", form_card(lang, KEMI, PEOPLE, values=form_values(RECORD))
        yield (
            f"form-errors-{lang}",
            form_card(
                lang,
                KEMI,
                PEOPLE,
                values={"groups": "", "reasoning": "", "proof": "www.x.dk"},
                errors={
                    "groups": "Skriv mindst én gruppe (højst 20 grupper og 100 tegn pr. navn).",
                    "reasoning": "Skriv begrundelsen (højst 2000 tegn).",
                    "proof": "Linket skal begynde med https://.",
                },
            ),
        )
        yield f"overview-review-{lang}", _overview(lang, RECORD, review=True)
        yield f"overview-longest-{lang}", _overview(lang, LONGEST, review=False)
        yield f"review-{lang}", review_card(lang, KEMI, RECORD, gone=1, new=2)


CARDS = dict(every_card())


@pytest.mark.parametrize("name", sorted(CARDS))
def test_amo_card_is_valid_and_small(name: str) -> None:
    card = CARDS[name]
    assert [error.message[:200] for error in VALIDATOR.iter_errors(card)] == []
    assert len(json.dumps(card, ensure_ascii=False).encode("utf-8")) < MAX_CARD_BYTES


def test_the_form_shows_the_members_by_role_and_who_is_missing() -> None:
    shown = json.dumps(CARDS["form-da"], ensure_ascii=False)
    assert "**Ledere:** Lise Leder, Frederikke Andersen-Christiansen" in shown
    assert "**Arbejdsmiljørepræsentanter (AMR):** ingen" in shown
    filled = json.dumps(CARDS["form-filled-da"], ensure_ascii=False)
    assert "Laboratorierne\\nKontorerne og værkstedet" in filled


def test_the_overview_shows_review_needed_and_the_latest_reasoning() -> None:
    shown = json.dumps(CARDS["overview-review-da"], ensure_ascii=False)
    assert "Skal gennemgås" in shown and "ændret væsentligt" in shown
    assert "Grupper (2): Laboratorierne, Kontorerne og værkstedet" in shown
    assert "Registreret 02.03.2026 af Lise Leder med 3 medlemmer." in shown
    assert '"documentation.amo.form"' in shown
