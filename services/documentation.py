"""The documentation overview's use cases: a unit's duties and their status, recording that
a duty was met, the unit picker and the secretariat's list of all units.

Everyone may see a unit's overview (it holds dates and links, no personal data); the unit's
leaders and AMKs, the secretariat and administrators may record; refusals are audited."""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection
from datetime import date
from typing import Any

from pydantic import Field, ValidationError

from cards.common import Card, format_day, notice_card
from cards.documentation import (
    UnitSummary,
    all_units_card,
    overview_card,
    pick_card,
    record_card,
)
from cards.exports import with_export
from domain.actor import Speaker
from domain.amo import AMO_DUTY
from domain.documentation import (
    Duty,
    DutyCatalogue,
    RecordForm,
    Standing,
    Status,
    form_problems,
    standing,
    worst_first,
)
from domain.exports import ExportKind
from domain.i18n import Lang, local_date, t
from domain.ids import CardId, ChosenId
from domain.org import UnitRef
from domain.proofs import RecordProof, documentation_ref
from domain.wellbeing import Access
from services.actions import CardData, CardInputs, NoData, Verb
from services.amo import AmoRef, AmoServices
from services.ports import Clock
from storage import (
    amo,
    audit,
    documentation,
    org,
    proofs,
    screening,
    screening_records,
    training,
    wellbeing,
)
from storage.audit import audited
from storage.db import Database, HotConnection
from storage.models import utcnow

_FIELD_ERRORS = {
    "met_on": "documentation.error.met_on",
    "proof": "documentation.error.proof",
    "subject": "documentation.error.too_long",
}


class UnitChoice(CardData):
    """Show a unit's overview: the unit the card names or the one picked (none: pick one)."""

    unit_id: ChosenId = None


class AllUnitsPage(CardData):
    """A page of the secretariat's table of all units (none: the first)."""

    page: int = Field(default=0, ge=0, le=1000)


class DutyRef(CardData):
    """Open the record form of one duty of one unit (for a subject already recorded: that
    subject, filled in)."""

    unit_id: CardId
    duty: str
    subject: str | None = None


class DutyInputs(CardInputs):
    """The record form as submitted: which duty of which unit, and the form's inputs."""

    unit_id: CardId
    duty: str


class DatabaseDocumentationServices:
    """The documentation overview on the real database (one transaction per call)."""

    def __init__(self, db: Database, *, clock: Clock = utcnow) -> None:
        self.db = db
        self.clock = clock
        self.catalogue = documentation.duties()
        self.amo = AmoServices(db, overview=self._overview, clock=clock)

    def verbs(self) -> list[Verb[Any]]:
        return [
            Verb("documentation.open", NoData, self.open),
            Verb("documentation.show", UnitChoice, self.show),
            Verb("documentation.pick", NoData, self.pick),
            Verb("documentation.all", AllUnitsPage, self.all_units),
            Verb("documentation.form", DutyRef, self.form),
            Verb("documentation.record", DutyInputs, self.record),
            *self.amo.verbs(),
        ]

    async def word(self, speaker: Speaker) -> Card:
        """ "dokumentation": the speaker's own unit at once, the secretariat's list of all
        units, or the unit picker."""
        async with self.db.reading() as connection:
            access = await self._access(connection, speaker)
            if access.university_wide:
                return await self._all_units(connection, speaker)
            home = access.home_unit()
            if home is not None:
                return await self._overview(connection, speaker, access, home)
            return await self._picker(connection, speaker)

    async def show(self, speaker: Speaker, choice: UnitChoice) -> Card:
        async with self.db.reading() as connection:
            if choice.unit_id is None:
                return await self._picker(
                    connection, speaker, error=t(speaker.lang, "documentation.pick.error")
                )
            access = await self._access(connection, speaker)
            return await self._overview(connection, speaker, access, choice.unit_id)

    async def open(self, speaker: Speaker, _: NoData) -> Card:
        """The menu's **Dokumentation** button: the same card as the word."""
        return await self.word(speaker)

    async def pick(self, speaker: Speaker, _: NoData) -> Card:
        async with self.db.reading() as connection:
            home = (await self._access(connection, speaker)).home_unit()
            return await self._picker(connection, speaker, selected=home)

    async def all_units(self, speaker: Speaker, shown: AllUnitsPage) -> Card:
        async with self.db.reading() as connection:
            access = await self._access(connection, speaker)
            if not access.university_wide:
                return await self._picker(connection, speaker)
            return await self._all_units(connection, speaker, shown.page)

    async def form(self, speaker: Speaker, ref: DutyRef) -> Card:
        if ref.duty == AMO_DUTY:  # recorded with its groups and reasoning
            return await self.amo.form(speaker, AmoRef(unit_id=ref.unit_id))
        async with self.db.reading() as connection:
            found = await self._unit_and_duty(connection, ref.unit_id, ref.duty)
            access = await self._access(connection, speaker)
        if found is None:
            return self._unknown(speaker)
        unit, duty = found
        if not access.may_record(unit.id):
            await self._refuse(speaker, unit.id)
            return self._not_allowed(speaker)
        values = {"subject": ref.subject} if duty.per_subject and ref.subject else None
        return record_card(speaker.lang, unit, duty, today=self._today(), values=values)

    async def record(self, speaker: Speaker, sent: DutyInputs) -> Card:
        """Record that the unit met the duty, in one transaction with its audit event; the
        form again with what is wrong under each field, or the overview with a receipt."""
        lang = speaker.lang
        if sent.duty == AMO_DUTY:  # an old card: the AMO's own form, nothing saved
            return await self.amo.form(speaker, AmoRef(unit_id=sent.unit_id))
        values = sent.inputs()
        today = self._today()
        async with audited(self.db) as connection:
            found = await self._unit_and_duty(connection, sent.unit_id, sent.duty)
            if found is None:
                return self._unknown(speaker)
            unit, duty = found
            access = await self._access(connection, speaker)
            if speaker.person_id is None or not access.may_record(unit.id):
                await audit.record(
                    connection,
                    actor=speaker.actor,
                    action="documentation.record.refused",
                    entity_type="unit",
                    entity_id=unit.id,
                    after={"reason": "not_allowed"},
                )
                return self._not_allowed(speaker)
            problems = _problems(values, duty, today)
            if isinstance(problems, dict):
                errors = {field: t(lang, key) for field, key in problems.items()}
                return record_card(lang, unit, duty, today=today, values=values, errors=errors)
            saved = await documentation.add_record(
                connection,
                unit_id=unit.id,
                duty=duty,
                form=problems,
                actor_id=speaker.person_id,
                actor=speaker.actor,
            )
            notice = t(
                lang,
                "documentation.saved",
                duty=duty.name(lang is Lang.DA),
                day=format_day(lang, problems.met_on),
            )
            hint = t(lang, "proofs.how.saved", ref=documentation_ref(saved.id))
            return await self._overview(connection, speaker, access, unit.id, notice, hint)

    # -- helpers -----------------------------------------------------------------------------

    def _today(self) -> date:
        return local_date(self.clock())

    async def _access(self, connection: HotConnection, speaker: Speaker) -> Access:
        return await wellbeing.access_of(connection, speaker.person_id, is_admin=speaker.is_admin)

    async def _unit_and_duty(
        self, connection: HotConnection, unit_id: int, key: str
    ) -> tuple[UnitRef, Duty] | None:
        duty = self.catalogue.get(key)
        if duty is None or not duty.recordable:
            return None
        unit = await documentation.active_unit(connection, unit_id)
        return None if unit is None else (unit, duty)

    def _unit_standings(
        self, met: documentation.Met, unit_id: int, review: Collection[int] = ()
    ) -> list[Standing]:
        return unit_standings(self.catalogue, met, unit_id, self._today(), review=review)

    async def _overview(
        self,
        connection: HotConnection,
        speaker: Speaker,
        access: Access,
        unit_id: int,
        notice: str | None = None,
        hint: str | None = None,
    ) -> Card:
        """The unit's overview (with `notice` and `hint` on top); each recorded line's
        reference and proof file; the AMO's latest reasoning and the export button for those
        who may record."""
        unit = await documentation.active_unit(connection, unit_id)
        if unit is None:
            return self._unknown(speaker)
        met = await documentation.last_met(connection, [unit.id])
        review = await amo.to_review(connection, [unit.id])
        latest = (await amo.latest(connection, [unit.id])).get(unit.id)
        standings = worst_first(self._unit_standings(met, unit.id, review))
        card = overview_card(
            speaker.lang,
            unit,
            standings,
            may_record=access.may_record(unit.id),
            university_wide=access.university_wide,
            notice=notice,
            amo=await documentation.amo_members(connection, unit.id),
            training=await _training_counts(connection, access, unit.id),
            screenings=await screening.of_unit(connection, unit.id),
            amo_record=latest if access.may_record(unit.id) else None,
            held=await screening_records.of_unit(connection, unit.id),
            proofs=await _record_proofs(connection, unit.id, standings),
            hint=hint,
        )
        if not access.may_record(unit.id):
            return card
        return with_export(card, speaker.lang, ExportKind.DOCUMENTATION, unit_id=unit.id)

    async def _picker(
        self,
        connection: HotConnection,
        speaker: Speaker,
        *,
        selected: int | None = None,
        error: str | None = None,
    ) -> Card:
        units = await org.unit_choices(connection)
        return pick_card(speaker.lang, units, selected=selected, error=error)

    async def _all_units(self, connection: HotConnection, speaker: Speaker, page: int = 0) -> Card:
        units = await org.unit_choices(connection)
        unit_ids = [unit.id for unit in units]
        met = await documentation.last_met(connection, unit_ids)
        review = await amo.to_review(connection, unit_ids)
        order = list(Status)
        summaries = []
        duties = self.catalogue.duties
        for unit in units:
            standings = self._unit_standings(met, unit.id, review)
            counts = Counter(item.status for item in standings)
            by_duty = {
                duty.key: min(
                    (item.status for item in standings if item.duty.key == duty.key),
                    key=order.index,
                    default=Status.NOT_RECORDED,
                )
                for duty in duties
            }
            summaries.append(
                UnitSummary(
                    unit=unit,
                    worst=min(counts, key=order.index),
                    counts=counts,
                    statuses=[by_duty[duty.key] for duty in duties],
                )
            )
        summaries.sort(
            key=lambda s: (
                order.index(s.worst),
                -s.counts.get(Status.OVERDUE, 0),
                -s.counts.get(Status.NOT_RECORDED, 0),
                s.unit.name.lower(),
            )
        )
        return all_units_card(speaker.lang, summaries, duties, page)

    async def _refuse(self, speaker: Speaker, unit_id: int) -> None:
        """Audit a form opened by someone who may not record (nothing was written)."""
        await audit.record_refusal(
            self.db,
            actor=speaker.actor,
            action="documentation.record",
            entity_type="unit",
            entity_id=unit_id,
        )

    def _not_allowed(self, speaker: Speaker) -> Card:
        lang = speaker.lang
        return notice_card(
            t(lang, "documentation.pick.title"), t(lang, "documentation.not_allowed")
        )

    def _unknown(self, speaker: Speaker) -> Card:
        lang = speaker.lang
        return notice_card(t(lang, "documentation.pick.title"), t(lang, "documentation.unknown"))


async def _training_counts(
    connection: HotConnection, access: Access, unit_id: int
) -> tuple[int, int] | None:
    """The unit's training records and people, for its leaders and AMKs only (the records
    are personal: nobody else sees even how many there are)."""
    if access.person_id is None or not access.leads_or_coordinates(unit_id):
        return None
    return await training.unit_counts(connection, unit_id)


async def _record_proofs(
    connection: HotConnection, unit_id: int, standings: list[Standing]
) -> dict[tuple[str, str | None], RecordProof]:
    """The reference and proof file of each line shown from a record of the overview's own
    (not a line whose day comes from the well-being records or a screening held later)."""
    newest = await documentation.newest_records(connection, unit_id)
    shown = {
        (item.duty.key, item.subject): newest[(item.duty.key, item.subject)][0]
        for item in standings
        if (item.duty.key, item.subject) in newest
        and newest[(item.duty.key, item.subject)][1] == item.last_met
    }
    files = await proofs.of_duty_records(connection, shown.values())
    return {
        line: RecordProof(documentation_ref(record_id), files.get(record_id))
        for line, record_id in shown.items()
    }


def unit_standings(
    catalogue: DutyCatalogue,
    met: documentation.Met,
    unit_id: int,
    today: date,
    *,
    review: Collection[int] = (),
) -> list[Standing]:
    """Every duty of the catalogue for one unit (a duty kept per subject: one per subject,
    or one "not recorded"), in the catalogue's order; the AMO's composition is due for review
    in the units of `review` (`storage.amo.to_review`)."""
    standings: list[Standing] = []
    for duty in catalogue.duties:
        entries = documentation.met_on(met, unit_id, duty)
        if not entries:
            standings.append(standing(duty, None, today))
        again = duty.key == AMO_DUTY and unit_id in review
        for subject, day, proof in entries:
            standings.append(standing(duty, day, today, subject=subject, proof=proof, review=again))
    return standings


def _problems(values: dict[str, Any], duty: Duty, today: date) -> RecordForm | dict[str, str]:
    """The valid form, or field id → catalogue key of what is wrong with it."""
    try:
        form = RecordForm.model_validate(values)
    except ValidationError as error:
        fields = {str(problem["loc"][0]) for problem in error.errors() if problem["loc"]}
        return {field: _FIELD_ERRORS.get(field, "documentation.error.too_long") for field in fields}
    return form_problems(form, duty, today) or form
