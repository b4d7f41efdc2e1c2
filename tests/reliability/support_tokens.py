"""A stand-in for the Bot Framework's token service: a test RSA key, its OpenID metadata and
JWKS on a free local port (or a key server that never answers), and tokens signed with it,
all on a test clock."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import json
import socket
import threading
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa

APP_ID = "0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b"
ISSUER = "https://api.botframework.com"
KID = "amkbot-test-key"
NOW = datetime(2026, 11, 27, 10, 0, tzinfo=UTC)
METADATA_PATH = "/.well-known/openidconfiguration"


class FakeClock:
    """Seconds since the epoch, standing still until `advance`d."""

    def __init__(self, start: datetime = NOW) -> None:
        self.now = start.timestamp()

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


def new_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def _b64(number: int) -> str:
    raw = number.to_bytes((number.bit_length() + 7) // 8, "big")
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


@dataclass
class TokenIssuer:
    """Signs tokens as the Bot Framework does, at the time `clock` says."""

    key: rsa.RSAPrivateKey
    clock: FakeClock

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
        now = datetime.fromtimestamp(self.clock(), UTC)
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


def hmac_token(secret: bytes, payload: dict[str, Any]) -> str:
    """HS256 signed with `secret` (e.g. the RSA public key: the algorithm-confusion attack),
    built by hand: PyJWT refuses to make one."""

    def part(data: dict[str, Any]) -> str:
        raw = json.dumps(data, separators=(",", ":")).encode()
        return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()

    signing_input = f"{part({'alg': 'HS256', 'typ': 'JWT', 'kid': KID})}.{part(payload)}"
    signature = hmac.new(secret, signing_input.encode(), hashlib.sha256).digest()
    return f"{signing_input}.{base64.urlsafe_b64encode(signature).rstrip(b'=').decode()}"


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


class KeyService:
    """The OpenID metadata and JWKS (the key endorsed for `msteams`) over HTTP on a free
    local port, in a thread of its own. While `available` is False it answers 503;
    `fetches` counts the requests for the metadata."""

    def __init__(self, key: rsa.RSAPrivateKey) -> None:
        self.key = key
        numbers = key.public_key().public_numbers()
        jwk = {"kty": "RSA", "use": "sig", "kid": KID, "n": _b64(numbers.n), "e": _b64(numbers.e)}
        self.available = True
        self.fetches = 0
        service = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                if self.path == METADATA_PATH:
                    service.fetches += 1
                document = documents.get(self.path) if service.available else None
                body = json.dumps(document).encode()
                self.send_response(
                    200 if document is not None else 503 if not service.available else 404
                )
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        base = f"http://127.0.0.1:{self._server.server_address[1]}"
        self.metadata_url = base + METADATA_PATH
        documents: dict[str, dict[str, Any]] = {
            METADATA_PATH: {
                "issuer": ISSUER,
                "jwks_uri": f"{base}/keys",
                "id_token_signing_alg_values_supported": ["RS256"],
            },
            "/keys": {"keys": [{**jwk, "endorsements": ["msteams"]}]},
        }
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()


class SilentServer:
    """A key server that accepts connections and never answers.

    It hangs up when closed, or at the latest after `watchdog` seconds and then refuses
    connections: a bot that waits for it fails its test instead of hanging it."""

    def __init__(self, watchdog: float = 30.0) -> None:
        self._socket = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self._socket.getsockname()[1]}{METADATA_PATH}"
        self.connections: list[socket.socket] = []
        self.hung_up = False
        self._watchdog = watchdog
        self._lock = threading.Lock()
        self._accepted = threading.Semaphore(0)
        threading.Thread(target=self._accept, daemon=True).start()
        self._timer = threading.Timer(watchdog, self.close)
        self._timer.daemon = True
        self._timer.start()

    def _accept(self) -> None:
        while True:
            try:
                connection, _ = self._socket.accept()
            except OSError:
                return
            with self._lock:
                if self.hung_up:
                    connection.close()
                    continue
                self.connections.append(connection)
            self._accepted.release()

    async def connected(self) -> None:
        """Wait until someone (else) has connected."""
        got = await asyncio.to_thread(self._accepted.acquire, True, self._watchdog)
        assert got, "nobody connected to the key server"

    def close(self) -> None:
        with self._lock:
            if self.hung_up:
                return
            self.hung_up = True
            for connection in self.connections:
                connection.close()
        self._timer.cancel()
        self._socket.shutdown(socket.SHUT_RDWR)
        self._socket.close()
