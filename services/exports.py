"""Registers as Excel files in the chat: what this person may export, and the workbook itself.

The workbook is the one the CLI writes (the same `prepare_*` functions), read and written in a
worker process of its own (one, kept for the next export, started on the first): a decade's
roll-up takes seconds of CPU to read and to write, which on the bot's event loop, or in a
thread fighting it for the GIL, would stall everyone else's turns; the worker runs at a lower
CPU priority, so turns come first. Who may have what is
checked in the bot's process on every call, from the person's roles
(`domain.exports.ExportRights`), never taken from a card."""

from __future__ import annotations

import asyncio
import multiprocessing
import os
import tempfile
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from domain.actor import Speaker
from domain.exports import ExportKind, ExportRequest, ExportRights, file_name
from domain.i18n import Lang, local_date
from domain.my_data import ACCESS_ACTION
from domain.numbering import local_year
from domain.org import UnitRef, UnknownUnit
from domain.wellbeing import DEFAULT_DIALOGUE_INTERVAL_YEARS
from reports import my_data as my_data_report
from services import (
    documentation_export,
    lone_work_export,
    near_miss_export,
    precursor_workbooks,
    wellbeing_export,
    work_accident_export,
)
from services.ports import Clock
from storage import audit, my_data, org, precursors, wellbeing
from storage.db import Database
from storage.models import Unit, utcnow

ENTITY = "export"
# how much lower the export worker's CPU priority is than the bot's (os.nice)
WORKER_NICENESS = 10


@dataclass(frozen=True)
class ExportChoices:
    """What the picker offers: the kinds, the units and this year."""

    kinds: list[ExportKind]
    units: list[UnitRef]
    university_wide: bool
    year: int


@dataclass(frozen=True)
class Offer:
    """A checked request: the file's name and the unit's name (None: every unit); whose
    data (the speaker's own data only)."""

    request: ExportRequest
    name: str
    unit_name: str | None
    person_id: int | None = None


@dataclass(frozen=True)
class Built:
    """A workbook ready to send."""

    offer: Offer
    content: bytes
    rows: int


class NotAllowed(Exception):
    """The person may not export this (refused and audited)."""


class Missing(Exception):
    """What was asked for is no longer there (a proof file replaced or removed)."""


class ExportServices:
    """What a person may export, and building it."""

    def __init__(
        self,
        db: Database,
        *,
        clock: Clock = utcnow,
        precursor_licence: str = "",
        interval_years: int = DEFAULT_DIALOGUE_INTERVAL_YEARS,
    ) -> None:
        self.db = db
        self.clock = clock
        self.precursor_licence = precursor_licence
        self.interval_years = interval_years
        self._workers: ProcessPoolExecutor | None = None

    async def rights(self, speaker: Speaker) -> ExportRights:
        if speaker.person_id is None:
            return ExportRights(university_wide=False)
        async with self.db.sessions() as session:
            access = await wellbeing.access_of(
                session, speaker.person_id, is_admin=speaker.is_admin
            )
        async with self.db.reading() as connection:
            keeper = await precursors.access(connection, speaker.person_id)
        return ExportRights(
            university_wide=access.university_wide,
            leader_of=access.leader_of,
            amk_of=access.amk_of,
            keeper_of=frozenset(unit.id for unit in keeper.units),
            secretariat=access.secretariat,
        )

    async def choices(self, speaker: Speaker) -> ExportChoices:
        """The picker's content: an empty `kinds` means the person may export nothing."""
        rights = await self.rights(speaker)
        async with self.db.sessions() as session:
            units = await org.list_units(session)
        if not rights.university_wide:
            mine = set().union(*(rights.units_for(kind) for kind in ExportKind))
            units = [unit for unit in units if unit.id in mine]
        return ExportChoices(
            kinds=rights.kinds(),
            units=[UnitRef(id=unit.id, name=unit.name) for unit in units],
            university_wide=rights.university_wide,
            year=local_year(self.clock()),
        )

    async def check(self, speaker: Speaker, request: ExportRequest) -> Offer:
        """The request as it will be built, if the speaker may have it; raises `NotAllowed`
        (audited) otherwise, and `UnknownUnit` for a unit that is not there."""
        request = request.normalised(local_year(self.clock()))
        if request.kind.per_unit and request.unit_id is None and not request.kind.may_be_all_units:
            raise UnknownUnit("")
        rights = await self.rights(speaker)
        own = request.kind is ExportKind.MY_DATA
        if not rights.may(request) or (own and speaker.person_id is None):
            await audit.record_refusal(
                self.db,
                actor=speaker.actor,
                action=f"export.{request.kind.value}",
                entity_type="unit",
                entity_id=request.unit_id,
            )
            raise NotAllowed(request.kind.value)
        unit_name = None
        if request.unit_id is not None:
            async with self.db.sessions() as session:
                unit = await session.get(Unit, request.unit_id)
                unit_name = unit.name if unit is not None else None
            if unit_name is None:
                raise UnknownUnit(str(request.unit_id))
        name = file_name(request, unit_name, local_date(self.clock()))
        return Offer(
            request=request,
            name=name,
            unit_name=unit_name,
            person_id=speaker.person_id if own else None,
        )

    async def build(self, speaker: Speaker, request: ExportRequest) -> Built:
        """Check again, then read and write the workbook in the worker process; raises
        `NotAllowed` or `UnknownUnit` as `check` does."""
        offer = await self.check(speaker, request)
        job = _Job(
            person_id=offer.person_id,
            lang=speaker.lang,
            url=self.db.url,
            search_path=self.db.search_path,
            request=offer.request,
            unit_name=offer.unit_name,
            name=offer.name,
            year=offer.request.year or local_year(self.clock()),
            licence=self.precursor_licence,
            interval_years=self.interval_years,
        )
        loop = asyncio.get_running_loop()
        content, rows = await loop.run_in_executor(self._pool(), build_in_worker, job)
        return Built(offer=offer, content=content, rows=rows)

    def _pool(self) -> ProcessPoolExecutor:
        if self._workers is None:
            # "spawn": a fresh interpreter, not a fork of a process with an event loop,
            # database connections and threads
            self._workers = ProcessPoolExecutor(
                max_workers=1,
                mp_context=multiprocessing.get_context("spawn"),
                initializer=_behind_the_turns,
            )
        return self._workers

    def close(self) -> None:
        """Stop the worker process (at shutdown)."""
        if self._workers is not None:
            self._workers.shutdown(wait=False, cancel_futures=True)
            self._workers = None

    async def sent(self, speaker: Speaker, built: Built) -> None:
        """The audit event of a workbook that reached the person's chat: who, what, unit and
        year (never its content)."""
        request = built.offer.request
        if request.kind is ExportKind.MY_DATA:
            await self._sent_own_data(speaker, built)
            return
        async with audit.audited(self.db) as connection:
            await audit.record(
                connection,
                actor=speaker.actor,
                action=f"export.{request.kind.value}.sent",
                entity_type="unit" if request.unit_id is not None else ENTITY,
                entity_id=request.unit_id,
                after={
                    "kind": request.kind.value,
                    "unit_id": request.unit_id,
                    "year": request.year,
                    "rows": built.rows,
                    "bytes": len(built.content),
                },
            )

    async def _sent_own_data(self, speaker: Speaker, built: Built) -> None:
        """A person's own data as a file is an access request, audited as the card is."""
        async with audit.audited(self.db) as connection:
            await audit.record(
                connection,
                actor=speaker.actor,
                action=ACCESS_ACTION,
                entity_type="person",
                entity_id=built.offer.person_id,
                after={"file": "xlsx", "rows": built.rows, "bytes": len(built.content)},
            )


@dataclass(frozen=True)
class _Job:
    """What the worker process builds (plain data: it is pickled across)."""

    person_id: int | None
    lang: Lang
    url: str
    search_path: str | None
    request: ExportRequest
    unit_name: str | None
    name: str
    year: int
    licence: str
    interval_years: int


def _behind_the_turns() -> None:
    """The worker yields the CPU to the bot's turns: an export may take a little longer,
    a person waiting for an answer should not."""
    os.nice(WORKER_NICENESS)


def build_in_worker(job: _Job) -> tuple[bytes, int]:
    """In the worker process: open the database, read, write; the bytes and row count."""
    return asyncio.run(_build(job))


async def _build(job: _Job) -> tuple[bytes, int]:
    db = Database(job.url, search_path=job.search_path)
    try:
        write = await _prepare(db, job)
    finally:
        await db.dispose()
    return _write_bytes(write, job.name)


async def _prepare(db: Database, job: _Job) -> Callable[[Path], int]:
    request, unit, year = job.request, job.unit_name, job.year
    kind = request.kind
    if kind is ExportKind.LONE_WORK:
        assert unit is not None
        return await lone_work_export.prepare_register(db, unit, year)
    if kind is ExportKind.NEAR_MISS:
        units = None if request.unit_id is None else [request.unit_id]
        return await near_miss_export.prepare_year(db, year, unit_ids=units)
    if kind is ExportKind.WORK_ACCIDENTS:
        return await work_accident_export.prepare_year(
            db,
            year,
            unit_id=request.unit_id,
            unit_name=unit,
        )
    if kind is ExportKind.MY_DATA:
        assert job.person_id is not None
        return await _prepare_my_data(db, job.person_id, job.lang)
    if kind is ExportKind.ACTION_PLAN:
        assert unit is not None
        return await wellbeing_export.prepare_action_plan(
            db, unit, interval_years=job.interval_years
        )
    if kind is ExportKind.PRECURSORS:
        assert unit is not None
        return await precursor_workbooks.prepare_unit(db, unit, year, licence=job.licence)
    if kind is ExportKind.DOCUMENTATION:
        units = None if request.unit_id is None else [request.unit_id]
        return await documentation_export.prepare_overview(db, units)
    if kind is ExportKind.PRECURSORS_ALL:
        return await precursor_workbooks.prepare_all(db, year, licence=job.licence)
    return await precursor_workbooks.prepare_template(db)


async def _prepare_my_data(db: Database, person_id: int, lang: Lang) -> Callable[[Path], int]:
    """The person's own data, as the my-data card reads it; an empty workbook's single
    sheet when the bot holds nothing."""
    async with db.reading() as connection:
        data = await my_data.gather(connection, person_id)

    def write(out: Path) -> int:
        return my_data_report.write_workbook(out, data, lang)

    return write


def _write_bytes(write: Callable[[Path], int], name: str) -> tuple[bytes, int]:
    """Run `write` on a file in a private temporary folder; its bytes and row count."""
    with tempfile.TemporaryDirectory(prefix="amkbot-export-") as folder:
        path = Path(folder) / name
        rows = write(path)
        return path.read_bytes(), rows
