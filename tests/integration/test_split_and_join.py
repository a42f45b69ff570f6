"""Splitting a report out into its own case and joining two cases (issue 21, item 4), through
the staff handlers, intake, triage and the tracking page on moto: the reporter's link keeps
working and shows the same, each case's audit says why, NM01 counts a joined case once."""

from __future__ import annotations

import copy
from collections.abc import Callable
from types import ModuleType
from typing import Any

import pytest

from tests.conftest import LambdaContext, sample_event
from tests.integration.helpers import (
    Staff,
    case_of_report,
    case_partition,
    outbox_events,
    queue_delivery,
)
from tests.integration.test_tracking import about_number_14, get, post, report, text_of

MANAGER = ("m.jones", "manager", "yeovil")
PLAN = {"landlord_actions": ["Write to the tenant at number 14"],
        "customer_actions": ["Keep a diary of the music at night"],
        "contact_channel": "phone", "contact_every_working_days": 5,
        "review_on": "2027-01-15", "customer_agreed": True}


@pytest.fixture
def tracking(load_handler: Callable[[str], ModuleType]) -> ModuleType:
    return load_handler("TrackingFunction")


def regroup(staff: Staff, sample: str, reference: str, body: dict[str, Any],
            version: int | None = None,
            who: tuple[str, str, str] = ("o.hughes", "officer", "yeovil")) -> tuple[int, Any]:
    if version is None:
        version = staff.get(reference, who=MANAGER)[1]["case"]["version"]
    event = copy.deepcopy(sample_event(sample))
    route = event["path"].rsplit("/", 1)[1]
    return staff.call(sample, path=f"/cases/{reference}/{route}", body=body,
                      if_match=f'"{version}"', who=who, reference=reference)


def stranger(data: dict[str, Any]) -> None:  # about the same home: joins the same case
    about_number_14(data)
    data["reporter"].update(name="Sam Stranger", email="sam@example.org")


def audit(table: str, reference: str, action: str) -> list[dict[str, Any]]:
    return [i for i in case_partition(table, reference)
            if i["entity"] == "AuditEntry" and i["action"] == action]


def triage(staff: Staff, reference: str) -> None:
    (received,) = outbox_events(staff.table, reference, "ReportReceived")
    assert staff.handlers["Triage"].lambda_handler(
        queue_delivery("triage-report-received", received), LambdaContext()) == {
        "batchItemFailures": []}


def test_a_split_out_report_is_a_new_triaged_case_and_its_link_shows_the_same(
        staff: Staff, tracking: ModuleType, homes: str) -> None:
    first, _ = report(staff, about_number_14)
    joined, secret = report(staff, stranger)
    assert post(tracking, f"/track/{joined}/diary-entries", {
        "secret": secret, "occurred_on": "2026-11-20",
        "what_happened": "Music again until three in the morning."})["statusCode"] == 303
    before = text_of(get(tracking, f"/track/{joined}", {"secret": secret})["body"])
    report_id = next(r["report_id"] for r in staff.get(first)[1]["people"]
                     if r.get("reference") == joined)

    status, answer = regroup(staff, "case_work-split-report", first, {
        "report_id": report_id, "reason": "Sam's complaint is about a different flat"})
    assert status == 200, answer
    new = answer["other"]["reference"]
    assert new not in (first, joined) and answer["other"]["status"] == "new"
    triage(staff, new)  # the new case is triaged like a new report

    # The reporter's reference and link follow their report, and show what they showed.
    assert case_of_report(staff.table, joined) == new
    after = get(tracking, f"/track/{joined}", {"secret": secret})
    assert after["statusCode"] == 200
    assert text_of(after["body"]) == before
    assert "Music again" in text_of(after["body"])
    # The old case: one report fewer, the report off its timeline, the split audited.
    old = staff.get(first)[1]
    assert old["case"]["report_count"] == 1
    assert [e["detail"]["reference"] for e in old["timeline"] if e["kind"] == "report"] == [first]
    (split,) = audit(staff.table, first, "ReportSplitOut")
    assert split["after"]["to"] == new and "different flat" in split["after"]["reason"]
    (opened,) = audit(staff.table, new, "CaseOpened")
    assert opened["after"]["split_from"] == first and opened["actor"] == "staff:o.hughes"
    # The new case: its report, its reporter's party, their diary entry; triaged.
    case = staff.get(new)[1]
    assert case["case"]["status"] == "triaged" and case["case"]["split_from"] == first
    assert [e["detail"]["reference"] for e in case["timeline"] if e["kind"] == "report"] == [joined]
    assert any(e["kind"] == "diary" and "Music again" in str(e["detail"]) for e in case["timeline"])
    assert all(p["report_id"] == report_id for p in case["parties"] if p.get("report_id"))
    assert not any(p.get("report_id") == report_id for p in old["parties"])
    assert staff.get(joined)[1]["case"]["reference"] == new


def test_the_report_that_opened_the_case_stays_and_a_stale_version_is_refused(
        staff: Staff, homes: str) -> None:
    first, _ = report(staff, about_number_14)
    report(staff, stranger)
    case = staff.get(first)[1]
    opening = next(r["report_id"] for r in case["people"] if r.get("reference") == first)
    status, answer = regroup(staff, "case_work-split-report", first, {
        "report_id": opening, "reason": "Trying to split the first report"})
    assert status == 409 and "stays" in answer["message"]
    other = next(r["report_id"] for r in case["people"] if r.get("reference") != first)
    status, _ = regroup(staff, "case_work-split-report", first, {
        "report_id": other, "reason": "Split with a stale version"},
        version=case["case"]["version"] - 1)
    assert status == 412
    status, answer = regroup(staff, "case_work-split-report", first, {
        "report_id": "no-such-report", "reason": "A report that is not there"})
    assert status == 422 and answer["errors"][0]["field"] == "report_id"
    assert staff.get(first)[1]["case"]["version"] == case["case"]["version"]  # nothing stored


def figures(staff: Staff) -> dict[str, Any]:
    status, answer = staff.call("case_queries-figures", query={"year": "2026"}, who=MANAGER)
    assert status == 200, answer
    return answer


def test_a_joined_case_counts_once_and_its_reporters_link_still_works(
        staff: Staff, tracking: ModuleType) -> None:
    first, _ = report(staff)

    def elsewhere(data: dict[str, Any]) -> None:
        data["reporter"].update(name="Jo Neighbour", email="jo.neighbour@example.org")
        data["location"]["address"] = "3 Mill Lane, Yeovil"

    second, secret = report(staff, elsewhere)
    first_case, second_case = case_of_report(staff.table, first), case_of_report(staff.table,
                                                                                 second)
    assert first_case != second_case
    opened = figures(staff)["cases_opened"]
    before = text_of(get(tracking, f"/track/{second}", {"secret": secret})["body"])
    version = staff.get(second_case, who=MANAGER)[1]["case"]["version"]

    status, answer = regroup(staff, "case_work-join-cases", first_case, {
        "case_reference": second_case, "case_version": version,
        "reason": "The same household at number 14: one matter"})
    assert status == 200, answer
    assert answer["other"] == {"reference": second_case, "version": version + 1,
                               "status": "closed"}
    assert figures(staff)["cases_opened"] == opened - 1
    # The joined case's reporter still opens their page, which reads the case it is on now.
    page = get(tracking, f"/track/{second}", {"secret": secret})
    assert page["statusCode"] == 200 and text_of(page["body"]) == before
    grown = staff.get(first_case)[1]
    assert grown["case"]["report_count"] == 2 and grown["case"]["joined_from"] == [second_case]
    joined = staff.get(second_case)[1]["case"]
    assert joined["status"] == "closed" and joined["joined_into"] == first_case
    # Audited on both cases with the reason; an outbox event each; its own history kept.
    assert audit(staff.table, first_case, "CaseJoined")[0]["after"]["joined_from"] == second_case
    assert "one matter" in audit(staff.table, second_case, "CaseJoinedInto")[0]["after"]["reason"]
    assert outbox_events(staff.table, first_case, "CasesJoined")
    assert outbox_events(staff.table, second_case, "CaseJoinedInto")
    assert audit(staff.table, second_case, "CaseOpened")


def test_each_complainant_is_sent_and_shown_their_own_plan(
        staff: Staff, tracking: ModuleType, homes: str) -> None:
    first, first_secret = report(staff, about_number_14)
    joined, joined_secret = report(staff, stranger)
    people = staff.get(first)[1]["people"]
    sams = next(r["report_id"] for r in people if r.get("reference") == joined)
    assert staff.write(first, "action-plan", PLAN)[0] == 200
    own = {**PLAN, "landlord_actions": ["Move the bins away from Sam's window"],
           "customer_actions": ["Phone us when the bins are set alight"], "agreed_with": sams}
    assert staff.write(first, "action-plan", own)[0] == 200

    firsts = text_of(get(tracking, f"/track/{first}", {"secret": first_secret})["body"])
    sams_page = text_of(get(tracking, f"/track/{joined}", {"secret": joined_secret})["body"])
    assert "Write to the tenant" in firsts and "bins" not in firsts
    assert "Move the bins" in sams_page and "Write to the tenant" not in sams_page
    plans = staff.get(first)[1]["case"]["action_plans"]
    assert [p["agreed_with"] for p in plans][1] == sams and len(plans) == 2


def test_a_case_from_before_reports_had_their_own_reference_item_can_be_joined(
        staff: Staff) -> None:
    import boto3

    first = case_of_report(staff.table, report(staff)[0])

    def elsewhere(data: dict[str, Any]) -> None:
        data["location"]["address"] = "3 Mill Lane, Yeovil"

    second = case_of_report(staff.table, report(staff, elsewhere)[0])
    boto3.client("dynamodb").delete_item(TableName=staff.table, Key={
        "pk": {"S": f"REPORTREF#{second}"}, "sk": {"S": "REPORTREF"}})
    version = staff.get(second, who=MANAGER)[1]["case"]["version"]
    status, answer = regroup(staff, "case_work-join-cases", first, {
        "case_reference": second, "case_version": version,
        "reason": "The same household at number 14: one matter"})
    assert status == 200, answer
