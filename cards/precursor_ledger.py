"""The precursor ledger: a substance's newest entries, and reversing one with a reason."""

from __future__ import annotations

from typing import Any

from microsoft_teams.cards import (
    ActionSet,
    AdaptiveCard,
    CardElement,
    Choice,
    SubmitAction,
    TextBlock,
)

from cards.common import (
    Card,
    attention,
    execute,
    paragraph,
    plain,
    render,
    title,
)
from cards.forms import Field, FormItem, Kind, render_fields
from cards.precursors import back, day_text, good, heading, stock_text
from domain.i18n import Lang, format_datetime, t
from domain.precursor_ledger import EntryKind, EntryView, HoldingView
from domain.precursors import format_amount, format_quantity, parse_quantity

MAX_LEDGER_ROWS = 15
MAX_REVERSIBLE = 25


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
    Field(
        "entry_id",
        "precursors.field.entry",
        Kind.CHOICE,
        required=True,
        error="precursors.reverse.not_found",
    ),
    Field(
        "reason",
        "precursors.field.reason",
        required=True,
        placeholder="precursors.field.reason.placeholder",
        max_length=500,
        error="precursors.reverse.reason",
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
        body.append(good(notice))
    if error:
        body.append(attention(error))
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
        body.append(heading(t(lang, "precursors.ledger.reverse_heading")))
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
    actions: list[Any] = [back(lang)]
    if holding.stock_micro == 0 and holding.active:
        actions.append(
            SubmitAction(
                title=t(lang, "precursors.button.remove"),
                data={"action": "precursors.remove", "holding_id": holding.id},
                associated_inputs="none",
                mode="secondary",
            )
        )
    return render(AdaptiveCard(body=body, actions=actions))


def _short_entry(lang: Lang, entry: EntryView) -> str:
    kind = t(lang, f"precursors.kind.{entry.kind.value}")
    quantity = format_quantity(lang, entry.quantity_micro, entry.report_unit)
    return f"{entry.id}: {day_text(lang, entry.entry_date)}, {kind}, {quantity}"
