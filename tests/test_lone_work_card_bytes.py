"""Lone-work cards are byte for byte what they were: any change to a card's JSON (content or
key order) shows up here. After an intended change, print `_digests()` and paste it."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator

import pytest

from cards.common import Card
from cards.lone_work import approval_card, request_form, requester_card
from domain.i18n import Lang
from domain.lone_work import Schedule, Status
from domain.org import SEED_UNITS, UnitRef
from tests.test_lone_work_cards import CARDS, LONG, view

UNITS = [UnitRef(id=n, name=name) for n, name in enumerate(SEED_UNITS, start=1)]
FILLED = {
    "unit_id": "3",
    "task": "Måling",
    "campus": "Lyngby",
    "building": "229",
    "room": "S-112",
    "schedule": "recurring",
    "start_date": "2026-12-01",
    "start_time": "17:00",
    "end_date": "2026-12-01",
    "end_time": "21:00",
    "weekdays": ["mon", "wed"],
    "window_start": "17:00",
    "window_end": "22:00",
    "valid_from": "2026-12-01",
    "valid_to": "2027-01-31",
    "hazards": "chemicals,other",
    "hazard_other": "Støv",
    "mitigations": ["check_in"],
    "checkin_person": "Vagten",
    "checkin_interval": "30,5",
    "mitigation_other": "",
    "emergency_name": "Vagtcentralen",
    "emergency_phone": "+45 45 25 10 10",
    "trained": "true",
    "adult": "TRUE",
}


def _more_cards() -> Iterator[tuple[str, Card]]:
    for lang in Lang:
        yield (
            f"form-home-{lang}",
            request_form(lang, UNITS, requester="Maja", values={"unit_id": "3"}),
        )
        yield f"form-anonymous-{lang}", request_form(lang, UNITS[:2], requester=None)
        yield f"form-filled-{lang}", request_form(lang, UNITS, requester="Maja", values=FILLED)
        yield (
            f"form-some-errors-{lang}",
            request_form(
                lang,
                [],
                requester="Maja",
                values=FILLED,
                errors={"room": "Mangler", "end_time": "Før start", "adult": "Skal være 18"},
            ),
        )
        for status in Status:
            for schedule in Schedule:
                plain = view(status, schedule, approver_teams_id=None, task="kort", number="")
                yield f"approval-plain-{status}-{schedule}-{lang}", approval_card(lang, plain)
                yield f"requester-plain-{status}-{schedule}-{lang}", requester_card(lang, plain)
            yield (
                f"reminder-{status}-{lang}",
                approval_card(lang, view(status), heading="Påmindelse", notice=LONG[:50]),
            )


def _digest(card: Card) -> str:
    return hashlib.sha256(json.dumps(card, ensure_ascii=False).encode()).hexdigest()[:16]


def _digests() -> dict[str, str]:
    cards = CARDS | dict(_more_cards())
    return {name: _digest(card) for name, card in sorted(cards.items())}


EXPECTED: dict[str, str] = {
    "approval-approved-da": "14a675bdf1159d80",
    "approval-approved-en": "20c3ebb58bf36ce6",
    "approval-expired-da": "3c37df0fa0b88b81",
    "approval-expired-en": "c7c44f7c71ab15f4",
    "approval-pending-da": "c8eadb810f6069b9",
    "approval-pending-en": "0172fbc9c79e81c7",
    "approval-plain-approved-recurring-da": "0d50cb13acd22e09",
    "approval-plain-approved-recurring-en": "25bf7eae6b12f196",
    "approval-plain-approved-single-da": "65211a8ddb40028c",
    "approval-plain-approved-single-en": "946a01705922c1fc",
    "approval-plain-expired-recurring-da": "3091c552384f9a68",
    "approval-plain-expired-recurring-en": "5bbf03a85fd9a695",
    "approval-plain-expired-single-da": "c4193fbc6fce11d8",
    "approval-plain-expired-single-en": "72a2a8d4d3f07366",
    "approval-plain-pending-recurring-da": "974ffbe1aec5fa52",
    "approval-plain-pending-recurring-en": "56435055ef24c2c1",
    "approval-plain-pending-single-da": "3648b3d4bc6e68ad",
    "approval-plain-pending-single-en": "d459a8deadb656ba",
    "approval-plain-rejected-recurring-da": "f3f0d07a243892f7",
    "approval-plain-rejected-recurring-en": "dd7c724e4af558fc",
    "approval-plain-rejected-single-da": "15fa9e852d82c500",
    "approval-plain-rejected-single-en": "b225e14214aff9db",
    "approval-plain-revoked-recurring-da": "e6c7c41c8c4e4c1e",
    "approval-plain-revoked-recurring-en": "3c99591490da761f",
    "approval-plain-revoked-single-da": "e490348433ccd12b",
    "approval-plain-revoked-single-en": "132e26b39a76ce91",
    "approval-plain-withdrawn-recurring-da": "e0b8f8bf1f8f2e3f",
    "approval-plain-withdrawn-recurring-en": "af86fd7132a50e00",
    "approval-plain-withdrawn-single-da": "2ae35082b9a3a406",
    "approval-plain-withdrawn-single-en": "2e5075e51dc0fff0",
    "approval-rejected-da": "5269bfae83714b62",
    "approval-rejected-en": "5eeafcdb371993ec",
    "approval-revoked-da": "8947c89c50922e78",
    "approval-revoked-en": "ea6866227db61214",
    "approval-withdrawn-da": "67262a99ddb36837",
    "approval-withdrawn-en": "d56d1a14c571e1e7",
    "form-anonymous-da": "50331bdcef9ae2cb",
    "form-anonymous-en": "45e13b34607f45fa",
    "form-empty-da": "3e8e5885577ce59f",
    "form-empty-en": "e12939fc28386fe2",
    "form-errors-da": "271db6123581ac5e",
    "form-errors-en": "b9c030e139c81e04",
    "form-filled-da": "15128d6ec1a2448f",
    "form-filled-en": "98e424eee34928e0",
    "form-home-da": "fc5f347b2a54d15c",
    "form-home-en": "0ff2b5d9b80e587a",
    "form-some-errors-da": "9ba6a9abe53cd659",
    "form-some-errors-en": "8b935af974ca6d3a",
    "list-da": "7fe0062fbd4f83d2",
    "list-en": "3c766e77263ff21c",
    "reminder-approved-da": "6efa07c0860dd31c",
    "reminder-approved-en": "38975ed276e9e31e",
    "reminder-expired-da": "6f51e42056877ee1",
    "reminder-expired-en": "f97cd8dd4d74b1f3",
    "reminder-pending-da": "6d71911e60ba3994",
    "reminder-pending-en": "4d53b3d12ce1ca45",
    "reminder-rejected-da": "ae063264af5f78fc",
    "reminder-rejected-en": "9a6486e4011c8586",
    "reminder-revoked-da": "0ef7a7ce41dfca3b",
    "reminder-revoked-en": "bc7bda43caa9a868",
    "reminder-withdrawn-da": "82bf1d6d53625f57",
    "reminder-withdrawn-en": "84b075bfc63f4b8e",
    "requester-approved-da": "1d9daa9aab29fe62",
    "requester-approved-en": "1b2de37a2ef39a09",
    "requester-expired-da": "a27ccc5ee3dad931",
    "requester-expired-en": "fb567421a852fb3a",
    "requester-pending-da": "b4a5c51383ca1987",
    "requester-pending-en": "826b3984031e8468",
    "requester-plain-approved-recurring-da": "be972a0d3c9873a5",
    "requester-plain-approved-recurring-en": "02d5646b4f2917f6",
    "requester-plain-approved-single-da": "78e486afdef4e446",
    "requester-plain-approved-single-en": "5bc92375d386718f",
    "requester-plain-expired-recurring-da": "403a0604cc38e2e9",
    "requester-plain-expired-recurring-en": "d5edb9f37c62c678",
    "requester-plain-expired-single-da": "551683d03f91f152",
    "requester-plain-expired-single-en": "62c95dba67fc4639",
    "requester-plain-pending-recurring-da": "ee5deba245a62c05",
    "requester-plain-pending-recurring-en": "e04e8af55185a059",
    "requester-plain-pending-single-da": "8132c7c53890f687",
    "requester-plain-pending-single-en": "329fc3d31f57a9cd",
    "requester-plain-rejected-recurring-da": "ec628755da204543",
    "requester-plain-rejected-recurring-en": "9ec651c18f6db92f",
    "requester-plain-rejected-single-da": "5c4de89d671e1e40",
    "requester-plain-rejected-single-en": "0c77e3283f570d1e",
    "requester-plain-revoked-recurring-da": "911c34e326e5802e",
    "requester-plain-revoked-recurring-en": "8944cc0c3e1e4c6e",
    "requester-plain-revoked-single-da": "45c45908dc466f2d",
    "requester-plain-revoked-single-en": "54362efec078388f",
    "requester-plain-withdrawn-recurring-da": "64792aea0c9711de",
    "requester-plain-withdrawn-recurring-en": "a7eac950f4f09fc6",
    "requester-plain-withdrawn-single-da": "32a0045adc8d951e",
    "requester-plain-withdrawn-single-en": "ddc755861d4c1455",
    "requester-rejected-da": "a6c2b8a6829b8357",
    "requester-rejected-en": "b3c69f2688b9f55d",
    "requester-revoked-da": "8e81a8aece9a0a4d",
    "requester-revoked-en": "376885a44602b938",
    "requester-withdrawn-da": "71ef5914b59f7f13",
    "requester-withdrawn-en": "5cea60ec09e73c57",
    "summary-choice-recurring-da": "d854c9a539deb1e1",
    "summary-choice-recurring-en": "6089ced0100d7858",
    "summary-choice-single-da": "f9cae560a87162e1",
    "summary-choice-single-en": "5450a1a65a363097",
    "summary-recurring-da": "17d835898814de6d",
    "summary-recurring-en": "27f2c7fe69bd58c5",
    "summary-single-da": "73a8e5058c985968",
    "summary-single-en": "51a69adedf9dc9fe",
}


DIGESTS = _digests()


@pytest.mark.parametrize("name", sorted(DIGESTS))
def test_card_bytes_are_unchanged(name: str) -> None:
    assert DIGESTS[name] == EXPECTED[name]


def test_every_expected_card_is_built() -> None:
    assert sorted(DIGESTS) == sorted(EXPECTED)
