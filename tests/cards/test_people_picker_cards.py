"""Where a card asks for a person, Teams gets its people picker (an `Input.ChoiceSet` over the
organisation's users, which submits the person's Entra object id) and local mode (the
Playground, `make run`) an e-mail field.

`choices.data` is Teams' own extension of `Input.ChoiceSet`: the Adaptive Card JSON schemas
(1.5 and 1.6) do not list it, so a picker card is checked against the 1.5 schema without it.
Microsoft's JavaScript renderer does not implement the picker either (it reports the choice
set as empty), so the rendering check renders these cards as local mode sends them, with the
e-mail field (`CARDS` below); `test_card_rendering` shows the renderer's gap."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest

from cards.admin import unit_roles_card
from cards.common import Card
from cards.erasure import erase_form_card
from cards.near_miss import report_card
from cards.screening_records import record_card
from cards.wellbeing_items import item_edit_card, items_card
from domain.i18n import Lang
from domain.near_miss import Status
from domain.org import UnitRef
from tests.cards.test_cards import VALIDATOR
from tests.cards.test_near_miss_cards import AMK, _report
from tests.cards.test_wellbeing_cards import item
from tests.support.card_nodes import walk

PICKED = "5f0b1c2d-3e4f-4a5b-8c6d-7e8f9a0b1c2d"
TODAY = date(2026, 11, 27)
PEOPLE = {"type": "Data.Query", "dataset": "graph.microsoft.com/users"}


def _near_miss(picker: bool, lang: Lang = Lang.DA) -> Card:
    return report_card(lang, _report(Status.ACKNOWLEDGED), AMK, picker=picker)


def _admin(picker: bool, lang: Lang = Lang.DA, **values: Any) -> Card:
    return unit_roles_card(lang, UnitRef(id=1, name="Kemi"), [], picker=picker, **values)


def _items(picker: bool, lang: Lang = Lang.DA) -> Card:
    return items_card(
        lang, unit="Kemi", unit_id=1, dialogue_id=None, rows=2, batch="b", picker=picker
    )


def _edit(picker: bool, lang: Lang = Lang.DA) -> Card:
    owner = PICKED if picker else "lise@uni.dk"
    return item_edit_card(lang, item(), owner_upn=owner, today=TODAY, picker=picker)


def _erase(picker: bool, lang: Lang = Lang.DA) -> Card:
    return erase_form_card(lang, picker=picker)


def _screening(picker: bool, lang: Lang = Lang.DA) -> Card:
    return record_card(lang, UnitRef(id=1, name="Kemi"), [], batch="b", picker=picker)


BUILDERS = {
    "near-miss": _near_miss,
    "admin": _admin,
    "items": _items,
    "item-edit": _edit,
    "erase": _erase,
    "screening": _screening,
}
PERSON_INPUTS = {
    "near-miss": {"investigator", "action_owner"},
    "admin": {"upn"},
    "erase": {"person"},
    "items": {"owner_1", "owner_2"},
    "item-edit": {"owner"},
    "screening": {"owner_1", "owner_2", "owner_3"},
}

# What the rendering check renders: the cards as local mode sends them (with e-mail fields).
CARDS: dict[str, Card] = {
    f"{name}-email-{lang}": build(False, lang) for name, build in BUILDERS.items() for lang in Lang
}


def _without_teams_extension(card: Card) -> Card:
    plain: Card = json.loads(json.dumps(card))
    for node in walk(plain):
        if node.pop("choices.data", None) is not None:
            node["choices"] = [{"title": "x", "value": "x"}]
    return plain


def _inputs(card: Card, ids: set[str]) -> dict[str, dict[str, Any]]:
    return {node["id"]: node for node in walk(card) if node.get("id") in ids}


@pytest.mark.parametrize("name", sorted(BUILDERS))
def test_teams_gets_the_people_picker_over_the_organisation(name: str) -> None:
    card = BUILDERS[name](True)
    inputs = _inputs(card, PERSON_INPUTS[name])
    assert set(inputs) == PERSON_INPUTS[name]
    for node in inputs.values():
        assert node["type"] == "Input.ChoiceSet"
        assert node["choices.data"] == PEOPLE and node["choices"] == []
        assert not node.get("isMultiSelect")  # one person: Teams submits one object id
        assert "e-mail" not in node["label"]
        assert node["placeholder"] == "Søg efter navn"
    assert list(VALIDATOR.iter_errors(_without_teams_extension(card))) == []


@pytest.mark.parametrize("name", sorted(BUILDERS))
def test_local_mode_gets_an_email_field(name: str) -> None:
    inputs = _inputs(BUILDERS[name](False), PERSON_INPUTS[name])
    assert set(inputs) == PERSON_INPUTS[name]
    for node in inputs.values():
        assert node["type"] == "Input.Text" and node["style"] == "Email"
        assert "e-mail" in node["label"]
    assert not [node for node in walk(BUILDERS[name](False)) if "choices.data" in node]


def test_a_required_picker_says_what_is_missing() -> None:
    inputs = _inputs(_near_miss(True, Lang.EN), {"investigator"})
    assert inputs["investigator"]["isRequired"] is True
    assert inputs["investigator"]["errorMessage"] == "Pick a person."


def test_the_item_editor_shows_the_owner_picked_before() -> None:
    assert _inputs(_edit(True), {"owner"})["owner"]["value"] == PICKED
    assert _inputs(_edit(False), {"owner"})["owner"]["value"] == "lise@uni.dk"


def test_the_admin_picker_asks_no_name_and_keeps_the_choice_under_an_error() -> None:
    typed = _admin(False)
    assert "name" in {node.get("id") for node in walk(typed)}
    picked = _admin(True, values={"upn": PICKED, "role": "boss"}, errors={"role": "Vælg en rolle."})
    assert "name" not in {node.get("id") for node in walk(picked)}
    assert _inputs(picked, {"upn"})["upn"]["value"] == PICKED
