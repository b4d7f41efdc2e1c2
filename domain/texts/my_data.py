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
    "my_data.register.training": (
        "Instruktion og oplæring, du har fået",
        "Instruction and training you were given",
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
    "my_data.export.sheet.training": ("Instruktion og oplæring", "Training"),
    "my_data.export.col.what": ("Hvad", "What"),
    "my_data.export.col.value": ("Hvad vi har gemt", "What is held"),
    "my_data.export.col.reference": ("Nummer", "Number"),
    "my_data.export.col.at": ("Tidspunkt", "When"),
    "my_data.export.col.unit": ("Enhed", "Unit"),
    "my_data.export.col.status": ("Status", "Status"),
    "my_data.export.col.part": ("Din rolle", "Your part"),
    "my_data.export.audit": ("Revisionsspor", "Audit trail"),
    "erase.open": ("Slet/pseudonymisér en person", "Erase a person"),
    "erase.title": ("Slet/pseudonymisér en person", "Erase a person"),
    "erase.intro": (
        "Når en person beder om at blive slettet, erstattes navn, e-mail og id'er af et "
        "pseudonym (»Slettet person 7«) i alle registre. Registreringer, som loven kræver "
        "(ulykker, godkendt alenearbejde, prækursorer, handlingsplaner), beholder indholdet "
        "uden personen. Du ser, hvad der ændres, før noget sker.",
        "When a person asks to be erased, their name, e-mail address and ids are replaced by "
        "a pseudonym (“Slettet person 7”) in every register. Records the law requires "
        "(accidents, lone-work approvals, precursors, action plans) keep their content "
        "without the person. You see what will change before anything happens.",
    ),
    "erase.person": ("Personens e-mailadresse", "The person's e-mail address"),
    "erase.person.picker": ("Person", "Person"),
    "erase.person.error": (
        "Skriv personens e-mailadresse, fx navn@uni.dk.",
        "Type the person's e-mail address, e.g. name@uni.dk.",
    ),
    "erase.unknown": (
        "AMK-bot kender ingen med den e-mailadresse (eller personen er allerede slettet).",
        "AMK-bot knows no one with that e-mail address (or the person was erased already).",
    ),
    "erase.preview": ("Vis hvad der ændres", "Show what will change"),
    "erase.preview.title": ("Det sker, hvis du sletter", "This is what erasing does"),
    "erase.preview.who": (
        "**{person}** bliver til »{pseudonym}« overalt.",
        "**{person}** becomes “{pseudonym}” everywhere.",
    ),
    "erase.preview.nothing_yet": ("Der er ikke ændret noget endnu.", "Nothing has changed yet."),
    "erase.done.who": (
        "**{person}** er nu »{pseudonym}« overalt.",
        "**{person}** is now “{pseudonym}” everywhere.",
    ),
    "erase.done.audit": (
        "Sletningen er skrevet i revisionssporet (uden personens navn).",
        "The erasure is in the audit trail (without the person's name).",
    ),
    "erase.roles": (
        "Roller, der fjernes: {roles} · chats, der glemmes: {chats}",
        "Roles removed: {roles} · chats forgotten: {chats}",
    ),
    "erase.records": (
        "Registreringer, der beholder indholdet og peger på pseudonymet: {tables}",
        "Records that keep their content and point at the pseudonym: {tables}",
    ),
    "erase.texts": (
        "Tekster, hvor navnet eller e-mailen erstattes af pseudonymet: {tables}",
        "Texts in which the name or e-mail is replaced by the pseudonym: {tables}",
    ),
    "erase.none": ("ingen", "none"),
    "erase.audit_events": (
        "Hændelser i revisionssporet, der tømmes for detaljer om personen: {count}",
        "Audit events emptied of details about the person: {count}",
    ),
    "erase.open_items": (
        "{count} åbne opgaver eller anmodninger venter på personen. Giv dem videre til en "
        "anden, før du sletter.",
        "{count} open tasks or requests wait for this person. Hand them over to someone else "
        "before you erase.",
    ),
    "erase.confirm": ("Slet/pseudonymisér personen", "Erase the person"),
    "erase.back": ("Fortryd", "Go back"),
    "erase.not_allowed": (
        "Kun en administrator kan slette en person.",
        "Only an administrator can erase a person.",
    ),
    "erase.table.amo_composition": ("AMO's sammensætning", "AMO composition"),
    "erase.table.amo_member": ("AMO-medlemmer", "AMO members"),
    "erase.table.checkin_event": ("tjek-ind-hændelser", "check-in events"),
    "erase.table.checkin_session": ("tjek-ind-forløb", "check-in sessions"),
    "erase.table.conversation_ref": ("chats", "chats"),
    "erase.table.dialog_state": ("igangværende samtaler", "conversations in progress"),
    "erase.table.digest_subscription": ("ugeoversigter", "digest subscriptions"),
    "erase.table.duty_record": ("dokumentationskrav", "documentation duties"),
    "erase.table.job_run": ("planlagte kørsler", "scheduled runs"),
    "erase.table.lone_work_request": ("alenearbejde", "lone work"),
    "erase.table.near_miss_action": ("tiltag efter nærved-hændelser", "near-miss actions"),
    "erase.table.near_miss_photo": ("fotos til nærved-hændelser", "near-miss photos"),
    "erase.table.near_miss_report": ("nærved-hændelser", "near misses"),
    "erase.table.person_directory_unit": ("enhed fra Entra ID", "unit from Entra ID"),
    "erase.table.posted_activity": ("sendte kort", "cards sent"),
    "erase.table.precursor_catalogue": ("prækursorkataloget", "the precursor catalogue"),
    "erase.table.precursor_entry": ("prækursorposteringer", "precursor entries"),
    "erase.table.precursor_holding": ("prækursorbeholdninger", "precursor holdings"),
    "erase.table.precursor_registration": (
        "prækursorregistreringer",
        "precursor registrations",
    ),
    "erase.table.precursor_substance": ("prækursorstoffer", "precursor substances"),
    "erase.table.safety_moment": ("sikkerhedsøjeblikke", "safety moments"),
    "erase.table.screening": ("screeninger", "screenings"),
    "erase.table.screening_request": ("søsterscreeninger", "sister screenings"),
    "erase.table.team": ("teams", "teams"),
    "erase.table.training_record": ("instruktion og oplæring", "instruction and training"),
    "erase.table.unit": ("enheder", "units"),
    "erase.table.wellbeing_action_item": ("handlingsplanpunkter", "action-plan items"),
    "erase.table.wellbeing_annual_discussion": (
        "arbejdsmiljødrøftelser",
        "annual discussions",
    ),
    "erase.table.wellbeing_dialogue": ("trivselsdialoger", "well-being dialogues"),
    "erase.table.work_accident": ("arbejdsulykker", "work accidents"),
    "erase.table.work_accident_action": ("tiltag efter arbejdsulykker", "work-accident actions"),
    "erase.table.other": ("andre registreringer", "other records"),
}
