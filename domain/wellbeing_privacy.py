"""Text that looks like personal data (e-mail addresses, CPR numbers, people's names) in
what is written on a well-being card: flagged for the writer to check."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from domain.wellbeing import FlagKind

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_CPR = re.compile(r"(?<!\d)(?:0[1-9]|[12]\d|3[01])(?:0[1-9]|1[0-2])\d{2}[- ]?\d{4}(?!\d)")
_WORD = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*")
_SENTENCE_END = frozenset(".!?:;\n•*–—-")
_PARTICLES = frozenset({"van", "von", "der", "den", "de", "da", "del", "la", "le", "af", "ter"})
# Capitalised in English although they are not names.
_NOT_NAMES = frozenset(
    {
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
        "january",
        "february",
        "march",
        "april",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
        "danish",
        "english",
        "teams",
        "microsoft",
        "outlook",
    }
)


@dataclass(frozen=True)
class Flag:
    """A piece of a field that looks like personal data: `kind` and what was found."""

    field: str
    kind: FlagKind
    text: str

    def as_dict(self) -> dict[str, str]:
        return {"field": self.field, "kind": self.kind, "text": self.text}

    @classmethod
    def from_dict(cls, value: Mapping[str, Any]) -> Flag | None:
        kind = value.get("kind")
        if kind not in ("name", "email", "cpr"):
            return None
        return cls(field=str(value.get("field", "")), kind=kind, text=str(value.get("text", "")))


@dataclass(frozen=True)
class _Token:
    text: str
    start: int
    end: int
    sentence_start: bool

    @property
    def capitalised(self) -> bool:
        """ "Anne", "Anne-Marie", "McDonald" — but not acronyms such as "AMK" or "I"."""
        return self.text[0].isupper() and not self.text.isupper()


def _tokens(text: str) -> list[_Token]:
    tokens: list[_Token] = []
    previous_end = 0
    for match in _WORD.finditer(text):
        gap = text[previous_end : match.start()]
        stripped = gap.strip(" \t\"'“”«»()[]")
        first = not tokens and not text[: match.start()].strip(" \t\"'“”«»()[]-•*")
        at_start = first or any(char in _SENTENCE_END for char in stripped) or "\n" in gap
        tokens.append(_Token(match.group(), match.start(), match.end(), bool(at_start)))
        previous_end = match.end()
    return tokens


def _joined(text: str, left: _Token, right: _Token) -> bool:
    """Two tokens belong to one phrase when only spaces separate them."""
    return text[left.end : right.start] in (" ", "  ", "\t")


@dataclass
class NameIndex:
    """Names of people the organisation knows, for matching in free text."""

    full_names: dict[str, list[tuple[str, ...]]] = field(default_factory=dict)
    parts: set[str] = field(default_factory=set)
    ignored: set[tuple[str, ...]] = field(default_factory=set)

    @classmethod
    def build(cls, names: Iterable[str], ignore: Iterable[str] = ()) -> NameIndex:
        index = cls()
        for name in names:
            words = tuple(word.casefold() for word in _WORD.findall(name))
            if len(words) >= 2:
                index.full_names.setdefault(words[0], []).append(words)
            index.parts.update(word for word in words if len(word) >= 3)
        index.parts -= _PARTICLES | _NOT_NAMES
        for phrase in ignore:
            words = tuple(word.casefold() for word in _WORD.findall(phrase))
            if words:
                index.ignored.add(words)
        return index


def _ignored_spans(tokens: list[_Token], index: NameIndex) -> set[int]:
    """Token positions inside a phrase that is never a person (e.g. a unit's name)."""
    spans: set[int] = set()
    folded = [token.text.casefold() for token in tokens]
    for phrase in index.ignored:
        size = len(phrase)
        for start in range(len(tokens) - size + 1):
            if tuple(folded[start : start + size]) == phrase:
                spans.update(range(start, start + size))
    return spans


def find_personal_data(field_name: str, text: str, index: NameIndex | None = None) -> list[Flag]:
    """Pieces of `text` that look like an e-mail address, a CPR number or a person's name.

    A name is two or more capitalised words in a row that do not merely start a sentence
    (Danish writes nouns in lower case, so such a run is rarely anything else), or a name
    of someone the organisation knows.
    """
    index = index or NameIndex()
    flags: list[Flag] = []
    seen: set[tuple[FlagKind, str]] = set()

    def add(kind: FlagKind, found: str) -> None:
        if (kind, found) not in seen:
            seen.add((kind, found))
            flags.append(Flag(field_name, kind, found))

    for match in _EMAIL.finditer(text):
        add("email", match.group())
    without_email = _EMAIL.sub(lambda m: " " * len(m.group()), text)
    if _CPR.search(without_email):
        add("cpr", "••••••-••••")
    tokens = _tokens(without_email)
    ignored = _ignored_spans(tokens, index)
    folded = [token.text.casefold() for token in tokens]
    flagged: set[int] = set()
    # Names the organisation knows, written in full (any case).
    for position, word in enumerate(folded):
        for name in index.full_names.get(word, []):
            if tuple(folded[position : position + len(name)]) == name:
                last = tokens[position + len(name) - 1]
                add("name", without_email[tokens[position].start : last.end])
                flagged.update(range(position, position + len(name)))
    # Runs of capitalised words (particles such as "van der" may sit inside a run).
    position = 0
    while position < len(tokens):
        token = tokens[position]
        if position in ignored or not token.capitalised or folded[position] in _NOT_NAMES:
            position += 1
            continue
        run = [position]
        cursor = position + 1
        while cursor < len(tokens) and _joined(without_email, tokens[cursor - 1], tokens[cursor]):
            candidate = tokens[cursor]
            if cursor in ignored or folded[cursor] in _NOT_NAMES:
                break
            if candidate.capitalised:
                run.append(cursor)
            elif folded[cursor] not in _PARTICLES:
                break
            cursor += 1
        if tokens[run[0]].sentence_start:
            run = run[1:]
        if len(run) >= 2 and not set(run) <= flagged:
            add("name", without_email[tokens[run[0]].start : tokens[run[-1]].end])
            flagged.update(run)
        elif (
            len(run) == 1
            and run[0] not in flagged
            and folded[run[0]] in index.parts
            and not tokens[run[0]].sentence_start
        ):
            add("name", tokens[run[0]].text)
            flagged.add(run[0])
        position = max(cursor, position + 1)
    return flags


def check_texts(texts: Mapping[str, str], index: NameIndex | None = None) -> list[Flag]:
    """`find_personal_data` over several fields."""
    return [flag for name, text in texts.items() for flag in find_personal_data(name, text, index)]
