"""Role administration over HTTP: a multi-step dialog that survives a restart."""

from __future__ import annotations

import json

from sqlalchemy import select

from storage.models import AuditEvent, Person, RoleAssignment, Unit
from tests.support.databases import orm_session
from tests.support.teams import BotUnderTest, make_user

ADMIN = make_user("Anne Admin", "admin@uni.dk", "da-DK")


async def _unit_id(bot: BotUnderTest, name: str) -> int:
    assert bot.runtime is not None
    async with orm_session(bot.runtime.db) as session:
        return (await session.execute(select(Unit.id).where(Unit.name == name))).scalar_one()


async def test_only_admins_get_the_admin_dialog(bot: BotUnderTest) -> None:
    reply = await bot.say(make_user("Ole Olsen", "olol@uni.dk"), "admin")
    assert "ikke adgang" in reply[0].text


async def test_admin_assigns_a_role_across_a_restart(bot: BotUnderTest) -> None:
    picker = await bot.say(ADMIN, "admin")
    assert "Roller pr. enhed" in picker[0].card_text()
    assert "Kemi" in picker[0].card_text()
    kemi = await _unit_id(bot, "Kemi")
    roles = await bot.submit(ADMIN, {"action": "admin.unit", "unit_id": str(kemi)})
    assert "Roller i Kemi" in roles[0].card_text()

    await bot.restart()

    done = await bot.submit(
        ADMIN,
        {
            "action": "admin.assign",
            "unit_id": kemi,
            "upn": "Leder@Uni.dk",
            "name": "Lise Leder",
            "role": "leader",
        },
    )
    assert "Lise Leder er nu leder i Kemi" in done[0].card_text()
    assert bot.runtime is not None
    async with orm_session(bot.runtime.db) as session:
        assignment = (await session.execute(select(RoleAssignment))).scalar_one()
        person = await session.get(Person, assignment.person_id)
        audit_actions = (await session.scalars(select(AuditEvent.action))).all()
    assert assignment.role == "leader" and assignment.unit_id == kemi
    assert person is not None and person.upn == "leder@uni.dk"
    assert "role.assign" in audit_actions


async def test_invalid_input_keeps_what_was_typed(bot: BotUnderTest) -> None:
    await bot.say(ADMIN, "admin")
    kemi = await _unit_id(bot, "Kemi")
    await bot.submit(ADMIN, {"action": "admin.unit", "unit_id": str(kemi)})
    reply = await bot.submit(
        ADMIN, {"action": "admin.assign", "upn": "not-an-email", "name": "Lise", "role": "boss"}
    )
    card = reply[0].card
    assert card is not None
    text = reply[0].card_text()
    assert "gyldig e-mailadresse" in text and "Vælg en rolle" in text
    inputs = {item["id"]: item.get("value") for item in card["body"] if "id" in item}
    assert inputs["upn"] == "not-an-email" and inputs["name"] == "Lise"
    assert bot.runtime is not None
    async with orm_session(bot.runtime.db) as session:
        assert (await session.scalars(select(RoleAssignment))).first() is None


async def test_typing_in_a_dialog_reminds_and_cancel_ends_it(bot: BotUnderTest) -> None:
    await bot.say(ADMIN, "admin")
    reminder = await bot.say(ADMIN, "hvad nu?")
    assert "rolleadministration" in reminder[0].text and "annullér" in reminder[0].text
    helped = await bot.say(ADMIN, "hjælp")
    assert "rolleadministration" in helped[0].card_text()
    cancelled = await bot.say(ADMIN, "annuller")
    assert "stoppet «rolleadministration»" in cancelled[0].text
    after = await bot.submit(ADMIN, {"action": "admin.unit", "unit_id": "1"})
    assert "ikke aktivt" in after[0].text


async def test_starting_a_service_replaces_the_dialog(bot: BotUnderTest) -> None:
    await bot.say(ADMIN, "admin")
    reply = await bot.submit(ADMIN, {"action": "menu.open", "flow": "lone_work"})
    assert "stoppet «rolleadministration»" in reply[0].text
    assert "Anmod om godkendelse af alenearbejde" in reply[1].card_text()
    restarted = await bot.say(ADMIN, "admin")
    assert "stoppet «anmodning om alenearbejde»" in restarted[0].text
    assert "Roller pr. enhed" in restarted[1].card_text()


async def test_remove_role_from_the_card_updates_it_in_place(bot: BotUnderTest) -> None:
    await bot.say(ADMIN, "admin")
    kemi = await _unit_id(bot, "Kemi")
    await bot.submit(ADMIN, {"action": "admin.unit", "unit_id": str(kemi)})
    await bot.submit(
        ADMIN, {"action": "admin.assign", "upn": "amk@uni.dk", "name": "Per AMK", "role": "amk"}
    )
    assert bot.runtime is not None
    async with orm_session(bot.runtime.db) as session:
        assignment_id = (await session.execute(select(RoleAssignment.id))).scalar_one()

    outsider = await bot.invoke(
        make_user("Ole Olsen", "olol@uni.dk"),
        "admin.role.remove",
        {"assignment_id": assignment_id, "unit_id": kemi},
    )
    assert outsider.status == 200 and "ikke adgang" in json.dumps(outsider.body, ensure_ascii=False)

    reply = await bot.invoke(
        ADMIN, "admin.role.remove", {"assignment_id": assignment_id, "unit_id": kemi}
    )
    assert reply.status == 200 and reply.body["statusCode"] == 200
    shown = json.dumps(reply.body["value"], ensure_ascii=False)
    assert "Per AMK er ikke længere" in shown
    async with orm_session(bot.runtime.db) as session:
        assert (await session.scalars(select(RoleAssignment))).first() is None


async def test_a_unit_with_many_role_holders_is_shown_ten_a_page(bot: BotUnderTest) -> None:
    await bot.say(ADMIN, "admin")
    kemi = await _unit_id(bot, "Kemi")
    await bot.submit(ADMIN, {"action": "admin.unit", "unit_id": str(kemi)})
    for number in range(12):
        await bot.submit(
            ADMIN,
            {"action": "admin.assign", "upn": f"amk{number:02}@uni.dk", "role": "amk"},
        )

    second = await bot.submit(ADMIN, {"action": "admin.page", "unit_id": kemi, "page": 1})

    text = second[0].card_text()
    assert "Viser 11–12 af 12" in text
    assert "amk10@uni.dk" in text and "amk11@uni.dk" in text
    assert "amk00@uni.dk" not in text
    assert "Forrige" in text and "Næste" not in text
