"""The JSON Schemas of what partners send back, generated from the models the inbound consumer
validates with: `python -m infra.partner_schemas` writes them to docs/partners/; a test fails
when they differ. (What partners receive is docs/partners/disclosure-message.schema.json.)"""

from __future__ import annotations

import json
from typing import Any

from pydantic import BaseModel

from asb.partners.action_chases import ActionUpdate
from asb.partners.models import (
    PartnerAcknowledgement,
    PartnerRequest,
    PowerOutcome,
    ReferralOutcome,
)
from infra.local.template import ROOT

FOLDER = ROOT / "docs" / "partners"
SCHEMAS: dict[str, type[BaseModel]] = {"partner-acknowledgement.schema.json": PartnerAcknowledgement,
           "partner-request.schema.json": PartnerRequest,
           "partner-power-outcome.schema.json": PowerOutcome,
           "partner-referral-outcome.schema.json": ReferralOutcome,
           "partner-action-update.schema.json": ActionUpdate}


def generate() -> dict[str, dict[str, Any]]:
    return {name: {"$schema": "https://json-schema.org/draft/2020-12/schema",
                   **model.model_json_schema()} for name, model in SCHEMAS.items()}


def text(schema: dict[str, Any]) -> str:
    return json.dumps(schema, indent=2, sort_keys=True) + "\n"


if __name__ == "__main__":
    for name, schema in generate().items():
        (FOLDER / name).write_text(text(schema))
        print(FOLDER / name)
