"""Instruction and training (§ 18) on the database: a person's own records, a unit's records
for its leaders and AMKs, and recording one from the documentation overview.

Who may do what (`domain.training`): the person reads their own records; the unit's leaders
and AMKs read and record the unit's; anyone else is refused, and the refusal is audited.
Records hold personal data, so the secretariat and administrators see none of them."""

from __future__ import annotations

from datetime import date
from typing import Any

from pydantic import ValidationError

from cards.common import Card, notice_card
from cards.training import format_day, mine_card, record_card, unit_card
from domain.actor import Speaker
from domain.i18n import local_date, t
from domain.ids import CardId, MaybeCardId
from domain.org import is_email
from domain.proofs import training_ref
from domain.training import TrainingForm, form_problems
from domain.wellbeing import Access
from services.actions import CardData, CardInputs, Verb
from services.ports import Clock
from storage import audit, documentation, org, training, wellbeing
from storage.audit import audited
from storage.db import Database, HotConnection
from storage.models import utcnow

_FIELD_ERRORS = {
    "person": "training.field.person.error",
    "activity": "training.field.activity.error",
    "kind": "training.field.kind.error",
    "given_on": "training.field.given_on.error",
    "given_by": "training.field.given_by.error",
    "proof": "training.error.proof",
}


class MineChoice(CardData):
    """Show the speaker's own records (from the overview of `unit_id`, if any)."""

    unit_id: MaybeCardId = None


class UnitData(CardData):
    """A unit's training: its list or its record form."""

    unit_id: CardId


class UnitInputs(CardInputs):
    """A card of a unit's training with its inputs (the person filter or the record form)."""

    unit_id: CardId


class DatabaseTrainingServices:
    """Instruction and training records on the real database (one transaction per call)."""

    def __init__(self, db: Database, *, clock: Clock = utcnow) -> None:
        self.db = db
        self.clock = clock

    def verbs(self) -> list[Verb[Any]]:
        return [
            Verb("training.mine", MineChoice, self.mine),
            Verb("training.unit", UnitInputs, self.unit),
            Verb("training.form", UnitData, self.form),
            Verb("training.record", UnitInputs, self.record),
        ]

    async def mine(self, speaker: Speaker, choice: MineChoice) -> Card:
        """The speaker's own records in every unit."""
        records = []
        if speaker.person_id is not None:
            async with self.db.reading() as connection:
                records = await training.of_person(connection, speaker.person_id)
        return mine_card(speaker.lang, records, back_to=choice.unit_id)

    async def unit(self, speaker: Speaker, sent: UnitInputs) -> Card:
        """The unit's records for its leaders and AMKs, of everyone or of the person whose
        e-mail was typed."""
        lang = speaker.lang
        typed = str(sent.inputs().get("person") or "").strip()
        async with self.db.reading() as connection:
            unit = await documentation.active_unit(connection, sent.unit_id)
            if unit is None:
                return self._unknown(speaker)
            access = await self._access(connection, speaker)
            if not self._staff(access, unit.id):
                refused = True
            else:
                refused = False
                error: str | None = None
                person_id: int | None = None
                if typed and not is_email(typed):
                    error = t(lang, "training.unit.filter.error")
                elif typed:
                    person = await org.find_person(connection, upn=typed)
                    if person is None:
                        error = t(lang, "training.unit.unknown_person")
                    else:
                        person_id = person.id
                if error is None:
                    records, total = await training.of_unit(
                        connection, unit.id, person_id=person_id
                    )
                else:
                    records, total = [], 0
        if refused:
            await self._refuse(speaker, "training.read", unit.id)
            return self._not_allowed(speaker)
        return unit_card(
            lang, unit, records, total, may_record=True, person=typed or None, error=error
        )

    async def form(self, speaker: Speaker, ref: UnitData) -> Card:
        async with self.db.reading() as connection:
            unit = await documentation.active_unit(connection, ref.unit_id)
            access = await self._access(connection, speaker)
        if unit is None:
            return self._unknown(speaker)
        if not self._staff(access, unit.id):
            await self._refuse(speaker, "training.record", unit.id)
            return self._not_allowed(speaker)
        return record_card(speaker.lang, unit, today=self._today())

    async def record(self, speaker: Speaker, sent: UnitInputs) -> Card:
        """Record the instruction or training, in one transaction with its audit event; the
        form again with what is wrong under each field, or the unit's list with a receipt."""
        lang = speaker.lang
        values = sent.inputs()
        today = self._today()
        async with audited(self.db) as connection:
            unit = await documentation.active_unit(connection, sent.unit_id)
            if unit is None:
                return self._unknown(speaker)
            access = await self._access(connection, speaker)
            if speaker.person_id is None or not self._staff(access, unit.id):
                await audit.record(
                    connection,
                    actor=speaker.actor,
                    action="training.record.refused",
                    entity_type="unit",
                    entity_id=unit.id,
                    after={"reason": "not_allowed"},
                )
                return self._not_allowed(speaker)
            checked = _checked(values, today)
            if isinstance(checked, dict):
                errors = {field: t(lang, key) for field, key in checked.items()}
                return record_card(lang, unit, today=today, values=values, errors=errors)
            person = await org.upsert_person(
                connection, aad_object_id=None, upn=checked.person, name=None
            )
            saved = await training.add_record(
                connection,
                unit_id=unit.id,
                person_id=person.id,
                form=checked,
                actor_id=speaker.person_id,
                actor=speaker.actor,
            )
            records, total = await training.of_unit(connection, unit.id)
            name = org.describe_person(person)
        notice = t(
            lang,
            "training.saved",
            activity=checked.activity,
            person=name,
            day=format_day(lang, checked.given_on),
        )
        hint = t(lang, "proofs.how.saved", ref=training_ref(saved.id))
        return unit_card(lang, unit, records, total, may_record=True, notice=notice, hint=hint)

    # -- helpers -----------------------------------------------------------------------------

    def _today(self) -> date:
        return local_date(self.clock())

    async def _access(self, connection: HotConnection, speaker: Speaker) -> Access:
        return await wellbeing.access_of(connection, speaker.person_id, is_admin=speaker.is_admin)

    @staticmethod
    def _staff(access: Access, unit_id: int) -> bool:
        """The unit's leaders and AMKs: they read and record its training."""
        return access.person_id is not None and access.leads_or_coordinates(unit_id)

    async def _refuse(self, speaker: Speaker, action: str, unit_id: int) -> None:
        await audit.record_refusal(
            self.db, actor=speaker.actor, action=action, entity_type="unit", entity_id=unit_id
        )

    def _not_allowed(self, speaker: Speaker) -> Card:
        lang = speaker.lang
        return notice_card(t(lang, "training.block.title"), t(lang, "training.not_allowed"))

    def _unknown(self, speaker: Speaker) -> Card:
        lang = speaker.lang
        return notice_card(t(lang, "training.block.title"), t(lang, "training.unknown"))


def _checked(values: dict[str, Any], today: date) -> TrainingForm | dict[str, str]:
    """The valid form, or field id → catalogue key of what is wrong with it."""
    try:
        form = TrainingForm.model_validate(values)
    except ValidationError as error:
        problems: dict[str, str] = {}
        for issue in error.errors():
            field = str(issue["loc"][0]) if issue["loc"] else "activity"
            key = _FIELD_ERRORS.get(field, "training.error.too_long")
            if issue["type"] == "string_too_long" and field in ("activity", "given_by"):
                key = "training.error.too_long"
            problems[field] = key
        return problems
    return form_problems(form, today) or form
