"""`python -m bench.run`: play Teams over HTTP against our bot, the echo bot and a bare handler.

Each virtual user has its own personal chat and completes whole dialogs; latency runs from the
user's POST to the reply arriving at the fake connector (for invokes: the HTTP response).
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import IO, Any

import aiohttp

from bench.connector import BenchConnector, card_of, find_action_data, strings
from bench.stalls import MachineProbe, stalls

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
TENANT = "11111111-2222-3333-4444-555555555555"
BOT_ID = "28:amkbot-bench"
TIMEOUT = 15.0
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
DOC = ROOT / "docs" / "performance.md"
START, END = "<!-- bench:start -->", "<!-- bench:end -->"


@dataclass(frozen=True)
class User:
    name: str
    aad: str
    upn: str

    @property
    def teams_id(self) -> str:
        return f"29:{self.aad}"

    @property
    def chat_id(self) -> str:
        return f"a:personal-{self.aad}"


def make_user(name: str, upn: str) -> User:
    return User(name, str(uuid.uuid4()), upn)


DELIVERY = "delivery"


@dataclass
class Turn:
    kind: str
    latency: float
    ok: bool
    error: str = ""
    step: str = ""
    ended: float = 0.0


def named(turn: Turn, step: str) -> Turn:
    turn.step = step
    return turn


@dataclass
class Result:
    bot: str
    database: str
    users: int
    seconds: float
    turns: list[Turn] = field(default_factory=list)
    # Not turns: how long after the answer a card reached its other reader (seconds).
    deliveries: dict[str, list[float]] = field(default_factory=dict)
    cpu_seconds: float = 0.0
    driver_cpu_seconds: float = 0.0
    stalls: list[str] = field(default_factory=list)
    machine: str = ""
    connector_calls: int = 0
    # Under `--callgrind`: instructions the bot executed during the measured run.
    instructions: int = 0

    def record(self, turn: Turn) -> None:
        turn.ended = time.perf_counter()
        if turn.kind == DELIVERY:
            if turn.ok:
                self.deliveries.setdefault(turn.step, []).append(turn.latency)
            return
        self.turns.append(turn)

    @property
    def errors(self) -> int:
        return sum(1 for turn in self.turns if not turn.ok)

    @property
    def ok(self) -> list[float]:
        return sorted(t.latency for t in self.turns if t.ok)

    def steps(self) -> dict[str, str]:
        """p50/p99/max per step of the dialog cycle (where the tails come from)."""
        by_step: dict[str, list[float]] = {}
        for turn in self.turns:
            if turn.ok and turn.step:
                by_step.setdefault(turn.step, []).append(turn.latency)
        return {
            step: f"n={len(values):4} p50={_pct(sorted(values), 50):7.1f} "
            f"p99={_pct(sorted(values), 99):7.1f} max={max(values) * 1000:7.1f} ms"
            for step, values in [*sorted(by_step.items()), *sorted(self.deliveries.items())]
        }

    def row(self) -> dict[str, Any]:
        lat = self.ok
        invokes = sorted(t.latency for t in self.turns if t.ok and t.kind == "invoke")
        errors = [t for t in self.turns if not t.ok]
        count = len(self.turns)
        return {
            "bot": self.bot,
            "db": self.database,
            "users": self.users,
            "turns": count,
            "turns_per_s": count / self.seconds if self.seconds else 0.0,
            "p50_ms": _pct(lat, 50),
            "p95_ms": _pct(lat, 95),
            "p99_ms": _pct(lat, 99),
            "max_ms": lat[-1] * 1000 if lat else 0.0,
            "invoke_p99_ms": _pct(invokes, 99) if invokes else "",
            "errors": len(errors),
            "first_error": errors[0].error if errors else "",
            "cpu_ms_per_turn": 1000 * self.cpu_seconds / count if count else 0.0,
            "driver_cpu_ms_per_turn": 1000 * self.driver_cpu_seconds / count if count else 0.0,
            "connector_calls_per_turn": self.connector_calls / count if count else 0.0,
            "instructions_per_turn": self.instructions / count if count else 0.0,
        }


def _pct(values: list[float], pct: int) -> float:
    if not values:
        return 0.0
    if len(values) == 1:
        return values[0] * 1000
    return statistics.quantiles(values, n=100, method="inclusive")[pct - 1] * 1000


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def cpu_seconds(pid: int) -> float:
    """utime + stime of a process and its live descendants (all threads), from /proc."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        return 0.0
    own = (int(fields[11]) + int(fields[12])) / CLOCK_TICKS
    return own + sum(cpu_seconds(int(child)) for child in children)


class Client:
    """Posts Teams-shaped activities and times them against the fake connector."""

    def __init__(self, url: str, connector: BenchConnector, http: aiohttp.ClientSession) -> None:
        self.url = url
        self.connector = connector
        self.http = http
        self.ids = 0

    def register(self, user: User) -> None:
        self.connector.members[user.teams_id] = {
            "id": user.teams_id,
            "name": user.name,
            "aadObjectId": user.aad,
            "email": user.upn,
            "userPrincipalName": user.upn,
        }

    def activity(self, user: User, **fields: Any) -> dict[str, Any]:
        self.ids += 1
        activity: dict[str, Any] = {
            "type": "message",
            "id": f"in-{self.ids}-{uuid.uuid4().hex[:8]}",
            "timestamp": datetime.now(UTC).isoformat(),
            "serviceUrl": self.connector.url,
            "channelId": "msteams",
            "from": {"id": user.teams_id, "name": user.name, "aadObjectId": user.aad},
            "conversation": {
                "id": user.chat_id,
                "conversationType": "personal",
                "tenantId": TENANT,
            },
            "recipient": {"id": BOT_ID, "name": "AMK-bot"},
            "locale": "da-DK",
            "channelData": {"tenant": {"id": TENANT}},
        }
        activity.update(fields)
        return activity

    async def message(
        self, kind: str, activity: dict[str, Any], expect: str | None = None
    ) -> tuple[Turn, list[dict[str, Any]]]:
        """A message turn: latency until the first reply to it reaches the connector."""
        ident = str(activity["id"])
        first = self.connector.expect_reply(ident)
        started = time.perf_counter()
        try:
            async with self.http.post(self.url, json=activity) as response:
                await response.read()
                status = response.status
            if status not in (200, 201, 202):
                return Turn(kind, time.perf_counter() - started, False, f"HTTP {status}"), []
            arrived = await asyncio.wait_for(first, TIMEOUT)
        except (TimeoutError, aiohttp.ClientError) as error:
            self.connector.forget(ident)
            return Turn(kind, time.perf_counter() - started, False, repr(error)), []
        bodies = [arrival.body for arrival in self.connector.forget(ident)]
        if expect is not None and expect not in strings(bodies):
            return Turn(kind, arrived - started, False, f"no {expect!r} in reply"), bodies
        return Turn(kind, arrived - started, True), bodies

    async def invoke(
        self, activity: dict[str, Any], expect: str
    ) -> tuple[Turn, dict[str, Any] | None]:
        started = time.perf_counter()
        try:
            async with self.http.post(self.url, json=activity) as response:
                raw = await response.read()
                status = response.status
        except aiohttp.ClientError as error:
            return Turn("invoke", time.perf_counter() - started, False, repr(error)), None
        elapsed = time.perf_counter() - started
        body: dict[str, Any] | None = json.loads(raw) if raw else None
        if status != 200 or expect not in strings(body):
            return Turn("invoke", elapsed, False, f"HTTP {status}: {raw[:120]!r}"), body
        return Turn("invoke", elapsed, True), body


# -- scenarios -------------------------------------------------------------------------------


@dataclass
class Cast:
    """One virtual user: a reporter/requester, the unit's leader (approver) and its AMK."""

    index: int
    requester: User
    leader: User
    amk: User
    unit_name: str
    unit_id: str = ""


def cast_of(index: int, run: str) -> Cast:
    return Cast(
        index,
        make_user(f"Bruger {index}", f"user{index}.{run}@bench.dk"),
        make_user(f"Leder {index}", f"leader{index}.{run}@bench.dk"),
        make_user(f"AMK {index}", f"amk{index}.{run}@bench.dk"),
        f"Bench {run} {index:03d}",
    )


def org_file(casts: list[Cast]) -> dict[str, Any]:
    def person(user: User) -> dict[str, str]:
        return {"upn": user.upn, "aad_object_id": user.aad, "name": user.name}

    return {
        "units": [
            {"name": c.unit_name, "leader": [person(c.leader)], "amk": [person(c.amk)]}
            for c in casts
        ]
    }


def _day(offset: int) -> str:
    return (datetime.now(UTC) + timedelta(days=offset)).date().isoformat()


def near_miss_form(unit_id: str) -> dict[str, Any]:
    when = datetime.now(UTC) - timedelta(hours=2)
    return {
        "action": "near_miss.submit",
        "form_id": uuid.uuid4().hex,
        "occurred_date": when.date().isoformat(),
        "occurred_time": when.strftime("%H:%M"),
        "unit_id": unit_id,
        "campus": "Lyngby",
        "building": "207",
        "room": "112",
        "description": "Flaske med acetone stod åben på gulvet ved stinkskabet.",
        "category": "hazardous_substance",
        "severity": "serious",
        "injured": "no",
        "immediate_action": "Flasken blev lukket og sat på plads.",
        "prevention": "Hylde ved stinkskabet.",
        "photo_url": "",
        "anonymous": "false",
    }


def lone_work_form(unit_id: str) -> dict[str, str]:
    return {
        "action": "lone_work.form.next",
        "unit_id": unit_id,
        "task": "Destillation af opløsningsmidler",
        "campus": "Lyngby",
        "building": "207",
        "room": "112",
        "schedule": "single",
        "start_date": _day(3),
        "start_time": "18:00",
        "end_date": _day(3),
        "end_time": "22:00",
        "hazards": "chemicals,gases",
        "mitigations": "check_in,alarm",
        "checkin_person": "Vagten",
        "checkin_interval": "30",
        "emergency_name": "Vagten",
        "emergency_phone": "+45 4525 1234",
        "trained": "true",
        "adult": "true",
        "affiliation": "employee",
    }


def unit_choice(bodies: list[dict[str, Any]], unit_name: str) -> str:
    def walk(node: Any) -> str:
        if isinstance(node, dict):
            if node.get("id") == "unit_id":
                for choice in node.get("choices") or []:
                    if unit_name in str(choice.get("title")):
                        return str(choice["value"])
            return next((v for v in map(walk, node.values()) if v), "")
        if isinstance(node, list):
            return next((v for v in map(walk, node) if v), "")
        return ""

    return walk([card_of(body) for body in bodies])


async def approval_request_id(connector: BenchConnector, leader: User) -> str:
    """Waits for the approval card the bot posts (after the turn) into the leader's chat."""
    deadline = time.perf_counter() + TIMEOUT
    event = connector.posted[leader.chat_id]
    while True:
        arrivals = connector.by_conversation.get(leader.chat_id, [])
        for number, arrival in enumerate(arrivals):
            data = find_action_data(card_of(arrival.body), "lone_work.approve")
            if data is not None:
                del arrivals[: number + 1]
                return str(data["request_id"])
        arrivals.clear()
        event.clear()
        remaining = deadline - time.perf_counter()
        if remaining <= 0:
            raise TimeoutError("no approval card reached the leader")
        await asyncio.wait_for(event.wait(), remaining)


async def amkbot_cycle(client: Client, cast: Cast, record: Callable[[Turn], None]) -> None:
    """A near-miss report, then a lone-work request approved by the unit's leader."""
    me = cast.requester
    turn, bodies = await client.message(
        "message", client.activity(me, text="nærved"), "Meld en nærved-hændelse"
    )
    record(named(turn, "1 nærved"))
    if not cast.unit_id:
        cast.unit_id = unit_choice(bodies, cast.unit_name)
    if not turn.ok or not cast.unit_id:
        return
    submit = client.activity(me, value=near_miss_form(cast.unit_id), replyToId="card-1")
    record(named((await client.message("message", submit, "NM-"))[0], "2 near_miss.submit"))
    turn, _ = await client.message(
        "message", client.activity(me, text="alenearbejde"), "alenearbejde"
    )
    record(named(turn, "3 alenearbejde"))
    form = client.activity(me, value=lone_work_form(cast.unit_id), replyToId="card-1")
    turn, _ = await client.message("message", form, "Tjek din anmodning")
    record(named(turn, "4 lone_work.form"))
    if not turn.ok:
        return
    send = client.activity(me, value={"action": "lone_work.form.send"}, replyToId="card-1")
    turn, _ = await client.message("message", send, "er sendt til")
    record(named(turn, "5 lone_work.send"))
    if not turn.ok:
        return
    answered = time.perf_counter()
    try:
        request_id = await approval_request_id(client.connector, cast.leader)
        waited = time.perf_counter() - answered
        record(Turn(DELIVERY, waited, True, step="5→ card at the leader"))
    except TimeoutError as error:
        record(Turn("invoke", TIMEOUT, False, str(error)))
        return
    approve = client.activity(
        cast.leader,
        type="invoke",
        name="adaptiveCard/action",
        value={
            "action": {
                "type": "Action.Execute",
                "verb": "lone_work.approve",
                "data": {"action": "lone_work.approve", "request_id": int(request_id)},
            },
            "trigger": "manual",
        },
        replyToId="card-1",
    )
    record(named((await client.invoke(approve, "Godkendt"))[0], "6 approve (invoke)"))


async def echo_cycle(client: Client, cast: Cast, record: Callable[[Turn], None]) -> None:
    """The same six turns as a dialog cycle, as plain messages (echo bots only echo)."""
    for word in ("nærved", "submit", "alenearbejde", "form", "send", "approve"):
        record((await client.message("message", client.activity(cast.requester, text=word)))[0])


# -- bots under test -------------------------------------------------------------------------


@dataclass
class Target:
    name: str
    command: list[str]
    cycle: Callable[[Client, Cast, Callable[[Turn], None]], Awaitable[None]]
    prepare: Callable[[list[Cast], dict[str, str]], None] | None = None
    port_argument: bool = True
    env: dict[str, str] = field(default_factory=dict)
    postgres_only: bool = False


def import_org(casts: list[Cast], env: dict[str, str]) -> None:
    with tempfile.NamedTemporaryFile("w", suffix=".yaml", delete=False) as handle:
        json.dump(org_file(casts), handle)
    subprocess.run(
        [PYTHON, "-m", "bot", "org", "import", handle.name],
        env=env,
        cwd=env["BENCH_CWD"],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    os.unlink(handle.name)


VARIANT = [PYTHON, "-m", "bench.variant_bot"]
CLIENTS = ["--patch", "connector-cache", "--patch", "token-client-cache"]
TARGETS = {
    "amkbot": Target("amkbot", [PYTHON, "-m", "bot", "run"], amkbot_cycle, import_org, False),
    "echo": Target("echo", [PYTHON, "-m", "bench.echo_bot"], echo_cycle),
    "bare": Target("bare", [PYTHON, "-m", "bench.bare_bot"], echo_cycle),
    # Experiments (bench/variant_bot.py patches at start-up; the application is unchanged).
    "amkbot-cached": Target(
        "amkbot-cached",
        [*VARIANT, "--patch", "connector-cache", "bot", "run"],
        amkbot_cycle,
        import_org,
        False,
    ),
    "amkbot-pool1": Target(
        "amkbot-pool1",
        [*VARIANT, "--patch", "sqlite-pool1", "bot", "run"],
        amkbot_cycle,
        import_org,
        False,
    ),
    "amkbot-both": Target(
        "amkbot-both",
        [*VARIANT, "--patch", "connector-cache", "--patch", "sqlite-pool1", "bot", "run"],
        amkbot_cycle,
        import_org,
        False,
    ),
    "amkbot-clients": Target(
        "amkbot-clients",
        [*VARIANT, *CLIENTS, "bot", "run"],
        amkbot_cycle,
        import_org,
        False,
    ),
    "amkbot-all": Target(
        "amkbot-all",
        [*VARIANT, *CLIENTS, "--patch", "sqlite-pool1", "bot", "run"],
        amkbot_cycle,
        import_org,
        False,
    ),
    "echo-clients": Target("echo-clients", [*VARIANT, *CLIENTS, "bench.echo_bot"], echo_cycle),
    "amkbot-count": Target(
        "amkbot-count",
        [*VARIANT, "--patch", "count-transactions", "bot", "run"],
        amkbot_cycle,
        import_org,
        False,
    ),
    "amkbot-2w": Target(
        "amkbot-2w",
        [PYTHON, "-m", "bot", "run"],
        amkbot_cycle,
        import_org,
        False,
        env={"WORKERS": "2"},
        postgres_only=True,
    ),
    "amkbot-trace": Target(
        "amkbot-trace",
        [*VARIANT, "--patch", "trace-sql", "bot", "run"],
        amkbot_cycle,
        import_org,
        False,
    ),
    "amkbot-db-sites": Target(
        "amkbot-db-sites",
        [*VARIANT, "--patch", "db-sites", "bot", "run"],
        amkbot_cycle,
        import_org,
        False,
    ),
    "amkbot-cprofile": Target(
        "amkbot-cprofile",
        [*VARIANT, "--patch", "cprofile", "bot", "run"],
        amkbot_cycle,
        import_org,
        False,
    ),
    "echo-cached": Target(
        "echo-cached", [*VARIANT, "--patch", "connector-cache", "bench.echo_bot"], echo_cycle
    ),
}


async def wait_listening(
    port: int, process: subprocess.Popen[bytes], *, patience: float = 90
) -> None:
    deadline = time.perf_counter() + patience
    while time.perf_counter() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"bot exited with {process.returncode}")
        try:
            _, writer = await asyncio.open_connection("127.0.0.1", port)
            writer.close()
            await writer.wait_closed()
            return
        except OSError:
            await asyncio.sleep(0.1)
    raise RuntimeError("bot did not start listening")


def start_bot(
    command: list[str], env: dict[str, str], workdir: str
) -> tuple[subprocess.Popen[bytes], IO[bytes]]:
    """The bot under test as a subprocess; its output goes to bot.log in its work directory."""
    log = open(Path(workdir) / "bot.log", "wb")  # noqa: SIM115 - closed by run_one
    return subprocess.Popen(command, env=env, cwd=workdir, stdout=log, stderr=log), log


def callgrind_command(out: Path) -> list[str]:
    """valgrind's callgrind around the bot, counting nothing until `count_instructions`:
    instruction counts are the same run after run, whatever else the machine does."""
    return [
        "valgrind",
        "--tool=callgrind",
        "--instr-atstart=no",
        f"--callgrind-out-file={out}",
        "--quiet",
    ]


async def count_instructions(pid: int, env: dict[str, str], *, on: bool) -> None:
    """Switch callgrind's counting in the bot. vgdb finds the bot by names built from
    `$HOST`, which the bot's environment sets, so it runs with that environment."""
    switch = await asyncio.create_subprocess_exec(
        "vgdb",
        f"--pid={pid}",
        "instrumentation",
        "on" if on else "off",
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    said, _ = await switch.communicate()
    if switch.returncode != 0 or b"error" in said.lower():
        raise RuntimeError(f"vgdb could not switch callgrind's counting: {said.decode()}")


def callgrind_total(out: Path) -> int:
    """The instructions a callgrind file counted (its `totals:` line; 0 without a file)."""
    if not out.exists():
        return 0
    for line in out.read_text(errors="replace").splitlines():
        if line.startswith("totals:"):
            return int(line.split()[1])
    return 0


def measured_pid(pid: int, *, profiled: bool) -> int:
    """The bot's own pid (under py-spy, the profiler's child)."""
    if not profiled:
        return pid
    children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    return int(children[0]) if children else pid


def stop(process: subprocess.Popen[bytes], patience: float = 10) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(patience)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


async def run_one(
    target: Target,
    users: int,
    seconds: float,
    database_url: str,
    label: str,
    connector: BenchConnector,
    profile: Path | None = None,
    gil: bool = False,
    callgrind: Path | None = None,
) -> Result:
    run = uuid.uuid4().hex[:6]
    casts = [cast_of(i, run) for i in range(users)]
    workdir = tempfile.mkdtemp(prefix="amkbot-bench-")
    port = free_port()
    env = {
        **os.environ,
        "PORT": str(port),
        "HOST": "127.0.0.1",
        "DATABASE_URL": database_url,
        "MicrosoftAppId": "",
        "MicrosoftAppPassword": "",
        # BENCH_APP_ROOT: measure another checkout of the app (e.g. `git archive HEAD`).
        "PYTHONPATH": os.pathsep.join(filter(None, [os.environ.get("BENCH_APP_ROOT"), str(ROOT)])),
        "BENCH_CWD": workdir,
    }
    env.update(target.env)
    if target.prepare is not None:
        target.prepare(casts, env)
    command = [*target.command, *([str(port)] if target.port_argument else [])]
    if profile is not None:
        spy = str(Path(PYTHON).parent / "py-spy")
        options = ["record", "--format", "raw", "--rate", "250", "-o", str(profile)]
        options += ["--gil", "--"] if gil else ["--"]
        command = [spy, *options, *command]
    counts = None
    if callgrind is not None:
        counts = callgrind / f"callgrind.{target.name}.{label}.{users}.{run}.out"
        command = [*callgrind_command(counts), *command]
    process, log = start_bot(command, env, workdir)
    http = aiohttp.ClientSession(
        connector=aiohttp.TCPConnector(limit=0), timeout=aiohttp.ClientTimeout(total=TIMEOUT)
    )
    result = Result(target.name, label, users, seconds)
    probe = MachineProbe()
    try:
        await wait_listening(port, process, patience=900 if callgrind else 90)
        client = Client(f"http://127.0.0.1:{port}/api/messages", connector, http)
        for cast in casts:
            connector.watch(cast.leader.chat_id)
            for user in (cast.requester, cast.leader, cast.amk):
                client.register(user)
                update = client.activity(
                    user, type="conversationUpdate", membersAdded=[{"id": BOT_ID}]
                )
                async with http.post(client.url, json=update) as response:
                    await response.read()
        warm: list[Turn] = []
        await asyncio.gather(*(target.cycle(client, cast, warm.append) for cast in casts))
        warm_errors = [t.error for t in warm if not t.ok]
        if warm_errors:
            print(f"  warm-up errors ({len(warm_errors)}): {warm_errors[0]}", file=sys.stderr)
        pid = measured_pid(process.pid, profiled=profile is not None)
        # The load generator's own collections would land in the latencies it measures (60 ms
        # over its whole heap, 10–25 ms over what a run adds): what exists now is set aside,
        # and nothing is collected until the run ends (its garbage is freed by reference
        # counting; what is cyclic waits the 15 s).
        gc.collect()
        gc.freeze()
        gc.disable()
        if counts is not None:
            await count_instructions(pid, env, on=True)
        cpu_before, own_before = cpu_seconds(pid), time.process_time()
        probe.start()
        calls_before = connector.requests
        started = time.perf_counter()
        deadline = started + seconds

        async def user_loop(cast: Cast) -> None:
            while time.perf_counter() < deadline:
                await target.cycle(client, cast, result.record)

        await asyncio.gather(*(user_loop(cast) for cast in casts))
        result.seconds = time.perf_counter() - started
        result.connector_calls = connector.requests - calls_before
        result.cpu_seconds = cpu_seconds(pid) - cpu_before
        result.driver_cpu_seconds = time.process_time() - own_before
        if counts is not None:
            await count_instructions(pid, env, on=False)
        await probe.stop()
        result.machine = probe.summary()
        result.stalls = stalls([(t.ended, t.latency) for t in result.turns if t.ok], probe)
    finally:
        gc.enable()
        gc.unfreeze()
        await probe.stop()
        await http.close()
        # In a thread: the fake connector runs on this loop and must keep answering the
        # bot's last sends while it drains them.
        await asyncio.to_thread(stop, process, 300 if counts else 10)
        log.close()
        if counts is not None:
            result.instructions = callgrind_total(counts)
        failed = process.returncode not in (0, -signal.SIGINT, None) or result.errors
        if failed or os.environ.get("BENCH_KEEP_LOGS"):
            print(
                f"  bot log kept: {workdir}/bot.log (exit code {process.returncode})",
                file=sys.stderr,
            )
        else:
            shutil.rmtree(workdir, ignore_errors=True)
        for cast in casts:
            for user in (cast.requester, cast.leader, cast.amk):
                connector.forget_conversation(user.chat_id)
    return result


# -- databases -------------------------------------------------------------------------------


class Databases:
    """A fresh SQLite file per run; on PostgreSQL a fresh database of our own, dropped after."""

    def __init__(self, server_url: str | None) -> None:
        self.server_url = server_url
        self.created: list[str] = []
        self.directories: list[str] = []

    def sqlite(self) -> str:
        directory = tempfile.mkdtemp(prefix="amkbot-bench-db-")
        self.directories.append(directory)
        return f"sqlite+aiosqlite:///{directory}/bench.db"

    async def postgres(self) -> str:
        import asyncpg  # type: ignore[import-untyped]

        assert self.server_url is not None
        name = f"amkbot_bench_{uuid.uuid4().hex[:10]}"
        connection = await asyncpg.connect(self._dsn(self.server_url))
        try:
            await connection.execute(f'CREATE DATABASE "{name}"')
        finally:
            await connection.close()
        self.created.append(name)
        base = self.server_url.rsplit("/", 1)[0]
        return f"{base}/{name}"

    async def drop_ours(self) -> None:
        for directory in self.directories:
            shutil.rmtree(directory, ignore_errors=True)
        if not self.created or self.server_url is None:
            return
        import asyncpg

        connection = await asyncpg.connect(self._dsn(self.server_url))
        try:
            for name in self.created:
                assert name.startswith("amkbot_bench_")
                await connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
        finally:
            await connection.close()

    @staticmethod
    def _dsn(url: str) -> str:
        return url.replace("postgresql+asyncpg://", "postgresql://")


# -- report ----------------------------------------------------------------------------------

COLUMNS = (
    ("bot", "bot", "{}"),
    ("db", "db", "{}"),
    ("users", "users", "{}"),
    ("turns", "turns", "{}"),
    ("turns/s", "turns_per_s", "{:.1f}"),
    ("p50 ms", "p50_ms", "{:.1f}"),
    ("p95 ms", "p95_ms", "{:.1f}"),
    ("p99 ms", "p99_ms", "{:.1f}"),
    ("max ms", "max_ms", "{:.1f}"),
    ("invoke p99 ms", "invoke_p99_ms", "{:.1f}"),
    ("errors", "errors", "{}"),
    ("bot CPU ms/turn", "cpu_ms_per_turn", "{:.2f}"),
    ("driver CPU ms/turn", "driver_cpu_ms_per_turn", "{:.2f}"),
)


def table(rows: list[dict[str, Any]]) -> str:
    lines = [
        "| " + " | ".join(title for title, _, _ in COLUMNS) + " |",
        "|" + "|".join("---" for _ in COLUMNS) + "|",
    ]
    for row in rows:
        cells = [fmt.format(row[key]) if row[key] != "" else "" for _, key, fmt in COLUMNS]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


ECHO_AGAIN = "echo (again)"


def echo_reference(rows: list[dict[str, Any]], users: int) -> dict[str, Any] | None:
    """The echo bot's figures our bot is compared with: the mean of its run before ours and
    its run after them (the machine's speed drifts within minutes; bracketing our runs keeps
    a drift from landing on one side of the ratio only)."""
    runs = [r for r in rows if r["bot"] in ("echo", ECHO_AGAIN) and r["users"] == users]
    if not runs:
        return None
    return {
        key: statistics.fmean(r[key] for r in runs) for key in ("turns_per_s", "p99_ms", "p50_ms")
    }


def ratios(rows: list[dict[str, Any]]) -> str:
    lines = [
        "| bot | db | users | turns/s vs echo | turns/s vs bare | p99 vs echo | p99 vs bare |",
        "|---|---|---|---|---|---|---|",
    ]
    by = {(r["bot"], r["db"], r["users"]): r for r in rows}
    for row in rows:
        if not row["bot"].startswith("amkbot"):
            continue
        echo = echo_reference(rows, row["users"])
        bare = by.get(("bare", "-", row["users"]))
        if echo is None or bare is None:
            continue
        lines.append(
            f"| {row['bot']} | {row['db']} | {row['users']} "
            f"| {row['turns_per_s'] / echo['turns_per_s']:.2f}× "
            f"| {row['turns_per_s'] / bare['turns_per_s']:.3f}× "
            f"| {row['p99_ms'] / echo['p99_ms']:.2f}× "
            f"| {row['p99_ms'] / bare['p99_ms']:.1f}× |"
        )
    return "\n".join(lines)


def targets(rows: list[dict[str, Any]]) -> str:
    """Issue 8's three targets, checked for every configuration of our bot in this run."""
    lines = [
        "| bot | db | throughput at 50 users ≥ 3× echo | p99 at 50 users ≤ ½ echo's "
        "| invoke p99 at 10 users < 100 ms |",
        "|---|---|---|---|---|",
    ]
    by = {(r["bot"], r["db"], r["users"]): r for r in rows}
    configurations = sorted({(r["bot"], r["db"]) for r in rows if r["bot"].startswith("amkbot")})
    for bot, db in configurations:
        ours50, echo50 = by.get((bot, db, 50)), echo_reference(rows, 50)
        ours10 = by.get((bot, db, 10))
        cells = []
        if ours50 and echo50:
            ratio = ours50["turns_per_s"] / echo50["turns_per_s"]
            cells.append(f"{ratio:.2f}× — {'met' if ratio >= 3 else 'not met'}")
            share = ours50["p99_ms"] / echo50["p99_ms"]
            cells.append(f"{share:.2f}× — {'met' if share <= 0.5 else 'not met'}")
        else:
            cells += ["(not run)", "(not run)"]
        invoke = ours10.get("invoke_p99_ms") if ours10 else None
        if isinstance(invoke, float | int):
            cells.append(f"{invoke:.0f} ms — {'met' if invoke < 100 else 'not met'}")
        else:
            cells.append("(not run)")
        lines.append(f"| {bot} | {db} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def machine() -> str:
    model = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        "unknown",
    )
    return f"{os.cpu_count()} CPUs ({model}), Python {sys.version.split()[0]}"


def write_doc(text: str) -> None:
    if not DOC.exists():
        return
    doc = DOC.read_text(encoding="utf-8")
    if START in doc and END in doc:
        head, rest = doc.split(START, 1)
        DOC.write_text(head + START + "\n" + text + "\n" + END + rest.split(END, 1)[1])


async def main_async(args: argparse.Namespace) -> int:
    databases = Databases(os.environ.get("BENCH_DATABASE_URL") or None)
    connector = BenchConnector()
    await connector.start()
    rows: list[dict[str, Any]] = []
    try:
        plans: list[tuple[str, str]] = []
        for name in args.bots.split(","):
            if name.startswith("amkbot"):
                if not TARGETS[name].postgres_only:
                    plans.append((name, "sqlite"))
                if databases.server_url:
                    plans.append((name, "postgresql"))
            else:
                plans.append((name, "-"))
        if ("echo", "-") in plans and any(name.startswith("amkbot") for name, _ in plans):
            plans.remove(("echo", "-"))
            plans = [("echo", "-"), *plans]
            ours = max(i for i, (name, _) in enumerate(plans) if name.startswith("amkbot"))
            plans.insert(ours + 1, (ECHO_AGAIN, "-"))
        for users in [int(u) for u in args.users.split(",")]:
            for name, label in plans:
                url = databases.sqlite()
                if label == "postgresql":
                    url = await databases.postgres()
                profile = Path(args.profile) if args.profile else None
                callgrind = Path(args.callgrind) if args.callgrind else None
                if callgrind is not None:
                    callgrind.mkdir(parents=True, exist_ok=True)
                target = TARGETS["echo" if name == ECHO_AGAIN else name]
                result = await run_one(
                    target,
                    users,
                    args.duration,
                    url,
                    label,
                    connector,
                    profile,
                    args.gil,
                    callgrind,
                )
                result.bot = name
                row = result.row()
                rows.append(row)
                for step, line in result.steps().items():
                    print(f"    {step:22} {line}", flush=True)
                print(f"    {result.machine}", flush=True)
                for line in result.stalls:
                    print(f"    stall: {line}", flush=True)
                print(
                    f"{name:7} {label:10} users={users:3} {row['turns_per_s']:8.1f} turns/s "
                    f"p50={row['p50_ms']:7.1f} p99={row['p99_ms']:7.1f} ms "
                    f"errors={row['errors']} cpu={row['cpu_ms_per_turn']:.2f} ms/turn "
                    f"connector calls={row['connector_calls_per_turn']:.2f}/turn "
                    + (
                        f"instructions={row['instructions_per_turn'] / 1e6:.2f} M/turn "
                        if args.callgrind
                        else ""
                    )
                    + f"{row['first_error']}",
                    flush=True,
                )
    finally:
        await connector.close()
        await databases.drop_ours()
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    postgres = "BENCH_DATABASE_URL=… " if databases.server_url else ""
    text = (
        f"Run {stamp} on {machine()}; {args.duration:g} s per configuration; "
        f"`{postgres}python -m bench.run --users {args.users} --bots {args.bots} "
        f"--duration {args.duration:g}`\n\n{table(rows)}\n\n"
        "Ratios and targets compare with the echo bot's mean of its run before ours and its "
        f"run after them.\n\n{ratios(rows)}\n\n"
        f"{targets(rows)}\n"
    )
    print("\n" + text)
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    (out / "latest.json").write_text(json.dumps({"when": stamp, "rows": rows}, indent=1))
    (out / "latest.md").write_text(text)
    if args.write_doc:
        write_doc(text)
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--users", default="1,10,50", help="comma-separated user counts")
    parser.add_argument("--bots", default="amkbot,amkbot-2w,echo,bare", help=", ".join(TARGETS))
    parser.add_argument("--duration", type=float, default=15.0, help="seconds per run")
    parser.add_argument("--profile", help="record the bot with py-spy (raw) into this file")
    parser.add_argument(
        "--callgrind",
        metavar="DIR",
        help="run the bot under valgrind's callgrind and print its instructions per turn "
        "(repeatable where CPU seconds are not; about 50 times slower)",
    )
    parser.add_argument("--gil", action="store_true", help="py-spy: only GIL-holding samples")
    parser.add_argument("--write-doc", action="store_true", help="update docs/performance.md")
    return asyncio.run(main_async(parser.parse_args()))


if __name__ == "__main__":
    raise SystemExit(main())
