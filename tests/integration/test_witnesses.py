"""Witnesses through the staff handlers and moto (issue 23, item 2), from the events/ samples:
a witness added keeps a contact schedule of their own on the DueWork index; their statement
and needs are stored and answered on the case; a contact naming them moves their schedule on;
a statement without its day is a 422 naming made_on with nothing stored; other teams and the DPO
are refused; unlinking them takes their schedule off the index; the case's overdue list shows
it once late; a court bundle takes their statement, redacted."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from types import ModuleType
from typing import Any

import boto3
import pytest

from asb.case.retention import ERASED
from asb.case.targets import end_of_day, local_day
from asb.case.tasks import WITNESS_CONTACT
from asb.dynamo.codec import from_item
from asb.kernel.clock import FixedClock
from asb.policy.config import WITNESS_CONTACT_EVERY_WORKING_DAYS
from asb.policy.working_days import add_working_days
from tests.conftest import LambdaContext, sample_event
from tests.integration.helpers import Staff, case_partition
from tests.integration.test_court_bundles import a_listed_injunction, bucket_objects, make
from tests.integration.test_data_protection import access
from tests.integration.test_retention import sweep
from tests.pdfs import text_lines

SAM = {"name": "Sam Lee", "email": "sam.lee@example.org", "phone": "07700 900999"}


@pytest.fixture
def clock(staff: Staff, monkeypatch: pytest.MonkeyPatch) -> FixedClock:
    """The staff functions' clock, moved on by the test (intake and triage run on the real one)."""
    moved = FixedClock(datetime.now(UTC))
    for name in ("CaseWork", "CaseQueries"):
        monkeypatch.setattr(staff.handlers[name].service, "_clock", moved)
    return moved


def send(staff: Staff, sample: str, reference: str, party_id: str, body: Any = None,
         who: tuple[str, str, str] = ("o.hughes", "officer", "yeovil"),
         version: int | None = None, tail: str = "") -> tuple[int, dict[str, Any]]:
    """One of the witness routes, from its own sample event, at the case's version."""
    if version is None:
        version = staff.get(reference, who=("m.jones", "manager", "yeovil"))[1]["case"]["version"]
    event = copy.deepcopy(sample_event(sample))
    event["path"] = event["path"].replace("ASB-2026-000001", reference).replace(
        event["pathParameters"]["party_id"], party_id) + tail
    event["pathParameters"] = {"reference": reference, "party_id": party_id}
    if body is not None:
        event["body"] = json.dumps(body)
    event["headers"]["If-Match"] = f'"{version}"'
    event["multiValueHeaders"]["If-Match"] = [f'"{version}"']
    event["requestContext"]["authorizer"]["claims"].update(
        {"cognito:username": who[0], "cognito:groups": who[1], "custom:team": who[2]})
    answer = staff.handlers["CaseWork"].lambda_handler(event, LambdaContext())
    return answer["statusCode"], json.loads(answer["body"] or "{}")


def a_witness(staff: Staff) -> tuple[str, str]:
    reference = staff.open_case()
    status, answer = staff.write(reference, "parties", {"roles": ["witness"], "person": SAM})
    assert status == 200, answer
    case = staff.get(reference)[1]
    (party,) = [p for p in case["parties"] if "witness" in p["roles"]]
    return reference, party["party_id"]


def stored(staff: Staff, reference: str) -> list[dict[str, Any]]:
    """The case's items but the audit entries of its reads."""
    return [i for i in case_partition(staff.table, reference) if i["entity"] != "AuditEntry"]


def on_the_index(table: str, kind: str) -> list[dict[str, Any]]:
    answer = boto3.client("dynamodb").query(
        TableName=table, IndexName="DueWork", KeyConditionExpression="due_kind = :k",
        ExpressionAttributeValues={":k": {"S": kind}})
    return [from_item(i) for i in answer["Items"]]


def test_a_witness_has_a_schedule_a_statement_and_needs_shown_on_the_case(staff: Staff) -> None:
    reference, party_id = a_witness(staff)
    (due,) = [i for i in on_the_index(staff.table, WITNESS_CONTACT)
              if i["case_reference"] == reference]
    assert due["sk"] == f"DEADLINE#witness.{party_id}" and due["officer"] == "o.hughes"

    status, answer = send(staff, "case_work-record-witness-statement", reference, party_id)
    assert status == 200, answer
    status, answer = send(staff, "case_work-record-witness-needs", reference, party_id)
    assert status == 200, answer

    status, case = staff.get(reference)
    (witness,) = case["witnesses"]
    assert witness["party_id"] == party_id and witness["active"] is True
    (statement,) = witness["statements"]
    assert statement["made_on"] == "2026-12-01" and statement["signed"] is True
    assert statement["signed_on"] == "2026-12-01" and statement["taken_by"] == "o.hughes"
    assert statement["willing_to_attend_court"] is True
    assert witness["needs"]["special_measures"] == ["screens"]
    assert witness["contact_every_working_days"] == 5
    today = local_day(datetime.now(UTC))
    assert witness["next_contact_due"] == add_working_days(today, 5).isoformat()
    actions = [i["action"] for i in case_partition(staff.table, reference)
               if i["entity"] == "AuditEntry"]
    assert {"WitnessStatementRecorded", "WitnessNeedsRecorded"} <= set(actions)
    audits = [i for i in case_partition(staff.table, reference) if i["entity"] == "AuditEntry"]
    assert not any("kick" in json.dumps(a, default=str) for a in audits)


def test_a_statement_without_its_day_is_refused_and_nothing_is_stored(staff: Staff) -> None:
    reference, party_id = a_witness(staff)
    before = stored(staff, reference)
    status, answer = send(staff, "case_work-record-witness-statement", reference, party_id,
                          body={"text": "I saw him kick the door of number 12."})
    assert status == 422
    assert [e["field"] for e in answer["errors"]] == ["made_on"]
    assert stored(staff, reference) == before


@pytest.mark.parametrize(("body", "field"), [
    ({"made_on": "2026-12-01"}, "text"),
    ({"made_on": "2026-12-01", "text": "I saw him kick the door.", "signed": True},
     "signed_on"),
    ({"made_on": "2026-12-01", "evidence_id": "no-such-file"}, "evidence_id"),
])
def test_a_statement_that_cannot_be_right_is_a_422_naming_it(
        staff: Staff, body: dict[str, Any], field: str) -> None:
    reference, party_id = a_witness(staff)
    before = stored(staff, reference)
    status, answer = send(staff, "case_work-record-witness-statement", reference, party_id, body)
    assert status == 422, answer
    assert [e["field"] for e in answer["errors"]] == [field]
    assert stored(staff, reference) == before


def test_other_teams_and_the_dpo_are_refused(staff: Staff) -> None:
    reference, party_id = a_witness(staff)
    for who, expected in ((("k.evans", "officer", "taunton"), 404),
                          (("d.price", "dpo", ""), 403)):
        for sample in ("case_work-record-witness-statement", "case_work-record-witness-needs"):
            status, _ = send(staff, sample, reference, party_id, who=who)
            assert status == expected, (who, sample)
    assert staff.get(reference)[1]["witnesses"][0]["statements"] == []


def test_a_perpetrators_statement_is_refused_in_words(staff: Staff) -> None:
    reference = staff.open_case()
    case = staff.get(reference)[1]
    perpetrator = next(p for p in case["parties"] if "alleged_perpetrator" in p["roles"])
    status, answer = send(staff, "case_work-record-witness-statement", reference,
                          perpetrator["party_id"])
    assert status == 409 and "witness" in answer["message"]


def test_a_contact_naming_the_witness_moves_their_schedule_and_unlinking_ends_it(
        staff: Staff, clock: FixedClock) -> None:
    reference, party_id = a_witness(staff)
    later = clock.at = datetime.now(UTC) + timedelta(days=14)
    status, answer = staff.write(reference, "contacts", {
        "channel": "phone", "with_whom": "witness", "party_id": party_id,
        "summary": "Still willing to give evidence; told her the hearing date."})
    assert status == 200, answer
    expected = add_working_days(local_day(later), WITNESS_CONTACT_EVERY_WORKING_DAYS)
    (due,) = [i for i in on_the_index(staff.table, WITNESS_CONTACT)
              if i["case_reference"] == reference]
    assert due["due_at"] == end_of_day(expected).isoformat()
    assert staff.get(reference)[1]["witnesses"][0]["next_contact_due"] == expected.isoformat()

    status, answer = staff.write(reference, "contacts", {
        "channel": "phone", "with_whom": "witness", "party_id": "not-a-party",
        "summary": "Wrong person."})
    assert status == 422 and [e["field"] for e in answer["errors"]] == ["party_id"]

    status, answer = staff.write(reference, f"parties/{party_id}/unlinking",
                                 {"reason": "Moved away; will not give evidence."})
    assert status == 200, answer
    assert not [i for i in on_the_index(staff.table, WITNESS_CONTACT)
                if i["case_reference"] == reference]
    assert staff.get(reference)[1]["witnesses"] == []


def test_a_witness_contact_is_overdue_only_after_its_day(staff: Staff, clock: FixedClock) -> None:
    reference, _ = a_witness(staff)
    due = next(i for i in on_the_index(staff.table, WITNESS_CONTACT)
               if i["case_reference"] == reference)

    def overdue_kinds() -> set[tuple[str, str, bool]]:
        status, answer = staff.call("case_queries-list-team", query={"overdue": "true"})
        assert status == 200, answer
        return {(w["case_reference"], w["kind"], w["overdue"]) for w in answer["overdue"]}

    clock.at = datetime.fromisoformat(due["due_at"]) - timedelta(minutes=1)
    assert not [k for k in overdue_kinds() if k[:2] == (reference, WITNESS_CONTACT)]
    clock.at = datetime.fromisoformat(due["due_at"]) + timedelta(minutes=1)
    assert (reference, WITNESS_CONTACT, True) in overdue_kinds()


def test_a_statement_goes_into_the_court_bundle_redacted_and_retention_erases_it(
        staff: Staff, load_handler: Callable[[str], ModuleType]) -> None:
    reference, party_id = a_witness(staff)
    status, answer = send(staff, "case_work-record-witness-statement", reference, party_id, {
        "made_on": local_day(datetime.now(UTC)).isoformat(),
        "text": "I, Sam Lee, saw him kick the door; call me on 07700 900999.",
        "signed": True, "signed_on": local_day(datetime.now(UTC)).isoformat()})
    assert status == 200, answer
    statement_id = staff.get(reference)[1]["witnesses"][0]["statements"][0]["record_id"]
    measure_id, hearing_id = a_listed_injunction(staff, reference)

    status, made = make(load_handler("CourtBundlesFunction"), reference, measure_id, {
        "hearing_id": hearing_id, "items": [{"kind": "witness_statement", "id": statement_id}]})
    assert status == 200, made
    (exhibit,) = made["exhibits"]
    assert exhibit["what"] == "Witness statement of [Witness A]"
    (pdf,) = bucket_objects(f"bundles/{reference}/").values()
    text = "\n".join(text_lines(pdf))
    assert "Witness statement of [Witness A]" in text and "Signed on" in text
    for personal in ("Sam Lee", "Sam", "07700 900999"):
        assert personal not in text, personal

    # Closed, and past retention: the statement's words are erased, its facts kept.
    measure = f"measures/{measure_id}/steps"
    assert staff.write(reference, measure, {
        "step": "withdrawn", "note": "He moved out: no longer proportionate."})[0] == 200
    assert staff.write(reference, "closure", {
        "outcome": "resolved", "reasons": "No reports since the hearing in court."})[0] == 200
    keep_until = date.fromisoformat(staff.get(reference)[1]["case"]["retain_until"])
    assert sweep(load_handler("RetentionFunction"), keep_until) == [reference]
    (kept,) = [i for i in case_partition(staff.table, reference)
               if i["entity"] == "WitnessStatement"]
    assert kept["text"] == ERASED and kept["signed"] is True and kept["party_id"] == party_id


def test_subject_access_gives_the_witness_their_own_statement_and_needs(staff: Staff) -> None:
    reference, party_id = a_witness(staff)
    assert send(staff, "case_work-record-witness-statement", reference, party_id)[0] == 200
    assert send(staff, "case_work-record-witness-needs", reference, party_id)[0] == 200

    status, body = access(staff, {"email": SAM["email"]})
    assert status == 200, body
    (place,) = body["your_places_in_cases"]
    assert place["case_reference"] == reference and place["your_roles"] == ["witness"]
    (statement,) = place["your_witness_statements"]
    assert statement["made_on"] == "2026-12-01" and statement["signed"] is True
    assert "kick the door of number 12" in statement["what_you_said"]
    assert place["your_needs_as_a_witness"]["special_measures"] == [
        "Screens, so they need not see the respondent (YJCEA 1999 s23)"]
    # The sample report's reporter and the alleged perpetrator are not in the witness's part.
    assert "Alex Morgan" not in json.dumps(place)
