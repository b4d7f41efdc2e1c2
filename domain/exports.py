"""The registers a person may have as Excel files in the chat, and who may have which.

The rules are the reading rules of each flow: a unit's lone-work register, action plan and
documentation overview for its leaders and AMKs; its near-miss register for its AMKs; its
precursor report for its precursor contacts and AMKs (the ledger's keepers), who may also
have the precursor import template (the substance list, nothing of anyone's); its
work-accident register and statistics for its leaders and AMKs and the secretariat (not an
administrator as such: the accident flow's readers); everything for every unit, the
university's precursor roll-up and the template for the secretariat and administrators.
Anyone known to the bot may have their own data ("mine data"), never anyone else's."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Final

from pydantic import BaseModel, ConfigDict, Field

FIRST_YEAR: Final = 2000
LAST_YEAR: Final = 2100


class ExportKind(StrEnum):
    """One workbook the bot can send (the CLI's `export …` commands)."""

    LONE_WORK = "lone_work"
    NEAR_MISS = "near_miss"
    WORK_ACCIDENTS = "work_accidents"
    ACTION_PLAN = "action_plan"
    PRECURSORS = "precursors"
    DOCUMENTATION = "documentation"
    PRECURSORS_ALL = "precursors_all"
    PRECURSOR_TEMPLATE = "precursor_template"
    MY_DATA = "my_data"
    """The speaker's own data (from the my-data card, never in the picker): no unit, no
    person in the request; whose data it is comes from who asks."""
    PROOF = "proof"
    """A record's proof file (`domain.proofs`, from **Hent beviset** on the record's line,
    never in the picker): the request names the file; who may have it is the record's."""

    @property
    def label_key(self) -> str:
        return f"exports.kind.{self.value}"

    @property
    def per_unit(self) -> bool:
        """Asks for a unit (the near-miss register and the documentation overview also
        exist for all units at once, for the secretariat)."""
        return self not in (
            ExportKind.PRECURSORS_ALL,
            ExportKind.PRECURSOR_TEMPLATE,
            ExportKind.MY_DATA,
            ExportKind.PROOF,
        )

    @property
    def may_be_all_units(self) -> bool:
        return self in (ExportKind.NEAR_MISS, ExportKind.WORK_ACCIDENTS, ExportKind.DOCUMENTATION)

    @property
    def per_year(self) -> bool:
        return self in (
            ExportKind.LONE_WORK,
            ExportKind.NEAR_MISS,
            ExportKind.WORK_ACCIDENTS,
            ExportKind.PRECURSORS,
            ExportKind.PRECURSORS_ALL,
        )

    @property
    def university_only(self) -> bool:
        return self in (ExportKind.PRECURSORS_ALL, ExportKind.PRECURSOR_TEMPLATE)


_OWN_RULES: Final = frozenset({ExportKind.MY_DATA, ExportKind.PROOF})
"""Kinds never in the picker, with reading rules of their own."""

UNIT_EXPORTS: Final = (
    ExportKind.LONE_WORK,
    ExportKind.NEAR_MISS,
    ExportKind.WORK_ACCIDENTS,
    ExportKind.ACTION_PLAN,
    ExportKind.PRECURSORS,
    ExportKind.DOCUMENTATION,
)


class ExportRequest(BaseModel):
    """What to build: the kind, the unit (None: every unit) and the year. Travels in the
    picker's submit and in the consent card's context, so it is small and checked again
    against the person's roles whenever it comes back."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    kind: ExportKind
    unit_id: int | None = Field(default=None, ge=1, le=2**31 - 1)
    year: int | None = Field(default=None, ge=FIRST_YEAR, le=LAST_YEAR)
    proof_id: int | None = Field(default=None, ge=1, le=2**31 - 1)

    def normalised(self, this_year: int) -> ExportRequest:
        """Unit and year only where the kind has them (the year defaults to this one)."""
        return ExportRequest(
            kind=self.kind,
            unit_id=self.unit_id if self.kind.per_unit else None,
            year=(self.year or this_year) if self.kind.per_year else None,
            proof_id=self.proof_id if self.kind is ExportKind.PROOF else None,
        )


@dataclass(frozen=True)
class ExportRights:
    """What a person may export, from their roles (`unit_ids` per kind)."""

    university_wide: bool = False
    leader_of: frozenset[int] = frozenset()
    amk_of: frozenset[int] = frozenset()
    keeper_of: frozenset[int] = frozenset()
    secretariat: bool = False
    """The secretariat reads every unit's accidents (an administrator as such does not)."""

    def units_for(self, kind: ExportKind) -> frozenset[int]:
        if kind is ExportKind.NEAR_MISS:
            return self.amk_of
        if kind is ExportKind.PRECURSORS:
            return self.keeper_of | self.amk_of
        if kind.university_only or kind in _OWN_RULES:
            return frozenset()
        return self.leader_of | self.amk_of

    def kinds(self) -> list[ExportKind]:
        """The kinds the person may export at all, in the picker's order (their own data is
        offered on the my-data card, not in the picker)."""
        if self.university_wide:
            return [
                kind
                for kind in ExportKind
                if kind not in _OWN_RULES
                and (
                    kind is not ExportKind.WORK_ACCIDENTS
                    or self.reads_all_accidents
                    or bool(self.units_for(kind))
                )
            ]
        kinds = [kind for kind in UNIT_EXPORTS if self.units_for(kind)]
        if self.units_for(ExportKind.PRECURSORS):
            kinds.append(ExportKind.PRECURSOR_TEMPLATE)
        return kinds

    @property
    def reads_all_accidents(self) -> bool:
        return self.secretariat

    def may(self, request: ExportRequest) -> bool:
        """Whether the person may have `request` (their own data: always; the caller knows
        them)."""
        kind = request.kind
        if kind is ExportKind.MY_DATA:
            return True
        if kind is ExportKind.PROOF:
            return False  # the record's own reading rules (`services.proofs`)
        if kind is ExportKind.WORK_ACCIDENTS and not self.secretariat:
            return request.unit_id is not None and request.unit_id in self.units_for(kind)
        if self.university_wide:
            return True
        if kind is ExportKind.PRECURSOR_TEMPLATE:
            return bool(self.units_for(ExportKind.PRECURSORS))
        if kind.university_only or request.unit_id is None:
            return False
        return request.unit_id in self.units_for(kind)

    @property
    def any(self) -> bool:
        return bool(self.kinds())


_SLUG_DROP = re.compile(r"[^a-z0-9]+")
_FILE_PREFIX: Final = {
    ExportKind.LONE_WORK: "alenearbejde",
    ExportKind.NEAR_MISS: "naerved",
    ExportKind.WORK_ACCIDENTS: "arbejdsulykker",
    ExportKind.ACTION_PLAN: "handlingsplan",
    ExportKind.PRECURSORS: "praekursorer",
    ExportKind.DOCUMENTATION: "dokumentation",
    ExportKind.PRECURSORS_ALL: "praekursorer-toldstyrelsen",
    ExportKind.PRECURSOR_TEMPLATE: "praekursor-skabelon",
    ExportKind.MY_DATA: "mine-data",
    ExportKind.PROOF: "bevis",
}


def slug(name: str) -> str:
    """A unit's name as a file-name part: `Kemi` → `kemi`, `AØR` → `aor`."""
    folded = name.casefold().replace("æ", "ae").replace("ø", "o").replace("å", "aa")
    ascii_only = unicodedata.normalize("NFKD", folded).encode("ascii", "ignore").decode()
    return _SLUG_DROP.sub("-", ascii_only).strip("-") or "enhed"


def file_name(request: ExportRequest, unit_name: str | None, today: date) -> str:
    """`naerved-2026.xlsx`, `naerved-kemi-2026.xlsx`, `handlingsplan-kemi-2026-12-07.xlsx`."""
    parts = [_FILE_PREFIX[request.kind]]
    if unit_name is not None:
        parts.append(slug(unit_name))
    if request.year is not None:
        parts.append(str(request.year))
    else:
        parts.append(today.isoformat())
    return "-".join(parts) + ".xlsx"
