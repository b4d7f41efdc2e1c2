"""A person named on a card is their Entra object id (Teams' people picker) or an e-mail
address/UPN (typed where there is no picker); anything else is refused at the edge."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from pydantic import ValidationError

from domain.near_miss_forms import ActionForm, AssignForm, action_form_problems
from domain.org import RoleAssignmentForm
from domain.people import PersonKey, person_key
from domain.wellbeing_items import parse_item

PICKED = "5F0B1C2D-3E4F-4A5B-8C6D-7E8F9A0B1C2D"


@pytest.mark.parametrize(
    ("value", "key"),
    [
        (PICKED, PersonKey(aad_object_id=PICKED.lower())),
        (f" {PICKED.lower()} ", PersonKey(aad_object_id=PICKED.lower())),
        ("Ida@Uni.DK", PersonKey(upn="ida@uni.dk")),
    ],
)
def test_an_object_id_or_an_email_names_a_person(value: str, key: PersonKey) -> None:
    assert person_key(value) == key


@pytest.mark.parametrize(
    "value", ["", "Ida", "5f0b1c2d-3e4f-4a5b-8c6d", f"{PICKED},{PICKED}", "a@b", "x" * 330]
)
def test_anything_else_is_refused(value: str) -> None:
    with pytest.raises(ValueError):
        person_key(value)
    with pytest.raises(ValidationError):
        AssignForm.model_validate({"investigator": value})
    with pytest.raises(ValidationError):
        RoleAssignmentForm.model_validate({"upn": value, "role": "amk"})


def test_the_forms_keep_the_picked_object_id() -> None:
    assert AssignForm.model_validate({"investigator": PICKED}).investigator == PICKED.lower()
    assert RoleAssignmentForm.model_validate({"upn": PICKED, "role": "amk"}).upn == PICKED.lower()
    now = datetime(2026, 11, 27, 12, tzinfo=UTC)
    action = {"action_description": "Sæt en hylde op", "action_due": "2026-12-10"}
    form, problems = action_form_problems({**action, "action_owner": PICKED}, now)
    assert problems == [] and isinstance(form, ActionForm)
    assert form.action_owner == PICKED.lower()
    _, problems = action_form_problems({**action, "action_owner": "Otto"}, now)
    assert problems == ["near_miss.error.action_owner"]


def test_an_item_owner_may_be_picked_or_typed() -> None:
    today = date(2026, 11, 27)
    row = {"problem": "Afbrydelser", "action": "Stilletimer", "deadline": "2026-12-10"}
    for owner, stored in ((PICKED, PICKED.lower()), ("Otto@Uni.dk", "otto@uni.dk")):
        draft, errors = parse_item({**row, "owner": owner}, None, today=today)
        assert errors == {} and draft is not None and draft.owner_upn == stored
    _, errors = parse_item({**row, "owner": "Otto"}, None, today=today)
    assert errors == {"owner": "wellbeing.error.owner"}
