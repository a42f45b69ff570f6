"""A witness's signed statement attached as a file by an officer (issue 23, item 2), through the
staff handlers and moto, from the events/ samples: the officer asks for an upload (an Evidence
record awaiting it and a presigned POST for incoming/<id> with no redirect), the file lands in
S3, the check route sniffs it and keeps it (copied to evidence/, incoming/ emptied) or refuses
and deletes it; the statement is then recorded with the checked file, which opens for the
officer. What is not a statement file, a second check, a reporter's file, another team, the DPO
and a party who gives no statement are refused with nothing stored."""

from __future__ import annotations

import base64
import copy
import json
from collections.abc import Callable
from datetime import UTC, date, datetime
from types import ModuleType
from typing import Any

import boto3
import pytest

from asb.case.targets import local_day
from asb.policy.config import STATEMENT_FILE_KINDS
from tests.conftest import LambdaContext, sample_event
from tests.integration.helpers import Staff, case_partition
from tests.integration.test_retention import sweep
from tests.integration.test_witnesses import a_witness, send

PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n" + b"0" * 200
MP3 = b"ID3\x03\x00\x00\x00\x00\x00\x00" + b"\xff\xfb\x90\x00" * 64


def _bucket() -> str:
    return next(b["Name"] for b in boto3.client("s3").list_buckets()["Buckets"]
                if "evidence" in b["Name"])


def _keys() -> list[str]:
    return sorted(o["Key"] for o in boto3.client("s3").list_objects_v2(
        Bucket=_bucket()).get("Contents", []))


def _version(staff: Staff, reference: str) -> int:
    return int(staff.get(reference, who=("m.jones", "manager", "yeovil"))[1]["case"]["version"])


def ask(staff: Staff, reference: str, party_id: str,
        who: tuple[str, str, str] = ("o.hughes", "officer", "yeovil"),
        ) -> tuple[int, dict[str, Any]]:
    return send(staff, "case_work-request-statement-file", reference, party_id, {}, who=who)


def check(staff: Staff, reference: str, evidence_id: str,
          who: tuple[str, str, str] = ("o.hughes", "officer", "yeovil"),
          ) -> tuple[int, dict[str, Any]]:
    return staff.call("case_work-check-statement-file",
                      path=f"/cases/{reference}/evidence/{evidence_id}/check",
                      if_match=f'"{_version(staff, reference)}"', who=who, reference=reference)


def uploaded(staff: Staff, reference: str, party_id: str, content: bytes | None) -> str:
    """Asks for the upload, puts the file where the presigned POST would, and checks it."""
    status, form = ask(staff, reference, party_id)
    assert status == 200, form
    if content is not None:
        boto3.client("s3").put_object(Bucket=_bucket(), Key=form["fields"]["key"], Body=content)
    status, answer = check(staff, reference, form["evidence_id"])
    assert status == 200, answer
    assert answer["evidence_id"] == form["evidence_id"]
    assert answer["version"] == _version(staff, reference)
    kept = _evidence(staff, reference)[form["evidence_id"]]
    assert (answer["file_status"], answer.get("reason")) == (kept["status"], kept.get("reason"))
    return str(form["evidence_id"])


def _evidence(staff: Staff, reference: str) -> dict[str, dict[str, Any]]:
    return {i["record_id"]: i for i in case_partition(staff.table, reference)
            if i["entity"] == "Evidence"}


def test_an_officer_attaches_a_signed_pdf_and_records_the_statement_with_it(
        staff: Staff) -> None:
    reference, party_id = a_witness(staff)
    status, form = ask(staff, reference, party_id)
    assert status == 200, form
    evidence_id = form["evidence_id"]
    assert form["fields"]["key"] == f"incoming/{evidence_id}"  # names no case
    assert form["version"] == _version(staff, reference)
    policy = json.loads(base64.b64decode(form["fields"]["Policy"]
                                         if "Policy" in form["fields"] else form["fields"]["policy"]))
    assert ["content-length-range", 1, STATEMENT_FILE_KINDS[1]] in policy["conditions"]
    assert not any("success_action_redirect" in json.dumps(c) for c in policy["conditions"])
    assert form["types"] == sorted(STATEMENT_FILE_KINDS[2])
    (awaited,) = _evidence(staff, reference).values()
    assert (awaited["status"], awaited["kind"], awaited["party_id"], awaited["uploaded_by"]) == (
        "awaiting upload", "statement", party_id, "o.hughes")
    assert "report_id" not in awaited

    boto3.client("s3").put_object(Bucket=_bucket(), Key=form["fields"]["key"], Body=PDF)
    status, answer = check(staff, reference, evidence_id)
    assert status == 200 and answer["file_status"] == "checked", answer
    kept = _evidence(staff, reference)[evidence_id]
    assert (kept["status"], kept["content_type"], kept["size"]) == (
        "checked", "application/pdf", len(PDF))
    assert _keys() == [f"evidence/{reference}/{evidence_id}"]  # incoming/ emptied
    audit = [i for i in case_partition(staff.table, reference)
             if i["entity"] == "AuditEntry" and i.get("action", "").startswith("Evidence")]
    assert [a["action"] for a in sorted(audit, key=lambda a: a["at"])] == [
        "EvidenceRequested", "EvidenceChecked"]
    assert all(a["actor"] == "staff:o.hughes" for a in audit)

    today = local_day(datetime.now(UTC)).isoformat()
    status, answer = send(staff, "case_work-record-witness-statement", reference, party_id, {
        "made_on": today, "evidence_id": evidence_id, "signed": True, "signed_on": today})
    assert status == 200, answer
    (witness,) = staff.get(reference)[1]["witnesses"]
    assert witness["statements"][0]["evidence_id"] == evidence_id
    status, link = staff.call("case_queries-get-case",
                              path=f"/cases/{reference}/evidence/{evidence_id}",
                              reference=reference)
    assert status == 200 and link["content_type"] == "application/pdf"


@pytest.mark.parametrize(("content", "reason"), [
    (MP3, "did not look like a signed statement"),
    (b"Just some words typed into a text file, not a scan.", "did not look like"),
    (None, "did not receive a file"),
])
def test_a_file_that_is_not_a_statement_is_refused_deleted_and_cannot_be_used(
        staff: Staff, content: bytes | None, reason: str) -> None:
    reference, party_id = a_witness(staff)
    evidence_id = uploaded(staff, reference, party_id, content)
    refused = _evidence(staff, reference)[evidence_id]
    assert refused["status"] == "refused" and reason in refused["reason"]
    assert refused.get("object_key") is None
    assert _keys() == []
    status, answer = send(staff, "case_work-record-witness-statement", reference, party_id, {
        "made_on": local_day(datetime.now(UTC)).isoformat(), "evidence_id": evidence_id})
    assert status == 422 and [e["field"] for e in answer["errors"]] == ["evidence_id"]


def test_a_file_is_checked_once_and_only_a_statement_file_by_this_route(staff: Staff) -> None:
    reference, party_id = a_witness(staff)
    status, form = ask(staff, reference, party_id)
    boto3.client("s3").put_object(Bucket=_bucket(), Key=form["fields"]["key"], Body=PDF)
    evidence_id = form["evidence_id"]
    event = copy.deepcopy(sample_event("case_work-check-statement-file"))  # no body: none needed
    event["body"] = None
    event["path"] = f"/cases/{reference}/evidence/{evidence_id}/check"
    event["pathParameters"] = {"reference": reference, "evidence_id": evidence_id}
    event["headers"]["If-Match"] = f'"{_version(staff, reference)}"'
    event["multiValueHeaders"]["If-Match"] = [event["headers"]["If-Match"]]
    answer = staff.handlers["CaseWork"].lambda_handler(event, LambdaContext())
    assert answer["statusCode"] == 200, answer["body"]
    before = case_partition(staff.table, reference)
    status, answer = check(staff, reference, evidence_id)
    assert status == 409 and "already checked" in answer["message"]
    status, answer = check(staff, reference, "0d8e5a44-1d6b-4b55-9f0c-7a1e2b3c4d5e")
    assert status == 404
    assert [i for i in case_partition(staff.table, reference) if i["entity"] != "AuditEntry"] \
        == [i for i in before if i["entity"] != "AuditEntry"]


def test_other_teams_the_dpo_and_a_party_who_gives_no_statement_are_refused(
        staff: Staff) -> None:
    reference, party_id = a_witness(staff)
    assert ask(staff, reference, party_id, who=("a.khan", "officer", "taunton"))[0] == 404
    assert ask(staff, reference, party_id, who=("d.price", "dpo", "all"))[0] == 403
    perpetrator = next(p["party_id"] for p in staff.get(reference)[1]["parties"]
                       if p["roles"] == ["alleged_perpetrator"])  # the report's own
    status, answer = ask(staff, reference, perpetrator)
    assert status == 409 and "witness" in answer["message"]
    status, form = ask(staff, reference, party_id)
    assert status == 200
    assert check(staff, reference, form["evidence_id"],
                 who=("a.khan", "officer", "taunton"))[0] == 404
    assert check(staff, reference, form["evidence_id"], who=("d.price", "dpo", "all"))[0] == 403
    assert [i["status"] for i in _evidence(staff, reference).values()] == ["awaiting upload"]


def test_retention_deletes_a_statement_file_with_the_cases_files(
        staff: Staff, load_handler: Callable[[str], ModuleType]) -> None:
    reference, party_id = a_witness(staff)
    evidence_id = uploaded(staff, reference, party_id, PDF)
    assert _keys() == [f"evidence/{reference}/{evidence_id}"]
    assert staff.write(reference, "closure", {
        "outcome": "resolved", "reasons": "No reports since the witness's statement."})[0] == 200
    keep_until = date.fromisoformat(staff.get(reference)[1]["case"]["retain_until"])
    assert sweep(load_handler("RetentionFunction"), keep_until) == [reference]
    assert _keys() == []
    assert _evidence(staff, reference)[evidence_id].get("object_key") is None
