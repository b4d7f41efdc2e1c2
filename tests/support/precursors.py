"""Shared helpers of the precursor tests: people with roles, holdings, entries."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select

from domain.org import OrgFile
from domain.precursor_forms import EntryForm, HoldingForm
from storage import org, precursor_catalogue, precursor_entries, precursors
from storage.audit import audited
from storage.db import Database
from storage.models import Person, Unit
from storage.precursor_models import PrecursorSubstance
from tests.support.card_nodes import walk

LICENCE = ""


async def setup_org(
    db: Database, units: list[dict[str, Any]], secretariat: tuple[str, ...] = ()
) -> dict[str, int]:
    """Import units with roles (by UPN); returns `{unit name: id}`; loads the catalogue."""
    await precursor_catalogue.ensure_loaded(db)
    async with audited(db) as connection:
        await org.import_org(
            connection,
            OrgFile.model_validate(
                {"units": units, "secretariat": [{"upn": upn} for upn in secretariat]}
            ),
            actor="test",
        )
        found = (await connection.execute(select(Unit.name, Unit.id))).all()
    return {name: int(unit_id) for name, unit_id in found}


async def person_id(db: Database, upn: str) -> int:
    async with db.reading() as connection:
        return int(
            (await connection.execute(select(Person.id).where(Person.upn == upn))).scalar_one()
        )


async def substance_id(db: Database, key: str) -> int:
    async with db.reading() as connection:
        return int(
            (
                await connection.execute(
                    select(PrecursorSubstance.id).where(PrecursorSubstance.key == key)
                )
            ).scalar_one()
        )


async def add(db: Database, unit_id: int, key: str, *, actor: int | None = None) -> int:
    """Put a substance on the unit's list; returns the holding id."""
    substance = await substance_id(db, key)
    async with audited(db) as connection:
        outcome = await precursors.add_holding(
            connection,
            unit_id,
            HoldingForm(substance_id=substance, storage_location="Giftskab 2"),
            actor_id=actor,
            licence=LICENCE,
        )
    assert outcome.changed and outcome.entity_id is not None, outcome
    return outcome.entity_id


def entry(kind: str, day: str, quantity: str, unit: str, **extra: Any) -> EntryForm:
    values: dict[str, Any] = {
        "kind": kind,
        "entry_date": day,
        "quantity": quantity,
        "unit": unit,
        "counterparty": "Sigma-Aldrich" if kind in ("purchase", "transfer") else None,
        "declaration_ref": "KE-1" if kind == "purchase" else None,
        "purpose": "Syntese" if kind == "consumption" else None,
    }
    values.update(extra)
    return EntryForm.model_validate(values)


async def record(
    db: Database,
    holding_id: int,
    form: EntryForm,
    *,
    actor: int | None = None,
    today: date = date(2026, 6, 30),
    licence: str = LICENCE,
) -> precursors.Outcome:
    async with audited(db) as connection:
        return await precursor_entries.record(
            connection, holding_id, form, actor_id=actor, today=today, licence=licence
        )


def services_of(runtime: Any) -> Any:
    """The running bot's precursor services (to give them a fixed clock)."""
    from dialogs.precursors import PrecursorModule

    module = next(m for m in runtime.bot.router.modules if isinstance(m, PrecursorModule))
    return module.services


def choices(card: Any, input_id: str) -> dict[str, str]:
    """`{title: value}` of a ChoiceSet in the card."""
    element = next(item for item in walk(card) if item.get("id") == input_id)
    return {choice["title"]: choice["value"] for choice in element["choices"]}
