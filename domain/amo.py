"""The AMO's composition and size (a documentation duty): the members taken from the unit's
roles, its groups, the written reasoning for their number, and when the roles have changed
enough that the reasoning must be reviewed. Pure rules; the records are in `storage/amo.py`."""

from __future__ import annotations

from collections.abc import Collection
from datetime import date
from typing import Annotated, Final

from pydantic import BaseModel, ConfigDict, Field, field_validator

from domain.links import ProofLink
from domain.org import Role

AMO_DUTY: Final = "amo_composition"
AMO_ROLES: Final = (Role.LEADER, Role.AMK, Role.AMR)
REASONING_MAX: Final = 2000
GROUP_MAX: Final = 100
GROUPS_MAX: Final = 20

Member = tuple[int, Role]
"""One seat in the AMO: a person id and the role they hold in the unit."""

GroupName = Annotated[str, Field(min_length=1, max_length=GROUP_MAX)]


class AmoForm(BaseModel):
    """What the AMO card submits: the groups (one name a line), the reasoning for the number
    of members and groups, and an optional https link to the written document."""

    model_config = ConfigDict(str_strip_whitespace=True)

    groups: list[GroupName] = Field(min_length=1, max_length=GROUPS_MAX)
    reasoning: str = Field(min_length=1, max_length=REASONING_MAX)
    proof: ProofLink = None

    @field_validator("groups", mode="before")
    @classmethod
    def _one_a_line(cls, value: object) -> object:
        if isinstance(value, str):
            return [line.strip() for line in value.splitlines() if line.strip()]
        return value


class AmoRecord(BaseModel):
    """The AMO's composition as recorded on a day: who held the roles then, the groups and
    the reasoning (the newest record of a unit counts; older ones are kept)."""

    model_config = ConfigDict(frozen=True)

    id: int
    unit_id: int
    recorded_on: date
    recorded_by: str | None
    groups: tuple[str, ...]
    reasoning: str
    members: frozenset[Member]


def changed_members(recorded: Collection[Member], current: Collection[Member]) -> int:
    """How many seats are gone or new since the record."""
    return len(set(recorded) ^ set(current))


def review_needed(recorded: Collection[Member], current: Collection[Member]) -> bool:
    """The roles changed substantially since the reasoning: at least a third of the members
    at the time of recording are gone or new (counted as seats, person and role), or a role
    of leader, AMK and AMR that had someone then has nobody now."""
    changed = changed_members(recorded, current)
    if changed == 0:
        return False
    emptied = {role for _, role in recorded} - {role for _, role in current}
    return bool(emptied) or changed * 3 >= len(set(recorded))
