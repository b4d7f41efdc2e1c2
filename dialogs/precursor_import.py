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

from botbuilder.dialogs import (
    ComponentDialog,
    DialogContext,
    DialogTurnResult,
    WaterfallDialog,
    WaterfallStepContext,
)

from cards.precursor_import import CANCEL, CONFIRM, problems_card, summary_card
from dialogs.card_prompt import CardPrompt
from dialogs.context import speaker_of
from dialogs.files import FileFetcher
from dialogs.outgoing import card_activity, text_activity
from domain.actor import Speaker
from domain.files import WORKBOOK_TYPES, FetchProblem, IncomingFile, megabytes
from domain.i18n import t
from domain.precursor_import import MAX_KEPT_ROWS, ImportRow, pack_rows, unpack_rows
from domain.submissions import FIELD, new_key
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


def fetch_problem_text(
    speaker: Speaker, problem: FetchProblem | None, name: str, limit: int
) -> str:
    """Why a file sent into the chat could not be used, as the sender reads it."""
    if problem is FetchProblem.TOO_LARGE:
        return t(speaker.lang, "files_in.too_large", name=name, limit=megabytes(limit))
    if problem is FetchProblem.HOST:
        return t(speaker.lang, "files_in.host")
    return t(speaker.lang, "files_in.failed", name=name)


class PrecursorImportDialog(ComponentDialog):  # type: ignore[misc]
    """The summary card → **Importér** (write all or none) or **Annullér**."""

    def __init__(self, services: SheetImports) -> None:
        super().__init__(IMPORT_DIALOG)
        self.services = services
        self.add_dialog(CardPrompt(_PROMPT))
        self.add_dialog(WaterfallDialog(_STEPS, [self._show, self._answered]))
        self.initial_dialog_id = _STEPS

    async def _show(self, step: WaterfallStepContext) -> DialogTurnResult:
        speaker = speaker_of(step.context)
        options: dict[str, Any] = step.options
        key = new_key()
        card = summary_card(
            speaker.lang,
            str(options["name"]),
            entries=int(options["entries"]),
            units=list(options["units"]),
            holdings=int(options["holdings"]),
            submission_key=key,
        )
        return await step.prompt(
            _PROMPT,
            {"card": card, "actions": [CONFIRM, CANCEL], "name_key": NAME_KEY, FIELD: key},
        )

    async def _answered(self, step: WaterfallStepContext) -> DialogTurnResult:
        speaker = speaker_of(step.context)
        options: dict[str, Any] = step.options
        value: dict[str, Any] = step.result
        if value.get("action") != CONFIRM:
            await step.context.send_activity(
                text_activity(t(speaker.lang, "precursors.import.chat.cancelled"))
            )
            return await step.end_dialog()
        outcome = await self.services.import_sheet(
            speaker, unpack_rows(options.get("rows")), confirm=True
        )
        name = str(options["name"])
        if outcome is None:
            await step.context.send_activity(
                text_activity(t(speaker.lang, "precursors.import.chat.not_allowed"))
            )
        elif outcome.errors:
            lead = t(speaker.lang, "precursors.import.chat.changed")
            card = problems_card(speaker.lang, name, outcome.errors, lead=lead)
            await step.context.send_activity(card_activity(card))
        else:
            done = t(
                speaker.lang,
                "precursors.import.done",
                entries=outcome.entries,
                units=", ".join(outcome.units),
                holdings=outcome.holdings_added,
            )
            await step.context.send_activity(text_activity(done))
        return await step.end_dialog()


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
    active = dialog_context.active_dialog
    if active is not None and active.id == IMPORT_DIALOG:
        await dialog_context.replace_dialog(IMPORT_DIALOG, options)
    else:
        await dialog_context.begin_dialog(IMPORT_DIALOG, options)
