"""Instruction and training (§ 18) over HTTP, as in Teams: the unit's leader or AMK records a
training for a person from the documentation overview (errors under their fields), the person
sees their own records, and nobody else reads them: not an employee, not another unit's
leader, not the secretariat; refusals are audited."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from openpyxl import load_workbook
from sqlalchemy import select

from domain.i18n import Lang
from reports.training_import import write_template
from services.training_import import ImportOutcome, import_file
from storage.training_models import TrainingRecord
from tests.support.databases import orm_session
from tests.support.teams import BotUnderTest
from tests.support.wellbeing import (
    AMK,
    EMPLOYEE,
    LEADER,
    OTHER_LEADER,
    SECRETARIAT,
    audit_events,
    card_of,
    day,
    inputs,
    setup,
    text,
    verbs,
)

PROOF = "https://kurser.uni.dk/bevis/emil-alene"
CERT = "https://laering.uni.dk/certifikat/123"


def training(unit_id: int, **changes: str) -> dict[str, object]:
    values: dict[str, object] = {
        "unit_id": unit_id,
        "person": EMPLOYEE.upn,
        "activity": "Alenearbejde i NMR-laboratoriet",
        "kind": "training",
        "given_on": day(-20),
        "given_by": "Per Koordinator",
        "proof": PROOF,
        "lone_work": "true",
    }
    values.update(changes)
    return values


async def records(bot: BotUnderTest) -> list[TrainingRecord]:
    assert bot.runtime is not None
    async with orm_session(bot.runtime.db) as session:
        return list((await session.scalars(select(TrainingRecord))).all())


async def test_the_amk_records_a_training_and_the_person_sees_it(bot: BotUnderTest) -> None:
    kemi, _ = await setup(bot)
    [shown] = await bot.say(AMK, "dokumentation")
    assert shown.card is not None
    assert "Instruktion og oplæring (§ 18)" in shown.card_text()
    assert "Registreringer i enheden: 0 · personer: 0" in shown.card_text()
    assert {"training.unit", "training.form", "training.mine"} <= verbs(shown.card)

    form = card_of(await bot.invoke(AMK, "training.form", {"unit_id": kemi}))
    assert {"person", "activity", "kind", "given_on", "given_by", "proof", "lone_work"} <= set(
        inputs(form)
    )
    saved = card_of(await bot.invoke(AMK, "training.record", training(kemi)))
    assert "Gemt: Alenearbejde i NMR-laboratoriet for Emil Medarbejder" in text(saved)
    assert "Emil Medarbejder: Alenearbejde i NMR-laboratoriet" in text(saved)
    [stored] = await records(bot)
    assert (stored.unit_id, stored.kind, stored.lone_work, stored.proof) == (
        kemi,
        "training",
        True,
        PROOF,
    )
    event = next(e for e in await audit_events(bot) if e.action == "training.record")
    assert event.after is not None and "NMR" not in text(event.after)

    mine = card_of(await bot.invoke(EMPLOYEE, "training.mine", {"unit_id": kemi}))
    assert "Min instruktion og oplæring" in text(mine)
    assert "Alenearbejde i NMR-laboratoriet (Kemi)" in text(mine)
    assert "givet af Per Koordinator" in text(mine) and PROOF in text(mine)

    [again] = await bot.say(LEADER, "dokumentation")
    assert "Registreringer i enheden: 1 · personer: 1" in again.card_text()


async def test_mistakes_come_back_under_their_fields_and_nothing_is_saved(
    bot: BotUnderTest,
) -> None:
    kemi, _ = await setup(bot)
    sent = training(kemi, person="emil", given_on=day(2), proof="www.kursus.dk", given_by="")
    again = card_of(await bot.invoke(LEADER, "training.record", sent))
    shown = text(again)
    assert "Skriv personens e-mailadresse." in shown
    assert "Linket skal begynde med https://." in shown
    assert "Skriv, hvem der gav instruktionen eller oplæringen." in shown
    assert inputs(again)["person"] == "emil" and inputs(again)["proof"] == "www.kursus.dk"
    future = card_of(await bot.invoke(LEADER, "training.record", training(kemi, given_on=day(2))))
    assert "Datoen kan ikke ligge i fremtiden." in text(future)
    assert await records(bot) == []


async def test_someone_the_bot_does_not_know_yet_is_recorded_by_e_mail(bot: BotUnderTest) -> None:
    kemi, _ = await setup(bot)
    await bot.invoke(AMK, "training.record", training(kemi, person="Ny.Ansat@uni.dk"))
    listed = card_of(
        await bot.invoke(AMK, "training.unit", {"unit_id": kemi, "person": "ny.ansat@uni.dk"})
    )
    assert "ny.ansat@uni.dk: Alenearbejde" in text(listed)
    unknown = card_of(
        await bot.invoke(AMK, "training.unit", {"unit_id": kemi, "person": "ingen@uni.dk"})
    )
    assert "AMK-bot kender ingen med den e-mailadresse." in text(unknown)


async def test_only_the_person_and_the_units_leader_and_amk_read_the_records(
    bot: BotUnderTest,
) -> None:
    kemi, fysik = await setup(bot)
    await bot.invoke(LEADER, "training.record", training(kemi))
    await bot.invoke(LEADER, "training.record", training(kemi, person=AMK.upn, activity="Flussyre"))

    # an employee sees the overview without the unit's records, and cannot open them
    overview = card_of(await bot.invoke(EMPLOYEE, "documentation.show", {"unit_id": kemi}))
    assert "Registreringer i enheden" not in text(overview)
    assert "training.unit" not in verbs(overview) and "training.mine" in verbs(overview)
    for user in (EMPLOYEE, OTHER_LEADER, SECRETARIAT):
        refused = card_of(await bot.invoke(user, "training.unit", {"unit_id": kemi}))
        assert "Kun personen selv og enhedens leder og AMK" in text(refused), user.name
        assert "Flussyre" not in text(refused) and "NMR" not in text(refused)
    refused = card_of(await bot.invoke(EMPLOYEE, "training.record", training(kemi)))
    assert "Kun personen selv" in text(refused)
    refused = card_of(await bot.invoke(OTHER_LEADER, "training.form", {"unit_id": kemi}))
    assert "Kun personen selv" in text(refused)
    actions = [e.action for e in await audit_events(bot)]
    assert actions.count("training.read.refused") == 3
    assert "training.record.refused" in actions and len(await records(bot)) == 2

    # the employee's own list holds their record only
    mine = text(card_of(await bot.invoke(EMPLOYEE, "training.mine", {})))
    assert "NMR" in mine and "Flussyre" not in mine
    # another unit's leader sees nothing of Kemi's records on their own unit
    other = card_of(await bot.invoke(OTHER_LEADER, "training.unit", {"unit_id": fysik}))
    assert "Der er ikke registreret" in text(other) and "NMR" not in text(other)


def _sheet(tmp_path: Path, name: str, rows: list[list[object]]) -> Path:
    """The import template as written for the units, filled in under its headings."""
    template = tmp_path / "skabelon.xlsx"
    write_template(template, ["Kemi", "Fysik"])
    workbook = load_workbook(template)
    sheet = workbook["Gennemførte kurser"]
    for number, row in enumerate(rows, start=2):
        for column, value in enumerate(row, start=1):
            sheet.cell(row=number, column=column, value=value)
    out = tmp_path / name
    workbook.save(out)
    return out


async def test_e_learning_completions_are_imported_all_or_nothing(
    bot: BotUnderTest, tmp_path: Path
) -> None:
    kemi, _ = await setup(bot)
    assert bot.runtime is not None
    good = [
        ["Kemi", EMPLOYEE.upn, "H&S: Alenearbejde", date(2026, 3, 2), None, CERT, "ja"],
        ["fysik", "ny.ph.d@uni.dk", "H&S: Kemikaliesikkerhed", date(2025, 9, 1), "AU", None, None],
    ]
    bad = [
        good[0],
        ["Ukendt", "emil", "HS", "i går", "X", "www.bevis.dk", "måske"],
        ["Kemi", EMPLOYEE.upn, "H&S: Brand", date(2027, 1, 1), None, None, "nej"],
    ]

    async def run(path: Path, *, check_only: bool = False) -> ImportOutcome:
        assert bot.runtime is not None
        return await import_file(
            bot.runtime.db,
            path,
            actor="cli:training-import",
            today=date.fromisoformat(day(0)),
            lang=Lang.DA,
            check_only=check_only,
        )

    refused = await run(_sheet(tmp_path, "bad.xlsx", bad))
    assert not refused.written
    lines = "\n".join(refused.errors)
    for expected in (
        "Række 3: ingen aktiv enhed hedder »Ukendt«",
        "Række 3: e-mailadressen mangler eller er ugyldig",
        "Række 3: kurset mangler",
        "Række 3: datoen mangler",
        "Række 3: linket skal begynde med https://",
        "Række 3: skriv ja eller nej",
        "Række 4: datoen mangler, er ugyldig eller ligger i fremtiden",
    ):
        assert expected in lines, lines
    assert "Række 2" not in lines
    assert await records(bot) == []

    filled = _sheet(tmp_path, "good.xlsx", good)
    checked = await run(filled, check_only=True)
    assert (checked.errors, checked.records, checked.written) == ([], 2, False)
    assert await records(bot) == []
    written = await run(filled)
    assert (written.errors, written.records, written.written) == ([], 2, True)
    stored = sorted(await records(bot), key=lambda r: r.given_on)
    assert [(r.kind, r.given_by, r.lone_work, r.recorded_by_id) for r in stored] == [
        ("e_learning", "AU", False, None),
        ("e_learning", "E-læring", True, None),
    ]

    mine = text(card_of(await bot.invoke(EMPLOYEE, "training.mine", {"unit_id": kemi})))
    assert "H&S: Alenearbejde (Kemi)" in mine and "E-læring, 02.03.2026" in mine
    assert "Kemikaliesikkerhed" not in mine  # someone else's


async def test_my_data_lists_the_training_a_person_was_given_and_no_one_elses(
    bot: BotUnderTest,
) -> None:
    kemi, _ = await setup(bot)
    await bot.invoke(AMK, "training.record", training(kemi))
    await bot.invoke(AMK, "training.record", training(kemi, person=LEADER.upn, activity="Laser"))
    (mine,) = await bot.say(EMPLOYEE, "mine data")
    assert "Instruktion og oplæring, du har fået (1)" in mine.card_text()
    assert "Alenearbejde i NMR-laboratoriet" in mine.card_text()
    assert "Oplæring" in mine.card_text() and "Laser" not in mine.card_text()
    (leaders,) = await bot.say(LEADER, "my data")
    assert "Instruktion og oplæring, du har fået (1)" in leaders.card_text()
    assert "Laser" in leaders.card_text()
    assert "NMR" not in leaders.card_text()
