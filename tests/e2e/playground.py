"""Helpers for the end-to-end tests: the bot, the Agents Playground and Chromium.

The chain under test::

    Chromium (Playwright) --> playground web UI + mock Teams service (node, cwd npm/)
        --> LocaleProxy (below: makes the client Danish) --> bot (`python -m bot run`)
    bot --> the playground's mock connector (the activity's serviceUrl) --> web UI

Every process runs in its own session on a free port and is stopped by the test that
started it; see `tests/e2e/test_playground.py` for the facts about the playground (0.2.28)
that these helpers rely on.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import yaml
from playwright.sync_api import (
    Browser,
    ConsoleMessage,
    Locator,
    Page,
    Route,
    expect,
    sync_playwright,
)

from tests.support.clock import child_environment

REPO_ROOT = Path(__file__).resolve().parents[2]
NPM_DIR = REPO_ROOT / "npm"
PLAYGROUND_CONFIG = NPM_DIR / ".m365agentsplayground.yml"
PLAYGROUND_CLI = NPM_DIR / "node_modules" / ".bin" / "agentsplayground"
CHROMIUM = Path(os.environ.get("E2E_CHROMIUM", "/usr/bin/chromium"))
SCREENSHOT_DIR = Path(os.environ.get("E2E_SCREENSHOT_DIR", REPO_ROOT / "docs" / "screenshots"))

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
LOCAL_HOSTS = frozenset({"localhost", "127.0.0.1", "[::1]", "::1"})

LOCALE = "da-DK"
TIMEZONE = "Europe/Copenhagen"

BOT_START_TIMEOUT_S = 90.0  # the first start runs the database migrations
PLAYGROUND_START_TIMEOUT_S = 30.0
REPLY_TIMEOUT_S = 20.0
UI_TIMEOUT_MS = 15_000


# --------------------------------------------------------------------------- helpers


def require(condition: bool, reason: str) -> None:
    """Skip when a prerequisite is missing; under CI, fail, as CI must provide it."""
    if condition:
        return
    if os.environ.get("CI"):
        pytest.fail(f"{reason} (CI must install it: see .ci/run)", pytrace=False)
    pytest.skip(reason)


def require_playground() -> None:
    """node, the pinned playground (`npm ci --prefix npm`) and Debian's Chromium."""
    require(shutil.which("node") is not None, "node is not installed")
    require(PLAYGROUND_CLI.exists(), f"{PLAYGROUND_CLI} is missing: run `npm ci --prefix npm`")
    require(CHROMIUM.exists(), f"{CHROMIUM} is missing: run `apt-get install -y chromium`")


def free_port() -> int:
    """A TCP port that nothing listens on right now (the OS's choice)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def tail(path: Path, lines: int = 80) -> str:
    if not path.exists():
        return f"<{path} does not exist>"
    text = path.read_text(encoding="utf-8", errors="replace").splitlines()
    return "\n".join(text[-lines:]) or "<empty>"


@dataclass
class Process:
    """A child process in its own session, with stdout and stderr in one log file."""

    name: str
    popen: subprocess.Popen[bytes]
    log_path: Path

    @classmethod
    def start(
        cls, name: str, args: list[str], cwd: Path, env: dict[str, str], log_dir: Path
    ) -> Process:
        log_path = log_dir / f"{name}.log"
        with log_path.open("wb") as log:
            popen = subprocess.Popen(
                args,
                cwd=cwd,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        return cls(name, popen, log_path)

    def alive(self) -> bool:
        return self.popen.poll() is None

    def stop(self) -> None:
        """SIGTERM to the process group this test started, then SIGKILL after 10 s."""
        if not self.alive():
            return
        for sig, grace in ((signal.SIGTERM, 10.0), (signal.SIGKILL, 5.0)):
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.popen.pid, sig)
            try:
                self.popen.wait(timeout=grace)
                return
            except subprocess.TimeoutExpired:
                continue

    def describe(self) -> str:
        state = "running" if self.alive() else f"exited with {self.popen.returncode}"
        header = f"----- {self.name} ({state}), last lines of {self.log_path} -----"
        return f"{header}\n{tail(self.log_path)}"


def http_status(url: str) -> int | None:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            status: int = response.status
            return status
    except urllib.error.HTTPError as error:
        return error.code
    except OSError:
        return None


def wait_until(
    what: str, check: Callable[[], bool], timeout_s: float, on_fail: Callable[[], str]
) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.2)
    raise AssertionError(f"timed out after {timeout_s:.0f} s waiting for {what}\n{on_fail()}")


# --------------------------------------------------------------------------- locale proxy


@dataclass
class LocaleProxy:
    """Forwards the playground's requests to the bot, with the activity's locale rewritten.

    The playground hard-codes `en-US` in every activity; Teams sends the user's display
    language. The proxy also keeps a short record of every activity, for failure reports.
    """

    target: str
    locale: str
    seen: list[str] = field(default_factory=list)
    server: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        assert self.server is not None
        return f"http://127.0.0.1:{self.server.server_address[1]}{urlsplit(self.target).path}"

    def rewrite(self, body: bytes) -> bytes:
        try:
            activity = json.loads(body)
        except ValueError:
            return body
        if not isinstance(activity, dict) or "type" not in activity:
            return body
        value = activity.get("value")
        self.seen.append(
            f"{activity.get('type')} name={activity.get('name')!r} "
            f"action={activity.get('action')!r} "
            f"text={activity.get('text')!r} value={json.dumps(value, ensure_ascii=False)[:200]} "
            f"locale={activity.get('locale')!r}->{self.locale!r}"
        )
        activity["locale"] = self.locale
        for entity in activity.get("entities") or []:
            if isinstance(entity, dict) and entity.get("type") == "clientInfo":
                entity["locale"] = self.locale
                if "country" in entity:
                    entity["country"] = self.locale.rsplit("-", 1)[-1]
        return json.dumps(activity).encode()

    def forward(
        self, method: str, headers: dict[str, str], body: bytes
    ) -> tuple[int, dict[str, str], bytes]:
        if body:
            body = self.rewrite(body)
        request = urllib.request.Request(self.target, data=body or None, method=method)
        for name in ("Content-Type", "Authorization"):
            if name in headers:
                request.add_header(name, headers[name])
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return response.status, dict(response.headers), response.read()
        except urllib.error.HTTPError as error:
            return error.code, dict(error.headers), error.read()
        except OSError as error:
            self.seen.append(f"!! could not reach the bot: {error}")
            return 502, {"Content-Type": "text/plain"}, str(error).encode()

    def __enter__(self) -> LocaleProxy:
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            def _relay(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                status, headers, payload = proxy.forward(self.command, dict(self.headers), body)
                self.send_response(status)
                self.send_header("Content-Type", headers.get("Content-Type", "application/json"))
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(payload)

            do_GET = do_POST = do_HEAD = do_PUT = _relay

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, name="locale-proxy", daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()

    def describe(self) -> str:
        return "----- activities the bot received (via the locale proxy) -----\n" + (
            "\n".join(self.seen[-40:]) or "<none>"
        )


# --------------------------------------------------------------------------- the processes


def database_url(work_dir: Path) -> str:
    """The bot's SQLite database for one test run (`org import` must use the same)."""
    return f"sqlite+aiosqlite:///{work_dir / 'e2e.db'}"


def bot_env(work_dir: Path, **extra: str) -> dict[str, str]:
    """The environment of `python -m bot …`: local development (no app id), own database."""
    return {
        **os.environ,
        "DATABASE_URL": database_url(work_dir),
        "MicrosoftAppId": "",
        "MicrosoftAppPassword": "",
        "PYTHONUNBUFFERED": "1",
        **extra,
    }


def run_bot_cli(work_dir: Path, *args: str, **extra: str) -> subprocess.CompletedProcess[str]:
    """`python -m bot ARGS` against the test's database; fails the test if it fails."""
    done = subprocess.run(
        [sys.executable, "-m", "bot", *args],
        cwd=REPO_ROOT,
        env=child_environment(bot_env(work_dir, **extra)),
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, (
        f"`python -m bot {' '.join(args)}` failed with {done.returncode}:\n"
        f"{done.stdout}\n{done.stderr}"
    )
    return done


def start_bot(work_dir: Path, **extra: str) -> tuple[Process, int]:
    """`python -m bot run` on a free port; `extra` adds settings (e.g. ADMIN_UPNS)."""
    port = free_port()
    env = child_environment(bot_env(work_dir, **extra, PORT=str(port), HOST="127.0.0.1"))
    bot = Process.start("bot", [sys.executable, "-m", "bot", "run"], REPO_ROOT, env, work_dir)
    health = f"http://127.0.0.1:{port}/healthz"

    def ready() -> bool:
        if not bot.alive():
            raise AssertionError(f"the bot exited during start\n{bot.describe()}")
        return http_status(health) == 200

    try:
        wait_until(f"GET {health} to answer 200", ready, BOT_START_TIMEOUT_S, bot.describe)
    except BaseException:
        bot.stop()
        raise
    return bot, port


def start_playground(
    work_dir: Path, bot_endpoint: str, config: Path, name: str = "playground"
) -> tuple[Process, int]:
    env = {
        **os.environ,
        "TEAMSAPPTESTER_BROWSER": "none",
        "BOT_ENDPOINT": bot_endpoint,
        "M365_AGENTS_PLAYGROUND_CONFIG_PATH": str(config),
        "M365_AGENTS_PLAYGROUND_LOGFILE": str(work_dir / f"{name}-file.log"),
        "TZ": TIMEZONE,
    }
    args = ["node", str(PLAYGROUND_CLI), "--disable-telemetry", "-p", str(free_port())]
    playground = Process.start(name, args, NPM_DIR, env, work_dir)
    found: list[int] = []

    def listening() -> bool:
        if not playground.alive():
            raise AssertionError(f"the {name} exited during start\n{playground.describe()}")
        text = playground.log_path.read_text(encoding="utf-8", errors="replace")
        match = re.search(r"^Listening on (\d+)\s*$", text, re.MULTILINE)
        if match is None:
            return False
        found[:] = [int(match.group(1))]
        return http_status(f"http://127.0.0.1:{found[0]}/") == 200

    try:
        wait_until(
            f"the {name}'s 'Listening on N' line and its page",
            listening,
            PLAYGROUND_START_TIMEOUT_S,
            playground.describe,
        )
    except BaseException:
        playground.stop()
        raise
    return playground, found[0]


def bot_name(config: Path = PLAYGROUND_CONFIG) -> str:
    """The bot's display name in the playground (message author of its messages)."""
    return str(yaml.safe_load(config.read_text(encoding="utf-8"))["bot"]["name"])


def diagnostics(processes: list[Process], proxy: LocaleProxy, browser_log: list[str]) -> str:
    return "\n".join(
        [
            *(process.describe() for process in processes),
            proxy.describe(),
            "----- browser: console errors and aborted requests -----",
            "\n".join(browser_log[-40:]) or "<none>",
        ]
    )


@contextlib.contextmanager
def explain_failure(
    pages: Mapping[str, Page], work_dir: Path, describe: Callable[[], str]
) -> Iterator[None]:
    """On any failure, print `describe()` and keep a screenshot and the DOM of each page.

    The files are `failure.png`/`failure.html` for a page named "", else `failure-NAME.*`.
    """
    try:
        yield
    except BaseException:
        for name, page in pages.items():
            stem = f"failure-{name}" if name else "failure"
            shot = work_dir / f"{stem}.png"
            dom = work_dir / f"{stem}.html"
            with contextlib.suppress(Exception):
                page.screenshot(path=str(shot))
                dom.write_text(page.content(), encoding="utf-8")
            print(f"\n===== e2e failure: screenshot {shot}, page {dom} =====")
        print(describe())
        raise


@dataclass
class Stack:
    """The bot, the locale proxy and the playground, all running."""

    bot: Process
    bot_port: int
    proxy: LocaleProxy
    playground: Process
    playground_port: int
    bot_name: str
    work_dir: Path
    browser_log: list[str] = field(default_factory=list)

    @property
    def playground_url(self) -> str:
        return f"http://127.0.0.1:{self.playground_port}/"

    def diagnostics(self) -> str:
        return diagnostics([self.bot, self.playground], self.proxy, self.browser_log)

    @contextlib.contextmanager
    def explain_failure(self, page: Page) -> Iterator[None]:
        """On any failure, print the logs and keep a screenshot and the DOM of the page."""
        with explain_failure({"": page}, self.work_dir, self.diagnostics):
            yield


# --------------------------------------------------------------------------- the browser


@contextlib.contextmanager
def chromium() -> Iterator[Browser]:
    """Debian's Chromium, headless; closed (with all its pages) on the way out."""
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def open_page(browser: Browser, browser_log: list[str], label: str = "") -> Page:
    """A page in a context of its own that may reach this machine only.

    Console errors, page errors and aborted requests go to `browser_log`, prefixed with
    `label` when given.
    """
    prefix = f"[{label}] " if label else ""

    def local_only(route: Route) -> None:
        host = urlsplit(route.request.url).hostname or ""
        if host in LOCAL_HOSTS:
            route.continue_()
        else:
            browser_log.append(f"{prefix}aborted: {route.request.url}")
            route.abort()

    def on_console(message: ConsoleMessage) -> None:
        if message.type == "error":
            browser_log.append(f"{prefix}console: {message.text[:300]}")

    context = browser.new_context(
        viewport={"width": 1400, "height": 900},
        locale=LOCALE,
        timezone_id=TIMEZONE,
        service_workers="block",
    )
    context.route("**/*", local_only)
    context.set_default_timeout(UI_TIMEOUT_MS)
    page = context.new_page()
    page.on("console", on_console)
    page.on("pageerror", lambda error: browser_log.append(f"{prefix}page error: {error}"))
    return page


# --------------------------------------------------------------------------- the chat UI


class PlaygroundChat:
    """The playground's chat pane, found by ARIA labels, roles and text.

    Each message is the parent of an element labelled "Message header"; a bot message's
    header holds a "Message author" element with the bot's name. Cards render through the
    Adaptive Cards SDK (`.ac-adaptiveCard`), their actions as buttons named by their title.
    """

    def __init__(self, page: Page, bot_name: str) -> None:
        self.page = page
        self.bot_name = bot_name

    def bot_messages(self) -> Locator:
        author = self.page.get_by_label("Message author", exact=True).filter(has_text=self.bot_name)
        return (
            self.page.get_by_label("Message header", exact=True)
            .locator("xpath=..")
            .filter(has=author)
        )

    def bot_message_count(self) -> int:
        return self.bot_messages().count()

    def wait_for_bot_message(
        self, since: int, pattern: re.Pattern[str], *, card: bool, what: str
    ) -> Locator:
        """The first bot message after the first `since` ones whose text matches `pattern`."""
        messages = self.bot_messages()
        deadline = time.monotonic() + REPLY_TIMEOUT_S
        seen: list[str] = []
        while time.monotonic() < deadline:
            seen = messages.all_inner_texts()
            for index in range(since, len(seen)):
                message = messages.nth(index)
                if pattern.search(seen[index]) and (
                    not card or message.locator(".ac-adaptiveCard").count() > 0
                ):
                    message.scroll_into_view_if_needed()
                    return message
            self.page.wait_for_timeout(200)
        new = [text.replace("\n", " | ") for text in seen[since:]] or ["<no new bot message>"]
        raise AssertionError(
            f"no bot {'card' if card else 'message'} for {what} matching {pattern.pattern!r} "
            f"within {REPLY_TIMEOUT_S:.0f} s; new bot messages:\n  " + "\n  ".join(new)
        )

    def compose_box(self) -> Locator:
        send = self.page.get_by_role("button", name="Send Message", exact=True)
        # The innermost element holding both the send button and a textbox: ancestors come
        # before descendants in document order, so it is the last match.
        compose = (
            self.page.locator("div")
            .filter(has=send)
            .filter(has=self.page.get_by_role("textbox"))
            .last
        )
        return compose.get_by_role("textbox")

    def send_text(self, text: str) -> None:
        box = self.compose_box()
        box.click()
        self.page.keyboard.type(text)
        self.page.get_by_role("button", name="Send Message", exact=True).click()
        expect(box).to_have_text("")

    def screenshot(self, name: str) -> None:
        SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(SCREENSHOT_DIR / name))


class PlaygroundChannel:
    """A team channel in the playground: a column of threads ("posts"), newest first.

    The channel pane is a column of Fluent UI cards (role "group"): first the composer of a
    new post ("Start a new post", a "Post" button), then one card per thread, each with its
    replies and its own reply box (a "Send Message" button). The first avatar in a thread
    (role "img", named after the author) is that of its first message's author. The compose
    boxes are Lexical editors: a mention is made by typing "@" and a few letters and picking
    the name from the "Typeahead menu" list (see `tests/e2e/test_digest_playground.py`).
    """

    def __init__(self, page: Page, bot_name: str) -> None:
        self.page = page
        self.bot_name = bot_name

    def open(self, team: str, channel: str) -> None:
        """Select the channel in the tree (the first time, this installs the bot in the team)."""
        item = self.page.get_by_role("treeitem", name=f"{team} - {channel}", exact=True)
        item.click()
        expect(self.new_post_box()).to_be_visible()

    def new_post_box(self) -> Locator:
        post = self.page.get_by_role("button", name="Post", exact=True)
        composer = (
            self.page.locator("div")
            .filter(has=post)
            .filter(has=self.page.get_by_role("textbox"))
            .last
        )
        return composer.get_by_role("textbox")

    def threads(self) -> Locator:
        send = self.page.get_by_role("button", name="Send Message", exact=True)
        return self.page.get_by_role("group").filter(has=send)

    def started_by(self, thread: Locator) -> str:
        """The author of the thread's first message."""
        return thread.get_by_role("img").first.get_attribute("aria-label") or ""

    def post(self, text: str, *, mention: str | None = None) -> None:
        """Start a new thread with `text`, after an @mention of `mention` when given."""
        box = self.new_post_box()
        box.click()
        if mention is not None:
            self.page.keyboard.type("@" + mention[:3])
            menu = self.page.get_by_role("listbox", name="Typeahead menu", exact=True)
            # The item's accessible name repeats the name (its avatar's label and its text).
            menu.get_by_role("menuitem").filter(has_text=mention).first.click()
            expect(box.locator(".mention")).to_have_text(mention)
            text = " " + text
        self.page.keyboard.type(text)
        self.page.get_by_role("button", name="Post", exact=True).click()
        expect(box).to_have_text("")

    def screenshot(self, name: str, thread: Locator) -> None:
        """A screenshot with all of `thread` in view: the page is made tall enough for the
        moment, as the channel pane scrolls inside a fixed-height page."""
        page = self.page
        size = page.viewport_size or {"width": 1400, "height": 900}
        box = thread.bounding_box()
        assert box is not None
        needed = int(box["height"]) + 400  # the composer above it and margins
        page.set_viewport_size({"width": size["width"], "height": max(size["height"], needed)})
        try:
            thread.scroll_into_view_if_needed()
            page.wait_for_timeout(200)
            SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(SCREENSHOT_DIR / name))
        finally:
            page.set_viewport_size(size)


def log_panel_rows(page: Page) -> list[str]:
    """The rows of the playground's log panel (an editable box that starts with its version),
    e.g. "[18.26.33] User Application -> Microsoft 365 Agents Playground createConversation 201"
    for a new channel thread the bot started."""
    panel = page.locator("[contenteditable='true']").filter(has_text="Current version:").first
    return [row.strip() for row in panel.locator(":scope > div").all_inner_texts()]
