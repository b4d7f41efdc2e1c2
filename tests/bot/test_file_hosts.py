"""Which addresses the bot will upload files to and download them from."""

from __future__ import annotations

import pytest

from bot.config import Settings
from bot.file_hosts import FileHosts

TEAMS = {"MicrosoftAppId": "00000000-0000-0000-0000-000000000001"}


def hosts(**env: str) -> FileHosts:
    return Settings.from_env(env, dotenv=None).file_hosts


@pytest.mark.parametrize(
    "url",
    [
        "https://dtudk-my.sharepoint.com/personal/abc/_api/v2.0/drive/items/1/uploadSession",
        "https://contoso.sharepoint.com/sites/x/download.aspx?UniqueId=1",
    ],
)
def test_sharepoint_addresses_are_allowed_with_teams(url: str) -> None:
    assert hosts(**TEAMS).allows(url)


@pytest.mark.parametrize(
    "url",
    [
        "https://evil.example.com/upload",
        "http://dtudk-my.sharepoint.com/upload",  # not TLS
        "https://sharepoint.com.evil.example/upload",
        "https://evilsharepoint.com/upload",
        "https://user:pw@dtudk-my.sharepoint.com/upload",
        "https://dtudk-my.sharepoint.com:8443/upload",
        "file:///etc/passwd",
        "https://[::1/",
        "",
    ],
)
def test_other_addresses_are_refused_with_teams(url: str) -> None:
    assert not hosts(**TEAMS).allows(url)


def test_the_setting_replaces_the_default_hosts() -> None:
    custom = hosts(**TEAMS, TEAMS_FILE_HOSTS="files.uni.dk, *.sharepoint.us")
    assert custom.allows("https://files.uni.dk/x")
    assert custom.allows("https://a.sharepoint.us/x")
    assert not custom.allows("https://a.sharepoint.com/x")


@pytest.mark.parametrize("bad", ["*", "*.com/x", "host:443", "localhost"])
def test_a_setting_that_is_not_a_host_name_stops_the_start(bad: str) -> None:
    with pytest.raises(ValueError, match="TEAMS_FILE_HOSTS"):
        hosts(**TEAMS, TEAMS_FILE_HOSTS=bad)


def test_local_mode_allows_any_http_address_so_local_fakes_work() -> None:
    local = hosts()
    assert local.allows("http://127.0.0.1:5123/upload")
    assert not local.allows("file:///etc/passwd")


def test_pasted_images_come_only_from_the_connector_that_sent_the_message() -> None:
    teams = hosts(**TEAMS)
    service = "https://smba.trafficmanager.net/emea/"
    assert teams.allows_connector(
        "https://smba.trafficmanager.net/emea/v3/attachments/1/views/original", service
    )
    assert not teams.allows_connector("https://evil.example/v3/attachments/1", service)
    assert not teams.allows_connector("http://smba.trafficmanager.net/emea/v3/a", service)


def test_the_size_limit_is_a_setting_within_bounds() -> None:
    assert hosts(FILE_MAX_BYTES="2048").max_bytes == 2048
    with pytest.raises(ValueError, match="FILE_MAX_BYTES"):
        hosts(FILE_MAX_BYTES="12")
