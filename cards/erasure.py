"""Cards of an administrator's erasure of a person: the form (an e-mail address, or Teams'
people picker), what would change with the button that erases, and what changed."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from microsoft_teams.cards import AdaptiveCard, CardElement, TextBlock

from cards.common import Card, button_rows, execute, paragraph, plain, render, title
from cards.forms import person_field, render_fields
from domain.i18n import Lang, catalogue_keys, t
from domain.my_data import Erasure

FORM = (
    person_field(
        "person", "erase.person", picker_label="erase.person.picker", error="erase.person.error"
    ),
)
_TABLE_KEYS = frozenset(key for key in catalogue_keys() if key.startswith("erase.table."))


def table_label(lang: Lang, table: str) -> str:
    """A register's name as an administrator reads it (tables without one: "other")."""
    key = f"erase.table.{table}"
    return t(lang, key if key in _TABLE_KEYS else "erase.table.other")


def _tables(lang: Lang, counts: Mapping[str, int]) -> str:
    if not counts:
        return t(lang, "erase.none")
    totals: dict[str, int] = {}
    for table, count in counts.items():
        label = table_label(lang, table)
        totals[label] = totals.get(label, 0) + count
    return ", ".join(f"{label} {count}" for label, count in totals.items())


def _summary(lang: Lang, erasure: Erasure) -> list[CardElement]:
    """The same lines as `python -m bot person erase --dry-run` prints."""
    lines = [
        t(lang, "erase.roles", roles=erasure.roles, chats=erasure.chats),
        t(lang, "erase.records", tables=_tables(lang, erasure.records)),
        t(lang, "erase.texts", tables=_tables(lang, erasure.texts)),
        t(lang, "erase.audit_events", count=erasure.audit_events),
    ]
    if erasure.files:
        lines.append(t(lang, "erase.files", count=erasure.files))
    return [paragraph(line) for line in lines]


def erase_form_card(
    lang: Lang,
    *,
    picker: bool,
    values: Mapping[str, Any] | None = None,
    error: str | None = None,
) -> Card:
    """Whom to erase; the button shows what would change (nothing is erased from here)."""
    errors = {"person": error} if error else {}
    body: list[CardElement] = [
        title(t(lang, "erase.title")),
        paragraph(t(lang, "erase.intro"), subtle=True),
        *render_fields(lang, FORM, dict(values or {}), errors, picker=picker),
        *button_rows([execute(t(lang, "erase.preview"), "admin.erase.preview")]),
    ]
    return render(AdaptiveCard(body=body))


def erase_preview_card(lang: Lang, erasure: Erasure, *, who: str) -> Card:
    """What erasing the person would change (a dry run), with the button that does it; `who`
    is the e-mail address or object id the administrator gave."""
    body: list[CardElement] = [
        title(t(lang, "erase.preview.title")),
        paragraph(
            t(
                lang,
                "erase.preview.who",
                person=plain(erasure.person),
                pseudonym=plain(erasure.pseudonym),
            )
        ),
        *_summary(lang, erasure),
    ]
    if erasure.open_items:
        body.append(
            TextBlock(
                text=t(lang, "erase.open_items", count=erasure.open_items),
                color="Attention",
                wrap=True,
            )
        )
    body.append(paragraph(t(lang, "erase.preview.nothing_yet"), subtle=True))
    confirm = execute(t(lang, "erase.confirm"), "admin.erase.confirm", person=who)
    confirm = confirm.model_copy(update={"style": "destructive"})
    body.extend(button_rows([confirm, execute(t(lang, "erase.back"), "admin.erase.form")]))
    return render(AdaptiveCard(body=body))


def erased_card(lang: Lang, erasure: Erasure) -> Card:
    """What erasing the person changed."""
    body: list[CardElement] = [
        title(t(lang, "erase.title")),
        TextBlock(
            text=t(
                lang,
                "erase.done.who",
                person=plain(erasure.person),
                pseudonym=plain(erasure.pseudonym),
            ),
            color="Good",
            weight="Bolder",
            wrap=True,
        ),
        *_summary(lang, erasure),
        paragraph(t(lang, "erase.done.audit"), subtle=True),
    ]
    return render(AdaptiveCard(body=body))
