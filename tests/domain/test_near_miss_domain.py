"""Near-miss rules without I/O: the form, the status machine, who may do what, the figures."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from domain.i18n import COPENHAGEN, Lang, catalogue_keys, placeholders, t
from domain.near_miss import (
    Category,
    CloseProblem,
    Event,
    Notice,
    NoticeKind,
    Participant,
    Severity,
    Status,
    TransitionError,
    allowed,
    close_problem,
    format_number,
    local_year,
    median_duration,
    parse_key,
    quarter_of,
    reminder_due_at,
    transition,
)
from domain.near_miss_forms import (
    FORM_FIELDS,
    ActionForm,
    AssignForm,
    action_form_problems,
    kept_values,
    validate_form,
)

NOW = datetime(2026, 11, 27, 13, 0, tzinfo=UTC)  # 14:00 in Copenhagen


def _value(**changes: Any) -> dict[str, Any]:
    value: dict[str, Any] = {
        "action": "near_miss.submit",
        "unit_id": "7",
        "occurred_date": "2026-11-27",
        "occurred_time": "09:30",
        "campus": "Lyngby",
        "building": "",
        "room": " ",
        "description": "Stige stod ustabilt ved reolen.",
        "category": "slip_trip_fall",
        "severity": "serious",
        "injured": "no",
        "immediate_action": "",
        "prevention": "",
        "photo_url": "",
        "anonymous": "false",
    }
    value.update(changes)
    return value


def test_a_complete_form_is_read_with_local_time_and_blanks_as_nothing() -> None:
    form, problems = validate_form(_value(), NOW)
    assert problems == {} and form is not None
    assert form.unit_id == 7 and form.category is Category.SLIP_TRIP_FALL
    assert form.severity is Severity.SERIOUS and form.injured is False and form.anonymous is False
    assert form.building is None and form.room is None and form.photo_url is None
    assert form.occurred_at == datetime(2026, 11, 27, 8, 30, tzinfo=UTC)  # 09:30 CET


def test_summer_time_is_respected() -> None:
    form, _ = validate_form(_value(occurred_date="2026-07-01", occurred_time="09:30"), NOW)
    assert form is not None and form.occurred_at == datetime(2026, 7, 1, 7, 30, tzinfo=UTC)


@pytest.mark.parametrize(
    ("changes", "field", "key"),
    [
        ({"unit_id": ""}, "unit_id", "near_miss.error.unit_id"),
        ({"unit_id": "Kemi"}, "unit_id", "near_miss.error.unit_id"),
        ({"campus": "L"}, "campus", "near_miss.error.campus"),
        ({"description": "Kort"}, "description", "near_miss.error.description"),
        ({"description": "x" * 4001}, "description", "near_miss.error.description"),
        ({"category": "bad_luck"}, "category", "near_miss.error.category"),
        ({"severity": ""}, "severity", "near_miss.error.severity"),
        ({"injured": ""}, "injured", "near_miss.error.injured"),
        ({"injured": "maybe"}, "injured", "near_miss.error.injured"),
        ({"photo_url": "fotos på drevet"}, "photo_url", "near_miss.error.photo_url"),
        ({"photo_url": "javascript:alert(1)"}, "photo_url", "near_miss.error.photo_url"),
        ({"occurred_time": "25:99"}, "occurred_time", "near_miss.error.occurred_time"),
        ({"occurred_date": "27-11-2026"}, "occurred_date", "near_miss.error.occurred_date"),
        ({"occurred_date": "2026-11-28"}, "occurred_date", "near_miss.error.future"),
        ({"occurred_time": "14:30"}, "occurred_date", "near_miss.error.future"),
        ({"occurred_date": "2025-11-01"}, "occurred_date", "near_miss.error.too_old"),
        ({"room": "r" * 51}, "room", "near_miss.error.room"),
    ],
)
def test_each_mistake_is_named_by_its_field(changes: dict[str, Any], field: str, key: str) -> None:
    form, problems = validate_form(_value(**changes), NOW)
    assert form is None
    assert problems.get(field) == key


def test_the_time_check_is_reported_along_with_other_mistakes() -> None:
    _, problems = validate_form(_value(occurred_date="2026-12-24", description="Kort"), NOW)
    assert problems == {
        "occurred_date": "near_miss.error.future",
        "description": "near_miss.error.description",
    }


def test_a_few_minutes_of_clock_skew_is_fine() -> None:
    form, _ = validate_form(_value(occurred_time="14:05"), NOW)
    assert form is not None


@pytest.mark.parametrize(("raw", "expected"), [("true", True), ("false", False), ("yes", True)])
def test_toggles_and_choices_become_booleans(raw: str, expected: bool) -> None:
    form, _ = validate_form(_value(anonymous=raw, injured=raw), NOW)
    assert form is not None and form.anonymous is expected and form.injured is expected


def test_kept_values_are_the_typed_strings_without_the_action() -> None:
    kept = kept_values(_value(description="Kort", photo_url=""))
    assert kept["description"] == "Kort" and "photo_url" not in kept and "action" not in kept


# -- the status machine ------------------------------------------------------------------------


def test_the_normal_path_moves_forward() -> None:
    status = Status.REPORTED
    for event, expected in (
        (Event.ACKNOWLEDGE, Status.ACKNOWLEDGED),
        (Event.ASSIGN, Status.UNDER_INVESTIGATION),
        (Event.ADD_ACTION, Status.ACTIONS_DECIDED),
        (Event.COMPLETE_ACTION, Status.ACTIONS_DECIDED),
        (Event.CLOSE, Status.CLOSED),
    ):
        status = transition(status, event)
        assert status is expected


def test_assigning_straight_away_acknowledges_and_reassigning_never_goes_back() -> None:
    assert transition(Status.REPORTED, Event.ASSIGN) is Status.UNDER_INVESTIGATION
    assert transition(Status.ACTIONS_DECIDED, Event.ASSIGN) is Status.ACTIONS_DECIDED


@pytest.mark.parametrize(
    ("status", "event"),
    [
        (Status.ACKNOWLEDGED, Event.ACKNOWLEDGE),
        (Status.REPORTED, Event.ADD_ACTION),
        (Status.REPORTED, Event.CLOSE),
        (Status.UNDER_INVESTIGATION, Event.COMPLETE_ACTION),
        *[(Status.CLOSED, event) for event in Event],
    ],
)
def test_impossible_steps_are_refused(status: Status, event: Event) -> None:
    assert not allowed(status, event)
    with pytest.raises(TransitionError):
        transition(status, event)


def test_closing_needs_a_conclusion_and_no_open_action() -> None:
    assert close_problem("Hylden er sat op.", 1) is CloseProblem.OPEN_ACTIONS
    assert close_problem("  kort   ", 0) is CloseProblem.NO_CONCLUSION
    assert close_problem(None, 0) is CloseProblem.NO_CONCLUSION
    assert close_problem("Hylden er sat op.", 0) is None


# -- who may do what ---------------------------------------------------------------------------


def test_only_the_amk_and_the_secretariat_manage_a_report() -> None:
    nobody = Participant(person_id=1, name="x", lang=Lang.DA)
    amk = Participant(person_id=2, name="x", lang=Lang.DA, is_amk=True)
    secretariat = Participant(person_id=3, name="x", lang=Lang.DA, is_secretariat=True)
    investigator = Participant(person_id=4, name="x", lang=Lang.DA, is_investigator=True)
    owner = Participant(person_id=5, name="x", lang=Lang.DA, owned_actions=frozenset({9}))
    for event in (Event.ACKNOWLEDGE, Event.ASSIGN, Event.CLOSE):
        assert amk.may(event) and secretariat.may(event)
        assert not investigator.may(event) and not owner.may(event) and not nobody.may(event)
    assert investigator.may(Event.ADD_ACTION) and not owner.may(Event.ADD_ACTION)
    assert owner.may(Event.COMPLETE_ACTION, 9) and not owner.may(Event.COMPLETE_ACTION, 8)
    assert amk.may(Event.COMPLETE_ACTION, 8) and not investigator.may(Event.COMPLETE_ACTION, 9)
    assert not nobody.may_view and owner.may_view and investigator.may_view


# -- follow-up inputs --------------------------------------------------------------------------


def test_an_action_needs_what_who_and_a_due_date_not_in_the_past() -> None:
    ok, problems = action_form_problems(
        {"action_description": "Hylde", "action_owner": "Otto@Uni.dk", "action_due": "2026-11-27"},
        NOW,
    )
    assert problems == [] and ok is not None and ok.action_owner == "otto@uni.dk"
    assert ok.action_due == date(2026, 11, 27)
    _, problems = action_form_problems(
        {"action_description": "Hy", "action_owner": "otto", "action_due": ""}, NOW
    )
    assert problems == [
        "near_miss.error.action_description",
        "near_miss.error.action_owner",
        "near_miss.error.action_due",
    ]
    _, problems = action_form_problems(
        {"action_description": "Hylde", "action_owner": "o@uni.dk", "action_due": "2026-11-26"},
        NOW,
    )
    assert problems == ["near_miss.error.action_due_past"]
    assert ActionForm.model_fields.keys() == {"action_description", "action_owner", "action_due"}


def test_the_investigator_is_an_email() -> None:
    assert AssignForm.model_validate({"investigator": " Ida@Uni.DK "}).investigator == "ida@uni.dk"
    with pytest.raises(ValueError):
        AssignForm.model_validate({"investigator": "Ida"})


# -- numbers, keys and figures -----------------------------------------------------------------


def test_numbers_have_four_digits_and_the_local_year() -> None:
    assert format_number(2026, 42) == "NM-2026-0042"
    assert format_number(2026, 12345) == "NM-2026-12345"
    assert local_year(datetime(2026, 12, 31, 23, 30, tzinfo=UTC)) == 2027


def test_dedupe_keys_round_trip_and_the_reporters_name_no_one() -> None:
    assert parse_key(Notice(NoticeKind.NEW_REPORT, 5).key(12)) == (12, "amk", 5)
    assert parse_key(Notice(NoticeKind.INVESTIGATOR, 6).key(12)) == (12, "investigator", 6)
    assert parse_key(Notice(NoticeKind.ACTION_OWNER, 7, 3).key(12)) == (12, "owner", 3)
    assert parse_key(Notice(NoticeKind.REMINDER, 7, 3).key(12)) == (12, "reminder", 3)
    acknowledged = Notice(NoticeKind.REPORTER_ACKNOWLEDGED, 8).key(12)
    assert "8" not in acknowledged.split(":")
    assert parse_key("lone_work:1:approver") is None


def test_quarters_and_medians() -> None:
    assert quarter_of(datetime(2026, 3, 31, 22, 30, tzinfo=UTC)) == (2026, 2)  # 1 April locally
    assert quarter_of(datetime(2026, 12, 31, 12, 0, tzinfo=UTC)) == (2026, 4)
    assert median_duration([]) is None
    assert median_duration([timedelta(hours=h) for h in (1, 3, 10)]) == timedelta(hours=3)
    assert median_duration([timedelta(hours=h) for h in (1, 3)]) == timedelta(hours=2)


def test_the_reminder_is_at_eight_on_the_due_date_in_copenhagen() -> None:
    assert reminder_due_at(date(2026, 11, 27)) == datetime(2026, 11, 27, 8, 0, tzinfo=COPENHAGEN)


# -- the texts ---------------------------------------------------------------------------------


def test_every_label_exists_in_both_languages_with_the_same_placeholders() -> None:
    keys = set(catalogue_keys())
    wanted = (
        [f"near_miss.category.{c.value}" for c in Category]
        + [f"near_miss.severity.{s.value}" for s in Severity]
        + [f"near_miss.status.{s.value}" for s in Status]
    )
    wanted += [f"near_miss.error.{name}" for name in FORM_FIELDS]
    wanted += [f"near_miss.error.{name}" for name in ActionForm.model_fields]
    assert set(wanted) <= keys
    for key in keys:
        if key.startswith("near_miss."):
            danish, english = placeholders(key)
            assert danish == english, key
            assert t(Lang.DA, key) and t(Lang.EN, key)
