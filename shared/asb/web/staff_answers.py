"""The staff API's answers made of a case's parts (web.case_responses, web.figures_responses,
web.meeting_responses, web.safeguarding_responses): a case, a list of cases, the year's figures
and ASB Case Reviews, the partner registry and what waits for a decision. Apart from
web.staff_api, so the functions that only write a case (answering CaseChanged) never load the
read side's fifty-odd models. Each is built when a route first answers with it."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from asb.case.escalation import Rung
from asb.web.case_responses import (
    AuditTimelineEntry,
    CaseParty,
    CaseSummary,
    CaseWitness,
    DueWork,
    ListedCase,
    ListedCaseReview,
    Partner,
    Person,
    TimelineEntry,
    WaitingDisclosure,
    WaitingLegalAction,
)
from asb.web.figures_responses import CountedApart, EnforcementFigures
from asb.web.meeting_responses import MeetingView
from asb.web.safeguarding_responses import SafeguardingPrompt, SafeguardingReferral

_BUILT_AT_FIRST_ANSWER = ConfigDict(defer_build=True)


class CaseList(BaseModel):
    model_config = _BUILT_AT_FIRST_ANSWER

    cases: list[ListedCase] = Field(default_factory=list, description=(
        "Newest first. Each case: its summary (reference, status, category, emergency, officer, "
        "team, opened_at, updated_at, version, anonymous, targets, postcode); `behaviours`, "
        "each {code, label} with the label from the published list of behaviours; and `place`, "
        "{postcode, area}: the area is the street without a house or flat number"))
    cursor: str | None = Field(default=None, description="Pass back for the next page")
    overdue: list[DueWork] | None = None


class TenantPerceptionSurveyFigures(BaseModel):
    model_config = _BUILT_AT_FIRST_ANSWER

    respondents: int
    very_satisfied: int
    fairly_satisfied: int
    neither: int
    fairly_dissatisfied: int
    very_dissatisfied: int
    not_applicable_or_dont_know: int
    satisfied: int = Field(description="Very and fairly satisfied")
    base: int = Field(description="Respondents less 'not applicable / don't know'")
    imported_by: str
    imported_at: str
    version: int = Field(description="Send as If-Match to replace this year's import")


class TenantPerceptionSurveyImported(BaseModel):
    model_config = _BUILT_AT_FIRST_ANSWER

    year: str
    tp12_percent: float | None
    tp12_survey: TenantPerceptionSurveyFigures


class Figures(BaseModel):
    model_config = _BUILT_AT_FIRST_ANSWER

    year: str
    homes: int = Field(description="Homes owned: NM01's denominator")
    homes_source: str = Field(description=(
        "Where the homes owned came from: the homes register (general needs, supported housing "
        "and shared ownership; not leasehold), or the HomesOwned parameter while the register "
        "is empty"))
    cases_opened: int
    hate_cases: int
    nm01_1: float = Field(description="NM01(1): ASB cases opened per 1,000 homes")
    nm01_2: float = Field(description="NM01(2): hate-incident cases per 1,000 homes")
    first_contact_on_time: dict[str, dict[str, Any]]
    tp12_percent: float | Literal["not imported"] = Field(description=(
        "TP12: per cent of the year's tenant perception survey respondents satisfied with the "
        "approach to handling ASB ('not applicable / don't know' left out of the base), to one "
        "decimal place; 'not imported' until a manager imports the survey"))
    tp12_survey: TenantPerceptionSurveyFigures | None = Field(
        default=None, description="The imported survey's counts, and who imported it when")
    closure_satisfaction_local_measure_percent: float | None = Field(default=None, description=(
        "The landlord's own measure, not a regulator's: per cent of closure survey respondents "
        "very or fairly satisfied; none until someone answers"))
    closure_satisfaction_local_measure_respondents: int = 0
    case_reviews: dict[str, int] = Field(default_factory=dict, description=(
        "ASB Case Review statistics for applications received in the year"))
    enforcement: EnforcementFigures = Field(description=(
        "The year's enforcement outcomes: the tools and powers recorded in the year (each "
        "counted once, in the year it was recorded), as each stands now"))
    counted_apart: dict[str, CountedApart] = Field(default_factory=dict, description=(
        "By pathway, the year's cases NM01 does not count (cases_opened and NM01 count only the "
        "ASB pathway): domestic abuse cases, handled under the domestic abuse policy, and "
        "good-neighbour requests, not ASB"))


class CaseReviews(BaseModel):
    model_config = _BUILT_AT_FIRST_ANSWER

    year: str
    statistics: dict[str, int] = Field(description=(
        "As the lead body: applications, threshold_not_met, reviews_held, "
        "reviews_with_recommendations. As a participant: applications, referred, "
        "recommendations_to_us, recommendations_done"))
    reviews: list[ListedCaseReview]


class PartnerList(BaseModel):
    model_config = _BUILT_AT_FIRST_ANSWER

    partners: list[Partner] = Field(description="By partner id")


class WaitingList(BaseModel):
    model_config = _BUILT_AT_FIRST_ANSWER

    waiting: list[WaitingDisclosure] = Field(description="Requests to share, oldest due first")


class LegalApprovalList(BaseModel):
    model_config = _BUILT_AT_FIRST_ANSWER

    waiting: list[WaitingLegalAction] = Field(description=(
        "Legal action waiting for a manager's approval, oldest due first"))


class AuditTrailPage(BaseModel):
    model_config = _BUILT_AT_FIRST_ANSWER

    reference: str = Field(description="The case's reference")
    entries: list[AuditTimelineEntry] = Field(description=(
        "Entries of the case's audit trail, newest first: who read or changed it, when"))
    cursor: str | None = Field(default=None, description=(
        "Pass back for the older entries; null when this page holds the oldest"))


class CaseView(BaseModel):
    model_config = _BUILT_AT_FIRST_ANSWER

    case: CaseSummary
    people: list[Person]
    parties: list[CaseParty] = Field(default_factory=list, description=(
        "The case's parties (issue 21): each person's roles in it, unlinked ones too"))
    timeline: list[TimelineEntry] = Field(description=(
        "Everything kept on the case, oldest first; of its audit trail, the newest 200 entries"))
    older_audit: str | None = Field(default=None, description=(
        "When the case's audit trail has entries older than the timeline shows: the cursor of "
        "the rest (GET /cases/{reference}/audit?cursor=...); null when it shows all of it"))
    ladder: list[Rung] = Field(default_factory=list, description=(
        "The ladder of interventions: each tool or power used, in the order it was used, with "
        "its stage, whom it was against, each step of its life with its date, and its outcome; "
        "a rung that skips a stage against the same party says so"))
    witnesses: list[CaseWitness] = Field(default_factory=list, description=(
        "Each witness (issue 23): their statements, what they need to give evidence, and when "
        "the officer is next due to contact them"))
    safeguarding_prompt: SafeguardingPrompt | None = Field(
        default=None, exclude_if=lambda value: value is None, description=(
            "While a self-harm or suicidal-thoughts answer is yes and no safeguarding referral "
            "was made since: shown at the top of the case"))
    safeguarding_referrals: list[SafeguardingReferral] = Field(
        default_factory=list, description="The case's safeguarding referrals and outcomes")
    perpetrators_not_screened: list[str] = Field(default_factory=list, description=(
        "Alleged perpetrators' parties whose own vulnerability has not been screened"))
    meetings: list[MeetingView] = Field(default_factory=list, description=(
        "Multi-agency meetings about the case (issue 23), newest first: who attended, the "
        "minutes, and each action with its owner, due date and whether it is done or late"))
