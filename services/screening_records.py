"""Recording a screening (internal, sister or by the secretariat) as planned or held, from
the unit's documentation overview. A held screening meets the "screening" duty; its
findings, after the well-being flow's personal-data check (the plan is shown to every
employee), become items of the unit's action plan through the well-being flow's own creation
path (`storage.wellbeing_items.add_items`), marked as the screening's, so their owners get
them and they are followed up like every other item.

The unit's leaders and AMKs, the secretariat and administrators may record; refusals and
every write are audited."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import date
from typing import Any, Final

from pydantic import ValidationError

from cards.common import Card, notice_card
from cards.screening_records import check_card, record_card, saved_card
from domain.actor import Speaker
from domain.i18n import Lang, local_date, t
from domain.ids import CardId, MaybeCardId
from domain.org import UnitRef
from domain.screening import (
    FINDING_ROWS,
    RecordForm,
    ScreeningKind,
    ScreeningState,
    ScreeningView,
    finding_deadline,
    finding_defaults,
    record_problems,
)
from domain.wellbeing import Access
from domain.wellbeing_items import ItemDraft, item_values, parse_items
from services.actions import CardData, CardInputs, InputText, Verb
from services.people import fill_in, look_up
from services.ports import Clock, Directory
from services.wellbeing_core import item_flags
from storage import (
    audit,
    documentation,
    people,
    rows,
    screening,
    screening_records,
    wellbeing,
    wellbeing_items,
)
from storage.audit import audited
from storage.db import Database, HotConnection
from storage.models import utcnow
from storage.screening_records import ScreeningRow

_BATCH: Final = re.compile(r"[0-9a-f]{32}")
_FORM_FIELDS: Final = ("kind", "state", "day", "request_id", "proof")
_FIELD_ERRORS: Final = {
    "kind": "screening.field.kind.error",
    "state": "screening.field.state.error",
    "day": "screening.field.day.error",
    "request_id": "screening.error.request",
    "proof": "documentation.error.proof",
}


class FormData(CardData):
    """Open the record form for a unit (`screening_id`: its planned screening, to record
    as held)."""

    unit_id: CardId
    screening_id: MaybeCardId = None


class RecordInputs(CardInputs):
    """The record form as sent: the unit, the planned screening if any, the card's batch,
    and the form's inputs."""

    unit_id: CardId
    screening_id: MaybeCardId = None
    batch: InputText = ""


@dataclass(frozen=True)
class _Target:
    """What a form is for: the unit, the speaker's access, the planned screening being
    recorded (if any) and the sister-screening requests it can be linked to."""

    unit: UnitRef
    access: Access
    planned: ScreeningRow | None
    requests: list[ScreeningView]
    owner: str  # the recorder, as a finding's owner when none is given


class ScreeningRecords:
    """Planned and held screenings (one transaction per save)."""

    def __init__(
        self,
        db: Database,
        *,
        clock: Clock = utcnow,
        picker: bool = False,
        directory: Directory | None = None,
    ) -> None:
        self.db = db
        self.clock = clock
        self.picker = picker
        self.directory = directory

    def verbs(self) -> list[Verb[Any]]:
        return [
            Verb("screening.form", FormData, self.form),
            Verb("screening.record", RecordInputs, self.record),
        ]

    async def form(self, speaker: Speaker, data: FormData) -> Card:
        """The empty form, or the planned screening's filled in as held."""
        target = await self._target(speaker, data.unit_id, data.screening_id)
        if not isinstance(target, _Target):
            return target
        values: dict[str, Any] | None = None
        if target.planned is not None:
            planned = target.planned
            values = {
                "kind": planned.kind,
                "state": ScreeningState.HELD.value,
                "request_id": str(planned.request_id or ""),
                "proof": planned.proof or "",
            }
        return self._card(speaker.lang, target, uuid.uuid4().hex, data.screening_id, values)

    async def record(self, speaker: Speaker, sent: RecordInputs) -> Card:
        """Save the screening and its findings as action-plan items, or the form again with
        what is wrong under each field; the receipt after."""
        lang = speaker.lang
        target = await self._target(speaker, sent.unit_id, sent.screening_id)
        if not isinstance(target, _Target):
            return target
        data, today = sent.inputs(), local_date(self.clock())
        batch = sent.batch if _BATCH.fullmatch(sent.batch) else uuid.uuid4().hex
        kept = {name: data[name] for name in _FORM_FIELDS if data.get(name)}
        kept.update(item_values(data, FINDING_ROWS))
        if data.get("edit") == "yes":  # "Ret teksten" on the personal-data check
            return self._card(lang, target, batch, sent.screening_id, kept)
        filled = _with_defaults(lang, data, today, target)
        checked = _check(filled, today, target)
        if isinstance(checked, dict):
            errors = {name: t(lang, key) for name, key in checked.items()}
            return self._card(lang, target, batch, sent.screening_id, kept, errors)
        form, drafts = checked
        if drafts and data.get("confirm") != "yes":
            async with self.db.reading() as connection:
                flags = await item_flags(connection, filled, FINDING_ROWS, today=today)
            if flags:
                return check_card(
                    lang,
                    target.unit,
                    flags,
                    batch=batch,
                    screening_id=sent.screening_id,
                    values=kept,
                )
        assert speaker.person_id is not None
        partner_id = _partner(target, form)
        found = await look_up(self.db, self.directory, [draft.owner_upn for draft in drafts])
        async with audited(self.db) as connection:
            row = await screening_records.save(
                connection,
                unit_id=target.unit.id,
                form=form,
                partner_id=partner_id,
                actor_id=speaker.person_id,
                actor=speaker.actor,
                batch=batch,
                planned_id=None if target.planned is None else target.planned.id,
            )
            if row is None:  # recorded as held meanwhile
                return self._notice(lang, "screening.unknown")
            if drafts:
                await fill_in(connection, found)
                await wellbeing_items.add_items(
                    connection,
                    drafts,
                    unit_id=target.unit.id,
                    dialogue_id=None,
                    actor_id=speaker.person_id,
                    now=self.clock(),
                    batch=batch,
                    screening_id=row.id,
                )
            views = await screening_records.of_unit(connection, target.unit.id, limit=50)
        view = next(v for v in views if v.id == row.id)
        return saved_card(lang, target.unit, view, today=today)

    # -- helpers -----------------------------------------------------------------------------

    async def _target(
        self, speaker: Speaker, unit_id: int, screening_id: int | None
    ) -> _Target | Card:
        """The unit and what its form needs, if the speaker may record for it; otherwise
        the answer (a refusal is audited)."""
        async with self.db.reading() as connection:
            unit = await documentation.active_unit(connection, unit_id)
            access = await wellbeing.access_of(
                connection, speaker.person_id, is_admin=speaker.is_admin
            )
            allowed = speaker.person_id is not None and access.may_record(unit_id)
            planned = None
            if allowed and screening_id is not None:
                planned = await screening_records.planned_of(connection, screening_id, unit_id)
            requests = await _linkable(connection, unit_id, planned) if allowed else []
            person = (
                await rows.person(connection, speaker.person_id)
                if allowed and speaker.person_id is not None
                else None
            )
        if unit is None:
            return self._notice(speaker.lang, "screening.unknown")
        if not allowed:
            await audit.record_refusal(
                self.db,
                actor=speaker.actor,
                action="screening.record",
                entity_type="unit",
                entity_id=unit_id,
            )
            return self._notice(speaker.lang, "screening.not_allowed")
        if screening_id is not None and planned is None:
            return self._notice(speaker.lang, "screening.unknown")
        owner = people.input_value(person, picker=False) or (
            person.aad_object_id if person is not None and person.aad_object_id else ""
        )
        return _Target(unit, access, planned, requests, owner)

    def _card(
        self,
        lang: Lang,
        target: _Target,
        batch: str,
        screening_id: int | None,
        values: dict[str, Any] | None = None,
        errors: dict[str, str] | None = None,
    ) -> Card:
        return record_card(
            lang,
            target.unit,
            target.requests,
            batch=batch,
            screening_id=screening_id,
            values=values,
            errors=errors,
            picker=self.picker,
        )

    def _notice(self, lang: Lang, key: str) -> Card:
        return notice_card(t(lang, "screening.block.title"), t(lang, key))


async def _linkable(
    connection: HotConnection, unit_id: int, planned: ScreeningRow | None
) -> list[ScreeningView]:
    """The unit's accepted sister-screening requests not yet linked to a held screening of
    it (the planned screening's own request stays offered)."""
    linked = await screening_records.linked_requests(connection, unit_id)
    keep = planned.request_id if planned is not None else None
    return [
        view
        for view in await screening.accepted_of(connection, unit_id)
        if view.id not in linked or view.id == keep
    ]


def _partner(target: _Target, form: RecordForm) -> int | None:
    """The other unit of a sister screening (on whichever side of the request it was)."""
    if form.kind is not ScreeningKind.SISTER:
        return None
    view = next(view for view in target.requests if view.id == form.request_id)
    return view.partner_id if view.unit_id == target.unit.id else view.unit_id


def _with_defaults(
    lang: Lang, data: dict[str, Any], today: date, target: _Target
) -> dict[str, Any]:
    """The inputs with what each finding left out filled in (the action to be agreed, the
    recorder as owner, the default deadline)."""
    filled = dict(data)
    for row in range(1, FINDING_ROWS + 1):
        filled = finding_defaults(
            filled,
            row,
            action=t(lang, "screening.finding.action"),
            owner=target.owner,
            deadline=finding_deadline(today),
        )
    return filled


def _check(
    filled: dict[str, Any], today: date, target: _Target
) -> tuple[RecordForm, list[ItemDraft]] | dict[str, str]:
    """The valid form and its findings as action-plan drafts, or field id → catalogue key
    of what is wrong (`filled`: the inputs with the findings' defaults)."""
    problems: dict[str, str] = {}
    form: RecordForm | None = None
    try:
        form = RecordForm.model_validate(filled)
    except ValidationError as error:
        for problem in error.errors():
            name = str(problem["loc"][0]) if problem["loc"] else "day"
            problems.setdefault(name, _FIELD_ERRORS.get(name, "screening.field.day.error"))
    if form is not None:
        problems.update(record_problems(form, today, {view.id for view in target.requests}))
    drafts, item_problems = parse_items(filled, FINDING_ROWS, today=today)
    problems.update(item_problems)
    if form is not None and form.state is ScreeningState.PLANNED and drafts:
        problems.setdefault("problem_1", "screening.error.findings_planned")
    if problems or form is None:
        return problems
    return form, drafts
