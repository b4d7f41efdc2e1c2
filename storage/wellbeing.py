"""Well-being dialogues, action-plan items and annual discussions: one function per action
(each inside the caller's transaction, with its audit event), the queries behind the cards,
the jobs and the digest.

Audit events carry ids, dates, counts and states — never the free text of notes or items.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime

from sqlalchemy import bindparam, exists, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

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
from storage.db import HotConnection
from storage.models import (
    ConversationRef,
    Person,
    PersonDirectoryUnit,
    PersonLastUnit,
    RoleAssignment,
    Unit,
)
from storage.rows import PersonRow, connection_of
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


# -- people and roles ----------------------------------------------------------------------


_ROLES_HELD = select(RoleAssignment.role, RoleAssignment.unit_id).where(
    RoleAssignment.person_id == bindparam("person_id")
)
_KNOWN_UNITS = select(
    select(PersonDirectoryUnit.unit_id)
    .where(PersonDirectoryUnit.person_id == bindparam("person_id"))
    .scalar_subquery(),
    select(PersonLastUnit.unit_id)
    .where(PersonLastUnit.person_id == bindparam("person_id"))
    .scalar_subquery(),
)


async def access_of(
    on: AsyncSession | HotConnection, person_id: int | None, *, is_admin: bool
) -> Access:
    """The person's standing, from their role assignments."""
    if person_id is None:
        return Access(person_id=None, is_admin=is_admin)
    connection = await connection_of(on)
    leader: set[int] = set()
    amk: set[int] = set()
    other: set[int] = set()
    secretariat = False
    for role, unit_id in await connection.execute(_ROLES_HELD, {"person_id": person_id}):
        if role == Role.SECRETARIAT.value:
            secretariat = True
        elif unit_id is None:
            continue
        elif role == Role.LEADER.value:
            leader.add(unit_id)
        elif role == Role.AMK.value:
            amk.add(unit_id)
        else:
            other.add(unit_id)
    # the unit Entra ID gives them, else the one they last used
    directory_unit, last_unit = (
        await connection.execute(_KNOWN_UNITS, {"person_id": person_id})
    ).one()
    return Access(
        person_id=person_id,
        is_admin=is_admin,
        secretariat=secretariat,
        leader_of=frozenset(leader),
        amk_of=frozenset(amk),
        other_units=frozenset(other),
        last_unit=directory_unit if directory_unit is not None else last_unit,
    )


async def known_names(session: AsyncSession) -> list[str]:
    """Every person's name the organisation knows (to spot names in free text)."""
    return [name for name in (await session.scalars(select(Person.name))).all() if name]


async def unit_names(session: AsyncSession) -> list[str]:
    return list((await session.scalars(select(Unit.name))).all())


async def people_by_id(session: AsyncSession, ids: Iterable[int]) -> dict[int, Person]:
    wanted = set(ids)
    if not wanted:
        return {}
    found = await session.scalars(select(Person).where(Person.id.in_(wanted)))
    return {person.id: person for person in found}


async def unit_leaders_and_amks(session: AsyncSession, unit_id: int) -> list[PersonRow]:
    people = await org.holders(session, unit_id, Role.LEADER)
    people += await org.holders(session, unit_id, Role.AMK)
    unique: dict[int, PersonRow] = {person.id: person for person in people}
    return list(unique.values())


async def has_personal_chat(session: AsyncSession, person_id: int) -> bool:
    return bool(
        await session.scalar(
            select(
                exists().where(
                    ConversationRef.person_id == person_id,
                    ConversationRef.kind == "personal",
                    ConversationRef.active.is_(True),
                )
            )
        )
    )


async def refuse(
    session: AsyncSession,
    *,
    actor_id: int | None,
    what: str,
    entity_type: str,
    entity_id: int | None,
    reason: str,
) -> None:
    """Audit a refused read or action (who tried what, and why it was refused)."""
    await audit.record(
        session,
        actor=person_actor(actor_id),
        action=f"wellbeing.{what}.refused",
        entity_type=entity_type,
        entity_id=entity_id,
        after={"reason": reason},
    )


async def add_audited(
    session: AsyncSession,
    row: WellbeingDialogue | WellbeingActionItem,
    *,
    actor_id: int | None,
    action: str,
    entity_type: str,
) -> None:
    """Insert a new dialogue or plan item and audit it as it was stored."""
    await audit.added(
        session, row, actor=person_actor(actor_id), action=action, entity_type=entity_type
    )


# -- dialogues -------------------------------------------------------------------------------


async def record_dialogue(
    session: AsyncSession,
    form: DialogueForm,
    *,
    recorded_by_id: int,
    flags_confirmed: int,
    now: datetime,
    submission_key: str | None = None,
) -> WellbeingDialogue:
    """Store a checked dialogue record and audit it (without its text). If the card's
    `submission_key` stored one before, that one is returned and nothing is written; another
    transaction storing it right now makes the flush fail (IntegrityError)."""
    if submission_key is not None:
        earlier = await dialogue_of_submission(session, submission_key, recorded_by_id)
        if earlier is not None:
            return earlier
    dialogue = WellbeingDialogue(
        submission_key=submission_key,
        unit_id=form.unit_id,
        group_name=form.group_name,
        held_on=form.held_on,
        facilitator=form.facilitator,
        participants=form.participants,
        themes=[theme.value for theme in form.themes],
        theme_other=form.theme_other if Theme.OTHER in form.themes else None,
        works_well=form.works_well,
        challenges=form.challenges,
        absence_considered=form.absence_considered,
        absence_note=form.absence_note,
        flags_confirmed=flags_confirmed,
        recorded_by_id=recorded_by_id,
        created_at=now,
        updated_at=now,
    )
    await add_audited(
        session,
        dialogue,
        actor_id=recorded_by_id,
        action="wellbeing.dialogue.record",
        entity_type=DIALOGUE,
    )
    return dialogue


async def dialogue_of_submission(
    session: AsyncSession, submission_key: str, recorded_by_id: int
) -> WellbeingDialogue | None:
    """The dialogue a card (`submission_key`) of this person stored, if it stored one."""
    found: WellbeingDialogue | None = (
        await session.scalars(
            select(WellbeingDialogue).where(
                WellbeingDialogue.submission_key == submission_key,
                WellbeingDialogue.recorded_by_id == recorded_by_id,
            )
        )
    ).first()
    return found


async def get_dialogue(session: AsyncSession, dialogue_id: int) -> WellbeingDialogue | None:
    return await session.get(WellbeingDialogue, dialogue_id)


async def dialogues_of_unit(
    session: AsyncSession, unit_id: int, *, limit: int = 5
) -> Sequence[WellbeingDialogue]:
    return (
        await session.scalars(
            select(WellbeingDialogue)
            .where(WellbeingDialogue.unit_id == unit_id)
            .order_by(WellbeingDialogue.held_on.desc(), WellbeingDialogue.id.desc())
            .limit(limit)
        )
    ).all()


async def readable_dialogues(
    session: AsyncSession, access: Access, unit_id: int, *, limit: int = 10
) -> list[WellbeingDialogue]:
    """The unit's latest dialogues whose notes `access` may read (newest first)."""
    return [
        dialogue
        for dialogue in await dialogues_of_unit(session, unit_id, limit=100)
        if access.may_read_notes(dialogue.unit_id, dialogue.recorded_by_id)
    ][:limit]


async def read_notes(
    session: AsyncSession, access: Access, dialogue: WellbeingDialogue
) -> DialogueNotes | None:
    """The dialogue with its notes if `access` may read them (audited), else None (audited)."""
    if not access.may_read_notes(dialogue.unit_id, dialogue.recorded_by_id):
        await refuse(
            session,
            actor_id=access.person_id,
            what="notes.read",
            entity_type=DIALOGUE,
            entity_id=dialogue.id,
            reason="not_allowed",
        )
        return None
    unit = await session.get(Unit, dialogue.unit_id)
    recorder = await session.get(Person, dialogue.recorded_by_id)
    items = await session.scalar(
        select(func.count()).where(WellbeingActionItem.dialogue_id == dialogue.id)
    )
    await audit.record(
        session,
        actor=person_actor(access.person_id),
        action="wellbeing.notes.read",
        entity_type=DIALOGUE,
        entity_id=dialogue.id,
        after={"unit_id": dialogue.unit_id},
    )
    return DialogueNotes(
        id=dialogue.id,
        unit=unit.name if unit else "",
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


async def has_expired_notes(session: AsyncSession, cutoff: date) -> bool:
    """Whether any dialogue held before `cutoff` still has its note text."""
    return bool(
        await session.scalar(
            select(
                exists().where(
                    WellbeingDialogue.held_on < cutoff,
                    WellbeingDialogue.notes_deleted_at.is_(None),
                )
            )
        )
    )


async def delete_expired_notes(
    session: AsyncSession, *, cutoff: date, now: datetime, retention_years: int, limit: int = 200
) -> list[int]:
    """Blank the free text of dialogues held before `cutoff`; each deletion is audited.

    The dialogue's facts (date, group, participants, themes, absence yes/no) and its action
    plan stay. A conditional UPDATE makes two instances delete (and audit) each once.
    """
    due = (
        await session.scalars(
            select(WellbeingDialogue)
            .where(WellbeingDialogue.held_on < cutoff, WellbeingDialogue.notes_deleted_at.is_(None))
            .order_by(WellbeingDialogue.id)
            .limit(limit)
        )
    ).all()
    deleted: list[int] = []
    for dialogue in due:
        had_text = [name for name in NOTE_FIELDS if getattr(dialogue, name)]
        changed = await session.execute(
            update(WellbeingDialogue)
            .where(
                WellbeingDialogue.id == dialogue.id,
                WellbeingDialogue.notes_deleted_at.is_(None),
            )
            .values(
                notes_deleted_at=now,
                updated_at=now,
                **{name: None for name in NOTE_FIELDS},
            )
            .execution_options(synchronize_session=False)
        )
        if not getattr(changed, "rowcount", 0):
            continue
        await audit.record(
            session,
            actor=SYSTEM_ACTOR,
            action="wellbeing.notes.delete",
            entity_type=DIALOGUE,
            entity_id=dialogue.id,
            before={"held_on": dialogue.held_on.isoformat(), "fields_with_text": had_text},
            after={"notes_deleted_at": now.isoformat(), "retention_years": retention_years},
        )
        deleted.append(dialogue.id)
    return deleted


# -- the annual work-environment discussion ------------------------------------------------------


async def save_amd(
    session: AsyncSession, form: AmdForm, *, actor_id: int, now: datetime
) -> tuple[WellbeingAnnualDiscussion, bool]:
    """Record (or correct) the unit's discussion of `form.year`; True if it is new."""

    def fill(row: WellbeingAnnualDiscussion) -> None:
        row.held_on = form.held_on
        row.participant_roles = [role.value for role in form.participant_roles]
        row.goals_met = form.goals_met.value
        row.goals_next_year = form.goals_next_year
        row.cooperation = form.cooperation
        row.competence_needs = form.competence_needs
        row.recorded_by_id = actor_id
        row.updated_at = now

    existing = await amd_of(session, form.unit_id, form.year)
    if existing is None:
        row = WellbeingAnnualDiscussion(unit_id=form.unit_id, year=form.year, created_at=now)
        fill(row)
        try:
            async with session.begin_nested():
                session.add(row)
                await session.flush()
        except IntegrityError:
            existing = await amd_of(session, form.unit_id, form.year)
            if existing is None:
                raise
        else:
            await audit.record(
                session,
                actor=person_actor(actor_id),
                action="wellbeing.amd.record",
                entity_type=AMD,
                entity_id=row.id,
                after=row.snapshot(),
            )
            return row, True
    before = existing.snapshot()
    fill(existing)
    await session.flush()
    await audit.record(
        session,
        actor=person_actor(actor_id),
        action="wellbeing.amd.update",
        entity_type=AMD,
        entity_id=existing.id,
        before=before,
        after=existing.snapshot(),
    )
    return existing, False


async def amd_of(
    session: AsyncSession, unit_id: int, year: int
) -> WellbeingAnnualDiscussion | None:
    return (
        await session.scalars(
            select(WellbeingAnnualDiscussion).where(
                WellbeingAnnualDiscussion.unit_id == unit_id,
                WellbeingAnnualDiscussion.year == year,
            )
        )
    ).first()
