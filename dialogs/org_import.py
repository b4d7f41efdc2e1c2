"""An administrator drops an organisation file (YAML) into the chat: it is checked as the
command-line import would apply it, then applied in one transaction after **Importér**.
The validated file waits in the dialog state (at most `ORG_FILE_MAX_BYTES` as sent)."""

from __future__ import annotations

from typing import Any, Final

from botbuilder.core import TurnContext
from botbuilder.dialogs import (
    ComponentDialog,
    Dialog,
    DialogContext,
    DialogTurnResult,
    WaterfallDialog,
    WaterfallStepContext,
)

from cards.org_import import CANCEL, CONFIRM, org_problems_card, org_summary_card
from dialogs.card_prompt import CardPrompt
from dialogs.context import speaker_of
from dialogs.files import FileFetcher
from dialogs.outgoing import card_activity, text_activity
from dialogs.precursor_import import fetch_problem_text
from domain.commands import Flow
from domain.files import ORG_FILE_TYPES, FetchProblem, FileKind, IncomingFile
from domain.i18n import t
from domain.submissions import FIELD, new_key
from services.org_import import ORG_FILE_MAX_BYTES, OrgImports

ORG_IMPORT_DIALOG: Final = "org.import"
NAME_KEY: Final = "org.import.chat.dialog_name"
_STEPS: Final = "org.import.steps"
_PROMPT: Final = "org.import.prompt"


class OrgImportDialog(ComponentDialog):  # type: ignore[misc]
    """The summary card → **Importér** (apply all of it) or **Annullér**."""

    def __init__(self, imports: OrgImports) -> None:
        super().__init__(ORG_IMPORT_DIALOG)
        self.imports = imports
        self.add_dialog(CardPrompt(_PROMPT))
        self.add_dialog(WaterfallDialog(_STEPS, [self._show, self._answered]))
        self.initial_dialog_id = _STEPS

    async def _show(self, step: WaterfallStepContext) -> DialogTurnResult:
        speaker = speaker_of(step.context)
        options: dict[str, Any] = step.options
        key = new_key()
        card = org_summary_card(
            speaker.lang,
            str(options["name"]),
            units_created=list(options["units_created"]),
            roles_added=int(options["roles_added"]),
            roles_removed=int(options["roles_removed"]),
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

        async def say(text: str) -> None:
            await step.context.send_activity(text_activity(text))

        if value.get("action") != CONFIRM:
            await say(t(speaker.lang, "org.import.chat.cancelled"))
            return await step.end_dialog()
        done = await self.imports.apply(speaker, dict(options["data"]))
        if done is None:
            await say(t(speaker.lang, "error.not_allowed"))
        elif done.problems:
            name = str(options["name"])
            card = org_problems_card(speaker.lang, name, done.problems)
            await step.context.send_activity(card_activity(card))
        else:
            await say(
                t(
                    speaker.lang,
                    "org.import.chat.done",
                    units=len(done.units_created),
                    added=done.roles_added,
                    removed=done.roles_removed,
                )
            )
        return await step.end_dialog()


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
        active = dialog_context.active_dialog
        if active is not None and active.id == ORG_IMPORT_DIALOG:
            await dialog_context.replace_dialog(ORG_IMPORT_DIALOG, options)
        else:
            await dialog_context.begin_dialog(ORG_IMPORT_DIALOG, options)
        return True
