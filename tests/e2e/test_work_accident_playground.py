"""End-to-end: the work-accident form in the Microsoft 365 Agents Playground.

A user writes "arbejdsulykke" in the real client and gets the report card: who was hurt
(with the note that students and guests are not reported in EASY as employees), who
reports, the unit, when and where, what happened, the kind of injury, absence and its first
day, a possible claim, what was done at once and witnesses, with the send and cancel
buttons. "annullér" then stops the dialog. Helpers and fixtures as in `test_playground.py`.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from domain.i18n import Lang, t
from tests.e2e.playground import PlaygroundChat, Stack
from tests.e2e.test_playground import page, stack

pytestmark = pytest.mark.e2e
__all__ = ["page", "stack"]

DA = Lang.DA


def test_the_word_opens_the_work_accident_form(stack: Stack, page: Page) -> None:
    chat = PlaygroundChat(page, stack.bot_name)
    with stack.explain_failure(page):
        page.goto(stack.playground_url)
        welcome = chat.wait_for_bot_message(
            0, re.compile(r"Velkommen"), card=True, what="the installation"
        )
        expect(welcome.get_by_role("button", name=t(DA, "menu.work_accident"))).to_be_visible()

        before = chat.bot_message_count()
        chat.send_text("arbejdsulykke")
        form = chat.wait_for_bot_message(
            before,
            re.compile(t(DA, "work_accident.form.title")),
            card=True,
            what="the word 'arbejdsulykke'",
        )
        for label in (
            "work_accident.form.injured_party",
            "work_accident.form.reporter_role",
            "work_accident.form.place",
            "work_accident.form.description",
            "work_accident.form.injury_kind",
            "work_accident.form.absence",
            "work_accident.form.absence_from",
            "work_accident.form.claim",
            "work_accident.form.witnesses",
        ):
            expect(form).to_contain_text(t(DA, label))
        expect(form).to_contain_text("Studerende og gæster anmeldes ikke i EASY")
        expect(
            form.get_by_role("radio", name=t(DA, "work_accident.injured_party.student"))
        ).to_be_visible()
        expect(
            form.get_by_role("button", name=t(DA, "work_accident.form.submit"), exact=True)
        ).to_be_visible()
        form.scroll_into_view_if_needed()
        chat.screenshot("e2e-work-accident-01-form.png")

        before = chat.bot_message_count()
        chat.send_text("annullér")
        stopped = chat.wait_for_bot_message(
            before, re.compile(r"stoppet"), card=False, what="the word 'annullér'"
        )
        expect(stopped).to_contain_text(t(DA, "work_accident.dialog_name"))
