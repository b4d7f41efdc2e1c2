"""Well-being rules without I/O: the forms, the personal-data check, dates, settings, access."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from domain.i18n import Lang, catalogue_keys, placeholders, t
from domain.wellbeing import (
    DEFAULT_FOLLOW_UP_DAYS,
    Access,
    AmdRole,
    Effect,
    GoalsMet,
    ItemStatus,
    Theme,
    WellbeingSettings,
    add_years,
    group_key,
    group_statuses,
    is_overdue,
    local_today,
    notes_cutoff,
    parse_amd,
    parse_dialogue,
    shown_in_plan,
    unit_dialogue_due,
)
from domain.wellbeing_items import item_values, parse_effect, parse_item, parse_items, rows_of
from domain.wellbeing_privacy import NameIndex, check_texts, find_personal_data

TODAY = date(2026, 11, 27)


def dialogue(**changes: str) -> dict[str, str]:
    values = {
        "unit_id": "4",
        "group_name": "Analysegruppen",
        "held_on": "2026-11-20",
        "participants": "12",
        "facilitator": "HR-partner",
        "themes": "stress,sexism",
        "works_well": "Godt samarbejde",
        "challenges": "For mange møder",
        "absence_considered": "no",
    }
    values.update(changes)
    return values


# -- the dialogue form ---------------------------------------------------------------------


def test_a_complete_dialogue_parses() -> None:
    form, errors = parse_dialogue(dialogue(), today=TODAY)
    assert errors == {} and form is not None
    assert form.themes == [Theme.STRESS, Theme.SEXISM]
    assert form.participants == 12 and form.absence_considered is False
    assert form.texts() == {"works_well": "Godt samarbejde", "challenges": "For mange møder"}


@pytest.mark.parametrize(
    ("changes", "field", "key"),
    [
        ({"participants": "tolv"}, "participants", "wellbeing.error.participants"),
        ({"participants": "12.5"}, "participants", "wellbeing.error.participants"),
        ({"participants": "Anne, Bo og Carl"}, "participants", "wellbeing.error.participants"),
        ({"participants": "0"}, "participants", "wellbeing.error.participants"),
        ({"themes": ""}, "themes", "wellbeing.error.themes"),
        ({"themes": "stress,gossip"}, "themes", "wellbeing.error.themes"),
        ({"held_on": "2026-11-28"}, "held_on", "wellbeing.error.future"),
        ({"held_on": ""}, "held_on", "wellbeing.error.held_on"),
        ({"absence_considered": "maybe"}, "absence_considered", "wellbeing.error.absence"),
        ({"themes": "other"}, "theme_other", "wellbeing.error.theme_other"),
        ({"works_well": "", "challenges": " "}, "challenges", "wellbeing.error.no_notes"),
        ({"unit_id": ""}, "unit_id", "wellbeing.error.unit"),
        ({"challenges": "x" * 4001}, "challenges", "wellbeing.error.too_long"),
    ],
)
def test_dialogue_errors_name_the_field(changes: dict[str, str], field: str, key: str) -> None:
    form, errors = parse_dialogue(dialogue(**changes), today=TODAY)
    assert form is None
    assert errors[field] == key


def test_participants_accepts_the_number_input_float() -> None:
    form, _ = parse_dialogue({**dialogue(), "participants": 7.0}, today=TODAY)  # type: ignore[dict-item]
    assert form is not None and form.participants == 7


# -- text that looks like personal data -------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("Vi talte med Anne Hansen om travlhed.", ["Anne Hansen"]),
        ("Samarbejdet med Anne-Marie Holm Larsen er svært.", ["Anne-Marie Holm Larsen"]),
        ("Vi savner Jan van der Berg i teamet.", ["Jan van der Berg"]),
        ("Kontakt anne@uni.dk for detaljer.", ["anne@uni.dk"]),
        ("Hendes CPR er 010203-1234.", ["••••••-••••"]),
        ("Spørg «Ole Olsen» om det.", ["Ole Olsen"]),
    ],
)
def test_names_emails_and_cpr_numbers_are_flagged(text: str, found: list[str]) -> None:
    assert [flag.text for flag in find_personal_data("challenges", text)] == found


@pytest.mark.parametrize(
    "text",
    [
        "For mange møder og for lidt tid til fordybelse.",
        "Anne sagde, at det går bedre.",  # one word at a sentence start
        "Stress. Travlhed er et problem i AMK og HR.",  # sentence starts and acronyms
        "Vi mødes på Engineering Technology hver uge.",  # a unit's name
        "We meet every Monday in January.",
    ],
)
def test_ordinary_text_is_not_flagged(text: str) -> None:
    index = NameIndex.build([], ignore=["Engineering Technology"])
    assert find_personal_data("works_well", text, index) == []


def test_a_sentence_start_run_needs_two_more_capitalised_words() -> None:
    assert find_personal_data("x", "Anne Hansen var der.") == []
    flagged = find_personal_data("x", "Ledelse. Anne Bo Hansen var der.")
    assert [flag.text for flag in flagged] == ["Bo Hansen"]


def test_names_the_organisation_knows_are_flagged_alone_and_in_full() -> None:
    index = NameIndex.build(["Lise Leder", "Per Koordinator", "Emil"])
    flags = find_personal_data("challenges", "Både Emil og lise leder mener det.", index)
    assert [flag.text for flag in flags] == ["lise leder", "Emil"]
    assert find_personal_data("x", "Emil mener det.", index) == []  # sentence start
    assert find_personal_data("x", "Per time betyder det meget.", index) == []


def test_check_texts_names_each_field() -> None:
    flags = check_texts({"works_well": "Ok", "challenges": "Om Bo Ibsen"})
    assert [(flag.field, flag.kind) for flag in flags] == [("challenges", "name")]
    again = flags[0].from_dict(flags[0].as_dict())
    assert again == flags[0]


# -- action-plan items --------------------------------------------------------------------------


def item(row: int | None = None, **changes: str) -> dict[str, str]:
    suffix = "" if row is None else f"_{row}"
    values = {
        "problem": "Afbrydelser",
        "action": "Stilletimer",
        "owner": "Otto@Uni.dk",
        "deadline": "2026-12-15",
        "follow_up": "2027-01-15",
    }
    values.update(changes)
    return {f"{key}{suffix}": value for key, value in values.items()}


def test_an_item_parses_and_the_follow_up_defaults_to_a_month_later() -> None:
    draft, errors = parse_item(item(follow_up=""), None, today=TODAY)
    assert errors == {} and draft is not None
    assert draft.owner_upn == "otto@uni.dk"
    assert draft.follow_up_on == date(2026, 12, 15) + timedelta(days=DEFAULT_FOLLOW_UP_DAYS)


@pytest.mark.parametrize(
    ("changes", "field", "key"),
    [
        ({"problem": ""}, "problem", "wellbeing.error.item_problem"),
        ({"action": ""}, "action", "wellbeing.error.item_action"),
        ({"owner": "Otto"}, "owner", "wellbeing.error.owner"),
        ({"deadline": ""}, "deadline", "wellbeing.error.deadline"),
        ({"deadline": "2026-11-26"}, "deadline", "wellbeing.error.deadline_past"),
        ({"follow_up": "2026-12-01"}, "follow_up", "wellbeing.error.follow_up_before"),
        ({"follow_up": "snart"}, "follow_up", "wellbeing.error.follow_up"),
        ({"problem": "x" * 501}, "problem", "wellbeing.error.too_long"),
    ],
)
def test_item_errors(changes: dict[str, str], field: str, key: str) -> None:
    draft, errors = parse_item(item(2, **changes), 2, today=TODAY)
    assert draft is None and errors[f"{field}_2"] == key


def test_an_edited_item_may_keep_its_past_deadline() -> None:
    values = item(deadline="2026-11-01", follow_up="2026-12-01")
    assert parse_item(values, None, today=TODAY)[0] is None
    draft, errors = parse_item(values, None, today=TODAY, old_deadline=date(2026, 11, 1))
    assert errors == {} and draft is not None


def test_blank_rows_are_skipped_and_values_kept() -> None:
    values = {**item(1), **item(3, problem="Andet")}
    drafts, errors = parse_items(values, 3, today=TODAY)
    assert errors == {} and [draft.problem for draft in drafts] == ["Afbrydelser", "Andet"]
    assert item_values(values, 3)["problem_3"] == "Andet"
    assert "problem_2" not in item_values(values, 3)
    assert parse_items({}, 3, today=TODAY) == ([], {})


def test_rows_are_bounded() -> None:
    assert (rows_of("5"), rows_of("99"), rows_of("-4"), rows_of("x")) == (5, 6, 1, 3)


def test_effect_answers() -> None:
    assert parse_effect("partly") is Effect.PARTLY
    assert parse_effect("") is None and parse_effect("maybe") is None


# -- dialogues are due per group ------------------------------------------------------------


def test_a_unit_is_due_on_the_day_its_least_recent_group_is() -> None:
    """A small group's recent dialogue does not cover a large group whose dialogue is older
    than the interval: on the day two years after the large group's dialogue the unit is due,
    the day before it is not."""
    groups = group_statuses(
        [("Analysegruppen", date(2024, 12, 7)), ("Værkstedet", date(2026, 11, 1))], 2
    )
    assert [(g.group, g.last_held, g.due_on) for g in groups] == [
        ("Analysegruppen", date(2024, 12, 7), date(2026, 12, 7)),
        ("Værkstedet", date(2026, 11, 1), date(2028, 11, 1)),
    ]
    assert unit_dialogue_due(groups, date(2026, 12, 6)) == date(2026, 12, 7)
    day_before, boundary = date(2026, 12, 6), date(2026, 12, 7)
    assert not any(group.due(day_before) for group in groups)
    assert [group.group for group in groups if group.due(boundary)] == ["Analysegruppen"]


def test_group_names_differing_in_case_or_spacing_are_one_group() -> None:
    """ "Lab  2" and "lab 2" are the same group: its latest dialogue counts, shown with the
    name as last written; a different name is another group."""
    assert group_key("  Lab \t 2 ") == group_key("lab 2") == "lab 2"
    groups = group_statuses(
        [
            ("Lab  2", date(2023, 5, 1)),
            ("lab 2", date(2026, 5, 1)),
            ("Lab 3", date(2025, 1, 10)),
        ],
        2,
    )
    assert [(g.group, g.last_held) for g in groups] == [
        ("Lab 3", date(2025, 1, 10)),
        ("lab 2", date(2026, 5, 1)),
    ]
    assert unit_dialogue_due(groups, TODAY) == date(2027, 1, 10)


# -- dates --------------------------------------------------------------------------------------


def test_dates() -> None:
    assert add_years(date(2024, 2, 29), 2) == date(2026, 2, 28)
    [group] = group_statuses([("Lab", date(2025, 3, 1))], 2)
    assert group.due_on == date(2027, 3, 1)
    assert unit_dialogue_due([group], TODAY) == date(2027, 3, 1)
    assert unit_dialogue_due([], TODAY) == TODAY
    assert notes_cutoff(datetime(2026, 11, 27, 12, tzinfo=UTC), 5) == date(2021, 11, 27)
    assert local_today(datetime(2026, 11, 27, 23, 30, tzinfo=UTC)) == date(2026, 11, 28)
    assert is_overdue(ItemStatus.IN_PROGRESS, date(2026, 11, 26), TODAY)
    assert not is_overdue(ItemStatus.IN_PROGRESS, TODAY, TODAY)
    assert not is_overdue(ItemStatus.DONE, date(2026, 1, 1), TODAY)
    now = datetime(2026, 11, 27, tzinfo=UTC)
    assert shown_in_plan(ItemStatus.OPEN, None, now)
    assert shown_in_plan(ItemStatus.DONE, now - timedelta(days=300), now)
    assert not shown_in_plan(ItemStatus.DROPPED, now - timedelta(days=400), now)


def test_settings_default_and_bounds() -> None:
    assert WellbeingSettings.from_mapping({}) == WellbeingSettings(5, 2)
    custom = WellbeingSettings.from_mapping(
        {"WELLBEING_RETENTION_YEARS": "3", "WELLBEING_DIALOGUE_INTERVAL_YEARS": "3"}
    )
    assert (custom.retention_years, custom.dialogue_interval_years) == (3, 3)
    with pytest.raises(ValueError, match="1 to 3"):
        WellbeingSettings.from_mapping({"WELLBEING_DIALOGUE_INTERVAL_YEARS": "4"})
    with pytest.raises(ValueError, match="RETENTION"):
        WellbeingSettings.from_mapping({"WELLBEING_RETENTION_YEARS": "five"})


# -- the annual discussion ----------------------------------------------------------------------


def amd(**changes: str) -> dict[str, str]:
    values = {
        "unit_id": "4",
        "year": "2026",
        "held_on": "2026-11-20",
        "participant_roles": "leader,work_env_rep",
        "goals_met": "partly",
        "goals_next_year": "Færre afbrydelser",
        "cooperation": "Kvartalsmøder",
        "competence_needs": "Kursus",
    }
    values.update(changes)
    return values


def test_annual_discussion_rules() -> None:
    form, errors = parse_amd(amd(), today=TODAY)
    assert errors == {} and form is not None
    assert form.participant_roles == [AmdRole.LEADER, AmdRole.WORK_ENV_REP]
    assert form.goals_met is GoalsMet.PARTLY
    assert parse_amd(amd(year="2027"), today=TODAY)[1] == {"year": "wellbeing.error.year"}
    assert parse_amd(amd(year="2024"), today=TODAY)[1] == {"year": "wellbeing.error.year"}
    late = parse_amd(amd(year="2025", held_on="2026-01-10"), today=TODAY)
    assert late[1] == {}
    assert parse_amd(amd(held_on="2025-06-01"), today=TODAY)[1] == {
        "held_on": "wellbeing.error.amd_date"
    }
    assert parse_amd(amd(participant_roles=""), today=TODAY)[1] == {
        "participant_roles": "wellbeing.error.roles"
    }
    assert parse_amd(amd(cooperation=""), today=TODAY)[1] == {
        "cooperation": "wellbeing.error.required"
    }


# -- who may do what ------------------------------------------------------------------------

KEMI, FYSIK = 1, 2
LEADER = Access(person_id=10, leader_of=frozenset({KEMI}))
AMK = Access(person_id=11, amk_of=frozenset({KEMI}))
OTHER_LEADER = Access(person_id=12, leader_of=frozenset({FYSIK}))
CONTACT = Access(person_id=13, other_units=frozenset({KEMI}))
SECRETARIAT = Access(person_id=14, secretariat=True)
ADMIN = Access(person_id=15, is_admin=True)
EMPLOYEE = Access(person_id=16)
OWNER = Access(person_id=17)
NOBODY = Access(person_id=None, is_admin=True)
RECORDER = 14  # the secretariat member recorded the dialogue in these rows


@pytest.mark.parametrize(
    ("who", "record", "read_own", "read_others", "counts", "manage", "update_owned"),
    [
        ("leader", True, True, True, True, True, True),
        ("amk", True, True, True, True, True, True),
        ("other_leader", False, False, False, False, False, False),
        ("contact", False, False, False, False, False, False),
        ("secretariat", True, True, False, True, True, True),
        ("admin", True, False, False, True, True, True),
        ("employee", False, False, False, False, False, False),
        ("owner", False, False, False, False, False, True),
        ("nobody", False, False, False, False, False, False),
    ],
)
def test_access_rule_for_each_role(
    who: str,
    record: bool,
    read_own: bool,
    read_others: bool,
    counts: bool,
    manage: bool,
    update_owned: bool,
) -> None:
    access = {
        "leader": LEADER,
        "amk": AMK,
        "other_leader": OTHER_LEADER,
        "contact": CONTACT,
        "secretariat": SECRETARIAT,
        "admin": ADMIN,
        "employee": EMPLOYEE,
        "owner": OWNER,
        "nobody": NOBODY,
    }[who]
    assert access.may_record(KEMI) is record
    assert access.may_read_notes(KEMI, recorded_by_id=RECORDER) is read_own
    assert access.may_read_notes(KEMI, recorded_by_id=99) is read_others
    assert access.may_see_counts(KEMI) is counts
    assert access.may_manage_plan(KEMI) is manage
    assert access.may_update_item(KEMI, owner_id=17) is update_owned


def test_home_unit_is_the_only_unit_with_a_role() -> None:
    assert CONTACT.home_unit() == KEMI and LEADER.home_unit() == KEMI
    both = Access(person_id=1, leader_of=frozenset({KEMI}), amk_of=frozenset({FYSIK}))
    assert both.home_unit() is None and SECRETARIAT.home_unit() is None
    assert both.recordable([KEMI, FYSIK, 3]) == [KEMI, FYSIK]


# -- the catalogue ------------------------------------------------------------------------------


def test_every_wellbeing_text_exists_in_both_languages() -> None:
    keys = [key for key in catalogue_keys() if key.startswith("wellbeing.")]
    assert len(keys) > 150
    for key in keys:
        danish, english = placeholders(key)
        assert danish == english, key
    needed = [f"wellbeing.theme.{theme.value}" for theme in Theme]
    needed += [f"wellbeing.status.{status.value}" for status in ItemStatus]
    needed += [f"wellbeing.effect.{effect.value}" for effect in Effect]
    needed += [f"wellbeing.effect.answered.{effect.value}" for effect in Effect]
    needed += [f"wellbeing.amd_role.{role.value}" for role in AmdRole]
    needed += [f"wellbeing.goals_met.{answer.value}" for answer in GoalsMet]
    for key in needed:
        assert t(Lang.DA, key) and t(Lang.EN, key)
    assert t(Lang.DA, "wellbeing.theme.sexism") == "Sexisme"
