"""Retention: one batch at a time, remove the people and free text of records past their
period, or delete what only served the moment. Each function runs in the caller's
transaction, audits what it did without the removed content, and returns how many records
it handled (fewer than `limit`: nothing more is due)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Executable, Select, delete, func, insert, null, or_, select, update
from sqlalchemy.orm import InstrumentedAttribute

from domain import lone_work as lone_work_rules
from domain import near_miss as near_miss_rules
from domain.i18n import COPENHAGEN
from domain.retention import REMOVED_PERSON_AAD
from domain.work_accident import ENTITY as WORK_ACCIDENT
from domain.work_accident import EasyStatus
from storage import audit, proofs
from storage.audit import REDACT_ACTION, SYSTEM_ACTOR, AuditedConnection
from storage.checkin_models import CheckinEvent, CheckinSession
from storage.lone_work import ENTITY as LONE_WORK
from storage.lone_work_models import LoneWorkRequest
from storage.models import AuditEvent, ConversationRef, DialogStateRow, Person, PostedActivity
from storage.near_miss import ENTITY as NEAR_MISS
from storage.near_miss_models import NearMissAction, NearMissPhoto, NearMissReport
from storage.training import ENTITY as TRAINING
from storage.training_models import TrainingRecord
from storage.work_accident_models import WorkAccident, WorkAccidentAction

BATCH = 200
AUDIT_BATCH = 1000
REDACTED_ACTOR = "person"


_STAND_IN = select(Person.id).where(Person.aad_object_id == REMOVED_PERSON_AAD)
_NEW_STAND_IN = insert(Person).values(aad_object_id=REMOVED_PERSON_AAD).returning(Person.id)


async def removed_person_id(connection: AuditedConnection) -> int:
    """The person who stands in for everyone removed from a register (made once)."""
    found = (await connection.execute(_STAND_IN)).scalar()
    if found is not None:
        return int(found)
    return int((await connection.execute(_NEW_STAND_IN)).scalar_one())


async def _ids(connection: AuditedConnection, statement: Select[Any]) -> list[Any]:
    """The first column of every row `statement` selects."""
    return [row[0] for row in await connection.execute(statement)]


async def _run(connection: AuditedConnection, statement: Executable) -> int:
    """Run a write; how many rows it touched."""
    return int((await connection.execute(statement)).rowcount or 0)


async def remove_near_miss_people(
    connection: AuditedConnection,
    *,
    cutoff: datetime,
    now: datetime,
    years: int,
    limit: int = BATCH,
) -> int:
    """Reports closed before `cutoff`: the reporter, the people who followed up, the free
    text, the exact place and the photos go; number, unit, time, campus, category, severity, injury,
    status and the follow-up times stay for the statistics. Their actions keep status and
    dates, and their owner becomes the stand-in person."""
    ids = await _ids(
        connection,
        select(NearMissReport.id)
        .where(
            NearMissReport.status == near_miss_rules.Status.CLOSED.value,
            NearMissReport.closed_at < cutoff,
            NearMissReport.personal_data_removed_at.is_(None),
        )
        .order_by(NearMissReport.id)
        .limit(limit),
    )
    if not ids:
        return 0
    stand_in = await removed_person_id(connection)
    await connection.execute(delete(NearMissPhoto).where(NearMissPhoto.report_id.in_(ids)))
    await _release_actions(connection, NearMissAction, NearMissAction.report_id, ids, stand_in, now)
    return await _blank(
        connection,
        NearMissReport,
        ids,
        "near_miss.retention",
        NEAR_MISS,
        now,
        years,
        reporter_id=None,
        investigator_id=None,
        acknowledged_by_id=None,
        closed_by_id=None,
        building=None,
        room=None,
        description="",
        immediate_action=None,
        prevention=None,
        photo_url=None,
        conclusion=None,
        submission_key=None,
        updated_at=now,
    )


async def remove_work_accident_people(
    connection: AuditedConnection,
    *,
    cutoff: datetime,
    now: datetime,
    years: int,
    limit: int = BATCH,
) -> int:
    """Accidents reported before `cutoff` whose EASY report is no longer owed: the reporter,
    the injured person, who recorded the report, the follow-up or the conclusion, the free
    text (also the causes, conclusion and corrective actions, whose owners become the stand-in
    person), the place and the EASY reference go; number, unit, time, who was hurt
    (employee, student, guest), injury kind, absence, claim and the EASY duty, deadline,
    status and filing day stay for the statistics."""
    ids = await _ids(
        connection,
        select(WorkAccident.id)
        .where(
            WorkAccident.created_at < cutoff,
            WorkAccident.easy_status != EasyStatus.PENDING.value,
            WorkAccident.personal_data_removed_at.is_(None),
        )
        .order_by(WorkAccident.id)
        .limit(limit),
    )
    if not ids:
        return 0
    stand_in = await removed_person_id(connection)
    await _release_actions(
        connection, WorkAccidentAction, WorkAccidentAction.accident_id, ids, stand_in, now
    )
    return await _blank(
        connection,
        WorkAccident,
        ids,
        "work_accident.retention",
        WORK_ACCIDENT,
        now,
        years,
        causes=None,
        conclusion=None,
        closed_by_id=None,
        reporter_id=None,
        injured_id=None,
        injured_upn=None,
        easy_decided_by_id=None,
        followed_up_by_id=None,
        place="",
        description="",
        immediate_action=None,
        witnesses=None,
        not_required_reason=None,
        easy_reference=None,
        submission_key=None,
        updated_at=now,
    )


async def remove_lone_work_people(
    connection: AuditedConnection,
    *,
    cutoff: datetime,
    now: datetime,
    years: int,
    limit: int = BATCH,
) -> int:
    """Requests that ended (rejected, withdrawn, revoked or expired) before `cutoff`: the
    requester and approver become the stand-in person or nobody, the task, place, contacts
    and decision texts go, and their check-in timelines are deleted; number, unit, period,
    hazards, measures and status stay."""
    closed = [status.value for status in lone_work_rules.Status if not status.is_open]
    ids = await _ids(
        connection,
        select(LoneWorkRequest.id)
        .where(
            LoneWorkRequest.status.in_(closed),
            LoneWorkRequest.expires_at < cutoff,
            or_(LoneWorkRequest.decided_at.is_(None), LoneWorkRequest.decided_at < cutoff),
            or_(LoneWorkRequest.closed_at.is_(None), LoneWorkRequest.closed_at < cutoff),
            LoneWorkRequest.personal_data_removed_at.is_(None),
        )
        .order_by(LoneWorkRequest.id)
        .limit(limit),
    )
    if not ids:
        return 0
    stand_in = await removed_person_id(connection)
    sessions = select(CheckinSession.id).where(CheckinSession.request_id.in_(ids))
    await connection.execute(delete(CheckinEvent).where(CheckinEvent.session_id.in_(sessions)))
    await connection.execute(delete(CheckinSession).where(CheckinSession.request_id.in_(ids)))
    return await _blank(
        connection,
        LoneWorkRequest,
        ids,
        "lone_work.retention",
        LONE_WORK,
        now,
        years,
        requester_id=stand_in,
        approver_id=None,
        decided_by_id=None,
        closed_by_id=None,
        task="",
        building="",
        room="",
        hazard_other=None,
        mitigation_other=None,
        checkin_person=None,
        emergency_name="",
        emergency_phone="",
        emergency_aad_object_id=None,
        conditions=None,
        decision_note=None,
        close_reason=None,
        submission_key=None,
        updated_at=now,
    )


async def remove_training_people(
    connection: AuditedConnection,
    *,
    cutoff: datetime,
    now: datetime,
    years: int,
    limit: int = BATCH,
) -> int:
    """Instruction and training records of a person in a unit whose newest record there was
    given before `cutoff`'s day (all of them together: while the unit still instructs or
    trains the person, the older proof stays): the person becomes the stand-in, and the
    activity, who gave it and the proof (link and file) go; unit, kind, day and the
    lone-work mark stay for the counts."""
    day = cutoff.astimezone(COPENHAGEN).date()
    kept = TrainingRecord.personal_data_removed_at.is_(None)
    stale = (
        select(TrainingRecord.unit_id, TrainingRecord.person_id)
        .where(kept)
        .group_by(TrainingRecord.unit_id, TrainingRecord.person_id)
        .having(func.max(TrainingRecord.given_on) < day)
        .subquery()
    )
    ids = await _ids(
        connection,
        select(TrainingRecord.id)
        .join(
            stale,
            (stale.c.unit_id == TrainingRecord.unit_id)
            & (stale.c.person_id == TrainingRecord.person_id),
        )
        .where(kept)
        .order_by(TrainingRecord.id)
        .limit(limit),
    )
    if not ids:
        return 0
    stand_in = await removed_person_id(connection)
    await proofs.delete_of_training(connection, ids)
    return await _blank(
        connection,
        TrainingRecord,
        ids,
        "training.retention",
        TRAINING,
        now,
        years,
        person_id=stand_in,
        activity="",
        given_by="",
        proof=None,
        recorded_by_id=None,
    )


async def delete_checkin_timelines(
    connection: AuditedConnection, *, cutoff: datetime, days: int, limit: int = BATCH
) -> int:
    """Check-in sessions that finished before `cutoff`, with their timelines."""
    ids = await _ids(
        connection,
        select(CheckinSession.id)
        .where(CheckinSession.finished_at < cutoff, CheckinSession.open_worker_id.is_(None))
        .order_by(CheckinSession.id)
        .limit(limit),
    )
    if not ids:
        return 0
    events = await _run(connection, delete(CheckinEvent).where(CheckinEvent.session_id.in_(ids)))
    await connection.execute(delete(CheckinSession).where(CheckinSession.id.in_(ids)))
    await audit.record(
        connection,
        actor=SYSTEM_ACTOR,
        action="checkin.retention.delete",
        entity_type="checkin_session",
        after={
            "sessions": len(ids),
            "events": events,
            "retention_days": days,
        },
    )
    return len(ids)


async def delete_conversations(
    connection: AuditedConnection, *, cutoff: datetime, days: int, limit: int = BATCH
) -> int:
    """References to chats and channels the bot was removed from (or could no longer reach)
    before `cutoff`, with the messages it kept of them."""
    ids = await _ids(
        connection,
        select(ConversationRef.id)
        .where(ConversationRef.active.is_(False), ConversationRef.updated_at < cutoff)
        .order_by(ConversationRef.id)
        .limit(limit),
    )
    if not ids:
        return 0
    await connection.execute(
        delete(PostedActivity).where(PostedActivity.conversation_ref_id.in_(ids))
    )
    await connection.execute(delete(ConversationRef).where(ConversationRef.id.in_(ids)))
    await audit.record(
        connection,
        actor=SYSTEM_ACTOR,
        action="conversation.retention.delete",
        entity_type="conversation_ref",
        after={"conversations": len(ids), "retention_days": days},
    )
    return len(ids)


async def delete_dialog_states(
    connection: AuditedConnection, *, cutoff: datetime, days: int, limit: int = BATCH
) -> int:
    """Conversation state untouched since before `cutoff`: a form abandoned half-way (a
    near miss described but never sent) is not kept for ever."""
    keys = await _ids(
        connection,
        select(DialogStateRow.key)
        .where(DialogStateRow.updated_at < cutoff)
        .order_by(DialogStateRow.key)
        .limit(limit),
    )
    if not keys:
        return 0
    await connection.execute(delete(DialogStateRow).where(DialogStateRow.key.in_(keys)))
    await audit.record(
        connection,
        actor=SYSTEM_ACTOR,
        action="dialog_state.retention.delete",
        entity_type="dialog_state",
        after={"states": len(keys), "retention_days": days},
    )
    return len(keys)


async def redact_audit_events(
    connection: AuditedConnection,
    *,
    cutoff: datetime,
    now: datetime,
    years: int,
    limit: int = AUDIT_BATCH,
) -> int:
    """Events that occurred before `cutoff` lose who acted (a person becomes "person"), the
    person they were about and their before/after; what happened to which record, and
    when, stays. Their hashes stay, so the chain still links; the `audit.redact` event
    names the last sequence removed, and verification holds removed events against it."""
    rows = (
        await connection.execute(
            select(AuditEvent.id, AuditEvent.sequence, AuditEvent.actor, AuditEvent.entity_type)
            .where(AuditEvent.occurred_at < cutoff, AuditEvent.personal_data_removed_at.is_(None))
            .order_by(AuditEvent.sequence)
            .limit(limit)
        )
    ).all()
    if not rows:
        return 0
    ids = [row.id for row in rows]
    await connection.execute(
        update(AuditEvent)
        .where(AuditEvent.id.in_(ids))
        .values(before=null(), after=null(), personal_data_removed_at=now)
    )
    people = [row.id for row in rows if (row.actor or "").startswith(f"{REDACTED_ACTOR}:")]
    if people:
        await connection.execute(
            update(AuditEvent).where(AuditEvent.id.in_(people)).values(actor=REDACTED_ACTOR)
        )
    about_people = [row.id for row in rows if row.entity_type == "person"]
    if about_people:
        await connection.execute(
            update(AuditEvent).where(AuditEvent.id.in_(about_people)).values(entity_id=None)
        )
    await audit.record(
        connection,
        actor=SYSTEM_ACTOR,
        action=REDACT_ACTION,
        entity_type="audit_event",
        after={
            "events": len(rows),
            "through_sequence": max(row.sequence for row in rows),
            "retention_years": years,
        },
    )
    return len(rows)


async def _record_removal(
    connection: AuditedConnection,
    action: str,
    entity_type: str,
    entity_id: int,
    now: datetime,
    **facts: Any,
) -> None:
    await audit.record(
        connection,
        actor=SYSTEM_ACTOR,
        action=action,
        entity_type=entity_type,
        entity_id=entity_id,
        after={"personal_data_removed_at": now.isoformat(), **facts},
    )


async def _blank(
    connection: AuditedConnection,
    model: Any,
    ids: Sequence[int],
    action: str,
    entity_type: str,
    now: datetime,
    years: int,
    /,
    **values: Any,
) -> int:
    """Set `values` on the records `ids`, mark their personal data removed, and audit each
    removal; how many records that was."""
    await connection.execute(
        update(model).where(model.id.in_(ids)).values(**values, personal_data_removed_at=now)
    )
    for entity_id in ids:
        await _record_removal(
            connection, action, entity_type, entity_id, now, retention_years=years
        )
    return len(ids)


async def _release_actions(
    connection: AuditedConnection,
    model: Any,
    parent: InstrumentedAttribute[int],
    ids: Sequence[int],
    stand_in: int,
    now: datetime,
) -> None:
    """The corrective actions of the records `ids` lose their text and the people on them
    (their owner becomes the stand-in person); status and dates stay. Their reminder counts as
    sent, so nobody is reminded of an action without an owner."""
    await connection.execute(
        update(model)
        .where(parent.in_(ids))
        .values(
            description="",
            owner_id=stand_in,
            created_by_id=None,
            done_by_id=None,
            reminded_at=func.coalesce(model.reminded_at, now),
            updated_at=now,
        )
    )
