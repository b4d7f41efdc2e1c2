"""Cards of the lone-work flow: request form, summary, approval, requester's copy, lists."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from microsoft_teams.cards import (
    ActionSet,
    AdaptiveCard,
    CardElement,
    Choice,
    ChoiceSetInput,
    Column,
    ColumnSet,
    Container,
    ExecuteAction,
    Fact,
    FactSet,
    RefreshDefinition,
    TargetElement,
    TextBlock,
    ToggleVisibilityAction,
)

from cards.common import (
    Card,
    attention,
    button_column,
    button_rows,
    execute,
    format_day,
    paragraph,
    plain,
    render,
    secondary,
    submit,
    title,
    unit_choices,
)
from cards.forms import (
    Field,
    FormItem,
    Kind,
    Note,
    Row,
    field_error,
    keyed,
    person_field,
    render_fields,
)
from cards.training import lone_work_line
from domain.i18n import Lang, format_datetime, t
from domain.lone_work import (
    WEEKDAYS,
    Affiliation,
    Hazard,
    Mitigation,
    RequestView,
    Schedule,
    Status,
)
from domain.org import UnitRef
from domain.submissions import card_data

MAX_LIST_ROWS = 15


_FIELD = "lone_work.field"
_DETAILS: tuple[FormItem, ...] = (
    Field("unit_id", f"{_FIELD}.unit", Kind.CHOICE, required=True, error="lone_work.error.unit"),
    Field(
        "affiliation",
        f"{_FIELD}.affiliation",
        Kind.CHOICE,
        required=True,
        options=keyed("lone_work.affiliation", [item.value for item in Affiliation]),
        expanded=True,
        error="lone_work.error.affiliation",
    ),
    Note(f"{_FIELD}.affiliation.explain", heading=False),
    Field(
        "task",
        f"{_FIELD}.task",
        Kind.MULTILINE,
        required=True,
        max_length=2000,
        error="lone_work.error.task",
    ),
    Row(
        (
            Field(
                "campus",
                f"{_FIELD}.campus",
                required=True,
                max_length=100,
                error="lone_work.error.required",
            ),
            Field(
                "building",
                f"{_FIELD}.building",
                required=True,
                max_length=50,
                error="lone_work.error.required",
            ),
            Field(
                "room",
                f"{_FIELD}.room",
                required=True,
                max_length=50,
                error="lone_work.error.required",
            ),
        )
    ),
    Field(
        "hazards",
        f"{_FIELD}.hazards",
        Kind.CHOICES,
        options=keyed("lone_work.hazard", [hazard.value for hazard in Hazard]),
        expanded=True,
    ),
    Field("hazard_other", f"{_FIELD}.hazard_other", max_length=300),
    Field(
        "mitigations",
        f"{_FIELD}.mitigations",
        Kind.CHOICES,
        options=keyed("lone_work.mitigation", [item.value for item in Mitigation]),
        expanded=True,
    ),
    Row(
        (
            Field("checkin_person", f"{_FIELD}.checkin_person", max_length=200),
            Field("checkin_interval", f"{_FIELD}.checkin_interval", Kind.NUMBER, low=5, high=240),
        ),
        widths=("stretch", "auto"),
    ),
    Field("mitigation_other", f"{_FIELD}.mitigation_other", max_length=300),
)
_PHONE = Field(
    "emergency_phone",
    f"{_FIELD}.emergency_phone",
    Kind.PHONE,
    required=True,
    max_length=40,
    error="lone_work.error.phone",
)
_NAME = Field(
    "emergency_name",
    f"{_FIELD}.emergency_name",
    required=True,
    max_length=200,
    error="lone_work.error.emergency_name",
)
_COLLEAGUE = person_field(
    "emergency_person",
    f"{_FIELD}.emergency_person",
    picker_label=f"{_FIELD}.emergency_person",
    error=None,
    required=False,
    picker_error="lone_work.error.emergency_person",
    pattern=None,
)
EMERGENCY: dict[bool, tuple[FormItem, ...]] = {
    False: (Row((_NAME, _PHONE)),),
    True: (
        _COLLEAGUE,
        Note(f"{_FIELD}.emergency_person.explain", heading=False),
        Row(
            (
                replace(_NAME, label=f"{_FIELD}.emergency_name.optional", required=False),
                _PHONE,
            )
        ),
    ),
}
"""The emergency contact without the people picker (name and phone) and with it (a picked
colleague, or a typed name for someone from outside; the phone always)."""
_CONFIRMATIONS: tuple[FormItem, ...] = (
    Field("trained", f"{_FIELD}.trained", Kind.TOGGLE),
    Field("adult", f"{_FIELD}.adult", Kind.TOGGLE),
    Note(f"{_FIELD}.adult.explain", heading=False),
)
WHEN: dict[Schedule, tuple[FormItem, ...]] = {
    Schedule.SINGLE: (
        Note(f"{_FIELD}.single_hint", heading=False),
        Row(
            (
                Field("start_date", f"{_FIELD}.start_date", Kind.DATE),
                Field("start_time", f"{_FIELD}.start_time", Kind.TIME),
            )
        ),
        Row(
            (
                Field("end_date", f"{_FIELD}.end_date", Kind.DATE),
                Field("end_time", f"{_FIELD}.end_time", Kind.TIME),
            )
        ),
    ),
    Schedule.RECURRING: (
        Note(f"{_FIELD}.recurring_hint", heading=False),
        Field(
            "weekdays",
            f"{_FIELD}.weekdays",
            Kind.CHOICES,
            options=keyed("lone_work.weekday", WEEKDAYS),
        ),
        Row(
            (
                Field("window_start", f"{_FIELD}.window_start", Kind.TIME),
                Field("window_end", f"{_FIELD}.window_end", Kind.TIME),
            )
        ),
        Row(
            (
                Field("valid_from", f"{_FIELD}.valid_from", Kind.DATE),
                Field("valid_to", f"{_FIELD}.valid_to", Kind.DATE),
            )
        ),
    ),
}
FORM: tuple[FormItem, ...] = (
    *_DETAILS,
    _COLLEAGUE,
    *EMERGENCY[False],
    *_CONFIRMATIONS,
    *WHEN[Schedule.SINGLE],
    *WHEN[Schedule.RECURRING],
)
"""Every field of the request; the card asks for the period last, one schedule at a time."""


def _when_block(
    lang: Lang,
    schedule: Schedule,
    values: dict[str, Any],
    errors: dict[str, str] | None,
    *,
    shown: bool,
) -> Container:
    """One schedule's fields and the button that sends the request with that schedule."""
    return Container(
        id=f"when_{schedule.value}",
        is_visible=shown,
        items=[
            *render_fields(lang, WHEN[schedule], values, errors),
            ActionSet(
                actions=[
                    submit(
                        t(lang, "lone_work.button.next"),
                        "lone_work.form.next",
                        schedule=schedule.value,
                    )
                ]
            ),
        ],
    )


def _schedule_buttons(lang: Lang) -> list[CardElement]:
    """One button per schedule, each showing its fields and hiding the other's."""
    return button_rows(
        [
            ToggleVisibilityAction(
                title=t(lang, f"lone_work.schedule.{schedule.value}"),
                target_elements=[
                    TargetElement(element_id=f"when_{other.value}", is_visible=other is schedule)
                    for other in Schedule
                ],
            )
            for schedule in Schedule
        ]
    )


def request_form(
    lang: Lang,
    units: list[UnitRef],
    *,
    requester: str | None,
    values: dict[str, Any] | None = None,
    errors: dict[str, str] | None = None,
    picker: bool = False,
) -> Card:
    """The request card (`FORM`); `values` are kept and `errors` (field → message) shown
    under their fields. The period comes last: a single one (what a new form shows) or a
    recurring arrangement, one at a time, each with its own Next button. With `picker` the
    emergency contact may be a colleague picked in Teams' people picker."""
    values = dict(values or {})
    chosen = Schedule.RECURRING if values.get("schedule") == "recurring" else Schedule.SINGLE
    body: list[CardElement] = [title(t(lang, "lone_work.form.title"))]
    if requester:
        body.append(
            paragraph(t(lang, "lone_work.form.requester", name=plain(requester)), subtle=True)
        )
    body.append(paragraph(t(lang, "lone_work.form.intro"), subtle=True))
    details = (*_DETAILS, *EMERGENCY[picker], *_CONFIRMATIONS)
    body.extend(
        render_fields(
            lang,
            details,
            values,
            errors,
            choices={"unit_id": unit_choices(units)},
            picker=picker,
            fix="lone_work.error.form",
        )
    )
    body.append(TextBlock(text=t(lang, f"{_FIELD}.schedule"), weight="Bolder", wrap=True))
    body.extend(_schedule_buttons(lang))
    body.extend(
        _when_block(lang, schedule, values, errors, shown=schedule is chosen)
        for schedule in Schedule
    )
    cancel = submit(t(lang, "lone_work.button.cancel"), "lone_work.form.cancel")
    return render(AdaptiveCard(body=body, actions=[secondary(cancel)]))


def when_text(lang: Lang, view: RequestView) -> str:
    if view.schedule is Schedule.SINGLE:
        return t(
            lang,
            "lone_work.when.single",
            start=format_datetime(lang, view.starts_at),
            end=format_datetime(lang, view.expires_at),
        )
    days = ", ".join(t(lang, f"lone_work.weekday.{day}") for day in view.weekdays)
    return t(
        lang,
        "lone_work.when.recurring",
        days=days,
        start=_clock(lang, view.window_start),
        end=_clock(lang, view.window_end),
        valid_from=_date(lang, view.valid_from),
        valid_to=_date(lang, view.valid_to),
    )


def _clock(lang: Lang, value: str | None) -> str:
    """Danish writes 17.00 where English writes 17:00."""
    if not value:
        return ""
    return value.replace(":", ".") if lang is Lang.DA else value


def _date(lang: Lang, value: Any) -> str:
    return "" if value is None else format_day(lang, value)


def _hazards(lang: Lang, view: RequestView) -> str:
    names = [
        t(lang, f"lone_work.hazard.{hazard.value}")
        for hazard in view.hazards
        if hazard is not Hazard.OTHER
    ]
    if Hazard.OTHER in view.hazards and view.hazard_other:
        names.append(plain(view.hazard_other))
    return ", ".join(names) or t(lang, "lone_work.none")


def _mitigations(lang: Lang, view: RequestView) -> str:
    names: list[str] = []
    for item in view.mitigations:
        if item is Mitigation.CHECK_IN and view.checkin_person and view.checkin_interval:
            names.append(
                t(lang, "lone_work.mitigation.check_in")
                + ": "
                + t(
                    lang,
                    "lone_work.checkin_detail",
                    person=plain(view.checkin_person),
                    minutes=view.checkin_interval,
                )
            )
        elif item is Mitigation.OTHER and view.mitigation_other:
            names.append(plain(view.mitigation_other))
        else:
            names.append(t(lang, f"lone_work.mitigation.{item.value}"))
    return "; ".join(names) or t(lang, "lone_work.none")


def emergency_text(lang: Lang, view: RequestView) -> str:
    """The emergency contact's name and phone, and whether they are a colleague alarmed in
    Teams."""
    text = plain(f"{view.emergency_name}, {view.emergency_phone}")
    if view.emergency_colleague:
        text += f" ({t(lang, 'lone_work.emergency.colleague')})"
    return text


def facts(lang: Lang, view: RequestView, *, with_status: bool) -> FactSet:
    """The request as facts; what people typed (and their names) made `plain`."""
    rows: list[tuple[str, str]] = []
    if view.number:
        rows.append(("lone_work.fact.number", view.number))
    rows += [
        ("lone_work.fact.requester", plain(view.requester)),
    ]
    if view.affiliation is not None:
        rows.append(
            ("lone_work.fact.affiliation", t(lang, f"lone_work.affiliation.{view.affiliation}"))
        )
    rows += [
        ("lone_work.fact.unit", plain(view.unit)),
        ("lone_work.fact.task", plain(view.task)),
        ("lone_work.fact.where", plain(f"{view.campus}, {view.building}, {view.room}")),
        ("lone_work.fact.when", when_text(lang, view)),
        ("lone_work.fact.hazards", _hazards(lang, view)),
        (
            "lone_work.fact.risk",
            t(lang, "lone_work.risk.risky" if view.risky else "lone_work.risk.not_risky"),
        ),
        ("lone_work.fact.mitigations", _mitigations(lang, view)),
        ("lone_work.fact.emergency", emergency_text(lang, view)),
        ("lone_work.fact.trained", t(lang, "lone_work.yes" if view.trained else "lone_work.no")),
    ]
    if view.approver:
        rows.append(("lone_work.fact.approver", plain(view.approver)))
    if with_status:
        rows.append(("lone_work.fact.status", t(lang, view.status_key)))
    if view.conditions:
        rows.append(("lone_work.fact.conditions", plain(view.conditions)))
    if view.decision_note:
        rows.append(("lone_work.fact.reason", plain(view.decision_note)))
    if view.close_reason:
        rows.append(("lone_work.fact.reason", plain(view.close_reason)))
    return FactSet(facts=[Fact(title=t(lang, key), value=value) for key, value in rows])


def summary_card(
    lang: Lang,
    view: RequestView,
    *,
    approvers: list[tuple[int, str]],
    chosen: int | None = None,
    error: str | None = None,
    submission_key: str | None = None,
) -> Card:
    """ "Is this right?" before sending; a choice of approver when the unit has several.
    Send carries `submission_key`, so the same card sent twice sends one request."""
    body: list[CardElement] = [
        title(t(lang, "lone_work.summary.title")),
        facts(lang, view, with_status=False),
    ]
    if len(approvers) > 1:
        body.append(
            ChoiceSetInput(
                id="approver_id",
                label=t(lang, "lone_work.field.approver"),
                style="expanded",
                is_required=True,
                error_message=t(lang, "lone_work.error.approver"),
                wrap=True,
                value=str(chosen) if chosen else None,
                choices=[Choice(title=name, value=str(person_id)) for person_id, name in approvers],
            )
        )
    if error:
        body.append(field_error(error))
    body.append(paragraph(t(lang, "lone_work.summary.intro"), subtle=True))
    return render(
        AdaptiveCard(
            body=body,
            actions=[
                submit(
                    t(lang, "lone_work.button.send"),
                    "lone_work.form.send",
                    **card_data(submission_key),
                ),
                submit(t(lang, "lone_work.button.edit"), "lone_work.form.edit"),
                secondary(submit(t(lang, "lone_work.button.cancel"), "lone_work.form.cancel")),
            ],
        )
    )


def _decided_line(lang: Lang, view: RequestView) -> TextBlock | None:
    if view.decided_at and view.decided_by and view.status in (Status.APPROVED, Status.REJECTED):
        text = t(
            lang,
            "lone_work.decided.by",
            status=t(lang, view.status_key),
            name=plain(view.decided_by),
            when=format_datetime(lang, view.decided_at),
        )
    elif view.closed_at and view.status in (Status.REVOKED, Status.WITHDRAWN, Status.EXPIRED):
        text = t(
            lang,
            "lone_work.decided.by",
            status=t(lang, view.status_key),
            name=plain(view.closed_by or "AMK-bot"),
            when=format_datetime(lang, view.closed_at),
        )
    else:
        return None
    color = "Good" if view.status is Status.APPROVED else "Attention"
    return TextBlock(text=text, weight="Bolder", color=color, wrap=True)


DECISION_FORM: tuple[FormItem, ...] = (
    Field("note", f"{_FIELD}.note", Kind.MULTILINE, max_length=1000),
)
REVOKE_FORM: tuple[FormItem, ...] = (Field("note", f"{_FIELD}.revoke_reason", max_length=1000),)


def approval_card(
    lang: Lang, view: RequestView, *, notice: str | None = None, heading: str | None = None
) -> Card:
    """The approver's card: decision buttons while pending, revoke while approved.

    `refresh.userIds` holds only the approver, so only they get the buttons automatically.
    """
    body: list[CardElement] = [title(heading or t(lang, "lone_work.approval.title"))]
    body.append(paragraph(t(lang, "lone_work.approval.intro", requester=plain(view.requester))))
    body.append(facts(lang, view, with_status=True))
    if view.training is not None:
        body.append(lone_work_line(lang, view.training, requester=view.requester, unit=view.unit))
    decided = _decided_line(lang, view)
    if decided is not None:
        body.append(decided)
    if notice:
        body.append(attention(notice))
    actions: list[Any] = []
    if view.status is Status.PENDING:
        body.extend(render_fields(lang, DECISION_FORM))
        actions = [
            execute(t(lang, "lone_work.button.approve"), "lone_work.approve", request_id=view.id),
            execute(
                t(lang, "lone_work.button.approve_conditions"),
                "lone_work.approve_conditions",
                request_id=view.id,
            ),
            execute(t(lang, "lone_work.button.reject"), "lone_work.reject", request_id=view.id),
        ]
    elif view.status is Status.APPROVED:
        body.extend(render_fields(lang, REVOKE_FORM))
        actions = [
            execute(t(lang, "lone_work.button.revoke"), "lone_work.revoke", request_id=view.id)
        ]
    body.extend(button_rows(actions))
    live = view.status in (Status.PENDING, Status.APPROVED) and view.approver_teams_id
    refresh = RefreshDefinition(
        action=ExecuteAction(
            title="refresh",
            verb="lone_work.refresh",
            data={"action": "lone_work.refresh", "request_id": view.id},
        ),
        user_ids=[view.approver_teams_id] if live and view.approver_teams_id else [],
    )
    return render(AdaptiveCard(body=body, refresh=refresh))


def requester_card(lang: Lang, view: RequestView, *, notice: str | None = None) -> Card:
    """The requester's copy: status, and Withdraw while it is pending."""
    body: list[CardElement] = [title(t(lang, "lone_work.requester.title"))]
    body.append(facts(lang, view, with_status=True))
    decided = _decided_line(lang, view)
    if decided is not None:
        body.append(decided)
    if notice:
        body.append(attention(notice))
    if view.status is Status.PENDING:
        body.append(
            ActionSet(
                actions=[
                    execute(
                        t(lang, "lone_work.button.withdraw"),
                        "lone_work.withdraw",
                        request_id=view.id,
                    )
                ]
            )
        )
    elif view.status is Status.APPROVED:
        body.append(
            ActionSet(
                actions=[
                    execute(t(lang, "checkins.button.start"), "checkin.start", request_id=view.id)
                ]
            )
        )
    return render(AdaptiveCard(body=body))


def list_card(lang: Lang, heading: str, views: list[RequestView], *, total: int) -> Card:
    """A short list of requests with an Open button each (the card is replaced in place)."""
    body: list[CardElement] = [title(heading)]
    for view in views[:MAX_LIST_ROWS]:
        body.append(
            ColumnSet(
                separator=True,
                columns=[
                    Column(
                        width="stretch",
                        items=[
                            TextBlock(
                                text=f"**{view.number}** · {t(lang, view.status_key)}", wrap=True
                            ),
                            TextBlock(
                                text=" · ".join(
                                    (plain(view.requester), plain(view.unit), when_text(lang, view))
                                ),
                                wrap=True,
                                is_subtle=True,
                                size="Small",
                                spacing="None",
                            ),
                        ],
                    ),
                    button_column(
                        t(lang, "lone_work.button.open"),
                        "lone_work.open",
                        request_id=view.id,
                    ),
                ],
            )
        )
    if total > MAX_LIST_ROWS:
        body.append(
            paragraph(t(lang, "lone_work.list.more", count=total - MAX_LIST_ROWS), subtle=True)
        )
    return render(AdaptiveCard(body=body))
