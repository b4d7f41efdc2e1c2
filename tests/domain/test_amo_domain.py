"""The AMO's rules: the form's groups one a line with their limits, and when the unit's roles
have changed enough that the reasoning must be reviewed."""

from __future__ import annotations

from datetime import date

import pytest
from pydantic import ValidationError

from domain.amo import GROUPS_MAX, REASONING_MAX, AmoForm, Member, review_needed
from domain.documentation import Status, standing
from domain.org import Role
from storage.documentation import duties

LEADER: Member = (1, Role.LEADER)
AMK: Member = (2, Role.AMK)
AMR: Member = (3, Role.AMR)
AMR_2: Member = (4, Role.AMR)


def test_groups_are_one_a_line_and_blank_lines_do_not_count() -> None:
    form = AmoForm.model_validate(
        {"groups": " Laboratorierne \n\n Kontorerne\n", "reasoning": " To grupper. ", "proof": ""}
    )
    assert form.groups == ["Laboratorierne", "Kontorerne"]
    assert form.reasoning == "To grupper." and form.proof is None


@pytest.mark.parametrize(
    ("groups", "reasoning", "field"),
    [
        ("A", "", "reasoning"),
        ("A", "   ", "reasoning"),
        ("A", "x" * (REASONING_MAX + 1), "reasoning"),
        ("\n \n", "Begrundet.", "groups"),
        ("\n".join(f"Gruppe {n}" for n in range(GROUPS_MAX + 1)), "Begrundet.", "groups"),
        ("x" * 101, "Begrundet.", "groups"),
    ],
)
def test_what_the_form_refuses(groups: str, reasoning: str, field: str) -> None:
    with pytest.raises(ValidationError) as error:
        AmoForm.model_validate({"groups": groups, "reasoning": reasoning})
    assert {str(problem["loc"][0]) for problem in error.value.errors()} == {field}


def test_a_third_of_the_members_gone_or_new_is_substantial() -> None:
    recorded = {LEADER, AMK, AMR, AMR_2}
    assert not review_needed(recorded, recorded)
    assert not review_needed(recorded, recorded | {(5, Role.AMR)})  # 1 of 4
    assert review_needed(recorded, {(6, Role.LEADER), AMK, AMR, AMR_2})  # 2 of 4
    assert review_needed({LEADER, AMK, AMR}, {LEADER, AMK, AMR, AMR_2})  # 1 of 3


def test_a_role_left_with_nobody_is_substantial_however_few_changed() -> None:
    recorded = {LEADER, AMK, AMR, AMR_2, (5, Role.AMR), (6, Role.AMR)}
    assert review_needed(recorded, recorded - {AMK})  # 1 of 6, but no AMK now
    # a role nobody held when it was recorded does not ask for a review by itself
    assert not review_needed({LEADER, AMK, (7, Role.AMK)}, {LEADER, AMK, (7, Role.AMK)})


def test_review_makes_a_met_duty_due_for_review() -> None:
    duty = duties().get("amo_composition")
    assert duty is not None
    today = date(2026, 12, 7)
    assert standing(duty, date(2026, 1, 1), today).status is Status.MET
    assert standing(duty, date(2026, 1, 1), today, review=True).status is Status.REVIEW
    assert standing(duty, None, today, review=True).status is Status.NOT_RECORDED
