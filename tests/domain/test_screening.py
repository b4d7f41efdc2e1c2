"""The rules of screenings: when an unanswered request is reminded and the askers told
(Copenhagen days), what a held or planned screening may be, and a finding's defaults."""

from __future__ import annotations

from datetime import date

import pytest

from domain.screening import (
    RecordForm,
    ScreeningKind,
    ScreeningState,
    finding_defaults,
    open_request_stage,
    record_problems,
)

ASKED = date(2026, 11, 25)


@pytest.mark.parametrize(
    ("day", "stage"),
    [
        (date(2026, 11, 25), None),
        (date(2026, 12, 1), None),
        (date(2026, 12, 2), "reminder"),
        (date(2026, 12, 8), "reminder"),
        (date(2026, 12, 9), "told"),
        (date(2027, 3, 1), "told"),
    ],
)
def test_a_request_is_reminded_after_7_days_and_the_askers_told_after_14(
    day: date, stage: str | None
) -> None:
    assert open_request_stage(ASKED, day) == stage


def _form(**values: object) -> RecordForm:
    return RecordForm.model_validate({"kind": "internal", "state": "held", **values})


def test_held_lies_today_or_before_planned_today_or_after_and_sister_needs_its_request() -> None:
    today = date(2026, 11, 25)
    assert record_problems(_form(day="2026-11-25"), today, set()) == {}
    assert record_problems(_form(day="2026-11-26"), today, set()) == {
        "day": "screening.error.future"
    }
    assert record_problems(_form(state="planned", day="2026-11-24"), today, set()) == {
        "day": "screening.error.past"
    }
    sister = _form(kind="sister", day="2026-11-20", request_id="4")
    assert sister.kind is ScreeningKind.SISTER and sister.state is ScreeningState.HELD
    assert record_problems(sister, today, {4}) == {}
    assert record_problems(sister, today, {5}) == {"request_id": "screening.error.request"}
    assert _form(day="2026-11-20", request_id="", proof="").request_id is None


def test_a_finding_gets_what_it_left_out_and_a_blank_row_stays_blank() -> None:
    defaults = {"action": "Aftales", "owner": "per@uni.dk", "deadline": date(2027, 2, 23)}
    filled = finding_defaults({"problem_1": "Støj", "owner_1": "otto@uni.dk"}, 1, **defaults)
    assert filled == {
        "problem_1": "Støj",
        "owner_1": "otto@uni.dk",
        "action_1": "Aftales",
        "deadline_1": "2027-02-23",
    }
    assert finding_defaults({"problem_2": " "}, 2, **defaults) == {"problem_2": " "}
