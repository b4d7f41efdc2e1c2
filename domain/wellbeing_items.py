"""Action-plan items as a form gives them: drafts, their checks, and the follow-up's effect."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import date, timedelta
from typing import Any, Final

from pydantic import BaseModel, ConfigDict

from domain.people import is_object_id
from domain.wellbeing import (
    DATE_RANGE,
    DEFAULT_FOLLOW_UP_DAYS,
    ITEM_ROWS_STEP,
    MAX_ITEM_ROWS,
    MAX_ITEM_TEXT,
    Effect,
)

# -- action-plan items ----------------------------------------------------------------------


class ItemDraft(BaseModel):
    """One action-plan item as entered: what (problem), how (action), who, when."""

    model_config = ConfigDict(frozen=True)

    problem: str
    action: str
    owner_upn: str  # picked: the owner's Entra object id; typed: their e-mail/UPN
    deadline: date
    follow_up_on: date


_ITEM_FIELDS: Final = ("problem", "action", "owner", "deadline", "follow_up")
_EMAIL_ONLY = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def item_field(name: str, row: int | None) -> str:
    """The input id of a field: `problem_2` on a multi-row card, `problem` on a single item."""
    return name if row is None else f"{name}_{row}"


def _parse_date(value: Any) -> date | None:
    text = str(value or "").strip()
    if not text:
        return None
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        return None


def parse_item(
    value: Mapping[str, Any],
    row: int | None,
    *,
    today: date,
    old_deadline: date | None = None,
) -> tuple[ItemDraft | None, dict[str, str]]:
    """One item of a card: the draft, `{input id: message key}`, or (None, {}) if blank.

    New deadlines may not lie in the past; an unchanged deadline of an edited item may.
    """
    raw = {name: str(value.get(item_field(name, row)) or "").strip() for name in _ITEM_FIELDS}
    if not any(raw.values()):
        return None, {}
    errors: dict[str, str] = {}

    def error(name: str, key: str) -> None:
        errors.setdefault(item_field(name, row), key)

    for name in ("problem", "action"):
        if not raw[name]:
            error(name, f"wellbeing.error.item_{name}")
        elif len(raw[name]) > MAX_ITEM_TEXT:
            error(name, "wellbeing.error.too_long")
    owner = raw["owner"].lower()
    if not (_EMAIL_ONLY.match(owner) or is_object_id(owner)) or len(owner) > 320:
        error("owner", "wellbeing.error.owner")
    deadline = _parse_date(raw["deadline"])
    if deadline is None:
        error("deadline", "wellbeing.error.deadline")
    elif deadline < today and deadline != old_deadline:
        error("deadline", "wellbeing.error.deadline_past")
    elif deadline > today + DATE_RANGE:
        error("deadline", "wellbeing.error.too_far")
        deadline = None
    follow_up = _parse_date(raw["follow_up"]) if raw["follow_up"] else None
    if raw["follow_up"] and follow_up is None:
        error("follow_up", "wellbeing.error.follow_up")
    elif follow_up is not None and follow_up > today + DATE_RANGE:
        error("follow_up", "wellbeing.error.too_far")
    if deadline is not None and follow_up is None and not raw["follow_up"]:
        follow_up = deadline + timedelta(days=DEFAULT_FOLLOW_UP_DAYS)
    if deadline is not None and follow_up is not None and follow_up < deadline:
        error("follow_up", "wellbeing.error.follow_up_before")
    if errors or deadline is None or follow_up is None:
        return None, errors
    return (
        ItemDraft(
            problem=raw["problem"],
            action=raw["action"],
            owner_upn=owner,
            deadline=deadline,
            follow_up_on=follow_up,
        ),
        {},
    )


def parse_items(
    value: Mapping[str, Any], rows: int, *, today: date
) -> tuple[list[ItemDraft], dict[str, str]]:
    """Every filled row of a multi-row items card; blank rows are skipped."""
    drafts: list[ItemDraft] = []
    errors: dict[str, str] = {}
    for row in range(1, rows + 1):
        draft, problems = parse_item(value, row, today=today)
        errors.update(problems)
        if draft is not None:
            drafts.append(draft)
    return drafts, errors


def item_values(value: Mapping[str, Any], rows: int) -> dict[str, str]:
    """The rows' inputs as submitted, to keep them on a card shown again."""
    limits = {"problem": MAX_ITEM_TEXT, "action": MAX_ITEM_TEXT, "owner": 320}
    kept: dict[str, str] = {}
    for row in range(1, rows + 1):
        for name in _ITEM_FIELDS:
            key = item_field(name, row)
            if value.get(key):
                kept[key] = str(value[key])[: limits.get(name, 10)]
    return kept


def item_texts(drafts: Iterable[tuple[int | None, ItemDraft]]) -> dict[str, str]:
    """The items' free text keyed by input id, for `check_texts`."""
    texts: dict[str, str] = {}
    for row, draft in drafts:
        texts[item_field("problem", row)] = draft.problem
        texts[item_field("action", row)] = draft.action
    return texts


def rows_of(value: Any) -> int:
    """How many item rows a card had (ITEM_ROWS_STEP by default, at most MAX_ITEM_ROWS)."""
    try:
        rows = int(str(value))
    except (TypeError, ValueError):
        return ITEM_ROWS_STEP
    return max(1, min(MAX_ITEM_ROWS, rows))


def parse_effect(value: Any) -> Effect | None:
    try:
        return Effect(str(value or "").strip())
    except ValueError:
        return None
