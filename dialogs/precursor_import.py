"""A precursor sheet sent into the chat: fetched, every row checked as the command-line
import checks it, then the problems row by row, or a summary to confirm with **Importér**.

Nothing is written before **Importér**, and then all rows or none, in one audited
transaction (the rows are checked again then: the ledgers may have changed meanwhile). The
file itself is not kept: its rows wait in the dialog state, packed as plain lists and at most
`MAX_KEPT_ROWS` of them (Teams' download address is short-lived, so fetching it again at the
confirmation could fail).
"""

from __future__ import annotations

from typing import Any, Final, Protocol

from botbuilder.dialogs import DialogContext
from botbuilder.schema import Activity

from cards.common import Card
from cards.precursor_import import CANCEL, CONFIRM, problems_card, summary_card
from dialogs.context import speaker_of
from dialogs.file_import import ConfirmImportDialog, confirm_file
from dialogs.files import FileFetcher, fetch_problem_text
from dialogs.outgoing import card_activity, text_activity
from domain.actor import Speaker
from domain.files import WORKBOOK_TYPES, IncomingFile
from domain.i18n import Lang, t
from domain.precursor_import import MAX_KEPT_ROWS, ImportRow, pack_rows, unpack_rows
from services.precursor_workbooks import ImportOutcome

IMPORT_DIALOG: Final = "precursors.import"
NAME_KEY: Final = "precursors.import.chat.dialog_name"
_STEPS: Final = "precursors.import.steps"
_PROMPT: Final = "precursors.import.prompt"
IMPORT_WORDS: Final = frozenset(
    {"importér", "importer", "import", "importér prækursorer", "import precursors"}
)


class SheetImports(Protocol):
    """What the import needs from the precursor services."""

    async def read_sheet(
        self, speaker: Speaker, data: bytes, name: str
    ) -> tuple[list[ImportRow], list[str]]: ...

    async def import_sheet(
        self, speaker: Speaker, rows: list[ImportRow], *, confirm: bool
    ) -> ImportOutcome | None: ...


class PrecursorImportDialog(ConfirmImportDialog):
    """The summary card → **Importér** (write all or none) or **Annullér**."""

    def __init__(self, services: SheetImports) -> None:
        super().__init__(
            IMPORT_DIALOG,
            steps=_STEPS,
            prompt=_PROMPT,
            name_key=NAME_KEY,
            actions=(CONFIRM, CANCEL),
            cancelled_key="precursors.import.chat.cancelled",
        )
        self.services = services

    def summary(self, lang: Lang, options: dict[str, Any], submission_key: str) -> Card:
        return summary_card(
            lang,
            str(options["name"]),
            entries=int(options["entries"]),
            units=list(options["units"]),
            holdings=int(options["holdings"]),
            submission_key=submission_key,
        )

    async def apply(self, speaker: Speaker, options: dict[str, Any]) -> Activity:
        outcome = await self.services.import_sheet(
            speaker, unpack_rows(options.get("rows")), confirm=True
        )
        if outcome is None:
            return text_activity(t(speaker.lang, "precursors.import.chat.not_allowed"))
        if outcome.errors:
            lead = t(speaker.lang, "precursors.import.chat.changed")
            name = str(options["name"])
            return card_activity(problems_card(speaker.lang, name, outcome.errors, lead=lead))
        done = t(
            speaker.lang,
            "precursors.import.done",
            entries=outcome.entries,
            units=", ".join(outcome.units),
            holdings=outcome.holdings_added,
        )
        return text_activity(done)


async def receive_sheet(
    dialog_context: DialogContext,
    services: SheetImports,
    fetcher: FileFetcher,
    file: IncomingFile,
) -> None:
    """Fetch and check a sheet; answer with its problems, or start the confirmation."""
    turn_context = dialog_context.context
    speaker = speaker_of(turn_context)
    name = file.name or t(speaker.lang, "files_in.unnamed")

    async def say(text: str) -> None:
        await turn_context.send_activity(text_activity(text))

    if file.file_type not in WORKBOOK_TYPES:
        await say(t(speaker.lang, "precursors.import.chat.xlsx_only", name=name))
        return
    fetched = await fetcher.fetch(file, turn_context.activity.service_url)
    if fetched.data is None:
        await say(fetch_problem_text(speaker, fetched.problem, name, fetcher.max_bytes))
        return
    rows, problems = await services.read_sheet(speaker, fetched.data, name)
    if problems:
        await turn_context.send_activity(card_activity(problems_card(speaker.lang, name, problems)))
        return
    if len(rows) > MAX_KEPT_ROWS:
        await say(
            t(speaker.lang, "precursors.import.chat.too_many", rows=len(rows), limit=MAX_KEPT_ROWS)
        )
        return
    outcome = await services.import_sheet(speaker, rows, confirm=False)
    if outcome is None:
        await say(t(speaker.lang, "precursors.import.chat.not_allowed"))
        return
    if outcome.errors:
        card = problems_card(speaker.lang, name, outcome.errors)
        await turn_context.send_activity(card_activity(card))
        return
    options = {
        "name": name,
        "rows": pack_rows(rows),
        "entries": outcome.entries,
        "units": outcome.units,
        "holdings": outcome.holdings_added,
    }
    await confirm_file(dialog_context, IMPORT_DIALOG, options)
