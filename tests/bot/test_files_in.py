"""Fetching files sent into the chat: only from allowed hosts, the bot's token only to the
connector, and never more than the limit."""

from __future__ import annotations

from bot.config import Settings
from bot.file_hosts import FileHosts
from bot.files_in import Downloads
from domain.files import Fetched, FetchProblem, FileKind, IncomingFile
from tests.support.fake_connector import FakeConnector


async def _token() -> str:
    return "bot-token"


async def _fetch(downloads: Downloads, file: IncomingFile, service_url: str) -> Fetched:
    try:
        return await downloads.fetch(file, service_url)
    finally:
        await downloads.close()


async def test_a_download_url_not_on_an_allowed_host_is_never_requested(
    connector: FakeConnector,
) -> None:
    url = connector.serve_file("plan.xlsx", b"PK")
    downloads = Downloads(FileHosts(enforced=True), _token)
    fetched = await _fetch(downloads, IncomingFile(FileKind.FILE, "plan.xlsx", url, "xlsx"), url)
    assert fetched == Fetched(problem=FetchProblem.HOST)
    assert connector.downloads == []


async def test_a_pasted_image_elsewhere_than_the_connector_is_refused(
    connector: FakeConnector,
) -> None:
    url = connector.serve_image("0-weu-d1-abc", b"\x89PNG")
    downloads = Downloads(FileHosts(enforced=True), _token)
    image = IncomingFile(FileKind.IMAGE, "", url, "png")
    fetched = await _fetch(downloads, image, "https://smba.trafficmanager.net/emea/")
    assert fetched.problem is FetchProblem.HOST
    assert connector.downloads == []


async def test_in_local_mode_files_come_without_and_images_with_the_bots_token(
    connector: FakeConnector,
) -> None:
    downloads = Downloads.for_settings(Settings(app_id=""), _token)
    assert not downloads.hosts.enforced
    file_url = connector.serve_file("plan.xlsx", b"workbook bytes")
    image_url = connector.serve_image("0-weu-d1-abc", b"image bytes")
    try:
        file = await downloads.fetch(
            IncomingFile(FileKind.FILE, "plan.xlsx", file_url, "xlsx"), connector.url
        )
        image = await downloads.fetch(
            IncomingFile(FileKind.IMAGE, "", image_url, "png"), connector.url
        )
    finally:
        await downloads.close()
    assert (file.data, image.data) == (b"workbook bytes", b"image bytes")
    assert [d.authorization for d in connector.downloads] == [None, "Bearer bot-token"]


async def test_with_an_app_id_the_allow_list_is_on() -> None:
    downloads = Downloads.for_settings(Settings(app_id="app"), _token)
    assert downloads.hosts.enforced
    assert downloads.hosts.allows("https://uni-my.sharepoint.com/personal/x/file.xlsx")
    assert not downloads.hosts.allows("https://evil.example/file.xlsx")


async def test_reading_stops_just_past_the_limit(connector: FakeConnector) -> None:
    url = connector.serve_file("big.xlsx", b"x" * (3 * 1024 * 1024))
    downloads = Downloads(FileHosts(enforced=False, max_bytes=256 * 1024), _token)
    fetched = await _fetch(downloads, IncomingFile(FileKind.FILE, "big.xlsx", url, "xlsx"), url)
    assert fetched.problem is FetchProblem.TOO_LARGE
