"""A reporter's private tracking link: what it shows, and what can be added through it.

The link is the report's own reference and a secret: a MAC of the report's id under a key that
never leaves KMS (so the notifier can put the same link in the acknowledgement without anyone
storing it), kept only as a SHA-256 hash: on the report, and on the REPORTREF item of the
reference the link carries, so that a link is checked with that one item before anything of
the case is read. A link matches one report; it stops working when an officer revokes it or
retention anonymises the case (both take the hash off the report and the item).

What the page shows is the reporter's own part of the case only (asb.complainants): a reporter
whose report joined a case sees what they would have seen had it opened one.
"""

from __future__ import annotations

import hmac
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from asb.case import good_neighbour
from asb.case.change import CaseChange, CaseFolder, Record, bump
from asb.case.complainants import contact_due, own_plan, triaged
from asb.case.evidence_files import Check, checked_file, incoming_key
from asb.case.link_keys import secret_hash
from asb.case.models import AuditEntry, Case, CaseStatus, DomainEvent, Report
from asb.case.records import Evidence
from asb.case.targets import local_day, long_date
from asb.kernel.errors import RuleBroken, UnknownRecord
from asb.kernel.staff import StaffMember
from asb.policy.config import (
    CASE_REVIEW_STEP_WORKING_DAYS,
    CLOSURE_OUTCOMES,
    EVIDENCE_KINDS,
    STAFF_FIRST_NAMES,
)
from asb.policy.working_days import add_working_days
from asb.tracking.models import AsbRequestIn, LinkRevocationIn, ResidentDiaryIn

NewId = Callable[[], str]
REPORTER = "reporter:tracking-link"


# No secret hashes to this (it would take a preimage of SHA-256): what a secret is compared
# with when its reference carries no working link, so that a missing, revoked or anonymised
# link costs what a wrong secret costs.
NO_LINK = "0" * 64


def link_hashes(reports: list[Report], reference: str) -> dict[str, str]:
    """The working links a reference carries, as its REPORTREF item keeps them."""
    return {r.report_id: r.tracking_hash for r in reports
            if r.public_reference == reference and r.tracking_hash}


def linked_report_id(hashes: dict[str, str], secret: str) -> str | None:
    """The report whose link this secret is, or None. Every stored hash is compared, in
    constant time; with none stored, the secret is compared with NO_LINK all the same."""
    offered = secret_hash(secret)
    found = None
    for report_id, stored in (hashes or {"": NO_LINK}).items():
        if hmac.compare_digest(stored, offered) and report_id:
            found = report_id
    return found


def linked_report(reports: list[Report], reference: str, report_id: str,
                  secret: str) -> Report | None:
    """The report a link opens, once its reference's item has named it: that report, if it
    still carries the reference and the secret's hash (the report is what counts: an item
    out of step with it opens nothing)."""
    report = next((r for r in reports if r.report_id == report_id), None)
    if report is None or not report.tracking_hash or report.public_reference != reference:
        return None
    return report if hmac.compare_digest(report.tracking_hash, secret_hash(secret)) else None


# ------------------------------------------------------------------ what the page shows
# Where the report stands, as its reporter reads it: the same words whether their report opened
# the case or joined it (triaged and open are one), and no promise of contact.
RECEIVED = "We have your report. An officer will look at it soon."
WORKING = "An officer is working on your report."
CLOSED = "We have closed your case."


def _status(case: Case, report: Report) -> str:
    if case.status == CaseStatus.CLOSED:
        return CLOSED
    return WORKING if triaged(case, report) else RECEIVED


def _officer(case: Case, report: Report) -> str | None:
    return STAFF_FIRST_NAMES.get(case.officer or "") if triaged(case, report) else None


def _plan(case: Case, report: Report, reports: list[Report]) -> dict[str, Any] | None:
    """This complainant's own plan, never another's; once the case is closed, nobody will look
    at it again."""
    plan = own_plan(case, report, reports)
    if not plan:
        return None
    review = plan.get("review_on") if case.status != CaseStatus.CLOSED else None
    return {"we_will": list(plan.get("landlord_actions") or []),
            "you_will": list(plan.get("customer_actions") or []),
            "review_on": long_date(datetime.fromisoformat(review).date()) if review else None}


def tracking_view(case: Case, report: Report, reports: list[Report],
                  items: list[dict[str, Any]]) -> dict[str, Any]:
    """Where the reporter's report stands, in plain English: nothing about anyone else - no
    names, addresses or words of other reports, no other reference, no plan agreed with someone
    else, no contact date but their own - and only what this reporter added themselves."""
    own = [i for i in items if i.get("report_id") == report.report_id]
    due = contact_due(case, report, reports)
    return {
        "reference": report.public_reference,
        "status": _status(case, report),
        "closed": case.status == CaseStatus.CLOSED,
        "outcome": CLOSURE_OUTCOMES.get(case.outcome or ""),
        "anonymous": report.submission.anonymous,
        "officer": _officer(case, report),
        "next_contact": long_date(due) if due else None,
        "plan": _plan(case, report, reports),
        "reported_on": long_date(local_day(report.received_at)),
        "good_neighbour": good_neighbour_view(case, report),
        "case_review": case_review_view(own, items),
        "diary": sorted(({"on": long_date(date.fromisoformat(str(i["occurred_on"]))),
                          "day": i.get("occurred_on"), "at": i.get("occurred_at"),
                          "what": i.get("text"), "effect": i.get("effect")}
                         for i in own if i.get("entity") == "DiaryEntry"),
                        key=lambda d: (str(d["day"]), str(d["at"] or "")), reverse=True),
        "evidence": sorted(({"kind": EVIDENCE_KINDS[i["kind"]][0], "status": i.get("status"),
                             "sent_on": long_date(local_day(datetime.fromisoformat(i["at"]))),
                             "reason": i.get("reason"), "at": i["at"]}
                            for i in own if i.get("entity") == "Evidence"),
                           key=lambda e: str(e["at"]), reverse=True),
    }


# Where the applicant's ASB Case Review stands, in their words; the lead body's own when it runs
# the review (we only know what it tells us).
_REVIEW_WORDS = {
    "applied": "We are looking at your request.",
    "acknowledged": "We are looking at your request.",
    "threshold met": "Your request meets the rules. A review will be held.",
    "threshold not met": "Your request did not meet the rules for a review.",
    "review held": "The review meeting has been held.",
    "recommendations made": "The review meeting has been held.",
    "appealed": "We are looking again at our choice, as you asked.",
    "completed": "The review is finished.",
}
# As a participant, from the referral's status: it leaves only once a manager decides to send it.
_REFERRAL_WORDS = {
    "waiting": "We are getting your request ready to send, with the history of your case, to "
               "the people who run the review.",
    "sent": "We have sent your request, with the history of your case, to the people who run "
            "the review.",
    "held up": "Sending your request to the people who run the review is held up. We will tell "
               "you when it has gone.",
}


def _status_words(review: dict[str, Any], items: Sequence[dict[str, Any]]) -> str:
    status = str(review.get("status"))
    if status != "referred":
        return _REVIEW_WORDS.get(status, "We are looking at your request.")
    referral = next((i for i in items if i.get("entity") == "Disclosure"
                     and i.get("disclosure_id") == review.get("referral_id")), {})
    sent = referral.get("status")
    if sent in ("sent", "acknowledged"):
        return _REFERRAL_WORDS["sent"]
    return _REFERRAL_WORDS["held up" if sent in ("refused", "withdrawn") else "waiting"]


def case_review_view(own: list[dict[str, Any]],
                     items: Sequence[dict[str, Any]] = ()) -> dict[str, Any] | None:
    """The reporter's own latest ASB Case Review application: who runs it, how to reach them,
    where it stands and when to expect an answer (the policy's typical timescales); referred,
    where its referral (among the case's `items`) stands - never "sent" before it has gone."""
    applied = sorted((i for i in own if i.get("entity") == "CaseReview"),
                     key=lambda i: str(i.get("received_on")))
    if not applied:
        return None
    review = applied[-1]
    received_on = date.fromisoformat(str(review["received_on"]))
    run_by = review.get("run_by") or {}
    status = str(review.get("status"))
    return {"received_on": long_date(received_on), "run_by": run_by.get("name"),
            "how_to_reach": run_by.get("how_to_reach"),
            "status": _status_words(review, items),
            "finished": status in ("completed", "threshold not met"),
            "decide_by": long_date(add_working_days(
                received_on, CASE_REVIEW_STEP_WORKING_DAYS["decide"])),
            "outcome_by": long_date(add_working_days(
                received_on, CASE_REVIEW_STEP_WORKING_DAYS["outcome"]))}


def good_neighbour_view(case: Case, report: Report) -> dict[str, Any] | None:
    """A good-neighbour request's page: why it is not handled as ASB, what we will do, and how
    to ask for ASB (or that they asked); an officer's decision, told to the reporter it answers
    (the one who asked, else the first), in the officer's words."""
    decision = case.good_neighbour_decision or {}
    answered = decision.get("asked_by_report") in (report.report_id, None)
    decided = {"treat_as_asb": bool(decision.get("treat_as_asb")),
               "reason": decision.get("reason")} if decision and answered else None
    if case.pathway != "good_neighbour":
        return {"decision": decided} if decided and decided["treat_as_asb"] else None
    asked = (case.asb_request or {}).get("report_id") == report.report_id
    return {"why": good_neighbour.WHY_NOT_ASB, "we_will": good_neighbour.WHAT_WE_WILL_DO,
            "property_check": good_neighbour.PROPERTY_CHECK
            if good_neighbour.wants_property_check(report.submission) else None,
            "asked": asked, "decision": decided}


def ask_for_asb(folder: CaseFolder, report: Report, body: AsbRequestIn, now: datetime,
                new_id: NewId = lambda: str(uuid.uuid4())) -> CaseChange:
    """The reporter asks for their good-neighbour request to be treated as ASB."""
    return good_neighbour.ask_for_asb(folder, report, body.reason, now, new_id)


# ------------------------------------------------------------------ what a reporter adds
def _audit(case: Case, action: str, now: datetime, new_id: NewId,
           after: dict[str, Any]) -> AuditEntry:
    return AuditEntry(entry_id=new_id(), case_reference=case.reference, at=now, actor=REPORTER,
                      action=action, after=after)


def _event(case: Case, kind: str, now: datetime, new_id: NewId,
           detail: dict[str, Any]) -> DomainEvent:
    return DomainEvent(event_id=new_id(), type=kind, case_reference=case.reference,
                       occurred_at=now, detail=detail)


def _still_open(case: Case) -> None:
    if case.status == CaseStatus.CLOSED:
        raise RuleBroken("This case is closed. If it has started again, please make a new report.")


def add_diary_entry(folder: CaseFolder, report: Report, entry: ResidentDiaryIn, now: datetime,
                    new_id: NewId = lambda: str(uuid.uuid4())) -> CaseChange:
    """A diary entry from the reporter: on the timeline, with an event the officer is told of."""
    case = folder.case
    _still_open(case)
    data = {"kind": "reporter_diary", "report_id": report.report_id, "by": REPORTER,
            "text": entry.what_happened, "effect": entry.effect,
            "occurred_on": entry.occurred_on.isoformat(),
            "occurred_at": entry.occurred_at.strftime("%H:%M") if entry.occurred_at else None,
            "lasted_minutes": entry.lasted_minutes}
    record = Record("DiaryEntry", new_id(), now, data)
    return CaseChange(bump(case, now), case.version,
                      _audit(case, "ReporterDiaryAdded", now, new_id,
                             {"record": record.record_id, "report_id": report.report_id}),
                      records=[record],
                      events=[_event(case, "ReporterDiaryAdded", now, new_id,
                                     {"record": record.record_id})])


@dataclass(frozen=True)
class Upload:
    evidence_id: str
    object_key: str
    kind: str
    largest: int
    types: frozenset[str]


def request_upload(folder: CaseFolder, report: Report, kind: str, now: datetime,
                   new_id: NewId = lambda: str(uuid.uuid4())) -> tuple[CaseChange, Upload]:
    """A file is expected: an Evidence record, not shown to officers until the file is checked."""
    case = folder.case
    _still_open(case)
    _, largest, types = EVIDENCE_KINDS[kind]
    evidence_id = new_id()
    awaited = Evidence(record_id=evidence_id, at=now, kind=kind, report_id=report.report_id,
                       status="awaiting upload", incoming_key=incoming_key(evidence_id))
    record = Record("Evidence", evidence_id, now, awaited.as_stored())
    change = CaseChange(bump(case, now), case.version,
                        _audit(case, "EvidenceRequested", now, new_id,
                               {"evidence_id": evidence_id, "kind": kind}),
                        records=[record])
    return change, Upload(evidence_id, incoming_key(evidence_id), kind, largest,
                          types)


def evidence_checked(folder: CaseFolder, evidence_id: str, check: Check, now: datetime,
                     new_id: NewId = lambda: str(uuid.uuid4())) -> CaseChange:
    """The file was checked: kept for the officer (its type as sniffed, never as named) or
    refused with the reason. A file is checked once."""
    case = folder.case
    evidence = folder.evidence.get(evidence_id)
    if evidence is None:
        raise UnknownRecord("There is no such file on this case")
    if evidence.status != "awaiting upload":
        raise RuleBroken(f"This file was already {evidence.status}")
    checked = checked_file(evidence, case.reference, check, now)
    kept = checked.status == "checked"
    events = [_event(case, "EvidenceAdded", now, new_id, {"evidence_id": evidence_id,
                                                          "kind": evidence.kind})] if kept else []
    return CaseChange(bump(case, now), case.version,
                      _audit(case, "EvidenceChecked" if kept else "EvidenceRefused", now, new_id,
                             {"evidence_id": evidence_id, "sniffed": check.sniffed,
                              "size": check.size}),
                      records=[Record("Evidence", evidence_id, now, checked.as_stored(),
                                      replace=True)],
                      events=events)


def revoke_tracking_link(folder: CaseFolder, report_id: str, body: LinkRevocationIn,
                         by: StaffMember, now: datetime,
                         new_id: NewId = lambda: str(uuid.uuid4())) -> CaseChange:
    """An officer stops a reporter's link (lost, shared, or no longer safe to use)."""
    case = folder.case
    report = next((r for r in folder.reports if r.report_id == report_id), None)
    if report is None:
        raise UnknownRecord(f"No report {report_id} on this case")
    if not report.tracking_hash:
        raise RuleBroken("This report has no tracking link to revoke")
    revoked = report.model_copy(update={"tracking_hash": None, "tracking_revoked_at": now})
    audit = AuditEntry(entry_id=new_id(), case_reference=case.reference, at=now,
                       actor=f"staff:{by.username}", action="TrackingLinkRevoked",
                       after={"report_id": report_id, "reason": body.reason})
    reports = [revoked if r.report_id == report_id else r for r in folder.reports]
    reference = report.public_reference
    return CaseChange(bump(case, now), case.version, audit, reports=[revoked],
                      report_links={reference: link_hashes(reports, reference)})
