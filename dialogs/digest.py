"""The digest in a team channel: its words (digest here/stop) and the words that open the
safety-moment card (its Save and the digest card's Details are verbs in `services.digest`)."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from botbuilder.core import TurnContext
from botbuilder.dialogs import Dialog

from cards.digest import safety_moment_card
from dialogs.channels import channel_address, channel_data, sub_dict
from dialogs.context import speaker_of
from dialogs.outgoing import card_activity, text_activity
from domain.actor import Speaker
from domain.commands import Flow
from domain.digest import DAYS, Schedule, iso_week, week_bounds
from domain.i18n import Lang, t
from services.digest import DigestServices, TeamInfo

SUBSCRIBE_WORDS = ("digest her", "digest here")
STOP_WORDS = ("digest stop",)
SAFETY_WORDS = ("sikkerhedsøjeblik", "safety moment")


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
    """Channel words (digest here/stop) and the words that open the safety-moment card."""

    flow: Flow | None = None
    dialog_id: str | None = None
    name_key = "digest.details.title"

    def __init__(self, services: DigestServices, schedule: Schedule) -> None:
        self.services = services
        self.schedule = schedule

    def dialogs(self) -> list[Dialog]:
        return []

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
        if not await self.services.may_manage(speaker, "stop" if stop else "subscribe"):
            await turn_context.send_activity(text_activity(t(speaker.lang, "digest.not_allowed")))
            return True
        ref_id = await self._channel_ref(turn_context, speaker)
        if ref_id is None:
            await turn_context.send_activity(text_activity(t(speaker.lang, "digest.not_allowed")))
            return True
        if stop:
            stopped = await self.services.unsubscribe(ref_id, speaker)
            key = "digest.unsubscribed" if stopped else "digest.not_subscribed"
            await turn_context.send_activity(text_activity(t(speaker.lang, key)))
            return True
        wanted = requested_units(turn_context.activity.text or "")
        unknown, units = await self.services.subscribe(ref_id, speaker, wanted)
        if unknown:
            message = t(speaker.lang, "digest.unknown_units", units=", ".join(unknown))
        else:
            when = schedule_text(speaker.lang, self.schedule)
            message = (
                t(
                    speaker.lang,
                    "digest.subscribed.units",
                    units=", ".join(units),
                    schedule=when,
                )
                if units
                else t(speaker.lang, "digest.subscribed", schedule=when)
            )
        await turn_context.send_activity(text_activity(message))
        return True

    async def _channel_ref(self, turn_context: TurnContext, speaker: Speaker) -> int | None:
        """The channel's stored reference (created now if the install event was missed);
        None if the id is a person's 1:1 chat."""
        activity = turn_context.activity
        data = channel_data(activity)
        channel = sub_dict(data, "channel") or {"id": activity.conversation.id.split(";")[0]}
        team = sub_dict(data, "team")
        team_info = (
            TeamInfo(
                team_id=str(team["id"]),
                name=team.get("name"),
                aad_group_id=team.get("aadGroupId"),
                tenant_id=sub_dict(data, "tenant").get("id"),
                service_url=activity.service_url,
            )
            if team.get("id")
            else None
        )
        return await self.services.channel_ref(
            channel_address(activity, channel), team_info, speaker
        )

    async def on_text(self, turn_context: TurnContext, text: str) -> bool:
        if text not in SAFETY_WORDS:
            return False
        speaker = speaker_of(turn_context)
        if not await self.services.may_manage(speaker, "safety_moment.open"):
            await turn_context.send_activity(text_activity(t(speaker.lang, "digest.not_allowed")))
            return True
        week = self.next_week(self.services.clock())
        current = await self.services.safety_moment(week)
        card = safety_moment_card(
            speaker.lang,
            week,
            danish=current.danish if current else "",
            english=current.english if current else "",
        )
        await turn_context.send_activity(card_activity(card))
        return True
