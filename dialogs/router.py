"""Routes every message: global words first, then the active dialog; a card's Submit
fallback of an `Action.Execute` goes to the verb registry like the invoke does."""

from __future__ import annotations

import logging
from typing import Any

from botbuilder.core import ConversationState, TurnContext
from botbuilder.dialogs import DialogContext, DialogSet

from cards.common import help_card, menu_card, welcome_card
from dialogs.admin import ADMIN_DIALOG, AdminDialog
from dialogs.admin import NAME_KEY as ADMIN_NAME_KEY
from dialogs.card_prompt import awaits
from dialogs.context import speaker_of
from dialogs.files import FileReceiver, incoming_files
from dialogs.modules import ChannelHandler, FlowModule, SubmitHandler, SubmitReceipts
from dialogs.outgoing import card_activity, text_activity
from domain.actor import Speaker
from domain.commands import Command, Flow, normalise_text, parse_command, parse_flow
from domain.i18n import Lang, t
from domain.submissions import key_in
from services.actions import Verbs
from services.org import OrgServices

log = logging.getLogger(__name__)


class Router:
    """The conversation's front door for messages, card submits included."""

    def __init__(
        self,
        conversation_state: ConversationState,
        services: OrgServices,
        modules: list[FlowModule] | None = None,
        channel_handlers: list[ChannelHandler] | None = None,
        actions: Verbs | None = None,
    ) -> None:
        self.services = services
        self.actions = actions or Verbs()
        self.modules = list(modules or [])
        self.channel_handlers = list(channel_handlers or [])
        self.dialogs = DialogSet(conversation_state.create_property("DialogState"))
        self.dialogs.add(AdminDialog(services))
        self.dialog_names: dict[str, str] = {ADMIN_DIALOG: ADMIN_NAME_KEY}
        self.flow_dialogs: dict[Flow, str] = {}
        self.receipts: dict[str, SubmitReceipts] = {}
        self.submit_handlers: dict[str, SubmitHandler] = {}
        for module in self.modules:
            if isinstance(module, SubmitHandler):
                self.submit_handlers |= dict.fromkeys(module.submit_actions, module)
            if isinstance(module, SubmitReceipts):
                self.receipts |= dict.fromkeys(module.creating_actions, module)
            for dialog in module.dialogs():
                self.dialogs.add(dialog)
            if module.dialog_id:
                self.dialog_names[module.dialog_id] = module.name_key
                if module.flow is not None:
                    self.flow_dialogs[module.flow] = module.dialog_id

    async def welcome(self, turn_context: TurnContext) -> None:
        speaker = speaker_of(turn_context)
        card = welcome_card(speaker.lang, speaker.name, self.services.privacy)
        await turn_context.send_activity(card_activity(card))

    async def on_personal_message(self, turn_context: TurnContext) -> None:
        speaker = speaker_of(turn_context)
        dialog_context = await self.dialogs.create_context(turn_context)
        activity = turn_context.activity
        value = activity.value if isinstance(activity.value, dict) else None
        if value is not None:
            await self._on_card_submit(dialog_context, speaker, value)
            return
        files = incoming_files(activity)
        if files:
            await self._on_files(dialog_context, speaker, files)
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
            start = value.get("start")
            await self._start_flow(
                dialog_context, speaker, flow, start if isinstance(start, dict) else None
            )
        elif action == "menu.help":
            await self._send_help(dialog_context, speaker)
        elif action == "menu.show":
            await turn_context.send_activity(card_activity(menu_card(speaker.lang)))
        elif isinstance(action, str) and action in self.submit_handlers:
            await self.submit_handlers[action].on_submit(turn_context, action, value)
        elif isinstance(action, str) and action in self.actions:
            answer = await self.actions.answer(speaker, action, value)
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

    async def _on_files(
        self, dialog_context: DialogContext, speaker: Speaker, files: list[Any]
    ) -> None:
        """Files or images sent into the chat (a message with a file may hold no text): the
        module whose dialog is active first, then any module that takes them; otherwise a
        short word on what the bot can take."""
        text = normalise_text(dialog_context.context.activity.text)
        receivers = [module for module in self.modules if isinstance(module, FileReceiver)]
        root = dialog_context.active_dialog.id if dialog_context.active_dialog else None
        receivers.sort(key=lambda module: getattr(module, "dialog_id", None) != root)
        for module in receivers:
            if await module.on_files(dialog_context, files, text):
                return
        await self._say(dialog_context.context, t(speaker.lang, "files_in.not_here"))

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
        self,
        dialog_context: DialogContext,
        speaker: Speaker,
        flow: Flow,
        start: dict[str, Any] | None = None,
    ) -> None:
        """Start the flow's dialog; `start` (a card's `data.start`, e.g. the near miss an
        accident report starts from) is handed to it as the option `start`, for it to check
        (no dialog takes anything else from a card's data)."""
        dialog_id = self.flow_dialogs.get(flow)
        if dialog_id is None:
            service = t(speaker.lang, flow.menu_key)
            await self._say(dialog_context.context, t(speaker.lang, "coming_soon", service=service))
            return
        await self._begin(dialog_context, speaker, dialog_id, {"start": start} if start else None)

    async def _begin(
        self,
        dialog_context: DialogContext,
        speaker: Speaker,
        dialog_id: str,
        options: dict[str, Any] | None = None,
    ) -> None:
        """Start a dialog, stopping (and saying so) any other one first."""
        name = self._active_name(dialog_context, speaker.lang)
        if name is not None:
            await dialog_context.cancel_all_dialogs()
            await self._say(dialog_context.context, t(speaker.lang, "dialog.replaced", dialog=name))
        await dialog_context.begin_dialog(dialog_id, options)

    async def _send_help(self, dialog_context: DialogContext, speaker: Speaker) -> None:
        card = help_card(
            speaker.lang,
            is_admin=speaker.is_admin,
            active_dialog=self._active_name(dialog_context, speaker.lang),
            privacy=self.services.privacy,
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
