"""The unit's lone-work register as an Excel workbook."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from openpyxl import Workbook

from domain.i18n import Lang, t
from domain.lone_work import Hazard, LoneWorkRegister, Mitigation, RequestView, Schedule
from reports.excel import local, write_register

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
    ("Anmoder er", 14),
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


def _detail(detail: dict[str, object] | None) -> str | None:
    """Numbers such as the check-in round or the minutes added, never free text."""
    if not detail:
        return None
    shown = [f"{key}: {value}" for key, value in detail.items() if isinstance(value, int | float)]
    return ", ".join(shown) or None


def _row(request: RequestView, emails: dict[int, str]) -> list[object]:
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
    recurring = request.schedule is Schedule.RECURRING
    return [
        request.number,
        local(request.created_at),
        request.requester or None,
        emails.get(request.requester_id),
        request.task,
        request.campus,
        request.building,
        request.room,
        t(Lang.DA, f"lone_work.schedule.{request.schedule.value}"),
        request.valid_from if recurring else local(request.starts_at),
        request.valid_to if recurring else local(request.expires_at),
        ", ".join(t(Lang.DA, f"lone_work.weekday.{day}") for day in request.weekdays if day)
        or None,
        f"{request.window_start}–{request.window_end}" if recurring else None,
        ", ".join(hazards) or t(Lang.DA, "lone_work.none"),
        t(Lang.DA, "lone_work.risk.risky" if request.risky else "lone_work.risk.not_risky"),
        "; ".join(mitigations) or t(Lang.DA, "lone_work.none"),
        request.checkin_person,
        request.checkin_interval,
        f"{request.emergency_name}, {request.emergency_phone}",
        t(Lang.DA, "lone_work.yes" if request.trained else "lone_work.no"),
        t(Lang.DA, "lone_work.yes" if request.adult else "lone_work.no"),
        t(Lang.DA, f"lone_work.affiliation.{request.affiliation}") if request.affiliation else None,
        request.approver,
        t(Lang.DA, request.status_key),
        request.conditions,
        request.decision_note or request.close_reason,
        request.decided_by,
        local(request.decided_at),
        request.closed_by,
        local(request.closed_at),
    ]


def write_workbook(out: Path, register: LoneWorkRegister, *, printed_at: datetime) -> int:
    """Write the register (one row per request, then the check-in timelines); returns the
    number of requests."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=f"Alenearbejde {register.year}")
    count = write_register(
        sheet, COLUMNS, (_row(request, register.emails) for request in register.requests)
    )
    timeline = workbook.create_sheet(title="Tjek-ind")
    write_register(
        timeline,
        TIMELINE_COLUMNS,
        (
            [
                event.number,
                event.session_id,
                local(event.at),
                t(Lang.DA, f"checkins.event.{event.kind}"),
                event.actor,
                _detail(event.detail),
            ]
            for event in register.events
        ),
    )
    info = workbook.create_sheet(title="Om registret")
    info.append(["Enhed", register.unit])
    info.append(["År", register.year])
    info.append(["Anmodninger", count])
    info.append(["Udskrevet", local(printed_at)])
    info.append(["Grundlag", "BEK nr. 1839 af 14/12/2023 om arbejdets udførelse, § 11"])
    workbook.save(out)
    return count
