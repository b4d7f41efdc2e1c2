"""The organisation's directory through Graph: the name and address of a person picked in
Teams' people picker (`GET /users/{id}`, permission `User.ReadBasic.All`).

A card action waits for the answer, so the lookup gives up fast (one retry after at most a
second, three seconds in all): without an answer the person is stored by object id alone and
named when they first write to the bot."""

from __future__ import annotations

import asyncio
import logging

from bot.connector import RetryPolicy
from bot.graph import GraphClient, GraphError, TokenProvider, segment
from domain.org import is_email, normalise_upn
from services.ports import DirectoryEntry

log = logging.getLogger(__name__)

# `RetryPolicy` waits at most five times `max_delay` for a `Retry-After`: here a second.
LOOKUP_RETRY = RetryPolicy(attempts=2, base_delay=0.2, max_delay=0.2)
LOOKUP_TIMEOUT = 2.0
LOOKUP_BUDGET = 3.0


class GraphDirectory:
    """`services.ports.Directory` on Graph."""

    def __init__(self, graph: GraphClient) -> None:
        self.graph = graph

    @classmethod
    def on(cls, base_url: str, token: TokenProvider, *, ca_bundle: str = "") -> GraphDirectory:
        """A directory with its own quick client on the Graph at `base_url`."""
        client = GraphClient(
            base_url, token, ca_bundle=ca_bundle, retry=LOOKUP_RETRY, timeout=LOOKUP_TIMEOUT
        )
        return cls(client)

    async def person(self, aad_object_id: str) -> DirectoryEntry | None:
        try:
            found = await asyncio.wait_for(
                self.graph.call(
                    "GET",
                    f"users/{segment(aad_object_id)}",
                    params={"$select": "id,displayName,userPrincipalName,mail"},
                ),
                LOOKUP_BUDGET,
            )
        except GraphError as error:
            log.warning("no directory entry for a picked person: %s", error.status or error.code)
            return None
        except TimeoutError:
            log.warning("no directory entry for a picked person: no answer in time")
            return None
        name = found.get("displayName")
        address = found.get("userPrincipalName") or found.get("mail")
        return DirectoryEntry(
            name=name.strip()[:200] or None if isinstance(name, str) else None,
            upn=normalise_upn(address) if isinstance(address, str) and is_email(address) else None,
        )

    async def close(self) -> None:
        await self.graph.close()
