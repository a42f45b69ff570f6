"""The JSON Schemas published for partners: generated from the models, checked in, and true of
the sample messages in events/."""

from __future__ import annotations

import json

import jsonschema

from infra.partner_schemas import FOLDER, generate, text
from tests.conftest import sample_event


def test_the_published_schemas_are_the_generated_ones() -> None:
    for name, schema in generate().items():
        assert (FOLDER / name).read_text() == text(schema), (
            f"docs/partners/{name} is stale: run python -m infra.partner_schemas")


def test_the_sample_partner_messages_follow_the_schemas() -> None:
    schemas = generate()
    for sample, name in (("partner_inbound-acknowledgement", "partner-acknowledgement"),
                         ("partner_inbound-police-request", "partner-request"),
                         ("partner_inbound-power-outcome", "partner-power-outcome"),
                         ("partner_inbound-referral-outcome", "partner-referral-outcome"),
                         ("partner_inbound-action-update", "partner-action-update")):
        message = json.loads(sample_event(sample)["Records"][0]["body"])
        jsonschema.validate(message, schemas[f"{name}.schema.json"])
    outbound = json.loads((FOLDER / "disclosure-message.schema.json").read_text())
    jsonschema.Draft202012Validator.check_schema(outbound)
    approved = json.loads(sample_event("partner_publisher-disclosure-approved")["Records"][0][
        "body"])
    message = {"schema": "asb-disclosure/1", "message_id": approved["detail"]["disclosure_id"],
               "sent_at": "2026-11-25T10:05:01+00:00", "from": "Your landlord's ASB team",
               "case_reference": approved["case_reference"], "partner_id": "avon-somerset-police",
               "package": approved["detail"]["package"]}
    jsonschema.validate(message, outbound)
    try:
        jsonschema.validate({**message, "package": {**message["package"], "gossip": "x"}},
                            outbound)
    except jsonschema.ValidationError:
        return
    raise AssertionError("a package with a field outside the schema was accepted")
