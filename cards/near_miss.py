"""Cards of a near miss after it is reported: the follow-up card of the AMK (and
investigator) with its inputs, the action owner's card, notices and the open list."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

from microsoft_teams.cards import (
    ActionSet,
    AdaptiveCard,
    CardElement,
    Column,
    ColumnSet,
    ExecuteAction,
    Fact,
    FactSet,
    OpenUrlAction,
    RefreshDefinition,
    ShowCardAction,
    SubmitAction,
    TextBlock,
)

from cards.common import (
    Card,
    attention,
    button_column,
    button_rows,
    execute,
    format_day,
    notice_card,
    paragraph,
    plain,
    render,
    submit,
    title,
)
from cards.forms import Field, FormItem, Kind, person_field, render_fields
from domain.commands import Flow
from domain.i18n import COPENHAGEN, Lang, format_datetime, t
from domain.near_miss import (
    ActionView,
    Category,
    Event,
    Participant,
    ReportSummary,
    ReportView,
    Severity,
    allowed,
)
from domain.photos import SHOW_PHOTOS


def category_label(lang: Lang, category: Category) -> str:
    return t(lang, f"near_miss.category.{category.value}")


def severity_label(lang: Lang, severity: Severity) -> str:
    return t(lang, f"near_miss.severity.{severity.value}")


LONG_TEXTS = 800
"""Typed characters a follow-up card shows in full; beyond them it shows a beginning."""
SUMMARY_CHARS = 300


def _heading(text: str) -> TextBlock:
    return TextBlock(text=text, weight="Bolder", wrap=True, spacing="Medium")


# -- follow-up ---------------------------------------------------------------------------------


def _facts(lang: Lang, report: ReportView) -> FactSet:
    """The report as facts; what people typed (and their names) made `plain`."""
    facts = [
        Fact(
            title=t(lang, "near_miss.card.status"),
            value=t(lang, f"near_miss.status.{report.status.value}"),
        ),
        Fact(title=t(lang, "near_miss.card.unit"), value=plain(report.unit_name)),
        Fact(title=t(lang, "near_miss.card.where"), value=plain(report.location)),
        Fact(title=t(lang, "near_miss.card.when"), value=format_datetime(lang, report.occurred_at)),
        Fact(title=t(lang, "near_miss.card.category"), value=category_label(lang, report.category)),
        Fact(title=t(lang, "near_miss.card.severity"), value=severity_label(lang, report.severity)),
        Fact(
            title=t(lang, "near_miss.card.reported_at"),
            value=format_datetime(lang, report.created_at),
        ),
        Fact(
            title=t(lang, "near_miss.card.reporter"),
            value=plain(report.reporter_name)
            if report.reporter_name
            else t(lang, "near_miss.card.anonymous"),
        ),
    ]
    if report.injury:
        facts.append(
            Fact(title=t(lang, "near_miss.card.injury"), value=t(lang, "near_miss.card.injury.yes"))
        )
    if report.acknowledged_at is not None:
        facts.append(
            Fact(
                title=t(lang, "near_miss.card.acknowledged"),
                value=t(
                    lang,
                    "near_miss.card.acknowledged_value",
                    when=format_datetime(lang, report.acknowledged_at),
                    who=plain(report.acknowledged_by or ""),
                ),
            )
        )
    if report.investigator_name:
        facts.append(
            Fact(
                title=t(lang, "near_miss.card.investigator"),
                value=plain(report.investigator_name),
            )
        )
    if report.closed_at is not None:
        facts.append(
            Fact(
                title=t(lang, "near_miss.card.closed"),
                value=t(
                    lang,
                    "near_miss.card.acknowledged_value",
                    when=format_datetime(lang, report.closed_at),
                    who=plain(report.closed_by or ""),
                ),
            )
        )
    return FactSet(facts=facts)


def _typed(text: str) -> TextBlock:
    """A paragraph someone typed, shown as typed."""
    return TextBlock(text=plain(text), wrap=True, spacing="None")


def _beginning(text: str) -> str:
    """The first `SUMMARY_CHARS` or so of `text`, ended at a word, with "…"."""
    head = text[:SUMMARY_CHARS]
    if " " in head:
        head = head.rsplit(" ", 1)[0]
    return head.rstrip() + " …"


def _texts(lang: Lang, report: ReportView) -> list[CardElement]:
    """What happened, what was done and the proposal; when they are long, the beginning of
    what happened and a button that shows all of it."""
    texts = [
        (key, text)
        for key, text in (
            ("near_miss.card.description", report.description),
            ("near_miss.card.immediate_action", report.immediate_action),
            ("near_miss.card.prevention", report.prevention),
        )
        if text
    ]
    whole: list[CardElement] = []
    for key, text in texts:
        whole.extend([_heading(t(lang, key)), _typed(text)])
    if sum(len(text) for _, text in texts) <= LONG_TEXTS:
        body = whole
    else:
        body = [
            _heading(t(lang, "near_miss.card.description")),
            _typed(_beginning(report.description)),
            ActionSet(
                actions=[
                    ShowCardAction(
                        title=t(lang, "near_miss.card.whole_report"),
                        card=AdaptiveCard(body=whole),
                    )
                ]
            ),
        ]
    if report.photo_url:
        body.append(
            ActionSet(
                actions=[
                    OpenUrlAction(title=t(lang, "near_miss.card.photos"), url=report.photo_url)
                ]
            )
        )
    if report.photos:
        label = t(lang, "files_in.photos.show", count=report.photos)
        body.append(ActionSet(actions=[submit(label, SHOW_PHOTOS, report_id=report.id)]))
    return body


def _action_line(lang: Lang, action: ActionView) -> str:
    return t(
        lang,
        "near_miss.card.action_line",
        owner=plain(action.owner_name),
        due=format_day(lang, action.due_date),
        status=t(lang, f"near_miss.action_status.{action.status.value}"),
    )


def action_rows(
    lang: Lang, actions: Sequence[ActionView], done: Callable[[ActionView], Column | None]
) -> list[CardElement]:
    """The corrective actions under a heading, each with its owner, due date and status, and
    the button `done` gives it (None: no button); shared by near misses and work accidents."""
    if not actions:
        return []
    body: list[CardElement] = [_heading(t(lang, "near_miss.card.actions"))]
    for action in actions:
        columns = [
            Column(
                width="stretch",
                items=[
                    TextBlock(text=plain(action.description), wrap=True),
                    TextBlock(
                        text=_action_line(lang, action),
                        wrap=True,
                        is_subtle=True,
                        size="Small",
                        spacing="None",
                    ),
                ],
            )
        ]
        button = done(action)
        if button is not None:
            columns.append(button)
        body.append(ColumnSet(columns=columns, separator=True))
    return body


def _actions(lang: Lang, report: ReportView, viewer: Participant) -> list[CardElement]:
    def done(action: ActionView) -> Column | None:
        if (
            action.is_open
            and viewer.may(Event.COMPLETE_ACTION, action.id)
            and allowed(report.status, Event.COMPLETE_ACTION)
        ):
            return button_column(
                t(lang, "near_miss.card.mark_done"),
                "near_miss.action.done",
                report_id=report.id,
                action_id=action.id,
            )
        return None

    return action_rows(lang, report.actions, done)


def _person(name: str, label: str) -> Field:
    return person_field(
        name, label, picker_label=f"{label}.picker", error="near_miss.card.email.error"
    )


ASSIGN_FORM: tuple[FormItem, ...] = (_person("investigator", "near_miss.card.assign.label"),)
ACTION_FORM: tuple[FormItem, ...] = (
    Field(
        "action_description",
        "near_miss.card.action.description",
        Kind.MULTILINE,
        required=True,
        max_length=1000,
        error="near_miss.error.action_description",
    ),
    _person("action_owner", "near_miss.card.action.owner"),
    Field(
        "action_due",
        "near_miss.card.action.due",
        Kind.DATE,
        required=True,
        error="near_miss.error.action_due",
    ),
)
CLOSE_FORM: tuple[FormItem, ...] = (
    Field(
        "conclusion",
        "near_miss.card.close.label",
        Kind.MULTILINE,
        required=True,
        max_length=2000,
        error="near_miss.error.conclusion",
    ),
)


def _buttons(lang: Lang, report: ReportView, viewer: Participant, picker: bool) -> list[Any]:
    buttons: list[Any] = []
    status = report.status
    if viewer.may(Event.ACKNOWLEDGE) and allowed(status, Event.ACKNOWLEDGE):
        buttons.append(
            execute(
                t(lang, "near_miss.card.acknowledge"), "near_miss.acknowledge", report_id=report.id
            )
        )
    if viewer.may(Event.ASSIGN) and allowed(status, Event.ASSIGN):
        buttons.append(
            ShowCardAction(
                title=t(lang, "near_miss.card.assign"),
                card=AdaptiveCard(
                    body=render_fields(lang, ASSIGN_FORM, picker=picker),
                    actions=[
                        execute(
                            t(lang, "near_miss.card.assign.do"),
                            "near_miss.assign",
                            report_id=report.id,
                        )
                    ],
                ),
            )
        )
    if viewer.may(Event.ADD_ACTION) and allowed(status, Event.ADD_ACTION):
        buttons.append(
            ShowCardAction(
                title=t(lang, "near_miss.card.add_action"),
                card=AdaptiveCard(
                    body=render_fields(lang, ACTION_FORM, picker=picker),
                    actions=[
                        execute(
                            t(lang, "near_miss.card.action.do"),
                            "near_miss.action.add",
                            report_id=report.id,
                        )
                    ],
                ),
            )
        )
    if viewer.manages:
        buttons.append(became_accident(lang, report.id))
    if viewer.may(Event.CLOSE) and allowed(status, Event.CLOSE) and report.open_actions == 0:
        buttons.append(
            ShowCardAction(
                title=t(lang, "near_miss.card.close"),
                card=AdaptiveCard(
                    body=render_fields(lang, CLOSE_FORM),
                    actions=[
                        execute(
                            t(lang, "near_miss.card.close.do"),
                            "near_miss.close",
                            report_id=report.id,
                        )
                    ],
                ),
            )
        )
    return buttons


def became_accident(lang: Lang, report_id: int) -> SubmitAction:
    """Report the near miss as the work accident it turned out to be: the accident form,
    started from the near miss's values and linked to it."""
    return submit(
        t(lang, "work_accident.from_near_miss.became"),
        "menu.open",
        flow=Flow.WORK_ACCIDENT.value,
        start={"near_miss_id": report_id},
    )


def _refresh(report: ReportView, viewer: Participant) -> RefreshDefinition | None:
    """Open cases refresh automatically for their reader; a closed one only on request."""
    if not viewer.teams_id:
        return None
    user_ids = [viewer.teams_id] if report.status.is_open else []
    data = {"action": "near_miss.view", "report_id": report.id}
    action = ExecuteAction(verb="near_miss.view", data=data, fallback=SubmitAction(data=data))
    return RefreshDefinition(action=action, user_ids=user_ids)


def report_card(
    lang: Lang,
    report: ReportView,
    viewer: Participant,
    *,
    intro: str | None = None,
    message: str | None = None,
    errors: list[str] | None = None,
    back_to_list: bool = False,
    picker: bool = False,
) -> Card:
    """The follow-up card: the report, its actions and the buttons `viewer` may use now
    (the investigator and an action's owner chosen in Teams' people picker if `picker`, else
    typed as e-mail addresses)."""
    body: list[CardElement] = [title(t(lang, "near_miss.card.title", number=report.number))]
    if intro:
        body.append(paragraph(intro))
    if message:
        body.append(TextBlock(text=message, color="Good", weight="Bolder", wrap=True))
    for error in errors or []:
        body.append(attention(error))
    body.append(_facts(lang, report))
    body.extend(_texts(lang, report))
    body.extend(_actions(lang, report, viewer))
    if report.conclusion:
        body.extend(
            [
                _heading(t(lang, "near_miss.card.conclusion")),
                _typed(report.conclusion),
            ]
        )
    buttons = _buttons(lang, report, viewer, picker)
    if back_to_list:
        buttons.append(execute(t(lang, "near_miss.card.back_to_list"), "near_miss.list"))
    body.extend(button_rows(buttons))
    return render(AdaptiveCard(body=body, refresh=_refresh(report, viewer)))


def owner_card(
    lang: Lang,
    report: ReportView,
    action: ActionView,
    *,
    may_complete: bool,
    intro: str | None = None,
    message: str | None = None,
) -> Card:
    """The action owner's copy: what to do by when, and a button to mark it done."""
    done = None
    if action.is_open and may_complete and allowed(report.status, Event.COMPLETE_ACTION):
        done = execute(
            t(lang, "near_miss.card.mark_done"),
            "near_miss.action.done",
            report_id=report.id,
            action_id=action.id,
            card="owner",
        )
    return action_owner_copy(
        lang,
        t(lang, "near_miss.owner.title", number=report.number),
        action,
        [
            Fact(title=t(lang, "near_miss.card.unit"), value=plain(report.unit_name)),
            Fact(title=t(lang, "near_miss.card.where"), value=plain(report.location)),
            Fact(
                title=t(lang, "near_miss.card.category"),
                value=category_label(lang, report.category),
            ),
        ],
        [_heading(t(lang, "near_miss.card.description")), _typed(report.description)],
        intro=intro,
        message=message,
        done=done,
    )


def action_owner_copy(
    lang: Lang,
    heading: str,
    action: ActionView,
    facts: list[Fact],
    details: list[CardElement],
    *,
    intro: str | None,
    message: str | None,
    done: Any | None,
) -> Card:
    """A corrective action's owner's copy (near miss or work accident): the heading, an intro
    or a message, what to do, its due date and status, then `facts` and `details`; when it was
    done, or the `done` button to mark it so."""
    body: list[CardElement] = [title(heading)]
    if intro:
        body.append(paragraph(intro))
    if message:
        body.append(TextBlock(text=message, color="Good", weight="Bolder", wrap=True))
    due = Fact(title=t(lang, "near_miss.card.action.due"), value=format_day(lang, action.due_date))
    status = Fact(
        title=t(lang, "near_miss.card.status"),
        value=t(lang, f"near_miss.action_status.{action.status.value}"),
    )
    body.append(TextBlock(text=plain(action.description), wrap=True, weight="Bolder"))
    body.append(FactSet(facts=[due, status, *facts]))
    body.extend(details)
    if action.done_at is not None:
        body.append(
            paragraph(t(lang, "near_miss.owner.done", when=format_datetime(lang, action.done_at)))
        )
    return render(AdaptiveCard(body=body, actions=[done] if done is not None else None))


def reporter_notice(lang: Lang, report: ReportView, *, closed: bool) -> Card:
    """To a named reporter: acknowledged, or closed with the conclusion."""
    if not closed:
        return notice_card(
            t(lang, "near_miss.title"),
            t(lang, "near_miss.reporter.acknowledged", number=report.number),
        )
    body: list[CardElement] = [
        title(t(lang, "near_miss.title")),
        paragraph(t(lang, "near_miss.reporter.closed", number=report.number)),
        _heading(t(lang, "near_miss.card.conclusion")),
        _typed(report.conclusion or ""),
    ]
    return render(AdaptiveCard(body=body))


def no_part_card(lang: Lang, report: ReportView) -> Card:
    return notice_card(
        t(lang, "near_miss.card.title", number=report.number), t(lang, "near_miss.card.no_part")
    )


def not_allowed_card(lang: Lang) -> Card:
    return notice_card(t(lang, "near_miss.title"), t(lang, "near_miss.not_allowed"))


# -- the AMK's list ----------------------------------------------------------------------------


def _age(lang: Lang, created_at: datetime, now: datetime) -> str:
    days = (now.astimezone(COPENHAGEN).date() - created_at.astimezone(COPENHAGEN).date()).days
    if days <= 0:
        return t(lang, "near_miss.list.age_today")
    if days == 1:
        return t(lang, "near_miss.list.age_day")
    return t(lang, "near_miss.list.age_days", days=days)


def list_card(
    lang: Lang,
    reports: list[ReportSummary],
    *,
    units: list[str] | None,
    total: int,
    now: datetime,
) -> Card:
    """Open reports, newest first, each with a button that opens its follow-up card. No
    reporter is ever shown here."""
    scope = (
        t(lang, "near_miss.list.scope_all")
        if units is None
        else t(lang, "near_miss.list.scope_units", units=plain(", ".join(units)))
    )
    body: list[CardElement] = [
        title(t(lang, "near_miss.list.title")),
        paragraph(scope, subtle=True),
    ]
    if not reports:
        body.append(paragraph(t(lang, "near_miss.list.empty")))
    for report in reports:
        line = t(
            lang,
            "near_miss.list.line",
            unit=plain(report.unit_name),
            category=category_label(lang, report.category),
            severity=severity_label(lang, report.severity),
            status=t(lang, f"near_miss.status.{report.status.value}"),
            age=_age(lang, report.created_at, now),
        )
        body.append(
            ColumnSet(
                separator=True,
                columns=[
                    Column(
                        width="stretch",
                        items=[
                            TextBlock(text=report.number, weight="Bolder", wrap=True),
                            TextBlock(
                                text=line, wrap=True, is_subtle=True, size="Small", spacing="None"
                            ),
                        ],
                    ),
                    button_column(
                        t(lang, "near_miss.list.open"),
                        "near_miss.view",
                        report_id=report.id,
                        from_list=True,
                    ),
                ],
            )
        )
    if total > len(reports):
        body.append(
            paragraph(t(lang, "near_miss.list.more", shown=len(reports), total=total), subtle=True)
        )
    return render(AdaptiveCard(body=body))
