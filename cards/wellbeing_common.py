"""What the well-being cards share: dates, short texts, banners, the privacy warning, the
lines naming what looks like personal data, theme and status names, and field specs."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date
from typing import Any, Final

from microsoft_teams.cards import (
    Container,
    TextBlock,
)

from cards.common import (
    format_day,
    plain,
)
from cards.forms import Field, Kind
from domain.i18n import Lang, t
from domain.wellbeing import ItemView, Theme
from domain.wellbeing_privacy import Flag

MAX_PLAN_TEXT: Final = 280


def format_date(lang: Lang, day: date | None) -> str:
    return "" if day is None else format_day(lang, day)


def short(text: str, limit: int = MAX_PLAN_TEXT) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def privacy_warning(lang: Lang, key: str) -> Container:
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


def flag_lines(lang: Lang, flags: Sequence[Flag]) -> str:
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


def field_spec(name: str, label: str | None = None, kind: Kind = Kind.TEXT, **spec: Any) -> Field:
    """A well-being field whose label is `wellbeing.field.<label or name>`."""
    return Field(name, f"wellbeing.field.{label or name}", kind, **spec)
