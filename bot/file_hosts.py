"""Where the bot may send and fetch files. Teams keeps a personal chat's files in the user's
OneDrive (SharePoint): the upload URL of an accepted file consent card and the download URL
of a file sent to the bot point there. An image pasted into the chat lies behind the Bot
Connector that sent the message, and is fetched with the bot's own token, so only from that
host. Anything else is refused: a forged activity must not make the bot fetch from, or send
a workbook to, an address of someone's choosing."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

DEFAULT_FILE_HOSTS = ("*.sharepoint.com",)
DEFAULT_FILE_MAX_BYTES = 10 * 1024 * 1024


@dataclass(frozen=True)
class FileHosts:
    """The hosts files may come from and go to (`TEAMS_FILE_HOSTS`: names, `*.` for any
    subdomain), and the largest file accepted (`FILE_MAX_BYTES`). Off in local mode, where
    nothing is authenticated either, so the Playground and local fakes work."""

    patterns: tuple[str, ...] = DEFAULT_FILE_HOSTS
    enforced: bool = True
    max_bytes: int = DEFAULT_FILE_MAX_BYTES

    @classmethod
    def from_setting(cls, text: str, *, enforced: bool, max_bytes: int) -> FileHosts:
        """Comma-separated host names; empty means the default (SharePoint Online)."""
        patterns = tuple(
            name.strip().lower() for name in text.replace(";", ",").split(",") if name.strip()
        )
        for pattern in patterns:
            bare = pattern.removeprefix("*.")
            if not bare or "*" in bare or "/" in bare or ":" in bare or "." not in bare:
                raise ValueError(f"TEAMS_FILE_HOSTS: {pattern!r} is not a host name or *.domain")
        return cls(patterns or DEFAULT_FILE_HOSTS, enforced, max_bytes)

    def allows(self, url: str) -> bool:
        """An https URL on one of the hosts (any absolute http(s) URL when not enforced)."""
        host = _host(url, https_only=self.enforced)
        if host is None:
            return False
        return not self.enforced or any(_matches(host, pattern) for pattern in self.patterns)

    def allows_connector(self, url: str, service_url: str) -> bool:
        """A URL on the Bot Connector host the activity came from (pasted images): the only
        place the bot's token may be sent with a download."""
        host = _host(url, https_only=self.enforced)
        return host is not None and host == _host(service_url, https_only=self.enforced)


def _host(url: str, *, https_only: bool) -> str | None:
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return None
    schemes = ("https",) if https_only else ("https", "http")
    if parts.scheme not in schemes or not parts.hostname or parts.username or parts.password:
        return None
    if https_only and port not in (None, 443):
        return None
    return parts.hostname.lower()


def _matches(host: str, pattern: str) -> bool:
    if pattern.startswith("*."):
        return host.endswith(pattern[1:])
    return host == pattern
