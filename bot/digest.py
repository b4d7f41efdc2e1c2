"""The weekly digest: channel subscriptions, the safety moment, composing and posting once."""

from __future__ import annotations

import logging
import os
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from botbuilder.core import TurnContext
from botbuilder.dialogs import Dialog

from bot.config import Settings
from bot.connector import ConnectorError
from bot.handler import channel_address, channel_data, sub_dict
from bot.notifier import ProactiveNotifier
from bot.proactive import ProactiveSender
from cards.common import Card, notice_card, plain
from cards.digest import details_card, digest_card, line_text, safety_moment_card
from dialogs.context import speaker_of
from dialogs.outgoing import card_activity, text_activity
from domain.actor import Speaker
from domain.digest import DAYS, DigestContent, Schedule, iso_week, scope_for, week_bounds
from domain.flows import Flow
from domain.i18n import Lang, t
from domain.ids import row_id
from domain.org import Role
from reports.digest import compose
from services.ports import NoConversation
from storage import conversations, jobs, org
from storage import digest as digest_store
from storage.db import Database
from storage.digest_models import DigestSubscription
from storage.models import ConversationRef, utcnow

log = logging.getLogger(__name__)
WORKER = f"{os.uname().nodename}:{os.getpid()}"
SUBSCRIBE_WORDS = ("digest her", "digest here")
STOP_WORDS = ("digest stop",)
SAFETY_WORDS = ("sikkerhedsøjeblik", "safety moment")


def digest_key(subscription_id: int, week: str) -> str:
    return f"digest:{subscription_id}:{week}"


@dataclass(frozen=True)
class PostOutcome:
    """What happened to one channel's digest in one run."""

    subscription_id: int
    week: str
    state: str
    card: Card | None = None


class DigestPoster:
    """Composes each subscribed channel's card and posts it once per ISO week."""

    def __init__(
        self,
        db: Database,
        sender: ProactiveSender,
        notifier: ProactiveNotifier,
        settings: Settings,
        *,
        max_attempts: int = 5,
    ) -> None:
        self.db = db
        self.sender = sender
        self.notifier = notifier
        self.settings = settings
        self.max_attempts = max_attempts

    async def content_for(
        self, subscription: DigestSubscription, week: str, now: datetime, *, full: bool = False
    ) -> DigestContent:
        units = frozenset(subscription.unit_ids) if subscription.unit_ids else None
        async with self.db.sessions() as session:
            scope = scope_for(
                week,
                now,
                units,
                full=full,
                dialogue_interval_years=self.settings.wellbeing.dialogue_interval_years,
                precursor_deadline=self.settings.precursor_deadline,
            )
            return await compose(session, scope)

    def card_for(self, subscription: DigestSubscription, content: DigestContent) -> Card:
        return digest_card(
            Lang(subscription.lang),
            content,
            subscription_id=subscription.id,
            exports_url=self.settings.exports_url or None,
        )

    async def run(
        self,
        week: str,
        now: datetime,
        *,
        channel_id: str | None = None,
        dry_run: bool = False,
        not_before: datetime | None = None,
    ) -> list[PostOutcome]:
        """Post `week`'s digest to every subscribed channel (once each).

        `not_before`: skip channels that subscribed after that moment (the scheduler passes
        the week's due time, so a channel subscribing on a Friday starts next Monday)."""
        async with self.db.sessions() as session:
            targets = await digest_store.active_subscriptions(session)
        outcomes = []
        for subscription, ref in targets:
            if channel_id and channel_id not in (ref.channel_id, ref.conversation_id):
                continue
            if not_before is not None and subscription.created_at > not_before:
                continue
            if dry_run:
                card = self.card_for(subscription, await self.content_for(subscription, week, now))
                outcomes.append(PostOutcome(subscription.id, week, "dry-run", card))
                continue
            outcomes.append(await self._post_once(subscription, ref, week, now))
        return outcomes

    async def _post_once(
        self, subscription: DigestSubscription, ref: ConversationRef, week: str, now: datetime
    ) -> PostOutcome:
        key = digest_key(subscription.id, week)
        if not await jobs.claim(self.db, key, WORKER, timedelta(minutes=10)):
            return PostOutcome(subscription.id, week, "already")
        try:
            card = self.card_for(subscription, await self.content_for(subscription, week, now))
            posted = await self.sender.post_to_channel(
                ref.id, card, dedupe_key=key, entity_type="digest", entity_id=str(subscription.id)
            )
        except (ConnectorError, NoConversation) as error:
            return await self._failed(subscription, ref, week, key, error)
        await jobs.complete(
            self.db,
            key,
            WORKER,
            {"activity_id": posted.activity_id, "thread": posted.conversation_id},
        )
        return PostOutcome(subscription.id, week, "already" if posted.already_sent else "posted")

    async def _failed(
        self,
        subscription: DigestSubscription,
        ref: ConversationRef,
        week: str,
        key: str,
        error: Exception,
    ) -> PostOutcome:
        reason = getattr(error, "status", None) or type(error).__name__
        run = await jobs.status_of(self.db, key)
        attempts = run.attempts if run else 1
        log.warning("digest %s failed (attempt %d): %s", key, attempts, reason)
        if attempts < self.max_attempts:
            await jobs.release_failed(self.db, key, WORKER, str(reason))
            return PostOutcome(subscription.id, week, "retry")
        await jobs.complete(self.db, key, WORKER, {"failed": str(reason), "attempts": attempts})
        await self._tell_admins(week, ref, attempts, str(reason))
        return PostOutcome(subscription.id, week, "gave-up")

    async def _tell_admins(
        self, week: str, ref: ConversationRef, attempts: int, reason: str
    ) -> None:
        async with self.db.sessions() as session:
            admins = [
                person
                for upn in sorted(self.settings.admin_upns)
                if (person := await org.find_person(session, upn=upn)) is not None
            ]
        for admin in admins:
            lang = Lang(admin.language_override) if admin.language_override else Lang.DA
            await self.notifier.card_to_person(
                admin.id,
                notice_card(
                    t(lang, "digest.failed.title"),
                    t(
                        lang,
                        "digest.failed",
                        week=week,
                        channel=plain(ref.channel_name or ref.channel_id or ref.conversation_id),
                        attempts=attempts,
                        error=reason,
                    ),
                ),
                key=f"digest-failed:{ref.id}:{week}:{admin.id}",
                entity=("digest_failure", str(ref.id)),
            )


class DigestJob:
    """Posts the week's digest once it is due (`DIGEST_SCHEDULE`), retrying failed posts."""

    name = "digest"

    def __init__(self, poster: DigestPoster, schedule: Schedule) -> None:
        self.poster = poster
        self.schedule = schedule

    async def run(self, now: datetime) -> None:
        if self.schedule.is_due(now):
            week = iso_week(now)
            await self.poster.run(week, now, not_before=self.schedule.due_at(week))


def requested_units(raw: str) -> list[str]:
    """Unit names after "digest here", as typed (mentions removed): "Kemi, Fysik"."""
    words = re.sub(r"<at>.*?</at>", " ", raw, flags=re.IGNORECASE | re.DOTALL).split()
    rest = " ".join(words[2:])
    return [name.strip(" .") for name in rest.split(",") if name.strip(" .")]


def schedule_text(lang: Lang, schedule: Schedule) -> str:
    day = next(name for name, number in DAYS.items() if number == schedule.weekday).lower()
    clock = f"{schedule.hour:02d}:{schedule.minute:02d}"
    return f"{t(lang, f'lone_work.weekday.{day}')} {'kl.' if lang is Lang.DA else 'at'} {clock}"


class DigestModule:
    """Channel words (digest here/stop), the safety-moment card, and the Details button."""

    flow: Flow | None = None
    dialog_id: str | None = None
    name_key = "digest.details.title"
    action_verbs = frozenset({"digest.details", "digest.safety_moment"})

    def __init__(self, db: Database, poster: DigestPoster, schedule: Schedule) -> None:
        self.db = db
        self.poster = poster
        self.schedule = schedule

    def dialogs(self) -> list[Dialog]:
        return []

    async def _roles(self, speaker: Speaker) -> set[str]:
        if speaker.person_id is None:
            return set()
        async with self.db.sessions() as session:
            return {role.role for role in await org.roles_of(session, speaker.person_id)}

    async def _allow_manage(self, speaker: Speaker, what: str) -> bool:
        """Administrators and the secretariat; anyone else's attempt (`what`) is audited."""
        if speaker.is_admin or Role.SECRETARIAT.value in await self._roles(speaker):
            return True
        await self._refuse(speaker, what)
        return False

    async def _allow_details(self, speaker: Speaker) -> bool:
        """Administrators, the secretariat, leaders and AMKs; anyone else is audited."""
        wanted = {Role.SECRETARIAT.value, Role.AMK.value, Role.LEADER.value}
        if speaker.is_admin or wanted & await self._roles(speaker):
            return True
        await self._refuse(speaker, "details")
        return False

    async def _refuse(self, speaker: Speaker, what: str) -> None:
        async with self.db.transaction() as session:
            await digest_store.refuse(session, person_id=speaker.person_id, what=what)

    def next_week(self, now: datetime) -> str:
        """The week whose digest the secretariat is writing for."""
        week = iso_week(now)
        if self.schedule.is_due(now):
            _, end = week_bounds(week)
            return iso_week(end + timedelta(hours=1))
        return week

    async def on_channel_text(self, turn_context: TurnContext, text: str) -> bool:
        speaker = speaker_of(turn_context)
        subscribe = next(
            (w for w in SUBSCRIBE_WORDS if text == w or text.startswith(w + " ")), None
        )
        stop = text in STOP_WORDS
        if subscribe is None and not stop:
            return False
        if not await self._allow_manage(speaker, "stop" if stop else "subscribe"):
            await turn_context.send_activity(text_activity(t(speaker.lang, "digest.not_allowed")))
            return True
        ref_id = await self._channel_ref(turn_context)
        if ref_id is None:
            await turn_context.send_activity(text_activity(t(speaker.lang, "digest.not_allowed")))
            return True
        if stop:
            async with self.db.transaction() as session:
                stopped = await digest_store.unsubscribe(
                    session, conversation_ref_id=ref_id, person_id=speaker.person_id
                )
            key = "digest.unsubscribed" if stopped else "digest.not_subscribed"
            await turn_context.send_activity(text_activity(t(speaker.lang, key)))
            return True
        assert subscribe is not None
        wanted = requested_units(turn_context.activity.text or "")
        async with self.db.transaction() as session:
            found = {name: await org.unit_by_name(session, name) for name in wanted}
            unknown = [name for name, unit in found.items() if unit is None]
            if unknown:
                message = t(speaker.lang, "digest.unknown_units", units=", ".join(unknown))
            else:
                units = [unit for unit in found.values() if unit is not None]
                await digest_store.subscribe(
                    session,
                    conversation_ref_id=ref_id,
                    lang=speaker.lang.value,
                    unit_ids=[unit.id for unit in units] or None,
                    person_id=speaker.person_id,
                )
                when = schedule_text(speaker.lang, self.schedule)
                message = (
                    t(
                        speaker.lang,
                        "digest.subscribed.units",
                        units=", ".join(u.name for u in units),
                        schedule=when,
                    )
                    if units
                    else t(speaker.lang, "digest.subscribed", schedule=when)
                )
        await turn_context.send_activity(text_activity(message))
        return True

    async def _channel_ref(self, turn_context: TurnContext) -> int | None:
        """The channel's stored reference (created now if the install event was missed);
        None if the id is a person's 1:1 chat."""
        activity = turn_context.activity
        data = channel_data(activity)
        channel = sub_dict(data, "channel") or {"id": activity.conversation.id.split(";")[0]}
        team = sub_dict(data, "team")
        async with self.db.transaction() as session:
            stored_team = None
            if team.get("id"):
                stored_team = await conversations.install_team(
                    session,
                    team_id=str(team["id"]),
                    name=team.get("name"),
                    aad_group_id=team.get("aadGroupId"),
                    tenant_id=sub_dict(data, "tenant").get("id"),
                    service_url=activity.service_url,
                    actor=speaker_of(turn_context).actor,
                )
            ref = await conversations.remember(
                session, channel_address(activity, channel), team=stored_team
            )
            return None if ref is None else ref.id

    async def on_text(self, turn_context: TurnContext, text: str) -> bool:
        if text not in SAFETY_WORDS:
            return False
        speaker = speaker_of(turn_context)
        if not await self._allow_manage(speaker, "safety_moment.open"):
            await turn_context.send_activity(text_activity(t(speaker.lang, "digest.not_allowed")))
            return True
        week = self.next_week(utcnow())
        async with self.db.sessions() as session:
            current = await digest_store.safety_moment(session, week)
        card = safety_moment_card(
            speaker.lang,
            week,
            danish=current.danish if current else "",
            english=current.english if current else "",
        )
        await turn_context.send_activity(card_activity(card))
        return True

    async def on_action(
        self, turn_context: TurnContext, verb: str, data: dict[str, object]
    ) -> Card | str:
        speaker = speaker_of(turn_context)
        if verb == "digest.safety_moment":
            return await self._save_safety_moment(speaker, data)
        return await self._details(speaker, data)

    async def _save_safety_moment(self, speaker: Speaker, data: dict[str, Any]) -> Card | str:
        if not await self._allow_manage(speaker, "safety_moment"):
            return t(speaker.lang, "digest.not_allowed")
        week = str(data.get("week") or "")
        danish = str(data.get("danish") or "").strip()
        english = str(data.get("english") or "").strip()
        try:
            week_bounds(week)
        except ValueError:
            return t(speaker.lang, "card.invalid_input")
        if not danish or not english:
            return safety_moment_card(speaker.lang, week, danish=danish, english=english)
        async with self.db.transaction() as session:
            await digest_store.save_safety_moment(
                session,
                week=week,
                danish=danish[:600],
                english=english[:600],
                person_id=speaker.person_id,
            )
        return notice_card(
            t(speaker.lang, "digest.safety_moment.title", week=week),
            t(speaker.lang, "digest.safety_moment.saved", week=week),
        )

    async def _details(self, speaker: Speaker, data: dict[str, Any]) -> str:
        if not await self._allow_details(speaker):
            return t(speaker.lang, "digest.not_allowed")
        subscription_id = row_id(data.get("subscription_id"))
        if subscription_id is None:
            return t(speaker.lang, "card.invalid_input")
        async with self.db.sessions() as session:
            subscription = await session.get(DigestSubscription, subscription_id)
        if subscription is None or speaker.person_id is None:
            return t(speaker.lang, "card.stale")
        async with self.db.sessions() as session:
            has_chat = await conversations.personal_chat_of(session, speaker.person_id) is not None
        if not has_chat:
            return t(speaker.lang, "digest.details.no_chat")
        self.poster.notifier.later(
            self._send_details(speaker.lang, speaker.person_id, subscription),
            name="digest.details",
        )
        return t(speaker.lang, "digest.details.sent")

    async def _send_details(
        self, lang: Lang, person_id: int, subscription: DigestSubscription
    ) -> None:
        """The full lists (every unit named), composed and sent after the click is answered."""
        now = utcnow()
        content = await self.poster.content_for(subscription, iso_week(now), now, full=True)
        lines = [line_text(lang, line) for section in content.sections for line in section.lines]
        await self.poster.notifier.card_to_person(
            person_id,
            details_card(lang, t(lang, "digest.details.title"), lines),
            key=f"digest-details:{subscription.id}:{person_id}:{now.timestamp():.0f}",
            entity=("digest_details", str(subscription.id)),
        )
