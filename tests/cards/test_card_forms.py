"""Forms built from field specs: every input id is a field of the model the submitted card is
validated with, a field the model requires is required on the card, and each field's error
is shown right under its own input."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import BaseModel

from cards import (
    admin,
    erasure,
    lone_work,
    near_miss,
    near_miss_form,
    precursor_forms,
    screening,
    screening_records,
    training,
    wellbeing_forms,
    wellbeing_items,
    work_accident,
)
from cards.forms import Field, FormItem, Kind, Note, Row, fields_of, render_fields
from domain.i18n import Lang
from domain.lone_work import LoneWorkForm
from domain.my_data import EraseForm
from domain.near_miss_forms import ActionForm, AssignForm, NearMissForm
from domain.org import RoleAssignmentForm
from domain.precursor_forms import EntryForm, HoldingForm
from domain.precursor_ledger import FORM_KINDS
from domain.screening import AnswerForm, RecordForm
from domain.training import TrainingForm
from domain.wellbeing import AmdForm, DialogueForm
from domain.wellbeing_items import ItemDraft
from domain.work_accident_forms import FiledForm, NotRequiredForm, WorkAccidentForm
from tests.support.card_nodes import walk

NONE: frozenset[str] = frozenset()
# Checked after the submit by a rule across fields (the purchase needs a supplier, …).
BY_KIND = frozenset({"counterparty", "declaration_ref", "purpose"})


def _entry_forms() -> list[tuple[str, tuple[FormItem, ...], type[BaseModel], Any, Any]]:
    found = []
    for kind in FORM_KINDS:
        for needed in (False, True):
            head, tail = precursor_forms.entry_fields(kind, needs_declaration=needed)
            # The kind is the card's data, not an input.
            found.append((f"entry {kind} {needed}", (*head, *tail), EntryForm, {"kind"}, BY_KIND))
    return found


# Each form's fields, the model its submit is validated with, the model's required fields
# the card does not require, and the fields the card requires that the model checks only
# together with others.
FORMS: list[tuple[str, tuple[FormItem, ...], type[BaseModel], Any, Any]] = [
    ("lone work request", lone_work.FORM, LoneWorkForm, NONE, {"emergency_name"}),
    ("near-miss report", near_miss_form.FORM, NearMissForm, NONE, NONE),
    ("near-miss investigator", near_miss.ASSIGN_FORM, AssignForm, NONE, NONE),
    ("near-miss action", near_miss.ACTION_FORM, ActionForm, NONE, NONE),
    ("well-being dialogue", wellbeing_forms.DIALOGUE_FORM, DialogueForm, NONE, NONE),
    ("annual discussion", wellbeing_forms.AMD_FORM, AmdForm, NONE, NONE),
    # The substance is always chosen; the location is checked after the submit, as the
    # same card also searches again, which must not need it.
    (
        "precursor holding",
        precursor_forms.HOLDING_FORM,
        HoldingForm,
        {"substance_id", "storage_location"},
        NONE,
    ),
    ("admin role", admin.ROLE_FORM, RoleAssignmentForm, NONE, NONE),
    ("admin role picked", admin.PICKER_ROLE_FORM, RoleAssignmentForm, NONE, NONE),
    ("admin erase a person", erasure.FORM, EraseForm, NONE, NONE),
    ("work accident", work_accident.FORM, WorkAccidentForm, NONE, NONE),
    ("work accident filed", work_accident.FILED_FORM, FiledForm, NONE, NONE),
    ("work accident no report", work_accident.NOT_REQUIRED_FORM, NotRequiredForm, NONE, NONE),
    ("training record", training.RECORD_FIELDS, TrainingForm, NONE, NONE),
    ("sister screening answer", screening.ANSWER_FIELDS, AnswerForm, NONE, NONE),
    ("screening record", screening_records.RECORD_FIELDS, RecordForm, NONE, NONE),
    *_entry_forms(),
]


@pytest.mark.parametrize(
    ("name", "items", "model", "optional", "across"), FORMS, ids=[form[0] for form in FORMS]
)
def test_every_field_is_a_field_of_its_model(
    name: str,
    items: tuple[FormItem, ...],
    model: type[BaseModel],
    optional: frozenset[str],
    across: frozenset[str],
) -> None:
    fields = list(fields_of(items))
    ids = [field.id for field in fields]
    assert len(ids) == len(set(ids)), name
    assert set(ids) <= set(model.model_fields), name
    required = {key for key, info in model.model_fields.items() if info.is_required()}
    asked = {field.id for field in fields if field.required}
    assert required - set(optional) <= asked, name
    assert asked <= required | set(across), name


# The item card's inputs are read by `parse_item`, which names two of them differently.
ITEM_NAMES = {"owner": "owner_upn", "follow_up": "follow_up_on"}


@pytest.mark.parametrize("row", [None, 1, 2])
def test_every_item_field_is_a_field_of_an_item(row: int | None) -> None:
    suffix = "" if row is None else f"_{row}"
    ids = [field.id for field in fields_of(wellbeing_items.item_form(row))]
    assert all(name.endswith(suffix) for name in ids)
    names = {ITEM_NAMES.get(name, name) for name in (i.removesuffix(suffix) for i in ids)}
    assert names == set(ItemDraft.model_fields)


FIELDS: tuple[FormItem, ...] = (
    Field("name", "lone_work.field.emergency_name", required=True, max_length=20),
    Row(
        (
            Field("day", "lone_work.field.start_date", Kind.DATE),
            Field("at", "lone_work.field.start_time", Kind.TIME),
        )
    ),
    Note("lone_work.field.single_hint"),
    Field("ok", "lone_work.field.trained", Kind.TOGGLE),
    Field("many", "lone_work.field.hazards", Kind.CHOICES, options=(("x", "lone_work.yes"),)),
    Field("count", "lone_work.field.checkin_interval", Kind.NUMBER, low=5),
)


def test_each_error_is_shown_under_its_own_field_even_side_by_side() -> None:
    errors = {"at": "Tid mangler", "name": "Navn mangler", "count": "Tal", "other": "Ukendt"}
    body = [
        element.model_dump(by_alias=True, exclude_none=True)
        for element in render_fields(Lang.DA, FIELDS, {}, errors)
    ]
    kinds = [element.get("id") or element["type"] for element in body]
    assert kinds == [
        "name",
        "TextBlock",
        "ColumnSet",
        "TextBlock",
        "ok",
        "many",
        "count",
        "TextBlock",
    ]
    day, at = (
        [item.get("id") or item["text"] for item in column["items"]]
        for column in body[2]["columns"]
    )
    assert (day, at) == (["day"], ["at", "Tid mangler"])
    assert [body[index]["text"] for index in (1, 7)] == ["Navn mangler", "Tal"]
    assert all(body[index]["color"] == "Attention" for index in (1, 7))
    assert body[2]["columns"][1]["items"][1]["color"] == "Attention"
    assert "Ukendt" not in str(body)


def test_what_was_typed_is_put_back() -> None:
    values = {"name": "Ane", "day": "2026-12-01", "ok": "TRUE", "many": ["x", "y"], "count": "7,5"}
    body = [
        element.model_dump(by_alias=True, exclude_none=True)
        for element in render_fields(Lang.DA, FIELDS, values, {})
    ]
    inputs = {node["id"]: node for node in walk(body) if "id" in node}
    assert inputs["name"]["value"] == "Ane" and inputs["name"]["maxLength"] == 20
    assert inputs["name"]["isRequired"] is True
    assert inputs["day"]["value"] == "2026-12-01" and "value" not in inputs["at"]
    assert inputs["ok"]["value"] == "true" and inputs["many"]["value"] == "x,y"
    assert inputs["many"]["isMultiSelect"] is True and inputs["count"]["value"] == 7.5
    empty = [e.model_dump(by_alias=True) for e in render_fields(Lang.DA, FIELDS, {}, {})]
    assert {node["id"]: node for node in walk(empty) if node.get("id")}["ok"]["value"] == "false"
