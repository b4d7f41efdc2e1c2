"""Cards of recording a screening: the form (kind, planned or held, the day, the accepted
sister-screening request it was, the proof, and findings as action-plan rows), the
personal-data check of the findings and the receipt."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any, Final

from microsoft_teams.cards import AdaptiveCard, CardElement, Choice, Container, TextBlock

from cards.common import Card, button_rows, execute, format_day, paragraph, plain, render, title
from cards.forms import Field, FormItem, Kind, Note, keyed, render_fields
from cards.screening import kind_text
from cards.wellbeing_forms import personal_data_check
from cards.wellbeing_items import item_form
from domain.i18n import Lang, t
from domain.org import UnitRef
from domain.screening import (
    FINDING_ROWS,
    HeldView,
    ScreeningKind,
    ScreeningState,
    ScreeningView,
)
from domain.wellbeing_privacy import Flag

RECORD_FIELDS: Final = (
    Field(
        "kind",
        "screening.field.kind",
        Kind.CHOICE,
        required=True,
        expanded=True,
        options=keyed("screening.kind", [kind.value for kind in ScreeningKind]),
        error="screening.field.kind.error",
    ),
    Field(
        "request_id",
        "screening.field.request",
        Kind.CHOICE,
        placeholder="screening.field.request.placeholder",
        wrap=True,
    ),
    Field(
        "state",
        "screening.field.state",
        Kind.CHOICE,
        required=True,
        expanded=True,
        options=keyed("screening.state", [state.value for state in ScreeningState]),
        error="screening.field.state.error",
    ),
    Field(
        "day", "screening.field.day", Kind.DATE, required=True, error="screening.field.day.error"
    ),
    Field(
        "proof",
        "screening.field.proof",
        Kind.URL,
        max_length=500,
        placeholder="documentation.field.proof.placeholder",
        error="documentation.error.proof",
    ),
    Note("screening.findings.title"),
    Note("screening.findings.hint", heading=False),
)


def request_choices(lang: Lang, unit: UnitRef, requests: Sequence[ScreeningView]) -> list[Choice]:
    """The accepted sister-screening requests, named by the other unit and the agreed day."""
    choices = []
    for view in requests:
        other = view.partner if view.unit_id == unit.id else view.unit
        day = format_day(lang, view.planned_on) if view.planned_on else ""
        choices.append(
            Choice(
                title=t(lang, "screening.field.request.choice", unit=plain(other), day=day),
                value=str(view.id),
            )
        )
    return choices


def record_card(
    lang: Lang,
    unit: UnitRef,
    requests: Sequence[ScreeningView],
    *,
    batch: str,
    screening_id: int | None = None,
    values: Mapping[str, Any] | None = None,
    errors: Mapping[str, str] | None = None,
    picker: bool = False,
) -> Card:
    """Record a screening of `unit` (`screening_id`: the planned one being recorded as
    held): its kind, planned or held, the day, which accepted request a sister screening
    was (`requests`), the proof, and up to `FINDING_ROWS` findings; errors under their
    fields with what was typed kept. `batch` names this card (a second click stores
    nothing new)."""
    errors = errors or {}
    body: list[CardElement] = [
        title(t(lang, "screening.record.title")),
        paragraph(t(lang, "screening.ask.unit", unit=plain(unit.name)), subtle=True),
        paragraph(t(lang, "screening.record.intro")),
    ]
    if errors:
        body.append(
            TextBlock(text=t(lang, "screening.record.errors"), color="Attention", wrap=True)
        )
    fields: tuple[FormItem, ...] = RECORD_FIELDS
    if not requests:
        fields = tuple(f for f in fields if not (isinstance(f, Field) and f.id == "request_id"))
    body.extend(
        render_fields(
            lang,
            fields,
            values,
            errors,
            choices={"request_id": request_choices(lang, unit, requests)},
        )
    )
    if not requests and "request_id" in errors:
        body.append(paragraph(errors["request_id"]))
    for row in range(1, FINDING_ROWS + 1):
        body.append(
            Container(
                separator=True,
                items=[
                    TextBlock(text=t(lang, "screening.findings.row", n=row), weight="Bolder"),
                    *render_fields(lang, item_form(row), values, errors, picker=picker),
                ],
            )
        )
    ids: dict[str, Any] = {"unit_id": unit.id, "batch": batch, "rows": FINDING_ROWS}
    if screening_id is not None:
        ids["screening_id"] = screening_id
    body.extend(
        button_rows(
            [
                execute(t(lang, "screening.button.save"), "screening.record", **ids),
                execute(t(lang, "screening.button.back"), "documentation.show", unit_id=unit.id),
            ]
        )
    )
    return render(AdaptiveCard(body=body))


def check_card(
    lang: Lang,
    unit: UnitRef,
    flags: Sequence[Flag],
    *,
    batch: str,
    screening_id: int | None,
    values: Mapping[str, Any],
) -> Card:
    """Before a screening's findings go into the action plan, which all employees see: the
    well-being flow's personal-data check. **Ret teksten** brings the form back as typed;
    **Gem alligevel** saves it as it is. Both carry what was typed (`values`)."""
    ids: dict[str, Any] = {"unit_id": unit.id, "batch": batch, "rows": FINDING_ROWS}
    if screening_id is not None:
        ids["screening_id"] = screening_id
    ids.update(values)
    return personal_data_check(
        lang,
        flags,
        edit=execute(t(lang, "wellbeing.button.edit_text"), "screening.record", **ids, edit="yes"),
        save_anyway=execute(
            t(lang, "wellbeing.button.save_anyway"), "screening.record", **ids, confirm="yes"
        ),
        cancel=execute(t(lang, "screening.button.back"), "documentation.show", unit_id=unit.id),
    )


def saved_card(lang: Lang, unit: UnitRef, view: HeldView, *, today: date) -> Card:
    """The receipt: what was recorded and, for a held screening, how many findings went
    into the unit's action plan, where their owners get them and they are followed up."""
    what = kind_text(lang, view.kind, view.partner)
    state = "held" if view.state is ScreeningState.HELD else "planned"
    body: list[CardElement] = [
        title(t(lang, "screening.saved.title")),
        paragraph(
            t(
                lang,
                f"screening.saved.{state}",
                what=what,
                unit=plain(unit.name),
                day=format_day(lang, view.day),
            )
        ),
    ]
    actions = []
    if view.state is ScreeningState.HELD:
        key = "screening.saved.findings" if view.findings else "screening.saved.no_findings"
        body.append(paragraph(t(lang, key, count=view.findings)))
        actions.append(
            execute(t(lang, "screening.button.plan"), "wellbeing.plan.show", unit_id=unit.id)
        )
    elif view.day > today:
        body.append(paragraph(t(lang, "screening.saved.later"), subtle=True))
    actions.append(execute(t(lang, "screening.button.back"), "documentation.show", unit_id=unit.id))
    body.extend(button_rows(actions))
    return render(AdaptiveCard(body=body))
