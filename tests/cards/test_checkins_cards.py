"""Every check-in card is valid Adaptive Card 1.5, small enough, and in both languages."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest

from cards.checkins import alarm_card, session_card
from cards.common import Card
from domain.checkins import AlarmReason, SessionStatus, SessionView
from domain.i18n import Lang, placeholders, t
from tests.cards.test_cards import MAX_CARD_BYTES, VALIDATOR

T0 = datetime(2026, 12, 1, 17, tzinfo=UTC)
LONG = "Destillation af opløsningsmidler i stinkskab, æøå " * 40


def view(status: SessionStatus, **changes: object) -> SessionView:
    data: dict[str, object] = {
        "id": 3,
        "request_id": 7,
        "number": "AL-2026-0007",
        "worker": "Maja Kemiker",
        "worker_id": 1,
        "unit": "Kemiteknik",
        "unit_id": 2,
        "task": LONG[:2000],
        "location": "Lyngby, 229, S-112",
        "emergency_name": "Vagtcentralen",
        "emergency_phone": "+45 45 25 10 10",
        "interval_minutes": 30,
        "max_interval_minutes": 45,
        "started_at": T0,
        "ends_at": T0 + timedelta(hours=4),
        "limit_at": T0 + timedelta(hours=5),
        "due_at": T0 + timedelta(minutes=30),
        "round": 2,
        "status": status,
        "alarm_seq": 1,
        "alarm_reason": AlarmReason.MISSED,
        "alarm_started_at": T0 + timedelta(minutes=50),
        "last_ok_at": T0 + timedelta(minutes=5),
        "handled_by": "Lise Leder" if status is SessionStatus.HANDLED else None,
        "handled_at": T0 + timedelta(minutes=55) if status is SessionStatus.HANDLED else None,
        "finished_at": T0 + timedelta(hours=3) if status is SessionStatus.FINISHED else None,
    }
    data.update(changes)
    return SessionView.model_validate(data)


def every_card() -> Iterator[tuple[str, Card]]:
    for lang in Lang:
        for status in SessionStatus:
            for kind in ("started", "prompt", "reminder", "handled"):
                yield (
                    f"session-{kind}-{status}-{lang}",
                    session_card(lang, view(status), kind=kind, notice="Bemærk"),
                )
            for reason in AlarmReason:
                yield (
                    f"alarm-{reason}-{status}-{lang}",
                    alarm_card(lang, view(status, alarm_reason=reason), alarm_seq=1, round=3),
                )
            yield f"alarm-old-{status}-{lang}", alarm_card(lang, view(status), alarm_seq=0, round=1)
        for reason in ("revoked", "expired"):
            closed = view(SessionStatus.FINISHED)
            notice = t(lang, f"checkins.closed.{reason}", number=closed.number)
            yield f"session-closed-{reason}-{lang}", session_card(lang, closed, notice=notice)


CARDS = dict(every_card())


@pytest.mark.parametrize("name", sorted(CARDS))
def test_checkin_card_is_valid_and_small(name: str) -> None:
    card = CARDS[name]
    assert [error.message[:200] for error in VALIDATOR.iter_errors(card)] == []
    assert len(json.dumps(card, ensure_ascii=False).encode("utf-8")) < MAX_CARD_BYTES


def _verbs(card: Card) -> set[str]:
    text = json.dumps(card)
    return {
        verb for verb in ("ok", "help", "extend", "finish", "handle") if f'"checkin.{verb}"' in text
    }


def test_buttons_follow_the_state() -> None:
    for status in (SessionStatus.ACTIVE, SessionStatus.ALARM, SessionStatus.HANDLED):
        assert _verbs(session_card(Lang.DA, view(status))) == {"ok", "help", "extend", "finish"}
    assert _verbs(session_card(Lang.DA, view(SessionStatus.FINISHED))) == set()
    assert _verbs(alarm_card(Lang.DA, view(SessionStatus.ALARM), alarm_seq=1, round=1)) == {
        "handle"
    }
    for status in (SessionStatus.ACTIVE, SessionStatus.HANDLED, SessionStatus.FINISHED):
        assert _verbs(alarm_card(Lang.DA, view(status), alarm_seq=1, round=1)) == set()
    # An older alarm of the same session has no button.
    assert _verbs(alarm_card(Lang.DA, view(SessionStatus.ALARM), alarm_seq=0, round=1)) == set()


def test_every_card_says_it_supplements_the_alarm_arrangements() -> None:
    for name, card in CARDS.items():
        lang = Lang.DA if name.endswith("-da") else Lang.EN
        assert t(lang, "checkins.supplement") in json.dumps(card, ensure_ascii=False), name


def test_interval_choices_never_exceed_the_approval() -> None:
    card = session_card(Lang.EN, view(SessionStatus.ACTIVE))
    (choices,) = [
        item["choices"]
        for block in card["body"]
        for column in block.get("columns", [])
        for item in column["items"]
        if item.get("id") == "interval"
    ]
    assert [choice["value"] for choice in choices][-2:] == ["30", "45"]


def test_alarm_card_shows_location_task_and_emergency_contact() -> None:
    text = json.dumps(
        alarm_card(Lang.DA, view(SessionStatus.ALARM), alarm_seq=1, round=2), ensure_ascii=False
    )
    for expected in ("Maja Kemiker", "Lyngby, 229, S-112", "Vagtcentralen", "+45 45 25 10 10"):
        assert expected in text
    assert "Alarm nr. 2" in text


def test_texts_have_the_same_placeholders_in_both_languages() -> None:
    from domain.i18n import catalogue_keys

    for key in catalogue_keys():
        if key.startswith("checkins."):
            danish, english = placeholders(key)
            assert danish == english, key
