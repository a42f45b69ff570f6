"""Enforcement through the service (issue 22): the steps route through the case work handler with
AWS-shaped events from events/, against moto - an injunction recorded, approved, applied for, a
hearing listed for tomorrow (on the officer's list and in the digest as work due today, under
its own title naming the day), adjourned, an order made whose review is due 28 days before it
ends; each refusal (a hearing before the application, a notice on the absolute ground after its
last day, an agreement reviewed before it starts) answered in words or by field, with nothing
stored; and a reassigned case's dates going to its new officer, in the same transaction."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from types import ModuleType
from typing import Any

import boto3
import pytest

from asb.case.targets import LONDON, local_day, long_date
from asb.dynamo.codec import from_item
from asb.enforcement.dates import serve_by, start_of_day
from asb.kernel.clock import FixedClock
from tests.conftest import LambdaContext, sample_event
from tests.integration.helpers import Staff, case_partition, table_items
from tests.landlords_homes import NUMBER_14

OFFICER = ("o.hughes", "officer", "yeovil")
MANAGER = ("m.jones", "manager", "yeovil")
APPROVAL = {"approved": True, "reason": "Proportionate: warnings and an ABA have failed."}
COURT = "Yeovil County Court"


@pytest.fixture
def clock(staff: Staff, monkeypatch: pytest.MonkeyPatch) -> FixedClock:
    """The staff functions' clock, moved on by the test (intake and triage run on the real one)."""
    moved = FixedClock(datetime.now(UTC))
    for name in ("CaseWork", "CaseQueries"):
        monkeypatch.setattr(staff.handlers[name].service, "_clock", moved)
    return moved


@pytest.fixture
def digest(load_handler: Callable[[str], ModuleType]) -> ModuleType:
    return load_handler("DailyDigestFunction")


def london(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), LONDON).astimezone(UTC)


def version_of(table: str, reference: str) -> int:
    """The case's version as stored (a staff read would add an audit entry)."""
    item = boto3.client("dynamodb").get_item(
        TableName=table, Key={"pk": {"S": f"CASE#{reference}"}, "sk": {"S": "CASE"}})["Item"]
    return int(from_item(item)["version"])


def take_step(staff: Staff, reference: str, measure_id: str, body: dict[str, Any],
              who: tuple[str, str, str] = OFFICER) -> tuple[int, dict[str, Any]]:
    """POST /cases/{reference}/measures/{measure_id}/steps, as API Gateway passes it."""
    event = sample_event("case_work-take-enforcement-step")
    path = f"/cases/{reference}/measures/{measure_id}/steps"
    event["path"], event["requestContext"]["path"] = path, f"/v1{path}"
    event["pathParameters"] = {"reference": reference, "measure_id": measure_id}
    version = f'"{version_of(staff.table, reference)}"'
    event["headers"]["If-Match"], event["multiValueHeaders"]["If-Match"] = version, [version]
    event["requestContext"]["authorizer"]["claims"].update(
        {"cognito:username": who[0], "cognito:groups": who[1], "custom:team": who[2]})
    event["body"] = json.dumps(body)
    answer = staff.handlers["CaseWork"].lambda_handler(event, LambdaContext())
    return answer["statusCode"], json.loads(answer["body"] or "{}")


def refused(staff: Staff, attempt: Callable[[], tuple[int, dict[str, Any]]],
            reference: str) -> tuple[int, dict[str, Any]]:
    """A refusal stores nothing: the whole table, and so the case's version, as before."""
    before, version = table_items(staff.table), version_of(staff.table, reference)
    status, body = attempt()
    assert status in (409, 422), body
    assert version_of(staff.table, reference) == version
    assert table_items(staff.table) == before
    return status, body


def recorded_injunction(staff: Staff, reference: str) -> str:
    """The sample event's civil injunction, recorded by the officer and approved by a manager."""
    status, body = staff.call("case_work-record-measure", reference=reference,
                              if_match=f'"{version_of(staff.table, reference)}"')
    assert status == 200, body
    (measure,) = [i for i in case_partition(staff.table, reference) if i["entity"] == "Measure"]
    decided = staff.write(reference, f"measures/{measure['record_id']}/decision", APPROVAL,
                          version=version_of(staff.table, reference), who=MANAGER)
    assert decided[0] == 200, decided
    return str(measure["record_id"])


def open_dates(table: str, reference: str, kind: str) -> list[dict[str, Any]]:
    return [i for i in case_partition(table, reference)
            if i["entity"] == "Deadline" and i.get("due_kind") == kind]


def listed_work(staff: Staff, reference: str, kind: str,
                who: tuple[str, str, str] = OFFICER) -> list[dict[str, Any]]:
    """The case's work of one kind on the staff list of work due and overdue."""
    status, page = staff.call("case_queries-list-team", query={"overdue": "true"}, who=who)
    assert status == 200, page
    return [w for w in page["overdue"] if w["case_reference"] == reference and w["kind"] == kind]


def digest_to(digest: ModuleType, officer: str, day: date) -> str:
    """The officer's digest as of 07:00 on `day`, as the schedule sends it."""
    from moto.core import DEFAULT_ACCOUNT_ID
    from moto.ses.models import ses_backends

    scheduled = london(day, 7).strftime("%Y-%m-%dT%H:%M:%SZ")
    digest.lambda_handler({"scheduled_time": scheduled}, LambdaContext())
    sent = ses_backends[DEFAULT_ACCOUNT_ID]["eu-west-2"].sent_messages
    mine = [m for m in sent if m.destinations["ToAddresses"] == [f"{officer}@example.org"]
            and long_date(day) in m.subject + m.body]
    return str(mine[-1].body) if mine else ""


def due_today(mail: str) -> str:
    return mail.split("Due today", 1)[1] if "Due today" in mail else ""


def hearing_listed(staff: Staff, reference: str, measure_id: str, on: date) -> str:
    """The application made today and a first hearing listed for 10:00 on `on`: its title."""
    today = local_day(datetime.now(UTC))
    applied = {"step": "applied", "applied_on": today.isoformat(), "court": COURT,
               "respondent_born_on": "1990-05-01"}
    assert take_step(staff, reference, measure_id, applied)[0] == 200
    listed = {"step": "hearing_listed", "at": london(on, 10).isoformat(), "court": COURT,
              "purpose": "first"}
    status, body = take_step(staff, reference, measure_id, listed)
    assert status == 200, body
    (hearing,) = open_dates(staff.table, reference, "HEARING")
    return str(hearing["title"])


def test_an_injunction_from_approval_to_an_order_with_its_dates_due_as_work(
        staff: Staff, clock: FixedClock, digest: ModuleType) -> None:
    reference = staff.open_case()
    measure_id = recorded_injunction(staff, reference)
    today = local_day(clock.now())
    tomorrow = today + timedelta(days=1)
    applied = {"step": "applied", "applied_on": today.isoformat(), "court": COURT,
               "respondent_born_on": "1990-05-01"}
    assert take_step(staff, reference, measure_id, applied)[0] == 200
    early = {"step": "hearing_listed", "at": london(today - timedelta(days=1), 10).isoformat(),
             "court": COURT, "purpose": "first"}
    status, body = refused(staff, lambda: take_step(staff, reference, measure_id, early), reference)
    assert status == 422 and [e["field"] for e in body["errors"]] == ["at"]

    listed = {**early, "at": london(tomorrow, 10).isoformat()}
    assert take_step(staff, reference, measure_id, listed)[0] == 200
    (hearing,) = open_dates(staff.table, reference, "HEARING")
    assert (hearing["officer"], hearing["team"], hearing["on"]) == (
        "o.hughes", "yeovil", tomorrow.isoformat())
    assert hearing["due_at"] == start_of_day(today).isoformat()  # the day before's midnight
    assert long_date(tomorrow) in hearing["title"] and COURT in hearing["title"]
    # On the officer's list of work and in today's digest: due, not overdue.
    (work,) = listed_work(staff, reference, "HEARING")
    assert work["title"] == hearing["title"] and work["overdue"] is False
    mail = digest_to(digest, "o.hughes", today)
    assert hearing["title"] in due_today(mail), mail

    clock.at = london(tomorrow, 11)  # heard, and adjourned for a week
    (measure,) = [i for i in case_partition(staff.table, reference) if i["entity"] == "Measure"]
    adjourned_to = tomorrow + timedelta(days=7)
    status, body = take_step(staff, reference, measure_id, {
        "step": "hearing_held", "hearing_id": measure["hearings"][0]["hearing_id"],
        "outcome": "adjourned", "note": "The respondent asked for time to get advice.",
        "adjourned_to": london(adjourned_to, 10).isoformat()})
    assert status == 200, body
    (next_hearing,) = open_dates(staff.table, reference, "HEARING")
    assert next_hearing["on"] == adjourned_to.isoformat()
    assert [d["status"] for d in case_partition(staff.table, reference)
            if d["entity"] == "Deadline" and d["record_id"] == hearing["record_id"]] == ["done"]

    clock.at = london(adjourned_to, 12)  # the order is made, to end in 60 days
    expires_on = adjourned_to + timedelta(days=60)
    (measure,) = [i for i in case_partition(staff.table, reference) if i["entity"] == "Measure"]
    status, body = take_step(staff, reference, measure_id, {
        "step": "hearing_held", "hearing_id": measure["hearings"][1]["hearing_id"],
        "outcome": "order made", "note": "Injunction granted until its end date.",
        "order": {"kind": "injunction", "terms": ["Not to enter Orchard Close"],
                  "expires_on": expires_on.isoformat()}})
    assert status == 200, body
    assert open_dates(staff.table, reference, "HEARING") == []
    (review,) = open_dates(staff.table, reference, "ORDER_REVIEW")
    review_from = expires_on - timedelta(days=28)
    assert review["due_at"] == start_of_day(review_from).isoformat()
    assert review["on"] == expires_on.isoformat()
    clock.at = london(review_from - timedelta(days=1), 12)
    assert listed_work(staff, reference, "ORDER_REVIEW") == []
    clock.at = london(review_from, 9)
    (work,) = listed_work(staff, reference, "ORDER_REVIEW")
    assert work["overdue"] is False and long_date(expires_on) in work["title"]
    assert review["title"] in due_today(digest_to(digest, "o.hughes", review_from))


def test_a_hearing_not_recorded_by_the_day_after_is_overdue(
        staff: Staff, clock: FixedClock, digest: ModuleType) -> None:
    reference = staff.open_case()
    measure_id = recorded_injunction(staff, reference)
    tomorrow = local_day(clock.now()) + timedelta(days=1)
    title = hearing_listed(staff, reference, measure_id, tomorrow)
    the_day_after = tomorrow + timedelta(days=1)
    clock.at = london(the_day_after, 9)
    (work,) = listed_work(staff, reference, "HEARING")
    assert work["overdue"] is True
    mail = digest_to(digest, "o.hughes", the_day_after)
    overdue = mail.split("Overdue", 1)[1].split("Due today", 1)[0]
    assert f"{title} (was due {long_date(tomorrow)})" in overdue


def test_a_notice_on_the_absolute_ground_after_its_last_day_is_refused_in_words(
        staff: Staff, clock: FixedClock, homes: str) -> None:
    reference = staff.open_case(home=NUMBER_14)  # tied to Sam Carter's current tenancy
    today = local_day(clock.now())
    met_on = today - timedelta(days=70)  # a closure order: 3 months to serve
    last_day = serve_by(4, met_on)
    status, body = staff.write(reference, "measures", {
        "measure": "possession_absolute_ground",
        "rationale": "A closure order was made for the home after months of drug dealing.",
        "equality_impact": "No known disability in the household; support was offered.",
        "absolute_ground": {"condition": 4, "met_on": met_on.isoformat()}},
        version=version_of(staff.table, reference))
    assert status == 200, body
    (measure,) = [i for i in case_partition(staff.table, reference) if i["entity"] == "Measure"]
    measure_id = measure["record_id"]
    assert staff.write(reference, f"measures/{measure_id}/decision", APPROVAL,
                       version=version_of(staff.table, reference), who=MANAGER)[0] == 200
    (warning,) = open_dates(staff.table, reference, "ABSOLUTE_GROUND_DEADLINE")
    assert warning["on"] == last_day.isoformat()
    (work,) = listed_work(staff, reference, "ABSOLUTE_GROUND_DEADLINE")
    assert work["overdue"] is False  # 28 days' warning: serve it by the last day

    the_day_after = last_day + timedelta(days=1)
    clock.at = london(the_day_after, 10)
    (work,) = listed_work(staff, reference, "ABSOLUTE_GROUND_DEADLINE")
    assert work["overdue"] is True
    notice = {"step": "notice_served", "ground": "ground_7a",
              "served_on": the_day_after.isoformat()}
    status, body = refused(staff, lambda: take_step(staff, reference, measure_id, notice),
                           reference)
    assert status == 409
    assert body["message"] == (
        f"A notice on the absolute ground had to be served by {last_day.isoformat()}: served "
        f"{the_day_after.isoformat()}, it is past its deadline")


def test_an_agreement_reviewed_before_it_starts_is_refused_naming_the_field(
        staff: Staff) -> None:
    reference = staff.open_case()
    today = local_day(datetime.now(UTC))
    agreement = {"measure": "acceptable_behaviour_agreement",
                 "rationale": "An agreement first: the tenant admits the noise and wants help.",
                 "agreement": {"terms": ["No loud music after 11pm"],
                               "signatories": ["Sam Carter", "O Hughes"],
                               "starts_on": today.isoformat(),
                               "review_on": (today - timedelta(days=1)).isoformat()}}
    status, body = refused(staff, lambda: staff.write(
        reference, "measures", agreement, version=version_of(staff.table, reference)), reference)
    assert status == 422 and [e["field"] for e in body["errors"]] == ["agreement.review_on"]


def test_a_reassigned_cases_hearing_goes_to_its_new_officer_and_team(
        staff: Staff, clock: FixedClock, digest: ModuleType) -> None:
    reference = staff.open_case()
    measure_id = recorded_injunction(staff, reference)
    today = local_day(clock.now())
    title = hearing_listed(staff, reference, measure_id, today + timedelta(days=1))
    status, body = staff.call("case_work-assign-case", who=MANAGER, reference=reference,
                              if_match=f'"{version_of(staff.table, reference)}"')
    assert status == 200, body  # the sample: to r.patel, of the same team
    (hearing,) = open_dates(staff.table, reference, "HEARING")
    assert (hearing["officer"], hearing["team"]) == ("r.patel", "yeovil")
    assert title in due_today(digest_to(digest, "r.patel", today))
    assert title not in digest_to(digest, "o.hughes", today)

    to_taunton = {"officer": "k.evans", "team": "taunton", "reason": "The family moved to Taunton."}
    status, body = staff.call("case_work-assign-case", body=to_taunton, who=MANAGER,
                              reference=reference,
                              if_match=f'"{version_of(staff.table, reference)}"')
    assert status == 200, body
    (hearing,) = open_dates(staff.table, reference, "HEARING")
    assert (hearing["officer"], hearing["team"]) == ("k.evans", "taunton")
    assert listed_work(staff, reference, "HEARING", who=("k.evans", "officer", "taunton"))
    assert listed_work(staff, reference, "HEARING") == []  # off the Yeovil team's list

