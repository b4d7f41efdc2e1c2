"""Cards of the lone-work flow: request form, summary, approval, requester's copy, lists."""

from __future__ import annotations

from functools import cache
from typing import Any

from microsoft_teams.cards import (
    ActionSet,
    AdaptiveCard,
    CardElement,
    Choice,
    ChoiceSetInput,
    Column,
    ColumnSet,
    DateInput,
    ExecuteAction,
    Fact,
    FactSet,
    NumberInput,
    RefreshDefinition,
    TextBlock,
    TextInput,
    TimeInput,
    ToggleInput,
)

from cards.common import (
    Card,
    CardTemplates,
    execute,
    field_error,
    form_adder,
    kept_number,
    kept_value,
    paragraph,
    plain,
    render,
    side_by_side,
    submit,
    title,
    unit_choice,
)
from domain.i18n import Lang, format_datetime, t
from domain.lone_work import (
    WEEKDAYS,
    Hazard,
    Mitigation,
    RequestView,
    Schedule,
    Status,
)
from domain.org import UnitRef
from domain.submissions import card_data

MAX_LIST_ROWS = 15


# The form's inputs that show text, each with what it shows (None: empty).
_FORM_INPUTS = (
    *("unit_id", "task", "campus", "building", "room", "schedule"),
    *("start_date", "start_time", "end_date", "end_time", "weekdays", "window_start"),
    *("window_end", "valid_from", "valid_to", "hazards", "hazard_other", "mitigations"),
    *("checkin_person", "mitigation_other", "emergency_name", "emergency_phone"),
    *("trained", "adult"),
)
_FORMS = CardTemplates("\x00lone_work.form:")


def _form_inputs(values: dict[str, Any]) -> dict[str, str | None]:
    """What each text input shows: what was typed, a single period by default, the
    toggles off unless they were on."""
    shown = {name: kept_value(values, name) for name in _FORM_INPUTS}
    shown["schedule"] = shown["schedule"] or Schedule.SINGLE.value
    for name in ("trained", "adult"):
        shown[name] = "true" if str(values.get(name, "")).lower() == "true" else "false"
    return shown


def request_form(
    lang: Lang,
    units: list[UnitRef],
    *,
    requester: str | None,
    values: dict[str, Any] | None = None,
    errors: dict[str, str] | None = None,
) -> Card:
    """The request card; `values` are kept and `errors` (field → message) shown next to them.

    Without errors or a check-in interval (a number, which a text placeholder cannot stand
    for) the card is its language's and units' template, built once with placeholders, with
    this form's values filled in: the same card, without building it."""
    values = values or {}
    shown = _form_inputs(values)
    interval = kept_number(values.get("checkin_interval"))
    requester_text = (
        t(lang, "lone_work.form.requester", name=plain(requester)) if requester else None
    )
    unit_key = tuple((unit.id, unit.name) for unit in units)
    filled = {**shown, "requester": requester_text}
    texts = (*filled.values(), *(name for _, name in unit_key))
    if errors or interval is not None or _FORMS.could_clash(texts):
        return _built_request_form(
            lang,
            units,
            requester_text=requester_text,
            shown=shown,
            interval=interval,
            errors=errors or {},
        )

    def build() -> Card:
        return _built_request_form(
            lang,
            units,
            requester_text=_FORMS.slot("requester") if requester_text is not None else None,
            shown={name: _FORMS.slot(name) for name in _FORM_INPUTS},
            interval=None,
            errors={},
        )

    key = (lang, unit_key, requester_text is not None)
    return _FORMS.filled(key, build, filled)


def _built_request_form(
    lang: Lang,
    units: list[UnitRef],
    *,
    requester_text: str | None,
    shown: dict[str, str | None],
    interval: float | None,
    errors: dict[str, str],
) -> Card:
    """`request_form` built from the card models (`shown`: each text input's value)."""
    body: list[CardElement] = [title(t(lang, "lone_work.form.title"))]
    if requester_text is not None:
        body.append(paragraph(requester_text, subtle=True))
    body.append(paragraph(t(lang, "lone_work.form.intro"), subtle=True))
    if errors:
        body.append(
            TextBlock(
                text=t(lang, "lone_work.error.form"), color="Attention", weight="Bolder", wrap=True
            )
        )

    add = form_adder(body, errors)

    add(
        unit_choice(
            units,
            label=t(lang, "lone_work.field.unit"),
            error_message=t(lang, "lone_work.error.unit"),
            value=shown["unit_id"],
        ),
        "unit_id",
    )
    add(
        TextInput(
            id="task",
            label=t(lang, "lone_work.field.task"),
            is_multiline=True,
            is_required=True,
            max_length=2000,
            error_message=t(lang, "lone_work.error.task"),
            value=shown["task"],
        ),
        "task",
    )
    where: list[tuple[str, str, int]] = [("campus", "lone_work.field.campus", 100)]
    where += [("building", "lone_work.field.building", 50), ("room", "lone_work.field.room", 50)]
    body.extend(
        side_by_side(
            [
                TextInput(
                    id=name,
                    label=t(lang, key),
                    is_required=True,
                    max_length=limit,
                    error_message=t(lang, "lone_work.error.required"),
                    value=shown[name],
                )
                for name, key, limit in where
            ],
            errors,
        )
    )
    add(
        ChoiceSetInput(
            id="schedule",
            label=t(lang, "lone_work.field.schedule"),
            style="expanded",
            value=shown["schedule"],
            choices=list(_choices(lang, "schedule")),
        ),
        "schedule",
    )
    body.append(TextBlock(text=t(lang, "lone_work.field.single_hint"), weight="Bolder", wrap=True))
    body.extend(
        _input_row(lang, shown, errors, [("start_date", DateInput), ("start_time", TimeInput)])
    )
    body.extend(_input_row(lang, shown, errors, [("end_date", DateInput), ("end_time", TimeInput)]))
    body.append(
        TextBlock(text=t(lang, "lone_work.field.recurring_hint"), weight="Bolder", wrap=True)
    )
    add(
        ChoiceSetInput(
            id="weekdays",
            label=t(lang, "lone_work.field.weekdays"),
            is_multi_select=True,
            style="compact",
            value=shown["weekdays"],
            choices=list(_choices(lang, "weekday")),
        ),
        "weekdays",
    )
    body.extend(
        _input_row(lang, shown, errors, [("window_start", TimeInput), ("window_end", TimeInput)])
    )
    body.extend(
        _input_row(lang, shown, errors, [("valid_from", DateInput), ("valid_to", DateInput)])
    )
    add(
        ChoiceSetInput(
            id="hazards",
            label=t(lang, "lone_work.field.hazards"),
            is_multi_select=True,
            style="expanded",
            value=shown["hazards"],
            choices=list(_choices(lang, "hazard")),
        ),
        "hazards",
    )
    add(
        TextInput(
            id="hazard_other",
            label=t(lang, "lone_work.field.hazard_other"),
            max_length=300,
            value=shown["hazard_other"],
        ),
        "hazard_other",
    )
    add(
        ChoiceSetInput(
            id="mitigations",
            label=t(lang, "lone_work.field.mitigations"),
            is_multi_select=True,
            style="expanded",
            value=shown["mitigations"],
            choices=list(_choices(lang, "mitigation")),
        ),
        "mitigations",
    )
    body.extend(
        side_by_side(
            [
                TextInput(
                    id="checkin_person",
                    label=t(lang, "lone_work.field.checkin_person"),
                    max_length=200,
                    value=shown["checkin_person"],
                ),
                NumberInput(
                    id="checkin_interval",
                    label=t(lang, "lone_work.field.checkin_interval"),
                    min=5,
                    max=240,
                    value=interval,
                ),
            ],
            errors,
            widths=["stretch", "auto"],
        )
    )
    add(
        TextInput(
            id="mitigation_other",
            label=t(lang, "lone_work.field.mitigation_other"),
            max_length=300,
            value=shown["mitigation_other"],
        ),
        "mitigation_other",
    )
    body.extend(
        side_by_side(
            [
                TextInput(
                    id="emergency_name",
                    label=t(lang, "lone_work.field.emergency_name"),
                    is_required=True,
                    max_length=200,
                    error_message=t(lang, "lone_work.error.emergency_name"),
                    value=shown["emergency_name"],
                ),
                TextInput(
                    id="emergency_phone",
                    label=t(lang, "lone_work.field.emergency_phone"),
                    style="Tel",
                    is_required=True,
                    max_length=40,
                    error_message=t(lang, "lone_work.error.phone"),
                    value=shown["emergency_phone"],
                ),
            ],
            errors,
        )
    )
    for name in ("trained", "adult"):
        add(
            ToggleInput(
                id=name,
                title=t(lang, f"lone_work.field.{name}"),
                value=shown[name],
                value_on="true",
                value_off="false",
                wrap=True,
            ),
            name,
        )
    return render(
        AdaptiveCard(
            body=body,
            actions=[
                submit(t(lang, "lone_work.button.next"), "lone_work.form.next"),
                submit(t(lang, "lone_work.button.cancel"), "lone_work.form.cancel"),
            ],
        )
    )


_CHOICE_VALUES: dict[str, tuple[str, ...]] = {
    "schedule": tuple(kind.value for kind in Schedule),
    "weekday": tuple(WEEKDAYS),
    "hazard": tuple(hazard.value for hazard in Hazard),
    "mitigation": tuple(item.value for item in Mitigation),
}


@cache
def _choices(lang: Lang, kind: str) -> tuple[Choice, ...]:
    """The form's fixed choices of one kind in one language, built once (never changed)."""
    return tuple(
        Choice(title=t(lang, f"lone_work.{kind}.{value}"), value=value)
        for value in _CHOICE_VALUES[kind]
    )


def _input_row(
    lang: Lang,
    shown: dict[str, str | None],
    errors: dict[str, str],
    inputs: list[tuple[str, type[DateInput] | type[TimeInput]]],
) -> list[CardElement]:
    """Date/time inputs side by side, each kept, with their errors underneath."""
    return side_by_side(
        [
            kind(id=name, label=t(lang, f"lone_work.field.{name}"), value=shown[name])
            for name, kind in inputs
        ],
        errors,
    )


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
    if value is None:
        return ""
    return str(value.strftime("%d.%m.%Y") if lang is Lang.DA else value.strftime("%d %b %Y"))


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


def facts(lang: Lang, view: RequestView, *, with_status: bool) -> FactSet:
    """The request as facts; what people typed (and their names) made `plain`."""
    rows: list[tuple[str, str]] = []
    if view.number:
        rows.append(("lone_work.fact.number", view.number))
    rows += [
        ("lone_work.fact.requester", plain(view.requester)),
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
        ("lone_work.fact.emergency", plain(f"{view.emergency_name}, {view.emergency_phone}")),
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
                submit(t(lang, "lone_work.button.cancel"), "lone_work.form.cancel"),
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


def approval_card(
    lang: Lang, view: RequestView, *, notice: str | None = None, heading: str | None = None
) -> Card:
    """The approver's card: decision buttons while pending, revoke while approved.

    `refresh.userIds` holds only the approver, so only they get the buttons automatically.
    """
    body: list[CardElement] = [title(heading or t(lang, "lone_work.approval.title"))]
    body.append(paragraph(t(lang, "lone_work.approval.intro", requester=plain(view.requester))))
    body.append(facts(lang, view, with_status=True))
    decided = _decided_line(lang, view)
    if decided is not None:
        body.append(decided)
    if notice:
        body.append(TextBlock(text=notice, color="Attention", wrap=True, weight="Bolder"))
    actions: list[Any] = []
    if view.status is Status.PENDING:
        body.append(
            TextInput(
                id="note", label=t(lang, "lone_work.field.note"), is_multiline=True, max_length=1000
            )
        )
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
        body.append(
            TextInput(id="note", label=t(lang, "lone_work.field.revoke_reason"), max_length=1000)
        )
        actions = [
            execute(t(lang, "lone_work.button.revoke"), "lone_work.revoke", request_id=view.id)
        ]
    if actions:
        body.append(ActionSet(actions=actions))
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
        body.append(TextBlock(text=notice, color="Attention", wrap=True, weight="Bolder"))
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
                    Column(
                        width="auto",
                        items=[
                            ActionSet(
                                actions=[
                                    execute(
                                        t(lang, "lone_work.button.open"),
                                        "lone_work.open",
                                        request_id=view.id,
                                    )
                                ]
                            )
                        ],
                    ),
                ],
            )
        )
    if total > MAX_LIST_ROWS:
        body.append(
            paragraph(t(lang, "lone_work.list.more", count=total - MAX_LIST_ROWS), subtle=True)
        )
    return render(AdaptiveCard(body=body))
