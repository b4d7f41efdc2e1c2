"""Reading cards as Teams renders them: the Markdown strings of a card, what a reader sees
of one, and the links, images and emphasis it renders typed text as.

Markdown is read as CommonMark (markdown-it, with strikethrough and tables, and no link
refused for its address), as the Adaptive Cards renderers read a TextBlock or a Fact.
"""

from __future__ import annotations

from typing import Any

from markdown_it import MarkdownIt
from markdown_it.token import Token

from tests.support.card_nodes import walk

# Text typed to deceive whoever reads it on a card.
PAYLOADS = {
    "link": "[Godkend her](https://evil.example/phish)",
    "script": "[x](javascript:alert(1))",
    "image": "![img](https://evil.example/pixel.png)",
    "bold": "**Status: Lukket af AMK**",
}
# What a payload would show as a link's or emphasis's text if it were rendered.
DISGUISES = ("Godkend her", "Status: Lukket af AMK")
MARKDOWN = MarkdownIt("commonmark").enable(["strikethrough", "table"])
# A client need not refuse `javascript:` links as markdown-it does: every link counts.
MARKDOWN.validateLink = lambda url: True  # type: ignore[method-assign]


def markdown_of(card: Any) -> list[str]:
    """Every string of a card that Teams renders as Markdown."""
    found: list[str] = []
    for node in walk(card):
        if node.get("type") == "TextBlock":
            found.append(str(node.get("text", "")))
        if node.get("type") == "FactSet":
            for fact in node.get("facts", []):
                found.extend((str(fact.get("title", "")), str(fact.get("value", ""))))
    return found


def _inline(text: str) -> list[Token]:
    return [
        child
        for token in MARKDOWN.parse(text)
        if token.type == "inline"
        for child in token.children or []
    ]


def visible(text: str) -> str:
    """What a reader sees of `text` (rendered), without formatting."""
    parts = [
        "\n" if token.type in ("softbreak", "hardbreak") else token.content
        for token in _inline(text)
        if token.type in ("text", "code_inline", "softbreak", "hardbreak")
    ]
    return "".join(parts)


def rendered_wrongly(text: str) -> list[str]:
    """The links, images and emphasis of typed text that `text` renders as."""
    wrong: list[str] = []
    emphasis: list[str] = []
    for token in _inline(text):
        if token.type == "link_open":
            href = str(token.attrs.get("href", ""))
            if "evil.example" in href or href.lower().startswith("javascript"):
                wrong.append(f"link to {href}")
        elif token.type == "image":
            wrong.append(f"image {token.attrs.get('src')}")
        elif token.type in ("html_inline", "html_block"):
            wrong.append(f"html {token.content}")
        elif token.type in ("strong_open", "em_open", "s_open"):
            emphasis.append("")
        elif token.type in ("strong_close", "em_close", "s_close") and emphasis:
            inside = emphasis.pop()
            if any(disguise in inside for disguise in DISGUISES):
                wrong.append(f"{token.type.split('_')[0]} «{inside}»")
        elif token.type == "text" and emphasis:
            emphasis[-1] += token.content
    return wrong
