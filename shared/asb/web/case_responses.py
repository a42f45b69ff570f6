"""The parts of the staff API's case answers (GET /cases, GET /cases/{reference}), described
field by field for the OpenAPI document.

Each part is answered exactly as the service built it: a key it was not given stays out of the
JSON (`optional`: a stored record never holds a null inside it, so none is lost), a key it does
not name is kept, and times stay the text they were stored as."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, RootModel, WithJsonSchema
from pydantic.experimental.missing_sentinel import MISSING

from asb.policy.config import Category, Pathway, RiskLevel
from asb.web.safeguarding_responses import PartyVulnerability

Timestamp = Annotated[str, WithJsonSchema({"type": "string", "format": "date-time"})]
Day = Annotated[str, WithJsonSchema({"type": "string", "format": "date"})]
Status = Literal["new", "triaged", "open", "closed"]


class Part(BaseModel):
    model_config = ConfigDict(extra="allow", defer_build=True)


def _none(value: object) -> bool:
    return value is None


def optional(description: str | None = None) -> Any:
    """A field a record may lack: left out of the answer when it was not given."""
    return Field(default=None, exclude_if=_none, description=description)


def given(description: str | None = None) -> Any:
    """A field of a record that may be null as stored (type `X | MISSING | None`): answered as
    given, a null kept as null, and left out when it was not given."""
    return Field(default=MISSING, description=description)


# The parts inside a case are as the case has kept them over the years: every field optional.
class RiskReason(Part):
    question: str | None = optional()
    text: str | None = optional()
    points: int | None = optional()
    source: str | None = optional("report or officer")


class Risk(Part):
    score: int | None = optional()
    level: RiskLevel | None = optional()
    reasons: list[RiskReason] | None = optional()


class Targets(Part):
    """The dates promised: first contact, the next customer update, the plan's review."""

    first_contact_due: Day | None = optional()
    next_contact_due: Day | None = optional()
    review_due: Day | None = optional()


class Finding(Part):
    """Who recorded it, when, and why or how."""

    by: str | None = optional()
    at: Timestamp | None = optional()
    source: str | None = optional()
    reason: str | None = optional()


class ActionPlan(Part):
    """The action plan as last agreed (each version is on the timeline)."""

    version: int | MISSING | None = given()
    by: str | MISSING | None = given()
    landlord_actions: list[str] | MISSING | None = given()
    customer_actions: list[str] | MISSING | None = given()
    contact_channel: str | MISSING | None = given()
    customer_agreed: bool | MISSING | None = given()
    agreed_with: str | MISSING | None = given(
        "The report it was agreed on; null: the first report, anonymous, so nobody")
    agreed_on: Day | MISSING | None = given("Null until the customer agreed")
    review_on: Day | MISSING | None = given()
    contact_every_working_days: int | MISSING | None = given()


class ReportedBefore(Part):
    """Another case a complainant of this case reported on: its reference and the day it opened."""

    reference: str
    opened_on: Day
    report_id: str | None = optional(
        "Whose it is: the report here whose complainant reported on that case (none on a case "
        "flagged before this was kept)")


class Unreachable(Part):
    report_id: str
    reference: str = Field(description="The reporter's own reference")
    why: str = Field(description="anonymous, or no safe way to contact them")


class AsbRequest(Part):
    """A good-neighbour request's reporter asks for it to be treated as ASB."""

    report_id: str = Field(description="The report whose reporter asked")
    reason: str = Field(description="Their words")
    at: Timestamp


class GoodNeighbourDecision(Part):
    """Whether a good-neighbour request is ASB: yes, it is an ASB case from then; no, the
    reason is told to the reporter."""

    treat_as_asb: bool
    reason: str
    by: str
    at: Timestamp
    asked_by_report: str | None = Field(default=None, description=(
        "The report whose reporter asked; none when the officer decided on their own"))
    matter_held_by: list[str] | None = Field(default=None, description=(
        "Moved to ASB: the open cases that already handle its alleged perpetrator's tenancy, "
        "so it did not claim it; join it into that case"))


class CaseSummary(Part):
    """A case as staff read it: where it stands, its triage, its targets and its closure."""

    reference: str
    status: Status
    category: Category | None
    category_reasons: list[str]
    emergency: bool
    emergency_reasons: list[str]
    risk: Risk | None
    officer: str | None
    team: str | None
    targets: Targets | None
    version: int = Field(description="Send as If-Match with a change")
    opened_at: Timestamp
    updated_at: Timestamp
    anonymous: bool
    behaviours: list[str] = Field(description="Codes from the published list of behaviours")
    hate_incident: bool
    hate_finding: Finding | None = Field(description=(
        "Who found it a hate incident when no report said so (NM01(2))"))
    pathway: Pathway = Field(default="asb", description=(
        "The route the case takes: asb (counted in NM01); domestic_abuse, its own pathway (a "
        "specialist referral, safe contact only, never joined with a neighbour case, never shown "
        "to an alleged perpetrator, counted apart); good_neighbour (not an ASB case)"))
    asb_opened_at: Timestamp | None = Field(default=None, description=(
        "A good-neighbour request an officer moved to ASB (or to the domestic abuse pathway): "
        "when it became a case, triaged from then (NM01 counts an ASB one as opened then)"))
    asb_request: AsbRequest | None = Field(default=None, description=(
        "A good-neighbour request's reporter asked for it to be treated as ASB: waiting for "
        "an officer's decision (POST /cases/{reference}/good-neighbour-decision)"))
    good_neighbour_decision: GoodNeighbourDecision | None = Field(default=None, description=(
        "The officer's decision whether the good-neighbour request is ASB"))
    report_count: int
    reported_before: list[ReportedBefore] = Field(default_factory=list, description=(
        "A repeat victim: other cases its complainants reported on, open in the 12 months before "
        "their report here, found at triage (risk one level higher); by reference only"))
    policy_version: str | None = Field(default=None, description=(
        "The version of the landlord's policy its last triage decided by (category, risk, "
        "emergency, targets, the ASB Case Review threshold); none before policies had versions"))
    linked_to: str | None = Field(description="The closed case this one follows")
    split_from: str | None = Field(default=None, description=(
        "The case its report was split out of, into this one"))
    joined_into: str | None = Field(default=None, description=(
        "The case this one was joined into (closed): its reports are there now"))
    joined_from: list[str] = Field(default_factory=list, description=(
        "Cases joined into this one"))
    action_plan: ActionPlan | None = Field(description=(
        "The plan agreed with the case's lead complainant (the first agreed), whose contact "
        "schedule the case keeps"))
    action_plans: list[ActionPlan] = Field(default_factory=list, description=(
        "Every complainant's own current plan, each with the report it was agreed on "
        "(agreed_with): the lead complainant's first"))
    first_contact_at: Timestamp | None
    first_contact_on_time: bool | None
    closed_at: Timestamp | None
    outcome: str | None
    closure_reasons: str | None
    case_review_threshold_met_at: Timestamp | None
    location_address: str
    postcode: str | None
    address_to_check: bool = Field(default=False, description=(
        "The reporter says a home involved is ours but could not find it in the list: check "
        "the address"))
    retain_until: Day | None
    legal_hold: Finding | None = Field(description="The DPO's hold on retention, if any")
    anonymised_at: Timestamp | None
    reporters_cannot_be_reached: list[Unreachable] = Field(description=(
        "Reports whose reporter nothing we send can reach: follow-up only by their link"))
    powers_open: list[str] = Field(default_factory=list, description=(
        "The tools and powers the landlord may record on this case now, by catalogue name: "
        "never a partner's power; possession and demotion only while the alleged perpetrator "
        "is tied to a tenancy of ours current today; none on a closed case"))


class Person(Part):
    """Someone a report names: its reporter, with their contact details and needs as they gave
    them, or the alleged perpetrator as described."""

    role: Literal["reporter", "alleged perpetrator"]
    report_id: str
    reference: str | None = optional("A reporter's own reference")
    name: str | None = optional()
    email: str | None = optional()
    phone: str | None = optional()
    address: str | None = optional()
    postcode: str | None = optional()
    uprn: str | None = optional("Perpetrator: their home, one in the homes register (UPRN)")
    tenancy: str | None = optional(
        "Perpetrator: the tenancy current at their home when the report came (its reference)")
    known: bool | None = optional("Perpetrator: known to the reporter")
    description: str | None = optional()
    relationship: str | None = optional()
    preferred_contact: str | None = optional()
    unsafe_channels: list[str] | None = optional()


class RecordDetail(Part):
    """A record as kept, less its keys (asb.case.records)."""

    record_id: str | MISSING | None = given()
    at: Timestamp | MISSING | None = given("When it was recorded")
    case_reference: str | MISSING | None = given()
    by: str | MISSING | None = given("Who recorded it: an officer, or reporter")


class DiaryEntryDetail(RecordDetail):
    """A diary entry: an officer's note or a further report taken by phone, or a reporter's own
    entry through their link."""

    kind: str | MISSING | None = given("diary, further_report or reporter_diary")
    text: str | MISSING | None = given("What happened ([erased] once retention anonymised the case)")
    occurred_at: str | MISSING | None = given(
        "When it happened: an officer's entry, a date and time; a reporter's, the time of day "
        "(HH:MM) on occurred_on")
    occurred_on: Day | MISSING | None = given("A reporter's entry: the day it happened")
    report_id: str | MISSING | None = given("A reporter's entry: their report")
    effect: str | MISSING | None = given("A reporter's entry: how it affected them")
    lasted_minutes: int | MISSING | None = given()


class ContactDetail(RecordDetail):
    """A contact made or had; with the reporter it is first contact or a customer update."""

    channel: str | MISSING | None = given("phone, email, sms, letter, visit or meeting")
    with_whom: str | MISSING | None = given("reporter, perpetrator, witness or agency")
    summary: str | MISSING | None = given("What was said ([erased] once retention anonymised the case)")
    party_id: str | MISSING | None = given("The party it was with, if named (a witness)")


class ReferralDetail(RecordDetail):
    """A referral to mediation or support, with the consent of the person referred."""

    service: str | MISSING | None = given("mediation or support")
    subject: str | MISSING | None = given("reporter, perpetrator or household")
    consent: bool | MISSING | None = given()
    notes: str | MISSING | None = given()
    status: str | MISSING | None = given("sent")


class ActionPlanVersionDetail(RecordDetail, ActionPlan):
    """A version of the action plan as agreed; its record id is the version (0001 on)."""


class _TimelineEntry(Part):
    at: Timestamp | None = Field(description="When it happened or was recorded")


class DiaryTimelineEntry(_TimelineEntry):
    kind: Literal["diary"]
    detail: DiaryEntryDetail


class ContactTimelineEntry(_TimelineEntry):
    kind: Literal["contact"]
    detail: ContactDetail


class ReferralTimelineEntry(_TimelineEntry):
    kind: Literal["referral"]
    detail: ReferralDetail


class ActionPlanTimelineEntry(_TimelineEntry):
    kind: Literal["action_plan"]
    detail: ActionPlanVersionDetail


class AuditDetail(Part):
    """An audit entry as kept: who did what, the values before and after."""

    entry_id: str | None = optional()
    actor: str | None = optional()
    action: str | None = optional()
    before: dict[str, Any] | None = optional()
    after: dict[str, Any] | None = optional()
    policy_version: str | None = optional(
        "The version of the landlord's policy the process that wrote it ran by (a triage, an "
        "override, a target or threshold decision, any change); none on an entry written before "
        "versions were recorded")


class AuditTimelineEntry(_TimelineEntry):
    kind: Literal["audit"]
    detail: AuditDetail


class RecordTimelineEntry(_TimelineEntry):
    kind: Literal["report", "tool_or_power", "case_review", "survey", "task", "notification",
                  "disclosure", "evidence", "disclosure_log"]
    detail: dict[str, Any] = Field(description=(
        "The record as kept, less its keys: a report, a tool or power "
        "(asb.case.records.Measure), an ASB Case Review, a survey, a task (its policy_version: "
        "the policy its due time was set by), a notification sent, a request to share, a file "
        "(asb.case.records.Evidence) or a disclosure log entry"))


class TimelineEntry(RootModel):  # type: ignore[type-arg]
    """An entry of the timeline, its detail described by its kind."""

    # Its type as a field, not a parameter: RootModel[...] is built at once, as the class is
    # made, with every kind of entry in it; this way it waits, as every part does, for its
    # first use.
    model_config = ConfigDict(defer_build=True)
    root: Annotated[DiaryTimelineEntry | ContactTimelineEntry | ReferralTimelineEntry
                    | ActionPlanTimelineEntry | AuditTimelineEntry | RecordTimelineEntry,
                    Field(discriminator="kind")]


class Behaviour(Part):
    code: str
    label: str = Field(description="From the published list of behaviours")


class Place(Part):
    postcode: str | None
    area: str | None = Field(description="The street or area, without a house or flat number")


class ListedCase(Part):
    """A case in a list: its summary, what is happening and where."""

    reference: str
    status: Status | None = optional()
    category: Category | None = optional()
    emergency: bool | None = optional()
    officer: str | None = optional()
    team: str | None = optional()
    opened_at: Timestamp | None = optional()
    updated_at: Timestamp | None = optional()
    version: int | None = optional()
    anonymous: bool | None = optional()
    targets: Targets | None = optional()
    postcode: str | None = optional()
    behaviours: list[Behaviour] = Field(default_factory=list)
    place: Place | None = optional()
    pathway: Pathway = Field(default="asb", description=(
        "asb, domestic_abuse (its own pathway: safe contact only, never joined with a neighbour "
        "case) or good_neighbour"))


class DueWork(Part):
    """Work due now or overdue: a task, an enforcement date, or a case quiet for too long."""

    case_reference: str | None
    kind: str | None = Field(description=(
        "The overdue item's own kind: a task's (FIRST_CONTACT, CUSTOMER_CONTACT, PLAN_REVIEW, "
        "a Case Review step...), escalated or not; NO_ACTIVITY for a quiet case; disclosure "
        "or referral for a request to share; none for legal action awaiting approval"))
    title: str | None
    due_at: Timestamp | None
    due_on: str | None = Field(default=None, description=(
        "The day the work is about (YYYY-MM-DD): an enforcement date's own - the hearing's, the "
        "order's end, the last day to serve - else the day it fell due; how late it is counts "
        "from this day"))
    officer: str | None
    team: str | None
    overdue: bool = Field(description=(
        "Late: past its due time. False for work due now about a date still to come (a court "
        "hearing tomorrow, an order ending within 28 days): due, not overdue"))


class ThresholdDecision(Part):
    met: bool | None = optional()
    reasons: str | None = optional()
    by: str | None = optional()
    on: Day | None = optional()
    policy_version: str | None = optional(
        "The landlord's policy it was recorded under; none before versions were recorded")


class ReviewMeeting(Part):
    held_on: Day | None = optional()
    agencies: list[str] | None = optional()
    summary: str | None = optional()
    by: str | None = optional()
    landlord_attended: bool | None = optional("As a participant: whether we attended")


class RecommendationResponse(Part):
    on: Day | None = optional()
    what_we_did: str | None = optional()
    done: bool | None = optional()
    by: str | None = optional()


class PanelRecommendation(Part):
    action: str | None = optional()
    owner: str | None = optional("The agency that will carry it out")
    recommendation_id: str | None = optional("A recommendation made to us: respond to it by id")
    due_on: Day | None = optional("When a recommendation made to us is due")
    responses: list[RecommendationResponse] | None = optional("What we did about it")
    done_on: Day | None = optional()


class ReviewAppeal(Part):
    received_on: Day | None = optional()
    grounds: str | None = optional()
    against: str | None = optional("The status appealed against")
    upheld: bool | None = optional()
    reasons: str | None = optional()
    decided_by: str | None = optional()
    decided_on: Day | None = optional()


class ReviewOutcome(Part):
    summary: str | None = optional()
    by: str | None = optional()
    on: Day | None = optional()
    told_on: Day | None = optional("As a participant: when the lead body told us")


class ReviewRunBy(Part):
    """The lead body running a review we take part in: the published point of contact."""

    partner_id: str | None = optional()
    name: str | None = optional()
    how_to_reach: str | None = optional()


class ListedCaseReview(Part):
    """An ASB Case Review application of the year and where it stands (its parts are the text
    [erased] once retention anonymised the case)."""

    case_reference: str | None = optional()
    review_id: str | None = optional()
    status: str | None = optional()
    received_on: Day | None = optional()
    applicant: str | None = optional()
    threshold: ThresholdDecision | str | None = optional()
    meeting: ReviewMeeting | str | None = optional()
    recommendations: list[PanelRecommendation] | str | None = optional()
    appeal: ReviewAppeal | str | None = optional()
    outcome: ReviewOutcome | str | None = optional()
    run_by: ReviewRunBy | None = optional("Who runs it when we are a participant; absent: we "
                                          "lead it")
    referral_id: str | None = optional("The request to share that referred it to them")


class PartnerOfficer(Part):
    name: str | None = optional()
    role: str | None = optional()
    email: str | None = optional()


class Partner(Part):
    """A partner in the registry and its information-sharing agreement, as a manager saved it."""

    partner_id: str
    version: int = Field(description="Send as If-Match to change it")
    name: str | None = optional()
    kind: str | None = optional()
    agreement: str | None = optional("The information-sharing agreement, by name")
    data_categories: list[str] | None = optional()
    legal_routes: list[str] | None = optional()
    named_officers: list[PartnerOfficer] | None = optional()
    queue: str | None = optional("The partner's delivery queue")
    account_id: str | None = optional("The AWS account allowed to read the partner's queue")
    sender_ids: list[str] | None = optional("Principals whose inbound messages are this "
                                            "partner's (SQS SenderId)")
    # Saved as null when the agreement sets no rank, so answered as null.
    crime_exemption_sign_off_rank: str | None = Field(default=None, description=(
        "The lowest police rank that may sign off a request under the crime exemption"))
    active: bool | None = optional()


class WaitingDisclosure(Part):
    """A request to share waiting for a manager's or the DPO's decision."""

    case_reference: str | None
    disclosure_id: str | None
    direction: Literal["outbound", "inbound"] | None
    kind: str | None = Field(description="disclosure or referral")
    partner_id: str | None
    partner_name: str | None
    purpose: str | None
    legal_route: str | None
    data_categories: list[str] | None
    requested_by: str | None
    requested_at: Timestamp | None
    due_at: Timestamp | None
    team: str | None
    urgent: bool | None = optional("A safeguarding referral to decide by the end of the "
                                   "working day")


class WaitingLegalAction(Part):
    """Legal action waiting for a manager's approval."""

    case_reference: str | None
    record_id: str | None
    measure: str | None = Field(description="The tool or power, by its code")
    name: str | None = Field(description="The tool or power's name in the catalogue")
    subject: str | None
    rationale: str | None
    equality_impact: str | None
    by: str | None = Field(description="Who recorded it")
    recorded_at: Timestamp | None
    due_at: Timestamp | None
    team: str | None
    officer: str | None


class PartyTenancy(Part):
    """The landlord's tenancy a party is tied to, and its home."""

    reference: str
    uprn: str


class PartyUnlinking(Part):
    reason: str
    by: str
    at: Timestamp


class ProposedMatch(Part):
    """Another person intake found this party may be: an officer decides (merge, or not)."""

    person_id: str
    reasons: list[Literal["same_tenancy", "same_email", "same_phone"]]


class PartyPerson(Part):
    """The person's details, as kept on their one record across cases."""

    person_id: str
    name: str | None = optional()
    email: str | None = optional()
    phone: str | None = optional()
    address: str | None = optional()
    postcode: str | None = optional()
    merged_into: str | None = optional("This record was merged into that person's")


class CaseParty(Part):
    """A person's place in this case: their roles, whether an officer confirmed it, its tenancy,
    and intake's proposed matches. An anonymous complainant has no person."""

    party_id: str
    case_reference: str
    person_id: str | None = optional()
    roles: list[Literal["complainant", "victim", "witness", "alleged_perpetrator",
                        "household_member", "professional"]]
    status: Literal["proposed", "confirmed"]
    report_id: str | None = optional("The report it came from")
    tenancy: PartyTenancy | None = optional()
    unlinked: PartyUnlinking | None = optional("Unlinked from the case: why, who, when")
    proposed_matches: list[ProposedMatch] = Field(default_factory=list)
    vulnerability: PartyVulnerability | None = optional(
        "The last vulnerability screening; none: not screened yet")
    added_at: Timestamp
    added_by: str
    version: int
    person: PartyPerson | None = optional()


class WitnessStatementDetail(Part):
    """A witness statement as kept (asb.case.records.WitnessStatement)."""

    record_id: str
    at: Timestamp
    party_id: str
    made_on: Day = Field(description="The day the statement was made")
    text: str | None = optional("Its words ([erased] once retention anonymised the case)")
    evidence_id: str | None = optional("Or the checked file on the case that holds it")
    signed: bool = Field(description="Its statement of truth is signed")
    signed_on: Day | None = optional()
    taken_by: str = Field(description="The officer who took it")
    willing_to_attend_court: bool | None = optional("Left out: not yet asked")
    by: str


class WitnessNeedsDetail(Part):
    """What the witness needs to give evidence, by the policy's codes."""

    support: list[str] = Field(default_factory=list, description=(
        "Codes from the policy's WITNESS_SUPPORT"))
    special_measures: list[str] = Field(default_factory=list, description=(
        "Codes from the policy's SPECIAL_MEASURES (YJCEA 1999 ss23-30; CPR 3.1, PD 1A)"))
    notes: str | None = optional()
    contact_every_working_days: int | None = optional("The officer's own gap between contacts")
    at: Timestamp | None = optional("When they were first recorded")
    by: str | None = optional("Who recorded them last")


class CaseWitness(Part):
    """A witness of the case (or a complainant or victim with a statement or needs recorded):
    their statements, their needs, and their own contact schedule."""

    party_id: str
    roles: list[str]
    active: bool = Field(description="False: unlinked from the case (their statements kept)")
    statements: list[WitnessStatementDetail] = Field(default_factory=list)
    needs: WitnessNeedsDetail
    contact_every_working_days: int | None = Field(description=(
        "Working days between the officer's contacts; null: no schedule of their own (a "
        "complainant hears through the customer updates)"))
    next_contact_due: Day | None = Field(description="The day their next contact falls due")
    contact_overdue: bool = Field(description="Their next contact is late")
