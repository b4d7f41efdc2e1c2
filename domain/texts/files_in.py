"""Texts about files sent to the bot: workbooks to import, organisation files, near-miss
photos. (Danish, English) per key."""

from typing import Final

TEXTS: Final[dict[str, tuple[str, str]]] = {
    # -- any file ----------------------------------------------------------------------------
    "files_in.not_here": (
        "Den fil kan jeg ikke bruge her. Jeg tager imod et udfyldt importark for "
        "narkotikaprækursorer (.xlsx), fotos til en nærved-hændelse (mens du indberetter den, "
        "eller efter «foto NM-2026-0001»), et bevis til en registrering af instruktion eller "
        "dokumentation (efter «bevis T-12») og, fra administratorer, en organisationsfil (.yaml).",
        "I cannot use that file here. I take a filled-in drug-precursor import sheet (.xlsx), "
        "photos for a near-miss report (while you report it, or after “photo NM-2026-0001”), "
        "the proof of a training or documentation record (after “proof T-12”) and, from "
        "administrators, an organisation file (.yaml).",
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
    # -- near-miss photos --------------------------------------------------------------------
    "files_in.near_miss.form_photos": (
        "Du kan også sætte fotos ind her i chatten, mens formularen er åben; de kommer med, når "
        "du sender den. GPS-position, kameraoplysninger og tidspunkt fjernes fra filerne.",
        "You can also paste photos into this chat while the form is open; they go with it "
        "when you send it. GPS position, camera details and time are removed from the files.",
    ),
    "files_in.photo.kept": (
        "Fotoet er gemt og kommer med indberetningen, når du sender formularen ({count} i alt). "
        "GPS-position, kameraoplysninger og tidspunkt er fjernet fra filen.",
        "The photo is saved and goes with the report when you send the form ({count} in all). "
        "GPS position, camera details and time were removed from the file.",
    ),
    "files_in.photo.anonymous": (
        "Indberetter du anonymt, så husk, at et foto stadig kan afsløre, hvem der har taget "
        "det, fx hvor det er taget fra, eller hvem der ses på det.",
        "If you report anonymously, remember that a photo can still reveal who took it, e.g. "
        "where it was taken from or who is in it.",
    ),
    "files_in.photo.added": (
        "Fotoet er tilføjet {number} ({count} i alt). GPS-position, kameraoplysninger og "
        "tidspunkt er fjernet fra filen.",
        "The photo was added to {number} ({count} in all). GPS position, camera details and "
        "time were removed from the file.",
    ),
    "files_in.photo.not_photo": (
        "{name} kan ikke gemmes som foto: jeg tager imod billeder i JPEG og PNG.",
        "{name} cannot be saved as a photo: I take JPEG and PNG pictures.",
    ),
    "files_in.photo.too_many_pixels": (
        "{name} er et for stort billede til at blive gemt: højst {most} megapixel. Tag "
        "billedet i kameraets almindelige opløsning, eller send en mindre kopi.",
        "{name} is too large a picture to be saved: at most {most} megapixels. Take the "
        "photo at the camera's usual resolution, or send a smaller copy.",
    ),
    "files_in.photo.too_many": (
        "Der er allerede {count} fotos, og flere kan ikke gemmes.",
        "There are already {count} photos, and no more can be saved.",
    ),
    "files_in.photo.not_yours": (
        "Jeg kan kun tilføje fotos til dine egne indberetninger med navn (ikke anonyme). Tjek "
        "nummeret, fx NM-2026-0001.",
        "I can only add photos to your own named (not anonymous) reports. Check the number, "
        "e.g. NM-2026-0001.",
    ),
    "files_in.photo.how": (
        "Sæt fotoet ind i samme besked som «foto {number}», så tilføjer jeg det.",
        "Paste the photo into the same message as “photo {number}”, and I will add it.",
    ),
    "files_in.photo.none": (
        "Beskeden havde intet foto. Jeg tager imod billeder i JPEG og PNG.",
        "The message held no photo. I take JPEG and PNG pictures.",
    ),
    "files_in.photos.show": ("Vis fotos ({count})", "Show photos ({count})"),
    "files_in.photos.heading": ("Fotos til {number}", "Photos for {number}"),
    "files_in.photos.gone": (
        "Indberetningen har ingen fotos (længere).",
        "The report has no photos (any more).",
    ),
    "files_in.photos.too_large": (
        "Foto {index} er for stort til at blive vist i chatten ({size}).",
        "Photo {index} is too large to be shown in the chat ({size}).",
    ),
    "files_in.photos.not_allowed": (
        "Du har ikke adgang til fotos fra den indberetning.",
        "You do not have access to photos of that report.",
    ),
    # -- the organisation file ---------------------------------------------------------------
    "org.import.chat.dialog_name": ("import af organisationsfil", "organisation file import"),
    "org.import.chat.problems": (
        "{name} kan ikke importeres, og intet er ændret:",
        "{name} cannot be imported, and nothing was changed:",
    ),
    "org.import.chat.ready": ("Klar til import: {name}", "Ready to import: {name}"),
    "org.import.chat.summary": (
        "Filen er i orden. **Importér** gør AMK-bot magen til filen: {units} nye enheder, "
        "{added} roller tilføjet og {removed} roller fjernet. Intet er ændret endnu.",
        "The file is fine. **Import** makes AMK-bot match the file: {units} new units, "
        "{added} roles added and {removed} roles removed. Nothing has changed yet.",
    ),
    "org.import.chat.new_units": ("Nye enheder: {units}", "New units: {units}"),
    "org.import.chat.done": (
        "Organisationen er importeret: {units} nye enheder, {added} roller tilføjet og "
        "{removed} roller fjernet.",
        "The organisation was imported: {units} new units, {added} roles added and {removed} "
        "roles removed.",
    ),
    "org.import.chat.cancelled": (
        "Intet er importeret, og organisationen er uændret.",
        "Nothing was imported, and the organisation is unchanged.",
    ),
    "org.import.chat.yaml_only": (
        "En organisationsfil skal være YAML (.yaml eller .yml), og {name} er ikke en.",
        "An organisation file must be YAML (.yaml or .yml), and {name} is not one.",
    ),
}
