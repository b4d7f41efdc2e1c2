"""The aiohttp application: `/api/messages` for Teams and `/healthz` for operations."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from aiohttp import web
from botbuilder.core import TurnContext
from botbuilder.integration.aiohttp import CloudAdapter, ConfigurationBotFrameworkAuthentication
from botbuilder.schema import Activity, ActivityTypes
from yarl import URL

from bot.activity_json import activity_from_json, dumps, loads
from bot.auth_cache import CachingAuthentication
from bot.background import CANCEL_SECONDS, BackgroundTasks
from bot.channel_tokens import ChannelTokens, SigningKeys, TokenRefused
from bot.composition import channel_handlers, flows, periodic_jobs
from bot.config import Settings
from bot.connector import ConnectorClient, app_token_provider, no_token
from bot.directory import GraphDirectory
from bot.files_in import Downloads
from bot.graph import installer
from bot.handler import AmkBot
from bot.inbound import MAX_DEPTH, cleaned
from bot.notifier import ProactiveNotifier
from bot.proactive import ProactiveSender
from bot.reach import ChatOpener
from bot.scheduler import Scheduler
from bot.state import DatabaseConversationState, DatabaseStorage
from bot.turn_gate import TurnGate
from dialogs.context import SPEAKER_KEY
from dialogs.outgoing import text_activity
from dialogs.router import Router
from domain.actor import Speaker
from domain.i18n import lang_from_locale, t
from storage.db import Database
from storage.dialog_state import EtagConflict
from storage.prepare import prepare_database as prepare_database

log = logging.getLogger(__name__)

MAX_BODY_BYTES = 256 * 1024
RUNTIME_KEY: web.AppKey[BotRuntime] = web.AppKey("runtime")


class _AdapterConfig:
    """The attribute names botbuilder's configuration classes look for."""

    def __init__(self, settings: Settings) -> None:
        self.APP_ID = settings.app_id
        self.APP_PASSWORD = settings.app_password
        self.APP_TYPE = settings.app_type if settings.app_id else "MultiTenant"
        self.APP_TENANTID = settings.app_tenant_id


@dataclass
class BotRuntime:
    """Everything one bot process holds, built once at start-up."""

    settings: Settings
    db: Database
    adapter: CloudAdapter
    bot: AmkBot
    connector: ConnectorClient
    proactive: ProactiveSender
    background: BackgroundTasks
    notifier: ProactiveNotifier
    scheduler: Scheduler
    # None in local mode: no tokens to check
    signing_keys: SigningKeys | None
    # None without Graph: people picked on cards are named when they first write
    directory: GraphDirectory | None = None
    # fetches the files and images people send into the chat
    downloads: Downloads | None = None


def build_runtime(
    settings: Settings, db: Database | None = None, *, clock: Callable[[], float] = time.time
) -> BotRuntime:
    """The bot's parts; `clock` (seconds since the epoch) checks tokens and times key fetches."""
    database = db or Database(settings.database_url)
    token = (
        app_token_provider(settings.app_id, settings.app_password, settings.app_tenant_id)
        if settings.app_id
        else no_token
    )
    connector = ConnectorClient(token)
    downloads = Downloads.for_settings(settings, token)
    signing_keys = (
        None
        if settings.local_mode
        else SigningKeys(
            settings.openid_metadata_url, timeout=settings.signing_keys_timeout, clock=clock
        )
    )
    adapter = CloudAdapter(
        CachingAuthentication(
            ConfigurationBotFrameworkAuthentication(_AdapterConfig(settings)),
            connector,
            None
            if signing_keys is None
            else ChannelTokens(settings.app_id, signing_keys, clock=clock),
        )
    )
    proactive = ProactiveSender(database, connector)
    gate = TurnGate(settings.turns_at_once(sqlite=database.is_sqlite))
    background = BackgroundTasks()
    notifier = ProactiveNotifier(proactive, background, chat_opener(settings, proactive))
    directory = (
        None
        if notifier.opener is None
        else GraphDirectory.on(
            settings.graph.base_url,
            notifier.opener.installer.graph.token,
            ca_bundle=settings.graph.ca_bundle,
        )
    )
    conversation_state = DatabaseConversationState(DatabaseStorage(database))
    wired = flows(database, notifier, settings, directory, downloads)
    router = Router(
        conversation_state,
        wired.org,
        wired.modules,
        channel_handlers(wired.modules),
        wired.actions,
    )
    bot = AmkBot(
        settings,
        database,
        conversation_state,
        router,
        wired.actions,
        connector,
        gate,
        chat_opened=notifier.chat_opened,
        files=wired.files,
    )

    async def on_turn_error(turn_context: TurnContext, error: Exception) -> None:
        if isinstance(error, EtagConflict):
            # Two turns of one conversation at once (a double click): the first one won and
            # answered; this one's state change is dropped without bothering the user.
            log.info("dropped the state of a concurrent turn in the same conversation")
            return
        log.error(
            "turn failed: %s (activity type %s)",
            type(error).__name__,
            turn_context.activity.type,
            exc_info=error,
        )
        if turn_context.activity.type != ActivityTypes.message:
            return
        speaker = turn_context.turn_state.get(SPEAKER_KEY)
        lang = (
            speaker.lang
            if isinstance(speaker, Speaker)
            else lang_from_locale(turn_context.activity.locale)
        )
        try:
            await turn_context.send_activity(text_activity(t(lang, "error.generic")))
        except Exception:
            log.warning("could not tell the user about the failed turn")

    adapter.on_turn_error = on_turn_error
    scheduler = Scheduler(
        periodic_jobs(database, notifier, settings), interval=settings.scheduler_interval
    )
    return BotRuntime(
        settings,
        database,
        adapter,
        bot,
        connector,
        proactive,
        background,
        notifier,
        scheduler,
        signing_keys,
        directory,
        downloads,
    )


def chat_opener(settings: Settings, sender: ProactiveSender) -> ChatOpener | None:
    """With Graph configured, cards to people with no chat install the app for them."""
    if not settings.graph_enabled:
        return None
    return ChatOpener(sender, installer(settings.graph), tenant_id=settings.graph.tenant_id)


def is_web_url(url: str) -> bool:
    """An absolute http or https URL with a host: the only service URLs the bot posts to."""
    try:
        parsed = URL(url)
    except ValueError:
        return False
    return parsed.scheme in ("http", "https") and bool(parsed.host)


def _bad_request(reason: str, status: int = 400) -> web.Response:
    return web.json_response({"error": reason}, status=status)


def _spoken(activity: Activity) -> bool:
    """Messages and card actions: a person said or clicked something, so it names them."""
    return activity.type in (ActivityTypes.message, ActivityTypes.invoke)


def _plain(body: Any) -> Any:
    """Invoke bodies are our own dicts; msrest models are serialised the SDK's way."""
    serialize = getattr(body, "serialize", None)
    return serialize() if callable(serialize) else body


async def messages(request: web.Request) -> web.StreamResponse:
    """An activity from Teams. Work its turn asked for (messages to others, card updates)
    starts once the answer is written: whoever waits for it, e.g. on a card action, is first."""
    runtime = request.app[RUNTIME_KEY]
    async with runtime.background.after_turn():
        response = await _answer(request, runtime)
        await response.prepare(request)
        await response.write_eof()
    return response


async def _answer(request: web.Request, runtime: BotRuntime) -> web.StreamResponse:
    if request.content_type != "application/json":
        return _bad_request("Content-Type must be application/json", 415)
    try:
        payload = loads(await request.read())
    except web.HTTPRequestEntityTooLarge:
        return _bad_request("activity too large", 413)
    except ValueError:
        return _bad_request("body is not valid JSON")
    if not isinstance(payload, dict):
        return _bad_request("body must be a JSON object")
    payload = cleaned(payload)
    if payload is None:
        return _bad_request(f"body is nested more than {MAX_DEPTH} levels deep")
    try:
        activity = activity_from_json(payload)
    except Exception:
        return _bad_request("body is not a Bot Framework activity")
    missing = [
        name
        for name, value in (
            ("type", activity.type),
            ("channelId", activity.channel_id),
            ("serviceUrl", activity.service_url),
            ("conversation.id", getattr(activity.conversation, "id", None)),
            ("recipient.id", getattr(activity.recipient, "id", None)),
        )
        if not value
    ]
    if _spoken(activity) and not getattr(activity.from_property, "id", None):
        missing.append("from.id")
    if missing:
        return _bad_request("activity is missing " + ", ".join(missing))
    if not is_web_url(activity.service_url):
        return _bad_request("serviceUrl must be an http or https URL")
    auth_header = request.headers.get("Authorization", "")
    try:
        authenticated = await runtime.adapter.bot_framework_authentication.authenticate_request(
            activity, auth_header
        )
    except TokenRefused:
        return _bad_request("unauthorized", 401)
    try:
        response = await runtime.adapter.process_activity(
            authenticated, activity, runtime.bot.on_turn
        )
    except Exception:
        log.exception("activity of type %s could not be processed", activity.type)
        return web.json_response({"error": "internal error"}, status=500)
    if response is not None:
        return web.Response(
            body=dumps(_plain(response.body)),
            status=response.status,
            content_type="application/json",
        )
    return web.Response(status=201)


async def healthz(request: web.Request) -> web.Response:
    runtime = request.app[RUNTIME_KEY]
    healthy = await runtime.db.ping()
    return web.json_response(
        {
            "status": "ok" if healthy else "degraded",
            "database": "ok" if healthy else "unreachable",
            "auth": "off (local mode)" if runtime.settings.local_mode else "on",
        },
        status=200 if healthy else 503,
    )


def create_app(
    settings: Settings,
    runtime: BotRuntime | None = None,
    *,
    run_scheduler: bool = True,
    migrate: bool = True,
) -> web.Application:
    """The web application; the database is migrated and seeded when it starts (`migrate`)."""
    bot_runtime = runtime or build_runtime(settings)
    app = web.Application(client_max_size=MAX_BODY_BYTES)
    app[RUNTIME_KEY] = bot_runtime
    app.router.add_post("/api/messages", messages)
    app.router.add_get("/healthz", healthz)

    async def start(_app: web.Application) -> None:
        if migrate:
            await prepare_database(bot_runtime.db)
        if run_scheduler:
            bot_runtime.scheduler.start()
        if bot_runtime.signing_keys is not None:
            # In the background: a key server that does not answer delays nothing.
            bot_runtime.signing_keys.fetch_soon()
        if settings.local_mode:
            log.warning(
                "MicrosoftAppId is empty: LOCAL MODE, requests are NOT authenticated. "
                "Never run like this in production."
            )

    stop_began: list[float] = []

    async def begin_stop(_app: web.Application) -> None:
        stop_began.append(asyncio.get_running_loop().time())

    async def stop(_app: web.Application) -> None:
        """Background work gets what is left of `STOP_GRACE_SECONDS` since the stop began."""
        now = asyncio.get_running_loop().time()
        left = settings.stop_grace_seconds - (now - stop_began[0] if stop_began else 0.0)
        try:
            await bot_runtime.scheduler.stop()
            await bot_runtime.background.drain(max(left, 0.0), cut=bot_runtime.notifier.cut)
        finally:
            # A turn the server cancelled hands its card over to be kept for redelivery.
            await bot_runtime.notifier.settled(CANCEL_SECONDS)
            await bot_runtime.background.drain(CANCEL_SECONDS, cut=bot_runtime.notifier.cut)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(bot_runtime.notifier.sender.settled(), CANCEL_SECONDS)
            await bot_runtime.connector.close()
            if bot_runtime.downloads is not None:
                await bot_runtime.downloads.close()
            if bot_runtime.bot.files is not None:
                bot_runtime.bot.files.close()
            if bot_runtime.notifier.opener is not None:
                await bot_runtime.notifier.opener.installer.graph.close()
            if bot_runtime.directory is not None:
                await bot_runtime.directory.close()
            if bot_runtime.signing_keys is not None:
                await bot_runtime.signing_keys.close()
            await bot_runtime.db.dispose()

    app.on_startup.append(start)
    app.on_shutdown.append(begin_stop)
    app.on_cleanup.append(stop)
    return app
