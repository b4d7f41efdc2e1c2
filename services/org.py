"""The organisation's records as dialogs use them (units, roles, language), each call one
transaction on the database."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

from sqlalchemy import update

from cards.admin import unit_roles_card
from cards.common import DEFAULT_NOTICE, Card, notice_card, plain, welcome_card
from domain.actor import Speaker
from domain.i18n import Lang, t
from domain.ids import CardId
from domain.org import Role, RoleAssignmentForm, RoleHolder, UnitRef
from domain.retention import PrivacyNotice
from services.actions import CardData, InputText, Verb
from services.people import fill_in, look_up
from services.ports import Directory
from storage import audit, org, people, rows
from storage.audit import audited
from storage.db import Database
from storage.models import Person


class OrgServices(Protocol):
    """What dialogs need from the organisation's records (one transaction per call)."""

    privacy: PrivacyNotice
    """What the welcome card and help say about people's data."""
    picker: bool
    """Whether the admin card asks for the person with Teams' people picker."""

    async def list_units(self) -> list[UnitRef]: ...

    async def get_unit(self, unit_id: int) -> UnitRef | None: ...

    async def unit_roles(self, unit_id: int) -> list[RoleHolder]: ...

    async def assign_role(
        self, speaker: Speaker, unit_id: int, form: RoleAssignmentForm
    ) -> Assigned | None:
        """Give the role; None if the unit is gone."""

    async def remove_role(self, speaker: Speaker, assignment_id: int) -> RoleHolder | None: ...

    async def set_language(self, speaker: Speaker, lang: Lang) -> None: ...

    async def refuse(
        self, speaker: Speaker, action: str, *, entity_type: str, entity_id: int | None = None
    ) -> None:
        """Audit an attempt the speaker has no right to (`<action>.refused`, once)."""


@dataclass(frozen=True, slots=True)
class Assigned:
    """A role given: whether it is new, and how the card names the person."""

    added: bool
    person: str


class LanguageChoice(CardData):
    lang: InputText = ""


class RoleRemoval(CardData):
    """The admin card's Remove: the assignment, and the unit whose roles the card shows."""

    assignment_id: CardId
    unit_id: CardId


def _holder(assignment: org.HeldRole) -> RoleHolder:
    return RoleHolder(
        assignment_id=assignment.id,
        person=org.describe_person(assignment.person),
        upn=assignment.person.upn,
        role=Role(assignment.role),
    )


class DatabaseOrgServices:
    """`OrgServices` on the real database."""

    def __init__(
        self,
        db: Database,
        privacy: PrivacyNotice = DEFAULT_NOTICE,
        *,
        picker: bool = False,
        directory: Directory | None = None,
    ) -> None:
        self.db = db
        self.privacy = privacy
        self.picker = picker
        self.directory = directory  # names a person picked on the admin card

    async def list_units(self) -> list[UnitRef]:
        async with self.db.reading() as connection:
            units = await org.list_units(connection)
        return [UnitRef(id=unit.id, name=unit.name) for unit in units]

    async def get_unit(self, unit_id: int) -> UnitRef | None:
        async with self.db.reading() as connection:
            unit = await org.unit(connection, unit_id)
        return None if unit is None else UnitRef(id=unit.id, name=unit.name)

    async def unit_roles(self, unit_id: int) -> list[RoleHolder]:
        async with self.db.reading() as connection:
            held = await org.unit_roles(connection, unit_id)
        return [_holder(assignment) for assignment in held]

    async def assign_role(
        self, speaker: Speaker, unit_id: int, form: RoleAssignmentForm
    ) -> Assigned | None:
        in_directory = await look_up(self.db, self.directory, [form.upn])
        async with audited(self.db) as connection:
            unit = await org.unit(connection, unit_id)
            if unit is None:
                return None
            await fill_in(connection, in_directory)
            person = await people.named_person(connection, form.upn, name=form.name)
            added = await org.assign_role(
                connection,
                actor=speaker.actor,
                unit=unit,
                person=person,
                role=form.role,
            )
            return Assigned(added, org.describe_person(person))

    async def remove_role(self, speaker: Speaker, assignment_id: int) -> RoleHolder | None:
        async with audited(self.db) as connection:
            assignment = await org.held_role(connection, assignment_id)
            if assignment is None:
                return None
            await org.remove_role(connection, actor=speaker.actor, assignment=assignment)
            return _holder(assignment)

    async def refuse(
        self, speaker: Speaker, action: str, *, entity_type: str, entity_id: int | None = None
    ) -> None:
        await audit.record_refusal(
            self.db,
            actor=speaker.actor,
            action=action,
            entity_type=entity_type,
            entity_id=entity_id,
        )

    async def set_language(self, speaker: Speaker, lang: Lang) -> None:
        if speaker.person_id is None:
            return
        async with audited(self.db) as connection:
            person = await rows.person(connection, speaker.person_id)
            if person is None:
                return
            await connection.execute(
                update(Person).where(Person.id == person.id).values(language_override=lang.value)
            )
            await audit.record(
                connection,
                actor=speaker.actor,
                action="person.language",
                entity_type="person",
                entity_id=person.id,
                before={"language": person.language_override},
                after={"language": lang.value},
            )

    def verbs(self) -> list[Verb[Any]]:
        """The menu's language switch and the admin card's Remove."""
        return [
            Verb("settings.language", LanguageChoice, self.choose_language),
            Verb("admin.role.remove", RoleRemoval, self.remove_role_from_card),
        ]

    async def choose_language(self, speaker: Speaker, choice: LanguageChoice) -> Card:
        """Speak the chosen language from now on; the welcome card in it."""
        lang = Lang.DA if choice.lang == Lang.DA.value else Lang.EN
        await self.set_language(speaker, lang)
        return welcome_card(lang, speaker.name, self.privacy)

    async def remove_role_from_card(self, speaker: Speaker, removal: RoleRemoval) -> Card:
        """An administrator removes a role; the unit's roles as they are now."""
        lang = speaker.lang
        if not speaker.is_admin:
            await self.refuse(
                speaker,
                "role.remove",
                entity_type="role_assignment",
                entity_id=removal.assignment_id,
            )
            return notice_card(t(lang, "admin.title"), t(lang, "error.not_allowed"))
        removed = await self.remove_role(speaker, removal.assignment_id)
        unit = await self.get_unit(removal.unit_id)
        if unit is None:
            return notice_card(t(lang, "admin.title"), t(lang, "card.stale"))
        message = None
        if removed is not None:
            message = t(
                lang,
                "admin.removed",
                person=plain(removed.person),
                role=t(lang, f"role.{removed.role.value}"),
                unit=plain(unit.name),
            )
        holders = await self.unit_roles(unit.id)
        return unit_roles_card(lang, unit, holders, message=message, interactive=False)
