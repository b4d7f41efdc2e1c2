"""The card a unit's AMK gets when an owner of open tasks was deleted in Entra ID."""

from __future__ import annotations

from datetime import date

from cards.common import Card
from cards.org_sync import orphaned_items_card, sync_failed_card
from domain.i18n import Lang
from domain.org_sync import OpenItem

ITEMS = [
    OpenItem(
        "wellbeing",
        7,
        1,
        "Kemi",
        4,
        "aad-4",
        None,
        "Bent Borte",
        "Nye stole i laboratoriet",
        date(2026, 12, 18),
    ),
    OpenItem(
        "near_miss",
        3,
        1,
        "Kemi",
        4,
        "aad-4",
        None,
        "Bent Borte",
        "NM-2026-0042: Skilt ved døren",
        date(2027, 1, 5),
    ),
]

CARDS: dict[str, Card] = {
    f"orphaned.{lang.value}": orphaned_items_card(lang, ITEMS) for lang in (Lang.DA, Lang.EN)
} | {
    f"failed-{reason}.{lang.value}": sync_failed_card(lang, reason, 2)
    for lang in (Lang.DA, Lang.EN)
    for reason in ("problems", "mapping", "graph")
}


def test_the_card_lists_each_task_with_its_former_owner_and_due_day() -> None:
    text = str(CARDS["orphaned.da"])
    assert "Opgaver uden ansvarlig: Kemi" in text
    assert "Nye stole i laboratoriet" in text and "NM-2026-0042" in text
    assert "Bent Borte" in text and "18.12.2026" in text
    assert "Intet er slettet" in text
    english = str(CARDS["orphaned.en"])
    assert "Tasks without an owner: Kemi" in english and "Nothing has been deleted" in english
