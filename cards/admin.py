"""Cards for administrators: pick a unit, see and assign its roles."""

from __future__ import annotations

from microsoft_teams.cards import (
    ActionSet,
    AdaptiveCard,
    CardElement,
    Choice,
    ChoiceSetInput,
    Column,
    ColumnSet,
    TextBlock,
    TextInput,
)

from cards.common import Card, execute, paragraph, plain, render, submit, title, unit_choice
from domain.i18n import Lang, t
from domain.org import EMAIL_PATTERN, Role, RoleHolder, UnitRef


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
    return render(
        AdaptiveCard(
            body=body,
            actions=[
                submit(t(lang, "admin.show"), "admin.unit"),
                submit(t(lang, "admin.done"), "admin.done"),
            ],
        )
    )


def unit_roles_card(
    lang: Lang,
    unit: UnitRef,
    holders: list[RoleHolder],
    *,
    message: str | None = None,
    errors: dict[str, str] | None = None,
    values: dict[str, str] | None = None,
    interactive: bool = True,
) -> Card:
    """The unit's role holders with remove buttons, and a form to assign a role."""
    errors = errors or {}
    values = values or {}
    body: list[CardElement] = [title(t(lang, "admin.roles_of", unit=plain(unit.name)))]
    if message:
        body.append(TextBlock(text=message, color="Good", wrap=True, weight="Bolder"))
    if not holders:
        body.append(paragraph(t(lang, "admin.no_roles", unit=plain(unit.name)), subtle=True))
    for holder in holders:
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
                Column(
                    width="auto",
                    items=[
                        ActionSet(
                            actions=[
                                execute(
                                    t(lang, "admin.remove"),
                                    "admin.role.remove",
                                    assignment_id=holder.assignment_id,
                                    unit_id=unit.id,
                                )
                            ]
                        )
                    ],
                )
            )
        body.append(ColumnSet(columns=columns, separator=True))
    if not interactive:
        return render(AdaptiveCard(body=body))
    body.extend(
        [
            TextBlock(text=t(lang, "admin.assign"), weight="Bolder", spacing="Large", wrap=True),
            TextInput(
                id="upn",
                label=t(lang, "admin.person"),
                style="Email",
                is_required=True,
                regex=EMAIL_PATTERN.pattern,
                error_message=t(lang, "admin.person.error"),
                value=values.get("upn"),
                max_length=320,
            ),
            TextInput(
                id="name", label=t(lang, "admin.name"), value=values.get("name"), max_length=200
            ),
            ChoiceSetInput(
                id="role",
                label=t(lang, "admin.role"),
                is_required=True,
                error_message=t(lang, "admin.role.error"),
                value=values.get("role"),
                choices=[
                    Choice(title=role_label(lang, role), value=role.value)
                    for role in Role
                    if role.is_unit_role
                ],
            ),
        ]
    )
    for error in errors.values():
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
