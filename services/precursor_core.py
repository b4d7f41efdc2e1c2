"""What the precursor flow's services, dialogs and jobs share: an action's result, the
speaker's access, the local day, a person's language, and a unit's home (registration, stock,
warnings)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from domain.i18n import COPENHAGEN, Lang, preferred_lang
from domain.org import Role, UnitRef
from domain.precursor_ledger import PrecursorWarning, licence_warning, threshold_warning
from domain.precursor_registrations import UnitHome, deadline_for
from storage import org, precursor_registrations, precursors
from storage.db import HotConnection
from storage.rows import Speaking, UnitRow


@dataclass(frozen=True)
class Result:
    """What an action did, in the speaker's language (kept in dialog state as plain data)."""

    ok: bool
    message: str | None = None
    errors: dict[str, str] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    refused: bool = False  # the speaker does not keep the unit's records (audited)


@dataclass(frozen=True)
class Access:
    units: list[UnitRef]
    secretariat: bool


def local_today(moment: datetime) -> date:
    return moment.astimezone(COPENHAGEN).date()


def person_lang(person: Speaking) -> Lang:
    return preferred_lang(person.language_override, person.locale)


async def unit_home(
    connection: HotConnection,
    unit: UnitRow,
    *,
    today: date,
    deadline: str,
    licence: str,
    year: int | None = None,
) -> UnitHome:
    """The unit's registration for `year` (this year), its substances with stock, warnings."""
    year = year or today.year
    registration = (
        await precursor_registrations.registrations(connection, year, unit_ids=[unit.id])
    )[0]
    holdings = await precursors.holdings_of(connection, unit.id)
    warnings: list[PrecursorWarning] = []
    for holding in holdings:
        found = licence_warning(holding.substance, licence)
        if found:
            warnings.append(found)
        if holding.substance.threshold is not None:
            yearly = await precursors.university_purchases(connection, holding.substance.id, year)
            found = threshold_warning(holding.substance, yearly)
            if found:
                warnings.append(found)
    contacts = [
        org.describe_person(person)
        for person in await org.holders(connection, unit.id, Role.PRECURSOR_CONTACT)
    ]
    due = deadline_for(year, deadline)
    return UnitHome(
        unit_id=unit.id,
        unit=unit.name,
        registration=registration,
        deadline=due,
        days_left=(due - today).days,
        holdings=holdings,
        warnings=warnings,
        contacts=contacts,
    )
