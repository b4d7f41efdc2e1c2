"""How long each register keeps what ties it to people, and the moment before which a record
has passed its period. A record past its period loses its free text and the people in it;
what the statistics count (number, unit, dates, category, severity, status) stays."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from typing import Final

from domain.i18n import COPENHAGEN
from domain.wellbeing import DEFAULT_RETENTION_YEARS as DEFAULT_WELLBEING_YEARS
from domain.wellbeing import add_years, local_today

DEFAULT_NEAR_MISS_YEARS: Final = 5
DEFAULT_LONE_WORK_YEARS: Final = 5
DEFAULT_CHECKIN_DAYS: Final = 180
DEFAULT_AUDIT_YEARS: Final = 5
DEFAULT_CONVERSATION_DAYS: Final = 90
DEFAULT_WORK_ACCIDENT_YEARS: Final = 5
# Counted from the newest record of the person in the unit (see `storage.retention`).
DEFAULT_TRAINING_YEARS: Final = 5

# Stands in for every person removed from a register: no name, no e-mail, and the nil GUID
# (never a real Entra object id) so it is found again and never reached.
REMOVED_PERSON_AAD: Final = "00000000-0000-0000-0000-000000000000"
REMOVED_PERSON_LABEL: Final = "–"


@dataclass(frozen=True)
class RetentionSettings:
    """The retention period of each register (the well-being notes have their own)."""

    near_miss_years: int = DEFAULT_NEAR_MISS_YEARS
    lone_work_years: int = DEFAULT_LONE_WORK_YEARS
    checkin_days: int = DEFAULT_CHECKIN_DAYS
    audit_years: int = DEFAULT_AUDIT_YEARS
    conversation_days: int = DEFAULT_CONVERSATION_DAYS
    work_accident_years: int = DEFAULT_WORK_ACCIDENT_YEARS
    training_years: int = DEFAULT_TRAINING_YEARS

    @classmethod
    def from_mapping(cls, env: Mapping[str, str]) -> RetentionSettings:
        """`NEAR_MISS_RETENTION_YEARS`, `LONE_WORK_RETENTION_YEARS`, `AUDIT_RETENTION_YEARS`,
        `WORK_ACCIDENT_RETENTION_YEARS`, `TRAINING_RETENTION_YEARS` (1–30),
        `CHECKIN_RETENTION_DAYS` and `CONVERSATION_RETENTION_DAYS` (1–3650)."""

        def number(name: str, default: int, low: int, high: int) -> int:
            raw = env.get(name, "").strip()
            if not raw:
                return default
            if not raw.isdigit() or not low <= int(raw) <= high:
                raise ValueError(f"{name} must be a whole number from {low} to {high}, not {raw!r}")
            return int(raw)

        return cls(
            near_miss_years=number("NEAR_MISS_RETENTION_YEARS", DEFAULT_NEAR_MISS_YEARS, 1, 30),
            lone_work_years=number("LONE_WORK_RETENTION_YEARS", DEFAULT_LONE_WORK_YEARS, 1, 30),
            checkin_days=number("CHECKIN_RETENTION_DAYS", DEFAULT_CHECKIN_DAYS, 1, 3650),
            audit_years=number("AUDIT_RETENTION_YEARS", DEFAULT_AUDIT_YEARS, 1, 30),
            conversation_days=number(
                "CONVERSATION_RETENTION_DAYS", DEFAULT_CONVERSATION_DAYS, 1, 3650
            ),
            work_accident_years=number(
                "WORK_ACCIDENT_RETENTION_YEARS", DEFAULT_WORK_ACCIDENT_YEARS, 1, 30
            ),
            training_years=number("TRAINING_RETENTION_YEARS", DEFAULT_TRAINING_YEARS, 1, 30),
        )


def years_cutoff(now: datetime, years: int) -> datetime:
    """Records that ended before this moment (midnight, Copenhagen time, `years` before
    today) are past a period of `years`: one that ended on this day `years` ago is kept
    until tomorrow."""
    day = add_years(local_today(now), -years)
    return datetime.combine(day, time(), COPENHAGEN).astimezone(UTC)


def days_cutoff(now: datetime, days: int) -> datetime:
    """As `years_cutoff`, for a period counted in days."""
    day = local_today(now) - timedelta(days=days)
    return datetime.combine(day, time(), COPENHAGEN).astimezone(UTC)


@dataclass(frozen=True)
class PrivacyNotice:
    """What the welcome card and help tell people about their data: the retention periods
    in force and where the full privacy statement is (empty: not published)."""

    retention: RetentionSettings = RetentionSettings()
    wellbeing_years: int = DEFAULT_WELLBEING_YEARS
    privacy_url: str = ""
