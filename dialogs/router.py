"""Routes every message and card action: global words first, then the active dialog."""

from __future__ import annotations

import logging
from typing import Any

from botbuilder.core import ConversationState, TurnContext
from botbuilder.dialogs import DialogContext, DialogSet

from cards.admin import unit_roles_card
from cards.common import Card, help_card, menu_card, notice_card, plain, welcome_card
from dialogs.admin import ADMIN_DIALOG, AdminDialog
from dialogs.admin import NAME_KEY as ADMIN_NAME_KEY
from dialogs.card_prompt import awaits
from dialogs.context import speaker_of
from dialogs.modules import ChannelHandler, FlowModule, SubmitReceipts
from dialogs.outgoing import card_activity, text_activity
from domain.actor import Speaker
from domain.commands import Command, Flow, normalise_text, parse_command, parse_flow
from domain.i18n import Lang, t
from domain.ids import row_id
from domain.submissions import key_in
from services.org import OrgServices

log = logging.getLogger(__name__)

CORE_VERBS = frozenset({"settings.language", "admin.role.remove"})


class Router:
    """The conversation's front door, shared by message turns and card-action invokes."""

    def __init__(
        self,
        conversation_state: ConversationState,
        services: OrgServices,
        modules: list[FlowModule] | None = None,
        channel_handlers: list[ChannelHandler] | None = None,
    ) -> None:
        self.services = services
        self.modules = list(modules or [])
        self.channel_handlers = list(channel_handlers or [])
        self.dialogs = DialogSet(conversation_state.create_property("DialogState"))
        self.dialogs.add(AdminDialog(services))
        self.dialog_names: dict[str, str] = {ADMIN_DIALOG: ADMIN_NAME_KEY}
        self.flow_dialogs: dict[Flow, str] = {}
        self.verbs: dict[str, FlowModule] = {}
        self.receipts: dict[str, SubmitReceipts] = {}
        for module in self.modules:
            if isinstance(module, SubmitReceipts):
                self.receipts |= dict.fromkeys(module.creating_actions, module)
            for dialog in module.dialogs():
                self.dialogs.add(dialog)
            if module.dialog_id:
                self.dialog_names[module.dialog_id] = module.name_key
                if module.flow is not None:
                    self.flow_dialogs[module.flow] = module.dialog_id
            for verb in module.action_verbs:
                if verb in self.verbs or verb in CORE_VERBS:
                    raise ValueError(f"card action {verb!r} registered twice")
                self.verbs[verb] = module

    async def welcome(self, turn_context: TurnContext) -> None:
        speaker = speaker_of(turn_context)
        await turn_context.send_activity(card_activity(welcome_card(speaker.lang, speaker.name)))

    async def on_personal_message(self, turn_context: TurnContext) -> None:
        speaker = speaker_of(turn_context)
        dialog_context = await self.dialogs.create_context(turn_context)
        activity = turn_context.activity
        value = activity.value if isinstance(activity.value, dict) else None
        if value is not None:
            await self._on_card_submit(dialog_context, speaker, value)
            return
        command = parse_command(activity.text)
        if command is not None:
            await self._on_command(dialog_context, speaker, command)
            return
        flow = parse_flow(activity.text)
        if flow is not None:
            await self._start_flow(dialog_context, speaker, flow)
            return
        text = normalise_text(activity.text)
        for module in self.modules:
            if text and await module.on_text(turn_context, text):
                return
        if dialog_context.active_dialog is not None:
            await dialog_context.continue_dialog()
            return
        await self._say(turn_context, t(speaker.lang, "unknown.text"))

    async def on_group_message(self, turn_context: TurnContext) -> None:
        """In channels: the channel words (e.g. digest here); otherwise an explanation."""
        speaker = speaker_of(turn_context)
        text = normalise_text(turn_context.activity.text)
        for handler in self.channel_handlers:
            if text and await handler.on_channel_text(turn_context, text):
                return
        await self._say(turn_context, t(speaker.lang, "channel.help"))

    async def on_universal_action(
        self, turn_context: TurnContext, verb: str, data: dict[str, Any]
    ) -> Card | str:
        """An `Action.Execute` (or its Submit fallback): the card to show instead, or a
        short message while the card stays."""
        speaker = speaker_of(turn_context)
        if verb == "settings.language":
            lang = Lang.DA if data.get("lang") == Lang.DA.value else Lang.EN
            await self.services.set_language(speaker, lang)
            return welcome_card(lang, speaker.name)
        if verb == "admin.role.remove":
            return await self._remove_role(speaker, data)
        module = self.verbs.get(verb)
        if module is not None:
            return await module.on_action(turn_context, verb, data)
        return notice_card(t(speaker.lang, "app.name"), t(speaker.lang, "action.unknown"))

    async def _remove_role(self, speaker: Speaker, data: dict[str, Any]) -> Card:
        assignment_id = row_id(data.get("assignment_id"))
        if not speaker.is_admin:
            await self.services.refuse(
                speaker, "role.remove", entity_type="role_assignment", entity_id=assignment_id
            )
            return notice_card(t(speaker.lang, "admin.title"), t(speaker.lang, "error.not_allowed"))
        unit_id = row_id(data.get("unit_id"))
        if assignment_id is None or unit_id is None:
            return notice_card(
                t(speaker.lang, "admin.title"), t(speaker.lang, "card.invalid_input")
            )
        removed = await self.services.remove_role(speaker, assignment_id)
        unit = await self.services.get_unit(unit_id)
        if unit is None:
            return notice_card(t(speaker.lang, "admin.title"), t(speaker.lang, "card.stale"))
        message = None
        if removed is not None:
            message = t(
                speaker.lang,
                "admin.removed",
                person=plain(removed.person),
                role=t(speaker.lang, f"role.{removed.role.value}"),
                unit=plain(unit.name),
            )
        holders = await self.services.unit_roles(unit.id)
        return unit_roles_card(speaker.lang, unit, holders, message=message, interactive=False)

    async def _on_card_submit(
        self, dialog_context: DialogContext, speaker: Speaker, value: dict[str, Any]
    ) -> None:
        turn_context = dialog_context.context
        action = value.get("action")
        if action == "menu.open":
            try:
                flow = Flow(str(value.get("flow")))
            except ValueError:
                await self._say(turn_context, t(speaker.lang, "card.invalid_input"))
                return
            await self._start_flow(dialog_context, speaker, flow)
        elif action == "menu.help":
            await self._send_help(dialog_context, speaker)
        elif action == "menu.show":
            await turn_context.send_activity(card_activity(menu_card(speaker.lang)))
        elif action in CORE_VERBS or action in self.verbs:
            answer = await self.on_universal_action(turn_context, str(action), value)
            if isinstance(answer, str):
                await self._say(turn_context, answer)
            else:
                await turn_context.send_activity(card_activity(answer))
        elif dialog_context.active_dialog is not None and await awaits(dialog_context, value):
            await dialog_context.continue_dialog()
        elif await self._sent_before(turn_context, value):
            return
        elif dialog_context.active_dialog is not None:
            await dialog_context.continue_dialog()
        else:
            await self._say(turn_context, t(speaker.lang, "card.stale"))

    async def _sent_before(self, turn_context: TurnContext, value: dict[str, Any]) -> bool:
        """A creating card sent again that the dialog no longer waits for (a double click, a
        resend after a restart): its receipt again, if its key created something."""
        action = str(value.get("action"))
        module = self.receipts.get(action)
        key = key_in(value)
        if module is None or key is None:
            return False
        answer = await module.receipt(turn_context, action, key)
        if answer is None:
            return False
        if isinstance(answer, str):
            await self._say(turn_context, answer)
        else:
            await turn_context.send_activity(card_activity(answer))
        return True

    async def _on_command(
        self, dialog_context: DialogContext, speaker: Speaker, command: Command
    ) -> None:
        turn_context = dialog_context.context
        if command is Command.HELP:
            await self._send_help(dialog_context, speaker)
        elif command is Command.MENU:
            await turn_context.send_activity(card_activity(menu_card(speaker.lang)))
        elif command is Command.CANCEL:
            name = self._active_name(dialog_context, speaker.lang)
            if name is None:
                await self._say(turn_context, t(speaker.lang, "cancel.nothing"))
                return
            await dialog_context.cancel_all_dialogs()
            await self._say(turn_context, t(speaker.lang, "cancel.done", dialog=name))
        elif command is Command.LANGUAGE:
            lang = Lang.EN if speaker.lang is Lang.DA else Lang.DA
            await self.services.set_language(speaker, lang)
            await self._say(turn_context, t(lang, "language.switched"))
        elif command is Command.ADMIN:
            if not speaker.is_admin:
                await self.services.refuse(speaker, "admin.open", entity_type="role_assignment")
                await self._say(turn_context, t(speaker.lang, "error.not_allowed"))
                return
            await self._begin(dialog_context, speaker, ADMIN_DIALOG)

    async def _start_flow(
        self, dialog_context: DialogContext, speaker: Speaker, flow: Flow
    ) -> None:
        dialog_id = self.flow_dialogs.get(flow)
        if dialog_id is None:
            service = t(speaker.lang, flow.menu_key)
            await self._say(dialog_context.context, t(speaker.lang, "coming_soon", service=service))
            return
        await self._begin(dialog_context, speaker, dialog_id)

    async def _begin(self, dialog_context: DialogContext, speaker: Speaker, dialog_id: str) -> None:
        """Start a dialog, stopping (and saying so) any other one first."""
        name = self._active_name(dialog_context, speaker.lang)
        if name is not None:
            await dialog_context.cancel_all_dialogs()
            await self._say(dialog_context.context, t(speaker.lang, "dialog.replaced", dialog=name))
        await dialog_context.begin_dialog(dialog_id)

    async def _send_help(self, dialog_context: DialogContext, speaker: Speaker) -> None:
        card = help_card(
            speaker.lang,
            is_admin=speaker.is_admin,
            active_dialog=self._active_name(dialog_context, speaker.lang),
        )
        await dialog_context.context.send_activity(card_activity(card))

    def _active_name(self, dialog_context: DialogContext, lang: Lang) -> str | None:
        stack = dialog_context.stack
        if not stack:
            return None
        root: str = stack[-1].id
        key = self.dialog_names.get(root)
        return t(lang, key) if key else root

    @staticmethod
    async def _say(turn_context: TurnContext, text: str) -> None:
        await turn_context.send_activity(text_activity(text))
