"""The organisation from Entra ID: the diff between the groups' members and the roles the
bot has, with the problems that stop a sync before anything is written, and the units
Entra ID gives the employees the bot knows."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

from domain.org import Role, normalise_upn
from domain.org_mapping import Slot, SyncMapping


@dataclass(frozen=True)
class DirectoryUser:
    """A user as Entra ID lists them in a group."""

    id: str
    upn: str | None
    name: str | None

    @property
    def label(self) -> str:
        if self.name and self.upn:
            return f"{self.name} <{self.upn}>"
        return self.name or self.upn or self.id


@dataclass(frozen=True)
class Holder:
    """A role the bot's records give someone now."""

    assignment_id: int
    unit: str | None
    role: Role
    person_id: int
    aad_object_id: str | None
    upn: str | None
    label: str

    def is_user(self, user: DirectoryUser) -> bool:
        """The same person: the same object id, or (known by UPN only) the same UPN."""
        if self.aad_object_id:
            return self.aad_object_id == user.id
        return bool(self.upn and user.upn and self.upn == normalise_upn(user.upn))


@dataclass(frozen=True)
class Grant:
    """A role the sync gives."""

    unit: str | None
    role: Role
    user: DirectoryUser


@dataclass(frozen=True)
class KnownPerson:
    """Someone the bot knows, as the sync matches them to Entra ID."""

    id: int
    aad_object_id: str | None
    upn: str | None
    label: str


@dataclass(frozen=True)
class Membership:
    """A person's own unit as Entra ID gives it: set (`previous` it replaces) or cleared."""

    person_id: int
    label: str
    unit: str
    previous: str | None = None


@dataclass
class SyncPlan:
    """What a sync would change, and what stops it (then nothing is changed)."""

    grants: list[Grant] = field(default_factory=list)
    removals: list[Holder] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    orphaned: list[OpenItem] = field(default_factory=list)
    joins: list[Membership] = field(default_factory=list)
    leaves: list[Membership] = field(default_factory=list)
    # known people in several units' members groups (their own unit is not set)
    several_units: int = 0

    @property
    def changes(self) -> int:
        return len(self.grants) + len(self.removals)


@dataclass(frozen=True)
class OpenItem:
    """An open task with an owner: an action-plan item or a near miss's corrective action."""

    kind: str  # "wellbeing" | "near_miss"
    item_id: int
    unit_id: int
    unit: str
    owner_id: int
    owner_aad: str | None
    owner_upn: str | None
    owner_label: str
    title: str
    due: date


def group_problems(
    mapping: SyncMapping,
    members: Mapping[str, Sequence[DirectoryUser] | None],
) -> list[str]:
    """Groups that do not exist (None) and role groups larger than the mapping allows."""
    problems: list[str] = []
    for slot in mapping.slots():
        for group in slot.groups:
            found = members.get(group)
            if found is None:
                problems.append(
                    f"group {group} ({slot.label}) does not exist in Entra ID: "
                    "check the id in the mapping file"
                )
            elif len(found) > mapping.max_role_members:
                problems.append(
                    f"group {group} ({slot.label}) has {len(found)} members, more than "
                    f"max_role_members ({mapping.max_role_members}): a role group holds the few "
                    "people with that role; is it the right group?"
                )
    for unit, groups in mapping.member_groups().items():
        for group in groups:
            if members.get(group) is None:
                problems.append(
                    f"group {group} ({unit} members) does not exist in Entra ID: "
                    "check the id in the mapping file"
                )
    return list(dict.fromkeys(problems))


def leader_problems(wanted: Mapping[Slot, Sequence[DirectoryUser]]) -> list[str]:
    """Everyone who would lead more than one unit, with the units and their groups."""
    units_led: dict[str, list[Slot]] = defaultdict(list)
    users: dict[str, DirectoryUser] = {}
    for slot, people in wanted.items():
        if slot.role is not Role.LEADER:
            continue
        for user in people:
            units_led[user.id].append(slot)
            users[user.id] = user
    problems = []
    for user_id, slots in units_led.items():
        if len(slots) < 2:
            continue
        where = ", ".join(f"{slot.unit} (group {', '.join(slot.groups)})" for slot in slots)
        problems.append(
            f"{users[user_id].label} is in the leader groups of {len(slots)} units: {where}; "
            "a person leads one unit here, so remove them from all but one of these groups"
        )
    return problems


def wanted_holders(
    mapping: SyncMapping, members: Mapping[str, Sequence[DirectoryUser] | None]
) -> dict[Slot, list[DirectoryUser]]:
    """Each managed (unit, role) and the users its groups give it (each user once)."""
    wanted: dict[Slot, list[DirectoryUser]] = {}
    for slot in mapping.slots():
        people: dict[str, DirectoryUser] = {}
        for group in slot.groups:
            for user in members.get(group) or ():
                people.setdefault(user.id, user)
        wanted[slot] = list(people.values())
    return wanted


def plan_sync(
    mapping: SyncMapping,
    members: Mapping[str, Sequence[DirectoryUser] | None],
    current: Iterable[Holder],
    known_units: Iterable[str],
) -> SyncPlan:
    """The roles to give and take so that the managed roles match the groups, or the
    problems that stop the sync: a group that does not exist or is too large, a unit the
    bot does not know, someone in two units' leader groups."""
    plan = SyncPlan()
    known = {name.casefold(): name for name in known_units}
    for mapped in mapping.units:
        if mapped.name.casefold() not in known:
            plan.problems.append(
                f"unit {mapped.name!r} is not known to the bot: correct the name, or add the "
                "unit with `org import` first"
            )
    plan.problems.extend(group_problems(mapping, members))
    wanted = wanted_holders(mapping, members)
    plan.problems.extend(leader_problems(wanted))
    if plan.problems:
        return plan
    by_slot: dict[tuple[str | None, Role], list[Holder]] = defaultdict(list)
    for holder in current:
        held_in = None if holder.unit is None else holder.unit.casefold()
        by_slot[(held_in, holder.role)].append(holder)
    for slot, people in wanted.items():
        unit_key = None if slot.unit is None else slot.unit.casefold()
        unit_name = None if slot.unit is None else known[unit_key or ""]
        holders = by_slot.get((unit_key, slot.role), [])
        for user in people:
            if not any(holder.is_user(user) for holder in holders):
                plan.grants.append(Grant(unit_name, slot.role, user))
        for holder in holders:
            if not any(holder.is_user(user) for user in people):
                plan.removals.append(holder)
    return plan


def unit_members(
    mapping: SyncMapping,
    members: Mapping[str, Sequence[DirectoryUser] | None],
    attributed: Sequence[tuple[DirectoryUser, str | None]] = (),
) -> dict[str, list[DirectoryUser]]:
    """Each unit whose employees the mapping names (by `members` groups, or every unit when
    `unit_attribute` is set) and its employees in Entra ID."""
    found: dict[str, list[DirectoryUser]] = {
        unit: [user for group in groups for user in members.get(group) or ()]
        for unit, groups in mapping.member_groups().items()
    }
    by_value = mapping.unit_of_value()
    if by_value:
        for unit in mapping.units:
            found.setdefault(unit.name, [])
        for user, value in attributed:
            unit_name = by_value.get(value.strip().casefold()) if value else None
            if unit_name is not None:
                found[unit_name].append(user)
    return found


def plan_memberships(
    plan: SyncPlan,
    employees: Mapping[str, Sequence[DirectoryUser]],
    people: Iterable[KnownPerson],
    current: Mapping[int, str],
) -> None:
    """Fill in whose own unit (from `unit_members`) to set or clear: only people the bot
    knows, by object id (or UPN for someone known by UPN only); someone Entra ID puts in
    several units gets none."""
    if not employees:
        return
    people = list(people)
    by_aad = {person.aad_object_id: person for person in people if person.aad_object_id}
    by_upn = {person.upn: person for person in people if person.upn and not person.aad_object_id}
    units_of: dict[int, set[str]] = defaultdict(set)
    known: dict[int, KnownPerson] = {}
    for unit, users in employees.items():
        for user in users:
            person = by_aad.get(user.id) or (by_upn.get(user.upn) if user.upn else None)
            if person is not None:
                units_of[person.id].add(unit)
                known[person.id] = person
    managed = {unit.casefold() for unit in employees}
    wanted = {
        person_id: next(iter(units)) for person_id, units in units_of.items() if len(units) == 1
    }
    plan.several_units = sum(1 for units in units_of.values() if len(units) > 1)
    for person_id, unit in sorted(wanted.items()):
        now = current.get(person_id)
        if now is None or now.casefold() != unit.casefold():
            plan.joins.append(Membership(person_id, known[person_id].label, unit, now))
    labels = {person.id: person.label for person in people}
    for person_id, unit in sorted(current.items()):
        if person_id not in wanted and unit.casefold() in managed:
            plan.leaves.append(Membership(person_id, labels.get(person_id, f"#{person_id}"), unit))


def orphaned_items(items: Iterable[OpenItem], existing: set[str]) -> list[OpenItem]:
    """Open items whose owner is not (any more) in Entra ID: by object id, or by UPN/mail
    for an owner known only by the address typed for them."""
    return [
        item
        for item in items
        if (item.owner_aad and item.owner_aad not in existing)
        or (not item.owner_aad and item.owner_upn and item.owner_upn not in existing)
    ]


def describe(plan: SyncPlan) -> list[str]:
    """The plan as lines for the operator: `+`/`-` per role, then the orphaned items."""
    lines: list[str] = []
    changes = [
        (grant.unit or "", grant.role.value, "+", grant.user.label) for grant in plan.grants
    ] + [(holder.unit or "", holder.role.value, "-", holder.label) for holder in plan.removals]
    changes += [(join.unit, "member", "+", join.label) for join in plan.joins]
    changes += [(join.previous, "member", "-", join.label) for join in plan.joins if join.previous]
    changes += [(leave.unit, "member", "-", leave.label) for leave in plan.leaves]
    for unit, role, sign, who in sorted(changes, key=lambda c: (c[0].casefold(), c[1], c[2], c[3])):
        lines.append(f"{sign} {unit or 'university'} {role}: {who}")
    for item in plan.orphaned:
        lines.append(
            f"! {item.unit}: {item.owner_label} is not in Entra ID (any more) but owns "
            f"{item.kind.replace('_', '-')} item {item.item_id} (due {item.due.isoformat()}); "
            "the unit's AMK is asked to find a new owner"
        )
    if plan.several_units:
        lines.append(
            f"? {plan.several_units} known person(s) in several units' employees: "
            "their own unit is not set from Entra ID"
        )
    return lines
