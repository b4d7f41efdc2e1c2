"""Drug-precursor services on the database (`dialogs.precursors.PrecursorServices`)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any

from pydantic import BeforeValidator, ValidationError
from sqlalchemy.exc import IntegrityError

from cards.common import Card, notice_card, plain
from cards.exports import with_export
from cards.precursor_ledger import ledger_card
from cards.precursors import (
    day_text,
    home_warnings,
    inline_name,
    overview_card,
    unit_status_card,
    warning_text,
)
from domain.actor import Speaker
from domain.exports import ExportKind
from domain.i18n import Lang, t
from domain.ids import CardId, ChosenId, row_id
from domain.org import UnitRef
from domain.precursor_forms import FIELD_ERRORS, EntryForm, HoldingForm
from domain.precursor_import import ImportRow
from domain.precursor_ledger import (
    EntryKind,
    HoldingView,
    LedgerLine,
    PrecursorWarning,
)
from domain.precursor_registrations import RegistrationStatus, UnitHome, deadline_for
from domain.precursors import SubstanceInfo, format_amount, format_quantity, from_micro, search
from services import precursor_workbooks
from services.actions import CardData, InputText, Verb
from services.ports import Notifier
from services.precursor_core import Access, Result, local_today, unit_home
from services.precursor_workbooks import ImportOutcome
from storage import (
    audit,
    org,
    precursor_catalogue,
    precursor_entries,
    precursor_registrations,
    precursors,
)
from storage.audit import AuditedConnection, audited
from storage.db import Database, HotConnection
from storage.models import utcnow
from storage.precursor_entries import EntryRow
from storage.precursor_registrations import RegistrationRow

log = logging.getLogger(__name__)


def _year(value: Any) -> int | None:
    """A year a card sent, when it is one the registers can hold."""
    text = str(value or "").strip()
    year = int(text) if len(text) == 4 and text.isascii() and text.isdigit() else 0
    return year if 2000 <= year <= 2100 else None


Year = Annotated[int | None, BeforeValidator(_year)]
"""A year a card sent (none, or one the registers cannot hold: the current year)."""


class YearChoice(CardData):
    year: Year = None


class UnitStatus(YearChoice):
    """The overview's Show unit: the unit picked on it (none: the overview again)."""

    unit_id: ChosenId = None


class Reversal(CardData):
    """The ledger card's Reverse: the holding, and the entry and reason picked on it."""

    holding_id: CardId
    entry_id: InputText = ""
    reason: InputText = ""


class DatabasePrecursorServices:
    """Every precursor action in one transaction, refusals audited."""

    def __init__(
        self,
        db: Database,
        notifier: Notifier,
        *,
        licence: str = "",
        deadline: str = "06-15",
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        self.db = db
        self.notifier = notifier
        self.licence = licence
        self.deadline = deadline
        self.clock = clock
        self._catalogue_ready = False

    def today(self) -> date:
        return local_today(self.clock())

    async def ready(self) -> None:
        """Load the shipped catalogue into this database once per process."""
        if not self._catalogue_ready:
            await precursor_catalogue.ensure_loaded(self.db)
            self._catalogue_ready = True

    async def access(self, speaker: Speaker) -> Access:
        async with self.db.reading() as connection:
            found = await precursors.access(connection, speaker.person_id)
        return Access(
            [UnitRef(id=unit.id, name=unit.name) for unit in found.units],
            found.secretariat,
        )

    async def _may_see_all(self, connection: HotConnection, speaker: Speaker) -> bool:
        if speaker.is_admin:
            return True
        return (await precursors.access(connection, speaker.person_id)).secretariat

    async def _overview_refused(self, speaker: Speaker, what: str) -> Card:
        """Tell the speaker the overview is the secretariat's, and audit the attempt."""
        async with audited(self.db) as connection:
            await precursors.refuse(
                connection, actor_id=speaker.person_id, what=what, entity="unit", entity_id=None
            )
        lang = speaker.lang
        return notice_card(
            t(lang, "precursors.pick.title"), t(lang, "precursors.not_allowed.overview")
        )

    async def home(self, speaker: Speaker, unit_id: int) -> UnitHome | None:
        await self.ready()
        async with self.db.reading() as connection:
            if not await precursors.may_keep(connection, speaker.person_id, unit_id):
                return None
            unit = await org.unit(connection, unit_id)
            if unit is None:
                return None
            return await unit_home(
                connection, unit, today=self.today(), deadline=self.deadline, licence=self.licence
            )

    async def search(self, query: str) -> list[SubstanceInfo]:
        await self.ready()
        async with self.db.reading() as connection:
            return search(await precursors.substances(connection), query)

    async def holding(self, speaker: Speaker, unit_id: int, holding_id: int) -> HoldingView | None:
        async with self.db.reading() as connection:
            if not await precursors.may_keep(connection, speaker.person_id, unit_id):
                return None
            for view in await precursors.holdings_of(connection, unit_id):
                if view.id == holding_id:
                    return view
        return None

    async def _refused(
        self,
        connection: AuditedConnection,
        speaker: Speaker,
        what: str,
        entity: str,
        entity_id: object,
    ) -> Result:
        await precursors.refuse(
            connection, actor_id=speaker.person_id, what=what, entity=entity, entity_id=entity_id
        )
        return Result(False, t(speaker.lang, "precursors.not_allowed.unit"), refused=True)

    async def read_sheet(
        self, speaker: Speaker, data: bytes, name: str
    ) -> tuple[list[ImportRow], list[str]]:
        """The rows of a workbook sent in the chat, or what is wrong with it."""
        return await precursor_workbooks.read_sheet(data, name, speaker.lang)

    async def import_sheet(
        self, speaker: Speaker, rows: list[ImportRow], *, confirm: bool
    ) -> ImportOutcome | None:
        """Check every row of a sheet sent in the chat (`confirm`: and write all of them in one
        audited transaction, or none). A keeper's rows may name only the units they keep; the
        secretariat's and administrators' any unit. None: the speaker keeps no unit's records
        (the refusal is audited)."""
        access = await self.access(speaker)
        unit_ids: set[int] | None = None
        if not (access.secretariat or speaker.is_admin):
            if not access.units:
                await self.refuse(speaker, "import", None)
                return None
            unit_ids = {unit.id for unit in access.units}
        await self.ready()
        return await precursor_workbooks.import_rows(
            self.db,
            rows,
            actor=speaker.actor,
            today=self.today(),
            licence=self.licence,
            lang=speaker.lang,
            check_only=not confirm,
            unit_ids=unit_ids,
            source="teams",
        )

    async def refuse(self, speaker: Speaker, what: str, unit_id: int | None) -> None:
        """Audit an attempt on a unit the speaker has no right to (`precursors.<what>`)."""
        await audit.record_refusal(
            self.db,
            actor=speaker.actor,
            action=f"precursors.{what}",
            entity_type="unit",
            entity_id=unit_id,
        )

    def _warning_texts(
        self, lang: Lang, warnings: list[PrecursorWarning], substance: SubstanceInfo
    ) -> list[str]:
        return [warning_text(lang, warning, substance) for warning in warnings]

    # -- substances on the unit's list ---------------------------------------------------------

    async def add_holding(self, speaker: Speaker, unit_id: int, values: dict[str, Any]) -> Result:
        lang = speaker.lang
        try:
            form = HoldingForm.model_validate(values)
        except ValidationError as error:
            errors: dict[str, str] = {}
            for issue in error.errors():
                name = str(issue["loc"][0]) if issue["loc"] else "substance_id"
                key = {
                    "substance_id": "precursors.error.substance",
                    "storage_location": "precursors.error.location",
                }.get(name, "precursors.error.too_long")
                errors.setdefault(name, t(lang, key))
            return Result(False, errors=errors)
        async with audited(self.db) as connection:
            if not await precursors.may_keep(connection, speaker.person_id, unit_id):
                return await self._refused(connection, speaker, "holding.add", "unit", unit_id)
            outcome = await precursors.add_holding(
                connection, unit_id, form, actor_id=speaker.person_id, licence=self.licence
            )
            substance = await precursors.substance(connection, form.substance_id)
        if not outcome.changed or substance is None:
            problem = outcome.problem or "precursors.error.substance"
            field = "substance_id"
            return Result(False, errors={field: t(lang, problem)})
        return Result(
            True,
            t(
                lang,
                "precursors.added",
                substance=substance.name(lang),
                location=plain(form.storage_location),
            ),
            warnings=self._warning_texts(lang, outcome.warnings, substance),
        )

    async def remove_holding(self, speaker: Speaker, unit_id: int, holding_id: int) -> Result:
        lang = speaker.lang
        async with audited(self.db) as connection:
            row = await precursors.holding(connection, holding_id)
            if row is None or row.unit_id != unit_id:
                return Result(False, t(lang, "precursors.error.holding"))
            if not await precursors.may_keep(connection, speaker.person_id, unit_id):
                return await self._refused(
                    connection, speaker, "holding.remove", precursors.HOLDING, holding_id
                )
            outcome = await precursors.remove_holding(
                connection, holding_id, actor_id=speaker.person_id
            )
            substance = await precursors.substance(connection, row.substance_id)
        if not outcome.changed or substance is None:
            return Result(False, t(lang, outcome.problem or "precursors.error.holding"))
        return Result(True, t(lang, "precursors.removed", substance=substance.name(lang)))

    # -- entries -------------------------------------------------------------------------------

    async def record(
        self,
        speaker: Speaker,
        unit_id: int,
        holding_id: int,
        kind: EntryKind,
        values: dict[str, Any],
        submission_key: str | None = None,
    ) -> Result:
        lang = speaker.lang
        try:
            form = EntryForm.model_validate({**values, "kind": kind.value})
        except ValidationError as error:
            errors: dict[str, str] = {}
            for issue in error.errors():
                name = str(issue["loc"][0]) if issue["loc"] else "kind"
                errors.setdefault(name, t(lang, FIELD_ERRORS.get(name, "precursors.error.form")))
            return Result(False, errors=errors)
        today = self.today()
        async with audited(self.db) as connection:
            row = await precursors.holding(connection, holding_id)
            if row is None or row.unit_id != unit_id:
                return Result(False, t(lang, "precursors.error.holding"))
            if not await precursors.may_keep(connection, speaker.person_id, unit_id):
                return await self._refused(
                    connection, speaker, f"entry.{kind.value}", precursors.HOLDING, holding_id
                )
            outcome = await precursor_entries.record(
                connection,
                holding_id,
                form,
                actor_id=speaker.person_id,
                today=today,
                licence=self.licence,
                submission_key=submission_key,
            )
            substance = await precursors.substance(connection, row.substance_id)
            entry = (
                await precursor_entries.entry(connection, outcome.entity_id)
                if (outcome.changed or outcome.done_before) and outcome.entity_id is not None
                else None
            )
            lines = (await precursors.lines_of(connection, [holding_id]))[holding_id]
        assert substance is not None
        if entry is None:
            if outcome.errors:
                return Result(False, errors=self._errors(lang, outcome, substance))
            return Result(False, t(lang, outcome.problem or "precursors.error.holding"))
        return Result(
            True,
            self._entry_message(lang, entry, lines, substance),
            warnings=self._warning_texts(lang, outcome.warnings, substance),
        )

    async def recorded_before(self, speaker: Speaker, submission_key: str) -> str | None:
        """What the speaker was told about the entry their card stored, if it stored one."""
        async with self.db.reading() as connection:
            entry = await precursor_entries.entry_of_submission(
                connection, submission_key, speaker.person_id
            )
            row = await precursors.holding(connection, entry.holding_id) if entry else None
            if entry is None or row is None:
                return None
            substance = await precursors.substance(connection, row.substance_id)
            lines = (await precursors.lines_of(connection, [row.id]))[row.id]
        assert substance is not None
        return self._entry_message(speaker.lang, entry, lines, substance)

    def _entry_message(
        self,
        lang: Lang,
        entry: EntryRow,
        lines: list[LedgerLine],
        substance: SubstanceInfo,
    ) -> str:
        """The receipt of a stored entry: what was recorded (typed in another unit than the
        substance's reporting unit: also converted, "5 mL = 0,005 L"), and the stock (or the
        count against the book)."""
        unit = substance.report_unit
        kind = EntryKind(entry.kind)
        quantity = f"{format_amount(lang, from_micro(entry.quantity_micro), places=6)} {unit}"
        if entry.entered_quantity is not None and entry.entered_unit not in (None, unit.value):
            amount = format_amount(lang, Decimal(entry.entered_quantity), places=6)
            quantity = f"{amount} {entry.entered_unit} = {quantity}"
        if kind is EntryKind.COUNT:
            book = sum(line.delta_micro for line in lines if line.entry_date <= entry.entry_date)
            message = t(
                lang,
                "precursors.recorded_count",
                quantity=quantity,
                substance=inline_name(lang, substance),
                day=day_text(lang, entry.entry_date),
                book=format_quantity(lang, book, unit),
            )
            difference = entry.quantity_micro - book
            if difference:
                sign = "+" if difference > 0 else "−"
                message += " " + t(
                    lang,
                    "precursors.recorded_count_difference",
                    difference=sign + format_quantity(lang, abs(difference), unit),
                )
            return message
        return t(
            lang,
            "precursors.recorded",
            kind=t(lang, f"precursors.kind.{kind.value}"),
            quantity=quantity,
            substance=inline_name(lang, substance),
            day=day_text(lang, entry.entry_date),
            stock=format_quantity(lang, sum(line.delta_micro for line in lines), unit),
        )

    def _errors(
        self, lang: Lang, outcome: precursors.Outcome, substance: SubstanceInfo
    ) -> dict[str, str]:
        errors: dict[str, str] = {}
        for name, key in outcome.errors.items():
            if key == "precursors.error.negative" and outcome.negative is not None:
                day, stock = outcome.negative
                errors[name] = t(
                    lang,
                    key,
                    day=day_text(lang, day),
                    stock=format_quantity(lang, stock, substance.report_unit),
                )
            else:
                errors[name] = t(lang, key)
        return errors

    # -- registration --------------------------------------------------------------------------

    async def register(
        self,
        speaker: Speaker,
        unit_id: int,
        *,
        none_handled: bool,
        submission_key: str | None = None,
    ) -> Result:
        year = self.today().year
        for attempt in range(2):
            try:
                return await self._register(speaker, unit_id, year, none_handled, submission_key)
            except IntegrityError:
                # Another turn registered the unit's first answer of the year at the same
                # moment: a second try finds it (and, if it was this card's, says so).
                if attempt:
                    raise
        raise AssertionError("unreachable")

    async def _register(
        self,
        speaker: Speaker,
        unit_id: int,
        year: int,
        none_handled: bool,
        submission_key: str | None,
    ) -> Result:
        lang = speaker.lang
        async with audited(self.db) as connection:
            if not await precursors.may_keep(connection, speaker.person_id, unit_id):
                return await self._refused(connection, speaker, "register", "unit", unit_id)
            outcome = await precursor_registrations.register(
                connection,
                unit_id,
                year,
                actor_id=speaker.person_id,
                none_handled=none_handled,
                at=self.clock(),
                submission_key=submission_key,
            )
            registration = (
                await precursor_registrations.registration(connection, outcome.entity_id)
                if (outcome.changed or outcome.done_before) and outcome.entity_id is not None
                else None
            )
        if registration is None:
            return Result(False, t(lang, outcome.problem or "precursors.error.holding"))
        return Result(True, self._registered_message(lang, registration))

    async def registered_before(self, speaker: Speaker, submission_key: str) -> str | None:
        """What the speaker was told about the registration their card gave, if it gave one."""
        async with self.db.reading() as connection:
            registration = await precursor_registrations.registration_of_submission(
                connection, submission_key, speaker.person_id
            )
        if registration is None:
            return None
        return self._registered_message(speaker.lang, registration)

    def _registered_message(self, lang: Lang, registration: RegistrationRow) -> str:
        none = registration.status == RegistrationStatus.NONE.value
        key = "precursors.registered_none" if none else "precursors.registered"
        return t(lang, key, unit=plain(registration.unit_name), year=registration.year)

    # -- ledger and reversal -------------------------------------------------------------------

    async def ledger_card(
        self,
        speaker: Speaker,
        unit_id: int,
        holding_id: int,
        *,
        notice: str | None = None,
        error: str | None = None,
        values: dict[str, Any] | None = None,
    ) -> Card | None:
        async with self.db.reading() as connection:
            if not await precursors.may_keep(connection, speaker.person_id, unit_id):
                return None
            views = await precursors.holdings_of(connection, unit_id, include_inactive=True)
            holding = next((view for view in views if view.id == holding_id), None)
            unit = await org.unit(connection, unit_id)
            if holding is None or unit is None:
                return None
            entries = [
                entry
                for _, entry in await precursors.entries_of(
                    connection, [holding_id], newest_first=True
                )
            ]
        reversible = [
            entry
            for entry in entries
            if not entry.reversed and entry.kind is not EntryKind.REVERSAL
        ]
        return ledger_card(
            speaker.lang,
            unit.name,
            holding,
            entries,
            total=len(entries),
            reversible=reversible,
            notice=notice,
            error=error,
            values=values,
        )

    async def reverse(self, speaker: Speaker, reversal: Reversal) -> Card:
        """Reverse one of the holding's entries (chosen on the ledger card), with a reason."""
        lang = speaker.lang
        heading = t(lang, "precursors.pick.title")
        holding_id = reversal.holding_id
        entry_id_text = reversal.entry_id.strip()
        entry_id = row_id(entry_id_text)
        reason = reversal.reason.strip() or None
        async with audited(self.db) as connection:
            row = await precursors.holding(connection, holding_id)
            if row is None:
                return notice_card(heading, t(lang, "precursors.error.holding"))
            unit_id = row.unit_id
            if not await precursors.may_keep(connection, speaker.person_id, unit_id):
                await precursors.refuse(
                    connection,
                    actor_id=speaker.person_id,
                    what="reverse",
                    entity=precursors.HOLDING,
                    entity_id=holding_id,
                )
                return notice_card(heading, t(lang, "precursors.not_allowed.unit"))
            owner = (
                await precursor_entries.entry_holding(connection, entry_id)
                if entry_id is not None
                else None
            )
            if entry_id is None or owner is None or owner.id != holding_id:
                outcome = precursors.Outcome(False, "precursors.reverse.not_found")
            else:
                outcome = await precursor_entries.reverse(
                    connection, entry_id, actor_id=speaker.person_id, reason=reason
                )
            substance = await precursors.substance(connection, row.substance_id)
        assert substance is not None
        if outcome.changed:
            notice = t(lang, "precursors.reversed", number=entry_id_text)
            card = await self.ledger_card(speaker, unit_id, holding_id, notice=notice)
        else:
            problem = outcome.problem or "precursors.reverse.not_found"
            if outcome.negative is not None:
                day, stock = outcome.negative
                error = t(
                    lang,
                    problem,
                    day=day_text(lang, day),
                    stock=format_quantity(lang, stock, substance.report_unit),
                )
            else:
                error = t(lang, problem)
            card = await self.ledger_card(
                speaker,
                unit_id,
                holding_id,
                error=error,
                values={"entry_id": entry_id_text, "reason": reason or ""},
            )
        return card or notice_card(heading, t(lang, "precursors.error.holding"))

    # -- the secretariat -----------------------------------------------------------------------

    async def overview_card(self, speaker: Speaker, year: int | None = None) -> Card:
        lang = speaker.lang
        today = self.today()
        year = year or today.year
        async with self.db.reading() as connection:
            allowed = await self._may_see_all(connection, speaker)
            rows = await precursor_registrations.registrations(connection, year) if allowed else []
        if not allowed:
            return await self._overview_refused(speaker, "overview")
        due = deadline_for(year, self.deadline)
        card = overview_card(
            lang,
            year=year,
            deadline=due,
            days_left=(due - today).days,
            rows=rows,
            licence_recorded=bool(self.licence.strip()),
        )
        return with_export(card, lang, ExportKind.PRECURSORS_ALL, year=year)

    async def unit_status(self, speaker: Speaker, choice: UnitStatus) -> Card:
        """One unit's registration and holdings, for the secretariat."""
        lang = speaker.lang
        unit_id = choice.unit_id
        if unit_id is None:
            return await self.overview_card(speaker)
        await self.ready()
        async with self.db.reading() as connection:
            allowed = await self._may_see_all(connection, speaker)
        if not allowed:
            return await self._overview_refused(speaker, "unit_status")
        async with self.db.reading() as connection:
            unit = await org.unit(connection, unit_id)
            if unit is None:
                return notice_card(t(lang, "precursors.pick.title"), t(lang, "card.stale"))
            home = await unit_home(
                connection,
                unit,
                today=self.today(),
                deadline=self.deadline,
                licence=self.licence,
                year=choice.year,
            )
        card = unit_status_card(lang, home, warnings=home_warnings(lang, home))
        return with_export(card, lang, ExportKind.PRECURSORS, unit_id=unit_id, year=choice.year)

    def verbs(self) -> list[Verb[Any]]:
        """The secretariat's overview and unit status, and the ledger's Reverse."""
        return [
            Verb("precursors.overview", YearChoice, self.overview),
            Verb("precursors.unit_status", UnitStatus, self.unit_status),
            Verb("precursors.reverse", Reversal, self.reverse),
        ]

    async def overview(self, speaker: Speaker, choice: YearChoice) -> Card:
        return await self.overview_card(speaker, choice.year)
