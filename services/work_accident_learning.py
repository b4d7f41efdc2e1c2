"""Learning from a work accident: the AMK's investigation on the accident's card (causes,
corrective actions with owners and due dates, closing with a conclusion), the owners' cards
and their reminder on the due date, and the conclusion to the injured person who wants it.

Every click is one transaction with its audit event (ids, dates and states only); the cards
of others are updated and new ones sent after the answer. Every card of a psychological
accident shown to someone is a `work_accident.read` event.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from functools import partial

from cards.common import Card, format_day, notice_card, plain
from cards.work_accident import (
    accident_card,
    action_owner_card,
    not_allowed_card,
    not_found_card,
    outcome_notice,
)
from domain.actor import Speaker
from domain.i18n import Lang, local_date, t
from domain.ids import CardId, MaybeCardId
from domain.near_miss import ActionView, CloseProblem
from domain.near_miss_forms import action_form_problems
from domain.work_accident import ENTITY, AccidentView, Reader, closing_problem
from domain.work_accident_forms import causes_problems, close_problems
from services.actions import CardInputs, InputText, Verb
from services.claimed import send_once
from services.work_accident import DatabaseWorkAccidentServices
from storage import org, rows, work_accident, work_accident_learning
from storage.audit import AuditedConnection, audited
from storage.db import Database
from storage.work_accident import AccidentRow

log = logging.getLogger(__name__)


class Step(StrEnum):
    CAUSES = "causes"
    ADD_ACTION = "action.add"
    COMPLETE_ACTION = "action.done"
    CLOSE = "close"


class Investigate(CardInputs):
    """A click in the investigation: the accident (and the action, on an action's button),
    which card was clicked, and the card's inputs."""

    accident_id: CardId
    action_id: MaybeCardId = None
    card: InputText = ""


def owner_key(accident_id: int, action_id: int, step: str = "owner") -> str:
    """The dedupe key of an action's card to its owner (`step`: owner or reminder)."""
    return f"work_accident:{accident_id}:action:{action_id}:{step}"


def owner_entity(action_id: int) -> tuple[str, str]:
    return f"{ENTITY}.action", str(action_id)


def _action(view: AccidentView, action_id: int | None) -> ActionView | None:
    return next((action for action in view.actions if action.id == action_id), None)


@dataclass
class _Result:
    """What a step did: whether it changed anything, the message or errors for the person who
    clicked, and who must hear of it afterwards (a new action's owner: action and person id;
    the injured person)."""

    changed: bool = False
    message: str | None = None
    errors: list[str] = field(default_factory=list)
    owner: tuple[int, int] | None = None
    tell_injured: bool = False


class WorkAccidentLearning:
    """The investigation's card actions, on the accident flow's services."""

    def __init__(self, services: DatabaseWorkAccidentServices) -> None:
        self.services = services
        self.db: Database = services.db
        self.notifier = services.notifier

    def verbs(self) -> list[Verb[Investigate]]:
        return [
            Verb("work_accident.causes", Investigate, partial(self._step, step=Step.CAUSES)),
            Verb(
                "work_accident.action.add", Investigate, partial(self._step, step=Step.ADD_ACTION)
            ),
            Verb(
                "work_accident.action.done",
                Investigate,
                partial(self._step, step=Step.COMPLETE_ACTION),
            ),
            Verb("work_accident.close", Investigate, partial(self._step, step=Step.CLOSE)),
        ]

    async def _step(self, speaker: Speaker, sent: Investigate, *, step: Step) -> Card:
        lang = speaker.lang
        if speaker.person_id is None:
            return not_allowed_card(lang)
        actor_id, now = speaker.person_id, self.services.clock()
        async with audited(self.db) as connection:
            accident = await work_accident_learning.locked(connection, sent.accident_id)
            if accident is None:
                return not_found_card(lang)
            reader = await work_accident.reader(connection, accident, actor_id)
            allowed = (
                sent.action_id is not None and reader.may_complete(sent.action_id)
                if step is Step.COMPLETE_ACTION
                else reader.may_investigate
            )
            if not allowed:
                await work_accident.record_refusal(connection, accident.id, actor_id, step.value)
                log.info("work accident %s: %s refused", accident.number, step.value)
                return notice_card(
                    t(lang, "work_accident.title"), t(lang, "work_accident.not_allowed_investigate")
                )
            result = await self._do(connection, accident, reader, sent, step, lang, now)
            accident = await work_accident.fresh(connection, accident)
            view = await work_accident.view(connection, accident)
            reader = await work_accident.reader(connection, accident, actor_id)
            await work_accident.record_reads(connection, accident, [actor_id], step.value)
        if result.changed:
            log.info("work accident %s: %s", view.number, step.value)
            self.notifier.later(self._after(view.id, result), name=f"work_accident.{step.value}")
        action = _action(view, sent.action_id)
        if action is not None and (sent.card == "owner" or not reader.may_read):
            return action_owner_card(
                lang,
                view,
                action,
                may_complete=reader.may_complete(action.id),
                message=result.message,
            )
        return accident_card(
            lang, view, reader, now=now, message=result.message, errors=result.errors
        )

    async def _do(
        self,
        connection: AuditedConnection,
        accident: AccidentRow,
        reader: Reader,
        sent: Investigate,
        step: Step,
        lang: Lang,
        now: datetime,
    ) -> _Result:
        result = _Result()
        actor_id, inputs = reader.person_id, sent.inputs()
        if accident.closed_at is not None:
            result.errors.append(t(lang, "work_accident.msg.already_closed"))
            return result
        if step is Step.CAUSES:
            causes, problems = causes_problems(inputs)
            if causes is None:
                result.errors.extend(t(lang, key) for key in problems)
                return result
            await work_accident_learning.record_causes(
                connection, accident, causes=causes.causes, actor_id=actor_id, now=now
            )
            result.changed, result.message = True, t(lang, "work_accident.msg.causes")
        elif step is Step.ADD_ACTION:
            form, problems = action_form_problems(inputs, now)
            if form is None:
                result.errors.extend(t(lang, key) for key in problems)
                return result
            action_id, owner = await work_accident_learning.add_action(
                connection, accident, form=form, actor_id=actor_id, now=now
            )
            who = plain(org.describe_person(owner))
            result.changed, result.owner = True, (action_id, owner.id)
            result.message = t(lang, "work_accident.msg.action_added", who=who)
            if not self.notifier.reaches_without_chat and not await work_accident.has_personal_chat(
                connection, owner.id
            ):
                result.message += " " + t(lang, "near_miss.msg.no_chat", who=who)
        elif step is Step.COMPLETE_ACTION:
            assert sent.action_id is not None
            result.changed = await work_accident_learning.complete_action(
                connection, accident, sent.action_id, actor_id=actor_id, now=now
            )
            key = "action_done" if result.changed else "action_already_done"
            result.message = t(lang, f"work_accident.msg.{key}")
        else:
            await self._close(connection, accident, inputs, result, lang, actor_id, now)
        return result

    @staticmethod
    async def _close(
        connection: AuditedConnection,
        accident: AccidentRow,
        inputs: dict[str, object],
        result: _Result,
        lang: Lang,
        actor_id: int,
        now: datetime,
    ) -> None:
        form, problems = close_problems(dict(inputs))
        if form is None:
            result.errors.extend(t(lang, key) for key in problems)
            return
        view = await work_accident.view(connection, accident)
        if closing_problem(view, form.conclusion) is CloseProblem.OPEN_ACTIONS:
            result.errors.append(t(lang, "work_accident.msg.open_actions", count=view.open_actions))
            return
        tell = form.tell_injured and accident.injured_id is not None
        result.changed = await work_accident_learning.close(
            connection,
            accident,
            conclusion=form.conclusion,
            tell_injured=tell,
            actor_id=actor_id,
            now=now,
        )
        if not result.changed:
            result.errors.append(t(lang, "work_accident.msg.already_closed"))
            return
        result.tell_injured = tell
        result.message = t(
            lang, "work_accident.msg.closed_told" if tell else "work_accident.msg.closed"
        )

    async def _after(self, accident_id: int, result: _Result) -> None:
        """Every posted card of the accident updated; then the new action's owner told, or
        the injured person sent the conclusion."""
        await self.services.update_copies(accident_id)
        if result.owner is not None:
            action_id, owner_id = result.owner
            await self.owner_card(
                accident_id,
                action_id,
                owner_id,
                key=owner_key(accident_id, action_id),
                intro_key="near_miss.owner.intro",
                via="action_owner",
            )
        if result.tell_injured:
            await self._tell_injured(accident_id)

    async def owner_card(
        self,
        accident_id: int,
        action_id: int,
        owner_id: int,
        *,
        key: str,
        intro_key: str,
        via: str,
    ) -> bool:
        """The action's card to its owner (True: delivered)."""
        async with self.db.reading() as connection:
            accident = await work_accident.get(connection, accident_id)
            if accident is None:
                return False
            view = await work_accident.view(connection, accident)
            reader = await work_accident.reader(connection, accident, owner_id)
            people = await rows.people(connection, [owner_id])
        action = _action(view, action_id)
        owner = people.get(owner_id)
        if action is None or owner is None:
            return False
        lang = work_accident.lang_of(owner)
        due = format_day(lang, action.due_date)
        delivered = await self.notifier.card_to_person(
            owner_id,
            action_owner_card(
                lang,
                view,
                action,
                may_complete=reader.may_complete(action_id),
                intro=t(lang, intro_key, due=due),
            ),
            key=key,
            entity=owner_entity(action_id),
        )
        if delivered:
            await self.services.audit_reads(accident_id, [owner_id], via)
        return delivered

    async def _tell_injured(self, accident_id: int) -> None:
        async with self.db.reading() as connection:
            accident = await work_accident.get(connection, accident_id)
            if accident is None or accident.injured_id is None or not accident.outcome_wanted:
                return
            view = await work_accident.view(connection, accident)
            people = await rows.people(connection, [accident.injured_id])
        person = people.get(accident.injured_id)
        if person is None:
            return
        if await self.notifier.card_to_person(
            person.id,
            outcome_notice(work_accident.lang_of(person), view),
            key=f"work_accident:{accident_id}:outcome",
            entity=(f"{ENTITY}.outcome", str(accident_id)),
        ):
            await self.services.audit_reads(accident_id, [person.id], "outcome")


class ActionReminders:
    """Each open corrective action's owner is reminded once, at 08:00 Copenhagen time on its
    due date (as after a near miss); claimed in `job_run`, so once across restarts and
    instances."""

    name = "work_accident.action_reminders"

    def __init__(self, learning: WorkAccidentLearning) -> None:
        self.learning = learning
        self.db = learning.db

    async def run(self, now: datetime) -> None:
        async with self.db.reading() as connection:
            due = await work_accident_learning.due_reminders(connection, now)
        for action in due:
            overdue = action.due_date < local_date(now)
            await send_once(
                self.db,
                f"work_accident:reminder:action:{action.id}",
                partial(self._remind, action.accident_id, action.id, action.owner_id, overdue, now),
                lease=timedelta(minutes=10),
                retry_if=lambda delivered: delivered is None,
                retry_reason="not delivered; retry",
            )

    async def _remind(
        self, accident_id: int, action_id: int, owner_id: int, overdue: bool, now: datetime
    ) -> bool | None:
        """True: sent; False: the owner has no chat with the bot (nothing to retry); None:
        sending failed, try again on a later tick."""
        notifier = self.learning.notifier
        async with self.db.reading() as connection:
            has_chat = notifier.reaches_without_chat or await work_accident.has_personal_chat(
                connection, owner_id
            )
        delivered = has_chat and await self.learning.owner_card(
            accident_id,
            action_id,
            owner_id,
            key=owner_key(accident_id, action_id, "reminder"),
            intro_key="near_miss.owner.overdue" if overdue else "near_miss.owner.reminder",
            via="action_reminder",
        )
        if has_chat and not delivered:
            return None
        async with audited(self.db) as connection:
            await work_accident_learning.mark_reminded(connection, action_id, now)
        return delivered
