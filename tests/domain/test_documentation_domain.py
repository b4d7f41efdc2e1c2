"""The documentation overview's rules: when a duty is met, due soon or overdue, the form's
checks and the duties file."""

from __future__ import annotations

from datetime import date

import pytest
from pydantic import ValidationError

from domain.documentation import (
    RecordForm,
    Source,
    Status,
    add_months,
    form_problems,
    reminder_stage,
    standing,
    worst_first,
)
from storage.documentation import duties

APV = duties().get("apv_physical")
AMO = duties().get("amo_composition")
RISK = duties().get("special_risk_assessment")


def test_the_shipped_duties_file_reads_and_names_its_sources() -> None:
    catalogue = duties()
    keys = [duty.key for duty in catalogue.duties]
    assert {"apv_physical", "apv_psychological", "annual_discussion"} <= set(keys)
    assert all(duty.legal_source and duty.name_da and duty.name_en for duty in catalogue.duties)
    assert catalogue.get("apv_psychological").source is Source.WELLBEING  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2024, 3, 12), 36, date(2027, 3, 12)),
        (date(2024, 2, 29), 12, date(2025, 2, 28)),
        (date(2026, 1, 31), 1, date(2026, 2, 28)),
        (date(2026, 11, 30), 2, date(2027, 1, 30)),
    ],
)
def test_months_later_is_the_same_day_or_the_months_last(
    day: date, months: int, expected: date
) -> None:
    assert add_months(day, months) == expected


def test_a_duty_is_met_then_due_soon_then_overdue() -> None:
    assert APV is not None
    met = date(2023, 12, 7)  # due 2026-12-07
    assert standing(APV, met, date(2026, 10, 7)).status is Status.MET  # 61 days before
    assert standing(APV, met, date(2026, 10, 8)).status is Status.DUE_SOON  # 60 days before
    assert standing(APV, met, date(2026, 12, 7)).status is Status.DUE_SOON  # the last day
    late = standing(APV, met, date(2026, 12, 8))
    assert late.status is Status.OVERDUE and late.due_on == date(2026, 12, 7)


def test_never_recorded_and_met_once_duties() -> None:
    assert APV is not None and AMO is not None
    assert standing(APV, None, date(2026, 12, 7)).status is Status.NOT_RECORDED
    once = standing(AMO, date(2015, 1, 1), date(2026, 12, 7))
    assert once.status is Status.MET and once.due_on is None


def test_the_most_urgent_come_first() -> None:
    assert APV is not None and AMO is not None
    today = date(2026, 12, 7)
    order = worst_first(
        [
            standing(AMO, date(2025, 1, 1), today),
            standing(APV, None, today),
            standing(APV, date(2020, 1, 1), today),
        ]
    )
    assert [item.status for item in order] == [Status.OVERDUE, Status.NOT_RECORDED, Status.MET]


def test_the_record_form_wants_a_past_date_an_https_link_and_a_subject_where_kept() -> None:
    assert APV is not None and RISK is not None
    today = date(2026, 12, 7)
    form = RecordForm.model_validate({"met_on": "2026-12-08", "proof": "", "subject": ""})
    assert form.proof is None
    assert form_problems(form, APV, today) == {"met_on": "documentation.error.future"}
    assert form_problems(form.model_copy(update={"met_on": today}), RISK, today) == {
        "subject": "documentation.error.subject"
    }
    with pytest.raises(ValidationError):
        RecordForm.model_validate({"met_on": "2026-12-01", "proof": "javascript:alert(1)"})
    with pytest.raises(ValidationError):
        RecordForm.model_validate({"met_on": "2026-12-01", "proof": "http://intranet/apv"})


def test_reminders_are_owed_60_and_14_days_before_and_after_the_due_day() -> None:
    assert APV is not None and AMO is not None
    met = date(2024, 1, 15)  # due 2027-01-15
    due = date(2027, 1, 15)

    def stage(days_before: int) -> str | None:
        today = date.fromordinal(due.toordinal() - days_before)
        return reminder_stage(standing(APV, met, today), today)

    assert [stage(d) for d in (61, 60, 15, 14, 0, -1)] == [None, "60", "60", "14", "14", "overdue"]
    assert reminder_stage(standing(AMO, met, due), due) is None
    assert reminder_stage(standing(APV, None, due), due) is None
