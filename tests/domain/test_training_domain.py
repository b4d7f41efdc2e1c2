"""The lone-work training rule and the training form, as plain functions."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from pydantic import ValidationError

from domain.training import (
    TrainingForm,
    TrainingKind,
    TrainingView,
    check_lone_work,
    form_problems,
    matches_lone_work,
)

RECORD = TrainingView(
    id=1,
    unit_id=1,
    unit="Kemi",
    person_id=2,
    person="Maja",
    activity="Brandslukning",
    kind=TrainingKind.INSTRUCTION,
    given_on=date(2026, 5, 1),
    given_by="Lise",
    proof=None,
    lone_work=False,
)
TASK = "Destillation af opløsningsmidler i lab 112"


@pytest.mark.parametrize(
    ("changes", "matches"),
    [
        ({}, False),
        ({"lone_work": True}, True),
        ({"activity": "Sikkert ALENEARBEJDE"}, True),
        ({"activity": "Working alone at night"}, True),
        ({"activity": "destillation   AF opløsningsmidler"}, True),
        ({"activity": "Destillation af opløsningsmidler i lab 112 og 113"}, True),
        ({"activity": "Destillation"}, True),
        ({"activity": "Destillation af benzin"}, False),
        ({"activity": "lab 112"}, True),
    ],
)
def test_a_record_covers_the_task_by_its_flag_its_words_or_the_task_text(
    changes: dict[str, object], matches: bool
) -> None:
    assert matches_lone_work(replace(RECORD, **changes), TASK) is matches  # type: ignore[arg-type]


def test_the_newest_matching_record_is_the_one_shown() -> None:
    newest = replace(RECORD, id=3, activity="Brand")
    match = replace(RECORD, id=2, lone_work=True)
    assert check_lone_work([newest, match, replace(RECORD, id=1, lone_work=True)], TASK).match == (
        match
    )
    assert check_lone_work([newest], TASK).match is None


def test_the_form_checks_e_mail_link_and_day() -> None:
    form = TrainingForm.model_validate(
        {
            "person": "Maja@Uni.dk",
            "activity": "Alenearbejde",
            "kind": "course",
            "given_on": "2026-12-08",
            "given_by": "Lise",
            "proof": "",
            "lone_work": "false",
        }
    )
    assert form.person == "maja@uni.dk" and form.proof is None and not form.lone_work
    assert form_problems(form, date(2026, 12, 7)) == {"given_on": "training.error.future"}
    with pytest.raises(ValidationError):
        TrainingForm.model_validate({**form.model_dump(), "proof": "http://x.dk"})
