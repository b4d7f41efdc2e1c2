"""A precursor year as the annual reports need it: per unit the figures of each substance,
the year's entries and who to contact; a handful of queries for all units together."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from domain.precursor_ledger import year_figures
from domain.precursor_registrations import RegistrationView, SubstanceYear, UnitYear
from storage import org, precursor_ledgers, precursor_registrations, precursors
from storage.db import HotConnection
from storage.rows import UnitRow


async def unit_years(
    connection: HotConnection,
    units: Sequence[UnitRow],
    year: int,
    registrations: Mapping[int, RegistrationView],
) -> list[UnitYear]:
    """The units' year: figures per substance held or handled, entries, contact (the
    registration's contact, else the unit's precursor contacts or AMKs)."""
    ledgers = await precursor_ledgers.year_ledgers(connection, [unit.id for unit in units], year)
    emails = await precursor_registrations.contact_emails(connection, year)
    uncontacted = [
        unit.id
        for unit in units
        if not (unit.id in registrations and registrations[unit.id].contact)
    ]
    keepers = await precursors.keepers_by_unit(connection, uncontacted)
    result: list[UnitYear] = []
    for unit in units:
        holdings = ledgers.holdings[unit.id]
        rows = []
        for holding in holdings:
            figures = year_figures(ledgers.lines[holding.id], year)
            if holding.active or figures.handled or figures.closing:
                rows.append(SubstanceYear(holding, figures))
        by_id = {holding.id: holding for holding in holdings}
        entries = [(by_id[holding_id], entry) for holding_id, entry in ledgers.entries[unit.id]]
        registration = registrations.get(unit.id)
        contact = registration.contact if registration else None
        email = emails.get(unit.id)
        unit_keepers = keepers.get(unit.id, [])
        if not contact and unit_keepers:
            contact = ", ".join(org.describe_person(person) for person in unit_keepers)
            email = ", ".join(person.upn for person in unit_keepers if person.upn) or None
        result.append(UnitYear(unit.id, unit.name, rows, entries, registration, contact, email))
    return result
