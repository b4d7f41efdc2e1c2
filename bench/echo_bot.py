"""The canonical botbuilder-python echo bot (CloudAdapter + ActivityHandler), as in the samples.

Run: `python -m bench.echo_bot PORT`. Auth is off (empty app id), as for our bot in the bench.
"""

from __future__ import annotations

import sys

from aiohttp import web
from botbuilder.core import (  # noqa: TID251 - the benchmark's reference bot is botbuilder
    ActivityHandler,
    MessageFactory,
    TurnContext,
)
from botbuilder.integration.aiohttp import (  # noqa: TID251
    CloudAdapter,
    ConfigurationBotFrameworkAuthentication,
)
from botbuilder.schema import ChannelAccount  # noqa: TID251


class DefaultConfig:
    """The sample's config.py with an empty app id (local mode)."""

    PORT = 3978
    APP_ID = ""
    APP_PASSWORD = ""
    APP_TYPE = "MultiTenant"
    APP_TENANTID = ""


class EchoBot(ActivityHandler):  # type: ignore[misc]
    async def on_members_added_activity(
        self, members_added: list[ChannelAccount], turn_context: TurnContext
    ) -> None:
        for member in members_added:
            if member.id != turn_context.activity.recipient.id:
                await turn_context.send_activity("Hello and welcome!")

    async def on_message_activity(self, turn_context: TurnContext) -> None:
        await turn_context.send_activity(MessageFactory.text(f"Echo: {turn_context.activity.text}"))


ADAPTER = CloudAdapter(ConfigurationBotFrameworkAuthentication(DefaultConfig()))
BOT = EchoBot()


async def messages(request: web.Request) -> web.StreamResponse:
    response: web.StreamResponse = await ADAPTER.process(request, BOT)
    return response


def main() -> None:
    app = web.Application()
    app.router.add_post("/api/messages", messages)
    web.run_app(app, host="127.0.0.1", port=int(sys.argv[1]), print=None, access_log=None)


if __name__ == "__main__":
    main()
