"""A person's own data as an Excel workbook: a sheet about them (name, e-mail, language,
roles, the audit trail's counts), then one sheet per register with each record's reference,
day, unit, status and the person's part, exactly what the my-data card lists (no free text,
nothing of anyone else's)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from openpyxl import Workbook

from domain.i18n import Lang, t
from domain.my_data import MyData, Record, Register
from reports.excel import local, write_register

RECORD_COLUMNS: tuple[tuple[str, float], ...] = (
    ("reference", 18),
    ("at", 17),
    ("unit", 24),
    ("status", 28),
    ("part", 22),
)


def _record_row(lang: Lang, record: Record) -> list[Any]:
    return [
        record.reference,
        local(record.at),
        record.unit,
        t(lang, record.status) if record.status else None,
        t(lang, record.part) if record.part else None,
    ]


def _about_rows(lang: Lang, data: MyData) -> list[list[Any]]:
    roles = [
        t(lang, "my_data.role_in", role=t(lang, f"role.{role.role}"), unit=role.unit)
        if role.unit
        else t(lang, f"role.{role.role}")
        for role in data.roles
    ]
    language = t(lang, f"my_data.language.{data.language}") if data.language else None
    rows: list[list[Any]] = [
        [t(lang, "my_data.fact.name"), data.name],
        [t(lang, "my_data.fact.email"), data.email],
        [t(lang, "my_data.fact.language"), language],
        [t(lang, "my_data.fact.since"), local(data.known_since)],
        [t(lang, "my_data.fact.roles"), ", ".join(roles) or t(lang, "my_data.roles.none")],
    ]
    for register in Register:
        title = t(lang, f"my_data.register.{register.value}")
        rows.append([title, len(data.of(register))])
    rows.append(
        [
            t(lang, "my_data.export.audit"),
            t(lang, "my_data.audit", actor=data.audit_as_actor, about=data.audit_about),
        ]
    )
    return rows


def write_workbook(path: Path, data: MyData | None, lang: Lang) -> int:
    """The workbook of `data` (None: the bot holds nothing, one sheet says so); returns how
    many records it lists."""
    workbook = Workbook(write_only=True)
    about = workbook.create_sheet(title=t(lang, "my_data.export.sheet.about"))
    columns = [(t(lang, "my_data.export.col.what"), 34), (t(lang, "my_data.export.col.value"), 60)]
    if data is None:
        write_register(about, columns, [[t(lang, "my_data.unknown"), None]])
        workbook.save(path)
        return 0
    write_register(about, columns, _about_rows(lang, data))
    count = 0
    record_columns = [
        (t(lang, f"my_data.export.col.{key}"), width) for key, width in RECORD_COLUMNS
    ]
    for register in Register:
        sheet = workbook.create_sheet(title=t(lang, f"my_data.export.sheet.{register.value}"))
        count += write_register(
            sheet, record_columns, (_record_row(lang, record) for record in data.of(register))
        )
    workbook.save(path)
    return count
