"""The records a case holds beside its reports, as pydantic models: what the rules read and
change, and what the store decodes each item into and encodes back.

Each model is the item's attributes less its keys (pk, sk, entity, case_reference, year_list),
which the store derives. Items are written as they always were: `as_stored()` gives back every
attribute the record was read or made with - an attribute set to None stays a DynamoDB NULL,
one never set stays absent - and any attribute a model does not name is kept as it was
(`extra="allow"`), so an item written before a model named it reads and writes back unchanged.
Times are ISO 8601 text as `datetime.isoformat()` writes them (`+00:00`), as stored."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, PlainSerializer

from asb.case.enforcement import (
    AbsoluteGround,
    Agreement,
    Application,
    Breach,
    Hearing,
    Interview,
    Notice,
    Order,
    WarningLetter,
)
from asb.policy.config import EVIDENCE_KINDS, TOOLS_AND_POWERS

Instant = Annotated[datetime, PlainSerializer(lambda at: at.isoformat(), return_type=str,
                                              when_used="json")]

_RECORD = ConfigDict(frozen=True, extra="allow", populate_by_name=True, defer_build=True)


class StoredRecord(BaseModel):
    """A record kept as one item, updated in place."""

    model_config = _RECORD

    record_id: str
    at: Instant = Field(description="When the record was made")

    def as_stored(self) -> dict[str, Any]:
        """The item's attributes (less its keys), exactly those it was read or made with."""
        return self.model_dump(mode="json", by_alias=True, exclude_unset=True)


class MeasureChange(BaseModel):
    """One step of a tool or power's history."""

    model_config = ConfigDict(frozen=True, extra="allow", populate_by_name=True, defer_build=True)

    from_status: str = Field(alias="from")
    to: str
    note: str | None = None
    by: str
    at: Instant


class Measure(StoredRecord):
    """A tool or power used on the case (a warning, an ABC, an injunction...). Legal action
    waits for a manager's approval, on the DueWork index until then."""

    measure: str = Field(json_schema_extra={"enum": list(TOOLS_AND_POWERS)})
    name: str = Field(description="The tool or power's name in the catalogue")
    legal: bool = Field(description="Legal action (needs a manager's approval)")
    rationale: str
    equality_impact: str | None = None
    subject: Literal["perpetrator", "household", "reporter", "other"] = "perpetrator"
    status: str = Field(description=(
        "Legal action: considered, served, applied, granted, refused, breached, expired or "
        "withdrawn; anything else: applied, completed or withdrawn"))
    approval: Literal["pending", "approved", "refused", "not needed"]
    by: str = Field(description="Who recorded it")
    recorded_at: Instant
    history: list[MeasureChange] = Field(default_factory=list)
    expires_on: date | None = Field(default=None, description="When the order ends")
    approval_reason: str | None = None
    approved_by: str | None = None
    approval_at: Instant | None = None
    # On the DueWork index while a manager's decision is awaited.
    due_kind: str | None = None
    due_at: Instant | None = None
    title: str | None = None
    team: str | None = None
    officer: str | None = None
    # Enforcement's life (asb.case.enforcement): whom it is against, and each part it has had.
    party_id: str | None = Field(default=None, description="The party it is against")
    interview: Interview | None = None
    letters: list[WarningLetter] = Field(default_factory=list)
    agreement: Agreement | None = None
    absolute_ground: AbsoluteGround | None = None
    notice: Notice | None = None
    application: Application | None = None
    hearings: list[Hearing] = Field(default_factory=list)
    order: Order | None = None
    breaches: list[Breach] = Field(default_factory=list)
    # On the ByReportingYear index under the year it was recorded, for the year's figures
    # (asb.reporting.enforcement); a measure kept before has none until infra.backfill_measure_years.
    reporting_year: int | None = None
    year_on: date | None = None
    # A power the landlord does not hold, asked of a partner (asb.partners.power_requests).
    held_by: str | None = Field(default=None, description=(
        "The partner asked to use the power (its partner id); none: the landlord's own"))
    partner_name: str | None = None
    disclosure_id: str | None = Field(default=None, description=(
        "The request to share that asked the partner for it"))


EvidenceStatus = Literal["awaiting upload", "checked", "refused"]


class Evidence(StoredRecord):
    """A file a reporter sends through their link, or a witness's signed statement an officer
    attaches (kind statement): shown to officers only once its content is checked to be what it
    says."""

    kind: str = Field(json_schema_extra={"enum": [*EVIDENCE_KINDS, "statement"]})
    report_id: str | None = Field(default=None, description=(
        "The report whose reporter sent it; none: an officer attached it"))
    party_id: str | None = Field(default=None, description=(
        "A statement's file: the witness whose statement it holds"))
    uploaded_by: str | None = Field(default=None, description=(
        "A statement's file: the officer who attached it"))
    status: EvidenceStatus
    incoming_key: str | None = Field(default=None, description="Where the upload lands")
    reason: str | None = Field(default=None, description="Why it was refused, for the reporter")
    content_type: str | None = Field(default=None, description="As its content showed it to be")
    size: int | None = None
    checked_at: Instant | None = None
    object_key: str | None = Field(default=None, description="Where the checked file is kept")


class _Part(BaseModel):
    """A part of a record (its dicts inside the item): given keys only, unknown ones kept."""

    model_config = _RECORD


class ReviewStep(_Part):
    """One step of an ASB Case Review's history."""

    model_config = ConfigDict(frozen=True, extra="allow", populate_by_name=True, defer_build=True)

    from_status: str = Field(alias="from")
    to: str
    by: str
    at: Instant


class ThresholdDecision(_Part):
    met: bool
    reasons: str
    by: str
    on: date
    policy_version: str | None = Field(default=None, description=(
        "The landlord's policy the decision was recorded under (its threshold and dates); "
        "none on a decision recorded before versions were"))


class ReviewMeeting(_Part):
    held_on: date
    agencies: list[str]
    summary: str
    by: str
    landlord_attended: bool | None = Field(default=None, description=(
        "As a participant: whether the landlord attended the lead body's meeting"))


class RecommendationResponse(_Part):
    """What the landlord did about a recommendation made to it, as an officer recorded it."""

    on: date
    what_we_did: str
    done: bool
    by: str


class PanelRecommendation(_Part):
    action: str
    owner: str = Field(description="The agency that will carry it out")
    recommendation_id: str | None = None
    due_on: date | None = Field(default=None, description=(
        "For the landlord's own: when it is due (its due work until done)"))
    responses: list[RecommendationResponse] = Field(default_factory=list)
    done_on: date | None = None


class ReviewOutcome(_Part):
    summary: str
    by: str
    on: date
    told_on: date | None = Field(default=None, description=(
        "As a participant: the day the lead body told the landlord its outcome"))


class ReviewRunBy(_Part):
    """The lead body running an ASB Case Review the landlord takes part in (s104(3))."""

    partner_id: str
    name: str
    how_to_reach: str


class ReviewAppeal(_Part):
    """An appeal against the threshold decision or the outcome, and its decision once made."""

    received_on: date
    grounds: str
    against: str = Field(description="The status appealed against")
    upheld: bool | None = None
    reasons: str | None = None
    decided_by: str | None = None
    decided_on: date | None = None


# What retention leaves in a free-text part of an anonymised case's record (asb.retention).
Erased = str


class CaseReview(StoredRecord):
    """An ASB Case Review (ASBCPA 2014 s104): the application and each step since, one item
    updated in place; counted in the reporting year it was received."""

    review_id: str
    status: str = Field(description=(
        "applied, acknowledged, threshold not met, threshold met, review held, "
        "recommendations made, appealed or completed; as a participant: referred, review "
        "held, recommendations made or completed"))
    received_on: date
    applicant: str
    report_id: str | None = Field(default=None, description="The victim's report")
    summary: str
    by: str
    threshold_suggested: bool = Field(
        default=False, description="The case had met the threshold when the application came")
    history: list[ReviewStep] = Field(default_factory=list)
    reporting_year: int
    year_on: date
    acknowledged_on: date | None = None
    note: str | None = None
    threshold: ThresholdDecision | Erased | None = None
    meeting: ReviewMeeting | Erased | None = None
    recommendations: list[PanelRecommendation] | Erased | None = None
    outcome: ReviewOutcome | Erased | None = None
    appeal: ReviewAppeal | Erased | None = None
    # As a participant (CASE_REVIEW_LEAD_BODY false): who runs it, and the referral to them
    # (a Disclosure). Absent: the landlord is the lead body.
    run_by: ReviewRunBy | None = None
    referral_id: str | None = None


class Signatory(_Part):
    """Who signed off a partner's request, as the request named them."""

    name: str
    rank: str


class Disclosure(StoredRecord):
    """A request to share information with a partner, or a partner's request (Crime and
    Disorder Act 1998 s115, DPA 2018), from asking to the partner's acknowledgement; one item
    updated in place, on the DueWork index while a decision or an acknowledgement is awaited."""

    disclosure_id: str
    direction: Literal["outbound", "inbound"]
    kind: str = Field(description="disclosure or referral")
    partner_id: str
    partner_name: str
    purpose: str
    necessity: str | None = None
    legal_route: str
    subject: str
    data_categories: list[str]
    consent: bool = False
    status: str = Field(description=(
        "requested, refused, approved, sent or acknowledged; a power request, answered once the "
        "partner's outcome is back, or withdrawn with its measure before it was sent"))
    requested_by: str | None = None
    requested_at: Instant | None = None
    signed_off_by: Signatory | Erased | None = None
    officer: str | None = None
    team: str | None = None
    decided_by: str | None = None
    decided_at: Instant | None = None
    reason: str | None = None
    package: dict[str, Any] | Erased | None = Field(default=None, description=(
        "What was sent: the partner's message body (asb.minimisation)"))
    sent_at: Instant | None = None
    queue: str | None = None
    acknowledged_at: str | None = Field(default=None, description=(
        "When the partner says it arrived, as their message gave it"))
    acknowledged_by: str | None = None
    # On the DueWork index while a step is awaited.
    due_kind: str | None = None
    due_at: Instant | None = None
    title: str | None = None


class Survey(StoredRecord):
    """A closure survey answer (the landlord's local measure): one per respondent per closure,
    counted in the reporting year it was answered."""

    answer: str
    answered_on: date
    channel: str
    report_id: str = Field(description="The respondent's report")
    comments: str | None = None
    closure: str = Field(description="The closure it answers for: the case's closed_at as stored")
    satisfied: bool = Field(description="Very or fairly satisfied")
    by: str
    reporting_year: int
    year_on: date


class DiaryEntry(StoredRecord):
    """A diary entry: an officer's note or a further report taken by phone, or a reporter's own
    entry through their link (kind reporter_diary, with their report id)."""

    kind: str = Field(default="diary", description="diary, further_report or reporter_diary")
    text: str = Field(description="What happened ([erased] once retention anonymised the case)")
    by: str = Field(description="The officer, or reporter")
    # Text as stored: an officer's entry a time (ISO 8601), a reporter's the time of day (HH:MM).
    occurred_at: str | None = Field(default=None, description=(
        "When it happened: an officer's entry, a date and time; a reporter's, the time of day "
        "(HH:MM) on occurred_on"))
    report_id: str | None = Field(default=None, description="A reporter's entry: their report")
    effect: str | None = Field(default=None, description="A reporter's entry: how it affected them")
    occurred_on: date | None = None
    lasted_minutes: int | None = None


class Contact(StoredRecord):
    """A contact an officer made or had: with the reporter it makes first contact and sets the
    next customer update."""

    channel: str = Field(description="phone, email, sms, letter, visit or meeting")
    with_whom: str = Field(default="reporter", description=(
        "reporter, perpetrator, witness or agency"))
    summary: str = Field(description="What was said ([erased] once retention anonymised the case)")
    by: str
    party_id: str | None = Field(default=None, description="The party it was with, if named")


class Referral(StoredRecord):
    """A referral to mediation or support, made with the consent of the person referred."""

    service: str = Field(description="mediation or support")
    subject: str = Field(description="reporter, perpetrator or household")
    consent: bool
    notes: str | None = None
    status: str = Field(description="sent")
    by: str


class ActionPlanVersion(StoredRecord):
    """A version of the action plan as agreed (its record id the version, 0001 on); the latest
    is also on the case."""

    landlord_actions: list[str]
    customer_actions: list[str]
    contact_channel: str
    contact_every_working_days: int
    review_on: date
    customer_agreed: bool
    agreed_on: date | None = Field(default=None, description="Empty until the customer agreed")
    agreed_with: str | None = Field(default=None, description=(
        "The complainant's report it was agreed on (plans before plans named one lack it)"))
    version: int
    by: str

    def as_plan(self) -> dict[str, Any]:
        """The plan as the case keeps it: this version less its record id and time."""
        return {k: v for k, v in self.as_stored().items() if k not in ("record_id", "at")}


class WitnessStatement(StoredRecord):
    """A witness statement (asb.case.witnesses): a witness's, or a complainant's or victim's own
    account for the court, as words or as a checked file on the case, and its statement of
    truth once signed. Its record id is the statement's id; one item, updated in place."""

    party_id: str = Field(description="The party whose statement it is")
    made_on: date = Field(description="The day the statement was made")
    text: str | None = Field(default=None, description=(
        "The statement's words ([erased] once retention anonymised the case)"))
    evidence_id: str | None = Field(default=None, description=(
        "Or the statement as a checked file on this case (asb.case.records.Evidence)"))
    signed: bool = Field(description="The statement of truth is signed")
    signed_on: date | None = None
    taken_by: str = Field(description="The officer who took it")
    willing_to_attend_court: bool | None = Field(default=None, description=(
        "Whether the witness will give evidence in court; null: not yet asked"))
    by: str = Field(description="Who recorded it")


class WitnessNeeds(StoredRecord):
    """What one witness needs to give evidence, and how often the officer keeps in touch with
    them: one item per party (record id the party's id), replaced by each change."""

    party_id: str
    support: list[str] = Field(default_factory=list, description=(
        "From the policy's WITNESS_SUPPORT: a supporter at court, an interpreter..."))
    special_measures: list[str] = Field(default_factory=list, description=(
        "From the policy's SPECIAL_MEASURES (YJCEA 1999 ss23-30; CPR 3.1, PD 1A)"))
    notes: str | None = Field(default=None, description=(
        "Anything else the court or the officer should know ([erased] by retention)"))
    contact_every_working_days: int | None = Field(default=None, description=(
        "The officer's own gap between contacts; none: the policy's"))
    by: str


class MeetingAttendee(_Part):
    """Who was at a multi-agency meeting: a partner in the registry (by partner_id), someone of
    another agency named with their agency and role, or one of the landlord's officers."""

    attends_for: Literal["partner", "agency", "landlord"]
    agency: str = Field(description="The agency: a partner's name as the registry has it")
    partner_id: str | None = None
    name: str | None = None
    role: str | None = None
    officer: str | None = Field(default=None, description="The landlord's officer (username)")


class MeetingAction(_Part):
    """An action agreed at a meeting, owned by the landlord or a partner that attended, with
    its due date: the landlord's is due work for the case's officer, a partner's is chased by
    message when it falls due undone (asb.case.meetings)."""

    action_id: str
    description: str
    owner: str = Field(description="landlord, or the owning partner's partner_id")
    owner_name: str
    due_on: date
    status: str = Field(description="open, done, or ended (the case closed with it open)")
    done_on: date | None = None
    done_by: str | None = Field(default=None, description="staff:<username> or partner:<id>")
    note: str | None = None
    chase_text: str | None = Field(default=None, description=(
        "Older records only: the words a chase once carried (a chase now names the action by "
        "its id, owner and due date, never its words)"))


class Meeting(StoredRecord):
    """A multi-agency meeting about the case (a problem-solving panel, a case conference): who
    attended, the minutes and the actions agreed; one item, updated in place as actions are
    done. Its record id is the meeting's id."""

    meeting_id: str
    kind: str = Field(description="A kind in the policy's MEETING_KINDS")
    held_on: date
    attendees: list[MeetingAttendee]
    minutes: str = Field(description="The minutes ([erased] once retention anonymised the case)")
    actions: list[MeetingAction] = Field(default_factory=list)
    by: str = Field(description="The officer who recorded it")
