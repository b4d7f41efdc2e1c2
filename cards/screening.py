"""Cards of sister screenings: the block on both units' documentation overviews, the request
form, and the card the asked unit answers on."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any, Final

from microsoft_teams.cards import ActionSet, AdaptiveCard, CardElement, Container, TextBlock

from cards.common import Card, button_rows, execute, paragraph, plain, render, title, unit_choice
from cards.forms import Field, Kind, render_fields
from domain.i18n import Lang, t
from domain.org import UnitRef
from domain.screening import ScreeningStatus, ScreeningView


def format_day(lang: Lang, day: date) -> str:
    return day.strftime("%d.%m.%Y") if lang is Lang.DA else day.strftime("%d %b %Y")


def status_text(lang: Lang, view: ScreeningView) -> str:
    if view.status is ScreeningStatus.ACCEPTED and view.planned_on is not None:
        return t(lang, "screening.status.accepted", day=format_day(lang, view.planned_on))
    return t(lang, f"screening.status.{view.status.value}")


def overview_block(
    lang: Lang, unit: UnitRef, views: Sequence[ScreeningView], *, may_ask: bool
) -> Container:
    """The unit's sister screenings, asked and asked of it, newest first; the button that
    asks another unit for those who may."""
    items: list[CardElement] = [
        TextBlock(text=t(lang, "screening.block.title"), weight="Bolder", wrap=True)
    ]
    if not views:
        items.append(
            TextBlock(
                text=t(lang, "screening.block.none"), is_subtle=True, wrap=True, spacing="None"
            )
        )
    for view in views:
        day = format_day(lang, view.requested_on)
        status = status_text(lang, view)
        text = (
            t(lang, "screening.line.asked", day=day, partner=plain(view.partner), status=status)
            if view.unit_id == unit.id
            else t(lang, "screening.line.asked_by", day=day, unit=plain(view.unit), status=status)
        )
        items.append(TextBlock(text=text, wrap=True, spacing="None", size="Small"))
    if may_ask:
        items.append(
            ActionSet(
                actions=[execute(t(lang, "screening.button.ask"), "screening.ask", unit_id=unit.id)]
            )
        )
    return Container(items=items, separator=True, spacing="Medium")


def ask_card(lang: Lang, unit: UnitRef, units: list[UnitRef], *, error: str | None = None) -> Card:
    """Which unit to ask for a sister screening (every active unit but this one)."""
    choice = unit_choice(
        [other for other in units if other.id != unit.id],
        label=t(lang, "screening.field.partner"),
        error_message=t(lang, "screening.field.partner.error"),
    )
    choice.id = "partner_id"
    body: list[CardElement] = [
        title(t(lang, "screening.ask.title")),
        paragraph(t(lang, "screening.ask.unit", unit=plain(unit.name)), subtle=True),
        paragraph(t(lang, "screening.ask.intro")),
        choice,
    ]
    if error:
        body.append(TextBlock(text=error, color="Attention", wrap=True, spacing="None"))
    body.extend(
        button_rows(
            [
                execute(t(lang, "screening.button.send"), "screening.send", unit_id=unit.id),
                execute(t(lang, "screening.button.back"), "documentation.show", unit_id=unit.id),
            ]
        )
    )
    return render(AdaptiveCard(body=body))


ANSWER_FIELDS: Final = (
    Field(
        "planned_on",
        "screening.field.planned_on",
        Kind.DATE,
        required=True,
        error="screening.field.planned_on.error",
    ),
)


def answer_card(
    lang: Lang,
    view: ScreeningView,
    *,
    values: Mapping[str, Any] | None = None,
    errors: Mapping[str, str] | None = None,
    notice: str | None = None,
) -> Card:
    """The asked unit's card: accept with a proposed day, or decline, while the request is
    open; its status after."""
    body: list[CardElement] = [
        title(t(lang, "screening.answer.title")),
        paragraph(
            t(
                lang,
                "screening.answer.intro",
                unit=plain(view.unit),
                partner=plain(view.partner),
                day=format_day(lang, view.requested_on),
            )
        ),
        paragraph(t(lang, "screening.ask.intro"), subtle=True),
    ]
    if notice:
        body.append(TextBlock(text=notice, color="Attention", wrap=True, weight="Bolder"))
    actions: list[Any] = []
    if view.status is ScreeningStatus.REQUESTED:
        body.extend(render_fields(lang, ANSWER_FIELDS, values, errors))
        actions = [
            execute(t(lang, "screening.button.accept"), "screening.accept", request_id=view.id),
            execute(t(lang, "screening.button.decline"), "screening.decline", request_id=view.id),
        ]
    else:
        body.append(
            TextBlock(
                text=t(lang, "screening.answer.status", status=status_text(lang, view)),
                weight="Bolder",
                wrap=True,
            )
        )
    return render(AdaptiveCard(body=body, actions=actions or None))
