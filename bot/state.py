"""Bot Framework `Storage` on our database: dialog state survives restarts and scales out.

State is written as plain JSON with a small, explicit codec: the Bot Framework's dialog
types, dates and JSON values. Nothing in a stored row can name a class or run code.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any

import orjson
from botbuilder.core import ConversationState, Storage, TurnContext
from botbuilder.core.bot_state import CachedBotState
from botbuilder.dialogs import DialogInstance, DialogState

from storage import dialog_state
from storage.db import Database

_ETAG = "e_tag"
_TAG = "$amk"
# The integers JSON holds as numbers here (orjson's range); others are stored as text.
_INT_MIN = -(2**63)
_INT_MAX = 2**64 - 1


class UnsafeStateError(ValueError):
    """A stored row is not in our format (e.g. it names a Python class)."""


def _encode(value: Any) -> Any:
    if value is None or isinstance(value, bool | float | str):
        return value
    if isinstance(value, int):
        return value if _INT_MIN <= value <= _INT_MAX else {_TAG: "int", "text": str(value)}
    if isinstance(value, DialogState):
        return {_TAG: "DialogState", "stack": [_encode(item) for item in value.dialog_stack]}
    if isinstance(value, DialogInstance):
        return {_TAG: "DialogInstance", "id": value.id, "state": _encode(value.state)}
    if isinstance(value, datetime):
        return {_TAG: "datetime", "iso": value.isoformat()}
    if isinstance(value, date):
        return {_TAG: "date", "iso": value.isoformat()}
    if isinstance(value, list | tuple):
        return [_encode(item) for item in value]
    if isinstance(value, dict):
        if all(isinstance(key, str) for key in value) and _TAG not in value:
            return {key: _encode(item) for key, item in value.items()}
        return {_TAG: "dict", "items": [[_encode(k), _encode(v)] for k, v in value.items()]}
    raise TypeError(f"dialog state cannot hold a {type(value).__name__}")


def _decode(value: Any) -> Any:
    if isinstance(value, list):
        return [_decode(item) for item in value]
    if not isinstance(value, dict):
        return value
    if any(isinstance(key, str) and key.startswith("py/") for key in value):
        raise UnsafeStateError("stored state names Python objects")
    tag = value.get(_TAG)
    if tag is None:
        return {key: _decode(item) for key, item in value.items()}
    if tag == "DialogState":
        return DialogState([_decode(item) for item in value["stack"]])
    if tag == "DialogInstance":
        instance = DialogInstance()
        instance.id = value["id"]
        instance.state = _decode(value["state"])
        return instance
    if tag == "datetime":
        return datetime.fromisoformat(value["iso"])
    if tag == "date":
        return date.fromisoformat(value["iso"])
    if tag == "int":
        return int(value["text"])
    if tag == "dict":
        return {_key(_decode(key)): _decode(item) for key, item in value["items"]}
    raise UnsafeStateError(f"unknown stored type {tag!r}")


def _key(value: Any) -> Any:
    return tuple(value) if isinstance(value, list) else value


def encode_state(value: Any) -> str:
    return orjson.dumps(_encode(value)).decode()


def decode_state(text: str) -> Any:
    try:
        parsed = orjson.loads(text)
    except orjson.JSONDecodeError:
        parsed = json.loads(text)  # rows written before orjson may hold NaN or Infinity
    return _decode(parsed)


class DatabaseStorage(Storage):  # type: ignore[misc]
    """State items as JSON rows with optimistic concurrency (`e_tag`)."""

    def __init__(self, db: Database) -> None:
        super().__init__()
        self.db = db

    async def read(self, keys: list[str]) -> dict[str, Any]:
        return self.items(await dialog_state.read(self.db, keys))

    @staticmethod
    def items(found: dict[str, tuple[str, str]]) -> dict[str, Any]:
        """Stored rows (`{key: (etag, data)}`) as the state items botbuilder expects."""
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
            await self.write_encoded(key, item, encode_state(_without_etag(item)))

    async def write_encoded(self, key: str, item: Any, text: str) -> None:
        """Store `item` as `text` (its encoding without the etag) and give it the new etag."""
        expected = item.get(_ETAG) if isinstance(item, dict) else getattr(item, _ETAG, None)
        new_etag = await dialog_state.write(self.db, key, text, expected)
        if isinstance(item, dict):
            item[_ETAG] = new_etag
        else:
            item.e_tag = new_etag

    async def delete(self, keys: list[str]) -> None:
        await dialog_state.remove(self.db, keys)


def _without_etag(item: Any) -> Any:
    if isinstance(item, dict):
        return {name: value for name, value in item.items() if name != _ETAG}
    return item


class _JsonCachedState(CachedBotState):  # type: ignore[misc]
    """Detects changes by our JSON encoding (without the etag), which is also what is stored."""

    def compute_hash(self, obj: object) -> str:
        try:
            return encode_state(_without_etag(obj))
        except TypeError:
            return str(super().compute_hash(obj))


class DatabaseConversationState(ConversationState):  # type: ignore[misc]
    """`ConversationState` whose change detection costs one JSON encoding, not a jsonpickle walk."""

    async def load(self, turn_context: TurnContext, force: bool = False) -> None:
        cached = self.get_cached_state(turn_context)
        if force or not cached or not cached.state:
            key = self.get_storage_key(turn_context)
            # private API: BotState keeps its storage and turn-state key only in these two
            items = await self._storage.read([key])
            turn_context.turn_state[self._context_service_key] = _JsonCachedState(items.get(key))

    async def save_changes(self, turn_context: TurnContext, force: bool = False) -> None:
        """Encode the state once: the same text tells whether it changed and is what is stored."""
        cached = self.get_cached_state(turn_context)
        if cached is None:
            return
        try:
            text = encode_state(_without_etag(cached.state))
        except TypeError:
            await super().save_changes(turn_context, force)
            return
        if not force and text == cached.hash:
            return
        # private API: BotState keeps its storage only in _storage
        storage = self._storage
        key = self.get_storage_key(turn_context)
        if isinstance(storage, DatabaseStorage):
            await storage.write_encoded(key, cached.state, text)
        else:
            await storage.write({key: cached.state})
        cached.hash = text

    def prime(self, turn_context: TurnContext, found: dict[str, tuple[str, str]]) -> None:
        """Use state the caller read in its own transaction (saves one round trip per turn)."""
        key = self.get_storage_key(turn_context)
        item = DatabaseStorage.items(found).get(key)
        # private API: BotState keeps its turn-state key only in _context_service_key
        turn_context.turn_state[self._context_service_key] = _JsonCachedState(item)
