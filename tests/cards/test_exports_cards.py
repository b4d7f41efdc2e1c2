"""The export picker, the "Eksporter til Excel" button and the digest's failure card (their
samples are rendered by test_card_rendering.py), the file names and who may export what."""

from __future__ import annotations

from datetime import date

from cards.common import Card, notice_card
from cards.digest import failed_card
from cards.exports import consent_attachment, picker_card, with_export
from domain.exports import ExportKind, ExportRequest, ExportRights, file_name, slug
from domain.i18n import Lang
from domain.org import SEED_UNITS, UnitRef

KEMI = UnitRef(id=7, name="Kemi")
ALL_UNITS = [UnitRef(id=number, name=name) for number, name in enumerate(SEED_UNITS, start=1)]
AMK = ExportRights(amk_of=frozenset({7}))
SECRETARIAT = ExportRights(university_wide=True, secretariat=True)


def _cards() -> dict[str, Card]:
    cards: dict[str, Card] = {}
    for lang in Lang:
        cards[f"picker-amk-{lang.value}"] = picker_card(
            lang, AMK.kinds(), [KEMI], year=2026, all_units=False
        )
        cards[f"picker-secretariat-{lang.value}"] = picker_card(
            lang,
            SECRETARIAT.kinds(),
            ALL_UNITS,
            year=2026,
            all_units=True,
            error="Vælg en enhed." if lang is Lang.DA else "Choose a unit.",
        )
        cards[f"button-{lang.value}"] = with_export(
            notice_card("Alenearbejde – overblik", "**Kemi**: 1 venter, 0 godkendt, 0 afvist"),
            lang,
            ExportKind.LONE_WORK,
            unit_id=7,
            year=2026,
        )
        cards[f"digest-failed-{lang.value}"] = failed_card(
            lang,
            week="2026-W49",
            subscription_id=3,
            channel="AMK-netværket / Generelt",
            attempts=5,
            error="503",
        )
    return cards


CARDS = _cards()


def test_the_button_asks_for_the_register_and_the_bot_checks_it_again() -> None:
    card = CARDS["button-da"]
    (button,) = card["body"][-1]["actions"]
    assert button["title"] == "Eksporter til Excel"
    assert button["data"] == {
        "action": "export.offer",
        "kind": "lone_work",
        "unit_id": 7,
        "year": 2026,
    }
    several = with_export(notice_card("x", "y"), Lang.EN, None)
    assert several["body"][-1]["actions"][0]["data"] == {"action": "export.pick"}


def test_the_consent_card_names_the_file_and_carries_only_what_was_asked() -> None:
    request = ExportRequest(kind=ExportKind.NEAR_MISS, unit_id=7, year=2026)
    card = consent_attachment(Lang.DA, "naerved-kemi-2026.xlsx", 12345, request, "tok")
    assert card["contentType"] == "application/vnd.microsoft.teams.card.file.consent"
    assert card["content"]["sizeInBytes"] == 12345
    assert card["content"]["acceptContext"] == {
        "export": {"kind": "near_miss", "unit_id": 7, "year": 2026},
        "token": "tok",
    }


def test_file_names_are_plain_and_say_what_and_when() -> None:
    today = date(2026, 12, 7)
    near_miss = ExportRequest(kind=ExportKind.NEAR_MISS, year=2026)
    assert file_name(near_miss, None, today) == "naerved-2026.xlsx"
    plan = ExportRequest(kind=ExportKind.ACTION_PLAN, unit_id=7)
    assert file_name(plan, "Kemi", today) == "handlingsplan-kemi-2026-12-07.xlsx"
    accidents = ExportRequest(kind=ExportKind.WORK_ACCIDENTS, unit_id=7, year=2026)
    assert file_name(accidents, "Kemi", today) == "arbejdsulykker-kemi-2026.xlsx"
    everywhere = ExportRequest(kind=ExportKind.WORK_ACCIDENTS, year=2026)
    assert file_name(everywhere, None, today) == "arbejdsulykker-2026.xlsx"
    own = ExportRequest(kind=ExportKind.MY_DATA, unit_id=7, year=2026).normalised(2026)
    assert own.unit_id is None and own.year is None
    assert file_name(own, None, today) == "mine-data-2026-12-07.xlsx"
    assert slug("AØR") == "aor"
    assert slug("Institut for Å & Ø") == "institut-for-aa-o"


def test_who_may_export_what_follows_who_may_read() -> None:
    leader = ExportRights(leader_of=frozenset({7}))
    keeper = ExportRights(keeper_of=frozenset({9}))
    near_miss = ExportRequest(kind=ExportKind.NEAR_MISS, unit_id=7, year=2026)
    assert AMK.may(near_miss) and not leader.may(near_miss)
    assert not AMK.may(near_miss.model_copy(update={"unit_id": 8}))
    assert not AMK.may(ExportRequest(kind=ExportKind.NEAR_MISS, year=2026))
    assert leader.may(ExportRequest(kind=ExportKind.ACTION_PLAN, unit_id=7))
    assert not AMK.may(ExportRequest(kind=ExportKind.PRECURSORS_ALL, year=2026))
    assert keeper.may(ExportRequest(kind=ExportKind.PRECURSORS, unit_id=9, year=2026))
    assert keeper.may(ExportRequest(kind=ExportKind.PRECURSOR_TEMPLATE))
    assert not keeper.may(ExportRequest(kind=ExportKind.LONE_WORK, unit_id=9, year=2026))
    assert SECRETARIAT.may(ExportRequest(kind=ExportKind.PRECURSORS_ALL, year=2026))
    assert ExportRights().kinds() == []


def test_accidents_go_to_the_units_readers_and_the_secretariat_only() -> None:
    """The accident flow's readers: the unit's leaders and AMKs and the secretariat; an
    administrator as such is not one of them; a person's own data is never in the picker."""
    leader = ExportRights(leader_of=frozenset({7}))
    admin = ExportRights(university_wide=True)
    kemi = ExportRequest(kind=ExportKind.WORK_ACCIDENTS, unit_id=7, year=2026)
    every_unit = ExportRequest(kind=ExportKind.WORK_ACCIDENTS, year=2026)
    assert AMK.may(kemi) and leader.may(kemi) and SECRETARIAT.may(every_unit)
    assert not AMK.may(kemi.model_copy(update={"unit_id": 8})) and not AMK.may(every_unit)
    assert not admin.may(kemi) and ExportKind.WORK_ACCIDENTS not in admin.kinds()
    admin_and_amk = ExportRights(university_wide=True, amk_of=frozenset({7}))
    assert admin_and_amk.may(kemi) and not admin_and_amk.may(every_unit)
    assert ExportKind.WORK_ACCIDENTS in admin_and_amk.kinds()
    assert ExportKind.WORK_ACCIDENTS in SECRETARIAT.kinds()
    assert ExportKind.WORK_ACCIDENTS in AMK.kinds() and ExportKind.WORK_ACCIDENTS in leader.kinds()
    assert not ExportRights(keeper_of=frozenset({7})).may(kemi)
    assert all(ExportKind.MY_DATA not in rights.kinds() for rights in (AMK, SECRETARIAT, admin))
    picker = str(CARDS["picker-amk-da"])
    assert "Arbejdsulykker – register og KAMU-statistik" in picker
