"""Near-miss reports: the reporting dialog and the open list's words (the follow-up card
actions are verbs in `services.near_miss`).

The dialog ends as soon as the report is stored, so the conversation's saved state no
longer holds the form (which matters for anonymous reports).
"""

from __future__ import annotations

import base64
import re
import uuid
from datetime import UTC, datetime
from typing import Any, Final, Protocol

from botbuilder.core import TurnContext
from botbuilder.dialogs import (
    Dialog,
    DialogContext,
    DialogTurnResult,
    WaterfallStepContext,
)
from botbuilder.schema import Activity, ActivityTypes, Attachment

from cards.common import Card
from cards.near_miss_form import FORM_ACTIONS, INJURY_ACTIONS, injury_card, report_form
from dialogs.card_prompt import CardDialog
from dialogs.context import speaker_of
from dialogs.files import FileFetcher, fetch_problem_text
from dialogs.outgoing import OutgoingActivity, card_activity, text_activity
from dialogs.work_accident import DIALOG_ID as WORK_ACCIDENT_DIALOG
from domain.actor import Speaker
from domain.commands import Flow
from domain.files import FileKind, IncomingFile, megabytes
from domain.i18n import t
from domain.ids import row_id
from domain.near_miss_forms import NearMissForm, kept_values, validate_form
from domain.org import UnitRef
from domain.photos import INLINE_BYTES, MAX_PIXELS, SHOW_PHOTOS, StoredPhoto
from domain.submissions import sent_anonymously
from domain.work_accident_forms import values_from_near_miss_form
from services.near_miss_photos import PhotoAdded, PhotoRefusal, ReportPhotos

DIALOG_ID: Final = "near_miss"
NAME_KEY: Final = "near_miss.dialog_name"
_FORM: Final = "near_miss.form"
_INJURY: Final = "near_miss.injury"
_PROMPT: Final = "near_miss.prompt"
LIST_WORDS: Final = frozenset(
    {
        "nærved liste",
        "nærvedliste",
        "nærved-liste",
        "nærved-hændelser",
        "nærvedhændelser",
        "near miss list",
        "near-miss list",
        "nearmiss list",
        "near misses",
    }
)
_FORM_ID: Final = re.compile(r"^[0-9a-f]{32}$")
MEGAPIXELS: Final = MAX_PIXELS // 1_000_000
_PHOTO_WORDS: Final = re.compile(r"^(?:foto|fotos|photo|photos)\s+(nm-\d{4}-\d{1,6})$")
PHOTO_KEY: Final = "photo_key"
"""Where the reporting dialog keeps the random key its photos wait under until it is sent."""


class NearMissServices(Protocol):
    """What the near-miss dialog and its cards need from the rest of the bot."""

    async def units(self) -> list[UnitRef]: ...

    async def submit(
        self,
        speaker: Speaker,
        form: NearMissForm,
        submission_key: str,
        photo_key: str | None = None,
    ) -> Card | None:
        """Store the report (once per key) with the photos sent under `photo_key`, tell the
        unit's AMKs later; the receipt card, or None when the form's unit is not an active
        unit (nothing is stored)."""

    async def list_card(self, speaker: Speaker) -> Card:
        """The open reports the speaker may follow up, or a clear refusal."""


def _form_id(value: dict[str, Any], options: dict[str, Any]) -> str:
    """The submitted card's own id (a double click sends the same one twice)."""
    sent = str(value.get("form_id") or "")
    return sent if _FORM_ID.match(sent) else str(options.get("form_id") or uuid.uuid4().hex)


class NearMissDialog(CardDialog):
    """Form (kept and corrected until valid) → injury guardrail if someone was hurt (where
    the report can become a work accident's instead) → store."""

    def __init__(self, services: NearMissServices) -> None:
        super().__init__(
            DIALOG_ID,
            _PROMPT,
            (_FORM, [self._show_form, self._form_sent]),
            (_INJURY, [self._show_injury, self._injury_answered]),
        )
        self.services = services

    async def _show_form(self, step: WaterfallStepContext) -> DialogTurnResult:
        speaker = speaker_of(step.context)
        options = self._options(step)
        form_id = str(options.get("form_id") or uuid.uuid4().hex)
        errors = {
            field: t(speaker.lang, key) for field, key in (options.get("errors") or {}).items()
        }
        card = report_form(
            speaker.lang,
            await self.services.units(),
            now=datetime.now(UTC),
            form_id=form_id,
            values=dict(options.get("values") or {}),
            errors=errors,
        )
        return await step.prompt(
            _PROMPT, {"card": card, "actions": list(FORM_ACTIONS), "name_key": NAME_KEY}
        )

    async def _form_sent(self, step: WaterfallStepContext) -> DialogTurnResult:
        value: dict[str, Any] = step.result
        if value.get("action") == "near_miss.cancel":
            return await self._cancelled(step)
        form_id = _form_id(value, self._options(step))
        values = kept_values(value)
        form, problems = validate_form(value, datetime.now(UTC))
        if form is None:
            return await step.replace_dialog(
                _FORM, {"values": values, "errors": problems, "form_id": form_id}
            )
        if form.injured:
            return await step.replace_dialog(_INJURY, {"values": values, "form_id": form_id})
        return await self._store(step, form, values, form_id)

    async def _show_injury(self, step: WaterfallStepContext) -> DialogTurnResult:
        speaker = speaker_of(step.context)
        values = dict(self._options(step).get("values") or {})
        return await step.prompt(
            _PROMPT,
            {
                "card": injury_card(speaker.lang, anonymous=sent_anonymously(values)),
                "actions": list(INJURY_ACTIONS),
                "name_key": NAME_KEY,
            },
        )

    async def _injury_answered(self, step: WaterfallStepContext) -> DialogTurnResult:
        value: dict[str, Any] = step.result
        options = self._options(step)
        values: dict[str, str] = dict(options.get("values") or {})
        form_id = str(options.get("form_id") or uuid.uuid4().hex)
        action = value.get("action")
        if action == "near_miss.cancel":
            return await self._cancelled(step)
        if action == "near_miss.as_accident":
            # Not a near miss after all: the accident form takes over with what was typed,
            # and nothing is stored as a near miss.
            await step.parent.replace_dialog(
                WORK_ACCIDENT_DIALOG, {"values": values_from_near_miss_form(values)}
            )
            return Dialog.end_of_turn
        form, problems = validate_form(values, datetime.now(UTC))
        if action == "near_miss.edit" or form is None:
            return await step.replace_dialog(
                _FORM, {"values": values, "errors": problems, "form_id": form_id}
            )
        return await self._store(step, form, values, form_id)

    async def _store(
        self, step: WaterfallStepContext, form: NearMissForm, values: dict[str, Any], form_id: str
    ) -> DialogTurnResult:
        """Store, answer with the receipt and end: the form leaves the dialog state. A unit
        that is not (or no longer) active brings the form back."""
        speaker = speaker_of(step.context)
        outer = step.parent.active_dialog if step.parent is not None else None
        photo_key = outer.state.get(PHOTO_KEY) if outer is not None else None
        receipt = await self.services.submit(
            speaker, form, form_id, str(photo_key) if photo_key else None
        )
        if receipt is None:
            return await step.replace_dialog(
                _FORM,
                {"values": values, "errors": {"unit_id": "form.error.unit"}, "form_id": form_id},
            )
        await step.context.send_activity(card_activity(receipt))
        return await step.end_dialog()

    async def _cancelled(self, step: WaterfallStepContext) -> DialogTurnResult:
        speaker = speaker_of(step.context)
        await step.context.send_activity(text_activity(t(speaker.lang, "near_miss.cancelled")))
        return await step.end_dialog()


class PhotoServices(Protocol):
    """What near-miss photos need from the rest of the bot."""

    async def add_pending(self, pending_key: str, data: bytes) -> PhotoAdded: ...

    async def add_to_own_report(self, speaker: Speaker, number: str, data: bytes) -> PhotoAdded: ...

    async def photos_for(self, speaker: Speaker, report_id: int) -> ReportPhotos | None: ...


class NearMissModule:
    """Plugs near-miss reporting into the router: menu entry, dialog, list words, photos sent
    while reporting (or with "foto NM-…" afterwards), and the report card's **Vis fotos**."""

    flow: Flow | None = Flow.NEAR_MISS
    dialog_id: str | None = DIALOG_ID
    name_key = NAME_KEY
    submit_actions = frozenset({SHOW_PHOTOS})

    def __init__(
        self,
        services: NearMissServices,
        photos: PhotoServices | None = None,
        fetcher: FileFetcher | None = None,
    ) -> None:
        self.services = services
        self.photos = photos
        self.fetcher = fetcher

    def dialogs(self) -> list[Dialog]:
        return [NearMissDialog(self.services)]

    async def on_text(self, turn_context: TurnContext, text: str) -> bool:
        number = photo_number(text)
        if number is not None:
            speaker = speaker_of(turn_context)
            said = t(speaker.lang, "files_in.photo.how", number=number)
            await turn_context.send_activity(text_activity(said))
            return True
        if text not in LIST_WORDS:
            return False
        card = await self.services.list_card(speaker_of(turn_context))
        await turn_context.send_activity(card_activity(card))
        return True

    async def on_files(
        self, dialog_context: DialogContext, files: list[IncomingFile], text: str
    ) -> bool:
        """Photos while the form is open (they wait under the dialog's key and go with the
        report), or with "foto NM-…" for the speaker's own named report."""
        if self.photos is None or self.fetcher is None:
            return False
        active = dialog_context.active_dialog
        reporting = active is not None and active.id == DIALOG_ID
        number = photo_number(text)
        if not reporting and number is None:
            return False
        turn_context = dialog_context.context
        speaker = speaker_of(turn_context)
        pictures = [file for file in files if file.kind is FileKind.IMAGE or file.is_photo]
        if not pictures:
            if number is None:
                return False  # e.g. a precursor sheet while reporting: not a photo
            await turn_context.send_activity(text_activity(t(speaker.lang, "files_in.photo.none")))
            return True
        key = ""
        if reporting and active is not None:
            key = str(active.state.setdefault(PHOTO_KEY, uuid.uuid4().hex))
        lines: list[str] = []
        last: PhotoAdded | None = None
        for file in pictures:
            name = file.name or t(speaker.lang, "files_in.unnamed")
            fetched = await self.fetcher.fetch(file, turn_context.activity.service_url)
            if fetched.data is None:
                lines.append(
                    fetch_problem_text(speaker, fetched.problem, name, self.fetcher.max_bytes)
                )
                continue
            if key:
                added = await self.photos.add_pending(key, fetched.data)
            else:
                added = await self.photos.add_to_own_report(speaker, number or "", fetched.data)
            if added.refused is PhotoRefusal.NOT_YOURS:
                lines.append(t(speaker.lang, "files_in.photo.not_yours"))
                break
            if added.refused is PhotoRefusal.NOT_PHOTO:
                lines.append(t(speaker.lang, "files_in.photo.not_photo", name=name))
            elif added.refused is PhotoRefusal.TOO_MANY_PIXELS:
                said = t(speaker.lang, "files_in.photo.too_many_pixels", name=name, most=MEGAPIXELS)
                lines.append(said)
            elif added.refused is PhotoRefusal.TOO_MANY:
                lines.append(t(speaker.lang, "files_in.photo.too_many", count=added.count))
                break
            else:
                last = added
        if last is not None:
            if key:
                lines.insert(0, t(speaker.lang, "files_in.photo.kept", count=last.count))
                lines.append(t(speaker.lang, "files_in.photo.anonymous"))
            else:
                done = t(speaker.lang, "files_in.photo.added", number=last.number, count=last.count)
                lines.insert(0, done)
        await turn_context.send_activity(text_activity("\n\n".join(lines)))
        return True

    async def on_submit(
        self, turn_context: TurnContext, action: str, value: dict[str, Any]
    ) -> None:
        """**Vis fotos** on a report card: the photos into the reader's chat as images (the
        read is audited), each in its own message; photos are scaled down when they are
        stored, and one stored before that is scaled down as it is shown, so only one that
        cannot be scaled down is too large to send inline: it is named."""
        speaker = speaker_of(turn_context)
        report_id = row_id(value.get("report_id"))
        found = (
            await self.photos.photos_for(speaker, report_id)
            if self.photos is not None and report_id is not None
            else None
        )
        if found is None:
            said = t(speaker.lang, "files_in.photos.not_allowed")
            await turn_context.send_activity(text_activity(said))
            return
        if not found.photos:
            said = t(speaker.lang, "files_in.photos.gone")
            await turn_context.send_activity(text_activity(said))
            return
        heading = t(speaker.lang, "files_in.photos.heading", number=found.number)
        await turn_context.send_activity(text_activity(heading))
        for index, photo in enumerate(found.photos, start=1):
            if len(photo.data) > INLINE_BYTES:  # could not be scaled down
                said = t(
                    speaker.lang,
                    "files_in.photos.too_large",
                    index=index,
                    size=megabytes(len(photo.data)),
                )
                await turn_context.send_activity(text_activity(said))
                continue
            await turn_context.send_activity(image_activity(found.number, index, photo))


def photo_number(text: str) -> str | None:
    """The report number in "foto NM-2026-0003" (normalised text), upper-cased."""
    found = _PHOTO_WORDS.match(text)
    return found.group(1).upper() if found else None


def image_activity(number: str, index: int, photo: StoredPhoto) -> Activity:
    """One photo as an inline image attachment."""
    encoded = base64.b64encode(photo.data).decode("ascii")
    extension = "png" if photo.content_type == "image/png" else "jpg"
    return OutgoingActivity(
        type=ActivityTypes.message,
        attachments=[
            Attachment(
                content_type=photo.content_type,
                content_url=f"data:{photo.content_type};base64,{encoded}",
                name=f"{number}-{index}.{extension}",
            )
        ],
    )
