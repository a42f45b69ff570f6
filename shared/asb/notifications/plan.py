"""Which messages a domain event calls for, to whom, through which channels, and when.

A reporter is written to under their own report's reference, about their own part of the case
(asb.complainants): the plan and the contact updates go to the complainant the plan was agreed
with only, and nothing says that a case existed before their report or that others reported."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from asb.case.complainants import complainant_id, contact_promised, own_plan, promised_category
from asb.case.models import Case, Report
from asb.case.submission import Reporter
from asb.case.targets import LONDON, local_day, long_date
from asb.policy.config import (
    CASE_REVIEW_URL,
    CHANNEL_ORDER,
    CLOSURE_OUTCOMES,
    COMPLAINTS_URL,
    CONSOLE_CASE_PATH,
    CONSOLE_SUBJECT_ACCESS_PATH,
    DOMESTIC_ABUSE_BEHAVIOURS,
    FIRST_RESPONSE_WORKING_DAYS,
    LANDLORD_NAME,
    LANDLORD_PHONE,
    SURVEY_URL,
)

CUSTOMER_TEMPLATES = ("acknowledgement", "action_plan", "contact_due", "case_review_right",
                      "case_review_update", "closure", "good_neighbour",
                      "good_neighbour_decision")
STAFF_TEMPLATES = ("emergency_alert", "escalation", "digest", "subject_access_overdue",
                   "officer_assigned")


@dataclass(frozen=True)
class Recipient:
    kind: str  # "reporter" or "duty_officer"
    name: str | None = None
    email: str | None = None
    phone: str | None = None
    address: str | None = None
    large_print: bool = False
    report_id: str | None = None
    reference: str | None = None  # the reporter's own reference, which their link carries


@dataclass(frozen=True)
class DutyOfficer:
    email: str | None
    phone: str | None
    managers_email: str | None = None
    dpo_email: str | None = None
    # Officers' addresses are <username>@<domain>, as the daily digest addresses them.
    staff_email_domain: str | None = None
    # The deployment's own address (the API's stage URL): staff links open its console.
    service_url: str = ""

    def console_link(self, path: str) -> str:
        return self.service_url + path

    def case_link(self, reference: str) -> str:
        """The console's page of one case."""
        return self.console_link(CONSOLE_CASE_PATH.format(reference=reference))


@dataclass(frozen=True)
class Message:
    notification_id: str
    case_reference: str
    template: str
    recipient: Recipient
    channels: tuple[str, ...]
    context: dict[str, Any] = field(default_factory=dict)
    not_before: datetime | None = None
    # An email that carries the message's letter as a PDF (a warning letter).
    enclosed: bool = False


def notification_id(event_id: str, template: str, who: str) -> str:
    """The same event, message and person always give the same id: a redelivery is a replay."""
    return hashlib.sha256(f"{event_id}|{template}|{who}".encode()).hexdigest()[:32]


def _channels(report: Report, case: Case) -> tuple[str, ...]:
    return reporter_channels(report.submission.reporter, case.behaviours, case.pathway)


def reporter_channels(reporter: Reporter | None, behaviours: Iterable[str],
                      pathway: str = "asb") -> tuple[str, ...]:
    """The channels a reporter may be written to, in the order they are tried; empty: nothing
    can reach them. The confirmation page and the officer's case view say what this decides.
    Domestic abuse (a behaviour that discloses it, or a case an officer moved to its pathway)
    never goes by post unless the reporter asked for letters."""
    if reporter is None:
        return ()
    has = {"email": reporter.email, "sms": reporter.phone, "letter": reporter.address}
    unsafe = set(reporter.unsafe_channels)
    abuse = pathway == "domestic_abuse" or bool(DOMESTIC_ABUSE_BEHAVIOURS & set(behaviours))
    if abuse and reporter.preferred_contact != "letter":
        unsafe.add("letter")  # post can be seen by the person causing harm
    preferred = [reporter.preferred_contact] if reporter.preferred_contact else []
    order = [*preferred, *CHANNEL_ORDER]
    return tuple(dict.fromkeys(c for c in order if c in has and has[c] and c not in unsafe))


def next_safe_moment(report: Report, now: datetime) -> datetime | None:
    """None if now is a safe time to contact the reporter, else when the next safe time starts."""
    reporter = report.submission.reporter
    if reporter is None or reporter.safe_from is None or reporter.safe_until is None:
        return None
    local = now.astimezone(LONDON)
    start, end = reporter.safe_from, reporter.safe_until
    inside = start <= local.time() < end if start < end else not end <= local.time() < start
    if inside:
        return None
    day = local.date() if local.time() < start else local.date() + timedelta(days=1)
    return datetime.combine(day, start, LONDON)


def _reporter(report: Report) -> Recipient:
    reporter = report.submission.reporter
    assert reporter is not None
    return Recipient("reporter", reporter.name, reporter.email, reporter.phone, reporter.address,
                     reporter.large_print, report.report_id, report.public_reference)


def _base_context(report: Report) -> dict[str, Any]:
    # The reporter's own reference: for a report that joined a case, never the case's.
    return {"reference": report.public_reference, "landlord": LANDLORD_NAME,
            "phone": LANDLORD_PHONE}


def _for_reporter(event: dict[str, Any], case: Case, report: Report, template: str,
                  context: dict[str, Any], now: datetime) -> Message | None:
    # An anonymous reporter is never contacted; a named one is, whoever reported first.
    if report.submission.anonymous or report.submission.reporter is None:
        return None
    channels = _channels(report, case)
    if not channels:
        return None
    recipient = _reporter(report)
    first_name = (recipient.name or "").split(" ")[0] or None
    reporter = report.submission.reporter
    assert reporter is not None
    adjustments = {"language": reporter.language, "interpreter": reporter.interpreter}
    return Message(
        notification_id=notification_id(event["event_id"], template, report.report_id),
        case_reference=case.reference, template=template, recipient=recipient,
        channels=channels, context={**_base_context(report), "first_name": first_name,
                                    **adjustments, **context},
        not_before=next_safe_moment(report, now),
    )


def _supporter_copy(message: Message, report: Report) -> Message | None:
    """The reporter's supporter gets a copy of what the reporter is sent, if the reporter agreed,
    by the supporter's own email or phone."""
    reporter = report.submission.reporter
    supporter = reporter.supporter if reporter else None
    if supporter is None or not supporter.reporter_agrees:
        return None
    channels = tuple(c for c, there in (("email", supporter.email), ("sms", supporter.phone))
                     if there)
    if not channels or reporter is None:
        return None
    return Message(
        notification_id=notification_id(message.notification_id, message.template, "supporter"),
        case_reference=message.case_reference, template=message.template,
        recipient=Recipient("supporter", supporter.name, supporter.email, supporter.phone,
                            report_id=report.report_id),
        channels=channels, context={**message.context, "language": None, "interpreter": False,
                                    "first_name": supporter.name.split(" ")[0],
                                    "copy_for": reporter.name.split(" ")[0]},
        not_before=message.not_before)


def messages_for(event: dict[str, Any], case: Case, reports: list[Report],
                 duty: DutyOfficer, now: datetime) -> list[Message]:
    kind = event["type"]
    detail = event.get("detail") or {}
    by_id = {r.report_id: r for r in reports}
    complainant = by_id.get(complainant_id(case, reports) or "")
    found: list[Message | None] = []
    if kind == "CaseTriaged" and detail.get("pathway") == "good_neighbour" \
            and detail.get("report_id") in by_id:
        # Not an ASB case: why, what we will do, how to ask for ASB (asb.case.good_neighbour).
        found.append(_for_reporter(event, case, by_id[detail["report_id"]], "good_neighbour", {
            "property_check": bool(detail.get("property_check"))}, now))
    elif kind == "GoodNeighbourDecided" and detail.get("report_id") in by_id \
            and case.good_neighbour_decision:
        found.append(_for_reporter(event, case, by_id[detail["report_id"]],
                                   "good_neighbour_decision", {
                                       "reason": case.good_neighbour_decision.get("reason"),
                                       "complaints_url": COMPLAINTS_URL}, now))
    elif kind == "CaseTriaged" and detail.get("report_id") in by_id:
        report = by_id[detail["report_id"]]
        due = contact_promised(case, report, reports)  # this event is its triage
        category = promised_category(case, report, reports)
        found.append(_for_reporter(event, case, report, "acknowledgement", {
            "first_contact_due": long_date(due) if due else None,
            "working_days": FIRST_RESPONSE_WORKING_DAYS[category] if category else None,
        }, now))
    elif kind == "EmergencyRaised":
        found += _emergency(event, case, duty)
    elif kind in _ESCALATIONS:
        found.append(_escalation(event, case, duty))
    elif kind == "OfficerAssigned":
        found.append(_assignment(event, case, duty))
    elif kind == "ActionPlanAgreed":
        # To the complainant it was agreed with (events before plans named one: the first).
        agreed = by_id.get(detail["agreed_with"] or "") if "agreed_with" in detail \
            else complainant
        plan = own_plan(case, agreed, reports) if agreed else None
        if agreed and plan:  # their own plan: never another complainant's
            found.append(_for_reporter(event, case, agreed, "action_plan", {"plan": plan}, now))
    elif kind == "ContactDue" and complainant:
        # The case's contact schedule is the one agreed with its complainant.
        found.append(_for_reporter(event, case, complainant, "contact_due", {}, now))
    elif kind == "CaseReviewThresholdMet" and complainant:
        # The complainant's right, whichever report crossed the threshold: a newcomer is not
        # told that others complained (nor an anonymous complainant anything: never contacted).
        found.append(_for_reporter(event, case, complainant, "case_review_right",
                                   {"case_review_url": CASE_REVIEW_URL}, now))
    elif kind in _CASE_REVIEW_STEPS and detail.get("report_id") in by_id:
        found.append(_for_reporter(event, case, by_id[detail["report_id"]], "case_review_update", {
            "step": _CASE_REVIEW_STEPS[kind], "met": detail.get("met"),
            "upheld": detail.get("upheld"), "reasons": detail.get("reasons"),
            "summary": detail.get("summary"), "run_by": detail.get("run_by"),
            "how_to_reach": detail.get("how_to_reach"), "decide_by": detail.get("decide_by"),
            "outcome_by": detail.get("outcome_by")}, now))
    elif kind == "CaseClosed":
        seen: set[str] = set()
        # The officer's own reasons describe the whole case: to the complainant alone (under
        # whichever of their reports is written to). Everyone else: the outcome's standard words.
        complainant_key = (complainant.reporter_key or complainant.report_id) if complainant \
            else None
        for report in sorted(reports, key=lambda r: r.received_at):
            key = report.reporter_key or report.report_id
            if key in seen:
                continue
            seen.add(key)
            found.append(_for_reporter(event, case, report, "closure", {
                "outcome": CLOSURE_OUTCOMES.get(case.outcome or "", case.outcome),
                "reasons": case.closure_reasons if key == complainant_key else None,
                # A good-neighbour request was no ASB case: no ASB Case Review to ask for.
                "case_review_url": None if case.pathway == "good_neighbour" else CASE_REVIEW_URL,
                "complaints_url": COMPLAINTS_URL, "survey_url": SURVEY_URL,
            }, now))
    sent = [m for m in found if m is not None]
    copies = [_supporter_copy(m, by_id[m.recipient.report_id]) for m in sent
              if m.recipient.kind == "reporter" and m.recipient.report_id in by_id]
    return sent + [c for c in copies if c is not None]


def _emergency(event: dict[str, Any], case: Case, duty: DutyOfficer) -> list[Message]:
    """The duty officer is alerted by SMS and by email, each a message of its own: one is sent,
    retried and logged whatever becomes of the other (not a fallback, as a reporter's is)."""
    context = {"reference": case.reference, "category": case.category,
               "link": duty.case_link(case.reference), "team": case.team or "unassigned",
               "reasons": (event.get("detail") or {}).get("reasons", [])}
    # Staff alerts carry the reference and a link, never the reporter's details.
    return [Message(
        notification_id=notification_id(event["event_id"], "emergency_alert", f"duty-{channel}"),
        case_reference=case.reference, template="emergency_alert",
        recipient=Recipient("duty_officer", None, duty.email, duty.phone),
        channels=(channel,), context=context)
        for channel, there in (("sms", duty.phone), ("email", duty.email)) if there]




# What the applicant for an ASB Case Review is told at each step, by the step's event.
_CASE_REVIEW_STEPS = {
    "CaseReviewAcknowledged": "acknowledged",
    "CaseReviewThresholdDecided": "decided",
    "CaseReviewAppealDecided": "appeal",
    "CaseReviewOutcome": "outcome",
    "CaseReviewReferred": "referred",
}

_ESCALATIONS = {
    "FirstContactOverdue": "First contact with the reporter is overdue: a missed target.",
    "EmergencyConsiderationOverdue": "Emergency legal action was not recorded as considered "
                                     "by the end of the day.",
    "NoRecentActivity": "Nothing has been recorded on the case for 20 working days.",
    "CaseReviewStepOverdue": "A step of an ASB Case Review is overdue:",
    "DisclosureRequestReceived": "A partner has asked for information about this case: a "
                                 "manager or the DPO must decide.",
    "DisclosureDecisionOverdue": "A request to share information with a partner has not been "
                                 "decided in time.",
    "PartnerAcknowledgementOverdue": "A partner has not acknowledged what we sent it.",
    # No reason in an email: what prompted it is special category data, seen on the case.
    "SafeguardingReferralOverdue": "A safeguarding referral was not considered by the end of "
                                   "the working day it was prompted.",
    "SafeguardingOutcomeOverdue": "A safeguarding referral's outcome has not come back from "
                                  "the partner in time: chase it.",
    "SpecialistReferralOverdue": "The referral to the domestic abuse specialist service was "
                                 "not made by the end of the working day it fell due.",
    "GoodNeighbourDecisionOverdue": "A resident asked for their good-neighbour request to be "
                                    "treated as ASB, and nobody has decided in time.",
}


# What each escalation's subject says it is about, so that two of one case read apart.
_ESCALATION_ABOUT = {
    "FirstContactOverdue": "first contact overdue",
    "EmergencyConsiderationOverdue": "emergency legal action not considered",
    "NoRecentActivity": "no activity for 20 working days",
    "CaseReviewStepOverdue": "ASB Case Review step overdue",
    "DisclosureRequestReceived": "a partner's request to decide",
    "DisclosureDecisionOverdue": "request to share not decided",
    "PartnerAcknowledgementOverdue": "partner has not acknowledged",
    "SafeguardingReferralOverdue": "safeguarding referral not considered",
    "SafeguardingOutcomeOverdue": "safeguarding referral outcome overdue",
    "SpecialistReferralOverdue": "domestic abuse specialist referral overdue",
    "GoodNeighbourDecisionOverdue": "good-neighbour request's ASB decision overdue",
}


def _escalation(event: dict[str, Any], case: Case, duty: DutyOfficer) -> Message | None:
    if not duty.managers_email:
        return None
    detail = event.get("detail") or {}
    return Message(
        notification_id=notification_id(event["event_id"], "escalation", "managers"),
        case_reference=case.reference, template="escalation",
        recipient=Recipient("managers", None, duty.managers_email, None), channels=("email",),
        context={"reference": case.reference,
                 "what": " ".join(filter(None, (_ESCALATIONS[event["type"]], detail.get("step")))),
                 "about": ": ".join(filter(None, (_ESCALATION_ABOUT[event["type"]],
                                                  detail.get("step")))),
                 "officer": detail.get("officer") or "unassigned",
                 "team": detail.get("team") or "unassigned", "due_at": detail.get("due_at"),
                 "link": duty.case_link(case.reference)},
    )


def _assignment(event: dict[str, Any], case: Case, duty: DutyOfficer) -> Message | None:
    """The officer a case was assigned to is told, by email: the reference and a link only."""
    detail = event.get("detail") or {}
    officer = detail.get("officer")
    if not officer or not duty.staff_email_domain:
        return None
    return Message(
        notification_id=notification_id(event["event_id"], "officer_assigned", str(officer)),
        case_reference=case.reference, template="officer_assigned",
        recipient=Recipient("officer", str(officer), f"{officer}@{duty.staff_email_domain}",
                            None), channels=("email",),
        context={"reference": case.reference, "officer": officer,
                 "team": detail.get("team") or "unassigned", "by": detail.get("by"),
                 "category": case.category, "emergency": case.emergency,
                 "link": duty.case_link(case.reference)},
    )


# Events about no case: an overdue subject access request is the data protection officer's.
WITHOUT_A_CASE = frozenset({"SubjectAccessOverdue"})


def messages_without_case(event: dict[str, Any], duty: DutyOfficer) -> list[Message]:
    """An overdue subject access request, to the DPO and the managers by email."""
    reference = str(event["case_reference"])
    overdue_at = (event.get("detail") or {}).get("due_at")
    # due_at is when it became overdue: the moment its due day ended.
    due_on = (long_date(local_day(datetime.fromisoformat(overdue_at) - timedelta(seconds=1)))
              if overdue_at else None)
    return [Message(
        notification_id=notification_id(event["event_id"], "subject_access_overdue", who),
        case_reference=reference, template="subject_access_overdue",
        recipient=Recipient(who, None, email, None), channels=("email",),
        context={"reference": reference, "due_on": due_on,
                 "link": duty.console_link(CONSOLE_SUBJECT_ACCESS_PATH)})
        for who, email in (("dpo", duty.dpo_email), ("managers", duty.managers_email)) if email]
