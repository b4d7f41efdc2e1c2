"""Settings read once from the environment (and an optional `.env` file)."""

from __future__ import annotations

import ipaddress
import logging
import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from bot.file_hosts import DEFAULT_FILE_MAX_BYTES, FileHosts
from domain.digest import Schedule
from domain.precursor_registrations import parse_deadline
from domain.retention import PrivacyNotice, RetentionSettings
from domain.wellbeing import WellbeingSettings
from domain.work_accident import SupportOffers
from storage.db import DEFAULT_DATABASE_URL

# Where the Bot Framework publishes the keys that sign its tokens to bots (public cloud).
BOT_FRAMEWORK_OPENID_METADATA_URL = (
    "https://login.botframework.com/v1/.well-known/openidconfiguration"
)
TRUE_WORDS = frozenset({"1", "true", "yes", "on"})


def read_dotenv(path: Path) -> dict[str, str]:
    """KEY=VALUE lines; `#` comments and surrounding quotes allowed."""
    values: dict[str, str] = {}
    if not path.is_file():
        return values
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith("#") or "=" not in line:
            continue
        key, _, value = line.partition("=")
        values[key.strip()] = value.strip().strip("'\"")
    return values


MIN_AUDIT_SECRET_LENGTH = 32
GRAPH_BASE_URL = "https://graph.microsoft.com/v1.0"
GRAPH_AUTHORITY = "https://login.microsoftonline.com"


@dataclass(frozen=True)
class GraphSettings:
    """Where Graph and its token authority are (other clouds, or a test's fake), the app's
    id in the tenant's app catalog, and the app registration Graph tokens are issued to
    (from the environment: always the bot's own `MicrosoftAppId`/`…Password`/`…TenantId`)."""

    catalog_app_id: str = ""
    client_id: str = ""
    client_secret: str = field(default="", repr=False)
    tenant_id: str = ""
    base_url: str = GRAPH_BASE_URL
    authority: str = GRAPH_AUTHORITY
    # a CA bundle for Graph and the authority (a TLS-inspecting proxy); "" = the system's
    ca_bundle: str = ""

    @classmethod
    def from_mapping(cls, values: Mapping[str, str]) -> GraphSettings:
        def get(name: str, default: str = "") -> str:
            return values.get(name, default).strip() or default

        base_url = get("GRAPH_BASE_URL", GRAPH_BASE_URL).rstrip("/")
        authority = get("GRAPH_AUTHORITY", GRAPH_AUTHORITY).rstrip("/")
        for name, url in (("GRAPH_BASE_URL", base_url), ("GRAPH_AUTHORITY", authority)):
            if not url.startswith("https://"):
                raise ValueError(f"{name} must be an https:// address, not {url!r}")
        return cls(
            catalog_app_id=get("TEAMS_APP_CATALOG_ID"),
            client_id=get("MicrosoftAppId"),
            client_secret=get("MicrosoftAppPassword"),
            tenant_id=get("MicrosoftAppTenantId"),
            base_url=base_url,
            authority=authority,
            ca_bundle=get("GRAPH_CA_BUNDLE"),
        )


@dataclass(frozen=True)
class Settings:
    """Everything the bot can be configured with."""

    app_id: str = ""
    app_password: str = ""
    app_type: str = "SingleTenant"
    app_tenant_id: str = ""
    database_url: str = DEFAULT_DATABASE_URL
    host: str = "127.0.0.1"
    port: int = 3978
    admin_upns: frozenset[str] = field(default_factory=frozenset)
    digest_schedule: str = "MON 08:00"
    timezone: str = "Europe/Copenhagen"
    log_level: str = "INFO"
    exports_url: str = ""
    precursor_deadline: str = "06-15"
    precursor_licence: str = ""
    scheduler_interval: float = 60.0
    workers: int = 1
    # None: by database (see `turns_at_once`)
    turn_concurrency: int | None = None
    stop_grace_seconds: float = 20.0
    # HMAC key sealing the audit trail; kept outside the database ("": events are unsealed)
    audit_secret: str = field(default="", repr=False)
    # where the daily signed checkpoint of the audit trail's head is appended (None: log only)
    audit_checkpoint_file: Path | None = None
    openid_metadata_url: str = BOT_FRAMEWORK_OPENID_METADATA_URL
    signing_keys_timeout: float = 10.0
    local_mode_allow_remote: bool = False
    # `WELLBEING_RETENTION_YEARS`, `WELLBEING_DIALOGUE_INTERVAL_YEARS`
    wellbeing: WellbeingSettings = field(default_factory=WellbeingSettings)
    # `WORK_ACCIDENT_SUPPORT_DA`, `WORK_ACCIDENT_SUPPORT_EN` ("": the catalogue's general text)
    work_accident_support: SupportOffers = field(default_factory=SupportOffers)
    # `NEAR_MISS_RETENTION_YEARS`, `LONE_WORK_RETENTION_YEARS`, `CHECKIN_RETENTION_DAYS`,
    # `AUDIT_RETENTION_YEARS`, `CONVERSATION_RETENTION_DAYS`
    retention: RetentionSettings = field(default_factory=RetentionSettings)
    # the app's pages named in the Teams manifest (`WEBSITE_URL`, `PRIVACY_URL`, `TERMS_URL`)
    website_url: str = ""
    privacy_url: str = ""
    terms_url: str = ""
    # Microsoft Graph (`GRAPH_*`, `TEAMS_APP_CATALOG_ID`): off unless the catalog id is set
    graph: GraphSettings = field(default_factory=GraphSettings)
    # `TEAMS_FILE_HOSTS`, `FILE_MAX_BYTES`: where files may come from and go to (not enforced
    # in local mode)
    file_hosts: FileHosts = field(default_factory=FileHosts)
    # `PEOPLE_PICKER` (true/false); None: by mode (see `people_picker_on`)
    people_picker: bool | None = None
    # the mapping of Entra ID groups to roles the nightly org sync reads (None: no sync)
    org_sync_mapping: Path | None = None

    @property
    def graph_credentials(self) -> bool:
        """The app registration Graph tokens are issued to is configured."""
        graph = self.graph
        return bool(graph.client_id and graph.client_secret and graph.tenant_id)

    @property
    def graph_enabled(self) -> bool:
        """Graph installs the app for people it has no chat with: needs the app's
        credentials, its tenant and the app's id in the tenant's app catalog."""
        return bool(self.graph.catalog_app_id) and self.graph_credentials

    def turns_at_once(self, *, sqlite: bool) -> int:
        """`TURN_CONCURRENCY`, or by database: on SQLite a turn never waits for the database
        (it runs on the event loop's thread), so one turn at a time keeps the CPU busy and
        spares the others the wait behind interleaved turns; PostgreSQL answers over the
        network, so a few turns overlap their queries."""
        if self.turn_concurrency is not None:
            return self.turn_concurrency
        return 1 if sqlite else 4

    @property
    def privacy_notice(self) -> PrivacyNotice:
        """What the welcome card and help tell people about their data."""
        return PrivacyNotice(self.retention, self.wellbeing.retention_years, self.privacy_url)

    @property
    def people_picker_on(self) -> bool:
        """Cards ask for a person with Teams' people picker (which submits the person's Entra
        object id), else with a typed e-mail address. On by default in Teams (an app id is
        set); off in local mode, which is what the Playground and `make run` use, as neither
        has a directory behind the picker. `PEOPLE_PICKER` overrides it either way."""
        if self.people_picker is not None:
            return self.people_picker
        return not self.local_mode

    @property
    def local_mode(self) -> bool:
        """No app id: no Bot Framework authentication (local development only)."""
        return not self.app_id

    def bind_refusal(self) -> str | None:
        """Why the bot must not listen where `HOST` says, if it must not: in local mode
        anyone who reaches the port is believed, so only this machine may, unless
        `LOCAL_MODE_ALLOW_REMOTE` says otherwise."""
        if not self.local_mode or self.local_mode_allow_remote or is_loopback(self.host):
            return None
        return (
            f"HOST={self.host} would let other machines reach a bot without authentication "
            "(MicrosoftAppId is empty): use HOST=127.0.0.1, set MicrosoftAppId, or set "
            "LOCAL_MODE_ALLOW_REMOTE=true if that is really wanted"
        )

    @classmethod
    def from_env(
        cls, env: Mapping[str, str] | None = None, dotenv: Path | None = Path(".env")
    ) -> Settings:
        merged: dict[str, str] = read_dotenv(dotenv) if dotenv else {}
        merged.update(os.environ if env is None else env)

        def get(name: str, default: str = "") -> str:
            return merged.get(name, default).strip()

        admins = frozenset(
            upn.strip().lower()
            for upn in get("ADMIN_UPNS").replace(";", ",").split(",")
            if upn.strip()
        )
        port_text = get("PORT", "3978")
        if not port_text.isdigit() or not 0 < int(port_text) < 65536:
            raise ValueError(f"PORT must be a number from 1 to 65535, not {port_text!r}")
        workers_text = get("WORKERS", "1") or "1"
        if not workers_text.isdigit() or not 1 <= int(workers_text) <= 64:
            raise ValueError(f"WORKERS must be a number from 1 to 64, not {workers_text!r}")
        concurrency_text = get("TURN_CONCURRENCY")
        if concurrency_text and (
            not concurrency_text.isdigit() or not 1 <= int(concurrency_text) <= 1000
        ):
            raise ValueError(
                f"TURN_CONCURRENCY must be a number from 1 to 1000, not {concurrency_text!r}"
            )
        interval = _seconds(get, "SCHEDULER_INTERVAL", "60", above=0, most=3600)
        grace = _seconds(get, "STOP_GRACE_SECONDS", "20", at_least=0, most=600)
        keys_timeout = _seconds(get, "SIGNING_KEYS_TIMEOUT", "10", above=0, most=120)
        schedule = get("DIGEST_SCHEDULE", "MON 08:00") or "MON 08:00"
        Schedule.parse(schedule)
        precursor_deadline = get("PRECURSOR_DEADLINE", "06-15") or "06-15"
        parse_deadline(precursor_deadline)
        audit_secret = get("AUDIT_SECRET")
        if audit_secret and len(audit_secret) < MIN_AUDIT_SECRET_LENGTH:
            raise ValueError(
                f"AUDIT_SECRET must be at least {MIN_AUDIT_SECRET_LENGTH} characters "
                "(e.g. 64 random hexadecimal digits)"
            )
        checkpoint_file = get("AUDIT_CHECKPOINT_FILE")
        wellbeing = WellbeingSettings.from_mapping(merged)
        retention = RetentionSettings.from_mapping(merged)
        pages = {
            name: _https_url(get, name) for name in ("WEBSITE_URL", "PRIVACY_URL", "TERMS_URL")
        }
        graph = GraphSettings.from_mapping(merged)
        max_bytes_text = get("FILE_MAX_BYTES", str(DEFAULT_FILE_MAX_BYTES))
        if not max_bytes_text.isdigit() or not 1024 <= int(max_bytes_text) <= 100 * 1024**2:
            raise ValueError(
                f"FILE_MAX_BYTES must be from 1024 to 104857600, not {max_bytes_text!r}"
            )
        file_hosts = FileHosts.from_setting(
            get("TEAMS_FILE_HOSTS"),
            enforced=bool(get("MicrosoftAppId")),
            max_bytes=int(max_bytes_text),
        )
        picker_text = get("PEOPLE_PICKER").lower()
        org_sync_mapping = get("ORG_SYNC_MAPPING")
        return cls(
            app_id=get("MicrosoftAppId"),
            app_password=get("MicrosoftAppPassword"),
            app_type=get("MicrosoftAppType", "SingleTenant") or "SingleTenant",
            app_tenant_id=get("MicrosoftAppTenantId"),
            database_url=get("DATABASE_URL", DEFAULT_DATABASE_URL) or DEFAULT_DATABASE_URL,
            host=get("HOST", "127.0.0.1") or "127.0.0.1",
            port=int(port_text),
            admin_upns=admins,
            digest_schedule=schedule,
            timezone=get("TIMEZONE", "Europe/Copenhagen") or "Europe/Copenhagen",
            log_level=get("LOG_LEVEL", "INFO").upper() or "INFO",
            exports_url=get("EXPORTS_URL"),
            precursor_deadline=precursor_deadline,
            precursor_licence=get("PRECURSOR_LICENCE"),
            scheduler_interval=interval,
            workers=int(workers_text),
            turn_concurrency=int(concurrency_text) if concurrency_text else None,
            stop_grace_seconds=grace,
            audit_secret=audit_secret,
            audit_checkpoint_file=Path(checkpoint_file) if checkpoint_file else None,
            openid_metadata_url=get("BOT_OPENID_METADATA_URL") or BOT_FRAMEWORK_OPENID_METADATA_URL,
            signing_keys_timeout=keys_timeout,
            local_mode_allow_remote=get("LOCAL_MODE_ALLOW_REMOTE").lower() in TRUE_WORDS,
            wellbeing=wellbeing,
            work_accident_support=SupportOffers(
                da=get("WORK_ACCIDENT_SUPPORT_DA"), en=get("WORK_ACCIDENT_SUPPORT_EN")
            ),
            retention=retention,
            website_url=pages["WEBSITE_URL"],
            privacy_url=pages["PRIVACY_URL"],
            terms_url=pages["TERMS_URL"],
            graph=graph,
            file_hosts=file_hosts,
            people_picker=(picker_text in TRUE_WORDS) if picker_text else None,
            org_sync_mapping=Path(org_sync_mapping) if org_sync_mapping else None,
        )


def _seconds(
    get: Callable[[str, str], str],
    name: str,
    default: str,
    *,
    most: float,
    above: float | None = None,
    at_least: float | None = None,
) -> float:
    """A setting in seconds within its range, or a ValueError that names it."""
    text = get(name, default) or default
    try:
        value = float(text)
    except ValueError:
        value = float("nan")
    low_ok = value > above if above is not None else value >= (at_least or 0)
    if not (low_ok and value <= most):
        low = above if above is not None else at_least
        raise ValueError(f"{name} must be seconds from {low:g} to {most:g}, not {text!r}")
    return value


def _https_url(get: Callable[[str, str], str], name: str) -> str:
    """An https address ("" when not set), or a ValueError that names the setting."""
    value = get(name, "")
    if value and not re.fullmatch(r"https://[^\s/]+\.[^\s/]+(?:/\S*)?", value):
        raise ValueError(f"{name} must be an https:// address, not {value!r}")
    return value


def is_loopback(host: str) -> bool:
    """`localhost` or a loopback address (127.0.0.0/8, ::1)."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


# Libraries that log SQL parameters or URLs would tie people to what they reported.
QUIET_LIBRARIES = (
    "aiohttp.access",
    "sqlalchemy",
    "aiosqlite",
    "asyncpg",
    "urllib3",
    "msrest",
    "msal",
)


def configure_logging(level: str, *, prefix: str = "") -> None:
    """Log lines with time and level (`prefix` names a worker); chatty libraries only warn."""
    logging.basicConfig(
        level=getattr(logging, level, logging.INFO),
        format=f"%(asctime)s %(levelname)s {prefix}%(name)s: %(message)s",
    )
    for noisy in QUIET_LIBRARIES:
        logging.getLogger(noisy).setLevel(logging.WARNING)
