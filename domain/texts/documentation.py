"""Texts of the documentation overview (a unit's written duties): (Danish, English)."""

from typing import Final

TEXTS: Final[dict[str, tuple[str, str]]] = {
    "documentation.title": ("Dokumentation: {unit}", "Documentation: {unit}"),
    "documentation.all.title": (
        "Dokumentation i alle enheder",
        "Documentation in all units",
    ),
    "documentation.intro": (
        "Arbejdsmiljølovens skriftlige krav for enheden: hvornår hvert krav sidst blev "
        "opfyldt, hvornår det skal opfyldes igen, og dokumentationen.",
        "The Work Environment Act's written duties for the unit: when each was last met, "
        "when it is due again, and the proof.",
    ),
    "documentation.status.met": ("Opfyldt", "Met"),
    "documentation.status.due_soon": ("Snart forfalden", "Due soon"),
    "documentation.status.overdue": ("Overskredet", "Overdue"),
    "documentation.status.not_recorded": ("Ikke registreret", "Not recorded"),
    "documentation.status.review": ("Skal gennemgås", "Review needed"),
    "documentation.last_met": ("Sidst: {day}", "Last: {day}"),
    "documentation.due_on": ("Næste gang senest: {day}", "Next due by: {day}"),
    "documentation.on_change": (
        "Ajourføres ved større ændringer",
        "Updated after major changes",
    ),
    "documentation.source.wellbeing": (
        "Fra enhedens trivselsdialoger (den ældste gruppes seneste dialog).",
        "From the unit's well-being dialogues (the least recent group's latest dialogue).",
    ),
    "documentation.source.annual_discussion": (
        "Fra den årlige arbejdsmiljødrøftelse, som registreres under **trivsel**.",
        "From the annual discussion, recorded under **wellbeing**.",
    ),
    "documentation.amo.now": (
        "I AMK-bot nu: ledere {leaders}, arbejdsmiljørepræsentanter (AMR) {amr}.",
        "In AMK-bot now: leaders {leaders}, work-environment representatives (AMR) {amr}.",
    ),
    "documentation.amo.no_amr": (
        "Administratoren kan tilføje AMR under **admin**.",
        "An administrator can add representatives under **admin**.",
    ),
    "documentation.open_proof": ("Åbn dokumentationen", "Open the proof"),
    "documentation.record": ("Registrér", "Record"),
    "documentation.record_new": ("Registrér en ny", "Record a new one"),
    "documentation.record.title": ("Registrér: {duty}", "Record: {duty}"),
    "documentation.record.unit": ("Enhed: {unit}", "Unit: {unit}"),
    "documentation.field.met_on": ("Dato for opfyldelse", "Date it was met"),
    "documentation.field.met_on.error": ("Vælg en dato.", "Pick a date."),
    "documentation.field.proof": (
        "Link til dokumentationen (https, valgfrit)",
        "Link to the proof (https, optional)",
    ),
    "documentation.field.proof.placeholder": (
        "https://… (fx rapporten i SafetyNet)",
        "https://… (e.g. the report in SafetyNet)",
    ),
    "documentation.field.subject": (
        "Hvad vurderingen handler om",
        "What the assessment covers",
    ),
    "documentation.field.subject.placeholder": (
        "Fx flussyre i laboratorium 2",
        "E.g. hydrofluoric acid in lab 2",
    ),
    "documentation.save": ("Gem", "Save"),
    "documentation.back": ("Tilbage til oversigten", "Back to the overview"),
    "documentation.saved": (
        "Gemt: {duty}, {day}.",
        "Saved: {duty}, {day}.",
    ),
    "documentation.error.future": (
        "Datoen kan ikke ligge i fremtiden.",
        "The date cannot be in the future.",
    ),
    "documentation.error.subject": (
        "Skriv, hvad vurderingen handler om.",
        "Say what the assessment covers.",
    ),
    "documentation.error.proof": (
        "Linket skal begynde med https://.",
        "The link must start with https://.",
    ),
    "documentation.error.met_on": ("Vælg en gyldig dato.", "Pick a valid date."),
    "documentation.error.too_long": ("Teksten er for lang.", "The text is too long."),
    "documentation.not_allowed": (
        "Kun enhedens leder og AMK og arbejdsmiljøsekretariatet kan registrere dokumentation.",
        "Only the unit's leader and AMK and the work-environment secretariat can record "
        "documentation.",
    ),
    "documentation.unknown": (
        "Den enhed eller det krav findes ikke (længere).",
        "That unit or duty no longer exists.",
    ),
    "documentation.pick.title": ("Dokumentation", "Documentation"),
    "documentation.pick.intro": (
        "Vælg enheden, hvis dokumentation du vil se.",
        "Choose the unit whose documentation you want to see.",
    ),
    "documentation.pick.unit": ("Enhed", "Unit"),
    "documentation.pick.error": ("Vælg en enhed.", "Choose a unit."),
    "documentation.show": ("Vis", "Show"),
    "documentation.other_unit": ("Vis en anden enhed", "Show another unit"),
    "documentation.all.show": ("Alle enheder", "All units"),
    "documentation.all.unit": ("Enhed", "Unit"),
    "documentation.all.worst": ("Mest presserende", "Most urgent"),
    "documentation.all.counts": (
        "{overdue} overskredet · {not_recorded} ikke registreret · {due_soon} snart",
        "{overdue} overdue · {not_recorded} not recorded · {due_soon} due soon",
    ),
    "documentation.all.none": ("Ingen aktive enheder.", "No active units."),
    "documentation.all.shown": (
        "Viser {first}–{last} af {total}",
        "Showing {first}–{last} of {total}",
    ),
    "documentation.all.previous": ("Forrige", "Previous"),
    "documentation.all.next": ("Næste", "Next"),
    "documentation.all.intro": (
        "Alle enheder og de skriftlige krav, de mest presserende øverst. Tryk på en enhed for "
        "at se dens oversigt.",
        "Every unit and the written duties, the most urgent first. Tap a unit to see its overview.",
    ),
    "documentation.reminder.title": ("Påmindelse: dokumentation", "Reminder: documentation"),
    "documentation.reminder.due": (
        "**{duty}** i {unit} skal være opfyldt senest {day} ({days} dage fra i dag).",
        "**{duty}** in {unit} is due by {day} ({days} days from today).",
    ),
    "documentation.reminder.overdue": (
        "**{duty}** i {unit} skulle have været opfyldt senest {day}.",
        "**{duty}** in {unit} was due by {day}.",
    ),
    "documentation.reminder.hint": (
        "Når det er gjort, registrerer du datoen og et link til dokumentationen her.",
        "When it is done, record the date and a link to the proof here.",
    ),
    "digest.documentation.title": ("Dokumentation", "Documentation"),
    "digest.documentation.overdue": (
        "{duty} – overskredet: **{count}** – {units}",
        "{duty} – overdue: **{count}** – {units}",
    ),
    "digest.documentation.due_soon": (
        "Dokumentationskrav, der forfalder inden for 14 dage: **{count}** – {units}",
        "Documentation duties due within 14 days: **{count}** – {units}",
    ),
    "digest.documentation.lone_work_untrained": (
        "Godkendt alenearbejde uden registreret instruktion eller oplæring: **{count}** – {units}",
        "Approved lone work with no instruction or training recorded: **{count}** – {units}",
    ),
    "digest.documentation.amo_review": (
        "AMO's sammensætning skal gennemgås: **{count}** – {units}",
        "The AMO's composition needs a review: **{count}** – {units}",
    ),
    "documentation.import.unit": (
        "ingen aktiv enhed hedder »{value}«",
        "no active unit is called “{value}”",
    ),
    "documentation.import.duty": (
        "»{value}« er ikke et krav, der kan registreres (se arket Vejledning)",
        "“{value}” is not a duty that can be recorded (see the Guide sheet)",
    ),
    "documentation.import.met_on": (
        "datoen mangler, er ugyldig eller ligger i fremtiden",
        "the date is missing, invalid or in the future",
    ),
    "documentation.import.proof": (
        "linket skal begynde med https://",
        "the link must start with https://",
    ),
    "documentation.import.subject": (
        "skriv, hvad vurderingen handler om (højst 150 tegn)",
        "say what the assessment covers (150 characters at most)",
    ),
    "documentation.import.row": ("Række {row}: {problem}", "Row {row}: {problem}"),
    "documentation.import.file": (
        "{file} kan ikke læses som et Excel-ark: {error}",
        "{file} cannot be read as an Excel workbook: {error}",
    ),
    "documentation.import.header": (
        "Første række skal være overskrifterne {expected}; fandt {found}.",
        "The first row must be the headings {expected}; found {found}.",
    ),
    "documentation.import.empty": (
        "Arket har ingen rækker under overskrifterne.",
        "The sheet has no rows below the headings.",
    ),
    "documentation.import.nothing_written": (
        "{count} fejl: intet er gemt. Ret arket, og prøv igen.",
        "{count} problems: nothing was saved. Correct the sheet and try again.",
    ),
    "documentation.import.checked": (
        "Alle {records} rækker er i orden (kun kontrolleret, intet er gemt).",
        "All {records} rows are correct (checked only, nothing was saved).",
    ),
    "documentation.import.written": (
        "{records} registreringer er gemt.",
        "{records} records were saved.",
    ),
    "help.cmd.documentation": (
        "**dokumentation** – enhedens skriftlige arbejdsmiljøkrav: hvad er opfyldt, og hvad "
        "forfalder",
        "**documentation** – the unit's written work-environment duties: what is met and "
        "what is due",
    ),
}
