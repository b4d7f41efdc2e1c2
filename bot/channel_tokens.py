"""The Bot Framework's tokens, checked without ever waiting for its key server.

botbuilder fetches the signing keys with a blocking call without a timeout inside the
request that needs them, so one token naming an unknown key could stop the whole process
while the key server did not answer. Here the keys are fetched in the background (with a
timeout), kept and reused; a request is checked only against keys already known, and a
token whose key is not known is refused at once while a fetch starts behind it.

The rules are botbuilder's for tokens from the Bot Framework channel service (public cloud):
RS256 only, issuer `https://api.botframework.com`, a key from the published set (endorsed
for the activity's channel when the key lists endorsements), audience the app id, the
`serviceurl` claim equal to the activity's service URL, five minutes of clock skew, and no
skill (bot-to-bot) tokens. Emulator and skill tokens, which Teams never sends, are refused.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import aiohttp
import jwt
from botframework.connector.auth import AuthenticationConstants, SkillValidation

log = logging.getLogger(__name__)

Clock = Callable[[], float]

ISSUER = AuthenticationConstants.TO_BOT_FROM_CHANNEL_TOKEN_ISSUER
ALGORITHM = "RS256"
CLOCK_SKEW_SECONDS = 5 * 60
# botbuilder's schedule: the keys are fetched again once a day; a token naming a key that is
# not in the set fetches it again (here at most every five minutes, not every hour).
KEYS_MAX_AGE_SECONDS = 24 * 3600
UNKNOWN_KEY_REFETCH_SECONDS = 5 * 60
# After a failed fetch the next one waits this long; tokens are refused meanwhile.
FAILED_FETCH_PAUSE_SECONDS = 60
LOG_EVERY_SECONDS = 60


class TokenRefused(Exception):
    """The request's token is not accepted; `reason` names the kind of failure."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class SigningKey:
    key: Any
    endorsements: frozenset[str]


class SigningKeys:
    """The Bot Framework's published signing keys, fetched in the background."""

    def __init__(self, metadata_url: str, *, timeout: float, clock: Clock = time.time) -> None:
        self.metadata_url = metadata_url
        self.timeout = timeout
        self.clock = clock
        self._keys: dict[str, SigningKey] = {}
        self._fetched_at: float | None = None
        self._failed_at: float | None = None
        self._fetch: asyncio.Task[None] | None = None

    def find(self, key_id: str) -> SigningKey | None:
        """The key if it is known now. Keys a day old, or a key id not in the set, start a
        fetch in the background; the keys known meanwhile stay in use."""
        key = self._keys.get(key_id)
        age = float("inf") if self._fetched_at is None else self.clock() - self._fetched_at
        if age > (UNKNOWN_KEY_REFETCH_SECONDS if key is None else KEYS_MAX_AGE_SECONDS):
            self.fetch_soon()
        return key

    def fetch_soon(self) -> None:
        """Start a fetch, unless one is under way or the last one failed under a minute ago."""
        if self._fetch is not None and not self._fetch.done():
            return
        if (
            self._failed_at is not None
            and self.clock() - self._failed_at < FAILED_FETCH_PAUSE_SECONDS
        ):
            return
        self._fetch = asyncio.get_running_loop().create_task(self._fetch_keys())

    async def settled(self) -> None:
        """Wait for the fetch under way, if any (it never raises)."""
        if self._fetch is not None:
            await asyncio.shield(self._fetch)

    async def close(self) -> None:
        if self._fetch is not None and not self._fetch.done():
            self._fetch.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._fetch

    async def _fetch_keys(self) -> None:
        try:
            async with asyncio.timeout(self.timeout), aiohttp.ClientSession() as http:
                metadata = await _json(http, self.metadata_url)
                keys = _signing_keys(await _json(http, str(metadata["jwks_uri"])))
        except (aiohttp.ClientError, TimeoutError, ValueError, KeyError, TypeError) as error:
            self._failed_at = self.clock()
            log.warning(
                "could not fetch the Bot Framework signing keys (%s); tokens whose key is not "
                "known are refused until a fetch succeeds, the next in %d s",
                type(error).__name__,
                FAILED_FETCH_PAUSE_SECONDS,
            )
            return
        self._keys = keys
        self._fetched_at = self.clock()
        self._failed_at = None
        log.info("fetched %d Bot Framework signing keys", len(keys))


async def _json(http: aiohttp.ClientSession, url: str) -> dict[str, Any]:
    async with http.get(url, raise_for_status=True) as answer:
        document = await answer.json(content_type=None)
    if not isinstance(document, dict):
        raise ValueError("not a JSON object")
    return document


def _signing_keys(jwks: dict[str, Any]) -> dict[str, SigningKey]:
    """The usable RSA keys of a JWKS document, by key id; ValueError if there are none."""
    keys: dict[str, SigningKey] = {}
    for entry in jwks["keys"]:
        if not isinstance(entry, dict) or not isinstance(entry.get("kid"), str):
            continue
        try:
            public_key = jwt.PyJWK(entry, algorithm=ALGORITHM).key
        except (jwt.PyJWTError, KeyError, ValueError):
            continue
        endorsements = entry.get("endorsements")
        keys[entry["kid"]] = SigningKey(
            public_key,
            frozenset(e for e in endorsements if isinstance(e, str))
            if isinstance(endorsements, list)
            else frozenset(),
        )
    if not keys:
        raise ValueError("no usable signing keys")
    return keys


class RefusalLog:
    """One log line per kind of refusal per minute, with how many were left unlogged."""

    def __init__(self, clock: Clock) -> None:
        self.clock = clock
        self._logged_at: dict[str, float] = {}
        self._unlogged: dict[str, int] = {}

    def note(self, reason: str) -> None:
        now = self.clock()
        logged_at = self._logged_at.get(reason)
        if logged_at is not None and now - logged_at < LOG_EVERY_SECONDS:
            self._unlogged[reason] = self._unlogged.get(reason, 0) + 1
            return
        self._logged_at[reason] = now
        unlogged = self._unlogged.pop(reason, 0)
        log.info(
            "refused a request: %s%s",
            reason,
            f" ({unlogged} more like it since the last line)" if unlogged else "",
        )


class ChannelTokens:
    """Checks the token of a request from the Bot Framework channel service."""

    def __init__(self, app_id: str, keys: SigningKeys, *, clock: Clock = time.time) -> None:
        self.app_id = app_id
        self.keys = keys
        self.clock = clock
        self.refusals = RefusalLog(clock)

    def check(
        self, auth_header: str, *, channel_id: str | None, service_url: str
    ) -> dict[str, Any]:
        """The token's claims; `TokenRefused` (logged) if it does not pass."""
        try:
            return self._claims(auth_header, channel_id, service_url)
        except TokenRefused as refusal:
            self.refusals.note(refusal.reason)
            raise

    def _claims(self, auth_header: str, channel_id: str | None, service_url: str) -> dict[str, Any]:
        scheme, _, token = auth_header.partition(" ")
        if scheme != "Bearer" or not token or " " in token:
            raise TokenRefused("no bearer token")
        try:
            header = jwt.get_unverified_header(token)
            unverified = jwt.decode(token, options={"verify_signature": False})
        except jwt.PyJWTError:
            raise TokenRefused("not a JWT") from None
        if header.get("alg") != ALGORITHM:
            raise TokenRefused("signing algorithm not allowed")
        if unverified.get("iss") != ISSUER:
            raise TokenRefused("not issued by the Bot Framework")
        key_id = header.get("kid")
        if not isinstance(key_id, str) or not key_id:
            raise TokenRefused("no key id")
        key = self.keys.find(key_id)
        if key is None:
            raise TokenRefused("signing key not known (yet)")
        if key.endorsements and channel_id and channel_id not in key.endorsements:
            raise TokenRefused("key not endorsed for the channel")
        try:
            claims: dict[str, Any] = jwt.decode(
                token,
                key.key,
                algorithms=[ALGORITHM],
                options={
                    "verify_aud": False,
                    "verify_iss": False,
                    "verify_exp": False,
                    "verify_nbf": False,
                    "verify_iat": False,
                },
            )
        except jwt.PyJWTError:
            raise TokenRefused("bad signature") from None
        self._check_times(claims)
        if claims.get("aud") != self.app_id:
            raise TokenRefused("for another app")
        if claims.get(AuthenticationConstants.SERVICE_URL_CLAIM) != service_url:
            raise TokenRefused("for another service URL")
        if SkillValidation.is_skill_claim(claims):
            raise TokenRefused("a skill token")
        return claims

    def _check_times(self, claims: dict[str, Any]) -> None:
        now = self.clock()
        expires = _seconds(claims.get("exp"))
        if expires is None or expires <= now - CLOCK_SKEW_SECONDS:
            raise TokenRefused("expired or no expiry")
        for name in ("nbf", "iat"):
            if name in claims:
                moment = _seconds(claims[name])
                if moment is None or moment > now + CLOCK_SKEW_SECONDS:
                    raise TokenRefused("not valid yet")


def _seconds(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)
