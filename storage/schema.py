"""Every table of the bot: importing this module registers all models on `Base.metadata`."""

from storage import lone_work_models
from storage.models import Base

metadata = Base.metadata

__all__ = ["lone_work_models", "metadata"]
