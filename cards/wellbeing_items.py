"""Cards of well-being dialogues and action plans: the dialogue form, the personal-data check,
action-plan items (several at once, one to edit), the owner's card, the follow-up question,
the unit's plan, the notes (for those allowed), the annual discussion and the overview."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date
from functools import cache
from typing import Any, Final

from microsoft_teams.cards import (
    ActionSet,
    AdaptiveCard,
    CardElement,
    Choice,
    Column,
    ColumnSet,
    Container,
    ExecuteAction,
    Fact,
    FactSet,
    RefreshDefinition,
    TextBlock,
)

from cards.common import (
    Card,
    execute,
    paragraph,
    plain,
    render,
    submit,
    title,
    unit_choice,
    unit_choices,
)
from cards.forms import Field, FormItem, Kind, Row, field_error, keyed, render_fields
from domain.i18n import Lang, local_date, t
from domain.org import UnitRef
from domain.submissions import card_data
from domain.wellbeing import (
    MAX_ITEM_ROWS,
    MAX_ITEM_TEXT,
    MAX_NOTE,
    MAX_PARTICIPANTS,
    MAX_TEXT,
    AmdRole,
    DialogueNotes,
    Effect,
    Flag,
    GoalsMet,
    ItemStatus,
    ItemView,
    PlanView,
    Theme,
    UnitStatus,
    item_field,
)

FORM_ACTIONS: Final = ("wellbeing.form.save", "wellbeing.form.cancel")
CHECK_ACTIONS: Final = ("wellbeing.form.confirm", "wellbeing.form.edit", "wellbeing.form.cancel")
MAX_PLAN_ROWS: Final = 12
MAX_PLAN_TEXT: Final = 280
MAX_MINE_ROWS: Final = 15


def format_date(lang: Lang, day: date | None) -> str:
    if day is None:
        return ""
    return day.strftime("%d.%m.%Y") if lang is Lang.DA else day.strftime("%d %b %Y")


def _short(text: str, limit: int = MAX_PLAN_TEXT) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _banner(text: str) -> TextBlock:
    return TextBlock(text=text, color="Attention", weight="Bolder", wrap=True)


def _privacy_warning(lang: Lang, key: str) -> Container:
    return Container(
        style="warning",
        items=[
            TextBlock(text=t(lang, "wellbeing.privacy.title"), weight="Bolder", wrap=True),
            TextBlock(text=t(lang, key), wrap=True, size="Small", spacing="None"),
        ],
    )


def _field_label(lang: Lang, name: str) -> str:
    """ "Udfordringer", or "Punkt 2, problem" for a field of a multi-row items card."""
    row = re.fullmatch(r"(problem|action)_(\d+)", name)
    if row:
        field = t(lang, f"wellbeing.flag_field.{row.group(1)}")
        return t(lang, "wellbeing.flag_field.row", n=row.group(2), field=field)
    return t(lang, f"wellbeing.flag_field.{name}")


def _flag_lines(lang: Lang, flags: Sequence[Flag]) -> str:
    lines = [
        t(
            lang,
            f"wellbeing.flag.{flag.kind}",
            field=_field_label(lang, flag.field),
            text=plain(flag.text),
        )
        for flag in flags[:12]
    ]
    return "\n".join(f"- {line}" for line in lines)


def theme_name(lang: Lang, theme: Theme) -> str:
    return t(lang, f"wellbeing.theme.{theme.value}")


def status_name(lang: Lang, view: ItemView, today: date | None = None) -> str:
    text = t(lang, f"wellbeing.status.{view.status.value}")
    if today is not None and view.overdue(today):
        text = t(lang, "wellbeing.status.overdue", status=text)
    if view.effect is not None:
        text += " · " + t(lang, f"wellbeing.effect_short.{view.effect.value}")
    return text


# -- recording a dialogue ---------------------------------------------------------------------


def _field(name: str, label: str | None = None, kind: Kind = Kind.TEXT, **spec: Any) -> Field:
    return Field(name, f"wellbeing.field.{label or name}", kind, **spec)


_UNIT = _field("unit_id", "unit", Kind.CHOICE, required=True, error="wellbeing.error.unit")
DIALOGUE_FORM: tuple[FormItem, ...] = (
    _UNIT,
    _field("group_name", "group", required=True, max_length=200, error="wellbeing.error.group"),
    Row(
        (
            _field("held_on", kind=Kind.DATE, required=True, error="wellbeing.error.held_on"),
            _field(
                "participants",
                kind=Kind.NUMBER,
                required=True,
                low=1,
                high=MAX_PARTICIPANTS,
                error="wellbeing.error.participants",
            ),
        )
    ),
    _field("facilitator", required=True, max_length=200, error="wellbeing.error.facilitator"),
    _field(
        "themes",
        kind=Kind.CHOICES,
        required=True,
        error="wellbeing.error.themes",
        options=keyed("wellbeing.theme", [theme.value for theme in Theme]),
        expanded=True,
    ),
    _field("theme_other", max_length=300),
    *(
        _field(
            name,
            kind=Kind.MULTILINE,
            placeholder=f"wellbeing.placeholder.{name}",
            max_length=MAX_TEXT,
        )
        for name in ("works_well", "challenges")
    ),
    _field(
        "absence_considered",
        "absence",
        Kind.CHOICE,
        required=True,
        error="wellbeing.error.absence",
        options=keyed("wellbeing", ["yes", "no"]),
        expanded=True,
    ),
    _field("absence_note", kind=Kind.MULTILINE, max_length=MAX_NOTE),
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
        _privacy_warning(lang, "wellbeing.privacy.notes"),
        paragraph(t(lang, "wellbeing.form.intro"), subtle=True),
    ]
    if errors:
        body.append(_banner(t(lang, "wellbeing.error.form")))
    if flags:
        body.append(_banner(t(lang, "wellbeing.check.still")))
        body.append(TextBlock(text=_flag_lines(lang, flags), wrap=True, size="Small"))

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
                submit(t(lang, "wellbeing.button.cancel"), "wellbeing.form.cancel"),
            ],
        )
    )


def check_card(lang: Lang, flags: Sequence[Flag], *, submission_key: str | None = None) -> Card:
    """Before saving: the pieces that look like personal data; edit or save anyway (which
    carries `submission_key`)."""
    body: list[CardElement] = [
        title(t(lang, "wellbeing.check.title")),
        paragraph(t(lang, "wellbeing.check.intro")),
        TextBlock(text=_flag_lines(lang, flags), wrap=True),
        paragraph(t(lang, "wellbeing.check.advice"), subtle=True),
    ]
    return render(
        AdaptiveCard(
            body=body,
            actions=[
                submit(t(lang, "wellbeing.button.edit_text"), "wellbeing.form.edit"),
                submit(
                    t(lang, "wellbeing.button.save_anyway"),
                    "wellbeing.form.confirm",
                    **card_data(submission_key),
                ),
                submit(t(lang, "wellbeing.button.cancel"), "wellbeing.form.cancel"),
            ],
        )
    )


# -- action-plan items -------------------------------------------------------------------------


@cache
def item_form(row: int | None) -> tuple[FormItem, ...]:
    """The fields of one action-plan item: `problem_2`, … on a card of several (row 2),
    `problem`, … on a single item's card; the example texts only on the first."""

    def name(field: str) -> str:
        return item_field(field, row)

    def text(field: str) -> Field:
        return _field(
            name(field),
            f"item_{field}",
            Kind.MULTILINE,
            placeholder=f"wellbeing.placeholder.item_{field}" if row in (1, None) else None,
            max_length=MAX_ITEM_TEXT,
        )

    return (
        text("problem"),
        text("action"),
        _field(name("owner"), "owner", Kind.EMAIL, max_length=320),
        Row(
            (
                _field(name("deadline"), "deadline", Kind.DATE),
                _field(name("follow_up"), "follow_up", Kind.DATE),
            )
        ),
    )


def items_card(
    lang: Lang,
    *,
    unit: str,
    unit_id: int,
    dialogue_id: int | None,
    rows: int,
    batch: str,
    values: dict[str, Any] | None = None,
    errors: dict[str, str] | None = None,
    flags: Sequence[Flag] = (),
    notice: str | None = None,
) -> Card:
    """Several blank item rows (blank rows are skipped); "more rows" keeps what is typed.

    `batch` identifies this card, so that a second click on Save stores nothing new.
    """
    values = values or {}
    errors = errors or {}
    ids = {"unit_id": unit_id, "dialogue_id": dialogue_id or "", "rows": rows, "batch": batch}
    body: list[CardElement] = [
        title(t(lang, "wellbeing.items.title", unit=plain(unit))),
        paragraph(t(lang, "wellbeing.items.intro"), subtle=True),
        _privacy_warning(lang, "wellbeing.privacy.plan"),
    ]
    if notice:
        body.append(paragraph(notice))
    if errors:
        body.append(_banner(t(lang, "wellbeing.error.form")))
    for row in range(1, rows + 1):
        body.append(
            Container(
                separator=True,
                spacing="Medium",
                items=[
                    TextBlock(text=t(lang, "wellbeing.items.row", n=row), weight="Bolder"),
                    *render_fields(lang, item_form(row), values, errors),
                ],
            )
        )
    actions: list[Any] = []
    if flags:
        body.append(_banner(t(lang, "wellbeing.check.intro")))
        body.append(TextBlock(text=_flag_lines(lang, flags), wrap=True, size="Small"))
        body.append(paragraph(t(lang, "wellbeing.check.advice"), subtle=True))
        actions.append(
            execute(
                t(lang, "wellbeing.button.save_anyway"),
                "wellbeing.items.save",
                **ids,
                confirm="yes",
            )
        )
    else:
        actions.append(
            execute(t(lang, "wellbeing.button.save_items"), "wellbeing.items.save", **ids)
        )
    if rows < MAX_ITEM_ROWS:
        actions.append(
            execute(
                t(lang, "wellbeing.button.more_rows"),
                "wellbeing.items.rows",
                **{**ids, "rows": min(MAX_ITEM_ROWS, rows + 3)},
            )
        )
    actions.append(
        execute(t(lang, "wellbeing.button.no_more_items"), "wellbeing.plan.show", unit_id=unit_id)
    )
    return render(AdaptiveCard(body=body, actions=actions))


def _item_facts(lang: Lang, view: ItemView, *, today: date | None) -> FactSet:
    """The item as facts; what people typed (and their names) made `plain`."""
    rows = [
        ("wellbeing.fact.unit", plain(view.unit)),
        ("wellbeing.fact.problem", plain(view.problem)),
        ("wellbeing.fact.action", plain(view.action)),
        ("wellbeing.fact.owner", plain(view.owner)),
        ("wellbeing.fact.deadline", format_date(lang, view.deadline)),
        ("wellbeing.fact.follow_up", format_date(lang, view.follow_up_on)),
        ("wellbeing.fact.status", status_name(lang, view, today)),
    ]
    return FactSet(facts=[Fact(title=t(lang, key), value=value) for key, value in rows])


def items_saved_card(
    lang: Lang,
    *,
    unit: str,
    unit_id: int,
    dialogue_id: int | None,
    views: list[ItemView],
    unreachable: list[str],
) -> Card:
    body: list[CardElement] = [
        title(t(lang, "wellbeing.items.saved_title", unit=plain(unit))),
        paragraph(t(lang, "wellbeing.items.saved", count=len(views))),
    ]
    for view in views[:MAX_ITEM_ROWS]:
        body.append(
            TextBlock(
                text=t(
                    lang,
                    "wellbeing.items.saved_line",
                    ref=view.reference,
                    problem=plain(_short(view.problem, 120)),
                    owner=plain(view.owner),
                    deadline=format_date(lang, view.deadline),
                ),
                wrap=True,
                separator=True,
            )
        )
    if unreachable:
        body.append(
            paragraph(
                t(
                    lang,
                    "wellbeing.items.unreachable",
                    people=plain(", ".join(sorted(set(unreachable)))),
                ),
                subtle=True,
            )
        )
    return render(
        AdaptiveCard(
            body=body,
            actions=[
                execute(
                    t(lang, "wellbeing.button.add_items"),
                    "wellbeing.items.add",
                    unit_id=unit_id,
                    dialogue_id=dialogue_id or "",
                ),
                execute(
                    t(lang, "wellbeing.button.show_plan"), "wellbeing.plan.show", unit_id=unit_id
                ),
            ],
        )
    )


def _refresh(view: ItemView, live: bool) -> RefreshDefinition:
    return RefreshDefinition(
        action=ExecuteAction(
            title="refresh",
            verb="wellbeing.item.refresh",
            data={"action": "wellbeing.item.refresh", "item_id": view.id},
        ),
        user_ids=[view.owner_teams_id] if live and view.owner_teams_id else [],
    )


STATUS_FORM: tuple[FormItem, ...] = (
    _field("note", "status_note", Kind.MULTILINE, max_length=MAX_NOTE),
)
EFFECT_FORM: tuple[FormItem, ...] = (
    _field(
        "effect",
        kind=Kind.CHOICE,
        required=True,
        error="wellbeing.error.effect",
        options=keyed("wellbeing.effect", [effect.value for effect in Effect]),
        expanded=True,
    ),
    _field("note", "effect_note", Kind.MULTILINE, max_length=MAX_NOTE),
)


def _status_buttons(lang: Lang, view: ItemView, *, origin: str) -> list[CardElement]:
    """Note + in progress / done / dropped, while the item is open."""
    if not view.status.is_open:
        return []
    buttons: list[Any] = []
    if view.status is ItemStatus.OPEN:
        buttons.append(
            execute(
                t(lang, "wellbeing.button.in_progress"),
                "wellbeing.item.progress",
                item_id=view.id,
                origin=origin,
            )
        )
    buttons.append(
        execute(
            t(lang, "wellbeing.button.done"), "wellbeing.item.done", item_id=view.id, origin=origin
        )
    )
    buttons.append(
        execute(
            t(lang, "wellbeing.button.drop"), "wellbeing.item.drop", item_id=view.id, origin=origin
        )
    )
    return [*render_fields(lang, STATUS_FORM), ActionSet(actions=buttons)]


def owner_card(
    lang: Lang,
    view: ItemView,
    *,
    today: date,
    heading: str | None = None,
    notice: str | None = None,
    interactive: bool = True,
) -> Card:
    """The owner's item: status buttons while open; kept current through `refresh`.

    Not `interactive`: the same facts for anyone else, without buttons.
    """
    body: list[CardElement] = [title(heading or t(lang, "wellbeing.owner.title"))]
    body.append(paragraph(t(lang, "wellbeing.owner.intro", unit=plain(view.unit))))
    if view.reopened_from_id:
        body.append(paragraph(t(lang, "wellbeing.owner.reopened", ref=f"#{view.reopened_from_id}")))
    body.append(_item_facts(lang, view, today=today))
    if view.status_note and view.status is ItemStatus.DROPPED:
        body.append(
            paragraph(t(lang, "wellbeing.owner.dropped_reason", note=plain(view.status_note)))
        )
    if view.status_by and view.status_at and not view.status.is_open:
        body.append(
            TextBlock(
                text=t(
                    lang,
                    "wellbeing.owner.closed_by",
                    status=t(lang, f"wellbeing.status.{view.status.value}"),
                    name=plain(view.status_by),
                ),
                weight="Bolder",
                color="Good" if view.status is ItemStatus.DONE else "Attention",
                wrap=True,
            )
        )
    if notice:
        body.append(_banner(notice))
    if not interactive:
        return render(AdaptiveCard(body=body))
    body.extend(_status_buttons(lang, view, origin="owner"))
    if view.status is ItemStatus.DONE and view.effect is None:
        body.append(
            paragraph(
                t(
                    lang,
                    "wellbeing.owner.follow_up_later",
                    date=format_date(lang, view.follow_up_on),
                ),
                subtle=True,
            )
        )
    return render(AdaptiveCard(body=body, refresh=_refresh(view, view.status.is_open)))


def follow_up_card(lang: Lang, view: ItemView, *, today: date, notice: str | None = None) -> Card:
    """On the follow-up date: was the solution adequate and effective? (yes / partly / no)."""
    body: list[CardElement] = [
        title(t(lang, "wellbeing.follow_up.title")),
        paragraph(t(lang, "wellbeing.follow_up.intro", unit=plain(view.unit))),
        _item_facts(lang, view, today=today),
    ]
    if notice:
        body.append(_banner(notice))
    if view.effect is None and view.status is ItemStatus.DONE:
        body.extend(render_fields(lang, EFFECT_FORM))
        body.append(
            ActionSet(
                actions=[
                    execute(
                        t(lang, "wellbeing.button.answer"),
                        "wellbeing.item.evaluate",
                        item_id=view.id,
                    )
                ]
            )
        )
    elif view.effect is not None:
        body.append(
            TextBlock(
                text=t(lang, f"wellbeing.effect.answered.{view.effect.value}"),
                weight="Bolder",
                color="Good" if view.effect is Effect.YES else "Attention",
                wrap=True,
            )
        )
    live = view.effect is None and view.status is ItemStatus.DONE
    return render(AdaptiveCard(body=body, refresh=_refresh(view, live)))


def item_edit_card(
    lang: Lang,
    view: ItemView,
    *,
    owner_upn: str,
    today: date,
    values: dict[str, Any] | None = None,
    errors: dict[str, str] | None = None,
    flags: Sequence[Flag] = (),
    notice: str | None = None,
) -> Card:
    """For those who manage the plan: change an open item, or set its status."""
    body: list[CardElement] = [
        title(t(lang, "wellbeing.edit.title", ref=view.reference, unit=plain(view.unit)))
    ]
    if notice:
        body.append(_banner(notice))
    if not view.status.is_open:
        body.append(_item_facts(lang, view, today=today))
        return render(
            AdaptiveCard(
                body=body,
                actions=[
                    execute(
                        t(lang, "wellbeing.button.back_to_plan"),
                        "wellbeing.plan.show",
                        unit_id=view.unit_id,
                    )
                ],
            )
        )
    shown = values or {
        "problem": view.problem,
        "action": view.action,
        "owner": owner_upn,
        "deadline": view.deadline.isoformat(),
        "follow_up": view.follow_up_on.isoformat(),
    }
    errors = errors or {}
    if errors:
        body.append(_banner(t(lang, "wellbeing.error.form")))
    body.append(paragraph(t(lang, "wellbeing.edit.status", status=status_name(lang, view, today))))
    body.extend(render_fields(lang, item_form(None), shown, errors))
    save: dict[str, Any] = {"item_id": view.id}
    label = "wellbeing.button.save"
    if flags:
        body.append(_banner(t(lang, "wellbeing.check.intro")))
        body.append(TextBlock(text=_flag_lines(lang, flags), wrap=True, size="Small"))
        save["confirm"] = "yes"
        label = "wellbeing.button.save_anyway"
    body.append(ActionSet(actions=[execute(t(lang, label), "wellbeing.item.save", **save)]))
    body.append(
        TextBlock(text=t(lang, "wellbeing.edit.status_heading"), weight="Bolder", separator=True)
    )
    body.extend(_status_buttons(lang, view, origin="edit"))
    return render(
        AdaptiveCard(
            body=body,
            actions=[
                execute(
                    t(lang, "wellbeing.button.back_to_plan"),
                    "wellbeing.plan.show",
                    unit_id=view.unit_id,
                )
            ],
        )
    )


def mine_card(lang: Lang, views: list[ItemView], *, today: date) -> Card:
    """The speaker's own items, each with an Open button."""
    body: list[CardElement] = [title(t(lang, "wellbeing.mine.title"))]
    for view in views[:MAX_MINE_ROWS]:
        body.append(
            ColumnSet(
                separator=True,
                columns=[
                    Column(
                        width="stretch",
                        items=[
                            TextBlock(
                                text=f"**{view.reference}** {plain(_short(view.problem, 120))}",
                                wrap=True,
                            ),
                            TextBlock(
                                text=t(
                                    lang,
                                    "wellbeing.mine.line",
                                    unit=plain(view.unit),
                                    deadline=format_date(lang, view.deadline),
                                    status=status_name(lang, view, today),
                                ),
                                wrap=True,
                                is_subtle=True,
                                size="Small",
                                spacing="None",
                            ),
                        ],
                    ),
                    Column(
                        width="auto",
                        items=[
                            ActionSet(
                                actions=[
                                    execute(
                                        t(lang, "wellbeing.button.open"),
                                        "wellbeing.item.open",
                                        item_id=view.id,
                                    )
                                ]
                            )
                        ],
                    ),
                ],
            )
        )
    return render(AdaptiveCard(body=body))


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
        TextBlock(text=f"**{view.reference}** {plain(_short(view.problem))}", wrap=True),
        TextBlock(
            text=t(lang, "wellbeing.plan.action", action=plain(_short(view.action))),
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
    columns = [Column(width="stretch", items=lines)]
    if can_manage and view.status.is_open:
        columns.append(
            Column(
                width="auto",
                items=[
                    ActionSet(
                        actions=[
                            execute(
                                t(lang, "wellbeing.button.edit"),
                                "wellbeing.item.edit",
                                item_id=view.id,
                            )
                        ]
                    )
                ],
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
        body.append(_banner(notice))
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
    for view in plan.items[:MAX_PLAN_ROWS]:
        body.append(_plan_row(lang, view, today=today, can_manage=can_manage))
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
    actions.append(execute(t(lang, "wellbeing.button.other_unit"), "wellbeing.plan.pick"))
    return render(AdaptiveCard(body=body, actions=actions))


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
        for key, text in (
            ("wellbeing.field.works_well", notes.works_well),
            ("wellbeing.field.challenges", notes.challenges),
            ("wellbeing.field.absence_note", notes.absence_note),
        ):
            if text:
                body.append(TextBlock(text=t(lang, key), weight="Bolder", wrap=True))
                body.append(TextBlock(text=plain(text), wrap=True, spacing="None"))
    actions: list[Any] = [
        execute(
            t(lang, "wellbeing.notes.other", date=format_date(lang, held), group=_short(group, 30)),
            "wellbeing.notes.show",
            unit_id=unit_id,
            dialogue_id=dialogue_id,
        )
        for dialogue_id, held, group in others[:4]
    ]
    actions.append(
        execute(t(lang, "wellbeing.button.back_to_plan"), "wellbeing.plan.show", unit_id=unit_id)
    )
    return render(AdaptiveCard(body=body, actions=actions))


def counts_card(lang: Lang, status: UnitStatus, *, today: date) -> Card:
    """What the secretariat (or anyone allowed counts but not text) sees of a unit's notes."""
    return overview_card(lang, [status], today=today, heading=t(lang, "wellbeing.counts.title"))


# -- the annual work-environment discussion -------------------------------------------------


AMD_FORM: tuple[FormItem, ...] = (
    _UNIT,
    Row(
        (
            _field("year", kind=Kind.CHOICE, required=True),
            _field(
                "held_on", "amd_held_on", Kind.DATE, required=True, error="wellbeing.error.held_on"
            ),
        )
    ),
    _field(
        "participant_roles",
        kind=Kind.CHOICES,
        required=True,
        error="wellbeing.error.roles",
        options=keyed("wellbeing.amd_role", [role.value for role in AmdRole]),
        expanded=True,
    ),
    _field(
        "goals_met",
        kind=Kind.CHOICE,
        required=True,
        error="wellbeing.error.goals_met",
        options=keyed("wellbeing.goals_met", [answer.value for answer in GoalsMet]),
        expanded=True,
    ),
    *(
        _field(
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
        body.append(_banner(t(lang, "wellbeing.error.form")))

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
        body.append(
            TextBlock(
                text=t(
                    lang,
                    "wellbeing.overview.line",
                    unit=plain(status.unit),
                    last=last,
                    due=due,
                    open=status.open_items,
                    overdue=status.overdue_items,
                    amd=amd,
                ),
                wrap=True,
                separator=True,
                color="Attention" if status.due(today) or status.overdue_items else None,
            )
        )
    return render(AdaptiveCard(body=body))
