"""Precursor forms: searching for a substance and adding it to the unit's list
(`HOLDING_FORM`), and an entry of each kind (`entry_fields`)."""

from __future__ import annotations

from datetime import date
from functools import cache
from typing import Any

from microsoft_teams.cards import (
    ActionSet,
    AdaptiveCard,
    CardElement,
    Choice,
    TextInput,
)

from cards.common import (
    Card,
    attention,
    paragraph,
    plain,
    render,
    submit,
    title,
)
from cards.forms import Field, FormItem, Kind, Row, field_error, render_fields
from cards.precursors import back, category_text, stock_text
from domain.i18n import Lang, t
from domain.precursor_ledger import EntryKind, HoldingView
from domain.precursors import QuantityUnit, SubstanceInfo, format_amount
from domain.submissions import card_data

# -- search ------------------------------------------------------------------------------------


def _choice_title(lang: Lang, substance: SubstanceInfo) -> str:
    text = t(
        lang,
        "precursors.search.choice",
        name=substance.name(lang),
        cas=substance.cas or t(lang, "precursors.search.no_cas"),
        category=category_text(lang, substance, short=True),
    )
    if not substance.verified:
        text += f" · {t(lang, 'precursors.unverified')}"
    return text


HOLDING_FORM: tuple[FormItem, ...] = (
    Field(
        "substance_id",
        "precursors.field.substance",
        Kind.CHOICE,
        required=True,
        error="precursors.error.substance",
        expanded=True,
    ),
    # Not marked required: "Søg igen" on the same card submits without a location.
    Field(
        "storage_location",
        "precursors.field.location",
        placeholder="precursors.field.location.placeholder",
        max_length=200,
    ),
    Field(
        "note",
        "precursors.field.note",
        placeholder="precursors.field.note.placeholder",
        max_length=300,
    ),
)


def _typed(values: dict[str, Any]) -> dict[str, Any]:
    """The values typed into a card (an empty one leaves a default in place)."""
    return {name: value for name, value in values.items() if value not in (None, "")}


def search_card(
    lang: Lang,
    unit: str,
    query: str,
    matches: list[SubstanceInfo],
    *,
    values: dict[str, Any] | None = None,
    errors: dict[str, str] | None = None,
) -> Card:
    """A short choice list for the typed text, where it is kept, and a new search."""
    values = values or {}
    errors = errors or {}
    body: list[CardElement] = [title(t(lang, "precursors.search.title", unit=plain(unit)))]
    actions: list[Any] = []
    if len(query.strip()) < 2:
        body.append(attention(t(lang, "precursors.search.too_short")))
    elif not matches:
        body.append(attention(t(lang, "precursors.search.none", query=plain(query.strip()))))
    else:
        body.append(
            paragraph(
                t(lang, "precursors.search.found", query=plain(query.strip()), count=len(matches))
            )
        )
        chosen = {"substance_id": str(matches[0].id), **_typed(values)}
        choices = [Choice(title=_choice_title(lang, item), value=str(item.id)) for item in matches]
        body.extend(
            render_fields(
                lang,
                HOLDING_FORM,
                chosen,
                errors,
                choices={"substance_id": choices},
                fix="precursors.error.form",
            )
        )
        body.append(paragraph(t(lang, "precursors.search.categories"), subtle=True))
        actions.append(submit(t(lang, "precursors.button.add"), "precursors.add"))
    body.append(
        TextInput(
            id="query",
            label=t(lang, "precursors.field.query_again"),
            placeholder=t(lang, "precursors.field.query.placeholder"),
            max_length=100,
            spacing="Large",
        )
    )
    body.append(
        ActionSet(actions=[submit(t(lang, "precursors.button.search_again"), "precursors.search")])
    )
    actions.append(back(lang))
    return render(AdaptiveCard(body=body, actions=actions))


# -- entry form --------------------------------------------------------------------------------


def _units_for(substance: SubstanceInfo) -> list[QuantityUnit]:
    if substance.density is not None:
        return list(QuantityUnit)
    if substance.report_unit.is_mass:
        return [QuantityUnit.G, QuantityUnit.KG]
    return [QuantityUnit.ML, QuantityUnit.L]


def _units_hint(lang: Lang, substance: SubstanceInfo) -> str:
    if substance.density is not None:
        return t(
            lang,
            "precursors.entry.units_density",
            report=substance.report_unit.value,
            density=format_amount(lang, substance.density),
        )
    key = (
        "precursors.entry.units_mass"
        if substance.report_unit.is_mass
        else "precursors.entry.units_volume"
    )
    return t(lang, key)


def default_unit(substance: SubstanceInfo) -> QuantityUnit:
    """The unit a quantity is asked in first: the one the substance is reported in."""
    return QuantityUnit(substance.report_unit.value)


def _field(name: str, label: str, kind: Kind = Kind.TEXT, **spec: Any) -> Field:
    return Field(name, f"precursors.field.{label}", kind, **spec)


def _needed(name: str, label: str, error: str, limit: int) -> Field:
    return _field(name, label, required=True, error=f"precursors.error.{error}", max_length=limit)


_ENTRY_START: tuple[FormItem, ...] = (
    _field(
        "entry_date",
        "date",
        Kind.DATE,
        required=True,
        error="precursors.error.date",
        until_today=True,
    ),
)
_KIND_FIELDS: dict[EntryKind, tuple[FormItem, ...]] = {
    EntryKind.CONSUMPTION: (_needed("purpose", "purpose", "purpose", 300),),
    EntryKind.DISPOSAL: (
        _field(
            "purpose",
            "disposal",
            placeholder="precursors.field.disposal.placeholder",
            max_length=300,
        ),
    ),
    EntryKind.TRANSFER: (
        _needed("counterparty", "recipient", "recipient", 200),
        _field("purpose", "transfer_purpose", max_length=300),
    ),
}


@cache
def entry_fields(
    kind: EntryKind, *, needs_declaration: bool
) -> tuple[tuple[FormItem, ...], tuple[FormItem, ...]]:
    """The entry form of `kind` in two parts, with the declaration hint between them when a
    purchase `needs_declaration` (then the declaration is required): date, quantity and
    unit, and what the kind needs besides."""
    quantity = _field(
        "quantity",
        "counted" if kind is EntryKind.COUNT else "quantity",
        Kind.NUMBER,
        required=True,
        low=0,
        error="precursors.error.quantity",
    )
    unit = _field(
        "unit", "unit_of_quantity", Kind.CHOICE, required=True, error="precursors.error.unit"
    )
    start = (*_ENTRY_START, Row((quantity, unit), widths=("stretch", "auto")))
    if kind is not EntryKind.PURCHASE:
        return (*start, *_KIND_FIELDS.get(kind, ())), ()
    declaration = (
        _needed("declaration_ref", "declaration", "declaration", 100)
        if needs_declaration
        else _field("declaration_ref", "declaration_optional", max_length=100)
    )
    document = _field("document_ref", "document", max_length=100)
    return (*start, _needed("counterparty", "supplier", "supplier", 200)), (declaration, document)


def entry_form(
    lang: Lang,
    unit: str,
    kind: EntryKind,
    holding: HoldingView,
    *,
    today: date,
    values: dict[str, Any] | None = None,
    errors: dict[str, str] | None = None,
    submission_key: str | None = None,
) -> Card:
    """One entry of `kind`: date and quantity, and what that kind needs besides. Save carries
    `submission_key`, so the same card saved twice records one entry."""
    values = values or {}
    errors = errors or {}
    substance = holding.substance
    body: list[CardElement] = [
        title(
            t(
                lang,
                "precursors.entry.title",
                kind=t(lang, f"precursors.kind.{kind.value}"),
                substance=substance.name(lang),
            )
        ),
        paragraph(
            t(
                lang,
                "precursors.entry.about",
                unit=plain(unit),
                category=category_text(lang, substance),
                unit_name=substance.report_unit.value,
                stock=stock_text(lang, holding),
            ),
            subtle=True,
        ),
    ]
    if kind is EntryKind.COUNT:
        body.append(paragraph(t(lang, "precursors.entry.hint.count")))
    if kind is EntryKind.OPENING:
        body.append(paragraph(t(lang, "precursors.entry.hint.opening")))
    body.append(paragraph(_units_hint(lang, substance), subtle=True))
    if errors:
        body.append(attention(t(lang, "precursors.error.form")))
    if "kind" in errors:
        body.append(field_error(errors["kind"]))
    needed = substance.category.needs_declaration
    shown = {
        "entry_date": today.isoformat(),
        "unit": default_unit(substance).value,
        **_typed(values),
    }
    units = [Choice(title=item.value, value=item.value) for item in _units_for(substance)]
    choices = {"unit": units}
    head, tail = entry_fields(kind, needs_declaration=needed)
    body.extend(render_fields(lang, head, shown, errors, choices=choices, today=today))
    if kind is EntryKind.PURCHASE and needed:
        hint = t(lang, "precursors.entry.hint.declaration", category=substance.category.value)
        body.append(paragraph(hint, subtle=True))
    body.extend(render_fields(lang, tail, shown, errors))
    return render(
        AdaptiveCard(
            body=body,
            actions=[
                submit(
                    t(lang, "precursors.button.save"),
                    "precursors.save",
                    **card_data(submission_key),
                ),
                back(lang),
            ],
        )
    )
