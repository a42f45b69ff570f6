"""The data protection officer's routes through their handler, against moto: subject access by
index (JSON and PDF, third parties out, the export logged), the access audit by officer and by
person, rectification and erasure within retention and legal holds."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from typing import Any

import boto3

from asb.case.targets import local_day
from asb.data_protection.requests import WITHHELD
from asb.dynamo.codec import from_item
from asb.policy.calendar_months import months_after
from asb.policy.reporting_year import year_of
from tests.conftest import sample_event
from tests.integration.helpers import Staff, case_partition, report_and_triage, table_items

DPO = ("d.price", "dpo", "")
MANAGER = ("m.jones", "manager", "yeovil")
EMAIL = {"email": "alex.morgan@example.org"}


def access(staff: Staff, query: dict[str, str]) -> tuple[int, dict[str, Any]]:
    return staff.call("data_protection-subject-access", query=query, who=DPO)


def dpo_write(staff: Staff, reference: str, route: str, body: dict[str, Any],
              who: tuple[str, str, str] = DPO) -> tuple[int, dict[str, Any]]:
    version = staff.get(reference, who=MANAGER)[1]["case"]["version"]
    return staff.call("data_protection-rectification", path=f"/cases/{reference}/{route}",
                      body=body, if_match=f'"{version}"', reference=reference, who=who)


def report_id_of(staff: Staff, reference: str) -> str:
    timeline = staff.get(reference, who=MANAGER)[1]["timeline"]
    return str(next(e["detail"]["report_id"] for e in timeline if e["kind"] == "report"))


def report_about_a_named_neighbour(staff: Staff) -> str:
    event = sample_event("intake-valid-json")
    event["headers"].pop("Idempotency-Key")
    data = json.loads(event["body"])
    data["perpetrator"] = {"known": True, "name": "Casey Rowe",
                           "address": "14 Orchard Close, Yeovil"}
    data["incident"]["description"] = ("Casey Rowe shouts at Alex Morgan from the landing most "
                                       "nights after midnight.")
    event["body"] = json.dumps(data)
    return report_and_triage(staff.handlers["Intake"], staff.handlers["Triage"], staff.table,
                             event)


def test_the_reporter_gets_their_data_and_nobody_elses(staff: Staff, table: str) -> None:
    reference = report_about_a_named_neighbour(staff)
    status, body = access(staff, EMAIL)
    assert status == 200
    (case,) = body["cases"]
    assert case["case_reference"] == reference and case["your_role"] == "reporter"
    assert case["report"]["your_details"]["phone"] == "07700 900123"
    text = json.dumps(body)
    assert "Casey" not in text and "Rowe" not in text  # the person they complained about
    assert body["request"]["searched_by"] == ["email"]
    exported = [i for i in case_partition(table, reference)
                if i.get("action") == "SubjectAccessExported"]
    assert exported[0]["actor"] == "staff:d.price"
    status, pdf = access(staff, {**EMAIL, "format": "pdf"})
    assert status == 200 and pdf["pdf"].startswith(b"%PDF")
    assert access(staff, {})[0] == 422  # nothing to search by
    assert staff.call("data_protection-subject-access", query=EMAIL, who=MANAGER)[0] == 403


def test_the_person_complained_about_is_not_told_who_complained(staff: Staff) -> None:
    reference = report_about_a_named_neighbour(staff)
    status, body = access(staff, {"name": "casey rowe", "address": "14 Orchard Close Yeovil"})
    assert status == 200
    (case,) = body["cases"]
    assert case["case_reference"] == reference and case["your_role"] == "alleged perpetrator"
    assert case["report"]["what_happened"].startswith("Casey Rowe shouts at [###]")
    text = json.dumps(body)
    for theirs in ("Alex", "Morgan", "alex.morgan", "07700", "12 Orchard"):
        assert theirs not in text
    assert case["report"]["where"] == "BA20"


def test_the_access_audit_by_officer_and_by_person(staff: Staff) -> None:
    reference = staff.open_case()
    staff.get(reference)  # o.hughes reads it
    status, body = staff.call("data_protection-access-audit", who=DPO,
                              query={"officer": "o.hughes", "days": "1"})
    assert status == 200
    assert [(r["case_reference"], r["action"]) for r in body["reads"]] == [
        (reference, "CaseViewed")]
    status, body = staff.call("data_protection-access-audit", who=DPO, query=EMAIL)
    assert {r["actor"] for r in body["reads"]} == {"staff:o.hughes"}


def test_the_access_audit_about_a_person_reads_only_the_days_asked_for(
        staff: Staff, table: str) -> None:
    """`days` bounds the read itself (the audit keys' range), not only the answer: a case read
    for years is not read whole to answer about last week."""
    from datetime import UTC, datetime, timedelta

    import boto3

    from asb.case.models import AuditEntry
    from asb.dynamo.codec import to_item
    from asb.dynamo.transactions import audit_item

    reference = staff.open_case()
    long_ago = datetime.now(UTC) - timedelta(days=400)
    boto3.client("dynamodb").put_item(TableName=table, Item=to_item({**audit_item(AuditEntry(
        entry_id="read-long-ago", case_reference=reference, at=long_ago, actor="staff:k.evans",
        action="CaseViewed", after={"route": "GET /cases/{reference}"})),
        "access_actor": "staff:k.evans"}))
    staff.get(reference)  # o.hughes reads it today
    for days, readers in (("30", {"staff:o.hughes"}),
                          ("3660", {"staff:o.hughes", "staff:k.evans"})):
        status, body = staff.call("data_protection-access-audit", who=DPO,
                                  query={**EMAIL, "days": days})
        assert status == 200 and {r["actor"] for r in body["reads"]} == readers, days


def test_rectification_moves_the_lookup_with_the_data(staff: Staff) -> None:
    reference = staff.open_case()
    correction = {"report_id": report_id_of(staff, reference), "person": "reporter",
                  "field": "phone", "value": "07700 900456",
                  "reason": "The reporter says the number we hold is an old one."}
    assert dpo_write(staff, reference, "rectification", correction, who=MANAGER)[0] == 403
    assert dpo_write(staff, reference, "rectification", correction)[0] == 200
    assert access(staff, {"phone": "+44 7700 900456"})[1]["cases"][0]["case_reference"] == \
        reference
    assert access(staff, {"phone": "07700 900123"})[1]["cases"] == []
    status, body = dpo_write(staff, reference, "rectification",
                             {**correction, "field": "email", "value": "not an email"})
    assert status == 422 and body["errors"][0]["field"] == "value"


def test_erasure_waits_for_closure_and_respects_a_legal_hold(staff: Staff) -> None:
    reference = staff.open_case()
    erasure = {"report_id": report_id_of(staff, reference),
               "reason": "The reporter asked for erasure; the case closed without action."}
    status, body = dpo_write(staff, reference, "erasure", erasure)
    assert status == 409 and "open" in body["message"]
    closure = {"outcome": "resolved", "reasons": "No further reports for six weeks after the warning."}
    assert staff.write(reference, "closure", closure)[0] == 200
    hold = {"hold": True, "reason": "A claim against the landlord is expected."}
    assert staff.write(reference, "legal-hold", hold, who=DPO)[0] == 200
    status, body = dpo_write(staff, reference, "erasure", erasure)
    assert status == 409 and "legal hold" in body["message"]
    release = {"hold": False, "reason": "The claim was withdrawn in writing."}
    assert staff.write(reference, "legal-hold", release, who=DPO)[0] == 200
    assert dpo_write(staff, reference, "erasure", erasure)[0] == 200
    assert access(staff, EMAIL)[1]["cases"] == []
    people = staff.get(reference, who=MANAGER)[1]["people"]
    assert [p for p in people if p["role"] == "reporter"] == []


def test_equality_monitoring_is_kept_apart_and_shown_only_in_groups_of_five(
    staff: Staff, table: str
) -> None:
    event = sample_event("intake-valid-json")
    event["headers"].pop("Idempotency-Key")
    data = json.loads(event["body"])
    data["monitoring"] = {"age_band": "35-44", "disabled": "yes", "sex": "female"}
    event["body"] = json.dumps(data)
    reference = report_and_triage(staff.handlers["Intake"], staff.handlers["Triage"],
                                  staff.table, event)
    stored = json.dumps([i for i in case_partition(table, reference)], default=str)
    assert "35-44" not in stored and "monitoring" not in stored  # nothing on the case
    year = str(year_of(date.today()))
    rows = [from_item(i) for i in boto3.client("dynamodb").query(
        TableName=table, KeyConditionExpression="pk = :pk",
        ExpressionAttributeValues={":pk": {"S": f"MONITORING#{year}"}})["Items"]]
    assert len(rows) == 1 and rows[0]["disabled"] == "yes"
    assert reference not in json.dumps(rows, default=str)  # no way back to the case
    status, body = staff.call("case_queries-figures", path="/equality-monitoring",
                              query={"year": year}, who=MANAGER)
    assert status == 200 and body["respondents"] == "fewer than 5"
    assert body["characteristics"]["disabled"] == {"yes": "fewer than 5"}
    assert staff.call("case_queries-figures", path="/equality-monitoring",
                      query={"year": year})[0] == 403


def test_special_category_data_is_sealed_in_the_table_and_open_to_staff(
    staff: Staff, table: str
) -> None:
    event = sample_event("intake-valid-json")
    event["headers"].pop("Idempotency-Key")
    data = json.loads(event["body"])
    data["harm"]["targeted_for_identity"] = ["disability"]
    data["reporter"].update(reasonable_adjustments="I use a wheelchair; please ring twice.",
                            language="Polish")
    event["body"] = json.dumps(data)
    reference = report_and_triage(staff.handlers["Intake"], staff.handlers["Triage"],
                                  staff.table, event)
    raw = json.dumps(table_items(table), default=str)  # what a table export would show
    for secret in ("wheelchair", "Polish", "affects_health", "targeted_for_identity"):
        assert secret not in raw, secret
    report = next(i for i in case_partition(table, reference) if i["entity"] == "Report")
    assert "harm" not in report["submission"] and report["submission"]["sealed"]
    view = staff.get(reference)[1]
    reporter = next(p for p in view["people"] if p["role"] == "reporter")
    assert reporter["reasonable_adjustments"].startswith("I use a wheelchair")
    assert view["case"]["hate_incident"] and view["case"]["risk"]["reasons"]


RECEIVE = "data_protection-receive-subject-access-request"
OPEN_REQUESTS = "data_protection-open-subject-access-requests"
RELEASE = "data_protection-release-subject-access-request"


def receive_request(staff: Staff, received_on: date,
                    who: tuple[str, str, str] = DPO) -> tuple[int, dict[str, Any]]:
    return staff.call(RECEIVE, body={"received_on": received_on.isoformat(), **EMAIL}, who=who)


def request_step(staff: Staff, reference: str, step: str, version: int,
                 body: Any = None, query: dict[str, str] | None = None
                 ) -> tuple[int, dict[str, Any]]:
    return staff.call(RELEASE, path=f"/subject-access-requests/{reference}/{step}", body=body,
                      if_match=f'"{version}"', who=DPO, query=query)


def request_partition(table: str, reference: str) -> list[dict[str, Any]]:
    answer = boto3.client("dynamodb").query(
        TableName=table, KeyConditionExpression="pk = :pk",
        ExpressionAttributeValues={":pk": {"S": f"SUBJECTACCESS#{reference}"}})
    return [from_item(i) for i in answer["Items"]]


def test_a_subject_access_request_from_receipt_to_release(staff: Staff, table: str) -> None:
    case = report_about_a_named_neighbour(staff)
    today = local_day(datetime.now(UTC))
    assert receive_request(staff, today, who=MANAGER)[0] == 403
    status, body = receive_request(staff, today)
    assert status == 201
    request = body["request"]
    reference, first_due = request["reference"], months_after(today, 1)
    assert (request["due_on"], request["version"]) == (first_due.isoformat(), 1)
    assert "person_keys" not in request and "alex" not in json.dumps(request).lower()
    status, listed = staff.call(OPEN_REQUESTS, who=DPO)
    assert status == 200 and listed["overdue"] == 0
    assert [(r["reference"], r["due_on"], r["overdue"]) for r in listed["requests"]] == [
        (reference, first_due.isoformat(), False)]
    assert staff.call(OPEN_REQUESTS, who=MANAGER)[0] == 403

    status, answer = request_step(staff, reference, "release", 1)
    assert status == 409 and "not been reviewed" in answer["message"]
    status, read = staff.call(OPEN_REQUESTS, path=f"/subject-access-requests/{reference}",
                              who=DPO)
    assert status == 200
    (found,) = read["request"]["cases"]  # what the DPO reviews: the free text as it stands
    assert found["case_reference"] == case and "shouts" in found["report"]["what_happened"]

    notice = {"reason": "Several cases over years, with officers' notes to read through.",
              "notice": "letter", "notice_sent_on": today.isoformat()}
    status, answer = request_step(staff, reference, "extension", 1, notice)
    assert status == 200
    assert answer["request"]["due_on"] == months_after(first_due, 2).isoformat()
    assert request_step(staff, reference, "extension", 2, notice)[0] == 409  # once
    status, answer = request_step(staff, reference, "review", 2, {"cases": []})
    assert status == 422 and case in answer["errors"][0]["message"]
    redact = {"cases": [{"case_reference": case, "free_text": "redact"}],
              "note": "The description names a neighbour the reporter did not."}
    assert request_step(staff, reference, "review", 2, redact)[0] == 200
    assert request_step(staff, reference, "release", 2)[0] == 412  # read again

    status, released = request_step(staff, reference, "release", 3)
    assert status == 200 and released["released"]["status"] == "released"
    (section,) = released["cases"]
    assert section["report"]["what_happened"] == WITHHELD
    assert section["report"]["your_details"]["email"] == EMAIL["email"]  # theirs, in full
    assert staff.call(OPEN_REQUESTS, who=DPO)[1]["requests"] == []
    assert request_step(staff, reference, "release", 4)[0] == 409  # released once
    steps = [i["action"] for i in sorted(request_partition(table, reference),
                                         key=lambda i: i["sk"]) if i["entity"] == "AuditEntry"]
    assert steps == ["SubjectAccessReceived", "SubjectAccessExtended", "SubjectAccessReviewed",
                     "SubjectAccessReleased"]
    reads = [i["after"]["route"] for i in case_partition(table, case)
             if i.get("action") == "SubjectAccessExported"]
    assert reads == [f"GET /subject-access-requests/{reference}",
                     f"POST /subject-access-requests/{reference}/release"]


def test_an_overdue_request_is_shown_as_overdue_and_can_no_longer_be_extended(
    staff: Staff
) -> None:
    case = report_about_a_named_neighbour(staff)
    long_ago = months_after(local_day(datetime.now(UTC)), -2)
    status, body = receive_request(staff, long_ago)
    reference = body["request"]["reference"]
    listed = staff.call(OPEN_REQUESTS, who=DPO)[1]
    assert listed["overdue"] == 1 and listed["requests"][0]["overdue"]
    assert not listed["requests"][0]["may_extend"]
    notice = {"reason": "Several cases over years, with officers' notes to read through.",
              "notice": "email", "notice_sent_on": long_ago.isoformat()}
    status, answer = request_step(staff, reference, "extension", 1, notice)
    assert status == 409 and "within the first month" in answer["message"]
    release_all = {"cases": [{"case_reference": case, "free_text": "release"}]}
    assert request_step(staff, reference, "review", 1, release_all)[0] == 200
    status, answer = request_step(staff, reference, "release", 2, query={"format": "pdf"})
    assert status == 200 and answer["pdf"].startswith(b"%PDF")
    status, answer = receive_request(staff, date(2999, 1, 1))
    assert status == 422 and answer["errors"][0]["field"] == "received_on"
