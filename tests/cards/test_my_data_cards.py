"""The card of a person's own data: counts, the newest records, and "Show everything"."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from cards.common import Card
from cards.my_data import RECENT, my_data_card
from domain.i18n import Lang
from domain.my_data import MyData, Record, Register, RoleHeld
from tests.support.card_nodes import walk

AT = datetime(2026, 11, 25, 9, tzinfo=UTC)


def _data(near_misses: int = 2) -> MyData:
    return MyData(
        person_id=7,
        name="Maja Kemiker",
        email="maja@uni.dk",
        entra_id="0b1d2c3e-0000-4000-8000-00000000000b",
        language="da",
        known_since=AT - timedelta(days=400),
        roles=[RoleHeld("amk", "Kemiteknik"), RoleHeld("secretariat", None)],
        records={
            Register.LONE_WORK: [
                Record("AL-2026-0012", AT, "Kemiteknik", status="lone_work.status.approved")
            ],
            Register.NEAR_MISS: [
                Record(
                    f"NM-2026-{n:04d}",
                    AT - timedelta(days=n),
                    "Kemiteknik",
                    status="near_miss.status.closed",
                )
                for n in range(1, near_misses + 1)
            ],
            Register.WORK_ACCIDENTS: [
                Record("AU-2026-0003", AT, "Kemiteknik", part="my_data.part.injured")
            ],
            Register.PRECURSORS: [
                Record("2026", AT, "Kemiteknik", status="my_data.precursors.substances")
            ],
        },
        audit_as_actor=42,
        audit_about=3,
    )


def _text(card: Card) -> str:
    return " ".join(str(node.get("text") or node.get("value") or "") for node in walk(card))


CARDS: dict[str, Card] = {
    "card.da": my_data_card(Lang.DA, _data()),
    "card-long.en": my_data_card(Lang.EN, _data(near_misses=30)),
    "card-everything.da": my_data_card(Lang.DA, _data(near_misses=30), everything=True),
}


def test_the_card_shows_the_person_and_each_registers_count() -> None:
    text = _text(CARDS["card.da"])
    for shown in (
        "Maja Kemiker",
        "maja@uni.dk",
        "arbejdsmiljøkoordinator (AMK) i Kemiteknik",
        "Nærved-hændelser, du har meldt med navn (2)",
        "AU-2026-0003",
        "du kom til skade",
        "42 hændelser",
    ):
        assert shown in text, shown
    assert "Vis det hele" not in str(CARDS["card.da"])


def test_a_long_register_shows_the_newest_and_offers_everything() -> None:
    text = _text(CARDS["card-long.en"])
    assert "NM-2026-0001" in text and f"NM-2026-{RECENT + 1:04d}" not in text
    assert "… and 27 more" in text and "Show everything" in str(CARDS["card-long.en"])
    everything = _text(CARDS["card-everything.da"])
    assert "NM-2026-0025" in everything and "… og 5 mere" in everything
    assert "Vis det hele" not in str(CARDS["card-everything.da"])
