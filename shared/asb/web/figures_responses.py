"""The year's enforcement outcomes as the figures answer them (asb.reporting.enforcement),
described field by field for the OpenAPI document. Each counts the tools and powers recorded in
the reporting year, as each stands now."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

_COUNTS = ConfigDict(defer_build=True)


class WarningCounts(BaseModel):
    model_config = _COUNTS
    verbal: int = Field(description="Verbal warnings (confirmed in writing)")
    first_written: int
    final_written: int
    written_before_kinds: int = Field(description=(
        "Written warnings recorded before first and final were told apart"))
    letters_issued: int = Field(description=(
        "Warning letters issued: queued to be emailed or posted; each delivery is in the "
        "case's delivery log"))


class InterviewCounts(BaseModel):
    model_config = _COUNTS
    held: int


class AgreementCounts(BaseModel):
    model_config = _COUNTS
    made: int
    breached: int = Field(description="With at least one breach recorded")
    in_force: int
    kept: int = Field(description="Ended at a review as kept")
    broken: int = Field(description="Ended at a review as broken")
    withdrawn: int


class CourtCounts(BaseModel):
    """Legal action the landlord takes to court."""

    model_config = _COUNTS
    considered: int = Field(description="Recorded (every one, whatever came of it)")
    not_approved: int = Field(description="Refused by a manager")
    applied: int = Field(description="Applied for to the court")
    granted: int = Field(description="An order made")
    refused: int = Field(description="Refused or dismissed by the court")
    withdrawn: int


class InjunctionCounts(CourtCounts):
    with_power_of_arrest: int
    breached: int = Field(description="With a breach of the order recorded")


class PossessionCounts(BaseModel):
    model_config = _COUNTS
    considered: int
    not_approved: int
    notices_served: int
    claims: int = Field(description="Possession claims made to the court")
    orders: int = Field(description="Possession orders made, of every kind")
    outright_orders: int
    suspended_orders: int
    postponed_orders: int
    refused: int
    withdrawn: int


class PartnerPowerCounts(BaseModel):
    """A power the landlord does not hold, asked of the police or the council."""

    model_config = _COUNTS
    requested: int
    granted: int = Field(description="Issued or made by the partner or the court")
    refused: int
    withdrawn: int
    waiting: int = Field(description="No answer yet")


class EnforcementFigures(BaseModel):
    model_config = _COUNTS
    warnings: WarningCounts
    interviews: InterviewCounts
    acceptable_behaviour_agreements: AgreementCounts
    injunctions: InjunctionCounts = Field(description=(
        "Civil injunctions (with or without notice) and Respect Orders"))
    possession: PossessionCounts = Field(description="Ground 14 / Ground 2 and the absolute ground")
    demoted_tenancies: CourtCounts
    community_protection_notices: PartnerPowerCounts
    closure_orders: PartnerPowerCounts
    criminal_behaviour_orders: PartnerPowerCounts


class CountedApart(BaseModel):
    """The year's cases of a pathway NM01 does not count."""

    model_config = _COUNTS
    label: str = Field(description="The pathway, in words")
    cases_opened: int = Field(description=(
        "Its cases opened in the year (a case joined into another not counted)"))
    notes: str = Field(description="Why it is not in NM01")
