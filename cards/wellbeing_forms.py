"""Well-being forms: recording a dialogue (`DIALOGUE_FORM`), the personal-data check, and
the annual work-environment discussion (`AMD_FORM`)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any, Final

from microsoft_teams.cards import (
    AdaptiveCard,
    CardElement,
    Choice,
    TextBlock,
)

from cards.common import (
    Card,
    attention,
    execute,
    paragraph,
    plain,
    render,
    secondary,
    submit,
    title,
    unit_choices,
)
from cards.forms import FormItem, Kind, Row, keyed, render_fields
from cards.wellbeing_common import field_spec, flag_lines, format_date, privacy_warning
from domain.i18n import Lang, t
from domain.org import UnitRef
from domain.submissions import card_data
from domain.wellbeing import MAX_NOTE, MAX_PARTICIPANTS, MAX_TEXT, AmdRole, GoalsMet, Theme
from domain.wellbeing_privacy import Flag

FORM_ACTIONS: Final = ("wellbeing.form.save", "wellbeing.form.cancel")
CHECK_ACTIONS: Final = ("wellbeing.form.confirm", "wellbeing.form.edit", "wellbeing.form.cancel")


# -- recording a dialogue ---------------------------------------------------------------------


_UNIT = field_spec("unit_id", "unit", Kind.CHOICE, required=True, error="wellbeing.error.unit")
DIALOGUE_FORM: tuple[FormItem, ...] = (
    _UNIT,
    field_spec("group_name", "group", required=True, max_length=200, error="wellbeing.error.group"),
    Row(
        (
            field_spec("held_on", kind=Kind.DATE, required=True, error="wellbeing.error.held_on"),
            field_spec(
                "participants",
                kind=Kind.NUMBER,
                required=True,
                low=1,
                high=MAX_PARTICIPANTS,
                error="wellbeing.error.participants",
            ),
        )
    ),
    field_spec("facilitator", required=True, max_length=200, error="wellbeing.error.facilitator"),
    field_spec(
        "themes",
        kind=Kind.CHOICES,
        required=True,
        error="wellbeing.error.themes",
        options=keyed("wellbeing.theme", [theme.value for theme in Theme]),
        expanded=True,
    ),
    field_spec("theme_other", max_length=300),
    *(
        field_spec(
            name,
            kind=Kind.MULTILINE,
            placeholder=f"wellbeing.placeholder.{name}",
            max_length=MAX_TEXT,
        )
        for name in ("works_well", "challenges")
    ),
    field_spec(
        "absence_considered",
        "absence",
        Kind.CHOICE,
        required=True,
        error="wellbeing.error.absence",
        options=keyed("wellbeing", ["yes", "no"]),
        expanded=True,
    ),
    field_spec("absence_note", kind=Kind.MULTILINE, max_length=MAX_NOTE),
)


def dialogue_form(
    lang: Lang,
    units: list[UnitRef],
    *,
    values: dict[str, Any] | None = None,
    errors: dict[str, str] | None = None,
    flags: Sequence[Flag] = (),
    submission_key: str | None = None,
) -> Card:
    """The dialogue card; `values` are kept and `errors` (field → message) shown next to them.
    Save carries `submission_key`, so the same card saved twice stores one dialogue."""
    values = values or {}
    errors = errors or {}
    body: list[CardElement] = [
        title(t(lang, "wellbeing.form.title")),
        privacy_warning(lang, "wellbeing.privacy.notes"),
        paragraph(t(lang, "wellbeing.form.intro"), subtle=True),
    ]
    if errors:
        body.append(attention(t(lang, "wellbeing.error.form")))
    if flags:
        body.append(attention(t(lang, "wellbeing.check.still")))
        body.append(TextBlock(text=flag_lines(lang, flags), wrap=True, size="Small"))

    body.extend(
        render_fields(lang, DIALOGUE_FORM, values, errors, choices={"unit_id": unit_choices(units)})
    )
    body.append(paragraph(t(lang, "wellbeing.form.amd_hint"), subtle=True))
    return render(
        AdaptiveCard(
            body=body,
            actions=[
                submit(
                    t(lang, "wellbeing.button.save_dialogue"),
                    "wellbeing.form.save",
                    **card_data(submission_key),
                ),
                secondary(submit(t(lang, "wellbeing.button.cancel"), "wellbeing.form.cancel")),
            ],
        )
    )


def check_card(lang: Lang, flags: Sequence[Flag], *, submission_key: str | None = None) -> Card:
    """Before saving: the pieces that look like personal data; edit or save anyway (which
    carries `submission_key`)."""
    return personal_data_check(
        lang,
        flags,
        edit=submit(t(lang, "wellbeing.button.edit_text"), "wellbeing.form.edit"),
        save_anyway=submit(
            t(lang, "wellbeing.button.save_anyway"),
            "wellbeing.form.confirm",
            **card_data(submission_key),
        ),
        cancel=submit(t(lang, "wellbeing.button.cancel"), "wellbeing.form.cancel"),
    )


def personal_data_check(
    lang: Lang, flags: Sequence[Flag], *, edit: Any, save_anyway: Any, cancel: Any
) -> Card:
    """The personal-data check before anything is saved: what looks like a name, an e-mail
    address or a CPR number, and the choice between **Ret teksten** (`edit`) and **Gem
    alligevel** (`save_anyway`); `cancel` in the overflow menu. Each flow brings its own
    actions (labelled with the buttons' texts)."""
    body: list[CardElement] = [
        title(t(lang, "wellbeing.check.title")),
        paragraph(t(lang, "wellbeing.check.intro")),
        TextBlock(text=flag_lines(lang, flags), wrap=True),
        paragraph(t(lang, "wellbeing.check.advice"), subtle=True),
    ]
    return render(AdaptiveCard(body=body, actions=[edit, save_anyway, secondary(cancel)]))


# -- the annual work-environment discussion -------------------------------------------------


AMD_FORM: tuple[FormItem, ...] = (
    _UNIT,
    Row(
        (
            field_spec("year", kind=Kind.CHOICE, required=True, error="wellbeing.error.year"),
            field_spec(
                "held_on", "amd_held_on", Kind.DATE, required=True, error="wellbeing.error.held_on"
            ),
        )
    ),
    field_spec(
        "participant_roles",
        kind=Kind.CHOICES,
        required=True,
        error="wellbeing.error.roles",
        options=keyed("wellbeing.amd_role", [role.value for role in AmdRole]),
        expanded=True,
    ),
    field_spec(
        "goals_met",
        kind=Kind.CHOICE,
        required=True,
        error="wellbeing.error.goals_met",
        options=keyed("wellbeing.goals_met", [answer.value for answer in GoalsMet]),
        expanded=True,
    ),
    *(
        field_spec(
            name,
            kind=Kind.MULTILINE,
            placeholder=f"wellbeing.placeholder.{name}",
            required=True,
            max_length=2000,
            error="wellbeing.error.required",
        )
        for name in ("goals_next_year", "cooperation", "competence_needs")
    ),
)


def amd_form(
    lang: Lang,
    units: list[UnitRef],
    *,
    year: int,
    values: dict[str, Any] | None = None,
    errors: dict[str, str] | None = None,
) -> Card:
    values = values or {}
    errors = errors or {}
    body: list[CardElement] = [
        title(t(lang, "wellbeing.amd.title")),
        paragraph(t(lang, "wellbeing.amd.intro"), subtle=True),
    ]
    if errors:
        body.append(attention(t(lang, "wellbeing.error.form")))

    years = [Choice(title=str(option), value=str(option)) for option in (year, year - 1)]
    body.extend(
        render_fields(
            lang,
            AMD_FORM,
            {"year": str(year), **{name: value for name, value in values.items() if value}},
            errors,
            choices={"unit_id": unit_choices(units), "year": years},
        )
    )
    return render(
        AdaptiveCard(
            body=body,
            actions=[execute(t(lang, "wellbeing.button.save"), "wellbeing.amd.save")],
        )
    )


def amd_saved_card(
    lang: Lang, *, unit: str, unit_id: int, year: int, held_on: date, new: bool
) -> Card:
    key = "wellbeing.amd.saved" if new else "wellbeing.amd.updated"
    return render(
        AdaptiveCard(
            body=[
                title(t(lang, "wellbeing.amd.title")),
                paragraph(
                    t(lang, key, unit=plain(unit), year=year, date=format_date(lang, held_on))
                ),
                paragraph(t(lang, "wellbeing.amd.next"), subtle=True),
            ],
            actions=[
                execute(
                    t(lang, "wellbeing.button.add_items"), "wellbeing.items.add", unit_id=unit_id
                ),
                execute(
                    t(lang, "wellbeing.button.show_plan"), "wellbeing.plan.show", unit_id=unit_id
                ),
            ],
        )
    )
