"""Every table of the bot: importing this module registers all models on `Base.metadata`."""

from storage import (
    amo_models,
    checkin_models,
    digest_models,
    documentation_models,
    lone_work_models,
    near_miss_models,
    precursor_models,
    proof_models,
    screening_models,
    training_models,
    wellbeing_models,
    work_accident_models,
)
from storage.models import Base

metadata = Base.metadata

__all__ = [
    "amo_models",
    "checkin_models",
    "digest_models",
    "documentation_models",
    "lone_work_models",
    "metadata",
    "near_miss_models",
    "precursor_models",
    "proof_models",
    "screening_models",
    "training_models",
    "wellbeing_models",
    "work_accident_models",
]
