"""The precursor import sent in the chat: the problems row by row, or what an import would
save with **Importér** / **Annullér**."""

from __future__ import annotations

from typing import Final

from microsoft_teams.cards import AdaptiveCard, CardElement, TextBlock

from cards.common import Card, button_rows, paragraph, plain, render, submit, title
from domain.i18n import Lang, t
from domain.submissions import card_data

SHOWN_PROBLEMS: Final = 40
CONFIRM: Final = "precursors.import.confirm"
CANCEL: Final = "precursors.import.cancel"


def problems_card(lang: Lang, name: str, problems: list[str], *, lead: str | None = None) -> Card:
    """What is wrong, row by row (the first ones, then how many more); nothing was saved."""
    body: list[CardElement] = [title(t(lang, "precursors.import.chat.problems", name=plain(name)))]
    if lead:
        body.append(paragraph(lead))
    body.extend(
        TextBlock(text=plain(problem), wrap=True, spacing="Small")
        for problem in problems[:SHOWN_PROBLEMS]
    )
    if len(problems) > SHOWN_PROBLEMS:
        more = len(problems) - SHOWN_PROBLEMS
        body.append(paragraph(t(lang, "precursors.import.chat.more", count=more), subtle=True))
    body.append(
        paragraph(t(lang, "precursors.import.nothing_written", count=len(problems)), subtle=True)
    )
    return render(AdaptiveCard(body=body))


def summary_card(
    lang: Lang,
    name: str,
    *,
    entries: int,
    units: list[str],
    holdings: int,
    submission_key: str,
) -> Card:
    """Every row is fine: what **Importér** saves; nothing is saved yet."""
    body: list[CardElement] = [
        title(t(lang, "precursors.import.chat.ready", name=plain(name))),
        paragraph(
            t(
                lang,
                "precursors.import.chat.summary",
                entries=entries,
                units=plain(", ".join(units)),
                holdings=holdings,
            )
        ),
    ]
    body.extend(
        button_rows(
            [
                submit(
                    t(lang, "precursors.import.chat.confirm"),
                    CONFIRM,
                    **card_data(submission_key),
                ),
                submit(t(lang, "precursors.import.chat.cancel"), CANCEL),
            ]
        )
    )
    return render(AdaptiveCard(body=body))
