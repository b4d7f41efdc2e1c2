"""Drug precursors: the unit keeper's dialog (registration, substances, ledger) and the
overview word (the secretariat's card actions are verbs in `services.precursors`)."""

from __future__ import annotations

from datetime import date
from typing import Any, Protocol

from botbuilder.core import TurnContext
from botbuilder.dialogs import (
    Dialog,
    DialogContext,
    DialogTurnResult,
    WaterfallStepContext,
)

from cards.common import Card
from cards.exports import with_export
from cards.precursor_forms import entry_form, search_card
from cards.precursors import home_card, home_warnings, unit_picker
from dialogs.card_prompt import CardDialog
from dialogs.context import speaker_of
from dialogs.files import FileFetcher
from dialogs.outgoing import card_activity, text_activity
from dialogs.precursor_import import (
    IMPORT_DIALOG,
    IMPORT_WORDS,
    PrecursorImportDialog,
    SheetImports,
    receive_sheet,
)
from domain.actor import Speaker
from domain.commands import Flow
from domain.exports import ExportKind
from domain.files import WORKBOOK_TYPES, FileKind, IncomingFile
from domain.i18n import t
from domain.ids import row_id
from domain.precursor_ledger import FORM_KINDS, EntryKind, HoldingView
from domain.precursor_registrations import UnitHome
from domain.precursors import SubstanceInfo
from domain.submissions import FIELD, key_in, new_key
from services.precursor_core import Access, Result

DIALOG_ID = "precursors"
NAME_KEY = "precursors.dialog_name"
_START = "precursors.start"
_HOME = "precursors.home"
_SEARCH = "precursors.search"
_ENTRY = "precursors.entry"
_LEDGER = "precursors.ledger"
_PROMPT = "precursors.prompt"
OVERVIEW_WORDS = frozenset(
    {
        "prækursor oversigt",
        "prækursoroversigt",
        "prækursorer oversigt",
        "precursor overview",
        "precursors overview",
    }
)
HOME_ACTIONS = [
    "precursors.entry",
    "precursors.ledger",
    "precursors.search",
    "precursors.register",
    "precursors.none",
    "precursors.switch",
    "precursors.close",
]


class PrecursorServices(SheetImports, Protocol):
    """What the precursor dialog and its words need from the rest of the bot."""

    def today(self) -> date: ...

    async def access(self, speaker: Speaker) -> Access: ...

    async def home(self, speaker: Speaker, unit_id: int) -> UnitHome | None:
        """The unit's page; None if the speaker does not keep the unit's records."""

    async def search(self, query: str) -> list[SubstanceInfo]: ...

    async def holding(self, speaker: Speaker, unit_id: int, holding_id: int) -> HoldingView | None:
        """One of the unit's active substances; None if not the unit's or not allowed."""

    async def add_holding(
        self, speaker: Speaker, unit_id: int, values: dict[str, Any]
    ) -> Result: ...

    async def record(
        self,
        speaker: Speaker,
        unit_id: int,
        holding_id: int,
        kind: EntryKind,
        values: dict[str, Any],
        submission_key: str | None = None,
    ) -> Result:
        """Add the entry (once per `submission_key`: the card saved again gets the receipt
        of the entry it stored)."""

    async def recorded_before(self, speaker: Speaker, submission_key: str) -> str | None:
        """The receipt of the entry the speaker's card stored, if it stored one."""

    async def register(
        self,
        speaker: Speaker,
        unit_id: int,
        *,
        none_handled: bool,
        submission_key: str | None = None,
    ) -> Result:
        """Give the unit's answer for the year (a card's answer is given once)."""

    async def registered_before(self, speaker: Speaker, submission_key: str) -> str | None:
        """The receipt of the registration the speaker's card gave, if it gave one."""

    async def remove_holding(self, speaker: Speaker, unit_id: int, holding_id: int) -> Result: ...

    async def ledger_card(self, speaker: Speaker, unit_id: int, holding_id: int) -> Card | None: ...

    async def overview_card(self, speaker: Speaker, year: int | None = None) -> Card: ...

    async def refuse(self, speaker: Speaker, what: str, unit_id: int | None) -> None:
        """Audit an attempt to see records the speaker does not keep (once per refusal)."""


class PrecursorDialog(CardDialog):
    """Pick the unit → its page → search and add / record an entry / ledger / register."""

    def __init__(self, services: PrecursorServices) -> None:
        super().__init__(
            DIALOG_ID,
            _PROMPT,
            (_START, [self._start, self._picked]),
            (_HOME, [self._show_home, self._home_sent]),
            (_SEARCH, [self._show_search, self._search_sent]),
            (_ENTRY, [self._show_entry, self._entry_sent]),
            (_LEDGER, [self._show_ledger, self._ledger_sent]),
        )
        self.services = services

    @staticmethod
    def _options(step: WaterfallStepContext) -> dict[str, Any]:
        return dict(step.options) if isinstance(step.options, dict) else {}

    async def _prompt(
        self,
        step: WaterfallStepContext,
        card: Card,
        actions: list[str],
        submission_key: str | None = None,
    ) -> DialogTurnResult:
        options = {"card": card, "actions": actions, "name_key": NAME_KEY}
        if submission_key is not None:
            options[FIELD] = submission_key
        return await step.prompt(_PROMPT, options)

    async def _say(self, step: WaterfallStepContext, text: str) -> None:
        await step.context.send_activity(text_activity(text))

    async def _refused(
        self, step: WaterfallStepContext, message_key: str, unit_id: int | None
    ) -> DialogTurnResult:
        """The speaker may not see this (any longer): audited, said, and the dialog ends."""
        speaker = speaker_of(step.context)
        what = "open" if unit_id is None else "unit.open"
        await self.services.refuse(speaker, what, unit_id)
        await self._say(step, t(speaker.lang, message_key))
        return await step.end_dialog()

    async def _end_if_refused(
        self, step: WaterfallStepContext, result: Result
    ) -> DialogTurnResult | None:
        """An action the services refused (and audited) ends the dialog with its message."""
        if not result.refused:
            return None
        await self._say(step, result.message or "")
        return await step.end_dialog()

    async def _to_home(self, step: WaterfallStepContext, **extra: Any) -> DialogTurnResult:
        options = self._options(step)
        return await step.replace_dialog(
            _HOME,
            {
                "unit_id": options["unit_id"],
                "can_switch": options.get("can_switch", False),
                **{key: value for key, value in extra.items() if value},
            },
        )

    # -- start: which unit ---------------------------------------------------------------------

    async def _start(self, step: WaterfallStepContext) -> DialogTurnResult:
        speaker = speaker_of(step.context)
        access = await self.services.access(speaker)
        if not access.units:
            if access.secretariat or speaker.is_admin:
                card = await self.services.overview_card(speaker)
                await step.context.send_activity(card_activity(card))
                return await step.end_dialog()
            return await self._refused(step, "precursors.not_allowed", None)
        if len(access.units) == 1:
            return await step.replace_dialog(
                _HOME, {"unit_id": access.units[0].id, "can_switch": False}
            )
        return await self._prompt(
            step,
            unit_picker(speaker.lang, access.units),
            ["precursors.pick", "precursors.cancel"],
        )

    async def _picked(self, step: WaterfallStepContext) -> DialogTurnResult:
        speaker = speaker_of(step.context)
        value: dict[str, Any] = step.result
        if value.get("action") == "precursors.cancel":
            return await self._cancelled(step)
        access = await self.services.access(speaker)
        unit_id = row_id(value.get("unit_id"))
        if unit_id not in {unit.id for unit in access.units}:
            return await step.replace_dialog(_START)
        return await step.replace_dialog(_HOME, {"unit_id": unit_id, "can_switch": True})

    # -- the unit's page -----------------------------------------------------------------------

    async def _show_home(self, step: WaterfallStepContext) -> DialogTurnResult:
        speaker = speaker_of(step.context)
        options = self._options(step)
        home = await self.services.home(speaker, int(options["unit_id"]))
        if home is None:
            return await self._refused(step, "precursors.not_allowed.unit", int(options["unit_id"]))
        access = await self.services.access(speaker)
        warnings = list(options.get("warnings") or [])
        for text in home_warnings(speaker.lang, home):
            if text not in warnings:
                warnings.append(text)
        key = new_key()
        card = with_export(
            home_card(
                speaker.lang,
                home,
                warnings=warnings,
                message=options.get("message"),
                error=options.get("error"),
                can_switch=bool(options.get("can_switch")),
                secretariat=access.secretariat or speaker.is_admin,
                submission_key=key,
            ),
            speaker.lang,
            ExportKind.PRECURSORS,
            unit_id=home.unit_id,
        )
        return await self._prompt(step, card, HOME_ACTIONS, key)

    async def _home_sent(self, step: WaterfallStepContext) -> DialogTurnResult:
        speaker = speaker_of(step.context)
        options = self._options(step)
        unit_id = int(options["unit_id"])
        value: dict[str, Any] = step.result
        action = value.get("action")
        if action == "precursors.close":
            await self._say(step, t(speaker.lang, "precursors.closed"))
            return await step.end_dialog()
        if action == "precursors.switch":
            return await step.replace_dialog(_START)
        if action == "precursors.search":
            return await step.replace_dialog(
                _SEARCH, {**options, "query": str(value.get("query") or "")}
            )
        if action in ("precursors.register", "precursors.none"):
            result = await self.services.register(
                speaker,
                unit_id,
                none_handled=action == "precursors.none",
                submission_key=key_in(value),
            )
            if (ended := await self._end_if_refused(step, result)) is not None:
                return ended
            return await self._to_home(
                step,
                message=result.message if result.ok else None,
                error=None if result.ok else result.message,
            )
        holding_id = row_id(value.get("holding_id"))
        holding = (
            await self.services.holding(speaker, unit_id, holding_id)
            if holding_id is not None
            else None
        )
        if holding is None:
            return await self._to_home(step, error=t(speaker.lang, "precursors.error.holding"))
        if action == "precursors.ledger":
            return await step.replace_dialog(_LEDGER, {**options, "holding_id": holding.id})
        try:
            kind = EntryKind(str(value.get("kind")))
        except ValueError:
            kind = EntryKind.REVERSAL
        if kind not in FORM_KINDS:
            return await self._to_home(step, error=t(speaker.lang, "precursors.error.kind"))
        return await step.replace_dialog(
            _ENTRY, {**options, "holding_id": holding.id, "kind": kind.value}
        )

    # -- search and add ------------------------------------------------------------------------

    async def _show_search(self, step: WaterfallStepContext) -> DialogTurnResult:
        speaker = speaker_of(step.context)
        options = self._options(step)
        home = await self.services.home(speaker, int(options["unit_id"]))
        if home is None:
            return await self._refused(step, "precursors.not_allowed.unit", int(options["unit_id"]))
        query = str(options.get("query") or "")
        matches = await self.services.search(query)
        card = search_card(
            speaker.lang,
            home.unit,
            query,
            matches,
            values=options.get("values"),
            errors=options.get("errors"),
        )
        return await self._prompt(
            step, card, ["precursors.add", "precursors.search", "precursors.back"]
        )

    async def _search_sent(self, step: WaterfallStepContext) -> DialogTurnResult:
        speaker = speaker_of(step.context)
        options = self._options(step)
        value: dict[str, Any] = step.result
        action = value.get("action")
        if action == "precursors.back":
            return await self._to_home(step)
        if action == "precursors.search":
            return await step.replace_dialog(
                _SEARCH,
                {
                    "unit_id": options["unit_id"],
                    "can_switch": options.get("can_switch", False),
                    "query": str(value.get("query") or ""),
                },
            )
        values = {key: value.get(key) for key in ("substance_id", "storage_location", "note")}
        result = await self.services.add_holding(speaker, int(options["unit_id"]), values)
        if (ended := await self._end_if_refused(step, result)) is not None:
            return ended
        if not result.ok:
            if result.errors:
                return await step.replace_dialog(
                    _SEARCH, {**options, "values": values, "errors": result.errors}
                )
            return await self._to_home(step, error=result.message)
        return await self._to_home(step, message=result.message, warnings=result.warnings)

    # -- an entry ------------------------------------------------------------------------------

    async def _show_entry(self, step: WaterfallStepContext) -> DialogTurnResult:
        speaker = speaker_of(step.context)
        options = self._options(step)
        unit_id = int(options["unit_id"])
        holding = await self.services.holding(speaker, unit_id, int(options["holding_id"]))
        home = await self.services.home(speaker, unit_id)
        if holding is None or home is None:
            return await self._to_home(step, error=t(speaker.lang, "precursors.error.holding"))
        key = new_key()
        card = entry_form(
            speaker.lang,
            home.unit,
            EntryKind(options["kind"]),
            holding,
            today=self.services.today(),
            values=options.get("values"),
            errors=options.get("errors"),
            submission_key=key,
        )
        return await self._prompt(step, card, ["precursors.save", "precursors.back"], key)

    async def _entry_sent(self, step: WaterfallStepContext) -> DialogTurnResult:
        speaker = speaker_of(step.context)
        options = self._options(step)
        value: dict[str, Any] = step.result
        if value.get("action") == "precursors.back":
            return await self._to_home(step)
        values = {key: item for key, item in value.items() if key not in ("action", FIELD)}
        result = await self.services.record(
            speaker,
            int(options["unit_id"]),
            int(options["holding_id"]),
            EntryKind(options["kind"]),
            values,
            key_in(value),
        )
        if (ended := await self._end_if_refused(step, result)) is not None:
            return ended
        if not result.ok:
            if result.errors:
                return await step.replace_dialog(
                    _ENTRY, {**options, "values": values, "errors": result.errors}
                )
            return await self._to_home(step, error=result.message)
        return await self._to_home(step, message=result.message, warnings=result.warnings)

    # -- the ledger ----------------------------------------------------------------------------

    async def _show_ledger(self, step: WaterfallStepContext) -> DialogTurnResult:
        speaker = speaker_of(step.context)
        options = self._options(step)
        card = await self.services.ledger_card(
            speaker, int(options["unit_id"]), int(options["holding_id"])
        )
        if card is None:
            return await self._to_home(step, error=t(speaker.lang, "precursors.error.holding"))
        return await self._prompt(step, card, ["precursors.remove", "precursors.back"])

    async def _ledger_sent(self, step: WaterfallStepContext) -> DialogTurnResult:
        speaker = speaker_of(step.context)
        options = self._options(step)
        value: dict[str, Any] = step.result
        if value.get("action") == "precursors.remove":
            result = await self.services.remove_holding(
                speaker, int(options["unit_id"]), int(options["holding_id"])
            )
            if (ended := await self._end_if_refused(step, result)) is not None:
                return ended
            return await self._to_home(
                step,
                message=result.message if result.ok else None,
                error=None if result.ok else result.message,
            )
        return await self._to_home(step)

    async def _cancelled(self, step: WaterfallStepContext) -> DialogTurnResult:
        speaker = speaker_of(step.context)
        await self._say(step, t(speaker.lang, "cancel.done", dialog=t(speaker.lang, NAME_KEY)))
        return await step.end_dialog()


class PrecursorModule:
    """Plugs drug precursors into the router: menu entry, dialog, overview word,
    and the answer to an entry or registration card sent again."""

    flow: Flow | None = Flow.PRECURSORS
    dialog_id: str | None = DIALOG_ID
    name_key = NAME_KEY
    creating_actions = frozenset({"precursors.save", "precursors.register", "precursors.none"})

    def __init__(self, services: PrecursorServices, fetcher: FileFetcher | None = None) -> None:
        self.services = services
        self.fetcher = fetcher

    def dialogs(self) -> list[Dialog]:
        return [PrecursorDialog(self.services), PrecursorImportDialog(self.services)]

    async def on_files(
        self, dialog_context: DialogContext, files: list[IncomingFile], text: str
    ) -> bool:
        """A workbook from someone who keeps precursor records (or the secretariat): the
        import. In the precursor dialog any file is taken, and one that is not a workbook is
        answered with what the import needs."""
        if self.fetcher is None:
            return False
        active = dialog_context.active_dialog
        in_flow = active is not None and active.id in (DIALOG_ID, IMPORT_DIALOG)
        dropped = [file for file in files if file.kind is FileKind.FILE]
        sheet = next((file for file in dropped if file.file_type in WORKBOOK_TYPES), None)
        if sheet is None and not (in_flow and dropped):
            return False
        if not in_flow:
            speaker = speaker_of(dialog_context.context)
            access = await self.services.access(speaker)
            if not (access.units or access.secretariat or speaker.is_admin):
                return False
        await receive_sheet(dialog_context, self.services, self.fetcher, sheet or dropped[0])
        return True

    async def receipt(
        self, turn_context: TurnContext, action: str, submission_key: str
    ) -> Card | str | None:
        speaker = speaker_of(turn_context)
        if action == "precursors.save":
            return await self.services.recorded_before(speaker, submission_key)
        return await self.services.registered_before(speaker, submission_key)

    async def on_text(self, turn_context: TurnContext, text: str) -> bool:
        if text in IMPORT_WORDS:
            speaker = speaker_of(turn_context)
            await turn_context.send_activity(
                text_activity(t(speaker.lang, "precursors.import.chat.how"))
            )
            return True
        if text not in OVERVIEW_WORDS:
            return False
        card = await self.services.overview_card(speaker_of(turn_context))
        await turn_context.send_activity(card_activity(card))
        return True
