"""Fetching the files and images people send the bot, from where Teams keeps them only.

A file dropped into a personal chat arrives as a `file.download.info` attachment whose
`downloadUrl` is a short-lived, pre-authorised SharePoint/OneDrive address: fetched with a
plain GET, no token. An image pasted into the message lies behind the Bot Connector that sent
the activity and is fetched with the bot's own token, which is therefore only ever sent to
that host. Every address, and every redirect, must pass `FileHosts`; reading stops as soon
as the file is over `max_bytes` (the declared length is checked first), and the whole
download has a time limit.
"""

from __future__ import annotations

import dataclasses
import logging
from urllib.parse import urljoin

import aiohttp
from yarl import URL

from bot.config import Settings
from bot.connector import TokenProvider, no_token
from bot.file_hosts import FileHosts
from domain.files import Fetched, FetchProblem, FileKind, IncomingFile

log = logging.getLogger(__name__)

CHUNK = 64 * 1024
MAX_REDIRECTS = 3


class Downloads:
    """Fetches incoming files with one pooled HTTP session (`dialogs.files.FileFetcher`)."""

    def __init__(
        self,
        hosts: FileHosts,
        token_provider: TokenProvider = no_token,
        *,
        timeout: float = 30.0,
    ) -> None:
        self.hosts = hosts
        self._token_provider = token_provider
        self._timeout = aiohttp.ClientTimeout(total=timeout, sock_connect=10, sock_read=15)
        self._session: aiohttp.ClientSession | None = None

    @classmethod
    def for_settings(cls, settings: Settings, token_provider: TokenProvider) -> Downloads:
        """The allow-list as configured, off in local mode (no app id, no authentication)."""
        hosts = settings.file_hosts
        if not settings.app_id and hosts.enforced:
            hosts = dataclasses.replace(hosts, enforced=False)
        return cls(hosts, token_provider)

    @property
    def max_bytes(self) -> int:
        return self.hosts.max_bytes

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None

    def _http(self) -> aiohttp.ClientSession:
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(timeout=self._timeout)
        return self._session

    def _allowed(self, file: IncomingFile, url: str, service_url: str) -> tuple[bool, bool]:
        """(may fetch, with the bot's token)."""
        if file.kind is FileKind.IMAGE and self.hosts.allows_connector(url, service_url):
            return True, True
        return self.hosts.allows(url), False

    async def fetch(self, file: IncomingFile, service_url: str) -> Fetched:
        """The file's bytes, or why not: a host not allowed (nothing is requested), over the
        limit (reading stopped), or a failed download."""
        url = file.url
        for _ in range(MAX_REDIRECTS + 1):
            allowed, with_token = self._allowed(file, url, service_url)
            if not allowed:
                log.warning("refused to fetch a %s from a host not allowed", file.kind.value)
                return Fetched(problem=FetchProblem.HOST)
            headers = {}
            if with_token:
                token = await self._token_provider()
                if token:
                    headers["Authorization"] = f"Bearer {token}"
            try:
                async with self._http().get(
                    URL(url, encoded=True), headers=headers, allow_redirects=False
                ) as answer:
                    if answer.status in (301, 302, 303, 307, 308) and answer.headers.get(
                        "Location"
                    ):
                        url = urljoin(url, answer.headers["Location"])
                        continue
                    if answer.status >= 400:
                        log.info("file download answered %s", answer.status)
                        return Fetched(problem=FetchProblem.FAILED)
                    declared = answer.content_length
                    if declared is not None and declared > self.max_bytes:
                        return Fetched(problem=FetchProblem.TOO_LARGE)
                    data = bytearray()
                    async for chunk in answer.content.iter_chunked(CHUNK):
                        data += chunk
                        if len(data) > self.max_bytes:
                            return Fetched(problem=FetchProblem.TOO_LARGE)
                    return Fetched(bytes(data))
            except (aiohttp.ClientError, TimeoutError) as error:
                log.info("file download failed (%s)", type(error).__name__)
                return Fetched(problem=FetchProblem.FAILED)
        return Fetched(problem=FetchProblem.FAILED)
