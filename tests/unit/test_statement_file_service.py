"""A witness's statement file end to end (asb.people.statement_file_service), on fakes: the case
service applies the change to a folder in memory, the evidence bucket is a dict of objects."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import timedelta

import pytest

from asb.case.change import CaseChange, CaseFolder
from asb.case.evidence_files import evidence_key, incoming_key
from asb.case.models import Case
from asb.case.records import Evidence
from asb.kernel.clock import FixedClock
from asb.kernel.errors import RuleBroken, VersionConflict
from asb.kernel.staff import StaffMember
from asb.people.statement_file_service import StatementFiles
from asb.people.witness_models import StatementFileIn
from asb.policy.config import STATEMENT_FILE_KINDS
from asb.tracking.sniffing import sniffed_type
from tests.fakes import InMemoryCaseFiles
from tests.unit.test_witnesses import NOW, OFFICER, WITNESS, a_folder

PDF = b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\n"
MP3 = b"ID3\x04\x00\x00\x00\x00\x00\x00" + b"\x00" * 64
AWAITED = "e-statement"


class FakeCases:
    """The case service: the action on the folder held, its change kept; or a conflict."""

    def __init__(self, folder: CaseFolder, conflict: bool = False) -> None:
        self.folder, self.conflict = folder, conflict
        self.changes: list[CaseChange] = []
        self.clock = FixedClock(NOW)

    def change(self, reference: str, staff: StaffMember, if_match: str | None,
               action: Callable[[CaseFolder], CaseChange],
               roles: tuple[str, ...] = ("officer", "manager")) -> Case:
        change = action(self.folder)
        if self.conflict:
            raise VersionConflict("The case changed since you read it", 4)
        self.changes.append(change)
        return change.case


def awaiting() -> CaseFolder:
    folder = a_folder()
    awaited = Evidence(record_id=AWAITED, at=NOW, kind="statement", party_id=WITNESS,
                       uploaded_by="o.hughes", status="awaiting upload",
                       incoming_key=incoming_key(AWAITED))
    return replace(folder, evidence={**folder.evidence, AWAITED: awaited})


def files(cases: FakeCases, bucket: InMemoryCaseFiles) -> StatementFiles:
    return StatementFiles(cases, bucket, sniffed_type)


def test_asking_records_the_file_awaited_and_gives_a_form_for_its_incoming_key() -> None:
    cases, bucket = FakeCases(a_folder()), InMemoryCaseFiles()
    asked = files(cases, bucket).ask("ASB-2026-000001", WITNESS, StatementFileIn(), OFFICER, '"3"')
    (change,) = cases.changes
    (record,) = change.records
    assert (record.record_id, record.data["status"]) == (asked.evidence_id, "awaiting upload")
    _, largest, types = STATEMENT_FILE_KINDS
    assert bucket.forms == [(incoming_key(asked.evidence_id), largest)]
    assert (asked.largest, asked.types, asked.case.version) == (largest, sorted(types), 4)


def test_a_pdf_is_kept_beside_the_case_and_leaves_incoming_once_recorded() -> None:
    cases, bucket = FakeCases(awaiting()), InMemoryCaseFiles({incoming_key(AWAITED): PDF})
    checked = files(cases, bucket).check("ASB-2026-000001", AWAITED, OFFICER, '"3"')
    assert (checked.status, checked.reason) == ("checked", None)
    assert bucket.objects == {evidence_key("ASB-2026-000001", AWAITED): PDF}
    assert cases.changes[0].records[0].data["content_type"] == "application/pdf"


def test_a_file_that_is_not_a_statement_is_refused_with_why_and_deleted() -> None:
    cases, bucket = FakeCases(awaiting()), InMemoryCaseFiles({incoming_key(AWAITED): MP3})
    checked = files(cases, bucket).check("ASB-2026-000001", AWAITED, OFFICER, '"3"')
    assert checked.status == "refused" and checked.reason
    assert bucket.objects == {}  # neither kept nor left in incoming


def test_nothing_sent_is_refused_and_nothing_deleted() -> None:
    cases, bucket = FakeCases(awaiting()), InMemoryCaseFiles()
    checked = files(cases, bucket).check("ASB-2026-000001", AWAITED, OFFICER, '"3"')
    assert checked.status == "refused" and checked.reason


def test_a_record_not_written_leaves_the_file_in_incoming_to_be_checked_again() -> None:
    cases, bucket = FakeCases(awaiting(), conflict=True), InMemoryCaseFiles({incoming_key(AWAITED): PDF})
    with pytest.raises(VersionConflict):
        files(cases, bucket).check("ASB-2026-000001", AWAITED, OFFICER, '"2"')
    assert incoming_key(AWAITED) in bucket.objects


def test_a_file_already_checked_is_not_checked_again() -> None:
    folder = awaiting()
    checked = folder.evidence[AWAITED].model_copy(update={"status": "checked"})
    cases = FakeCases(replace(folder, evidence={**folder.evidence, AWAITED: checked}))
    with pytest.raises(RuleBroken, match="already checked"):
        files(cases, InMemoryCaseFiles()).check("ASB-2026-000001", AWAITED, OFFICER, '"3"')


def test_its_time_is_the_case_services_clock_as_the_clock_is_moved() -> None:
    cases = FakeCases(a_folder())
    statement_files = files(cases, InMemoryCaseFiles())
    cases.clock = FixedClock(NOW + timedelta(days=3))  # moved after the service was made
    statement_files.ask("ASB-2026-000001", WITNESS, StatementFileIn(), OFFICER, '"3"')
    assert cases.changes[0].records[0].at == NOW + timedelta(days=3)
