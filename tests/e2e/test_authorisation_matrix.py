"""Every staff route by who is asking - no token, an officer of another team, the case's officer,
a manager, the data protection officer - through the local runtime with real tokens, as API
Gateway's authoriser would see."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import boto3
import pytest

from asb.case.targets import local_day
from asb.dynamo.codec import from_item
from infra.local.pollers import wait_until
from infra.local.runtime import LocalRuntime
from infra.local.template import functions
from infra.local.tokens import issue
from tests.conftest import sample_event
from tests.e2e.test_local_service import http

TOKENS = {
    "nobody": None,
    "other team": issue("k.evans", ["officer"], "taunton"),
    "officer": issue("o.hughes", ["officer"], "yeovil"),
    "manager": issue("m.jones", ["manager"], "yeovil"),
    "dpo": issue("d.price", ["dpo"], None),
}
TODAY = local_day(datetime.now(UTC)).isoformat()
SURVEY_CSV = ("reporting_year,respondents,very_satisfied,fairly_satisfied,neither,"
              "fairly_dissatisfied,very_dissatisfied,not_applicable_or_dont_know\n"
              "2025/26,200,90,45,25,12,8,20\n")  # a string body is sent as text/csv

# (method, route, body) in an order that a real case could follow; "{measure}" is the case's
# tool or power. The officer records a warning, the manager legal action it then approves.
ROUTES: list[tuple[str, str, Any]] = [
    ("GET", "/cases", None),
    ("GET", "/cases/{ref}", None),
    ("GET", "/cases/{ref}/audit", None),
    ("POST", "/cases/{ref}/diary-entries", {"text": "Visited; no answer at number 14."}),
    ("POST", "/cases/{ref}/contacts", {"channel": "phone", "summary": "Agreed a diary."}),
    ("POST", "/cases/{ref}/action-plan", {
        "landlord_actions": ["Write to the tenant"], "customer_actions": ["Keep a diary"],
        "contact_channel": "phone", "contact_every_working_days": 5, "review_on": "2027-02-01",
        "customer_agreed": True}),
    ("POST", "/cases/{ref}/risk-assessments", {"answers": {"considering_moving": True}}),
    ("POST", "/cases/{ref}/overrides", {"field": "risk", "value": "high",
                                        "reason": "New threats disclosed on the phone today."}),
    ("POST", "/cases/{ref}/measures", "measure"),
    ("POST", "/cases/{ref}/measures/{measure}/letters", {
        "channel": "letter", "what_happened": "Loud music from your home late at night.",
        "happened_on": [TODAY], "must_stop": ["Loud music after 11pm"]}),
    ("POST", "/cases/{ref}/measures/{measure}/decision", {
        "approved": True, "reason": "Proportionate after the failed warnings."}),
    ("POST", "/cases/{ref}/measures/{measure}/status", "status"),
    ("POST", "/cases/{ref}/measures/{measure}/bundles", {
        "hearing_id": "00000000-0000-0000-0000-000000000000",
        "items": [{"kind": "diary_entry", "id": "00000000-0000-0000-0000-000000000000"}]}),
    ("POST", "/cases/{ref}/measures/{measure}/steps", {
        "step": "withdrawn", "note": "No longer proportionate: the behaviour stopped."}),
    ("POST", "/cases/{ref}/referrals", {"service": "support", "subject": "reporter",
                                        "consent": True}),
    ("POST", "/cases/{ref}/emergency-legal-consideration", {
        "considered": True, "reason": "Considered; police bail conditions protect them now."}),
    ("POST", "/cases/{ref}/parties", {"roles": ["witness"], "person": {"name": "Jo Witness"}}),
    ("POST", "/cases/{ref}/parties/{party}/confirmation", {"note": "Checked on the phone."}),
    ("POST", "/cases/{ref}/parties/{party}/tenancy", {"tenancy_reference": "TEN-000001"}),
    ("POST", "/cases/{ref}/parties/{party}/statements", {
        "made_on": TODAY, "text": "I saw the man from number 5 kick the door of number 3.",
        "willing_to_attend_court": True}),
    ("POST", "/cases/{ref}/parties/{party}/statements/{statement}/signature",
     {"signed_on": TODAY}),
    ("POST", "/cases/{ref}/parties/{party}/witness-needs", {
        "support": ["pre_court_visit"], "special_measures": ["screens"],
        "contact_every_working_days": 5}),
    ("POST", "/cases/{ref}/parties/{party}/statement-files", {}),
    ("POST", "/cases/{ref}/evidence/{evidence}/check", {}),
    ("POST", "/cases/{ref}/parties/{party}/vulnerabilities", {
        "vulnerabilities": [{"type": "personal", "kind": "mental_health"}],
        "safeguarding_concerns": False}),
    ("POST", "/cases/{ref}/parties/{party}/unlinking", {
        "reason": "Saw nothing after all, the officer found."}),
    ("GET", "/people/{person}", None),
    ("POST", "/people/{person}/merger", {"merged_person_id": "{nobody}",
                                         "reason": "The same person, recorded twice."}),
    ("GET", "/homes/990000000001", None),  # the local register starts empty: 404
    ("POST", "/cases/{ref}/split", {"report_id": "{report}",
                                    "reason": "The opening report stays: refused."}),
    ("POST", "/cases/{ref}/join", {"case_reference": "ASB-2020-000001", "case_version": 1,
                                   "reason": "No such case: refused."}),
    ("GET", "/partners", None),
    ("PUT", "/partners/{partner}", {
        "name": "North Somerset Council", "kind": "council", "agreement": "Housing ISA",
        "data_categories": ["case_summary"], "legal_routes": ["cda_1998_s115"],
        "named_officers": [{"name": "Pat Reid", "role": "Community safety",
                            "email": "pat.reid@council.example"}],
        "queue": "council", "account_id": "222222222222"}),
    ("POST", "/cases/{ref}/disclosures", {
        "partner_id": "avon-somerset-police", "legal_route": "cda_1998_s115",
        "purpose": "Joint visit planned after threats to the neighbour.",
        "necessity": "The visiting officers need the history of threats to plan safely.",
        "data_categories": ["case_summary"]}),
    ("POST", "/cases/{ref}/disclosures/{disclosure}/decision", {
        "approved": True, "reason": "Necessary for the joint visit under s115."}),
    # The person at risk is nobody's party: 422 party_id once authorised.
    ("POST", "/cases/{ref}/safeguarding-referrals", {
        "referral_type": "adult", "partner_id": "somerset-adult-social-care",
        "party_id": "00000000-0000-0000-0000-000000000000",
        "purpose": "Adult at risk: the reporter spoke of harming themselves.",
        "necessity": "Adult social care must assess their needs under s42.",
        "data_categories": ["case_summary", "person_at_risk"], "consent": True}),
    # The disclosure is not a safeguarding referral: 404 once authorised.
    ("POST", "/cases/{ref}/safeguarding-referrals/{disclosure}/outcome", {
        "outcome": "no_further_action", "decided_on": TODAY, "decided_by": "Pat Reid"}),
    ("GET", "/disclosures", None),
    ("GET", "/disclosure-log", None),
    ("POST", "/cases/{ref}/power-requests", {
        "power": "community_protection_notice", "partner_id": "south-somerset-council",
        "evidence_summary": "Threats to the neighbour on three nights, logged in the diary.",
        "rationale": "Warnings failed; a CPN can require the threats to stop.",
        "equality_impact": "No known disability; support was offered at the visit."}),
    # Multi-agency meetings (issue 23): the action done and the minutes shared are those of the
    # meeting the caller recorded (none recorded: the ids are nobody's, a 404).
    ("POST", "/cases/{ref}/meetings", {
        "kind": "case_conference", "held_on": TODAY,
        "attendees": [{"attends_for": "partner", "partner_id": "avon-somerset-police"},
                      {"attends_for": "landlord", "officer": "o.hughes"}],
        "minutes": "Threats continue; police and landlord to visit together.",
        "actions": [{"description": "Joint visit with the police", "owner": "landlord",
                     "due_on": TODAY}]}),
    ("POST", "/cases/{ref}/meetings/{meeting}/actions/{action}", {
        "done": True, "note": "Visited with PC Lewis."}),
    ("POST", "/cases/{ref}/meetings/{meeting}/share", {
        "necessity": "The police attended and need the actions agreed at the meeting."}),
    ("POST", "/cases/{ref}/case-reviews", {"received_on": TODAY,
                                           "summary": "Asks for the case to be looked at again."}),
    # Its referral waits for approval (not refused): a 409 once authorised.
    ("POST", "/cases/{ref}/case-reviews/{review}/referral", {
        "reason": "The council is in the registry now, with its agreement."}),
    ("POST", "/cases/{ref}/case-reviews/{review}/acknowledgement", {"acknowledged_on": TODAY}),
    ("POST", "/cases/{ref}/case-reviews/{review}/threshold-decision", {
        "met": True, "reasons": "A hate incident: the local threshold is met."}),
    # As a participant (the policy's default) the lead body's steps are a 409: its meeting,
    # the recommendations made to us, what we did and the outcome are ours to record.
    ("POST", "/cases/{ref}/case-reviews/{review}/meeting", {
        "held_on": TODAY, "agencies": ["Police", "Council"], "summary": "Reviewed the plan.",
        "landlord_attended": True}),
    ("POST", "/cases/{ref}/case-reviews/{review}/recommendations", {"recommendations": [
        {"action": "Joint visit to the address", "owner": "Police", "due_on": TODAY}]}),
    ("POST", "/cases/{ref}/case-reviews/{review}/recommendations/{recommendation}/responses", {
        "on": TODAY, "what_we_did": "Visited with the police.", "done": True}),
    ("POST", "/cases/{ref}/case-reviews/{review}/outcome", {"summary": "A joint visit is due."}),
    ("POST", "/cases/{ref}/case-reviews/{review}/appeal", {
        "received_on": TODAY, "grounds": "The recommendations leave out the council."}),
    ("POST", "/cases/{ref}/case-reviews/{review}/appeal-decision", {
        "upheld": False, "reasons": "The council attended and agreed the actions."}),
    ("GET", "/case-reviews", None),
    ("GET", "/figures", None),
    ("PUT", "/figures/{year}/tenant-perception-survey", SURVEY_CSV),
    ("GET", "/legal-approvals", None),
    ("GET", "/policy/changes", None),
    ("GET", "/cases/{ref}/evidence/{evidence}", None),  # nothing checked yet: 404 to all
    ("POST", "/cases/{ref}/tracking-links/{report}/revocation", {
        "reason": "The reporter says someone else has seen the link."}),
    ("GET", "/equality-monitoring", None),
    ("POST", "/cases/{ref}/assignment", {"officer": "r.patel", "team": "yeovil",
                                         "reason": "o.hughes is on leave."}),
    ("POST", "/cases/{ref}/pathway", {"pathway": "domestic_abuse",
                                      "reason": "She told us on the phone her partner hits her."}),
    ("POST", "/cases/{ref}/good-neighbour-decision", {
        "treat_as_asb": True, "reason": "Persistent banging at 3am is more than everyday noise."}),
    ("POST", "/cases/{ref}/closure", {"outcome": "resolved",
                                      "reasons": "No reports for six weeks after the warning."}),
    ("POST", "/cases/{ref}/satisfaction-survey", {
        "answer": "very satisfied", "answered_on": TODAY, "channel": "phone"}),
    ("GET", "/subject-access?email=alex.morgan%40example.org", None),
    ("GET", "/access-audit?officer=o.hughes", None),
    ("POST", "/subject-access-requests", {"received_on": TODAY,
                                          "email": "alex.morgan@example.org"}),
    ("GET", "/subject-access-requests", None),
    ("GET", "/subject-access-requests/{sar}", None),
    ("POST", "/subject-access-requests/{sar}/extension", {
        "reason": "Years of cases and officers' notes to read through.", "notice": "letter",
        "notice_sent_on": TODAY}),
    ("POST", "/subject-access-requests/{sar}/review", {"cases": []}),  # decides on nothing
    ("POST", "/subject-access-requests/{sar}/release", None),  # not reviewed
    ("POST", "/cases/{ref}/rectification", {
        "report_id": "{report}", "person": "reporter", "field": "phone",
        "value": "07700 900456", "reason": "The reporter says the number we hold is old."}),
    ("POST", "/cases/{ref}/erasure", {
        "report_id": "{report}", "reason": "The reporter asked for their data to be erased."}),
    ("POST", "/cases/{ref}/legal-hold", {"hold": True,
                                         "reason": "A claim against the landlord is expected."}),
    ("POST", "/cases/{ref}/reopening", {"reason": "It started again last night."}),
]
MEASURES = {
    "officer": ({"measure": "first_written_warning",
                 "rationale": "First written warning after the verbal one was ignored."},
                {"status": "completed", "note": "Warning letter delivered by hand."}),
    "manager": ({"measure": "civil_injunction",
                 "rationale": "Threats continued after warnings and an ABA.",
                 "equality_impact": "No known disability; support offered before this."},
                # refused after authorisation: an injunction moves on by its steps
                {"status": "refused", "note": "The court refused; the evidence was too thin."}),
}


# Parties, people, split and join, each after its authorisation: a party added by staff is
# confirmed already (409 to confirm it), the local register is empty (no tenancy to tie to), the
# merged record is nobody's, the opening report stays, the case to join does not exist.
PEOPLE_ROUTES: dict[str, dict[str, int]] = {
    "/cases/{ref}/parties": {"officer": 200, "other team": 404, "dpo": 403},
    "/cases/{ref}/parties/{party}/confirmation": {"officer": 409, "other team": 404, "dpo": 403},
    "/cases/{ref}/parties/{party}/tenancy": {"officer": 422, "other team": 404, "dpo": 403},
    "/cases/{ref}/parties/{party}/unlinking": {"officer": 200, "other team": 404, "dpo": 403},
    "/cases/{ref}/parties/{party}/statements": {"officer": 200, "other team": 404, "dpo": 403},
    "/cases/{ref}/parties/{party}/statements/{statement}/signature": {
        "officer": 200, "other team": 404, "dpo": 403},
    "/cases/{ref}/parties/{party}/witness-needs": {"officer": 200, "other team": 404,
                                                   "dpo": 403},
    "/cases/{ref}/parties/{party}/statement-files": {"officer": 200, "other team": 404,
                                                     "dpo": 403},
    # No such statement file on the case (the upload itself goes to S3: test_statement_files).
    "/cases/{ref}/evidence/{evidence}/check": {"officer": 404, "other team": 404, "dpo": 403},
    "/cases/{ref}/parties/{party}/vulnerabilities": {"officer": 200, "other team": 404,
                                                     "dpo": 403},
    "/people/{person}": {"officer": 200, "other team": 404, "dpo": 200},
    "/people/{person}/merger": {"officer": 404, "other team": 404, "dpo": 403},
    "/cases/{ref}/split": {"officer": 409, "other team": 404, "dpo": 403},
    "/cases/{ref}/join": {"officer": 404, "other team": 404, "dpo": 403},
}


PARTICIPANT_REFUSED = ("/acknowledgement", "/threshold-decision", "/appeal",
                       "/appeal-decision", "/referral")


def expected(who: str, method: str, route: str) -> int:
    if who == "nobody":
        return 401
    if route == "/partners":
        return 200
    if route == "/partners/{partner}":
        return 200 if who == "manager" else 403
    if route == "/disclosures":
        return 200 if who in ("manager", "dpo") else 403
    if route == "/disclosure-log":
        return 200 if who == "dpo" else 403
    if route.endswith("/decision") and "disclosures" in route:
        # Officers may not decide; a manager may not decide their own request; the DPO finds
        # nothing to decide (it may not ask).
        return {"manager": 409, "dpo": 404}.get(who, 403)
    if route == "/cases/{ref}/safeguarding-referrals":
        return {"other team": 404, "dpo": 403}.get(who, 422)
    if route == "/cases/{ref}/safeguarding-referrals/{disclosure}/outcome":
        return {"dpo": 403}.get(who, 404)
    if route == "/cases/{ref}/good-neighbour-decision":
        # After authorisation: the case is an ASB case already, not a good-neighbour request.
        return {"other team": 404, "dpo": 403}.get(who, 409)
    if route in PEOPLE_ROUTES:  # first: a statement file's check is under /evidence/ too
        return PEOPLE_ROUTES[route].get(who, PEOPLE_ROUTES[route]["officer"])
    if route.startswith("/cases/{ref}/evidence/") or route.startswith("/homes/"):
        return 404
    if route in PEOPLE_ROUTES:
        return PEOPLE_ROUTES[route].get(who, PEOPLE_ROUTES[route]["officer"])
    if route.endswith("/bundles"):
        # After authorisation, the officer's and the manager's measures have no such hearing.
        return {"other team": 404, "dpo": 403}.get(who, 422)
    if route.endswith("/status") and who == "manager":
        return 409  # an injunction moves on by its steps, not a plain status
    if route.endswith("/steps") and who == "officer":
        return 409  # the warning was completed just before: nothing more happens to it
    if route.endswith("/letters") and who in ("officer", "manager"):
        # After authorisation: the officer's warning is against a perpetrator known only by
        # address (422 person.name); the manager's injunction sends no warning letter (409).
        return 422 if who == "officer" else 409
    if route in ("/case-reviews", "/figures", "/legal-approvals") or route.startswith("/figures/"):
        return 200 if who == "manager" else 403
    if route.endswith(PARTICIPANT_REFUSED) and who in ("officer", "manager"):
        return 409  # the lead body's step: not ours to record as a participant
    if route == "/policy/changes":  # those who act by the policy; not the DPO
        return 403 if who == "dpo" else 200
    if route == "/equality-monitoring":
        return 200 if who in ("manager", "dpo") else 403
    if route.startswith("/subject-access-requests"):
        if who != "dpo":
            return 403
        return {"/subject-access-requests": 201 if method == "POST" else 200,
                "/subject-access-requests/{sar}/review": 422,
                "/subject-access-requests/{sar}/release": 409}.get(route, 200)
    if route.endswith("/legal-hold") or route.startswith(("/subject-access", "/access-audit")) \
            or route.endswith("/rectification"):
        return 200 if who == "dpo" else 403
    if route.endswith("/erasure"):
        return 409 if who == "dpo" else 403  # the DPO may, once the case is closed
    if who == "dpo":
        return 200 if method == "GET" else 403
    if who == "other team":
        return 200 if route == "/cases" else 404
    if who == "officer" and route.endswith("/decision"):
        return 403
    if route.endswith("/assignment"):  # managers and the intake team only
        return 200 if who == "manager" else 403
    return 200


def open_emergency_case(service: LocalRuntime, street: str) -> str:
    data = json.loads(sample_event("intake-valid-json")["body"])
    data["location"]["address"] = f"3 {street}, Yeovil"
    data["perpetrator"] = {"known": True, "address": f"5 {street}, Yeovil"}
    data["incident"]["behaviours"] = ["threats"]
    status, _, answer = http(service, "POST", "/reports", json.dumps(data),
                             {"Content-Type": "application/json"})
    assert status == 201
    reference = json.loads(answer)["reference"]
    dynamodb = boto3.client("dynamodb", endpoint_url=service.aws_endpoint)

    def triaged() -> bool:
        item = dynamodb.get_item(TableName="asb-local-CasesTable",
                                 Key={"pk": {"S": f"CASE#{reference}"}, "sk": {"S": "CASE"}})
        return from_item(item.get("Item", {})).get("status") == "triaged"

    assert wait_until(triaged, seconds=20)
    return reference


def call(service: LocalRuntime, who: str, method: str, path: str,
         body: Any = None, version: int | None = None) -> tuple[int, dict[str, Any]]:
    text = isinstance(body, str)
    headers = {"Content-Type": "text/csv" if text else "application/json"}
    if TOKENS[who]:
        headers["Authorization"] = f"Bearer {TOKENS[who]}"
    if version is not None:
        headers["If-Match"] = f'"{version}"'
    status, answered, answer = http(service, method, path,
                                    body if text else json.dumps(body) if body else None, headers)
    if answered.get("Content-Type", "").startswith("text/csv"):
        return status, {"csv": answer}
    return status, json.loads(answer or "{}")


NOBODY = "00000000-0000-0000-0000-000000000000"


def witness_and_complainant(service: LocalRuntime, reference: str) -> tuple[str, str]:
    """The witness party the caller added (none: an id that is nobody's), and the person of the
    case's complainant."""
    parties = call(service, "manager", "GET", f"/cases/{reference}")[1]["parties"]
    witness = next((p["party_id"] for p in parties if "witness" in p["roles"]), NOBODY)
    complainant = next(p["person_id"] for p in parties if "complainant" in p["roles"])
    return witness, complainant


def version_of(service: LocalRuntime, reference: str) -> int:
    return int(call(service, "manager", "GET", f"/cases/{reference}")[1]["case"]["version"])


@pytest.mark.parametrize("who", list(TOKENS))
def test_every_staff_route_for_each_kind_of_caller(service: LocalRuntime, who: str) -> None:
    street = {"nobody": "Ash Lane", "other team": "Birch Lane", "officer": "Cedar Lane",
              "manager": "Damson Lane", "dpo": "Elm Lane"}[who]
    reference = open_emergency_case(service, street)
    measure_id = review_id = disclosure_id = party_id = person_id = statement_id = NOBODY
    recommendation_id = meeting_id = action_id = NOBODY
    sar, sar_version = "SAR-00000000-0000-0000-0000-000000000000", 1
    measure_body, status_body = MEASURES.get(who, MEASURES["officer"])
    answers = []
    case_version: int | None = None  # as the last change answered it; None: read the case
    timeline = call(service, "manager", "GET", f"/cases/{reference}")[1]["timeline"]
    report_id = next(e["detail"]["report_id"] for e in timeline if e["kind"] == "report")
    for method, route, body in ROUTES:
        body = {"measure": measure_body, "status": status_body}.get(body, body) \
            if isinstance(body, str) else body
        if isinstance(body, dict) and body.get("report_id") == "{report}":
            body = {**body, "report_id": report_id}
        if isinstance(body, dict) and body.get("merged_person_id") == "{nobody}":
            body = {**body, "merged_person_id": NOBODY}
        if route.startswith(("/cases/{ref}/parties/", "/people/")):
            party_id, person_id = witness_and_complainant(service, reference)
        path = route.replace("{ref}", reference).replace("{measure}", measure_id).replace(
            "{review}", review_id).replace("{recommendation}", recommendation_id).replace(
            "{disclosure}", disclosure_id).replace(
            "{partner}", "matrix-partner").replace("{report}", report_id).replace("{year}", "2025").replace(
            "{evidence}", "00000000-0000-0000-0000-000000000000").replace("{sar}", sar).replace(
            "{party}", party_id).replace("{person}", person_id).replace(
            "{statement}", statement_id).replace("{meeting}", meeting_id).replace(
            "{action}", action_id)
        if method == "POST" and "{sar}" not in route and case_version is None:
            case_version = version_of(service, reference)
        version = (None if method != "POST" else sar_version if "{sar}" in route
                   else case_version)
        status, answer = call(service, who, method, path, body, version)
        answers.append((method, route, status))
        if method != "GET" and 200 <= status < 300:
            # A change to the case answers with its new version, to send as If-Match next; after
            # any other change, read the case again. A refused request changed nothing.
            case_version = answer.get("version") if answer.get("reference") == reference else None
        if route.startswith("/subject-access-requests") and method == "POST" and \
                status in (200, 201):
            sar, sar_version = answer["request"]["reference"], answer["request"]["version"]
        if route.endswith("/measures") and status == 200:
            timeline = call(service, "manager", "GET", f"/cases/{reference}")[1]["timeline"]
            measure_id = next(e["detail"]["record_id"] for e in timeline
                              if e["kind"] == "tool_or_power")
        if route == "/cases/{ref}/disclosures" and status == 200:
            timeline = call(service, "manager", "GET", f"/cases/{reference}")[1]["timeline"]
            disclosure_id = next(e["detail"]["disclosure_id"] for e in timeline
                                 if e["kind"] == "disclosure")
        if route == "/cases/{ref}/meetings" and status == 200:
            (meeting,) = call(service, "manager", "GET", f"/cases/{reference}")[1]["meetings"]
            meeting_id, action_id = meeting["meeting_id"], meeting["actions"][0]["action_id"]
        if route.endswith("/statements") and status == 200:
            witnesses = call(service, "manager", "GET", f"/cases/{reference}")[1]["witnesses"]
            statement_id = witnesses[0]["statements"][0]["record_id"]
        if route.endswith("/case-reviews") and status == 200:
            timeline = call(service, "manager", "GET", f"/cases/{reference}")[1]["timeline"]
            review_id = next(e["detail"]["review_id"] for e in timeline
                             if e["kind"] == "case_review")
        if route.endswith("/recommendations") and status == 200:
            timeline = call(service, "manager", "GET", f"/cases/{reference}")[1]["timeline"]
            recommendation_id = next(
                e["detail"]["recommendations"][0]["recommendation_id"] for e in timeline
                if e["kind"] == "case_review")
    assert answers == [(m, r, expected(who, m, r)) for m, r, _ in ROUTES]


def test_the_matrix_covers_every_staff_route_of_the_template() -> None:
    staff_routes = {
        (t.properties["Method"].upper(), t.properties["Path"])
        for spec in functions() for t in spec.triggers
        if t.kind == "Api" and (t.properties.get("Auth") or {}).get("Authorizer") != "NONE"}
    covered = {(m, r.replace("{ref}", "{reference}").replace("{measure}", "{measure_id}")
                .replace("{review}", "{review_id}")
                .replace("{recommendation}", "{recommendation_id}")
                .replace("{disclosure}", "{disclosure_id}")
                .replace("{partner}", "{partner_id}").replace("{report}", "{report_id}")
                .replace("{evidence}", "{evidence_id}").replace("{sar}", "{reference}")
                .replace("{party}", "{party_id}").replace("{person}", "{person_id}")
                .replace("{statement}", "{statement_id}")
                .replace("{meeting}", "{meeting_id}").replace("{action}", "{action_id}")
                .replace("/homes/990000000001", "/homes/{uprn}")
                .split("?")[0]) for m, r, _ in ROUTES}
    assert staff_routes == covered


def test_concurrent_writers_lose_no_update(service: LocalRuntime) -> None:
    """Five officers write at once from the same version: one wins, the rest are told to read
    again; each retries until it lands, and every entry is there."""
    from concurrent.futures import ThreadPoolExecutor

    reference = open_emergency_case(service, "Elder Lane")
    start = version_of(service, reference)

    def write(n: int) -> list[int]:
        statuses = []
        version = start
        for _ in range(20):
            status, answer = call(service, "officer", "POST",
                                  f"/cases/{reference}/diary-entries",
                                  {"text": f"Entry from writer {n}."}, version)
            statuses.append(status)
            if status == 200:
                return statuses
            assert status == 412
            version = int(answer["current_version"])
        return statuses

    with ThreadPoolExecutor(max_workers=5) as pool:
        results = list(pool.map(write, range(5)))
    assert all(statuses[-1] == 200 for statuses in results)
    assert sum(statuses.count(412) for statuses in results) >= 1  # they did collide
    view = call(service, "manager", "GET", f"/cases/{reference}")[1]
    texts = sorted(e["detail"]["text"] for e in view["timeline"] if e["kind"] == "diary")
    assert texts == [f"Entry from writer {n}." for n in range(5)]
    assert view["case"]["version"] == start + 5
