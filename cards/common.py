"""Cards and card pieces shared by every flow: welcome, menu, help, notices."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Any, Final

from microsoft_teams.cards import (
    ActionSet,
    AdaptiveCard,
    CardElement,
    Choice,
    ChoiceSetInput,
    Column,
    ColumnSet,
    ExecuteAction,
    OpenUrlAction,
    SubmitAction,
    TextBlock,
)

from domain.commands import Flow
from domain.i18n import Lang, t
from domain.org import UnitRef
from domain.retention import PrivacyNotice

DEFAULT_NOTICE: Final = PrivacyNotice()

CARD_CONTENT_TYPE: Final = "application/vnd.microsoft.card.adaptive"
MENU_ORDER: Final = (
    Flow.LONE_WORK,
    Flow.NEAR_MISS,
    Flow.WORK_ACCIDENT,
    Flow.WELLBEING,
    Flow.PRECURSORS,
)


@dataclass(frozen=True)
class MenuEntry:
    """One row of the menu: a button (its label key, the action it posts and its data) and a
    line under it saying what it is for (the label key + ".hint")."""

    label_key: str
    action: str
    data: tuple[tuple[str, str], ...] = ()


MENU: Final = (
    *(MenuEntry(flow.menu_key, "menu.open", (("flow", flow.value),)) for flow in MENU_ORDER),
    MenuEntry("menu.documentation", "documentation.open"),
    MenuEntry("menu.export", "export.pick"),
)

Card = dict[str, Any]

# What starts or ends Markdown anywhere in a line: escapes, code, emphasis, strikethrough,
# links and images (`[`, and the `(` of `](`), tables, autolinks, tags and mentions (`<`),
# and entities (`&amp;`, `&#42;`).
_INLINE_MARKUP = re.compile(r"[\\`*_~\[\]|<]|(?<=\])\(|&(?=#?\w+;)")
# What makes a line a heading, a quote, a list item, an underline, a rule or a table's
# delimiter row: "#", ">", "- ", "+ ", "2. ", "2) ", "---", "===", ":-". A match ends where
# the backslash goes (before the dot or parenthesis of a number).
_LINE_MARKUP = re.compile(
    r"[ \t]*(?:\d{1,9}(?=[.)](?:[ \t]|$))|(?=[#>])|(?=[-+](?:[ \t]|$))|(?=[-=:][-=: \t]*$))"
)
_LINE_BREAK = re.compile(r"(\r\n|\r|\n)")


def format_day(lang: Lang, day: date) -> str:
    """A day as the reader writes it: 07.12.2026 in Danish, 07 Dec 2026 in English."""
    return day.strftime("%d.%m.%Y") if lang is Lang.DA else day.strftime("%d %b %Y")


def attention(text: str) -> TextBlock:
    """A line the reader must not miss: what to correct, or what has changed."""
    return TextBlock(text=text, color="Attention", wrap=True, weight="Bolder")


def plain(text: str) -> str:
    """`text` (typed by someone) made inert in a TextBlock or a Fact, where Teams renders
    Markdown: what could start Markdown gets a backslash, which Teams does not show, so the
    reader sees exactly what was typed and no link, image or emphasis. Only for Markdown:
    an input's value, a button's or a choice's title and a URL take `text` as it is."""
    lines = _LINE_BREAK.split(_INLINE_MARKUP.sub(r"\\\g<0>", text))
    for index in range(0, len(lines), 2):
        marker = _LINE_MARKUP.match(lines[index])
        if marker is not None:
            at = marker.end()
            lines[index] = lines[index][:at] + "\\" + lines[index][at:]
    return "".join(lines)


def render(card: AdaptiveCard) -> Card:
    """The card as the plain dict Teams expects (schema 1.5, no empty fields)."""
    data = card.model_dump(exclude_none=True, by_alias=True)
    data["version"] = "1.5"
    data["$schema"] = "http://adaptivecards.io/schemas/adaptive-card.json"
    return data


def attachment(card: Card) -> dict[str, Any]:
    """An activity attachment holding the card."""
    return {"contentType": CARD_CONTENT_TYPE, "content": card}


def title(text: str) -> TextBlock:
    return TextBlock(text=text, size="Large", weight="Bolder", wrap=True, style="heading")


def paragraph(text: str, *, subtle: bool = False) -> TextBlock:
    return TextBlock(text=text, wrap=True, is_subtle=subtle or None)


def submit(label: str, action: str, **data: Any) -> SubmitAction:
    """A button that posts the card's inputs with `data.action` naming what to do."""
    return SubmitAction(title=label, data={"action": action, **data})


def execute(label: str, verb: str, **data: Any) -> ExecuteAction:
    """A universal action (`adaptiveCard/action` invoke) with a Submit fallback for old clients."""
    return ExecuteAction(
        title=label,
        verb=verb,
        data={"action": verb, **data},
        fallback=SubmitAction(title=label, data={"action": verb, **data}),
    )


def secondary(action: Any) -> Any:
    """`action` moved to the overflow ("…") menu, with its fallback if it has one."""
    fallback = getattr(action, "fallback", None)
    changes: dict[str, Any] = {"mode": "secondary"}
    if fallback is not None and not isinstance(fallback, str):
        changes["fallback"] = fallback.model_copy(update={"mode": "secondary"})
    return action.model_copy(update=changes)


def button_rows(actions: Sequence[Any], *, more: Sequence[Any] = ()) -> list[CardElement]:
    """Buttons one under the other, so a phone shows each title whole; `more` go in the
    overflow ("…") menu under them."""
    rows: list[CardElement] = [ActionSet(actions=[action]) for action in actions]
    if more:
        rows.append(ActionSet(actions=[secondary(action) for action in more]))
    return rows


def button_column(label: str, verb: str, **data: Any) -> Column:
    """A narrow column holding one `execute` button, at the end of a list row."""
    return Column(width="auto", items=[ActionSet(actions=[execute(label, verb, **data)])])


def menu_section(lang: Lang) -> list[CardElement]:
    """One row per service: a button and a line saying what it is for."""
    rows: list[CardElement] = []
    for entry in MENU:
        rows.append(
            ColumnSet(
                columns=[
                    Column(
                        width="stretch",
                        items=[
                            ActionSet(
                                actions=[
                                    submit(
                                        t(lang, entry.label_key), entry.action, **dict(entry.data)
                                    )
                                ]
                            ),
                            TextBlock(
                                text=t(lang, f"{entry.label_key}.hint"),
                                wrap=True,
                                is_subtle=True,
                                size="Small",
                                spacing="None",
                            ),
                        ],
                    )
                ],
                spacing="Medium",
            )
        )
    return rows


def _menu_actions(lang: Lang) -> list[Any]:
    other = Lang.EN if lang is Lang.DA else Lang.DA
    return [
        submit(t(lang, "menu.help"), "menu.help"),
        execute(t(lang, "menu.language"), "settings.language", lang=other.value),
    ]


def privacy_section(lang: Lang, notice: PrivacyNotice) -> list[CardElement]:
    """What the bot stores, who reads it and how long it is kept (and the full statement)."""
    retention = notice.retention
    section: list[CardElement] = [
        TextBlock(text=t(lang, "privacy.title"), weight="Bolder", wrap=True, spacing="Large"),
        paragraph(t(lang, "privacy.stored"), subtle=True),
        paragraph(t(lang, "privacy.readers"), subtle=True),
        paragraph(
            t(
                lang,
                "privacy.retention",
                near_miss=retention.near_miss_years,
                work_accident=retention.work_accident_years,
                lone_work=retention.lone_work_years,
                checkin=retention.checkin_days,
                training=retention.training_years,
                wellbeing=notice.wellbeing_years,
            ),
            subtle=True,
        ),
    ]
    actions: list[Any] = [submit(t(lang, "privacy.my_data"), "my_data.show")]
    if notice.privacy_url:
        actions.append(OpenUrlAction(title=t(lang, "privacy.more"), url=notice.privacy_url))
    section.extend(button_rows(actions))
    return section


def welcome_card(lang: Lang, name: str | None, privacy: PrivacyNotice = DEFAULT_NOTICE) -> Card:
    """The first card a user sees: greeting, the services, what happens to their
    data, help and language."""
    greeting = (
        t(lang, "welcome.greeting", name=plain(name))
        if name
        else t(lang, "welcome.greeting_anonymous")
    )
    body: list[CardElement] = [title(t(lang, "welcome.title")), paragraph(greeting)]
    body.extend(menu_section(lang))
    body.extend(privacy_section(lang, privacy))
    return render(AdaptiveCard(body=body, actions=_menu_actions(lang)))


def menu_card(lang: Lang) -> Card:
    body: list[CardElement] = [title(t(lang, "menu.title"))]
    body.extend(menu_section(lang))
    return render(AdaptiveCard(body=body, actions=_menu_actions(lang)))


def help_card(
    lang: Lang,
    *,
    is_admin: bool,
    active_dialog: str | None,
    privacy: PrivacyNotice = DEFAULT_NOTICE,
) -> Card:
    """The commands that work everywhere, where the user is right now, and what happens to
    their data."""
    lines = [
        t(lang, "help.cmd.menu"),
        t(lang, "help.cmd.help"),
        t(lang, "help.cmd.cancel"),
        t(lang, "help.cmd.language"),
        t(lang, "help.cmd.flows"),
        t(lang, "help.cmd.documentation"),
        t(lang, "help.cmd.my_data"),
        t(lang, "help.cmd.export"),
    ]
    if is_admin:
        lines.append(t(lang, "help.cmd.admin"))
    body: list[CardElement] = [
        title(t(lang, "help.title")),
        paragraph(t(lang, "help.intro")),
        TextBlock(text="\n".join(f"- {line}" for line in lines), wrap=True),
    ]
    if active_dialog:
        body.append(paragraph(t(lang, "help.in_dialog", dialog=active_dialog), subtle=True))
    body.extend(privacy_section(lang, privacy))
    return render(AdaptiveCard(body=body, actions=[submit(t(lang, "menu.show"), "menu.show")]))


def unit_choice(
    units: list[UnitRef],
    *,
    label: str,
    error_message: str,
    value: str | None = None,
    style: str = "compact",
    placeholder: str | None = None,
) -> ChoiceSetInput:
    """The required "which unit?" input every flow asks (`unit_id`)."""
    return ChoiceSetInput(
        id="unit_id",
        label=label,
        style=style,
        is_required=True,
        placeholder=placeholder,
        error_message=error_message,
        wrap=True,
        value=value,
        choices=list(unit_choices(units)),
    )


def unit_choices(units: Sequence[UnitRef]) -> tuple[Choice, ...]:
    """The units as choices: every form shows the same list (cards only read them)."""
    return _unit_choices(tuple(units))


@lru_cache(maxsize=8)
def _unit_choices(units: tuple[UnitRef, ...]) -> tuple[Choice, ...]:
    return tuple(Choice(title=unit.name, value=str(unit.id)) for unit in units)


def notice_card(heading: str, text: str) -> Card:
    """A short card with a heading and a paragraph, without buttons."""
    return render(AdaptiveCard(body=[title(heading), paragraph(text)]))
