"""The mapping file of `org sync`: which Entra ID groups hold which unit's roles, which
groups (or which user attribute) tell an employee's unit."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Final

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator

from domain.org import GUID_PATTERN, Role

DEFAULT_MAX_ROLE_MEMBERS: Final = 500


def _group_id(value: str) -> str:
    if not GUID_PATTERN.match(value.strip()):
        raise ValueError(f"not an Entra group id (GUID): {value!r}")
    return value.strip().lower()


GroupId = Annotated[str, AfterValidator(_group_id)]
"""An Entra group's object id, lower-case."""


class MappedUnit(BaseModel):
    """One unit and the groups whose (transitive) members hold its roles. A role left out
    (None) is not managed by the sync; an empty list means nobody holds it."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=100)
    leader: list[GroupId] | None = None
    amk: list[GroupId] | None = None
    precursor_contact: list[GroupId] | None = None
    amr: list[GroupId] | None = None
    # the unit's employees: people the bot knows get it as their own unit (not a role)
    members: list[GroupId] | None = None
    # with the mapping's `unit_attribute`: the values that mean this unit (default: its name)
    attribute_values: list[str] | None = None

    def values_of_attribute(self) -> list[str]:
        return self.attribute_values if self.attribute_values is not None else [self.name]

    def groups_by_role(self) -> dict[Role, list[str]]:
        """The managed roles and their groups."""
        listed = {
            Role.LEADER: self.leader,
            Role.AMK: self.amk,
            Role.PRECURSOR_CONTACT: self.precursor_contact,
            Role.AMR: self.amr,
        }
        return {role: groups for role, groups in listed.items() if groups is not None}


class SyncMapping(BaseModel):
    """The mapping file of `org sync`."""

    model_config = ConfigDict(extra="forbid")

    units: list[MappedUnit] = Field(default_factory=list)
    secretariat: list[GroupId] | None = None
    # a role group larger than this is refused as a probable mistake (an all-staff group)
    max_role_members: int = Field(default=DEFAULT_MAX_ROLE_MEMBERS, ge=1, le=100_000)
    # a user attribute (e.g. `department`) whose value names an employee's unit
    unit_attribute: str | None = Field(default=None, pattern=r"^[A-Za-z][A-Za-z0-9_]{0,63}$")

    @model_validator(mode="after")
    def _attribute_values_name_one_unit(self) -> SyncMapping:
        seen: dict[str, str] = {}
        for unit in self.units:
            for value in unit.values_of_attribute() if self.unit_attribute else ():
                earlier = seen.setdefault(value.strip().casefold(), unit.name)
                if earlier != unit.name:
                    raise ValueError(
                        f"{self.unit_attribute} {value!r} names two units: {earlier!r} and "
                        f"{unit.name!r}"
                    )
        return self

    def unit_of_value(self) -> dict[str, str]:
        """With `unit_attribute`: each (case-folded) attribute value and the unit it means."""
        if not self.unit_attribute:
            return {}
        return {
            value.strip().casefold(): unit.name
            for unit in self.units
            for value in unit.values_of_attribute()
        }

    @model_validator(mode="after")
    def _unique_unit_names(self) -> SyncMapping:
        seen: set[str] = set()
        for unit in self.units:
            folded = unit.name.casefold()
            if folded in seen:
                raise ValueError(f"unit listed twice: {unit.name!r}")
            seen.add(folded)
        return self

    def slots(self) -> list[Slot]:
        """Every managed (unit, role) with its groups; the secretariat's unit is None."""
        found = [
            Slot(unit.name, role, tuple(groups))
            for unit in self.units
            for role, groups in unit.groups_by_role().items()
        ]
        if self.secretariat is not None:
            found.append(Slot(None, Role.SECRETARIAT, tuple(self.secretariat)))
        return found

    def member_groups(self) -> dict[str, tuple[str, ...]]:
        """Each unit with `members` and its groups."""
        return {unit.name: tuple(unit.members) for unit in self.units if unit.members is not None}

    def group_ids(self) -> list[str]:
        """Each group named in the file once, in the order first named."""
        named = [group for slot in self.slots() for group in slot.groups]
        named += [group for groups in self.member_groups().values() for group in groups]
        return list(dict.fromkeys(named))


@dataclass(frozen=True)
class Slot:
    """A role in a unit (None: university-wide) and the groups that fill it."""

    unit: str | None
    role: Role
    groups: tuple[str, ...]

    @property
    def label(self) -> str:
        return f"{self.unit or 'university'} {self.role.value}"
