"""The export picker, the "Eksporter til Excel" button the overview cards carry, and the
Teams file cards (consent and file info) an export is sent with."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Final

from microsoft_teams.cards import (
    ActionSet,
    AdaptiveCard,
    CardElement,
    Choice,
    ChoiceSetInput,
    NumberInput,
    SubmitAction,
)

from cards.common import Card, paragraph, render, submit, title
from domain.exports import FIRST_YEAR, LAST_YEAR, ExportKind, ExportRequest
from domain.i18n import Lang, t
from domain.org import UnitRef

FILE_CONSENT_TYPE: Final = "application/vnd.microsoft.teams.card.file.consent"
FILE_INFO_TYPE: Final = "application/vnd.microsoft.teams.card.file.info"
OFFER_ACTION: Final = "export.offer"
PICK_ACTION: Final = "export.pick"
ALL_UNITS: Final = "all"


def export_button(
    lang: Lang, kind: ExportKind, *, unit_id: int | None = None, year: int | None = None
) -> SubmitAction:
    """The "Eksporter til Excel" button of a card with a register behind it: it asks for the
    file (a consent card follows); the bot checks again who may have it."""
    data: dict[str, Any] = {"kind": kind.value}
    if unit_id is not None:
        data["unit_id"] = unit_id
    if year is not None:
        data["year"] = year
    return submit(t(lang, "exports.button"), OFFER_ACTION, **data)


def proof_button(lang: Lang, file_id: int) -> SubmitAction:
    """**Hent beviset** on a record's line: the proof file through a consent card (the bot
    checks again who may have it)."""
    return submit(
        t(lang, "proofs.fetch"), OFFER_ACTION, kind=ExportKind.PROOF.value, proof_id=file_id
    )


def with_export(
    card: Card,
    lang: Lang,
    kind: ExportKind | None,
    *,
    unit_id: int | None = None,
    year: int | None = None,
) -> Card:
    """`card` with an "Eksporter til Excel" button under its content: the register `kind`
    of the unit and year at once, or (kind None, for cards about several units) the picker."""
    action = (
        export_button(lang, kind, unit_id=unit_id, year=year)
        if kind is not None
        else submit(t(lang, "exports.button"), PICK_ACTION)
    )
    row = ActionSet(actions=[action]).model_dump(exclude_none=True, by_alias=True)
    return {**card, "body": [*card.get("body", []), row]}


def picker_card(
    lang: Lang,
    kinds: Sequence[ExportKind],
    units: Sequence[UnitRef],
    *,
    year: int,
    all_units: bool,
    error: str | None = None,
) -> Card:
    """What the person may export: the register, the unit and the year."""
    unit_choices = [Choice(title=unit.name, value=str(unit.id)) for unit in units]
    if all_units:
        unit_choices.insert(0, Choice(title=t(lang, "exports.unit.all"), value=ALL_UNITS))
    body: list[CardElement] = [
        title(t(lang, "exports.title")),
        paragraph(t(lang, "exports.intro")),
        ChoiceSetInput(
            id="kind",
            label=t(lang, "exports.kind"),
            style="expanded",
            is_required=True,
            error_message=t(lang, "exports.kind.required"),
            wrap=True,
            value=kinds[0].value if len(kinds) == 1 else None,
            choices=[Choice(title=t(lang, kind.label_key), value=kind.value) for kind in kinds],
        ),
    ]
    if unit_choices:
        body.append(
            ChoiceSetInput(
                id="unit_id",
                label=t(lang, "exports.unit"),
                style="compact",
                wrap=True,
                value=unit_choices[0].value if len(unit_choices) == 1 else None,
                choices=unit_choices,
            )
        )
        if all_units:
            body.append(paragraph(t(lang, "exports.unit.hint"), subtle=True))
    body.append(
        NumberInput(
            id="year",
            label=t(lang, "exports.year"),
            min=FIRST_YEAR,
            max=LAST_YEAR,
            is_required=True,
            error_message=t(lang, "exports.year.error"),
            value=year,
        )
    )
    if error:
        body.append(paragraph(f"**{error}**"))
    return render(
        AdaptiveCard(body=body, actions=[submit(t(lang, "exports.button"), OFFER_ACTION)])
    )


def consent_attachment(
    lang: Lang, name: str, size: int, request: ExportRequest, token: str
) -> dict[str, Any]:
    """The file consent card: Teams asks the person to accept the file into their OneDrive.
    Its contexts carry what was asked for and a token for the workbook built already; both
    come back in the `fileConsent/invoke` and are checked again there."""
    context = {"export": request.model_dump(mode="json", exclude_none=True), "token": token}
    key = "proofs.consent" if request.kind is ExportKind.PROOF else "exports.consent"
    return {
        "contentType": FILE_CONSENT_TYPE,
        "name": name,
        "content": {
            "description": t(lang, key, name=name),
            "sizeInBytes": size,
            "acceptContext": context,
            "declineContext": context,
        },
    }


def file_info_attachment(
    name: str, content_url: str, unique_id: str, file_type: str
) -> dict[str, Any]:
    """The file info card Teams shows for the uploaded file (open, download)."""
    return {
        "contentType": FILE_INFO_TYPE,
        "contentUrl": content_url,
        "name": name,
        "content": {"uniqueId": unique_id, "fileType": file_type},
    }
