"""`python -m bot …`: run the bot, migrate, import/export/sync the organisation, build the
manifest.

Each command imports the reports (and the Bot Framework) it needs when it runs, so that an
export does not pay for the others' imports.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType
from typing import Any

import yaml
from pydantic import ValidationError

from bot.config import Settings, configure_logging
from domain.digest import iso_week, week_bounds
from domain.i18n import Lang, local_date, t
from domain.org import OrgFile, UnknownUnit
from storage import audit, org, precursor_catalogue, precursors
from storage.audit import audited
from storage.db import Database
from storage.models import utcnow
from storage.prepare import prepare_database


def run(settings: Settings) -> int:
    refusal = settings.bind_refusal()
    if refusal:
        print(refusal, file=sys.stderr)
        return 2
    configure_logging(settings.log_level)
    database = Database(settings.database_url)
    if settings.workers > 1 and database.is_sqlite:
        print(
            "WORKERS above 1 needs PostgreSQL (DATABASE_URL=postgresql://…): SQLite lets one "
            "process write at a time",
            file=sys.stderr,
        )
        return 2
    several = f", {settings.workers} workers" if settings.workers > 1 else ""
    print(
        f"AMK-bot is listening on http://{settings.host}:{settings.port}/api/messages "
        f"(database {database.engine.url.render_as_string()}{several}); "
        "talk to it with the Microsoft 365 Agents Playground: make playground",
        flush=True,
    )
    from bot import workers

    if settings.workers > 1:
        return workers.supervise(settings)
    workers.serve(settings)
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
        async with audited(db) as connection:
            summary = await org.import_org(connection, org_file, actor="cli:org-import")
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
        async with db.reading() as connection:
            org_file = await org.export_org(connection)
    finally:
        await db.dispose()
    return yaml.safe_dump(
        org_file.model_dump(mode="json", exclude_none=True),
        allow_unicode=True,
        sort_keys=False,
    )


async def _export_lone_work(settings: Settings, unit: str, year: int, out: Path) -> int:
    from services.lone_work_export import export_register

    db = Database(settings.database_url)
    try:
        await prepare_database(db)
        count = await export_register(db, unit, year, out)
    except UnknownUnit:
        print(f"no unit named {unit!r}; `python -m bot org export` lists them", file=sys.stderr)
        return 2
    finally:
        await db.dispose()
    print(f"wrote {out}: {count} lone-work requests of {unit} in {year}")
    return 0


async def _export_near_miss(settings: Settings, year: int, out: Path) -> int:
    from services.near_miss_export import export_year

    db = Database(settings.database_url)
    try:
        await prepare_database(db)
        count = await export_year(db, year, out)
    finally:
        await db.dispose()
    print(f"wrote {out}: {count} near-miss reports from {year}")
    return 0


async def _export_work_accidents(settings: Settings, year: int, unit: str | None, out: Path) -> int:
    from services.work_accident_export import export_year

    db = Database(settings.database_url)
    try:
        await prepare_database(db)
        count = await export_year(db, year, out, unit=unit)
    except UnknownUnit:
        print(f"no unit named {unit!r}; `python -m bot org export` lists them", file=sys.stderr)
        return 2
    finally:
        await db.dispose()
    scope = f" of {unit}" if unit else ""
    print(f"wrote {out}: {count} work accidents{scope} from {year}")
    return 0


async def _export_documentation(settings: Settings, out: Path) -> int:
    from services.documentation_export import export_overview

    db = Database(settings.database_url)
    try:
        await prepare_database(db)
        count = await export_overview(db, out)
    finally:
        await db.dispose()
    print(f"wrote {out}: {count} duties of the active units")
    return 0


def _records_module(kind: str) -> ModuleType:
    """The import service of a kind of records kept per unit ("documentation", "training")."""
    return importlib.import_module(f"services.{kind}_import")


async def _records_template(settings: Settings, kind: str, out: Path) -> int:
    db = Database(settings.database_url)
    try:
        await prepare_database(db)
        await _records_module(kind).write_import_template(db, out)
    finally:
        await db.dispose()
    print(f"wrote {out}")
    return 0


async def _records_import(
    settings: Settings, kind: str, path: Path, lang: Lang, check: bool
) -> int:
    """Import a filled template of `kind`, all or nothing (`check`: only check it); the
    problems and the outcome are told with the kind's own texts."""
    db = Database(settings.database_url)
    try:
        await prepare_database(db)
        outcome = await _records_module(kind).import_file(
            db,
            path,
            actor=f"cli:{kind}-import",
            today=local_date(utcnow()),
            lang=lang,
            check_only=check,
        )
    finally:
        await db.dispose()
    if outcome.errors:
        for line in outcome.errors:
            print(line, file=sys.stderr)
        print(t(lang, f"{kind}.import.nothing_written", count=len(outcome.errors)), file=sys.stderr)
        return 1
    key = f"{kind}.import.written" if outcome.written else f"{kind}.import.checked"
    print(t(lang, key, records=outcome.records))
    return 0


async def _digest(settings: Settings, week: str | None, channel: str | None, dry_run: bool) -> int:
    now = utcnow()
    chosen = week or iso_week(now)
    try:
        week_bounds(chosen)
    except ValueError as error:
        print(error, file=sys.stderr)
        return 2
    from bot.app import build_runtime
    from bot.composition import digest_poster

    runtime = build_runtime(settings)
    try:
        await prepare_database(runtime.db)
        poster = digest_poster(runtime.db, runtime.notifier, settings)
        outcomes = await poster.run(chosen, now, channel_id=channel, dry_run=dry_run)
        await runtime.background.drain()
    finally:
        await runtime.connector.close()
        await runtime.db.dispose()
    if not outcomes:
        print("no channel subscribes to the digest (write 'digest here' in one)", file=sys.stderr)
    for outcome in outcomes:
        if dry_run:
            print(json.dumps(outcome.card, ensure_ascii=False, indent=2))
        else:
            print(
                f"digest {outcome.week} for subscription {outcome.subscription_id}: {outcome.state}"
            )
    return 0


async def _export_action_plan(settings: Settings, unit: str, out: Path) -> int:
    from services.wellbeing_export import export_action_plan

    interval_years = settings.wellbeing.dialogue_interval_years
    db = Database(settings.database_url)
    try:
        await prepare_database(db)
        count = await export_action_plan(db, unit, out, interval_years=interval_years)
    except UnknownUnit:
        print(f"no unit named {unit!r}; `python -m bot org export` lists them", file=sys.stderr)
        return 2
    finally:
        await db.dispose()
    print(f"wrote {out}: the action plan of {unit} with {count} items")
    return 0


async def _export_precursors(settings: Settings, unit: str | None, year: int, out: Path) -> int:
    from services import precursor_workbooks

    db = Database(settings.database_url)
    try:
        await prepare_database(db)
        if unit is None:
            count = await precursor_workbooks.export_all(
                db, year, out, licence=settings.precursor_licence
            )
            summary = f"the university's precursor roll-up for {year} ({count} units with sheets)"
        else:
            count = await precursor_workbooks.export_unit(
                db, unit, year, out, licence=settings.precursor_licence
            )
            summary = f"{count} precursors of {unit} in {year}"
    except UnknownUnit:
        print(f"no unit named {unit!r}; `python -m bot org export` lists them", file=sys.stderr)
        return 2
    finally:
        await db.dispose()
    print(f"wrote {out}: {summary}")
    return 0


async def _precursor_import(settings: Settings, path: Path, lang: Lang, check_only: bool) -> int:
    from services.precursor_core import local_today
    from services.precursor_workbooks import import_file

    db = Database(settings.database_url)
    try:
        await prepare_database(db)
        outcome = await import_file(
            db,
            path,
            actor="cli:precursor-import",
            today=local_today(utcnow()),
            licence=settings.precursor_licence,
            lang=lang,
            check_only=check_only,
        )
    finally:
        await db.dispose()
    if outcome.errors:
        for line in outcome.errors:
            print(line, file=sys.stderr)
        print(
            t(lang, "precursors.import.nothing_written", count=len(outcome.errors)), file=sys.stderr
        )
        return 1
    if not outcome.written:
        print(t(lang, "precursors.import.checked", entries=outcome.entries))
        return 0
    print(
        t(
            lang,
            "precursors.import.done",
            entries=outcome.entries,
            units=", ".join(outcome.units),
            holdings=outcome.holdings_added,
        )
    )
    return 0


async def _precursor_template(settings: Settings, out: Path) -> int:
    from reports import precursor_import

    db = Database(settings.database_url)
    try:
        await prepare_database(db)
        await precursor_catalogue.ensure_loaded(db)
        async with db.reading() as connection:
            substances = await precursors.substances(connection)
    finally:
        await db.dispose()
    precursor_import.write_template(out, substances)
    print(f"wrote {out}: the import template with {len(substances)} substances")
    return 0


async def _audit_verify(settings: Settings, checkpoints: Path | None) -> int:
    from bot import audit_trail

    db = Database(settings.database_url)
    try:
        verdict = await audit_trail.verify(
            db, settings.audit_secret, checkpoints or settings.audit_checkpoint_file
        )
    finally:
        await db.dispose()
    for line in verdict.problems:
        print(line, file=sys.stderr)
    for line in verdict.notes:
        print(line)
    return verdict.code


async def _person_erase(settings: Settings, email: str, dry_run: bool) -> int:
    from services.my_data import DatabaseMyDataServices

    db = Database(settings.database_url)
    try:
        await prepare_database(db)
        erased = await DatabaseMyDataServices(db).erase(
            email, dry_run=dry_run, actor="cli:person-erase"
        )
    finally:
        await db.dispose()
    if erased is None:
        print(f"no person with the e-mail {email!r}", file=sys.stderr)
        return 2
    verb = "would become" if dry_run else "is now"
    print(f"person {erased.person_id} {verb} {erased.pseudonym!r}")
    print(f"  roles removed: {erased.roles}; chats forgotten: {erased.chats}")
    for table, count in erased.records.items():
        print(f"  {table}: {count} records keep their content, pointing at the pseudonym")
    for table, count in erased.texts.items():
        print(f"  {table}: {count} texts with the name or e-mail replaced")
    print(f"  audit events emptied of details naming the person: {erased.audit_events}")
    if erased.files:
        print(f"  proof files of their training records deleted: {erased.files}")
    if erased.open_items:
        print(
            f"  note: {erased.open_items} open action items or pending lone-work requests "
            "wait for this person; hand them over to someone else"
        )
    if dry_run:
        print("dry run: nothing was changed")
    return 0


def _template_and_import(
    commands: Any, name: str, help_text: str, *, template_help: str, import_help: str
) -> None:
    """`<name> template --out FILE` and `<name> import FILE [--check] [--lang]`: an import
    sheet's two commands (`args.<name>_command` says which)."""
    parser = commands.add_parser(name, help=help_text)
    sub = parser.add_subparsers(dest=f"{name}_command")
    template = sub.add_parser("template", help=template_help)
    template.add_argument("--out", type=Path, required=True)
    sheet = sub.add_parser("import", help=import_help)
    sheet.add_argument("file", type=Path)
    sheet.add_argument("--check", action="store_true", help="only check")
    sheet.add_argument("--lang", choices=["da", "en"], default="da")


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
    syncer = org_commands.add_parser(
        "sync", help="make the roles match Entra ID groups (Microsoft Graph), as a mapping says"
    )
    syncer.add_argument("--mapping", type=Path, required=True, help="the mapping YAML file")
    syncer.add_argument("--dry-run", action="store_true", help="print the diff, change nothing")
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
    near = exports.add_parser("near-miss", help="the year's near-miss register and statistics")
    near.add_argument("--year", type=int, required=True)
    near.add_argument("--out", type=Path, required=True)
    accidents = exports.add_parser(
        "work-accidents", help="the year's work-accident register and statistics for KAMU"
    )
    accidents.add_argument("--year", type=int, required=True)
    accidents.add_argument("--unit", default=None, help="only this unit, e.g. Kemi")
    accidents.add_argument("--out", type=Path, required=True)
    plan = exports.add_parser("action-plan", help="a unit's current action plan (no notes)")
    plan.add_argument("--unit", required=True, help="the unit's name, e.g. Kemi")
    plan.add_argument("--out", type=Path, required=True)
    documentation_export = exports.add_parser(
        "documentation", help="every unit's written duties: status, dates and proof"
    )
    documentation_export.add_argument("--out", type=Path, required=True)
    _template_and_import(
        commands,
        "documentation",
        "existing records of the written duties",
        template_help="write the empty import sheet with its guide",
        import_help="check every row, then import all of them or nothing",
    )
    _template_and_import(
        commands,
        "training",
        "instruction and training records: H&S e-learning completions",
        template_help="write the empty import sheet for e-learning completions",
        import_help="check a filled sheet and write all its rows, or none",
    )
    digest = commands.add_parser("digest", help="post (or print) the weekly digest now")
    digest.add_argument("--now", action="store_true", help="run now instead of on schedule")
    digest.add_argument("--week", help="ISO week such as 2026-W48 (default: this week)")
    digest.add_argument("--channel", help="only this channel id")
    digest.add_argument("--dry-run", action="store_true", help="print the card JSON, post nothing")
    precursor = exports.add_parser(
        "precursors", help="a unit's precursor report, or --all for the university roll-up"
    )
    who = precursor.add_mutually_exclusive_group(required=True)
    who.add_argument("--unit", help="the unit's name, e.g. Kemi")
    who.add_argument("--all", action="store_true", help="every unit, for the customs authority")
    precursor.add_argument("--year", type=int, required=True)
    precursor.add_argument("--out", type=Path, required=True)
    precursor_parser = commands.add_parser("precursors", help="drug-precursor records")
    precursor_commands = precursor_parser.add_subparsers(dest="precursor_command")
    precursor_import = precursor_commands.add_parser(
        "import", help="check a unit's spreadsheet row by row, then import all of it or nothing"
    )
    precursor_import.add_argument("file", type=Path)
    precursor_import.add_argument("--lang", choices=["da", "en"], default="en")
    precursor_import.add_argument(
        "--check", action="store_true", help="only check the rows; write nothing"
    )
    precursor_template = precursor_commands.add_parser(
        "template", help="write the import template (with the substance list)"
    )
    precursor_template.add_argument("--out", type=Path, default=Path("precursor-template.xlsx"))
    person_parser = commands.add_parser("person", help="a person's data")
    erase = person_parser.add_subparsers(dest="person_command").add_parser(
        "erase",
        help="erase a person on request: a pseudonym replaces their name, e-mail and ids "
        "everywhere; records the law requires keep their content",
    )
    erase.add_argument("--email", required=True, help="the person's e-mail (UPN)")
    erase.add_argument("--dry-run", action="store_true", help="only count; change nothing")
    audit_parser = commands.add_parser("audit", help="the audit trail")
    verify = audit_parser.add_subparsers(dest="audit_command").add_parser(
        "verify", help="recompute the hash chain and its seals, hold it against the checkpoints"
    )
    verify.add_argument(
        "--checkpoints",
        type=Path,
        default=None,
        help="a checkpoint file, or a log with the checkpoint lines (default: "
        "AUDIT_CHECKPOINT_FILE)",
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
    audit.seal_with(settings.audit_secret)
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
    if command == "org" and args.org_command == "sync":
        from bot import org_sync_cli

        return asyncio.run(org_sync_cli.command(settings, args.mapping, dry_run=args.dry_run))
    if command == "org" and args.org_command == "export":
        text = asyncio.run(_org_export(settings))
        if args.out is None:
            sys.stdout.write(text)
        else:
            args.out.write_text(text, encoding="utf-8")
            print(f"wrote {args.out}", file=sys.stderr)
        return 0
    if command == "manifest":
        from manifest.build import Links, build_package

        links = Links(settings.website_url, settings.privacy_url, settings.terms_url)
        try:
            path = build_package(args.app_id, args.out, links=links, version=args.version)
        except ValueError as error:
            print(error, file=sys.stderr)
            return 2
        print(f"wrote {path}")
        return 0
    if command == "export" and args.export_command == "lone-work":
        return asyncio.run(_export_lone_work(settings, args.unit, args.year, args.out))
    if command == "export" and args.export_command == "near-miss":
        return asyncio.run(_export_near_miss(settings, args.year, args.out))
    if command == "export" and args.export_command == "work-accidents":
        return asyncio.run(_export_work_accidents(settings, args.year, args.unit, args.out))
    if command == "export" and args.export_command == "action-plan":
        return asyncio.run(_export_action_plan(settings, args.unit, args.out))
    if command == "export" and args.export_command == "documentation":
        return asyncio.run(_export_documentation(settings, args.out))
    if command == "documentation" and args.documentation_command == "template":
        return asyncio.run(_records_template(settings, "documentation", args.out))
    if command == "documentation" and args.documentation_command == "import":
        return asyncio.run(
            _records_import(settings, "documentation", args.file, Lang(args.lang), args.check)
        )
    if command == "training" and args.training_command == "template":
        return asyncio.run(_records_template(settings, "training", args.out))
    if command == "training" and args.training_command == "import":
        return asyncio.run(
            _records_import(settings, "training", args.file, Lang(args.lang), args.check)
        )
    if command == "digest":
        if not args.now:
            print("add --now to run the digest outside its schedule", file=sys.stderr)
            return 2
        return asyncio.run(_digest(settings, args.week, args.channel, args.dry_run))
    if command == "export" and args.export_command == "precursors":
        unit = None if args.all else args.unit
        return asyncio.run(_export_precursors(settings, unit, args.year, args.out))
    if command == "precursors" and args.precursor_command == "import":
        return asyncio.run(_precursor_import(settings, args.file, Lang(args.lang), args.check))
    if command == "precursors" and args.precursor_command == "template":
        return asyncio.run(_precursor_template(settings, args.out))
    if command == "person" and args.person_command == "erase":
        return asyncio.run(_person_erase(settings, args.email, args.dry_run))
    if command == "audit" and args.audit_command == "verify":
        return asyncio.run(_audit_verify(settings, args.checkpoints))
    parser.print_help()
    return 2


if __name__ == "__main__":
    sys.exit(main())
