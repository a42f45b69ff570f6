"""The ASB Case Review process through its handlers: each step, its due dates, what the
applicant is told, the sweep of overdue steps, and the year's statistics."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime, time, timedelta
from types import ModuleType
from typing import Any

import pytest

from asb import bootstrap
from asb.case.targets import end_of_day, local_day
from asb.case_review.process import Arrangement
from asb.policy.reporting_year import year_of
from asb.policy.working_days import add_working_days
from tests.conftest import LambdaContext, sample_event
from tests.integration.helpers import Staff, case_partition
from tests.integration.test_triage_handler import complain, complaint_by
from tests.landlords_homes import FLAT_4

MANAGER = ("m.jones", "manager", "yeovil")
TODAY = local_day(datetime.now(UTC))


@pytest.fixture(autouse=True)
def landlord_leads(handlers: dict[str, ModuleType], monkeypatch: pytest.MonkeyPatch) -> None:
    """These tests run the review as the lead body (tests/integration/
    test_case_review_participant.py runs it as a participant, the policy's default)."""
    monkeypatch.setattr(handlers["CaseReview"], "setting",
                        bootstrap.case_review_setting(arrangement=Arrangement.lead()))


def step(staff: Staff, reference: str, route: str, body: dict[str, Any],
         ) -> tuple[int, dict[str, Any]]:
    version = staff.get(reference, who=MANAGER)[1]["case"]["version"]
    return staff.call("case_review-apply", path=f"/cases/{reference}/{route}", body=body,
                      if_match=f'"{version}"', reference=reference)


def apply(staff: Staff, reference: str) -> str:
    body = {"received_on": TODAY.isoformat(), "summary": "Asks for the case to be looked at again."}
    assert step(staff, reference, "case-reviews", body)[0] == 200
    return str(review_of(staff, reference)["review_id"])


def review_of(staff: Staff, reference: str) -> dict[str, Any]:
    timeline = staff.get(reference, who=MANAGER)[1]["timeline"]
    return next(e["detail"] for e in timeline if e["kind"] == "case_review")


def tasks(table: str, reference: str) -> dict[str, dict[str, Any]]:
    return {i["kind"]: i for i in case_partition(table, reference) if i["entity"] == "Task"
            and i["kind"].startswith("CASE_REVIEW")}


def events(table: str, reference: str) -> list[dict[str, Any]]:
    return [i for i in case_partition(table, reference) if i["entity"] == "Event"
            and i["type"].startswith("CaseReview")]


def test_a_review_from_application_to_outcome(staff: Staff, table: str) -> None:
    reference = staff.open_case()
    review = apply(staff, reference)
    due = {kind: task["due_at"] for kind, task in tasks(table, reference).items()}
    assert due == {kind: end_of_day(add_working_days(TODAY, days)).isoformat() for kind, days in (
        ("CASE_REVIEW_ACKNOWLEDGE", 10), ("CASE_REVIEW_DECISION", 15),
        ("CASE_REVIEW_MEETING", 20))}

    base = f"case-reviews/{review}"
    assert step(staff, reference, f"{base}/acknowledgement",
                {"acknowledged_on": TODAY.isoformat()})[0] == 200
    decision = {"met": True,
                "reasons": "Three qualifying complaints about this behaviour in six months."}
    assert step(staff, reference, f"{base}/threshold-decision", decision)[0] == 200
    meeting = {"held_on": TODAY.isoformat(), "agencies": ["Avon and Somerset Police", "Council"],
               "summary": "The panel looked at the case history and the action plan."}
    assert step(staff, reference, f"{base}/meeting", meeting)[0] == 200
    assert tasks(table, reference)["CASE_REVIEW_OUTCOME"]["due_at"] == end_of_day(
        add_working_days(TODAY, 25)).isoformat()
    recommendations = {"recommendations": [{"action": "Joint visit to the address",
                                            "owner": "Avon and Somerset Police"}]}
    assert step(staff, reference, f"{base}/recommendations", recommendations)[0] == 200
    outcome = {"summary": "A joint visit will be made and a warning given."}
    assert step(staff, reference, f"{base}/outcome", outcome)[0] == 200

    record = review_of(staff, reference)
    assert record["status"] == "completed"
    assert [h["to"] for h in record["history"]] == [
        "acknowledged", "threshold met", "review held", "recommendations made", "completed"]
    assert all(t["status"] == "done" for t in tasks(table, reference).values())
    told = [e["type"] for e in events(table, reference)]
    assert sorted(told) == ["CaseReviewAcknowledged", "CaseReviewOutcome",
                            "CaseReviewThresholdDecided"]

    year = str(year_of(TODAY))
    status, body = staff.call("case_review-list", query={"year": year}, who=MANAGER)
    assert status == 200
    assert body["statistics"] == {"applications": 1, "threshold_not_met": 0, "reviews_held": 1,
                                  "reviews_with_recommendations": 1}
    assert body["reviews"][0]["case_reference"] == reference
    assert staff.call("case_review-list", query={"year": year})[0] == 403


def test_an_application_says_whether_complaints_by_anyone_met_the_threshold(
    staff: Staff, table: str, homes: str
) -> None:
    """Three neighbours' complaints about one tenant's intimidation: triage found the threshold
    met (s104(4)), and the application records it; nuisance alone did not (s105)."""
    intake, triage = staff.handlers["Intake"], staff.handlers["Triage"]
    for neighbour in ("a@example.org", "b@example.org", "c@example.org"):
        harassed = complain(intake, triage, table, complaint_by(neighbour, ["intimidation"]))
    for neighbour in ("a@example.org", "b@example.org", "c@example.org"):
        annoyed = complain(intake, triage, table,
                           complaint_by(neighbour, ["noise"], "3 Quarry Road, Yeovil", FLAT_4))
    assert harassed != annoyed
    apply(staff, harassed)
    apply(staff, annoyed)
    assert review_of(staff, harassed)["threshold_suggested"] is True
    assert review_of(staff, annoyed)["threshold_suggested"] is False


def test_steps_keep_their_order_and_the_rules(staff: Staff, table: str) -> None:
    reference = staff.open_case()
    review = apply(staff, reference)
    status, body = step(staff, reference, f"case-reviews/{review}/meeting", {
        "held_on": TODAY.isoformat(), "agencies": ["Council"], "summary": "Too early."})
    assert status == 409 and "threshold met" in body["message"]
    body = {"received_on": TODAY.isoformat(), "summary": "A second application."}
    assert step(staff, reference, "case-reviews", body)[0] == 409  # one at a time
    status, body = step(staff, reference, f"case-reviews/{review}/threshold-decision",
                        {"met": True})
    assert status == 422 and body["errors"][0]["field"] == "reasons"
    unknown = "00000000-0000-4000-8000-000000000000"
    assert step(staff, reference, f"case-reviews/{unknown}/acknowledgement",
                {"acknowledged_on": TODAY.isoformat()})[0] == 404


def test_an_upheld_appeal_sends_a_refused_review_to_a_meeting(staff: Staff, table: str) -> None:
    reference = staff.open_case()
    review = apply(staff, reference)
    base = f"case-reviews/{review}"
    refusal = {"met": False, "reasons": "One complaint only, about an incident two months ago."}
    assert step(staff, reference, f"{base}/threshold-decision", refusal)[0] == 200
    assert {k: t["status"] for k, t in tasks(table, reference).items()} == {
        "CASE_REVIEW_ACKNOWLEDGE": "done", "CASE_REVIEW_DECISION": "done",
        "CASE_REVIEW_MEETING": "done"}
    grounds = {"received_on": TODAY.isoformat(),
               "grounds": "Two further complaints were not counted."}
    assert step(staff, reference, f"{base}/appeal", grounds)[0] == 200
    assert tasks(table, reference)["CASE_REVIEW_APPEAL"]["status"] == "open"
    decided = {"upheld": True, "reasons": "The two complaints qualify: the threshold is met."}
    assert step(staff, reference, f"{base}/appeal-decision", decided)[0] == 200
    assert review_of(staff, reference)["status"] == "threshold met"
    assert tasks(table, reference)["CASE_REVIEW_MEETING"]["status"] == "open"
    assert step(staff, reference, f"{base}/appeal", grounds)[0] == 409  # one appeal


def test_overdue_steps_are_swept_once_and_escalated(
    staff: Staff, table: str, load_handler: Callable[[str], ModuleType]
) -> None:
    sweep = load_handler("ReviewSweepFunction")
    reference = staff.open_case()
    review = apply(staff, reference)
    assert step(staff, reference, f"case-reviews/{review}/acknowledgement",
                {"acknowledged_on": TODAY.isoformat()})[0] == 200
    for _ in range(2):  # the same month twice: the second acts on nothing
        for n in range(1, 36):
            day = datetime.combine(TODAY + timedelta(days=n), time(9, 15), UTC)
            event = {**sample_event("review_sweep-scheduled"),
                     "scheduled_time": day.strftime("%Y-%m-%dT%H:%M:%SZ")}
            sweep.lambda_handler(event, LambdaContext())
    overdue = [e for e in events(table, reference) if e["type"] == "CaseReviewStepOverdue"]
    raised = Counter(e["detail"]["step"] for e in overdue)
    assert raised == {"Decide whether the ASB Case Review threshold is met": 1,
                      "Hold the ASB Case Review meeting": 1}  # acknowledged in time
    assert {e["detail"]["due_at"] for e in overdue} == {
        end_of_day(add_working_days(TODAY, days)).isoformat() for days in (15, 20)}


def test_the_dpo_sets_and_releases_a_legal_hold(staff: Staff, table: str) -> None:
    reference = staff.open_case()
    hold = {"hold": True, "reason": "A claim against the landlord is expected."}
    assert staff.write(reference, "legal-hold", hold)[0] == 403  # an officer may not
    assert staff.write(reference, "legal-hold", hold, who=("d.price", "dpo", ""))[0] == 200
    case = staff.get(reference, who=MANAGER)[1]["case"]
    assert case["legal_hold"]["by"] == "d.price"
    release = {"hold": False, "reason": "The claim was settled; the file may go."}
    assert staff.write(reference, "legal-hold", release, who=("d.price", "dpo", ""))[0] == 200
    assert staff.get(reference, who=MANAGER)[1]["case"]["legal_hold"] is None
    actions = [i["action"] for i in case_partition(table, reference) if i["entity"] == "AuditEntry"]
    assert {"LegalHoldSet", "LegalHoldReleased"} <= set(actions)


def test_closure_surveys_give_the_local_closure_satisfaction_measure(staff: Staff) -> None:
    reference = staff.open_case("3 Quarry Road, Yeovil")
    answer = {"answer": "fairly satisfied", "answered_on": TODAY.isoformat(), "channel": "phone"}
    status, body = staff.write(reference, "satisfaction-survey", answer)
    assert status == 409 and "closed" in body["message"]
    closure = {"outcome": "resolved", "reasons": "No further reports for six weeks after the warning."}
    assert staff.write(reference, "closure", closure)[0] == 200
    assert staff.write(reference, "satisfaction-survey", answer)[0] == 200
    assert staff.write(reference, "satisfaction-survey", answer)[0] == 409  # once per person
    status, body = staff.write(reference, "satisfaction-survey", {**answer, "answer": "happy"})
    assert status == 422 and body["errors"][0]["field"] == "answer"
    status, figures = staff.call("case_queries-figures", query={"year": str(year_of(TODAY))},
                                 who=MANAGER)
    assert (figures["closure_satisfaction_local_measure_percent"],
            figures["closure_satisfaction_local_measure_respondents"]) == (100.0, 1)
    assert figures["tp12_percent"] == "not imported"  # closure surveys are never TP12
