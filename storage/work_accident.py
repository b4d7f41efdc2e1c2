"""Work accidents: one function per read or write, each inside the caller's transaction and
audited there. Audit events keep ids, kinds, dates and states, never free text or names."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from domain.audit import person_actor
from domain.i18n import Lang, local_date, preferred_lang
from domain.numbering import local_year
from domain.org import Role, UnknownUnit
from domain.work_accident import (
    ENTITY,
    AccidentView,
    Claim,
    EasyDeadline,
    EasyDuty,
    EasyStatus,
    InjuredParty,
    InjuryKind,
    Reader,
    ReporterRole,
    follow_up_by,
    format_number,
)
from domain.work_accident_forms import WorkAccidentForm
from storage import audit, conversations, org, rows
from storage.counters import next_in_year
from storage.models import Person, Unit
from storage.near_miss import action_views
from storage.near_miss_models import NearMissReport
from storage.rows import PersonRow, Speaking
from storage.work_accident_models import WorkAccident, WorkAccidentAction, WorkAccidentCounter


def lang_of(person: Speaking) -> Lang:
    return preferred_lang(person.language_override, person.locale)


async def by_submission(session: AsyncSession, submission_key: str) -> WorkAccident | None:
    """The accident a report card (its submission key) stored, if it did."""
    return (
        await session.scalars(
            select(WorkAccident).where(WorkAccident.submission_key == submission_key)
        )
    ).first()


async def submit(
    session: AsyncSession,
    form: WorkAccidentForm,
    *,
    reporter_id: int | None,
    deadline: EasyDeadline,
    now: datetime,
    submission_key: str,
    near_miss_id: int | None = None,
) -> tuple[WorkAccident, bool]:
    """Store a validated report with its EASY deadline (False: this card stored it before).
    `UnknownUnit` when the form's unit is not an active unit."""
    earlier = await by_submission(session, submission_key)
    if earlier is not None:
        return earlier, False
    unit = await session.get(Unit, form.unit_id)
    if unit is None or not unit.active:
        raise UnknownUnit(form.unit_id)
    injured_id, injured_upn = await _injured(session, form, reporter_id)
    sequence = await next_in_year(session, WorkAccidentCounter, local_year(now))
    accident = WorkAccident(
        number=format_number(local_year(now), sequence),
        submission_key=submission_key,
        unit_id=unit.id,
        near_miss_id=near_miss_id,
        reporter_id=reporter_id,
        reporter_role=form.reporter_role.value,
        injured_party=form.injured_party.value,
        injured_id=injured_id,
        injured_upn=injured_upn,
        occurred_at=form.occurred_at,
        place=form.place,
        description=form.description,
        injury_kind=form.injury_kind.value,
        absence_from=form.first_absence_day,
        claim=form.claim.value,
        immediate_action=form.immediate_action,
        witnesses=form.witnesses,
        name_withheld=form.name_withheld,
        outcome_wanted=form.wants_outcome,
        follow_up_by=follow_up_by(local_date(now)) if form.injury_kind.confidential else None,
        easy_duty=deadline.duty.value,
        easy_due=deadline.due,
        easy_status=deadline.status.value,
        created_at=now,
        updated_at=now,
    )
    session.add(accident)
    await session.flush()
    await audit.record(
        session,
        actor=person_actor(reporter_id),
        action="work_accident.report",
        entity_type=ENTITY,
        entity_id=accident.id,
        after={
            "number": accident.number,
            "unit_id": accident.unit_id,
            "near_miss_id": accident.near_miss_id,
            "reporter_role": accident.reporter_role,
            "injured_party": accident.injured_party,
            "injured_id": accident.injured_id,
            "injury_kind": accident.injury_kind,
            "absence": accident.absence_from is not None,
            "claim": accident.claim,
            "name_withheld": accident.name_withheld,
            **accident.snapshot(),
            "easy_duty": accident.easy_duty,
        },
    )
    return accident, True


async def _injured(
    session: AsyncSession, form: WorkAccidentForm, reporter_id: int | None
) -> tuple[int | None, str | None]:
    """Who was hurt: the reporter, a person the bot knows by the e-mail given, or the e-mail."""
    if form.reporter_role is ReporterRole.INJURED:
        return reporter_id, None
    if form.injured_email is None:
        return None, None
    known = await org.find_person(session, upn=form.injured_email)
    return (known.id, None) if known is not None else (None, form.injured_email)


async def near_miss_to_carry(
    session: AsyncSession, near_miss_id: int, person_id: int
) -> NearMissReport | None:
    """The near miss a person may report as having become an accident: its named reporter,
    or a leader or AMK of its unit, or the secretariat. None for anyone else."""
    report = await session.get(NearMissReport, near_miss_id)
    if report is None:
        return None
    if report.reporter_id == person_id:
        return report
    roles = {(a.unit_id, a.role) for a in await org.roles_of(session, person_id)}
    if roles & {
        (report.unit_id, Role.AMK.value),
        (report.unit_id, Role.LEADER.value),
        (None, Role.SECRETARIAT.value),
    }:
        return report
    return None


async def get(session: AsyncSession, accident_id: int) -> WorkAccident | None:
    return await session.get(WorkAccident, accident_id, populate_existing=True)


async def view(session: AsyncSession, accident: WorkAccident) -> AccidentView:
    """The accident as its cards show it, names resolved."""
    unit = await session.get(Unit, accident.unit_id)
    near_miss = (
        await session.get(NearMissReport, accident.near_miss_id)
        if accident.near_miss_id is not None
        else None
    )
    actions = await actions_of(session, accident.id)
    names = await _names(
        session,
        (
            accident.reporter_id,
            accident.injured_id,
            accident.easy_decided_by_id,
            accident.followed_up_by_id,
            accident.closed_by_id,
            *(action.owner_id for action in actions),
        ),
    )
    return AccidentView(
        id=accident.id,
        number=accident.number,
        unit_id=accident.unit_id,
        unit_name=unit.name if unit is not None else "",
        injured=InjuredParty(accident.injured_party),
        reporter_role=ReporterRole(accident.reporter_role),
        reporter_name=names.get(accident.reporter_id),
        injured_name=names.get(accident.injured_id) or accident.injured_upn,
        occurred_at=accident.occurred_at,
        place=accident.place,
        description=accident.description,
        injury_kind=InjuryKind(accident.injury_kind),
        absence_from=accident.absence_from,
        claim=Claim(accident.claim),
        immediate_action=accident.immediate_action,
        witnesses=accident.witnesses,
        duty=EasyDuty(accident.easy_duty),
        easy_due=accident.easy_due,
        easy_status=EasyStatus(accident.easy_status),
        easy_reference=accident.easy_reference,
        easy_filed_on=accident.easy_filed_on,
        not_required_reason=accident.not_required_reason,
        decided_by=names.get(accident.easy_decided_by_id),
        decided_at=accident.easy_decided_at,
        name_withheld=accident.name_withheld,
        follow_up_by=accident.follow_up_by,
        followed_up_at=accident.followed_up_at,
        followed_up_by=names.get(accident.followed_up_by_id),
        near_miss_number=near_miss.number if near_miss is not None else None,
        created_at=accident.created_at,
        causes=accident.causes,
        conclusion=accident.conclusion,
        closed_at=accident.closed_at,
        closed_by=names.get(accident.closed_by_id),
        outcome_wanted=accident.outcome_wanted,
        injured_known=accident.injured_id is not None,
        actions=action_views(actions, names.get),
    )


async def actions_of(session: AsyncSession, accident_id: int) -> list[WorkAccidentAction]:
    """The accident's corrective actions, oldest first."""
    return list(
        (
            await session.scalars(
                select(WorkAccidentAction)
                .where(WorkAccidentAction.accident_id == accident_id)
                .order_by(WorkAccidentAction.id)
                .execution_options(populate_existing=True)
            )
        ).all()
    )


async def _names(session: AsyncSession, ids: tuple[int | None, ...]) -> dict[int | None, str]:
    wanted = {person_id for person_id in ids if person_id is not None}
    if not wanted:
        return {}
    people = (await session.scalars(select(Person).where(Person.id.in_(wanted)))).all()
    return {person.id: org.describe_person(person) for person in people}


@dataclass(frozen=True)
class Recipients:
    """Who hears of an accident: the unit's leaders and AMKs, and the secretariat."""

    leaders: list[PersonRow]
    amks: list[PersonRow]
    secretariat: list[PersonRow]

    def easy_owners(self) -> list[PersonRow]:
        """Who is told to report in EASY: the leaders and AMKs (the secretariat if the unit
        has neither), each once."""
        people = {person.id: person for person in (*self.leaders, *self.amks)}
        if not people:
            people = {person.id: person for person in self.secretariat}
        return list(people.values())


async def recipients(session: AsyncSession, unit_id: int) -> Recipients:
    return Recipients(
        leaders=await org.holders(session, unit_id, Role.LEADER),
        amks=await org.holders(session, unit_id, Role.AMK),
        secretariat=await org.holders(session, None, Role.SECRETARIAT),
    )


async def reader(session: AsyncSession, accident: WorkAccident, person_id: int) -> Reader:
    """The person's part in the accident's unit."""
    roles = {
        (assignment.unit_id, assignment.role)
        for assignment in await org.roles_of(session, person_id)
    }
    owned = await session.scalars(
        select(WorkAccidentAction.id).where(
            WorkAccidentAction.accident_id == accident.id,
            WorkAccidentAction.owner_id == person_id,
        )
    )
    return Reader(
        person_id=person_id,
        is_leader=(accident.unit_id, Role.LEADER.value) in roles,
        is_amk=(accident.unit_id, Role.AMK.value) in roles,
        is_secretariat=(None, Role.SECRETARIAT.value) in roles,
        owned_actions=frozenset(owned.all()),
    )


async def change_once(
    session: AsyncSession,
    accident: WorkAccident,
    *,
    still: ColumnElement[bool],
    values: dict[str, Any],
    action: str,
    actor_id: int,
) -> bool:
    """Set `values` on the accident only while `still` holds (a conditional UPDATE, so two
    clicks change it once) and audit the change with its before and after. False: it was
    changed before."""
    return await audit.changed_once(
        session,
        accident,
        still,
        values=values,
        actor=person_actor(actor_id),
        action=action,
        entity_type=ENTITY,
    )


async def record_easy(
    session: AsyncSession,
    accident: WorkAccident,
    *,
    status: EasyStatus,
    actor_id: int,
    now: datetime,
    reference: str | None = None,
    filed_on: date | None = None,
    reason: str | None = None,
) -> bool:
    """Record that the accident was reported in EASY (reference, day) or is not to be (why),
    once: while it is still pending. False: it was recorded before."""
    return await change_once(
        session,
        accident,
        still=WorkAccident.easy_status == EasyStatus.PENDING.value,
        values={
            "easy_status": status.value,
            "easy_reference": reference,
            "easy_filed_on": filed_on,
            "not_required_reason": reason,
            "easy_decided_by_id": actor_id,
            "easy_decided_at": now,
            "updated_at": now,
        },
        action=f"work_accident.easy.{status.value}",
        actor_id=actor_id,
    )


async def record_refusal(
    session: AsyncSession, accident_id: int, actor_id: int, attempt: str
) -> None:
    await audit.record(
        session,
        actor=person_actor(actor_id),
        action="work_accident.refused",
        entity_type=ENTITY,
        entity_id=accident_id,
        after={"attempt": attempt, "reason": "not_allowed"},
    )


async def record_reads(
    session: AsyncSession, accident: WorkAccident, person_ids: list[int], via: str
) -> None:
    """One `work_accident.read` event per person shown a psychological accident's card
    (`via`: the card's occasion); nothing for a physical one."""
    if not InjuryKind(accident.injury_kind).confidential:
        return
    for person_id in person_ids:
        await audit.record(
            session,
            actor=person_actor(person_id),
            action="work_accident.read",
            entity_type=ENTITY,
            entity_id=accident.id,
            after={"via": via},
        )


async def confirm_follow_up(
    session: AsyncSession, accident: WorkAccident, *, actor_id: int, now: datetime
) -> bool:
    """The leader has followed up with the person: a conditional UPDATE (once), audited.
    False: it was recorded before, or the accident has no follow-up."""
    result = await session.execute(
        update(WorkAccident)
        .where(
            WorkAccident.id == accident.id,
            WorkAccident.follow_up_by.is_not(None),
            WorkAccident.followed_up_at.is_(None),
        )
        .values(followed_up_at=now, followed_up_by_id=actor_id, updated_at=now)
        .execution_options(synchronize_session=False)
    )
    changed = getattr(result, "rowcount", 0) == 1
    await session.refresh(accident)
    if changed:
        await audit.record(
            session,
            actor=person_actor(actor_id),
            action="work_accident.followed_up",
            entity_type=ENTITY,
            entity_id=accident.id,
            after=accident.snapshot(),
        )
    return changed


async def follow_ups_open_since(session: AsyncSession, since: date) -> list[WorkAccident]:
    """Psychological accidents whose leader has not recorded the follow-up, with a last day
    on or after `since`."""
    return list(
        (
            await session.scalars(
                select(WorkAccident)
                .where(
                    WorkAccident.followed_up_at.is_(None),
                    WorkAccident.follow_up_by >= since,
                )
                .order_by(WorkAccident.follow_up_by, WorkAccident.id)
            )
        ).all()
    )


async def pending_due_since(session: AsyncSession, since: date) -> list[WorkAccident]:
    """Accidents whose EASY report is still owed, with a deadline on or after `since`."""
    return list(
        (
            await session.scalars(
                select(WorkAccident)
                .where(
                    WorkAccident.easy_status == EasyStatus.PENDING.value,
                    WorkAccident.easy_due >= since,
                )
                .order_by(WorkAccident.easy_due, WorkAccident.id)
            )
        ).all()
    )


async def people(session: AsyncSession, ids: list[int]) -> dict[int, PersonRow]:
    return await rows.people(session, ids)


async def has_personal_chat(session: AsyncSession, person_id: int) -> bool:
    chat = await conversations.personal_chat_of(session, person_id)
    return chat is not None
