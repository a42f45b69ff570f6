"""The ASB Case Review with the landlord as a participant (the policy's default) through its
handlers against moto: the application referred at once to the council's published point of
contact - a request to share, decided by a manager, signed onto the council's own queue with the
case history - the applicant told who runs it, the lead body's steps refused, its meeting and the
recommendations made to us recorded as due work, what we did about each, the outcome, and the
year's figures as a participant counts them."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from types import ModuleType
from typing import Any

import boto3
import jsonschema

from asb.case.targets import end_of_day, local_day, long_date
from asb.dynamo.codec import from_item
from asb.partners.store import DynamoDBPartnerStore
from asb.policy.config import CASE_REVIEW_POINT_OF_CONTACT
from infra.local.partners import seed
from tests.conftest import LambdaContext, sample_event
from tests.integration import test_partners
from tests.integration.helpers import Staff, case_partition
from tests.integration.test_partners import (
    MANAGER,
    decide,
    disclosures,
    publish_approved,
    waiting_on_partner_queues,
)
from tests.integration.test_power_requests import council

partners = test_partners.partners  # the fixture: the registry seeded, the partner handlers

TODAY = local_day(datetime.now(UTC))
SCHEMA = json.loads((Path(__file__).parents[2] / "docs" / "partners" /
                     "disclosure-message.schema.json").read_text())


def step(staff: Staff, reference: str, route: str, body: dict[str, Any],
         who: tuple[str, str, str] = ("o.hughes", "officer", "yeovil"),
         ) -> tuple[int, dict[str, Any]]:
    version = staff.get(reference, who=MANAGER)[1]["case"]["version"]
    sample = "case_review-recommendation-response" if route.endswith("/responses") \
        else "case_review-apply"
    return staff.call(sample, path=f"/cases/{reference}/{route}", body=body,
                      if_match=f'"{version}"', reference=reference, who=who)


def apply(staff: Staff, reference: str) -> tuple[int, dict[str, Any]]:
    return step(staff, reference, "case-reviews", {
        "received_on": TODAY.isoformat(), "summary": "Asks for the case to be looked at again."})


def review_of(table: str, reference: str) -> dict[str, Any]:
    (review,) = [i for i in case_partition(table, reference) if i["entity"] == "CaseReview"]
    return review


def stored(table: str, reference: str) -> list[dict[str, Any]]:
    return [i for i in case_partition(table, reference) if i.get("action") != "CaseViewed"]


def test_without_the_point_of_contact_in_the_registry_the_application_waits_to_be_referred(
        staff: Staff, table: str) -> None:
    """The statutory application is recorded; its referral is the review's own due work until
    the point of contact is in the registry and the re-referral route makes it."""
    reference = staff.open_case()
    status, body = apply(staff, reference)
    assert status == 200, body
    review = review_of(table, reference)
    assert review["status"] == "referred" and review.get("referral_id") is None
    assert disclosures(table, reference) == []
    (task,) = [i for i in due_work(table, "CASE_REVIEW_REFER") if i["case_reference"] == reference]
    assert task["title"] == "Refer the ASB Case Review application to the point of contact"

    seed(DynamoDBPartnerStore(boto3.client("dynamodb"), table))
    route = f"case-reviews/{review['review_id']}/referral"
    status, body = step(staff, reference, route, {
        "reason": "The council's point of contact is in the registry now."})
    assert status == 200, body
    (referral,) = disclosures(table, reference)
    assert review_of(table, reference)["referral_id"] == referral["record_id"]
    assert referral["status"] == "requested"
    assert not [i for i in due_work(table, "CASE_REVIEW_REFER")
                if i["case_reference"] == reference]


def due_work(table: str, kind: str) -> list[dict[str, Any]]:
    answer = boto3.client("dynamodb").query(
        TableName=table, IndexName="DueWork", KeyConditionExpression="due_kind = :k",
        ExpressionAttributeValues={":k": {"S": kind}})
    return [from_item(i) for i in answer["Items"]]


def test_an_application_is_referred_to_the_point_of_contact_with_the_case_history(
        staff: Staff, partners: Any, table: str) -> None:
    aws = partners["aws"]
    reference = staff.open_case()
    assert apply(staff, reference)[0] == 200
    review = review_of(table, reference)
    assert review["status"] == "referred"
    assert review["run_by"]["partner_id"] == CASE_REVIEW_POINT_OF_CONTACT.partner_id
    (referral,) = disclosures(table, reference)
    assert referral["record_id"] == review["referral_id"]
    assert referral["kind"] == "case_review_referral" and referral["status"] == "requested"
    # "At once": on the manager's list, due by the end of the working day.
    assert referral["due_kind"] == "DISCLOSURE_DECISION"
    assert referral["due_at"] <= end_of_day(TODAY + timedelta(days=3)).isoformat()
    waiting = staff.call("partners-list", path="/disclosures", who=MANAGER)[1]["waiting"]
    assert [w["kind"] for w in waiting] == ["case_review_referral"]
    # The applicant is told who runs it and when to expect an answer.
    (told,) = [i for i in case_partition(table, reference)
               if i["entity"] == "Event" and i["type"] == "CaseReviewReferred"]
    assert told["detail"]["run_by"] == CASE_REVIEW_POINT_OF_CONTACT.name
    assert told["detail"]["report_id"] == review["report_id"]
    # None of the lead body's steps are tasks of ours.
    assert not [i for i in case_partition(table, reference) if i["entity"] == "Task"
                and i["kind"].startswith("CASE_REVIEW")]

    # The officer who recorded it does not decide it; a manager does, and it goes.
    assert decide(staff, reference, referral["record_id"], True,
                  who=("o.hughes", "officer", "yeovil"))[0] == 403
    assert decide(staff, reference, referral["record_id"], True)[0] == 200
    assert waiting_on_partner_queues(aws) == 0
    publish_approved(partners, table, reference)
    partner = council(aws)
    assert partner.poll_once(wait_seconds=0) == 1 and partner.rejected == 0
    (message,) = partner.received
    jsonschema.validate(message, SCHEMA)
    package = message["package"]
    assert package["case_review"]["review_id"] == review["review_id"]
    assert package["case_review"]["received_on"] == TODAY.isoformat()
    assert [c["within_six_months"] for c in package["case_review"]["complaints"]] == [True]
    assert {"case", "incidents", "actions"} <= set(package)
    assert "reporter" not in package and "Alex" not in json.dumps(package)
    log = [i for i in case_partition(table, reference) if i["entity"] == "DisclosureLog"]
    assert [e["action"] for e in sorted(log, key=lambda e: e["at"])] == [
        "requested", "approved", "sent"]


def test_the_lead_bodys_review_as_we_take_part_in_it(staff: Staff, partners: Any,
                                                      table: str) -> None:
    reference = staff.open_case()
    assert apply(staff, reference)[0] == 200
    review = review_of(table, reference)["review_id"]
    base = f"case-reviews/{review}"
    for route, body in ((f"{base}/acknowledgement", {"acknowledged_on": TODAY.isoformat()}),
                        (f"{base}/threshold-decision", {
                            "met": True, "reasons": "Three qualifying complaints in six months."})):
        status, answer = step(staff, reference, route, body, who=MANAGER)
        assert status == 409 and "not ours to record" in answer["message"]

    meeting = {"held_on": TODAY.isoformat(), "agencies": ["Council", "Police", "Us"],
               "summary": "The panel went through the history."}
    status, answer = step(staff, reference, f"{base}/meeting", meeting)
    assert status == 422 and answer["errors"][0]["field"] == "landlord_attended"
    assert step(staff, reference, f"{base}/meeting",
                {**meeting, "landlord_attended": True})[0] == 200

    due_on = TODAY + timedelta(days=30)
    status, answer = step(staff, reference, f"{base}/recommendations", {"recommendations": [
        {"action": "Fit a door entry system to the block"}]})
    assert status == 422 and answer["errors"][0]["field"] == "recommendations.0.due_on"
    assert step(staff, reference, f"{base}/recommendations", {"recommendations": [
        {"action": "Fit a door entry system to the block", "due_on": due_on.isoformat()},
        {"action": "Offer mediation to both households",
         "due_on": (due_on + timedelta(days=1)).isoformat()}]})[0] == 200
    due = [i for i in case_partition(table, reference) if i["entity"] == "Deadline"]
    assert sorted((d["due_kind"], d["due_at"], d["officer"]) for d in due) == [
        ("CASE_REVIEW_RECOMMENDATION", end_of_day(due_on).isoformat(), "o.hughes"),
        ("CASE_REVIEW_RECOMMENDATION", end_of_day(due_on + timedelta(days=1)).isoformat(),
         "o.hughes")]

    first = review_of(table, reference)["recommendations"][0]["recommendation_id"]
    status, answer = step(staff, reference, f"{base}/recommendations/{first}/responses", {
        "on": TODAY.isoformat(), "what_we_did": "Ordered from our contractor.", "done": False})
    assert status == 200
    assert step(staff, reference, f"{base}/recommendations/{first}/responses", {
        "on": TODAY.isoformat(), "what_we_did": "Fitted and working.", "done": True})[0] == 200
    status, answer = step(staff, reference, f"{base}/recommendations/{uuid.uuid4()}/responses", {
        "on": TODAY.isoformat(), "what_we_did": "Fitted and working.", "done": True})
    assert status == 404
    open_work = [i for i in case_partition(table, reference)
                 if i["entity"] == "Deadline" and i.get("due_kind")]
    assert len(open_work) == 1  # the mediation is still due

    assert step(staff, reference, f"{base}/outcome", {
        "summary": "The panel's action plan is agreed by every agency.",
        "told_on": TODAY.isoformat()})[0] == 200
    assert review_of(table, reference)["status"] == "completed"
    assert not [i for i in case_partition(table, reference)
                if i["entity"] == "Event" and i["type"] == "CaseReviewOutcome"]

    year = str(TODAY.year if TODAY.month >= 4 else TODAY.year - 1)
    status, body = staff.call("case_review-list", path="/case-reviews", query={"year": year},
                              who=MANAGER)
    assert status == 200
    assert body["statistics"] == {"applications": 1, "referred": 1,
                                  "recommendations_to_us": 2, "recommendations_done": 1}
    (listed,) = body["reviews"]
    assert listed["run_by"]["name"] == CASE_REVIEW_POINT_OF_CONTACT.name


def test_a_recommendation_made_to_us_stays_due_when_the_case_closes(
        staff: Staff, partners: Any, table: str) -> None:
    reference = staff.open_case()
    assert apply(staff, reference)[0] == 200
    review = review_of(table, reference)["review_id"]
    base = f"case-reviews/{review}"
    assert step(staff, reference, f"{base}/meeting", {
        "held_on": TODAY.isoformat(), "agencies": ["Council"], "summary": "Held.",
        "landlord_attended": False})[0] == 200
    assert step(staff, reference, f"{base}/recommendations", {"recommendations": [
        {"action": "Review the tenancy's support needs",
         "due_on": (TODAY + timedelta(days=14)).isoformat()}]})[0] == 200
    assert staff.write(reference, "closure", {
        "outcome": "resolved", "reasons": "The behaviour has stopped for three months."},
        who=MANAGER)[0] == 200
    (due,) = [i for i in case_partition(table, reference) if i["entity"] == "Deadline"]
    assert due["due_kind"] == "CASE_REVIEW_RECOMMENDATION" and due["status"] == "open"
    assert date.fromisoformat(due["on"]) == TODAY + timedelta(days=14)


def test_a_recommendation_not_done_by_its_day_is_escalated_once(
        staff: Staff, partners: Any, table: str,
        load_handler: Callable[[str], ModuleType]) -> None:
    sweep = load_handler("ReviewSweepFunction")
    reference = staff.open_case()
    assert apply(staff, reference)[0] == 200
    review = review_of(table, reference)["review_id"]
    base = f"case-reviews/{review}"
    assert step(staff, reference, f"{base}/meeting", {
        "held_on": TODAY.isoformat(), "agencies": ["Council"], "summary": "Held.",
        "landlord_attended": True})[0] == 200
    due_on = TODAY + timedelta(days=3)
    assert step(staff, reference, f"{base}/recommendations", {"recommendations": [
        {"action": "Review the tenancy's support needs", "due_on": due_on.isoformat()}]})[0] == 200
    for _ in range(2):  # the same days twice: the second acts on nothing
        for n in range(1, 6):
            day = datetime.combine(TODAY + timedelta(days=n), time(9, 15), UTC)
            event = {**sample_event("review_sweep-scheduled"),
                     "scheduled_time": day.strftime("%Y-%m-%dT%H:%M:%SZ")}
            sweep.lambda_handler(event, LambdaContext())
    (raised,) = [i for i in case_partition(table, reference)
                 if i["entity"] == "Event" and i["type"] == "CaseReviewStepOverdue"]
    assert raised["detail"]["step"] == (
        f"Act on an ASB Case Review recommendation made to us by {long_date(due_on)}")
    (due,) = [i for i in case_partition(table, reference) if i["entity"] == "Deadline"]
    assert due["due_kind"] == "CASE_REVIEW_RECOMMENDATION:escalated"


def test_bad_answers_about_a_recommendation_are_a_422_naming_the_field_and_store_nothing(
        staff: Staff, partners: Any, table: str) -> None:
    reference = staff.open_case()
    assert apply(staff, reference)[0] == 200
    review = review_of(table, reference)["review_id"]
    base = f"case-reviews/{review}"
    assert step(staff, reference, f"{base}/meeting", {
        "held_on": TODAY.isoformat(), "agencies": ["Council"], "summary": "Held.",
        "landlord_attended": True})[0] == 200
    for bad, field in (({"due_on": "9999-12-31"}, "recommendations.0.due_on"),
                       ({"due_on": "31/12/2026"}, "recommendations.0.due_on"),
                       ({"action": "Do"}, "recommendations.0.action")):
        status, answer = step(staff, reference, f"{base}/recommendations", {"recommendations": [
            {"action": "Fit a door entry system", "due_on": TODAY.isoformat(), **bad}]})
        assert status == 422 and answer["errors"][0]["field"] == field, (bad, answer)
    assert step(staff, reference, f"{base}/recommendations", {"recommendations": [
        {"action": "Fit a door entry system", "due_on": TODAY.isoformat()}]})[0] == 200
    made = review_of(table, reference)["recommendations"][0]["recommendation_id"]
    route = f"{base}/recommendations/{made}/responses"
    before = stored(table, reference)
    good = {"on": TODAY.isoformat(), "what_we_did": "Fitted.", "done": True}
    for bad, field in (({"done": None}, "done"), ({"what_we_did": ""}, "what_we_did"),
                       ({"on": "0001-01-01"}, "on"),
                       ({"on": (TODAY + timedelta(days=2)).isoformat()}, "on"),
                       ({"colour": "red"}, "colour")):
        status, answer = step(staff, reference, route, {**good, **bad})
        assert status == 422 and answer["errors"][0]["field"] == field, (bad, answer)
    assert stored(table, reference) == before
    # Another team's officer cannot see the case; the DPO does not work it.
    assert step(staff, reference, route, good, who=("k.evans", "officer", "taunton"))[0] == 404
    assert step(staff, reference, route, good, who=("d.price", "dpo", ""))[0] == 403
    assert stored(table, reference) == before


def test_a_refused_referral_is_referred_again(staff: Staff, partners: Any, table: str) -> None:
    reference = staff.open_case()
    assert apply(staff, reference)[0] == 200
    review = review_of(table, reference)
    route = f"case-reviews/{review['review_id']}/referral"
    again = {"reason": "The package is right now: the council asked for the incidents."}
    status, answer = step(staff, reference, route, again)
    assert status == 409 and "refer again only after a refusal" in answer["message"]
    assert decide(staff, reference, review["referral_id"], False)[0] == 200
    assert step(staff, reference, route, again)[0] == 200
    second = review_of(table, reference)["referral_id"]
    assert second != review["referral_id"]
    statuses = {d["record_id"]: d["status"] for d in disclosures(table, reference)}
    assert statuses == {review["referral_id"]: "refused", second: "requested"}
    waiting = staff.call("partners-list", path="/disclosures", who=MANAGER)[1]["waiting"]
    assert [w["disclosure_id"] for w in waiting] == [second]
