"""Near-miss services on the database and the notifier (`dialogs.near_miss.NearMissServices`),
and the job that reminds action owners once on the due date.

Every user action is one transaction (with its audit event); messages to other people and
updates of their cards run after the answer, through the notifier. Nothing here logs free
text, and nothing about an anonymous report is ever sent to, or logged about, its reporter.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta
from functools import partial
from typing import Any

from pydantic import ValidationError
from sqlalchemy.exc import IntegrityError

from cards.common import Card, format_day, notice_card, plain
from cards.exports import with_export
from cards.near_miss import (
    list_card,
    no_part_card,
    not_allowed_card,
    owner_card,
    report_card,
    reporter_notice,
)
from cards.near_miss_form import confirmation_card
from domain.actor import Speaker
from domain.audit import person_actor
from domain.exports import ExportKind
from domain.i18n import COPENHAGEN, Lang, format_datetime, t
from domain.ids import CardId, MaybeCardId
from domain.near_miss import (
    ActionView,
    Event,
    FollowUpContext,
    Notice,
    NoticeKind,
    Participant,
    ReportView,
    Status,
    parse_key,
)
from domain.near_miss_forms import AssignForm, NearMissForm, action_form_problems
from domain.numbering import local_year
from domain.org import UnitRef, UnknownUnit
from services import people
from services.actions import CardData, CardInputs, InputText, NoData, Verb
from services.claimed import send_once
from services.ports import Directory, Notifier
from storage import audit, near_miss, near_miss_follow_up, near_miss_lists, org, rows
from storage.db import Database, HotConnection
from storage.models import utcnow
from storage.near_miss import ENTITY

log = logging.getLogger(__name__)


class ViewReport(CardData):
    """A report card's refresh, or Open in the list."""

    report_id: CardId
    from_list: bool = False


class FollowUp(CardInputs):
    """A follow-up on a report card: the report (and the action, on an action's button),
    which card was clicked, and the card's inputs (investigator, new action, conclusion)."""

    report_id: CardId
    action_id: MaybeCardId = None
    card: InputText = ""


# The input naming a person, per follow-up event.
_PERSON_INPUTS = {Event.ASSIGN: "investigator", Event.ADD_ACTION: "action_owner"}


def _entity(report_id: int) -> tuple[str, str]:
    return ENTITY, str(report_id)


def _action(report: ReportView, action_id: int | None) -> ActionView | None:
    return next((action for action in report.actions if action.id == action_id), None)


def viewer_card(
    context: FollowUpContext,
    viewer: Participant,
    *,
    owner_view_of: int | None = None,
    intro: str | None = None,
    message: str | None = None,
    errors: list[str] | None = None,
    back_to_list: bool = False,
    picker: bool = False,
) -> Card:
    """The card `viewer` should see of the report: the follow-up card for the AMK,
    secretariat and investigator (with Teams' people picker if `picker`), the action card for
    an owner, else a short notice."""
    report, lang = context.report, viewer.lang
    action = _action(report, owner_view_of)
    if action is None and not (viewer.manages or viewer.is_investigator):
        action = next((a for a in report.actions if a.id in viewer.owned_actions), None)
    if action is not None and (owner_view_of is not None or not viewer.manages):
        return owner_card(
            lang,
            report,
            action,
            may_complete=viewer.may(Event.COMPLETE_ACTION, action.id),
            intro=intro,
            message=message,
        )
    if viewer.manages or viewer.is_investigator:
        return report_card(
            lang,
            report,
            viewer,
            intro=intro,
            message=message,
            errors=errors,
            back_to_list=back_to_list,
            picker=picker,
        )
    return no_part_card(lang, report)


def card_renderer(
    context: FollowUpContext, *, picker: bool = False
) -> Callable[[str], Card | None]:
    """The new card for each posted copy about a report, in its reader's language."""

    def render(key: str) -> Card | None:
        parsed = parse_key(key)
        if parsed is None or parsed[0] != context.report.id:
            return None
        _, kind, ref = parsed
        if kind in ("amk", "investigator"):
            viewer = context.people.get(ref) if ref is not None else None
            return viewer_card(context, viewer, picker=picker) if viewer is not None else None
        if kind in ("owner", "reminder"):
            action = _action(context.report, ref)
            owner = context.people.get(action.owner_id) if action is not None else None
            if action is None or owner is None:
                return None
            return viewer_card(context, owner, owner_view_of=action.id)
        return None

    return render


class DatabaseNearMissServices:
    """The near-miss flow's actions: one transaction each, messages to others afterwards."""

    def __init__(
        self,
        db: Database,
        notifier: Notifier,
        *,
        clock: Callable[[], datetime] = utcnow,
        picker: bool = False,
        directory: Directory | None = None,
    ) -> None:
        self.db = db
        self.notifier = notifier
        self.clock = clock
        self.picker = picker  # Teams' people picker on follow-up cards (else e-mail fields)
        self.directory = directory  # names the people picked there

    async def units(self) -> list[UnitRef]:
        async with self.db.reading() as connection:
            return await org.unit_choices(connection)

    # -- reporting -----------------------------------------------------------------------------

    async def submit(
        self,
        speaker: Speaker,
        form: NearMissForm,
        submission_key: str,
        photo_key: str | None = None,
    ) -> Card | None:
        reporter_id = None if form.anonymous else speaker.person_id
        try:
            async with audit.audited(self.db) as connection:
                report, created = await near_miss.submit(
                    connection,
                    form,
                    reporter_id=reporter_id,
                    now=self.clock(),
                    submission_key=submission_key,
                    photo_key=photo_key,
                )
        except UnknownUnit:
            return None
        except IntegrityError:
            # The same card sent twice at the same moment: the other turn stored it.
            async with self.db.reading() as connection:
                existing = await near_miss.stored_by_submission(connection, submission_key)
            if existing is None:
                raise
            report, created = existing, False
        if created:
            log.info("near-miss report %s recorded", report.number)
            self.notifier.later(self._announce(report), name="near_miss.announce")
        return confirmation_card(
            speaker.lang,
            number=report.number,
            unit=report.unit_name,
            anonymous=report.anonymous,
            injury=report.injury,
            category=report.category,
            report_id=report.id,
        )

    async def _announce(self, report: near_miss.StoredReport) -> None:
        """The new report (as just stored) to each AMK of its unit (or the secretariat if it
        has none)."""
        report_id = report.id
        async with self.db.reading() as connection:
            context, recipients = await near_miss.announcement_of(connection, report)
        if not recipients:
            log.warning(
                "near-miss report %s: the unit has no AMK and there is no secretariat",
                context.report.number,
            )
        for person_id in recipients:
            viewer = context.people[person_id]
            intro = t(viewer.lang, "near_miss.card.new", unit=plain(context.report.unit_name))
            await self.notifier.card_to_person(
                person_id,
                viewer_card(context, viewer, intro=intro, picker=self.picker),
                key=Notice(NoticeKind.NEW_REPORT, person_id).key(report_id),
                entity=_entity(report_id),
            )

    # -- follow-up -----------------------------------------------------------------------------

    def verbs(self) -> list[Verb[Any]]:
        """The report card's follow-up actions and the open list's."""
        return [
            Verb("near_miss.view", ViewReport, self.view),
            Verb("near_miss.list", NoData, self.open_list),
            Verb("near_miss.acknowledge", FollowUp, self.acknowledge),
            Verb("near_miss.assign", FollowUp, self.assign),
            Verb("near_miss.action.add", FollowUp, self.add_action),
            Verb("near_miss.action.done", FollowUp, self.complete_action),
            Verb("near_miss.close", FollowUp, self.close),
        ]

    async def open_list(self, speaker: Speaker, _: NoData) -> Card:
        return await self.list_card(speaker)

    async def acknowledge(self, speaker: Speaker, action: FollowUp) -> Card:
        return await self._follow_up(speaker, action, Event.ACKNOWLEDGE)

    async def assign(self, speaker: Speaker, action: FollowUp) -> Card:
        return await self._follow_up(speaker, action, Event.ASSIGN)

    async def add_action(self, speaker: Speaker, action: FollowUp) -> Card:
        return await self._follow_up(speaker, action, Event.ADD_ACTION)

    async def complete_action(self, speaker: Speaker, action: FollowUp) -> Card:
        return await self._follow_up(speaker, action, Event.COMPLETE_ACTION)

    async def close(self, speaker: Speaker, action: FollowUp) -> Card:
        return await self._follow_up(speaker, action, Event.CLOSE)

    async def view(self, speaker: Speaker, action: ViewReport) -> Card:
        """A refresh, or "open" from the list: the card as it is now, for this reader."""
        if speaker.person_id is None:
            return not_allowed_card(speaker.lang)
        report_id = action.report_id
        async with audit.audited(self.db) as connection:
            context = await near_miss.context(connection, report_id, [speaker.person_id])
            if context is None:
                return notice_card(
                    t(speaker.lang, "near_miss.title"), t(speaker.lang, "near_miss.not_found")
                )
            viewer = context.people[speaker.person_id]
            if not viewer.may_view:
                await near_miss_follow_up.record_refused_view(
                    connection, report_id, speaker.person_id
                )
                return not_allowed_card(speaker.lang)
        return viewer_card(
            context,
            self._in_speaker_language(viewer, speaker),
            back_to_list=action.from_list,
            picker=self.picker,
        )

    @staticmethod
    def _in_speaker_language(viewer: Participant, speaker: Speaker) -> Participant:
        return Participant(
            person_id=viewer.person_id,
            name=viewer.name,
            lang=speaker.lang,
            teams_id=viewer.teams_id,
            is_amk=viewer.is_amk,
            is_secretariat=viewer.is_secretariat,
            is_investigator=viewer.is_investigator,
            owned_actions=viewer.owned_actions,
        )

    async def _follow_up(self, speaker: Speaker, sent: FollowUp, event: Event) -> Card:
        lang = speaker.lang
        if speaker.person_id is None:
            return not_allowed_card(lang)
        actor_id = speaker.person_id
        now = self.clock()
        report_id, action_id, data = sent.report_id, sent.action_id, sent.inputs()
        notices: list[Notice] = []
        message: str | None = None
        errors: list[str] = []
        person_input = _PERSON_INPUTS.get(event)
        picked = [str(data.get(person_input) or "")] if person_input else []
        in_directory = await people.look_up(self.db, self.directory, picked)
        async with audit.audited(self.db) as connection:
            found = await near_miss_follow_up.subject(connection, report_id, actor_id)
            if found is None or found.person is None:
                return notice_card(t(lang, "near_miss.title"), t(lang, "near_miss.not_found"))
            report, viewer = found.report, found.actor()
            if not viewer.may(event, action_id):
                await audit.record(
                    connection,
                    actor=person_actor(actor_id),
                    action="near_miss.refused",
                    entity_type=ENTITY,
                    entity_id=report_id,
                    after={"attempt": event.value, "reason": "not_allowed"},
                )
                log.info("near-miss %s refused for a person without a part", event.value)
                return not_allowed_card(lang)
            outcome: near_miss_follow_up.Outcome | None = None
            if event is Event.ACKNOWLEDGE:
                outcome = await near_miss_follow_up.acknowledge(
                    connection, report_id, actor_id=actor_id, now=now, found=found
                )
            elif event is Event.ASSIGN:
                try:
                    form = AssignForm.model_validate(data)
                except ValidationError:
                    errors.append(t(lang, "near_miss.error.investigator"))
                else:
                    await people.fill_in(connection, in_directory)
                    outcome = await near_miss_follow_up.assign(
                        connection,
                        report_id,
                        actor_id=actor_id,
                        investigator_upn=form.investigator,
                        now=now,
                        found=found,
                    )
            elif event is Event.ADD_ACTION:
                action_form, problems = action_form_problems(data, now)
                errors.extend(t(lang, key) for key in problems)
                if action_form is not None:
                    await people.fill_in(connection, in_directory)
                    outcome = await near_miss_follow_up.add_action(
                        connection,
                        report_id,
                        actor_id=actor_id,
                        form=action_form,
                        now=now,
                        found=found,
                    )
            elif event is Event.COMPLETE_ACTION:
                if action_id is None or not any(a.id == action_id for a in report.actions):
                    errors.append(t(lang, "card.invalid_input"))
                else:
                    outcome = await near_miss_follow_up.complete_action(
                        connection, action_id, actor_id=actor_id, now=now, found=found
                    )
            else:
                outcome = await near_miss_follow_up.close(
                    connection,
                    report_id,
                    actor_id=actor_id,
                    conclusion=str(data.get("conclusion") or ""),
                    now=now,
                    found=found,
                )
            if outcome is not None:
                message, problem = await self._explain(connection, lang, event, outcome)
                if problem:
                    errors.append(problem)
                    message = None
                notices = self._notices(event, outcome)
            # The report as the step left it (a refused step left it as it was read).
            now_found = found.now_as(outcome.report if outcome is not None else None)
            context = await near_miss_follow_up.seen_by_actor(connection, now_found)
        if outcome is not None and outcome.changed:
            log.info("near-miss %s: %s", context.report.number, event.value)
            self.notifier.later(
                self._after(report_id, notices, actor=viewer.name),
                name=f"near_miss.{event.value}",
            )
        return viewer_card(
            context,
            self._in_speaker_language(context.people[actor_id], speaker),
            owner_view_of=action_id if sent.card == "owner" else None,
            message=message,
            errors=errors,
            picker=self.picker,
        )

    async def _explain(
        self,
        connection: HotConnection,
        lang: Lang,
        event: Event,
        outcome: near_miss_follow_up.Outcome,
    ) -> tuple[str | None, str | None]:
        """(message, problem) for the person who acted."""
        report = outcome.report
        if report is None:
            return None, t(lang, "near_miss.not_found")
        if outcome.refused == "already":
            by_id = report.acknowledged_by_id
            by = await rows.person(connection, by_id) if by_id is not None else None
            return None, t(
                lang,
                "near_miss.msg.already_acknowledged",
                who=plain(org.describe_person(by)) if by else "",
                when=_when(lang, report.acknowledged_at),
            )
        if outcome.refused == "status":
            status = t(lang, f"near_miss.status.{Status(report.status).value}")
            return None, t(lang, "near_miss.msg.refused", status=status)
        if outcome.refused == "open_actions":
            count = sum(1 for a in report.actions if a.status == "open")
            return None, t(lang, "near_miss.msg.open_actions", count=count)
        if outcome.refused == "no_conclusion":
            return None, t(lang, "near_miss.error.conclusion")
        if outcome.refused == "action_done":
            return t(lang, "near_miss.msg.action_already_done"), None
        if event is Event.ACKNOWLEDGE:
            return t(lang, "near_miss.msg.acknowledged"), None
        if event in (Event.ASSIGN, Event.ADD_ACTION) and outcome.person is not None:
            who = plain(org.describe_person(outcome.person))
            key = (
                "near_miss.msg.assigned" if event is Event.ASSIGN else "near_miss.msg.action_added"
            )
            message = t(lang, key, who=who)
            if not self.notifier.reaches_without_chat and not await near_miss.has_personal_chat(
                connection, outcome.person.id
            ):
                message += " " + t(lang, "near_miss.msg.no_chat", who=who)
            return message, None
        if event is Event.COMPLETE_ACTION:
            return t(lang, "near_miss.msg.action_done"), None
        return t(lang, "near_miss.msg.closed"), None

    @staticmethod
    def _notices(event: Event, outcome: near_miss_follow_up.Outcome) -> list[Notice]:
        report = outcome.report
        if report is None or not outcome.changed:
            return []
        notices: list[Notice] = []
        named = None if report.anonymous else report.reporter_id
        if event is Event.ASSIGN and outcome.person is not None:
            notices.append(Notice(NoticeKind.INVESTIGATOR, outcome.person.id))
        if event is Event.ADD_ACTION and outcome.action is not None and outcome.person is not None:
            notices.append(Notice(NoticeKind.ACTION_OWNER, outcome.person.id, outcome.action.id))
        if named is not None and outcome.acknowledged_now:
            notices.append(Notice(NoticeKind.REPORTER_ACKNOWLEDGED, named))
        if named is not None and event is Event.CLOSE:
            notices.append(Notice(NoticeKind.REPORTER_CLOSED, named))
        return notices

    async def _after(self, report_id: int, notices: list[Notice], *, actor: str) -> None:
        """Update every posted card about the report, then tell the people concerned."""
        posts = await self.notifier.sent(_entity(report_id))
        earlier = []
        for post in posts:
            parsed = parse_key(post.dedupe_key)
            if parsed is not None and parsed[1] in ("amk", "investigator") and parsed[2]:
                earlier.append(parsed[2])
        reporters = [
            notice.person_id
            for notice in notices
            if notice.kind in (NoticeKind.REPORTER_ACKNOWLEDGED, NoticeKind.REPORTER_CLOSED)
        ]
        async with self.db.reading() as connection:
            context = await near_miss.context(
                connection, report_id, earlier + [notice.person_id for notice in notices]
            )
            reporter_lang: dict[int, Lang] = {
                person.id: near_miss.lang_of(person)
                for person in (await rows.people(connection, reporters)).values()
            }
        if context is None:
            return
        await self.notifier.update_posts(posts, card_renderer(context, picker=self.picker))
        for notice in notices:
            card = self._notice_card(context, notice, reporter_lang, actor)
            if card is None:
                continue
            await self.notifier.card_to_person(
                notice.person_id, card, key=notice.key(report_id), entity=_entity(report_id)
            )

    def _notice_card(
        self,
        context: FollowUpContext,
        notice: Notice,
        reporter_lang: dict[int, Lang],
        actor: str,
    ) -> Card | None:
        report = context.report
        if notice.kind in (NoticeKind.REPORTER_ACKNOWLEDGED, NoticeKind.REPORTER_CLOSED):
            lang = reporter_lang.get(notice.person_id)
            if report.anonymous or lang is None:
                return None
            return reporter_notice(lang, report, closed=notice.kind is NoticeKind.REPORTER_CLOSED)
        viewer = context.people.get(notice.person_id)
        if viewer is None:
            return None
        if notice.kind is NoticeKind.INVESTIGATOR:
            intro = t(viewer.lang, "near_miss.investigator.intro", who=plain(actor))
            return viewer_card(context, viewer, intro=intro, picker=self.picker)
        if notice.kind is NoticeKind.ACTION_OWNER and notice.action_id is not None:
            return viewer_card(
                context,
                viewer,
                owner_view_of=notice.action_id,
                intro=t(viewer.lang, "near_miss.owner.intro"),
            )
        return None

    # -- the list ------------------------------------------------------------------------------

    async def list_card(self, speaker: Speaker) -> Card:
        lang = speaker.lang
        if speaker.person_id is None:
            return notice_card(
                t(lang, "near_miss.list.title"), t(lang, "near_miss.list.not_allowed")
            )
        async with audit.audited(self.db) as connection:
            found = await near_miss_lists.open_reports_for(connection, speaker.person_id)
            if found is None:
                await audit.record(
                    connection,
                    actor=person_actor(speaker.person_id),
                    action="near_miss.refused",
                    entity_type=ENTITY,
                    after={"attempt": "list", "reason": "not_allowed"},
                )
        if found is None:
            return notice_card(
                t(lang, "near_miss.list.title"), t(lang, "near_miss.list.not_allowed")
            )
        card = list_card(
            lang, found.reports, units=found.units, total=found.total, now=self.clock()
        )
        year = local_year(self.clock())
        if found.unit_ids is None:
            return with_export(card, lang, ExportKind.NEAR_MISS, year=year)
        if len(found.unit_ids) == 1:
            return with_export(
                card, lang, ExportKind.NEAR_MISS, unit_id=found.unit_ids[0], year=year
            )
        return with_export(card, lang, None)


def _when(lang: Lang, moment: datetime | None) -> str:
    return format_datetime(lang, moment) if moment is not None else ""


class NearMissReminders:
    """Each open corrective action's owner is reminded once, at 08:00 on its due date."""

    name = "near_miss.reminders"

    def __init__(self, db: Database, notifier: Notifier) -> None:
        self.db = db
        self.notifier = notifier

    async def run(self, now: datetime) -> None:
        async with self.db.reading() as connection:
            due = [
                (a.id, a.report_id) for a in await near_miss_lists.due_reminders(connection, now)
            ]
        for action_id, report_id in due:
            await send_once(
                self.db,
                f"near_miss:reminder:action:{action_id}",
                partial(self._remind, report_id, action_id, now),
                lease=timedelta(minutes=10),
                retry_if=lambda delivered: delivered is None,
                retry_reason="not delivered; retry",
            )

    async def _remind(self, report_id: int, action_id: int, now: datetime) -> bool | None:
        """True: sent; False: the owner has no chat with the bot (nothing to retry);
        None: sending failed, try again on a later tick."""
        async with self.db.reading() as connection:
            report = await near_miss.get(connection, report_id)
            owner_id = (
                next((a.owner_id for a in report.actions if a.id == action_id), None)
                if report
                else None
            )
            context = (
                await near_miss.context_of(connection, report, [owner_id])
                if report is not None and owner_id is not None
                else None
            )
            has_chat = owner_id is not None and (
                self.notifier.reaches_without_chat
                or await near_miss.has_personal_chat(connection, owner_id)
            )
        action = _action(context.report, action_id) if context is not None else None
        if context is None or action is None or owner_id is None:
            return False
        owner = context.people[owner_id]
        today = now.astimezone(COPENHAGEN).date()
        intro = (
            t(owner.lang, "near_miss.owner.reminder")
            if action.due_date >= today
            else t(
                owner.lang, "near_miss.owner.overdue", due=format_day(owner.lang, action.due_date)
            )
        )
        delivered = has_chat and await self.notifier.card_to_person(
            owner_id,
            viewer_card(context, owner, owner_view_of=action_id, intro=intro),
            key=Notice(NoticeKind.REMINDER, owner_id, action_id).key(report_id),
            entity=_entity(report_id),
        )
        if has_chat and not delivered:
            return None
        async with audit.audited(self.db) as connection:
            await near_miss_lists.mark_reminded(connection, action_id, now)
        return delivered
