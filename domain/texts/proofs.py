"""Texts about proof files of training and documentation records: sending one into the chat
with «bevis T-12», and **Hent beviset**. (Danish, English) per key."""

from typing import Final

TEXTS: Final[dict[str, tuple[str, str]]] = {
    "proofs.ref": ("Nr. {ref}", "Ref. {ref}"),
    "proofs.how.saved": (
        "Har du beviset som fil (PDF, billede, Word eller Excel), så send filen her i chatten "
        "med teksten «bevis {ref}».",
        "If you have the proof as a file (PDF, picture, Word or Excel), send the file in this "
        "chat with the text “proof {ref}”.",
    ),
    "proofs.how": (
        "Send filen i samme besked som «bevis {ref}», så gemmer jeg den som bevis. Jeg tager "
        "imod PDF, JPEG, PNG, Word (.docx) og Excel (.xlsx) på højst {limit}.",
        "Send the file in the same message as “proof {ref}”, and I will keep it as the "
        "proof. I take PDF, JPEG, PNG, Word (.docx) and Excel (.xlsx) of at most {limit}.",
    ),
    "proofs.none": (
        "Beskeden havde ingen fil. Send beviset i samme besked som «bevis {ref}».",
        "The message held no file. Send the proof in the same message as “proof {ref}”.",
    ),
    "proofs.one_file": (
        "Send én fil ad gangen med «bevis {ref}». Jeg har ikke gemt noget.",
        "Send one file at a time with “proof {ref}”. I have not saved anything.",
    ),
    "proofs.added": (
        "Beviset er gemt med {ref}: {name}.",
        "The proof is saved with {ref}: {name}.",
    ),
    "proofs.replaced": (
        "Beviset er gemt med {ref}: {name}. Det erstatter den fil, der var der før.",
        "The proof is saved with {ref}: {name}. It replaces the file that was there before.",
    ),
    "proofs.picture": (
        "GPS-position, kameraoplysninger og tidspunkt er fjernet fra billedet.",
        "GPS position, camera details and time were removed from the picture.",
    ),
    "proofs.unknown": (
        "Jeg kan ikke finde {ref}. Tjek nummeret på linjen i oversigten, fx T-12 eller D-7.",
        "I cannot find {ref}. Check the reference on the record's line, e.g. T-12 or D-7.",
    ),
    "proofs.not_yours": (
        "Du kan ikke tilføje et bevis til {ref}. Det kan kun de, der må registrere den: "
        "enhedens ledere og AMK'er.",
        "You cannot add a proof to {ref}. Only those who may record it can: the unit's "
        "leaders and AMKs.",
    ),
    "proofs.type": (
        "{name} kan ikke gemmes som bevis. Jeg tager imod PDF, JPEG, PNG, Word (.docx) og "
        "Excel (.xlsx), og filens indhold skal passe til dens type.",
        "{name} cannot be saved as a proof. I take PDF, JPEG, PNG, Word (.docx) and Excel "
        "(.xlsx), and the file's content must match its type.",
    ),
    "proofs.too_many_pixels": (
        "{name} er et for stort billede til at blive gemt: højst {most} megapixel. Send en "
        "mindre kopi eller en PDF.",
        "{name} is too large a picture to be saved: at most {most} megapixels. Send a smaller "
        "copy or a PDF.",
    ),
    "proofs.fetch": ("Hent beviset", "Get the proof"),
    "proofs.consent": (
        "{name} – beviset, til din OneDrive.",
        "{name} – the proof, to your OneDrive.",
    ),
    "proofs.not_allowed": (
        "Du har ikke adgang til det bevis.",
        "You do not have access to that proof.",
    ),
    "proofs.declined": (
        "OK, der er ikke sendt noget. Tryk **Hent beviset** igen, hvis du vil have filen senere.",
        "OK, nothing was sent. Press **Get the proof** again if you want the file later.",
    ),
    "proofs.failed": (
        "Filen kunne ikke lægges i din OneDrive ({why}), så der er ikke sendt noget. Prøv "
        "igen om lidt med **Hent beviset**.",
        "The file could not be put in your OneDrive ({why}), so nothing was sent. Try again "
        "in a little while with **Get the proof**.",
    ),
    "proofs.gone": (
        "Det bevis findes ikke længere; måske er det skiftet ud med en nyere fil. Åbn "
        "oversigten igen, og tryk **Hent beviset** dér.",
        "That proof is no longer there; it may have been replaced by a newer file. Open the "
        "overview again and press **Get the proof** there.",
    ),
    "erase.table.proof_file": ("beviser (filer)", "proof files"),
    "erase.files": (
        "Beviser (filer) til personens registreringer af instruktion og oplæring, der "
        "slettes: {count}",
        "Proof files of the person's instruction and training records, deleted: {count}",
    ),
}
