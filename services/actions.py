"""Card actions by verb: each `Action.Execute` verb (and the `Action.Submit` fallback that
carries the same name in `data.action`) maps to one use case and the typed payload its card's
`data` must validate into. Each flow's services declare their verbs beside the use cases; the
composition root gathers them into one `Verbs` registry that the bot dispatches from.

An unknown verb and data that do not validate are answered with a card saying so; the log
names the verb and where the data was wrong, never the values."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Annotated, Any, Generic, TypeVar

from pydantic import BaseModel, BeforeValidator, ConfigDict, ValidationError

from cards.common import Card, notice_card
from domain.actor import Speaker
from domain.i18n import t

log = logging.getLogger(__name__)


class CardData(BaseModel):
    """A card's `data`: the ids it carries, typed; anything else in it is ignored."""

    model_config = ConfigDict(extra="ignore", frozen=True)


class CardInputs(CardData):
    """A card's `data` together with the card's inputs (a form inside the card): the declared
    ids typed, the inputs kept as sent for the flow's own form parsing (`inputs()`)."""

    model_config = ConfigDict(extra="allow", frozen=True)

    def inputs(self) -> dict[str, Any]:
        """Everything sent that is not a declared field, as sent."""
        return dict(self.model_extra or {})


class NoData(CardData):
    """A verb whose card carries nothing but the verb."""


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise ValueError("not text")
    return str(value)


InputText = Annotated[str, BeforeValidator(_text)]
"""A card input's value as text ("" when left out); a list or an object is damage."""

P = TypeVar("P", bound=BaseModel)
Answer = Card | str
"""The card that replaces the clicked one, or a short message (the card then stays)."""


@dataclass(frozen=True)
class Verb(Generic[P]):
    """One card action: its verb, the payload its data validates into, the use case."""

    name: str
    payload: type[P]
    run: Callable[[Speaker, P], Awaitable[Answer]]


class Verbs:
    """Every verb the bot answers, each once."""

    def __init__(self, *groups: Iterable[Verb[Any]]) -> None:
        self._verbs: dict[str, Verb[Any]] = {}
        for group in groups:
            for verb in group:
                if verb.name in self._verbs:
                    raise ValueError(f"card action {verb.name!r} registered twice")
                self._verbs[verb.name] = verb

    def names(self) -> frozenset[str]:
        return frozenset(self._verbs)

    def __contains__(self, name: object) -> bool:
        return name in self._verbs

    def payload_of(self, name: str) -> type[BaseModel] | None:
        verb = self._verbs.get(name)
        return None if verb is None else verb.payload

    async def answer(self, speaker: Speaker, name: str, data: Mapping[str, Any]) -> Answer:
        """Validate `data` into the verb's payload and run its use case; a card saying so
        for a verb nobody answers or data that do not validate."""
        verb = self._verbs.get(name)
        lang = speaker.lang
        if verb is None:
            log.info("card action with an unknown verb %r", name[:60])
            return notice_card(t(lang, "app.name"), t(lang, "action.unknown"))
        try:
            payload = verb.payload.model_validate(dict(data))
        except ValidationError as error:
            log.info("card action %s: its data did not validate at %s", name, locations(error))
            return notice_card(t(lang, "app.name"), t(lang, "action.damaged"))
        return await verb.run(speaker, payload)


def locations(error: ValidationError) -> str:
    """Where the data was wrong (field names only: never the values)."""
    return ", ".join(
        ".".join(str(part) for part in issue["loc"]) or "(data)"
        for issue in error.errors(include_url=False, include_context=False, include_input=False)
    )
