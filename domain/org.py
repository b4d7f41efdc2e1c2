"""People, units and roles: the organisation the bot works in."""

from __future__ import annotations

import re
from enum import StrEnum
from typing import Final

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

EMAIL_PATTERN: Final = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
GUID_PATTERN: Final = re.compile(
    r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"
)


class Role(StrEnum):
    """What a person may do; all but `secretariat` are held per unit."""

    LEADER = "leader"
    AMK = "amk"
    PRECURSOR_CONTACT = "precursor_contact"
    AMR = "amr"  # work-environment representative (arbejdsmiljørepræsentant), in the AMO
    SECRETARIAT = "secretariat"

    @property
    def is_unit_role(self) -> bool:
        return self is not Role.SECRETARIAT


SEED_UNITS: Final[tuple[str, ...]] = (
    "Adgangskursus",
    "AFRI",
    "AHR",
    "AIT",
    "AKM",
    "APR",
    "AUS",
    "AØR",
    "Aqua",
    "Bioengineering",
    "BRIGHT",
    "CAS",
    "Compute",
    "Construct",
    "DeiC",
    "Electro",
    "Energi",
    "Engineering Technology",
    "Entrepreneurship",
    "Food",
    "Fysik",
    "Kemi",
    "Kemiteknik",
    "Management",
    "Nanolab",
    "Offshore",
    "Skylab",
    "Space",
    "Sundhedsteknologi",
    "Sustain",
    "Wind",
)


def normalise_upn(value: str) -> str:
    """UPNs and e-mail addresses compare case-insensitively."""
    return value.strip().lower()


def is_email(value: str) -> bool:
    return bool(EMAIL_PATTERN.match(value.strip()))


class OrgPerson(BaseModel):
    """A person in the organisation file: known by Entra object id and/or UPN."""

    model_config = ConfigDict(extra="forbid")

    aad_object_id: str | None = None
    upn: str | None = None
    name: str | None = None

    @field_validator("upn")
    @classmethod
    def _upn_is_email(cls, value: str | None) -> str | None:
        if value is None:
            return None
        if not is_email(value):
            raise ValueError(f"not an e-mail/UPN: {value!r}")
        return normalise_upn(value)

    @field_validator("aad_object_id")
    @classmethod
    def _aad_is_guid(cls, value: str | None) -> str | None:
        if value is None:
            return None
        if not GUID_PATTERN.match(value):
            raise ValueError(f"not an Entra object id (GUID): {value!r}")
        return value.lower()

    @model_validator(mode="after")
    def _has_identity(self) -> OrgPerson:
        if not self.aad_object_id and not self.upn:
            raise ValueError("a person needs aad_object_id or upn")
        return self

    @property
    def key(self) -> str:
        return self.upn or self.aad_object_id or ""


class OrgUnit(BaseModel):
    """A unit and the people holding its roles."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=100)
    active: bool = True
    leader: list[OrgPerson] = Field(default_factory=list)
    amk: list[OrgPerson] = Field(default_factory=list)
    precursor_contact: list[OrgPerson] = Field(default_factory=list)
    amr: list[OrgPerson] = Field(default_factory=list)

    def people_by_role(self) -> dict[Role, list[OrgPerson]]:
        return {
            Role.LEADER: self.leader,
            Role.AMK: self.amk,
            Role.PRECURSOR_CONTACT: self.precursor_contact,
            Role.AMR: self.amr,
        }


class OrgFile(BaseModel):
    """The whole organisation as read and written by `python -m bot org import/export`."""

    model_config = ConfigDict(extra="forbid")

    units: list[OrgUnit] = Field(default_factory=list)
    secretariat: list[OrgPerson] = Field(default_factory=list)

    @model_validator(mode="after")
    def _unique_unit_names(self) -> OrgFile:
        seen: set[str] = set()
        for unit in self.units:
            folded = unit.name.casefold()
            if folded in seen:
                raise ValueError(f"unit listed twice: {unit.name!r}")
            seen.add(folded)
        return self


class UnknownUnit(LookupError):
    """A form named a unit that is not (or no longer) an active unit; nothing was stored."""


class UnitRef(BaseModel):
    """A unit as shown in cards."""

    model_config = ConfigDict(frozen=True)

    id: int
    name: str


class RoleHolder(BaseModel):
    """One role assignment as shown in cards."""

    model_config = ConfigDict(frozen=True)

    assignment_id: int
    person: str
    upn: str | None
    role: Role


class RoleAssignmentForm(BaseModel):
    """The admin card's 'assign a role' inputs, validated at the edge."""

    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True)

    # the person: their Entra object id (the people picker) or e-mail/UPN (typed)
    upn: str = Field(min_length=3, max_length=320)
    name: str | None = Field(default=None, max_length=200)
    role: Role

    @field_validator("upn")
    @classmethod
    def _valid_person(cls, value: str) -> str:
        if not (is_email(value) or GUID_PATTERN.match(value)):
            raise ValueError("upn")
        return normalise_upn(value)

    @field_validator("name")
    @classmethod
    def _blank_is_none(cls, value: str | None) -> str | None:
        return value or None
