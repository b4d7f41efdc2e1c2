"""Who is speaking in this turn (kept in the turn state)."""

from __future__ import annotations

from botbuilder.core import TurnContext

from domain.actor import Speaker

SPEAKER_KEY = "amkbot.speaker"


def speaker_of(turn_context: TurnContext) -> Speaker:
    speaker = turn_context.turn_state.get(SPEAKER_KEY)
    if not isinstance(speaker, Speaker):
        raise RuntimeError("the speaker was not resolved before the dialog ran")
    return speaker


def set_speaker(turn_context: TurnContext, speaker: Speaker) -> None:
    turn_context.turn_state[SPEAKER_KEY] = speaker
