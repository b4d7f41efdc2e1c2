"""Scheduled sends done once however many processes run: the send is claimed under its key
in `job_run` first, and its outcome recorded there (or the claim released for a retry)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import TypeVar

from services.ports import WORKER
from storage import jobs
from storage.db import Database

Delivered = TypeVar("Delivered")


async def send_once(
    db: Database,
    key: str,
    send: Callable[[], Awaitable[Delivered]],
    *,
    lease: timedelta,
    retry_if: Callable[[Delivered], bool] | None = None,
    retry_reason: str = "not delivered",
    then: Callable[[], Awaitable[None]] | None = None,
) -> bool:
    """Claim `key` (False: another process holds it or it is done) and `send`. A send that
    raises, or whose result `retry_if` rejects, releases the claim for a later try (the
    error is raised again); otherwise `then` runs and the key is done with
    `{"delivered": result}`. True when the key was claimed."""
    if not await jobs.claim(db, key, WORKER, lease):
        return False
    try:
        delivered = await send()
    except Exception as error:
        await jobs.release_failed(db, key, WORKER, type(error).__name__)
        raise
    if retry_if is not None and retry_if(delivered):
        await jobs.release_failed(db, key, WORKER, retry_reason)
        return True
    if then is not None:
        await then()
    await jobs.complete(db, key, WORKER, {"delivered": delivered})
    return True
