"""The composition root: the services wired to the database and their ports (the notifier,
the channel poster), the dialogs that use them, the card actions by verb, and the scheduled
jobs."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from bot.audit_trail import AuditCheckpoint
from bot.config import Settings
from bot.files_out import FileExports
from bot.notifier import ProactiveNotifier, Redelivery
from bot.org_directory import entra_directory
from bot.reach import WaitingForChats
from dialogs.checkins import CheckinModule
from dialogs.digest import DigestModule
from dialogs.documentation import DocumentationModule
from dialogs.exports import ExportModule
from dialogs.files import FileFetcher
from dialogs.lone_work import LoneWorkModule
from dialogs.modules import ChannelHandler, FlowModule
from dialogs.my_data import MyDataModule
from dialogs.near_miss import NearMissModule
from dialogs.org_import import OrgImportModule
from dialogs.precursors import PrecursorModule
from dialogs.proofs import ProofModule
from dialogs.wellbeing import WellbeingModule
from dialogs.work_accident import WorkAccidentModule
from domain.digest import Schedule
from services.actions import Verbs
from services.checkin_jobs import CheckinJob
from services.checkins import DatabaseCheckinServices
from services.digest import DigestJob, DigestPoster, DigestServices
from services.documentation import DatabaseDocumentationServices
from services.documentation_jobs import DocumentationReminders
from services.erasure import ErasureServices
from services.exports import ExportServices
from services.lone_work import DatabaseLoneWorkServices
from services.lone_work_jobs import LoneWorkExpiry, LoneWorkReminders
from services.my_data import DatabaseMyDataServices
from services.near_miss import DatabaseNearMissServices, NearMissReminders
from services.near_miss_photos import NearMissPhotoServices
from services.org import DatabaseOrgServices
from services.org_import import OrgImports
from services.org_sync import OrgSync
from services.org_sync_jobs import OrgSyncJob
from services.ports import Directory, PeriodicJob
from services.precursor_jobs import PrecursorReminders
from services.precursors import DatabasePrecursorServices
from services.proofs import ProofServices
from services.retention_jobs import RetentionJob
from services.screening import DatabaseScreeningServices
from services.screening_jobs import ScreeningReminders
from services.screening_records import ScreeningRecords
from services.training import DatabaseTrainingServices
from services.wellbeing import DatabaseWellbeingServices
from services.wellbeing_jobs import wellbeing_jobs
from services.work_accident import DatabaseWorkAccidentServices
from services.work_accident_jobs import WorkAccidentReminders
from services.work_accident_learning import ActionReminders, WorkAccidentLearning
from storage.db import Database

log = logging.getLogger(__name__)

ORG_SYNC_ACTOR = "job:org-sync"


@dataclass(frozen=True)
class Flows:
    """The landed services as the bot reaches them: the organisation's records, the flows'
    modules (dialogs and words) and every card action by verb."""

    org: DatabaseOrgServices
    modules: list[FlowModule]
    actions: Verbs
    files: FileExports


def flows(
    db: Database,
    notifier: ProactiveNotifier,
    settings: Settings,
    directory: Directory | None = None,
    fetcher: FileFetcher | None = None,
) -> Flows:
    """One module per landed service (services not listed answer "coming soon"), and the
    verbs of each service's cards gathered into one registry. Cards ask for people with
    Teams' people picker when `settings` say so; `directory` names the people picked;
    `fetcher` fetches the files people send into the chat."""
    picker = settings.people_picker_on
    org = DatabaseOrgServices(db, settings.privacy_notice, picker=picker, directory=directory)
    lone_work = DatabaseLoneWorkServices(
        db, notifier, admin_upns=settings.admin_upns, picker=picker, directory=directory
    )
    near_miss = DatabaseNearMissServices(db, notifier, picker=picker, directory=directory)
    digest = DigestServices(db, digest_poster(db, notifier, settings))
    wellbeing = DatabaseWellbeingServices(
        db, notifier, settings=settings.wellbeing, picker=picker, directory=directory
    )
    precursors = DatabasePrecursorServices(
        db, notifier, licence=settings.precursor_licence, deadline=settings.precursor_deadline
    )
    checkins = DatabaseCheckinServices(db, notifier)
    work_accident = DatabaseWorkAccidentServices(
        db, notifier, support=settings.work_accident_support
    )
    documentation = DatabaseDocumentationServices(db)
    my_data = DatabaseMyDataServices(db)
    exports = ExportServices(
        db,
        precursor_licence=settings.precursor_licence,
        interval_years=settings.wellbeing.dialogue_interval_years,
    )
    proofs = ProofServices(db)
    files = FileExports(exports, settings.file_hosts, proofs=proofs)
    modules: list[FlowModule] = [
        ProofModule(proofs, fetcher),
        LoneWorkModule(lone_work),
        NearMissModule(near_miss, NearMissPhotoServices(db), fetcher),
        DigestModule(digest, Schedule.parse(settings.digest_schedule)),
        WellbeingModule(wellbeing),
        PrecursorModule(precursors, fetcher),
        CheckinModule(checkins),
        WorkAccidentModule(work_accident),
        DocumentationModule(documentation),
        MyDataModule(my_data),
        OrgImportModule(OrgImports(db), fetcher),
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
        WorkAccidentLearning(work_accident).verbs(),
        documentation.verbs(),
        DatabaseTrainingServices(db).verbs(),
        DatabaseScreeningServices(db, notifier).verbs(),
        ScreeningRecords(db, picker=picker, directory=directory).verbs(),
        my_data.verbs(),
        ErasureServices(db, picker=picker).verbs(),
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
    accidents = DatabaseWorkAccidentServices(db, notifier, support=settings.work_accident_support)
    jobs.append(ActionReminders(WorkAccidentLearning(accidents)))
    jobs.append(DocumentationReminders(db, notifier))
    jobs.append(ScreeningReminders(db, notifier))
    jobs.append(Redelivery(notifier.sender))
    if notifier.opener is not None:
        jobs.append(WaitingForChats(notifier.opener))
    jobs.append(AuditCheckpoint(db, settings.audit_secret, settings.audit_checkpoint_file))
    if settings.org_sync_mapping is not None:
        if settings.graph_credentials:
            directory = entra_directory(settings.graph)
            sync = OrgSync(db, directory, notifier, actor=ORG_SYNC_ACTOR)
            jobs.append(OrgSyncJob(sync, settings.org_sync_mapping, admin_upns=settings.admin_upns))
        else:
            log.warning(
                "ORG_SYNC_MAPPING is set, but the nightly org sync needs MicrosoftAppId, "
                "MicrosoftAppPassword and MicrosoftAppTenantId: it is off"
            )
    return jobs
