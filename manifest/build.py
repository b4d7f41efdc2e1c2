"""Render the Teams app manifest and build the app package (zip) for upload to Teams.

Standard library only: this module must not import the Bot Framework SDK or other project code.
"""

import argparse
import json
import os
import re
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

MANIFEST_DIR = Path(__file__).resolve().parent
TEMPLATE_PATH = MANIFEST_DIR / "manifest.template.json"
LOCALIZATION_DIR = MANIFEST_DIR / "localization"
MANIFEST_FILE_NAME = "manifest.json"
DEFAULT_VERSION = "1.0.0"
MAX_VALID_DOMAINS = 100

GUID_PATTERN = re.compile(r"^[0-9a-fA-F]{8}-(?:[0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$")
# Teams requires MAJOR.MINOR.PATCH without leading zeros (the v1.30 schema no longer checks it).
SEMVER_PATTERN = re.compile(r"^(?:0|[1-9][0-9]*)\.(?:0|[1-9][0-9]*)\.(?:0|[1-9][0-9]*)$")
# A host name, optionally with a leading "*." wildcard and a port; no scheme and no path.
DOMAIN_PATTERN = re.compile(
    r"^(?:\*\.)?[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?"
    r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*(?::[0-9]{1,5})?$"
)
HTTPS_PATTERN = re.compile(r"^https://([^\s/?#:]+)(?::[0-9]{1,5})?(?:[/?#]\S*)?$")
# Documentation-only host names (RFC 2606): a package naming them is not ready for Teams.
EXAMPLE_HOSTS = re.compile(r"(?:^|\.)example\.(?:com|org|net)$|\.(?:example|test|invalid)$")
PLACEHOLDER_PATTERN = re.compile(r"\{\{([A-Z_]+)\}\}")
# Fixed timestamp for zip entries, so the same input always gives the same package bytes.
ZIP_TIMESTAMP = (1980, 1, 1, 0, 0, 0)


def _require_guid(value: str, what: str) -> str:
    if not isinstance(value, str) or not GUID_PATTERN.fullmatch(value):
        raise ValueError(
            f"{what} must be a GUID such as 00000000-0000-0000-0000-000000000000 "
            f"(the Microsoft App ID of the bot registration), got {value!r}"
        )
    return value


def _require_semver(value: str) -> str:
    if not isinstance(value, str) or not SEMVER_PATTERN.fullmatch(value):
        raise ValueError(f"version must be MAJOR.MINOR.PATCH such as 1.0.0, got {value!r}")
    return value


@dataclass(frozen=True)
class Links:
    """The app's pages the Teams store and admin centre show: its home, the privacy
    statement and the terms of use (settings `WEBSITE_URL`, `PRIVACY_URL`, `TERMS_URL`)."""

    website: str
    privacy: str
    terms: str

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> "Links":
        return cls(
            website=env.get("WEBSITE_URL", ""),
            privacy=env.get("PRIVACY_URL", ""),
            terms=env.get("TERMS_URL", ""),
        )


def _require_https(value: str, setting: str) -> str:
    match = HTTPS_PATTERN.fullmatch(value.strip()) if isinstance(value, str) else None
    if match is None:
        raise ValueError(
            f"{setting} must be the https:// address of the university's page, got {value!r}"
        )
    if EXAMPLE_HOSTS.search(match.group(1).lower()):
        raise ValueError(f"{setting} names an example host ({value}); give the real page")
    return value.strip()


def _require_domains(domains: Sequence[str]) -> list[str]:
    if isinstance(domains, str):
        raise ValueError("valid_domains must be a list of host names, not a single string")
    if len(domains) > MAX_VALID_DOMAINS:
        raise ValueError(f"valid_domains may hold at most {MAX_VALID_DOMAINS} entries")
    for domain in domains:
        if not isinstance(domain, str) or not DOMAIN_PATTERN.fullmatch(domain):
            raise ValueError(
                "each valid domain must be a host name without scheme or path, "
                f"such as amkbot.example.com or *.example.com, got {domain!r}"
            )
    return list(domains)


def _fill_placeholders(node: Any, values: Mapping[str, str]) -> Any:
    """Replace every {{NAME}} in the strings of a JSON tree with values[NAME]."""
    if isinstance(node, dict):
        return {key: _fill_placeholders(item, values) for key, item in node.items()}
    if isinstance(node, list):
        return [_fill_placeholders(item, values) for item in node]
    if isinstance(node, str):

        def lookup(match: re.Match[str]) -> str:
            name = match.group(1)
            if name not in values:
                raise ValueError(
                    f"the manifest template uses an unknown placeholder {{{{{name}}}}}"
                )
            return values[name]

        return PLACEHOLDER_PATTERN.sub(lookup, node)
    return node


def render_manifest(
    app_id: str,
    *,
    links: Links,
    version: str = DEFAULT_VERSION,
    bot_id: str | None = None,
    valid_domains: list[str] | None = None,
) -> dict[str, Any]:
    """Return the manifest as a dict; the bot id defaults to the app id (the Microsoft App ID)."""
    values = {
        "APP_ID": _require_guid(app_id, "app_id"),
        "BOT_ID": _require_guid(app_id if bot_id is None else bot_id, "bot_id"),
        "VERSION": _require_semver(version),
        "WEBSITE_URL": _require_https(links.website, "WEBSITE_URL"),
        "PRIVACY_URL": _require_https(links.privacy, "PRIVACY_URL"),
        "TERMS_URL": _require_https(links.terms, "TERMS_URL"),
    }
    domains = _require_domains(valid_domains or [])
    template = json.loads(TEMPLATE_PATH.read_text(encoding="utf-8"))
    manifest: dict[str, Any] = _fill_placeholders(template, values)
    manifest["validDomains"] = domains
    return manifest


def localization_files(manifest: Mapping[str, Any]) -> list[str]:
    """The localization file names that the manifest refers to."""
    info = manifest.get("localizationInfo", {})
    names = [language["file"] for language in info.get("additionalLanguages", [])]
    if "defaultLanguageFile" in info:
        names.append(info["defaultLanguageFile"])
    return names


def icon_files(manifest: Mapping[str, Any]) -> list[str]:
    """The icon file names that the manifest refers to."""
    return list(manifest["icons"].values())


def _package_path(out: Path, version: str) -> Path:
    if out.suffix.lower() == ".zip":
        return out
    return out / f"amk-bot-{version}.zip"


def _write_entry(archive: zipfile.ZipFile, name: str, data: bytes) -> None:
    entry = zipfile.ZipInfo(name, date_time=ZIP_TIMESTAMP)
    entry.compress_type = zipfile.ZIP_DEFLATED
    entry.external_attr = 0o644 << 16
    archive.writestr(entry, data)


def build_package(
    app_id: str,
    out: Path,
    *,
    links: Links,
    version: str = DEFAULT_VERSION,
    bot_id: str | None = None,
    valid_domains: list[str] | None = None,
) -> Path:
    """Write the Teams app package zip and return its path.

    `out` is the zip file to write (a name ending in .zip), or else a directory to write
    amk-bot-<version>.zip in; missing directories are created.
    All files sit at the zip root: manifest.json, the icons and the localization files.
    """
    manifest = render_manifest(
        app_id, links=links, version=version, bot_id=bot_id, valid_domains=valid_domains
    )
    entries: dict[str, bytes] = {
        MANIFEST_FILE_NAME: (json.dumps(manifest, ensure_ascii=False, indent=2) + "\n").encode(),
    }
    for name in icon_files(manifest):
        entries[name] = (MANIFEST_DIR / name).read_bytes()
    for name in localization_files(manifest):
        entries[name] = (LOCALIZATION_DIR / name).read_bytes()

    package = _package_path(Path(out), version)
    package.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(package, "w") as archive:
        for name, data in entries.items():
            _write_entry(archive, name, data)
    return package


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: python -m manifest --app-id GUID --out build/amk-bot.zip (the pages
    from WEBSITE_URL, PRIVACY_URL and TERMS_URL)."""
    parser = argparse.ArgumentParser(prog="python -m manifest", description=main.__doc__)
    parser.add_argument(
        "--app-id",
        default=os.environ.get("MicrosoftAppId"),  # noqa: SIM112 - Bot Framework's own name
        help="Microsoft App ID (GUID); defaults to the MicrosoftAppId environment variable",
    )
    parser.add_argument("--bot-id", default=None, help="bot id if it differs from the app id")
    parser.add_argument("--version", default=DEFAULT_VERSION, help="app version, MAJOR.MINOR.PATCH")
    parser.add_argument(
        "--valid-domain",
        action="append",
        default=[],
        dest="valid_domains",
        help="a domain for validDomains; repeat for more",
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=Path("build"),
        help="zip file, or directory for amk-bot-<version>.zip (default: build)",
    )
    args = parser.parse_args(argv)
    if not args.app_id:
        parser.error("--app-id is required when MicrosoftAppId is not set")
    try:
        package = build_package(
            args.app_id,
            args.out,
            links=Links.from_env(os.environ),
            version=args.version,
            bot_id=args.bot_id,
            valid_domains=args.valid_domains,
        )
    except ValueError as error:
        parser.error(str(error))
    print(package)
    return 0
