"""An administrator's organisation file sent in the chat: what it would change, with
**Importér** / **Annullér**, or what is wrong with it."""

from __future__ import annotations

from typing import Final

from microsoft_teams.cards import AdaptiveCard, CardElement, TextBlock

from cards.common import Card, button_rows, paragraph, plain, render, submit, title
from domain.i18n import Lang, t
from domain.submissions import card_data

SHOWN_PROBLEMS: Final = 40
CONFIRM: Final = "org.import.confirm"
CANCEL: Final = "org.import.cancel"


def org_problems_card(lang: Lang, name: str, problems: list[str]) -> Card:
    body: list[CardElement] = [
        title(t(lang, "org.import.chat.problems", name=plain(name))),
    ]
    body.extend(
        TextBlock(text=plain(problem), wrap=True, spacing="Small")
        for problem in problems[:SHOWN_PROBLEMS]
    )
    if len(problems) > SHOWN_PROBLEMS:
        more = len(problems) - SHOWN_PROBLEMS
        body.append(paragraph(t(lang, "precursors.import.chat.more", count=more), subtle=True))
    return render(AdaptiveCard(body=body))


def org_summary_card(
    lang: Lang,
    name: str,
    *,
    units_created: list[str],
    roles_added: int,
    roles_removed: int,
    submission_key: str,
) -> Card:
    body: list[CardElement] = [
        title(t(lang, "org.import.chat.ready", name=plain(name))),
        paragraph(
            t(
                lang,
                "org.import.chat.summary",
                units=len(units_created),
                added=roles_added,
                removed=roles_removed,
            )
        ),
    ]
    if units_created:
        shown = ", ".join(units_created[:30]) + (" …" if len(units_created) > 30 else "")
        body.append(paragraph(t(lang, "org.import.chat.new_units", units=plain(shown))))
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
