"""Bot Framework models as JSON without msrest's round trip.

msrest's `Serializer.body` first deserialises the whole activity (every card included) and
then serialises it again; for a reply with a card that is the largest single cost of a turn.
`activity_json` writes the same JSON straight from the model's attribute map. Card contents,
channel data and values (`object` in the schema) are our own JSON-ready dicts and pass as
they are; anything this module does not expect falls back to msrest.
"""

from __future__ import annotations

import json
from datetime import datetime
from enum import Enum
from typing import Any

from botbuilder.schema import Activity
from msrest.serialization import Model, Serializer

_MSREST = Serializer({"Activity": Activity})  # type: ignore[no-untyped-call]


def _iso(value: datetime) -> str:
    return str(Serializer.serialize_iso(value))  # type: ignore[no-untyped-call]


class _Unexpected(Exception):
    """A value msrest would convert in a way this module does not copy."""


def _model(model: Model) -> dict[str, Any]:
    out: dict[str, Any] = {}
    validation = model._validation
    for attr, description in model._attribute_map.items():
        value = getattr(model, attr, None)
        if value is None:
            continue
        if validation.get(attr, {}).get("readonly"):
            continue
        key = description["key"]
        if not key or "." in key:
            raise _Unexpected(attr)
        out[key] = _value(value, description["type"])
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
    """`json.dumps(default=…)` for the odd model, enum or date inside a card or channel data."""
    if isinstance(value, Model):
        return _model(value)
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime):
        return _iso(value)
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


def dumps(value: Any) -> str:
    return json.dumps(value, default=json_default)
