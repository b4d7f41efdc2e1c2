"""Lone-work services on the database and the notifier (`dialogs.lone_work.LoneWorkServices`)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from typing import Any, Protocol

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from cards.common import Card, notice_card, plain
from cards.lone_work import approval_card, list_card, requester_card
from domain.actor import Speaker
from domain.i18n import Lang, format_datetime, preferred_lang, t
from domain.ids import CardId
from domain.lone_work import (
    Decision,
    Hazard,
    LoneWorkForm,
    Mitigation,
    NotSent,
    RequestView,
    Schedule,
    Status,
)
from domain.numbering import local_year, year_bounds
from domain.org import Role, UnitRef
from services.actions import CardData, InputText, Verb
from services.ports import Notifier, Outgoing
from storage import audit, conversations, lone_work, lone_work_lists, org
from storage.db import Database, HotConnection
from storage.lone_work import ENTITY, RequestRow
from storage.lone_work_models import LoneWorkRequest
from storage.models import Unit, utcnow


class RequestAction(CardData):
    """The approval and requester cards' data: the request, and the note typed on the card."""

    request_id: CardId
    note: InputText = ""

    def note_text(self) -> str | None:
        return self.note.strip() or None


class PersonLike(org.Describable, Protocol):
    """A person as cards and messages need them: a `Person` or a `storage.lone_work.PersonRow`."""

    @property
    def teams_user_id(self) -> str | None: ...
    @property
    def locale(self) -> str | None: ...
    @property
    def language_override(self) -> str | None: ...


def person_lang(person: PersonLike) -> Lang:
    return preferred_lang(person.language_override, person.locale)


def _name(person: PersonLike | None) -> str:
    return "" if person is None else org.describe_person(person)


AnyRequest = LoneWorkRequest | RequestRow


def _people_ids(request: AnyRequest) -> set[int]:
    return {
        person_id
        for person_id in (
            request.requester_id,
            request.approver_id,
            request.decided_by_id,
            request.closed_by_id,
        )
        if person_id is not None
    }


async def views_and_people(
    session: AsyncSession, requests: Sequence[AnyRequest]
) -> tuple[list[RequestView], dict[int, PersonLike]]:
    """The requests as cards show them, and the people named on them: one query for the
    people and one for the units."""
    wanted = set().union(*(_people_ids(request) for request in requests))
    people: dict[int, PersonLike] = dict(await lone_work_lists.people_by_id(session, wanted))
    units: dict[int, Unit] = await lone_work_lists.units_by_id(
        session, {request.unit_id for request in requests}
    )
    views = [_view(request, people, _unit_name(units.get(request.unit_id))) for request in requests]
    return views, people


def _unit_name(unit: Unit | None) -> str | None:
    return None if unit is None else unit.name


async def view_and_people(
    session: AsyncSession, request: AnyRequest
) -> tuple[RequestView, dict[int, PersonLike]]:
    """One request as cards show it, and the people named on it."""
    views, people = await views_and_people(session, [request])
    return views[0], people


def loaded_view(loaded: lone_work.Loaded) -> RequestView:
    """A request read with `storage.lone_work.load`, as cards show it."""
    return _view(loaded.request, loaded.people, loaded.unit_name)


def _view(
    request: AnyRequest, people: Mapping[int, PersonLike], unit_name: str | None
) -> RequestView:
    approver = people.get(request.approver_id) if request.approver_id else None
    # Stored values already have the view's types: no validation needed.
    return RequestView.model_construct(
        id=request.id,
        number=request.number,
        requester=_name(people.get(request.requester_id)),
        requester_id=request.requester_id,
        unit=unit_name or "",
        unit_id=request.unit_id,
        task=request.task,
        campus=request.campus,
        building=request.building,
        room=request.room,
        schedule=Schedule(request.schedule),
        starts_at=request.starts_at,
        expires_at=request.expires_at,
        weekdays=(request.weekdays or "").split(",") if request.weekdays else [],
        window_start=request.window_start,
        window_end=request.window_end,
        valid_from=request.valid_from,
        valid_to=request.valid_to,
        hazards=[Hazard(value) for value in request.hazards],
        hazard_other=request.hazard_other,
        mitigations=[Mitigation(value) for value in request.mitigations],
        checkin_person=request.checkin_person,
        checkin_interval=request.checkin_interval_minutes,
        mitigation_other=request.mitigation_other,
        emergency_name=request.emergency_name,
        emergency_phone=request.emergency_phone,
        trained=request.trained,
        adult=request.adult,
        risky=request.risky,
        status=Status(request.status),
        approver=_name(approver) or None,
        approver_id=request.approver_id,
        approver_teams_id=approver.teams_user_id if approver else None,
        conditions=request.conditions,
        decision_note=request.decision_note,
        decided_by=_name(people.get(request.decided_by_id)) if request.decided_by_id else None,
        decided_at=request.decided_at,
        close_reason=request.close_reason,
        closed_by=_name(people.get(request.closed_by_id)) if request.closed_by_id else None,
        closed_at=request.closed_at,
        created_at=request.created_at,
    )


def card_renderer(
    view: RequestView, requester: PersonLike | None, approver: PersonLike | None
) -> Callable[[str], Card | None]:
    """The new card for each posted copy of a request, in its reader's language: the copy a
    card action just answered is the card it answered with (the same view built again)."""

    def render(key: str) -> Card | None:
        if key == requester_key(view.id) and requester is not None:
            return requester_card(person_lang(requester), view)
        if key == approver_key(view.id) and approver is not None:
            return approval_card(person_lang(approver), view)
        return None

    return render


def approver_key(request_id: int) -> str:
    return f"lone_work:{request_id}:approver"


def requester_key(request_id: int) -> str:
    return f"lone_work:{request_id}:requester"


def change_notice(
    view: RequestView, people: Mapping[int, PersonLike], what: str
) -> Outgoing | None:
    """The message about a change: a withdrawal to the approver, a decision or a revocation
    to the requester (None: that person is not known)."""
    requester = people.get(view.requester_id)
    approver = people.get(view.approver_id) if view.approver_id else None
    if what == "withdrawn":
        if approver is None:
            return None
        lang = person_lang(approver)
        text = t(
            lang, "lone_work.withdrawn.message", requester=plain(view.requester), number=view.number
        )
        card = notice_card(t(lang, "lone_work.approval.title"), text)
        told = approver
    else:
        if requester is None:
            return None
        lang = person_lang(requester)
        if what == "revoked":
            text = t(
                lang,
                "lone_work.revoked.message",
                number=view.number,
                name=plain(view.closed_by or ""),
                note=plain(view.close_reason or ""),
            )
        else:
            outcome = "approved_conditions" if view.conditions else view.status.value
            text = t(
                lang,
                f"lone_work.decision.message.{outcome}",
                number=view.number,
                name=plain(view.decided_by or ""),
                note=plain(view.conditions or view.decision_note or ""),
            )
        card = notice_card(t(lang, "lone_work.requester.title"), text)
        told = requester
    return Outgoing(
        told.id, card, f"lone_work:{view.id}:{what}", ("lone_work_notice", str(view.id))
    )


class DatabaseLoneWorkServices:
    """The lone-work flow's actions: one transaction each, messages to others afterwards."""

    def __init__(
        self,
        db: Database,
        notifier: Notifier,
        *,
        admin_upns: frozenset[str],
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        self.db = db
        self.notifier = notifier
        self.admin_upns = admin_upns
        self.clock = clock

    async def form_choices(
        self, speaker: Speaker, *, home: bool
    ) -> tuple[list[UnitRef], int | None]:
        async with self.db.reading() as connection:
            units = await org.unit_choices(connection)
            if not home or speaker.person_id is None:
                return units, None
            homes = await org.home_unit_ids(connection, speaker.person_id)
        return units, homes.pop() if len(homes) == 1 else None

    async def summary_choices(self, unit_id: int) -> tuple[str, list[tuple[int, str]]] | None:
        async with self.db.reading() as connection:
            found = await lone_work.unit_and_approvers(connection, unit_id)
        unit, approvers = found.unit, found.approvers
        if unit is None or not unit.active:
            return None
        return unit.name, [(p.id, _name(p)) for p in approvers]

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
        if not await conversations.personal_destination(connection, view.approver_id):
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
            people: dict[int, PersonLike] = {p.id: p for p in approvers if p.id == approver_id}
            if found.asking is not None:
                people[found.asking.id] = found.asking
            people |= await lone_work.people_named(connection, _people_ids(request) - people.keys())
            view = _view(request, people, unit.name)
            entity = (ENTITY, str(view.id))
            mine = Outgoing(
                speaker.person_id,
                requester_card(speaker.lang, view),
                requester_key(view.id),
                entity,
            )
            approval: Outgoing | None = None
            if approver is not None and await conversations.personal_destination(
                connection, approver.id
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
        name = _name(approver)
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
        async with self.db.sessions() as session:
            people = await org.holders(session, view.unit_id, Role.AMK)
            for upn in sorted(self.admin_upns):
                admin = await org.find_person(session, upn=upn)
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
                and await lone_work.may_revoke(connection, request, speaker.person_id)
            )
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
            outcome = await lone_work.decide(
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
            outcome = await lone_work.withdraw(
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
            outcome = await lone_work.revoke(
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
        return self._answered(approval_card(lang, view), view, people, told, "lone_work.revoked")

    async def _as_changed(
        self, connection: HotConnection, outcome: lone_work.Outcome, what: str
    ) -> tuple[RequestView, Mapping[int, PersonLike], Outgoing | None] | None:
        """The request as it now stands and the people it names (None: there is no such
        request), and the message about the change (`what`) for the person concerned, kept
        for redelivery in the change's own transaction: a crash after the answer does not
        lose it."""
        if outcome.loaded is None:
            return None
        view, people = loaded_view(outcome.loaded), outcome.loaded.people
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
        async with self.db.sessions() as session:
            if which == "pending":
                requests = await lone_work_lists.pending_for(session, speaker.person_id)
                total = await lone_work_lists.count_pending_for(session, speaker.person_id)
                heading, empty = "lone_work.pending.title", "lone_work.pending.empty"
            else:
                requests = await lone_work_lists.of_requester(session, speaker.person_id)
                total = len(requests)
                heading, empty = "lone_work.mine.title", "lone_work.mine.empty"
            views, _ = await views_and_people(session, requests)
        if not views:
            return notice_card(t(lang, heading), t(lang, empty))
        return list_card(lang, t(lang, heading), views, total=total)

    async def _overview(self, speaker: Speaker) -> Card:
        assert speaker.person_id is not None
        lang = speaker.lang
        heading = t(lang, "lone_work.summary_report.title")
        year = local_year(self.clock())
        async with self.db.sessions() as session:
            units = await lone_work_lists.overview_units(session, speaker.person_id)
            counts = (
                await lone_work_lists.counts_by_status(
                    session, [unit.id for unit in units], *year_bounds(year)
                )
                if units
                else {}
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
        return notice_card(heading, "\n\n".join(lines))
