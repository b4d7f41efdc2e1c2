"""Work accidents on the database and the notifier (`dialogs.work_accident.WorkAccidentServices`):
report (once per card), the EASY deadline and the card to the unit's leaders and AMKs, and
what they record about EASY (reported, or not to be) as card actions.

Every user action is one transaction with its audit event; messages to other people and
updates of their cards run after the answer. Nothing here logs free text or names.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from datetime import datetime

from sqlalchemy.exc import IntegrityError

from cards.common import Card, notice_card, plain
from cards.work_accident import (
    accident_card,
    injured_notice,
    not_allowed_card,
    not_found_card,
    receipt_card,
)
from domain.actor import Speaker
from domain.i18n import Lang, local_date, t
from domain.ids import CardId
from domain.org import UnitRef, UnknownUnit
from domain.work_accident import (
    ENTITY,
    EasyStatus,
    ReporterRole,
    SupportOffers,
    easy_deadline,
)
from domain.work_accident_forms import (
    WorkAccidentForm,
    filed_problems,
    not_required_problems,
    values_from_near_miss,
)
from services.actions import CardInputs, Verb
from services.ports import Notifier
from storage import org, rows, work_accident
from storage.audit import AuditedConnection, audited
from storage.db import Database, HotConnection
from storage.models import utcnow
from storage.work_accident import AccidentRow

log = logging.getLogger(__name__)
_TO = re.compile(r"^work_accident:(\d+):(?:[a-z_]+:)?to:(\d+)$")


class EasyAction(CardInputs):
    """A click on the accident card: which accident, and the card's inputs."""

    accident_id: CardId


def entity(accident_id: int) -> tuple[str, str]:
    return ENTITY, str(accident_id)


def card_key(accident_id: int, person_id: int, step: str | None = None) -> str:
    """`work_accident:<id>:to:<person>`, or with a reminder step before `to`."""
    middle = f"{step}:" if step else ""
    return f"work_accident:{accident_id}:{middle}to:{person_id}"


def reader_of_key(key: str, accident_id: int) -> int | None:
    """The person a posted card about the accident went to."""
    found = _TO.match(key)
    if found is None or int(found.group(1)) != accident_id:
        return None
    return int(found.group(2))


class DatabaseWorkAccidentServices:
    """The work-accident flow's actions: one transaction each, messages to others afterwards."""

    def __init__(
        self,
        db: Database,
        notifier: Notifier,
        *,
        support: SupportOffers | None = None,
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        self.db = db
        self.notifier = notifier
        self.support = support or SupportOffers()
        self.clock = clock

    async def units(self) -> list[UnitRef]:
        async with self.db.reading() as connection:
            return await org.unit_choices(connection)

    # -- reporting -----------------------------------------------------------------------------

    async def from_near_miss(self, speaker: Speaker, near_miss_id: int) -> dict[str, str] | None:
        """The accident form's values from a near miss the speaker may report as having
        become an accident (its reporter, a leader or AMK of its unit, the secretariat)."""
        if speaker.person_id is None:
            return None
        async with self.db.reading() as connection:
            report = await work_accident.near_miss_to_carry(
                connection, near_miss_id, speaker.person_id
            )
        if report is None:
            return None
        location = ", ".join(part for part in (report.campus, report.building, report.room) if part)
        return values_from_near_miss(
            unit_id=report.unit_id,
            occurred_at=report.occurred_at,
            location=location,
            description=report.description,
            immediate_action=report.immediate_action,
        )

    async def submit(
        self,
        speaker: Speaker,
        form: WorkAccidentForm,
        submission_key: str,
        *,
        near_miss_id: int | None = None,
    ) -> Card | None:
        """Store the report with its EASY deadline (once per card), linked to the near miss
        it was first reported as if the speaker may report that one, answer with the
        receipt, and tell the unit's leaders and AMKs (and the injured person, if someone
        else reported) after the answer. None when the unit is not an active unit."""
        now = self.clock()
        deadline = easy_deadline(
            form.injured_party, form.accident_day, form.first_absence_day, form.claim
        )
        try:
            async with audited(self.db) as connection:
                linked = (
                    await work_accident.near_miss_to_carry(
                        connection, near_miss_id, speaker.person_id
                    )
                    if near_miss_id is not None and speaker.person_id is not None
                    else None
                )
                accident, created = await work_accident.submit(
                    connection,
                    form,
                    reporter_id=speaker.person_id,
                    deadline=deadline,
                    now=now,
                    submission_key=submission_key,
                    near_miss_id=linked.id if linked is not None else None,
                )
                view = await work_accident.view(connection, accident)
        except UnknownUnit:
            return None
        except IntegrityError:
            # The same card sent twice at the same moment: the other turn stored it.
            async with self.db.reading() as connection:
                existing = await work_accident.by_submission(connection, submission_key)
                if existing is None:
                    raise
                view, created = await work_accident.view(connection, existing), False
        if created:
            log.info("work accident %s recorded (EASY: %s)", view.number, view.duty.value)
            self.notifier.later(self._announce(view.id), name="work_accident.announce")
        return receipt_card(speaker.lang, view, self.support)

    async def receipt(self, speaker: Speaker, submission_key: str) -> Card | None:
        """The receipt of what `submission_key` stored, if the speaker stored it."""
        async with self.db.reading() as connection:
            accident = await work_accident.by_submission(connection, submission_key)
            if accident is None or accident.reporter_id != speaker.person_id:
                return None
            view = await work_accident.view(connection, accident)
        return receipt_card(speaker.lang, view, self.support)

    async def _announce(self, accident_id: int) -> None:
        """The accident's card to each leader and AMK of the unit (the secretariat if it has
        neither), and a notice to the injured person if someone else reported it."""
        async with self.db.reading() as connection:
            accident = await work_accident.get(connection, accident_id)
            if accident is None:
                return
            view = await work_accident.view(connection, accident)
            found = await work_accident.recipients(connection, accident.unit_id)
            readers = [
                (await work_accident.reader(connection, accident, person.id), person)
                for person in found.easy_owners()
            ]
            injured = (
                await rows.people(connection, [accident.injured_id])
                if accident.injured_id is not None
                and ReporterRole(accident.reporter_role) is not ReporterRole.INJURED
                and accident.injured_id != accident.reporter_id
                else {}
            )
        if not readers:
            log.warning("work accident %s: nobody to tell in the unit", view.number)
        now = self.clock()
        shown: list[int] = []
        for reader, person in readers:
            lang = work_accident.lang_of(person)
            intro = t(lang, "work_accident.card.new", unit=plain(view.unit_name))
            if await self.notifier.card_to_person(
                person.id,
                accident_card(lang, view, reader, now=now, intro=intro),
                key=card_key(accident_id, person.id),
                entity=entity(accident_id),
            ):
                shown.append(person.id)
        told: list[int] = []
        for person in injured.values():
            if await self.notifier.card_to_person(
                person.id,
                injured_notice(work_accident.lang_of(person), view, self.support),
                key=card_key(accident_id, person.id, "injured"),
                entity=(ENTITY + ".injured", str(accident_id)),
            ):
                told.append(person.id)
        await self.audit_reads(accident_id, shown, "announce")
        await self.audit_reads(accident_id, told, "injured_notice")

    async def audit_reads(self, accident_id: int, person_ids: list[int], via: str) -> None:
        """Who was shown a psychological accident's card (outside a user's transaction)."""
        if not person_ids:
            return
        async with audited(self.db) as connection:
            accident = await work_accident.get(connection, accident_id)
            if accident is not None:
                await work_accident.record_reads(connection, accident, person_ids, via)

    # -- what was done about EASY --------------------------------------------------------------

    def verbs(self) -> list[Verb[EasyAction]]:
        """The accident card's actions."""
        return [
            Verb("work_accident.filed", EasyAction, self.filed),
            Verb("work_accident.not_required", EasyAction, self.not_required),
            Verb("work_accident.followed_up", EasyAction, self.followed_up),
        ]

    async def followed_up(self, speaker: Speaker, action: EasyAction) -> Card:
        """The leader has followed up with the person after a psychological accident."""
        lang = speaker.lang
        if speaker.person_id is None:
            return not_allowed_card(lang)
        actor_id, now = speaker.person_id, self.clock()
        async with audited(self.db) as connection:
            accident = await work_accident.get(connection, action.accident_id)
            if accident is None:
                return not_found_card(lang)
            reader = await work_accident.reader(connection, accident, actor_id)
            if not reader.may_confirm_follow_up:
                await work_accident.record_refusal(connection, accident.id, actor_id, "follow_up")
                return notice_card(
                    t(lang, "work_accident.title"), t(lang, "work_accident.not_allowed_follow_up")
                )
            changed = await work_accident.confirm_follow_up(
                connection, accident, actor_id=actor_id, now=now
            )
            accident = await work_accident.fresh(connection, accident)
            await work_accident.record_reads(connection, accident, [actor_id], "follow_up")
            view = await work_accident.view(connection, accident)
        if changed:
            log.info("work accident %s: followed up", view.number)
            self.notifier.later(self.update_copies(view.id), name="work_accident.followed_up")
        message = (
            "work_accident.msg.followed_up" if changed else "work_accident.msg.follow_up_already"
        )
        return accident_card(lang, view, reader, now=now, message=t(lang, message))

    async def filed(self, speaker: Speaker, action: EasyAction) -> Card:
        """Reported in EASY, with its reference and day."""
        return await self._record(speaker, action, EasyStatus.FILED)

    async def not_required(self, speaker: Speaker, action: EasyAction) -> Card:
        """Not to be reported in EASY, and why."""
        return await self._record(speaker, action, EasyStatus.NOT_REQUIRED)

    async def _record(self, speaker: Speaker, action: EasyAction, status: EasyStatus) -> Card:
        lang = speaker.lang
        if speaker.person_id is None:
            return not_allowed_card(lang)
        actor_id, now = speaker.person_id, self.clock()
        errors: list[str] = []
        message: str | None = None
        changed = False
        async with audited(self.db) as connection:
            accident = await work_accident.get(connection, action.accident_id)
            if accident is None:
                return not_found_card(lang)
            reader = await work_accident.reader(connection, accident, actor_id)
            if not reader.may_record_easy:
                await work_accident.record_refusal(connection, accident.id, actor_id, status.value)
                log.info("work accident %s: EASY record refused", accident.number)
                return not_allowed_card(lang)
            changed, message, errors = await self._write(
                connection, accident, status, actor_id, now, action, lang
            )
            accident = await work_accident.fresh(connection, accident)
            await work_accident.record_reads(connection, accident, [actor_id], status.value)
            view = await work_accident.view(connection, accident)
        if changed:
            log.info("work accident %s: EASY %s", view.number, status.value)
            self.notifier.later(self.update_copies(view.id), name="work_accident.recorded")
        return accident_card(lang, view, reader, now=now, message=message, errors=errors)

    async def _write(
        self,
        connection: AuditedConnection,
        accident: AccidentRow,
        status: EasyStatus,
        actor_id: int,
        now: datetime,
        action: EasyAction,
        lang: Lang,
    ) -> tuple[bool, str | None, list[str]]:
        """(changed, message, errors) of recording `status` from the card's inputs."""
        if EasyStatus(accident.easy_status) is not EasyStatus.PENDING:
            return False, None, [await self._already(connection, accident, lang)]
        inputs = action.inputs()
        if status is EasyStatus.FILED:
            filing, problems = filed_problems(
                inputs, now=now, accident_day=local_date(accident.occurred_at)
            )
            if filing is None:
                return False, None, [t(lang, key) for key in problems]
            changed = await work_accident.record_easy(
                connection,
                accident,
                status=status,
                actor_id=actor_id,
                now=now,
                reference=filing.easy_reference,
                filed_on=filing.filed_on,
            )
        else:
            reason, problems = not_required_problems(inputs)
            if reason is None:
                return False, None, [t(lang, key) for key in problems]
            changed = await work_accident.record_easy(
                connection,
                accident,
                status=status,
                actor_id=actor_id,
                now=now,
                reason=reason.not_required_reason,
            )
        if not changed:
            # Someone else recorded it between our read and our write.
            current = await work_accident.fresh(connection, accident)
            return False, None, [await self._already(connection, current, lang)]
        return True, t(lang, f"work_accident.msg.{status.value}"), []

    @staticmethod
    async def _already(connection: HotConnection, accident: AccidentRow, lang: Lang) -> str:
        """Why nothing was recorded: nothing is owed, or who recorded it first."""
        if EasyStatus(accident.easy_status) is EasyStatus.NOT_APPLICABLE:
            return t(lang, "work_accident.msg.nothing_owed")
        decided_by = accident.easy_decided_by_id
        names = await rows.people(connection, [decided_by] if decided_by else [])
        who = next((org.describe_person(person) for person in names.values()), "")
        return t(lang, "work_accident.msg.already", who=plain(who))

    async def update_copies(self, accident_id: int) -> None:
        """Every posted card about the accident shown as it now stands, to its reader."""
        posts = await self.notifier.sent(entity(accident_id))
        person_ids = sorted(
            {
                person_id
                for post in posts
                if (person_id := reader_of_key(post.dedupe_key, accident_id)) is not None
            }
        )
        async with self.db.reading() as connection:
            accident = await work_accident.get(connection, accident_id)
            if accident is None:
                return
            view = await work_accident.view(connection, accident)
            people = await rows.people(connection, person_ids)
            readers = {
                person_id: await work_accident.reader(connection, accident, person_id)
                for person_id in people
            }
        now = self.clock()

        def render(key: str) -> Card | None:
            person_id = reader_of_key(key, accident_id)
            if person_id is None or person_id not in people:
                return None
            lang = work_accident.lang_of(people[person_id])
            return accident_card(lang, view, readers[person_id], now=now)

        await self.notifier.update_posts(posts, render)
        await self.audit_reads(accident_id, list(people), "update")
