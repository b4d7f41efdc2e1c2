"""Activities the bot sends in a turn.

botbuilder deep-copies every activity a turn sends, so that it can address the copy without
changing the caller's object. Ours are built for that one send and never changed afterwards:
a shallow copy gives botbuilder the same guarantee without walking the whole activity and its
card.
"""

from __future__ import annotations

import copy
from typing import Any

from botbuilder.schema import (
    Activity,
    ActivityTypes,
    Attachment,
    AttachmentLayoutTypes,
    InputHints,
)

from cards.common import CARD_CONTENT_TYPE


class OutgoingActivity(Activity):  # type: ignore[misc]
    """An activity built for one send."""

    def __deepcopy__(self, memo: dict[int, Any]) -> OutgoingActivity:
        return copy.copy(self)


def card_activity(card: dict[str, Any]) -> Activity:
    """A message holding one Adaptive Card."""
    return OutgoingActivity(
        type=ActivityTypes.message,
        attachment_layout=AttachmentLayoutTypes.list,
        attachments=[Attachment(content_type=CARD_CONTENT_TYPE, content=card)],
    )


def text_activity(text: str) -> Activity:
    """A plain text message (what `MessageFactory.text` builds)."""
    return OutgoingActivity(
        type=ActivityTypes.message, text=text, input_hint=InputHints.accepting_input
    )
