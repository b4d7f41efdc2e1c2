"""Cards about files sent into the chat: the precursor import's problems and summary."""

from __future__ import annotations

from cards.common import Card
from cards.org_import import org_problems_card, org_summary_card
from cards.precursor_import import CONFIRM, problems_card, summary_card
from domain.i18n import Lang
from tests.support.card_nodes import walk

PROBLEMS = [
    f"række {row}: «Sukker» står ikke på listen over narkotikaprækursorer" for row in range(2, 60)
]


def _cards() -> dict[str, Card]:
    cards: dict[str, Card] = {}
    for lang in Lang:
        cards[f"import_problems_{lang}"] = problems_card(lang, "kemi-2026.xlsx", PROBLEMS)
        cards[f"import_problems_few_{lang}"] = problems_card(
            lang, "kemi.xlsx", PROBLEMS[:2], lead="Noget er ændret, siden arket blev tjekket"
        )
        cards[f"import_summary_{lang}"] = summary_card(
            lang,
            "prækursorer-kemi-og-fysik-2026.xlsx",
            entries=412,
            units=["Kemi", "Fysik", "Institut for Molekylærbiologi og Genetik"],
            holdings=7,
            submission_key="k" * 32,
        )
        cards[f"org_summary_{lang}"] = org_summary_card(
            lang,
            "organisation-2026-12.yaml",
            units_created=["Institut for Molekylærbiologi og Genetik", "Kemi", "Fysik"],
            roles_added=214,
            roles_removed=12,
            submission_key="k" * 32,
        )
        cards[f"org_problems_{lang}"] = org_problems_card(
            lang, "org.yml", ["units.0.boss: Extra inputs are not permitted"]
        )
    return cards


CARDS = _cards()


def test_the_problem_list_shows_the_first_rows_and_counts_the_rest() -> None:
    texts = [node.get("text", "") for node in walk(CARDS["import_problems_da"])]
    assert sum("«Sukker»" in text for text in texts) == 40
    assert "… og 18 fejl mere." in texts
    assert "58 fejl – intet er gemt. Ret regnearket, og prøv igen." in texts


def test_the_summary_confirms_with_the_cards_key() -> None:
    buttons = [
        node for node in walk(CARDS["import_summary_en"]) if node.get("type") == "Action.Submit"
    ]
    assert [button["title"] for button in buttons] == ["Import", "Cancel"]
    assert buttons[0]["data"] == {"action": CONFIRM, "submission_key": "k" * 32}
