"""The weekly digest card (charts with a text fallback) and the safety-moment card."""

from __future__ import annotations

from typing import Any

from microsoft_teams.cards import (
    ActionSet,
    AdaptiveCard,
    CardElement,
    Container,
    OpenUrlAction,
    TextBlock,
    TextInput,
    VerticalBarChart,
    VerticalBarChartDataValue,
)

from cards.common import Card, execute, paragraph, plain, render, title
from domain.digest import DigestContent, Line, Section
from domain.i18n import Lang, t


def line_text(lang: Lang, line: Line) -> str:
    """The sentence of a line, its names (units) made `plain`."""
    values = {
        name: plain(value) if isinstance(value, str) else value
        for name, value in line.values.items()
    }
    for name, (danish, english) in line.localized.items():
        values[name] = danish if lang is Lang.DA else english
    return t(lang, line.key, **values)


def _line(lang: Lang, line: Line) -> TextBlock:
    return TextBlock(
        text=line_text(lang, line),
        wrap=True,
        color="Attention" if line.highlight else None,
        weight="Bolder" if line.highlight else None,
        spacing="Small",
    )


def _chart(lang: Lang, section: Section) -> CardElement:
    """A bar chart for Teams; clients without charts show the same numbers as text."""
    heading = t(lang, section.chart_title_key) if section.chart_title_key else ""
    labels = [t(lang, bar.label_key) if bar.label_key else bar.label for bar in section.chart]
    values = [bar.value for bar in section.chart]
    as_text = " · ".join(f"{label}: {value}" for label, value in zip(labels, values, strict=True))
    return VerticalBarChart(
        title=heading,
        show_bar_values=True,
        data=[
            VerticalBarChartDataValue(x=label, y=value)
            for label, value in zip(labels, values, strict=True)
        ],
        fallback=TextBlock(text=f"{heading}: {as_text}" if heading else as_text, wrap=True),
    )


def digest_card(
    lang: Lang, content: DigestContent, *, subscription_id: int, exports_url: str | None
) -> Card:
    """One card for the channel: every non-empty section, the safety moment, two buttons."""
    body: list[CardElement] = [title(t(lang, "digest.title", week=content.week))]
    if content.safety_moment is not None:
        moment = content.safety_moment.danish if lang is Lang.DA else content.safety_moment.english
        body.append(
            Container(
                style="emphasis",
                items=[
                    TextBlock(text=t(lang, "digest.safety_moment"), weight="Bolder", wrap=True),
                    TextBlock(text=plain(moment), wrap=True),
                ],
            )
        )
    sections = [section for section in content.sections if not section.empty]
    if not sections:
        body.append(paragraph(t(lang, "digest.quiet"), subtle=True))
    for section in sections:
        items: list[CardElement] = [
            TextBlock(text=t(lang, section.title_key), weight="Bolder", size="Medium", wrap=True)
        ]
        if section.chart:
            items.append(_chart(lang, section))
        items.extend(_line(lang, line) for line in section.lines)
        body.append(Container(items=items, separator=True, spacing="Medium"))
    actions: list[Any] = [
        execute(t(lang, "digest.details"), "digest.details", subscription_id=subscription_id)
    ]
    if exports_url:
        actions.append(OpenUrlAction(title=t(lang, "digest.exports"), url=exports_url))
    body.append(ActionSet(actions=actions))
    return render(AdaptiveCard(body=body))


def safety_moment_card(lang: Lang, week: str, *, danish: str = "", english: str = "") -> Card:
    """The secretariat writes the week's safety moment in both languages."""
    return render(
        AdaptiveCard(
            body=[
                title(t(lang, "digest.safety_moment.title", week=week)),
                paragraph(t(lang, "digest.safety_moment.intro"), subtle=True),
                TextInput(
                    id="danish",
                    label=t(lang, "digest.safety_moment.danish"),
                    is_multiline=True,
                    is_required=True,
                    max_length=600,
                    error_message=t(lang, "digest.safety_moment.required"),
                    value=danish or None,
                ),
                TextInput(
                    id="english",
                    label=t(lang, "digest.safety_moment.english"),
                    is_multiline=True,
                    is_required=True,
                    max_length=600,
                    error_message=t(lang, "digest.safety_moment.required"),
                    value=english or None,
                ),
                ActionSet(
                    actions=[
                        execute(
                            t(lang, "digest.safety_moment.save"), "digest.safety_moment", week=week
                        )
                    ]
                ),
            ]
        )
    )


def details_card(lang: Lang, heading: str, lines: list[str]) -> Card:
    body: list[CardElement] = [title(heading)]
    body.extend(TextBlock(text=line, wrap=True, spacing="Small") for line in lines)
    return render(AdaptiveCard(body=body))


def failed_card(
    lang: Lang,
    *,
    week: str,
    subscription_id: int,
    channel: str,
    attempts: int,
    error: str,
) -> Card:
    """To the administrators: the week's digest could not be posted; **Prøv igen** posts it."""
    text = t(
        lang,
        "digest.failed",
        week=week,
        channel=plain(channel),
        attempts=attempts,
        error=plain(error),
    )
    return render(
        AdaptiveCard(
            body=[title(t(lang, "digest.failed.title")), paragraph(text)],
            actions=[
                execute(
                    t(lang, "digest.retry"),
                    "digest.retry",
                    subscription_id=subscription_id,
                    week=week,
                )
            ],
        )
    )
