"""The one message catalogue: every user-facing text in Danish and English.

Texts live in `domain/texts/` (one module per flow, plain data); this module merges them
and is the only way code reads them.
"""

from __future__ import annotations

import string
from datetime import date, datetime
from enum import StrEnum
from functools import lru_cache
from typing import Final
from zoneinfo import ZoneInfo

from domain.texts import (
    amo,
    checkins,
    core,
    digest,
    documentation,
    exports,
    files_in,
    lone_work,
    my_data,
    near_miss,
    org_sync,
    precursors,
    proofs,
    screening,
    training,
    wellbeing,
    work_accident,
    work_accident_export,
)


class Lang(StrEnum):
    """Languages the bot speaks."""

    DA = "da"
    EN = "en"


COPENHAGEN: Final = ZoneInfo("Europe/Copenhagen")


def lang_from_locale(locale: str | None) -> Lang:
    """Teams locale `da-*` (or `da`) means Danish; anything else means English."""
    if locale and locale.strip().lower().replace("_", "-").split("-")[0] == "da":
        return Lang.DA
    return Lang.EN


def preferred_lang(language_override: str | None, locale: str | None) -> Lang:
    """A person's language: the one they chose with the bot, else their Teams locale's."""
    if language_override:
        return Lang(language_override)
    return lang_from_locale(locale)


_SECTIONS: Final = (
    core.TEXTS,
    lone_work.TEXTS,
    near_miss.TEXTS,
    digest.TEXTS,
    precursors.TEXTS,
    wellbeing.TEXTS,
    checkins.TEXTS,
    work_accident.TEXTS,
    work_accident_export.TEXTS,
    documentation.TEXTS,
    amo.TEXTS,
    org_sync.TEXTS,
    training.TEXTS,
    screening.TEXTS,
    my_data.TEXTS,
    files_in.TEXTS,
    exports.TEXTS,
    proofs.TEXTS,
)


def _merge(sections: tuple[dict[str, tuple[str, str]], ...]) -> dict[str, tuple[str, str]]:
    merged: dict[str, tuple[str, str]] = {}
    for section in sections:
        clash = merged.keys() & section.keys()
        if clash:
            raise ValueError(f"message keys defined twice: {sorted(clash)}")
        merged.update(section)
    return merged


_CATALOGUE: Final = _merge(_SECTIONS)


def t(lang: Lang, key: str, /, **values: object) -> str:
    """Return the text for `key` in `lang`, with `{placeholders}` filled in."""
    danish, english = _CATALOGUE[key]
    template = danish if lang is Lang.DA else english
    return template.format(**values) if values else template


def catalogue_keys() -> list[str]:
    """All keys of the catalogue (for tests and tooling)."""
    return list(_CATALOGUE)


def placeholders(key: str) -> tuple[set[str], set[str]]:
    """The placeholder names of a key's Danish and English texts."""
    formatter = string.Formatter()
    danish, english = _CATALOGUE[key]
    return (
        {name for _, name, _, _ in formatter.parse(danish) if name},
        {name for _, name, _, _ in formatter.parse(english) if name},
    )


def local_date(moment: datetime) -> date:
    """The day in Copenhagen at `moment` (23:30 UTC on 31 December is already 1 January)."""
    return moment.astimezone(COPENHAGEN).date()


@lru_cache(maxsize=4096)
def format_datetime(lang: Lang, moment: datetime) -> str:
    """A UTC moment shown in Copenhagen time, written the local way (a request's times are
    shown on every card about it: each is converted once)."""
    local = moment.astimezone(COPENHAGEN)
    if lang is Lang.DA:
        return local.strftime("%d.%m.%Y kl. %H.%M")
    return local.strftime("%d %b %Y, %H:%M")
