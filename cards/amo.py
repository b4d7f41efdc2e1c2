"""Cards of the AMO's composition: the form that records it (the members from the unit's
roles, the groups, the reasoning), the latest reasoning on the overview, and the card that
asks the unit's leader and AMK to review it after the roles changed."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Final

from microsoft_teams.cards import AdaptiveCard, CardElement, TextBlock

from cards.common import Card, execute, format_day, paragraph, plain, render, title
from cards.forms import Field, Kind, Note, render_fields
from domain.amo import AMO_ROLES, GROUPS_MAX, REASONING_MAX, AmoRecord
from domain.i18n import Lang, t
from domain.org import Role, UnitRef

FIELDS: Final = (
    Field(
        "groups",
        "amo.field.groups",
        Kind.MULTILINE,
        required=True,
        max_length=GROUPS_MAX * 101,
        error="amo.error.groups",
        placeholder="amo.field.groups.placeholder",
    ),
    Note("amo.field.groups.hint", heading=False),
    Field(
        "reasoning",
        "amo.field.reasoning",
        Kind.MULTILINE,
        required=True,
        max_length=REASONING_MAX,
        error="amo.error.reasoning",
        placeholder="amo.field.reasoning.placeholder",
    ),
    Field(
        "proof",
        "documentation.field.proof",
        Kind.URL,
        max_length=500,
        placeholder="amo.field.proof.placeholder",
        error="documentation.error.proof",
    ),
)


def _member_lines(lang: Lang, people: Mapping[Role, Sequence[str]]) -> list[CardElement]:
    """One line per AMO role: who holds it in the unit now, or that nobody does."""
    return [
        TextBlock(
            text=f"**{t(lang, f'amo.role.{role.value}')}:** "
            + (", ".join(plain(name) for name in people.get(role, ())) or t(lang, "amo.nobody")),
            wrap=True,
            spacing="None",
        )
        for role in AMO_ROLES
    ]


def form_card(
    lang: Lang,
    unit: UnitRef,
    people: Mapping[Role, Sequence[str]],
    *,
    values: Mapping[str, Any] | None = None,
    errors: Mapping[str, str] | None = None,
) -> Card:
    """Record the AMO's composition: its members as the unit's roles show them now, then the
    groups, the reasoning and the proof; errors under their fields, with what was typed
    kept."""
    body: list[CardElement] = [
        title(t(lang, "amo.title", unit=plain(unit.name))),
        paragraph(t(lang, "amo.intro"), subtle=True),
        TextBlock(text=t(lang, "amo.members"), weight="Bolder", wrap=True),
        *_member_lines(lang, people),
        paragraph(t(lang, "amo.members.hint"), subtle=True),
        *render_fields(lang, FIELDS, values, errors),
    ]
    return render(
        AdaptiveCard(
            body=body,
            actions=[
                execute(t(lang, "documentation.save"), "documentation.amo.record", unit_id=unit.id),
                execute(t(lang, "documentation.back"), "documentation.show", unit_id=unit.id),
            ],
        )
    )


def form_values(record: AmoRecord | None) -> dict[str, str] | None:
    """The latest record's groups and reasoning, to start the next one from."""
    if record is None:
        return None
    return {"groups": "\n".join(record.groups), "reasoning": record.reasoning}


def reasoning_items(lang: Lang, record: AmoRecord) -> list[CardElement]:
    """The latest composition on the overview: the groups, the reasoning, when and by whom."""
    recorded = t(
        lang,
        "amo.recorded",
        day=format_day(lang, record.recorded_on),
        who=plain(record.recorded_by or "–"),
        members=len(record.members),
    )
    return [
        TextBlock(
            text=t(
                lang,
                "amo.groups",
                count=len(record.groups),
                names=", ".join(plain(name) for name in record.groups),
            ),
            wrap=True,
            size="Small",
            spacing="Small",
        ),
        TextBlock(
            text=f"{t(lang, 'amo.reasoning')} {plain(record.reasoning)}",
            wrap=True,
            size="Small",
            spacing="None",
        ),
        TextBlock(text=recorded, is_subtle=True, size="Small", wrap=True, spacing="None"),
    ]


def review_card(lang: Lang, unit: UnitRef, record: AmoRecord, *, gone: int, new: int) -> Card:
    """The unit's AMO roles changed substantially since the reasoning was written: review the
    composition and record it again."""
    text = t(
        lang,
        "amo.review.text",
        unit=plain(unit.name),
        day=format_day(lang, record.recorded_on),
        gone=gone,
        new=new,
    )
    body: list[CardElement] = [
        title(t(lang, "amo.review.title")),
        paragraph(text),
        paragraph(t(lang, "amo.review.hint"), subtle=True),
    ]
    return render(
        AdaptiveCard(
            body=body,
            actions=[
                execute(t(lang, "amo.review.open"), "documentation.amo.form", unit_id=unit.id),
                execute(t(lang, "documentation.show"), "documentation.show", unit_id=unit.id),
            ],
        )
    )
