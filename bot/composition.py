"""The composition root: the services wired to the database and their ports (the notifier,
the channel poster), the dialogs that use them, and the scheduled jobs."""

from __future__ import annotations

from bot.audit_trail import AuditCheckpoint
from bot.config import Settings
from bot.notifier import ProactiveNotifier, Redelivery
from dialogs.checkins import CheckinModule
from dialogs.digest import DigestModule
from dialogs.lone_work import LoneWorkModule
from dialogs.modules import ChannelHandler, FlowModule
from dialogs.near_miss import NearMissModule
from dialogs.precursors import PrecursorModule
from dialogs.wellbeing import WellbeingModule
from domain.digest import Schedule
from services.checkin_jobs import CheckinJob
from services.checkins import DatabaseCheckinServices
from services.digest import DigestJob, DigestPoster, DigestServices
from services.lone_work import DatabaseLoneWorkServices
from services.lone_work_jobs import LoneWorkExpiry, LoneWorkReminders
from services.near_miss import DatabaseNearMissServices, NearMissReminders
from services.ports import PeriodicJob
from services.precursor_jobs import PrecursorReminders
from services.precursors import DatabasePrecursorServices
from services.wellbeing import DatabaseWellbeingServices
from services.wellbeing_jobs import wellbeing_jobs
from storage.db import Database


def flow_modules(db: Database, notifier: ProactiveNotifier, settings: Settings) -> list[FlowModule]:
    """One entry per landed service; services not listed answer "coming soon"."""
    modules: list[FlowModule] = [
        LoneWorkModule(DatabaseLoneWorkServices(db, notifier, admin_upns=settings.admin_upns)),
        NearMissModule(DatabaseNearMissServices(db, notifier)),
    ]
    modules.append(digest_module(db, notifier, settings))
    modules.append(
        WellbeingModule(DatabaseWellbeingServices(db, notifier, settings=settings.wellbeing))
    )
    modules.append(
        PrecursorModule(
            DatabasePrecursorServices(
                db,
                notifier,
                licence=settings.precursor_licence,
                deadline=settings.precursor_deadline,
            )
        )
    )
    modules.append(CheckinModule(DatabaseCheckinServices(db, notifier)))
    return modules


def digest_poster(db: Database, notifier: ProactiveNotifier, settings: Settings) -> DigestPoster:
    return DigestPoster(db, notifier.sender, notifier, settings)


def digest_module(db: Database, notifier: ProactiveNotifier, settings: Settings) -> DigestModule:
    return DigestModule(
        DigestServices(db, digest_poster(db, notifier, settings)),
        Schedule.parse(settings.digest_schedule),
    )


def channel_handlers(modules: list[FlowModule]) -> list[ChannelHandler]:
    """Modules that also answer words in team channels."""
    return [module for module in modules if isinstance(module, DigestModule)]


def periodic_jobs(
    db: Database, notifier: ProactiveNotifier, settings: Settings
) -> list[PeriodicJob]:
    """Scheduled work of the landed services."""
    jobs: list[PeriodicJob] = [LoneWorkExpiry(db, notifier), LoneWorkReminders(db, notifier)]
    jobs.append(NearMissReminders(db, notifier))
    jobs.extend(wellbeing_jobs(db, notifier, settings.wellbeing))
    jobs.append(
        DigestJob(digest_poster(db, notifier, settings), Schedule.parse(settings.digest_schedule))
    )
    jobs.append(PrecursorReminders(db, notifier, deadline=settings.precursor_deadline))
    jobs.append(CheckinJob(db, notifier))
    jobs.append(Redelivery(notifier.sender))
    jobs.append(AuditCheckpoint(db, settings.audit_secret, settings.audit_checkpoint_file))
    return jobs
