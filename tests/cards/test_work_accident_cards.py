"""Every work-accident card, in both languages, is valid Adaptive Card 1.5 for Teams, stays
under 28 KB even when full, its universal actions carry a verb and a Submit fallback, and
what people typed is shown as typed (no Markdown)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, date, datetime
from typing import Any

import pytest

from cards.common import Card
from cards.work_accident import (
    accident_card,
    action_owner_card,
    injured_notice,
    not_allowed_card,
    outcome_notice,
    receipt_card,
    report_form,
)
from domain.i18n import Lang
from domain.near_miss import ActionStatus, ActionView
from domain.org import SEED_UNITS, UnitRef
from domain.work_accident import (
    AccidentView,
    Claim,
    EasyDuty,
    EasyStatus,
    InjuredParty,
    InjuryKind,
    Reader,
    ReporterRole,
    SupportOffers,
)
from tests.cards.test_cards import MAX_CARD_BYTES, VALIDATOR
from tests.support.card_nodes import walk

NOW = datetime(2026, 11, 27, 13, 0, tzinfo=UTC)
UNITS = [UnitRef(id=n, name=name) for n, name in enumerate(SEED_UNITS, start=1)]
LONG = "Æøå " * 1000
LEADER = Reader(7, is_leader=True)
AMK = Reader(8, is_amk=True)
OFFERS = SupportOffers()


def _accident(**changes: Any) -> AccidentView:
    values: dict[str, Any] = {
        "id": 3,
        "number": "AU-2026-0003",
        "unit_id": 1,
        "unit_name": "Kemi",
        "injured": InjuredParty.EMPLOYEE,
        "reporter_role": ReporterRole.INJURED,
        "reporter_name": "Ida Skadet",
        "injured_name": "Ida Skadet",
        "occurred_at": NOW,
        "place": "Lyngby, **207**",
        "description": "Skar mig på [en kolbe](https://x.example)",
        "injury_kind": InjuryKind.PHYSICAL,
        "absence_from": date(2026, 11, 28),
        "claim": Claim.NO,
        "immediate_action": "Førstehjælp",
        "witnesses": None,
        "duty": EasyDuty.AUTHORITY_AND_INSURER,
        "easy_due": date(2026, 12, 12),
        "easy_status": EasyStatus.PENDING,
    }
    values.update(changes)
    return AccidentView(**values)


ACTIONS = (
    ActionView(
        id=11,
        description="Flyt opvaskestativet op i arbejdshøjde " + "Æøå " * 200,
        owner_id=9,
        owner_name="Ole Udenfor",
        due_date=date(2026, 12, 4),
        status=ActionStatus.OPEN,
    ),
    ActionView(
        id=12,
        description="Kassér revnede kolber",
        owner_id=8,
        owner_name="Per Koordinator",
        due_date=date(2026, 12, 1),
        status=ActionStatus.DONE,
        done_at=NOW,
    ),
)


def _investigated() -> AccidentView:
    return _accident(
        causes="Æøå " * 500,
        actions=ACTIONS,
        outcome_wanted=True,
        injured_known=True,
    )


def every_card() -> Iterator[tuple[str, Card]]:
    full = _accident(description=LONG, immediate_action="Æøå " * 500, witnesses="Æøå " * 250)
    for lang in Lang:
        yield f"form-{lang}", report_form(lang, UNITS, now=NOW, submission_key="a" * 32)
        yield (
            f"form-errors-{lang}",
            report_form(
                lang,
                UNITS,
                now=NOW,
                submission_key="a" * 32,
                values={"description": LONG, "place": "x" * 200},
                errors={"description": "Fejl", "absence_from": "Fejl", "injured_email": "Fejl"},
            ),
        )
        for duty in EasyDuty:
            yield f"receipt-{duty}-{lang}", receipt_card(lang, _accident(duty=duty), OFFERS)
        psychological = _accident(injury_kind=InjuryKind.PSYCHOLOGICAL, name_withheld=True)
        yield f"receipt-psychological-{lang}", receipt_card(lang, psychological, OFFERS)
        yield f"card-full-leader-{lang}", accident_card(lang, full, LEADER, now=NOW, intro="Ny")
        yield (
            f"card-psychological-amk-{lang}",
            accident_card(
                lang, replace(psychological, follow_up_by=date(2026, 12, 4)), AMK, now=NOW
            ),
        )
        yield (
            f"card-filed-{lang}",
            accident_card(
                lang,
                _accident(
                    easy_status=EasyStatus.FILED,
                    easy_reference="EASY-1",
                    easy_filed_on=date(2026, 11, 30),
                    decided_by="Lars Leder",
                ),
                LEADER,
                now=NOW,
                message="Tak",
                errors=["Fejl"],
            ),
        )
        yield f"notice-{lang}", injured_notice(lang, psychological, OFFERS)
        yield f"not-allowed-{lang}", not_allowed_card(lang)
        investigated = _investigated()
        yield (
            f"card-investigation-amk-{lang}",
            accident_card(lang, investigated, AMK, now=NOW, errors=["Fejl"]),
        )
        closed = replace(
            investigated,
            actions=tuple(replace(a, status=ActionStatus.DONE, done_at=NOW) for a in ACTIONS),
            conclusion=LONG[:2000],
            closed_at=NOW,
            closed_by="Per Koordinator",
        )
        yield f"card-investigation-closed-{lang}", accident_card(lang, closed, AMK, now=NOW)
        yield (
            f"owner-{lang}",
            action_owner_card(lang, investigated, ACTIONS[0], may_complete=True, intro="Ny"),
        )
        yield f"outcome-{lang}", outcome_notice(lang, closed)


CARDS = dict(every_card())


@pytest.mark.parametrize("name", sorted(CARDS))
def test_card_is_valid_small_and_its_actions_fall_back(name: str) -> None:
    card = CARDS[name]
    VALIDATOR.validate(card)
    assert len(json.dumps(card, ensure_ascii=False).encode()) < MAX_CARD_BYTES
    for node in walk(card):
        if node.get("type") == "Action.Execute":
            assert node["verb"] and node["fallback"]["type"] == "Action.Submit"
            assert node["fallback"]["data"]["action"] == node["verb"]


def test_what_was_typed_is_shown_as_typed() -> None:
    text = json.dumps(accident_card(Lang.DA, _accident(), LEADER, now=NOW), ensure_ascii=False)
    assert "Skar mig på \\\\[en kolbe\\\\]\\\\(https://x.example)" in text
    assert "Lyngby, \\\\*\\\\*207\\\\*\\\\*" in text


def test_the_buttons_follow_what_is_still_owed_and_who_reads() -> None:
    def verbs(card: Card) -> set[str]:
        return {str(n["verb"]) for n in walk(card) if n.get("type") == "Action.Execute"}

    owed = _accident(injury_kind=InjuryKind.BOTH, follow_up_by=date(2026, 12, 4))
    assert verbs(accident_card(Lang.DA, owed, LEADER, now=NOW)) == {
        "work_accident.followed_up",
        "work_accident.filed",
        "work_accident.not_required",
    }
    investigation = {"work_accident.causes", "work_accident.action.add", "work_accident.close"}
    assert verbs(accident_card(Lang.DA, owed, AMK, now=NOW)) == {
        "work_accident.filed",
        "work_accident.not_required",
        *investigation,
    }
    assert verbs(accident_card(Lang.DA, owed, Reader(9), now=NOW)) == set()
    done = replace(owed, easy_status=EasyStatus.FILED, followed_up_at=NOW)
    assert verbs(accident_card(Lang.DA, done, LEADER, now=NOW)) == set()
    assert verbs(accident_card(Lang.DA, done, AMK, now=NOW)) == investigation
    closed = replace(done, closed_at=NOW, conclusion="Gulvet er skiftet.")
    assert verbs(accident_card(Lang.DA, closed, AMK, now=NOW)) == set()


def test_an_overdue_report_says_so() -> None:
    late = accident_card(Lang.EN, _accident(easy_due=date(2026, 11, 26)), LEADER, now=NOW)
    assert "The deadline has passed" in json.dumps(late)
    on_time = accident_card(Lang.EN, _accident(), LEADER, now=NOW)
    assert "The deadline has passed" not in json.dumps(on_time)


def test_the_investigation_buttons_follow_its_state() -> None:
    def verbs(card: Card) -> set[str]:
        return {str(n["verb"]) for n in walk(card) if n.get("type") == "Action.Execute"}

    filed = {"easy_status": EasyStatus.FILED, "easy_filed_on": date(2026, 11, 30)}
    open_action = _accident(actions=ACTIONS[:1], injured_known=True, **filed)
    amk = verbs(accident_card(Lang.DA, open_action, AMK, now=NOW))
    assert amk == {"work_accident.causes", "work_accident.action.add", "work_accident.action.done"}
    owner = Reader(9, owned_actions=frozenset({11}))
    assert verbs(accident_card(Lang.DA, open_action, owner, now=NOW)) == {
        "work_accident.action.done"
    }
    done = _accident(actions=ACTIONS[1:], injured_known=True, outcome_wanted=True, **filed)
    card = accident_card(Lang.DA, done, AMK, now=NOW)
    assert "work_accident.close" in verbs(card)
    toggle = next(n for n in walk(card) if n.get("id") == "tell_injured")
    assert toggle["value"] == "true"
    unknown = replace(done, injured_known=False)
    assert not any(
        n.get("id") == "tell_injured" for n in walk(accident_card(Lang.DA, unknown, AMK, now=NOW))
    )
