"""Walking an Adaptive Card's JSON: every object in it, depth first."""

from __future__ import annotations

from typing import Any


def walk(node: Any) -> list[dict[str, Any]]:
    """Every JSON object in `node`: the node itself first, then its children."""
    found: list[dict[str, Any]] = []
    if isinstance(node, dict):
        found.append(node)
        for value in node.values():
            found.extend(walk(value))
    elif isinstance(node, list):
        for value in node:
            found.extend(walk(value))
    return found
