"""The guided services this bot offers, wired to the database and the notifier."""

from __future__ import annotations

from bot.notifier import ProactiveNotifier
from bot.scheduler import PeriodicJob
from dialogs.flow import FlowModule
from storage.db import Database


def flow_modules(db: Database, notifier: ProactiveNotifier) -> list[FlowModule]:
    """One entry per landed service; services not listed answer "coming soon"."""
    modules: list[FlowModule] = []
    return modules


def periodic_jobs(db: Database, notifier: ProactiveNotifier) -> list[PeriodicJob]:
    """Scheduled work of the landed services."""
    jobs: list[PeriodicJob] = []
    return jobs
