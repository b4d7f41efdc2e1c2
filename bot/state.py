"""Bot Framework `Storage` on our database: dialog state survives restarts and scales out."""

from __future__ import annotations

import json
from typing import Any

import jsonpickle
from botbuilder.core import Storage

from storage import dialog_state
from storage.db import Database

_ETAG = "e_tag"
_ALLOWED_MODULE_PREFIXES = ("botbuilder.dialogs.", "botbuilder.schema.", "botbuilder.core.")


class UnsafeStateError(ValueError):
    """Stored state names a class outside the Bot Framework's own state types."""


def _check_classes(node: Any) -> None:
    if isinstance(node, dict):
        for key in ("py/object", "py/type"):
            name = node.get(key)
            if isinstance(name, str) and not name.startswith(_ALLOWED_MODULE_PREFIXES):
                raise UnsafeStateError(name)
        for child in node.values():
            _check_classes(child)
    elif isinstance(node, list):
        for child in node:
            _check_classes(child)


def encode_state(value: Any) -> str:
    flattened = jsonpickle.Pickler(unpicklable=True, keys=True).flatten(value)
    return json.dumps(flattened, ensure_ascii=False, separators=(",", ":"))


def decode_state(text: str) -> Any:
    flattened = json.loads(text)
    _check_classes(flattened)
    return jsonpickle.Unpickler(keys=True).restore(flattened)


class DatabaseStorage(Storage):  # type: ignore[misc]
    """State items as JSON rows with optimistic concurrency (`e_tag`)."""

    def __init__(self, db: Database) -> None:
        super().__init__()
        self.db = db

    async def read(self, keys: list[str]) -> dict[str, Any]:
        found = await dialog_state.read(self.db, keys)
        items: dict[str, Any] = {}
        for key, (etag, data) in found.items():
            item = decode_state(data)
            if isinstance(item, dict):
                item[_ETAG] = etag
            else:
                item.e_tag = etag
            items[key] = item
        return items

    async def write(self, changes: dict[str, Any]) -> None:
        for key, item in changes.items():
            if isinstance(item, dict):
                expected = item.get(_ETAG)
                payload = {name: value for name, value in item.items() if name != _ETAG}
            else:
                expected = getattr(item, _ETAG, None)
                payload = item
            new_etag = await dialog_state.write(self.db, key, encode_state(payload), expected)
            if isinstance(item, dict):
                item[_ETAG] = new_etag
            else:
                item.e_tag = new_etag

    async def delete(self, keys: list[str]) -> None:
        await dialog_state.remove(self.db, keys)
