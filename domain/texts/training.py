"""Texts of instruction and training (§ 18) in the documentation overview: (Danish, English)."""

from typing import Final

TEXTS: Final[dict[str, tuple[str, str]]] = {
    "training.block.title": (
        "Instruktion og oplæring (§ 18)",
        "Instruction and training (§ 18)",
    ),
    "training.block.counts": (
        "Registreringer i enheden: {records} · personer: {people}",
        "Records in the unit: {records} · people: {people}",
    ),
    "training.block.private": (
        "Registreringerne er personlige: kun personen selv og enhedens leder og AMK kan se dem.",
        "The records are personal: only the person and the unit's leader and AMK can see them.",
    ),
    "training.button.unit": ("Enhedens oplæring", "The unit's training"),
    "training.button.mine": ("Min instruktion og oplæring", "My instruction and training"),
    "training.button.record": ("Registrér oplæring", "Record training"),
    "training.button.show": ("Vis", "Show"),
    "training.button.save": ("Gem", "Save"),
    "training.button.back": ("Tilbage", "Back"),
    "training.button.overview": ("Til oversigten", "To the overview"),
    "training.mine.title": ("Min instruktion og oplæring", "My instruction and training"),
    "training.mine.none": (
        "Der er ikke registreret instruktion eller oplæring for dig i AMK-bot.",
        "No instruction or training is recorded for you in AMK-bot.",
    ),
    "training.unit.title": ("Instruktion og oplæring: {unit}", "Instruction and training: {unit}"),
    "training.unit.none": (
        "Der er ikke registreret instruktion eller oplæring her.",
        "No instruction or training is recorded here.",
    ),
    "training.unit.more": (
        "Viser de {shown} nyeste af {total}. Skriv en e-mailadresse for at se én person.",
        "Showing the newest {shown} of {total}. Type an e-mail address to see one person.",
    ),
    "training.unit.filter": ("Kun for personen (e-mail, valgfrit)", "Only for (e-mail, optional)"),
    "training.unit.filter.error": ("Skriv en e-mailadresse.", "Type an e-mail address."),
    "training.unit.unknown_person": (
        "AMK-bot kender ingen med den e-mailadresse.",
        "AMK-bot knows no one with that e-mail address.",
    ),
    "training.line": (
        "{kind}, {day} – givet af {by}",
        "{kind}, {day} – given by {by}",
    ),
    "training.line.unit": ("Enhed: {unit}", "Unit: {unit}"),
    "training.line.lone_work": ("Omfatter alenearbejde", "Covers lone work"),
    "training.open_proof": ("Åbn beviset", "Open the proof"),
    "training.kind.instruction": ("Instruktion", "Instruction"),
    "training.kind.training": ("Oplæring", "Training"),
    "training.kind.course": ("Kursus", "Course"),
    "training.kind.e_learning": ("E-læring", "E-learning"),
    "training.record.title": (
        "Registrér instruktion eller oplæring",
        "Record instruction or training",
    ),
    "training.record.unit": ("Enhed: {unit}", "Unit: {unit}"),
    "training.field.person": ("Personens e-mailadresse", "The person's e-mail address"),
    "training.field.person.error": (
        "Skriv personens e-mailadresse.",
        "Type the person's e-mail address.",
    ),
    "training.field.activity": ("Aktivitet eller arbejdsopgave", "Activity or task"),
    "training.field.activity.placeholder": (
        "Fx alenearbejde i NMR-laboratoriet",
        "E.g. lone work in the NMR lab",
    ),
    "training.field.activity.error": (
        "Skriv, hvad instruktionen eller oplæringen handlede om.",
        "Say what the instruction or training covered.",
    ),
    "training.field.kind": ("Hvad blev givet", "What was given"),
    "training.field.kind.error": ("Vælg hvad der blev givet.", "Choose what was given."),
    "training.field.given_on": ("Dato", "Date"),
    "training.field.given_on.error": ("Vælg en dato.", "Pick a date."),
    "training.field.given_by": (
        "Givet af (navn eller kursusudbyder)",
        "Given by (name or provider)",
    ),
    "training.field.given_by.error": (
        "Skriv, hvem der gav instruktionen eller oplæringen.",
        "Say who gave the instruction or training.",
    ),
    "training.field.proof": (
        "Link til beviset (https, valgfrit: procedure, kursusbevis)",
        "Link to the proof (https, optional: procedure, certificate)",
    ),
    "training.field.proof.placeholder": ("https://…", "https://…"),
    "training.field.lone_work": (
        "Omfatter alenearbejde (tæller, når en anmodning om alenearbejde godkendes)",
        "Covers lone work (counts when a lone-work request is approved)",
    ),
    "training.error.future": (
        "Datoen kan ikke ligge i fremtiden.",
        "The date cannot be in the future.",
    ),
    "training.error.proof": (
        "Linket skal begynde med https://.",
        "The link must start with https://.",
    ),
    "training.error.too_long": ("Teksten er for lang.", "The text is too long."),
    "training.saved": (
        "Gemt: {activity} for {person}, {day}.",
        "Saved: {activity} for {person}, {day}.",
    ),
    "training.not_allowed": (
        "Kun personen selv og enhedens leder og AMK kan se instruktion og oplæring, og kun "
        "enhedens leder og AMK kan registrere den.",
        "Only the person and the unit's leader and AMK can see instruction and training, "
        "and only the unit's leader and AMK can record it.",
    ),
    "training.unknown": (
        "Den enhed findes ikke (længere).",
        "That unit no longer exists.",
    ),
    "training.lone_work.match": (
        "**Instruktion og oplæring i AMK-bot:** {activity} ({kind}, {day}, givet af {by}).",
        "**Instruction and training in AMK-bot:** {activity} ({kind}, {day}, given by {by}).",
    ),
    "training.lone_work.none": (
        "**Instruktion og oplæring i AMK-bot:** ingen registrering for {requester} i {unit}, "
        "der dækker opgaven. Tjek oplæringen, før du godkender.",
        "**Instruction and training in AMK-bot:** nothing recorded for {requester} in {unit} "
        "that covers the task. Check the training before you approve.",
    ),
    "training.import.unit": (
        "ingen aktiv enhed hedder »{value}«",
        "no active unit is called “{value}”",
    ),
    "training.import.person": (
        "e-mailadressen mangler eller er ugyldig",
        "the e-mail address is missing or invalid",
    ),
    "training.import.activity": (
        "kurset mangler (3–200 tegn)",
        "the course is missing (3–200 characters)",
    ),
    "training.import.given_on": (
        "datoen mangler, er ugyldig eller ligger i fremtiden",
        "the date is missing, invalid or in the future",
    ),
    "training.import.given_by": (
        "udbyderen er for kort eller for lang (2–150 tegn)",
        "the provider is too short or too long (2–150 characters)",
    ),
    "training.import.proof": (
        "linket skal begynde med https://",
        "the link must start with https://",
    ),
    "training.import.kind": ("typen er ukendt", "the kind is unknown"),
    "training.import.lone_work": ("skriv ja eller nej", "write yes or no"),
    "training.import.row": ("Række {row}: {problem}", "Row {row}: {problem}"),
    "training.import.file": (
        "{file} kan ikke læses som et Excel-ark: {error}",
        "{file} cannot be read as an Excel workbook: {error}",
    ),
    "training.import.header": (
        "Første række skal være overskrifterne {expected}; fandt {found}.",
        "The first row must be the headings {expected}; found {found}.",
    ),
    "training.import.empty": (
        "Arket har ingen rækker under overskrifterne.",
        "The sheet has no rows below the headings.",
    ),
    "training.import.nothing_written": (
        "{count} fejl: intet er gemt. Ret arket, og prøv igen.",
        "{count} problems: nothing was saved. Correct the sheet and try again.",
    ),
    "training.import.checked": (
        "Alle {records} rækker er i orden (kun kontrolleret, intet er gemt).",
        "All {records} rows are correct (checked only, nothing was saved).",
    ),
    "training.import.written": (
        "{records} gennemførte kurser er gemt.",
        "{records} completions were saved.",
    ),
}
