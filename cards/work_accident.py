"""Cards of a work accident: the report form (`FORM`), the receipt, the card of the unit's
leader and AMK with the EASY deadline and what was done about it, and the injured person's
notice."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from microsoft_teams.cards import (
    AdaptiveCard,
    CardElement,
    Column,
    Fact,
    FactSet,
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
from cards.common import unit_choices as unit_choice_list
from cards.forms import Field, FormItem, Kind, Note, Row, keyed, render_fields
from cards.near_miss import ACTION_FORM, action_owner_copy, action_rows
from domain.i18n import COPENHAGEN, Lang, format_datetime, local_date, t
from domain.near_miss import ActionView
from domain.org import EMAIL_PATTERN, UnitRef
from domain.submissions import card_data
from domain.work_accident import (
    AccidentView,
    Claim,
    EasyDuty,
    EasyStatus,
    InjuredParty,
    InjuryKind,
    Reader,
    ReporterRole,
    SupportOffers,
)

FORM_ACTIONS = ("work_accident.submit", "work_accident.cancel")


def _required(name: str, label: str, kind: Kind = Kind.TEXT, **spec: Any) -> Field:
    return Field(name, label, kind, required=True, error=f"work_accident.error.{name}", **spec)


def _choice(name: str, values: list[str], **spec: Any) -> Field:
    return _required(
        name,
        f"work_accident.form.{name}",
        Kind.CHOICE,
        options=keyed(f"work_accident.{name}", values),
        **spec,
    )


FORM: tuple[FormItem, ...] = (
    _choice("injured_party", [party.value for party in InjuredParty], expanded=True),
    Note("work_accident.form.injured_party.explain", heading=False),
    _choice("reporter_role", [role.value for role in ReporterRole]),
    Field(
        "injured_email",
        "work_accident.form.injured_email",
        Kind.EMAIL,
        max_length=320,
        pattern=EMAIL_PATTERN.pattern,
        error="work_accident.error.injured_email",
    ),
    _required(
        "unit_id",
        "work_accident.form.unit",
        Kind.CHOICE,
        placeholder="work_accident.form.unit.placeholder",
    ),
    Row(
        (
            _required("occurred_date", "work_accident.form.date", Kind.DATE, until_today=True),
            _required("occurred_time", "work_accident.form.time", Kind.TIME),
        )
    ),
    _required(
        "place",
        "work_accident.form.place",
        placeholder="work_accident.form.place.placeholder",
        max_length=200,
    ),
    _required(
        "description",
        "work_accident.form.description",
        Kind.MULTILINE,
        placeholder="work_accident.form.description.placeholder",
        max_length=4000,
    ),
    _choice("injury_kind", [kind.value for kind in InjuryKind], expanded=True),
    Field("withhold_name", "work_accident.form.withhold_name", Kind.TOGGLE),
    Note("work_accident.form.withhold_name.hint", heading=False),
    _choice("absence", ["no", "yes"], expanded=True),
    Field(
        "absence_from",
        "work_accident.form.absence_from",
        Kind.DATE,
        error="work_accident.error.absence_from",
    ),
    Note("work_accident.form.absence_from.hint", heading=False),
    _choice("claim", [claim.value for claim in Claim], expanded=True),
    Note("work_accident.form.claim.hint", heading=False),
    Field(
        "immediate_action",
        "work_accident.form.immediate_action",
        Kind.MULTILINE,
        max_length=2000,
    ),
    Field("witnesses", "work_accident.form.witnesses", Kind.MULTILINE, max_length=1000),
    Field("wants_outcome", "work_accident.form.wants_outcome", Kind.TOGGLE),
)


def _cancel(lang: Lang) -> SubmitAction:
    """Cancel without the client insisting on the required fields first."""
    action = submit(t(lang, "work_accident.form.cancel"), "work_accident.cancel")
    action.associated_inputs = "none"
    return action


def report_form(
    lang: Lang,
    units: list[UnitRef],
    *,
    now: datetime,
    submission_key: str,
    values: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
) -> Card:
    """One card with every field (`FORM`); `values` are kept, `errors` (field → text) shown
    under their field. Date and time default to now (Copenhagen); the send button carries
    the card's `submission_key`, so the card stores one report however often it is sent."""
    local = now.astimezone(COPENHAGEN)
    defaults = {
        "occurred_date": local.date().isoformat(),
        "occurred_time": local.strftime("%H:%M"),
        "reporter_role": ReporterRole.INJURED.value,
    }
    body: list[CardElement] = [
        title(t(lang, "work_accident.form.title")),
        paragraph(t(lang, "work_accident.form.intro"), subtle=True),
    ]
    body.extend(
        render_fields(
            lang,
            FORM,
            {**defaults, **(values or {})},
            errors,
            choices={"unit_id": unit_choice_list(units)},
            today=local.date(),
            fix="work_accident.form.fix",
        )
    )
    return render(
        AdaptiveCard(
            body=body,
            actions=[
                submit(
                    t(lang, "work_accident.form.submit"),
                    "work_accident.submit",
                    **card_data(submission_key),
                ),
                _cancel(lang),
            ],
        )
    )


def easy_line(lang: Lang, accident: AccidentView) -> str:
    """What EASY asks for: to whom and by when, or why nothing is reported."""
    duty = accident.duty
    if duty.reported and accident.easy_due is not None:
        start = (
            accident.absence_from
            if duty is EasyDuty.AUTHORITY_AND_INSURER and accident.absence_from is not None
            else local_date(accident.occurred_at)
        )
        return t(
            lang,
            f"work_accident.easy.{duty.value}",
            due=format_day(lang, accident.easy_due),
            start=format_day(lang, start),
        )
    return t(lang, f"work_accident.easy.{duty.value}")


def support_text(lang: Lang, offers: SupportOffers) -> str:
    """The university's support offers as configured, else the catalogue's general text."""
    configured = offers.da if lang is Lang.DA else offers.en
    return configured or t(lang, "work_accident.support.default")


def _support(lang: Lang, offers: SupportOffers) -> list[CardElement]:
    return [
        TextBlock(
            text=t(lang, "work_accident.support.title"),
            weight="Bolder",
            wrap=True,
            spacing="Medium",
        ),
        paragraph(support_text(lang, offers)),
    ]


def receipt_card(lang: Lang, accident: AccidentView, offers: SupportOffers) -> Card:
    """The number to quote, who is told, and what EASY asks for; for a psychological
    accident, that it is confidential and where to get support."""
    body: list[CardElement] = [
        title(t(lang, "work_accident.confirm.title")),
        paragraph(t(lang, "work_accident.confirm.number", number=accident.number)),
        paragraph(t(lang, "work_accident.confirm.told", unit=plain(accident.unit_name))),
        TextBlock(text=easy_line(lang, accident), wrap=True, weight="Bolder"),
    ]
    if accident.near_miss_number:
        body.append(
            paragraph(t(lang, "work_accident.card.near_miss", number=accident.near_miss_number))
        )
    if accident.confidential:
        body.append(paragraph(t(lang, "work_accident.confirm.confidential")))
        body.extend(_support(lang, offers))
    elif accident.reporter_role is ReporterRole.INJURED:
        body.append(paragraph(t(lang, "work_accident.confirm.get_well"), subtle=True))
    return render(AdaptiveCard(body=body))


# -- the leader's and AMK's card ---------------------------------------------------------------

FILED_FORM: tuple[FormItem, ...] = (
    _required("easy_reference", "work_accident.card.reference", max_length=40),
    _required("filed_on", "work_accident.card.filed_on", Kind.DATE, until_today=True),
)
NOT_REQUIRED_FORM: tuple[FormItem, ...] = (
    _required("not_required_reason", "work_accident.card.reason", Kind.MULTILINE, max_length=1000),
)


def _facts(lang: Lang, accident: AccidentView, reader: Reader) -> FactSet:
    """The accident as facts; what people typed (and names) made `plain`; the injured
    person's name only for a reader who may see it."""
    injured = t(lang, f"work_accident.injured_party.{accident.injured.value}")
    named = reader.sees_name(accident)
    if not named:
        injured = f"{injured} – {t(lang, 'work_accident.card.name_withheld')}"
    elif accident.injured_name:
        injured = f"{plain(accident.injured_name)} ({injured.lower()})"
    absence = (
        format_day(lang, accident.absence_from)
        if accident.absence_from is not None
        else t(lang, "work_accident.card.no_absence")
    )
    reporter = t(lang, f"work_accident.reporter_role.{accident.reporter_role.value}")
    if accident.reporter_name and (named or accident.reporter_role is not ReporterRole.INJURED):
        reporter = f"{plain(accident.reporter_name)} ({reporter.lower()})"
    facts = [
        ("unit", plain(accident.unit_name)),
        ("when", format_datetime(lang, accident.occurred_at)),
        ("where", plain(accident.place)),
        ("injured", injured),
        ("kind", t(lang, f"work_accident.injury_kind.{accident.injury_kind.value}")),
        ("absence", absence),
        ("claim", t(lang, f"work_accident.claim.{accident.claim.value}")),
        ("reporter", reporter),
    ]
    return FactSet(
        facts=[
            Fact(title=t(lang, f"work_accident.card.{key}"), value=value) for key, value in facts
        ]
    )


def _section(lang: Lang, key: str, text: str | None) -> list[CardElement]:
    if not text:
        return []
    return [
        TextBlock(text=t(lang, key), weight="Bolder", wrap=True, spacing="Medium"),
        TextBlock(text=plain(text), wrap=True, spacing="None"),
    ]


def _easy_state(lang: Lang, accident: AccidentView, today: date) -> list[CardElement]:
    body: list[CardElement] = [
        TextBlock(
            text=t(lang, "work_accident.card.easy"), weight="Bolder", wrap=True, spacing="Medium"
        ),
        paragraph(easy_line(lang, accident)),
    ]
    who = plain(accident.decided_by or "")
    if accident.easy_status is EasyStatus.FILED and accident.easy_filed_on is not None:
        body.append(
            paragraph(
                t(
                    lang,
                    "work_accident.card.filed",
                    filed_on=format_day(lang, accident.easy_filed_on),
                    reference=plain(accident.easy_reference or ""),
                    who=who,
                )
            )
        )
    elif accident.easy_status is EasyStatus.NOT_REQUIRED:
        body.append(
            paragraph(
                t(
                    lang,
                    "work_accident.card.not_required",
                    who=who,
                    reason=plain(accident.not_required_reason or ""),
                )
            )
        )
    elif accident.easy_open:
        if accident.easy_due is not None and accident.easy_due < today:
            body.append(
                TextBlock(
                    text=t(lang, "work_accident.card.overdue"),
                    color="Attention",
                    weight="Bolder",
                    wrap=True,
                )
            )
        body.append(paragraph(t(lang, "work_accident.card.easy_owner"), subtle=True))
    return body


def _follow_up(lang: Lang, accident: AccidentView, reader: Reader) -> list[CardElement]:
    if accident.follow_up_by is None:
        return []
    if accident.followed_up_at is not None:
        text = t(
            lang,
            "work_accident.card.followed_up",
            who=plain(accident.followed_up_by or ""),
            when=format_datetime(lang, accident.followed_up_at),
        )
    else:
        key = "follow_up" if reader.may_confirm_follow_up else "follow_up_by_leader"
        text = t(lang, f"work_accident.card.{key}", by=format_day(lang, accident.follow_up_by))
    return [paragraph(text)]


# -- the investigation -------------------------------------------------------------------------

CAUSES_FORM: tuple[FormItem, ...] = (
    _required("causes", "work_accident.learn.causes_label", Kind.MULTILINE, max_length=2000),
)
CONCLUSION = _required(
    "conclusion", "work_accident.learn.conclusion_label", Kind.MULTILINE, max_length=2000
)
TELL_INJURED = Field("tell_injured", "work_accident.learn.tell_injured", Kind.TOGGLE)


def close_form(accident: AccidentView) -> tuple[FormItem, ...]:
    """The conclusion, and the toggle that sends it to the injured person when the bot knows
    them."""
    return (CONCLUSION, TELL_INJURED) if accident.injured_known else (CONCLUSION,)


def _outcome_line(lang: Lang, accident: AccidentView) -> str | None:
    if not accident.injured_known:
        return None
    key = "wanted" if accident.outcome_wanted else "not_wanted"
    if accident.closed:
        key = "told" if accident.outcome_wanted else "not_told"
    return t(lang, f"work_accident.learn.outcome.{key}")


def _investigation(lang: Lang, accident: AccidentView, reader: Reader) -> list[CardElement]:
    """Where the AMK's investigation stands: causes, corrective actions, the conclusion."""
    body: list[CardElement] = [
        TextBlock(
            text=t(lang, "work_accident.learn.title"), weight="Bolder", wrap=True, spacing="Medium"
        ),
        paragraph(
            t(lang, f"work_accident.learn.status.{accident.investigation.value}"), subtle=True
        ),
    ]
    body.extend(_section(lang, "work_accident.learn.causes", accident.causes))

    def done(action: ActionView) -> Column | None:
        if accident.closed or not action.is_open or not reader.may_complete(action.id):
            return None
        return button_column(
            t(lang, "near_miss.card.mark_done"),
            "work_accident.action.done",
            accident_id=accident.id,
            action_id=action.id,
        )

    body.extend(action_rows(lang, accident.actions, done))
    body.extend(_section(lang, "work_accident.learn.conclusion", accident.conclusion))
    if accident.closed_at is not None:
        body.append(
            paragraph(
                t(
                    lang,
                    "work_accident.learn.closed",
                    who=plain(accident.closed_by or ""),
                    when=format_datetime(lang, accident.closed_at),
                ),
                subtle=True,
            )
        )
    outcome = _outcome_line(lang, accident)
    if outcome and reader.may_investigate:
        body.append(paragraph(outcome, subtle=True))
    return body


def _show_form(
    lang: Lang,
    label: str,
    form: tuple[FormItem, ...],
    save: Any,
    values: dict[str, str] | None = None,
) -> ShowCardAction:
    """A button that opens `form` under it, sent with the `save` button."""
    return ShowCardAction(
        title=t(lang, label),
        card=AdaptiveCard(body=render_fields(lang, form, values or {}), actions=[save]),
    )


def _investigation_buttons(lang: Lang, accident: AccidentView, reader: Reader) -> list[Any]:
    if accident.closed or not reader.may_investigate:
        return []
    save = t(lang, "work_accident.card.save")
    buttons: list[Any] = [
        _show_form(
            lang,
            "work_accident.learn.causes_button",
            CAUSES_FORM,
            execute(save, "work_accident.causes", accident_id=accident.id),
            {"causes": accident.causes} if accident.causes else None,
        ),
        _show_form(
            lang,
            "near_miss.card.add_action",
            ACTION_FORM,
            execute(save, "work_accident.action.add", accident_id=accident.id),
        ),
    ]
    if accident.open_actions == 0:
        buttons.append(
            _show_form(
                lang,
                "work_accident.learn.close_button",
                close_form(accident),
                execute(save, "work_accident.close", accident_id=accident.id),
                {"tell_injured": "true" if accident.outcome_wanted else "false"},
            )
        )
    return buttons


def _buttons(lang: Lang, accident: AccidentView, reader: Reader) -> list[Any]:
    """The leader's follow-up, what was done in EASY, then the investigation's steps."""
    buttons: list[Any] = []
    save = t(lang, "work_accident.card.save")
    if accident.follow_up_open and reader.may_confirm_follow_up:
        buttons.append(
            execute(
                t(lang, "work_accident.card.followed_up_button"),
                "work_accident.followed_up",
                accident_id=accident.id,
            )
        )
    if accident.easy_open and reader.may_record_easy:
        buttons.extend(
            [
                _show_form(
                    lang,
                    "work_accident.card.filed_button",
                    FILED_FORM,
                    execute(save, "work_accident.filed", accident_id=accident.id),
                ),
                _show_form(
                    lang,
                    "work_accident.card.not_required_button",
                    NOT_REQUIRED_FORM,
                    execute(save, "work_accident.not_required", accident_id=accident.id),
                ),
            ]
        )
    return [*buttons, *_investigation_buttons(lang, accident, reader)]


def accident_card(
    lang: Lang,
    accident: AccidentView,
    reader: Reader,
    *,
    now: datetime,
    intro: str | None = None,
    message: str | None = None,
    errors: list[str] | None = None,
) -> Card:
    """The accident for the unit's leader, AMK or the secretariat: what happened, the EASY
    deadline and what was done about it, the leader's follow-up of a psychological one, and
    the buttons the reader may use now."""
    body: list[CardElement] = [title(t(lang, "work_accident.card.title", number=accident.number))]
    if accident.confidential:
        body.append(
            TextBlock(
                text=t(lang, "work_accident.card.confidential"),
                color="Attention",
                weight="Bolder",
                wrap=True,
            )
        )
    if intro:
        body.append(paragraph(intro))
    body.append(_facts(lang, accident, reader))
    if accident.near_miss_number:
        body.append(
            paragraph(
                t(lang, "work_accident.card.near_miss", number=accident.near_miss_number),
                subtle=True,
            )
        )
    body.extend(_section(lang, "work_accident.card.what", accident.description))
    body.extend(_section(lang, "work_accident.card.immediate", accident.immediate_action))
    body.extend(_section(lang, "work_accident.card.witnesses", accident.witnesses))
    body.extend(_easy_state(lang, accident, local_date(now)))
    body.extend(_follow_up(lang, accident, reader))
    body.extend(_investigation(lang, accident, reader))
    if message:
        body.append(TextBlock(text=message, color="Good", wrap=True, weight="Bolder"))
    body.extend(attention(error) for error in errors or [])
    body.extend(button_rows(_buttons(lang, accident, reader)))
    return render(AdaptiveCard(body=body))


def injured_notice(lang: Lang, accident: AccidentView, offers: SupportOffers) -> Card:
    """To the person who was hurt, when someone else reported it (with the support offers,
    for a psychological accident)."""
    body: list[CardElement] = [
        title(t(lang, "work_accident.injured.title")),
        paragraph(
            t(
                lang,
                "work_accident.injured.text",
                who=plain(accident.reporter_name or ""),
                number=accident.number,
                unit=plain(accident.unit_name),
            )
        ),
    ]
    if accident.confidential:
        body.append(paragraph(t(lang, "work_accident.confirm.confidential")))
        body.extend(_support(lang, offers))
    return render(AdaptiveCard(body=body))


def not_allowed_card(lang: Lang) -> Card:
    return notice_card(t(lang, "work_accident.title"), t(lang, "work_accident.not_allowed"))


def not_found_card(lang: Lang) -> Card:
    return notice_card(t(lang, "work_accident.title"), t(lang, "work_accident.not_found"))


def action_owner_card(
    lang: Lang,
    accident: AccidentView,
    action: ActionView,
    *,
    may_complete: bool,
    intro: str | None = None,
    message: str | None = None,
) -> Card:
    """The owner's copy of a corrective action: what to do by when, with the accident's number
    and unit only (never what happened or who was hurt), and a button to mark it done."""
    done = None
    if action.is_open and may_complete and not accident.closed:
        done = execute(
            t(lang, "near_miss.card.mark_done"),
            "work_accident.action.done",
            accident_id=accident.id,
            action_id=action.id,
            card="owner",
        )
    return action_owner_copy(
        lang,
        t(lang, "work_accident.owner.title", number=accident.number),
        action,
        [Fact(title=t(lang, "work_accident.card.unit"), value=plain(accident.unit_name))],
        [],
        intro=intro,
        message=message,
        done=done,
    )


def outcome_notice(lang: Lang, accident: AccidentView) -> Card:
    """To the injured person who wants to hear it: the investigation's conclusion and the
    corrective actions decided."""
    body: list[CardElement] = [
        title(t(lang, "work_accident.outcome.title")),
        paragraph(t(lang, "work_accident.outcome.text", number=accident.number)),
    ]
    body.extend(_section(lang, "work_accident.learn.conclusion", accident.conclusion))
    if accident.actions:
        body.append(
            TextBlock(
                text=t(lang, "near_miss.card.actions"),
                weight="Bolder",
                wrap=True,
                spacing="Medium",
            )
        )
        body.extend(
            TextBlock(
                text="- "
                + t(
                    lang,
                    "work_accident.outcome.action",
                    action=plain(action.description),
                    due=format_day(lang, action.due_date),
                ),
                wrap=True,
                spacing="None",
            )
            for action in accident.actions
        )
    body.append(paragraph(t(lang, "work_accident.outcome.questions"), subtle=True))
    return render(AdaptiveCard(body=body))
