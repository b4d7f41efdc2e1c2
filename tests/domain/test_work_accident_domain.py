"""The EASY deadline and its reminders as the law and the issue describe them, on Copenhagen
calendar days, at the edges: a Friday, New Year, both DST changes; and the report form."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from domain.i18n import COPENHAGEN
from domain.numbering import local_year
from domain.work_accident import (
    AccidentView,
    Claim,
    EasyDeadline,
    EasyDuty,
    EasyStatus,
    InjuredParty,
    InjuryKind,
    Reader,
    Reminder,
    ReporterRole,
    easy_deadline,
    follow_up_by,
    follow_up_reminder_moment,
    format_number,
    reminder_moment,
    reminder_owed,
)
from domain.work_accident_forms import filed_problems, validate_form
from domain.work_accident_stats import accident_statistics

EMPLOYEE = InjuredParty.EMPLOYEE


def _utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


# -- the deadline ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("accident", "absence_from", "claim", "expected"),
    [
        # Absence from a Friday: 14 calendar days on, a Friday again (no working-day shift).
        (
            date(2026, 11, 26),
            date(2026, 11, 27),
            Claim.NO,
            EasyDeadline(EasyDuty.AUTHORITY_AND_INSURER, date(2026, 12, 11), date(2026, 11, 27)),
        ),
        # Hurt on a Friday, first absent on the Monday: counted from the Monday.
        (
            date(2026, 11, 27),
            date(2026, 11, 30),
            Claim.YES,
            EasyDeadline(EasyDuty.AUTHORITY_AND_INSURER, date(2026, 12, 14), date(2026, 11, 30)),
        ),
        # Over New Year.
        (
            date(2026, 12, 30),
            date(2026, 12, 31),
            Claim.NO,
            EasyDeadline(EasyDuty.AUTHORITY_AND_INSURER, date(2027, 1, 14), date(2026, 12, 31)),
        ),
        # No absence, a possible claim: 14 days after the accident day, to the insurer only.
        (
            date(2026, 12, 28),
            None,
            Claim.YES,
            EasyDeadline(EasyDuty.INSURER, date(2027, 1, 11), date(2026, 12, 28)),
        ),
        (
            date(2026, 11, 27),
            None,
            Claim.UNSURE,
            EasyDeadline(EasyDuty.INSURER, date(2026, 12, 11), date(2026, 11, 27)),
        ),
        # Nothing to report.
        (date(2026, 11, 27), None, Claim.NO, EasyDeadline(EasyDuty.NONE)),
        # Absence only on the injury day itself is not absence beyond it.
        (date(2026, 11, 27), date(2026, 11, 27), Claim.NO, EasyDeadline(EasyDuty.NONE)),
    ],
)
def test_the_easy_deadline_follows_the_rules(
    accident: date, absence_from: date | None, claim: Claim, expected: EasyDeadline
) -> None:
    assert easy_deadline(EMPLOYEE, accident, absence_from, claim) == expected


@pytest.mark.parametrize("party", [InjuredParty.STUDENT, InjuredParty.GUEST])
def test_students_and_guests_are_not_reported_in_easy(party: InjuredParty) -> None:
    deadline = easy_deadline(party, date(2026, 11, 26), date(2026, 11, 27), Claim.YES)
    assert deadline == EasyDeadline(EasyDuty.NOT_EMPLOYEE)
    assert deadline.status is EasyStatus.NOT_APPLICABLE


def test_a_reported_duty_is_pending_and_the_others_are_not_applicable() -> None:
    assert easy_deadline(EMPLOYEE, date(2026, 1, 5), None, Claim.YES).status is EasyStatus.PENDING
    assert (
        easy_deadline(EMPLOYEE, date(2026, 1, 5), None, Claim.NO).status
        is EasyStatus.NOT_APPLICABLE
    )


def test_numbers_follow_the_copenhagen_year() -> None:
    new_years_night = _utc("2026-12-31T23:30")
    assert local_year(new_years_night) == 2027
    assert format_number(local_year(new_years_night), 7) == "AU-2027-0007"


# -- the reminders -----------------------------------------------------------------------------


def test_reminders_fall_at_eight_in_copenhagen_across_the_spring_dst_change() -> None:
    due = date(2027, 3, 30)  # summer time from 28 March 2027
    assert reminder_moment(due, Reminder.WEEK).astimezone(UTC) == _utc("2027-03-23T07:00")
    assert reminder_moment(due, Reminder.TWO_DAYS).astimezone(UTC) == _utc("2027-03-28T06:00")
    assert reminder_moment(due, Reminder.LAST_DAY).astimezone(UTC) == _utc("2027-03-30T06:00")
    assert reminder_moment(due, Reminder.OVERDUE).astimezone(UTC) == _utc("2027-03-31T06:00")


def test_reminders_fall_at_eight_in_copenhagen_across_the_autumn_dst_change() -> None:
    due = date(2026, 10, 27)  # winter time from 25 October 2026
    assert reminder_moment(due, Reminder.WEEK).astimezone(UTC) == _utc("2026-10-20T06:00")
    assert reminder_moment(due, Reminder.TWO_DAYS).astimezone(UTC) == _utc("2026-10-25T07:00")
    assert reminder_moment(due, Reminder.LAST_DAY).astimezone(UTC) == _utc("2026-10-27T07:00")


def test_the_latest_reminder_owed_is_the_one_sent() -> None:
    due = date(2027, 1, 8)
    created = _utc("2026-12-25T10:00")
    steps = [
        ("2027-01-01T06:59", None),
        ("2027-01-01T07:00", Reminder.WEEK),
        ("2027-01-06T06:59", Reminder.WEEK),
        ("2027-01-06T07:00", Reminder.TWO_DAYS),
        ("2027-01-08T07:00", Reminder.LAST_DAY),
        ("2027-01-08T22:59", Reminder.LAST_DAY),
        ("2027-01-09T07:00", Reminder.OVERDUE),
    ]
    for moment, expected in steps:
        assert reminder_owed(due, created, _utc(moment)) is expected, moment


def test_reminders_due_before_the_report_was_made_are_not_owed() -> None:
    due = date(2027, 1, 8)
    made_late = _utc("2027-01-05T12:00")  # after the 7-day reminder's moment
    assert reminder_owed(due, made_late, _utc("2027-01-05T12:01")) is None
    assert reminder_owed(due, made_late, _utc("2027-01-06T07:00")) is Reminder.TWO_DAYS
    after_deadline = _utc("2027-01-20T12:00")
    assert reminder_owed(due, after_deadline, after_deadline) is Reminder.OVERDUE


# -- the form ----------------------------------------------------------------------------------

NOW = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)


def _form(**changes: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "injured_party": "employee",
        "reporter_role": "injured",
        "unit_id": "3",
        "occurred_date": "2026-11-25",
        "occurred_time": "08:15",
        "place": "Bygning 207",
        "description": "Faldt på den våde trappe ved indgangen.",
        "injury_kind": "physical",
        "absence": "yes",
        "absence_from": "2026-11-26",
        "claim": "no",
        "immediate_action": "",
        "witnesses": "",
    }
    values.update(changes)
    return values


def test_a_complete_form_is_read_in_copenhagen_time() -> None:
    form, problems = validate_form(_form(), NOW)
    assert problems == {} and form is not None
    assert form.occurred_at == _utc("2026-11-25T07:15")
    assert form.first_absence_day == date(2026, 11, 26)
    assert form.witnesses is None and form.immediate_action is None


def test_no_absence_ignores_a_first_day_left_in_the_card() -> None:
    form, _ = validate_form(_form(absence="no", absence_from="2026-11-26"), NOW)
    assert form is not None and form.first_absence_day is None


@pytest.mark.parametrize(
    ("changes", "field", "key"),
    [
        ({"absence_from": ""}, "absence_from", "absence_from"),
        ({"absence_from": "2026-11-25"}, "absence_from", "absence_from_order"),
        ({"absence_from": "2027-12-01"}, "absence_from", "absence_from_far"),
        ({"reporter_role": "leader"}, "injured_email", "injured_email_missing"),
        (
            {"reporter_role": "amk", "injured_email": "ikke en mail"},
            "injured_email",
            "injured_email",
        ),
        ({"occurred_date": "2026-11-26"}, "occurred_date", "future"),
        ({"occurred_date": "2025-11-01"}, "occurred_date", "too_old"),
        ({"injured_party": "visitor"}, "injured_party", "injured_party"),
        ({"claim": ""}, "claim", "claim"),
        ({"description": "Av"}, "description", "description"),
    ],
)
def test_each_mistake_is_named_under_its_field(
    changes: dict[str, Any], field: str, key: str
) -> None:
    form, problems = validate_form(_form(**changes), NOW)
    assert form is None
    assert problems[field] == f"work_accident.error.{key}"


def test_mistakes_in_single_fields_and_between_fields_come_together() -> None:
    _, problems = validate_form(
        _form(description="Av", absence_from="", reporter_role="leader"), NOW
    )
    assert set(problems) == {"description", "absence_from", "injured_email"}


def test_a_student_reported_by_the_amk_needs_no_e_mail() -> None:
    form, problems = validate_form(
        _form(injured_party="student", reporter_role="amk", absence="no", absence_from=""), NOW
    )
    assert problems == {} and form is not None and form.injured_email is None


def test_the_filing_date_lies_between_the_accident_and_today() -> None:
    accident = date(2026, 11, 20)
    ok, problems = filed_problems(
        {"easy_reference": "EASY-1", "filed_on": "2026-11-25"}, now=NOW, accident_day=accident
    )
    assert ok is not None and problems == []
    _, early = filed_problems(
        {"easy_reference": "EASY-1", "filed_on": "2026-11-19"}, now=NOW, accident_day=accident
    )
    assert early == ["work_accident.error.filed_early"]
    late_evening = datetime(2026, 11, 25, 22, 30, tzinfo=UTC)  # 23:30 in Copenhagen
    _, tomorrow = filed_problems(
        {"easy_reference": "EASY-1", "filed_on": "2026-11-26"},
        now=late_evening,
        accident_day=accident,
    )
    assert tomorrow == ["work_accident.error.filed_future"]
    just_after_midnight = late_evening + timedelta(minutes=45)  # 00:15 on the 26th
    allowed, _ = filed_problems(
        {"easy_reference": "EASY-1", "filed_on": "2026-11-26"},
        now=just_after_midnight,
        accident_day=accident,
    )
    assert allowed is not None
    assert just_after_midnight.astimezone(COPENHAGEN).date() == date(2026, 11, 26)


# -- psychological accidents -------------------------------------------------------------------


def _view(kind: InjuryKind, *, withheld: bool) -> AccidentView:
    return AccidentView(
        id=1,
        number="AU-2026-0001",
        unit_id=1,
        unit_name="Kemi",
        injured=EMPLOYEE,
        reporter_role=ReporterRole.INJURED,
        reporter_name="Ida",
        injured_name="Ida",
        occurred_at=NOW,
        place="Lab",
        description="Truet af en gæst.",
        injury_kind=kind,
        absence_from=None,
        claim=Claim.NO,
        immediate_action=None,
        witnesses=None,
        duty=EasyDuty.NONE,
        easy_due=None,
        easy_status=EasyStatus.NOT_APPLICABLE,
        name_withheld=withheld,
    )


def test_a_withheld_name_is_kept_from_the_amk_only() -> None:
    withheld = _view(InjuryKind.PSYCHOLOGICAL, withheld=True)
    assert withheld.confidential
    assert not Reader(1, is_amk=True).sees_name(withheld)
    assert Reader(1, is_amk=True, is_leader=True).sees_name(withheld)
    assert Reader(1, is_leader=True).sees_name(withheld)
    assert Reader(1, is_secretariat=True).sees_name(withheld)
    assert Reader(1, is_amk=True).sees_name(_view(InjuryKind.BOTH, withheld=False))


def test_only_a_psychological_accident_keeps_the_name_back() -> None:
    physical, _ = validate_form(_form(withhold_name="true"), NOW)
    assert physical is not None and not physical.name_withheld
    both, _ = validate_form(_form(withhold_name="true", injury_kind="both"), NOW)
    assert both is not None and both.name_withheld
    left_off, _ = validate_form(_form(withhold_name="false", injury_kind="psychological"), NOW)
    assert left_off is not None and not left_off.name_withheld


def test_the_follow_up_is_due_a_week_after_the_report_and_reminded_two_days_before() -> None:
    by = follow_up_by(date(2026, 12, 28))
    assert by == date(2027, 1, 4)
    assert follow_up_reminder_moment(by).astimezone(UTC) == _utc("2027-01-02T07:00")
    spring = follow_up_by(date(2027, 3, 25))
    assert follow_up_reminder_moment(spring).astimezone(UTC) == _utc("2027-03-30T06:00")


# -- the KAMU statistics -----------------------------------------------------------------------


def _counted(unit_id: int, moment: datetime, kind: str = "physical") -> AccidentView:
    values: dict[str, Any] = {
        "id": unit_id * 100 + moment.day,
        "number": "AU-2026-0001",
        "unit_id": unit_id,
        "unit_name": {1: "Kemi", 2: "Fysik"}[unit_id],
        "injured": InjuredParty.EMPLOYEE,
        "reporter_role": ReporterRole.INJURED,
        "reporter_name": None,
        "injured_name": None,
        "occurred_at": moment.astimezone(UTC),
        "place": "",
        "description": "",
        "injury_kind": InjuryKind(kind),
        "absence_from": None,
        "claim": Claim.NO,
        "immediate_action": None,
        "witnesses": None,
        "duty": EasyDuty.NONE,
        "easy_due": None,
        "easy_status": EasyStatus.NOT_APPLICABLE,
    }
    return AccidentView(**values)


def test_statistics_leave_a_small_units_psychological_accidents_out_everywhere() -> None:
    new_year = datetime(2027, 1, 1, 0, 30, tzinfo=COPENHAGEN)  # 2026 in UTC
    views = [
        _counted(1, datetime(2026, 3, 31, 23, 30, tzinfo=COPENHAGEN)),
        _counted(1, datetime(2026, 4, 1, 0, 30, tzinfo=COPENHAGEN), "psychological"),
        _counted(1, datetime(2026, 12, 31, 23, 59, tzinfo=COPENHAGEN), "both"),
        _counted(2, datetime(2026, 5, 1, 12, 0, tzinfo=COPENHAGEN), "psychological"),
        _counted(2, datetime(2026, 6, 1, 12, 0, tzinfo=COPENHAGEN), "both"),
        _counted(2, new_year),
    ]
    stats = accident_statistics(2026, views, date(2026, 11, 25))
    (kemi,) = stats.units  # Fysik had only psychological accidents in 2026: no row at all
    assert kemi.unit == "Kemi" and kemi.by_quarter == (1, 1, 0, 1)
    assert (kemi.physical, kemi.psychological, kemi.both) == (1, 1, 1)
    assert stats.total.accidents == 3 and stats.total.psychological_left_out
    assert stats.total.share_on_time is None and stats.total.median_days_to_filing is None
