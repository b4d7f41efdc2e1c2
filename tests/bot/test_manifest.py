"""Tests of the Teams app package: schema validity, localization, icons and the zip."""

import io
import json
import struct
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import referencing

from manifest import Links, build_package, render_manifest
from manifest.build import LOCALIZATION_DIR, MANIFEST_DIR
from manifest.make_icons import render_color_icon, render_outline_icon

SCHEMA_DIR = Path(__file__).resolve().parents[1] / "data" / "teams-schema" / "v1.30"
APP_ID = "3f2504e0-4f89-41d3-9a0c-0305e82c3301"
OTHER_BOT_ID = "9B1DEB4D-3B7D-4BAD-9BDD-2B0D7B3DCB6D"
LINKS = Links(
    website="https://www.uni.dk/amkbot",
    privacy="https://www.uni.dk/amkbot/privatliv",
    terms="https://www.uni.dk/amkbot/vilkaar",
)
EXPECTED_ZIP_NAMES = {"manifest.json", "color.png", "outline.png", "da.json"}
# Teams shows at most this much of a bot command; the v1.30 schema itself allows 128 and 4000.
MAX_COMMAND_TITLE = 32
MAX_COMMAND_DESCRIPTION = 128

Pixel = tuple[int, int, int, int]


def load_schema(name: str) -> dict[str, Any]:
    schema: dict[str, Any] = json.loads((SCHEMA_DIR / name).read_text(encoding="utf-8-sig"))
    return schema


def schema_refs(node: Any) -> Iterator[str]:
    """Every $ref value in a schema tree."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str):
                yield value
            else:
                yield from schema_refs(value)
    elif isinstance(node, list):
        for item in node:
            yield from schema_refs(item)


def offline_validator(schema: dict[str, Any]) -> jsonschema.Draft4Validator:
    """A draft-04 validator that cannot fetch anything: remote $refs are refused up front."""
    remote = sorted({ref for ref in schema_refs(schema) if not ref.startswith("#")})
    if remote:
        pytest.fail(f"the schema has remote $refs that would need the network: {remote}")
    # Structure only: check_schema() would also compile every pattern, and one pattern of the
    # Office add-in part (definitions/extensionFunction, \p{L}) is not valid in Python's re.
    meta_schema = jsonschema.Draft4Validator(jsonschema.Draft4Validator.META_SCHEMA)
    problems = [error.message for error in meta_schema.iter_errors(schema)]
    if problems:
        pytest.fail(f"the schema is not a valid draft-04 schema: {problems}")
    return jsonschema.Draft4Validator(schema, registry=referencing.Registry())


@pytest.fixture(scope="module")
def manifest_validator() -> jsonschema.Draft4Validator:
    return offline_validator(load_schema("MicrosoftTeams.schema.json"))


@pytest.fixture(scope="module")
def localization_validator() -> jsonschema.Draft4Validator:
    return offline_validator(load_schema("MicrosoftTeams.Localization.schema.json"))


@pytest.fixture(scope="module")
def danish() -> dict[str, str]:
    strings: dict[str, str] = json.loads((LOCALIZATION_DIR / "da.json").read_text("utf-8"))
    return strings


def schema_errors(validator: jsonschema.Draft4Validator, document: Any) -> list[str]:
    """Each error as "path: keyword: message", empty when the document is valid."""
    return [
        f"{'/'.join(map(str, error.absolute_path))}: {error.validator}: {error.message}"
        for error in validator.iter_errors(document)
    ]


def commands(manifest: dict[str, Any]) -> Iterator[tuple[int, int, dict[str, str]]]:
    """(list index, command index, command) for every bot command in the manifest."""
    for list_index, command_list in enumerate(manifest["bots"][0]["commandLists"]):
        for command_index, command in enumerate(command_list["commands"]):
            yield list_index, command_index, command


def command_key(list_index: int, command_index: int, field: str) -> str:
    return f"bots[0].commandLists[{list_index}].commands[{command_index}].{field}"


def decode_png(data: bytes) -> tuple[int, int, list[Pixel]]:
    """Width, height and RGBA pixels of an 8-bit RGB or RGBA, non-interlaced PNG."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG file"
    position, compressed = 8, b""
    width = height = depth = colour_type = interlace = -1
    while position < len(data):
        length, kind = struct.unpack(">I4s", data[position : position + 8])
        body = data[position + 8 : position + 8 + length]
        position += length + 12
        if kind == b"IHDR":
            width, height, depth, colour_type, _, _, interlace = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            compressed += body
    assert depth == 8 and colour_type in (2, 6) and interlace == 0, "unsupported PNG layout"
    channels = 4 if colour_type == 6 else 3
    stride = width * channels
    raw = zlib.decompress(compressed)
    previous = bytearray(stride)
    pixels: list[Pixel] = []
    for y in range(height):
        start = y * (stride + 1)
        kind, row = raw[start], bytearray(raw[start + 1 : start + 1 + stride])
        for i in range(stride):
            left = row[i - channels] if i >= channels else 0
            up = previous[i]
            up_left = previous[i - channels] if i >= channels else 0
            if kind == 1:
                row[i] = (row[i] + left) & 0xFF
            elif kind == 2:
                row[i] = (row[i] + up) & 0xFF
            elif kind == 3:
                row[i] = (row[i] + (left + up) // 2) & 0xFF
            elif kind == 4:
                guess = left + up - up_left
                nearest = min((abs(guess - left), 0, left), (abs(guess - up), 1, up))
                nearest = min(nearest, (abs(guess - up_left), 2, up_left))
                row[i] = (row[i] + nearest[2]) & 0xFF
        for x in range(width):
            r, g, b, *alpha = row[x * channels : (x + 1) * channels]
            pixels.append((r, g, b, alpha[0] if alpha else 255))
        previous = row
    return width, height, pixels


# --- the manifest against the official schema ---------------------------------------------


@pytest.mark.parametrize(
    "options",
    [
        {},
        {"bot_id": OTHER_BOT_ID, "version": "2.10.3"},
        {"valid_domains": ["amkbot.example.com", "*.example.org", "localhost:3978"]},
    ],
    ids=["defaults", "own-bot-id", "valid-domains"],
)
def test_rendered_manifest_passes_the_v1_30_schema(
    manifest_validator: jsonschema.Draft4Validator, options: dict[str, Any]
) -> None:
    manifest = render_manifest(APP_ID, links=LINKS, **options)
    assert schema_errors(manifest_validator, manifest) == []


@pytest.mark.parametrize(
    "where",
    [(), ("bots", 0), ("bots", 0, "commandLists", 0, "commands", 0), ("developer",)],
    ids=["root", "bot", "command", "developer"],
)
def test_schema_rejects_an_unknown_key(
    manifest_validator: jsonschema.Draft4Validator, where: tuple[str | int, ...]
) -> None:
    manifest = render_manifest(APP_ID, links=LINKS)
    target: Any = manifest
    for step in where:
        target = target[step]
    target["notInTheSchema"] = True
    errors = schema_errors(manifest_validator, manifest)
    assert len(errors) == 1
    assert ": additionalProperties: " in errors[0]
    assert "'notInTheSchema'" in errors[0]


def test_manifest_carries_the_ids_version_and_domains() -> None:
    manifest = render_manifest(
        APP_ID,
        links=LINKS,
        version="1.4.0",
        bot_id=OTHER_BOT_ID,
        valid_domains=["amkbot.example.com"],
    )
    assert manifest["id"] == APP_ID
    assert manifest["bots"][0]["botId"] == OTHER_BOT_ID
    # Graph's proactive installation needs the bot's Entra app named in the manifest
    assert manifest["webApplicationInfo"]["id"] == OTHER_BOT_ID
    assert manifest["version"] == "1.4.0"
    assert manifest["validDomains"] == ["amkbot.example.com"]
    assert "{{" not in json.dumps(manifest)


def test_bot_id_defaults_to_the_app_id() -> None:
    manifest = render_manifest(APP_ID, links=LINKS)
    assert manifest["bots"][0]["botId"] == APP_ID
    assert manifest["validDomains"] == []


def test_manifest_declares_the_bot_as_agreed() -> None:
    manifest = render_manifest(APP_ID, links=LINKS)
    bot = manifest["bots"][0]
    assert manifest["manifestVersion"] == "1.30"
    assert manifest["$schema"].endswith("/teams/v1.30/MicrosoftTeams.schema.json")
    assert bot["scopes"] == ["personal", "team"]
    # files in the personal chat: registers sent with a file consent card (bot/files_out.py)
    assert bot["supportsFiles"] is True
    assert bot["isNotificationOnly"] is False
    titles = {
        tuple(command_list["scopes"]): [command["title"] for command in command_list["commands"]]
        for command_list in bot["commandLists"]
    }
    assert titles == {
        ("personal",): [
            "help",
            "menu",
            "lone work",
            "near miss",
            "wellbeing",
            "precursor",
            "action plan",
            "language",
            "cancel",
            "admin",
        ],
        ("team",): ["help", "digest here", "digest stop"],
    }


@pytest.mark.parametrize(
    "bad_id",
    [
        "",
        "not-a-guid",
        "3f2504e04f8941d39a0c0305e82c3301",
        "{3f2504e0-4f89-41d3-9a0c-0305e82c3301}",
        "3f2504e0-4f89-41d3-9a0c-0305e82c3301\n",
        "3f2504e0-4f89-41d3-9a0c-0305e82c330g",
    ],
)
def test_an_id_that_is_not_a_guid_is_refused(bad_id: str, tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="app_id must be a GUID"):
        render_manifest(bad_id, links=LINKS)
    with pytest.raises(ValueError, match="bot_id must be a GUID"):
        render_manifest(APP_ID, links=LINKS, bot_id=bad_id)
    package = tmp_path / "package.zip"
    with pytest.raises(ValueError, match="app_id must be a GUID"):
        build_package(bad_id, links=LINKS, out=package)
    assert not package.exists()


@pytest.mark.parametrize("bad_version", ["1.0", "v1.0.0", "1.0.0-beta", "01.0.0", ""])
def test_a_version_that_is_not_semver_is_refused(bad_version: str) -> None:
    with pytest.raises(ValueError, match=r"MAJOR\.MINOR\.PATCH"):
        render_manifest(APP_ID, links=LINKS, version=bad_version)


@pytest.mark.parametrize(
    "bad_domain", ["https://amkbot.example.com", "amkbot.example.com/path", "", "a b.dk"]
)
def test_a_valid_domain_with_scheme_or_path_is_refused(bad_domain: str) -> None:
    with pytest.raises(ValueError, match="host name without scheme or path"):
        render_manifest(APP_ID, links=LINKS, valid_domains=[bad_domain])


# --- the Danish localization ---------------------------------------------------------------


def test_danish_localization_passes_the_v1_30_schema(
    localization_validator: jsonschema.Draft4Validator, danish: dict[str, str]
) -> None:
    assert schema_errors(localization_validator, danish) == []


def test_localization_schema_rejects_an_unknown_key(
    localization_validator: jsonschema.Draft4Validator, danish: dict[str, str]
) -> None:
    misspelt = {**danish, "bots[0].commandList[0].commands[0].title": "hjælp"}
    errors = schema_errors(localization_validator, misspelt)
    assert len(errors) == 1
    assert ": additionalProperties: " in errors[0]
    assert "'bots[0].commandList[0].commands[0].title'" in errors[0]


def test_danish_name_and_descriptions_fit_teams_limits(danish: dict[str, str]) -> None:
    # The localization schema puts maxLength beside a $ref, which draft-04 ignores.
    limits = {"name.short": 30, "name.full": 100, "description.short": 80, "description.full": 4000}
    for key, limit in limits.items():
        assert 0 < len(danish[key].strip()) <= limit, key


def test_every_command_has_a_danish_title_and_description(danish: dict[str, str]) -> None:
    manifest = render_manifest(APP_ID, links=LINKS)
    expected_keys = set()
    for list_index, command_index, command in commands(manifest):
        for field in command:
            key = command_key(list_index, command_index, field)
            expected_keys.add(key)
            assert danish.get(key, "").strip(), f"no Danish text for {command[field]!r} ({key})"
    stale = {key for key in danish if key.startswith("bots[") and key not in expected_keys}
    assert stale == set(), "Danish strings for commands that the manifest does not have"


def test_command_texts_fit_teams_limits_in_both_languages(danish: dict[str, str]) -> None:
    manifest = render_manifest(APP_ID, links=LINKS)
    titles: dict[tuple[str, int], list[str]] = {}
    for list_index, command_index, command in commands(manifest):
        danish_title = danish[command_key(list_index, command_index, "title")]
        danish_description = danish[command_key(list_index, command_index, "description")]
        for title in (command["title"], danish_title):
            assert 0 < len(title) <= MAX_COMMAND_TITLE, title
        for description in (command["description"], danish_description):
            assert 0 < len(description) <= MAX_COMMAND_DESCRIPTION, description
        titles.setdefault(("en", list_index), []).append(command["title"])
        titles.setdefault(("da", list_index), []).append(danish_title)
    for (language, list_index), names in titles.items():
        assert len(set(names)) == len(names), f"duplicate {language} titles in list {list_index}"


def test_danish_uses_the_agreed_command_words(danish: dict[str, str]) -> None:
    personal = [danish[command_key(0, index, "title")] for index in range(10)]
    assert personal == [
        "hjælp",
        "menu",
        "alenearbejde",
        "nærved",
        "trivsel",
        "prækursor",
        "handlingsplan",
        "sprog",
        "annullér",
        "admin",
    ]


# --- icons and the package -----------------------------------------------------------------


def test_color_icon_is_192_pixels_and_has_colour() -> None:
    width, height, pixels = decode_png((MANIFEST_DIR / "color.png").read_bytes())
    assert (width, height) == (192, 192)
    assert len({pixel[:3] for pixel in pixels}) > 2


def test_outline_icon_is_32_pixels_white_on_transparent() -> None:
    width, height, pixels = decode_png((MANIFEST_DIR / "outline.png").read_bytes())
    assert (width, height) == (32, 32)
    drawn = [pixel for pixel in pixels if pixel[3] > 0]
    assert all(pixel[:3] == (255, 255, 255) for pixel in drawn)
    assert 0 < len(drawn) < len(pixels), "the outline must have both drawn and clear pixels"


def test_committed_icons_match_the_generator() -> None:
    assert (MANIFEST_DIR / "color.png").read_bytes() == render_color_icon()
    assert (MANIFEST_DIR / "outline.png").read_bytes() == render_outline_icon()


def test_package_holds_exactly_the_manifest_icons_and_localization(tmp_path: Path) -> None:
    package = build_package(APP_ID, links=LINKS, out=tmp_path / "amk-bot.zip", version="1.2.3")
    assert package == tmp_path / "amk-bot.zip"
    with zipfile.ZipFile(package) as archive:
        assert archive.testzip() is None
        assert set(archive.namelist()) == EXPECTED_ZIP_NAMES
        files = {name: archive.read(name) for name in archive.namelist()}
    manifest = json.loads(files["manifest.json"].decode("utf-8"))
    assert manifest == render_manifest(APP_ID, links=LINKS, version="1.2.3")
    assert set(manifest["icons"].values()) | {"da.json", "manifest.json"} == EXPECTED_ZIP_NAMES
    assert [
        language["file"] for language in manifest["localizationInfo"]["additionalLanguages"]
    ] == ["da.json"]
    assert json.loads(files["da.json"].decode("utf-8")) == json.loads(
        (LOCALIZATION_DIR / "da.json").read_text("utf-8")
    )
    assert decode_png(files["color.png"])[:2] == (192, 192)
    assert decode_png(files["outline.png"])[:2] == (32, 32)


def test_package_in_a_directory_is_named_after_the_version(tmp_path: Path) -> None:
    package = build_package(APP_ID, links=LINKS, out=tmp_path / "out", version="3.1.4")
    assert package == tmp_path / "out" / "amk-bot-3.1.4.zip"
    assert zipfile.is_zipfile(package)


def test_package_bytes_are_reproducible(tmp_path: Path) -> None:
    first = build_package(APP_ID, links=LINKS, out=tmp_path / "first.zip").read_bytes()
    second = build_package(APP_ID, links=LINKS, out=tmp_path / "second.zip").read_bytes()
    assert first == second
    with zipfile.ZipFile(io.BytesIO(first)) as archive:
        assert all(info.date_time == (1980, 1, 1, 0, 0, 0) for info in archive.infolist())


def test_the_privacy_and_terms_pages_are_the_ones_given() -> None:
    developer = render_manifest(APP_ID, links=LINKS)["developer"]
    assert (developer["websiteUrl"], developer["privacyUrl"], developer["termsOfUseUrl"]) == (
        LINKS.website,
        LINKS.privacy,
        LINKS.terms,
    )


@pytest.mark.parametrize(
    ("privacy", "problem"),
    [
        ("", "https://"),
        ("http://www.uni.dk/privatliv", "https://"),
        ("https://amkbot.example.com/privacy", "example host"),
        ("https://intranet.test/privacy", "example host"),
    ],
)
def test_a_missing_or_placeholder_privacy_page_is_refused(privacy: str, problem: str) -> None:
    links = Links(website=LINKS.website, privacy=privacy, terms=LINKS.terms)
    with pytest.raises(ValueError, match="PRIVACY_URL") as refused:
        render_manifest(APP_ID, links=links)
    assert problem in str(refused.value)
