"""Safeguarding through the handlers against moto (issue 23, item 1): a party's vulnerability
screened; self-harm answered yes puts the prompt at the top of the case and opens its task; a
referral without consent and without a reason is refused with nothing stored; with the reason it
goes (DPA 2018 Sch 1 para 18), is approved by a manager, signed onto the partner's queue,
acknowledged, chased when its outcome is late, and ended by the partner's outcome - logged at
each step."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import jsonschema

from infra.partner_receiver import Receiver
from tests.conftest import LambdaContext, sample_event
from tests.integration import test_partners
from tests.integration.helpers import Staff, case_partition
from tests.integration.test_meetings import sweep
from tests.integration.test_partners import (
    MANAGER,
    decide,
    deliver_inbound,
    disclosures,
    publish_approved,
    receiver,
)

partners = test_partners.partners  # the fixture: the registry seeded, the partner handlers

SCHEMA = json.loads((Path(__file__).parents[2] / "docs" / "partners" /
                     "disclosure-message.schema.json").read_text())


def stored(table: str, reference: str) -> list[dict[str, Any]]:
    return [i for i in case_partition(table, reference) if i.get("action") != "CaseViewed"]


def version(staff: Staff, reference: str) -> str:
    return f'"{staff.get(reference, who=MANAGER)[1]["case"]["version"]}"'


def complainant(staff: Staff, reference: str) -> str:
    parties = staff.get(reference, who=MANAGER)[1]["parties"]
    return next(p["party_id"] for p in parties if "complainant" in p["roles"])


def refer(staff: Staff, reference: str, **changes: Any) -> tuple[int, dict[str, Any]]:
    body = {**json.loads(sample_event("partners-request-safeguarding-referral")["body"]),
            "party_id": complainant(staff, reference), **changes}
    return staff.call("partners-request-safeguarding-referral",
                      path=f"/cases/{reference}/safeguarding-referrals", body=body,
                      if_match=version(staff, reference), reference=reference)


def adult_social_care(aws: Any) -> Receiver:
    return replace(receiver(aws), queue_url=str(aws.ref("CouncilQueue")),
                   partner_id="somerset-adult-social-care", officer="Pat Reid")


def test_a_partys_vulnerability_shows_on_the_case_and_a_perpetrator_unscreened_is_named(
        staff: Staff, table: str) -> None:
    reference = staff.open_case()
    party_id = complainant(staff, reference)
    body = json.loads(sample_event("case_work-screen-vulnerability")["body"])
    status, _ = staff.call("case_work-screen-vulnerability",
                           path=f"/cases/{reference}/parties/{party_id}/vulnerabilities",
                           body=body, if_match=version(staff, reference), reference=reference)
    assert status == 200
    view = staff.get(reference)[1]
    screened = next(p for p in view["parties"] if p["party_id"] == party_id)["vulnerability"]
    assert [v["kind"] for v in screened["vulnerabilities"]] == [
        "mental_health", "self_harm_or_suicidal_thoughts"]
    assert screened["safeguarding_concerns"] is True and screened["screened_by"] == "o.hughes"
    perpetrators = [p["party_id"] for p in view["parties"]
                    if "alleged_perpetrator" in p["roles"]]
    assert view["perpetrators_not_screened"] == perpetrators
    # A kind of the wrong type: 422 naming it, nothing stored.
    before = stored(table, reference)
    wrong = {"vulnerabilities": [{"type": "personal", "kind": "bereavement"}],
             "safeguarding_concerns": False}
    status, answer = staff.call("case_work-screen-vulnerability",
                                path=f"/cases/{reference}/parties/{party_id}/vulnerabilities",
                                body=wrong, if_match=version(staff, reference),
                                reference=reference)
    assert status == 422 and answer["errors"][0]["field"] == "vulnerabilities.0.kind"
    # An "other" kind without a note: 422 naming the note.
    unnamed = {"vulnerabilities": [{"type": "personal", "kind": "other_personal"}],
               "safeguarding_concerns": False}
    status, answer = staff.call("case_work-screen-vulnerability",
                                path=f"/cases/{reference}/parties/{party_id}/vulnerabilities",
                                body=unnamed, if_match=version(staff, reference),
                                reference=reference)
    assert status == 422 and [e["field"] for e in answer["errors"]] == [
        "vulnerabilities.0.note"]
    assert stored(table, reference) == before


def test_without_consent_and_without_a_reason_nothing_is_stored(staff: Staff, partners: Any,
                                                                 table: str) -> None:
    reference = staff.open_case()
    before = stored(table, reference)
    status, body = refer(staff, reference, without_consent_reason=None)
    assert status == 422 and [e["field"] for e in body["errors"]] == ["without_consent_reason"]
    status, body = refer(staff, reference, referral_type="child")  # adult social care
    assert status == 422 and body["errors"][0]["field"] == "partner_id"
    assert stored(table, reference) == before



def test_the_ordinary_request_to_share_cannot_go_without_consent_under_paragraph_18(
        staff: Staff, partners: Any, table: str) -> None:
    reference = staff.open_case()
    before = stored(table, reference)
    status, body = test_partners.ask(
        staff, reference, partner_id="somerset-adult-social-care", subject="reporter",
        legal_route="dpa_2018_sch1_para18", consent=False,
        data_categories=["case_summary", "incident_details"])
    assert status == 422 and [e["field"] for e in body["errors"]] == ["legal_route"]
    assert "/safeguarding-referrals" in body["errors"][0]["message"]
    assert stored(table, reference) == before

def test_a_referral_from_the_prompt_to_the_partners_outcome(staff: Staff, partners: Any,
                                                             table: str,
                                                             load_handler: Any) -> None:
    aws = partners["aws"]
    reference = staff.open_case()
    assert "safeguarding_prompt" not in staff.get(reference)[1]
    assert staff.write(reference, "risk-assessments",
                       {"answers": {"self_harm_risk": True}})[0] == 200
    view = staff.get(reference)[1]
    assert view["case"]["risk"]["level"] == "high"
    assert view["safeguarding_prompt"]["prompted_by"][0]["question"] == "self_harm_risk"
    (task,) = [i for i in case_partition(table, reference)
               if i["entity"] == "Task" and i["kind"] == "SAFEGUARDING_REFERRAL"]
    assert task["status"] == "open" and task["due_kind"] == "SAFEGUARDING_REFERRAL"

    assert refer(staff, reference)[0] == 200
    view = staff.get(reference)[1]
    assert "safeguarding_prompt" not in view  # a referral was made since
    (referral,) = view["safeguarding_referrals"]
    assert referral["legal_route"] == "dpa_2018_sch1_para18" and referral["urgent"] is True
    (requested,) = disclosures(table, reference)
    assert requested["kind"] == "safeguarding_referral"
    assert requested["due_kind"] == "DISCLOSURE_DECISION"
    assert decide(staff, reference, requested["record_id"], True)[0] == 200
    publish_approved(partners, table, reference)

    partner = adult_social_care(aws)
    assert partner.poll_once(wait_seconds=0) == 1 and partner.rejected == 0
    (message,) = partner.received
    jsonschema.validate(message, SCHEMA)
    package = message["package"]
    assert package["safeguarding_referral"]["consent"] is False
    assert package["person_at_risk"]["party_id"] == referral["party_id"]
    assert package["person_at_risk"]["name"] == "Alex Morgan"
    deliver_inbound(partners)  # adult social care's acknowledgement
    (acknowledged,) = disclosures(table, reference)
    assert acknowledged["status"] == "acknowledged"
    assert acknowledged["due_kind"] == "SAFEGUARDING_OUTCOME"

    # Late: the sweep escalates it like any other due work.
    late = datetime.fromisoformat(acknowledged["due_at"]) + timedelta(minutes=15)
    assert sweep(partners, load_handler, late.astimezone(UTC)).get(
        "SafeguardingOutcomeOverdue") == 1
    assert disclosures(table, reference)[0]["due_kind"] == "SAFEGUARDING_OUTCOME:escalated"

    event = sample_event("partner_inbound-referral-outcome")
    body = json.loads(event["Records"][0]["body"])
    event["Records"][0]["body"] = json.dumps({**body, "case_reference": reference,
                                              "disclosure_id": requested["record_id"]})
    assert partners["inbound"].lambda_handler(event, LambdaContext()) == {
        "batchItemFailures": []}
    (answered,) = disclosures(table, reference)
    assert answered["status"] == "answered" and "due_kind" not in answered
    assert answered["outcome"]["outcome"] == "enquiry_or_assessment"
    after = case_partition(table, reference)
    log = sorted((i for i in after if i["entity"] == "DisclosureLog"), key=lambda i: i["at"])
    assert [i["action"] for i in log] == ["requested", "approved", "sent", "acknowledged",
                                          "outcome received"]
    assert log[0]["legal_route_text"].startswith("DPA 2018 Schedule 1 paragraph 18")
    # Again: recorded once.
    assert partners["inbound"].lambda_handler(event, LambdaContext()) == {
        "batchItemFailures": []}
    assert disclosures(table, reference) == [answered]
    shown = staff.get(reference)[1]["safeguarding_referrals"][0]
    assert shown["status"] == "answered" and shown["outcome"]["outcome_name"].startswith(
        "Accepted")


def test_an_officer_records_the_outcome_a_partner_gave_by_phone(staff: Staff, partners: Any,
                                                                table: str) -> None:
    reference = staff.open_case()
    status, _ = refer(staff, reference)
    assert status == 200
    (requested,) = disclosures(table, reference)
    path = f"/cases/{reference}/safeguarding-referrals/{requested['record_id']}/outcome"
    body = json.loads(sample_event("partners-record-safeguarding-outcome")["body"])
    status, answer = staff.call("partners-record-safeguarding-outcome", path=path, body=body,
                                if_match=version(staff, reference), reference=reference)
    assert status == 409 and "only once it was sent" in answer["message"]  # not yet sent
    assert decide(staff, reference, requested["record_id"], True)[0] == 200
    publish_approved(partners, table, reference)
    status, _ = staff.call("partners-record-safeguarding-outcome", path=path, body=body,
                           if_match=version(staff, reference), reference=reference,
                           who=("d.price", "dpo", "yeovil"))
    assert status == 403  # the DPO decides sharing, never records casework
    status, _ = staff.call("partners-record-safeguarding-outcome", path=path, body=body,
                           if_match=version(staff, reference), reference=reference)
    assert status == 200
    (answered,) = disclosures(table, reference)
    assert answered["status"] == "answered" and "due_kind" not in answered
    assert answered["outcome"]["recorded_by"] == "staff:o.hughes"
    log = [i["action"] for i in sorted(
        (i for i in case_partition(table, reference) if i["entity"] == "DisclosureLog"),
        key=lambda i: i["at"])]
    assert log[-1] == "outcome recorded"
