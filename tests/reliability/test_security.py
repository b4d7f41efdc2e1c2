"""Security at the edges: real Bot Framework tokens, who may click what, size, the audit trail.

The token tests sign JWTs with a test RSA key and serve its OpenID configuration and JWKS on
a local port (`support_tokens`); the bot's key metadata setting points at it, so every check
(signature, algorithm, issuer, audience, expiry, service URL, endorsements) runs for real,
on a test clock.
"""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import AsyncIterator, Iterator
from datetime import timedelta
from pathlib import Path

import jwt
import pytest
from botframework.connector.auth import MicrosoftAppCredentials
from cryptography.hazmat.primitives import serialization
from sqlalchemy import delete, func, select, update

from bot.__main__ import main
from domain.files import FILE_DOWNLOAD_INFO
from domain.org import OrgFile
from storage import org
from storage.audit import audited
from storage.models import AuditEvent
from tests.conftest import DatabaseTarget
from tests.reliability.support_tokens import (
    APP_ID,
    FakeClock,
    KeyService,
    TokenIssuer,
    bearer,
    hmac_token,
    new_key,
)
from tests.reliability.test_faults import LISE, MAJA, _ask_for_approval, _kemi_with_leader
from tests.support.databases import orm_session, orm_transaction
from tests.support.fake_connector import FakeConnector
from tests.support.teams import BotUnderTest, make_user

OLE = make_user("Ole Olsen", "ole@uni.dk", "en-US")


@pytest.fixture(scope="module")
def key_service() -> Iterator[KeyService]:
    service = KeyService(new_key())
    try:
        yield service
    finally:
        service.close()


@pytest.fixture
def token_service(key_service: KeyService) -> TokenIssuer:
    return TokenIssuer(key_service.key, FakeClock())


@pytest.fixture
async def secured(
    database_target: DatabaseTarget,
    connector: FakeConnector,
    key_service: KeyService,
    token_service: TokenIssuer,
    monkeypatch: pytest.MonkeyPatch,
) -> AsyncIterator[BotUnderTest]:
    """The bot with an app id, validating tokens against the test key's metadata once it has
    fetched them. Outgoing calls use a fixed bot token instead of asking Entra ID for one."""
    monkeypatch.setattr(
        MicrosoftAppCredentials, "get_access_token", lambda self, *a, **k: "bot-token"
    )
    under_test = BotUnderTest(
        database_target,
        connector,
        admin_upns=set(),
        app_id=APP_ID,
        clock=token_service.clock,
        openid_metadata_url=key_service.metadata_url,
    )
    await under_test.start()
    assert under_test.runtime is not None and under_test.runtime.signing_keys is not None
    await under_test.runtime.signing_keys.settled()
    try:
        yield under_test
    finally:
        await under_test.stop()


async def test_a_correctly_signed_token_gets_in_and_is_answered(
    secured: BotUnderTest, token_service: TokenIssuer
) -> None:
    user = make_user("Jane Doe", "jado@uni.dk", "en-GB")
    token = token_service.token(secured.connector.url)
    reply = await secured.post(secured.personal(user, text="help"), headers=bearer(token))
    assert reply.status in (200, 201)
    answers = secured.connector.messages()
    assert len(answers) == 1 and "How to use AMK-bot" in answers[0].card_text()
    invoke = secured.personal(
        user,
        type="invoke",
        name="adaptiveCard/action",
        value={"action": {"type": "Action.Execute", "verb": "nothing.here", "data": {}}},
    )
    card = await secured.post(invoke, headers=bearer(token))
    assert card.status == 200 and card.body["statusCode"] == 200


def _wrong_tokens(issuer: TokenIssuer, service_url: str) -> dict[str, str]:
    other_key = new_key()
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
        "HMAC with the public key": hmac_token(
            public_pem, jwt.decode(issuer.token(service_url), options={"verify_signature": False})
        ),
        "not yet valid": issuer.token(
            service_url, nbf=int(issuer.clock()) + 3600, exp=int(issuer.clock()) + 7200
        ),
    }


async def test_wrong_tokens_are_refused_with_401_and_nothing_is_sent(
    secured: BotUnderTest, token_service: TokenIssuer
) -> None:
    user = make_user("Jane Doe", "jado@uni.dk", "en-GB")
    tokens = _wrong_tokens(token_service, secured.connector.url)
    headers: dict[str, dict[str, str]] = {name: bearer(token) for name, token in tokens.items()}
    headers["no Authorization header"] = {}
    headers["token without Bearer"] = {"Authorization": tokens["signed with another key"]}
    statuses = {}
    for name, header in headers.items():
        reply = await secured.post(secured.personal(user, text="help"), headers=header)
        statuses[name] = reply.status
        assert "Traceback" not in str(reply.body)
    assert statuses == dict.fromkeys(headers, 401)
    # A good token, but the key is endorsed for Teams and the activity names another channel.
    webchat = secured.personal(user, text="help", channelId="webchat")
    good = bearer(token_service.token(secured.connector.url))
    assert (await secured.post(webchat, headers=good)).status == 401
    assert secured.connector.messages() == []
    still = await secured.post(
        secured.personal(user, text="help"),
        headers=bearer(token_service.token(secured.connector.url)),
    )
    assert still.status in (200, 201) and len(secured.connector.messages()) == 1


async def test_a_body_over_the_limit_gets_413_before_anything_else(
    secured: BotUnderTest, token_service: TokenIssuer
) -> None:
    user = make_user("Jane Doe", "jado@uni.dk", "en-GB")
    token = token_service.token(secured.connector.url)
    huge = secured.personal(user, text="ø" * (200 * 1024))
    assert (await secured.post(huge, headers=bearer(token))).status == 413
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
    async with orm_session(bot.runtime.db) as session:
        request = (await session.execute(select(LoneWorkRequest))).scalar_one()
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
    async with orm_session(bot.runtime.db) as session:
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
    async with orm_session(bot.runtime.db) as session:
        events = await session.scalar(select(func.count()).select_from(AuditEvent))
        approval = (
            await session.scalars(
                select(AuditEvent).where(AuditEvent.action == "lone_work.approve")
            )
        ).one()
    assert events is not None and events > 3

    # Someone changes who approved it, straight in the database.
    original = approval.actor
    async with orm_transaction(bot.runtime.db) as session:
        await session.execute(
            update(AuditEvent).where(AuditEvent.id == approval.id).values(actor="person:999")
        )
    code, out = await _verify(database_target, monkeypatch, capsys)
    assert code == 1 and f"BROKEN at event {approval.sequence}" in out

    # Put back, the trail is whole again; then the refused attempt is deleted.
    async with orm_transaction(bot.runtime.db) as session:
        await session.execute(
            update(AuditEvent).where(AuditEvent.id == approval.id).values(actor=original)
        )
    code, out = await _verify(database_target, monkeypatch, capsys)
    assert code == 0
    async with orm_transaction(bot.runtime.db) as session:
        refused = (
            await session.scalars(
                select(AuditEvent).where(AuditEvent.action == "lone_work.decide.refused")
            )
        ).one()
        await session.execute(delete(AuditEvent).where(AuditEvent.id == refused.id))
    code, out = await _verify(database_target, monkeypatch, capsys)
    assert code == 1 and f"BROKEN at event {refused.sequence + 1}" in out


async def test_with_real_tokens_files_come_only_from_and_go_only_to_teams_file_hosts(
    secured: BotUnderTest, token_service: TokenIssuer
) -> None:
    """Authentication on (an app id), so the file hosts are enforced: a download URL and an
    upload URL on any other host are refused, and the bot neither fetches nor sends a byte."""
    karin = make_user("Karin Kemi", "karin@uni.dk")
    assert secured.runtime is not None
    async with audited(secured.runtime.db) as connection:
        await org.import_org(
            connection,
            OrgFile.model_validate(
                {"units": [{"name": "Kemi", "precursor_contact": [{"upn": karin.upn}]}]}
            ),
            actor="test",
        )
    headers = bearer(token_service.token(secured.connector.url))

    url = secured.connector.serve_file("import.xlsx", b"PK\x03\x04 not fetched")
    dropped = secured.personal(
        karin,
        attachments=[
            {
                "contentType": FILE_DOWNLOAD_INFO,
                "name": "import.xlsx",
                "contentUrl": "https://uni-my.sharepoint.com/personal/k/Documents/import.xlsx",
                "content": {"downloadUrl": url, "uniqueId": "u-1", "fileType": "xlsx"},
            }
        ],
    )
    assert (await secured.post(dropped, headers=headers)).status in (200, 201)
    said = " ".join(sent.text for sent in secured.connector.messages())
    assert "Jeg henter kun filer dér, hvor Teams gemmer dem" in said
    assert secured.connector.downloads == []

    secured.connector.clear()
    offer = secured.personal(karin, value={"action": "export.offer", "kind": "my_data"})
    assert (await secured.post(offer, headers=headers)).status in (200, 201)
    (consent,) = [
        attachment
        for sent in secured.connector.messages()
        for attachment in sent.body.get("attachments") or []
        if attachment.get("contentType") == "application/vnd.microsoft.teams.card.file.consent"
    ]
    for upload_url in (
        secured.connector.upload_url(consent["name"]),
        "https://evil.example.com/upload/" + consent["name"],
    ):
        secured.connector.clear()
        accept = secured.personal(
            karin,
            type="invoke",
            name="fileConsent/invoke",
            replyToId="card-1",
            value={
                "type": "fileUpload",
                "action": "accept",
                "context": consent["content"]["acceptContext"],
                "uploadInfo": {
                    "contentUrl": "https://uni-my.sharepoint.com/personal/k/" + consent["name"],
                    "name": consent["name"],
                    "uploadUrl": upload_url,
                    "uniqueId": "1150D938-8870-4044-9F2C-5BBDEBA70C8C",
                    "fileType": "xlsx",
                },
            },
        )
        assert (await secured.post(accept, headers=headers)).status == 200
        said = " ".join(sent.text for sent in secured.connector.messages())
        assert "et sted, jeg ikke sender filer til" in said
    assert secured.connector.uploads == []
