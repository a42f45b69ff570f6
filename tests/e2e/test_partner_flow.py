"""Sharing with a partner end to end through the local runtime: an officer asks, a manager
approves, the stream and the publisher deliver a signed package to the constabulary's queue,
the reference receiver checks it and acknowledges, and the DPO's log shows every step."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from infra.local.pollers import wait_until
from infra.local.runtime import LocalRuntime
from infra.partner_receiver import local_receiver
from tests.e2e.test_authorisation_matrix import call, open_emergency_case, version_of
from tests.integration.test_intake_handler import PERSONAL


def disclosure(service: LocalRuntime, reference: str) -> dict[str, Any]:
    timeline = call(service, "manager", "GET", f"/cases/{reference}")[1]["timeline"]
    return next(e["detail"] for e in timeline if e["kind"] == "disclosure")


def test_a_signed_package_reaches_the_partner_and_is_acknowledged(service: LocalRuntime) -> None:
    lines = io.StringIO()
    for function in service.loaded.values():
        handler = getattr(getattr(function.module, "logger", None), "registered_handler", None)
        if handler is not None:
            handler.setStream(lines)
    reference = open_emergency_case(service, "Fig Lane")
    ask = {"partner_id": "avon-somerset-police", "legal_route": "cda_1998_s115",
           "purpose": "Joint visit planned after threats to the neighbour.",
           "necessity": "The visiting officers need the history of threats to plan safely.",
           "data_categories": ["case_summary", "incident_details", "risk_assessment"]}
    status, _ = call(service, "officer", "POST", f"/cases/{reference}/disclosures", ask,
                     version_of(service, reference))
    assert status == 200
    status, body = call(service, "manager", "GET", "/disclosures")
    (waiting,) = [w for w in body["waiting"] if w["case_reference"] == reference]

    partner = local_receiver("constabulary", service.aws_endpoint)
    assert partner.poll_once(wait_seconds=0) == 0  # nothing before the decision
    decision = {"approved": True, "reason": "Necessary for the joint visit under s115."}
    status, _ = call(service, "manager", "POST",
                     f"/cases/{reference}/disclosures/{waiting['disclosure_id']}/decision",
                     decision, version_of(service, reference))
    assert status == 200

    assert wait_until(lambda: partner.poll_once(wait_seconds=1) > 0, seconds=30)
    (message,) = partner.received
    assert message["case_reference"] == reference and partner.rejected == 0
    assert set(message["package"]) >= {"case", "incidents", "risk"}
    assert "perpetrators" not in message["package"]  # not asked for

    assert wait_until(lambda: disclosure(service, reference)["status"] == "acknowledged",
                      seconds=30)
    status, headers, text = _csv(service)
    assert status == 200 and headers["Content-Type"].startswith("text/csv")
    actions = [r["step"] for r in csv.DictReader(io.StringIO(text))
               if r["case reference"] == reference]
    assert actions == ["requested", "approved", "sent", "acknowledged"]
    logs = lines.getvalue()
    assert "disclosure published" in logs and "partner message" in logs
    for personal in [*PERSONAL, "Fig Lane", "Joint visit", "history of threats", "PC Sam Lewis"]:
        assert personal not in logs, personal


def _csv(service: LocalRuntime) -> tuple[int, dict[str, str], str]:
    from infra.local.tokens import issue
    from tests.e2e.test_local_service import http

    token = issue("d.price", ["dpo"], None)
    return http(service, "GET", "/disclosure-log", None, {"Authorization": f"Bearer {token}"})


def test_a_tampered_package_is_never_acknowledged(service: LocalRuntime) -> None:
    partner = local_receiver("constabulary", service.aws_endpoint)
    body = json.dumps({"schema": "asb-disclosure/1", "message_id": "forged"})
    partner.sqs.send_message(QueueUrl=partner.queue_url, MessageBody=body, MessageAttributes={
        name: {"DataType": "String", "StringValue": value} for name, value in {
            "schema": "asb-disclosure/1", "message_id": "forged", "signature": "AAAA",
            "algorithm": "ECDSA_SHA_256", "key_id": "x"}.items()})
    assert wait_until(lambda: (partner.poll_once(wait_seconds=1), partner.rejected)[1] > 0,
                      seconds=10)
    assert partner.received == []
