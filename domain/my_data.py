"""A person's own data (GDPR art. 15): what the bot holds about them, as plain data that a
card (and a workbook) can show; and the pseudonym that replaces an erased person (art. 17)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Final

from pydantic import BaseModel, ConfigDict

from domain.people import PersonInput

ACCESS_ACTION: Final = "person.access_request"
ERASE_ACTION: Final = "person.erase"
PSEUDONYM_PREFIX: Final = "Slettet person"


def pseudonym(person_id: int) -> str:
    """The name an erased person keeps in every register: no name, no e-mail, and yet the
    records that were theirs still belong together."""
    return f"{PSEUDONYM_PREFIX} {person_id}"


class Register(StrEnum):
    """The registers a person's own data is gathered from, in the order they are shown."""

    LONE_WORK = "lone_work"
    CHECKINS = "checkins"
    NEAR_MISS = "near_miss"
    WELLBEING_ITEMS = "wellbeing_items"
    WORK_ACCIDENTS = "work_accidents"
    PRECURSORS = "precursors"
    TRAINING = "training"


@dataclass(frozen=True, slots=True)
class Record:
    """One record of a register that is about the person (newest first in each register).

    `reference` is the record's number (or unit and year); `status` and `part` are
    catalogue keys (e.g. the person's part in a work accident: injured or reporter)."""

    reference: str
    at: datetime
    unit: str
    status: str | None = None
    part: str | None = None


@dataclass(frozen=True, slots=True)
class RoleHeld:
    role: str
    unit: str | None
    """None for a university-wide role (the secretariat)."""


@dataclass(frozen=True)
class MyData:
    """Everything the bot holds about one person, by register. Near-miss reports sent
    anonymously are not among them: nothing ties such a report to its reporter."""

    person_id: int
    name: str | None
    email: str | None
    entra_id: str | None
    language: str | None
    known_since: datetime
    roles: list[RoleHeld] = field(default_factory=list)
    records: dict[Register, list[Record]] = field(default_factory=dict)
    audit_as_actor: int = 0
    """Audit events of what the person did."""
    audit_about: int = 0
    """Audit events about the person's own row (roles, language, access requests)."""

    def of(self, register: Register) -> list[Record]:
        return self.records.get(register, [])


@dataclass(frozen=True)
class Erasure:
    """What erasing a person changes (or, in a dry run, would change)."""

    person_id: int
    pseudonym: str
    roles: int
    chats: int
    records: dict[str, int]
    """Records per table that keep their content and now point at the pseudonym."""
    texts: dict[str, int]
    """Texts per table in which the name or e-mail was replaced by the pseudonym."""
    audit_events: int
    """Audit events whose details named the person and were emptied."""
    open_items: int
    """Open well-being action items and near-miss actions the person owns, and lone-work
    requests waiting for their decision: to hand over before erasing."""
    person: str = ""
    """Who the person was (name and e-mail), for the administrator who confirms."""
    files: int = 0
    """Proof files of the person's training records, deleted (a certificate names the
    person in a way no pseudonym can replace)."""


class EraseForm(BaseModel):
    """Whom an administrator erases: an e-mail address, or the people picker's object id."""

    model_config = ConfigDict(extra="ignore")

    person: PersonInput
