"""Texts about files sent to the bot: workbooks to import, organisation files, near-miss
photos. (Danish, English) per key."""

from typing import Final

TEXTS: Final[dict[str, tuple[str, str]]] = {
    # -- any file ----------------------------------------------------------------------------
    "files_in.not_here": (
        "Den fil kan jeg ikke bruge her. Jeg tager imod et udfyldt importark for "
        "narkotikaprækursorer (.xlsx), fotos til en nærved-hændelse (mens du indberetter den, "
        "eller efter «foto NM-2026-0001») og, fra administratorer, en organisationsfil (.yaml).",
        "I cannot use that file here. I take a filled-in drug-precursor import sheet (.xlsx), "
        "photos for a near-miss report (while you report it, or after “photo NM-2026-0001”) "
        "and, from administrators, an organisation file (.yaml).",
    ),
    "files_in.host": (
        "Jeg henter kun filer dér, hvor Teams gemmer dem. Send filen direkte i chatten med mig.",
        "I only fetch files from where Teams keeps them. Send the file straight into our chat.",
    ),
    "files_in.too_large": (
        "{name} er for stor: jeg tager imod filer på højst {limit}.",
        "{name} is too large: I take files of at most {limit}.",
    ),
    "files_in.failed": (
        "Jeg kunne ikke hente {name} fra Teams. Prøv at sende den igen om lidt.",
        "I could not fetch {name} from Teams. Try sending it again in a little while.",
    ),
    "files_in.unnamed": ("filen", "the file"),
    # -- the precursor import ----------------------------------------------------------------
    "precursors.import.chat.dialog_name": ("import af prækursorark", "precursor sheet import"),
    "precursors.import.chat.how": (
        "Træk det udfyldte importark (.xlsx) ind i chatten med mig. Jeg tjekker alle rækker og "
        "viser dig, hvad der bliver gemt, før noget gemmes.",
        "Drag the filled-in import sheet (.xlsx) into our chat. I check every row and show "
        "you what will be saved before anything is saved.",
    ),
    "precursors.import.chat.xlsx_only": (
        "Importarket skal være et Excel-regneark (.xlsx), og {name} er ikke et.",
        "The import sheet must be an Excel workbook (.xlsx), and {name} is not one.",
    ),
    "precursors.import.chat.not_allowed": (
        "Du fører ikke prækursorregnskab for nogen enhed, så jeg kan ikke importere et ark "
        "fra dig.",
        "You do not keep the precursor records of any unit, so I cannot import a sheet from you.",
    ),
    "precursors.import.not_yours": (
        "du fører ikke prækursorregnskab for {value}",
        "you do not keep the precursor records of {value}",
    ),
    "precursors.import.chat.header": (
        "Første række skal være overskrifterne fra importskabelonen: {expected}. Fandt: {found}.",
        "The first row must be the import template's headings: {expected}. Found: {found}.",
    ),
    "precursors.import.chat.too_many": (
        "Arket har {rows} rækker, og jeg tager højst {limit} ad gangen. Del det op i flere "
        "ark, og send dem hver for sig.",
        "The sheet has {rows} rows, and I take at most {limit} at a time. Split it into "
        "several sheets and send them one by one.",
    ),
    "precursors.import.chat.problems": ("{name} kan ikke importeres", "{name} cannot be imported"),
    "precursors.import.chat.more": ("… og {count} fejl mere.", "… and {count} more errors."),
    "precursors.import.chat.ready": ("Klar til import: {name}", "Ready to import: {name}"),
    "precursors.import.chat.summary": (
        "Alle {entries} rækker er i orden. **Importér** gemmer dem for {units} ({holdings} nye "
        "stoffer på enhedernes lister). Intet er gemt endnu.",
        "All {entries} rows are fine. **Import** saves them for {units} ({holdings} new "
        "substances on the units' lists). Nothing has been saved yet.",
    ),
    "precursors.import.chat.confirm": ("Importér", "Import"),
    "precursors.import.chat.cancel": ("Annullér", "Cancel"),
    "precursors.import.chat.cancelled": (
        "Intet er importeret.",
        "Nothing was imported.",
    ),
    "precursors.import.chat.changed": (
        "Noget er ændret, siden arket blev tjekket, så intet er gemt:",
        "Something changed since the sheet was checked, so nothing was saved:",
    ),
}
