"""The partner registry's entries, staff requests to disclose, and what partners send back."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal, Self

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    JsonValue,
    StringConstraints,
    field_validator,
    model_validator,
)

from asb.kernel.plausible_dates import Day
from asb.kernel.validation import chosen
from asb.policy.config import (
    DATA_CATEGORIES,
    LEGAL_ROUTES,
    PARTNER_KINDS,
    PARTNER_POWERS,
    POLICE_RANKS,
    SAFEGUARDING_OUTCOMES,
    SAFEGUARDING_REFERRAL_TYPES,
)

# Built on first use: a staff function validates one of these bodies per request, so a cold
# start builds only the one it receives.
_IN = ConfigDict(extra="forbid", str_strip_whitespace=True, frozen=True, defer_build=True)

Name = Annotated[str, StringConstraints(min_length=2, max_length=200)]
Reason = Annotated[str, StringConstraints(min_length=10, max_length=2000)]
Identifier = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]{1,40}$")]
Uuid = Annotated[str, StringConstraints(pattern=r"^[0-9a-f-]{36}$")]
Reference = Annotated[str, StringConstraints(pattern=r"^ASB-\d{4}-\d{6}$")]


def _known(values: list[str], catalogue: dict[str, str], what: str) -> list[str]:
    unknown = sorted(set(values) - set(catalogue))
    if unknown:
        raise ValueError(f"unknown {what} {', '.join(unknown)}; choose from "
                         f"{', '.join(catalogue)}")
    return sorted(set(values))


def _one_of(catalogue: dict[str, str], what: str) -> AfterValidator:
    return AfterValidator(lambda values: _known(values, catalogue, what))


DataCategories = Annotated[list[str], Field(min_length=1, json_schema_extra={
    "items": {"enum": list(DATA_CATEGORIES)}}), _one_of(DATA_CATEGORIES, "data categories")]
LegalRoutes = Annotated[list[str], Field(min_length=1, json_schema_extra={
    "items": {"enum": list(LEGAL_ROUTES)}}), _one_of(LEGAL_ROUTES, "legal routes")]


def _legal_route(value: str) -> str:
    return chosen(value, LEGAL_ROUTES)


LegalRoute = Annotated[str, Field(json_schema_extra={"enum": list(LEGAL_ROUTES)}),
                       AfterValidator(_legal_route)]


class NamedOfficer(BaseModel):
    model_config = _IN
    name: Name
    role: Name
    email: Annotated[str, StringConstraints(pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$", max_length=200)]


class PartnerIn(BaseModel):
    """A partner and its information-sharing agreement."""

    model_config = _IN
    name: Name
    kind: str = Field(json_schema_extra={"enum": list(PARTNER_KINDS)})
    agreement: Name = Field(description="The information-sharing agreement, by name")
    data_categories: DataCategories
    legal_routes: LegalRoutes
    named_officers: list[NamedOfficer] = Field(min_length=1, max_length=20)
    queue: Identifier = Field(description="The partner's delivery queue, as named in the template")
    account_id: Annotated[str, StringConstraints(pattern=r"^\d{12}$")] = Field(
        description="The AWS account allowed to read the partner's queue")
    sender_ids: list[Annotated[str, StringConstraints(min_length=5, max_length=128)]] = Field(
        default_factory=list, description="Principals whose messages on the inbound queue are "
                                          "this partner's (SQS SenderId)")
    crime_exemption_sign_off_rank: str | None = Field(
        default=None, json_schema_extra={"enum": [*POLICE_RANKS, None]},
        description="The lowest police rank that may sign off a request under the crime "
                    "exemption (DPA 2018 Sch 2 para 2), if the agreement sets one; the Schedule "
                    "itself sets none")
    active: bool = True

    @field_validator("kind")
    @classmethod
    def _kind(cls, value: str) -> str:
        return chosen(value, PARTNER_KINDS)

    @field_validator("crime_exemption_sign_off_rank")
    @classmethod
    def _sign_off_rank(cls, value: str | None) -> str | None:
        if value is None:
            return None
        order = rank_order(value)
        if order is None:
            raise ValueError(f"choose from {', '.join(POLICE_RANKS)}")
        return POLICE_RANKS[order]


def rank_order(rank: str) -> int | None:
    """A police rank's place, lowest first (a detective rank is the rank); None if unknown."""
    plain = " ".join(rank.strip().lower().split()).removeprefix("detective ")
    return POLICE_RANKS.index(plain) if plain in POLICE_RANKS else None



class DisclosureRequestIn(BaseModel):
    """An officer asks to disclose to, or refer to, a partner."""

    model_config = _IN
    partner_id: Identifier
    kind: Literal["disclosure", "referral"] = "disclosure"
    purpose: Annotated[str, StringConstraints(min_length=20, max_length=2000)]
    necessity: Annotated[str, StringConstraints(min_length=20, max_length=2000)] = Field(
        description="Why sharing is necessary, and why less would not do")
    legal_route: LegalRoute
    subject: Literal["perpetrator", "reporter", "household"] = "perpetrator"
    data_categories: DataCategories
    consent: bool = Field(default=False, description="The subject agreed to this sharing")


class DisclosureDecisionIn(BaseModel):
    model_config = _IN
    approved: bool
    reason: Reason


class SignedOffBy(BaseModel):
    model_config = _IN
    name: Name
    rank: Annotated[str, StringConstraints(min_length=1, max_length=60)]
    collar_number: Annotated[str, StringConstraints(max_length=20)] | None = None

    @field_validator("rank")
    @classmethod
    def _rank(cls, value: str) -> str:
        return value.strip().lower()


class PartnerAcknowledgement(BaseModel):
    """A partner confirms it received a package (or a referral)."""

    model_config = ConfigDict(extra="ignore", frozen=True, defer_build=True)
    type: Literal["acknowledgement"]
    partner_id: Identifier
    case_reference: Reference
    disclosure_id: Uuid
    received_at: datetime
    received_by: Name


class PartnerRequest(BaseModel):
    """A partner asks for information about a case (a police request under the crime exemption
    signed off at the rank its information-sharing agreement requires, if it sets one)."""

    model_config = ConfigDict(extra="ignore", frozen=True, defer_build=True)
    type: Literal["request"]
    partner_id: Identifier
    request_id: Uuid
    case_reference: Reference
    purpose: Annotated[str, StringConstraints(min_length=20, max_length=2000)]
    necessity: Annotated[str, StringConstraints(max_length=2000)] | None = None
    legal_route: str
    data_categories: list[str] = Field(min_length=1)
    subject: Literal["perpetrator", "reporter", "household"] = "perpetrator"
    signed_off_by: SignedOffBy | None = None

    def signed_off_at_least(self, lowest_rank: str) -> bool:
        signer = self.signed_off_by
        mine = rank_order(signer.rank) if signer else None
        lowest = rank_order(lowest_rank)
        return mine is not None and lowest is not None and mine >= lowest


Summary = Annotated[str, StringConstraints(min_length=20, max_length=5000)]
ASKED_OF_PARTNERS: list[JsonValue] = [*sorted(PARTNER_POWERS)]


class PowerRequestIn(BaseModel):
    """An officer asks a partner to use a power the landlord does not hold: a Community
    Protection Notice, a closure notice or order, a criminal behaviour order."""

    model_config = _IN
    power: str = Field(json_schema_extra={"enum": ASKED_OF_PARTNERS})
    partner_id: Identifier = Field(description="A partner in the registry of a kind that holds "
                                               "the power (the catalogue's ask_of)")
    party_id: Annotated[str, StringConstraints(min_length=1, max_length=64)] | None = Field(
        default=None, description="The respondent: an alleged perpetrator's party (unless the "
                                  "case has only one)")
    evidence_summary: Summary = Field(description=(
        "What the evidence shows, for the partner to decide on: the behaviour, its dates, what "
        "has been tried. Sent with other people's details taken out"))
    rationale: Summary = Field(description="Why the power is necessary and proportionate")
    equality_impact: Summary = Field(description="The equality impact note (Equality Act 2010); "
                                                 "kept by the landlord, not sent")
    legal_route: LegalRoute = "cda_1998_s115"
    reporter_consent: bool = Field(default=False, description=(
        "The reporter agreed to be named to the partner; without it the request never names "
        "them"))
    reporter_party_id: Annotated[str, StringConstraints(min_length=1, max_length=64)] | None = \
        Field(default=None, description="With reporter_consent: the party of the reporter who "
                                        "agreed (a complainant of the case), the one named")

    @field_validator("power")
    @classmethod
    def _not_ours(cls, value: str) -> str:
        if value not in PARTNER_POWERS:
            raise ValueError(f"only a power the landlord does not hold is asked of a partner: "
                             f"choose from {', '.join(map(str, ASKED_OF_PARTNERS))}")
        return value


Line = Annotated[str, StringConstraints(min_length=1, max_length=2000)]


class PowerOutcome(BaseModel):
    """A partner's answer to a power request: the notice issued, the order made, or refused,
    with the date, the terms and when it ends, where there are."""

    model_config = ConfigDict(extra="ignore", frozen=True, defer_build=True)
    type: Literal["power_outcome"]
    partner_id: Identifier
    case_reference: Reference
    disclosure_id: Uuid = Field(description="The request's message id")
    outcome: Literal["issued", "made", "refused"]
    decided_on: Day
    decided_by: Name
    terms: list[Line] = Field(default_factory=list, max_length=30)
    expires_on: Day | None = None
    reason: Annotated[str, StringConstraints(max_length=2000)] | None = None

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        if self.outcome == "refused" and (self.terms or self.expires_on):
            raise ValueError("a refusal has no terms and no end")
        if self.expires_on is not None and self.expires_on <= self.decided_on:
            raise ValueError("expires_on is after decided_on")
        return self


Explanation = Annotated[str, StringConstraints(min_length=20, max_length=2000)]
PartyRef = Annotated[str, StringConstraints(min_length=1, max_length=64)]


def _referral_type(value: str) -> str:
    return chosen(value, SAFEGUARDING_REFERRAL_TYPES)


ReferralType = Annotated[str, Field(json_schema_extra={
    "enum": list(SAFEGUARDING_REFERRAL_TYPES)}), AfterValidator(_referral_type)]


def _referral_outcome(value: str) -> str:
    return chosen(value, SAFEGUARDING_OUTCOMES)


ReferralOutcomeKind = Annotated[str, Field(json_schema_extra={
    "enum": list(SAFEGUARDING_OUTCOMES)}), AfterValidator(_referral_outcome)]


class SafeguardingReferralIn(BaseModel):
    """An adult, child, MARAC or specialist domestic abuse referral about a person at risk (a
    party of the case, any role), with their consent, or without it where there is a risk of
    harm and the reason is recorded (DPA 2018 Schedule 1 paragraph 18)."""

    model_config = _IN
    referral_type: ReferralType
    partner_id: Identifier = Field(description="A partner of a kind that takes this type")
    party_id: PartyRef = Field(description="The person at risk: a party of the case")
    purpose: Explanation
    necessity: Explanation = Field(description="Why sharing is necessary, and why less would "
                                               "not do")
    data_categories: DataCategories
    consent: bool = Field(default=False, description="The person at risk agreed to it")
    without_consent_reason: Explanation | None = Field(default=None, description=(
        "Without consent: the risk of harm that makes it necessary (required then, refused "
        "with consent)"))
    urgent: bool = Field(default=False, description=(
        "Decided by the end of the working day, not within the usual days"))


class ReferralOutcomeIn(BaseModel):
    """What the partner decided on a safeguarding referral, as an officer heard it."""

    model_config = _IN
    outcome: ReferralOutcomeKind
    decided_on: Day
    decided_by: Name = Field(description="Who at the partner decided or told us")
    summary: Annotated[str, StringConstraints(max_length=2000)] | None = None


class ReferralOutcome(BaseModel):
    """A partner's outcome of a safeguarding referral it was sent."""

    model_config = ConfigDict(extra="ignore", frozen=True, defer_build=True)
    type: Literal["referral_outcome"]
    partner_id: Identifier
    case_reference: Reference
    disclosure_id: Uuid = Field(description="The referral's message id")
    outcome: ReferralOutcomeKind
    decided_on: Day
    decided_by: Name
    summary: Annotated[str, StringConstraints(max_length=2000)] | None = None
