"""Security at the edges: real Bot Framework tokens, who may click what, size, the audit trail.

The token tests sign JWTs with a test RSA key and serve its OpenID configuration and JWKS on
a local port; botbuilder's channel validation is pointed at it (the setting Teams' real
metadata URL lives in), so every check botbuilder makes (signature, algorithm, issuer,
audience, expiry, service URL, endorsements) runs for real.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import json
import threading
import time
import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import jwt
import pytest
from botframework.connector.auth import ChannelValidation, MicrosoftAppCredentials
from botframework.connector.auth.jwt_token_extractor import JwtTokenExtractor
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from sqlalchemy import delete, func, select, update

from bot.__main__ import main
from storage.models import AuditEvent
from tests.conftest import DatabaseTarget
from tests.fake_connector import FakeConnector
from tests.reliability.test_faults import LISE, MAJA, _ask_for_approval, _kemi_with_leader
from tests.teams import BotUnderTest, make_user

APP_ID = "0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b"
ISSUER = "https://api.botframework.com"
KID = "amkbot-test-key"
OLE = make_user("Ole Olsen", "ole@uni.dk", "en-US")


def _b64(number: int) -> str:
    raw = number.to_bytes((number.bit_length() + 7) // 8, "big")
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


@dataclass
class TokenIssuer:
    """A stand-in for the Bot Framework's token service: its key and its metadata URL."""

    key: rsa.RSAPrivateKey
    metadata_url: str

    def token(
        self,
        service_url: str,
        *,
        key: Any = None,
        algorithm: str = "RS256",
        kid: str | None = KID,
        lifetime: timedelta = timedelta(hours=1),
        **claims: Any,
    ) -> str:
        now = datetime.now(UTC)
        payload: dict[str, Any] = {
            "iss": ISSUER,
            "aud": APP_ID,
            "serviceurl": service_url,
            "nbf": int((now - timedelta(minutes=1)).timestamp()),
            "iat": int((now - timedelta(minutes=1)).timestamp()),
            "exp": int((now + lifetime).timestamp()),
        }
        payload.update(claims)
        headers = {"kid": kid} if kid else {}
        return jwt.encode(
            payload, self.key if key is None else key, algorithm=algorithm, headers=headers
        )


@pytest.fixture(scope="module")
def token_service() -> Iterator[TokenIssuer]:
    """OpenID configuration and JWKS over HTTP on a free local port, in a thread of its own
    (botbuilder fetches them with blocking `requests` calls from the bot's event loop)."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    numbers = key.public_key().public_numbers()
    jwk = {"kty": "RSA", "use": "sig", "kid": KID, "n": _b64(numbers.n), "e": _b64(numbers.e)}
    documents: dict[str, dict[str, Any]] = {}

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            document = documents.get(self.path)
            body = json.dumps(document).encode()
            self.send_response(200 if document is not None else 404)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    base = f"http://127.0.0.1:{server.server_address[1]}"
    documents["/.well-known/openid-configuration"] = {
        "issuer": ISSUER,
        "jwks_uri": f"{base}/keys",
        "id_token_signing_alg_values_supported": ["RS256"],
    }
    documents["/keys"] = {"keys": [{**jwk, "endorsements": ["msteams"]}]}
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield TokenIssuer(key, f"{base}/.well-known/openid-configuration")
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
async def secured(
    database_target: DatabaseTarget,
    connector: FakeConnector,
    token_service: TokenIssuer,
    monkeypatch: pytest.MonkeyPatch,
) -> AsyncIterator[BotUnderTest]:
    """The bot with an app id, validating tokens against the test key's metadata.

    Outgoing calls use a fixed bot token instead of asking Entra ID for one (no network)."""
    monkeypatch.setattr(ChannelValidation, "open_id_metadata_endpoint", token_service.metadata_url)
    monkeypatch.setattr(JwtTokenExtractor, "metadataCache", {})
    monkeypatch.setattr(
        MicrosoftAppCredentials, "get_access_token", lambda self, *a, **k: "bot-token"
    )
    under_test = BotUnderTest(database_target, connector, admin_upns=set(), app_id=APP_ID)
    await under_test.start()
    try:
        yield under_test
    finally:
        await under_test.stop()


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


async def test_a_correctly_signed_token_gets_in_and_is_answered(
    secured: BotUnderTest, token_service: TokenIssuer
) -> None:
    user = make_user("Jane Doe", "jado@uni.dk", "en-GB")
    token = token_service.token(secured.connector.url)
    reply = await secured.post(secured.personal(user, text="help"), headers=_bearer(token))
    assert reply.status in (200, 201)
    answers = secured.connector.messages()
    assert len(answers) == 1 and "How to use AMK-bot" in answers[0].card_text()
    invoke = secured.personal(
        user,
        type="invoke",
        name="adaptiveCard/action",
        value={"action": {"type": "Action.Execute", "verb": "nothing.here", "data": {}}},
    )
    card = await secured.post(invoke, headers=_bearer(token))
    assert card.status == 200 and card.body["statusCode"] == 200


def _hmac_token(secret: bytes, payload: dict[str, Any]) -> str:
    """HS256 signed with the RSA public key (the algorithm-confusion attack), built by hand:
    PyJWT refuses to make one."""

    def part(data: dict[str, Any]) -> str:
        raw = json.dumps(data, separators=(",", ":")).encode()
        return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()

    signing_input = f"{part({'alg': 'HS256', 'typ': 'JWT', 'kid': KID})}.{part(payload)}"
    signature = hmac.new(secret, signing_input.encode(), hashlib.sha256).digest()
    return f"{signing_input}.{base64.urlsafe_b64encode(signature).rstrip(b'=').decode()}"


def _wrong_tokens(issuer: TokenIssuer, service_url: str) -> dict[str, str]:
    other_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    public_pem = issuer.key.public_key().public_bytes(
        encoding=serialization.Encoding.PEM,
        format=serialization.PublicFormat.SubjectPublicKeyInfo,
    )
    return {
        "signed with another key": issuer.token(service_url, key=other_key),
        "expired an hour ago": issuer.token(service_url, lifetime=-timedelta(hours=1)),
        "for another bot": issuer.token(service_url, aud=str(uuid.uuid4())),
        "from another issuer": issuer.token(service_url, iss="https://login.example.com"),
        "for another service URL": issuer.token("https://smba.example.com/"),
        "unknown key id": issuer.token(service_url, kid="someone-elses-key"),
        "no key id": issuer.token(service_url, kid=None),
        "unsigned (alg none)": issuer.token(service_url, key="", algorithm="none"),
        "HMAC with the public key": _hmac_token(
            public_pem, jwt.decode(issuer.token(service_url), options={"verify_signature": False})
        ),
        "not yet valid": issuer.token(
            service_url, nbf=int(time.time()) + 3600, exp=int(time.time()) + 7200
        ),
    }


async def test_wrong_tokens_are_refused_with_401_and_nothing_is_sent(
    secured: BotUnderTest, token_service: TokenIssuer
) -> None:
    user = make_user("Jane Doe", "jado@uni.dk", "en-GB")
    tokens = _wrong_tokens(token_service, secured.connector.url)
    headers: dict[str, dict[str, str]] = {name: _bearer(token) for name, token in tokens.items()}
    headers["no Authorization header"] = {}
    headers["token without Bearer"] = {"Authorization": tokens["signed with another key"]}
    statuses = {}
    for name, header in headers.items():
        reply = await secured.post(secured.personal(user, text="help"), headers=header)
        statuses[name] = reply.status
        assert "Traceback" not in str(reply.body)
    assert statuses == dict.fromkeys(headers, 401)
    assert secured.connector.messages() == []
    still = await secured.post(
        secured.personal(user, text="help"),
        headers=_bearer(token_service.token(secured.connector.url)),
    )
    assert still.status in (200, 201) and len(secured.connector.messages()) == 1


async def test_a_body_over_the_limit_gets_413_before_anything_else(
    secured: BotUnderTest, token_service: TokenIssuer
) -> None:
    user = make_user("Jane Doe", "jado@uni.dk", "en-GB")
    token = token_service.token(secured.connector.url)
    huge = secured.personal(user, text="ø" * (200 * 1024))
    assert (await secured.post(huge, headers=_bearer(token))).status == 413
    assert (await secured.post(huge)).status == 413
    assert secured.connector.messages() == []


# -- who may click ---------------------------------------------------------------------------


@pytest.mark.parametrize("verb", ["lone_work.approve", "lone_work.reject", "lone_work.revoke"])
async def test_a_decision_by_anyone_but_the_approver_is_refused_and_audited(
    bot: BotUnderTest, verb: str
) -> None:
    from storage.lone_work_models import LoneWorkRequest

    assert bot.runtime is not None
    kemi = await _kemi_with_leader(bot)
    await _ask_for_approval(bot, kemi)
    async with bot.runtime.db.sessions() as session:
        request = (await session.scalars(select(LoneWorkRequest))).one()
    for intruder in (OLE, MAJA):
        reply = await bot.invoke(
            intruder, verb, {"request_id": request.id, "note": "I decide this"}
        )
        assert reply.status == 200 and reply.body["statusCode"] == 200
        shown = json.dumps(reply.body["value"], ensure_ascii=False)
        assert '"verb"' not in shown  # a notice, with no buttons to try again
        assert (
            "You are not the approver" in shown
            or "Du er ikke godkender" in shown
            or "adgang" in shown
        ), shown
    async with bot.runtime.db.sessions() as session:
        stored = await session.get(LoneWorkRequest, request.id)
        refused = (
            await session.scalars(
                select(AuditEvent).where(AuditEvent.action.like("lone_work.%.refused"))
            )
        ).all()
    assert stored is not None and stored.status == "pending" and stored.decided_by_id is None
    assert len(refused) == 2
    assert {event.entity_id for event in refused} == {str(request.id)}
    assert all(event.after == {"reason": "not_approver"} for event in refused)
    decided = await bot.invoke(LISE, "lone_work.approve", {"request_id": request.id})
    assert "Godkendt af Lise Leder" in json.dumps(decided.body["value"], ensure_ascii=False)


# -- the audit trail -------------------------------------------------------------------------


async def _verify(
    target: DatabaseTarget,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> tuple[int, str]:
    """`python -m bot audit verify` on the test's database (its schema, on PostgreSQL)."""
    import bot.__main__ as cli

    monkeypatch.setenv("DATABASE_URL", target.url)
    monkeypatch.setattr(cli, "Database", lambda url: target.open())
    capsys.readouterr()
    code = await asyncio.to_thread(main, ["audit", "verify"])
    captured = capsys.readouterr()
    return code, captured.out + captured.err


async def test_audit_verify_finds_an_edited_and_a_deleted_event(
    bot: BotUnderTest,
    database_target: DatabaseTarget,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
) -> None:
    assert bot.runtime is not None
    monkeypatch.chdir(tmp_path)
    kemi = await _kemi_with_leader(bot)
    await _ask_for_approval(bot, kemi)
    await bot.invoke(OLE, "lone_work.approve", {"request_id": 1})
    await bot.invoke(LISE, "lone_work.approve", {"request_id": 1})
    await bot.runtime.background.drain()
    code, out = await _verify(database_target, monkeypatch, capsys)
    assert code == 0 and "intact" in out
    async with bot.runtime.db.sessions() as session:
        events = await session.scalar(select(func.count()).select_from(AuditEvent))
        approval = (
            await session.scalars(
                select(AuditEvent).where(AuditEvent.action == "lone_work.approve")
            )
        ).one()
    assert events is not None and events > 3

    # Someone changes who approved it, straight in the database.
    original = approval.actor
    async with bot.runtime.db.transaction() as session:
        await session.execute(
            update(AuditEvent).where(AuditEvent.id == approval.id).values(actor="person:999")
        )
    code, out = await _verify(database_target, monkeypatch, capsys)
    assert code == 1 and f"BROKEN at event {approval.sequence}" in out

    # Put back, the trail is whole again; then the refused attempt is deleted.
    async with bot.runtime.db.transaction() as session:
        await session.execute(
            update(AuditEvent).where(AuditEvent.id == approval.id).values(actor=original)
        )
    code, out = await _verify(database_target, monkeypatch, capsys)
    assert code == 0
    async with bot.runtime.db.transaction() as session:
        refused = (
            await session.scalars(
                select(AuditEvent).where(AuditEvent.action == "lone_work.decide.refused")
            )
        ).one()
        await session.execute(delete(AuditEvent).where(AuditEvent.id == refused.id))
    code, out = await _verify(database_target, monkeypatch, capsys)
    assert code == 1 and f"BROKEN at event {refused.sequence + 1}" in out
