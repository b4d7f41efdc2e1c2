"""Every card the bot can send is valid Adaptive Card 1.5 for Teams and stays small."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import adaptive_cards
import jsonschema
import pytest

from cards.admin import unit_picker_card, unit_roles_card
from cards.common import Card, help_card, menu_card, notice_card, welcome_card
from domain.i18n import Lang
from domain.org import SEED_UNITS, Role, RoleHolder, UnitRef
from domain.retention import PrivacyNotice
from tests.support.card_nodes import walk

SCHEMA = json.loads(
    (Path(adaptive_cards.__file__).parent / "schemas" / "schema-1.5.json").read_text("utf-8")
)
# The published 1.5 schema defines Table (new in 1.5) but leaves it out of its list of body
# elements; the 1.6 schema lists it, and Teams draws tables in 1.5 cards.
SCHEMA["definitions"]["ImplementationsOf.Element"]["anyOf"].append(
    {"required": ["type"], "allOf": [{"$ref": "#/definitions/Table"}]}
)
VALIDATOR = jsonschema.validators.validator_for(SCHEMA)(SCHEMA)
MAX_CARD_BYTES = 28 * 1024


def _units() -> list[UnitRef]:
    return [UnitRef(id=number, name=name) for number, name in enumerate(SEED_UNITS, start=1)]


def _holders(count: int) -> list[RoleHolder]:
    roles = [Role.LEADER, Role.AMK, Role.PRECURSOR_CONTACT]
    return [
        RoleHolder(
            assignment_id=n,
            person=f"Medarbejder Æøå Nummer {n}",
            upn=f"person{n}@uni.dk",
            role=roles[n % 3],
        )
        for n in range(count)
    ]


def every_card() -> Iterator[tuple[str, Card]]:
    for lang in Lang:
        yield f"welcome-{lang}", welcome_card(lang, "Mette Hansen")
        yield f"welcome-anonymous-{lang}", welcome_card(lang, None)
        yield (
            f"welcome-with-privacy-link-{lang}",
            welcome_card(lang, "Mette", PrivacyNotice(privacy_url="https://www.uni.dk/privatliv")),
        )
        yield f"menu-{lang}", menu_card(lang)
        yield f"help-{lang}", help_card(lang, is_admin=False, active_dialog=None)
        yield f"help-admin-in-dialog-{lang}", help_card(lang, is_admin=True, active_dialog="x")
        yield f"notice-{lang}", notice_card("Overskrift", "Tekst")
        yield f"unit-picker-{lang}", unit_picker_card(lang, _units(), error="Vælg en enhed.")
        unit = UnitRef(id=1, name="Kemi")
        yield f"unit-roles-empty-{lang}", unit_roles_card(lang, unit, [])
        yield (
            f"unit-roles-busy-{lang}",
            unit_roles_card(
                lang,
                unit,
                _holders(40),
                message="ok",
                errors={"upn": "bad", "role": "bad"},
                values={"upn": "x@uni.dk", "name": "X", "role": "amk"},
            ),
        )
        yield f"unit-roles-page-2-{lang}", unit_roles_card(lang, unit, _holders(40), page=1)
        yield (
            f"unit-roles-final-{lang}",
            unit_roles_card(lang, unit, _holders(3), interactive=False),
        )


CARDS = dict(every_card())


@pytest.mark.parametrize("name", sorted(CARDS))
def test_card_is_valid_adaptive_card_1_5(name: str) -> None:
    card = CARDS[name]
    errors = [error.message[:200] for error in VALIDATOR.iter_errors(card)]
    assert errors == []
    assert card["version"] == "1.5"


@pytest.mark.parametrize("name", sorted(CARDS))
def test_card_is_under_28_kb(name: str) -> None:
    assert len(json.dumps(CARDS[name], ensure_ascii=False).encode("utf-8")) < MAX_CARD_BYTES


@pytest.mark.parametrize("name", sorted(CARDS))
def test_universal_actions_have_a_verb_and_a_submit_fallback(name: str) -> None:
    for node in walk(CARDS[name]):
        if node.get("type") == "Action.Execute":
            assert node.get("verb")
            assert node.get("fallback", {}).get("type") == "Action.Submit"
            assert node["fallback"]["data"]["action"] == node["verb"]
        if node.get("type") == "Action.Submit":
            assert isinstance(node.get("data", {}).get("action"), str)


def test_schema_check_really_rejects_a_broken_card() -> None:
    broken = json.loads(json.dumps(CARDS["welcome-da"]))
    broken["body"].append({"type": "Input.ChoiceSet", "id": "x", "style": "filtered"})
    assert list(VALIDATOR.iter_errors(broken))


def test_role_holders_are_paged_so_the_card_stays_small() -> None:
    unit = UnitRef(id=1, name="Kemi")
    holders = _holders(500)
    last = unit_roles_card(Lang.DA, unit, holders, page=49)
    assert len(json.dumps(last, ensure_ascii=False).encode("utf-8")) < MAX_CARD_BYTES / 2
    text = json.dumps(last, ensure_ascii=False)
    assert "Viser 491–500 af 500" in text
    assert "person499@uni.dk" in text and "person489@uni.dk" not in text
    pages = {
        node["title"]: node
        for node in walk(unit_roles_card(Lang.DA, unit, holders, page=1))
        if node.get("data", {}).get("action") == "admin.page"
    }
    assert {title: node["data"]["page"] for title, node in pages.items()} == {
        "Forrige": 0,
        "Næste": 2,
    }
    assert all(node["associatedInputs"] == "none" for node in pages.values())
    first = unit_roles_card(Lang.DA, unit, holders[:10])
    assert "Viser" not in json.dumps(first, ensure_ascii=False)
    assert not [node for node in walk(first) if node.get("data", {}).get("action") == "admin.page"]
