"""Triage through its SQS handler, with the sample event, against moto."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime
from types import ModuleType
from typing import Any

import boto3
import pytest

from asb.case.homes import Home
from asb.case.targets import end_of_day, local_day, long_date
from asb.dynamo.codec import from_item
from asb.policy.config import POLICY_VERSION
from asb.policy.working_days import add_working_days
from tests.conftest import LambdaContext, sample_event
from tests.integration.helpers import Staff, case_of_report, case_partition
from tests.landlords_homes import FLAT_4, NUMBER_12, NUMBER_14, living_at


@pytest.fixture
def triage(load_handler: Callable[[str], ModuleType]) -> ModuleType:
    return load_handler("TriageFunction")


def report(intake: ModuleType, name: str = "intake-valid-json",
           change: Callable[[dict[str, Any]], None] | None = None) -> tuple[str, str]:
    event = sample_event(name)
    event["headers"].pop("Idempotency-Key", None)
    if change:
        data = json.loads(event["body"])
        change(data)
        event["body"] = json.dumps(data)
    answer = intake.lambda_handler(event, LambdaContext())
    assert answer["statusCode"] == 201, answer["body"]
    return json.loads(answer["body"])["reference"], ""


def received_events(table: str, reference: str) -> list[dict[str, Any]]:
    return [i for i in case_partition(table, reference)
            if i["entity"] == "Event" and i["type"] == "ReportReceived"]


def sqs_event_for(table: str, reference: str) -> dict[str, Any]:
    """The sample SQS event, carrying the ReportReceived events this case's reports raised."""
    event = sample_event("triage-report-received")
    template = event["Records"][0]
    records = []
    for n, stored in enumerate(received_events(table, reference)):
        body = {k: stored[k] for k in ("event_id", "type", "case_reference", "occurred_at",
                                       "detail", "schema_version")}
        records.append({**template, "messageId": f"{template['messageId'][:-2]}{n:02d}",
                        "body": json.dumps(body)})
    event["Records"] = records[-1:]
    return event


def case_of(table: str, reference: str) -> dict[str, Any]:
    return next(i for i in case_partition(table, reference) if i["sk"] == "CASE")


def outbox(table: str, reference: str) -> list[str]:
    return sorted(i["type"] for i in case_partition(table, reference) if i["entity"] == "Event")


def due_work(table: str, kind: str) -> list[dict[str, Any]]:
    answer = boto3.client("dynamodb").query(
        TableName=table, IndexName="DueWork", KeyConditionExpression="due_kind = :k",
        ExpressionAttributeValues={":k": {"S": kind}})
    return [from_item(i) for i in answer["Items"]]


def test_a_report_is_triaged_with_category_risk_targets_and_tasks(
    intake: ModuleType, triage: ModuleType, table: str
) -> None:
    reference, _ = report(intake)
    assert "policy_version" not in case_of(table, reference)  # the item as before, untriaged
    answer = triage.lambda_handler(sqs_event_for(table, reference), LambdaContext())
    assert answer == {"batchItemFailures": []}
    case = case_of(table, reference)
    assert (case["status"], case["category"], case["emergency"]) == ("triaged", "B", False)
    assert case["policy_version"] == POLICY_VERSION == "magna-2026.1"  # the rules it decided by
    assert case["risk"]["level"] == "standard"
    assert [r["question"] for r in case["risk"]["reasons"]] == ["repeat_victimisation",
                                                               "health_affected"]
    assert (case["officer"], case["team"]) == ("o.hughes", "yeovil")
    today = local_day(datetime.now(UTC))
    assert case["targets"]["first_contact_due"] == add_working_days(today, 3).isoformat()
    assert case["version"] == 2
    first_contact = due_work(table, "FIRST_CONTACT")
    assert [t["case_reference"] for t in first_contact] == [reference]
    assert first_contact[0]["due_at"] == end_of_day(add_working_days(today, 3)).isoformat()
    assert {t["kind"] for k in ("CUSTOMER_CONTACT", "PLAN_REVIEW") for t in due_work(table, k)} == {
        "CUSTOMER_CONTACT", "PLAN_REVIEW"}
    assert outbox(table, reference) == ["CaseTriaged", "ReportReceived"]
    audit = [i for i in case_partition(table, reference) if i.get("action") == "CaseTriaged"]
    assert audit[0]["before"]["status"] == "new" and audit[0]["after"]["category"] == "B"
    assert audit[0]["after"]["policy_version"] == "magna-2026.1"


def test_a_redelivered_message_changes_nothing(
    intake: ModuleType, triage: ModuleType, table: str
) -> None:
    reference, _ = report(intake)
    event = sqs_event_for(table, reference)
    triage.lambda_handler(event, LambdaContext())
    before = case_partition(table, reference)
    assert triage.lambda_handler(event, LambdaContext()) == {"batchItemFailures": []}
    assert case_partition(table, reference) == before


def test_threats_and_harassment_make_an_emergency_with_a_same_day_task(
    intake: ModuleType, triage: ModuleType, table: str
) -> None:
    def threatened(data: dict[str, Any]) -> None:
        data["incident"]["behaviours"] = ["harassment", "threats"]
        data["harm"]["feels_unsafe"] = True

    reference, _ = report(intake, change=threatened)
    triage.lambda_handler(sqs_event_for(table, reference), LambdaContext())
    case = case_of(table, reference)
    assert (case["category"], case["emergency"]) == ("A", True)
    assert case["emergency_reasons"] == ["harassment reported", "threats reported",
                                        "the risk assessment is high"]
    assert outbox(table, reference) == ["CaseTriaged", "EmergencyRaised", "ReportReceived"]
    (task,) = due_work(table, "EMERGENCY_LEGAL_CONSIDERATION")
    assert datetime.fromisoformat(task["due_at"]).date() == datetime.now(UTC).date()


def test_a_further_report_joins_the_case_and_re_triages_it(
    intake: ModuleType, triage: ModuleType, table: str, homes: str
) -> None:
    def about_number_14(data: dict[str, Any]) -> None:
        data["perpetrator"] = living_at(NUMBER_14)

    reference, _ = report(intake, change=about_number_14)
    triage.lambda_handler(sqs_event_for(table, reference), LambdaContext())

    def neighbour_threatened(data: dict[str, Any]) -> None:
        about_number_14(data)
        data["reporter"]["email"] = "neighbour@example.org"
        data["location"]["address"] = "16 Orchard Close, Yeovil"
        data["incident"]["behaviours"] = ["threats"]

    again, _ = report(intake, change=neighbour_threatened)
    # The same tenancy, chosen from the landlord's homes: the same matter, under the report's
    # own reference.
    assert again != reference and case_of_report(table, again) == reference
    triage.lambda_handler(sqs_event_for(table, reference), LambdaContext())
    case = case_of(table, reference)
    assert case["report_count"] == 2 and case["version"] == 3
    assert (case["category"], case["emergency"]) == ("A", True)
    assert sorted(case["behaviours"]) == ["noise", "threats", "verbal_abuse"]
    first_contact = due_work(table, "FIRST_CONTACT")
    assert len(first_contact) == 1  # brought forward, not duplicated
    today = local_day(datetime.now(UTC))
    assert first_contact[0]["due_at"] == end_of_day(add_working_days(today, 1)).isoformat()


def complaint_by(email: str, behaviours: list[str], address: str = "12 Orchard Close, Yeovil",
                 home: Home = NUMBER_14) -> Callable[[dict[str, Any]], None]:
    """A report by `email` about the place at `address` and the person living at `home` (one
    of the landlord's), of behaviour that happened today."""
    def change(data: dict[str, Any]) -> None:
        data["reporter"]["email"] = email
        data["location"]["address"] = address
        data["perpetrator"] = living_at(home)
        data["incident"].update(behaviours=behaviours, first_occurred=None,
                                last_occurred=local_day(datetime.now(UTC)).isoformat())
    return change


def case_handling(table: str, reference: str) -> str:
    """The case a reporter's reference leads to: a report that joined a case has its own."""
    item = boto3.client("dynamodb").get_item(TableName=table, Key={
        "pk": {"S": f"REPORTREF#{reference}"}, "sk": {"S": "REPORTREF"}}).get("Item")
    return str(from_item(item)["case_reference"]) if item else reference


def complain(intake: ModuleType, triage: ModuleType, table: str,
             change: Callable[[dict[str, Any]], None]) -> str:
    """A report through intake and triage; the reference of the case that handles it."""
    reference = case_handling(table, report(intake, change=change)[0])
    triage.lambda_handler(sqs_event_for(table, reference), LambdaContext())
    return reference


def threshold_met(table: str, reference: str) -> list[dict[str, Any]]:
    return [i["detail"] for i in case_partition(table, reference)
            if i["entity"] == "Event" and i["type"] == "CaseReviewThresholdMet"]


def test_three_people_complaining_about_one_cases_behaviour_meet_the_case_review_threshold(
    intake: ModuleType, triage: ModuleType, table: str, homes: str
) -> None:
    """s104(4): three qualifying complaints about the behaviour, by anyone."""
    raised, references = [], set()
    for neighbour in ("a@example.org", "b@example.org", "c@example.org"):
        reference = complain(intake, triage, table, complaint_by(neighbour, ["intimidation"]))
        references.add(reference)
        raised.append(bool(threshold_met(table, reference)))
    assert len(references) == 1 and raised == [False, False, True]
    (detail,) = threshold_met(table, references.pop())
    assert detail["reasons"] == [
        "3 qualifying complaints about this behaviour in the 6 months before "
        f"{long_date(local_day(datetime.now(UTC)))}"]


def test_one_persons_complaints_about_different_matters_do_not_count_together(
    intake: ModuleType, triage: ModuleType, table: str, homes: str
) -> None:
    raised = []
    for n, home in enumerate((NUMBER_12, NUMBER_14, FLAT_4)):
        reference = complain(intake, triage, table, complaint_by(
            "alex.morgan@example.org", ["harassment"], f"{n + 1} Different Street, Yeovil",
            home))
        raised.append(bool(threshold_met(table, reference)))
    assert raised == [False, False, False]


def test_complaints_of_nuisance_alone_do_not_meet_the_case_review_threshold(
    intake: ModuleType, triage: ModuleType, table: str, homes: str
) -> None:
    for n in range(5):  # five people about one place: the old local rule's threshold
        reference = complain(intake, triage, table,
                             complaint_by(f"{n}@example.org", ["noise", "drug_use"]))
    assert threshold_met(table, reference) == []
    assert case_of(table, reference)["report_count"] == 5


def test_the_closed_case_of_the_same_matter_counts_towards_the_threshold(
    intake: ModuleType, triage: ModuleType, table: str, staff: Staff, homes: str
) -> None:
    for neighbour in ("a@example.org", "b@example.org"):
        closed = complain(intake, triage, table, complaint_by(neighbour, ["threats"]))
    assert threshold_met(table, closed) == []
    closure = {"outcome": "resolved", "reasons": "The warning worked; no reports for a while."}
    assert staff.write(closed, "closure", closure)[0] == 200

    again = complain(intake, triage, table, complaint_by("c@example.org", ["threats"]))
    assert again != closed and case_of(table, again)["linked_to"] == closed
    (detail,) = threshold_met(table, again)
    assert detail["reasons"][0].startswith("3 qualifying complaints about this behaviour")


def test_a_malformed_message_is_reported_as_failed_and_the_rest_go_on(
    triage: ModuleType,
) -> None:
    event = sample_event("triage-malformed-message")
    answer = triage.lambda_handler(event, LambdaContext())
    assert answer == {"batchItemFailures": [{"itemIdentifier": event["Records"][0]["messageId"]}]}
