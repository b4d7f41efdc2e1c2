"""Well-being dialogues, action-plan items and annual discussions: one function per action
(each inside the caller's transaction, with its audit event), the queries behind the cards,
the jobs and the digest.

Every function runs Core statements on the caller's connection (`db.reading()`, or
`storage.audit.audited(db)` for a write with its audit event) and answers with rows
(`DialogueRow`, `AmdRow`, and `storage.rows`' people). `access_of` also takes an ORM session
while other flows still read with one.

Audit events carry ids, dates, counts and states — never the free text of notes or items.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    Executable,
    Table,
    bindparam,
    exists,
    func,
    literal,
    null,
    select,
    union_all,
    update,
)

from domain.audit import SYSTEM_ACTOR, person_actor
from domain.org import Role
from domain.wellbeing import (
    Access,
    AmdForm,
    DialogueForm,
    DialogueNotes,
    ItemStatus,
    Theme,
)
from storage import audit, org
from storage.audit import AuditedConnection
from storage.db import HotConnection, dialect_insert, for_dialect
from storage.models import (
    ConversationRef,
    Person,
    PersonDirectoryUnit,
    PersonLastUnit,
    RoleAssignment,
    Unit,
)
from storage.rows import PERSON_COLUMNS, PersonRow, columns_of, person
from storage.wellbeing_models import (
    NOTE_FIELDS,
    WellbeingActionItem,
    WellbeingAnnualDiscussion,
    WellbeingDialogue,
)

DIALOGUE = "wellbeing_dialogue"
ITEM = "wellbeing_action_item"
AMD = "wellbeing_annual_discussion"
OPEN_STATUSES = (ItemStatus.OPEN.value, ItemStatus.IN_PROGRESS.value)


def table_of(model: Any) -> Table:
    table = model.__table__
    assert isinstance(table, Table)
    return table


DIALOGUES = table_of(WellbeingDialogue)
ITEMS = table_of(WellbeingActionItem)
AMDS = table_of(WellbeingAnnualDiscussion)
PEOPLE = table_of(Person)
UNITS = table_of(Unit)


# -- rows --------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class DialogueRow:
    """A stored dialogue (the `wellbeing_dialogue` row) with its notes."""

    id: int
    unit_id: int
    group_name: str
    held_on: date
    facilitator: str | None
    participants: int
    themes: list[str]
    theme_other: str | None
    works_well: str | None
    challenges: str | None
    absence_considered: bool
    absence_note: str | None
    flags_confirmed: int
    recorded_by_id: int
    submission_key: str | None
    notes_deleted_at: datetime | None

    def snapshot(self) -> dict[str, Any]:
        """What an audit event keeps of a dialogue: facts and counts, never its text."""
        return {
            "unit_id": self.unit_id,
            "held_on": self.held_on.isoformat(),
            "participants": self.participants,
            "themes": list(self.themes),
            "absence_considered": self.absence_considered,
            "flags_confirmed": self.flags_confirmed,
        }


@dataclass(frozen=True, slots=True)
class AmdRow:
    """A unit's stored annual discussion of one year."""

    id: int
    unit_id: int
    year: int
    held_on: date
    participant_roles: list[str]
    goals_met: str
    goals_next_year: str
    cooperation: str
    competence_needs: str
    recorded_by_id: int

    def snapshot(self) -> dict[str, Any]:
        return {
            "unit_id": self.unit_id,
            "year": self.year,
            "held_on": self.held_on.isoformat(),
            "participant_roles": list(self.participant_roles),
            "goals_met": self.goals_met,
        }


DIALOGUE_COLUMNS = columns_of(DIALOGUES, DialogueRow)
AMD_COLUMNS = columns_of(AMDS, AmdRow)


# -- people and roles ----------------------------------------------------------------------

_ROLES = table_of(RoleAssignment)
_DIRECTORY_UNITS = table_of(PersonDirectoryUnit)
_LAST_UNITS = table_of(PersonLastUnit)
# Where each row of `_STANDING` comes from: a role, the unit Entra ID gives, the last used.
_ROLE, _DIRECTORY, _LAST_USED = 0, 1, 2
_STANDING = union_all(
    select(literal(_ROLE).label("source"), _ROLES.c.role, _ROLES.c.unit_id).where(
        _ROLES.c.person_id == bindparam("person_id")
    ),
    select(literal(_DIRECTORY), null(), _DIRECTORY_UNITS.c.unit_id).where(
        _DIRECTORY_UNITS.c.person_id == bindparam("person_id")
    ),
    select(literal(_LAST_USED), null(), _LAST_UNITS.c.unit_id).where(
        _LAST_UNITS.c.person_id == bindparam("person_id")
    ),
)


async def access_of(on: org.Readable, person_id: int | None, *, is_admin: bool) -> Access:
    """The person's standing, from their role assignments (one statement)."""
    if person_id is None:
        return Access(person_id=None, is_admin=is_admin)
    leader: set[int] = set()
    amk: set[int] = set()
    other: set[int] = set()
    secretariat = False
    last_by_source: dict[int, int] = {}
    connection = on
    for source, role, unit_id in await connection.execute(_STANDING, {"person_id": person_id}):
        if source != _ROLE:
            last_by_source[source] = unit_id
        elif role == Role.SECRETARIAT.value:
            secretariat = True
        elif unit_id is None:
            continue
        elif role == Role.LEADER.value:
            leader.add(unit_id)
        elif role == Role.AMK.value:
            amk.add(unit_id)
        else:
            other.add(unit_id)
    return Access(
        person_id=person_id,
        is_admin=is_admin,
        secretariat=secretariat,
        leader_of=frozenset(leader),
        amk_of=frozenset(amk),
        other_units=frozenset(other),
        # the unit Entra ID gives them, else the one they last used
        last_unit=last_by_source.get(_DIRECTORY, last_by_source.get(_LAST_USED)),
    )


_KNOWN_NAMES = select(PEOPLE.c.name).where(PEOPLE.c.name.is_not(None))


async def known_names(on: org.Readable) -> list[str]:
    """Every person's name the organisation knows (to spot names in free text)."""
    return [name for (name,) in await on.execute(_KNOWN_NAMES) if name]


_LEADERS_AND_AMKS = (
    select(_ROLES.c.role, *PERSON_COLUMNS)
    .join_from(_ROLES, PEOPLE, PEOPLE.c.id == _ROLES.c.person_id)
    .where(
        _ROLES.c.unit_id == bindparam("unit_id"),
        _ROLES.c.role.in_((Role.LEADER.value, Role.AMK.value)),
    )
    .order_by(PEOPLE.c.id)
)


async def unit_leaders_and_amks(connection: HotConnection, unit_id: int) -> list[PersonRow]:
    """The unit's leaders, then its AMKs who are not leaders too, each by id."""
    rows = (await connection.execute(_LEADERS_AND_AMKS, {"unit_id": unit_id})).all()
    unique: dict[int, PersonRow] = {}
    for wanted in (Role.LEADER.value, Role.AMK.value):
        for role, *columns in rows:
            if role == wanted:
                unique.setdefault(columns[0], PersonRow(*columns))
    return list(unique.values())


_CONVERSATIONS = table_of(ConversationRef)
_HAS_PERSONAL_CHAT = select(
    exists().where(
        _CONVERSATIONS.c.person_id == bindparam("person_id"),
        _CONVERSATIONS.c.kind == "personal",
        _CONVERSATIONS.c.active.is_(True),
    )
)


async def has_personal_chat(connection: HotConnection, person_id: int) -> bool:
    return bool((await connection.execute(_HAS_PERSONAL_CHAT, {"person_id": person_id})).scalar())


async def refuse(
    connection: AuditedConnection,
    *,
    actor_id: int | None,
    what: str,
    entity_type: str,
    entity_id: int | None,
    reason: str,
) -> None:
    """Audit a refused read or action (who tried what, and why it was refused)."""
    await audit.record(
        connection,
        actor=person_actor(actor_id),
        action=f"wellbeing.{what}.refused",
        entity_type=entity_type,
        entity_id=entity_id,
        after={"reason": reason},
    )


# -- dialogues -------------------------------------------------------------------------------

_DIALOGUE = select(*DIALOGUE_COLUMNS)
_DIALOGUE_BY_ID = _DIALOGUE.where(DIALOGUES.c.id == bindparam("dialogue_id"))
_DIALOGUE_OF_SUBMISSION = _DIALOGUE.where(
    DIALOGUES.c.submission_key == bindparam("submission_key"),
    DIALOGUES.c.recorded_by_id == bindparam("recorded_by_id"),
)
_DIALOGUES_OF_UNIT = (
    _DIALOGUE.where(DIALOGUES.c.unit_id == bindparam("unit_id"))
    .order_by(DIALOGUES.c.held_on.desc(), DIALOGUES.c.id.desc())
    .limit(bindparam("limit"))
)


async def record_dialogue(
    connection: AuditedConnection,
    form: DialogueForm,
    *,
    recorded_by_id: int,
    flags_confirmed: int,
    now: datetime,
    submission_key: str | None = None,
) -> DialogueRow:
    """Store a checked dialogue record and audit it (without its text). If the card's
    `submission_key` stored one before, that one is returned and nothing is written; another
    transaction storing it right now makes the insert fail (IntegrityError)."""
    if submission_key is not None:
        earlier = await dialogue_of_submission(connection, submission_key, recorded_by_id)
        if earlier is not None:
            return earlier
    values: dict[str, Any] = {
        "submission_key": submission_key,
        "unit_id": form.unit_id,
        "group_name": form.group_name,
        "held_on": form.held_on,
        "facilitator": form.facilitator,
        "participants": form.participants,
        "themes": [theme.value for theme in form.themes],
        "theme_other": form.theme_other if Theme.OTHER in form.themes else None,
        "works_well": form.works_well,
        "challenges": form.challenges,
        "absence_considered": form.absence_considered,
        "absence_note": form.absence_note,
        "flags_confirmed": flags_confirmed,
        "recorded_by_id": recorded_by_id,
        "notes_deleted_at": None,
        "created_at": now,
        "updated_at": now,
    }
    return await audit.inserted(
        connection,
        WellbeingDialogue,
        DialogueRow,
        values,
        actor=person_actor(recorded_by_id),
        action="wellbeing.dialogue.record",
        entity_type=DIALOGUE,
    )


async def dialogue_of_submission(
    connection: HotConnection, submission_key: str, recorded_by_id: int
) -> DialogueRow | None:
    """The dialogue a card (`submission_key`) of this person stored, if it stored one."""
    row = (
        await connection.execute(
            _DIALOGUE_OF_SUBMISSION,
            {"submission_key": submission_key, "recorded_by_id": recorded_by_id},
        )
    ).first()
    return None if row is None else DialogueRow(*row)


async def get_dialogue(connection: HotConnection, dialogue_id: int) -> DialogueRow | None:
    row = (await connection.execute(_DIALOGUE_BY_ID, {"dialogue_id": dialogue_id})).first()
    return None if row is None else DialogueRow(*row)


async def dialogues_of_unit(
    connection: HotConnection, unit_id: int, *, limit: int = 5
) -> list[DialogueRow]:
    rows = await connection.execute(_DIALOGUES_OF_UNIT, {"unit_id": unit_id, "limit": limit})
    return [DialogueRow(*row) for row in rows]


async def readable_dialogues(
    connection: HotConnection, access: Access, unit_id: int, *, limit: int = 10
) -> list[DialogueRow]:
    """The unit's latest dialogues whose notes `access` may read (newest first)."""
    return [
        dialogue
        for dialogue in await dialogues_of_unit(connection, unit_id, limit=100)
        if access.may_read_notes(dialogue.unit_id, dialogue.recorded_by_id)
    ][:limit]


# The unit's name and the number of items of the dialogue's plan, in one round trip.
_NOTES_CONTEXT = select(
    select(UNITS.c.name).where(UNITS.c.id == bindparam("unit_id")).scalar_subquery(),
    select(func.count())
    .select_from(ITEMS)
    .where(ITEMS.c.dialogue_id == bindparam("dialogue_id"))
    .scalar_subquery(),
)


async def read_notes(
    connection: AuditedConnection, access: Access, dialogue: DialogueRow
) -> DialogueNotes | None:
    """The dialogue with its notes if `access` may read them (audited), else None (audited)."""
    if not access.may_read_notes(dialogue.unit_id, dialogue.recorded_by_id):
        await refuse(
            connection,
            actor_id=access.person_id,
            what="notes.read",
            entity_type=DIALOGUE,
            entity_id=dialogue.id,
            reason="not_allowed",
        )
        return None
    unit_name, items = (
        await connection.execute(
            _NOTES_CONTEXT, {"unit_id": dialogue.unit_id, "dialogue_id": dialogue.id}
        )
    ).one()
    recorder = await person(connection, dialogue.recorded_by_id)
    await audit.record(
        connection,
        actor=person_actor(access.person_id),
        action="wellbeing.notes.read",
        entity_type=DIALOGUE,
        entity_id=dialogue.id,
        after={"unit_id": dialogue.unit_id},
    )
    return DialogueNotes(
        id=dialogue.id,
        unit=unit_name or "",
        group_name=dialogue.group_name,
        held_on=dialogue.held_on,
        facilitator=dialogue.facilitator,
        participants=dialogue.participants,
        themes=[Theme(value) for value in dialogue.themes],
        theme_other=dialogue.theme_other,
        works_well=dialogue.works_well,
        challenges=dialogue.challenges,
        absence_considered=dialogue.absence_considered,
        absence_note=dialogue.absence_note,
        recorded_by=org.describe_person(recorder) if recorder else "",
        notes_deleted_at=dialogue.notes_deleted_at,
        items=int(items or 0),
    )


_HAS_EXPIRED_NOTES = select(
    exists().where(
        DIALOGUES.c.held_on < bindparam("cutoff"), DIALOGUES.c.notes_deleted_at.is_(None)
    )
)
_EXPIRED_NOTES = (
    select(DIALOGUES.c.id, DIALOGUES.c.held_on, *(DIALOGUES.c[name] for name in NOTE_FIELDS))
    .where(DIALOGUES.c.held_on < bindparam("cutoff"), DIALOGUES.c.notes_deleted_at.is_(None))
    .order_by(DIALOGUES.c.id)
    .limit(bindparam("limit"))
)
_DELETE_NOTES = (
    update(DIALOGUES)
    .where(DIALOGUES.c.id == bindparam("dialogue_id"), DIALOGUES.c.notes_deleted_at.is_(None))
    .values(
        notes_deleted_at=bindparam("now"),
        updated_at=bindparam("now"),
        **{name: None for name in NOTE_FIELDS},
    )
)


async def has_expired_notes(connection: HotConnection, cutoff: date) -> bool:
    """Whether any dialogue held before `cutoff` still has its note text."""
    return bool((await connection.execute(_HAS_EXPIRED_NOTES, {"cutoff": cutoff})).scalar())


async def delete_expired_notes(
    connection: AuditedConnection,
    *,
    cutoff: date,
    now: datetime,
    retention_years: int,
    limit: int = 200,
) -> list[int]:
    """Blank the free text of dialogues held before `cutoff`; each deletion is audited.

    The dialogue's facts (date, group, participants, themes, absence yes/no) and its action
    plan stay. A conditional UPDATE makes two instances delete (and audit) each once.
    """
    due = (await connection.execute(_EXPIRED_NOTES, {"cutoff": cutoff, "limit": limit})).all()
    deleted: list[int] = []
    for dialogue_id, held_on, *notes in due:
        had_text = [name for name, text in zip(NOTE_FIELDS, notes, strict=True) if text]
        changed = await connection.execute(_DELETE_NOTES, {"dialogue_id": dialogue_id, "now": now})
        if not changed.rowcount:
            continue
        await audit.record(
            connection,
            actor=SYSTEM_ACTOR,
            action="wellbeing.notes.delete",
            entity_type=DIALOGUE,
            entity_id=dialogue_id,
            before={"held_on": held_on.isoformat(), "fields_with_text": had_text},
            after={"notes_deleted_at": now.isoformat(), "retention_years": retention_years},
        )
        deleted.append(dialogue_id)
    return deleted


# -- the annual work-environment discussion ------------------------------------------------------


def _insert_amd(on: HotConnection) -> Executable:
    """A new discussion, or nothing (no row returned) if the unit has one for the year."""
    return (
        dialect_insert(on, WellbeingAnnualDiscussion)
        .on_conflict_do_nothing(index_elements=[AMDS.c.unit_id, AMDS.c.year])
        .returning(*AMD_COLUMNS)
    )


_AMD_OF = select(*AMD_COLUMNS).where(
    AMDS.c.unit_id == bindparam("unit_id"), AMDS.c.year == bindparam("year")
)
_AMD_FIELDS = (
    "held_on",
    "participant_roles",
    "goals_met",
    "goals_next_year",
    "cooperation",
    "competence_needs",
    "recorded_by_id",
    "updated_at",
)
_UPDATE_AMD = (
    update(AMDS)
    .where(AMDS.c.id == bindparam("amd_id"))
    .values({name: bindparam(f"new_{name}") for name in _AMD_FIELDS})
    .returning(*AMD_COLUMNS)
)


async def save_amd(
    connection: AuditedConnection, form: AmdForm, *, actor_id: int, now: datetime
) -> tuple[AmdRow, bool]:
    """Record (or correct) the unit's discussion of `form.year`; True if it is new."""
    values: dict[str, Any] = {
        "held_on": form.held_on,
        "participant_roles": [role.value for role in form.participant_roles],
        "goals_met": form.goals_met.value,
        "goals_next_year": form.goals_next_year,
        "cooperation": form.cooperation,
        "competence_needs": form.competence_needs,
        "recorded_by_id": actor_id,
        "updated_at": now,
    }
    existing = await amd_of(connection, form.unit_id, form.year)
    if existing is None:
        inserted = (
            await connection.execute(
                for_dialect(connection, "wellbeing.amd.insert", _insert_amd),
                {"unit_id": form.unit_id, "year": form.year, "created_at": now, **values},
            )
        ).first()
        if inserted is not None:
            row = AmdRow(*inserted)
            await audit.record(
                connection,
                actor=person_actor(actor_id),
                action="wellbeing.amd.record",
                entity_type=AMD,
                entity_id=row.id,
                after=row.snapshot(),
            )
            return row, True
        # another turn recorded the unit's year just now: this one corrects it
        existing = await amd_of(connection, form.unit_id, form.year)
        if existing is None:
            raise LookupError("the annual discussion was neither stored nor found")
    updated = AmdRow(
        *(
            await connection.execute(
                _UPDATE_AMD,
                {"amd_id": existing.id, **{f"new_{k}": v for k, v in values.items()}},
            )
        ).one()
    )
    await audit.record(
        connection,
        actor=person_actor(actor_id),
        action="wellbeing.amd.update",
        entity_type=AMD,
        entity_id=existing.id,
        before=existing.snapshot(),
        after=updated.snapshot(),
    )
    return updated, False


async def amd_of(connection: HotConnection, unit_id: int, year: int) -> AmdRow | None:
    row = (await connection.execute(_AMD_OF, {"unit_id": unit_id, "year": year})).first()
    return None if row is None else AmdRow(*row)
