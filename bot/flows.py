"""The guided services this bot offers, wired to the database and the notifier."""

from __future__ import annotations

from bot.config import Settings
from bot.lone_work_jobs import LoneWorkExpiry, LoneWorkReminders
from bot.lone_work_services import DatabaseLoneWorkServices
from bot.notifier import ProactiveNotifier
from bot.scheduler import PeriodicJob
from dialogs.flow import FlowModule
from dialogs.lone_work import LoneWorkModule
from storage.db import Database


def flow_modules(db: Database, notifier: ProactiveNotifier, settings: Settings) -> list[FlowModule]:
    """One entry per landed service; services not listed answer "coming soon"."""
    modules: list[FlowModule] = [
        LoneWorkModule(DatabaseLoneWorkServices(db, notifier, admin_upns=settings.admin_upns)),
    ]
    return modules


def periodic_jobs(
    db: Database, notifier: ProactiveNotifier, settings: Settings
) -> list[PeriodicJob]:
    """Scheduled work of the landed services."""
    jobs: list[PeriodicJob] = [LoneWorkExpiry(db, notifier), LoneWorkReminders(db, notifier)]
    return jobs
