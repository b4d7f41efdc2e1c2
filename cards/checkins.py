"""Cards of lone-work check-ins: the worker's "All OK?" card and the responders' alarm card."""

from __future__ import annotations

from functools import cache
from typing import Any

from microsoft_teams.cards import (
    ActionSet,
    AdaptiveCard,
    CardElement,
    Choice,
    Fact,
    FactSet,
    TextBlock,
)

from cards.common import Card, execute, paragraph, plain, render, title
from cards.forms import Field, FormItem, Kind, Row, render_fields
from domain.checkins import (
    EXTEND_CHOICES,
    GRACE,
    AlarmReason,
    SessionStatus,
    SessionView,
    interval_choices,
)
from domain.i18n import Lang, format_datetime, t


def _minutes(lang: Lang, minutes: int) -> str:
    return t(lang, "checkins.minutes", minutes=minutes)


def _facts(lang: Lang, view: SessionView, *, for_worker: bool) -> FactSet:
    """The session as facts; what people typed (and their names) made `plain`."""
    rows: list[tuple[str, str]] = []
    if not for_worker:
        rows.append(("checkins.fact.worker", plain(view.worker)))
        rows.append(("checkins.fact.unit", plain(view.unit)))
    rows += [
        ("checkins.fact.task", plain(view.task)),
        ("checkins.fact.location", plain(view.location)),
    ]
    if view.status is not SessionStatus.FINISHED:
        rows.append(("checkins.fact.due", format_datetime(lang, view.due_at)))
    rows.append(("checkins.fact.ends", format_datetime(lang, view.ends_at)))
    if for_worker:
        rows.append(("checkins.fact.interval", _minutes(lang, view.interval_minutes)))
    else:
        last = format_datetime(lang, view.last_ok_at) if view.last_ok_at else None
        rows.append(("checkins.fact.last_ok", last or t(lang, "checkins.never")))
        rows.append(
            ("checkins.fact.emergency", plain(f"{view.emergency_name}, {view.emergency_phone}"))
        )
    rows.append(("checkins.fact.request", view.number))
    return FactSet(facts=[Fact(title=t(lang, key), value=value) for key, value in rows])


SESSION_FORM: tuple[FormItem, ...] = (
    Row(
        (
            Field("interval", "checkins.field.interval", Kind.CHOICE),
            Field("extend_minutes", "checkins.field.extend", Kind.CHOICE),
        )
    ),
)


@cache
def _minute_choices(lang: Lang, minutes: tuple[int, ...]) -> tuple[Choice, ...]:
    return tuple(Choice(title=_minutes(lang, m), value=str(m)) for m in minutes)


def _supplement(lang: Lang) -> TextBlock:
    return TextBlock(text=t(lang, "checkins.supplement"), wrap=True, is_subtle=True, size="Small")


def _notice(text: str, *, good: bool = False) -> TextBlock:
    return TextBlock(text=text, wrap=True, weight="Bolder", color="Good" if good else "Attention")


def session_card(
    lang: Lang,
    view: SessionView,
    *,
    kind: str = "started",
    notice: str | None = None,
    good: bool = False,
) -> Card:
    """The worker's card: started, prompt ("All OK?"), reminder, handled, or finished."""
    if view.status is SessionStatus.FINISHED:
        kind = "finished"
    body: list[CardElement] = [title(t(lang, f"checkins.title.{kind}"))]
    due = format_datetime(lang, view.due_at)
    answer_by = format_datetime(lang, view.answer_by or view.due_at)
    if kind == "started":
        body.append(
            paragraph(t(lang, "checkins.started", due=due, grace=int(GRACE.total_seconds() // 60)))
        )
    elif kind == "prompt":
        body.append(paragraph(t(lang, "checkins.prompt", due=answer_by)))
    elif kind == "reminder":
        body.append(
            _notice(
                t(
                    lang,
                    "checkins.reminder",
                    due=answer_by,
                    alarm=format_datetime(lang, view.alarm_at or view.due_at + 2 * GRACE),
                )
            )
        )
    if notice:
        body.append(_notice(notice, good=good))
    if view.status is SessionStatus.FINISHED and view.finished_at is not None:
        body.append(
            paragraph(
                t(lang, "checkins.finished.line", when=format_datetime(lang, view.finished_at))
            )
        )
    body.append(_facts(lang, view, for_worker=True))
    if view.status is not SessionStatus.FINISHED:
        chosen = {"interval": str(view.interval_minutes), "extend_minutes": str(EXTEND_CHOICES[0])}
        choices = {
            "interval": _minute_choices(lang, tuple(interval_choices(view.max_interval_minutes))),
            "extend_minutes": _minute_choices(lang, tuple(EXTEND_CHOICES)),
        }
        body.extend(render_fields(lang, SESSION_FORM, chosen, choices=choices))
        data: dict[str, Any] = {"session_id": view.id}
        body.append(
            ActionSet(
                actions=[
                    execute(t(lang, "checkins.button.ok"), "checkin.ok", **data),
                    execute(t(lang, "checkins.button.help"), "checkin.help", **data),
                ]
            )
        )
        body.append(
            ActionSet(
                actions=[
                    execute(t(lang, "checkins.button.extend"), "checkin.extend", **data),
                    execute(t(lang, "checkins.button.finish"), "checkin.finish", **data),
                ]
            )
        )
    body.append(_supplement(lang))
    return render(AdaptiveCard(body=body))


def alarm_card(lang: Lang, view: SessionView, *, alarm_seq: int, round: int) -> Card:
    """A responder's card for one alarm: the worker, where, what; "I am handling it"."""
    reason = view.alarm_reason or AlarmReason.MISSED
    worker = plain(view.worker)
    body: list[CardElement] = [
        title(t(lang, f"checkins.title.alarm_{reason.value}", worker=worker))
    ]
    since = view.alarm_started_at or view.due_at
    if reason is AlarmReason.HELP:
        text = t(lang, "checkins.alarm.help", worker=worker, when=format_datetime(lang, since))
    else:
        text = t(
            lang,
            "checkins.alarm.missed",
            worker=worker,
            due=format_datetime(lang, view.due_at),
        )
    body.append(paragraph(text))
    current = view.alarm_seq == alarm_seq
    if current and view.status is SessionStatus.ALARM:
        body.append(paragraph(t(lang, "checkins.alarm.round", round=round), subtle=True))
    body.append(_facts(lang, view, for_worker=False))
    if current and view.status is SessionStatus.ALARM:
        body.append(paragraph(t(lang, "checkins.alarm.repeat")))
        body.append(
            ActionSet(
                actions=[
                    execute(
                        t(lang, "checkins.button.handle"),
                        "checkin.handle",
                        session_id=view.id,
                        alarm=alarm_seq,
                    )
                ]
            )
        )
    elif current and view.status is SessionStatus.HANDLED and view.handled_at:
        body.append(
            _notice(
                t(
                    lang,
                    "checkins.handled.line",
                    name=plain(view.handled_by or ""),
                    when=format_datetime(lang, view.handled_at),
                ),
                good=True,
            )
        )
    elif view.status is SessionStatus.FINISHED and view.finished_at:
        body.append(
            _notice(
                t(lang, "checkins.finished.line", when=format_datetime(lang, view.finished_at)),
                good=True,
            )
        )
    elif view.last_ok_at:
        body.append(
            _notice(
                t(
                    lang,
                    "checkins.resolved.line",
                    worker=worker,
                    when=format_datetime(lang, view.last_ok_at),
                ),
                good=True,
            )
        )
    body.append(_supplement(lang))
    return render(AdaptiveCard(body=body))
