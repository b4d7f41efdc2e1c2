"""`python -m bench.export_load`: other users' turns while the secretariat exports the
university's precursor roll-up as a file in the chat.

A database with a decade of university-scale data (`bench/volume.py`, `--scale`), the bot as
`python -m bot run` in local mode, `--users` virtual users doing whole dialogs
(`bench/run.py`'s cycle: a near miss, a lone-work request and its approval). Three windows of
`--duration` seconds: quiet, then while one secretariat member exports the roll-up again and
again (the "eksport" submit, the file consent card, the accept with the upload to the fake
connector's `/upload/…`), then quiet again. Prints p50/p99/max of the users' turns in each
window, and how long the exports took.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import aiohttp

from bench.connector import BenchConnector
from bench.run import (
    BOT_ID,
    PYTHON,
    ROOT,
    TIMEOUT,
    Cast,
    Client,
    Databases,
    Turn,
    User,
    _pct,
    amkbot_cycle,
    cast_of,
    free_port,
    make_user,
    org_file,
    start_bot,
    stop,
    wait_listening,
)

CONSENT = "application/vnd.microsoft.teams.card.file.consent"


async def seed(url: str, scale: float) -> float:
    """Migrate and seed the decade; returns the seconds it took."""
    from bench.volume import seed as seed_volume
    from storage.db import Database
    from storage.prepare import prepare_database

    began = time.perf_counter()
    db = Database(url)
    try:
        await prepare_database(db)
        await seed_volume(db, scale=scale)
    finally:
        await db.dispose()
    return time.perf_counter() - began


def import_people(casts: list[Cast], secretariat: User, env: dict[str, str]) -> None:
    people = org_file(casts)
    people["secretariat"] = [
        {"upn": secretariat.upn, "aad_object_id": secretariat.aad, "name": secretariat.name}
    ]
    with tempfile.NamedTemporaryFile("w", suffix=".yaml", delete=False) as handle:
        json.dump(people, handle)
    import subprocess

    subprocess.run(
        [PYTHON, "-m", "bot", "org", "import", handle.name],
        env=env,
        cwd=env["BENCH_CWD"],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    os.unlink(handle.name)


EXPORT_TIMEOUT = 300.0


async def slow_message(
    client: Client, activity: dict[str, Any]
) -> tuple[float, list[dict[str, Any]]]:
    """`Client.message` with room for an export: seconds until the first reply, and the
    replies."""
    ident = str(activity["id"])
    first = client.connector.expect_reply(ident)
    started = time.perf_counter()
    timeout = aiohttp.ClientTimeout(total=EXPORT_TIMEOUT)
    async with client.http.post(client.url, json=activity, timeout=timeout) as response:
        await response.read()
        if response.status not in (200, 201, 202):
            raise RuntimeError(f"HTTP {response.status}")
    arrived = await asyncio.wait_for(first, EXPORT_TIMEOUT)
    return arrived - started, [arrival.body for arrival in client.connector.forget(ident)]


async def export_once(client: Client, who: User, year: int) -> tuple[float, float, int]:
    """Ask for the roll-up, accept the consent card; (offer s, accept s, bytes)."""
    ask = client.activity(
        who,
        value={"action": "export.offer", "kind": "precursors_all", "year": str(year)},
        replyToId="card-1",
    )
    offered, bodies = await slow_message(client, ask)
    consents = [
        item
        for body in bodies
        for item in body.get("attachments") or []
        if item.get("contentType") == CONSENT
    ]
    if not consents:
        raise RuntimeError(f"no consent card: {bodies}")
    card = consents[0]
    accept = client.activity(
        who,
        type="invoke",
        name="fileConsent/invoke",
        value={
            "type": "fileUpload",
            "action": "accept",
            "context": card["content"]["acceptContext"],
            "uploadInfo": {
                "name": card["name"],
                "uploadUrl": f"{client.connector.url}upload/{card['name']}",
                "contentUrl": f"https://bench.sharepoint.com/{card['name']}",
                "uniqueId": uuid.uuid4().hex,
                "fileType": "xlsx",
            },
        },
        replyToId="consent-1",
    )
    accepted, replies = await slow_message(client, accept)
    if "Her er" not in json.dumps(replies, ensure_ascii=False):
        raise RuntimeError(f"accept failed: {replies}")
    return offered, accepted, int(card["content"]["sizeInBytes"])


def summary(label: str, turns: list[Turn]) -> str:
    ok = sorted(turn.latency for turn in turns if turn.ok)
    errors = sum(1 for turn in turns if not turn.ok)
    if not ok:
        return f"| {label} | 0 | – | – | – | {errors} |"
    return (
        f"| {label} | {len(ok)} | {_pct(ok, 50):.0f} | {_pct(ok, 99):.0f} | "
        f"{ok[-1] * 1000:.0f} | {errors} |"
    )


async def main_async(args: argparse.Namespace) -> int:
    databases = Databases(os.environ.get("BENCH_DATABASE_URL") or None)
    url = await databases.postgres() if args.postgres else databases.sqlite()
    connector = BenchConnector()
    await connector.start()
    workdir = tempfile.mkdtemp(prefix="amkbot-bench-export-")
    run = uuid.uuid4().hex[:6]
    casts = [cast_of(i, run) for i in range(args.users)]
    secretariat = make_user("Sekretariatet", f"sek.{run}@bench.dk")
    year = args.year or datetime.now(UTC).year
    process = None
    log = None
    http = aiohttp.ClientSession(
        connector=aiohttp.TCPConnector(limit=0), timeout=aiohttp.ClientTimeout(total=TIMEOUT)
    )
    try:
        seconds = await seed(url, args.scale)
        print(f"seeded a decade at scale {args.scale} in {seconds:.0f} s", file=sys.stderr)
        port = free_port()
        env = {
            **os.environ,
            "PORT": str(port),
            "HOST": "127.0.0.1",
            "DATABASE_URL": url,
            "MicrosoftAppId": "",
            "MicrosoftAppPassword": "",
            "PYTHONPATH": str(ROOT),
            "BENCH_CWD": workdir,
        }
        import_people(casts, secretariat, env)
        process, log = start_bot([PYTHON, "-m", "bot", "run"], env, workdir)
        await wait_listening(port, process)
        client = Client(f"http://127.0.0.1:{port}/api/messages", connector, http)
        everyone = [secretariat] + [u for c in casts for u in (c.requester, c.leader, c.amk)]
        for cast in casts:
            connector.watch(cast.leader.chat_id)
        for user in everyone:
            client.register(user)
            update = client.activity(user, type="conversationUpdate", membersAdded=[{"id": BOT_ID}])
            async with http.post(client.url, json=update) as response:
                await response.read()
        warm: list[Turn] = []
        await asyncio.gather(*(amkbot_cycle(client, cast, warm.append) for cast in casts))
        first = await export_once(client, secretariat, year)
        print(
            f"warm-up export alone: offer {first[0]:.2f} s, accept {first[1]:.2f} s, "
            f"{first[2] / 1e6:.2f} MB",
            file=sys.stderr,
        )
        gc.collect()
        gc.freeze()
        gc.disable()

        async def window(with_exports: bool) -> tuple[list[Turn], list[tuple[float, float, int]]]:
            turns: list[Turn] = []
            exports: list[tuple[float, float, int]] = []
            deadline = time.perf_counter() + args.duration

            async def user_loop(cast: Cast) -> None:
                while time.perf_counter() < deadline:
                    await amkbot_cycle(client, cast, turns.append)

            async def exporter() -> None:
                while time.perf_counter() < deadline:
                    exports.append(await export_once(client, secretariat, year))

            work = [user_loop(cast) for cast in casts]
            if with_exports:
                work.append(exporter())
            await asyncio.gather(*work)
            return [turn for turn in turns if turn.kind != "delivery"], exports

        # quiet, busy, quiet again: the machine's own drift shows in the two quiet windows
        quiet, _ = await window(False)
        busy, exports = await window(True)
        after, _ = await window(False)
        print(
            f"\n{args.users} users, {args.duration:.0f} s per window, database {url.split(':')[0]}"
        )
        print("| window | turns | p50 ms | p99 ms | max ms | errors |")
        print("|---|---|---|---|---|---|")
        print(summary("users alone", quiet))
        print(summary("users while the roll-up is exported", busy))
        print(summary("users alone again", after))
        if exports:
            offers = [e[0] for e in exports]
            accepts = [e[1] for e in exports]
            print(
                f"\n{len(exports)} roll-up exports of {exports[0][2] / 1e6:.2f} MB: offer "
                f"(read and write) median {statistics.median(offers):.2f} s, accept (check "
                f"and upload) median {statistics.median(accepts):.2f} s"
            )
    finally:
        gc.enable()
        gc.unfreeze()
        await http.close()
        if process is not None:
            await asyncio.to_thread(stop, process, 10)
        if log is not None:
            log.close()
        await connector.close()
        await databases.drop_ours()
        if os.environ.get("BENCH_KEEP_LOGS"):
            print(f"bot log kept: {Path(workdir) / 'bot.log'}", file=sys.stderr)
        else:
            shutil.rmtree(workdir, ignore_errors=True)
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.export_load", description=__doc__)
    parser.add_argument("--users", type=int, default=10)
    parser.add_argument("--duration", type=float, default=20.0, help="seconds per window")
    parser.add_argument("--scale", type=float, default=1.0, help="× the university's volume")
    parser.add_argument("--year", type=int, default=None, help="the roll-up's year (this one)")
    parser.add_argument(
        "--postgres", action="store_true", help="a database on BENCH_DATABASE_URL's server"
    )
    return asyncio.run(main_async(parser.parse_args()))


if __name__ == "__main__":
    sys.exit(main())
