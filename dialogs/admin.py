"""Administrators see and assign roles per unit, one unit at a time."""

from __future__ import annotations

from typing import Any

from botbuilder.dialogs import (
    DialogTurnResult,
    WaterfallStepContext,
)
from pydantic import ValidationError

from cards.admin import role_label, unit_picker_card, unit_roles_card
from cards.common import plain
from dialogs.card_prompt import CardDialog
from dialogs.context import speaker_of
from dialogs.outgoing import text_activity
from domain.i18n import t
from domain.ids import row_id
from domain.org import RoleAssignmentForm
from services.org import OrgServices

ADMIN_DIALOG = "admin"
NAME_KEY = "admin.dialog_name"
_PICK = "admin.pick"
_ROLES = "admin.roles"
_PROMPT = "admin.prompt"


class AdminDialog(CardDialog):
    """Pick a unit → see its roles → assign or pick another unit, until done."""

    def __init__(self, services: OrgServices) -> None:
        super().__init__(
            ADMIN_DIALOG,
            _PROMPT,
            (_PICK, [self._show_units, self._unit_chosen]),
            (_ROLES, [self._show_roles, self._roles_action]),
        )
        self.services = services

    async def _show_units(self, step: WaterfallStepContext) -> DialogTurnResult:
        speaker = speaker_of(step.context)
        error = step.options.get("error") if isinstance(step.options, dict) else None
        card = unit_picker_card(speaker.lang, await self.services.list_units(), error=error)
        return await step.prompt(
            _PROMPT, {"card": card, "actions": ["admin.unit", "admin.done"], "name_key": NAME_KEY}
        )

    async def _unit_chosen(self, step: WaterfallStepContext) -> DialogTurnResult:
        speaker = speaker_of(step.context)
        value: dict[str, Any] = step.result
        if value.get("action") == "admin.done":
            return await self._close(step)
        unit_id = row_id(value.get("unit_id"))
        if unit_id is None or await self.services.get_unit(unit_id) is None:
            return await step.replace_dialog(_PICK, {"error": t(speaker.lang, "admin.unit.error")})
        return await step.replace_dialog(_ROLES, {"unit_id": unit_id})

    async def _show_roles(self, step: WaterfallStepContext) -> DialogTurnResult:
        speaker = speaker_of(step.context)
        options: dict[str, Any] = step.options if isinstance(step.options, dict) else {}
        unit = await self.services.get_unit(int(options["unit_id"]))
        if unit is None:
            return await step.replace_dialog(_PICK, {"error": t(speaker.lang, "admin.unit.error")})
        step.values["unit_id"] = unit.id
        card = unit_roles_card(
            speaker.lang,
            unit,
            await self.services.unit_roles(unit.id),
            message=options.get("message"),
            errors=options.get("errors"),
            values=options.get("values"),
            page=int(options.get("page") or 0),
            picker=self.services.picker,
        )
        return await step.prompt(
            _PROMPT,
            {
                "card": card,
                "actions": ["admin.assign", "admin.page", "admin.back", "admin.done"],
                "name_key": NAME_KEY,
            },
        )

    async def _roles_action(self, step: WaterfallStepContext) -> DialogTurnResult:
        speaker = speaker_of(step.context)
        value: dict[str, Any] = step.result
        unit_id = int(step.values["unit_id"])
        action = value.get("action")
        if action == "admin.done":
            return await self._close(step)
        if action == "admin.back":
            return await step.replace_dialog(_PICK)
        if action == "admin.page":
            page = row_id(value.get("page"))
            return await step.replace_dialog(_ROLES, {"unit_id": unit_id, "page": page or 0})
        kept = {key: str(value.get(key) or "") for key in ("upn", "name", "role")}
        try:
            form = RoleAssignmentForm.model_validate(value)
        except ValidationError as error:
            fields = {str(issue["loc"][0]) for issue in error.errors() if issue["loc"]}
            errors = {}
            if "upn" in fields:
                key = "people.pick.error" if self.services.picker else "admin.person.error"
                errors["upn"] = t(speaker.lang, key)
            if "role" in fields:
                errors["role"] = t(speaker.lang, "admin.role.error")
            if not errors:
                errors["card"] = t(speaker.lang, "card.invalid_input")
            return await step.replace_dialog(
                _ROLES, {"unit_id": unit_id, "errors": errors, "values": kept}
            )
        unit = await self.services.get_unit(unit_id)
        unit_name = unit.name if unit else ""
        assigned = await self.services.assign_role(speaker, unit_id, form)
        message = t(
            speaker.lang,
            "admin.assigned" if assigned is not None and assigned.added else "admin.already",
            person=plain(assigned.person if assigned else form.name or form.upn),
            role=role_label(speaker.lang, form.role),
            unit=plain(unit_name),
        )
        return await step.replace_dialog(_ROLES, {"unit_id": unit_id, "message": message})

    async def _close(self, step: WaterfallStepContext) -> DialogTurnResult:
        speaker = speaker_of(step.context)
        await step.context.send_activity(text_activity(t(speaker.lang, "admin.closed")))
        return await step.end_dialog()
