"""Cards of the documentation overview: a unit's duties with their status, the form that
records one, the unit picker and the secretariat's list of all units."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, Final, Literal

from microsoft_teams.cards import (
    ActionSet,
    AdaptiveCard,
    CardElement,
    Column,
    ColumnDefinition,
    ColumnSet,
    Container,
    OpenUrlAction,
    Table,
    TableCell,
    TableRow,
    TextBlock,
)

from cards.amo import reasoning_items
from cards.common import (
    Card,
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
from cards.exports import proof_button
from cards.forms import Field, Kind, render_fields
from cards.screening import overview_block as screening_block
from cards.training import overview_block
from domain.amo import AMO_DUTY, AmoRecord
from domain.documentation import Duty, Standing, Status
from domain.i18n import Lang, t
from domain.org import Role, UnitRef
from domain.proofs import RecordProof
from domain.screening import SCREENING_DUTY, HeldView, ScreeningView


def _record_action(lang: Lang, unit_id: int, duty: Duty, subject: str | None = None) -> Any:
    """The button that records a duty: the screening form for the screening duty (it asks
    the kind and the findings), the AMO's form for its composition, the duty's own form for
    the rest."""
    if duty.key == SCREENING_DUTY:
        return execute(t(lang, "documentation.record"), "screening.form", unit_id=unit_id)
    if duty.key == AMO_DUTY:
        return execute(t(lang, "documentation.record"), "documentation.amo.form", unit_id=unit_id)
    extra = {"subject": subject} if subject else {}
    return execute(
        t(lang, "documentation.record"),
        "documentation.form",
        unit_id=unit_id,
        duty=duty.key,
        **extra,
    )


Colour = Literal["Good", "Warning", "Attention", "Default"]

_COLOURS: Final[dict[Status, Colour]] = {
    Status.MET: "Good",
    Status.DUE_SOON: "Warning",
    Status.REVIEW: "Warning",
    Status.OVERDUE: "Attention",
    Status.NOT_RECORDED: "Attention",
}


def _status_line(lang: Lang, item: Standing, proof: RecordProof | None = None) -> str:
    parts = [f"**{t(lang, f'documentation.status.{item.status.value}')}**"]
    if item.last_met is not None:
        parts.append(t(lang, "documentation.last_met", day=format_day(lang, item.last_met)))
    if item.due_on is not None:
        parts.append(t(lang, "documentation.due_on", day=format_day(lang, item.due_on)))
    elif item.last_met is not None:
        parts.append(t(lang, "documentation.on_change"))
    if proof is not None:
        parts.append(t(lang, "proofs.ref", ref=proof.ref))
    return " · ".join(parts)


def _duty_block(
    lang: Lang,
    item: Standing,
    unit_id: int,
    may_record: bool,
    amo: Mapping[Role, int],
    amo_record: AmoRecord | None,
    proof: RecordProof | None = None,
) -> Container:
    duty = item.duty
    heading = duty.name(lang is Lang.DA)
    if item.subject:
        heading = f"{heading}: {plain(item.subject)}"
    items: list[CardElement] = [
        TextBlock(text=heading, weight="Bolder", wrap=True),
        TextBlock(
            text=_status_line(lang, item, proof),
            color=_COLOURS[item.status],
            wrap=True,
            spacing="None",
        ),
    ]
    if not duty.recordable:
        items.append(
            TextBlock(
                text=t(lang, f"documentation.source.{duty.source.value}"),
                is_subtle=True,
                size="Small",
                wrap=True,
                spacing="None",
            )
        )
    if duty.key == AMO_DUTY:
        leaders, representatives = amo.get(Role.LEADER, 0), amo.get(Role.AMR, 0)
        items.append(
            TextBlock(
                text=t(lang, "documentation.amo.now", leaders=leaders, amr=representatives)
                + ("" if representatives else " " + t(lang, "documentation.amo.no_amr")),
                is_subtle=True,
                size="Small",
                wrap=True,
                spacing="None",
            )
        )
        if item.status is Status.REVIEW:
            items.append(paragraph(t(lang, "amo.review.why"), subtle=True))
        if amo_record is not None and may_record:
            items.extend(reasoning_items(lang, amo_record))
    actions: list[Any] = []
    if item.proof:
        actions.append(OpenUrlAction(title=t(lang, "documentation.open_proof"), url=item.proof))
    if proof is not None and proof.file_id is not None:
        actions.append(proof_button(lang, proof.file_id))
    if may_record and duty.recordable:
        actions.append(_record_action(lang, unit_id, duty, item.subject))
    if len(actions) > 2:  # the link, the file and the record button: one under the other
        items.extend(button_rows(actions))
    elif actions:
        items.append(ActionSet(actions=actions))
    return Container(items=items, separator=True, spacing="Medium")


def overview_card(
    lang: Lang,
    unit: UnitRef,
    standings: Sequence[Standing],
    *,
    may_record: bool,
    university_wide: bool,
    notice: str | None = None,
    amo: Mapping[Role, int] | None = None,
    training: tuple[int, int] | None = None,
    screenings: Sequence[ScreeningView] | None = None,
    amo_record: AmoRecord | None = None,
    held: Sequence[HeldView] = (),
    proofs: Mapping[tuple[str, str | None], RecordProof] | None = None,
    hint: str | None = None,
) -> Card:
    """A unit's duties, most urgent first, each with its status, dates and proof; a leader,
    AMK or the secretariat can record each recorded duty from here (and sees the AMO's
    latest reasoning, `amo_record`). Then instruction and
    training: the unit's counts and buttons for its leader and AMK (`training`: records and
    people), and for everyone the way to their own records. `screenings`: the unit's sister-
    screening requests, asked and asked of it; `held`: its screenings, planned and held.
    `proofs`: each recorded line's reference and proof file, by (duty, subject); `hint`: how
    to add the proof of the record just saved."""
    body: list[CardElement] = [
        title(t(lang, "documentation.title", unit=plain(unit.name))),
        paragraph(t(lang, "documentation.intro"), subtle=True),
    ]
    if notice:
        body.append(TextBlock(text=notice, color="Good", wrap=True))
    if hint:
        body.append(paragraph(hint, subtle=True))
    lines = proofs or {}
    body.extend(
        _duty_block(
            lang,
            item,
            unit.id,
            may_record,
            amo or {},
            amo_record,
            lines.get((item.duty.key, item.subject)),
        )
        for item in standings
    )
    for duty in _subject_duties(standings):
        if may_record:
            body.append(
                ColumnSet(
                    separator=True,
                    columns=[
                        Column(
                            width="stretch",
                            vertical_content_alignment="Center",
                            items=[TextBlock(text=duty.name(lang is Lang.DA), wrap=True)],
                        ),
                        button_column(
                            t(lang, "documentation.record_new"),
                            "documentation.form",
                            unit_id=unit.id,
                            duty=duty.key,
                        ),
                    ],
                )
            )
    if screenings is not None:
        body.append(screening_block(lang, unit, screenings, may_ask=may_record, held=held))
    body.append(overview_block(lang, unit, counts=training, may_record=training is not None))
    actions = [execute(t(lang, "documentation.other_unit"), "documentation.pick")]
    if university_wide:
        actions.append(execute(t(lang, "documentation.all.show"), "documentation.all"))
    return render(AdaptiveCard(body=body, actions=actions))


def _subject_duties(standings: Sequence[Standing]) -> list[Duty]:
    """Duties kept per subject that have subjects: a new subject is recorded from a button
    of its own (each subject's own button records that subject again)."""
    seen: dict[str, Duty] = {}
    for item in standings:
        if item.duty.per_subject and item.duty.recordable and item.subject:
            seen.setdefault(item.duty.key, item.duty)
    return list(seen.values())


def record_fields(duty: Duty) -> tuple[Field, ...]:
    """The record form: when the duty was met, the proof, and for a duty kept per subject
    what this one covers."""
    subject = (
        (
            Field(
                "subject",
                "documentation.field.subject",
                required=True,
                max_length=150,
                error="documentation.error.subject",
                placeholder="documentation.field.subject.placeholder",
            ),
        )
        if duty.per_subject
        else ()
    )
    return (
        *subject,
        Field(
            "met_on",
            "documentation.field.met_on",
            Kind.DATE,
            required=True,
            error="documentation.field.met_on.error",
            until_today=True,
        ),
        Field(
            "proof",
            "documentation.field.proof",
            Kind.URL,
            max_length=500,
            placeholder="documentation.field.proof.placeholder",
            error="documentation.error.proof",
        ),
    )


def record_card(
    lang: Lang,
    unit: UnitRef,
    duty: Duty,
    *,
    today: date,
    values: Mapping[str, Any] | None = None,
    errors: Mapping[str, str] | None = None,
) -> Card:
    """Record that the unit met `duty`: the day, the proof and (per subject) what it covers;
    errors are shown under their fields with what was typed kept."""
    body: list[CardElement] = [
        title(t(lang, "documentation.record.title", duty=duty.name(lang is Lang.DA))),
        paragraph(t(lang, "documentation.record.unit", unit=plain(unit.name)), subtle=True),
        *render_fields(lang, record_fields(duty), values, errors, today=today),
    ]
    return render(
        AdaptiveCard(
            body=body,
            actions=[
                execute(
                    t(lang, "documentation.save"),
                    "documentation.record",
                    unit_id=unit.id,
                    duty=duty.key,
                ),
                execute(t(lang, "documentation.back"), "documentation.show", unit_id=unit.id),
            ],
        )
    )


def pick_card(
    lang: Lang, units: list[UnitRef], *, selected: int | None = None, error: str | None = None
) -> Card:
    """Which unit's documentation to show."""
    body: list[CardElement] = [
        title(t(lang, "documentation.pick.title")),
        paragraph(t(lang, "documentation.pick.intro")),
        unit_choice(
            units,
            label=t(lang, "documentation.pick.unit"),
            error_message=t(lang, "documentation.pick.error"),
            value=None if selected is None else str(selected),
        ),
    ]
    if error:
        body.append(TextBlock(text=error, color="Attention", wrap=True, spacing="None"))
    return render(
        AdaptiveCard(
            body=body, actions=[execute(t(lang, "documentation.show"), "documentation.show")]
        )
    )


@dataclass(frozen=True)
class UnitSummary:
    """One unit's row in the secretariat's table: its worst status, how many duties stand
    at each status, and each duty's status in the catalogue's order (a duty kept per
    subject: its worst subject)."""

    unit: UnitRef
    worst: Status
    counts: Mapping[Status, int]
    statuses: Sequence[Status] = ()


# Each status as a table cell shows it: a sign and a colour (the legend under the table
# names them; the sign alone still reads where colours do not show).
_SIGNS: Final[dict[Status, str]] = {
    Status.OVERDUE: "✗",
    Status.NOT_RECORDED: "–",
    Status.REVIEW: "↻",
    Status.DUE_SOON: "!",
    Status.MET: "✓",
}


def _cell(*items: CardElement, action: Any = None) -> TableCell:
    return TableCell(items=list(items), select_action=action)


def _status_table(lang: Lang, summaries: Sequence[UnitSummary], duties: Sequence[Duty]) -> Table:
    """Units × duties, a sign per status; a unit's name opens its overview. Where a client
    cannot show a table, the text lines of `_status_lines` stand in."""
    header = TableRow(
        style="accent",
        cells=[
            _cell(TextBlock(text=t(lang, "documentation.all.unit"), weight="Bolder", wrap=True)),
            *(
                _cell(TextBlock(text=str(number), weight="Bolder", horizontal_alignment="Center"))
                for number in range(1, len(duties) + 1)
            ),
        ],
    )
    rows = [header]
    for summary in summaries:
        show = execute(t(lang, "documentation.show"), "documentation.show", unit_id=summary.unit.id)
        rows.append(
            TableRow(
                cells=[
                    _cell(
                        TextBlock(text=plain(summary.unit.name), wrap=True, color="Accent"),
                        action=show,
                    ),
                    *(
                        _cell(TextBlock(text=_SIGNS[status], color=_COLOURS[status]))
                        for status in summary.statuses
                    ),
                ]
            )
        )
    return Table(
        columns=[
            ColumnDefinition(width=4, horizontal_cell_content_alignment="Left"),
            *(ColumnDefinition(width=1) for _ in duties),
        ],
        rows=rows,
        horizontal_cell_content_alignment="Center",
        fallback=_status_lines(lang, summaries),
    )


def _status_lines(lang: Lang, summaries: Sequence[UnitSummary]) -> TextBlock:
    """The table as text: a line per unit with its counts."""
    lines = [
        f"**{plain(summary.unit.name)}**: "
        + t(
            lang,
            "documentation.all.counts",
            overdue=summary.counts.get(Status.OVERDUE, 0),
            not_recorded=summary.counts.get(Status.NOT_RECORDED, 0),
            due_soon=summary.counts.get(Status.DUE_SOON, 0) + summary.counts.get(Status.REVIEW, 0),
        )
        for summary in summaries
    ]
    return TextBlock(text="\n\n".join(lines), wrap=True)


UNITS_PER_PAGE: Final = 12


def all_units_card(
    lang: Lang, summaries: Sequence[UnitSummary], duties: Sequence[Duty], page: int = 0
) -> Card:
    """Every active unit × every duty, most urgent unit first, `UNITS_PER_PAGE` units a page,
    as a table (a text list where tables do not show), the duties' numbers and the signs
    explained under it; a unit's name opens its overview, and so does the unit picker."""
    body: list[CardElement] = [title(t(lang, "documentation.all.title"))]
    if not summaries:
        body.append(paragraph(t(lang, "documentation.all.none")))
        return render(AdaptiveCard(body=body))
    last_page = (len(summaries) - 1) // UNITS_PER_PAGE
    page = min(max(page, 0), last_page)
    first = page * UNITS_PER_PAGE
    shown = summaries[first : first + UNITS_PER_PAGE]
    body.append(paragraph(t(lang, "documentation.all.intro"), subtle=True))
    body.append(_status_table(lang, shown, duties))
    legend = " · ".join(
        f"{number} {duty.name(lang is Lang.DA)}" for number, duty in enumerate(duties, start=1)
    )
    signs = " · ".join(
        f"{_SIGNS[status]} {t(lang, f'documentation.status.{status.value}')}"
        for status in reversed(Status)
    )
    body.append(TextBlock(text=legend, wrap=True, size="Small", is_subtle=True))
    body.append(TextBlock(text=signs, wrap=True, size="Small", is_subtle=True, spacing="None"))
    actions: list[Any] = []
    if last_page > 0:
        body.append(
            paragraph(
                t(
                    lang,
                    "documentation.all.shown",
                    first=first + 1,
                    last=first + len(shown),
                    total=len(summaries),
                ),
                subtle=True,
            )
        )
        actions.extend(
            execute(t(lang, key), "documentation.all", page=to)
            for key, to, possible in (
                ("documentation.all.previous", page - 1, page > 0),
                ("documentation.all.next", page + 1, page < last_page),
            )
            if possible
        )
    actions.append(execute(t(lang, "documentation.other_unit"), "documentation.pick"))
    body.append(ActionSet(actions=actions))
    return render(AdaptiveCard(body=body))


def reminder_card(lang: Lang, unit: UnitRef, item: Standing, *, today: date) -> Card:
    """A duty falls due in 60 or 14 days, or is overdue: what, where, by when, and the
    buttons that show the unit's overview and record the duty."""
    assert item.due_on is not None
    duty = item.duty.name(lang is Lang.DA)
    if item.subject:
        duty = f"{duty}: {plain(item.subject)}"
    days_left = (item.due_on - today).days
    key = "documentation.reminder.overdue" if days_left < 0 else "documentation.reminder.due"
    text = t(
        lang,
        key,
        duty=duty,
        unit=plain(unit.name),
        day=format_day(lang, item.due_on),
        days=days_left,
    )
    actions = [execute(t(lang, "documentation.show"), "documentation.show", unit_id=unit.id)]
    if item.duty.recordable:
        actions.insert(0, _record_action(lang, unit.id, item.duty))
    body: list[CardElement] = [
        title(t(lang, "documentation.reminder.title")),
        paragraph(text),
        paragraph(t(lang, "documentation.reminder.hint"), subtle=True),
    ]
    return render(AdaptiveCard(body=body, actions=actions))
