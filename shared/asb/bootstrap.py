"""The composition root: the one place that builds each function's service from its settings and
its AWS clients. Handlers call one builder at import (once per process); nothing else creates a
boto3 client or reads the environment (that is asb.settings).

Each builder imports what it builds inside itself, so a function loads only its own service's
modules at cold start. Each takes its settings (read from the environment when not given) and a
`Clients` (real boto3 clients, made on first use, when not given). That is the door tests use:

    failing = Clients(dynamodb=FailingClient(boto3.client("dynamodb"), ...))
    monkeypatch.setattr(intake, "service", bootstrap.intake_service(clients=failing))

so a fault is injected into the very service the handler runs, never through its insides.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any, NamedTuple, cast

from asb.kernel.settings import (
    CaseSettings,
    DigestSettings,
    HomesSettings,
    NotificationSettings,
    PartnerSettings,
    PublisherSettings,
)

if TYPE_CHECKING:
    from aws_lambda_powertools.utilities.idempotency import DynamoDBPersistenceLayer
    from mypy_boto3_dynamodb import DynamoDBClient
    from mypy_boto3_kms import KMSClient
    from mypy_boto3_s3 import S3Client
    from mypy_boto3_sqs import SQSClient

    from asb.case.change import CaseChanges, CaseFolder
    from asb.case.outbox import OutboxRelay
    from asb.case_review.process import Arrangement
    from asb.casework.regrouping_service import RegroupingService
    from asb.casework.service import CaseService
    from asb.data_protection.retention_store import DynamoDBRetentionStore
    from asb.data_protection.service import DataProtection
    from asb.due_work.digest import DigestRun
    from asb.due_work.store import DynamoDBReviewStore
    from asb.dynamo.queues import SqsRedelivery
    from asb.dynamo.sealing import KmsSealer
    from asb.enforcement.bundle_service import CourtBundles
    from asb.homes.service import FileImports
    from asb.homes.store import DynamoDBHomesRegister
    from asb.intake.service import IntakeService
    from asb.meetings.service import Meetings
    from asb.notifications.service import NotificationService
    from asb.partners.delivery import Inbound, Publisher
    from asb.partners.service import Partners
    from asb.people.reads import PeoplePages
    from asb.people.service import PeopleService
    from asb.people.statement_file_service import StatementFiles
    from asb.policy_changes.service import PolicyChanges
    from asb.policy_changes.store import AppConfigHostedVersions
    from asb.reporting.survey_import import TenantSurveyImports
    from asb.tracking.links import ResidentService
    from asb.tracking.store import S3CaseFiles
    from asb.triage.service import TriageService


class _MadeOnFirstCall:
    """A boto3 client made when one of its methods is first looked up: a builder wires every
    client its service may use, and a route that never calls a service (the tracking page and
    S3 or KMS) is spared making its client, 20-50 ms each at cold start."""

    def __init__(self, service: str) -> None:
        self._service = service
        self._client: Any = None

    def __getattr__(self, name: str) -> Any:
        if self._client is None:
            import boto3

            self._client = boto3.client(self._service)  # type: ignore[call-overload]
        return getattr(self._client, name)


class Clients:
    """The AWS clients of one process, by service name, each made on first use and then reused.
    Given ones (a test's failing or recording client) are used instead of making one."""

    def __init__(self, **given: Any) -> None:
        self._clients: dict[str, Any] = dict(given)

    def client(self, service: str) -> Any:
        if service not in self._clients:
            self._clients[service] = _MadeOnFirstCall(service)
        return self._clients[service]

    def dynamodb(self) -> DynamoDBClient:
        return cast("DynamoDBClient", self.client("dynamodb"))

    def kms(self) -> KMSClient:
        return cast("KMSClient", self.client("kms"))

    def s3(self) -> S3Client:
        return cast("S3Client", self.client("s3"))

    def sqs(self) -> SQSClient:
        return cast("SQSClient", self.client("sqs"))


def _sealer(settings: CaseSettings | NotificationSettings, clients: Clients) -> KmsSealer:
    from asb.dynamo.sealing import KmsSealer

    return KmsSealer(clients.kms(), settings.data_key_id)


# ---------------------------------------------------------------- the public side
def intake_service(settings: CaseSettings | None = None,
                   clients: Clients | None = None) -> IntakeService:
    from asb.case.link_keys import KmsLinkKeys
    from asb.intake.service import IntakeService
    from asb.intake.store import DynamoDBIntakeStore
    from asb.kernel.clock import SystemClock

    settings, clients = settings or CaseSettings.load(), clients or Clients()
    links = KmsLinkKeys(clients.kms(), settings.tracking_key_id) \
        if settings.tracking_key_id else None
    store = DynamoDBIntakeStore(clients.dynamodb(), settings.cases_table,
                                _sealer(settings, clients))
    return IntakeService(store, SystemClock(), links=links, homes=homes_register(clients=clients))


def case_files(settings: CaseSettings | None = None,
               clients: Clients | None = None) -> S3CaseFiles:
    """Reporters' files in the evidence bucket."""
    from asb.tracking.store import S3CaseFiles

    settings, clients = settings or CaseSettings.load(), clients or Clients()
    return S3CaseFiles(clients.s3(), settings.evidence_bucket)


def statement_files(cases: CaseChanges, settings: CaseSettings | None = None,
                    clients: Clients | None = None) -> StatementFiles:
    """A witness's statement file (case work): the case service given, the evidence bucket and
    the tracking page's sniffer composed here, since people import neither."""
    from asb.people.statement_file_service import StatementFiles
    from asb.tracking.sniffing import sniffed_type

    return StatementFiles(cases, case_files(settings, clients), sniffed_type)


class Tracking(NamedTuple):
    service: ResidentService
    files: S3CaseFiles  # the page builds the upload form straight to S3 from it


def tracking(settings: CaseSettings | None = None, clients: Clients | None = None) -> Tracking:
    from asb.casework.store import DynamoDBCaseStore
    from asb.kernel.clock import SystemClock
    from asb.tracking.links import ResidentService
    from asb.tracking.sniffing import sniffed_type
    from asb.tracking.store import DynamoDBGuesses, kms_address_key

    settings, clients = settings or CaseSettings.load(), clients or Clients()
    files = case_files(settings, clients)
    cases = DynamoDBCaseStore(clients.dynamodb(), settings.cases_table,
                              _sealer(settings, clients))
    guesses = DynamoDBGuesses(clients.dynamodb(), settings.cases_table,
                              kms_address_key(clients.kms(), settings.tracking_key_id))
    return Tracking(ResidentService(cases, guesses, files, sniffed_type, SystemClock()), files)


# ---------------------------------------------------------------- triage and the staff API
def triage_service(settings: CaseSettings | None = None,
                   clients: Clients | None = None) -> TriageService:
    from asb.kernel.clock import SystemClock
    from asb.triage.service import TriageService
    from asb.triage.store import DynamoDBTriageStore

    settings, clients = settings or CaseSettings.load(), clients or Clients()
    return TriageService(DynamoDBTriageStore(clients.dynamodb(), settings.cases_table,
                                             _sealer(settings, clients)), SystemClock())


def case_service(settings: CaseSettings | None = None,
                 clients: Clients | None = None) -> CaseService:
    """The staff functions' service (and the regulator figures')."""
    from asb.casework.service import CaseService
    from asb.casework.store import DynamoDBCaseStore
    from asb.kernel.clock import SystemClock

    settings, clients = settings or CaseSettings.load(), clients or Clients()
    return CaseService(DynamoDBCaseStore(clients.dynamodb(), settings.cases_table,
                                         _sealer(settings, clients)), SystemClock())


class CaseReviewSetting(NamedTuple):
    """Who runs the landlord's ASB Case Reviews, and the partner registry's entry for a point
    of contact (read when an application is referred: the agreement it is checked against)."""

    arrangement: Arrangement
    registry_entry: Callable[[str], dict[str, Any] | None]


def case_review_setting(settings: CaseSettings | None = None, clients: Clients | None = None,
                        arrangement: Arrangement | None = None) -> CaseReviewSetting:
    """The policy's arrangement (CASE_REVIEW_LEAD_BODY), or the one given (a test's lead or
    participant): the case_review function's one door to the setting."""
    from asb.case_review.process import Arrangement

    settings, clients = settings or CaseSettings.load(), clients or Clients()
    client, table = clients.dynamodb(), settings.cases_table

    def registry_entry(partner_id: str) -> dict[str, Any] | None:
        # Imported at the first referral: leading never loads the partners' store.
        from asb.partners.store import DynamoDBPartnerStore

        return DynamoDBPartnerStore(client, table).partner(partner_id)

    return CaseReviewSetting(arrangement or Arrangement.as_policy(), registry_entry)


def people_service(settings: CaseSettings | None = None,
                   clients: Clients | None = None) -> PeopleService:
    """Persons for the staff writes: linking a known person, merging two records of one."""
    from asb.casework.store import DynamoDBCaseStore
    from asb.kernel.clock import SystemClock
    from asb.people.service import PeopleService
    from asb.people.store import DynamoDBPeopleStore

    settings, clients = settings or CaseSettings.load(), clients or Clients()
    sealer = _sealer(settings, clients)
    cases = DynamoDBCaseStore(clients.dynamodb(), settings.cases_table, sealer)

    def folder(reference: str) -> CaseFolder | None:
        records = cases.load(reference)
        return records.folder if records else None

    return PeopleService(DynamoDBPeopleStore(clients.dynamodb(), settings.cases_table, sealer),
                         folder, SystemClock())


def regrouping_service(settings: CaseSettings | None = None,
                       clients: Clients | None = None) -> RegroupingService:
    """Splitting a report out into its own case and joining two cases (case_work): a split's
    new case takes the next reference as intake does."""
    from asb.casework.regrouping_service import RegroupingService
    from asb.casework.regrouping_store import DynamoDBRegroupingStore
    from asb.casework.store import DynamoDBCaseStore
    from asb.intake.store import DynamoDBIntakeStore
    from asb.kernel.clock import SystemClock

    settings, clients = settings or CaseSettings.load(), clients or Clients()
    sealer = _sealer(settings, clients)
    client, table = clients.dynamodb(), settings.cases_table
    return RegroupingService(DynamoDBCaseStore(client, table, sealer),
                             DynamoDBRegroupingStore(client, table, sealer), SystemClock(),
                             DynamoDBIntakeStore(client, table, sealer).next_reference_sequence)


def people_pages(settings: CaseSettings | None = None,
                 clients: Clients | None = None) -> PeoplePages:
    """A person's page and a home's page for the staff reads (the register made at the first
    home read)."""
    from functools import cache

    from asb.casework.store import DynamoDBCaseStore
    from asb.kernel.clock import SystemClock
    from asb.people.page_store import DynamoDBPeoplePagesStore
    from asb.people.reads import PeoplePages

    settings, clients = settings or CaseSettings.load(), clients or Clients()
    sealer = _sealer(settings, clients)
    cases = DynamoDBCaseStore(clients.dynamodb(), settings.cases_table, sealer)

    def load_visible(reference: str, visible: Callable[[str | None], bool]) -> CaseFolder | None:
        records = cases.load_visible(reference, visible)
        return records.folder if records else None

    return PeoplePages(DynamoDBPeoplePagesStore(clients.dynamodb(), settings.cases_table, sealer),
                       load_visible, cache(lambda: homes_register(clients=clients)),
                       SystemClock())


def survey_imports(settings: CaseSettings | None = None,
                   clients: Clients | None = None) -> TenantSurveyImports:
    from asb.kernel.clock import SystemClock
    from asb.reporting.store import DynamoDBFiguresStore
    from asb.reporting.survey_import import TenantSurveyImports

    settings, clients = settings or CaseSettings.load(), clients or Clients()
    return TenantSurveyImports(DynamoDBFiguresStore(clients.dynamodb(), settings.cases_table),
                               SystemClock())


def data_protection(settings: CaseSettings | None = None,
                    clients: Clients | None = None) -> DataProtection:
    from asb.casework.store import DynamoDBCaseStore
    from asb.data_protection.service import DataProtection
    from asb.data_protection.store import DynamoDBDataProtectionStore
    from asb.kernel.clock import SystemClock

    settings, clients = settings or CaseSettings.load(), clients or Clients()
    return DataProtection(
        DynamoDBDataProtectionStore(clients.dynamodb(), settings.cases_table),
        DynamoDBCaseStore(clients.dynamodb(), settings.cases_table, _sealer(settings, clients)),
        case_service(settings, clients), SystemClock())


def court_bundles(settings: CaseSettings | None = None,
                  clients: Clients | None = None) -> CourtBundles:
    """A hearing's court bundle (its own function: it carries the PDF layer, case_work does
    not): the case read as staff read it, the evidence bucket's checked files and bundles/."""
    from asb.casework.store import DynamoDBCaseStore
    from asb.enforcement.bundle_service import CourtBundles
    from asb.enforcement.bundle_store import S3BundleFiles
    from asb.kernel.clock import SystemClock

    settings, clients = settings or CaseSettings.load(), clients or Clients()
    cases = DynamoDBCaseStore(clients.dynamodb(), settings.cases_table, _sealer(settings, clients))
    return CourtBundles(cases, S3BundleFiles(clients.s3(), settings.evidence_bucket),
                        SystemClock())


def partners(settings: CaseSettings | None = None, clients: Clients | None = None) -> Partners:
    from asb.kernel.clock import SystemClock
    from asb.partners.service import Partners
    from asb.partners.store import DynamoDBPartnerStore

    settings, clients = settings or CaseSettings.load(), clients or Clients()
    return Partners(DynamoDBPartnerStore(clients.dynamodb(), settings.cases_table),
                    case_service(settings, clients), SystemClock())


def meetings(settings: CaseSettings | None = None, clients: Clients | None = None) -> Meetings:
    """Multi-agency meetings (the partners function): the case service and the registry's
    entries, composed here since meetings import neither partners nor case work."""
    from asb.kernel.clock import SystemClock
    from asb.meetings.service import Meetings
    from asb.partners.store import DynamoDBPartnerStore

    settings, clients = settings or CaseSettings.load(), clients or Clients()
    registry = DynamoDBPartnerStore(clients.dynamodb(), settings.cases_table)
    return Meetings(case_service(settings, clients), registry.partner, SystemClock())


# ---------------------------------------------------------------- events and partners' queues
def outbox_relay(settings: PublisherSettings | None = None,
                 clients: Clients | None = None) -> OutboxRelay:
    from asb.case.outbox import OutboxRelay
    from asb.dynamo.queues import SqsEventSender

    settings, clients = settings or PublisherSettings.load(), clients or Clients()
    return OutboxRelay(SqsEventSender(clients.sqs()), settings.queue_urls())


def partner_publisher(settings: PartnerSettings | None = None,
                      clients: Clients | None = None) -> Publisher:
    from asb.dynamo.queues import SqsMessageSender
    from asb.kernel.clock import SystemClock
    from asb.partners.delivery import Publisher
    from asb.partners.signing import KmsSigner
    from asb.partners.store import DynamoDBPartnerStore

    settings, clients = settings or PartnerSettings.load(), clients or Clients()
    return Publisher(DynamoDBPartnerStore(clients.dynamodb(), settings.cases_table),
                     SqsMessageSender(clients.sqs()),
                     KmsSigner(clients.kms(), settings.signing_key_id),
                     settings.partner_queues or {}, SystemClock())


def partner_inbound(settings: PartnerSettings | None = None,
                    clients: Clients | None = None) -> Inbound:
    from asb.enforcement.dates import deadline_records
    from asb.kernel.clock import SystemClock
    from asb.partners.delivery import Inbound
    from asb.partners.store import DynamoDBPartnerStore

    settings, clients = settings or PartnerSettings.load(), clients or Clients()
    return Inbound(DynamoDBPartnerStore(clients.dynamodb(), settings.cases_table), SystemClock(),
                   deadline_records)


# ---------------------------------------------------------------- notifications
def notification_service(settings: NotificationSettings | None = None,
                         clients: Clients | None = None) -> NotificationService:
    from asb.case.link_keys import KmsLinkKeys
    from asb.kernel.clock import SystemClock
    from asb.notifications.channels import EmailChannel, LetterChannel, SmsChannel
    from asb.notifications.plan import DutyOfficer
    from asb.notifications.service import NotificationService, TrackingLinks
    from asb.notifications.store import DynamoDBNotificationStore

    settings, clients = settings or NotificationSettings.load(), clients or Clients()
    links = TrackingLinks(KmsLinkKeys(clients.kms(), settings.tracking_key_id),
                          settings.public_base_url) \
        if settings.tracking_key_id and settings.public_base_url else None
    return NotificationService(
        DynamoDBNotificationStore(clients.dynamodb(), settings.cases_table,
                                  _sealer(settings, clients)),
        {"email": EmailChannel(clients.client("sesv2"), settings.sender),
         "sms": SmsChannel(clients.client("sns")),
         "letter": LetterChannel(clients.s3(), settings.letters_bucket)},
        DutyOfficer(settings.duty_officer_email, settings.duty_officer_phone,
                    settings.managers_email, settings.dpo_email, settings.staff_email_domain,
                    service_url=settings.public_base_url),
        SystemClock(), links)


def notification_idempotency(settings: NotificationSettings | None = None,
                             clients: Clients | None = None) -> DynamoDBPersistenceLayer:
    """Where Powertools idempotency keeps each notification sent, so it is sent once."""
    from aws_lambda_powertools.utilities.idempotency import DynamoDBPersistenceLayer

    settings, clients = settings or NotificationSettings.load(), clients or Clients()
    return DynamoDBPersistenceLayer(table_name=settings.idempotency_table,
                                    boto3_client=clients.dynamodb())


def redelivery(clients: Clients | None = None) -> SqsRedelivery:
    from asb.dynamo.queues import SqsRedelivery

    return SqsRedelivery((clients or Clients()).sqs())


# ---------------------------------------------------------------- schedules
def review_store(settings: CaseSettings | None = None,
                 clients: Clients | None = None) -> DynamoDBReviewStore:
    from asb.due_work.store import DynamoDBReviewStore

    settings, clients = settings or CaseSettings.load(), clients or Clients()
    return DynamoDBReviewStore(clients.dynamodb(), settings.cases_table)


def daily_digest(settings: DigestSettings | None = None,
                 clients: Clients | None = None) -> Callable[[datetime], DigestRun]:
    """Sends each officer's digest as of a time (asb.digest.send_digests, wired)."""
    from functools import partial

    from asb.due_work.digest import send_digests
    from asb.due_work.store import DynamoDBReviewStore
    from asb.notifications.digest_mail import EmailDigestSender

    settings, clients = settings or DigestSettings.load(), clients or Clients()
    source = DynamoDBReviewStore(clients.dynamodb(), settings.cases_table)
    sender = EmailDigestSender(clients.dynamodb(), settings.cases_table, clients.client("sesv2"),
                               settings.sender, settings.staff_email_domain,
                               settings.public_base_url)
    return partial(send_digests, source, sender)


def retention_store(settings: CaseSettings | None = None,
                    clients: Clients | None = None) -> DynamoDBRetentionStore:
    from asb.data_protection.retention_store import DynamoDBRetentionStore

    settings, clients = settings or CaseSettings.load(), clients or Clients()
    return DynamoDBRetentionStore(clients.dynamodb(), settings.cases_table,
                                  _sealer(settings, clients),
                                  case_files(settings, clients).discard)


def figures_writer(settings: CaseSettings | None = None,
                   clients: Clients | None = None) -> Callable[[str, str], None]:
    """Writes a CSV of the year's figures under a key of the figures bucket."""
    settings, clients = settings or CaseSettings.load(), clients or Clients()
    s3, bucket = clients.s3(), settings.figures_bucket

    def write(key: str, csv: str) -> None:
        s3.put_object(Bucket=bucket, Key=key, Body=csv.encode(), ContentType="text/csv")

    return write


# ---------------------------------------------------------------- the homes register
def homes_register(settings: HomesSettings | None = None,
                   clients: Clients | None = None) -> DynamoDBHomesRegister:
    """The landlord's homes and tenancies as the service reads them (asb.case.homes)."""
    from asb.homes.store import DynamoDBHomesRegister

    settings, clients = settings or HomesSettings.load(), clients or Clients()
    return DynamoDBHomesRegister(clients.dynamodb(), settings.homes_table)


def homes_import(settings: HomesSettings | None = None,
                 clients: Clients | None = None) -> FileImports:
    """A file in the import bucket loaded into the register, its report written beside it."""
    from asb.homes.service import FileImports, RegisterImport
    from asb.homes.store import DynamoDBRegisterStore, S3ImportFiles
    from asb.kernel.clock import SystemClock

    settings, clients = settings or HomesSettings.load(), clients or Clients()
    store = DynamoDBRegisterStore(clients.dynamodb(), settings.homes_table)
    return FileImports(RegisterImport(store, SystemClock()), S3ImportFiles(clients.s3()))


# ---------------------------------------------------------------- the landlord's policy
def policy_changes(settings: CaseSettings | None = None,
                   clients: Clients | None = None) -> PolicyChanges:
    """Changes of the landlord's policy: recorded by PolicyAuditFunction, the deploy command and
    make dev's watcher; read by the staff API (GET /policy/changes)."""
    from asb.kernel.clock import SystemClock
    from asb.policy.config import POLICY_VERSION
    from asb.policy_changes.service import PolicyChanges
    from asb.policy_changes.store import DynamoDBPolicyChangeStore

    settings, clients = settings or CaseSettings.load(), clients or Clients()
    return PolicyChanges(DynamoDBPolicyChangeStore(clients.dynamodb(), settings.cases_table),
                         SystemClock(), POLICY_VERSION)


def hosted_policy_versions(clients: Clients | None = None) -> AppConfigHostedVersions:
    """The deployed policy's hosted configuration versions (PolicyAuditFunction)."""
    from asb.policy_changes.store import AppConfigHostedVersions

    return AppConfigHostedVersions((clients or Clients()).client("appconfig"))
