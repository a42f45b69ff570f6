"""A witness's signed statement on paper, attached by an officer as a file (a scan, a photo, a
PDF): asked for first (an Evidence record awaiting upload, the browser then sends the file
straight to S3), then checked as a reporter's file is (asb.case.evidence_files) and kept or
refused. The statement itself is then recorded with the checked file's evidence id
(asb.people.witnesses). Audit entries name the party and the file by id, never its content."""

from __future__ import annotations

from datetime import datetime

from asb.case.change import CaseChange, CaseFolder, NewId, Record, audit_entry, bump
from asb.case.evidence_files import STATEMENT, Check, checked_file, incoming_key
from asb.case.records import Evidence
from asb.kernel.errors import RuleBroken, UnknownRecord
from asb.kernel.staff import StaffMember
from asb.people.parties import new_uuid, open_case
from asb.people.witness_models import StatementFileIn
from asb.people.witnesses import _witness

ENTITY = "Evidence"


def request_statement_file(folder: CaseFolder, party_id: str, body: StatementFileIn,
                           by: StaffMember, now: datetime,
                           new_id: NewId = new_uuid) -> CaseChange:
    """A statement's file is expected: not shown, nor usable for a statement, until checked.
    Its evidence id is the change's one record's id."""
    case = open_case(folder)
    party = _witness(folder, party_id)
    evidence_id = new_id()
    awaited = Evidence(record_id=evidence_id, at=now, kind=STATEMENT, party_id=party.party_id,
                       uploaded_by=by.username, status="awaiting upload",
                       incoming_key=incoming_key(evidence_id))
    return CaseChange(bump(case, now), case.version, audit_entry(
        case, by, "EvidenceRequested", now, new_id,
        after={"evidence_id": evidence_id, "kind": STATEMENT, "party_id": party_id}),
        records=[Record(ENTITY, evidence_id, now, awaited.as_stored())])


def awaited_statement_file(folder: CaseFolder, evidence_id: str) -> Evidence:
    """A statement's file that is still to be checked (a reporter's file is not the officer's
    to check: it is checked when S3 sends the reporter back)."""
    open_case(folder)
    evidence = folder.evidence.get(evidence_id)
    if evidence is None or evidence.kind != STATEMENT:
        raise UnknownRecord(f"No statement file {evidence_id} on this case")
    if evidence.status != "awaiting upload":
        raise RuleBroken(f"This file was already {evidence.status}")
    return evidence


def statement_file_checked(folder: CaseFolder, evidence_id: str, check: Check,
                           by: StaffMember, now: datetime,
                           new_id: NewId = new_uuid) -> CaseChange:
    """The file was checked: kept on the case (its type as sniffed) or refused with the
    reason. A file is checked once."""
    case = folder.case
    checked = checked_file(awaited_statement_file(folder, evidence_id), case.reference, check,
                           now)
    kept = checked.status == "checked"
    return CaseChange(bump(case, now), case.version, audit_entry(
        case, by, "EvidenceChecked" if kept else "EvidenceRefused", now, new_id,
        after={"evidence_id": evidence_id, "kind": STATEMENT, "party_id": checked.party_id,
               "sniffed": check.sniffed, "size": check.size}),
        records=[Record(ENTITY, evidence_id, now, checked.as_stored(), replace=True)])
