"""The sync's cards: a unit's open tasks whose owner no longer exists in Entra ID, and the
administrators' notice that a nightly sync changed nothing."""

from __future__ import annotations

from collections.abc import Sequence

from microsoft_teams.cards import AdaptiveCard, CardElement

from cards.common import Card, format_day, notice_card, paragraph, plain, render, title
from domain.i18n import Lang, t
from domain.org_sync import OpenItem

MAX_LISTED = 25


def orphaned_items_card(lang: Lang, items: Sequence[OpenItem]) -> Card:
    """One line per task (kind, title, the former owner, due day), the first `MAX_LISTED`."""
    unit = items[0].unit if items else ""
    body: list[CardElement] = [
        title(t(lang, "org_sync.orphaned.title", unit=plain(unit))),
        paragraph(t(lang, "org_sync.orphaned.intro")),
    ]
    for item in items[:MAX_LISTED]:
        line = t(
            lang,
            "org_sync.orphaned.item",
            kind=t(lang, f"org_sync.orphaned.{item.kind}"),
            title=plain(item.title),
            owner=plain(item.owner_label),
            due=format_day(lang, item.due),
        )
        body.append(paragraph(f"- {line}"))
    if len(items) > MAX_LISTED:
        body.append(paragraph(f"… (+{len(items) - MAX_LISTED})", subtle=True))
    if any(item.kind == "wellbeing" for item in items):
        body.append(paragraph(t(lang, "org_sync.orphaned.how"), subtle=True))
    return render(AdaptiveCard(body=body))


def sync_failed_card(lang: Lang, reason: str, problems: int) -> Card:
    """`reason`: "problems" (with their count), "mapping" or "graph"."""
    return notice_card(
        t(lang, "org_sync.failed.title"), t(lang, f"org_sync.failed.{reason}", count=problems)
    )
