"""The sync's diff: who is matched to whom, what a role left out means, and members groups."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from domain.org import Role
from domain.org_mapping import SyncMapping
from domain.org_sync import (
    DirectoryUser,
    Holder,
    KnownPerson,
    plan_memberships,
    plan_sync,
    unit_members,
)

G1, G2, G3 = (f"0000000{n}-0000-4000-8000-000000000000" for n in range(1, 4))
ANN = DirectoryUser("aad-ann", "ann@uni.dk", "Ann")
BO = DirectoryUser("aad-bo", "bo@uni.dk", "Bo")


def holder(unit: str | None, role: Role, aad: str | None, upn: str | None, n: int = 1) -> Holder:
    return Holder(n, unit, role, n, aad, upn, upn or aad or "?")


def test_someone_known_by_upn_only_is_the_directory_user_with_that_upn() -> None:
    mapping = SyncMapping.model_validate({"units": [{"name": "Kemi", "amk": [G1]}]})
    current = [holder("Kemi", Role.AMK, None, "ann@uni.dk")]
    plan = plan_sync(mapping, {G1: [ANN]}, current, ["Kemi"])
    assert (plan.grants, plan.removals, plan.problems) == ([], [], [])


def test_a_role_left_out_is_not_touched_and_an_empty_list_empties_it() -> None:
    mapping = SyncMapping.model_validate(
        {"units": [{"name": "Kemi", "leader": [G1], "precursor_contact": []}]}
    )
    current = [
        holder("Kemi", Role.AMK, "aad-x", None, 1),
        holder("Kemi", Role.PRECURSOR_CONTACT, "aad-y", None, 2),
    ]
    plan = plan_sync(mapping, {G1: [BO]}, current, ["kemi"])
    assert [grant.user for grant in plan.grants] == [BO]
    assert plan.grants[0].unit == "kemi"  # the bot's own spelling of the unit
    assert [removed.assignment_id for removed in plan.removals] == [2]


def test_group_ids_must_be_guids_and_units_unique() -> None:
    with pytest.raises(ValidationError, match="not an Entra group id"):
        SyncMapping.model_validate({"units": [{"name": "Kemi", "amk": ["Kemi-AMK"]}]})
    with pytest.raises(ValidationError, match="unit listed twice"):
        SyncMapping.model_validate({"units": [{"name": "Kemi"}, {"name": "KEMI"}]})


def test_members_in_two_units_get_no_own_unit_and_unknown_people_are_ignored() -> None:
    mapping = SyncMapping.model_validate(
        {"units": [{"name": "Kemi", "members": [G1]}, {"name": "Fysik", "members": [G2, G3]}]}
    )
    people = [
        KnownPerson(1, "aad-ann", "ann@uni.dk", "Ann"),
        KnownPerson(2, None, "bo@uni.dk", "Bo"),
    ]
    plan = plan_sync(mapping, {G1: [ANN], G2: [ANN, BO], G3: []}, [], ["Kemi", "Fysik"])
    employees = unit_members(mapping, {G1: [ANN], G2: [ANN, BO], G3: []})
    plan_memberships(plan, employees, people, {1: "Kemi", 3: "Fysik"})
    assert [(join.person_id, join.unit) for join in plan.joins] == [(2, "Fysik")]
    assert [(leave.person_id, leave.unit) for leave in plan.leaves] == [(1, "Kemi"), (3, "Fysik")]
    assert plan.several_units == 1


def test_a_user_attribute_names_the_unit_by_its_values() -> None:
    mapping = SyncMapping.model_validate(
        {
            "unit_attribute": "department",
            "units": [
                {"name": "Kemi", "attribute_values": ["DTU Kemi", "Kemi"]},
                {"name": "Fysik"},
            ],
        }
    )
    employees = unit_members(mapping, {}, [(ANN, " dtu kemi "), (BO, "Fysik"), (BO, None)])
    assert employees == {"Kemi": [ANN], "Fysik": [BO]}
    with pytest.raises(ValidationError, match="names two units"):
        SyncMapping.model_validate(
            {
                "unit_attribute": "department",
                "units": [{"name": "Kemi"}, {"name": "Fysik", "attribute_values": ["kemi"]}],
            }
        )
