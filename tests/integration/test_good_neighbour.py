"""The good-neighbour route (issue 23, item 4), through the handlers on moto: a report of
everyday living noise alone is kept as a good-neighbour request (its reference and link, one
transaction) and told why in plain words; triage gives it a light follow-up and a property
check for the repairs system, not ASB tasks; its reporter asks for ASB through their link; an
officer decides - no, and the reporter reads why; yes, and it is triaged as an ASB case from that
day."""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Callable
from datetime import UTC, datetime
from types import ModuleType
from typing import Any
from urllib.parse import parse_qs, quote, urlsplit

import boto3
import pytest

from asb.case.outbox import OutboxRelay, message_from_image
from asb.case.targets import local_day
from asb.policy.reporting_year import year_of
from tests.conftest import LambdaContext, sample_event
from tests.integration.helpers import (
    Staff,
    case_partition,
    outbox_events,
    queue_delivery,
    queue_messages,
    report_of,
)

MEDIATION = "mediation"


@pytest.fixture
def tracking(load_handler: Callable[[str], ModuleType]) -> ModuleType:
    return load_handler("TrackingFunction")


def good_neighbour_report(staff: Staff, change: Callable[[dict[str, Any]], None] | None = None,
                          ) -> tuple[dict[str, Any], str]:
    event = copy.deepcopy(sample_event("intake-good-neighbour-json"))
    event["headers"].pop("Idempotency-Key")
    if change:
        data = json.loads(event["body"])
        change(data)
        event["body"] = json.dumps(data)
    answer = staff.handlers["Intake"].lambda_handler(event, LambdaContext())
    assert answer["statusCode"] == 201, answer["body"]
    body = json.loads(answer["body"])
    return body, report_of(staff.table, body["reference"])[0]


def triage(staff: Staff, reference: str) -> None:
    for received in outbox_events(staff.table, reference, "ReportReceived"):
        assert staff.handlers["Triage"].lambda_handler(
            queue_delivery("triage-report-received", received), LambdaContext()) == {
            "batchItemFailures": []}


def items(staff: Staff, reference: str, entity: str) -> list[dict[str, Any]]:
    return [i for i in case_partition(staff.table, reference) if i["entity"] == entity]


def case_item(staff: Staff, reference: str) -> dict[str, Any]:
    (case,) = items(staff, reference, "Case")
    return case


def open_tasks(staff: Staff, reference: str) -> set[str]:
    return {i["kind"] for i in items(staff, reference, "Task") if i.get("due_kind")}


def secret_of(answer: dict[str, Any]) -> str:
    return str(parse_qs(urlsplit(answer["tracking_url"]).query)["secret"][0])


def tracking_call(tracking: ModuleType, sample: str, path: str, method: str,
                  form: dict[str, str] | None = None,
                  query: dict[str, str] | None = None) -> dict[str, Any]:
    event = copy.deepcopy(sample_event(sample))
    resource = re.sub(r"ASB-\d{4}-\d{6}", "{reference}", path)
    event.update(path=path, resource=resource, httpMethod=method,
                 pathParameters={"reference": path.split("/")[2]})
    event["requestContext"].update(resourcePath=resource, httpMethod=method,
                                   path=f"/v1{path}")
    if form is not None:
        event["body"] = "&".join(f"{k}={quote(v)}" for k, v in form.items())
    event["queryStringParameters"] = query
    event["multiValueQueryStringParameters"] = {k: [v] for k, v in (query or {}).items()} \
        or None
    return dict(tracking.lambda_handler(event, LambdaContext()))


def page(tracking: ModuleType, reference: str, secret: str) -> str:
    answer = tracking_call(tracking, "tracking-get-page", f"/track/{reference}", "GET",
                           query={"secret": secret})
    assert answer["statusCode"] == 200
    return str(answer["body"])


def ask(tracking: ModuleType, reference: str, secret: str, reason: str) -> dict[str, Any]:
    return tracking_call(tracking, "tracking-ask-for-asb", f"/track/{reference}/asb-request",
                         "POST", form={"secret": secret, "reason": reason})


def decide(staff: Staff, reference: str, treat_as_asb: bool, reason: str,
           who: tuple[str, str, str] = ("o.hughes", "officer", "yeovil"),
           ) -> tuple[int, dict[str, Any]]:
    return staff.write(reference, "good-neighbour-decision",
                       {"treat_as_asb": treat_as_asb, "reason": reason}, who=who)


def test_household_noise_is_a_good_neighbour_request_told_why(staff: Staff) -> None:
    answer, reference = good_neighbour_report(staff)
    assert answer["reference"] == reference and "tracking_url" in answer
    told = answer["next_steps"]
    assert "not anti-social behaviour" in told and MEDIATION in told
    assert "check the building" in told and "ask us to treat it as that" in told
    case = case_item(staff, reference)
    assert case["pathway"] == "good_neighbour" and case["matter_keys"] == []
    assert case.get("due_kind") is None  # no ASB 'no activity' target on it
    (received,) = outbox_events(staff.table, reference, "ReportReceived")
    assert received["detail"]["joined"] is False


def test_triage_gives_a_light_follow_up_and_a_property_check_not_asb_work(staff: Staff) -> None:
    _, reference = good_neighbour_report(staff)
    triage(staff, reference)
    case = case_item(staff, reference)
    assert case["status"] == "triaged" and case["team"] == "yeovil"
    assert case.get("category") is None and case.get("risk") is None
    assert case["emergency"] is False
    assert "first_contact_due" not in (case.get("targets") or {})  # no ASB response targets
    assert open_tasks(staff, reference) == {"GOOD_NEIGHBOUR_FOLLOW_UP"}
    (triaged,) = outbox_events(staff.table, reference, "CaseTriaged")
    assert triaged["detail"]["pathway"] == "good_neighbour"
    assert triaged["detail"]["property_check"] is True
    (check,) = outbox_events(staff.table, reference, "PropertyCheckRequested")
    assert check["detail"]["address"] == "Flat 1, 14 Orchard Close, Yeovil"
    assert check["detail"]["postcode"] == "BA20 1AB" and "Sound insulation" in check["detail"]["what"]
    sent = json.dumps(check)
    for personal in ("Alex", "Morgan", "example.org", "07700", "Footsteps"):
        assert personal not in sent  # minimised: what repairs needs, nobody's details


def test_no_property_check_when_the_sound_is_not_said_to_come_through(staff: Staff) -> None:
    _, reference = good_neighbour_report(
        staff, lambda data: data["incident"].update(through_walls=False))
    triage(staff, reference)
    assert outbox_events(staff.table, reference, "PropertyCheckRequested") == []


def test_the_property_check_reaches_the_repairs_queue(staff: Staff, aws: Any) -> None:
    _, reference = good_neighbour_report(staff)
    triage(staff, reference)
    (stored,) = [i for i in items(staff, reference, "Event")
                 if i["type"] == "PropertyCheckRequested"]
    repairs = str(aws.ref("RepairsRequestQueue"))

    class Sqs:
        def send(self, queue_url: str, body: str, attributes: dict[str, str]) -> None:
            boto3.client("sqs").send_message(QueueUrl=queue_url, MessageBody=body)

    assert OutboxRelay(Sqs(), {"repairs": repairs}).relay(message_from_image(stored)) == [
        "repairs"]
    (message,) = queue_messages(repairs)
    assert json.loads(message["Body"])["detail"]["what"].startswith("Sound insulation")


@pytest.mark.parametrize("change", [
    lambda d: d["incident"].update(behaviours=["household_noise", "noise"]),
    lambda d: d["harm"].update(threats_or_violence=True),
    lambda d: d["harm"].update(targeted_for_identity=["race"]),
    lambda d: d["harm"].update(feels_unsafe=True),
])
def test_anything_more_than_everyday_living_is_an_asb_case(
        staff: Staff, change: Callable[[dict[str, Any]], None]) -> None:
    answer, reference = good_neighbour_report(staff, change)
    assert case_item(staff, reference).get("pathway") is None  # asb, as every case was
    assert "not anti-social behaviour" not in answer["next_steps"]


def test_the_reporter_asks_for_asb_and_an_officer_says_no_with_reasons(
        staff: Staff, tracking: ModuleType) -> None:
    answer, reference = good_neighbour_report(staff)
    triage(staff, reference)
    secret = secret_of(answer)
    shown = page(tracking, reference, secret)
    assert "not anti-social behaviour" in shown and 'id="ask-for-asb"' in shown
    refused = ask(tracking, reference, secret, "too short")
    assert refused["statusCode"] == 422 and "at least 10 characters" in refused["body"]
    assert case_item(staff, reference).get("asb_request") is None  # nothing stored
    asked = ask(tracking, reference, secret, "The stamping starts when my son goes to bed.")
    assert asked["statusCode"] == 303
    assert case_item(staff, reference)["asb_request"]["reason"].startswith("The stamping")
    assert "GOOD_NEIGHBOUR_DECISION" in open_tasks(staff, reference)
    assert 'id="asb-asked"' in page(tracking, reference, secret)

    status, _ = decide(staff, reference, False, "short")
    assert status == 422
    status, body = decide(staff, reference, False,
                          "It is everyday noise at normal hours; mediation is the best way on.")
    assert status == 200, body
    case = case_item(staff, reference)
    assert case["pathway"] == "good_neighbour" and case.get("asb_request") is None
    assert "GOOD_NEIGHBOUR_DECISION" not in open_tasks(staff, reference)
    (decided,) = outbox_events(staff.table, reference, "GoodNeighbourDecided")
    assert decided["detail"] == {"treat_as_asb": False, "report_id": case["triaged_report_ids"][0]}
    shown = page(tracking, reference, secret)
    assert "we are not treating it as anti-social behaviour" in shown
    assert "mediation is the best way on" in shown


def test_an_officer_moves_it_to_asb_and_triage_takes_it_as_a_new_case(staff: Staff) -> None:
    _, reference = good_neighbour_report(staff)
    triage(staff, reference)
    status, body = decide(staff, reference, True,
                          "The diary shows it every night at 3am: persistent nuisance.")
    assert status == 200, body
    case = case_item(staff, reference)
    assert case.get("pathway") is None and case["asb_opened_at"]  # asb, counted from today
    assert case["due_kind"] == "NO_ACTIVITY"
    assert open_tasks(staff, reference) == set()  # the follow-up ended
    (_, moved) = outbox_events(staff.table, reference, "ReportReceived")
    assert moved["detail"]["moved_to_asb"] is True
    triage(staff, reference)
    case = case_item(staff, reference)
    assert case["category"] == "C" and case["status"] == "triaged"
    assert {"FIRST_CONTACT", "CUSTOMER_CONTACT", "PLAN_REVIEW"} <= open_tasks(staff, reference)
    status, shown = staff.get(reference)
    assert shown["case"]["good_neighbour_decision"]["treat_as_asb"] is True
    again = decide(staff, reference, False, "Changed my mind about this one, sorry.")
    assert again[0] == 409  # an ASB case is not a good-neighbour request


def test_only_the_team_decides_and_always_at_the_version_read(staff: Staff) -> None:
    _, reference = good_neighbour_report(staff)
    triage(staff, reference)
    status, _ = decide(staff, reference, True, "Another team's officer deciding this.",
                       who=("k.evans", "officer", "taunton"))
    assert status == 404
    status, _ = staff.call("case_work-good-neighbour-decision", reference=reference,
                           body={"treat_as_asb": True, "reason": "No version sent with it."})
    assert status == 428
    assert case_item(staff, reference)["pathway"] == "good_neighbour"


def test_nm01_counts_a_request_only_once_it_is_moved_to_asb(staff: Staff) -> None:
    manager = ("m.jones", "manager", "yeovil")

    def year() -> dict[str, Any]:
        this_year = year_of(local_day(datetime.now(UTC)))
        status, body = staff.call("case_queries-figures", query={"year": str(this_year)},
                                  who=manager)
        assert status == 200, body
        return body

    _, reference = good_neighbour_report(staff)
    triage(staff, reference)
    counted = year()
    assert counted["cases_opened"] == 0
    assert counted["counted_apart"]["good_neighbour"]["cases_opened"] == 1
    assert decide(staff, reference, True, "The diary shows it at 3am every night.")[0] == 200
    (moved,) = items(staff, reference, "Case")
    assert moved["year_list"].startswith("AsbOpened#")  # found by the year it was moved in
    counted = year()
    assert counted["cases_opened"] == 1
    assert counted["counted_apart"]["good_neighbour"]["cases_opened"] == 0


def test_a_request_is_never_joined_with_an_asb_case_until_it_is_one(staff: Staff) -> None:
    asb = staff.open_case("20 Rowan Court, Yeovil", ["noise"])
    _, request = good_neighbour_report(staff)
    triage(staff, request)
    def join(into: str, joined: str) -> tuple[int, dict[str, Any]]:
        version = case_item(staff, joined)["version"]
        return staff.write(into, "join", {"case_reference": joined, "case_version": version,
                                          "reason": "The same flats, the same noise."})

    for into, joined in ((asb, request), (request, asb)):
        status, body = join(into, joined)
        assert status == 409 and "decide whether it is ASB first" in body["message"]
    assert decide(staff, request, True, "Persistent banging at night, every night.")[0] == 200
    triage(staff, request)
    status, body = join(asb, request)
    assert status == 200, body


@pytest.mark.parametrize(("body", "field"), [
    ({"reason": "Persistent banging every night."}, "treat_as_asb"),
    ({"treat_as_asb": "perhaps", "reason": "Persistent banging every night."}, "treat_as_asb"),
    ({"treat_as_asb": True}, "reason"),
    ({"treat_as_asb": True, "reason": "x" * 2001}, "reason"),
    ({"treat_as_asb": True, "reason": "Persistent banging.", "pathway": "asb"}, "pathway"),
])
def test_a_decision_that_does_not_read_is_a_422_naming_its_field_and_nothing_is_stored(
        staff: Staff, body: dict[str, Any], field: str) -> None:
    _, reference = good_neighbour_report(staff)
    triage(staff, reference)
    before = case_item(staff, reference)
    status, answer = staff.write(reference, "good-neighbour-decision", body)
    assert status == 422, answer
    assert field in [e["field"] for e in answer["errors"]]
    assert case_item(staff, reference) == before


def test_the_dpo_may_not_decide(staff: Staff) -> None:
    _, reference = good_neighbour_report(staff)
    triage(staff, reference)
    status, _ = decide(staff, reference, True, "The DPO has no say in this one.",
                       who=("d.price", "dpo", "yeovil"))
    assert status == 403
    assert case_item(staff, reference)["pathway"] == "good_neighbour"


def test_asking_for_asb_on_an_asb_case_or_with_a_wrong_link_changes_nothing(
        staff: Staff, tracking: ModuleType) -> None:
    answer, reference = good_neighbour_report(staff, lambda d: d["incident"].update(
        behaviours=["noise"]))
    before = case_item(staff, reference)
    refused = ask(tracking, reference, secret_of(answer), "It is ASB, the music is so loud.")
    assert refused["statusCode"] == 409
    assert "already being handled as anti-social behaviour" in refused["body"]
    answer, request = good_neighbour_report(staff)
    wrong = ask(tracking, request, "not-the-secret", "It is ASB, the stamping is deliberate.")
    assert wrong["statusCode"] == 404
    assert case_item(staff, reference) == before
    assert case_item(staff, request).get("asb_request") is None
