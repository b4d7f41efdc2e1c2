"""Lone-work requests as cards and messages show them: views, people, cards and notices."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Protocol

from cards.common import Card, notice_card, plain
from cards.lone_work import approval_card, requester_card
from domain.i18n import Lang, preferred_lang, t
from domain.lone_work import Affiliation, Hazard, Mitigation, RequestView, Schedule, Status
from domain.training import check_lone_work
from services.ports import Outgoing
from storage import lone_work, lone_work_lists, org, rows, training
from storage.db import HotConnection
from storage.lone_work import RequestRow


class PersonLike(org.Describable, Protocol):
    """A person as cards and messages need them: a `storage.rows.PersonRow`."""

    @property
    def teams_user_id(self) -> str | None: ...
    @property
    def locale(self) -> str | None: ...
    @property
    def language_override(self) -> str | None: ...


def person_lang(person: PersonLike) -> Lang:
    return preferred_lang(person.language_override, person.locale)


def person_name(person: PersonLike | None) -> str:
    """The person's name as cards show it, or an empty string for nobody."""
    return "" if person is None else org.describe_person(person)


def people_ids(request: RequestRow) -> set[int]:
    """The ids of the people named on a request (requester, approver, decider, closer)."""
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
    connection: HotConnection, requests: Sequence[RequestRow]
) -> tuple[list[RequestView], dict[int, PersonLike]]:
    """The requests as cards show them, and the people named on them: one query for the
    people and one for the units."""
    wanted = set().union(*(people_ids(request) for request in requests))
    people: dict[int, PersonLike] = dict(await rows.people(connection, wanted))
    units = await lone_work_lists.unit_names(connection, {request.unit_id for request in requests})
    views = [request_view(request, people, units.get(request.unit_id)) for request in requests]
    return views, people


def loaded_view(loaded: lone_work.Loaded) -> RequestView:
    """A request read with `storage.lone_work.load`, as cards show it."""
    return request_view(loaded.request, loaded.people, loaded.unit_name)


def request_view(
    request: RequestRow, people: Mapping[int, PersonLike], unit_name: str | None
) -> RequestView:
    """A request as cards show it, from the people named on it and its unit's name."""
    approver = people.get(request.approver_id) if request.approver_id else None
    # Stored values already have the view's types: no validation needed.
    return RequestView.model_construct(
        id=request.id,
        number=request.number,
        requester=person_name(people.get(request.requester_id)),
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
        emergency_colleague=request.emergency_aad_object_id is not None,
        trained=request.trained,
        adult=request.adult,
        affiliation=Affiliation(request.affiliation) if request.affiliation else None,
        risky=request.risky,
        status=Status(request.status),
        approver=person_name(approver) or None,
        approver_id=request.approver_id,
        approver_teams_id=approver.teams_user_id if approver else None,
        conditions=request.conditions,
        decision_note=request.decision_note,
        decided_by=person_name(people.get(request.decided_by_id))
        if request.decided_by_id
        else None,
        decided_at=request.decided_at,
        close_reason=request.close_reason,
        closed_by=person_name(people.get(request.closed_by_id)) if request.closed_by_id else None,
        closed_at=request.closed_at,
        created_at=request.created_at,
    )


async def with_training(connection: HotConnection, view: RequestView) -> RequestView:
    """The view with the requester's training check for the approver's card: the newest of
    their records in the request's unit that covers the task (`domain.training`)."""
    records = await training.of_person_in_unit(connection, view.requester_id, view.unit_id)
    return view.model_copy(update={"training": check_lone_work(records, view.task)})


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
