"""What the file imports share once a file is checked: its summary card waits for
**Importér** (apply it) or **Annullér**, and a second file replaces a summary still waiting."""

from __future__ import annotations

from typing import Any

from botbuilder.dialogs import DialogContext, DialogTurnResult, WaterfallStepContext
from botbuilder.schema import Activity

from cards.common import Card
from dialogs.card_prompt import CardDialog
from dialogs.context import speaker_of
from dialogs.outgoing import text_activity
from domain.actor import Speaker
from domain.i18n import Lang, t
from domain.submissions import FIELD, new_key


class ConfirmImportDialog(CardDialog):
    """The summary card → **Importér** (`apply`) or **Annullér** (`cancelled_key` said).

    A subclass says what the card shows (`summary`) and what applying answers (`apply`);
    the file's checked contents wait in the dialog's options."""

    def __init__(
        self,
        dialog_id: str,
        *,
        steps: str,
        prompt: str,
        name_key: str,
        actions: tuple[str, str],
        cancelled_key: str,
    ) -> None:
        super().__init__(dialog_id, prompt, (steps, [self._show, self._answered]))
        self._prompt_id = prompt
        self._name_key = name_key
        self._confirm, self._cancel = actions
        self._cancelled_key = cancelled_key

    def summary(self, lang: Lang, options: dict[str, Any], submission_key: str) -> Card:
        """The card that asks for **Importér**, with `submission_key` on its buttons."""
        raise NotImplementedError

    async def apply(self, speaker: Speaker, options: dict[str, Any]) -> Activity:
        """Apply the file after **Importér**; the answer to send."""
        raise NotImplementedError

    async def _show(self, step: WaterfallStepContext) -> DialogTurnResult:
        speaker = speaker_of(step.context)
        key = new_key()
        card = self.summary(speaker.lang, self._options(step), key)
        return await step.prompt(
            self._prompt_id,
            {
                "card": card,
                "actions": [self._confirm, self._cancel],
                "name_key": self._name_key,
                FIELD: key,
            },
        )

    async def _answered(self, step: WaterfallStepContext) -> DialogTurnResult:
        speaker = speaker_of(step.context)
        value: dict[str, Any] = step.result
        if value.get("action") != self._confirm:
            answer = text_activity(t(speaker.lang, self._cancelled_key))
        else:
            answer = await self.apply(speaker, self._options(step))
        await step.context.send_activity(answer)
        return await step.end_dialog()


async def confirm_file(
    dialog_context: DialogContext, dialog_id: str, options: dict[str, Any]
) -> None:
    """Show a checked file's summary (`dialog_id`), in place of one still waiting."""
    active = dialog_context.active_dialog
    if active is not None and active.id == dialog_id:
        await dialog_context.replace_dialog(dialog_id, options)
    else:
        await dialog_context.begin_dialog(dialog_id, options)
