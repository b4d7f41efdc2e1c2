"""Cards for administrators: pick a unit, see and assign its roles; the way to erase a
person (`cards.erasure`)."""

from __future__ import annotations

from microsoft_teams.cards import (
    ActionSet,
    AdaptiveCard,
    CardElement,
    Column,
    ColumnSet,
    Container,
    SubmitAction,
    TextBlock,
)

from cards.common import (
    Card,
    button_column,
    execute,
    paragraph,
    plain,
    render,
    submit,
    title,
    unit_choice,
)
from cards.forms import Field, FormItem, Kind, fields_of, keyed, person_field, render_fields
from domain.i18n import Lang, t
from domain.org import Role, RoleHolder, UnitRef

ROLES_PER_PAGE = 10


def role_label(lang: Lang, role: Role) -> str:
    return t(lang, f"role.{role.value}")


def unit_picker_card(lang: Lang, units: list[UnitRef], *, error: str | None = None) -> Card:
    body: list[CardElement] = [
        title(t(lang, "admin.title")),
        unit_choice(
            units, label=t(lang, "admin.pick_unit"), error_message=t(lang, "admin.unit.error")
        ),
    ]
    if error:
        body.append(TextBlock(text=error, color="Attention", wrap=True))
    body.append(
        ActionSet(
            actions=[
                submit(t(lang, "admin.show"), "admin.unit"),
                submit(t(lang, "admin.done"), "admin.done"),
            ]
        )
    )
    # Needs no unit: the form to erase a person replaces this card.
    erase = execute(t(lang, "erase.open"), "admin.erase.form")
    erase = erase.model_copy(
        update={
            "associated_inputs": "none",
            "fallback": SubmitAction(title=erase.title, data=erase.data, associated_inputs="none"),
        }
    )
    body.append(Container(items=[ActionSet(actions=[erase])], separator=True, spacing="Large"))
    return render(AdaptiveCard(body=body))


_PERSON = person_field(
    "upn", "admin.person", picker_label="admin.person.picker", error="admin.person.error"
)
_ROLE = Field(
    "role",
    "admin.role",
    Kind.CHOICE,
    required=True,
    error="admin.role.error",
    options=keyed("role", [role.value for role in Role if role.is_unit_role]),
)
# Typed: the e-mail address and, optionally, the name (until the person opens the bot).
ROLE_FORM: tuple[FormItem, ...] = (_PERSON, Field("name", "admin.name", max_length=200), _ROLE)
# Picked in Teams: the picker shows the person by name.
PICKER_ROLE_FORM: tuple[FormItem, ...] = (_PERSON, _ROLE)


def unit_roles_card(
    lang: Lang,
    unit: UnitRef,
    holders: list[RoleHolder],
    *,
    message: str | None = None,
    errors: dict[str, str] | None = None,
    values: dict[str, str] | None = None,
    interactive: bool = True,
    page: int = 0,
    picker: bool = False,
) -> Card:
    """The unit's role holders, `ROLES_PER_PAGE` a page (`page` counts from 0), with remove
    buttons and previous/next, and a form to assign a role (`ROLE_FORM`, or with `picker`
    `PICKER_ROLE_FORM` with Teams' people picker; each field's error under it)."""
    errors = errors or {}
    values = values or {}
    body: list[CardElement] = [title(t(lang, "admin.roles_of", unit=plain(unit.name)))]
    if message:
        body.append(TextBlock(text=message, color="Good", wrap=True, weight="Bolder"))
    if not holders:
        body.append(paragraph(t(lang, "admin.no_roles", unit=plain(unit.name)), subtle=True))
    last_page = max(0, (len(holders) - 1) // ROLES_PER_PAGE)
    page = min(max(page, 0), last_page)
    first = page * ROLES_PER_PAGE
    shown = holders[first : first + ROLES_PER_PAGE]
    for holder in shown:
        who = holder.person if not holder.upn else f"{holder.person} ({holder.upn})"
        columns = [
            Column(
                width="stretch",
                items=[
                    TextBlock(text=plain(who), wrap=True),
                    TextBlock(
                        text=role_label(lang, holder.role),
                        is_subtle=True,
                        spacing="None",
                        wrap=True,
                    ),
                ],
            )
        ]
        if interactive:
            columns.append(
                button_column(
                    t(lang, "admin.remove"),
                    "admin.role.remove",
                    assignment_id=holder.assignment_id,
                    unit_id=unit.id,
                )
            )
        body.append(ColumnSet(columns=columns, separator=True))
    if last_page:
        shown_line = t(
            lang, "admin.page.shown", first=first + 1, last=first + len(shown), total=len(holders)
        )
        body.append(paragraph(shown_line, subtle=True))
    if not interactive:
        return render(AdaptiveCard(body=body))
    if last_page:
        body.append(_pager(lang, unit, page, last_page))
    body.append(
        TextBlock(text=t(lang, "admin.assign"), weight="Bolder", spacing="Large", wrap=True)
    )
    form = PICKER_ROLE_FORM if picker else ROLE_FORM
    body.extend(render_fields(lang, form, values, errors, picker=picker))
    fields = {field.id for field in fields_of(form)}
    for name, error in errors.items():
        if name not in fields:
            body.append(TextBlock(text=error, color="Attention", wrap=True))
    return render(
        AdaptiveCard(
            body=body,
            actions=[
                submit(t(lang, "admin.save"), "admin.assign", unit_id=unit.id),
                submit(t(lang, "admin.pick_unit"), "admin.back"),
                submit(t(lang, "admin.done"), "admin.done"),
            ],
        )
    )


def _pager(lang: Lang, unit: UnitRef, page: int, last_page: int) -> ActionSet:
    """Buttons to the previous and next page (they need none of the assign form's inputs)."""
    buttons = [
        SubmitAction(
            title=t(lang, key),
            data={"action": "admin.page", "unit_id": unit.id, "page": to},
            associated_inputs="none",
        )
        for key, to, possible in (
            ("admin.page.previous", page - 1, page > 0),
            ("admin.page.next", page + 1, page < last_page),
        )
        if possible
    ]
    return ActionSet(actions=buttons)
