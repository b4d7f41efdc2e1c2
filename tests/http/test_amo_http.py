"""The AMO's composition in the documentation overview over HTTP, as in Teams: recording it
from the overview (members from the unit's roles, groups, reasoning), what is wrong under
its field, refusals, the overview's status, and one review card to the leader and AMK after
the unit's AMO roles changed substantially."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from domain.digest import iso_week, scope_for
from domain.i18n import Lang, t
from domain.org import OrgFile
from services.digest_sections import compose
from services.documentation_jobs import DocumentationReminders
from storage import org
from storage.amo_models import AmoComposition, AmoMember
from storage.audit import audited
from storage.documentation_models import DutyRecord
from tests.http.test_documentation_http import block_of
from tests.support.databases import orm_session
from tests.support.documentation import all_units_table
from tests.support.teams import BotUnderTest, User, make_user
from tests.support.wellbeing import (
    AMK,
    CONTACT,
    EMPLOYEE,
    LEADER,
    OTHER_LEADER,
    SECRETARIAT,
    audit_events,
    card_of,
    inputs,
    person,
    setup,
    text,
    today,
    verbs,
)

AMR_1 = make_user("Rikke Repræsentant", "rikke.amr@uni.dk", "da-DK")
AMR_2 = make_user("Ole Repræsentant", "ole.amr@uni.dk", "da-DK")
AMR_3 = make_user("Tina Tredje", "tina.amr@uni.dk", "da-DK")
NEW_LEADER = make_user("Nina Nyleder", "nina.leder@uni.dk", "en-US")
REASONING = "To grupper, fordi laboratorierne og kontorerne har forskellige risici."
GROUPS = "Laboratorierne\nKontorerne"


async def kemi_roles(bot: BotUnderTest, *, leaders: list[User], amrs: list[User]) -> None:
    """Kemi's roles as the organisation import sets them (Fysik and the secretariat as in
    `setup`)."""
    assert bot.runtime is not None
    org_file = OrgFile.model_validate(
        {
            "units": [
                {
                    "name": "Kemi",
                    "leader": [person(user) for user in leaders],
                    "amk": [person(AMK)],
                    "precursor_contact": [person(CONTACT)],
                    "amr": [person(user) for user in amrs],
                },
                {"name": "Fysik", "leader": [person(OTHER_LEADER)]},
            ],
            "secretariat": [person(SECRETARIAT)],
        }
    )
    async with audited(bot.runtime.db) as connection:
        await org.import_org(connection, org_file, actor="test")


async def stored(bot: BotUnderTest) -> tuple[list[AmoComposition], list[AmoMember]]:
    assert bot.runtime is not None
    async with orm_session(bot.runtime.db) as session:
        compositions = (await session.scalars(select(AmoComposition))).all()
        members = (await session.scalars(select(AmoMember))).all()
    return list(compositions), list(members)


async def record(bot: BotUnderTest, user: User, unit: int, **changes: str) -> dict[str, object]:
    sent = {"unit_id": unit, "groups": GROUPS, "reasoning": REASONING, **changes}
    return card_of(await bot.invoke(user, "documentation.amo.record", sent))


async def test_a_leader_records_the_composition_and_the_overview_shows_it_met(
    bot: BotUnderTest,
) -> None:
    kemi, _ = await setup(bot)
    await kemi_roles(bot, leaders=[LEADER], amrs=[AMR_1])
    [shown] = await bot.say(LEADER, "dokumentation")
    assert shown.card is not None
    amo = block_of(shown.card, "AMO's sammensætning")
    assert "Ikke registreret" in amo and "documentation.amo.form" in amo
    assert '"duty": "amo_composition"' not in amo  # not the plain date-and-link form

    form = card_of(await bot.invoke(LEADER, "documentation.amo.form", {"unit_id": kemi}))
    shown_form = text(form)
    for name in ("Lise Leder", "Per Koordinator", "Rikke Repræsentant"):
        assert name in shown_form
    assert "Karin Kontakt" not in shown_form  # a precursor contact is not in the AMO
    assert {"groups", "reasoning", "proof"} <= set(inputs(form))

    saved = await record(bot, LEADER, kemi)
    assert "Gemt: AMO's sammensætning" in text(saved) and "medlemmer: 3" in text(saved)
    amo = block_of(saved, "AMO's sammensætning")
    assert "Opfyldt" in amo and f"Sidst: {today():%d.%m.%Y}" in amo
    assert "Grupper (2): Laboratorierne, Kontorerne" in amo and REASONING in amo
    assert "af Lise Leder" in amo
    [composition], members = await stored(bot)
    assert composition.groups == ["Laboratorierne", "Kontorerne"]
    assert sorted(member.role for member in members) == ["amk", "amr", "leader"]
    assert bot.runtime is not None
    async with orm_session(bot.runtime.db) as session:
        duty = await session.get(DutyRecord, composition.duty_record_id)
    assert duty is not None and (duty.duty_key, duty.met_on) == ("amo_composition", today())
    event = [e for e in await audit_events(bot) if e.action == "documentation.amo.record"][-1]
    assert event.after == {
        "unit_id": kemi,
        "duty_record_id": duty.id,
        "members": 3,
        "groups": 2,
    }

    # the AMK starts from the latest reasoning; the new record supersedes it, both are kept
    again = card_of(await bot.invoke(AMK, "documentation.amo.form", {"unit_id": kemi}))
    assert inputs(again)["reasoning"] == REASONING
    newer = await record(bot, AMK, kemi, groups="Hele instituttet", reasoning="Én gruppe.")
    amo = block_of(newer, "AMO's sammensætning")
    assert "Grupper (1): Hele instituttet" in amo and "Én gruppe." in amo
    assert REASONING not in amo and "af Per Koordinator" in amo
    assert len((await stored(bot))[0]) == 2

    # an employee sees the duty met, not the reasoning
    overview = card_of(await bot.invoke(EMPLOYEE, "documentation.show", {"unit_id": str(kemi)}))
    amo = block_of(overview, "AMO's sammensætning")
    assert "Opfyldt" in amo and "Én gruppe." not in amo
    assert "documentation.amo.form" not in verbs(overview)


async def test_what_is_wrong_comes_back_under_its_field_and_nothing_is_saved(
    bot: BotUnderTest,
) -> None:
    kemi, _ = await setup(bot)
    empty = await record(bot, LEADER, kemi, reasoning="   ")
    assert "Skriv begrundelsen (højst 2000 tegn)." in text(empty)
    assert inputs(empty)["groups"] == GROUPS  # what was typed is kept
    long = "x" * 2001
    too_long = await record(bot, LEADER, kemi, reasoning=long)
    assert "Skriv begrundelsen (højst 2000 tegn)." in text(too_long)
    assert inputs(too_long)["reasoning"] == long
    no_groups = await record(bot, LEADER, kemi, groups="\n \n")
    assert "Skriv mindst én gruppe" in text(no_groups)
    bad_link = await record(bot, LEADER, kemi, proof="www.amo.dk")
    assert "Linket skal begynde med https://." in text(bad_link)
    assert await stored(bot) == ([], [])


async def test_only_the_units_leader_amk_and_the_secretariat_may_record(
    bot: BotUnderTest,
) -> None:
    kemi, _ = await setup(bot)
    for user in (EMPLOYEE, OTHER_LEADER):
        opened = card_of(await bot.invoke(user, "documentation.amo.form", {"unit_id": kemi}))
        assert "Kun enhedens leder og AMK" in text(opened)
        refused = await record(bot, user, kemi)
        assert "Kun enhedens leder og AMK" in text(refused)
    assert await stored(bot) == ([], [])
    actions = [e.action for e in await audit_events(bot)]
    assert actions.count("documentation.amo.form.refused") == 2
    assert actions.count("documentation.amo.record.refused") == 2
    saved = await record(bot, SECRETARIAT, kemi)
    assert "Gemt: AMO's sammensætning" in text(saved)
    # the plain record form of the duty leads to the AMO's own form
    plain = card_of(
        await bot.invoke(LEADER, "documentation.form", {"unit_id": kemi, "duty": "amo_composition"})
    )
    assert "documentation.amo.record" in verbs(plain)


async def test_substantial_role_changes_ask_the_leader_and_amk_to_review_once(
    bot: BotUnderTest,
) -> None:
    kemi, _ = await setup(bot)
    for user in (AMR_1, AMR_2, AMR_3, NEW_LEADER):
        await bot.install_personal(user)
    await kemi_roles(bot, leaders=[LEADER], amrs=[AMR_1, AMR_2])
    await record(bot, LEADER, kemi)  # four members: leader, AMK, two AMRs
    assert bot.runtime is not None
    job = next(j for j in bot.runtime.scheduler.jobs if isinstance(j, DocumentationReminders))
    bot.connector.clear()
    start = today()

    def at(offset: int) -> datetime:
        day = start + timedelta(days=offset)
        return datetime(day.year, day.month, day.day, 6, 30, tzinfo=UTC)

    def reviews(user: User) -> list[str]:
        """The review cards the user got (a title in either language)."""
        titles = ("AMO's sammensætning skal gennemgås", "Review the AMO's composition")
        return [
            m.card_text()
            for m in bot.connector.messages()
            if m.conversation_id == user.chat_id and any(t in m.card_text() for t in titles)
        ]

    # one new AMR of four members: not substantial
    await kemi_roles(bot, leaders=[LEADER], amrs=[AMR_1, AMR_2, AMR_3])
    await job.run(at(1))
    assert reviews(LEADER) == [] and reviews(AMK) == []
    [shown] = await bot.say(AMK, "dokumentation")
    assert shown.card is not None and "Opfyldt" in block_of(shown.card, "AMO's sammensætning")

    # a new leader too: three of four seats changed
    await kemi_roles(bot, leaders=[NEW_LEADER], amrs=[AMR_1, AMR_2, AMR_3])
    await asyncio.gather(job.run(at(2)), job.run(at(2)))
    for day in (3, 4, 40):
        await job.run(at(day))
    [to_amk] = reviews(AMK)
    assert "documentation.amo.form" in to_amk and "1 er gået, og 2 er kommet til" in to_amk
    [to_leader] = reviews(NEW_LEADER)
    assert "Review the AMO's composition" in to_leader  # in the new leader's language
    assert reviews(LEADER) == [] and reviews(AMR_1) == [] and reviews(EMPLOYEE) == []
    [shown] = await bot.say(AMK, "dokumentation")
    assert shown.card is not None
    amo = block_of(shown.card, "AMO's sammensætning")
    assert "Skal gennemgås" in amo and "ændret væsentligt" in amo
    rows, _ = await all_units_table(bot, SECRETARIAT)
    assert rows["Kemi"][4] == "↻"  # the AMO's composition: review needed

    # recorded again: met; a later substantial change is a new episode with its own card
    met = await record(bot, NEW_LEADER, kemi)
    assert "Met" in block_of(met, "The AMO's composition")  # five members now
    await job.run(at(41))
    assert len(reviews(AMK)) == 1
    await kemi_roles(bot, leaders=[NEW_LEADER], amrs=[AMR_3])  # two of five gone
    await job.run(at(42))
    await job.run(at(43))
    assert len(reviews(AMK)) == 2 and len(reviews(NEW_LEADER)) == 2


async def test_the_digest_names_the_units_whose_composition_needs_a_review(
    bot: BotUnderTest,
) -> None:
    kemi, _ = await setup(bot)
    await kemi_roles(bot, leaders=[LEADER], amrs=[AMR_1, AMR_2])
    await record(bot, LEADER, kemi)
    assert bot.runtime is not None
    now = datetime.now(UTC)

    async def documentation_lines() -> list[str]:
        assert bot.runtime is not None
        async with bot.runtime.db.reading() as connection:
            content = await compose(connection, scope_for(iso_week(now), now))
        section = next(s for s in content.sections if s.flow == "documentation")
        return [t(Lang.DA, line.key, **line.values) for line in section.lines]

    assert not any("AMO" in line for line in await documentation_lines())
    await kemi_roles(bot, leaders=[NEW_LEADER], amrs=[AMR_1, AMR_3])  # two of four seats changed
    assert await documentation_lines() == ["AMO's sammensætning skal gennemgås: **1** – Kemi"]
