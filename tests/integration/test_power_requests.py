"""A power the landlord does not hold, through the handlers against moto: asked of the council
(a partner that is not in the registry, or of the wrong kind, refused with nothing stored),
approved by a manager, signed onto the council's own queue, acknowledged, and the council's
outcome back on the inbound queue onto the case - once, however often it is delivered, and a
stranger's message in the same batch reported as that batch's only failure."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from typing import Any

import jsonschema

from infra.partner_receiver import Receiver
from tests.conftest import LambdaContext, sample_event
from tests.integration import test_partners
from tests.integration.helpers import Staff, case_partition
from tests.integration.test_enforcement_flow import take_step
from tests.integration.test_partners import (
    DPO,
    MANAGER,
    decide,
    deliver_inbound,
    disclosures,
    publish_approved,
    receiver,
    waiting_on_partner_queues,
)

partners = test_partners.partners  # the fixture: the registry seeded, the partner handlers

SCHEMA = json.loads((Path(__file__).parents[2] / "docs" / "partners" /
                     "disclosure-message.schema.json").read_text())


def ask(staff: Staff, reference: str, **changes: Any) -> tuple[int, dict[str, Any]]:
    body = {**json.loads(sample_event("partners-request-power")["body"]), **changes}
    version = staff.get(reference, who=MANAGER)[1]["case"]["version"]
    return staff.call("partners-request-power", path=f"/cases/{reference}/power-requests",
                      body=body, if_match=f'"{version}"', reference=reference)


def council(aws: Any) -> Receiver:
    """The reference receiver, reading the council's queue as the council."""
    return replace(receiver(aws), queue_url=str(aws.ref("CouncilQueue")),
                   partner_id="south-somerset-council", officer="Jo Baxter")


def measures(table: str, reference: str) -> list[dict[str, Any]]:
    return [i for i in case_partition(table, reference) if i["entity"] == "Measure"]


def outcome_event(reference: str, disclosure_id: str, **changes: Any) -> dict[str, Any]:
    event = sample_event("partner_inbound-power-outcome")
    body = json.loads(event["Records"][0]["body"])
    event["Records"][0]["body"] = json.dumps({**body, "case_reference": reference,
                                              "disclosure_id": disclosure_id, **changes})
    return event


def stored(table: str, reference: str) -> list[dict[str, Any]]:
    """The case's items but the audit of its reads (each GET of the case leaves one)."""
    return [i for i in case_partition(table, reference) if i.get("action") != "CaseViewed"]


def test_a_power_not_ours_is_refused_unless_asked_of_a_partner_that_holds_it(
        staff: Staff, partners: Any, table: str) -> None:
    reference = staff.open_case()
    before = stored(table, reference)
    status, body = ask(staff, reference, partner_id="nobody-at-all")
    assert status == 422 and body["errors"][0]["field"] == "partner_id"
    status, body = ask(staff, reference, power="criminal_behaviour_order")
    assert status == 409 and "asked of the police" in body["message"]
    status, body = ask(staff, reference, power="civil_injunction")
    assert status == 422 and body["errors"][0]["field"] == "power"
    status, body = staff.write(reference, "measures", {
        "measure": "community_protection_notice",
        "rationale": "Warnings failed; the music goes on all night.",
        "equality_impact": "No known disability in the household."})
    assert status == 409 and f"/cases/{reference}/power-requests" in body["message"]
    assert stored(table, reference) == before  # nothing stored


def test_a_power_request_from_asking_to_the_partners_outcome(staff: Staff, partners: Any,
                                                              table: str) -> None:
    aws = partners["aws"]
    reference = staff.open_case()
    assert ask(staff, reference)[0] == 200
    (requested,) = disclosures(table, reference)
    (measure,) = measures(table, reference)
    assert requested["kind"] == "power_request" and measure["status"] == "requested"
    assert measure["held_by"] == "south-somerset-council"
    body = staff.call("partners-list", path="/disclosures", who=MANAGER)[1]
    assert [w["kind"] for w in body["waiting"]] == ["power_request"]
    assert decide(staff, reference, requested["record_id"], True)[0] == 200
    assert waiting_on_partner_queues(aws) == 0  # approved: it leaves through the outbox
    publish_approved(partners, table, reference)

    partner = council(aws)
    assert partner.poll_once(wait_seconds=0) == 1 and partner.rejected == 0
    (message,) = partner.received
    jsonschema.validate(message, SCHEMA)
    package = message["package"]
    assert package["power_request"]["power"] == "community_protection_notice"
    assert package["respondent"]["party_id"] == measure["party_id"]
    assert "Alex" not in json.dumps(package) and "alex.morgan" not in json.dumps(package)
    deliver_inbound(partners)  # the council's acknowledgement
    assert disclosures(table, reference)[0]["status"] == "acknowledged"

    event = outcome_event(reference, requested["record_id"])
    assert partners["inbound"].lambda_handler(event, LambdaContext()) == {
        "batchItemFailures": []}
    after = case_partition(table, reference)
    (granted,) = [i for i in after if i["entity"] == "Measure"]
    assert granted["status"] == "granted" and granted["expires_on"] == "2027-12-01"
    assert granted["order"]["kind"] == "community protection notice"
    (review,) = [i for i in after if i["entity"] == "Deadline"]
    assert review["due_kind"] == "ORDER_REVIEW" and review["officer"] == "o.hughes"
    audit = [i for i in after if i["entity"] == "AuditEntry"
             and i["action"] == "PowerOutcomeRecorded"]
    assert [a["actor"] for a in audit] == ["partner:south-somerset-council"]
    assert next(i for i in after if i["entity"] == "Disclosure")["status"] == "answered"
    log = sorted((i for i in after if i["entity"] == "DisclosureLog"), key=lambda i: i["at"])
    assert [i["action"] for i in log] == ["requested", "approved", "sent", "acknowledged",
                                          "outcome received"]
    assert log[-1]["by"] == "partner:south-somerset-council"

    # The same message again, with a stranger's in the same batch: only the stranger's fails,
    # and the case is as it was.
    stranger = outcome_event(reference, requested["record_id"])["Records"][0]
    stranger = {**stranger, "messageId": "a-stranger",
                "attributes": {**stranger["attributes"], "SenderId": "AIDASOMEONEELSE"}}
    event["Records"].append(stranger)
    answer = partners["inbound"].lambda_handler(event, LambdaContext())
    assert answer == {"batchItemFailures": [{"itemIdentifier": "a-stranger"}]}
    assert case_partition(table, reference) == after


def test_a_withdrawn_power_request_never_leaves_and_only_a_manager_decides_one(
        staff: Staff, partners: Any, table: str) -> None:
    aws = partners["aws"]
    reference = staff.open_case()
    assert ask(staff, reference)[0] == 200
    (requested,) = disclosures(table, reference)
    before = stored(table, reference)
    status, body = decide(staff, reference, requested["record_id"], True, who=DPO)
    assert status == 403 and "manager" in body["message"]
    assert stored(table, reference) == before  # nothing stored

    # Withdrawn while it waits for the manager: off the list, never decided.
    (measure,) = measures(table, reference)
    withdrawal = {"step": "withdrawn", "note": "The music stopped: no longer needed."}
    assert take_step(staff, reference, measure["record_id"], withdrawal)[0] == 200
    assert disclosures(table, reference)[0]["status"] == "withdrawn"
    assert staff.call("partners-list", path="/disclosures", who=MANAGER)[1]["waiting"] == []
    status, body = decide(staff, reference, requested["record_id"], True)
    assert status == 409 and "withdrawn" in body["message"]

    # Asked again and approved, then withdrawn before the publisher sends it: never sent.
    assert ask(staff, reference)[0] == 200
    (again,) = [d for d in disclosures(table, reference) if d["status"] == "requested"]
    assert decide(staff, reference, again["record_id"], True)[0] == 200
    assert take_step(staff, reference, again["measure_id"], withdrawal)[0] == 200
    publish_approved(partners, table, reference)
    assert waiting_on_partner_queues(aws) == 0
    log = sorted((i for i in case_partition(table, reference)
                  if i["entity"] == "DisclosureLog" and i["disclosure_id"] == again["record_id"]),
                 key=lambda i: i["at"])
    assert [i["action"] for i in log] == ["requested", "approved", "withdrawn"]
