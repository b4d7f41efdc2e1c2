"""The guided services and the words that start them or steer the conversation."""

from __future__ import annotations

import re
import unicodedata
from enum import StrEnum
from typing import Final


class Flow(StrEnum):
    """A guided service offered in the menu."""

    LONE_WORK = "lone_work"
    NEAR_MISS = "near_miss"
    WELLBEING = "wellbeing"
    PRECURSORS = "precursors"
    WORK_ACCIDENT = "work_accident"

    @property
    def menu_key(self) -> str:
        return f"menu.{self.value}"


class Command(StrEnum):
    """Words that work at any point of a conversation."""

    HELP = "help"
    MENU = "menu"
    CANCEL = "cancel"
    LANGUAGE = "language"
    ADMIN = "admin"


_COMMAND_WORDS: Final[dict[str, Command]] = {
    "hjælp": Command.HELP,
    "hjaelp": Command.HELP,
    "help": Command.HELP,
    "?": Command.HELP,
    "menu": Command.MENU,
    "menuen": Command.MENU,
    "start": Command.MENU,
    "annullér": Command.CANCEL,
    "annuller": Command.CANCEL,
    "afbryd": Command.CANCEL,
    "stop": Command.CANCEL,
    "cancel": Command.CANCEL,
    "quit": Command.CANCEL,
    "sprog": Command.LANGUAGE,
    "language": Command.LANGUAGE,
    "admin": Command.ADMIN,
}

_FLOW_WORDS: Final[dict[str, Flow]] = {
    "alenearbejde": Flow.LONE_WORK,
    "lone work": Flow.LONE_WORK,
    "lonework": Flow.LONE_WORK,
    "lone-work": Flow.LONE_WORK,
    "nærved": Flow.NEAR_MISS,
    "nærved-hændelse": Flow.NEAR_MISS,
    "nærvedhændelse": Flow.NEAR_MISS,
    "near miss": Flow.NEAR_MISS,
    "near-miss": Flow.NEAR_MISS,
    "nearmiss": Flow.NEAR_MISS,
    "trivsel": Flow.WELLBEING,
    "trivselsdialog": Flow.WELLBEING,
    "wellbeing": Flow.WELLBEING,
    "well-being": Flow.WELLBEING,
    "prækursor": Flow.PRECURSORS,
    "prækursorer": Flow.PRECURSORS,
    "narkotikaprækursorer": Flow.PRECURSORS,
    "precursor": Flow.PRECURSORS,
    "precursors": Flow.PRECURSORS,
    "drug precursors": Flow.PRECURSORS,
    "arbejdsulykke": Flow.WORK_ACCIDENT,
    "arbejdsulykker": Flow.WORK_ACCIDENT,
    "work accident": Flow.WORK_ACCIDENT,
    "work-accident": Flow.WORK_ACCIDENT,
    "workplace accident": Flow.WORK_ACCIDENT,
}

MY_DATA_WORDS: Final = frozenset(
    {"mine data", "mine oplysninger", "dine data", "my data", "your data"}
)
"""Words asking what the bot holds about the speaker (their own data)."""

# Ask for a register as an Excel file in the chat (`dialogs/exports.py`).
EXPORT_WORDS: Final = frozenset(
    {"eksport", "eksporter", "eksportér", "eksporter til excel", "export", "export to excel"}
)

_MENTION = re.compile(r"<at>.*?</at>", re.IGNORECASE | re.DOTALL)
_EDGE_PUNCTUATION = " \t\r\n.!?,;:«»\"'“”"


def normalise_text(text: str | None) -> str:
    """Lower-case, mention-free, NFC text with single spaces, for matching commands."""
    if not text:
        return ""
    without_mentions = _MENTION.sub(" ", text)
    folded = " ".join(unicodedata.normalize("NFC", without_mentions).casefold().split())
    # "hjælp?" means "hjælp", but a lone "?" is itself a word (help).
    return folded.strip(_EDGE_PUNCTUATION) or folded


def parse_command(text: str | None) -> Command | None:
    """A global command if the whole message is one of its words."""
    return _COMMAND_WORDS.get(normalise_text(text))


def parse_flow(text: str | None) -> Flow | None:
    """The service the message asks for, if the whole message names one."""
    return _FLOW_WORDS.get(normalise_text(text))


def asks_for_own_data(text: str | None) -> bool:
    """True if the whole message asks what the bot holds about the speaker."""
    return normalise_text(text) in MY_DATA_WORDS


def is_export(text: str | None) -> bool:
    """Whether the whole message asks for an export."""
    return normalise_text(text) in EXPORT_WORDS
