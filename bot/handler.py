"""The Teams activity handler: who is speaking, installs, messages and card actions."""

from __future__ import annotations

import logging
from collections.abc import Callable
from http import HTTPStatus
from typing import Any

from botbuilder.core import TurnContext
from botbuilder.core.teams import TeamsActivityHandler
from botbuilder.schema import Activity, ActivityTypes, ChannelAccount, InvokeResponse
from sqlalchemy import update

from bot.config import Settings
from bot.connector import ConnectorClient, ConnectorError
from bot.files_out import FileExports
from bot.state import DatabaseConversationState
from bot.turn_gate import NORMAL, URGENT, TurnGate
from bot.turn_order import ConversationTurns
from cards.common import CARD_CONTENT_TYPE, Card, notice_card
from dialogs.channels import channel_address, channel_data, sub_dict
from dialogs.context import set_speaker, speaker_of
from dialogs.outgoing import OutgoingActivity, text_activity
from dialogs.router import Router
from domain.actor import Speaker
from domain.addresses import Address
from domain.i18n import preferred_lang, t
from domain.org import is_email
from domain.submissions import sent_anonymously
from services.actions import Verbs
from storage import conversations, org
from storage.audit import audited
from storage.db import Database
from storage.models import ConversationRef
from storage.turn_start import KnownChat, KnownPerson, read_turn_start

log = logging.getLogger(__name__)


def conversation_kind(activity: Activity) -> str:
    kind = getattr(activity.conversation, "conversation_type", None)
    if kind in ("personal", "channel", "groupChat"):
        return str(kind)
    return "personal" if not getattr(activity.conversation, "is_group", False) else "groupChat"


def card_response(card: Card) -> InvokeResponse:
    """The HTTP body Teams expects for `adaptiveCard/action`: the card that replaces the old one."""
    return InvokeResponse(
        status=int(HTTPStatus.OK),
        body={"statusCode": 200, "type": CARD_CONTENT_TYPE, "value": card},
    )


def message_response(text: str) -> InvokeResponse:
    """An invoke answer that shows a short message and leaves the card as it is."""
    return InvokeResponse(
        status=int(HTTPStatus.OK),
        body={
            "statusCode": 200,
            "type": "application/vnd.microsoft.activity.message",
            "value": text,
        },
    )


def error_response(status: int, code: str, message: str) -> InvokeResponse:
    return InvokeResponse(
        status=int(HTTPStatus.OK),
        body={
            "statusCode": status,
            "type": "application/vnd.microsoft.error",
            "value": {"code": code, "message": message},
        },
    )


class AmkBot(TeamsActivityHandler):  # type: ignore[misc]
    """Resolves the speaker, keeps conversation references, answers card actions from the
    verb registry, and hands messages to the router."""

    def __init__(
        self,
        settings: Settings,
        db: Database,
        conversation_state: DatabaseConversationState,
        router: Router,
        actions: Verbs,
        connector: ConnectorClient,
        gate: TurnGate | None = None,
        chat_opened: Callable[[int], None] | None = None,
        files: FileExports | None = None,
    ) -> None:
        super().__init__()
        self.settings = settings
        self.db = db
        self.conversation_state = conversation_state
        self.router = router
        self.actions = actions
        self.connector = connector
        self.turns = ConversationTurns()
        self.gate = gate or TurnGate(settings.turns_at_once(sqlite=db.is_sqlite))
        # told of each person whose 1:1 chat Teams reports (cards may wait for it)
        self.chat_opened = chat_opened
        # registers sent as files (the answers to file consent cards)
        self.files = files

    async def on_turn(self, turn_context: TurnContext) -> None:
        conversation = getattr(turn_context.activity.conversation, "id", None) or ""
        allowance = URGENT if turn_context.activity.type == ActivityTypes.invoke else NORMAL
        async with self.turns.hold(conversation), self.gate.turn(allowance):
            await self._resolve_speaker(turn_context)
            try:
                await super().on_turn(turn_context)
            finally:
                await self.conversation_state.save_changes(turn_context)

    # -- who is speaking ---------------------------------------------------------------------

    async def _resolve_speaker(self, turn_context: TurnContext) -> None:
        activity = turn_context.activity
        sender: ChannelAccount | None = activity.from_property
        kind = conversation_kind(activity)
        person: KnownPerson | None = None
        if (
            sender is not None
            and sender.id
            and sender.id != getattr(activity.recipient, "id", None)
        ):
            remembers_chat = kind == "personal" and activity.type in (
                ActivityTypes.message,
                ActivityTypes.invoke,
            )
            start = await read_turn_start(
                self.db,
                aad_object_id=sender.aad_object_id,
                conversation_id=activity.conversation.id if remembers_chat else None,
                state_key=(
                    self.conversation_state.get_storage_key(turn_context)
                    if remembers_chat
                    else None
                ),
            )
            known, chat = start.person, start.chat
            if remembers_chat:
                self.conversation_state.prime(turn_context, start.state)
            if known is not None and (
                _sent_anonymously(activity)
                or self._nothing_new(known, chat, activity, sender, remembers_chat)
            ):
                person = known
            else:
                person = await self._record_speaker(activity, sender, known, kind, remembers_chat)
        lang = preferred_lang(person.language_override if person else None, activity.locale)
        upn = person.upn if person else None
        set_speaker(
            turn_context,
            Speaker(
                person_id=person.id if person else None,
                name=person.name if person else None,
                upn=upn,
                lang=lang,
                is_admin=bool(upn and upn in self.settings.admin_upns),
            ),
        )

    @staticmethod
    def _nothing_new(
        known: KnownPerson,
        chat: KnownChat | None,
        activity: Activity,
        sender: ChannelAccount,
        remembers_chat: bool,
    ) -> bool:
        """Most turns change nothing about the speaker: then the turn writes nothing for them."""
        if known.name != (sender.name or known.name) or known.teams_user_id != sender.id:
            return False
        if activity.locale and known.locale != activity.locale:
            return False
        if not known.upn and activity.type != ActivityTypes.message:
            return False
        if not remembers_chat:
            return True
        return (
            chat is not None
            and chat.active
            and chat.person_id == known.id
            and chat.service_url == activity.service_url
        )

    async def _record_speaker(
        self,
        activity: Activity,
        sender: ChannelAccount,
        known: KnownPerson | None,
        kind: str,
        remembers_chat: bool,
    ) -> KnownPerson:
        upn, name = None, sender.name
        if known is None or (not known.upn and activity.type != ActivityTypes.message):
            upn, looked_up_name = await self._lookup_member(activity, sender)
            name = name or looked_up_name
        async with audited(self.db) as connection:
            person = await org.upsert_person(
                connection,
                aad_object_id=sender.aad_object_id,
                upn=upn,
                name=name,
                teams_user_id=sender.id,
                locale=activity.locale,
            )
            if remembers_chat:
                await conversations.remember(
                    connection, self._address(activity, kind), person_id=person.id
                )
        return KnownPerson.of(person)

    async def _lookup_member(
        self, activity: Activity, sender: ChannelAccount
    ) -> tuple[str | None, str | None]:
        """Teams leaves the UPN (and sometimes the name) out; ask the connector once per person."""
        try:
            member = await self.connector.member(
                activity.service_url, activity.conversation.id, sender.id
            )
        except ConnectorError as error:
            log.info("could not look up the member (%s)", error.status or "no answer")
            return None, None
        name = member.get("name") if isinstance(member.get("name"), str) else None
        for field in ("userPrincipalName", "email"):
            value = member.get(field)
            if isinstance(value, str) and is_email(value):
                return value, name
        return None, name

    def _address(self, activity: Activity, kind: str) -> Address:
        data = channel_data(activity)
        tenant = sub_dict(data, "tenant").get("id")
        channel = sub_dict(data, "channel")
        return Address(
            conversation_id=activity.conversation.id,
            kind=kind,
            service_url=activity.service_url,
            tenant_id=tenant or getattr(activity.conversation, "tenant_id", None),
            bot_id=activity.recipient.id,
            bot_name=activity.recipient.name,
            user_id=activity.from_property.id if activity.from_property else None,
            channel_id=channel.get("id") if kind == "channel" else None,
            channel_name=channel.get("name") if kind == "channel" else None,
        )

    # -- messages ----------------------------------------------------------------------------

    async def on_message_activity(self, turn_context: TurnContext) -> None:
        if conversation_kind(turn_context.activity) == "personal":
            await self.router.on_personal_message(turn_context)
        else:
            await self.router.on_group_message(turn_context)

    # -- card actions ------------------------------------------------------------------------

    async def on_invoke_activity(self, turn_context: TurnContext) -> InvokeResponse | None:
        """The answer goes back in an activity built for this one send: botbuilder would wrap
        it in one of its own and deep-copy that, the card included."""
        response = await self._answer_invoke(turn_context)
        if response is not None and not turn_context.turn_state.get(
            TurnContext._INVOKE_RESPONSE_KEY
        ):
            await turn_context.send_activity(
                OutgoingActivity(value=response, type=ActivityTypes.invoke_response)
            )
        return response

    async def _answer_invoke(self, turn_context: TurnContext) -> InvokeResponse | None:
        if turn_context.activity.name == "fileConsent/invoke" and self.files is not None:
            return await self.files.on_consent(
                turn_context, speaker_of(turn_context), turn_context.activity.value
            )
        if turn_context.activity.name != "adaptiveCard/action":
            return await super().on_invoke_activity(turn_context)
        speaker = speaker_of(turn_context)
        value = turn_context.activity.value
        action = value.get("action") if isinstance(value, dict) else None
        verb = action.get("verb") if isinstance(action, dict) else None
        data = action.get("data") if isinstance(action, dict) else None
        if not isinstance(verb, str) or not verb:
            return error_response(400, "BadRequest", t(speaker.lang, "card.invalid_input"))
        try:
            answer = await self.actions.answer(
                speaker, verb, data if isinstance(data, dict) else {}
            )
        except Exception:
            log.exception("card action %s failed", verb)
            answer = notice_card(t(speaker.lang, "app.name"), t(speaker.lang, "error.generic"))
        if isinstance(answer, str):
            return message_response(answer)
        return card_response(answer)

    # -- installs and removals ----------------------------------------------------------------

    async def on_conversation_update_activity(self, turn_context: TurnContext) -> None:
        activity = turn_context.activity
        bot_id = getattr(activity.recipient, "id", None)
        data = channel_data(activity)
        event = data.get("eventType")
        if any(member.id == bot_id for member in activity.members_added or []):
            await self._installed(turn_context)
        elif any(member.id == bot_id for member in activity.members_removed or []):
            await self._uninstalled(turn_context)
        elif event in ("channelCreated", "channelRenamed", "channelRestored"):
            await self._channel_changed(turn_context, active=True)
        elif event == "channelDeleted":
            await self._channel_changed(turn_context, active=False)
        elif event == "teamDeleted":
            await self._uninstalled(turn_context)

    async def on_installation_update_add(self, turn_context: TurnContext) -> None:
        await self._installed(turn_context)

    async def on_installation_update_remove(self, turn_context: TurnContext) -> None:
        await self._uninstalled(turn_context)

    async def _installed(self, turn_context: TurnContext) -> None:
        activity = turn_context.activity
        kind = conversation_kind(activity)
        team = channel_data(activity).get("team")
        if isinstance(team, dict) and team.get("id"):
            await self._installed_in_team(turn_context, team)
            return
        speaker = speaker_of(turn_context)
        async with audited(self.db) as connection:
            ref = await conversations.remember(
                connection, self._address(activity, kind), person_id=speaker.person_id
            )
            if ref is None:
                return
            greeted = await connection.execute(
                update(ConversationRef)
                .where(ConversationRef.id == ref.id, ConversationRef.welcomed.is_(False))
                .values(welcomed=True)
            )
        if kind == "personal" and speaker.person_id is not None and self.chat_opened:
            self.chat_opened(speaker.person_id)
        if not getattr(greeted, "rowcount", 0):
            return
        if kind == "personal":
            await self.router.welcome(turn_context)
        else:
            await turn_context.send_activity(text_activity(t(speaker.lang, "channel.help")))

    async def _installed_in_team(self, turn_context: TurnContext, team: dict[str, Any]) -> None:
        activity = turn_context.activity
        speaker = speaker_of(turn_context)
        data = channel_data(activity)
        tenant = sub_dict(data, "tenant").get("id")
        try:
            channels = await self.connector.team_channels(activity.service_url, str(team["id"]))
        except ConnectorError as error:
            log.warning("could not list the team's channels (%s)", error.status or "no answer")
            channels = []
        if not any(channel.get("id") == team["id"] for channel in channels):
            channels.append({"id": team["id"], "name": None})
        async with audited(self.db) as connection:
            stored = await conversations.install_team(
                connection,
                team_id=str(team["id"]),
                name=team.get("name"),
                aad_group_id=team.get("aadGroupId"),
                tenant_id=tenant,
                service_url=activity.service_url,
                actor=speaker.actor,
            )
            for channel in channels:
                await conversations.remember(
                    connection,
                    channel_address(activity, channel),
                    team=stored,
                )
            where = await conversations.remember(
                connection, self._address(activity, "channel"), team=stored
            )
            if where is None:
                return
            greeted = await connection.execute(
                update(ConversationRef)
                .where(ConversationRef.id == where.id, ConversationRef.welcomed.is_(False))
                .values(welcomed=True)
            )
        if getattr(greeted, "rowcount", 0):
            name = team.get("name") or ""
            await turn_context.send_activity(
                text_activity(t(speaker.lang, "channel.hello", team=name).replace("  ", " "))
            )

    async def _uninstalled(self, turn_context: TurnContext) -> None:
        activity = turn_context.activity
        speaker = speaker_of(turn_context)
        team = channel_data(activity).get("team")
        async with audited(self.db) as connection:
            if isinstance(team, dict) and team.get("id"):
                await conversations.remove_team(
                    connection, team_id=str(team["id"]), actor=speaker.actor
                )
            else:
                await conversations.uninstall_chat(
                    connection, activity.conversation.id, person_id=speaker.person_id
                )

    async def _channel_changed(self, turn_context: TurnContext, *, active: bool) -> None:
        activity = turn_context.activity
        data = channel_data(activity)
        team = data.get("team")
        channel = data.get("channel")
        if not isinstance(team, dict) or not isinstance(channel, dict) or not channel.get("id"):
            return
        async with audited(self.db) as connection:
            stored = await conversations.install_team(
                connection,
                team_id=str(team["id"]),
                name=team.get("name"),
                aad_group_id=team.get("aadGroupId"),
                tenant_id=sub_dict(data, "tenant").get("id"),
                service_url=activity.service_url,
                actor=speaker_of(turn_context).actor,
            )
            await conversations.remember(
                connection, channel_address(activity, channel), team=stored, active=active
            )


def _sent_anonymously(activity: Activity) -> bool:
    """A card submit (message or `Action.Execute`) made anonymously."""
    value = activity.value if isinstance(activity.value, dict) else {}
    action = value.get("action")
    data = action.get("data") if isinstance(action, dict) else value
    return isinstance(data, dict) and sent_anonymously(data)
