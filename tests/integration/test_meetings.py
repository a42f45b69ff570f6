"""Multi-agency meetings through the handlers, against moto: a meeting recorded (an action with
no owner refused with nothing stored), shown on the case, a partner's late action chased by the
due-work sweep and the partner publisher - signed, on the police's own queue, logged, once - the
police's action_update marking it done, the landlord's own action done by the officer, and the
minutes shared only through a request to share and its decision."""

from __future__ import annotations

import json
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from typing import Any

import jsonschema

from asb.case.targets import local_day
from asb.web.staff_answers import CaseView
from tests.conftest import LambdaContext, sample_event
from tests.integration import test_partners
from tests.integration.helpers import Staff, case_partition, outbox_events, queue_delivery
from tests.integration.test_partners import (
    DPO,
    MANAGER,
    decide,
    disclosures,
    publish_approved,
    receiver,
)

partners = test_partners.partners  # the fixture: the registry seeded, the partner handlers

FOLDER = Path(__file__).parents[2] / "docs" / "partners"
CHASE_SCHEMA = json.loads((FOLDER / "action-chase-message.schema.json").read_text())
DISCLOSURE_SCHEMA = json.loads((FOLDER / "disclosure-message.schema.json").read_text())
TODAY = local_day(datetime.now(UTC))
OURS_DUE = TODAY + timedelta(days=7)
POLICE_DUE = TODAY + timedelta(days=3)


def meeting_body(**changes: Any) -> dict[str, Any]:
    body = json.loads(sample_event("partners-record-meeting")["body"])
    body["held_on"] = (TODAY - timedelta(days=1)).isoformat()
    body["actions"] = [
        {"description": "Visit the tenant about the music and offer support",
         "owner": "landlord", "due_on": OURS_DUE.isoformat()},
        {"description": "Patrol the close at night; tell Alex Morgan what was seen",
         "owner": "avon-somerset-police", "due_on": POLICE_DUE.isoformat()}]
    return {**body, **changes}


def version(staff: Staff, reference: str) -> str:
    return f'"{staff.get(reference, who=MANAGER)[1]["case"]["version"]}"'


def record(staff: Staff, reference: str, body: dict[str, Any],
           who: tuple[str, str, str] = ("o.hughes", "officer", "yeovil")) -> tuple[int, Any]:
    return staff.call("partners-record-meeting", path=f"/cases/{reference}/meetings", body=body,
                      if_match=version(staff, reference), reference=reference, who=who)


def stored(table: str, reference: str) -> list[dict[str, Any]]:
    return [i for i in case_partition(table, reference) if i.get("action") != "CaseViewed"]


def sweep(partners_: dict[str, Any], load_handler: Any, at: datetime) -> dict[str, int]:
    reviews = load_handler("ReviewSweepFunction")
    run = {**sample_event("review_sweep-scheduled"), "scheduled_time": at.isoformat()}
    return dict(reviews.lambda_handler(run, LambdaContext())["events"])


def test_bad_meetings_are_refused_with_nothing_stored(staff: Staff, partners: Any,
                                                     table: str) -> None:
    reference = staff.open_case()
    before = stored(table, reference)
    no_owner = meeting_body(actions=[{"description": "Visit the tenant",
                                      "due_on": OURS_DUE.isoformat()}])
    status, body = record(staff, reference, no_owner)
    assert status == 422 and [e["field"] for e in body["errors"]] == ["actions.0.owner"]
    absent = meeting_body(actions=[{"description": "Noise monitoring", "due_on":
                                    OURS_DUE.isoformat(), "owner": "south-somerset-council"}])
    status, body = record(staff, reference, absent)
    assert status == 422 and body["errors"][0]["field"] == "actions.0.owner"
    past = meeting_body(actions=[{"description": "Visit the tenant", "owner": "landlord",
                                  "due_on": (TODAY - timedelta(days=1)).isoformat()}])
    status, body = record(staff, reference, past)
    assert status == 422 and body["errors"][0]["field"] == "actions.0.due_on"
    status, body = record(staff, reference, meeting_body(attendees=[
        {"attends_for": "partner", "partner_id": "no-such-partner"}], actions=[]))
    assert status == 422 and body["errors"][0]["field"] == "attendees.0.partner_id"
    assert record(staff, reference, meeting_body(), who=DPO)[0] == 403
    assert stored(table, reference) == before


def test_a_meeting_its_actions_chased_and_done(staff: Staff, partners: Any, table: str,
                                               load_handler: Any) -> None:
    aws = partners["aws"]
    reference = staff.open_case()
    assert record(staff, reference, meeting_body())[0] == 200
    (meeting,) = staff.get(reference)[1]["meetings"]
    assert meeting["kind_name"] == "Problem-solving panel"
    assert meeting["attendees"][0]["agency"] == "Avon and Somerset Constabulary"
    ours, theirs = meeting["actions"]
    assert (ours["owner"], theirs["owner"]) == ("landlord", "avon-somerset-police")
    assert not ours["late"] and ours["status"] == "open"
    dates = {i["action_id"]: i for i in case_partition(table, reference)
             if i["entity"] == "Deadline"}
    assert dates[ours["action_id"]]["due_kind"] == "MEETING_ACTION"
    assert dates[theirs["action_id"]]["due_kind"] == "PARTNER_ACTION_CHASE"

    # Due on POLICE_DUE, chased once the day is over, once however often the sweep runs.
    on_the_day = datetime.combine(POLICE_DUE, time(12, 0), UTC)
    assert "PartnerActionOverdue" not in sweep(partners, load_handler, on_the_day)
    after = datetime.combine(POLICE_DUE + timedelta(days=1), time(9, 15), UTC)
    assert sweep(partners, load_handler, after).get("PartnerActionOverdue") == 1
    assert "PartnerActionOverdue" not in sweep(partners, load_handler,
                                               after + timedelta(minutes=15))
    (overdue,) = outbox_events(table, reference, "PartnerActionOverdue")
    delivery = queue_delivery("partner_publisher-action-overdue", overdue)
    for _ in range(2):  # a redelivery chases nothing twice
        assert partners["publisher"].lambda_handler(delivery, LambdaContext()) == {
            "batchItemFailures": []}
    police = receiver(aws)
    assert police.poll_once(wait_seconds=0) == 1 and police.rejected == 0  # signed, verified
    (chase,) = police.received
    jsonschema.validate(chase, CHASE_SCHEMA)
    assert chase["type"] == "action_chase" and chase["partner_id"] == "avon-somerset-police"
    assert chase["action"]["action_id"] == theirs["action_id"]
    assert chase["action"]["due_on"] == POLICE_DUE.isoformat()
    assert chase["action"]["owner"] == "avon-somerset-police"
    # A chase never carries the action's words: they went only in minutes decided to share.
    assert "Alex" not in json.dumps(chase) and "Patrol" not in json.dumps(chase)
    items = case_partition(table, reference)
    chased = next(i for i in items if i.get("action_id") == theirs["action_id"]
                  and i["entity"] == "Deadline")
    assert chased["status"] == "chased" and chased["due_kind"] == "PARTNER_ACTION_CHASE:escalated"
    assert [i["action"] for i in items if i["entity"] == "DisclosureLog"] == ["action chased"]

    # The police say it is done: once, however often the message comes.
    event = sample_event("partner_inbound-action-update")
    message = json.loads(event["Records"][0]["body"])
    event["Records"][0]["body"] = json.dumps({
        **message, "case_reference": reference, "meeting_id": meeting["meeting_id"],
        "action_id": theirs["action_id"], "done_on": TODAY.isoformat()})
    for _ in range(2):
        assert partners["inbound"].lambda_handler(event, LambdaContext()) == {
            "batchItemFailures": []}
    (shown,) = staff.get(reference)[1]["meetings"]
    assert shown["actions"][1]["status"] == "done"
    assert shown["actions"][1]["done_by"] == "partner:avon-somerset-police"
    done = next(i for i in case_partition(table, reference)
                if i.get("action_id") == theirs["action_id"] and i["entity"] == "Deadline")
    assert done["status"] == "done" and "due_kind" not in done

    # The officer records the landlord's own action done; a second time is a 409.
    path = f"/cases/{reference}/meetings/{meeting['meeting_id']}/actions/{ours['action_id']}"
    update = {"done": True, "note": "Visited; he agreed to keep it down after 11pm."}
    assert staff.call("partners-update-meeting-action", path=path, body=update,
                      if_match=version(staff, reference), reference=reference)[0] == 200
    status, body = staff.call("partners-update-meeting-action", path=path, body=update,
                              if_match=version(staff, reference), reference=reference)
    assert status == 409 and "done already" in body["message"]
    assert staff.get(reference)[1]["meetings"][0]["actions"][0]["done_by"] == "staff:o.hughes"


def test_the_minutes_are_shared_only_through_a_decision(staff: Staff, partners: Any,
                                                        table: str) -> None:
    aws = partners["aws"]
    reference = staff.open_case()
    assert record(staff, reference, meeting_body())[0] == 200
    meeting_id = staff.get(reference)[1]["meetings"][0]["meeting_id"]
    path = f"/cases/{reference}/meetings/{meeting_id}/share"
    body = json.loads(sample_event("partners-share-meeting-minutes")["body"])
    status, answer = staff.call("partners-share-meeting-minutes", path=path,
                                body={**body, "partner_ids": ["south-somerset-council"]},
                                if_match=version(staff, reference), reference=reference)
    assert status == 422 and answer["errors"][0]["field"] == "partner_ids"  # not there
    assert staff.call("partners-share-meeting-minutes", path=path, body=body,
                      if_match=version(staff, reference), reference=reference)[0] == 200
    (request,) = disclosures(table, reference)
    assert request["kind"] == "meeting_minutes" and request["status"] == "requested"
    assert request["partner_id"] == "avon-somerset-police"
    status, answer = staff.call("partners-share-meeting-minutes", path=path, body=body,
                                if_match=version(staff, reference), reference=reference)
    assert status == 409  # asked already
    police = receiver(aws)
    assert police.poll_once(wait_seconds=0) == 0  # nothing leaves without a decision
    assert decide(staff, reference, request["record_id"], True)[0] == 200
    publish_approved(partners, table, reference)
    assert police.poll_once(wait_seconds=0) == 1
    (message,) = police.received
    jsonschema.validate(message, DISCLOSURE_SCHEMA)
    shared = message["package"]["meeting"]
    assert shared["minutes"].startswith("Loud music late at night")
    assert [a["yours"] for a in shared["actions"]] == [False, True]
    assert "Alex" not in json.dumps(message)
    assert message["package"]["data_categories"] == ["meeting_minutes"]


def test_closing_the_case_ends_open_actions_and_nobody_is_chased(
        staff: Staff, partners: Any, table: str, load_handler: Any) -> None:
    reference = staff.open_case()
    assert record(staff, reference, meeting_body())[0] == 200
    view = staff.get(reference)[1]
    CaseView.model_validate(view)  # the answer as the OpenAPI document describes it
    meeting_id = view["meetings"][0]["meeting_id"]
    assert staff.write(reference, "closure", {
        "outcome": "resolved", "reasons": "No reports for six weeks after the panel."})[0] == 200
    (meeting,) = staff.get(reference)[1]["meetings"]
    assert [a["status"] for a in meeting["actions"]] == ["ended", "ended"]
    assert all("closed" in a["note"] for a in meeting["actions"])
    deadlines = [i for i in case_partition(table, reference) if i["entity"] == "Deadline"]
    assert len(deadlines) == 2 and not any("due_kind" in d for d in deadlines)
    later = datetime.combine(OURS_DUE + timedelta(days=2), time(9, 15), UTC)
    assert "PartnerActionOverdue" not in sweep(partners, load_handler, later)
    # Closed, it takes no meeting and no action done; sharing what was agreed still may be asked.
    assert record(staff, reference, meeting_body())[0] == 409
    path = (f"/cases/{reference}/meetings/{meeting_id}/actions/"
            f"{meeting['actions'][0]['action_id']}")
    status, _ = staff.call("partners-update-meeting-action", path=path,
                           body={"done": True, "note": "Visited after all."},
                           if_match=version(staff, reference), reference=reference)
    assert status == 409


def test_an_action_done_before_its_chase_leaves_is_not_chased(
        staff: Staff, partners: Any, table: str, load_handler: Any) -> None:
    reference = staff.open_case()
    assert record(staff, reference, meeting_body())[0] == 200
    (meeting,) = staff.get(reference)[1]["meetings"]
    theirs = meeting["actions"][1]
    after = datetime.combine(POLICE_DUE + timedelta(days=1), time(9, 15), UTC)
    assert sweep(partners, load_handler, after).get("PartnerActionOverdue") == 1
    # The officer hears the police patrolled, and says so before the chase is published.
    path = f"/cases/{reference}/meetings/{meeting['meeting_id']}/actions/{theirs['action_id']}"
    assert staff.call("partners-update-meeting-action", path=path,
                      body={"done": True, "note": "PC Lewis rang: patrolled twice."},
                      if_match=version(staff, reference), reference=reference)[0] == 200
    (overdue,) = outbox_events(table, reference, "PartnerActionOverdue")
    assert partners["publisher"].lambda_handler(
        queue_delivery("partner_publisher-action-overdue", overdue), LambdaContext()) == {
        "batchItemFailures": []}
    assert receiver(partners["aws"]).poll_once(wait_seconds=0) == 0
    assert not [i for i in case_partition(table, reference) if i["entity"] == "DisclosureLog"]


def test_subject_access_gives_each_person_the_meetings_naming_them_others_taken_out(
        staff: Staff, partners: Any) -> None:
    """A witness an officer added is found by their party, not a report: they get the meetings
    that name them; the reporter's part never names the witness (no report names them)."""
    reference = staff.open_case()
    sam = {"name": "Jo Whitlock", "email": "jo.whitlock@example.org"}
    assert staff.write(reference, "parties", {"roles": ["witness"], "person": sam})[0] == 200
    assert record(staff, reference, meeting_body(
        minutes="Alex Morgan reported the music; Jo Whitlock heard it too and will give a "
                "statement.", actions=[]))[0] == 200

    status, reporters = staff.call("data_protection-subject-access",
                                   query={"email": "alex.morgan@example.org"}, who=DPO)
    assert status == 200, reporters
    (case,) = [c for c in reporters["cases"] if c["case_reference"] == reference]
    (shown,) = case["meetings_that_name_you"]
    assert "Alex Morgan" in shown["minutes"] and "Whitlock" not in json.dumps(reporters)

    status, witnesses = staff.call("data_protection-subject-access",
                                   query={"email": sam["email"]}, who=DPO)
    assert status == 200, witnesses
    (place,) = witnesses["your_places_in_cases"]
    (named,) = place["meetings_that_name_you"]
    assert "Jo Whitlock heard it" in named["minutes"] and "Alex" not in json.dumps(place)
