"""Cards of the drug-precursor flow: the unit's page, search, entry forms, the ledger with
reversals, the secretariat's overview, and the deadline reminder."""

from __future__ import annotations

from datetime import date
from functools import cache
from typing import Any

from microsoft_teams.cards import (
    ActionSet,
    AdaptiveCard,
    CardElement,
    Choice,
    ChoiceSetInput,
    Column,
    ColumnSet,
    Fact,
    FactSet,
    SubmitAction,
    TextBlock,
    TextInput,
)

from cards.common import (
    Card,
    execute,
    paragraph,
    plain,
    render,
    submit,
    title,
    unit_choice,
)
from cards.forms import Field, FormItem, Kind, Row, field_error, render_fields
from domain.commands import Flow
from domain.i18n import Lang, format_datetime, local_date, t
from domain.org import UnitRef
from domain.precursors import (
    FORM_KINDS,
    EntryKind,
    EntryView,
    HoldingView,
    PrecursorWarning,
    QuantityUnit,
    RegistrationStatus,
    RegistrationView,
    SubstanceInfo,
    UnitHome,
    WarningKind,
    format_amount,
    format_day,
    format_quantity,
    parse_quantity,
)
from domain.submissions import card_data

MAX_LEDGER_ROWS = 15
MAX_REVERSIBLE = 25


# -- small texts -------------------------------------------------------------------------------


def day_text(lang: Lang, day: date) -> str:
    """ "3. marts 2026" / "3 March 2026"."""
    return format_day(lang, day)


def when_text(lang: Lang, days_left: int) -> str:
    if days_left == 0:
        return t(lang, "precursors.days.today")
    if days_left == 1:
        return t(lang, "precursors.days.tomorrow")
    if days_left == -1:
        return t(lang, "precursors.days.yesterday")
    if days_left > 1:
        return t(lang, "precursors.days.ahead", days=days_left)
    return t(lang, "precursors.days.ago", days=-days_left)


def inline_name(lang: Lang, substance: SubstanceInfo) -> str:
    """The name inside a sentence: "eddikesyreanhydrid", but "BMK" and "N-Acetyl…" kept."""
    name = substance.name(lang)
    if len(name) > 1 and name[0].isupper() and name[1].islower():
        return name[0].lower() + name[1:]
    return name


def substance_count(lang: Lang, count: int) -> str:
    key = "precursors.count.one" if count == 1 else "precursors.count.many"
    return t(lang, key, count=count)


def category_text(lang: Lang, substance: SubstanceInfo, *, short: bool = False) -> str:
    key = "precursors.category.short" if short else "precursors.category"
    return t(lang, key, category=substance.category.value)


def warning_text(lang: Lang, warning: PrecursorWarning, substance: SubstanceInfo) -> str:
    values: dict[str, object] = {"substance": substance.name(lang)}
    if warning.kind in (WarningKind.THRESHOLD_NEAR, WarningKind.THRESHOLD_EXCEEDED):
        unit = warning.unit or substance.report_unit.value
        values["substance"] = inline_name(lang, substance)
        values["total"] = format_quantity(lang, warning.total_micro or 0, unit)
        values["threshold"] = format_quantity(lang, warning.threshold_micro or 0, unit)
    return t(lang, f"precursors.warning.{warning.kind.value}", **values)


def stock_text(lang: Lang, holding: HoldingView) -> str:
    return format_quantity(lang, holding.stock_micro, holding.substance.report_unit)


def holding_title(lang: Lang, holding: HoldingView) -> str:
    return f"{holding.substance.name(lang)} ({category_text(lang, holding.substance, short=True)})"


def _attention(text: str) -> TextBlock:
    return TextBlock(text=text, color="Attention", wrap=True, weight="Bolder")


def _good(text: str) -> TextBlock:
    return TextBlock(text=text, color="Good", wrap=True, weight="Bolder")


def _heading(text: str) -> TextBlock:
    return TextBlock(text=text, weight="Bolder", size="Medium", wrap=True, spacing="Large")


def back(lang: Lang, action: str = "precursors.back", **data: Any) -> SubmitAction:
    """A Submit that needs none of the card's inputs (so required fields do not block it)."""
    return SubmitAction(
        title=t(lang, "precursors.button.back"),
        data={"action": action, **data},
        associated_inputs="none",
    )


# -- unit picker -------------------------------------------------------------------------------


def unit_picker(lang: Lang, units: list[UnitRef]) -> Card:
    body: list[CardElement] = [
        title(t(lang, "precursors.pick.title")),
        paragraph(t(lang, "precursors.pick.intro")),
        unit_choice(
            units,
            label=t(lang, "precursors.field.unit"),
            error_message=t(lang, "precursors.field.unit"),
            value=str(units[0].id) if units else None,
            style="expanded",
        ),
    ]
    return render(
        AdaptiveCard(
            body=body,
            actions=[
                submit(t(lang, "precursors.button.entry"), "precursors.pick"),
                SubmitAction(
                    title=t(lang, "precursors.button.cancel"),
                    data={"action": "precursors.cancel"},
                    associated_inputs="none",
                ),
            ],
        )
    )


# -- the unit's page ---------------------------------------------------------------------------


def registration_line(lang: Lang, home: UnitHome) -> TextBlock:
    registration = home.registration
    year = registration.year
    if registration.status is RegistrationStatus.MISSING:
        key = "precursors.home.missing" if home.days_left >= 0 else "precursors.home.missing_late"
        return _attention(
            t(
                lang,
                key,
                unit=plain(home.unit),
                year=year,
                deadline=day_text(lang, home.deadline),
                when=when_text(lang, home.days_left),
            )
        )
    day = (
        day_text(lang, local_date(registration.registered_at)) if registration.registered_at else ""
    )
    key = (
        "precursors.home.registered_none"
        if registration.status is RegistrationStatus.NONE
        else "precursors.home.registered"
    )
    return _good(
        t(
            lang,
            key,
            year=year,
            name=plain(registration.registered_by or "?"),
            day=day,
            substances=substance_count(lang, registration.substances),
        )
    )


def _status_body(lang: Lang, home: UnitHome, warnings: list[str]) -> list[CardElement]:
    body: list[CardElement] = [registration_line(lang, home)]
    if home.contacts:
        body.append(
            paragraph(
                t(lang, "precursors.home.contacts", names=plain(", ".join(home.contacts))),
                subtle=True,
            )
        )
    else:
        body.append(paragraph(t(lang, "precursors.home.no_contact"), subtle=True))
    for warning in warnings:
        body.append(_attention(warning))
    body.append(_heading(t(lang, "precursors.home.substances")))
    if home.holdings:
        body.append(
            FactSet(
                facts=[
                    Fact(
                        title=holding_title(lang, holding),
                        value=t(
                            lang,
                            "precursors.home.stock",
                            stock=stock_text(lang, holding),
                            location=plain(holding.storage_location),
                        ),
                    )
                    for holding in home.holdings
                ]
            )
        )
    else:
        body.append(paragraph(t(lang, "precursors.home.no_substances"), subtle=True))
    return body


def home_card(
    lang: Lang,
    home: UnitHome,
    *,
    warnings: list[str] | None = None,
    message: str | None = None,
    error: str | None = None,
    can_switch: bool = False,
    secretariat: bool = False,
    submission_key: str | None = None,
) -> Card:
    """Registration status, the substances with stock, and everything the keeper can do; the
    registration buttons carry `submission_key` (this card answers once)."""
    body: list[CardElement] = [title(t(lang, "precursors.home.title", unit=plain(home.unit)))]
    if message:
        body.append(_good(message))
    if error:
        body.append(_attention(error))
    body.extend(_status_body(lang, home, warnings or []))
    if home.holdings:
        body.append(_heading(t(lang, "precursors.home.entry_heading")))
        body.append(
            ColumnSet(
                columns=[
                    Column(
                        width="stretch",
                        items=[
                            ChoiceSetInput(
                                id="holding_id",
                                label=t(lang, "precursors.field.holding"),
                                style="compact",
                                value=str(home.holdings[0].id),
                                choices=[
                                    Choice(title=holding_title(lang, h), value=str(h.id))
                                    for h in home.holdings
                                ],
                            )
                        ],
                    ),
                    Column(
                        width="stretch",
                        items=[
                            ChoiceSetInput(
                                id="kind",
                                label=t(lang, "precursors.field.kind"),
                                style="compact",
                                value=EntryKind.PURCHASE.value,
                                choices=[
                                    Choice(
                                        title=t(lang, f"precursors.kind.{kind.value}"),
                                        value=kind.value,
                                    )
                                    for kind in FORM_KINDS
                                ],
                            )
                        ],
                    ),
                ]
            )
        )
        body.append(
            ActionSet(
                actions=[
                    submit(t(lang, "precursors.button.entry"), "precursors.entry"),
                    submit(t(lang, "precursors.button.ledger"), "precursors.ledger"),
                ]
            )
        )
    body.append(_heading(t(lang, "precursors.home.search_heading")))
    body.append(
        TextInput(
            id="query",
            label=t(lang, "precursors.field.query"),
            placeholder=t(lang, "precursors.field.query.placeholder"),
            max_length=100,
        )
    )
    body.append(
        ActionSet(actions=[submit(t(lang, "precursors.button.search"), "precursors.search")])
    )
    year = home.registration.year
    body.append(_heading(t(lang, "precursors.home.register_heading", year=year)))
    body.append(paragraph(t(lang, "precursors.home.register_intro"), subtle=True))
    body.append(
        ActionSet(
            actions=[
                submit(
                    t(lang, "precursors.button.register"),
                    "precursors.register",
                    **card_data(submission_key),
                ),
                submit(
                    t(lang, "precursors.button.none"),
                    "precursors.none",
                    **card_data(submission_key),
                ),
            ]
        )
    )
    actions: list[Any] = []
    if secretariat:
        actions.append(execute(t(lang, "precursors.button.overview"), "precursors.overview"))
    if can_switch:
        actions.append(submit(t(lang, "precursors.button.switch"), "precursors.switch"))
    actions.append(submit(t(lang, "precursors.button.close"), "precursors.close"))
    return render(AdaptiveCard(body=body, actions=actions))


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
    Field("substance_id", "precursors.field.substance", Kind.CHOICE, expanded=True, wrap=True),
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
        body.append(_attention(t(lang, "precursors.search.too_short")))
    elif not matches:
        body.append(_attention(t(lang, "precursors.search.none", query=plain(query.strip()))))
    else:
        body.append(
            paragraph(
                t(lang, "precursors.search.found", query=plain(query.strip()), count=len(matches))
            )
        )
        if errors:
            body.append(_attention(t(lang, "precursors.error.form")))
        chosen = {"substance_id": str(matches[0].id), **_typed(values)}
        choices = [Choice(title=_choice_title(lang, item), value=str(item.id)) for item in matches]
        body.extend(
            render_fields(lang, HOLDING_FORM, chosen, errors, choices={"substance_id": choices})
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
    return QuantityUnit.G if substance.report_unit.is_mass else QuantityUnit.ML


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
        body.append(_attention(t(lang, "precursors.error.form")))
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


# -- ledger ------------------------------------------------------------------------------------


def _entry_line(lang: Lang, entry: EntryView) -> str:
    kind = t(lang, f"precursors.kind.{entry.kind.value}")
    quantity = format_quantity(lang, entry.quantity_micro, entry.report_unit)
    parts = [f"**{entry.id}** · {day_text(lang, entry.entry_date)} · **{kind}**"]
    if entry.kind is EntryKind.COUNT:
        parts.append(t(lang, "precursors.ledger.counted", quantity=quantity))
    elif entry.kind is EntryKind.REVERSAL:
        sign = "+" if entry.reverses_kind and entry.reverses_kind.sign < 0 else "−"
        parts.append(f"{sign}{quantity}")
    else:
        sign = "+" if entry.kind.sign > 0 else "−"
        shown = f"{sign}{quantity}"
        entered = _entered(lang, entry.entered)
        if entered and not entered.endswith(f" {entry.report_unit.value}"):
            shown += f" ({plain(entered)})"
        parts.append(shown)
    if entry.counterparty:
        parts.append(plain(entry.counterparty))
    if entry.declaration_ref:
        parts.append(t(lang, "precursors.ledger.declaration", ref=plain(entry.declaration_ref)))
    if entry.document_ref:
        parts.append(plain(entry.document_ref))
    if entry.purpose:
        parts.append(plain(entry.purpose))
    if entry.kind is EntryKind.REVERSAL and entry.reverses_id is not None:
        parts.append(
            t(
                lang,
                "precursors.ledger.reverses",
                number=entry.reverses_id,
                reason=plain(entry.reason or ""),
            )
        )
    if entry.reversed:
        parts.append(f"_{t(lang, 'precursors.ledger.reversed')}_")
    return " · ".join(parts)


def _entered(lang: Lang, entered: str | None) -> str | None:
    """ "2500 mL" as typed, written the local way ("2.500 mL")."""
    if not entered or " " not in entered:
        return entered
    number, unit = entered.rsplit(" ", 1)
    amount = parse_quantity(number)
    return entered if amount is None else f"{format_amount(lang, amount, places=6)} {unit}"


REVERSE_FORM: tuple[FormItem, ...] = (
    Field("entry_id", "precursors.field.entry", Kind.CHOICE),
    Field(
        "reason",
        "precursors.field.reason",
        placeholder="precursors.field.reason.placeholder",
        max_length=500,
    ),
)


def ledger_card(
    lang: Lang,
    unit: str,
    holding: HoldingView,
    entries: list[EntryView],
    *,
    total: int,
    reversible: list[EntryView],
    notice: str | None = None,
    error: str | None = None,
    values: dict[str, Any] | None = None,
) -> Card:
    """The newest entries, newest first; reverse one with a reason (`Action.Execute`)."""
    values = values or {}
    substance = holding.substance
    body: list[CardElement] = [
        title(t(lang, "precursors.ledger.title", substance=substance.name(lang))),
        paragraph(
            t(
                lang,
                "precursors.ledger.about",
                unit=plain(unit),
                stock=stock_text(lang, holding),
                location=plain(holding.storage_location),
            ),
            subtle=True,
        ),
    ]
    if notice:
        body.append(_good(notice))
    if error:
        body.append(_attention(error))
    if not entries:
        body.append(paragraph(t(lang, "precursors.ledger.empty")))
    for entry in entries[:MAX_LEDGER_ROWS]:
        body.append(TextBlock(text=_entry_line(lang, entry), wrap=True, separator=True))
        if entry.created_by and entry.created_at:
            body.append(
                TextBlock(
                    text=t(
                        lang,
                        "precursors.ledger.by",
                        name=plain(entry.created_by),
                        when=format_datetime(lang, entry.created_at),
                    ),
                    is_subtle=True,
                    size="Small",
                    spacing="None",
                    wrap=True,
                )
            )
    if total > min(len(entries), MAX_LEDGER_ROWS):
        body.append(
            paragraph(
                t(
                    lang,
                    "precursors.ledger.more",
                    shown=min(len(entries), MAX_LEDGER_ROWS),
                    total=total,
                ),
                subtle=True,
            )
        )
    if reversible:
        body.append(_heading(t(lang, "precursors.ledger.reverse_heading")))
        body.append(paragraph(t(lang, "precursors.ledger.reverse_intro"), subtle=True))
        reversible_choices = [
            Choice(title=_short_entry(lang, entry), value=str(entry.id))
            for entry in reversible[:MAX_REVERSIBLE]
        ]
        body.extend(
            render_fields(lang, REVERSE_FORM, values, choices={"entry_id": reversible_choices})
        )
        body.append(
            ActionSet(
                actions=[
                    execute(
                        t(lang, "precursors.button.reverse"),
                        "precursors.reverse",
                        holding_id=holding.id,
                    )
                ]
            )
        )
    actions: list[Any] = []
    if holding.stock_micro == 0 and holding.active:
        actions.append(
            SubmitAction(
                title=t(lang, "precursors.button.remove"),
                data={"action": "precursors.remove", "holding_id": holding.id},
                associated_inputs="none",
            )
        )
    actions.append(back(lang))
    return render(AdaptiveCard(body=body, actions=actions))


def _short_entry(lang: Lang, entry: EntryView) -> str:
    kind = t(lang, f"precursors.kind.{entry.kind.value}")
    quantity = format_quantity(lang, entry.quantity_micro, entry.report_unit)
    return f"{entry.id}: {day_text(lang, entry.entry_date)}, {kind}, {quantity}"


# -- the secretariat's overview ----------------------------------------------------------------


def overview_card(
    lang: Lang,
    *,
    year: int,
    deadline: date,
    days_left: int,
    rows: list[RegistrationView],
    licence_recorded: bool,
    notice: str | None = None,
) -> Card:
    """Which units have and have not registered for `year` (refreshed in place)."""
    missing = [row for row in rows if row.status is RegistrationStatus.MISSING]
    done = [row for row in rows if row.status is not RegistrationStatus.MISSING]
    body: list[CardElement] = [
        title(t(lang, "precursors.overview.title", year=year)),
        paragraph(
            t(
                lang,
                "precursors.overview.deadline",
                deadline=day_text(lang, deadline),
                when=when_text(lang, days_left),
                done=len(done),
                total=len(rows),
            )
        ),
    ]
    if notice:
        body.append(_attention(notice))
    if not licence_recorded:
        body.append(_attention(t(lang, "precursors.overview.licence_missing")))
    if missing:
        body.append(_heading(t(lang, "precursors.overview.missing", count=len(missing))))
        body.append(TextBlock(text=plain(", ".join(row.unit for row in missing)), wrap=True))
    else:
        body.append(_good(t(lang, "precursors.overview.all_done")))
    if done:
        body.append(_heading(t(lang, "precursors.overview.done", count=len(done))))
        facts = []
        for row in done:
            what = (
                t(lang, "precursors.overview.none")
                if row.status is RegistrationStatus.NONE
                else substance_count(lang, row.substances)
            )
            facts.append(
                Fact(
                    title=plain(row.unit),
                    value=t(
                        lang,
                        "precursors.overview.row",
                        what=what,
                        name=plain(row.contact or row.registered_by or "?"),
                        day=day_text(lang, local_date(row.registered_at))
                        if row.registered_at
                        else "",
                    ),
                )
            )
        body.append(FactSet(facts=facts))
    if rows:
        body.append(
            ChoiceSetInput(
                id="unit_id",
                label=t(lang, "precursors.field.unit"),
                style="compact",
                value=str(rows[0].unit_id),
                spacing="Large",
                choices=[Choice(title=row.unit, value=str(row.unit_id)) for row in rows],
            )
        )
        body.append(
            ActionSet(
                actions=[
                    execute(
                        t(lang, "precursors.button.show_unit"),
                        "precursors.unit_status",
                        year=year,
                    )
                ]
            )
        )
    body.append(paragraph(t(lang, "precursors.overview.export", year=year), subtle=True))
    return render(
        AdaptiveCard(
            body=body,
            actions=[
                execute(t(lang, "precursors.button.refresh"), "precursors.overview", year=year),
                execute(
                    t(lang, "precursors.button.previous_year"),
                    "precursors.overview",
                    year=year - 1,
                ),
            ],
        )
    )


def unit_status_card(lang: Lang, home: UnitHome, *, warnings: list[str]) -> Card:
    """One unit as the secretariat sees it (read only)."""
    body: list[CardElement] = [title(t(lang, "precursors.status.title", unit=plain(home.unit)))]
    body.extend(_status_body(lang, home, warnings))
    return render(
        AdaptiveCard(
            body=body,
            actions=[
                execute(
                    t(lang, "precursors.button.back_to_overview"),
                    "precursors.overview",
                    year=home.registration.year,
                )
            ],
        )
    )


# -- reminder ----------------------------------------------------------------------------------


def reminder_card(lang: Lang, *, unit: str, year: int, deadline: date, days_left: int) -> Card:
    body: list[CardElement] = [
        title(t(lang, "precursors.reminder.title")),
        paragraph(
            t(
                lang,
                "precursors.reminder.text",
                unit=plain(unit),
                year=year,
                deadline=day_text(lang, deadline),
                when=when_text(lang, days_left),
            )
        ),
    ]
    return render(
        AdaptiveCard(
            body=body,
            actions=[
                submit(
                    t(lang, "precursors.button.register_now"),
                    "menu.open",
                    flow=Flow.PRECURSORS.value,
                )
            ],
        )
    )


def home_warnings(lang: Lang, home: UnitHome) -> list[str]:
    """The unit's warnings as lines, for the substances it holds."""
    names = {holding.substance.key: holding.substance for holding in home.holdings}
    return [
        warning_text(lang, warning, names[warning.substance])
        for warning in home.warnings
        if warning.substance in names
    ]
