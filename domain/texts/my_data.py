"""Texts of a person's own data ("mine data"): (Danish, English) per key."""

from typing import Final

TEXTS: Final[dict[str, tuple[str, str]]] = {
    "my_data.title": ("Det har AMK-bot gemt om dig", "What AMK-bot holds about you"),
    "my_data.intro": (
        "Her er det, botten har gemt om dig, og hvor det står. Anonyme "
        "nærved-indberetninger er ikke med: botten ved ikke, hvem der har sendt dem.",
        "This is what the bot holds about you, and where. Near-miss reports sent anonymously "
        "are not included: the bot does not know who sent them.",
    ),
    "my_data.unknown": (
        "Botten har ikke gemt noget om dig.",
        "The bot holds nothing about you.",
    ),
    "my_data.fact.name": ("Navn", "Name"),
    "my_data.fact.email": ("E-mail", "E-mail"),
    "my_data.fact.language": ("Valgt sprog", "Language chosen"),
    "my_data.fact.since": ("Kendt siden", "Known since"),
    "my_data.fact.roles": ("Roller", "Roles"),
    "my_data.roles.none": ("ingen", "none"),
    "my_data.role_in": ("{role} i {unit}", "{role} in {unit}"),
    "my_data.language.da": ("dansk", "Danish"),
    "my_data.language.en": ("engelsk", "English"),
    "my_data.register.lone_work": ("Dine anmodninger om alenearbejde", "Your lone-work requests"),
    "my_data.register.checkins": (
        "Dine tjek-ind under alenearbejde",
        "Your check-ins during lone work",
    ),
    "my_data.register.near_miss": (
        "Nærved-hændelser, du har meldt med navn",
        "Near misses you reported with your name",
    ),
    "my_data.register.wellbeing_items": (
        "Punkter i handlingsplaner, du er ansvarlig for",
        "Action-plan items you are responsible for",
    ),
    "my_data.register.work_accidents": (
        "Arbejdsulykker, hvor du kom til skade eller meldte",
        "Work accidents where you were hurt or reported",
    ),
    "my_data.register.precursors": (
        "Prækursorregistreringer, du har lavet",
        "Precursor registrations you made",
    ),
    "my_data.register.count": ("{title} ({count})", "{title} ({count})"),
    "my_data.register.more": ("… og {count} mere", "… and {count} more"),
    "my_data.part.injured": ("du kom til skade", "you were hurt"),
    "my_data.part.reporter": ("du meldte den", "you reported it"),
    "my_data.checkin.active": ("i gang", "running"),
    "my_data.checkin.alarm": ("alarm", "alarm"),
    "my_data.checkin.handled": ("alarm taget hånd om", "alarm handled"),
    "my_data.checkin.finished": ("afsluttet", "finished"),
    "my_data.precursors.substances": ("stoffer registreret", "substances registered"),
    "my_data.precursors.none": ("ingen stoffer", "no substances"),
    "my_data.precursors.missing": ("mangler", "missing"),
    "my_data.audit": (
        "Revisionssporet: {actor} hændelser om noget, du har gjort, og {about} om dig selv "
        "(roller, sprog, opslag som dette).",
        "Audit trail: {actor} events of things you did and {about} about you (roles, "
        "language, look-ups like this one).",
    ),
    "my_data.rights": (
        "Vil du have rettet eller slettet noget, så skriv til administratoren af AMK-bot. "
        "Oplysninger, som loven kræver gemt (fx arbejdsulykker og godkendelser af "
        "alenearbejde), bevares, men dit navn erstattes.",
        "To have something corrected or erased, write to the administrator of AMK-bot. "
        "Records the law requires (such as work accidents and lone-work approvals) are kept, "
        "but your name is replaced.",
    ),
    "my_data.button.all": ("Vis det hele", "Show everything"),
    "my_data.button.file": ("Hent som Excel-fil", "Get as an Excel file"),
    "my_data.export.sheet.about": ("Om dig", "About you"),
    "my_data.export.sheet.lone_work": ("Alenearbejde", "Lone work"),
    "my_data.export.sheet.checkins": ("Tjek-ind", "Check-ins"),
    "my_data.export.sheet.near_miss": ("Nærved-hændelser", "Near misses"),
    "my_data.export.sheet.wellbeing_items": ("Handlingsplan", "Action plan"),
    "my_data.export.sheet.work_accidents": ("Arbejdsulykker", "Work accidents"),
    "my_data.export.sheet.precursors": ("Prækursorer", "Precursors"),
    "my_data.export.col.what": ("Hvad", "What"),
    "my_data.export.col.value": ("Hvad vi har gemt", "What is held"),
    "my_data.export.col.reference": ("Nummer", "Number"),
    "my_data.export.col.at": ("Tidspunkt", "When"),
    "my_data.export.col.unit": ("Enhed", "Unit"),
    "my_data.export.col.status": ("Status", "Status"),
    "my_data.export.col.part": ("Din rolle", "Your part"),
    "my_data.export.audit": ("Revisionsspor", "Audit trail"),
}
