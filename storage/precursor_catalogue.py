"""The precursor catalogue: read the versioned data file, load it into the database.

`storage/seed/precursors-<year>.yaml` files each hold one version of the EU list. The
newest version (by its `version` field) is loaded once per database: substances are
updated by their stable `key`, new ones added, and ones missing from the new version
marked inactive (never deleted: ledgers point at them).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

import yaml
from pydantic import ValidationError
from sqlalchemy import select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from domain.precursors import Catalogue, Substance
from storage import audit
from storage.db import Database
from storage.precursor_models import PrecursorCatalogue, PrecursorSubstance

SEED_DIR = Path(__file__).parent / "seed"
PATTERN = "precursors-*.yaml"


class CatalogueError(ValueError):
    """A catalogue file that cannot be read or does not validate."""


def read_catalogue(path: Path) -> tuple[Catalogue, str]:
    """The catalogue in `path` and the SHA-256 of its bytes."""
    try:
        raw = path.read_bytes()
        data = yaml.safe_load(raw.decode("utf-8"))
        return Catalogue.model_validate(data), hashlib.sha256(raw).hexdigest()
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as error:
        raise CatalogueError(f"cannot read {path.name}: {error}") from error
    except ValidationError as error:
        raise CatalogueError(f"{path.name} is not a valid catalogue:\n{error}") from error


def _version_key(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in version.split("."))


def newest_catalogue(directory: Path = SEED_DIR) -> tuple[Catalogue, str]:
    """The highest `version` among the catalogue files shipped with the bot."""
    found = [read_catalogue(path) for path in sorted(directory.glob(PATTERN))]
    if not found:
        raise CatalogueError(f"no {PATTERN} in {directory}")
    return max(found, key=lambda item: _version_key(item[0].version))


@dataclass(frozen=True)
class LoadSummary:
    version: str
    added: int
    updated: int
    retired: int
    already_loaded: bool = False


def _apply(row: PrecursorSubstance, item: Substance, version: str) -> bool:
    """Copy the catalogue entry onto the row; True if anything changed."""
    values = {
        "catalogue_version": version,
        "name_en": item.name_en,
        "name_da": item.name_da,
        "synonyms": list(item.synonyms),
        "category": item.category.value,
        "cn_code": item.cn,
        "cas": item.cas,
        "includes_salts": item.salts,
        "salts_note": item.salts_note,
        "includes_stereoisomers": item.stereoisomers,
        "report_unit": item.report_unit.value,
        "density": None if item.density is None else str(item.density),
        "threshold": None if item.threshold is None else str(item.threshold),
        "verified": item.verified,
        "check_note": item.check,
        "source_act": item.source,
        "active": True,
    }
    changed = False
    for name, value in values.items():
        if name == "catalogue_version":
            continue
        if getattr(row, name, None) != value:
            changed = True
    for name, value in values.items():
        setattr(row, name, value)
    return changed


async def load(
    session: AsyncSession, catalogue: Catalogue, sha256: str, *, actor: str
) -> LoadSummary:
    """Make the substance table match `catalogue` (inside the caller's transaction)."""
    if session.get_bind().dialect.name == "postgresql":
        await session.execute(text("SELECT pg_advisory_xact_lock(7242006)"))
    loaded = await session.scalar(
        select(PrecursorCatalogue).where(PrecursorCatalogue.version == catalogue.version)
    )
    if loaded is not None:
        return LoadSummary(catalogue.version, 0, 0, 0, already_loaded=True)
    rows = {row.key: row for row in (await session.scalars(select(PrecursorSubstance))).all()}
    added = updated = retired = 0
    for item in catalogue.substances:
        row = rows.get(item.key)
        if row is None:
            row = PrecursorSubstance(key=item.key)
            _apply(row, item, catalogue.version)
            session.add(row)
            added += 1
        elif _apply(row, item, catalogue.version):
            updated += 1
    wanted = {item.key for item in catalogue.substances}
    for key, row in rows.items():
        if key not in wanted and row.active:
            row.active = False
            retired += 1
    session.add(
        PrecursorCatalogue(
            version=catalogue.version,
            basis=catalogue.basis,
            valid_from=catalogue.valid_from,
            sha256=sha256,
            substances=len(catalogue.substances),
        )
    )
    await session.flush()
    await audit.record(
        session,
        actor=actor,
        action="precursors.catalogue.load",
        entity_type="precursor_catalogue",
        entity_id=catalogue.version,
        after={
            "version": catalogue.version,
            "sha256": sha256,
            "added": added,
            "updated": updated,
            "retired": retired,
        },
    )
    return LoadSummary(catalogue.version, added, updated, retired)


async def current_version(session: AsyncSession) -> str | None:
    versions = (await session.scalars(select(PrecursorCatalogue.version))).all()
    return max(versions, key=_version_key) if versions else None


async def ensure_loaded(db: Database, *, actor: str = audit.SYSTEM_ACTOR) -> LoadSummary:
    """Load the newest shipped catalogue unless this database has it already."""
    catalogue, sha256 = newest_catalogue()
    async with db.sessions() as session:
        present = await session.scalar(
            select(PrecursorCatalogue.id).where(PrecursorCatalogue.version == catalogue.version)
        )
    if present is not None:
        return LoadSummary(catalogue.version, 0, 0, 0, already_loaded=True)
    try:
        async with db.transaction() as session:
            return await load(session, catalogue, sha256, actor=actor)
    except IntegrityError:  # another process loaded it at the same moment
        return LoadSummary(catalogue.version, 0, 0, 0, already_loaded=True)


async def catalogue_label(session: AsyncSession) -> str:
    """The loaded catalogue as the reports name it: "version …: <its legal basis>"."""
    version = await current_version(session)
    catalogue, _ = newest_catalogue()
    return f"version {version or catalogue.version}: {catalogue.basis}"
