"""Lone-work services on the database and the notifier (`dialogs.lone_work.LoneWorkServices`)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any

from sqlalchemy.exc import IntegrityError

from cards.common import Card, notice_card, plain
from cards.exports import with_export
from cards.lone_work import approval_card, list_card, requester_card
from domain.actor import Speaker
from domain.exports import ExportKind
from domain.i18n import Lang, format_datetime, t
from domain.ids import CardId
from domain.lone_work import (
    Decision,
    LoneWorkForm,
    NotSent,
    RequestView,
    Status,
)
from domain.numbering import local_year, year_bounds
from domain.org import Role, UnitRef
from services.actions import CardData, InputText, Verb
from services.checkin_jobs import CheckinJob
from services.lone_work_views import (
    PersonLike,
    approver_key,
    card_renderer,
    change_notice,
    loaded_view,
    people_ids,
    person_lang,
    person_name,
    request_view,
    requester_key,
    views_and_people,
    with_training,
)
from services.ports import Directory, Notifier, Outgoing
from storage import audit, conversations, lone_work, lone_work_decisions, lone_work_lists, org, rows
from storage.db import Database, HotConnection
from storage.lone_work import ENTITY
from storage.models import utcnow


class RequestAction(CardData):
    """The approval and requester cards' data: the request, and the note typed on the card."""

    request_id: CardId
    note: InputText = ""

    def note_text(self) -> str | None:
        return self.note.strip() or None


class DatabaseLoneWorkServices:
    """The lone-work flow's actions: one transaction each, messages to others afterwards."""

    def __init__(
        self,
        db: Database,
        notifier: Notifier,
        *,
        admin_upns: frozenset[str],
        clock: Callable[[], datetime] = utcnow,
        picker: bool = False,
        directory: Directory | None = None,
    ) -> None:
        self.db = db
        self.notifier = notifier
        self.admin_upns = admin_upns
        self.clock = clock
        self.checkins = CheckinJob(db, notifier)
        self.picker = picker  # the emergency contact may be a colleague picked in Teams
        self.directory = directory

    async def contact_name(self, aad_object_id: str) -> str | None:
        async with self.db.reading() as connection:
            known = await org.find_person(connection, aad_object_id=aad_object_id)
        if known is not None and known.name:
            return known.name
        entry = await self.directory.person(aad_object_id) if self.directory else None
        return entry.name if entry is not None else None

    async def form_choices(
        self, speaker: Speaker, *, home: bool
    ) -> tuple[list[UnitRef], int | None]:
        async with self.db.reading() as connection:
            units = await org.unit_choices(connection)
            if not home or speaker.person_id is None:
                return units, None
            return units, await org.own_unit(connection, speaker.person_id)

    async def summary_choices(self, unit_id: int) -> tuple[str, list[tuple[int, str]]] | None:
        async with self.db.reading() as connection:
            found = await lone_work.unit_and_approvers(connection, unit_id)
        unit, approvers = found.unit, found.approvers
        if unit is None or not unit.active:
            return None
        return unit.name, [(p.id, person_name(p)) for p in approvers]

    async def submit(
        self,
        speaker: Speaker,
        form: LoneWorkForm,
        chosen_approver: str,
        submission_key: str | None = None,
    ) -> str | NotSent:
        """Store the request and answer at once; the requester's and the approver's cards are
        kept in the same transaction and sent after the answer (`_send_cards`). The unit is
        checked in that transaction: one closed meanwhile sends the requester back to the form.
        A summary
        sent again (its `submission_key` stored a request before, or is storing it in another
        turn right now) stores and sends nothing: the answer is that request's."""
        try:
            return await self._submit(speaker, form, chosen_approver, submission_key)
        except IntegrityError:
            sentence = await self.sent_before(speaker, submission_key) if submission_key else None
            if sentence is None:
                raise
            return sentence

    async def sent_before(self, speaker: Speaker, submission_key: str) -> str | None:
        """The answer to the request the speaker's summary card (`submission_key`) sent, if
        it sent one."""
        if speaker.person_id is None:
            return None
        async with self.db.reading() as connection:
            loaded = await lone_work.submitted(connection, submission_key, speaker.person_id)
            if loaded is None:
                return None
            return await self._sent_sentence(connection, speaker.lang, loaded_view(loaded))

    async def _sent_sentence(self, connection: HotConnection, lang: Lang, view: RequestView) -> str:
        """What the requester is told about a request just sent (or sent before)."""
        if view.approver_id is None:
            return t(lang, "lone_work.no_approver", unit=view.unit, number=view.number)
        name = view.approver or ""
        if not self.notifier.reaches_without_chat and not await conversations.personal_destination(
            connection, view.approver_id
        ):
            return t(lang, "lone_work.sent_no_chat", number=view.number, approver=name)
        return t(lang, "lone_work.sent", number=view.number, approver=name)

    async def _submit(
        self,
        speaker: Speaker,
        form: LoneWorkForm,
        chosen_approver: str,
        submission_key: str | None,
    ) -> str | NotSent:
        async with audit.audited(self.db) as connection:
            found = await lone_work.unit_and_approvers(
                connection, form.unit_id, speaker.person_id, submission_key
            )
            if found.earlier is not None:
                loaded = await lone_work.load(connection, found.earlier, speaker.person_id)
                if loaded is not None:
                    return await self._sent_sentence(connection, speaker.lang, loaded_view(loaded))
            unit, approvers = found.unit, found.approvers
            if unit is None or not unit.active:
                return NotSent("unit")
            approver: PersonLike | None = approvers[0] if approvers else None
            if len(approvers) > 1:
                approver = next((p for p in approvers if str(p.id) == chosen_approver), None)
                if approver is None:
                    return NotSent("approver")
            if speaker.person_id is None:
                return t(speaker.lang, "error.generic")
            approver_id = approver.id if approver is not None else None
            request = await lone_work.submit(
                connection,
                form,
                requester_id=speaker.person_id,
                approver_id=approver_id,
                now=self.clock(),
                submission_key=submission_key,
            )
            await org.remember_unit(connection, speaker.person_id, unit.id, self.clock())
            people: dict[int, PersonLike] = {p.id: p for p in approvers if p.id == approver_id}
            if found.asking is not None:
                people[found.asking.id] = found.asking
            people |= await rows.people(connection, people_ids(request) - people.keys())
            view = request_view(request, people, unit.name)
            if approver is not None:
                view = await with_training(connection, view)
            entity = (ENTITY, str(view.id))
            mine = Outgoing(
                speaker.person_id,
                requester_card(speaker.lang, view),
                requester_key(view.id),
                entity,
            )
            approval: Outgoing | None = None
            if approver is not None and (
                self.notifier.reaches_without_chat
                or await conversations.personal_destination(connection, approver.id)
            ):
                approval = Outgoing(
                    approver.id,
                    approval_card(person_lang(approver), view),
                    approver_key(view.id),
                    entity,
                )
            await self.notifier.keep_ahead(connection, [mine, *([approval] if approval else [])])
        self.notifier.later(
            self._send_cards(view, speaker.lang, mine, approval), name="lone_work.submitted"
        )
        if approver is None:
            return t(speaker.lang, "lone_work.no_approver", unit=view.unit, number=view.number)
        name = person_name(approver)
        if approval is None:
            return t(speaker.lang, "lone_work.sent_no_chat", number=view.number, approver=name)
        return t(speaker.lang, "lone_work.sent", number=view.number, approver=name)

    async def _send_cards(
        self, view: RequestView, lang: Lang, mine: Outgoing, approval: Outgoing | None
    ) -> None:
        """After the answer: the requester's card, then the approver's. When no approver can
        be reached (none, no chat with the bot, or Teams refuses), the unit's AMKs are told."""
        if approval is None:
            await self.notifier.send_kept([mine])
            await self._tell_unit_has_no_approver(view)
            return
        delivered = await self.notifier.send_kept([mine, approval])
        if not delivered[1]:
            await self.notifier.card_to_person(
                mine.person_id,
                notice_card(
                    t(lang, "lone_work.unreachable.title"),
                    t(
                        lang,
                        "lone_work.unreachable",
                        number=view.number,
                        approver=plain(view.approver or ""),
                    ),
                ),
                key=f"lone_work:{view.id}:unreachable",
                entity=("lone_work_notice", str(view.id)),
            )
            await self._tell_unit_has_no_approver(view)

    async def _tell_unit_has_no_approver(self, view: RequestView) -> None:
        async with self.db.reading() as connection:
            people = await org.holders(connection, view.unit_id, Role.AMK)
            for upn in sorted(self.admin_upns):
                admin = await org.find_person(connection, upn=upn)
                if admin is not None:
                    people.append(admin)
        seen: set[int] = set()
        for person in people:
            if person.id in seen:
                continue
            seen.add(person.id)
            lang = person_lang(person)
            await self.notifier.card_to_person(
                person.id,
                notice_card(
                    t(lang, "lone_work.no_approver.title"),
                    t(
                        lang,
                        "lone_work.no_approver.notice",
                        unit=plain(view.unit),
                        requester=plain(view.requester),
                        number=view.number,
                    ),
                ),
                key=f"lone_work:{view.id}:no_approver:{person.id}",
                entity=("lone_work_notice", str(view.id)),
            )

    # -- card actions --------------------------------------------------------------------------

    def verbs(self) -> list[Verb[Any]]:
        """The approval, requester and list cards' actions."""
        return [
            Verb("lone_work.approve", RequestAction, self.approve),
            Verb("lone_work.approve_conditions", RequestAction, self.approve_with_conditions),
            Verb("lone_work.reject", RequestAction, self.reject),
            Verb("lone_work.withdraw", RequestAction, self.withdraw),
            Verb("lone_work.revoke", RequestAction, self.revoke),
            Verb("lone_work.open", RequestAction, self.open),
            Verb("lone_work.refresh", RequestAction, self.open),
        ]

    async def approve(self, speaker: Speaker, action: RequestAction) -> Card:
        return await self._decide(speaker, action, Decision.APPROVE)

    async def approve_with_conditions(self, speaker: Speaker, action: RequestAction) -> Card:
        return await self._decide(speaker, action, Decision.APPROVE_WITH_CONDITIONS)

    async def reject(self, speaker: Speaker, action: RequestAction) -> Card:
        return await self._decide(speaker, action, Decision.REJECT)

    async def withdraw(self, speaker: Speaker, action: RequestAction) -> Card:
        """The requester withdraws their pending request."""
        if speaker.person_id is None:
            return self._not_allowed(speaker.lang)
        return await self._withdraw(speaker, action.request_id)

    async def revoke(self, speaker: Speaker, action: RequestAction) -> Card:
        """The approver (or the unit's leader) revokes an approval, with a reason."""
        if speaker.person_id is None:
            return self._not_allowed(speaker.lang)
        return await self._revoke(speaker, action.request_id, action.note_text())

    async def open(self, speaker: Speaker, action: RequestAction) -> Card:
        """The request's card as it is now, for the approver or the requester."""
        if speaker.person_id is None:
            return self._not_allowed(speaker.lang)
        return await self._open(speaker, action.request_id)

    @staticmethod
    def _not_allowed(lang: Lang) -> Card:
        return notice_card(t(lang, "lone_work.approval.title"), t(lang, "error.not_allowed"))

    async def _open(self, speaker: Speaker, request_id: int) -> Card:
        lang = speaker.lang
        async with self.db.reading() as connection:
            loaded = await lone_work.load(connection, request_id)
            if loaded is None:
                return notice_card(
                    t(lang, "lone_work.approval.title"), t(lang, "lone_work.refused.not_found")
                )
            request = loaded.request
            view = loaded_view(loaded)
            may_decide = speaker.person_id == request.approver_id or (
                speaker.person_id is not None
                and await lone_work_decisions.may_revoke(connection, request, speaker.person_id)
            )
            if may_decide:
                view = await with_training(connection, view)
        if may_decide:
            return approval_card(lang, view)
        if speaker.person_id == view.requester_id:
            return requester_card(lang, view)
        await self._refused(speaker, "open", request_id)
        return notice_card(t(lang, "lone_work.approval.title"), t(lang, "error.not_allowed"))

    async def _refused(self, speaker: Speaker, what: str, request_id: int | None) -> None:
        """Audit a look the speaker has no right to (the read itself wrote nothing)."""
        await audit.record_refusal(
            self.db,
            actor=speaker.actor,
            action=f"lone_work.{what}",
            entity_type=ENTITY,
            entity_id=request_id,
        )

    def _refusal(self, lang: Lang, view: RequestView, reason: str | None) -> str:
        if reason == "already" and view.decided_by and view.decided_at:
            return t(
                lang,
                "lone_work.refused.already",
                status=t(lang, view.status_key),
                name=view.decided_by,
                when=format_datetime(lang, view.decided_at),
            )
        if reason == "not_approver":
            return t(lang, "lone_work.refused.not_approver")
        if reason == "not_requester":
            return t(lang, "lone_work.refused.not_requester")
        if reason == "note_required":
            return t(lang, "lone_work.error.note_required")
        return t(lang, "lone_work.refused.closed", status=t(lang, view.status_key).lower())

    async def _decide(self, speaker: Speaker, action: RequestAction, decision: Decision) -> Card:
        lang = speaker.lang
        if speaker.person_id is None:
            return self._not_allowed(lang)
        request_id, note = action.request_id, action.note_text()
        async with audit.audited(self.db) as connection:
            outcome = await lone_work_decisions.decide(
                connection,
                request_id,
                actor_id=speaker.person_id,
                decision=decision,
                note=note,
                now=self.clock(),
            )
            found = await self._as_changed(connection, outcome, f"decision.{decision.value}")
        if found is None:
            return notice_card(
                t(lang, "lone_work.approval.title"), t(lang, "lone_work.refused.not_found")
            )
        view, people, told = found
        if not outcome.changed:
            notice = self._refusal(lang, view, outcome.refused)
            if outcome.refused == "not_approver":
                return notice_card(t(lang, "lone_work.approval.title"), notice)
            return approval_card(lang, view, notice=notice)
        return self._answered(approval_card(lang, view), view, people, told, "lone_work.decided")

    async def _withdraw(self, speaker: Speaker, request_id: int) -> Card:
        assert speaker.person_id is not None
        lang = speaker.lang
        async with audit.audited(self.db) as connection:
            outcome = await lone_work_decisions.withdraw(
                connection, request_id, actor_id=speaker.person_id, now=self.clock()
            )
            found = await self._as_changed(connection, outcome, "withdrawn")
        if found is None:
            return notice_card(
                t(lang, "lone_work.requester.title"), t(lang, "lone_work.refused.not_found")
            )
        view, people, told = found
        if not outcome.changed:
            notice = self._refusal(lang, view, outcome.refused)
            if outcome.refused == "not_requester":
                return notice_card(t(lang, "lone_work.requester.title"), notice)
            return requester_card(lang, view, notice=notice)
        return self._answered(requester_card(lang, view), view, people, told, "lone_work.withdrawn")

    async def _revoke(self, speaker: Speaker, request_id: int, reason: str | None) -> Card:
        assert speaker.person_id is not None
        lang = speaker.lang
        async with audit.audited(self.db) as connection:
            outcome = await lone_work_decisions.revoke(
                connection, request_id, actor_id=speaker.person_id, reason=reason, now=self.clock()
            )
            found = await self._as_changed(connection, outcome, "revoked")
        if found is None:
            return notice_card(
                t(lang, "lone_work.approval.title"), t(lang, "lone_work.refused.not_found")
            )
        view, people, told = found
        if not outcome.changed:
            notice = self._refusal(lang, view, outcome.refused)
            if outcome.refused == "not_approver":
                return notice_card(t(lang, "lone_work.approval.title"), notice)
            return approval_card(lang, view, notice=notice)
        # A running check-in session ends with the approval (the check-in job's next tick
        # closes it too, should this not get to run).
        self.notifier.later(
            self.checkins.close_ended(self.clock(), request_id=request_id), name="checkin.revoked"
        )
        return self._answered(approval_card(lang, view), view, people, told, "lone_work.revoked")

    async def _as_changed(
        self, connection: HotConnection, outcome: lone_work_decisions.Outcome, what: str
    ) -> tuple[RequestView, Mapping[int, PersonLike], Outgoing | None] | None:
        """The request as it now stands and the people it names (None: there is no such
        request), and the message about the change (`what`) for the person concerned, kept
        for redelivery in the change's own transaction: a crash after the answer does not
        lose it."""
        if outcome.loaded is None:
            return None
        view, people = loaded_view(outcome.loaded), outcome.loaded.people
        view = await with_training(connection, view)
        notice = change_notice(view, people, what) if outcome.changed else None
        if notice is not None:
            await self.notifier.keep_ahead(connection, [notice])
        return view, people, notice

    def _answered(
        self,
        card: Card,
        view: RequestView,
        people: Mapping[int, PersonLike],
        notice: Outgoing | None,
        name: str,
    ) -> Card:
        """Answer a change with `card`; every posted copy is updated and the person concerned
        told after the answer."""
        self.notifier.later(self._after_change(view, people, notice), name=name)
        return card

    async def _after_change(
        self, view: RequestView, people: Mapping[int, PersonLike], notice: Outgoing | None
    ) -> None:
        """Update every posted copy of the request, then tell the person concerned."""
        requester = people.get(view.requester_id)
        approver = people.get(view.approver_id) if view.approver_id else None
        await self.notifier.update_cards(
            (ENTITY, str(view.id)), card_renderer(view, requester, approver)
        )
        if notice is not None:
            await self.notifier.send_kept([notice])

    # -- lists -----------------------------------------------------------------------------------

    async def list_card(self, speaker: Speaker, which: str) -> Card:
        lang = speaker.lang
        if speaker.person_id is None:
            return notice_card(t(lang, "lone_work.mine.title"), t(lang, "error.not_allowed"))
        if which == "overview":
            return await self._overview(speaker)
        async with self.db.reading() as connection:
            if which == "pending":
                requests = await lone_work_lists.pending_for(connection, speaker.person_id)
                total = await lone_work_lists.count_pending_for(connection, speaker.person_id)
                heading, empty = "lone_work.pending.title", "lone_work.pending.empty"
            else:
                requests = await lone_work_lists.of_requester(connection, speaker.person_id)
                total = len(requests)
                heading, empty = "lone_work.mine.title", "lone_work.mine.empty"
            views, _ = await views_and_people(connection, requests)
        if not views:
            return notice_card(t(lang, heading), t(lang, empty))
        return list_card(lang, t(lang, heading), views, total=total)

    async def _overview(self, speaker: Speaker) -> Card:
        assert speaker.person_id is not None
        lang = speaker.lang
        heading = t(lang, "lone_work.summary_report.title")
        year = local_year(self.clock())
        async with self.db.reading() as connection:
            units = await lone_work_lists.overview_units(connection, speaker.person_id)
            counts = await lone_work_lists.counts_by_status(
                connection, [unit.id for unit in units], *year_bounds(year)
            )
        if not units:
            await self._refused(speaker, "overview", None)
            return notice_card(heading, t(lang, "lone_work.summary_report.none"))
        lines = [
            t(
                lang,
                "lone_work.summary_report.line",
                unit=unit.name,
                pending=counts.get(unit.id, {}).get(Status.PENDING.value, 0),
                approved=counts.get(unit.id, {}).get(Status.APPROVED.value, 0),
                rejected=counts.get(unit.id, {}).get(Status.REJECTED.value, 0),
                year=year,
            )
            for unit in units
        ]
        lines.append(t(lang, "lone_work.summary_report.export", year=year))
        card = notice_card(heading, "\n\n".join(lines))
        if len(units) == 1:
            return with_export(card, lang, ExportKind.LONE_WORK, unit_id=units[0].id, year=year)
        return with_export(card, lang, None)
