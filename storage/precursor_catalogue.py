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
from typing import Any

import yaml
from pydantic import ValidationError
from sqlalchemy import bindparam, insert, select, text, update
from sqlalchemy.exc import IntegrityError

from domain.precursors import Catalogue, Substance
from storage import audit
from storage.audit import AuditedConnection, audited
from storage.db import Database, HotConnection
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


_COMPARED = (
    "name_en",
    "name_da",
    "synonyms",
    "category",
    "cn_code",
    "cas",
    "includes_salts",
    "salts_note",
    "includes_stereoisomers",
    "report_unit",
    "density",
    "threshold",
    "verified",
    "check_note",
    "source_act",
    "active",
)
"""The columns a new catalogue version may change (besides `catalogue_version` itself)."""
_STORED = select(
    PrecursorSubstance.key,
    PrecursorSubstance.catalogue_version,
    *(PrecursorSubstance.__table__.c[name] for name in _COMPARED),
)
_LOCK = text("SELECT pg_advisory_xact_lock(7242006)")
_VERSION_LOADED = select(PrecursorCatalogue.id).where(
    PrecursorCatalogue.version == bindparam("version")
)
_VERSIONS = select(PrecursorCatalogue.version)
_INSERT_SUBSTANCE = insert(PrecursorSubstance)
_UPDATE_SUBSTANCE = update(PrecursorSubstance).where(PrecursorSubstance.key == bindparam("by_key"))
_RETIRE = (
    update(PrecursorSubstance)
    .where(PrecursorSubstance.key == bindparam("by_key"), PrecursorSubstance.active.is_(True))
    .values(active=False)
)
_INSERT_CATALOGUE = insert(PrecursorCatalogue)


def _values(item: Substance, version: str) -> dict[str, Any]:
    """The catalogue entry as the substance row's columns."""
    return {
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


async def load(
    connection: AuditedConnection, catalogue: Catalogue, sha256: str, *, actor: str
) -> LoadSummary:
    """Make the substance table match `catalogue` (inside the caller's transaction)."""
    if connection.dialect.name == "postgresql":
        await connection.execute(_LOCK)
    loaded = (await connection.execute(_VERSION_LOADED, {"version": catalogue.version})).first()
    if loaded is not None:
        return LoadSummary(catalogue.version, 0, 0, 0, already_loaded=True)
    stored = {row[0]: row for row in await connection.execute(_STORED)}
    added: list[dict[str, Any]] = []
    updated = 0
    for item in catalogue.substances:
        values = _values(item, catalogue.version)
        row = stored.get(item.key)
        if row is None:
            added.append({"key": item.key, **values})
            continue
        changed = any(values[name] != row[index] for index, name in enumerate(_COMPARED, start=2))
        if changed or row[1] != catalogue.version:
            await connection.execute(_UPDATE_SUBSTANCE, {"by_key": item.key, **values})
        updated += changed
    if added:
        await connection.execute(_INSERT_SUBSTANCE, added)
    wanted = {item.key for item in catalogue.substances}
    retired = 0
    for key, row in stored.items():
        if key not in wanted and row[-1]:
            await connection.execute(_RETIRE, {"by_key": key})
            retired += 1
    await connection.execute(
        _INSERT_CATALOGUE,
        {
            "version": catalogue.version,
            "basis": catalogue.basis,
            "valid_from": catalogue.valid_from,
            "sha256": sha256,
            "substances": len(catalogue.substances),
        },
    )
    await audit.record(
        connection,
        actor=actor,
        action="precursors.catalogue.load",
        entity_type="precursor_catalogue",
        entity_id=catalogue.version,
        after={
            "version": catalogue.version,
            "sha256": sha256,
            "added": len(added),
            "updated": updated,
            "retired": retired,
        },
    )
    return LoadSummary(catalogue.version, len(added), updated, retired)


async def current_version(connection: HotConnection) -> str | None:
    versions = [row[0] for row in await connection.execute(_VERSIONS)]
    return max(versions, key=_version_key) if versions else None


async def ensure_loaded(db: Database, *, actor: str = audit.SYSTEM_ACTOR) -> LoadSummary:
    """Load the newest shipped catalogue unless this database has it already."""
    catalogue, sha256 = newest_catalogue()
    async with db.reading() as connection:
        present = (
            await connection.execute(_VERSION_LOADED, {"version": catalogue.version})
        ).first()
    if present is not None:
        return LoadSummary(catalogue.version, 0, 0, 0, already_loaded=True)
    try:
        async with audited(db) as connection:
            return await load(connection, catalogue, sha256, actor=actor)
    except IntegrityError:  # another process loaded it at the same moment
        return LoadSummary(catalogue.version, 0, 0, 0, already_loaded=True)


async def catalogue_label(connection: HotConnection) -> str:
    """The loaded catalogue as the reports name it: "version …: <its legal basis>"."""
    version = await current_version(connection)
    catalogue, _ = newest_catalogue()
    return f"version {version or catalogue.version}: {catalogue.basis}"
