"""`python -m bot …`: run the bot, migrate, import/export the organisation, build the manifest."""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from collections.abc import Sequence
from pathlib import Path

import yaml
from aiohttp import web
from pydantic import ValidationError

from bot.app import create_app, prepare_database
from bot.config import Settings
from domain.org import OrgFile
from manifest.build import build_package
from reports import lone_work as lone_work_report
from storage import audit, org
from storage.db import Database


def _configure_logging(level: str) -> None:
    logging.basicConfig(
        level=getattr(logging, level, logging.INFO),
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    logging.getLogger("aiohttp.access").setLevel(logging.WARNING)


def run(settings: Settings) -> int:
    _configure_logging(settings.log_level)
    app = create_app(settings)
    print(
        f"AMK-bot is listening on http://{settings.host}:{settings.port}/api/messages "
        f"(database {Database(settings.database_url).engine.url.render_as_string()}); "
        "talk to it with the Microsoft 365 Agents Playground: make playground",
        flush=True,
    )
    web.run_app(app, host=settings.host, port=settings.port, print=None)
    return 0


async def _db_upgrade(settings: Settings) -> int:
    db = Database(settings.database_url)
    try:
        await prepare_database(db)
    finally:
        await db.dispose()
    print("database is at the newest schema")
    return 0


def _read_org_file(path: Path) -> OrgFile | None:
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        return OrgFile.model_validate(raw)
    except (OSError, yaml.YAMLError) as error:
        print(f"cannot read {path}: {error}", file=sys.stderr)
    except ValidationError as error:
        print(f"{path} is not a valid organisation file:\n{error}", file=sys.stderr)
    return None


async def _org_import(settings: Settings, path: Path, org_file: OrgFile) -> int:
    db = Database(settings.database_url)
    try:
        await prepare_database(db)
        async with db.transaction() as session:
            summary = await org.import_org(session, org_file, actor="cli:org-import")
    finally:
        await db.dispose()
    print(
        f"imported {path}: {len(summary.units_created)} new units, "
        f"{summary.roles_added} roles added, {summary.roles_removed} roles removed"
    )
    return 0


async def _org_export(settings: Settings) -> str:
    db = Database(settings.database_url)
    try:
        await prepare_database(db)
        async with db.sessions() as session:
            org_file = await org.export_org(session)
    finally:
        await db.dispose()
    return yaml.safe_dump(
        org_file.model_dump(mode="json", exclude_none=True),
        allow_unicode=True,
        sort_keys=False,
    )


async def _export_lone_work(settings: Settings, unit: str, year: int, out: Path) -> int:
    db = Database(settings.database_url)
    try:
        await prepare_database(db)
        count = await lone_work_report.export_register(db, unit, year, out)
    except lone_work_report.UnknownUnit:
        print(f"no unit named {unit!r}; `python -m bot org export` lists them", file=sys.stderr)
        return 2
    finally:
        await db.dispose()
    print(f"wrote {out}: {count} lone-work requests of {unit} in {year}")
    return 0


async def _audit_verify(settings: Settings) -> int:
    db = Database(settings.database_url)
    try:
        async with db.sessions() as session:
            report = await audit.verify_chain(session)
    finally:
        await db.dispose()
    if report.intact:
        print(f"audit trail intact: {report.events} events")
        return 0
    print(
        f"audit trail BROKEN at event {report.first_broken_sequence}: {report.reason}",
        file=sys.stderr,
    )
    return 1


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bot", description=__doc__)
    commands = parser.add_subparsers(dest="command")
    commands.add_parser("run", help="serve the bot (the default)")
    db = commands.add_parser("db", help="database schema").add_subparsers(dest="db_command")
    db.add_parser("upgrade", help="migrate to the newest schema and seed the units")
    org_parser = commands.add_parser("org", help="the organisation: units, people, roles")
    org_commands = org_parser.add_subparsers(dest="org_command")
    importer = org_commands.add_parser("import", help="make the database match a YAML file")
    importer.add_argument("file", type=Path)
    exporter = org_commands.add_parser("export", help="write the organisation as YAML")
    exporter.add_argument("--out", type=Path, default=None)
    manifest = commands.add_parser("manifest", help="build the Teams app package")
    manifest.add_argument("--app-id", required=True, help="the bot's Microsoft App ID (GUID)")
    manifest.add_argument("--out", type=Path, default=Path("amkbot.zip"))
    manifest.add_argument("--version", default="1.0.0")
    exports = commands.add_parser("export", help="Excel workbooks").add_subparsers(
        dest="export_command"
    )
    lone = exports.add_parser("lone-work", help="a unit's lone-work register for a year")
    lone.add_argument("--unit", required=True, help="the unit's name, e.g. Kemi")
    lone.add_argument("--year", type=int, required=True)
    lone.add_argument("--out", type=Path, required=True)
    audit_parser = commands.add_parser("audit", help="the audit trail")
    audit_parser.add_subparsers(dest="audit_command").add_parser(
        "verify", help="recompute the hash chain"
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        settings = Settings.from_env()
    except ValueError as error:
        print(error, file=sys.stderr)
        return 2
    command = args.command or "run"
    if command == "run":
        return run(settings)
    if command == "db" and args.db_command == "upgrade":
        return asyncio.run(_db_upgrade(settings))
    if command == "org" and args.org_command == "import":
        org_file = _read_org_file(args.file)
        if org_file is None:
            return 2
        return asyncio.run(_org_import(settings, args.file, org_file))
    if command == "org" and args.org_command == "export":
        text = asyncio.run(_org_export(settings))
        if args.out is None:
            sys.stdout.write(text)
        else:
            args.out.write_text(text, encoding="utf-8")
            print(f"wrote {args.out}", file=sys.stderr)
        return 0
    if command == "manifest":
        try:
            path = build_package(args.app_id, args.out, version=args.version)
        except ValueError as error:
            print(error, file=sys.stderr)
            return 2
        print(f"wrote {path}")
        return 0
    if command == "export" and args.export_command == "lone-work":
        return asyncio.run(_export_lone_work(settings, args.unit, args.year, args.out))
    if command == "audit" and args.audit_command == "verify":
        return asyncio.run(_audit_verify(settings))
    parser.print_help()
    return 2


if __name__ == "__main__":
    sys.exit(main())
