"""The weekly digest: composing each subscribed channel's card and posting it once per ISO
week, and what the channel words and the card's buttons do (subscribe, stop, safety moment,
details)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Protocol

from cards.common import Card, notice_card
from cards.digest import details_card, digest_card, failed_card, line_text, safety_moment_card
from domain.actor import Speaker
from domain.addresses import Address
from domain.digest import (
    DigestContent,
    SafetyMoment,
    Schedule,
    iso_week,
    scope_for,
    week_bounds,
)
from domain.i18n import Lang, t
from domain.ids import CardId
from domain.org import Role
from domain.wellbeing import WellbeingSettings
from services.actions import CardData, InputText, Verb
from services.digest_sections import compose
from services.ports import WORKER, ChannelPoster, DeliveryFailed, NoConversation, Notifier
from storage import audit, conversations, jobs, org
from storage import digest as digest_store
from storage.db import Database
from storage.digest import ChannelRow, SubscriptionRow
from storage.models import utcnow

log = logging.getLogger(__name__)


class DigestSettings(Protocol):
    """The settings the digest reads (`bot.config.Settings` has them)."""

    @property
    def admin_upns(self) -> frozenset[str]: ...

    @property
    def precursor_deadline(self) -> str: ...

    @property
    def exports_url(self) -> str: ...

    @property
    def wellbeing(self) -> WellbeingSettings: ...


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
        sender: ChannelPoster,
        notifier: Notifier,
        settings: DigestSettings,
        *,
        max_attempts: int = 5,
    ) -> None:
        self.db = db
        self.sender = sender
        self.notifier = notifier
        self.settings = settings
        self.max_attempts = max_attempts

    async def content_for(
        self, subscription: SubscriptionRow, week: str, now: datetime, *, full: bool = False
    ) -> DigestContent:
        units = frozenset(subscription.unit_ids) if subscription.unit_ids else None
        async with self.db.reading() as connection:
            scope = scope_for(
                week,
                now,
                units,
                full=full,
                dialogue_interval_years=self.settings.wellbeing.dialogue_interval_years,
                precursor_deadline=self.settings.precursor_deadline,
            )
            return await compose(connection, scope)

    def card_for(self, subscription: SubscriptionRow, content: DigestContent) -> Card:
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
        subscription_id: int | None = None,
    ) -> list[PostOutcome]:
        """Post `week`'s digest to every subscribed channel (once each).

        `not_before`: skip channels that subscribed after that moment (the scheduler passes
        the week's due time, so a channel subscribing on a Friday starts next Monday)."""
        async with self.db.reading() as connection:
            targets = await digest_store.active_subscriptions(connection)
        outcomes = []
        for subscription, ref in targets:
            if channel_id and channel_id not in (ref.channel_id, ref.conversation_id):
                continue
            if subscription_id is not None and subscription.id != subscription_id:
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
        self, subscription: SubscriptionRow, ref: ChannelRow, week: str, now: datetime
    ) -> PostOutcome:
        key = digest_key(subscription.id, week)
        if not await jobs.claim(self.db, key, WORKER, timedelta(minutes=10)):
            return PostOutcome(subscription.id, week, "already")
        try:
            card = self.card_for(subscription, await self.content_for(subscription, week, now))
            posted = await self.sender.post_to_channel(
                ref.id, card, dedupe_key=key, entity_type="digest", entity_id=str(subscription.id)
            )
        except (DeliveryFailed, NoConversation) as error:
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
        subscription: SubscriptionRow,
        ref: ChannelRow,
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
        await self._tell_admins(week, subscription.id, ref, attempts, str(reason))
        return PostOutcome(subscription.id, week, "gave-up")

    async def _tell_admins(
        self, week: str, subscription_id: int, ref: ChannelRow, attempts: int, reason: str
    ) -> None:
        async with self.db.reading() as connection:
            admins = [
                person
                for upn in sorted(self.settings.admin_upns)
                if (person := await org.find_person(connection, upn=upn)) is not None
            ]
        for admin in admins:
            lang = Lang(admin.language_override) if admin.language_override else Lang.DA
            await self.notifier.card_to_person(
                admin.id,
                failed_card(
                    lang,
                    week=week,
                    subscription_id=subscription_id,
                    channel=ref.channel_name or ref.channel_id or ref.conversation_id,
                    attempts=attempts,
                    error=reason,
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


@dataclass(frozen=True)
class TeamInfo:
    """The team a channel belongs to, as Teams names it."""

    team_id: str
    name: str | None
    aad_group_id: str | None
    tenant_id: str | None
    service_url: str


class RetryWanted(CardData):
    """The failure card's button: the subscription and the week to post again."""

    subscription_id: CardId
    week: InputText


class DetailsWanted(CardData):
    subscription_id: CardId


class SafetyMomentSent(CardData):
    """The safety-moment card: its week, and the text in both languages."""

    week: InputText = ""
    danish: InputText = ""
    english: InputText = ""


class DigestServices:
    """What the channel words and the digest card's buttons do, each one transaction."""

    def __init__(
        self, db: Database, poster: DigestPoster, *, clock: Callable[[], datetime] = utcnow
    ) -> None:
        self.db = db
        self.poster = poster
        self.clock = clock

    async def _roles(self, speaker: Speaker) -> set[str]:
        if speaker.person_id is None:
            return set()
        async with self.db.reading() as connection:
            return {role.role for role in await org.roles_of(connection, speaker.person_id)}

    async def may_manage(self, speaker: Speaker, what: str) -> bool:
        """Administrators and the secretariat; anyone else's attempt (`what`) is audited."""
        if speaker.is_admin or Role.SECRETARIAT.value in await self._roles(speaker):
            return True
        await self._refuse(speaker, what)
        return False

    async def may_see_details(self, speaker: Speaker) -> bool:
        """Administrators, the secretariat, leaders and AMKs; anyone else is audited."""
        wanted = {Role.SECRETARIAT.value, Role.AMK.value, Role.LEADER.value}
        if speaker.is_admin or wanted & await self._roles(speaker):
            return True
        await self._refuse(speaker, "details")
        return False

    async def _refuse(self, speaker: Speaker, what: str) -> None:
        """Audit an attempt to manage the digest or see its details without the role."""
        await audit.record_refusal(
            self.db,
            actor=speaker.actor,
            action=f"digest.{what}",
            entity_type="digest_subscription",
            entity_id=None,
        )

    async def channel_ref(
        self, address: Address, team: TeamInfo | None, speaker: Speaker
    ) -> int | None:
        """The channel's stored reference (created now if the install event was missed);
        None if the id is a person's 1:1 chat."""
        async with audit.audited(self.db) as connection:
            stored_team = None
            if team is not None:
                stored_team = await conversations.install_team(
                    connection,
                    team_id=team.team_id,
                    name=team.name,
                    aad_group_id=team.aad_group_id,
                    tenant_id=team.tenant_id,
                    service_url=team.service_url,
                    actor=speaker.actor,
                )
            ref = await conversations.remember(connection, address, team=stored_team)
            return None if ref is None else ref.id

    async def unsubscribe(self, ref_id: int, speaker: Speaker) -> bool:
        """Stop the channel's digest; False if it had none."""
        async with audit.audited(self.db) as connection:
            return await digest_store.unsubscribe(
                connection, conversation_ref_id=ref_id, person_id=speaker.person_id
            )

    async def subscribe(
        self, ref_id: int, speaker: Speaker, unit_names: list[str]
    ) -> tuple[list[str], list[str]]:
        """Make the channel a digest channel for the named units (all units: none named).
        Returns the names not found (then nothing changed), and the subscribed units' names."""
        async with audit.audited(self.db) as connection:
            found = {name: await org.unit_by_name(connection, name) for name in unit_names}
            unknown = [name for name, unit in found.items() if unit is None]
            if unknown:
                return unknown, []
            units = [unit for unit in found.values() if unit is not None]
            await digest_store.subscribe(
                connection,
                conversation_ref_id=ref_id,
                lang=speaker.lang.value,
                unit_ids=[unit.id for unit in units] or None,
                person_id=speaker.person_id,
            )
            return [], [unit.name for unit in units]

    async def safety_moment(self, week: str) -> SafetyMoment | None:
        async with self.db.reading() as connection:
            return await digest_store.safety_moment(connection, week)

    async def save_safety_moment(
        self, speaker: Speaker, week: str, danish: str, english: str
    ) -> None:
        async with audit.audited(self.db) as connection:
            await digest_store.save_safety_moment(
                connection, week=week, danish=danish, english=english, person_id=speaker.person_id
            )

    def verbs(self) -> list[Verb[Any]]:
        """The digest card's Details and the safety-moment card's Save."""
        return [
            Verb("digest.details", DetailsWanted, self.details),
            Verb("digest.safety_moment", SafetyMomentSent, self.edit_safety_moment),
            Verb("digest.retry", RetryWanted, self.retry),
        ]

    async def retry(self, speaker: Speaker, wanted: RetryWanted) -> Card | str:
        """The failure card's "Prøv igen": post the week's digest to that channel again
        (administrators and the secretariat)."""
        lang = speaker.lang
        if not await self.may_manage(speaker, "retry"):
            return t(lang, "digest.not_allowed")
        try:
            week_bounds(wanted.week)
        except ValueError:
            return t(lang, "card.invalid_input")
        await jobs.reopen_failed(self.db, digest_key(wanted.subscription_id, wanted.week))
        outcomes = await self.poster.run(
            wanted.week, self.clock(), subscription_id=wanted.subscription_id
        )
        state = outcomes[0].state if outcomes else "gone"
        if state in ("posted", "already"):
            return t(lang, f"digest.retry.{state}", week=wanted.week)
        return t(lang, "digest.retry.failed", week=wanted.week)

    async def edit_safety_moment(self, speaker: Speaker, sent: SafetyMomentSent) -> Card | str:
        """Save the week's safety moment (both languages are needed; the card again without)."""
        if not await self.may_manage(speaker, "safety_moment"):
            return t(speaker.lang, "digest.not_allowed")
        week, danish, english = sent.week, sent.danish.strip(), sent.english.strip()
        try:
            week_bounds(week)
        except ValueError:
            return t(speaker.lang, "card.invalid_input")
        if not danish or not english:
            return safety_moment_card(speaker.lang, week, danish=danish, english=english)
        await self.save_safety_moment(speaker, week, danish[:600], english[:600])
        return notice_card(
            t(speaker.lang, "digest.safety_moment.title", week=week),
            t(speaker.lang, "digest.safety_moment.saved", week=week),
        )

    async def details(self, speaker: Speaker, wanted: DetailsWanted) -> str:
        """The full lists behind a digest card, to the speaker's 1:1 chat."""
        if not await self.may_see_details(speaker):
            return t(speaker.lang, "digest.not_allowed")
        return t(speaker.lang, await self.send_details(speaker, wanted.subscription_id))

    async def send_details(self, speaker: Speaker, subscription_id: int) -> str:
        """Send the full lists to the speaker's 1:1 chat after the click is answered; the
        catalogue key of the answer."""
        async with self.db.reading() as connection:
            subscription = await digest_store.subscription(connection, subscription_id)
        if subscription is None or speaker.person_id is None:
            return "card.stale"
        async with self.db.reading() as connection:
            chat = await conversations.personal_chat_of(connection, speaker.person_id)
        has_chat = chat is not None
        if not has_chat and not self.poster.notifier.reaches_without_chat:
            return "digest.details.no_chat"
        self.poster.notifier.later(
            self._send_details(speaker.lang, speaker.person_id, subscription),
            name="digest.details",
        )
        return "digest.details.sent"

    async def _send_details(
        self, lang: Lang, person_id: int, subscription: SubscriptionRow
    ) -> None:
        """The full lists (every unit named), composed and sent after the click is answered."""
        now = self.clock()
        content = await self.poster.content_for(subscription, iso_week(now), now, full=True)
        lines = [line_text(lang, line) for section in content.sections for line in section.lines]
        await self.poster.notifier.card_to_person(
            person_id,
            details_card(lang, t(lang, "digest.details.title"), lines),
            key=f"digest-details:{subscription.id}:{person_id}:{now.timestamp():.0f}",
            entity=("digest_details", str(subscription.id)),
        )
