"""Cards of well-being action-plan items: several at once (`item_form` per row), the
owner's card, the follow-up question, editing one item, and the speaker's own items."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from functools import cache
from typing import Any, Final

from microsoft_teams.cards import (
    ActionSet,
    AdaptiveCard,
    CardElement,
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
    attention,
    button_column,
    button_rows,
    execute,
    paragraph,
    plain,
    render,
    title,
)
from cards.forms import Field, FormItem, Kind, Row, keyed, person_field, render_fields
from cards.wellbeing_common import (
    field_spec,
    flag_lines,
    format_date,
    privacy_warning,
    short,
    status_name,
)
from domain.i18n import Lang, t
from domain.wellbeing import MAX_ITEM_ROWS, MAX_ITEM_TEXT, MAX_NOTE, Effect, ItemStatus, ItemView
from domain.wellbeing_items import item_field
from domain.wellbeing_privacy import Flag

MAX_MINE_ROWS: Final = 15


# -- action-plan items -------------------------------------------------------------------------


@cache
def item_form(row: int | None) -> tuple[FormItem, ...]:
    """The fields of one action-plan item: `problem_2`, … on a card of several (row 2),
    `problem`, … on a single item's card; the example texts only on the first."""

    def name(field: str) -> str:
        return item_field(field, row)

    def text(field: str) -> Field:
        return field_spec(
            name(field),
            f"item_{field}",
            Kind.MULTILINE,
            placeholder=f"wellbeing.placeholder.item_{field}" if row in (1, None) else None,
            max_length=MAX_ITEM_TEXT,
        )

    return (
        text("problem"),
        text("action"),
        person_field(
            name("owner"),
            "wellbeing.field.owner",
            picker_label="wellbeing.field.owner.picker",
            error=None,
            required=False,
            pattern=None,
        ),
        Row(
            (
                field_spec(name("deadline"), "deadline", Kind.DATE),
                field_spec(name("follow_up"), "follow_up", Kind.DATE),
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
    picker: bool = False,
) -> Card:
    """Several blank item rows (blank rows are skipped); "more rows" keeps what is typed.
    Owners are chosen in Teams' people picker if `picker`, else typed as e-mail addresses.

    `batch` identifies this card, so that a second click on Save stores nothing new.
    """
    values = values or {}
    errors = errors or {}
    ids = {"unit_id": unit_id, "dialogue_id": dialogue_id or "", "rows": rows, "batch": batch}
    body: list[CardElement] = [
        title(t(lang, "wellbeing.items.title", unit=plain(unit))),
        paragraph(t(lang, "wellbeing.items.intro"), subtle=True),
        privacy_warning(lang, "wellbeing.privacy.plan"),
    ]
    if notice:
        body.append(paragraph(notice))
    if errors:
        body.append(attention(t(lang, "wellbeing.error.form")))
    for row in range(1, rows + 1):
        body.append(
            Container(
                separator=True,
                spacing="Medium",
                items=[
                    TextBlock(text=t(lang, "wellbeing.items.row", n=row), weight="Bolder"),
                    *render_fields(lang, item_form(row), values, errors, picker=picker),
                ],
            )
        )
    actions: list[Any] = []
    if flags:
        body.append(attention(t(lang, "wellbeing.check.intro")))
        body.append(TextBlock(text=flag_lines(lang, flags), wrap=True, size="Small"))
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
    body.extend(button_rows(actions))
    return render(AdaptiveCard(body=body))


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
                    problem=plain(short(view.problem, 120)),
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
    field_spec("note", "status_note", Kind.MULTILINE, max_length=MAX_NOTE),
)
EFFECT_FORM: tuple[FormItem, ...] = (
    field_spec(
        "effect",
        kind=Kind.CHOICE,
        required=True,
        error="wellbeing.error.effect",
        options=keyed("wellbeing.effect", [effect.value for effect in Effect]),
        expanded=True,
    ),
    field_spec("note", "effect_note", Kind.MULTILINE, max_length=MAX_NOTE),
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
        body.append(attention(notice))
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
        body.append(attention(notice))
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
    picker: bool = False,
) -> Card:
    """For those who manage the plan: change an open item, or set its status (`owner_upn`:
    what the owner input shows, their object id in the people picker if `picker`)."""
    body: list[CardElement] = [
        title(t(lang, "wellbeing.edit.title", ref=view.reference, unit=plain(view.unit)))
    ]
    if notice:
        body.append(attention(notice))
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
        body.append(attention(t(lang, "wellbeing.error.form")))
    body.append(paragraph(t(lang, "wellbeing.edit.status", status=status_name(lang, view, today))))
    body.extend(render_fields(lang, item_form(None), shown, errors, picker=picker))
    save: dict[str, Any] = {"item_id": view.id}
    label = "wellbeing.button.save"
    if flags:
        body.append(attention(t(lang, "wellbeing.check.intro")))
        body.append(TextBlock(text=flag_lines(lang, flags), wrap=True, size="Small"))
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
                                text=f"**{view.reference}** {plain(short(view.problem, 120))}",
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
                    button_column(
                        t(lang, "wellbeing.button.open"),
                        "wellbeing.item.open",
                        item_id=view.id,
                    ),
                ],
            )
        )
    return render(AdaptiveCard(body=body))
