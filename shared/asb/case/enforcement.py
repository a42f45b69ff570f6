"""Enforcement as a tool or power's record holds it (ASB-REFERENCE section 5): an interview, a
warning letter, an Acceptable Behaviour Agreement with its reviews and breaches, a notice of
seeking possession with its dates, an application, its hearings and adjournments, the order
made, its breaches and committal. Parts of the Measure item (asb.case.records), so a tool's
whole life is one record, changed in place under the case's version."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, PlainSerializer

Instant = Annotated[datetime, PlainSerializer(lambda at: at.isoformat(), return_type=str,
                                              when_used="json")]


class _Part(BaseModel):
    model_config = ConfigDict(frozen=True, extra="allow", populate_by_name=True, defer_build=True)


class Interview(_Part):
    """An interview with the alleged perpetrator: who came, what they said, what was agreed."""

    held_on: date
    attended: list[str] = Field(description="Who attended, with their role")
    account: str = Field(description="Their account of what happened")
    next_steps: str = Field(description="The next steps agreed")


WarningKind = Literal["verbal", "first", "final"]


class WarningLetter(_Part):
    """A warning letter drawn from its plain-English template, sent or posted."""

    letter_id: str
    kind: WarningKind
    issued_on: date
    channel: Literal["email", "letter"]
    document_key: str | None = Field(default=None, description="The PDF as it was sent")
    notification_id: str | None = None
    delivery: str = Field(default="queued", description=(
        "queued, sent (by email), posted (in the print room's bucket) or failed: as stored, "
        "queued; the case view shows it from the delivery log (asb.case.warning_letters)"))
    # The particulars in the officer's words, as the letter says them.
    what_happened: str | None = None
    happened_on: list[date] = Field(default_factory=list)
    must_stop: list[str] = Field(default_factory=list)
    by: str | None = Field(default=None, description="Who asked for it")


class Breach(_Part):
    """A breach of an agreement or an order, as the officer recorded it."""

    breach_id: str
    on: date = Field(description="When the breach happened")
    what: str
    by: str = Field(description="Who recorded it")
    at: Instant


class AgreementReview(_Part):
    held_on: date
    outcome: Literal["continues", "ended: kept", "ended: broken", "ended: other"]
    note: str
    by: str


class Agreement(_Part):
    """An Acceptable Behaviour Agreement: its terms, who signed, from when, when it is reviewed."""

    terms: list[str]
    signatories: list[str]
    starts_on: date
    review_on: date | None = Field(default=None, description="The next review; none once ended")
    reviews: list[AgreementReview] = Field(default_factory=list)
    breaches: list[Breach] = Field(default_factory=list)


class AbsoluteGround(_Part):
    """Which of absolute ground 7A's (s84A's) five conditions is met, and since when."""

    condition: int = Field(ge=1, le=5)
    met_on: date = Field(description="The conviction, the court's finding or the closure order")
    serve_by: date = Field(description="The last day a notice may be served on it")


class Notice(_Part):
    """A notice of seeking possession as served."""

    ground: str
    served_on: date
    proceedings_from: date = Field(description="The earliest day proceedings may begin")
    expires_on: date = Field(description="After this the notice no longer supports a claim")


class Application(_Part):
    """An application to the court: a claim for an injunction, possession or demotion."""

    applied_on: date
    court: str
    without_notice: bool = False
    respondent_born_on: date | None = None
    youth_offending_team_consulted_on: date | None = None
    power_of_arrest_sought: bool = False


HearingPurpose = Literal["first", "return", "final", "possession", "demotion", "committal",
                         "review"]
HearingOutcome = Literal["adjourned", "order made", "refused", "dismissed", "withdrawn",
                         "committed to prison", "committal suspended", "fined",
                         "no order on the breach"]


class Hearing(_Part):
    hearing_id: str
    at: Instant = Field(description="When it is listed")
    court: str
    purpose: HearingPurpose
    outcome: HearingOutcome | None = None
    note: str | None = None
    adjourned_to: str | None = Field(default=None, description="The hearing it was adjourned to")


OrderKind = Literal["injunction", "outright possession", "suspended possession",
                    "postponed possession", "demotion"]
# What a partner issues or makes when the landlord asks it to use a power it does not hold
# (asb.partners.power_requests); each is a notice or an order already, in its name.
PartnerOrderKind = Literal["community protection notice", "closure notice", "closure order",
                           "criminal behaviour order"]


class Order(_Part):
    """What the court ordered (or, for a power asked of a partner, what the partner issued)."""

    kind: OrderKind | PartnerOrderKind
    made_on: date
    terms: list[str] = Field(default_factory=list)
    power_of_arrest: bool = False
    expires_on: date | None = None
    ended_on: date | None = Field(default=None, description="Discharged, varied away or ended")
