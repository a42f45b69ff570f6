"""The due-work sweep through its scheduled handler, against moto: a month of days, as of each."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from types import ModuleType
from typing import Any

import boto3

from asb.case.targets import local_day, no_activity_due
from asb.dynamo.codec import from_item
from asb.policy.working_days import add_working_days
from tests.conftest import LambdaContext, sample_event
from tests.integration.helpers import (
    EVENT_FIELDS,
    Staff,
    case_partition,
    queue_delivery,
    report_and_triage,
)
from tests.integration.test_daily_digest import sent_emails


def test_a_month_of_sweeps_acts_on_exactly_what_falls_due(
    load_handler: Callable[[str], ModuleType], aws: Any
) -> None:
    intake, triage, reviews = (load_handler(f"{n}Function")
                               for n in ("Intake", "Triage", "ReviewSweep"))
    table = str(aws.ref("CasesTable"))
    reference = report_and_triage(intake, triage, table)  # category B, standard risk

    today = local_day(datetime.now(UTC))
    days = [datetime.combine(today + timedelta(days=n), time(9, 15), UTC) for n in range(1, 36)]

    def run_month() -> Counter[str]:
        raised: Counter[str] = Counter()
        for day in days:
            event = {**sample_event("review_sweep-scheduled"),
                     "scheduled_time": day.strftime("%Y-%m-%dT%H:%M:%SZ")}
            answer = reviews.lambda_handler(event, LambdaContext())
            raised.update(answer["events"])
        return raised

    raised = run_month()
    first_contact = add_working_days(today, 3)
    contacts, due = 0, add_working_days(first_contact, 10)
    while due < days[-1].date():  # a sweep after each due day's 17:00
        contacts += 1
        due = add_working_days(due, 10)
    case = next(i for i in case_partition(table, reference) if i["sk"] == "CASE")
    quiet = int(no_activity_due(datetime.fromisoformat(case["updated_at"])) < days[-1])
    assert raised == {"FirstContactOverdue": 1, "ContactDue": contacts, "PlanReviewDue": 1,
                      "NoRecentActivity": quiet}
    assert quiet == 1  # a month without anyone touching the case
    assert run_month() == Counter()  # the same month again: nothing more to do

    kinds = {i["kind"]: i.get("due_kind") for i in case_partition(table, reference)
             if i["entity"] == "Task"}
    assert kinds["FIRST_CONTACT"] == "FIRST_CONTACT:escalated"
    assert kinds["PLAN_REVIEW"] == "PLAN_REVIEW:escalated"
    events = Counter(i["type"] for i in case_partition(table, reference)
                     if i["entity"] == "Event")
    assert events["ContactDue"] == contacts


def test_an_overdue_subject_access_request_is_escalated_to_the_dpo_and_managers_once(
    load_handler: Callable[[str], ModuleType], aws: Any
) -> None:
    protection, reviews, notifications = (load_handler(f"{n}Function") for n in (
        "DataProtection", "ReviewSweep", "Notification"))
    table = str(aws.ref("CasesTable"))
    received_on = date(2026, 1, 31)  # due 28 February 2026, the last day of the month
    event = sample_event("data_protection-receive-subject-access-request")
    event["body"] = json.dumps({**json.loads(event["body"]),
                                "received_on": received_on.isoformat()})
    answer = protection.lambda_handler(event, LambdaContext())
    assert answer["statusCode"] == 201
    reference = json.loads(answer["body"])["request"]["reference"]

    def sweep(at: str) -> dict[str, int]:
        run = {**sample_event("review_sweep-scheduled"), "scheduled_time": at}
        return dict(reviews.lambda_handler(run, LambdaContext())["events"])

    assert sweep("2026-02-28T23:45:00Z") == {}  # due that day: not yet overdue
    assert sweep("2026-03-01T00:00:00Z") == {"SubjectAccessOverdue": 1}
    assert sweep("2026-03-01T00:15:00Z") == {}  # escalated once
    items = boto3.client("dynamodb").query(
        TableName=table, KeyConditionExpression="pk = :pk",
        ExpressionAttributeValues={":pk": {"S": f"SUBJECTACCESS#{reference}"}})["Items"]
    stored = [from_item(i) for i in items]
    request = next(i for i in stored if i["entity"] == "SubjectAccessRequest")
    assert request["due_kind"] == "SUBJECT_ACCESS:escalated"
    (overdue,) = [{k: i[k] for k in EVENT_FIELDS} for i in stored if i["entity"] == "Event"]
    assert overdue["type"] == "SubjectAccessOverdue" and overdue["case_reference"] == reference

    delivery = queue_delivery("notifications-case-triaged", overdue)
    for _ in range(2):  # a redelivery sends nothing twice
        assert notifications.lambda_handler(delivery, LambdaContext()) == {
            "batchItemFailures": []}
    mails = sent_emails()
    assert sorted(m.destinations["ToAddresses"][0] for m in mails) == [
        "asb-managers@example.org", "dpo@example.org"]
    assert all(reference in m.body and "Saturday 28 February 2026" in m.body for m in mails)
    status, listed = protection_list(protection)
    assert status == 200 and listed["overdue"] == 1  # the DPO's page says so too


def protection_list(protection: ModuleType) -> tuple[int, dict[str, Any]]:
    answer = protection.lambda_handler(
        sample_event("data_protection-open-subject-access-requests"), LambdaContext())
    return answer["statusCode"], json.loads(answer["body"])


def test_the_overdue_list_shows_exactly_what_a_later_sweep_escalated(
    load_handler: Callable[[str], ModuleType], aws: Any
) -> None:
    # `make tick AT=` runs the sweeps as of a later time than the staff API's clock: what they
    # escalated is overdue until it is done, whatever the clock reading the list says.
    handlers = {name: load_handler(f"{name}Function")
                for name in ("Intake", "Triage", "CaseQueries", "ReviewSweep")}
    table = str(aws.ref("CasesTable"))
    staff = Staff(handlers, table)
    made = {staff.open_case("1 Quarry Road, Yeovil"),
            staff.open_case("2 Quarry Road, Yeovil", ["threats"])}
    a_week_on = datetime.now(UTC) + timedelta(days=7)
    status, before = staff.call("case_queries-list-team", query={"overdue": "true"})
    assert (status, before["overdue"]) == (200, [])

    run = {**sample_event("review_sweep-scheduled"),
           "scheduled_time": a_week_on.strftime("%Y-%m-%dT%H:%M:%SZ")}
    swept = handlers["ReviewSweep"].lambda_handler(run, LambdaContext())
    escalations = {"FirstContactOverdue", "EmergencyConsiderationOverdue", "PlanReviewDue"}
    escalated = sum(n for kind, n in swept["events"].items() if kind in escalations)
    assert escalated >= 3  # each case's first contact, and the emergency's consideration

    for who in (("o.hughes", "officer", "yeovil"), ("m.jones", "manager", "yeovil")):
        status, listed = staff.call("case_queries-list-team", query={"overdue": "true"},
                                    who=who)
        assert status == 200
        assert {t["case_reference"] for t in listed["overdue"]} == made
        assert len(listed["overdue"]) == escalated
    tasks = {(i["case_reference"], i["kind"]) for r in made for i in case_partition(table, r)
             if str(i.get("due_kind", "")).endswith(":escalated")}
    assert {(t["case_reference"], t["kind"]) for t in listed["overdue"]} == tasks
