"""Who is acting: the user behind the current activity, as the bot knows them."""

from __future__ import annotations

from dataclasses import dataclass

from domain.audit import person_actor
from domain.i18n import Lang


@dataclass(frozen=True)
class Speaker:
    """The user behind the current activity, as the bot knows them."""

    person_id: int | None
    name: str | None
    upn: str | None
    lang: Lang
    is_admin: bool

    @property
    def actor(self) -> str:
        """How the audit trail names this user."""
        return person_actor(self.person_id)
