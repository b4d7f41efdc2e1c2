"""Cards of the drug-precursor flow: the unit's page, the secretariat's overview, the deadline
reminder, and the texts the flow's cards share."""

from __future__ import annotations

from datetime import date
from typing import Any

from microsoft_teams.cards import (
    ActionSet,
    AdaptiveCard,
    CardElement,
    Choice,
    ChoiceSetInput,
    Column,
    ColumnSet,
    Fact,
    FactSet,
    ShowCardAction,
    SubmitAction,
    TextBlock,
    TextInput,
)

from cards.common import (
    Card,
    attention,
    button_rows,
    execute,
    paragraph,
    plain,
    render,
    secondary,
    submit,
    title,
    unit_choice,
)
from domain.commands import Flow
from domain.i18n import Lang, local_date, t
from domain.org import UnitRef
from domain.precursor_ledger import (
    FORM_KINDS,
    EntryKind,
    HoldingView,
    PrecursorWarning,
    WarningKind,
)
from domain.precursor_registrations import RegistrationStatus, RegistrationView, UnitHome
from domain.precursors import SubstanceInfo, format_day, format_quantity
from domain.submissions import card_data

SHOWN_HOLDINGS = 10
"""Substances listed on the unit's page; the rest behind a button that shows them."""

# -- small texts -------------------------------------------------------------------------------


def day_text(lang: Lang, day: date) -> str:
    """ "3. marts 2026" / "3 March 2026"."""
    return format_day(lang, day)


def when_text(lang: Lang, days_left: int) -> str:
    if days_left == 0:
        return t(lang, "precursors.days.today")
    if days_left == 1:
        return t(lang, "precursors.days.tomorrow")
    if days_left == -1:
        return t(lang, "precursors.days.yesterday")
    if days_left > 1:
        return t(lang, "precursors.days.ahead", days=days_left)
    return t(lang, "precursors.days.ago", days=-days_left)


def inline_name(lang: Lang, substance: SubstanceInfo) -> str:
    """The name inside a sentence: "eddikesyreanhydrid", but "BMK" and "N-Acetyl…" kept."""
    name = substance.name(lang)
    if len(name) > 1 and name[0].isupper() and name[1].islower():
        return name[0].lower() + name[1:]
    return name


def substance_count(lang: Lang, count: int) -> str:
    key = "precursors.count.one" if count == 1 else "precursors.count.many"
    return t(lang, key, count=count)


def category_text(lang: Lang, substance: SubstanceInfo, *, short: bool = False) -> str:
    key = "precursors.category.short" if short else "precursors.category"
    return t(lang, key, category=substance.category.value)


def warning_text(lang: Lang, warning: PrecursorWarning, substance: SubstanceInfo) -> str:
    values: dict[str, object] = {"substance": substance.name(lang)}
    if warning.kind in (WarningKind.THRESHOLD_NEAR, WarningKind.THRESHOLD_EXCEEDED):
        unit = warning.unit or substance.report_unit.value
        values["substance"] = inline_name(lang, substance)
        values["total"] = format_quantity(lang, warning.total_micro or 0, unit)
        values["threshold"] = format_quantity(lang, warning.threshold_micro or 0, unit)
    return t(lang, f"precursors.warning.{warning.kind.value}", **values)


def stock_text(lang: Lang, holding: HoldingView) -> str:
    return format_quantity(lang, holding.stock_micro, holding.substance.report_unit)


def holding_title(lang: Lang, holding: HoldingView) -> str:
    return f"{holding.substance.name(lang)} ({category_text(lang, holding.substance, short=True)})"


def good(text: str) -> TextBlock:
    return TextBlock(text=text, color="Good", wrap=True, weight="Bolder")


def heading(text: str) -> TextBlock:
    return TextBlock(text=text, weight="Bolder", size="Medium", wrap=True, spacing="Large")


def back(lang: Lang, action: str = "precursors.back", **data: Any) -> SubmitAction:
    """A Submit that needs none of the card's inputs (so required fields do not block it)."""
    return SubmitAction(
        title=t(lang, "precursors.button.back"),
        data={"action": action, **data},
        associated_inputs="none",
    )


# -- unit picker -------------------------------------------------------------------------------


def unit_picker(lang: Lang, units: list[UnitRef]) -> Card:
    body: list[CardElement] = [
        title(t(lang, "precursors.pick.title")),
        paragraph(t(lang, "precursors.pick.intro")),
        unit_choice(
            units,
            label=t(lang, "precursors.field.unit"),
            error_message=t(lang, "precursors.field.unit"),
            value=str(units[0].id) if units else None,
            style="expanded",
        ),
    ]
    return render(
        AdaptiveCard(
            body=body,
            actions=[
                submit(t(lang, "precursors.button.entry"), "precursors.pick"),
                SubmitAction(
                    title=t(lang, "precursors.button.cancel"),
                    data={"action": "precursors.cancel"},
                    associated_inputs="none",
                ),
            ],
        )
    )


# -- the unit's page ---------------------------------------------------------------------------


def registration_line(lang: Lang, home: UnitHome) -> TextBlock:
    registration = home.registration
    year = registration.year
    if registration.status is RegistrationStatus.MISSING:
        key = "precursors.home.missing" if home.days_left >= 0 else "precursors.home.missing_late"
        return attention(
            t(
                lang,
                key,
                unit=plain(home.unit),
                year=year,
                deadline=day_text(lang, home.deadline),
                when=when_text(lang, home.days_left),
            )
        )
    day = (
        day_text(lang, local_date(registration.registered_at)) if registration.registered_at else ""
    )
    key = (
        "precursors.home.registered_none"
        if registration.status is RegistrationStatus.NONE
        else "precursors.home.registered"
    )
    return good(
        t(
            lang,
            key,
            year=year,
            name=plain(registration.registered_by or "?"),
            day=day,
            substances=substance_count(lang, registration.substances),
        )
    )


def _status_body(lang: Lang, home: UnitHome, warnings: list[str]) -> list[CardElement]:
    body: list[CardElement] = [registration_line(lang, home)]
    if home.contacts:
        body.append(
            paragraph(
                t(lang, "precursors.home.contacts", names=plain(", ".join(home.contacts))),
                subtle=True,
            )
        )
    else:
        body.append(paragraph(t(lang, "precursors.home.no_contact"), subtle=True))
    for warning in warnings:
        body.append(attention(warning))
    body.append(heading(t(lang, "precursors.home.substances")))
    if home.holdings:
        facts = [
            Fact(
                title=holding_title(lang, holding),
                value=t(
                    lang,
                    "precursors.home.stock",
                    stock=stock_text(lang, holding),
                    location=plain(holding.storage_location),
                ),
            )
            for holding in home.holdings
        ]
        body.append(FactSet(facts=facts[:SHOWN_HOLDINGS]))
        if len(facts) > SHOWN_HOLDINGS:
            rest = len(facts) - SHOWN_HOLDINGS
            more = ShowCardAction(
                title=t(lang, "precursors.home.more", count=rest),
                card=AdaptiveCard(body=[FactSet(facts=facts[SHOWN_HOLDINGS:])]),
            )
            body.append(ActionSet(actions=[more]))
    else:
        body.append(paragraph(t(lang, "precursors.home.no_substances"), subtle=True))
    return body


def home_card(
    lang: Lang,
    home: UnitHome,
    *,
    warnings: list[str] | None = None,
    message: str | None = None,
    error: str | None = None,
    can_switch: bool = False,
    secretariat: bool = False,
    submission_key: str | None = None,
) -> Card:
    """Registration status, the substances with stock, and everything the keeper can do; the
    registration buttons carry `submission_key` (this card answers once)."""
    body: list[CardElement] = [title(t(lang, "precursors.home.title", unit=plain(home.unit)))]
    if message:
        body.append(good(message))
    if error:
        body.append(attention(error))
    body.extend(_status_body(lang, home, warnings or []))
    if home.holdings:
        body.append(heading(t(lang, "precursors.home.entry_heading")))
        body.append(
            ColumnSet(
                columns=[
                    Column(
                        width="stretch",
                        items=[
                            ChoiceSetInput(
                                id="holding_id",
                                label=t(lang, "precursors.field.holding"),
                                style="compact",
                                value=str(home.holdings[0].id),
                                choices=[
                                    Choice(title=holding_title(lang, h), value=str(h.id))
                                    for h in home.holdings
                                ],
                            )
                        ],
                    ),
                    Column(
                        width="stretch",
                        items=[
                            ChoiceSetInput(
                                id="kind",
                                label=t(lang, "precursors.field.kind"),
                                style="compact",
                                value=EntryKind.PURCHASE.value,
                                choices=[
                                    Choice(
                                        title=t(lang, f"precursors.kind.{kind.value}"),
                                        value=kind.value,
                                    )
                                    for kind in FORM_KINDS
                                ],
                            )
                        ],
                    ),
                ]
            )
        )
        body.append(
            ActionSet(
                actions=[
                    submit(t(lang, "precursors.button.entry"), "precursors.entry"),
                    submit(t(lang, "precursors.button.ledger"), "precursors.ledger"),
                ]
            )
        )
    body.append(heading(t(lang, "precursors.home.search_heading")))
    body.append(
        TextInput(
            id="query",
            label=t(lang, "precursors.field.query"),
            placeholder=t(lang, "precursors.field.query.placeholder"),
            max_length=100,
        )
    )
    body.append(
        ActionSet(actions=[submit(t(lang, "precursors.button.search"), "precursors.search")])
    )
    year = home.registration.year
    body.append(heading(t(lang, "precursors.home.register_heading", year=year)))
    body.append(paragraph(t(lang, "precursors.home.register_intro"), subtle=True))
    body.extend(
        button_rows(
            [
                submit(
                    t(lang, "precursors.button.register"),
                    "precursors.register",
                    **card_data(submission_key),
                ),
                submit(
                    t(lang, "precursors.button.none"),
                    "precursors.none",
                    **card_data(submission_key),
                ),
            ]
        )
    )
    actions: list[Any] = [submit(t(lang, "precursors.button.close"), "precursors.close")]
    if can_switch:
        actions.append(submit(t(lang, "precursors.button.switch"), "precursors.switch"))
    if secretariat:
        actions.append(
            secondary(execute(t(lang, "precursors.button.overview"), "precursors.overview"))
        )
    return render(AdaptiveCard(body=body, actions=actions))


# -- the secretariat's overview ----------------------------------------------------------------


def overview_card(
    lang: Lang,
    *,
    year: int,
    deadline: date,
    days_left: int,
    rows: list[RegistrationView],
    licence_recorded: bool,
    notice: str | None = None,
) -> Card:
    """Which units have and have not registered for `year` (refreshed in place)."""
    missing = [row for row in rows if row.status is RegistrationStatus.MISSING]
    done = [row for row in rows if row.status is not RegistrationStatus.MISSING]
    body: list[CardElement] = [
        title(t(lang, "precursors.overview.title", year=year)),
        paragraph(
            t(
                lang,
                "precursors.overview.deadline",
                deadline=day_text(lang, deadline),
                when=when_text(lang, days_left),
                done=len(done),
                total=len(rows),
            )
        ),
    ]
    if notice:
        body.append(attention(notice))
    if not licence_recorded:
        body.append(attention(t(lang, "precursors.overview.licence_missing")))
    if missing:
        body.append(heading(t(lang, "precursors.overview.missing", count=len(missing))))
        body.append(TextBlock(text=plain(", ".join(row.unit for row in missing)), wrap=True))
    else:
        body.append(good(t(lang, "precursors.overview.all_done")))
    if done:
        body.append(heading(t(lang, "precursors.overview.done", count=len(done))))
        facts = []
        for row in done:
            what = (
                t(lang, "precursors.overview.none")
                if row.status is RegistrationStatus.NONE
                else substance_count(lang, row.substances)
            )
            facts.append(
                Fact(
                    title=plain(row.unit),
                    value=t(
                        lang,
                        "precursors.overview.row",
                        what=what,
                        name=plain(row.contact or row.registered_by or "?"),
                        day=day_text(lang, local_date(row.registered_at))
                        if row.registered_at
                        else "",
                    ),
                )
            )
        body.append(FactSet(facts=facts))
    if rows:
        body.append(
            ChoiceSetInput(
                id="unit_id",
                label=t(lang, "precursors.field.unit"),
                style="compact",
                value=str(rows[0].unit_id),
                spacing="Large",
                choices=[Choice(title=row.unit, value=str(row.unit_id)) for row in rows],
            )
        )
        body.append(
            ActionSet(
                actions=[
                    execute(
                        t(lang, "precursors.button.show_unit"),
                        "precursors.unit_status",
                        year=year,
                    )
                ]
            )
        )
    body.append(paragraph(t(lang, "precursors.overview.export", year=year), subtle=True))
    return render(
        AdaptiveCard(
            body=body,
            actions=[
                execute(t(lang, "precursors.button.refresh"), "precursors.overview", year=year),
                execute(
                    t(lang, "precursors.button.previous_year"),
                    "precursors.overview",
                    year=year - 1,
                ),
            ],
        )
    )


def unit_status_card(lang: Lang, home: UnitHome, *, warnings: list[str]) -> Card:
    """One unit as the secretariat sees it (read only)."""
    body: list[CardElement] = [title(t(lang, "precursors.status.title", unit=plain(home.unit)))]
    body.extend(_status_body(lang, home, warnings))
    return render(
        AdaptiveCard(
            body=body,
            actions=[
                execute(
                    t(lang, "precursors.button.back_to_overview"),
                    "precursors.overview",
                    year=home.registration.year,
                )
            ],
        )
    )


# -- reminder ----------------------------------------------------------------------------------


def reminder_card(lang: Lang, *, unit: str, year: int, deadline: date, days_left: int) -> Card:
    body: list[CardElement] = [
        title(t(lang, "precursors.reminder.title")),
        paragraph(
            t(
                lang,
                "precursors.reminder.text",
                unit=plain(unit),
                year=year,
                deadline=day_text(lang, deadline),
                when=when_text(lang, days_left),
            )
        ),
    ]
    return render(
        AdaptiveCard(
            body=body,
            actions=[
                submit(
                    t(lang, "precursors.button.register_now"),
                    "menu.open",
                    flow=Flow.PRECURSORS.value,
                )
            ],
        )
    )


def home_warnings(lang: Lang, home: UnitHome) -> list[str]:
    """The unit's warnings as lines, for the substances it holds."""
    names = {holding.substance.key: holding.substance for holding in home.holdings}
    return [
        warning_text(lang, warning, names[warning.substance])
        for warning in home.warnings
        if warning.substance in names
    ]
