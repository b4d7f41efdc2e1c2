"""Bot Framework models to and from JSON without msrest's round trips.

msrest's `Serializer.body` first deserialises the whole activity (every card included) and
then serialises it again; for a reply with a card that is the largest single cost of a turn.
`activity_json` writes the same JSON straight from the model's attribute map. Card contents,
channel data and values (`object` in the schema) are our own JSON-ready dicts and pass as
they are; anything this module does not expect falls back to msrest.

`activity_from_json` is the way in: the same models msrest's `Activity.deserialize` builds
(unknown keys kept in `additional_properties`, as msrest keeps them), for the JSON shapes
Teams sends; any other shape is left to msrest, which also gives its errors.
"""

from __future__ import annotations

import re
from datetime import datetime
from enum import Enum
from typing import Any

import orjson
from botbuilder.schema import Activity
from msrest.serialization import Deserializer, Model, Serializer

_MSREST = Serializer({"Activity": Activity})  # type: ignore[no-untyped-call]
_MODELS: dict[str, type[Model]] = {
    name: kind
    # private API: msrest lists a model's classes only through _infer_class_models
    for name, kind in Activity._infer_class_models().items()
    if isinstance(kind, type) and issubclass(kind, Model)
}
_BASIC = {"str": str, "bool": bool, "int": int, "float": float}


def _iso(value: datetime) -> str:
    return str(Serializer.serialize_iso(value))  # type: ignore[no-untyped-call]


class _Unexpected(Exception):
    """A value msrest would convert in a way this module does not copy."""


# Per model class: (attribute, JSON key or None where msrest would nest it, type) of each
# attribute msrest writes (read-only ones it leaves out).
_WRITTEN: dict[type[Model], list[tuple[str, str | None, str]]] = {}


def _written(kind: type[Model]) -> list[tuple[str, str | None, str]]:
    fields = _WRITTEN.get(kind)
    if fields is None:
        fields = _WRITTEN[kind] = [
            (attr, key if key and "." not in key else None, description["type"])
            # private API: msrest describes fields only in _attribute_map and _validation
            for attr, description in kind._attribute_map.items()
            if not kind._validation.get(attr, {}).get("readonly")
            for key in (description["key"],)
        ]
    return fields


def _model(model: Model) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for attr, key, kind in _written(type(model)):
        value = getattr(model, attr, None)
        if value is None:
            continue
        if key is None:
            raise _Unexpected(attr)
        out[key] = _value(value, kind)
    return out


def _value(value: Any, kind: str) -> Any:
    if isinstance(value, Model):
        return _model(value)
    if kind == "object":
        return value
    if isinstance(value, Enum):
        return value.value
    if kind == "iso-8601":
        if not isinstance(value, datetime):
            raise _Unexpected(kind)
        return _iso(value)
    if kind.startswith("[") and isinstance(value, list):
        inner = kind[1:-1]
        return [_value(item, inner) for item in value]
    if kind.startswith("{") and isinstance(value, dict):
        inner = kind[1:-1]
        return {key: _value(item, inner) for key, item in value.items()}
    if kind in ("str", "bool", "int", "float") and isinstance(value, (str, bool, int, float)):
        return value
    raise _Unexpected(kind)


def activity_json(activity: Activity) -> dict[str, Any]:
    """The activity as the Bot Connector expects it (what msrest would send)."""
    try:
        return _model(activity)
    except _Unexpected:
        body: dict[str, Any] = _MSREST.body(activity, "Activity")  # type: ignore[no-untyped-call]
        return body


def json_default(value: Any) -> Any:
    """`dumps(default=…)` for the odd model, enum or date inside a card or channel data."""
    if isinstance(value, Model):
        return _model(value)
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime):
        return _iso(value)
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


_ORJSON_OPTIONS = (
    # Dates the way msrest writes them (`json_default`), keys as `json` writes them.
    orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_PASSTHROUGH_DATACLASS | orjson.OPT_NON_STR_KEYS
)


def dumps(value: Any) -> bytes:
    """UTF-8 JSON for a request or response body, written with orjson: the same values as
    `json.dumps` (no spaces, and letters such as æ as UTF-8, not escapes)."""
    return orjson.dumps(value, default=json_default, option=_ORJSON_OPTIONS)


def loads(body: bytes | str) -> Any:
    """A request body's JSON (orjson: strict UTF-8, no NaN; `ValueError` when not JSON)."""
    return orjson.loads(body)


def _read_plan(kind: type[Model]) -> dict[str, tuple[str, str]] | None:
    """JSON key → (attribute, type) for a model this module reads as msrest does; None for
    one it leaves to msrest (subtypes, read-only or constant fields, nested keys)."""
    # private API: msrest describes subtypes and fields only in _subtype_map and _validation
    if getattr(kind, "_subtype_map", None) or any(
        rule.get("readonly") or rule.get("constant") for rule in kind._validation.values()
    ):
        return None
    plan: dict[str, tuple[str, str]] = {}
    # private API: msrest describes fields only in _attribute_map
    for attr, description in kind._attribute_map.items():
        key = description["key"]
        if not key or "." in key:
            return None
        plan[key] = (attr, description["type"])
    return plan


_READ_PLANS = {name: _read_plan(kind) for name, kind in _MODELS.items()}


def _model_from(name: str, data: Any) -> Model:
    plan = _READ_PLANS[name]
    if plan is None or not isinstance(data, dict):
        raise _Unexpected(name)
    values: dict[str, Any] = {}
    unknown: dict[str, Any] = {}
    for key, value in data.items():
        field = plan.get(key)
        if field is None:
            unknown[key] = value
        elif value is not None:
            values[field[0]] = _from(value, field[1])
    model = _MODELS[name](**values)
    if unknown:
        model.additional_properties = unknown
    return model


def _from(value: Any, kind: str) -> Any:
    basic = _BASIC.get(kind)
    if basic is not None:
        if type(value) is not basic:  # msrest would convert it (e.g. a number to text)
            raise _Unexpected(kind)
        return value
    if kind == "object":  # parsed JSON: msrest's copy of it would hold the same values
        return value
    if kind == "iso-8601":
        return _parse_iso(value)
    if kind.startswith("[") and isinstance(value, list):
        inner = kind[1:-1]
        return [None if item is None else _from(item, inner) for item in value]
    if kind.startswith("{") and isinstance(value, dict):
        inner = kind[1:-1]
        return {key: None if item is None else _from(item, inner) for key, item in value.items()}
    if kind in _MODELS:
        return _model_from(kind, value)
    raise _Unexpected(kind)


# The timestamps Teams sends ("2026-11-28T10:00:00.1234567Z", "…+01:00"): for these,
# `datetime.fromisoformat` gives the moment msrest gives, far more cheaply.
_TEAMS_ISO = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,7})?(Z|[+-]\d\d:\d\d)?")


def _parse_iso(value: Any) -> datetime:
    if isinstance(value, str) and _TEAMS_ISO.fullmatch(value):
        return datetime.fromisoformat(value)
    parsed: datetime = Deserializer.deserialize_iso(value)  # type: ignore[no-untyped-call]
    return parsed


def activity_from_json(data: dict[str, Any]) -> Activity:
    """The activity in a request body, as `Activity().deserialize(data)` would build it."""
    try:
        activity = _model_from("Activity", data)
    except _Unexpected:
        activity = Activity().deserialize(data)
    if not isinstance(activity, Activity):
        raise TypeError("not an activity")
    return activity
