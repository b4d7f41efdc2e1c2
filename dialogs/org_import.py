"""An administrator drops an organisation file (YAML) into the chat: it is checked as the
command-line import would apply it, then applied in one transaction after **Importér**.
The validated file waits in the dialog state (at most `ORG_FILE_MAX_BYTES` as sent)."""

from __future__ import annotations

from typing import Any, Final

from botbuilder.core import TurnContext
from botbuilder.dialogs import Dialog, DialogContext
from botbuilder.schema import Activity

from cards.common import Card
from cards.org_import import CANCEL, CONFIRM, org_problems_card, org_summary_card
from dialogs.context import speaker_of
from dialogs.file_import import ConfirmImportDialog, confirm_file
from dialogs.files import FileFetcher, fetch_problem_text
from dialogs.outgoing import card_activity, text_activity
from domain.actor import Speaker
from domain.commands import Flow
from domain.files import ORG_FILE_TYPES, FetchProblem, FileKind, IncomingFile
from domain.i18n import Lang, t
from services.org_import import ORG_FILE_MAX_BYTES, OrgImports

ORG_IMPORT_DIALOG: Final = "org.import"
NAME_KEY: Final = "org.import.chat.dialog_name"
_STEPS: Final = "org.import.steps"
_PROMPT: Final = "org.import.prompt"


class OrgImportDialog(ConfirmImportDialog):
    """The summary card → **Importér** (apply all of it) or **Annullér**."""

    def __init__(self, imports: OrgImports) -> None:
        super().__init__(
            ORG_IMPORT_DIALOG,
            steps=_STEPS,
            prompt=_PROMPT,
            name_key=NAME_KEY,
            actions=(CONFIRM, CANCEL),
            cancelled_key="org.import.chat.cancelled",
        )
        self.imports = imports

    def summary(self, lang: Lang, options: dict[str, Any], submission_key: str) -> Card:
        return org_summary_card(
            lang,
            str(options["name"]),
            units_created=list(options["units_created"]),
            roles_added=int(options["roles_added"]),
            roles_removed=int(options["roles_removed"]),
            submission_key=submission_key,
        )

    async def apply(self, speaker: Speaker, options: dict[str, Any]) -> Activity:
        done = await self.imports.apply(speaker, dict(options["data"]))
        if done is None:
            return text_activity(t(speaker.lang, "error.not_allowed"))
        if done.problems:
            return card_activity(
                org_problems_card(speaker.lang, str(options["name"]), done.problems)
            )
        return text_activity(
            t(
                speaker.lang,
                "org.import.chat.done",
                units=len(done.units_created),
                added=done.roles_added,
                removed=done.roles_removed,
            )
        )


class OrgImportModule:
    """An administrator's organisation file dropped into the chat (no menu entry)."""

    flow: Flow | None = None
    dialog_id: str | None = ORG_IMPORT_DIALOG
    name_key = NAME_KEY

    def __init__(self, imports: OrgImports, fetcher: FileFetcher | None = None) -> None:
        self.imports = imports
        self.fetcher = fetcher

    def dialogs(self) -> list[Dialog]:
        return [OrgImportDialog(self.imports)]

    async def on_text(self, turn_context: TurnContext, text: str) -> bool:
        return False

    async def on_files(
        self, dialog_context: DialogContext, files: list[IncomingFile], text: str
    ) -> bool:
        """A YAML file from an administrator; anyone else's is not taken here."""
        turn_context = dialog_context.context
        speaker = speaker_of(turn_context)
        file = next(
            (
                item
                for item in files
                if item.kind is FileKind.FILE and item.file_type in ORG_FILE_TYPES
            ),
            None,
        )
        if self.fetcher is None or file is None or not speaker.is_admin:
            return False
        name = file.name or t(speaker.lang, "files_in.unnamed")
        fetched = await self.fetcher.fetch(file, turn_context.activity.service_url)
        problem = fetched.problem
        if fetched.data is not None and len(fetched.data) > ORG_FILE_MAX_BYTES:
            problem = FetchProblem.TOO_LARGE
        if fetched.data is None or problem is not None:
            limit = min(ORG_FILE_MAX_BYTES, self.fetcher.max_bytes)
            said = fetch_problem_text(speaker, problem, name, limit)
            await turn_context.send_activity(text_activity(said))
            return True
        checked = await self.imports.check(speaker, fetched.data)
        if checked is None:
            return False
        if checked.problems:
            card = org_problems_card(speaker.lang, name, checked.problems)
            await turn_context.send_activity(card_activity(card))
            return True
        options = {
            "name": name,
            "data": checked.data,
            "units_created": checked.units_created,
            "roles_added": checked.roles_added,
            "roles_removed": checked.roles_removed,
        }
        await confirm_file(dialog_context, ORG_IMPORT_DIALOG, options)
        return True
