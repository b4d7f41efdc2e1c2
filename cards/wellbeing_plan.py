"""Cards of a unit's well-being plan: the unit picker, the plan as every employee sees it,
a dialogue's notes (for those allowed), and the counts-only overview."""

from __future__ import annotations

from datetime import date
from typing import Any, Final

from microsoft_teams.cards import (
    ActionSet,
    AdaptiveCard,
    CardElement,
    Column,
    ColumnSet,
    Container,
    Fact,
    FactSet,
    ShowCardAction,
    TextBlock,
)

from cards.common import (
    Card,
    attention,
    button_column,
    button_rows,
    execute,
    paragraph,
    plain,
    render,
    submit,
    title,
    unit_choice,
)
from cards.forms import field_error
from cards.wellbeing_common import format_date, short, status_name, theme_name
from domain.i18n import Lang, local_date, t
from domain.org import UnitRef
from domain.wellbeing import (
    DialogueNotes,
    GroupStatus,
    ItemStatus,
    ItemView,
    PlanView,
    Theme,
    UnitStatus,
)

MAX_PLAN_ROWS: Final = 12
FIRST_PLAN_ROWS: Final = 5
"""Items a plan shows at once; the rest up to `MAX_PLAN_ROWS` behind a button."""
LONG_NOTES: Final = 800
"""Characters of notes a notes card shows in full; beyond them it shows a beginning."""
NOTES_BEGINNING: Final = 300
MAX_GROUP_LINES: Final = 10
"""Groups a unit's line lists (the group due first first); the rest as a count."""


# -- the unit's plan -----------------------------------------------------------------------------


def unit_picker(
    lang: Lang, units: list[UnitRef], *, selected: int | None = None, error: str | None = None
) -> Card:
    body: list[CardElement] = [
        title(t(lang, "wellbeing.plan.pick_title")),
        paragraph(t(lang, "wellbeing.plan.pick_intro")),
        unit_choice(
            units,
            label=t(lang, "wellbeing.field.unit"),
            error_message=t(lang, "wellbeing.error.unit"),
            value=str(selected) if selected else None,
        ),
    ]
    if error:
        body.append(field_error(error))
    return render(
        AdaptiveCard(
            body=body,
            actions=[execute(t(lang, "wellbeing.button.show_plan"), "wellbeing.plan.show")],
        )
    )


def _plan_row(lang: Lang, view: ItemView, *, today: date, can_manage: bool) -> ColumnSet:
    overdue = view.overdue(today)
    lines: list[CardElement] = [
        TextBlock(text=f"**{view.reference}** {plain(short(view.problem))}", wrap=True),
        TextBlock(
            text=t(lang, "wellbeing.plan.action", action=plain(short(view.action))),
            wrap=True,
            spacing="None",
        ),
        TextBlock(
            text=t(
                lang,
                "wellbeing.plan.meta",
                owner=plain(view.owner),
                deadline=format_date(lang, view.deadline),
                follow_up=format_date(lang, view.follow_up_on),
            ),
            wrap=True,
            is_subtle=True,
            size="Small",
            spacing="None",
        ),
        TextBlock(
            text=status_name(lang, view, today),
            wrap=True,
            size="Small",
            weight="Bolder",
            spacing="None",
            color="Attention" if overdue else ("Good" if view.status is ItemStatus.DONE else None),
        ),
    ]
    if view.screening_held_on is not None:
        day = format_date(lang, view.screening_held_on)
        lines.insert(
            1,
            TextBlock(
                text=t(lang, "wellbeing.plan.from_screening", day=day),
                wrap=True,
                is_subtle=True,
                size="Small",
                spacing="None",
            ),
        )
    columns = [Column(width="stretch", items=lines)]
    if can_manage and view.status.is_open:
        columns.append(
            button_column(
                t(lang, "wellbeing.button.edit"),
                "wellbeing.item.edit",
                item_id=view.id,
            )
        )
    return ColumnSet(separator=True, spacing="Medium", columns=columns)


def plan_card(
    lang: Lang,
    plan: PlanView,
    *,
    today: date,
    can_manage: bool,
    can_read_notes: bool,
    notice: str | None = None,
) -> Card:
    """The unit's current action plan, as every employee may see it (never any notes)."""
    body: list[CardElement] = [
        title(t(lang, "wellbeing.plan.title", unit=plain(plan.unit))),
        paragraph(t(lang, "wellbeing.plan.intro"), subtle=True),
    ]
    if notice:
        body.append(attention(notice))
    facts = [
        Fact(
            title=t(lang, "wellbeing.plan.last_dialogue"),
            value=format_date(lang, plan.last_held) or t(lang, "wellbeing.plan.never"),
        ),
        Fact(
            title=t(lang, "wellbeing.plan.next_due"),
            value=format_date(lang, plan.due_on)
            + (f" ({t(lang, 'wellbeing.plan.due_now')})" if plan.due_on <= today else ""),
        ),
        Fact(
            title=t(lang, "wellbeing.plan.amd", year=plan.year),
            value=format_date(lang, plan.amd_held_on) or t(lang, "wellbeing.plan.amd_missing"),
        ),
    ]
    body.append(FactSet(facts=facts))
    if len(plan.groups) > 1:
        # Group names stay with those who see the overview or the notes: the plan is public.
        body.append(
            paragraph(t(lang, "wellbeing.plan.groups", count=len(plan.groups)), subtle=True)
        )
    open_count = sum(1 for view in plan.items if view.status.is_open)
    overdue = sum(1 for view in plan.items if view.overdue(today))
    if not plan.items:
        body.append(paragraph(t(lang, "wellbeing.plan.empty")))
    else:
        body.append(
            TextBlock(
                text=t(lang, "wellbeing.plan.counts", open=open_count, overdue=overdue),
                weight="Bolder",
                wrap=True,
            )
        )
    rows = [
        _plan_row(lang, view, today=today, can_manage=can_manage)
        for view in plan.items[:MAX_PLAN_ROWS]
    ]
    body.extend(rows[:FIRST_PLAN_ROWS])
    if len(rows) > FIRST_PLAN_ROWS:
        rest = len(rows) - FIRST_PLAN_ROWS
        more = ShowCardAction(
            title=t(lang, "wellbeing.plan.show_more", count=rest),
            card=AdaptiveCard(body=rows[FIRST_PLAN_ROWS:]),
        )
        body.append(ActionSet(actions=[more]))
    if len(plan.items) > MAX_PLAN_ROWS:
        body.append(
            paragraph(
                t(lang, "wellbeing.plan.more", count=len(plan.items) - MAX_PLAN_ROWS), subtle=True
            )
        )
    actions: list[Any] = []
    if can_manage:
        actions.append(
            execute(
                t(lang, "wellbeing.button.add_items"), "wellbeing.items.add", unit_id=plan.unit_id
            )
        )
        actions.append(submit(t(lang, "wellbeing.button.record"), "menu.open", flow="wellbeing"))
    if can_read_notes:
        actions.append(
            execute(t(lang, "wellbeing.button.notes"), "wellbeing.notes.show", unit_id=plan.unit_id)
        )
    body.extend(
        button_rows(
            actions,
            more=[execute(t(lang, "wellbeing.button.other_unit"), "wellbeing.plan.pick")],
        )
    )
    return render(AdaptiveCard(body=body))


def _note_texts(lang: Lang, notes: DialogueNotes) -> list[CardElement]:
    """The notes in full; when they are long, the beginning of the first and a button that
    shows them all."""
    texts = [
        (key, text)
        for key, text in (
            ("wellbeing.field.works_well", notes.works_well),
            ("wellbeing.field.challenges", notes.challenges),
            ("wellbeing.field.absence_note", notes.absence_note),
        )
        if text
    ]
    whole: list[CardElement] = []
    for key, text in texts:
        whole.append(TextBlock(text=t(lang, key), weight="Bolder", wrap=True))
        whole.append(TextBlock(text=plain(text), wrap=True, spacing="None"))
    if sum(len(text) for _, text in texts) <= LONG_NOTES:
        return whole
    key, text = texts[0]
    return [
        TextBlock(text=t(lang, key), weight="Bolder", wrap=True),
        TextBlock(text=plain(short(text, NOTES_BEGINNING)), wrap=True, spacing="None"),
        ActionSet(
            actions=[
                ShowCardAction(
                    title=t(lang, "wellbeing.notes.show_all"), card=AdaptiveCard(body=whole)
                )
            ]
        ),
    ]


def notes_card(
    lang: Lang,
    notes: DialogueNotes,
    *,
    unit_id: int,
    others: list[tuple[int, date, str]],
) -> Card:
    """One dialogue's notes, for the unit's leaders and AMKs and the person who recorded it."""
    body: list[CardElement] = [
        title(t(lang, "wellbeing.notes.title", unit=plain(notes.unit))),
        Container(
            style="warning",
            items=[
                TextBlock(text=t(lang, "wellbeing.notes.confidential"), wrap=True, size="Small")
            ],
        ),
        TextBlock(
            text=t(
                lang,
                "wellbeing.notes.heading",
                date=format_date(lang, notes.held_on),
                group=plain(notes.group_name),
            ),
            weight="Bolder",
            wrap=True,
        ),
    ]
    themes = [theme_name(lang, theme) for theme in notes.themes if theme is not Theme.OTHER]
    if Theme.OTHER in notes.themes:
        themes.append(
            plain(notes.theme_other) if notes.theme_other else theme_name(lang, Theme.OTHER)
        )
    facts = [
        ("wellbeing.fact.facilitator", plain(notes.facilitator or "–")),
        ("wellbeing.fact.participants", str(notes.participants)),
        ("wellbeing.fact.themes", ", ".join(themes)),
        (
            "wellbeing.fact.absence",
            t(lang, "wellbeing.yes" if notes.absence_considered else "wellbeing.no"),
        ),
        ("wellbeing.fact.recorded_by", plain(notes.recorded_by)),
        ("wellbeing.fact.items", str(notes.items)),
    ]
    body.append(FactSet(facts=[Fact(title=t(lang, key), value=value) for key, value in facts]))
    if notes.notes_deleted_at is not None:
        body.append(
            paragraph(
                t(
                    lang,
                    "wellbeing.notes.deleted",
                    date=format_date(lang, local_date(notes.notes_deleted_at)),
                ),
                subtle=True,
            )
        )
    else:
        body.extend(_note_texts(lang, notes))
    for dialogue_id, held, group in others[:4]:
        body.append(
            ColumnSet(
                separator=True,
                columns=[
                    Column(
                        width="stretch",
                        vertical_content_alignment="Center",
                        items=[
                            TextBlock(
                                text=t(
                                    lang,
                                    "wellbeing.notes.other",
                                    date=format_date(lang, held),
                                    group=plain(short(group, 60)),
                                ),
                                wrap=True,
                            )
                        ],
                    ),
                    button_column(
                        t(lang, "wellbeing.button.open"),
                        "wellbeing.notes.show",
                        unit_id=unit_id,
                        dialogue_id=dialogue_id,
                    ),
                ],
            )
        )
    back = execute(t(lang, "wellbeing.button.back_to_plan"), "wellbeing.plan.show", unit_id=unit_id)
    return render(AdaptiveCard(body=body, actions=[back]))


def counts_card(lang: Lang, status: UnitStatus, *, today: date) -> Card:
    """What the secretariat (or anyone allowed counts but not text) sees of a unit's notes."""
    return overview_card(lang, [status], today=today, heading=t(lang, "wellbeing.counts.title"))


# -- overview (counts only) --------------------------------------------------------------------


def overview_card(
    lang: Lang, statuses: list[UnitStatus], *, today: date, heading: str | None = None
) -> Card:
    body: list[CardElement] = [
        title(heading or t(lang, "wellbeing.overview.title")),
        paragraph(t(lang, "wellbeing.overview.intro"), subtle=True),
    ]
    ordered = sorted(
        statuses, key=lambda s: (not s.due(today), -s.overdue_items, s.unit.casefold())
    )
    for status in ordered:
        last = (
            t(lang, "wellbeing.overview.last", date=format_date(lang, status.last_held))
            if status.last_held
            else t(lang, "wellbeing.overview.never")
        )
        due_key = "wellbeing.overview.due_now" if status.due(today) else "wellbeing.overview.due"
        if status.last_held is None:
            due_key = "wellbeing.overview.due_never"
        due = t(lang, due_key, date=format_date(lang, status.due_on))
        amd = (
            t(lang, "wellbeing.overview.amd", date=format_date(lang, status.amd_held_on))
            if status.amd_held_on
            else t(lang, "wellbeing.overview.no_amd", year=today.year)
        )
        lines = [
            t(
                lang,
                "wellbeing.overview.line",
                unit=plain(status.unit),
                last=last,
                due=due,
                open=status.open_items,
                overdue=status.overdue_items,
                amd=amd,
            ),
        ]
        groups = group_lines(lang, status.groups, today=today)
        if groups:
            lines.append("\n".join(groups))
        body.append(
            TextBlock(
                text="\n\n".join(lines),
                wrap=True,
                separator=True,
                color="Attention" if status.due(today) or status.overdue_items else None,
            )
        )
    return render(AdaptiveCard(body=body))


def group_lines(lang: Lang, groups: list[GroupStatus], *, today: date) -> list[str]:
    """One line per group of a unit with more than one: its latest dialogue and its due day,
    marked when it is due (a unit is due when any group is)."""
    if len(groups) < 2:
        return []
    lines = [
        t(
            lang,
            "wellbeing.overview.group_due_now" if group.due(today) else "wellbeing.overview.group",
            group=plain(group.group),
            last=format_date(lang, group.last_held),
            due=format_date(lang, group.due_on),
        )
        for group in groups[:MAX_GROUP_LINES]
    ]
    if len(groups) > MAX_GROUP_LINES:
        lines.append(t(lang, "wellbeing.overview.more_groups", count=len(groups) - MAX_GROUP_LINES))
    return lines
