"""A subject access request as a record with a lifecycle, as plain functions of the record, the
DPO's answer and the time (UK GDPR Art 12(3) and 15; DPA 2018 Sch 2 Part 3 para 16):

- received: the day it came in, who recorded it, the person's identifiers (kept only as the
  hashes the person lookups use); due one calendar month from receipt - the corresponding date,
  or the month's last day when it has none (31 January: 28 or 29 February);
- extended, once, for a complex request: two further months from the first due date, recorded
  only up to that date and only with the notice that told the person why;
- reviewed: the DPO reads each case's free text and releases or redacts it (other people's
  information that minimisation cannot know to take out);
- released: the export, never before the review, and never with a case the review did not see.

It waits on the DueWork index until released, so the due-work sweep escalates it when overdue.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from asb.case.models import AuditEntry
from asb.case.people import search_keys
from asb.case.targets import LONDON, local_day
from asb.case.tasks import SUBJECT_ACCESS
from asb.kernel.errors import InvalidChange, RuleBroken
from asb.kernel.staff import StaffMember
from asb.kernel.validation import FieldError
from asb.policy.calendar_months import months_after

REFERENCE_PATTERN = r"^SAR-[0-9a-f-]{36}$"
DUE_MONTHS = 1  # Art 12(3): within one month of receipt
EXTENSION_MONTHS = 2  # by two further months where necessary (complexity, number of requests)
WITHHELD = "[withheld by the data protection officer: it would identify someone else]"

_IN = ConfigDict(extra="forbid", str_strip_whitespace=True, frozen=True, defer_build=True)
_STORED = ConfigDict(extra="ignore", frozen=True, defer_build=True)  # a stored item carries its keys besides
Reason = Annotated[str, StringConstraints(min_length=20, max_length=2000)]
CaseReference = Annotated[str, StringConstraints(pattern=r"^ASB-\d{4}-\d{6}$")]


class SubjectAccessRequestIn(BaseModel):
    """A request as it came in: the day, and what the person gave to find their data by."""

    model_config = _IN
    received_on: date = Field(description="The day the request reached the landlord")
    email: Annotated[str, StringConstraints(max_length=200)] | None = None
    phone: Annotated[str, StringConstraints(max_length=40)] | None = None
    name: Annotated[str, StringConstraints(max_length=200)] | None = None
    address: Annotated[str, StringConstraints(max_length=300)] | None = None


class ExtensionIn(BaseModel):
    model_config = _IN
    reason: Reason = Field(description="Why the request is complex, as the person was told")
    notice: Literal["letter", "email"] = Field(description="How the person was told")
    notice_sent_on: date = Field(description="The day the notice went: within the first month")


class FreeTextDecision(BaseModel):
    model_config = _IN
    case_reference: CaseReference
    free_text: Literal["release", "redact"]


class ReviewIn(BaseModel):
    model_config = _IN
    cases: list[FreeTextDecision] = Field(max_length=500, description=(
        "Each case the request finds, and whether its free text goes to the person"))
    note: Annotated[str, StringConstraints(max_length=2000)] | None = None


class Extension(BaseModel):
    model_config = _STORED
    reason: str
    notice: str
    notice_sent_on: date
    by: str
    at: datetime


class Review(BaseModel):
    model_config = _STORED
    decisions: dict[str, Literal["release", "redact"]]
    note: str | None = None
    by: str
    at: datetime


class Release(BaseModel):
    model_config = _STORED
    by: str
    at: datetime
    cases: list[str]
    free_text_withheld: list[str]
    # Domestic abuse cases kept out whole: the person is their alleged perpetrator or of their
    # household (DA_SUBJECT_ACCESS_WITHHELD); they are not told of them
    cases_withheld: list[str] = Field(default_factory=list)


class SubjectAccessRequest(BaseModel):
    model_config = _STORED
    reference: str
    version: int = 1
    status: Literal["received", "extended", "reviewed", "released"]
    received_on: date
    received_by: str
    recorded_at: datetime
    searched_by: list[str]
    person_keys: list[str]  # hashes, as the person lookups hold them: nothing in clear
    first_due_on: date
    due_on: date
    extension: Extension | None = None
    review: Review | None = None
    release: Release | None = None
    due_kind: str | None = None  # on the DueWork index until released
    due_at: datetime | None = None


# The request is not at the version the DPO read (or, new, already exists): a VersionConflict.
REQUEST_CHANGED = "The request changed since you read it. Read it again."


@dataclass(frozen=True)
class RequestStep:
    """One step, written in one transaction with its audit entry, on condition that the request
    is still at the version (and place on the DueWork index) it was read at."""

    request: SubjectAccessRequest
    audit: AuditEntry
    expected_version: int | None  # None: a new request
    expected_due_kind: str | None = None


NewId = Callable[[], str]


def due_on(received_on: date) -> date:
    return months_after(received_on, DUE_MONTHS)


def extended_due_on(first_due_on: date) -> date:
    return months_after(first_due_on, EXTENSION_MONTHS)


def overdue_from(due: date) -> datetime:
    """When a request due on a day becomes overdue: that day has ended, in England."""
    return datetime.combine(due + timedelta(days=1), time(0), LONDON).astimezone(UTC)


def _audit(request: SubjectAccessRequest, action: str, staff: StaffMember, now: datetime,
           new_id: NewId, after: dict[str, Any], before: int | None) -> AuditEntry:
    return AuditEntry(entry_id=new_id(), case_reference=request.reference, at=now,
                      actor=f"staff:{staff.username}", action=action,
                      before={"version": before} if before else None, after=after)


def _open(request: SubjectAccessRequest) -> None:
    if request.release is not None:
        raise RuleBroken(f"The request was released on {request.release.at.date()}: "
                         "nothing more can change")


def receive(body: SubjectAccessRequestIn, staff: StaffMember, now: datetime,
            new_id: NewId = lambda: str(uuid.uuid4())) -> RequestStep:
    staff.require("dpo")
    person_keys = search_keys(body.email, body.phone, body.name, body.address)
    problems = [] if person_keys else [FieldError(
        "email", "Give an email, a phone number, or a name and an address")]
    if body.received_on > local_day(now):
        problems.append(FieldError("received_on", "The day it was received cannot be in the "
                                                  "future"))
    if problems:
        raise InvalidChange(problems)
    first_due = due_on(body.received_on)
    request = SubjectAccessRequest(
        reference=f"SAR-{new_id()}", status="received", received_on=body.received_on,
        received_by=staff.username, recorded_at=now,
        searched_by=sorted(k for k in ("email", "phone", "name", "address")
                           if getattr(body, k)),
        person_keys=person_keys, first_due_on=first_due, due_on=first_due,
        due_kind=SUBJECT_ACCESS, due_at=overdue_from(first_due))
    return RequestStep(request, _audit(request, "SubjectAccessReceived", staff, now, new_id, {
        "received_on": body.received_on.isoformat(), "due_on": first_due.isoformat(),
        "searched_by": request.searched_by}, None), expected_version=None)


def _changed(request: SubjectAccessRequest, **changes: Any) -> SubjectAccessRequest:
    return request.model_copy(update={"version": request.version + 1, **changes})


def extend(request: SubjectAccessRequest, body: ExtensionIn, staff: StaffMember,
           now: datetime, new_id: NewId = lambda: str(uuid.uuid4())) -> RequestStep:
    """Two further months from the first due date; Art 12(3) lets it be done only within the
    first month, and only with the person told why."""
    staff.require("dpo")
    _open(request)
    if request.extension is not None:
        raise RuleBroken(f"The request was already extended to {request.due_on}")
    today = local_day(now)
    if today > request.first_due_on:
        raise RuleBroken(f"An extension must be made within the first month, by "
                         f"{request.first_due_on}: the request is now overdue")
    if not request.received_on <= body.notice_sent_on <= today:
        raise InvalidChange([FieldError("notice_sent_on", f"The notice must have gone between "
                                                          f"{request.received_on} and today")])
    new_due = extended_due_on(request.first_due_on)
    extended = _changed(
        request, status="reviewed" if request.review else "extended", due_on=new_due,
        due_kind=SUBJECT_ACCESS, due_at=overdue_from(new_due),
        extension=Extension(reason=body.reason, notice=body.notice,
                            notice_sent_on=body.notice_sent_on, by=staff.username, at=now))
    return RequestStep(extended, _audit(extended, "SubjectAccessExtended", staff, now, new_id, {
        "due_on": new_due.isoformat(), "notice": body.notice,
        "notice_sent_on": body.notice_sent_on.isoformat()}, request.version),
        request.version, request.due_kind)


def review(request: SubjectAccessRequest, found: list[str], body: ReviewIn,
           staff: StaffMember, now: datetime,
           new_id: NewId = lambda: str(uuid.uuid4())) -> RequestStep:
    """The DPO's decision on each case's free text. `found`: the cases that hold data about the
    person now; the review must decide on each of them and on nothing else."""
    staff.require("dpo")
    _open(request)
    decisions = {d.case_reference: d.free_text for d in body.cases}
    problems = []
    if len(decisions) != len(body.cases):
        problems.append(FieldError("cases", "Name each case once"))
    missing = sorted(set(found) - set(decisions))
    if missing:
        problems.append(FieldError("cases", f"Decide on the free text of {', '.join(missing)}: "
                                            "it holds data about the person"))
    unknown = sorted(set(decisions) - set(found))
    if unknown:
        problems.append(FieldError("cases", f"{', '.join(unknown)} holds nothing about the "
                                            "person"))
    if problems:
        raise InvalidChange(problems)
    reviewed = _changed(request, status="reviewed", review=Review(
        decisions=decisions, note=body.note, by=staff.username, at=now))
    return RequestStep(reviewed, _audit(reviewed, "SubjectAccessReviewed", staff, now, new_id, {
        "decisions": decisions}, request.version), request.version, request.due_kind)


def check_releasable(request: SubjectAccessRequest) -> None:
    """Open and reviewed: checked before the cases are read for the export, too."""
    _open(request)
    if request.review is None:
        raise RuleBroken("The free text has not been reviewed: review each case before the "
                         "export is released")


def release(request: SubjectAccessRequest, found: list[str], staff: StaffMember, now: datetime,
            new_id: NewId = lambda: str(uuid.uuid4()),
            cases_withheld: list[str] | None = None) -> RequestStep:
    """Released only after the review, and only if the review saw every case found now.
    `cases_withheld`: found, but kept out whole (recorded, never in the export)."""
    staff.require("dpo")
    check_releasable(request)
    assert request.review is not None
    unseen = sorted(set(found) - set(request.review.decisions))
    if unseen:
        raise RuleBroken(f"{', '.join(unseen)} now holds data about the person and was not "
                         "reviewed: review again before release")
    withheld = sorted(ref for ref in found if request.review.decisions[ref] == "redact")
    released = _changed(request, status="released", due_kind=None, due_at=None,
                        release=Release(by=staff.username, at=now, cases=sorted(found),
                                        free_text_withheld=withheld,
                                        cases_withheld=sorted(cases_withheld or [])))
    return RequestStep(released, _audit(released, "SubjectAccessReleased", staff, now, new_id, {
        "cases": sorted(found), "free_text_withheld": withheld,
        **({"cases_withheld": sorted(cases_withheld)} if cases_withheld else {})},
        request.version),
        request.version, request.due_kind)


def redacted(section: dict[str, Any]) -> dict[str, Any]:
    """A case's section of the export with its free text withheld: what happened, the contacts'
    summaries, the purposes of what was shared, the meetings' minutes and actions, the ASB Case
    Reviews' words and the reason of a good-neighbour decision."""
    report = section.get("report") or {}
    decision = section.get("decision_on_your_request")
    return {**section,
            "report": {**report, "what_happened": WITHHELD} if report else report,
            "contacts_with_you": [{**c, "summary": WITHHELD}
                                  for c in section.get("contacts_with_you", [])],
            "shared_with_partners": [{**s, "purpose": WITHHELD}
                                     for s in section.get("shared_with_partners", [])],
            **_meetings_redacted(section),
            **({"your_asb_case_reviews": [
                {**r, "what_you_asked": WITHHELD, "outcome": r["outcome"] and WITHHELD}
                for r in section["your_asb_case_reviews"]]}
               if "your_asb_case_reviews" in section else {}),
            **({"decision_on_your_request": {**decision, "reason": WITHHELD}}
               if decision else {})}


def _meetings_redacted(part: dict[str, Any]) -> dict[str, Any]:
    """The minutes, and each action's words and note, withheld (when the part has meetings)."""
    if "meetings_that_name_you" not in part:
        return {}
    return {"meetings_that_name_you": [
        {**m, "minutes": WITHHELD,
         "actions": [{**a, "what": WITHHELD, "note": a.get("note") and WITHHELD}
                     for a in m.get("actions", [])]}
        for m in part["meetings_that_name_you"]]}


def released_export(request: SubjectAccessRequest, document: dict[str, Any]) -> dict[str, Any]:
    """The export as it goes to the person: each case's free text as the review decided."""
    assert request.review is not None and request.release is not None
    decisions = request.review.decisions
    return {"request": {**document["request"], "reference": request.reference,
                        "received_on": request.received_on.isoformat(),
                        "due_on": request.due_on.isoformat(),
                        "released_on": local_day(request.release.at).isoformat()},
            "cases": [redacted(s) if decisions.get(s["case_reference"]) == "redact" else s
                      for s in document["cases"]],
            # No free text in their records: nothing of them is for the review to redact.
            "your_records": document.get("your_records", []),
            "your_places_in_cases": [_statements_reviewed(p, decisions)
                                     for p in document.get("your_places_in_cases", [])]}


def _statements_reviewed(place: dict[str, Any], decisions: Mapping[str, str]) -> dict[str, Any]:
    """A place's free text - a witness's own statements and the notes of their needs, the
    meetings that name them - goes only where the DPO reviewed the case's free text and released
    it (DPA 2018 Sch 2 Part 3 para 16); else the facts go, the words withheld."""
    if decisions.get(place.get("case_reference", "")) == "release":
        return place
    statements = place.get("your_witness_statements")
    needs = place.get("your_needs_as_a_witness")
    return {**place,
            **({"your_witness_statements": [{**s, "what_you_said": WITHHELD}
                                            for s in statements]} if statements else {}),
            **({"your_needs_as_a_witness": {**needs, "notes": needs["notes"] and WITHHELD}}
               if needs else {}),
            **_meetings_redacted(place)}


def view(request: SubjectAccessRequest, now: datetime) -> dict[str, Any]:
    """What the DPO sees of a request: everything but the hashes."""
    shown = request.model_dump(mode="json", exclude={"person_keys", "due_kind", "due_at"})
    open_ = request.release is None
    return {**shown, "open": open_,
            "overdue": open_ and now >= overdue_from(request.due_on),
            "may_extend": open_ and request.extension is None
            and local_day(now) <= request.first_due_on}
