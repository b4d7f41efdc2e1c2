"""Cards rendered as Teams shows them: Microsoft's Adaptive Cards JavaScript renderer (npm
`adaptivecards`, pinned in npm/) with a Teams host config, in Debian's headless Chromium.

`CardRenderer.check` renders many cards at one width in one page and returns, per card, what a
user would miss (`tests/support/card_render.js`); `CardRenderer.screenshot` saves one card as a
PNG."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from playwright.sync_api import Browser, ConsoleMessage, Page, sync_playwright

from cards.common import Card, attachment
from tests.support.card_nodes import walk

REPO_ROOT = Path(__file__).resolve().parents[2]
RENDERER_DIST = REPO_ROOT / "npm" / "node_modules" / "adaptivecards" / "dist"
HOST_CONFIG = Path(__file__).with_name("teams_host_config.json")
CHECKS = Path(__file__).with_name("card_render.js")
CHROMIUM = Path(os.environ.get("E2E_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run"]
MAX_CARD_BYTES = 28 * 1024
PAGE_STYLE = """
body { margin: 0; background: #f5f5f5; font-family: 'Segoe UI', 'Liberation Sans', sans-serif; }
.card-host { margin: 0 0 24px 0; background: #fff; }
.ac-textBlock p { margin: 0; }
.ac-pushButton, .ac-input { font-family: 'Segoe UI', 'Liberation Sans', sans-serif; }
"""


def missing_prerequisite() -> str | None:
    """Why cards cannot be rendered here, or None."""
    if not (RENDERER_DIST / "adaptivecards.min.js").exists():
        return f"{RENDERER_DIST} is missing: run `npm ci --prefix npm`"
    if not CHROMIUM.exists():
        return f"{CHROMIUM} is missing: run `apt-get install -y chromium`"
    return None


def typed_required_marks(card: Card) -> list[str]:
    """Input labels with a typed "*": the renderer marks required inputs itself."""
    return [
        f'label with a typed "*": {node["label"]!r}'
        for node in walk(card)
        if str(node.get("type", "")).startswith("Input.") and "*" in str(node.get("label", ""))
    ]


def bytes_as_sent(card: Card) -> int:
    """The card's size in the activity Teams receives (the attachment, UTF-8 JSON)."""
    return len(json.dumps(attachment(card), ensure_ascii=False).encode("utf-8"))


@dataclass(frozen=True, slots=True)
class Rendered:
    """One card at one width: its height and what is wrong with it."""

    name: str
    width: int
    height: int
    problems: tuple[str, ...]


class CardRenderer:
    """One Chromium page with the renderer loaded; cards are rendered into it batch by batch."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.console: list[str] = []
        self.host_config: Any = json.loads(HOST_CONFIG.read_text("utf-8"))
        page.on("console", self._on_console)
        page.on("pageerror", lambda error: self.console.append(f"page error: {error}"))
        page.set_content(f"<!doctype html><html lang='da'><head><style>{PAGE_STYLE}</style>")
        page.add_style_tag(path=RENDERER_DIST / "adaptivecards.css")
        page.add_script_tag(path=RENDERER_DIST / "adaptivecards.min.js")
        page.add_script_tag(path=CHECKS)

    def _on_console(self, message: ConsoleMessage) -> None:
        if message.type in ("warning", "error"):
            self.console.append(f"console {message.type}: {message.text}")

    def check(self, cards: Mapping[str, Card], width: int) -> list[Rendered]:
        """Each card rendered at `width` px, with its problems (size as sent included)."""
        self.console.clear()
        results = self.page.evaluate(
            "([cards, width, config]) => window.renderCards(cards, width, config)",
            [list(cards.items()), width, self.host_config],
        )
        rendered = []
        for result in results:
            problems = list(result["problems"]) + typed_required_marks(cards[result["name"]])
            size = bytes_as_sent(cards[result["name"]])
            if size > MAX_CARD_BYTES:
                problems.append(f"{size} bytes as sent, over Teams' {MAX_CARD_BYTES}")
            rendered.append(
                Rendered(result["name"], width, result["height"], tuple(problems + self.console))
            )
        return rendered

    def screenshot(self, card: Card, width: int, path: Path) -> Rendered:
        """`card` rendered alone at `width` px and saved as a PNG at `path`."""
        (result,) = self.check({path.stem: card}, width)
        self.page.set_viewport_size({"width": width, "height": 800})
        self.page.locator(".card-host").first.screenshot(path=str(path), animations="disabled")
        return result


@contextmanager
def card_renderer() -> Iterator[CardRenderer]:
    """A renderer in a fresh headless Chromium, closed on the way out."""
    with sync_playwright() as playwright:
        browser: Browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS
        )
        try:
            page = browser.new_page(viewport={"width": 480, "height": 800})
            page.route("**/*", lambda route: route.abort())
            yield CardRenderer(page)
        finally:
            browser.close()
