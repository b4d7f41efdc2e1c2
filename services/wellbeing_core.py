"""The well-being flow's shared core: the database, the notifier, role checks and refusals,
and what the items and the jobs both use (the owner card's key, the claim lease, a person's
language)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date, datetime, timedelta
from typing import Any

from cards.common import Card, notice_card
from domain.actor import Speaker
from domain.i18n import Lang, preferred_lang, t
from domain.org import UnitRef
from domain.wellbeing import Access, WellbeingSettings, local_today
from domain.wellbeing_items import item_texts, parse_item
from domain.wellbeing_privacy import Flag, NameIndex, check_texts
from services.ports import Directory, Notifier
from storage import audit, org, wellbeing
from storage.db import Database, HotConnection
from storage.models import utcnow
from storage.rows import Speaking

CLAIM_LEASE = timedelta(minutes=10)


def person_lang(person: Speaking) -> Lang:
    return preferred_lang(person.language_override, person.locale)


def owner_key(item_id: int, owner_id: int) -> str:
    return f"wellbeing:item:{item_id}:owner:{owner_id}"


class WellbeingCore:
    """What every well-being use case needs: the database, the notifier, the settings and the
    clock, the speaker's access and the shared refusals."""

    def __init__(
        self,
        db: Database,
        notifier: Notifier,
        *,
        settings: WellbeingSettings | None = None,
        clock: Callable[[], datetime] = utcnow,
        picker: bool = False,
        directory: Directory | None = None,
    ) -> None:
        self.db = db
        self.notifier = notifier
        self.settings = settings or WellbeingSettings()
        self.clock = clock
        self.picker = picker  # owners chosen in Teams' people picker (else typed e-mails)
        self.directory = directory  # names the owners picked there

    # -- helpers ---------------------------------------------------------------------------

    async def _access(self, connection: HotConnection, speaker: Speaker) -> Access:
        return await wellbeing.access_of(connection, speaker.person_id, is_admin=speaker.is_admin)

    def _not_allowed(self, lang: Lang, key: str = "wellbeing.not_allowed.action") -> Card:
        return notice_card(t(lang, "wellbeing.title"), t(lang, key))

    def _today(self) -> date:
        return local_today(self.clock())

    async def refuse(
        self, speaker: Speaker, what: str, entity_type: str = wellbeing.DIALOGUE
    ) -> None:
        """Audit an attempt the speaker's roles do not allow (`wellbeing.<what>.refused`)."""
        await audit.record_refusal(
            self.db,
            actor=speaker.actor,
            action=f"wellbeing.{what}",
            entity_type=entity_type,
            entity_id=None,
        )

    async def _units(self, connection: HotConnection) -> list[UnitRef]:
        """The active units, by name."""
        return await org.unit_choices(connection)

    async def _name_index(self, connection: HotConnection) -> NameIndex:
        return await name_index(connection)


async def name_index(on: org.Readable) -> NameIndex:
    """The names the personal-data check looks for: the people the bot knows, not the
    units' names."""
    return NameIndex.build(await wellbeing.known_names(on), ignore=await org.unit_names(on))


async def item_flags(
    on: org.Readable, data: Mapping[str, Any], rows: int, *, today: date
) -> list[Flag]:
    """What looks like personal data (names, e-mail addresses, CPR numbers) in the items
    form's rows `1..rows`, each flag naming its row; the items flow and a screening's
    findings ask before saving any of it."""
    numbered = [
        (row, draft)
        for row in range(1, rows + 1)
        for draft, _ in [parse_item(data, row, today=today)]
        if draft is not None
    ]
    return check_texts(item_texts(numbered), await name_index(on))
