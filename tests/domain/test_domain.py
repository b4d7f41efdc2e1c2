"""Domain rules without I/O: language choice, command words, the catalogue, audit hashes, org."""

from __future__ import annotations

import string
import unicodedata
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest
from pydantic import ValidationError

from domain.audit import GENESIS_HASH, event_hash
from domain.commands import Command, Flow, parse_command, parse_flow
from domain.i18n import (
    Lang,
    catalogue_keys,
    format_datetime,
    lang_from_locale,
    placeholders,
    t,
)
from domain.org import OrgFile, Role, RoleAssignmentForm

GUID = "3F2504E0-4F89-41D3-9A0C-0305E82C3301"


# -- language ----------------------------------------------------------------------------------


@pytest.mark.parametrize("locale", ["da-DK", "da", "DA_dk", " da-dk "])
def test_danish_locales_mean_danish(locale: str) -> None:
    """Teams users with a Danish client are answered in Danish."""
    assert lang_from_locale(locale) is Lang.DA


@pytest.mark.parametrize("locale", ["en-US", "de-DE", "sv-SE", "dan", None, ""])
def test_other_or_missing_locales_mean_english(locale: str | None) -> None:
    """Everybody else, and activities without a locale, get English."""
    assert lang_from_locale(locale) is Lang.EN


# -- command and flow words --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("hjælp", Command.HELP),
        ("help", Command.HELP),
        ("?", Command.HELP),
        ("HJÆLP", Command.HELP),
        ("  Hjælp!  ", Command.HELP),
        ("hjælp?", Command.HELP),
        ("Help.", Command.HELP),
        ("<at>AMK-bot</at> hjælp", Command.HELP),
        ("<AT>AMK-bot</AT>\n help \n", Command.HELP),
        ("menu", Command.MENU),
        ("Menuen", Command.MENU),
        ("annullér", Command.CANCEL),
        ("Annuller", Command.CANCEL),
        ("ANNULLÉR", Command.CANCEL),
        ("cancel", Command.CANCEL),
        ("sprog", Command.LANGUAGE),
        ("Language", Command.LANGUAGE),
        ("admin", Command.ADMIN),
    ],
)
def test_parse_command_understands_danish_and_english(text: str, expected: Command) -> None:
    """Command words work in both languages, whatever the case, spacing or mention."""
    assert parse_command(text) is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("alenearbejde", Flow.LONE_WORK),
        ("Lone work", Flow.LONE_WORK),
        ("lone   WORK", Flow.LONE_WORK),
        ("lone\u00a0work", Flow.LONE_WORK),
        ("lone-work", Flow.LONE_WORK),
        ("nærved", Flow.NEAR_MISS),
        ("Nærved-hændelse", Flow.NEAR_MISS),
        ("near miss!", Flow.NEAR_MISS),
        ("trivsel", Flow.WELLBEING),
        ("Well-being", Flow.WELLBEING),
        ("prækursor", Flow.PRECURSORS),
        ("Drug precursors", Flow.PRECURSORS),
        ("Arbejdsulykke", Flow.WORK_ACCIDENT),
        ("work accident", Flow.WORK_ACCIDENT),
        ("<at>AMK-bot</at> trivsel", Flow.WELLBEING),
    ],
)
def test_parse_flow_understands_danish_and_english(text: str, expected: Flow) -> None:
    """Each service starts from its Danish or English name."""
    assert parse_flow(text) is expected


def test_decomposed_accents_match_the_composed_word() -> None:
    """A client sending NFD text (e + combining accent) still reaches the command.

    æ and ø have no canonical decomposition, so "nærved" is the same in NFC and NFD;
    é in "annullér" does decompose and is the case that needs normalising.
    """
    decomposed = unicodedata.normalize("NFD", "annullér")
    assert decomposed != "annullér"
    assert parse_command(decomposed) is Command.CANCEL
    assert parse_flow(unicodedata.normalize("NFD", "Nærved-hændelse")) is Flow.NEAR_MISS


@pytest.mark.parametrize(
    "text",
    [
        None,
        "",
        "   ",
        "<at>AMK-bot</at>",
        "👋",
        "hjælp 👋",
        "help me please",
        "hjælp mig med alenearbejde",
        "'; DROP TABLE person; --",
        "menu' OR '1'='1",
        "??",
        "!",
    ],
)
def test_other_text_is_neither_command_nor_flow(text: str | None) -> None:
    """Only a whole message naming a word counts; anything else is left to the dialog."""
    assert parse_command(text) is None
    assert parse_flow(text) is None


def test_every_flow_and_command_has_a_word() -> None:
    """No service or command is unreachable by typing."""
    words = {
        Command.HELP: "help",
        Command.MENU: "menu",
        Command.CANCEL: "cancel",
        Command.LANGUAGE: "language",
        Command.ADMIN: "admin",
    }
    assert {parse_command(word) for word in words.values()} == set(Command)
    flows = ["alenearbejde", "nærved", "trivsel", "prækursor", "arbejdsulykke"]
    assert {parse_flow(word) for word in flows} == set(Flow)


# -- message catalogue -------------------------------------------------------------------------


def _filled(key: str) -> dict[str, str]:
    danish, _ = placeholders(key)
    return {name: f"<{name.upper()}>" for name in danish}


@pytest.mark.parametrize("key", catalogue_keys())
def test_catalogue_entry_is_complete(key: str) -> None:
    """Both languages have text and ask for the same placeholders."""
    danish, english = placeholders(key)
    assert danish == english, f"{key}: Danish {danish} vs English {english}"
    for lang in Lang:
        text = t(lang, key, **_filled(key))
        assert text.strip(), f"{key} is empty in {lang}"


@pytest.mark.parametrize("key", [key for key in catalogue_keys() if placeholders(key)[0]])
def test_t_fills_every_placeholder(key: str) -> None:
    """No `{name}` is left for the user to read."""
    values = _filled(key)
    for lang in Lang:
        text = t(lang, key, **values)
        for value in values.values():
            assert value in text
        leftover = [name for _, name, _, _ in string.Formatter().parse(text) if name]
        assert leftover == []


def test_t_picks_the_language() -> None:
    """The same key reads differently in Danish and English."""
    assert t(Lang.DA, "admin.assigned", person="Ann", role="leder", unit="Kemi") == (
        "Ann er nu leder i Kemi."
    )
    assert t(Lang.EN, "admin.assigned", person="Ann", role="leader", unit="Kemi") == (
        "Ann is now leader in Kemi."
    )


def test_catalogue_has_a_name_for_every_flow_and_role() -> None:
    """Menus and role lists never show a raw key."""
    keys = set(catalogue_keys())
    assert {flow.menu_key for flow in Flow} <= keys
    assert {f"role.{role.value}" for role in Role} <= keys


def test_format_datetime_shows_copenhagen_time() -> None:
    """A UTC moment is shown in Danish local time, summer and winter."""
    summer = datetime(2026, 6, 15, 10, 5, tzinfo=UTC)
    winter = datetime(2026, 1, 15, 10, 5, tzinfo=UTC)
    assert format_datetime(Lang.DA, summer) == "15.06.2026 kl. 12.05"
    assert format_datetime(Lang.DA, winter) == "15.01.2026 kl. 11.05"
    assert format_datetime(Lang.EN, summer) == "15 Jun 2026, 12:05"


# -- audit hash --------------------------------------------------------------------------------

AT = datetime(2026, 11, 27, 9, 30, 15, 123456, tzinfo=UTC)
EVENT: dict[str, Any] = {
    "prev_hash": GENESIS_HASH,
    "sequence": 7,
    "occurred_at": AT,
    "actor": "ann@uni.dk",
    "action": "role.assign",
    "entity_type": "role_assignment",
    "entity_id": "12",
    "before": None,
    "after": {"person_id": 3, "unit_id": 5, "role": "leader"},
}


def test_event_hash_is_deterministic() -> None:
    """The same event always gives the same hash (a SHA-256 hex digest)."""
    first = event_hash(**EVENT)
    assert first == event_hash(**dict(EVENT))
    assert len(first) == 64
    assert set(first) <= set(string.hexdigits.lower())


@pytest.mark.parametrize(
    ("field", "other"),
    [
        ("prev_hash", "1" * 64),
        ("sequence", 8),
        ("occurred_at", AT + timedelta(microseconds=1)),
        ("actor", "mallory@uni.dk"),
        ("actor", None),
        ("action", "role.remove"),
        ("entity_type", "unit"),
        ("entity_id", "13"),
        ("entity_id", None),
        ("before", {"person_id": 3, "unit_id": 5, "role": "leader"}),
        ("after", {"person_id": 3, "unit_id": 5, "role": "amk"}),
        ("after", None),
    ],
)
def test_event_hash_changes_with_every_field(field: str, other: Any) -> None:
    """Tampering with any field of an event breaks its hash."""
    assert event_hash(**{**EVENT, field: other}) != event_hash(**EVENT)


def test_event_hash_ignores_how_the_time_zone_is_written() -> None:
    """Aware UTC, aware Copenhagen and naive UTC of the same moment hash alike (as read back
    from SQLite or PostgreSQL)."""
    naive = AT.replace(tzinfo=None)
    copenhagen = AT.astimezone(timezone(timedelta(hours=1)))
    expected = event_hash(**EVENT)
    assert event_hash(**{**EVENT, "occurred_at": naive}) == expected
    assert event_hash(**{**EVENT, "occurred_at": copenhagen}) == expected


def test_event_hash_does_not_depend_on_key_order() -> None:
    """JSON read back from a database may come in another key order."""
    reordered = {"role": "leader", "unit_id": 5, "person_id": 3}
    assert event_hash(**{**EVENT, "after": reordered}) == event_hash(**EVENT)


# -- organisation file -------------------------------------------------------------------------


def test_org_file_accepts_units_people_and_secretariat() -> None:
    """A typical file validates; UPNs and object ids are normalised to lower case."""
    org = OrgFile.model_validate(
        {
            "units": [
                {
                    "name": "Kemi",
                    "leader": [{"upn": "  Ann.Leader@Uni.DK ", "name": "Ann"}],
                    "amk": [{"aad_object_id": GUID}],
                }
            ],
            "secretariat": [{"upn": "SEC@uni.dk"}],
        }
    )
    assert org.units[0].leader[0].upn == "ann.leader@uni.dk"
    assert org.units[0].amk[0].aad_object_id == GUID.lower()
    assert org.secretariat[0].upn == "sec@uni.dk"
    assert org.units[0].people_by_role()[Role.LEADER][0].name == "Ann"


def test_org_file_rejects_duplicate_unit_names_case_insensitively() -> None:
    with pytest.raises(ValidationError, match="unit listed twice"):
        OrgFile.model_validate({"units": [{"name": "Kemi"}, {"name": "KEMI"}]})


@pytest.mark.parametrize(
    ("person", "message"),
    [
        ({"name": "Nobody"}, "needs aad_object_id or upn"),
        ({"aad_object_id": "not-a-guid"}, "GUID"),
        ({"aad_object_id": GUID[:-1]}, "GUID"),
        ({"upn": "ann-at-uni.dk"}, "e-mail"),
        ({"upn": "ann@uni.dk", "email": "ann@uni.dk"}, "Extra inputs"),
    ],
)
def test_org_file_rejects_bad_people(person: dict[str, str], message: str) -> None:
    """Every person must be identifiable, with a real GUID or e-mail, and no unknown keys."""
    with pytest.raises(ValidationError, match=message):
        OrgFile.model_validate({"units": [{"name": "Kemi", "leader": [person]}]})


def test_org_file_rejects_unknown_keys_and_roles() -> None:
    """A typo in a role or a key is an error, not silently ignored."""
    with pytest.raises(ValidationError, match="Extra inputs"):
        OrgFile.model_validate({"units": [{"name": "Kemi", "leaders": []}]})
    with pytest.raises(ValidationError, match="Extra inputs"):
        OrgFile.model_validate({"unit": []})
    with pytest.raises(ValidationError):
        OrgFile.model_validate({"units": [{"name": ""}]})


# -- admin card form ---------------------------------------------------------------------------


def test_role_assignment_form_normalises_input() -> None:
    """Spaces and capitals in the e-mail are forgiven; a blank name means no name."""
    form = RoleAssignmentForm.model_validate(
        {"upn": "  Bo.Hansen@Uni.DK ", "name": "   ", "role": "amk", "action": "admin.assign"}
    )
    assert form.upn == "bo.hansen@uni.dk"
    assert form.name is None
    assert form.role is Role.AMK


def test_role_assignment_form_keeps_a_given_name() -> None:
    form = RoleAssignmentForm.model_validate(
        {"upn": "bo@uni.dk", "name": " Bo Hansen ", "role": "leader"}
    )
    assert form.name == "Bo Hansen"


@pytest.mark.parametrize("upn", ["bo", "bo@", "bo@uni", "bo hansen@uni.dk", "", "@uni.dk"])
def test_role_assignment_form_rejects_bad_email(upn: str) -> None:
    with pytest.raises(ValidationError) as error:
        RoleAssignmentForm.model_validate({"upn": upn, "role": "leader"})
    assert {item["loc"] for item in error.value.errors()} == {("upn",)}


@pytest.mark.parametrize("role", ["boss", "", "LEADER", None])
def test_role_assignment_form_rejects_unknown_role(role: str | None) -> None:
    with pytest.raises(ValidationError) as error:
        RoleAssignmentForm.model_validate({"upn": "bo@uni.dk", "role": role})
    assert {item["loc"] for item in error.value.errors()} == {("role",)}
