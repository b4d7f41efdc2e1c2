"""The unit's lone-work register as an Excel workbook."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from openpyxl import Workbook

from domain.i18n import COPENHAGEN, Lang, t
from domain.lone_work import Hazard, Mitigation, Status
from reports.excel import local, write_register
from storage import checkins, lone_work, org
from storage.db import Database
from storage.lone_work_models import LoneWorkRequest
from storage.models import Person, Unit

COLUMNS: tuple[tuple[str, float], ...] = (
    ("Nr.", 14),
    ("Oprettet", 17),
    ("Anmoder", 24),
    ("Anmoders e-mail", 28),
    ("Arbejde", 45),
    ("Campus", 14),
    ("Bygning", 10),
    ("Lokale", 10),
    ("Ordning", 12),
    ("Start", 17),
    ("Slut / udløb", 17),
    ("Ugedage", 22),
    ("Tidsrum", 12),
    ("Farer", 40),
    ("Risiko", 16),
    ("Tiltag", 45),
    ("Fast kontakt", 22),
    ("Interval (min.)", 10),
    ("Nødkontakt", 28),
    ("Instrueret og oplært", 10),
    ("Fyldt 18", 10),
    ("Godkender", 24),
    ("Status", 20),
    ("Vilkår", 30),
    ("Begrundelse", 30),
    ("Afgjort af", 24),
    ("Afgjort", 17),
    ("Lukket af", 24),
    ("Lukket", 17),
)


TIMELINE_COLUMNS: tuple[tuple[str, float], ...] = (
    ("Nr.", 14),
    ("Forløb", 8),
    ("Tidspunkt", 17),
    ("Hændelse", 22),
    ("Person", 24),
    ("Detaljer", 30),
)


def _person_name(person: Person | None) -> str | None:
    return (person.name or person.upn) if person else None


def _detail(detail: dict[str, object] | None) -> str | None:
    """Numbers such as the check-in round or the minutes added, never free text."""
    if not detail:
        return None
    shown = [f"{key}: {value}" for key, value in detail.items() if isinstance(value, int | float)]
    return ", ".join(shown) or None


class UnknownUnit(ValueError):
    """No unit with that name."""


def _status(request: LoneWorkRequest) -> str:
    if request.status == Status.APPROVED.value and request.conditions:
        return t(Lang.DA, "lone_work.status.approved_conditions")
    return t(Lang.DA, f"lone_work.status.{request.status}")


def _row(request: LoneWorkRequest, people: dict[int, Person]) -> list[object]:
    def name(person_id: int | None) -> str | None:
        person = people.get(person_id) if person_id is not None else None
        return (person.name or person.upn) if person else None

    requester = people.get(request.requester_id)
    hazards = [
        t(Lang.DA, f"lone_work.hazard.{value}")
        for value in request.hazards
        if value != Hazard.OTHER
    ]
    if request.hazard_other:
        hazards.append(request.hazard_other)
    mitigations = [
        t(Lang.DA, f"lone_work.mitigation.{value}")
        for value in request.mitigations
        if value != Mitigation.OTHER
    ]
    if request.mitigation_other:
        mitigations.append(request.mitigation_other)
    recurring = request.schedule == "recurring"
    return [
        request.number,
        local(request.created_at),
        name(request.requester_id),
        requester.upn if requester else None,
        request.task,
        request.campus,
        request.building,
        request.room,
        t(Lang.DA, f"lone_work.schedule.{request.schedule}"),
        request.valid_from if recurring else local(request.starts_at),
        request.valid_to if recurring else local(request.expires_at),
        ", ".join(
            t(Lang.DA, f"lone_work.weekday.{d}") for d in (request.weekdays or "").split(",") if d
        )
        or None,
        f"{request.window_start}–{request.window_end}" if recurring else None,
        ", ".join(hazards) or t(Lang.DA, "lone_work.none"),
        t(Lang.DA, "lone_work.risk.risky" if request.risky else "lone_work.risk.not_risky"),
        "; ".join(mitigations) or t(Lang.DA, "lone_work.none"),
        request.checkin_person,
        request.checkin_interval_minutes,
        f"{request.emergency_name}, {request.emergency_phone}",
        t(Lang.DA, "lone_work.yes" if request.trained else "lone_work.no"),
        t(Lang.DA, "lone_work.yes" if request.adult else "lone_work.no"),
        name(request.approver_id),
        _status(request),
        request.conditions,
        request.decision_note or request.close_reason,
        name(request.decided_by_id),
        local(request.decided_at),
        name(request.closed_by_id),
        local(request.closed_at),
    ]


async def export_register(db: Database, unit_name: str, year: int, out: Path) -> int:
    """Write the unit's requests created in `year`; returns the number of requests."""
    start = datetime(year, 1, 1, tzinfo=COPENHAGEN)
    end = datetime(year + 1, 1, 1, tzinfo=COPENHAGEN)
    async with db.sessions() as session:
        unit: Unit | None = await org.unit_by_name(session, unit_name)
        if unit is None:
            raise UnknownUnit(unit_name)
        requests = await lone_work.register(session, unit.id, start, end)
        ids = {
            person_id
            for request in requests
            for person_id in (
                request.requester_id,
                request.approver_id,
                request.decided_by_id,
                request.closed_by_id,
            )
            if person_id is not None
        }
        people = await lone_work.people_by_id(session, ids)
        events = await checkins.timelines_of_requests(session, [r.id for r in requests])
        people.update(
            await lone_work.people_by_id(
                session, {e.actor_id for _, e in events if e.actor_id is not None}
            )
        )
    numbers = {request.id: request.number for request in requests}
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=f"Alenearbejde {year}")
    count = write_register(sheet, COLUMNS, (_row(request, people) for request in requests))
    timeline = workbook.create_sheet(title="Tjek-ind")
    write_register(
        timeline,
        TIMELINE_COLUMNS,
        (
            [
                numbers[request_id],
                event.session_id,
                local(event.at),
                t(Lang.DA, f"checkins.event.{event.kind}"),
                _person_name(people.get(event.actor_id)) if event.actor_id else None,
                _detail(event.detail),
            ]
            for request_id, event in events
        ),
    )
    info = workbook.create_sheet(title="Om registret")
    info.append(["Enhed", unit.name])
    info.append(["År", year])
    info.append(["Anmodninger", count])
    info.append(["Udskrevet", local(datetime.now(UTC))])
    info.append(["Grundlag", "BEK nr. 1839 af 14/12/2023 om arbejdets udførelse, § 11"])
    workbook.save(out)
    return count
