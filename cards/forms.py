"""Form inputs from field specs: each form lists its fields once (id, label, kind, limits,
choices) and `render_fields` turns the list into the card's inputs, with what was typed put
back and each field's error shown right under it.

A field's id is the key its value is submitted under, which is the name of the field in the
form's model in `domain` (so the submitted card validates without renaming anything)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from enum import StrEnum
from functools import cache
from typing import Any, Literal

from microsoft_teams.cards import (
    CardElement,
    Choice,
    ChoiceSetInput,
    Column,
    ColumnSet,
    DateInput,
    NumberInput,
    QueryData,
    TextBlock,
    TextInput,
    TimeInput,
    ToggleInput,
)

from cards.common import attention
from domain.i18n import Lang, t
from domain.org import EMAIL_PATTERN
from domain.people import MAX_PERSON_INPUT, PEOPLE_DATASET


class Kind(StrEnum):
    """What an input asks for (and so which Adaptive Card input shows it)."""

    TEXT = "text"
    MULTILINE = "multiline"
    EMAIL = "email"
    PERSON = "person"  # Teams' people picker, or an e-mail field where it is not offered
    PHONE = "phone"
    URL = "url"
    NUMBER = "number"
    DATE = "date"
    TIME = "time"
    CHOICE = "choice"
    CHOICES = "choices"
    TOGGLE = "toggle"


Spacing = Literal["None", "Small", "Default", "Medium", "Large"]

_TEXT_STYLES: dict[Kind, Literal["Email", "Tel", "Url"]] = {
    Kind.EMAIL: "Email",
    Kind.PHONE: "Tel",
    Kind.URL: "Url",
}


@dataclass(frozen=True, slots=True)
class Field:
    """One input of a form.

    `label`, `error` (what the client says when a required field is empty or does not match
    `pattern`) and `placeholder` are catalogue keys. A choice's `options` are fixed
    (value, catalogue key) pairs; without them its choices are given to `render_fields`
    under the field's id. `low`/`high` bound a number; `until_today` keeps a date from
    lying after the `today` given to `render_fields`. A person's `picker_label` and
    `picker_error` are what the people picker shows instead of `label` and `error`."""

    id: str
    label: str
    kind: Kind = Kind.TEXT
    required: bool = False
    max_length: int | None = None
    error: str | None = None
    placeholder: str | None = None
    options: tuple[tuple[str, str], ...] = ()
    expanded: bool = False
    low: int | None = None
    high: int | None = None
    until_today: bool = False
    pattern: str | None = None
    spacing: Spacing | None = None
    wrap: bool = False
    picker_label: str | None = None
    picker_error: str | None = None


@dataclass(frozen=True, slots=True)
class Row:
    """Fields side by side (equal widths unless `widths` are given), each field's error in
    its own column right under it."""

    fields: tuple[Field, ...]
    widths: tuple[str | int, ...] = ()


@dataclass(frozen=True, slots=True)
class Note:
    """A fixed text between the fields: a bold `heading` over a group, or a small `hint`
    under the field before it."""

    key: str
    heading: bool = True


FormItem = Field | Row | Note


def keyed(prefix: str, values: Iterable[str]) -> tuple[tuple[str, str], ...]:
    """Fixed options whose titles are the catalogue's `prefix.value`."""
    return tuple((value, f"{prefix}.{value}") for value in values)


def fields_of(items: Iterable[FormItem]) -> Iterator[Field]:
    """Every field of a form, rows included, in order."""
    for item in items:
        if isinstance(item, Field):
            yield item
        elif isinstance(item, Row):
            yield from item.fields


def field_error(text: str) -> TextBlock:
    """A server-side validation message shown right under its input."""
    return TextBlock(text=text, color="Attention", wrap=True, size="Small", spacing="None")


def kept_value(values: Mapping[str, Any], name: str) -> str | None:
    """What the user typed into `name`, to put back into a card shown again."""
    value = values.get(name)
    if value is None or value == "":
        return None
    if isinstance(value, list):
        return ",".join(str(item) for item in value)
    return str(value)


def kept_number(value: Any) -> float | None:
    """A number typed earlier (a decimal comma is fine), or None."""
    if value is None or value == "":
        return None
    try:
        return float(str(value).replace(",", "."))
    except ValueError:
        return None


def render_fields(
    lang: Lang,
    items: Iterable[FormItem],
    values: Mapping[str, Any] | None = None,
    errors: Mapping[str, str] | None = None,
    *,
    choices: Mapping[str, Sequence[Choice]] | None = None,
    today: date | None = None,
    picker: bool = False,
    fix: str | None = None,
) -> list[CardElement]:
    """The form's inputs in order, each showing what was typed (`values`), each field's
    error (`errors`: field id → message) right under it (in a row, in its own column).
    A person field is Teams' people picker if `picker`, else an e-mail field. With errors,
    the line `fix` (a catalogue key: what to do about them) stands above the inputs."""
    values = values or {}
    errors = errors or {}
    choices = choices or {}
    body: list[CardElement] = [attention(t(lang, fix))] if errors and fix else []
    for item in items:
        if isinstance(item, Note):
            body.append(_note(lang, item))
            continue
        if isinstance(item, Row):
            widths = item.widths or ("stretch",) * len(item.fields)
            body.append(
                ColumnSet(
                    columns=[
                        Column(
                            width=width,
                            items=[
                                _input(lang, field, values, choices, today, picker),
                                *_error(errors, field),
                            ],
                        )
                        for field, width in zip(item.fields, widths, strict=True)
                    ]
                )
            )
        else:
            body.append(_input(lang, item, values, choices, today, picker))
            body.extend(_error(errors, item))
    return body


def _error(errors: Mapping[str, str], field: Field) -> list[CardElement]:
    return [field_error(errors[field.id])] if field.id in errors else []


def _note(lang: Lang, note: Note) -> TextBlock:
    if note.heading:
        return TextBlock(text=t(lang, note.key), weight="Bolder", wrap=True)
    return TextBlock(
        text=t(lang, note.key), wrap=True, is_subtle=True, size="Small", spacing="None"
    )


def _input(
    lang: Lang,
    field: Field,
    values: Mapping[str, Any],
    choices: Mapping[str, Sequence[Choice]],
    today: date | None,
    picker: bool = False,
) -> CardElement:
    """The Adaptive Card input of one field."""
    kind = field.kind
    if kind is Kind.PERSON:
        return _person(lang, field, values, picker)
    label = t(lang, field.label)
    error = t(lang, field.error) if field.error else None
    placeholder = t(lang, field.placeholder) if field.placeholder else None
    required = field.required or None
    if kind is Kind.TOGGLE:
        on = str(values.get(field.id, "")).strip().lower() == "true"
        return ToggleInput(
            id=field.id,
            title=label,
            value="true" if on else "false",
            value_on="true",
            value_off="false",
            wrap=True,
            spacing=field.spacing,
        )
    if kind in (Kind.CHOICE, Kind.CHOICES):
        return ChoiceSetInput(
            id=field.id,
            label=label,
            style="expanded" if field.expanded else "compact",
            is_multi_select=kind is Kind.CHOICES or None,
            is_required=required,
            error_message=error,
            placeholder=placeholder,
            wrap=field.wrap or field.expanded or None,
            spacing=field.spacing,
            value=kept_value(values, field.id),
            choices=list(
                _fixed_choices(lang, field.options) if field.options else choices[field.id]
            ),
        )
    if kind is Kind.NUMBER:
        return NumberInput(
            id=field.id,
            label=label,
            is_required=required,
            error_message=error,
            placeholder=placeholder,
            min=field.low,
            max=field.high,
            spacing=field.spacing,
            value=kept_number(values.get(field.id)),
        )
    if kind in (Kind.DATE, Kind.TIME):
        latest = today.isoformat() if field.until_today and today is not None else None
        make = DateInput if kind is Kind.DATE else TimeInput
        return make(
            id=field.id,
            label=label,
            is_required=required,
            error_message=error,
            placeholder=placeholder,
            max=latest,
            spacing=field.spacing,
            value=kept_value(values, field.id),
        )
    return TextInput(
        id=field.id,
        label=label,
        is_multiline=kind is Kind.MULTILINE or None,
        style=_TEXT_STYLES.get(kind),
        is_required=required,
        error_message=error,
        placeholder=placeholder,
        max_length=field.max_length,
        regex=field.pattern,
        spacing=field.spacing,
        value=kept_value(values, field.id),
    )


def _person(lang: Lang, field: Field, values: Mapping[str, Any], picker: bool) -> CardElement:
    """Teams' people picker (it submits the person's Entra object id; a kept object id shows
    as the person), or an e-mail field."""
    if not picker:
        return _input(lang, replace(field, kind=Kind.EMAIL), values, {}, None)
    label = field.picker_label or field.label
    error = field.picker_error or field.error
    return ChoiceSetInput(
        id=field.id,
        label=t(lang, label),
        is_required=field.required or None,
        error_message=t(lang, error) if error else None,
        placeholder=t(lang, "people.search"),
        spacing=field.spacing,
        value=kept_value(values, field.id),
        choices=[],
        choices_data=QueryData(dataset=PEOPLE_DATASET),
    )


def person_field(
    id: str,
    label: str,
    *,
    picker_label: str,
    error: str | None,
    required: bool = True,
    picker_error: str = "people.pick.error",
    pattern: str | None = EMAIL_PATTERN.pattern,
) -> Field:
    """A person input: the people picker (`picker_label`) in Teams, an e-mail field
    (`label`, which says so; checked against `pattern`) elsewhere."""
    return Field(
        id,
        label,
        Kind.PERSON,
        required=required,
        max_length=MAX_PERSON_INPUT,
        error=error,
        pattern=pattern,
        picker_label=picker_label,
        picker_error=picker_error,
    )


@cache
def _fixed_choices(lang: Lang, options: tuple[tuple[str, str], ...]) -> tuple[Choice, ...]:
    """A field's fixed choices in one language, built once (cards only read them)."""
    return tuple(Choice(title=t(lang, key), value=value) for value, key in options)
