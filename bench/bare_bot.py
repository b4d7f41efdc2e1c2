"""The loopback limit: a bare aiohttp handler that answers and posts the reply itself.

One pooled client session, no SDK, no database. Run: `python -m bench.bare_bot PORT`.
"""

from __future__ import annotations

import sys
from typing import Any
from urllib.parse import quote

import aiohttp
from aiohttp import web

SESSION = web.AppKey("session", aiohttp.ClientSession)


async def messages(request: web.Request) -> web.Response:
    activity: dict[str, Any] = await request.json()
    if activity.get("type") == "invoke":
        return web.json_response(
            {"statusCode": 200, "type": "application/vnd.microsoft.activity.message", "value": "ok"}
        )
    if activity.get("type") != "message":
        return web.Response(status=201)
    conversation = activity["conversation"]["id"]
    reply = {
        "type": "message",
        "text": f"Echo: {activity.get('text')}",
        "from": activity.get("recipient"),
        "recipient": activity.get("from"),
        "conversation": activity["conversation"],
        "replyToId": activity.get("id"),
    }
    url = (
        f"{activity['serviceUrl'].rstrip('/')}/v3/conversations/{quote(conversation, safe='')}"
        f"/activities/{quote(str(activity.get('id')), safe='')}"
    )
    async with request.app[SESSION].post(url, json=reply) as response:
        await response.read()
    return web.Response(status=201)


async def _session(app: web.Application) -> Any:
    app[SESSION] = aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0))
    yield
    await app[SESSION].close()


def main() -> None:
    app = web.Application()
    app.cleanup_ctx.append(_session)
    app.router.add_post("/api/messages", messages)
    web.run_app(app, host="127.0.0.1", port=int(sys.argv[1]), print=None, access_log=None)


if __name__ == "__main__":
    main()
