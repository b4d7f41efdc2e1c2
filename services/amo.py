"""The AMO's composition in the documentation overview: its form (the members as the unit's
roles show them, the groups, the reasoning) and recording it. The unit's leaders and AMKs,
the secretariat and administrators record; anyone else is refused, and the refusal audited."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, Final

from pydantic import ValidationError

from cards.amo import form_card, form_values
from cards.common import Card, format_day, notice_card
from domain.actor import Speaker
from domain.amo import AMO_DUTY, AmoForm
from domain.i18n import Lang, local_date, t
from domain.ids import CardId
from domain.wellbeing import Access
from services.actions import CardData, CardInputs, Verb
from services.ports import Clock
from storage import amo, audit, documentation, wellbeing
from storage.audit import audited
from storage.db import Database, HotConnection
from storage.models import utcnow

Overview = Callable[[HotConnection, Speaker, Access, int, str | None], Awaitable[Card]]
"""Builds a unit's overview card (with a notice on top) on the caller's connection."""

_FIELD_ERRORS: Final = {
    "groups": "amo.error.groups",
    "reasoning": "amo.error.reasoning",
    "proof": "documentation.error.proof",
}


class AmoRef(CardData):
    """Open the AMO form of a unit."""

    unit_id: CardId


class AmoInputs(CardInputs):
    """The AMO form as submitted: the unit, and the form's inputs."""

    unit_id: CardId


class AmoServices:
    """The AMO's composition on the real database (one transaction per call); after saving,
    the unit's overview comes back through `overview`."""

    def __init__(self, db: Database, *, overview: Overview, clock: Clock = utcnow) -> None:
        self.db = db
        self.overview = overview
        self.clock = clock

    def verbs(self) -> list[Verb[Any]]:
        return [
            Verb("documentation.amo.form", AmoRef, self.form),
            Verb("documentation.amo.record", AmoInputs, self.record),
        ]

    async def form(self, speaker: Speaker, ref: AmoRef) -> Card:
        """The form, started from the latest record's groups and reasoning."""
        async with self.db.reading() as connection:
            unit = await documentation.active_unit(connection, ref.unit_id)
            if unit is None:
                return _unknown(speaker.lang)
            if (await _access(connection, speaker)).may_record(unit.id):
                people = await amo.names(connection, unit.id)
                latest = (await amo.latest(connection, [unit.id])).get(unit.id)
                return form_card(speaker.lang, unit, people, values=form_values(latest))
        await audit.record_refusal(
            self.db,
            actor=speaker.actor,
            action="documentation.amo.form",
            entity_type="unit",
            entity_id=unit.id,
        )
        return _not_allowed(speaker.lang)

    async def record(self, speaker: Speaker, sent: AmoInputs) -> Card:
        """Record the composition today, in one transaction with its audit events: the form
        again with what is wrong under each field, or the overview with a receipt."""
        lang = speaker.lang
        values = sent.inputs()
        today = local_date(self.clock())
        async with audited(self.db) as connection:
            unit = await documentation.active_unit(connection, sent.unit_id)
            duty = documentation.duties().get(AMO_DUTY)
            if unit is None or duty is None:
                return _unknown(lang)
            access = await _access(connection, speaker)
            if speaker.person_id is None or not access.may_record(unit.id):
                await audit.record(
                    connection,
                    actor=speaker.actor,
                    action="documentation.amo.record.refused",
                    entity_type="unit",
                    entity_id=unit.id,
                    after={"reason": "not_allowed"},
                )
                return _not_allowed(lang)
            form = _parse(values)
            if isinstance(form, dict):
                errors = {field: t(lang, key) for field, key in form.items()}
                people = await amo.names(connection, unit.id)
                return form_card(lang, unit, people, values=values, errors=errors)
            members = await amo.record(
                connection,
                unit_id=unit.id,
                duty=duty,
                form=form,
                today=today,
                actor_id=speaker.person_id,
                actor=speaker.actor,
            )
            notice = t(
                lang,
                "amo.saved",
                day=format_day(lang, today),
                groups=len(form.groups),
                members=members,
            )
            return await self.overview(connection, speaker, access, unit.id, notice)


def _parse(values: dict[str, Any]) -> AmoForm | dict[str, str]:
    """The valid form, or field id → catalogue key of what is wrong with it."""
    try:
        return AmoForm.model_validate(values)
    except ValidationError as error:
        fields = {str(problem["loc"][0]) for problem in error.errors() if problem["loc"]}
        return {field: _FIELD_ERRORS.get(field, "documentation.error.too_long") for field in fields}


async def _access(connection: HotConnection, speaker: Speaker) -> Access:
    return await wellbeing.access_of(connection, speaker.person_id, is_admin=speaker.is_admin)


def _not_allowed(lang: Lang) -> Card:
    return notice_card(t(lang, "documentation.pick.title"), t(lang, "documentation.not_allowed"))


def _unknown(lang: Lang) -> Card:
    return notice_card(t(lang, "documentation.pick.title"), t(lang, "documentation.unknown"))
