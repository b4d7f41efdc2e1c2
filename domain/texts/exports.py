"""Texts of the Excel exports sent as files in the chat: (Danish, English) per key."""

from typing import Final

TEXTS: Final[dict[str, tuple[str, str]]] = {
    "exports.name": ("eksport", "export"),
    "help.cmd.export": (
        "**eksport** – få et register som Excel-fil her i chatten",
        "**export** – get a register as an Excel file here in the chat",
    ),
    "exports.title": ("Eksporter til Excel", "Export to Excel"),
    "exports.button": ("Eksporter til Excel", "Export to Excel"),
    "exports.intro": (
        "Vælg hvad du vil have. Filen kommer her i chatten, når du har sagt ja til at modtage "
        "den. Du kan kun vælge det, du også må læse i botten.",
        "Choose what you want. The file arrives here in the chat once you accept it. You can "
        "only choose what you may also read in the bot.",
    ),
    "exports.kind": ("Hvad", "What"),
    "exports.kind.required": ("Vælg hvad du vil eksportere.", "Choose what to export."),
    "exports.unit": ("Enhed", "Unit"),
    "exports.unit.all": ("Alle enheder", "All units"),
    "exports.unit.hint": (
        "Gælder ikke årsopgørelsen til Toldstyrelsen og skabelonen.",
        "Does not apply to the customs report and the template.",
    ),
    "exports.year": ("År", "Year"),
    "exports.year.error": (
        "Skriv et årstal, fx 2026.",
        "Write a year, e.g. 2026.",
    ),
    "exports.kind.lone_work": ("Alenearbejde – register", "Lone work – register"),
    "exports.kind.near_miss": (
        "Nærved-hændelser – register og KAMU-statistik",
        "Near misses – register and KAMU statistics",
    ),
    "exports.kind.work_accidents": (
        "Arbejdsulykker – register og KAMU-statistik",
        "Work accidents – register and KAMU statistics",
    ),
    "exports.kind.my_data": ("Dine egne data", "Your own data"),
    "exports.kind.proof": ("Bevis (fil)", "Proof (file)"),
    "exports.kind.action_plan": (
        "Handlingsplan (uden noter)",
        "Action plan (without notes)",
    ),
    "exports.kind.precursors": ("Prækursorer – enhedens årsrapport", "Precursors – unit report"),
    "exports.kind.documentation": ("Dokumentation – overblik", "Documentation – overview"),
    "exports.kind.precursors_all": (
        "Prækursorer – årsopgørelse til Toldstyrelsen (hele universitetet)",
        "Precursors – annual report for the customs authority (whole university)",
    ),
    "exports.kind.precursor_template": (
        "Prækursorer – skabelon til import",
        "Precursors – import template",
    ),
    "exports.nothing": (
        "Der er ikke noget, du kan eksportere. Enhedens ledere og AMK'er kan eksportere "
        "enhedens registre, og sekretariatet kan eksportere alt.",
        "There is nothing you can export. A unit's leaders and AMKs can export the unit's "
        "registers, and the secretariat can export everything.",
    ),
    "exports.not_allowed": (
        "Det må du ikke eksportere: du kan kun eksportere det, du også må læse.",
        "You may not export that: you can only export what you may also read.",
    ),
    "exports.pick_unit": ("Vælg en enhed.", "Choose a unit."),
    "exports.unknown_unit": (
        "Den enhed findes ikke længere. Skriv **eksport** og vælg igen.",
        "That unit no longer exists. Write **export** and choose again.",
    ),
    "exports.consent": (
        "{name} – til din OneDrive, så du kan åbne den i Excel.",
        "{name} – to your OneDrive, so you can open it in Excel.",
    ),
    "exports.stale": (
        "Den fil kan jeg ikke finde frem igen. Skriv **eksport** og vælg den igen.",
        "I cannot find that file again. Write **export** and choose it again.",
    ),
    "exports.sent": (
        "Her er {name}.",
        "Here is {name}.",
    ),
    "exports.declined": (
        "OK, der er ikke sendt noget. Skriv **eksport**, hvis du vil have filen senere.",
        "OK, nothing was sent. Write **export** if you want the file later.",
    ),
    "exports.failed": (
        "Filen kunne ikke lægges i din OneDrive ({why}), så der er ikke sendt noget. Prøv "
        "igen om lidt: skriv **eksport**.",
        "The file could not be put in your OneDrive ({why}), so nothing was sent. Try again "
        "in a little while: write **export**.",
    ),
    "exports.failed.busy": ("OneDrive svarede ikke", "OneDrive did not answer"),
    "exports.refused_host": (
        "Teams bad mig lægge filen et sted, jeg ikke sender filer til, så der er ikke sendt "
        "noget. Sig det til sekretariatet, hvis det sker igen.",
        "Teams asked me to put the file somewhere I do not send files to, so nothing was "
        "sent. Tell the secretariat if it happens again.",
    ),
    "exports.too_large": (
        "Filen er for stor til at sende i chatten ({size} MB). Spørg sekretariatet.",
        "The file is too large to send in the chat ({size} MB). Ask the secretariat.",
    ),
}
