"""Cards of reporting a near miss: the form (`FORM`), the injury guardrail and the receipt."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from microsoft_teams.cards import (
    AdaptiveCard,
    CardElement,
    SubmitAction,
    TextBlock,
)

from cards.common import (
    Card,
    button_rows,
    paragraph,
    plain,
    render,
    submit,
    title,
    unit_choices,
)
from cards.forms import Field, FormItem, Kind, Note, Row, keyed, render_fields
from cards.near_miss import became_accident
from domain.i18n import COPENHAGEN, Lang, t
from domain.near_miss import (
    Category,
    Severity,
)
from domain.org import UnitRef
from domain.submissions import ANONYMOUS_FIELD

FORM_ACTIONS = ("near_miss.submit", "near_miss.cancel")
INJURY_ACTIONS = (
    "near_miss.as_accident",
    "near_miss.record_anyway",
    "near_miss.edit",
    "near_miss.cancel",
)


def _cancel(lang: Lang) -> SubmitAction:
    """Cancel without the client insisting on the required fields first."""
    action = submit(t(lang, "near_miss.form.cancel"), "near_miss.cancel")
    action.associated_inputs = "none"
    return action


# -- reporting ---------------------------------------------------------------------------------


def _required(name: str, label: str, kind: Kind = Kind.TEXT, **spec: Any) -> Field:
    return Field(name, label, kind, required=True, error=f"near_miss.error.{name}", **spec)


FORM: tuple[FormItem, ...] = (
    Row(
        (
            _required("occurred_date", "near_miss.form.date", Kind.DATE, until_today=True),
            _required("occurred_time", "near_miss.form.time", Kind.TIME),
        )
    ),
    _required(
        "unit_id", "near_miss.form.unit", Kind.CHOICE, placeholder="near_miss.form.unit.placeholder"
    ),
    Row(
        (
            _required(
                "campus",
                "near_miss.form.campus",
                placeholder="near_miss.form.campus.placeholder",
                max_length=100,
            ),
            Field("building", "near_miss.form.building", max_length=50),
            Field("room", "near_miss.form.room", max_length=50),
        ),
        widths=(2, 1, 1),
    ),
    _required(
        "description",
        "near_miss.form.description",
        Kind.MULTILINE,
        placeholder="near_miss.form.description.placeholder",
        max_length=4000,
    ),
    _required(
        "category",
        "near_miss.form.category",
        Kind.CHOICE,
        options=keyed("near_miss.category", [category.value for category in Category]),
    ),
    _required(
        "severity",
        "near_miss.form.severity",
        Kind.CHOICE,
        options=keyed("near_miss.severity", [severity.value for severity in Severity]),
    ),
    _required(
        "injured",
        "near_miss.form.injured",
        Kind.CHOICE,
        options=keyed("near_miss.form.injured", ["no", "yes"]),
        expanded=True,
    ),
    Field("immediate_action", "near_miss.form.immediate_action", Kind.MULTILINE, max_length=2000),
    Field("prevention", "near_miss.form.prevention", Kind.MULTILINE, max_length=2000),
    Field("photo_url", "near_miss.form.photo_url", Kind.URL, max_length=500),
    Note("near_miss.form.photo_url.owner", heading=False),
    Note("files_in.near_miss.form_photos", heading=False),
    Field("anonymous", "near_miss.form.anonymous", Kind.TOGGLE, spacing="Medium"),
    Note("near_miss.form.anonymous.explain", heading=False),
)


def report_form(
    lang: Lang,
    units: list[UnitRef],
    *,
    now: datetime,
    form_id: str,
    values: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
) -> Card:
    """One compact card with every field (`FORM`); `values` are kept, `errors` (field →
    text) shown under their field. Date and time default to now (Copenhagen)."""
    local = now.astimezone(COPENHAGEN)
    now_values = {
        "occurred_date": local.date().isoformat(),
        "occurred_time": local.strftime("%H:%M"),
    }
    body: list[CardElement] = [
        title(t(lang, "near_miss.form.title")),
        paragraph(t(lang, "near_miss.form.intro"), subtle=True),
    ]
    body.extend(
        render_fields(
            lang,
            FORM,
            {**now_values, **(values or {})},
            errors,
            choices={"unit_id": unit_choices(units)},
            today=local.date(),
            fix="near_miss.form.fix",
        )
    )
    return render(
        AdaptiveCard(
            body=body,
            actions=[
                submit(t(lang, "near_miss.form.submit"), "near_miss.submit", form_id=form_id),
                _cancel(lang),
            ],
        )
    )


def injury_card(lang: Lang, *, anonymous: bool = False) -> Card:
    """Someone was hurt: that is a work accident (EASY within 14 days); record it anyway?
    An anonymous report's button says so, so its turn writes nothing of the reporter's."""
    record_data = {ANONYMOUS_FIELD: "true"} if anonymous else {}
    return render(
        AdaptiveCard(
            body=[
                title(t(lang, "near_miss.injury.title")),
                paragraph(t(lang, "near_miss.injury.text")),
                TextBlock(text=t(lang, "near_miss.injury.easy"), wrap=True, weight="Bolder"),
                paragraph(t(lang, "near_miss.injury.still")),
                *button_rows(
                    [
                        submit(
                            t(lang, "work_accident.from_near_miss.report"),
                            "near_miss.as_accident",
                        ),
                        submit(
                            t(lang, "near_miss.injury.record"),
                            "near_miss.record_anyway",
                            **record_data,
                        ),
                        submit(t(lang, "near_miss.injury.edit"), "near_miss.edit"),
                    ],
                    more=[_cancel(lang)],
                ),
            ],
        )
    )


def confirmation_card(
    lang: Lang,
    *,
    number: str,
    unit: str,
    anonymous: bool,
    injury: bool,
    category: Category,
    report_id: int | None = None,
) -> Card:
    """The receipt with the number to quote; what happens next (nothing, if anonymous). A
    named report of an injury offers to report it as the work accident it is."""
    body: list[CardElement] = [
        title(t(lang, "near_miss.confirm.title")),
        paragraph(t(lang, "near_miss.confirm.number", number=number)),
        paragraph(
            t(
                lang,
                "near_miss.confirm.anonymous" if anonymous else "near_miss.confirm.named",
                unit=plain(unit),
            )
        ),
    ]
    if injury:
        body.append(
            TextBlock(text=t(lang, "near_miss.confirm.injury"), wrap=True, color="Attention")
        )
    if category is Category.THREAT_VIOLENCE:
        body.append(paragraph(t(lang, "near_miss.confirm.support"), subtle=True))
    actions = (
        [became_accident(lang, report_id)]
        if injury and not anonymous and report_id is not None
        else None
    )
    return render(AdaptiveCard(body=body, actions=actions))
