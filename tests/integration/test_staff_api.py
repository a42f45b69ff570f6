"""The staff case API through its handlers, with sample events, against moto."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

import boto3
import pytest

from asb.dynamo.codec import from_item
from tests.conftest import LambdaContext, sample_event
from tests.integration.helpers import Staff, case_partition, outbox_events, queue_delivery
from tests.integration.test_partners import partners  # noqa: F401 (a fixture)
from tests.landlords_homes import NUMBER_14, living_at


def due_kinds(table: str, reference: str) -> set[str]:
    return {i["kind"] for i in case_partition(table, reference)
            if i["entity"] == "Task" and i.get("due_kind")}


def test_an_officer_reads_a_case_of_their_team_and_the_read_is_recorded(
    staff: Staff, table: str
) -> None:
    reference = staff.open_case()
    status, view = staff.get(reference)
    assert status == 200
    assert view["case"]["reference"] == reference
    assert view["case"]["risk"]["reasons"]
    assert {p["role"] for p in view["people"]} == {"reporter", "alleged perpetrator"}
    kinds = [entry["kind"] for entry in view["timeline"]]
    assert "report" in kinds and "audit" in kinds and "task" in kinds
    viewed = [i for i in case_partition(table, reference) if i.get("action") == "CaseViewed"]
    assert viewed[0]["actor"] == "staff:o.hughes"
    assert viewed[0]["after"] == {"route": "GET /cases/{reference}"}


@pytest.mark.parametrize(
    ("who", "status"),
    [(None, 401), (("x.nobody", "", "yeovil"), 403), (("k.evans", "officer", "taunton"), 404),
     (("m.jones", "manager", "taunton"), 200), (("d.price", "dpo", ""), 200)],
    ids=["no token", "no role", "another team", "manager", "dpo"],
)
def test_who_may_read_a_case(staff: Staff, who: Any, status: int) -> None:
    reference = staff.open_case()
    assert staff.get(reference, who=who)[0] == status


def test_an_unknown_or_malformed_reference(staff: Staff) -> None:
    assert staff.get("ASB-2026-999999")[0] == 404
    status, body = staff.get("not-a-reference")
    assert status == 422 and body["errors"][0]["field"] == "reference"


def test_lists_are_paginated_with_an_opaque_cursor(staff: Staff) -> None:
    made = {staff.open_case(f"{n} Quarry Road, Yeovil") for n in range(3)}
    seen: list[str] = []
    cursor = None
    for _ in range(3):
        query = {"view": "team", "limit": "2", **({"cursor": cursor} if cursor else {})}
        status, page = staff.call("case_queries-list-team", query=query)
        assert status == 200
        seen += [c["reference"] for c in page["cases"]]
        cursor = page["cursor"]
        if not cursor:
            break
    assert set(seen) == made and len(seen) == 3
    status, body = staff.call("case_queries-list-team", query={"cursor": "not-a-cursor!"})
    assert status == 422 and body["errors"][0]["field"] == "cursor"


def test_lists_by_status_category_emergency_mine_and_overdue(staff: Staff) -> None:
    noisy = staff.open_case("1 Quarry Road, Yeovil")
    threatening = staff.open_case("2 Quarry Road, Yeovil", ["threats"])

    def listed(query: dict[str, str], who: Any = ("o.hughes", "officer", "yeovil")) -> set[str]:
        status, page = staff.call("case_queries-list-team", query=query, who=who)
        assert status == 200, page
        return {c["reference"] for c in page["cases"]}

    assert listed({"status": "triaged"}) == {noisy, threatening}
    assert listed({"category": "A"}) == {threatening}
    assert listed({"emergency": "true"}) == {threatening}
    assert listed({"view": "mine"}) == {noisy, threatening}
    assert listed({}, who=("k.evans", "officer", "taunton")) == set()
    assert listed({}, who=("m.jones", "manager", "taunton")) == {noisy, threatening}
    status, _ = staff.call("case_queries-list-team", query={"team": "yeovil"},
                           who=("k.evans", "officer", "taunton"))
    assert status == 403
    status, body = staff.call("case_queries-list-team", query={"overdue": "true"})
    assert status == 200 and body["overdue"] == []


def test_every_write_names_the_version_it_read(staff: Staff) -> None:
    reference = staff.open_case()
    entry = {"text": "Spoke to the neighbour at number 16 about the music."}
    status, _ = staff.call("case_work-add-diary-entry", body=entry, if_match=None,
                              reference=reference)
    assert status == 428
    status, first = staff.write(reference, "diary-entries", entry, version=2)
    assert (status, first["version"]) == (200, 3)
    # A second writer who also read version 2 is refused, and told the current version.
    status, stale = staff.write(reference, "diary-entries", entry, version=2)
    assert status == 412 and stale["current_version"] == 3
    entries = [i for i in case_partition(staff.table, reference) if i["entity"] == "DiaryEntry"]
    assert len(entries) == 1


def test_bad_bodies_name_each_field_and_change_nothing(staff: Staff) -> None:
    reference = staff.open_case()
    status, body = staff.write(reference, "contacts", {"channel": "pigeon", "summary": ""})
    assert status == 422
    assert {e["field"] for e in body["errors"]} == {"channel", "summary"}
    assert staff.get(reference)[1]["case"]["version"] == 2


def test_first_contact_closes_its_task_and_sets_the_next_contact(staff: Staff) -> None:
    reference = staff.open_case()
    assert "FIRST_CONTACT" in due_kinds(staff.table, reference)
    status, _ = staff.write(reference, "contacts", {
        "channel": "phone", "summary": "Called Alex, agreed to keep a diary."})
    assert status == 200
    assert "FIRST_CONTACT" not in due_kinds(staff.table, reference)
    case = staff.get(reference)[1]["case"]
    assert case["first_contact_on_time"] is True


def test_the_action_plan_sets_the_review_and_opens_the_case(staff: Staff) -> None:
    reference = staff.open_case()
    plan = {"landlord_actions": ["Write to the tenant at number 14", "Visit within 5 days"],
            "customer_actions": ["Keep a diary of dates, times and how long it lasts"],
            "contact_channel": "phone", "contact_every_working_days": 5,
            "review_on": "2027-01-15", "customer_agreed": True}
    status, _ = staff.write(reference, "action-plan", plan)
    assert status == 200
    case = staff.get(reference)[1]["case"]
    assert case["status"] == "open" and case["action_plan"]["version"] == 1
    assert case["targets"]["review_due"] == "2027-01-15"
    events = [i["type"] for i in case_partition(staff.table, reference) if i["entity"] == "Event"]
    assert "ActionPlanAgreed" in events


def test_the_action_plan_names_the_complainant_it_was_agreed_with(staff: Staff,
                                                                 homes: str) -> None:
    reference = staff.open_case(home=NUMBER_14)
    for anonymous in (False, True):  # a neighbour joins, then someone without a name
        event = sample_event("intake-anonymous-json" if anonymous else "intake-valid-json")
        event["headers"].pop("Idempotency-Key", None)
        data = json.loads(event["body"])
        data["location"] = {"address": "12 Orchard Close, Yeovil", "postcode": "BA20 1AB"}
        data["perpetrator"] = living_at(NUMBER_14)  # the same tenancy: joins the case
        if not anonymous:
            data["reporter"].update(name="Sam Stranger", email="sam@example.org")
        event["body"] = json.dumps(data)
        assert staff.handlers["Intake"].lambda_handler(event, LambdaContext())["statusCode"] \
            == 201
    view = staff.get(reference)[1]
    reports = sorted((e["detail"] for e in view["timeline"] if e["kind"] == "report"),
                     key=lambda r: r["received_at"])
    first, neighbour, nameless = (r["report_id"] for r in reports)
    # Each report is listed with its own reference; the first has the case's.
    assert reports[0]["reference"] == reference
    assert len({r["reference"] for r in reports}) == 3
    # Staff find the case by a reporter's own reference too.
    assert staff.get(reports[1]["reference"])[1]["case"]["reference"] == reference
    plan = {"landlord_actions": ["Write to the tenant at number 14"],
            "customer_actions": ["Keep a diary of dates, times and how long it lasts"],
            "contact_channel": "phone", "contact_every_working_days": 5,
            "review_on": "2027-01-15", "customer_agreed": True}
    for wrong, why in (("not-a-report-here", "no report"), (nameless, "anonymous")):
        status, body = staff.write(reference, "action-plan", {**plan, "agreed_with": wrong})
        assert status == 422 and body["errors"][0]["field"] == "agreed_with", body
        assert why in body["errors"][0]["message"]
    assert staff.write(reference, "action-plan", plan)[0] == 200
    assert staff.get(reference)[1]["case"]["action_plan"]["agreed_with"] == first
    assert staff.write(reference, "action-plan", {**plan, "agreed_with": neighbour})[0] == 200
    case = staff.get(reference)[1]["case"]
    # The neighbour's plan is their own: the case's (the first agreed) stays the first's.
    assert case["action_plan"]["agreed_with"] == first
    assert [(p["agreed_with"], p["version"]) for p in case["action_plans"]] == [
        (first, 1), (neighbour, 2)]
    (agreed,) = [i for i in case_partition(staff.table, reference)
                 if i["entity"] == "Event" and i["type"] == "ActionPlanAgreed"
                 and i["detail"]["plan_version"] == 2]
    assert agreed["detail"]["agreed_with"] == neighbour


def test_legal_action_needs_equality_impact_and_a_managers_approval(staff: Staff) -> None:
    reference = staff.open_case()
    injunction = {"measure": "civil_injunction",
                  "rationale": "Warnings and an ABA have failed; the threats continue."}
    status, body = staff.write(reference, "measures", injunction)
    assert status == 422 and body["errors"][0]["field"] == "equality_impact"
    injunction["equality_impact"] = "Tenant has no known disability; support offered first."
    assert staff.write(reference, "measures", injunction)[0] == 200
    measure_id = next(i["record_id"] for i in case_partition(staff.table, reference)
                      if i["entity"] == "Measure")
    today = datetime.now(UTC).astimezone(ZoneInfo("Europe/London"))
    applied = {"step": "applied", "applied_on": today.date().isoformat(),
               "court": "Yeovil County Court", "respondent_born_on": "1990-05-01"}
    status, body = staff.write(reference, f"measures/{measure_id}/steps", applied)
    assert status == 409 and "approves legal action" in body["message"]
    approve = {"approved": True, "reason": "Proportionate after failed warnings and the ABA."}
    assert staff.write(reference, f"measures/{measure_id}/decision", approve)[0] == 403
    manager = ("m.jones", "manager", "yeovil")
    assert staff.call("case_queries-legal-approvals")[0] == 403  # officers do not approve
    waiting = staff.call("case_queries-legal-approvals", who=manager)[1]["waiting"]
    assert [(w["case_reference"], w["record_id"], w["name"]) for w in waiting] == [
        (reference, measure_id, "Civil injunction (ASBCPA 2014 Part 1)")]
    assert waiting[0]["due_at"] and waiting[0]["equality_impact"]
    assert staff.write(reference, f"measures/{measure_id}/decision", approve, who=manager)[0] == 200
    assert staff.call("case_queries-legal-approvals", who=manager)[1]["waiting"] == []
    plain = {"status": "applied", "note": "Application lodged with the county court."}
    status, body = staff.write(reference, f"measures/{measure_id}/status", plain)
    assert status == 409 and "moves on by its steps" in body["message"]
    assert staff.write(reference, f"measures/{measure_id}/steps", applied)[0] == 200
    closure = {"outcome": "resolved", "reasons": "The behaviour stopped after the application."}
    status, body = staff.write(reference, "closure", closure)
    assert status == 409 and "Legal action is still open" in body["message"]
    listed = {"step": "hearing_listed", "at": today.replace(hour=0, minute=0, second=0,
                                                            microsecond=0).isoformat(),
              "court": "Yeovil County Court", "purpose": "first"}
    assert staff.write(reference, f"measures/{measure_id}/steps", listed)[0] == 200
    (measure,) = [i for i in case_partition(staff.table, reference) if i["entity"] == "Measure"]
    granted = {"step": "hearing_held", "hearing_id": measure["hearings"][0]["hearing_id"],
               "outcome": "order made", "note": "Injunction granted for 12 months.",
               "order": {"kind": "injunction", "terms": ["Not to enter Orchard Close"],
                         "expires_on": "2027-11-25"}}
    assert staff.write(reference, f"measures/{measure_id}/steps", granted)[0] == 200
    assert staff.write(reference, "closure", closure)[0] == 200


def test_closing_and_reopening_a_case(staff: Staff, table: str, homes: str) -> None:
    reference = staff.open_case(home=NUMBER_14)
    closure = {"outcome": "resolved", "reasons": "No further reports for six weeks after the warning."}
    assert staff.write(reference, "closure", closure)[0] == 200
    case = staff.get(reference)[1]["case"]
    assert case["status"] == "closed" and case["outcome"] == "resolved"
    assert due_kinds(table, reference) == set()  # no work left due
    events = [i["type"] for i in case_partition(table, reference) if i["entity"] == "Event"]
    assert "CaseClosed" in events
    # The same matter (number 14's tenancy) now opens a new case, linked to this one.
    later = staff.open_case(home=NUMBER_14)
    assert later != reference
    assert staff.get(later)[1]["case"]["linked_to"] == reference
    assert staff.write(reference, "diary-entries", {"text": "A note."})[0] == 409
    reopen = {"reason": "The reporter says it started again last night."}
    status, body = staff.write(reference, "reopening", reopen)
    assert status == 409 and "newer case" in body["message"]


def test_referrals_need_consent(staff: Staff) -> None:
    reference = staff.open_case()
    referral = {"service": "mediation", "subject": "reporter", "consent": False}
    status, body = staff.write(reference, "referrals", referral)
    assert status == 409 and "consent" in body["message"]
    assert staff.write(reference, "referrals", {**referral, "consent": True})[0] == 200


def test_overrides_and_reassessment_are_audited(staff: Staff, table: str) -> None:
    reference = staff.open_case()
    override = {"field": "category", "value": "A", "reason": "Perpetrator has a history of violence."}
    assert staff.write(reference, "overrides", override)[0] == 200
    refused = {"field": "risk", "value": "A", "reason": "Perpetrator has a history of violence."}
    status, body = staff.write(reference, "overrides", refused)  # triage's rule, InvalidOverride
    assert status == 409 and body["message"].startswith("risk can be set to")
    reassess = {"answers": {"self_harm_risk": True, "fear": True}}
    assert staff.write(reference, "risk-assessments", reassess)[0] == 200
    case = staff.get(reference)[1]["case"]
    assert case["category"] == "A"  # the override stands through re-assessment
    assert case["risk"]["level"] == "high"
    actions = [i["action"] for i in case_partition(table, reference) if i["entity"] == "AuditEntry"]
    assert {"CategoryOverridden", "RiskReassessed"} <= set(actions)
    status, body = staff.write(reference, "risk-assessments", {"answers": {"mood": True}})
    assert status == 422 and body["errors"][0]["field"] == "answers"


def test_reassessing_risk_is_the_plan_review_and_sets_the_next(staff: Staff, table: str) -> None:
    from datetime import UTC, datetime, timedelta

    from asb.case.targets import end_of_day, local_day
    from asb.policy.working_days import on_or_after

    reference = staff.open_case()
    before = next(i for i in case_partition(table, reference) if i["sk"] == "TASK#PLAN_REVIEW")
    reassess = {"answers": {"self_harm_risk": True, "fear": True}}
    assert staff.write(reference, "risk-assessments", reassess)[0] == 200
    after = next(i for i in case_partition(table, reference) if i["sk"] == "TASK#PLAN_REVIEW")
    high_risk_review = on_or_after(local_day(datetime.now(UTC)) + timedelta(days=14))
    assert after["due_at"] == end_of_day(high_risk_review).isoformat() != before["due_at"]
    assert after["due_kind"] == "PLAN_REVIEW"


def test_the_dpo_reads_but_does_not_work_cases(staff: Staff) -> None:
    reference = staff.open_case()
    status, _ = staff.write(reference, "diary-entries", {"text": "A note."},
                            who=("d.price", "dpo", ""))
    assert status == 403


def test_the_tables_listing_attributes_follow_the_case(staff: Staff, table: str) -> None:
    reference = staff.open_case(behaviours=["threats"])
    item = from_item(boto3.client("dynamodb").get_item(
        TableName=table, Key={"pk": {"S": f"CASE#{reference}"}, "sk": {"S": "CASE"}})["Item"])
    assert (item["list_team"], item["team_status"], item["team_emergency"]) == (
        "yeovil", "yeovil#triaged", "yeovil")


def test_managers_get_the_regulators_figures(staff: Staff) -> None:
    staff.open_case("1 Quarry Road, Yeovil")
    staff.open_case("2 Quarry Road, Yeovil", ["hate"])
    from datetime import UTC, datetime

    from asb.policy.reporting_year import year_of

    year = str(year_of(datetime.now(UTC).date()))
    status, body = staff.call("case_queries-figures", query={"year": year},
                              who=("m.jones", "manager", "yeovil"))
    assert status == 200
    assert (body["cases_opened"], body["hate_cases"], body["homes"]) == (2, 1, 10000)
    assert body["nm01_1"] == 0.2 and body["nm01_2"] == 0.1
    assert staff.call("case_queries-figures", query={"year": year})[0] == 403


MANAGER = ("m.jones", "manager", "yeovil")
INTAKE_OFFICER = ("c.intake", "officer", "central-intake")


def assign(staff: Staff, reference: str, body: dict[str, Any],
           who: tuple[str, str, str] = MANAGER) -> tuple[int, dict[str, Any]]:
    version = staff.get(reference, who=MANAGER)[1]["case"]["version"]
    return staff.call("case_work-assign-case", body=body, if_match=f'"{version}"', who=who,
                      reference=reference)


def listed(staff: Staff, query: dict[str, str], who: tuple[str, str, str]) -> set[str]:
    status, page = staff.call("case_queries-list-team", query=query, who=who)
    assert status == 200, page
    return {c["reference"] for c in page["cases"]}


def test_a_manager_reassigns_a_case_audited_its_lists_and_tasks_move_and_the_officer_is_told(
        staff: Staff, load_handler: Any) -> None:
    from tests.integration.test_notifications_handler import deliver, emails_to

    reference = staff.open_case()  # BA20: o.hughes's patch
    assert staff.write(reference, "measures", {  # legal action: due work, by officer
        "measure": "civil_injunction", "rationale": "Threats continue after a written warning.",
        "equality_impact": "No protected characteristic is engaged."}, version=2)[0] == 200
    status, body = staff.call("case_work-assign-case", if_match='"3"', who=MANAGER,
                              reference=reference)  # the sample: to r.patel, yeovil
    assert status == 200, body
    case = staff.get(reference, who=MANAGER)[1]["case"]
    assert (case["officer"], case["team"]) == ("r.patel", "yeovil")
    (audit,) = [i for i in case_partition(staff.table, reference) if i.get("action") == "CaseAssigned"]
    assert audit["actor"] == "staff:m.jones"
    assert audit["before"] == {"officer": "o.hughes", "team": "yeovil"}
    assert audit["after"]["officer"] == "r.patel" and "on leave" in audit["after"]["reason"]
    assert reference in listed(staff, {"view": "mine"}, ("r.patel", "officer", "yeovil"))
    assert reference not in listed(staff, {"view": "mine"}, ("o.hughes", "officer", "yeovil"))
    tasks = [i for i in case_partition(staff.table, reference)
             if i["entity"] == "Task" and i.get("due_kind")]
    assert tasks and {t["officer"] for t in tasks} == {"r.patel"}  # the digest follows
    (measure,) = [i for i in case_partition(staff.table, reference) if i["entity"] == "Measure"]
    assert (measure["officer"], measure["due_kind"]) == ("r.patel", "LEGAL_APPROVAL")
    (event,) = outbox_events(staff.table, reference, "OfficerAssigned")
    assert event["detail"]["officer"] == "r.patel"
    deliver(load_handler("NotificationFunction"), staff.table, reference, "OfficerAssigned")
    ((subject, text),) = emails_to("r.patel@example.org")
    assert reference in subject and reference in text and "Alex" not in text
    # The same again is a rule broken, not a second change.
    status, body = assign(staff, reference, {"officer": "r.patel", "team": "yeovil"})
    assert status == 409 and "already" in body["message"]


def test_only_managers_and_the_intake_team_assign_and_a_bad_team_is_named(staff: Staff) -> None:
    reference = staff.open_case()
    to_patel = {"officer": "r.patel", "team": "yeovil"}
    status, body = assign(staff, reference, to_patel, who=("o.hughes", "officer", "yeovil"))
    assert status == 403 and "intake team" in body["message"]
    status, body = assign(staff, reference, {"officer": "r.patel", "team": "atlantis"})
    assert status == 422 and body["errors"][0]["field"] == "team"
    status, body = assign(staff, reference, {"officer": "r patel; drop", "team": "yeovil"})
    assert status == 422 and body["errors"][0]["field"] == "officer"
    assert staff.get(reference, who=MANAGER)[1]["case"]["officer"] == "o.hughes"


def test_a_report_without_a_postcode_waits_on_the_unassigned_queue_until_the_intake_team_assigns_it(
        staff: Staff) -> None:
    placed = staff.open_case()
    event = sample_event("intake-valid-json")
    event["headers"].pop("Idempotency-Key")
    data = json.loads(event["body"])
    data["location"] = {"address": "The car park behind the shops"}  # no postcode: no patch
    data["perpetrator"] = {"known": False}
    event["body"] = json.dumps(data)
    answer = staff.handlers["Intake"].lambda_handler(event, LambdaContext())
    assert answer["statusCode"] == 201, answer["body"]
    reference = json.loads(answer["body"])["reference"]
    (received,) = outbox_events(staff.table, reference, "ReportReceived")
    assert staff.handlers["Triage"].lambda_handler(
        queue_delivery("triage-report-received", received), LambdaContext()) == {
        "batchItemFailures": []}
    case = staff.get(reference, who=MANAGER)[1]["case"]
    assert (case["officer"], case["team"]) == (None, "central-intake")

    queue = {"unassigned": "true"}
    assert listed(staff, queue, MANAGER) == {reference}  # every team's queue, not placed
    assert listed(staff, queue, INTAKE_OFFICER) == {reference}
    assert listed(staff, queue, ("o.hughes", "officer", "yeovil")) == set()
    assert placed not in listed(staff, queue, MANAGER)

    status, body = assign(staff, reference, {"officer": "k.evans", "team": "taunton"},
                          who=INTAKE_OFFICER)
    assert status == 200, body
    assert listed(staff, queue, MANAGER) == set()
    assert reference in listed(staff, {"view": "mine"}, ("k.evans", "officer", "taunton"))
    # Now on the taunton team's case, the intake team no longer sees it.
    assert staff.get(reference, who=INTAKE_OFFICER)[0] == 404


def test_staff_see_the_address_to_check_and_the_perpetrators_home_and_tenancy(
        staff: Staff, homes: str) -> None:
    """Issue 21: a report whose reporter could not find the home in our list is flagged for an
    officer to check the address (triaged like any other); a home chosen from the list shows
    with the tenancy current there when the report came."""
    from tests.integration.helpers import report_and_triage
    from tests.landlords_homes import TENANCY_14

    event = sample_event("intake-valid-json")
    event["headers"].pop("Idempotency-Key")
    data = json.loads(event["body"])
    data["address_to_check"] = True
    event["body"] = json.dumps(data)
    flagged = report_and_triage(staff.handlers["Intake"], staff.handlers["Triage"], staff.table,
                                event)
    case = staff.get(flagged)[1]["case"]
    assert case["address_to_check"] is True and case["status"] == "triaged"
    chosen = staff.get(staff.open_case(home=NUMBER_14))[1]
    assert chosen["case"]["address_to_check"] is False
    (perpetrator,) = [p for p in chosen["people"] if p["role"] == "alleged perpetrator"]
    assert (perpetrator["uprn"], perpetrator["tenancy"]) == (NUMBER_14.uprn,
                                                             TENANCY_14.reference)


def test_a_closed_cases_open_work_goes_to_another_officer_and_the_case_stays_closed(
        staff: Staff, partners: Any) -> None:  # noqa: F811
    """A request to share still waiting on a decision when the case closed: when its officer
    leaves, a manager gives it to another without reopening the case; a closed case with
    nothing open is not reassigned."""
    from tests.integration.test_partners import ask

    reference = staff.open_case()
    assert ask(staff, reference)[0] == 200
    closed = {"outcome": "resolved", "reasons": "The noise stopped after our visit."}
    assert staff.write(reference, "closure", closed)[0] == 200
    status, body = assign(staff, reference, {"officer": "r.patel", "team": "yeovil",
                                              "reason": "o.hughes has left the team."})
    assert status == 200, body
    case = staff.get(reference, who=MANAGER)[1]["case"]
    assert (case["status"], case["officer"]) == ("closed", "r.patel")
    (waiting,) = [i for i in case_partition(staff.table, reference)
                  if i["entity"] == "Disclosure"]
    assert waiting["officer"] == "r.patel" and waiting["due_kind"]
    status, body = assign(staff, reference, {"team": "yeovil"})
    assert status == 422 and body["errors"][0]["field"] == "officer"

    nothing_open = staff.open_case("3 Orchard Close, Yeovil")
    assert staff.write(nothing_open, "closure", closed)[0] == 200
    status, body = assign(staff, nothing_open, {"officer": "r.patel", "team": "yeovil"})
    assert status == 409 and "reopen" in body["message"]
