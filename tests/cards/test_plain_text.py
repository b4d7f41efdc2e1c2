"""`cards.common.plain`: typed text reads as typed wherever Teams renders Markdown."""

from __future__ import annotations

import pytest

from cards.common import plain
from tests.support.teams_markdown import PAYLOADS, rendered_wrongly, visible

TRICKY = [
    *PAYLOADS.values(),
    "2. sal",
    "2) sal",
    "- punkt",
    "+ punkt",
    "# 12",
    "> citat",
    "---",
    "===",
    ":-",
    "&amp; &#42;",
    "snake_case_name",
    "a | b\n--- | ---",
    "<at>Ole</at> <https://evil.example>",
    "`kode` og ~~streg~~",
    "linje 1\n- linje 2\r\n2. linje 3\\",
]


@pytest.mark.parametrize("typed", TRICKY)
def test_plain_text_reads_as_typed(typed: str) -> None:
    shown = plain(typed)
    assert rendered_wrongly(shown) == []
    assert visible(shown) == typed.replace("\r\n", "\n")
    assert visible(f"**AL-2026-0001** {shown}") == "AL-2026-0001 " + typed.replace("\r\n", "\n")


def test_ordinary_punctuation_is_left_alone() -> None:
    assert plain("Kemi 3, Fysik 2 (+4)") == "Kemi 3, Fysik 2 (+4)"
    assert plain("R&D, bygning 5-A #12!") == "R&D, bygning 5-A #12!"
    assert plain("+45 4525 1234") == "+45 4525 1234"
