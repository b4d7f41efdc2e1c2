"""Cards of instruction and training (§ 18): the block on the documentation overview, a
person's own records, a unit's records, the record form, and the approver's training line
on a lone-work request."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any, Final

from microsoft_teams.cards import (
    ActionSet,
    AdaptiveCard,
    CardElement,
    Container,
    TextBlock,
)

from cards.common import Card, button_rows, execute, paragraph, plain, render, title
from cards.exports import proof_button
from cards.forms import Field, Kind, keyed, render_fields
from domain.i18n import Lang, t
from domain.links import PROOF_MAX
from domain.org import UnitRef
from domain.proofs import training_ref
from domain.training import (
    ACTIVITY_MAX,
    EMAIL_MAX,
    GIVEN_BY_MAX,
    TrainingCheck,
    TrainingKind,
    TrainingView,
)


def format_day(lang: Lang, day: date) -> str:
    return day.strftime("%d.%m.%Y") if lang is Lang.DA else day.strftime("%d %b %Y")


def overview_block(
    lang: Lang, unit: UnitRef, *, counts: tuple[int, int] | None, may_record: bool
) -> Container:
    """Item 5 on the documentation overview: for the unit's leader and AMK (`counts` given)
    how many records there are and the buttons to see and record them; for everyone the way
    to their own records."""
    items: list[CardElement] = [
        TextBlock(text=t(lang, "training.block.title"), weight="Bolder", wrap=True),
    ]
    actions: list[Any] = []
    if counts is not None:
        records, people = counts
        items.append(
            TextBlock(
                text=t(lang, "training.block.counts", records=records, people=people),
                wrap=True,
                spacing="None",
            )
        )
        actions.append(execute(t(lang, "training.button.unit"), "training.unit", unit_id=unit.id))
        if may_record:
            actions.append(
                execute(t(lang, "training.button.record"), "training.form", unit_id=unit.id)
            )
    items.append(
        TextBlock(
            text=t(lang, "training.block.private"),
            is_subtle=True,
            size="Small",
            wrap=True,
            spacing="None",
        )
    )
    actions.append(execute(t(lang, "training.button.mine"), "training.mine", unit_id=unit.id))
    items.extend(ActionSet(actions=[action]) for action in actions)
    return Container(items=items, separator=True, spacing="Medium")


def _record_block(lang: Lang, record: TrainingView, *, heading: str) -> Container:
    lines = [
        t(
            lang,
            "training.line",
            kind=t(lang, f"training.kind.{record.kind.value}"),
            day=format_day(lang, record.given_on),
            by=plain(record.given_by),
        )
    ]
    if record.lone_work:
        lines.append(t(lang, "training.line.lone_work"))
    if record.proof:
        link = record.proof.replace("(", "%28").replace(")", "%29")
        lines.append(f"[{t(lang, 'training.open_proof')}]({link})")
    lines.append(t(lang, "proofs.ref", ref=training_ref(record.id)))
    items: list[CardElement] = [
        TextBlock(text=heading, weight="Bolder", wrap=True),
        TextBlock(text=" · ".join(lines), wrap=True, spacing="None", size="Small"),
    ]
    if record.proof_file_id is not None:
        items.append(ActionSet(actions=[proof_button(lang, record.proof_file_id)]))
    return Container(separator=True, items=items)


def mine_card(lang: Lang, records: Sequence[TrainingView], *, back_to: int | None) -> Card:
    """The reader's own records, in every unit, newest first; back to the overview of unit
    `back_to` (None: the unit picker)."""
    body: list[CardElement] = [title(t(lang, "training.mine.title"))]
    if not records:
        body.append(paragraph(t(lang, "training.mine.none")))
    for record in records:
        heading = f"{plain(record.activity)} ({plain(record.unit)})"
        body.append(_record_block(lang, record, heading=heading))
    return render(
        AdaptiveCard(
            body=body,
            actions=[
                execute(t(lang, "training.button.overview"), "documentation.show", unit_id=back_to)
                if back_to is not None
                else execute(t(lang, "training.button.overview"), "documentation.pick")
            ],
        )
    )


FILTER: Final = Field(
    "person",
    "training.unit.filter",
    Kind.EMAIL,
    max_length=EMAIL_MAX,
    error="training.unit.filter.error",
)


def unit_card(
    lang: Lang,
    unit: UnitRef,
    records: Sequence[TrainingView],
    total: int,
    *,
    may_record: bool,
    person: str | None = None,
    notice: str | None = None,
    hint: str | None = None,
    error: str | None = None,
) -> Card:
    """A unit's records, newest first, with a filter on one person's e-mail (for the unit's
    leader and AMK); after a record is saved, `notice` and `hint` (how to add its proof)."""
    body: list[CardElement] = [title(t(lang, "training.unit.title", unit=plain(unit.name)))]
    if notice:
        body.append(TextBlock(text=notice, color="Good", wrap=True))
    if hint:
        body.append(paragraph(hint, subtle=True))
    if not records:
        body.append(paragraph(t(lang, "training.unit.none")))
    for record in records:
        heading = f"{plain(record.person)}: {plain(record.activity)}"
        body.append(_record_block(lang, record, heading=heading))
    if total > len(records):
        body.append(
            paragraph(t(lang, "training.unit.more", shown=len(records), total=total), subtle=True)
        )
    body.extend(
        render_fields(
            lang,
            (FILTER,),
            {"person": person} if person else None,
            {"person": error} if error else None,
        )
    )
    actions: list[Any] = [
        execute(t(lang, "training.button.show"), "training.unit", unit_id=unit.id)
    ]
    if may_record:
        actions.append(execute(t(lang, "training.button.record"), "training.form", unit_id=unit.id))
    actions.append(
        execute(t(lang, "training.button.overview"), "documentation.show", unit_id=unit.id)
    )
    body.extend(button_rows(actions))
    return render(AdaptiveCard(body=body))


RECORD_FIELDS: Final = (
    Field(
        "person",
        "training.field.person",
        Kind.EMAIL,
        required=True,
        max_length=EMAIL_MAX,
        error="training.field.person.error",
    ),
    Field(
        "activity",
        "training.field.activity",
        required=True,
        max_length=ACTIVITY_MAX,
        placeholder="training.field.activity.placeholder",
        error="training.field.activity.error",
    ),
    Field(
        "kind",
        "training.field.kind",
        Kind.CHOICE,
        required=True,
        options=keyed("training.kind", [kind.value for kind in TrainingKind]),
        error="training.field.kind.error",
    ),
    Field(
        "given_on",
        "training.field.given_on",
        Kind.DATE,
        required=True,
        error="training.field.given_on.error",
        until_today=True,
    ),
    Field(
        "given_by",
        "training.field.given_by",
        required=True,
        max_length=GIVEN_BY_MAX,
        error="training.field.given_by.error",
    ),
    Field(
        "proof",
        "training.field.proof",
        Kind.URL,
        max_length=PROOF_MAX,
        placeholder="training.field.proof.placeholder",
        error="training.error.proof",
    ),
    Field("lone_work", "training.field.lone_work", Kind.TOGGLE),
)


def record_card(
    lang: Lang,
    unit: UnitRef,
    *,
    today: date,
    values: Mapping[str, Any] | None = None,
    errors: Mapping[str, str] | None = None,
) -> Card:
    """Record that a person was given instruction or training in the unit; errors under
    their fields with what was typed kept."""
    body: list[CardElement] = [
        title(t(lang, "training.record.title")),
        paragraph(t(lang, "training.record.unit", unit=plain(unit.name)), subtle=True),
        *render_fields(lang, RECORD_FIELDS, values, errors, today=today),
    ]
    return render(
        AdaptiveCard(
            body=body,
            actions=[
                execute(t(lang, "training.button.save"), "training.record", unit_id=unit.id),
                execute(t(lang, "training.button.back"), "training.unit", unit_id=unit.id),
            ],
        )
    )


def lone_work_line(lang: Lang, check: TrainingCheck, *, requester: str, unit: str) -> TextBlock:
    """The approver's line: the newest matching record, or that none is recorded."""
    match = check.match
    if match is None:
        text = t(lang, "training.lone_work.none", requester=plain(requester), unit=plain(unit))
        return TextBlock(text=text, wrap=True, color="Attention")
    text = t(
        lang,
        "training.lone_work.match",
        activity=plain(match.activity),
        kind=t(lang, f"training.kind.{match.kind.value}").lower(),
        day=format_day(lang, match.given_on),
        by=plain(match.given_by),
    )
    return TextBlock(text=text, wrap=True, color="Good")
