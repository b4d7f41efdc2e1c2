"""Danish and English texts of the work-accident register and statistics workbook."""

from typing import Final

TEXTS: Final[dict[str, tuple[str, str]]] = {
    "work_accident.export.sheet.register": ("Arbejdsulykker", "Work accidents"),
    "work_accident.export.sheet.actions": ("Tiltag", "Corrective actions"),
    "work_accident.export.sheet.statistics": ("Statistik", "Statistics"),
    "work_accident.export.col.number": ("Nummer", "Number"),
    "work_accident.export.col.reported_at": ("Meldt", "Reported"),
    "work_accident.export.col.occurred_at": ("Tidspunkt for ulykken", "Time of the accident"),
    "work_accident.export.col.quarter": ("Kvartal", "Quarter"),
    "work_accident.export.col.unit": ("Enhed", "Unit"),
    "work_accident.export.col.injured_party": ("Hvem kom til skade", "Who was hurt"),
    "work_accident.export.col.injured": ("Navn", "Name"),
    "work_accident.export.col.kind": ("Skadens art", "Kind of injury"),
    "work_accident.export.col.confidential": ("Fortrolig", "Confidential"),
    "work_accident.export.col.place": ("Sted", "Place"),
    "work_accident.export.col.description": ("Hvad skete der", "What happened"),
    "work_accident.export.col.immediate_action": ("Gjort med det samme", "Done right away"),
    "work_accident.export.col.absence_from": ("Første fraværsdag", "First day of absence"),
    "work_accident.export.col.claim": ("Mulig erstatning", "Possible claim"),
    "work_accident.export.col.duty": ("Anmeldes i EASY", "Reported in EASY"),
    "work_accident.export.col.due": ("Frist i EASY", "EASY deadline"),
    "work_accident.export.col.easy_status": ("EASY-status", "EASY status"),
    "work_accident.export.col.filed_on": ("Anmeldt den", "Filed on"),
    "work_accident.export.col.days_to_filing": ("Dage til anmeldelse", "Days to filing"),
    "work_accident.export.col.on_time": ("Rettidigt", "On time"),
    "work_accident.export.col.reference": ("EASY-reference", "EASY reference"),
    "work_accident.export.col.near_miss": ("Nærved-hændelse", "Near miss"),
    "work_accident.export.col.investigation": ("Undersøgelse", "Investigation"),
    "work_accident.export.col.causes": ("Årsager", "Causes"),
    "work_accident.export.col.actions": ("Tiltag i alt", "Actions"),
    "work_accident.export.col.open_actions": ("Åbne tiltag", "Open actions"),
    "work_accident.export.col.closed_at": ("Afsluttet", "Closed"),
    "work_accident.export.col.conclusion": ("Konklusion", "Conclusion"),
    "work_accident.export.col.action": ("Tiltag", "Action"),
    "work_accident.export.col.owner": ("Ansvarlig", "Owner"),
    "work_accident.export.col.action_status": ("Status", "Status"),
    "work_accident.export.col.done_at": ("Udført", "Done"),
    "work_accident.export.duty.authority_and_insurer": (
        "Arbejdstilsynet og forsikringen/AES",
        "Arbejdstilsynet and the insurer/AES",
    ),
    "work_accident.export.duty.insurer": ("Forsikringen/AES", "The insurer/AES"),
    "work_accident.export.duty.none": ("Nej", "No"),
    "work_accident.export.duty.not_employee": (
        "Nej (ikke medarbejder)",
        "No (not an employee)",
    ),
    "work_accident.export.status.pending": ("Afventer", "Pending"),
    "work_accident.export.status.filed": ("Anmeldt", "Filed"),
    "work_accident.export.status.not_required": ("Skal ikke anmeldes", "Not to be reported"),
    "work_accident.export.status.not_applicable": ("–", "–"),
    "work_accident.export.yes": ("Ja", "Yes"),
    "work_accident.export.no": ("Nej", "No"),
    "work_accident.export.quarter": ("{quarter}. kvt. {year}", "Q{quarter} {year}"),
    # statistics
    "work_accident.export.stats.unit": ("Enhed", "Unit"),
    "work_accident.export.stats.all_units": ("Hele universitetet", "The whole university"),
    "work_accident.export.stats.accidents": ("Ulykker", "Accidents"),
    "work_accident.export.stats.quarter": ("{quarter}. kvartal", "Q{quarter}"),
    "work_accident.export.stats.physical": ("Fysiske", "Physical"),
    "work_accident.export.stats.psychological": ("Psykiske", "Psychological"),
    "work_accident.export.stats.both": ("Fysiske og psykiske", "Physical and psychological"),
    "work_accident.export.stats.with_absence": ("Med fravær", "With absence"),
    "work_accident.export.stats.without_absence": ("Uden fravær", "Without absence"),
    "work_accident.export.stats.employees": ("Medarbejdere", "Employees"),
    "work_accident.export.stats.students": ("Studerende", "Students"),
    "work_accident.export.stats.guests": ("Gæster og eksterne", "Guests and external people"),
    "work_accident.export.stats.easy_owed": ("Skal anmeldes i EASY", "To be reported in EASY"),
    "work_accident.export.stats.easy_filed": ("Anmeldt i EASY", "Filed in EASY"),
    "work_accident.export.stats.easy_on_time": ("Heraf rettidigt", "Of which on time"),
    "work_accident.export.stats.easy_overdue": (
        "Fristen overskredet, ikke anmeldt",
        "Deadline missed, not filed",
    ),
    "work_accident.export.stats.share_on_time": ("Andel rettidigt", "Share on time"),
    "work_accident.export.stats.median_days": (
        "Median dage til anmeldelse",
        "Median days to filing",
    ),
    "work_accident.export.stats.note": ("Bemærkning", "Note"),
    "work_accident.export.stats.left_out": (
        "Psykiske ulykker er udeladt: færre end 3 ulykker i året",
        "Psychological accidents left out: fewer than 3 accidents in the year",
    ),
    "work_accident.export.stats.about": (
        "Ulykker i {year} efter ulykkesdagen (dansk tid). For en enhed med færre end 3 "
        "ulykker i året er psykiske ulykker udeladt af alle tal, også universitetets. "
        "Rettidigt: anmeldt i EASY senest på fristen; andelen er af de anmeldte og dem, hvis "
        "frist er overskredet. Dage til anmeldelse regnes fra første fraværsdag (ellers "
        "ulykkesdagen).",
        "Accidents in {year} by the day they happened (Danish time). For a unit with fewer "
        "than 3 accidents in the year, psychological accidents are left out of every figure, "
        "the university's too. On time: filed in EASY by the deadline; the share is of those "
        "filed and those past their deadline. Days to filing count from the first day of "
        "absence (else the accident day).",
    ),
    "work_accident.export.stats.scope": ("Enhed: {unit}", "Unit: {unit}"),
}
