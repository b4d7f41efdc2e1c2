"""The word "eksport" / "export", the picker it shows, and the "Eksporter til Excel" buttons:
a checked request handed to the file sender (`bot/files_out.py`), which offers the file with
a Teams file consent card."""

from __future__ import annotations

import logging
from typing import Any, Protocol

from botbuilder.core import TurnContext
from botbuilder.dialogs import Dialog
from pydantic import BaseModel, ConfigDict, ValidationError, field_validator

from cards.exports import ALL_UNITS, OFFER_ACTION, PICK_ACTION, picker_card
from dialogs.context import speaker_of
from dialogs.outgoing import card_activity, text_activity
from domain.actor import Speaker
from domain.commands import Flow, is_export
from domain.exports import ExportKind, ExportRequest
from domain.i18n import t
from services.exports import ExportServices

log = logging.getLogger(__name__)


class FileOffers(Protocol):
    """Builds the workbook and offers it in the chat with a file consent card."""

    async def offer(
        self, turn_context: TurnContext, speaker: Speaker, request: ExportRequest
    ) -> None: ...


class _Picked(BaseModel):
    """The picker's inputs (or a button's data): kind, unit id or "all", year; a proof
    button's file id."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    kind: ExportKind
    unit_id: int | None = None
    year: int | None = None
    proof_id: int | None = None

    @field_validator("unit_id", "year", "proof_id", mode="before")
    @classmethod
    def _number(cls, value: Any) -> Any:
        if value is None or value == "" or value == ALL_UNITS:
            return None
        if isinstance(value, str):
            value = value.strip()
            return int(float(value)) if value.replace(".", "", 1).isdigit() else value
        if isinstance(value, float) and value.is_integer():
            return int(value)
        return value


class ExportModule:
    """Not a dialog: the word and the card actions answer at once."""

    def __init__(self, services: ExportServices, files: FileOffers) -> None:
        self.services = services
        self.files = files

    @property
    def flow(self) -> Flow | None:
        return None

    @property
    def dialog_id(self) -> str | None:
        return None

    @property
    def name_key(self) -> str:
        return "exports.name"

    def dialogs(self) -> list[Dialog]:
        return []

    @property
    def submit_actions(self) -> frozenset[str]:
        return frozenset({OFFER_ACTION, PICK_ACTION})

    async def on_text(self, turn_context: TurnContext, text: str) -> bool:
        if not is_export(text):
            return False
        await self._picker(turn_context, speaker_of(turn_context))
        return True

    async def on_submit(
        self, turn_context: TurnContext, action: str, value: dict[str, Any]
    ) -> None:
        speaker = speaker_of(turn_context)
        if action == PICK_ACTION:
            await self._picker(turn_context, speaker)
            return
        try:
            picked = _Picked.model_validate(value)
            request = ExportRequest.model_validate(picked.model_dump())
        except ValidationError as error:
            fields = sorted({str(item["loc"][0]) for item in error.errors() if item["loc"]})
            log.info("export request did not validate (%s)", ", ".join(fields))
            key = "exports.kind.required" if "kind" in fields else "exports.year.error"
            await self._picker(turn_context, speaker, error=t(speaker.lang, key))
            return
        if request.kind.per_unit and request.unit_id is None and not request.kind.may_be_all_units:
            await self._picker(turn_context, speaker, error=t(speaker.lang, "exports.pick_unit"))
            return
        await self.files.offer(turn_context, speaker, request)

    async def _picker(
        self, turn_context: TurnContext, speaker: Speaker, *, error: str | None = None
    ) -> None:
        choices = await self.services.choices(speaker)
        if not choices.kinds:
            await turn_context.send_activity(text_activity(t(speaker.lang, "exports.nothing")))
            return
        card = picker_card(
            speaker.lang,
            choices.kinds,
            choices.units,
            year=choices.year,
            all_units=choices.university_wide,
            error=error,
        )
        await turn_context.send_activity(card_activity(card))
