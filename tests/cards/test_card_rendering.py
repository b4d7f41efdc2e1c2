"""Every card the bot can send, rendered as Teams renders it (Microsoft's Adaptive Cards
renderer with a Teams host config, in headless Chromium) at a phone's width (320 px) and a
desktop chat's (440 px): no renderer warning, no button, input or label cut off or hidden, no
typed required mark, and no card over Teams' 28 KB as sent. All cards render in one browser."""

from __future__ import annotations

import importlib
import os
import pkgutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from cards.common import Card
from tests.cards import test_card_snapshots
from tests.cards import test_people_picker_cards as picker_cards
from tests.support.card_render import CardRenderer, card_renderer, missing_prerequisite

pytestmark = pytest.mark.xdist_group("playground")

WIDTHS = (320, 440)


def every_card() -> Iterator[tuple[str, Card]]:
    """The sample cards (`CARDS`) of every card test module, and the snapshot cards."""
    for module_info in pkgutil.iter_modules([str(Path(__file__).parent)]):
        module = importlib.import_module(f"tests.cards.{module_info.name}")
        cards: dict[str, Card] | None = getattr(module, "CARDS", None)
        if module_info.name == __name__.rsplit(".", 1)[1] or cards is None:
            continue
        flow = module_info.name.removeprefix("test_").removesuffix("_cards")
        for name, card in cards.items():
            yield f"{flow}/{name}", card
    builders: dict[str, Callable[[], Card]] = test_card_snapshots.BUILDERS
    for name, build in builders.items():
        yield f"snapshot/{name}", build()


CARDS = dict(every_card())


@pytest.fixture(scope="module")
def renderer() -> Iterator[CardRenderer]:
    reason = missing_prerequisite()
    if reason is not None:
        if os.environ.get("CI"):
            pytest.fail(reason, pytrace=False)
        pytest.skip(reason)
    with card_renderer() as renderer:
        yield renderer


@pytest.mark.parametrize("width", WIDTHS)
def test_every_card_renders_whole_in_teams(renderer: CardRenderer, width: int) -> None:
    rendered = renderer.check(CARDS, width)
    assert len(rendered) == len(CARDS) > 250
    problems = [f"{card.name}: {problem}" for card in rendered for problem in card.problems]
    assert not problems, f"{len(problems)} problems:\n" + "\n".join(problems)


BROKEN: Card = {
    "type": "AdaptiveCard",
    "version": "1.5",
    "body": [
        {"type": "Input.Text", "id": "who", "label": "Hvem *", "isRequired": True},
        {
            "type": "ColumnSet",
            "columns": [
                {"type": "Column", "width": "40px", "items": [{"type": "TextBlock", "text": "x"}]},
                {
                    "type": "Column",
                    "width": "60px",
                    "items": [{"type": "TextBlock", "text": "Arbejdsmiljødrøftelse", "wrap": True}],
                },
            ],
        },
        {
            "type": "Input.ChoiceSet",
            "id": "hurt",
            "label": "Kom nogen til skade?",
            "style": "expanded",
            "choices": [{"title": "Ja, nogen kom til skade (fysisk eller psykisk)", "value": "y"}],
        },
    ],
    "actions": [
        {"type": "Action.Submit", "title": f"Handling nummer {number}", "data": {"n": number}}
        for number in range(4)
    ],
}


def test_the_check_finds_what_a_phone_user_would_miss(renderer: CardRenderer) -> None:
    (card,) = renderer.check({"broken": BROKEN}, 320)
    problems = "\n".join(card.problems)
    assert "Required inputs should have an error message" in problems
    assert 'label with a typed "*"' in problems
    assert 'text cut short: p "Ja, nogen kom til skade' in problems
    assert 'text cut short: div "Handling nummer 3"' in problems
    assert 'word broken mid-word: p "Arbejdsmiljødrøftelse"' in problems


def test_the_renderer_has_no_people_picker_so_its_email_fallback_is_rendered(
    renderer: CardRenderer,
) -> None:
    """Teams' people picker (`choices.data` over graph.microsoft.com/users) is Teams' own: the
    renderer takes it for an empty choice set. The cards that ask for a person are therefore
    checked as local mode sends them, with an e-mail field (`test_people_picker_cards`)."""
    (picked,) = renderer.check({"picker": picker_cards.BUILDERS["near-miss"](True)}, 320)
    assert "An Input.ChoiceSet must have at least one choice defined." in "\n".join(picked.problems)
    typed = [name for name in CARDS if name.startswith("people_picker/near-miss-email-")]
    assert len(typed) == 2
    (fallback,) = renderer.check({"typed": CARDS[typed[0]]}, 320)
    assert fallback.problems == ()
