"""Every precursor card is valid Adaptive Card 1.5, under 28 KB, in Danish and English."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from cards.common import Card
from cards.precursor_forms import entry_form, search_card
from cards.precursor_ledger import MAX_LEDGER_ROWS, ledger_card
from cards.precursors import (
    home_card,
    overview_card,
    reminder_card,
    unit_picker,
    unit_status_card,
    warning_text,
    when_text,
)
from domain.i18n import Lang
from domain.org import SEED_UNITS, UnitRef
from domain.precursor_ledger import (
    FORM_KINDS,
    EntryKind,
    EntryView,
    HoldingView,
    PrecursorWarning,
    WarningKind,
)
from domain.precursor_registrations import RegistrationStatus, RegistrationView, UnitHome
from domain.precursors import Category, ReportUnit, SubstanceInfo
from storage.precursor_catalogue import newest_catalogue
from tests.cards.test_cards import MAX_CARD_BYTES, VALIDATOR
from tests.support.card_nodes import walk

LONG = "Methyl 3-(1,3-benzodioxol-5-yl)-2-methyloxirane-2-carboxylate (PMK methyl glycidate)"


def substance(
    n: int, category: Category = Category.CAT1, unit: ReportUnit = ReportUnit.KG
) -> SubstanceInfo:
    return SubstanceInfo(
        id=n,
        key=f"s{n}",
        name_en=f"{LONG} {n}",
        name_da=f"{LONG} {n} (dansk)",
        category=category,
        cas="13605-48-6",
        cn="2932 99 00",
        report_unit=unit,
        density=Decimal("1.08") if n % 2 else None,
        threshold=Decimal(100) if category is Category.CAT2A else None,
        verified=bool(n % 3),
    )


ACETIC = substance(1, Category.CAT2A, ReportUnit.L)
HOLDINGS = [
    HoldingView(
        id=n,
        substance=substance(n, list(Category)[n % 4]),
        storage_location="Bygning 207, rum 112, giftskab 2 – øverste hylde " * 3,
        note="37 % opløsning",
        stock_micro=123_456_789 * n,
    )
    for n in range(1, 41)
]
WARNINGS = [
    PrecursorWarning(WarningKind.LICENCE_MISSING, "s2"),
    PrecursorWarning(WarningKind.THRESHOLD_NEAR, "s1", 85_000_000, 100_000_000, "L"),
    PrecursorWarning(WarningKind.THRESHOLD_EXCEEDED, "s1", 120_000_000, 100_000_000, "L"),
]


def registration(
    status: RegistrationStatus, unit: str = "Kemiteknik", n: int = 1
) -> RegistrationView:
    return RegistrationView(
        unit_id=n,
        unit=unit,
        year=2026,
        status=status,
        contact="Karin Kemi-Kristensen" if status is not RegistrationStatus.MISSING else None,
        registered_by="Karin Kemi-Kristensen",
        registered_at=datetime(2026, 5, 2, 9, tzinfo=UTC)
        if status is not RegistrationStatus.MISSING
        else None,
        substances=40,
    )


def home(status: RegistrationStatus, holdings: list[HoldingView], days_left: int = 26) -> UnitHome:
    return UnitHome(
        unit_id=1,
        unit="Kemiteknik",
        registration=registration(status),
        deadline=date(2026, 6, 15),
        days_left=days_left,
        holdings=holdings,
        warnings=WARNINGS,
        contacts=["Karin Kemi-Kristensen", "Per Persen"],
    )


def entries(count: int) -> list[EntryView]:
    kinds = list(EntryKind)
    return [
        EntryView(
            id=1000 + n,
            kind=kinds[n % len(kinds)],
            entry_date=date(2026, 1 + n % 12, 1 + n % 28),
            quantity_micro=2_500_000 + n,
            report_unit=ReportUnit.L,
            entered="2500 mL",
            counterparty="Sigma-Aldrich Danmark A/S, Kirkebjerg Allé 84, 2605 Brøndby",
            declaration_ref="KE-2026-0004",
            document_ref="F-88123",
            purpose="Acetylering i projekt X " * 4,
            reason="Tastefejl: 250 mL, ikke 2500 mL"
            if kinds[n % len(kinds)] is EntryKind.REVERSAL
            else None,
            reverses_id=999 if kinds[n % len(kinds)] is EntryKind.REVERSAL else None,
            reverses_kind=EntryKind.PURCHASE
            if kinds[n % len(kinds)] is EntryKind.REVERSAL
            else None,
            reversed=n % 5 == 0,
            created_by="Karin Kemi-Kristensen",
            created_at=datetime(2026, 5, 2, 9, tzinfo=UTC),
        )
        for n in range(count)
    ]


def every_card() -> Iterator[tuple[str, Card]]:
    units = [UnitRef(id=n, name=name) for n, name in enumerate(SEED_UNITS, start=1)]
    rows = [
        registration(list(RegistrationStatus)[n % 3], name, n) for n, name in enumerate(SEED_UNITS)
    ]
    for lang in Lang:
        texts = [warning_text(lang, w, ACETIC) for w in WARNINGS]
        yield f"picker-{lang}", unit_picker(lang, units[:8])
        for status in RegistrationStatus:
            yield (
                f"home-{status}-{lang}",
                home_card(
                    lang,
                    home(status, HOLDINGS),
                    warnings=texts,
                    message="Køb er registreret " * 10,
                    error="Fejl " * 20,
                    can_switch=True,
                    secretariat=True,
                ),
            )
        yield f"home-empty-late-{lang}", home_card(lang, home(RegistrationStatus.MISSING, [], -3))
        yield (
            f"search-{lang}",
            search_card(
                lang,
                "Kemiteknik",
                "ephedrin",
                [substance(n) for n in range(8)],
                values={"storage_location": "Skab 2"},
                errors={"storage_location": "x", "substance_id": "y", "note": "z"},
            ),
        )
        yield f"search-none-{lang}", search_card(lang, "Kemiteknik", "chloroform", [])
        yield f"search-short-{lang}", search_card(lang, "Kemiteknik", "e", [])
        for kind in FORM_KINDS:
            for holding in HOLDINGS[:2]:
                yield (
                    f"entry-{kind}-{holding.id}-{lang}",
                    entry_form(
                        lang,
                        "Kemiteknik",
                        kind,
                        holding,
                        today=date(2026, 5, 20),
                        values={"quantity": "2,5", "unit": "mL", "counterparty": "VWR"},
                        errors={
                            name: "Fejl i feltet. " * 5
                            for name in (
                                "kind",
                                "entry_date",
                                "quantity",
                                "unit",
                                "counterparty",
                                "declaration_ref",
                                "document_ref",
                                "purpose",
                            )
                        },
                    ),
                )
        many = entries(60)
        yield (
            f"ledger-{lang}",
            ledger_card(
                lang,
                "Kemiteknik",
                HOLDINGS[0],
                many,
                total=60,
                reversible=[e for e in many if not e.reversed and e.kind is not EntryKind.REVERSAL],
                notice="Postering nr. 1001 er tilbageført.",
                error="Skriv en begrundelse",
                values={"entry_id": "1001", "reason": "x"},
            ),
        )
        empty = HoldingView(
            id=3, substance=ACETIC, storage_location="Skab", note=None, stock_micro=0
        )
        yield (
            f"ledger-empty-{lang}",
            ledger_card(lang, "Kemiteknik", empty, [], total=0, reversible=[]),
        )
        yield (
            f"overview-{lang}",
            overview_card(
                lang,
                year=2026,
                deadline=date(2026, 6, 15),
                days_left=7,
                rows=rows,
                licence_recorded=False,
                notice="x",
            ),
        )
        yield (
            f"overview-done-{lang}",
            overview_card(
                lang,
                year=2025,
                deadline=date(2025, 6, 15),
                days_left=-200,
                rows=[registration(RegistrationStatus.NONE)],
                licence_recorded=True,
            ),
        )
        yield (
            f"status-{lang}",
            unit_status_card(lang, home(RegistrationStatus.SUBSTANCES, HOLDINGS), warnings=texts),
        )
        for days in (30, 7, 1, 0):
            yield (
                f"reminder-{days}-{lang}",
                reminder_card(
                    lang,
                    unit="Engineering Technology",
                    year=2026,
                    deadline=date(2026, 6, 15),
                    days_left=days,
                ),
            )


CARDS = dict(every_card())


@pytest.mark.parametrize("name", sorted(CARDS))
def test_card_is_valid_adaptive_card_1_5(name: str) -> None:
    errors = [error.message[:200] for error in VALIDATOR.iter_errors(CARDS[name])]
    assert errors == []


@pytest.mark.parametrize("name", sorted(CARDS))
def test_card_is_under_28_kb(name: str) -> None:
    size = len(json.dumps(CARDS[name], ensure_ascii=False).encode("utf-8"))
    assert size < MAX_CARD_BYTES, size


@pytest.mark.parametrize("name", sorted(CARDS))
def test_actions_carry_an_action_name_and_execute_has_a_fallback(name: str) -> None:
    for node in walk(CARDS[name]):
        if node.get("type") == "Action.Execute":
            assert node["verb"].startswith("precursors.")
            assert node["fallback"]["data"]["action"] == node["verb"]
        if node.get("type") == "Action.Submit":
            assert isinstance(node["data"]["action"], str)


def _strings(card: Card) -> str:
    return json.dumps(card, ensure_ascii=False)


def test_the_languages_really_differ() -> None:
    assert "Enhedens stoffer" in _strings(CARDS["home-missing-da"])
    assert "The unit's substances" in _strings(CARDS["home-missing-en"])
    assert "Indberet nu" in _strings(CARDS["reminder-7-da"])
    assert "om 7 dage" in _strings(CARDS["reminder-7-da"])
    assert "in 7 days" in _strings(CARDS["reminder-7-en"])
    assert "Fristen var 15. juni 2026" in _strings(CARDS["home-empty-late-da"])


def test_back_buttons_do_not_need_the_required_inputs() -> None:
    for name, card in CARDS.items():
        for node in walk(card):
            data = node.get("data")
            if (
                node.get("type") == "Action.Submit"
                and isinstance(data, dict)
                and data.get("action")
                in (
                    "precursors.back",
                    "precursors.cancel",
                )
            ):
                assert node.get("associatedInputs") == "none", name


def test_the_entry_form_asks_for_what_each_kind_needs() -> None:
    def ids(card: Card) -> set[str]:
        return {node["id"] for node in walk(card) if node.get("type", "").startswith("Input.")}

    assert ids(CARDS["entry-purchase-1-da"]) == {
        "entry_date",
        "quantity",
        "unit",
        "counterparty",
        "declaration_ref",
        "document_ref",
    }
    assert ids(CARDS["entry-consumption-1-da"]) == {"entry_date", "quantity", "unit", "purpose"}
    assert ids(CARDS["entry-count-1-da"]) == {"entry_date", "quantity", "unit"}
    assert ids(CARDS["entry-transfer-1-da"]) == {
        "entry_date",
        "quantity",
        "unit",
        "counterparty",
        "purpose",
    }
    declaration = next(
        node for node in walk(CARDS["entry-purchase-2-da"]) if node.get("id") == "declaration_ref"
    )
    assert declaration["isRequired"] is True  # holding 2 is category 2B
    units = next(node for node in walk(CARDS["entry-purchase-2-da"]) if node.get("id") == "unit")
    assert [c["value"] for c in units["choices"]] == ["g", "kg"]  # no density: mass only
    units = next(node for node in walk(CARDS["entry-purchase-1-da"]) if node.get("id") == "unit")
    assert [c["value"] for c in units["choices"]] == ["g", "kg", "mL", "L"]


@pytest.mark.parametrize(("report_unit", "first"), [(ReportUnit.L, "L"), (ReportUnit.KG, "kg")])
def test_a_quantity_is_asked_in_the_substance_s_reporting_unit_first(
    report_unit: ReportUnit, first: str
) -> None:
    holding = HoldingView(
        id=1,
        substance=substance(1, Category.CAT2A, report_unit),
        storage_location="Skab 2",
        note=None,
        stock_micro=0,
    )
    card = entry_form(Lang.DA, "Kemi", EntryKind.PURCHASE, holding, today=date(2026, 5, 19))
    units = next(node for node in walk(card) if node.get("id") == "unit")
    assert units["value"] == first


def test_ledger_shows_at_most_the_newest_rows() -> None:
    text = _strings(CARDS["ledger-da"])
    assert text.count("registreret af") == MAX_LEDGER_ROWS
    assert "Viser de 15 nyeste af 60 posteringer" in text


@pytest.mark.parametrize(
    ("days", "da", "en"),
    [
        (0, "i dag", "today"),
        (1, "i morgen", "tomorrow"),
        (9, "om 9 dage", "in 9 days"),
        (-1, "i går", "yesterday"),
        (-4, "for 4 dage siden", "4 days ago"),
    ],
)
def test_when_text(days: int, da: str, en: str) -> None:
    assert when_text(Lang.DA, days) == da and when_text(Lang.EN, days) == en


def test_warnings_read_well() -> None:
    near = warning_text(Lang.DA, WARNINGS[1], ACETIC)
    assert "har i år købt 85 L methyl" in near and "Over 100 L om året" in near
    over = warning_text(Lang.EN, WARNINGS[2], ACETIC)
    assert "more than 100 L" in over


def test_a_unit_holding_every_substance_of_the_catalogue_still_fits() -> None:
    catalogue, _ = newest_catalogue()
    holdings = [
        HoldingView(
            id=n,
            substance=SubstanceInfo(
                id=n,
                key=item.key,
                name_en=item.name_en,
                name_da=item.name_da,
                category=item.category,
                cas=item.cas,
                cn=item.cn,
                report_unit=item.report_unit,
            ),
            storage_location="Bygning 207, rum 112, giftskab 2, øverste hylde til venstre",
            note=None,
            stock_micro=1_234_567_891,
        )
        for n, item in enumerate(catalogue.substances, start=1)
    ]
    for lang in Lang:
        card = home_card(
            lang,
            home(RegistrationStatus.SUBSTANCES, holdings),
            warnings=[warning_text(lang, w, ACETIC) for w in WARNINGS],
            can_switch=True,
            secretariat=True,
        )
        assert not list(VALIDATOR.iter_errors(card))
        assert len(json.dumps(card, ensure_ascii=False).encode("utf-8")) < MAX_CARD_BYTES


def test_the_unit_page_lists_ten_substances_and_shows_the_rest_on_request() -> None:
    card = CARDS["home-substances-da"]
    fact_sets = [node for node in walk(card) if node.get("type") == "FactSet"]
    assert [len(facts["facts"]) for facts in fact_sets] == [10, len(HOLDINGS) - 10]
    (more,) = [node for node in walk(card) if node.get("type") == "Action.ShowCard"]
    assert more["title"] == f"Vis de {len(HOLDINGS) - 10} andre stoffer"
    assert more["card"]["body"] == [fact_sets[1]]
