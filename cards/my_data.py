"""The card of a person's own data: who they are to the bot, each register's count and
newest records, the audit trail's counts, and how to have something corrected or erased."""

from __future__ import annotations

from typing import Any

from microsoft_teams.cards import ActionSet, AdaptiveCard, CardElement, Fact, FactSet, TextBlock

from cards.common import Card, execute, format_day, paragraph, plain, render, submit, title
from cards.exports import OFFER_ACTION
from domain.exports import ExportKind
from domain.i18n import Lang, format_datetime, local_date, t
from domain.my_data import MyData, Record, Register

RECENT = 3
"""Records shown per register until the person asks for everything."""
EVERYTHING = 25
"""Records shown per register at most (the card stays small enough for Teams)."""


def _role(lang: Lang, role: str, unit: str | None) -> str:
    name = t(lang, f"role.{role}")
    return t(lang, "my_data.role_in", role=name, unit=plain(unit)) if unit else name


def _day(lang: Lang, record: Record) -> str:
    return format_day(lang, local_date(record.at))


def _line(lang: Lang, record: Record) -> str:
    parts = [f"**{plain(record.reference)}**", plain(record.unit), _day(lang, record)]
    for key in (record.status, record.part):
        if key:
            parts.append(t(lang, key))
    return "- " + " · ".join(parts)


def _facts(lang: Lang, data: MyData) -> FactSet:
    roles = ", ".join(_role(lang, role.role, role.unit) for role in data.roles)
    rows = [
        ("my_data.fact.name", plain(data.name or "–")),
        ("my_data.fact.email", plain(data.email or "–")),
    ]
    if data.language:
        rows.append(("my_data.fact.language", t(lang, f"my_data.language.{data.language}")))
    rows += [
        ("my_data.fact.since", format_datetime(lang, data.known_since)),
        ("my_data.fact.roles", roles or t(lang, "my_data.roles.none")),
    ]
    return FactSet(facts=[Fact(title=t(lang, key), value=value) for key, value in rows])


def my_data_card(lang: Lang, data: MyData, *, everything: bool = False) -> Card:
    """Each register with records: its count and the newest `RECENT` (or, with
    `everything`, up to `EVERYTHING`); "Show everything" when some were left out, and
    "Get as an Excel file" (all of it, as a file in the chat: the consent card follows)."""
    body: list[CardElement] = [
        title(t(lang, "my_data.title")),
        paragraph(t(lang, "my_data.intro"), subtle=True),
        _facts(lang, data),
    ]
    limit = EVERYTHING if everything else RECENT
    left_out = False
    for register in Register:
        records = data.of(register)
        if not records:
            continue
        heading = t(
            lang,
            "my_data.register.count",
            title=t(lang, f"my_data.register.{register.value}"),
            count=len(records),
        )
        body.append(TextBlock(text=heading, weight="Bolder", wrap=True, spacing="Medium"))
        lines = [_line(lang, record) for record in records[:limit]]
        if len(records) > limit:
            lines.append(t(lang, "my_data.register.more", count=len(records) - limit))
            left_out = left_out or not everything
        body.append(TextBlock(text="\n".join(lines), wrap=True, spacing="Small"))
    body.append(
        paragraph(
            t(lang, "my_data.audit", actor=data.audit_as_actor, about=data.audit_about),
            subtle=True,
        )
    )
    body.append(paragraph(t(lang, "my_data.rights"), subtle=True))
    # in a row of its own: beside "Show everything" neither title fits a phone's width
    file = submit(t(lang, "my_data.button.file"), OFFER_ACTION, kind=ExportKind.MY_DATA.value)
    body.append(ActionSet(actions=[file]))
    actions: list[Any] = []
    if left_out:
        actions.append(execute(t(lang, "my_data.button.all"), "my_data.show", all=True))
    return render(AdaptiveCard(body=body, actions=actions))
