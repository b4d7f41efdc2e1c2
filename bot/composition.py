"""The composition root: the services wired to the database and their ports (the notifier,
the channel poster), the dialogs that use them, the card actions by verb, and the scheduled
jobs."""

from __future__ import annotations

from dataclasses import dataclass

from bot.audit_trail import AuditCheckpoint
from bot.config import Settings
from bot.files_out import FileExports
from bot.notifier import ProactiveNotifier, Redelivery
from bot.reach import WaitingForChats
from dialogs.checkins import CheckinModule
from dialogs.digest import DigestModule
from dialogs.documentation import DocumentationModule
from dialogs.exports import ExportModule
from dialogs.lone_work import LoneWorkModule
from dialogs.modules import ChannelHandler, FlowModule
from dialogs.near_miss import NearMissModule
from dialogs.precursors import PrecursorModule
from dialogs.wellbeing import WellbeingModule
from dialogs.work_accident import WorkAccidentModule
from domain.digest import Schedule
from services.actions import Verbs
from services.checkin_jobs import CheckinJob
from services.checkins import DatabaseCheckinServices
from services.digest import DigestJob, DigestPoster, DigestServices
from services.documentation import DatabaseDocumentationServices
from services.documentation_jobs import DocumentationReminders
from services.exports import ExportServices
from services.lone_work import DatabaseLoneWorkServices
from services.lone_work_jobs import LoneWorkExpiry, LoneWorkReminders
from services.near_miss import DatabaseNearMissServices, NearMissReminders
from services.org import DatabaseOrgServices
from services.ports import PeriodicJob
from services.precursor_jobs import PrecursorReminders
from services.precursors import DatabasePrecursorServices
from services.retention_jobs import RetentionJob
from services.wellbeing import DatabaseWellbeingServices
from services.wellbeing_jobs import wellbeing_jobs
from services.work_accident import DatabaseWorkAccidentServices
from services.work_accident_jobs import WorkAccidentReminders
from storage.db import Database


@dataclass(frozen=True)
class Flows:
    """The landed services as the bot reaches them: the organisation's records, the flows'
    modules (dialogs and words) and every card action by verb."""

    org: DatabaseOrgServices
    modules: list[FlowModule]
    actions: Verbs
    files: FileExports


def flows(db: Database, notifier: ProactiveNotifier, settings: Settings) -> Flows:
    """One module per landed service (services not listed answer "coming soon"), and the
    verbs of each service's cards gathered into one registry."""
    org = DatabaseOrgServices(db, settings.privacy_notice)
    lone_work = DatabaseLoneWorkServices(db, notifier, admin_upns=settings.admin_upns)
    near_miss = DatabaseNearMissServices(db, notifier)
    digest = DigestServices(db, digest_poster(db, notifier, settings))
    wellbeing = DatabaseWellbeingServices(db, notifier, settings=settings.wellbeing)
    precursors = DatabasePrecursorServices(
        db, notifier, licence=settings.precursor_licence, deadline=settings.precursor_deadline
    )
    checkins = DatabaseCheckinServices(db, notifier)
    work_accident = DatabaseWorkAccidentServices(
        db, notifier, support=settings.work_accident_support
    )
    documentation = DatabaseDocumentationServices(db)
    exports = ExportServices(
        db,
        precursor_licence=settings.precursor_licence,
        interval_years=settings.wellbeing.dialogue_interval_years,
    )
    files = FileExports(exports, settings.file_hosts)
    modules: list[FlowModule] = [
        LoneWorkModule(lone_work),
        NearMissModule(near_miss),
        DigestModule(digest, Schedule.parse(settings.digest_schedule)),
        WellbeingModule(wellbeing),
        PrecursorModule(precursors),
        CheckinModule(checkins),
        WorkAccidentModule(work_accident),
        DocumentationModule(documentation),
        ExportModule(exports, files),
    ]
    actions = Verbs(
        org.verbs(),
        lone_work.verbs(),
        near_miss.verbs(),
        digest.verbs(),
        wellbeing.verbs(),
        precursors.verbs(),
        checkins.verbs(),
        work_accident.verbs(),
        documentation.verbs(),
    )
    return Flows(org, modules, actions, files)


def digest_poster(db: Database, notifier: ProactiveNotifier, settings: Settings) -> DigestPoster:
    return DigestPoster(db, notifier.sender, notifier, settings)


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
    jobs.append(RetentionJob(db, settings.retention))
    jobs.append(
        DigestJob(digest_poster(db, notifier, settings), Schedule.parse(settings.digest_schedule))
    )
    jobs.append(PrecursorReminders(db, notifier, deadline=settings.precursor_deadline))
    jobs.append(CheckinJob(db, notifier))
    jobs.append(WorkAccidentReminders(db, notifier))
    jobs.append(DocumentationReminders(db, notifier))
    jobs.append(Redelivery(notifier.sender))
    if notifier.opener is not None:
        jobs.append(WaitingForChats(notifier.opener))
    jobs.append(AuditCheckpoint(db, settings.audit_secret, settings.audit_checkpoint_file))
    return jobs
