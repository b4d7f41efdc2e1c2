"""Cards of screenings: the block on a unit's documentation overview (its screenings and the
sister-screening requests, shown on both units' overviews), the request form, and the card
the asked unit answers on."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Final

from microsoft_teams.cards import AdaptiveCard, CardElement, Column, ColumnSet, Container, TextBlock

from cards.common import (
    Card,
    attention,
    button_column,
    button_rows,
    execute,
    format_day,
    paragraph,
    plain,
    render,
    title,
    unit_choice,
)
from cards.forms import Field, Kind, render_fields
from domain.i18n import Lang, t
from domain.org import UnitRef
from domain.screening import (
    HeldView,
    ScreeningKind,
    ScreeningState,
    ScreeningStatus,
    ScreeningView,
)


def status_text(lang: Lang, view: ScreeningView) -> str:
    if view.status is ScreeningStatus.ACCEPTED and view.planned_on is not None:
        return t(lang, "screening.status.accepted", day=format_day(lang, view.planned_on))
    return t(lang, f"screening.status.{view.status.value}")


def kind_text(lang: Lang, kind: ScreeningKind, partner: str | None) -> str:
    """ "intern screening", "søsterscreening med Fysik", …"""
    return t(lang, f"screening.kind.{kind.value}.line", partner=plain(partner or ""))


def held_line(lang: Lang, unit: UnitRef, view: HeldView) -> str:
    """One recorded screening on a unit's overview: the day, the kind, planned or held with
    how many findings went into the action plan; a sister unit sees who recorded it."""
    day = format_day(lang, view.day)
    if view.unit_id == unit.id:
        what = kind_text(lang, view.kind, view.partner)
    else:
        what = t(lang, "screening.line.with_us", unit=plain(view.unit))
    if view.state is ScreeningState.PLANNED:
        return t(lang, "screening.line.planned", day=day, what=what)
    if view.unit_id != unit.id:
        return t(lang, "screening.line.held", day=day, what=what)
    return t(lang, "screening.line.held_findings", day=day, what=what, count=view.findings)


def _small(text: str) -> TextBlock:
    return TextBlock(text=text, wrap=True, spacing="None", size="Small")


def overview_block(
    lang: Lang,
    unit: UnitRef,
    views: Sequence[ScreeningView],
    *,
    may_ask: bool,
    held: Sequence[HeldView] = (),
) -> Container:
    """The unit's screenings, planned and held (its own and the sister screenings it took
    part in), then the sister-screening requests it made and was asked, newest first; for
    those who may, the buttons that record a screening (or a planned one as held) and ask
    another unit."""
    items: list[CardElement] = [
        TextBlock(text=t(lang, "screening.block.title"), weight="Bolder", wrap=True)
    ]
    if not views and not held:
        items.append(
            TextBlock(
                text=t(lang, "screening.block.none"), is_subtle=True, wrap=True, spacing="None"
            )
        )
    for done in held:
        line = _small(held_line(lang, unit, done))
        if may_ask and done.unit_id == unit.id and done.state is ScreeningState.PLANNED:
            items.append(
                ColumnSet(
                    spacing="None",
                    columns=[
                        Column(width="stretch", items=[line]),
                        button_column(
                            t(lang, "screening.button.held"),
                            "screening.form",
                            unit_id=unit.id,
                            screening_id=done.id,
                        ),
                    ],
                )
            )
        else:
            items.append(line)
    if views:
        items.append(
            TextBlock(text=t(lang, "screening.block.requests"), wrap=True, weight="Bolder")
        )
    for view in views:
        day = format_day(lang, view.requested_on)
        status = status_text(lang, view)
        text = (
            t(lang, "screening.line.asked", day=day, partner=plain(view.partner), status=status)
            if view.unit_id == unit.id
            else t(lang, "screening.line.asked_by", day=day, unit=plain(view.unit), status=status)
        )
        items.append(_small(text))
    if may_ask:
        items.extend(
            button_rows(
                [
                    execute(t(lang, "screening.button.record"), "screening.form", unit_id=unit.id),
                    execute(t(lang, "screening.button.ask"), "screening.ask", unit_id=unit.id),
                ]
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
        body.append(attention(notice))
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
