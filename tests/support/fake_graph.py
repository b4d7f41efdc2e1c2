"""A stand-in for Microsoft Graph and its token authority, over HTTPS on a local port with a
self-signed certificate: records calls, pages collections, answers 429 with `Retry-After`,
404 for unknown users and groups and 409 when the app is installed already; lists groups'
transitive members and finds users by id (`directory`, `groups`)."""

from __future__ import annotations

import datetime
import ipaddress
import itertools
import re
import ssl
import tempfile
from collections import deque
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from aiohttp import web
from aiohttp.test_utils import TestServer
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from bot.config import GraphSettings

CATALOG_APP_ID = "5f0e1c2b-catalog-amkbot"
CLIENT_ID = "9a8b7c6d-graph-client"
TENANT = "11111111-2222-3333-4444-555555555555"


@cache
def certificate() -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1 (its own CA) and its key, in files."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "fake graph")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=3650))
        .not_valid_after(now + datetime.timedelta(days=3650))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    folder = Path(tempfile.mkdtemp(prefix="fake-graph-"))
    cert_file, key_file = folder / "cert.pem", folder / "key.pem"
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_file, key_file


@dataclass
class Call:
    """One request the bot made."""

    method: str
    path: str
    query: dict[str, str]
    body: dict[str, Any]
    status: int


@dataclass
class FakeGraph:
    """`users` maps an Entra object id or UPN to the person's chat id with the bot (once the
    app is installed); `installed` holds the users the app is installed for; `blocked` users
    answer 403. `throttle(n, seconds)` answers the next n Graph calls with 429. `profiles`
    are what `GET /users/{object id}` answers (the directory's entry of a person)."""

    users: dict[str, str] = field(default_factory=dict)
    installed: set[str] = field(default_factory=set)
    blocked: set[str] = field(default_factory=set)
    profiles: dict[str, dict[str, Any]] = field(default_factory=dict)
    collections: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    # Entra ID: users by object id ({"id", "userPrincipalName", "displayName"}), and each
    # group's direct members (user or group ids)
    directory: dict[str, dict[str, Any]] = field(default_factory=dict)
    groups: dict[str, list[str]] = field(default_factory=dict)
    page_size: int = 2
    calls: list[Call] = field(default_factory=list)
    tokens_issued: int = 0
    # the app has no Graph permissions: every call answers 403
    forbidden: bool = False
    throttled: deque[str] = field(default_factory=deque)
    server: TestServer | None = None
    _ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))

    @property
    def base(self) -> str:
        assert self.server is not None
        return f"https://127.0.0.1:{self.server.port}"

    def settings(self) -> GraphSettings:
        return GraphSettings(
            catalog_app_id=CATALOG_APP_ID,
            client_id=CLIENT_ID,
            client_secret="graph-secret",
            tenant_id=TENANT,
            base_url=f"{self.base}/v1.0",
            authority=self.base,
            ca_bundle=str(certificate()[0]),
        )

    async def start(self) -> None:
        cert_file, key_file = certificate()
        tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        tls.load_cert_chain(cert_file, key_file)
        app = web.Application()
        app.router.add_route("*", "/{tail:.*}", self._handle)
        self.server = TestServer(app, host="127.0.0.1")
        await self.server.start_server(ssl=tls)

    async def close(self) -> None:
        if self.server is not None:
            await self.server.close()

    def throttle(self, count: int, retry_after: str) -> None:
        self.throttled.extend([retry_after] * count)

    def add_user(self, user_id: str, upn: str, name: str, **attributes: str) -> str:
        self.directory[user_id] = {
            "id": user_id,
            "userPrincipalName": upn,
            "displayName": name,
            **attributes,
        }
        return user_id

    def transitive_members(self, group_id: str) -> list[dict[str, Any]]:
        """Every user under the group (nested groups followed, each user once)."""
        seen: dict[str, dict[str, Any]] = {}
        todo, visited = [group_id], set()
        while todo:
            group = todo.pop(0)
            if group in visited:
                continue
            visited.add(group)
            for member in self.groups.get(group, []):
                if member in self.groups:
                    todo.append(member)
                elif member in self.directory:
                    seen.setdefault(member, self.directory[member])
        nested = [
            {"@odata.type": "#microsoft.graph.group", "id": group} for group in visited - {group_id}
        ]
        users = [{"@odata.type": "#microsoft.graph.user", **user} for user in seen.values()]
        return nested + users

    def graph_calls(self, method: str | None = None, contains: str = "") -> list[Call]:
        return [
            call
            for call in self.calls
            if call.path.startswith("/v1.0/")
            and (method is None or call.method == method)
            and contains in call.path
        ]

    def installations(self) -> list[Call]:
        """Installations Graph carried out (201), oldest first."""
        return [
            call
            for call in self.graph_calls("POST", "/teamwork/installedApps")
            if call.status == 201
        ]

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        raw = await request.read()
        body = await request.json() if raw and request.content_type == "application/json" else {}
        answer = await self._answer(request, body)
        self.calls.append(
            Call(request.method, request.path, dict(request.query), body, answer.status)
        )
        return answer

    async def _answer(self, request: web.Request, body: dict[str, Any]) -> web.Response:
        path = request.path
        parts = [unquote(part) for part in path.strip("/").split("/")]
        if path.endswith("/.well-known/openid-configuration"):
            tenant = parts[0]
            return web.json_response(
                {
                    "issuer": f"{self.base}/{tenant}/v2.0",
                    "authorization_endpoint": f"{self.base}/{tenant}/oauth2/v2.0/authorize",
                    "token_endpoint": f"{self.base}/{tenant}/oauth2/v2.0/token",
                }
            )
        if path.endswith("/oauth2/v2.0/token"):
            form = await request.post()
            if form.get("client_id") != CLIENT_ID or form.get("grant_type") != "client_credentials":
                return web.json_response({"error": "invalid_client"}, status=401)
            self.tokens_issued += 1
            return web.json_response(
                {
                    "access_token": f"graph-token-{self.tokens_issued}",
                    "token_type": "Bearer",
                    "expires_in": 3600,
                }
            )
        if not request.headers.get("Authorization", "").startswith("Bearer graph-token-"):
            return _error(401, "InvalidAuthenticationToken")
        if self.forbidden:
            return _error(403, "Authorization_RequestDenied")
        if self.throttled:
            return _error(429, "TooManyRequests", {"Retry-After": self.throttled.popleft()})
        if parts[:2] == ["v1.0", "users"] and len(parts) == 3 and parts[2] in self.profiles:
            return web.json_response(self.profiles[parts[2]])
        if parts[:2] == ["v1.0", "groups"] and parts[3:] == ["transitiveMembers"]:
            if parts[2] not in self.groups:
                return _error(404, "Request_ResourceNotFound")
            return self._page(request, self.transitive_members(parts[2]))
        if parts == ["v1.0", "users"] and request.method == "GET":
            return self._users_by_id(request)
        if parts[:2] != ["v1.0", "users"] or len(parts) < 5:
            return self._collection(request, "/".join(parts[1:]))
        user = parts[2]
        if user not in self.users:
            return _error(404, "NotFound")
        if user in self.blocked:
            return _error(403, "Forbidden")
        installation = f"installation-{user}"
        if request.method == "POST" and len(parts) == 5:
            bound = str(body.get("teamsApp@odata.bind", ""))
            if not bound.endswith(f"/appCatalogs/teamsApps/{CATALOG_APP_ID}"):
                return _error(400, "BadRequest")
            if user in self.installed:
                return _error(409, "Conflict")
            self.installed.add(user)
            return web.Response(status=201)
        if request.method == "GET" and len(parts) == 5:
            wanted = f"teamsAppDefinition/teamsAppId eq '{CATALOG_APP_ID}'"
            mine = user in self.installed and request.query.get("$filter") == wanted
            return web.json_response({"value": [{"id": installation}] if mine else []})
        if request.method == "GET" and parts[5:] == [installation, "chat"]:
            if user not in self.installed:
                return _error(404, "NotFound")
            return web.json_response({"id": self.users[user]})
        return _error(404, "NotFound")

    def _page(self, request: web.Request, items: list[dict[str, Any]]) -> web.Response:
        """One page of `items`: at most `$top` (and `page_size`), then a next link."""
        size = min(int(request.query.get("$top", self.page_size)), self.page_size)
        start = int(request.query.get("$skiptoken", "0"))
        page: dict[str, Any] = {"value": items[start : start + size]}
        if start + size < len(items):
            query = {key: value for key, value in request.query.items() if key != "$skiptoken"}
            query["$skiptoken"] = str(start + size)
            page["@odata.nextLink"] = str(request.url.with_query(query).with_scheme("https"))
        return web.json_response(page)

    def _users_by_id(self, request: web.Request) -> web.Response:
        """`$filter=id in (…)` or `userPrincipalName in (…) or mail in (…)`: the users that
        exist among those (at most 15 values in one `in`)."""
        query = request.query.get("$filter", "")
        if not query:  # every user, with the properties asked for
            fields = request.query.get("$select", "id").split(",")
            users = [
                {name: user[name] for name in fields if name in user}
                for user in self.directory.values()
            ]
            return self._page(request, users)
        by_id = re.fullmatch(r"id in \(([^)]*)\)", query)
        by_upn = re.fullmatch(r"userPrincipalName in \(([^)]*)\) or mail in \(([^)]*)\)", query)
        listed = by_id or by_upn
        if listed is None:
            return _error(400, "BadRequest")
        values = [value.strip().strip("'") for value in listed.group(1).split(",")]
        if len(values) > 15:
            return _error(400, "BadRequest")
        field = "id" if by_id else "userPrincipalName"
        found = [
            {"id": user["id"], "userPrincipalName": user["userPrincipalName"]}
            for user in self.directory.values()
            if user[field].lower() in {value.lower() for value in values}
        ]
        return web.json_response({"value": found})

    def _collection(self, request: web.Request, name: str) -> web.Response:
        items = self.collections.get(name)
        if items is None:
            return _error(404, "NotFound")
        start = int(request.query.get("$skiptoken", "0"))
        page: dict[str, Any] = {"value": items[start : start + self.page_size]}
        if start + self.page_size < len(items):
            page["@odata.nextLink"] = f"{self.base}/v1.0/{name}?$skiptoken={start + self.page_size}"
        return web.json_response(page)


def _error(status: int, code: str, headers: dict[str, str] | None = None) -> web.Response:
    return web.json_response(
        {"error": {"code": code, "message": code}}, status=status, headers=headers
    )
