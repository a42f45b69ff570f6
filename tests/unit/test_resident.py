"""The reporter's link service with its ports faked: an officer's change in the middle of a
file's check, and the check run twice, each keep the file once and record it once."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import pytest

from asb.case.change import CaseChange, CaseFolder
from asb.case.link_keys import ReportLink, secret_hash
from asb.case.loaded import CaseRecords
from asb.case.records import Evidence
from asb.intake.service import new_report, open_case, parse_submission
from asb.kernel.clock import FixedClock
from asb.kernel.errors import VersionConflict
from asb.tracking.links import LinkNotFound, ResidentService, WrongLinks
from asb.tracking.reporter_page import link_hashes
from tests.conftest import sample_event
from tests.fakes import InMemoryCaseFiles

NOW = datetime(2026, 11, 29, 10, 0, tzinfo=UTC)
MP3 = b"ID3\x03\x00\x00\x00\x00\x00\x00\xff\xfb\x90\x64" + bytes(100)


class Store:
    """One case in memory; `stale` applies raise VersionConflict, as if an officer got there first."""

    def __init__(self, folder: CaseFolder, stale: int = 0) -> None:
        self.folder = folder
        self.items: list[dict[str, Any]] = []
        self.stale = stale
        self.applied: list[CaseChange] = []
        self.loaded: list[str] = []

    def report_link(self, reference: str) -> ReportLink | None:
        """A reporter's own reference's item, as intake writes it with each report (and the
        backfill for reports from before, under the case's reference)."""
        self.loaded.append(reference)
        reports = self.folder.reports
        if not any(r.public_reference == reference for r in reports):
            return None
        return ReportLink(self.folder.case.reference, link_hashes(reports, reference))

    def load(self, reference: str) -> CaseRecords | None:
        self.loaded.append(reference)
        return CaseRecords(self.folder, self.items) if reference == self.folder.case.reference \
            else None

    def apply(self, change: CaseChange) -> None:
        if self.stale:
            self.stale -= 1
            self.folder = CaseFolder(self.folder.case.model_copy(
                update={"version": self.folder.case.version + 1}), self.folder.reports,
                evidence=self.folder.evidence)
            raise VersionConflict(self.folder.case.version)
        assert change.expected_version == self.folder.case.version
        self.applied.append(change)
        evidence = dict(self.folder.evidence)
        for record in change.records:
            if record.entity == "Evidence":
                evidence[record.record_id] = Evidence.model_validate(record.data)
        self.folder = CaseFolder(change.case, self.folder.reports, evidence=evidence)


class NoGuesses:
    def count(self, source: str, now: datetime) -> WrongLinks:
        return WrongLinks(1, 0)


def a_case(secret: str) -> CaseFolder:
    submission = parse_submission(json.loads(sample_event("intake-valid-json")["body"]), NOW)
    opened = open_case(submission, "ASB-2026-000042", "api", NOW, lambda: "report-1")
    report = opened.report.model_copy(update={"tracking_hash": secret_hash(secret)})
    return CaseFolder(opened.case, [report])


def service(store: Store, files: InMemoryCaseFiles) -> ResidentService:
    from asb.tracking.sniffing import sniffed_type

    ids = iter(f"00000000-0000-0000-0000-{n:012d}" for n in range(1, 100))
    return ResidentService(store, NoGuesses(), files, sniffed_type, FixedClock(NOW),
                           lambda: next(ids))


@pytest.mark.parametrize("stale", [0, 1, 2])
def test_a_file_checked_while_an_officer_changes_the_case_is_kept_and_recorded_once(
        stale: int) -> None:
    store, files = Store(a_case("s3cret")), InMemoryCaseFiles()
    residents = service(store, files)
    upload = residents.request_upload("ASB-2026-000042", "s3cret", "ip", "audio")
    files.objects[upload.object_key] = MP3
    store.stale = stale
    assert residents.uploaded("ASB-2026-000042", "s3cret", "ip", upload.evidence_id) == "checked"
    assert residents.uploaded("ASB-2026-000042", "s3cret", "ip", upload.evidence_id) == "checked"
    kept = f"evidence/ASB-2026-000042/{upload.evidence_id}"
    assert list(files.objects) == [kept]  # out of incoming/, kept once
    checked = [c for c in store.applied if any(r.data.get("status") == "checked"
                                               for r in c.records)]
    assert len(checked) == 1


def test_another_reporters_file_is_not_found_through_this_link() -> None:
    store, files = Store(a_case("s3cret")), InMemoryCaseFiles()
    residents = service(store, files)
    upload = residents.request_upload("ASB-2026-000042", "s3cret", "ip", "image")
    store.folder.evidence[upload.evidence_id] = store.folder.evidence[
        upload.evidence_id].model_copy(update={"report_id": "someone-else"})
    with pytest.raises(LinkNotFound):
        residents.uploaded("ASB-2026-000042", "s3cret", "ip", upload.evidence_id)


def test_a_reference_that_cannot_exist_is_not_looked_up() -> None:
    """DynamoDB refuses a key over 2,048 bytes (moto does not): such a link must be a 404
    before any read, never a store error."""
    store, files = Store(a_case("s3cret")), InMemoryCaseFiles()
    residents = service(store, files)
    for reference, secret in [("A" * 3000, "s3cret"), ("ASB-2026-000042", "x" * 5000),
                              ("ASB-2026-000042", "")]:
        with pytest.raises(LinkNotFound):
            residents.view(reference, secret, "ip")
    assert store.loaded == []


def joined_case(stored_before_references: bool = False) -> tuple[CaseFolder, dict[str, str]]:
    """A case opened by one report and joined by another, under its own reference. Stored
    before reports had references, the first report has none (its link carries the case's),
    and neither has a second one that joined then."""
    folder = a_case("first-secret")
    first = folder.reports[0]
    joined = new_report(first.submission, "ASB-2026-000042", "api", NOW, "report-2",
                        "ASB-2026-000077").model_copy(
        update={"tracking_hash": secret_hash("joined-secret")})
    reports = [first, joined]
    if stored_before_references:
        legacy = new_report(first.submission, "ASB-2026-000042", "api", NOW, "report-3")
        reports = [first.model_copy(update={"reference": None}), joined, legacy.model_copy(
            update={"reference": None, "tracking_hash": secret_hash("legacy-secret")})]
    return CaseFolder(folder.case, reports), {
        "first": "first-secret", "joined": "joined-secret", "legacy": "legacy-secret"}


@pytest.mark.parametrize("stored_before_references", [False, True])
def test_a_link_opens_its_own_report_by_its_own_reference(
        stored_before_references: bool) -> None:
    folder, secrets = joined_case(stored_before_references)
    residents = service(Store(folder), InMemoryCaseFiles())
    assert residents.open("ASB-2026-000077", secrets["joined"], "ip").report.report_id == \
        "report-2"
    assert residents.view("ASB-2026-000077", secrets["joined"], "ip")["reference"] == \
        "ASB-2026-000077"
    # Stored before reports had references, the links under the case's still work.
    assert residents.open("ASB-2026-000042", secrets["first"], "ip").report.report_id == \
        "report-1"
    if stored_before_references:
        assert residents.open("ASB-2026-000042", secrets["legacy"], "ip").report.report_id \
            == "report-3"


@pytest.mark.parametrize(("stored_before_references", "reference", "secret"), [
    (False, "ASB-2026-000042", "joined"),  # a joining report's secret under the case's reference
    (True, "ASB-2026-000042", "joined"),
    (False, "ASB-2026-000077", "first"),   # the first report's under the joining report's
    (True, "ASB-2026-000077", "first"),
    (True, "ASB-2026-000077", "legacy"),
])
def test_a_secret_opens_no_other_reports_page(stored_before_references: bool, reference: str,
                                              secret: str) -> None:
    folder, secrets = joined_case(stored_before_references)
    with pytest.raises(LinkNotFound):
        service(Store(folder), InMemoryCaseFiles()).open(reference, secrets[secret], "ip")


def test_a_joining_reporters_file_is_kept_under_the_case() -> None:
    folder, secrets = joined_case()
    store, files = Store(folder), InMemoryCaseFiles()
    residents = service(store, files)
    upload = residents.request_upload("ASB-2026-000077", secrets["joined"], "ip", "audio")
    files.objects[upload.object_key] = MP3
    assert residents.uploaded("ASB-2026-000077", secrets["joined"], "ip",
                              upload.evidence_id) == "checked"
    assert list(files.objects) == [f"evidence/ASB-2026-000042/{upload.evidence_id}"]
