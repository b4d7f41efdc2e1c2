"""The well-being dialog through botbuilder's TestAdapter and the real handler, branch by branch."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from sqlalchemy import select

from bot.app import BotRuntime, build_runtime
from bot.config import Settings
from domain.org import OrgFile
from storage import org
from storage.audit import audited
from storage.db import Database
from storage.models import Unit
from storage.wellbeing_models import WellbeingActionItem, WellbeingDialogue
from tests.dialogs.test_lone_work_dialogs import Member, text_of
from tests.support.databases import orm_session
from tests.support.fake_connector import FakeConnector
from tests.support.wellbeing import CHALLENGES, dialogue, items, row


class Scene:
    def __init__(self, runtime: BotRuntime, connector: FakeConnector, kemi: int) -> None:
        self.runtime = runtime
        self.kemi = kemi
        self.amk = Member(runtime, connector, "Per Koordinator", "per@uni.dk")
        self.employee = Member(runtime, connector, "Emil Medarbejder", "emil@uni.dk")
        self.owner = Member(runtime, connector, "Otto Ejer", "otto@uni.dk")

    async def stored(self) -> list[WellbeingDialogue]:
        async with orm_session(self.runtime.db) as session:
            return list((await session.scalars(select(WellbeingDialogue))).all())

    async def items(self) -> list[WellbeingActionItem]:
        async with orm_session(self.runtime.db) as session:
            return list((await session.scalars(select(WellbeingActionItem))).all())


@pytest.fixture
async def scene(db: Database, connector: FakeConnector) -> AsyncIterator[Scene]:
    runtime = build_runtime(Settings(database_url=db.url), db)
    async with audited(db) as connection:
        await org.import_org(
            connection,
            OrgFile.model_validate({"units": [{"name": "Kemi", "amk": [{"upn": "per@uni.dk"}]}]}),
            actor="test",
        )
        kemi = int(
            (await connection.execute(select(Unit.id).where(Unit.name == "Kemi"))).scalar_one()
        )
    built = Scene(runtime, connector, kemi)
    for member in (built.amk, built.employee, built.owner):
        await member.install()
    try:
        yield built
    finally:
        await runtime.background.drain()
        await runtime.connector.close()


async def test_form_then_items_then_the_owner_acts(scene: Scene) -> None:
    form = await scene.amk.say("trivsel")
    assert "Skriv ikke navne eller helbredsoplysninger" in text_of(form)
    saved = await scene.amk.submit(dialogue(scene.kemi))
    assert "Handlingsplan for Kemi" in text_of(saved)
    [stored] = await scene.stored()
    shown = await scene.amk.click(
        "wellbeing.items.save", **items(scene.kemi, stored.id, row(owner="otto@uni.dk"))
    )
    assert "Punkter gemt: 1" in shown
    await scene.runtime.background.drain()
    [item] = await scene.items()
    assert "I gang" in await scene.owner.click("wellbeing.item.progress", item_id=item.id)
    assert "Udført" in await scene.owner.click("wellbeing.item.done", item_id=item.id)
    assert (await scene.items())[0].status == "done"


async def test_other_text_mid_dialog_reminds_and_the_plan_word_still_works(scene: Scene) -> None:
    await scene.amk.say("trivsel")
    reminder = await scene.amk.say("hvad skal jeg skrive?")
    assert "Du er midt i: noter fra trivselsdialog" in text_of(reminder)
    plan = await scene.amk.say("handlingsplan")
    assert "Handlingsplan – Kemi" in text_of(plan)
    saved = await scene.amk.submit(dialogue(scene.kemi))
    assert "Handlingsplan for Kemi" in text_of(saved)
    assert len(await scene.stored()) == 1


async def test_flagged_notes_confirmed_or_cancelled(scene: Scene) -> None:
    await scene.amk.say("trivsel")
    named = dialogue(scene.kemi, challenges=CHALLENGES + " Især Hanne Jensen er presset.")
    check = await scene.amk.submit(named)
    assert "«Hanne Jensen»" in text_of(check)
    cancelled = await scene.amk.submit({"action": "wellbeing.form.cancel"})
    assert "ikke nåede at sende, er ikke gemt" in text_of(cancelled)
    assert await scene.stored() == []
    await scene.amk.say("trivsel")
    await scene.amk.submit(named)
    saved = await scene.amk.submit({"action": "wellbeing.form.confirm"})
    assert "Handlingsplan for Kemi" in text_of(saved)
    [stored] = await scene.stored()
    assert stored.flags_confirmed == 1


async def test_an_employee_may_not_record_but_sees_the_plan(scene: Scene) -> None:
    refused = await scene.employee.say("trivselsdialog")
    assert "Kun enhedens leder eller arbejdsmiljøkoordinator" in text_of(refused)
    after = await scene.employee.submit(dialogue(scene.kemi))
    assert "ikke aktivt" in text_of(after)
    assert await scene.stored() == []
    picker = await scene.employee.say("action plan")
    assert "Hvilken enheds handlingsplan" in text_of(picker)
    plan = await scene.employee.click("wellbeing.plan.show", unit_id=scene.kemi)
    assert "Handlingsplan – Kemi" in plan and "ingen punkter" in plan
