"""The safeguarding parts of the case answer (GET /cases/{reference}), field by field for the
OpenAPI document: a party's vulnerability screening, the safeguarding prompt, and the case's
safeguarding referrals with their outcomes (asb.case.safeguarding builds them)."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, WithJsonSchema

from asb.policy.config import (
    SAFEGUARDING_OUTCOMES,
    SAFEGUARDING_REFERRAL_TYPES,
    VULNERABILITY_KINDS,
    VULNERABILITY_TYPES,
)

Timestamp = Annotated[str, WithJsonSchema({"type": "string", "format": "date-time"})]
Day = Annotated[str, WithJsonSchema({"type": "string", "format": "date"})]


class _Part(BaseModel):
    model_config = ConfigDict(extra="allow", defer_build=True)


def _optional(description: str | None = None) -> Any:
    return Field(default=None, exclude_if=lambda value: value is None, description=description)


class PartyVulnerabilityItem(_Part):
    type: str = Field(json_schema_extra={"enum": list(VULNERABILITY_TYPES)})
    kind: str = Field(json_schema_extra={"enum": list(VULNERABILITY_KINDS)})
    note: str | None = _optional()
    recorded_by: str
    recorded_at: Timestamp


class PartyVulnerability(_Part):
    """The party's last vulnerability screening: none found is an empty list."""

    vulnerabilities: list[PartyVulnerabilityItem] = Field(default_factory=list)
    safeguarding_concerns: bool
    screened_by: str
    screened_at: Timestamp


class PromptReason(_Part):
    question: str | None = _optional()
    text: str | None = _optional()
    source: str | None = _optional("report or officer")


class SafeguardingPrompt(_Part):
    """Shown at the top of the case while a self-harm or suicidal-thoughts answer is yes and no
    safeguarding referral has been made since (ASB-REFERENCE 7a)."""

    prompted_by: list[PromptReason] = Field(description="The answers that prompted it")
    referral_made: bool = Field(description="A safeguarding referral made since: always false "
                                            "while the prompt stands")
    referrals_before: int = Field(description="Safeguarding referrals made before the prompt")
    due_at: Timestamp | None = Field(description="When the task to consider one falls due")
    title: str


class ReferralOutcome(_Part):
    outcome: str = Field(json_schema_extra={"enum": list(SAFEGUARDING_OUTCOMES)})
    outcome_name: str | None = _optional()
    decided_on: Day | None = _optional()
    decided_by: str | None = _optional()
    summary: str | None = _optional()
    recorded_by: str | None = _optional("The partner, or the officer who recorded it")
    recorded_at: Timestamp | None = _optional()


class SafeguardingReferral(_Part):
    """A safeguarding referral: to whom, about whom, on what basis, where it stands."""

    disclosure_id: str
    referral_type: str = Field(json_schema_extra={"enum": list(SAFEGUARDING_REFERRAL_TYPES)})
    referral_type_name: str | None = _optional()
    partner_id: str
    partner_name: str
    party_id: str | None = _optional("The person at risk's party")
    status: str = Field(description="requested, refused, approved, sent, acknowledged or "
                                    "answered (its outcome back)")
    consent: bool | None = _optional()
    legal_route: str
    without_consent_reason: str | None = _optional(
        "Why it went without consent: the risk of harm (DPA 2018 Sch 1 para 18)")
    urgent: bool | None = _optional()
    requested_by: str | None = _optional()
    requested_at: Timestamp | None = _optional()
    decided_by: str | None = _optional()
    decided_at: Timestamp | None = _optional()
    sent_at: Timestamp | None = _optional()
    acknowledged_at: str | None = _optional()
    outcome_due_at: Timestamp | None = _optional("When its outcome is due back (chased after)")
    outcome: ReferralOutcome | None = _optional()
