"""Precursor rules without a database: catalogue, conversions, balances, reversals, deadline."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from pydantic import ValidationError

from domain.i18n import Lang, catalogue_keys, placeholders, t
from domain.precursor_forms import EntryForm, check_entry
from domain.precursor_ledger import (
    EntryKind,
    LedgerLine,
    ReversalProblem,
    WarningKind,
    balance,
    first_negative_day,
    licence_warning,
    reversal_of,
    reversal_problem,
    threshold_warning,
    year_figures,
)
from domain.precursor_registrations import (
    REMINDER_DAYS,
    days_to_deadline,
    deadline_for,
    parse_deadline,
    reminder_due,
)
from domain.precursors import (
    Catalogue,
    Category,
    ConversionError,
    QuantityUnit,
    ReportUnit,
    SubstanceInfo,
    cas_is_valid,
    format_amount,
    from_micro,
    parse_quantity,
    search,
    to_micro,
    to_report_unit,
)
from storage.precursor_catalogue import SEED_DIR, CatalogueError, newest_catalogue, read_catalogue

ACETIC = SubstanceInfo(
    id=1,
    key="acetic-anhydride",
    name_en="Acetic anhydride",
    name_da="Eddikesyreanhydrid",
    category=Category.CAT2A,
    cas="108-24-7",
    cn="2915 24 00",
    report_unit=ReportUnit.L,
    density=Decimal("1.08"),
    threshold=Decimal("100"),
)
PIPERONAL = SubstanceInfo(
    id=2,
    key="piperonal",
    name_en="Piperonal",
    name_da="Piperonal",
    category=Category.CAT1,
    cas="120-57-0",
    cn="2932 93 00",
    report_unit=ReportUnit.KG,
)
TOLUENE = SubstanceInfo(
    id=3,
    key="toluene",
    name_en="Toluene",
    name_da="Toluen",
    category=Category.CAT3,
    cas="108-88-3",
    cn="2902 30 00",
    report_unit=ReportUnit.L,
    density=Decimal("0.87"),
    synonyms=("methylbenzene", "toluol"),
)
TODAY = date(2026, 5, 20)


def line(
    entry_id: int,
    kind: EntryKind,
    day: date,
    micro: int,
    *,
    reverses: LedgerLine | None = None,
    reversed_: bool = False,
) -> LedgerLine:
    if reverses is not None:
        return LedgerLine(
            entry_id,
            EntryKind.REVERSAL,
            day,
            micro,
            -reverses.delta_micro,
            reverses.id,
            reverses.kind,
            reversed_,
        )
    return LedgerLine(entry_id, kind, day, micro, kind.sign * micro, reversed=reversed_)


# -- the catalogue file ----------------------------------------------------------------------


def test_the_shipped_catalogue_loads_and_covers_every_category() -> None:
    catalogue, sha = newest_catalogue()
    assert len(sha) == 64
    by_category = {category: 0 for category in Category}
    for item in catalogue.substances:
        by_category[item.category] += 1
    assert by_category[Category.CAT1] >= 30
    assert by_category[Category.CAT2A] == 2
    assert by_category[Category.CAT2B] == 4
    assert by_category[Category.CAT3] == 6
    keys = {item.key: item for item in catalogue.substances}
    acetic = keys["acetic-anhydride"]
    assert acetic.report_unit is ReportUnit.L and acetic.threshold == Decimal(100)
    assert acetic.density == Decimal("1.08")
    assert keys["hydrochloric-acid"].salts is False  # cat 3: not salts of HCl
    assert keys["bmk"].verified and keys["bmk"].cas == "103-79-7"


def test_codes_from_memory_are_marked_unverified_with_a_reason() -> None:
    catalogue, _ = newest_catalogue()
    keys = {item.key: item for item in catalogue.substances}
    for key in ("ephedrine", "red-phosphorus", "acetone", "4-piperidone", "imdpam"):
        assert not keys[key].verified, key
        assert keys[key].check
    assert "CATEGORY NOT CONFIRMED" in (keys["4-piperidone"].check or "")
    # every CAS number in the file passes the check digit; the remembered one that fails is out
    assert all(cas_is_valid(item.cas) for item in catalogue.substances if item.cas)
    assert keys["chloroephedrine-1s2r"].cas is None


def test_cas_check_digit() -> None:
    assert cas_is_valid("108-24-7")
    assert cas_is_valid("1609-66-1")
    assert not cas_is_valid("1609-66-5")
    assert not cas_is_valid("108247")


def test_a_catalogue_with_a_bad_cas_or_a_duplicate_is_refused(tmp_path: Path) -> None:
    raw = yaml.safe_load((SEED_DIR / "precursors-2025.yaml").read_text(encoding="utf-8"))
    raw["substances"][0]["cas"] = "103-79-8"
    broken = tmp_path / "precursors-2099.yaml"
    broken.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    with pytest.raises(CatalogueError, match="check digit"):
        read_catalogue(broken)
    raw["substances"][0]["cas"] = "103-79-7"
    raw["substances"].append(dict(raw["substances"][0]))
    broken.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    with pytest.raises(CatalogueError, match="listed twice"):
        read_catalogue(broken)


def test_a_newer_file_wins(tmp_path: Path) -> None:
    raw = yaml.safe_load((SEED_DIR / "precursors-2025.yaml").read_text(encoding="utf-8"))
    (tmp_path / "precursors-2025.yaml").write_text(yaml.safe_dump(raw), encoding="utf-8")
    raw["version"] = "2026.1"
    raw["substances"] = raw["substances"][:3]
    (tmp_path / "precursors-2026.yaml").write_text(yaml.safe_dump(raw), encoding="utf-8")
    catalogue, _ = newest_catalogue(tmp_path)
    assert catalogue.version == "2026.1" and len(catalogue.substances) == 3


def test_unverified_entries_must_say_why() -> None:
    with pytest.raises(ValidationError, match="check"):
        Catalogue.model_validate(
            {
                "version": "2030.1",
                "basis": "a test basis",
                "valid_from": "2030-01-01",
                "substances": [
                    {
                        "key": "x1",
                        "name_en": "Xylol",
                        "name_da": "Xylol",
                        "category": "3",
                        "source": "test",
                        "verified": False,
                    }
                ],
            }
        )


# -- search ----------------------------------------------------------------------------------


def test_search_by_name_synonym_danish_name_and_cas() -> None:
    items = [ACETIC, PIPERONAL, TOLUENE]
    assert search(items, "108-24-7") == [ACETIC]
    assert search(items, "108247") == [ACETIC]
    assert search(items, "eddike") == [ACETIC]
    assert search(items, "TOLUOL") == [TOLUENE]
    assert search(items, "an") == [ACETIC]  # "anhydride"
    assert search(items, "on") == [PIPERONAL]
    assert search(items, "x") == []
    assert search(items, "chloroform") == []


def test_search_in_the_real_catalogue_finds_short_lists() -> None:
    catalogue, _ = newest_catalogue()
    infos = [
        SubstanceInfo(
            id=n,
            key=item.key,
            name_en=item.name_en,
            name_da=item.name_da,
            category=item.category,
            cas=item.cas,
            cn=item.cn,
            report_unit=item.report_unit,
            synonyms=item.synonyms,
        )
        for n, item in enumerate(catalogue.substances)
    ]
    assert [item.key for item in search(infos, "ephedrin")][:2] == ["ephedrine", "norephedrine"]
    assert search(infos, "67-64-1")[0].key == "acetone"
    assert search(infos, "saltsyre")[0].key == "hydrochloric-acid"
    assert len(search(infos, "e")) == 0 and len(search(infos, "ol")) <= 8


# -- quantities ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2,5", Decimal("2.5")),
        ("2.5", Decimal("2.5")),
        ("1.250,5", Decimal("1250.5")),
        ("1,250.5", Decimal("1250.5")),
        (" 250 ", Decimal(250)),
        (3, Decimal(3)),
        (0.1, Decimal("0.1")),
        ("to liter", None),
        ("", None),
        ("NaN", None),
    ],
)
def test_parse_quantity(text: object, expected: Decimal | None) -> None:
    assert parse_quantity(text) == expected


def test_conversions_to_the_reporting_unit() -> None:
    assert to_report_unit(Decimal(250), QuantityUnit.ML, ACETIC) == Decimal("0.25")
    assert to_report_unit(Decimal(2), QuantityUnit.L, ACETIC) == Decimal(2)
    # 1080 g of acetic anhydride at 1.08 g/mL is exactly 1 L
    assert to_report_unit(Decimal(1080), QuantityUnit.G, ACETIC) == Decimal(1)
    assert to_report_unit(Decimal("1.08"), QuantityUnit.KG, ACETIC) == Decimal(1)
    assert to_report_unit(Decimal(500), QuantityUnit.G, PIPERONAL) == Decimal("0.5")
    with pytest.raises(ConversionError):
        to_report_unit(Decimal(100), QuantityUnit.ML, PIPERONAL)
    assert to_micro(Decimal("0.25")) == 250_000
    assert to_micro(Decimal("0.0000005")) == 0  # half to even
    assert to_micro(Decimal("0.0000015")) == 2
    assert from_micro(1_500_000) == Decimal("1.5")


def test_volume_to_mass_uses_the_density() -> None:
    piperidine = SubstanceInfo(
        id=9,
        key="piperidine",
        name_en="Piperidine",
        name_da="Piperidin",
        category=Category.CAT2B,
        cas="110-89-4",
        cn=None,
        report_unit=ReportUnit.KG,
        density=Decimal("0.86"),
    )
    assert to_report_unit(Decimal(100), QuantityUnit.ML, piperidine) == Decimal("0.086")


def test_amounts_are_written_the_local_way() -> None:
    assert format_amount(Lang.DA, Decimal("1250.5")) == "1.250,5"
    assert format_amount(Lang.EN, Decimal("1250.5")) == "1,250.5"
    assert format_amount(Lang.DA, Decimal("0.25")) == "0,25"
    assert format_amount(Lang.DA, Decimal(3)) == "3"
    assert format_amount(Lang.EN, Decimal("-0.0001")) == "0"


# -- entry forms -----------------------------------------------------------------------------


def form(**changes: object) -> EntryForm:
    values: dict[str, object] = {
        "kind": "purchase",
        "entry_date": "2026-03-02",
        "quantity": "2,5",
        "unit": "L",
        "counterparty": "Sigma-Aldrich",
        "declaration_ref": "KE-2026-4",
    }
    values.update(changes)
    return EntryForm.model_validate(values)


def test_a_purchase_converts_and_passes() -> None:
    micro, errors = check_entry(form(quantity="250", unit="ml"), ACETIC, today=TODAY)
    assert errors == {} and micro == 250_000


@pytest.mark.parametrize(
    ("changes", "substance", "field", "key"),
    [
        ({"declaration_ref": ""}, ACETIC, "declaration_ref", "precursors.error.declaration"),
        ({"counterparty": " "}, ACETIC, "counterparty", "precursors.error.supplier"),
        ({"entry_date": "2026-05-21"}, ACETIC, "entry_date", "precursors.error.future"),
        ({"quantity": "0"}, ACETIC, "quantity", "precursors.error.quantity"),
        ({"quantity": "-1"}, ACETIC, "quantity", "precursors.error.quantity"),
        ({"unit": "mL", "quantity": "5"}, PIPERONAL, "unit", "precursors.error.needs_mass"),
        ({"unit": "mg"}, ACETIC, "unit", "precursors.error.unit"),
        ({"quantity": "0.0001", "unit": "mL"}, ACETIC, "quantity", "precursors.error.too_small"),
        ({"kind": "consumption", "purpose": ""}, ACETIC, "purpose", "precursors.error.purpose"),
        (
            {"kind": "transfer", "counterparty": ""},
            ACETIC,
            "counterparty",
            "precursors.error.recipient",
        ),
    ],
)
def test_each_entry_rule_points_at_its_field(
    changes: dict[str, object], substance: SubstanceInfo, field: str, key: str
) -> None:
    try:
        parsed = form(**changes)
    except ValidationError as error:
        assert error.errors()[0]["loc"][0] == field
        return
    micro, errors = check_entry(parsed, substance, today=TODAY)
    assert errors.get(field) == key and micro is None


def test_category_3_needs_no_declaration_and_a_count_may_be_zero() -> None:
    _, errors = check_entry(form(declaration_ref=""), TOLUENE, today=TODAY)
    assert errors == {}
    micro, errors = check_entry(form(kind="count", quantity="0"), TOLUENE, today=TODAY)
    assert errors == {} and micro == 0


def test_danish_dates_are_read() -> None:
    assert form(entry_date="02-03-2026").entry_date == date(2026, 3, 2)
    assert form(entry_date="2.3.2026").entry_date == date(2026, 3, 2)


# -- balances --------------------------------------------------------------------------------


def test_balance_and_year_figures() -> None:
    opening = line(1, EntryKind.OPENING, date(2025, 6, 1), 1_000_000)
    buy = line(2, EntryKind.PURCHASE, date(2026, 2, 1), 2_500_000)
    use = line(3, EntryKind.CONSUMPTION, date(2026, 3, 1), 400_000)
    bin_ = line(4, EntryKind.DISPOSAL, date(2026, 4, 1), 100_000)
    give = line(5, EntryKind.TRANSFER, date(2026, 5, 1), 500_000)
    count = line(6, EntryKind.COUNT, date(2026, 5, 2), 2_450_000)
    lines = [opening, buy, use, bin_, give, count]
    assert balance(lines) == 2_500_000
    assert balance(lines, upto=date(2026, 2, 28)) == 3_500_000
    figures = year_figures(lines, 2026)
    assert figures.opening == 1_000_000
    assert figures.purchases == 2_500_000
    assert figures.consumption == 400_000
    assert figures.disposal == 100_000
    assert figures.transfers == 500_000
    assert figures.closing == 2_500_000
    assert figures.counted == 2_450_000 and figures.count_date == date(2026, 5, 2)
    assert figures.difference == -50_000 and figures.has_discrepancy
    assert year_figures(lines, 2025).closing == 1_000_000
    assert year_figures(lines, 2025).counted is None


def test_an_opening_stock_entered_during_the_year_counts_as_opening() -> None:
    lines = [
        line(1, EntryKind.OPENING, date(2026, 3, 1), 700_000),
        line(2, EntryKind.CONSUMPTION, date(2026, 3, 2), 200_000),
    ]
    figures = year_figures(lines, 2026)
    assert (figures.opening, figures.purchases, figures.closing) == (700_000, 0, 500_000)


def test_stock_never_negative_on_any_day() -> None:
    buy = line(1, EntryKind.PURCHASE, date(2026, 3, 1), 1_000_000)
    use = line(2, EntryKind.CONSUMPTION, date(2026, 3, 5), 800_000)
    assert first_negative_day([buy, use]) is None
    too_much = line(3, EntryKind.CONSUMPTION, date(2026, 3, 6), 300_000)
    assert first_negative_day([buy, use, too_much]) == (date(2026, 3, 6), -100_000)
    # a back-dated consumption before the purchase is refused even though the total is fine
    early = line(4, EntryKind.CONSUMPTION, date(2026, 2, 1), 100_000)
    assert first_negative_day([buy, early]) == (date(2026, 2, 1), -100_000)
    # within one day the order of typing does not matter
    same_day_use = line(5, EntryKind.CONSUMPTION, date(2026, 3, 1), 1_000_000)
    assert first_negative_day([same_day_use, buy]) is None


def test_reversal_undoes_an_entry_and_counts_against_its_kind() -> None:
    buy = line(1, EntryKind.PURCHASE, date(2026, 3, 1), 10_000_000, reversed_=True)
    undo = reversal_of(buy)
    assert undo.kind is EntryKind.REVERSAL and undo.delta_micro == -10_000_000
    assert undo.entry_date == buy.entry_date and undo.reverses_id == 1
    stored_undo = line(2, EntryKind.REVERSAL, buy.entry_date, 10_000_000, reverses=buy)
    right = line(3, EntryKind.PURCHASE, date(2026, 3, 1), 1_000_000)
    figures = year_figures([buy, stored_undo, right], 2026)
    assert figures.purchases == 1_000_000 and figures.closing == 1_000_000


def test_reversing_a_purchase_that_was_used_is_refused_by_the_balance() -> None:
    buy = line(1, EntryKind.PURCHASE, date(2026, 3, 1), 1_000_000)
    use = line(2, EntryKind.CONSUMPTION, date(2026, 3, 2), 600_000)
    assert first_negative_day([buy, use, reversal_of(buy)]) == (date(2026, 3, 2), -600_000)


def test_a_reversed_count_no_longer_counts() -> None:
    buy = line(1, EntryKind.PURCHASE, date(2026, 3, 1), 1_000_000)
    wrong = line(2, EntryKind.COUNT, date(2026, 6, 1), 10_000_000, reversed_=True)
    undo = line(3, EntryKind.REVERSAL, wrong.entry_date, wrong.quantity_micro, reverses=wrong)
    right = line(4, EntryKind.COUNT, date(2026, 5, 1), 990_000)
    figures = year_figures([buy, wrong, undo, right], 2026)
    assert figures.counted == 990_000 and figures.difference == -10_000
    assert figures.closing == 1_000_000


@pytest.mark.parametrize(
    ("original", "reason", "problem"),
    [
        (None, "typo", ReversalProblem.NOT_FOUND),
        (
            line(1, EntryKind.REVERSAL, date(2026, 1, 1), 1),
            "typo",
            ReversalProblem.IS_REVERSAL,
        ),
        (
            line(1, EntryKind.PURCHASE, date(2026, 1, 1), 1, reversed_=True),
            "typo",
            ReversalProblem.ALREADY,
        ),
        (line(1, EntryKind.PURCHASE, date(2026, 1, 1), 1), "  ", ReversalProblem.REASON),
        (line(1, EntryKind.PURCHASE, date(2026, 1, 1), 1), "typo", None),
    ],
)
def test_reversal_rules(
    original: LedgerLine | None, reason: str, problem: ReversalProblem | None
) -> None:
    assert reversal_problem(original, reason) == problem


# -- warnings --------------------------------------------------------------------------------


def test_category_1_without_licence_warns() -> None:
    warning = licence_warning(PIPERONAL, "")
    assert warning is not None and warning.kind is WarningKind.LICENCE_MISSING
    assert licence_warning(PIPERONAL, "TS-2024-17") is None
    assert licence_warning(ACETIC, "") is None


def test_acetic_anhydride_warns_when_approaching_100_litres() -> None:
    assert threshold_warning(ACETIC, to_micro(Decimal("79.9"))) is None
    near = threshold_warning(ACETIC, to_micro(Decimal(80)))
    assert near is not None and near.kind is WarningKind.THRESHOLD_NEAR
    assert near.threshold_micro == 100_000_000
    at = threshold_warning(ACETIC, to_micro(Decimal(100)))
    assert at is not None and at.kind is WarningKind.THRESHOLD_NEAR
    over = threshold_warning(ACETIC, to_micro(Decimal("100.5")))
    assert over is not None and over.kind is WarningKind.THRESHOLD_EXCEEDED
    assert threshold_warning(TOLUENE, to_micro(Decimal(1000))) is None


# -- deadline --------------------------------------------------------------------------------


def test_deadline_and_reminder_windows() -> None:
    assert deadline_for(2026) == date(2026, 6, 15)
    assert deadline_for(2026, "05-01") == date(2026, 5, 1)
    assert days_to_deadline(date(2026, 5, 16)) == 30
    assert REMINDER_DAYS == (30, 7, 1)
    assert [reminder_due(days) for days in (31, 30, 8, 7, 2, 1, 0, -1)] == [
        None,
        30,
        30,
        7,
        7,
        1,
        1,
        None,
    ]
    for text in ("6-15", "02-29", "13-01", "juni"):
        with pytest.raises(ValueError):
            parse_deadline(text)


# -- texts -----------------------------------------------------------------------------------


def test_every_precursor_text_has_both_languages_and_the_same_placeholders() -> None:
    keys = [key for key in catalogue_keys() if key.startswith("precursors.")]
    assert len(keys) > 100
    for key in keys:
        danish, english = placeholders(key)
        assert danish == english, key
        assert t(Lang.DA, key, **dict.fromkeys(danish, "x")).strip()
    for kind in EntryKind:
        assert t(Lang.DA, f"precursors.kind.{kind.value}")


def test_settings_read_the_deadline_and_the_licence() -> None:
    from bot.config import Settings

    defaults = Settings.from_env({}, dotenv=None)
    assert defaults.precursor_deadline == "06-15" and defaults.precursor_licence == ""
    chosen = Settings.from_env(
        {"PRECURSOR_DEADLINE": "05-01", "PRECURSOR_LICENCE": " TS-2024-17 "}, dotenv=None
    )
    assert chosen.precursor_deadline == "05-01" and chosen.precursor_licence == "TS-2024-17"
    with pytest.raises(ValueError, match="MM-DD"):
        Settings.from_env({"PRECURSOR_DEADLINE": "15. juni"}, dotenv=None)
