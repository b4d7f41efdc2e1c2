"""Sister screenings on the database: a unit asks another, the other unit's AMK (or, with
none, its leader) gets a card to accept with a proposed day or decline, and the asking unit
hears the answer. Both units' documentation overviews list the request (`of_unit`)."""

from __future__ import annotations

from datetime import date
from typing import Any

from pydantic import ValidationError

from cards.common import Card, format_day, notice_card, plain
from cards.screening import answer_card, ask_card
from domain.actor import Speaker
from domain.i18n import Lang, local_date, preferred_lang, t
from domain.ids import CardId, ChosenId
from domain.org import Role
from domain.screening import AnswerForm, ScreeningStatus, ScreeningView, answer_problems
from domain.wellbeing import Access
from services.actions import CardData, CardInputs, Verb
from services.ports import Clock, Notifier
from storage import audit, documentation, org, rows, screening, wellbeing
from storage.audit import audited
from storage.db import Database, HotConnection
from storage.models import utcnow
from storage.rows import PersonRow, Speaking
from storage.screening import ENTITY


class AskData(CardData):
    """Open the request form for a unit."""

    unit_id: CardId


class SendInputs(CardInputs):
    """The request form as sent: the asking unit and the unit picked."""

    unit_id: CardId
    partner_id: ChosenId = None


class RequestData(CardInputs):
    """An answer on the asked unit's card (with the proposed day when accepting)."""

    request_id: CardId


class DatabaseScreeningServices:
    """Sister-screening requests (one transaction per call; cards after the answer)."""

    def __init__(self, db: Database, notifier: Notifier, *, clock: Clock = utcnow) -> None:
        self.db = db
        self.notifier = notifier
        self.clock = clock

    def verbs(self) -> list[Verb[Any]]:
        return [
            Verb("screening.ask", AskData, self.ask),
            Verb("screening.send", SendInputs, self.send),
            Verb("screening.accept", RequestData, self.accept),
            Verb("screening.decline", RequestData, self.decline),
        ]

    async def ask(self, speaker: Speaker, data: AskData) -> Card:
        async with self.db.reading() as connection:
            unit = await documentation.active_unit(connection, data.unit_id)
            access = await self._access(connection, speaker)
            units = await org.unit_choices(connection)
        if unit is None:
            return self._notice(speaker, "screening.unknown")
        if not access.may_record(unit.id):
            await self._refuse(speaker, "screening.request", unit.id)
            return self._notice(speaker, "screening.not_allowed")
        return ask_card(speaker.lang, unit, units)

    async def send(self, speaker: Speaker, sent: SendInputs) -> Card:
        """Store the request and send the asked unit's AMKs (or leaders) their card."""
        lang = speaker.lang
        async with audited(self.db) as connection:
            unit = await documentation.active_unit(connection, sent.unit_id)
            if unit is None:
                return self._notice(speaker, "screening.unknown")
            access = await self._access(connection, speaker)
            if speaker.person_id is None or not access.may_record(unit.id):
                await audit.record(
                    connection,
                    actor=speaker.actor,
                    action="screening.request.refused",
                    entity_type="unit",
                    entity_id=unit.id,
                    after={"reason": "not_allowed"},
                )
                return self._notice(speaker, "screening.not_allowed")
            partner = (
                None
                if sent.partner_id is None
                else await documentation.active_unit(connection, sent.partner_id)
            )
            if partner is None or partner.id == unit.id:
                units = await org.unit_choices(connection)
                return ask_card(lang, unit, units, error=t(lang, "screening.field.partner.error"))
            request_id = await screening.add_request(
                connection,
                unit_id=unit.id,
                partner_id=partner.id,
                actor_id=speaker.person_id,
                actor=speaker.actor,
            )
            view = await screening.get(connection, request_id)
            told = await _answerers(connection, partner.id)
        assert view is not None
        if not told:
            return self._notice(speaker, "screening.nobody", partner=plain(partner.name))
        self.notifier.later(self._send_to(view, told), name="screening.requested")
        return self._notice(speaker, "screening.sent", partner=plain(partner.name))

    async def accept(self, speaker: Speaker, data: RequestData) -> Card:
        return await self._answer(speaker, data, ScreeningStatus.ACCEPTED)

    async def decline(self, speaker: Speaker, data: RequestData) -> Card:
        return await self._answer(speaker, data, ScreeningStatus.DECLINED)

    async def _answer(self, speaker: Speaker, data: RequestData, status: ScreeningStatus) -> Card:
        """The asked unit's answer, once; the asking unit's AMKs and the person who asked
        are told after the answer."""
        lang = speaker.lang
        values = data.inputs()
        planned_on: date | None = None
        async with audited(self.db) as connection:
            view = await screening.get(connection, data.request_id)
            if view is None:
                return self._notice(speaker, "screening.unknown")
            access = await self._access(connection, speaker)
            if speaker.person_id is None or not access.may_record(view.partner_id):
                await audit.record(
                    connection,
                    actor=speaker.actor,
                    action="screening.answer.refused",
                    entity_type=ENTITY,
                    entity_id=view.id,
                    after={"reason": "not_allowed"},
                )
                return self._notice(speaker, "screening.not_allowed")
            if view.status is not ScreeningStatus.REQUESTED:
                return answer_card(lang, view, notice=t(lang, "screening.already"))
            if status is ScreeningStatus.ACCEPTED:
                problems = _answer_problems(values, local_date(self.clock()))
                if isinstance(problems, dict):
                    errors = {field: t(lang, key) for field, key in problems.items()}
                    return answer_card(lang, view, values=values, errors=errors)
                planned_on = problems.planned_on
            changed = await screening.answer(
                connection,
                view.id,
                status=status,
                planned_on=planned_on,
                actor_id=speaker.person_id,
                actor=speaker.actor,
                now=self.clock(),
            )
            answered = await screening.get(connection, view.id)
            told = await askers(connection, view)
        assert answered is not None
        if not changed:
            return answer_card(lang, answered, notice=t(lang, "screening.already"))
        self.notifier.later(self._tell_askers(answered, told), name="screening.answered")
        return answer_card(lang, answered)

    # -- after the answer ----------------------------------------------------------------------

    async def _send_to(self, view: ScreeningView, people: list[PersonRow]) -> None:
        for person in people:
            await self.notifier.card_to_person(
                person.id,
                answer_card(person_lang(person), view),
                key=f"screening:{view.id}:to:{person.id}",
                entity=(ENTITY, str(view.id)),
            )

    async def _tell_askers(self, view: ScreeningView, people: list[PersonRow]) -> None:
        for person in people:
            lang = person_lang(person)
            day = format_day(lang, view.planned_on) if view.planned_on else ""
            text = t(
                lang,
                f"screening.answered.{view.status.value}",
                partner=plain(view.partner),
                day=day,
            )
            await self.notifier.card_to_person(
                person.id,
                notice_card(t(lang, "screening.answer.title"), text),
                key=f"screening:{view.id}:{view.status.value}:to:{person.id}",
                entity=("screening_notice", str(view.id)),
            )

    # -- helpers -------------------------------------------------------------------------------

    async def _access(self, connection: HotConnection, speaker: Speaker) -> Access:
        return await wellbeing.access_of(connection, speaker.person_id, is_admin=speaker.is_admin)

    async def _refuse(self, speaker: Speaker, action: str, unit_id: int) -> None:
        await audit.record_refusal(
            self.db, actor=speaker.actor, action=action, entity_type="unit", entity_id=unit_id
        )

    def _notice(self, speaker: Speaker, key: str, **values: str) -> Card:
        lang = speaker.lang
        return notice_card(t(lang, "screening.block.title"), t(lang, key, **values))


def person_lang(person: Speaking) -> Lang:
    return preferred_lang(person.language_override, person.locale)


async def _answerers(connection: HotConnection, unit_id: int) -> list[PersonRow]:
    """The unit's AMKs, or its leaders when it has none."""
    return await org.holders(connection, unit_id, Role.AMK) or await org.holders(
        connection, unit_id, Role.LEADER
    )


async def askers(connection: HotConnection, view: ScreeningView) -> list[PersonRow]:
    """The asking unit's AMKs and the person who asked (once each)."""
    people = {p.id: p for p in await org.holders(connection, view.unit_id, Role.AMK)}
    asker_id = await screening.requested_by(connection, view.id)
    if asker_id is not None and asker_id not in people:
        asker = await rows.person(connection, asker_id)
        if asker is not None:
            people[asker.id] = asker
    return list(people.values())


def _answer_problems(values: dict[str, Any], today: date) -> AnswerForm | dict[str, str]:
    try:
        form = AnswerForm.model_validate(values)
    except ValidationError:
        return {"planned_on": "screening.field.planned_on.error"}
    return answer_problems(form, today) or form
