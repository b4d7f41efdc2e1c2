"""The operator's command line, run in-process: `python -m bot org|audit|manifest|db …`."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from openpyxl import load_workbook

from bot.__main__ import main
from domain.org import SEED_UNITS

APP_ID = "3f2504e0-4f89-41d3-9a0c-0305e82c3301"
AAD_BO = "0b1d2c3e-0000-4000-8000-00000000000b"

VALID_ORG = f"""\
# Roles of the AMK network
units:
  - name: Kemi
    leader:
      - upn: Ann.Leder@Uni.dk
        name: Ann Leder
    amk:
      - aad_object_id: {AAD_BO}
        name: Bo Koordinator
    precursor_contact:
      - upn: carl@uni.dk
  - name: Nyt Center
    leader:
      - upn: ann.leder@uni.dk
secretariat:
  - upn: sekretariat@uni.dk
    name: Sekretariatet
"""


@pytest.fixture
def database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A fresh SQLite file as DATABASE_URL, run from an empty working directory (no .env)."""
    path = tmp_path / "data" / "cli.db"
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{path}")
    yield path


def _write(path: Path, content: str) -> Path:
    path.write_text(content, encoding="utf-8")
    return path


def _export(capsys: pytest.CaptureFixture[str]) -> dict[str, Any]:
    capsys.readouterr()
    assert main(["org", "export"]) == 0
    exported: dict[str, Any] = yaml.safe_load(capsys.readouterr().out)
    return exported


def _roles(exported: dict[str, Any]) -> set[tuple[str, str, str]]:
    """(unit, role, upn or object id) for every role in an exported file."""
    found = {
        (unit["name"], role, person.get("upn") or person["aad_object_id"])
        for unit in exported["units"]
        for role in ("leader", "amk", "precursor_contact")
        for person in unit.get(role, [])
    }
    found |= {("*", "secretariat", person["upn"]) for person in exported.get("secretariat", [])}
    return found


EXPECTED_ROLES = {
    ("Kemi", "leader", "ann.leder@uni.dk"),
    ("Kemi", "amk", AAD_BO),
    ("Kemi", "precursor_contact", "carl@uni.dk"),
    ("Nyt Center", "leader", "ann.leder@uni.dk"),
    ("*", "secretariat", "sekretariat@uni.dk"),
}


def test_db_upgrade_creates_the_database(
    database: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`db upgrade` on a new deployment creates the file, schema and seed units."""
    assert main(["db", "upgrade"]) == 0
    assert "newest schema" in capsys.readouterr().out
    with sqlite3.connect(database) as connection:
        units = {name for (name,) in connection.execute("SELECT name FROM unit")}
    assert units == set(SEED_UNITS)
    assert main(["db", "upgrade"]) == 0


def test_org_import_then_export(database: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """An operator imports the network's roles and gets them back as YAML."""
    org_file = _write(database.parent.parent / "org.yaml", VALID_ORG)
    assert main(["org", "import", str(org_file)]) == 0
    out = capsys.readouterr().out
    assert "1 new units, 5 roles added, 0 roles removed" in out
    exported = _export(capsys)
    assert _roles(exported) == EXPECTED_ROLES
    kemi = next(unit for unit in exported["units"] if unit["name"] == "Kemi")
    assert kemi["leader"] == [{"upn": "ann.leder@uni.dk", "name": "Ann Leder"}]
    assert len(exported["units"]) == len(SEED_UNITS) + 1


def test_exported_file_can_be_imported_again(
    database: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Export → import is a no-op: the export is a valid organisation file."""
    assert main(["org", "import", str(_write(Path("org.yaml"), VALID_ORG))]) == 0
    assert main(["org", "export", "--out", "exported.yaml"]) == 0
    capsys.readouterr()
    assert main(["org", "import", "exported.yaml"]) == 0
    assert "0 new units, 0 roles added, 0 roles removed" in capsys.readouterr().out


def test_org_import_removes_roles_dropped_from_the_file(
    database: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["org", "import", str(_write(Path("org.yaml"), VALID_ORG))]) == 0
    fewer = VALID_ORG.replace("    precursor_contact:\n      - upn: carl@uni.dk\n", "")
    assert main(["org", "import", str(_write(Path("fewer.yaml"), fewer))]) == 0
    assert "0 roles added, 1 roles removed" in capsys.readouterr().out
    assert _roles(_export(capsys)) == EXPECTED_ROLES - {
        ("Kemi", "precursor_contact", "carl@uni.dk")
    }


@pytest.mark.parametrize(
    ("content", "complaint"),
    [
        (VALID_ORG.replace("    amk:", "    amks:"), "amks"),
        (VALID_ORG.replace("carl@uni.dk", "carl-at-uni.dk"), "carl-at-uni.dk"),
        (VALID_ORG.replace("  - name: Nyt Center", "  - name: KEMI"), "unit listed twice"),
        ("units: [\n", "cannot read"),
        ("- just\n- a list\n", "not a valid organisation file"),
    ],
)
def test_invalid_org_file_is_refused_and_writes_nothing(
    database: Path, capsys: pytest.CaptureFixture[str], content: str, complaint: str
) -> None:
    """A bad file exits 2, says what is wrong, and no role of it reaches the database."""
    assert main(["org", "import", str(_write(Path("bad.yaml"), content))]) == 2
    captured = capsys.readouterr()
    assert complaint in captured.err
    assert "bad.yaml" in captured.err
    assert "imported" not in captured.out
    assert _roles(_export(capsys)) == set()


def test_invalid_file_leaves_earlier_roles_alone(
    database: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A broken re-import does not half-apply: yesterday's roles are all still there."""
    assert main(["org", "import", str(_write(Path("org.yaml"), VALID_ORG))]) == 0
    broken = VALID_ORG.replace("sekretariat@uni.dk", "not an email")
    assert main(["org", "import", str(_write(Path("broken.yaml"), broken))]) == 2
    assert _roles(_export(capsys)) == EXPECTED_ROLES


def test_missing_org_file_exits_2(database: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["org", "import", "no-such-file.yaml"]) == 2
    assert "no-such-file.yaml" in capsys.readouterr().err


def test_audit_verify_reports_intact_trail(
    database: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """After an import the trail verifies, with one event per change (plus the seeding)."""
    assert main(["org", "import", str(_write(Path("org.yaml"), VALID_ORG))]) == 0
    capsys.readouterr()
    assert main(["audit", "verify"]) == 0
    assert "audit trail intact: 7 events" in capsys.readouterr().out


def test_audit_verify_names_the_tampered_event(
    database: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Someone edits the database file directly: verification fails and names the event."""
    assert main(["org", "import", str(_write(Path("org.yaml"), VALID_ORG))]) == 0
    with sqlite3.connect(database) as connection:
        changed = connection.execute(
            "UPDATE audit_event SET actor = 'someone-else' WHERE sequence = 3"
        ).rowcount
    assert changed == 1
    capsys.readouterr()
    assert main(["audit", "verify"]) == 1
    captured = capsys.readouterr()
    assert "BROKEN at event 3" in captured.err
    assert "intact" not in captured.out


PAGES = {
    "WEBSITE_URL": "https://www.uni.dk/amkbot",
    "PRIVACY_URL": "https://www.uni.dk/amkbot/privatliv",
    "TERMS_URL": "https://www.uni.dk/amkbot/vilkaar",
}


def test_manifest_builds_the_package(
    database: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The Teams app package is written where asked, with the app id and the university's
    privacy and terms pages inside."""
    for name, value in PAGES.items():
        monkeypatch.setenv(name, value)
    assert main(["manifest", "--app-id", APP_ID, "--out", "tmp/x.zip"]) == 0
    package = Path("tmp/x.zip")
    assert str(package) in capsys.readouterr().out
    with zipfile.ZipFile(package) as archive:
        assert "manifest.json" in archive.namelist()
        manifest = json.loads(archive.read("manifest.json"))
    assert manifest["id"] == APP_ID
    assert manifest["developer"]["privacyUrl"] == PAGES["PRIVACY_URL"]
    assert manifest["developer"]["termsOfUseUrl"] == PAGES["TERMS_URL"]
    assert manifest["developer"]["websiteUrl"] == PAGES["WEBSITE_URL"]


def test_manifest_needs_the_privacy_and_terms_pages(
    database: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("WEBSITE_URL", PAGES["WEBSITE_URL"])
    monkeypatch.setenv("TERMS_URL", PAGES["TERMS_URL"])
    assert main(["manifest", "--app-id", APP_ID, "--out", "tmp/x.zip"]) == 2
    assert "PRIVACY_URL" in capsys.readouterr().err
    assert not Path("tmp/x.zip").exists()


@pytest.mark.parametrize("app_id", ["not-a-guid", "", APP_ID[:-1]])
def test_manifest_refuses_a_bad_app_id(
    database: Path, capsys: pytest.CaptureFixture[str], app_id: str
) -> None:
    assert main(["manifest", "--app-id", app_id, "--out", "tmp/x.zip"]) == 2
    assert "GUID" in capsys.readouterr().err
    assert not Path("tmp/x.zip").exists()


def test_bad_port_setting_exits_2(
    database: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A misconfigured environment is reported, not a traceback."""
    monkeypatch.setenv("PORT", "eighty")
    assert main(["db", "upgrade"]) == 2
    assert "PORT" in capsys.readouterr().err


def test_an_export_runs_without_the_bot_runtime(database: Path) -> None:
    """`python -m bot export precursors --all` as its own process: it writes the workbook
    and imports only what the export needs (no Bot Framework, no other reports)."""
    root = Path(__file__).resolve().parents[2]
    command = ["export", "precursors", "--all", "--year", "2026", "--out", "all.xlsx"]
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "bot", *command],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
        env={**os.environ, "PYTHONPATH": str(root), "LOG_LEVEL": "WARNING"},
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.startswith("wrote all.xlsx: the university's precursor roll-up for 2026")
    assert load_workbook("all.xlsx").sheetnames[:3] == ["Oversigt", "Kategorier", "Enheder"]
    imported = {
        line.rsplit("|", 1)[1].strip()
        for line in result.stderr.splitlines()
        if line.startswith("import time:")
    }
    assert "reports.precursors" in imported
    unneeded = {"botbuilder", "aiohttp", "bot.app", "manifest.build", "reports.near_miss"}
    unneeded |= {"reports.lone_work", "reports.wellbeing", "services.near_miss_export"}
    unneeded |= {"services.lone_work_export", "services.wellbeing_export"}
    unneeded |= {"reports.work_accident", "services.work_accident_export"}
    assert not imported & unneeded


def test_person_erase_counts_first_then_replaces_the_person_by_a_pseudonym(
    database: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """An administrator erases a person on request: a dry run says what would change."""
    assert main(["org", "import", str(_write(Path("org.yaml"), VALID_ORG))]) == 0
    capsys.readouterr()
    assert main(["person", "erase", "--email", "nobody@uni.dk"]) == 2
    assert "no person with the e-mail" in capsys.readouterr().err

    assert main(["person", "erase", "--email", "Ann.Leder@uni.dk", "--dry-run"]) == 0
    dry = capsys.readouterr().out
    assert "would become 'Slettet person" in dry and "roles removed: 2" in dry
    assert "dry run: nothing was changed" in dry
    with sqlite3.connect(database) as connection:
        assert connection.execute(
            "SELECT name FROM person WHERE upn = 'ann.leder@uni.dk'"
        ).fetchone()

    assert main(["person", "erase", "--email", "ann.leder@uni.dk"]) == 0
    assert "is now 'Slettet person" in capsys.readouterr().out
    with sqlite3.connect(database) as connection:
        names = {name for (name,) in connection.execute("SELECT name FROM person")}
        erased = connection.execute(
            "SELECT after FROM audit_event WHERE action = 'person.erase'"
        ).fetchone()
    assert "Ann Leder" not in names and "Slettet person" in " ".join(name or "" for name in names)
    assert erased is not None and "ann" not in erased[0].lower()
    assert main(["audit", "verify"]) == 0
