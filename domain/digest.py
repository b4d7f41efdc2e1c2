"""The weekly digest's content: sections of counts per unit, never personal details."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import UTC, date, datetime, time, timedelta
from typing import Final

from pydantic import BaseModel, ConfigDict, Field

from domain.i18n import COPENHAGEN

WEEK_PATTERN: Final = re.compile(r"^(\d{4})-W(\d{2})$")
DAYS: Final = {"MON": 0, "TUE": 1, "WED": 2, "THU": 3, "FRI": 4, "SAT": 5, "SUN": 6}
MAX_ROWS_PER_LIST: Final = 8


class Line(BaseModel):
    """One sentence of a section: a catalogue key and its values."""

    model_config = ConfigDict(frozen=True)

    key: str
    values: dict[str, str | int] = Field(default_factory=dict)
    localized: dict[str, tuple[str, str]] = Field(default_factory=dict)
    """Values that read differently by language (Danish, English), e.g. a duty's name."""
    highlight: bool = False


class Bar(BaseModel):
    """A chart bar; `label_key` (a catalogue key) wins over the plain `label`."""

    model_config = ConfigDict(frozen=True)

    label: str
    value: int
    label_key: str | None = None


def unit_counts(
    counts: dict[str, int], *, limit: int = MAX_ROWS_PER_LIST, names_only: bool = False
) -> str:
    """Units with their counts, largest first, never a list of everything.

    "Kemi 3, Fysik 2 (+4)"; with `names_only` (yes/no facts per unit) "Kemi, Fysik (+4)".
    """
    ordered = sorted(counts.items(), key=lambda item: (-item[1], item[0].casefold()))
    shown = ", ".join(name if names_only else f"{name} {count}" for name, count in ordered[:limit])
    rest = len(ordered) - limit
    return f"{shown} (+{rest})" if rest > 0 else shown


class Section(BaseModel):
    """A flow's part of the digest; skipped when it has nothing to say."""

    model_config = ConfigDict(frozen=True)

    flow: str
    title_key: str
    lines: list[Line] = Field(default_factory=list)
    chart_title_key: str | None = None
    chart: list[Bar] = Field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not self.lines and not self.chart


class SafetyMoment(BaseModel):
    model_config = ConfigDict(frozen=True)

    danish: str
    english: str


class DigestContent(BaseModel):
    """Everything one weekly card shows."""

    model_config = ConfigDict(frozen=True)

    week: str
    sections: list[Section]
    safety_moment: SafetyMoment | None = None


class Scope(BaseModel):
    """What a digest covers: the week before `now`, and optionally only some units."""

    model_config = ConfigDict(frozen=True)

    week: str
    week_start: datetime
    week_end: datetime
    now: datetime
    unit_ids: frozenset[int] | None = None
    full: bool = False
    dialogue_interval_years: int = 2
    precursor_deadline: str = "06-15"

    @property
    def list_limit(self) -> int:
        """How many units a line names before "(+N)"; the Details view names them all."""
        return 1000 if self.full else MAX_ROWS_PER_LIST


def count_line(
    key: str,
    counts: dict[int, int],
    names: dict[int, str],
    scope: Scope,
    *,
    highlight: bool = False,
    names_only: bool = False,
    localized: Mapping[str, tuple[str, str]] | None = None,
) -> list[Line]:
    """One line counting `counts` (unit id → count) with the units named (and `localized`
    values, Danish and English); none if zero."""
    total = sum(counts.values())
    if not total:
        return []
    by_name = {names.get(unit_id, "?"): count for unit_id, count in counts.items()}
    units = unit_counts(by_name, limit=scope.list_limit, names_only=names_only)
    return [
        Line(
            key=key,
            values={"count": total, "units": units},
            localized=dict(localized or {}),
            highlight=highlight,
        )
    ]


def names_line(key: str, unit_names: list[str], scope: Scope) -> list[Line]:
    """One line naming the units (alphabetically, "(+N)" past the limit); none if empty."""
    if not unit_names:
        return []
    ordered = sorted(unit_names, key=str.casefold)
    shown = ", ".join(ordered[: scope.list_limit])
    rest = len(ordered) - scope.list_limit
    return [
        Line(
            key=key,
            values={"count": len(ordered), "units": f"{shown} (+{rest})" if rest > 0 else shown},
        )
    ]


def iso_week(moment: datetime) -> str:
    year, week, _ = moment.astimezone(COPENHAGEN).isocalendar()
    return f"{year}-W{week:02d}"


def week_bounds(week: str) -> tuple[datetime, datetime]:
    """Monday 00:00 to next Monday 00:00, Copenhagen time, as UTC."""
    match = WEEK_PATTERN.match(week)
    if not match:
        raise ValueError(f"not an ISO week like 2026-W48: {week!r}")
    monday = date.fromisocalendar(int(match.group(1)), int(match.group(2)), 1)
    start = datetime.combine(monday, time(0, 0), tzinfo=COPENHAGEN)
    return start.astimezone(UTC), (start + timedelta(days=7)).astimezone(UTC)


def scope_for(
    week: str,
    now: datetime,
    unit_ids: frozenset[int] | None = None,
    *,
    full: bool = False,
    dialogue_interval_years: int = 2,
    precursor_deadline: str = "06-15",
) -> Scope:
    """The digest posted in `week` looks back at the week before it."""
    start, _ = week_bounds(week)
    return Scope(
        week=week,
        week_start=start - timedelta(days=7),
        week_end=start,
        now=now,
        unit_ids=unit_ids,
        full=full,
        dialogue_interval_years=dialogue_interval_years,
        precursor_deadline=precursor_deadline,
    )


class Schedule(BaseModel):
    """`DIGEST_SCHEDULE` such as "MON 08:00" (Copenhagen time)."""

    model_config = ConfigDict(frozen=True)

    weekday: int
    hour: int
    minute: int

    @classmethod
    def parse(cls, text: str) -> Schedule:
        parts = text.strip().upper().split()
        if (
            len(parts) != 2
            or parts[0][:3] not in DAYS
            or not re.match(r"^\d{1,2}:\d{2}$", parts[1])
        ):
            raise ValueError(f"DIGEST_SCHEDULE must look like 'MON 08:00', not {text!r}")
        hour, minute = (int(value) for value in parts[1].split(":"))
        if hour > 23 or minute > 59:
            raise ValueError(f"DIGEST_SCHEDULE has no such time: {text!r}")
        return cls(weekday=DAYS[parts[0][:3]], hour=hour, minute=minute)

    def due_at(self, week: str) -> datetime:
        start, _ = week_bounds(week)
        local = start.astimezone(COPENHAGEN) + timedelta(days=self.weekday)
        return local.replace(hour=self.hour, minute=self.minute).astimezone(UTC)

    def is_due(self, now: datetime) -> bool:
        return now >= self.due_at(iso_week(now))
