"""The documentation overview over HTTP, as in Teams: the word, the overview per role,
recording a duty from its card (errors under their fields), refusals, the psychological APV
taken from the well-being dialogues, and the secretariat's list of all units."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from openpyxl import load_workbook
from sqlalchemy import select

from cards.digest import line_text
from domain.digest import iso_week, scope_for
from domain.i18n import Lang
from services.digest_sections import compose
from services.documentation_export import export_overview
from services.documentation_jobs import DocumentationReminders
from storage.documentation import duties
from storage.documentation_models import DutyRecord
from tests.support.card_nodes import walk
from tests.support.databases import orm_session
from tests.support.documentation import all_units_table, table_rows
from tests.support.teams import BotUnderTest, User
from tests.support.wellbeing import (
    ADMIN,
    AMK,
    EMPLOYEE,
    LEADER,
    OTHER_LEADER,
    SECRETARIAT,
    audit_events,
    card_of,
    day,
    inputs,
    record,
    setup,
    text,
    today,
    verbs,
)

LINK = "https://safetynet.example.dk/apv/kemi-2025"


async def duty_records(bot: BotUnderTest) -> list[DutyRecord]:
    assert bot.runtime is not None
    async with orm_session(bot.runtime.db) as session:
        return list((await session.scalars(select(DutyRecord).order_by(DutyRecord.id))).all())


def block_of(card: dict[str, object], heading: str) -> str:
    """The text of the overview's block whose heading starts with `heading`."""
    for node in walk(card):
        if node.get("type") == "Container":
            first = node["items"][0]  # type: ignore[index]
            if str(first.get("text", "")).startswith(heading):
                return text(node)
    raise AssertionError(f"no block {heading!r} in {text(card)}")


async def test_a_leader_sees_the_units_duties_and_records_the_physical_apv(
    bot: BotUnderTest,
) -> None:
    kemi, _ = await setup(bot)
    [shown] = await bot.say(LEADER, "dokumentation")
    card = shown.card
    assert card is not None and "Dokumentation: Kemi" in shown.card_text()
    assert "Ikke registreret" in block_of(card, "Fysisk APV")
    amo = block_of(card, "AMO's sammensætning")
    assert "ledere 1, arbejdsmiljørepræsentanter (AMR) 0" in amo and "admin" in amo
    assert "documentation.form" in verbs(card)

    form = card_of(
        await bot.invoke(LEADER, "documentation.form", {"unit_id": kemi, "duty": "apv_physical"})
    )
    assert {"met_on", "proof"} <= set(inputs(form)) and "documentation.record" in verbs(form)

    met = day(-200)
    saved = card_of(
        await bot.invoke(
            LEADER,
            "documentation.record",
            {"unit_id": kemi, "duty": "apv_physical", "met_on": met, "proof": LINK},
        )
    )
    apv = block_of(saved, "Fysisk APV")
    due = date.fromisoformat(met).replace(year=date.fromisoformat(met).year + 3)
    assert "Opfyldt" in apv and f"Næste gang senest: {due:%d.%m.%Y}" in apv
    assert LINK in apv  # the proof opens from its button
    assert "Gemt: Fysisk APV" in text(saved)
    [stored] = await duty_records(bot)
    assert (stored.unit_id, stored.duty_key, stored.met_on.isoformat()) == (
        kemi,
        "apv_physical",
        met,
    )
    event = [e for e in await audit_events(bot) if e.action == "documentation.record"][-1]
    assert event.after is not None and LINK not in text(event.after)


async def test_a_wrong_date_or_link_comes_back_under_its_field_and_nothing_is_saved(
    bot: BotUnderTest,
) -> None:
    kemi, _ = await setup(bot)
    sent = {"unit_id": kemi, "duty": "apv_physical", "met_on": day(3), "proof": "www.apv.dk"}
    again = card_of(await bot.invoke(LEADER, "documentation.record", sent))
    shown = text(again)
    assert "Linket skal begynde med https://." in shown
    assert inputs(again)["proof"] == "www.apv.dk"
    future = card_of(await bot.invoke(LEADER, "documentation.record", {**sent, "proof": LINK}))
    assert "Datoen kan ikke ligge i fremtiden." in text(future)
    assert inputs(future)["met_on"] == day(3)
    assert await duty_records(bot) == []


async def test_a_risk_assessment_is_kept_per_subject(bot: BotUnderTest) -> None:
    kemi, _ = await setup(bot)
    base = {"unit_id": kemi, "duty": "special_risk_assessment", "met_on": day(-30)}
    missing = card_of(await bot.invoke(LEADER, "documentation.record", base))
    assert "Skriv, hvad vurderingen handler om." in text(missing)
    for subject in ("Flussyre i lab 2", "Biologiske agenser, klasse 2"):
        await bot.invoke(LEADER, "documentation.record", {**base, "subject": subject})
    [shown] = await bot.say(LEADER, "dokumentation")
    assert shown.card is not None
    assert "Opfyldt" in block_of(shown.card, "Særlige skriftlige risikovurderinger: Biologiske")
    flussyre = block_of(shown.card, "Særlige skriftlige risikovurderinger: Flussyre")
    assert "Opfyldt" in flussyre and '"subject": "Flussyre i lab 2"' in flussyre
    again = card_of(
        await bot.invoke(
            LEADER,
            "documentation.form",
            {"unit_id": kemi, "duty": "special_risk_assessment", "subject": "Flussyre i lab 2"},
        )
    )
    assert inputs(again)["subject"] == "Flussyre i lab 2"
    new_subject = [
        node
        for node in walk(shown.card)
        if node.get("title") == "Registrér en ny"
        and node.get("data", {}).get("duty") == "special_risk_assessment"
        and "subject" not in node["data"]
    ]
    assert new_subject, text(shown.card)


async def test_an_employee_sees_the_overview_but_cannot_record(bot: BotUnderTest) -> None:
    kemi, _ = await setup(bot)
    [picker] = await bot.say(EMPLOYEE, "dokumentation")
    assert picker.card is not None and "unit_id" in inputs(picker.card)
    overview = card_of(await bot.invoke(EMPLOYEE, "documentation.show", {"unit_id": str(kemi)}))
    assert "Dokumentation: Kemi" in text(overview)
    assert "documentation.form" not in verbs(overview)
    refused = card_of(
        await bot.invoke(
            EMPLOYEE,
            "documentation.record",
            {"unit_id": kemi, "duty": "apv_physical", "met_on": day(-1)},
        )
    )
    assert "Kun enhedens leder og AMK" in text(refused)
    assert await duty_records(bot) == []
    assert any(e.action == "documentation.record.refused" for e in await audit_events(bot))


async def test_the_psychological_apv_follows_the_well_being_dialogues(bot: BotUnderTest) -> None:
    kemi, _ = await setup(bot)
    await record(bot, LEADER, kemi)  # held three days ago
    [shown] = await bot.say(LEADER, "dokumentation")
    assert shown.card is not None
    psychological = block_of(shown.card, "Psykisk APV")
    assert (
        "Opfyldt" in psychological
        and f"Sidst: {date.fromisoformat(day(-3)):%d.%m.%Y}" in psychological
    )
    assert today().year >= 2026


async def test_the_secretariat_sees_every_unit_most_urgent_first(bot: BotUnderTest) -> None:
    kemi, fysik = await setup(bot)
    await bot.invoke(
        LEADER,
        "documentation.record",
        {"unit_id": kemi, "duty": "apv_physical", "met_on": day(-10)},
    )
    [listed] = await bot.say(SECRETARIAT, "dokumentation")
    assert "Dokumentation i alle enheder" in listed.card_text()
    rows, pages = await all_units_table(bot, SECRETARIAT)
    assert pages > 1 and f"Viser 1–12 af {len(rows)}" in text(listed.card)
    assert rows["Kemi"] == ["✓", "–", "–", "–", "–", "–"]  # the physical APV met, nothing else
    assert rows["Fysik"] == ["–"] * 6
    order = list(rows)
    assert order.index("Fysik") < order.index("Kemi")  # Fysik has recorded nothing
    beyond = card_of(await bot.invoke(SECRETARIAT, "documentation.all", {"page": 999}))
    assert list(table_rows(beyond)) == order[(pages - 1) * 12 :]  # the last page
    opened = card_of(await bot.invoke(SECRETARIAT, "documentation.show", {"unit_id": fysik}))
    assert "Dokumentation: Fysik" in text(opened) and "documentation.form" in verbs(opened)


async def test_english_speakers_get_english(bot: BotUnderTest) -> None:
    await setup(bot)
    [listed] = await bot.say(ADMIN, "documentation")
    assert "Documentation in all units" in listed.card_text()


async def test_leader_and_amk_are_reminded_60_and_14_days_before_and_when_overdue_once_each(
    bot: BotUnderTest,
) -> None:
    kemi, _ = await setup(bot)
    assert bot.runtime is not None
    job = next(j for j in bot.runtime.scheduler.jobs if isinstance(j, DocumentationReminders))
    await bot.invoke(
        LEADER,
        "documentation.record",
        {"unit_id": kemi, "duty": "apv_physical", "met_on": "2024-01-15", "proof": LINK},
    )
    bot.connector.clear()
    due = date(2027, 1, 15)

    def at(day: date) -> datetime:
        return datetime(day.year, day.month, day.day, 6, 30, tzinfo=UTC)

    def reminders(user: User) -> list[str]:
        return [
            m.card_text() for m in bot.connector.messages() if m.conversation_id == user.chat_id
        ]

    await job.run(at(due - timedelta(days=61)))
    assert reminders(LEADER) == []
    await asyncio.gather(
        job.run(at(due - timedelta(days=60))), job.run(at(due - timedelta(days=60)))
    )
    for offset in (59, 30, 14, 13, 0, -1, -2, -40):
        await job.run(at(due - timedelta(days=offset)))
    for user in (LEADER, AMK):
        sent = reminders(user)
        assert len(sent) == 3, sent
        assert "(60 dage fra i dag)" in sent[0] and "(14 dage fra i dag)" in sent[1]
        assert "skulle have været opfyldt senest 15.01.2027" in sent[2]
        assert "Fysisk APV" in sent[2] and "documentation.form" in sent[2]
    assert reminders(EMPLOYEE) == [] and reminders(OTHER_LEADER) == []
    # a new record starts a new cycle three years on: nothing more now
    await bot.invoke(
        LEADER,
        "documentation.record",
        {"unit_id": kemi, "duty": "apv_physical", "met_on": day(-1)},
    )
    bot.connector.clear()
    await job.run(at(due + timedelta(days=41)))
    assert reminders(LEADER) == []


async def test_the_digest_counts_overdue_and_nearly_due_duties_per_unit(bot: BotUnderTest) -> None:
    kemi, fysik = await setup(bot)
    assert bot.runtime is not None
    for unit, duty, met in (
        (kemi, "apv_physical", "2023-06-01"),  # due 2026-06-01: overdue
        (kemi, "screening", "2025-01-10"),  # due 2026-01-10: overdue
        (fysik, "screening", "2025-12-01"),  # due 2026-12-01: in 6 days
    ):
        await bot.invoke(
            SECRETARIAT, "documentation.record", {"unit_id": unit, "duty": duty, "met_on": met}
        )
    now = datetime.now(UTC)
    async with bot.runtime.db.reading() as connection:
        content = await compose(connection, scope_for(iso_week(now), now))
    section = next(s for s in content.sections if s.flow == "documentation")
    lines = [line_text(Lang.DA, line) for line in section.lines]
    assert lines == [
        "Fysisk APV – overskredet: **1** – Kemi 1",
        "Screening – overskredet: **1** – Kemi 1",
        "Dokumentationskrav, der forfalder inden for 14 dage: **1** – Fysik 1",
    ]
    english = [line_text(Lang.EN, line) for line in section.lines]
    assert english[0] == "Physical risk assessment (APV) – overdue: **1** – Kemi 1"


async def test_the_export_colours_every_unit_and_duty_and_lists_the_proof(
    bot: BotUnderTest, tmp_path: Path
) -> None:
    kemi, _ = await setup(bot)
    assert bot.runtime is not None
    await bot.invoke(
        LEADER,
        "documentation.record",
        {"unit_id": kemi, "duty": "apv_physical", "met_on": "2025-03-10", "proof": LINK},
    )
    out = tmp_path / "dokumentation.xlsx"
    count = await export_overview(bot.runtime.db, out)
    workbook = load_workbook(out)
    grid = {row[0].value: row for row in workbook["Oversigt"].iter_rows(min_row=2)}
    header = [cell.value for cell in next(workbook["Oversigt"].iter_rows(max_row=1))]
    apv = header.index(next(h for h in header if str(h).startswith("Fysisk APV")))
    assert grid["Kemi"][apv].value == "Opfyldt" and grid["Kemi"][apv].fill.fgColor.rgb.endswith(
        "C6EFCE"
    )
    assert grid["Fysik"][apv].value == "Ikke registreret"
    details = [[cell.value for cell in row] for row in workbook["Krav"].iter_rows(min_row=2)]
    assert count == len(details) == len(grid) * len(duties().duties)
    kemi_apv = next(row for row in details if row[0] == "Kemi" and row[1].startswith("Fysisk APV"))
    assert kemi_apv[3:] == ["Opfyldt", datetime(2025, 3, 10), datetime(2028, 3, 10), LINK]
    sources = [row[2] for row in workbook["Om kravene"].iter_rows(min_row=2, values_only=True)]
    assert any("§ 15 a" in str(source) for source in sources)
