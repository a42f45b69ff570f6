"""The case's side of sharing with partners that more than one capability writes: the disclosure
log's line (partners' every step), a power asked of a partner withdrawn by enforcement's step
(enforcement may not import partners, so what the withdrawal does to the request lives here), and
an ASB Case Review application's referral to the lead body, which the review's application
writes and partners decide and send."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from asb.case.change import CaseFolder, NewId, Record
from asb.case.records import Disclosure, Measure
from asb.case.retention import years_after
from asb.case.targets import end_of_day, local_day
from asb.case.tasks import DISCLOSURE_DECISION, DUE_TITLES
from asb.kernel.errors import RuleBroken
from asb.policy.config import (
    CASE_REVIEW_REFERRAL_DECISION_WORKING_DAYS,
    CASE_REVIEW_REFERRAL_IF_ALLOWED,
    CASE_REVIEW_REFERRAL_LEGAL_ROUTE,
    CASE_REVIEW_REFERRAL_NEEDS,
    DATA_CATEGORIES,
    LANDLORD_NAME,
    LEGAL_ROUTES,
    RETENTION_YEARS,
)
from asb.policy.reporting_year import year_of
from asb.policy.working_days import add_working_days, on_or_after

# The kind of the Disclosure that refers an ASB Case Review application to the lead body's point
# of contact (the ASB Case Review writes it; partners decide, build and send it).
CASE_REVIEW_REFERRAL = "case_review_referral"

LOG_KEPT_YEARS = RETENTION_YEARS  # a log line is kept as long as a closed case
# A request not yet on the partner's queue: the publisher sends only an approved one.
NOT_YET_SENT = ("requested", "approved")
_UNDUE = ("due_kind", "due_at", "title")


def log_entry(disclosure: dict[str, Any], action: str, at: datetime, by: str,
              new_id: NewId, **detail: Any) -> Record:
    """One append-only line of the disclosure log, with the ICO toolkit's fields (request,
    requester and rank, data asked for, purpose, necessity, legal route, decision, decision
    maker, reasons, data disclosed, transfer method, date sent, how long it is kept)."""
    inbound = disclosure["direction"] == "inbound"
    entry = {
        "disclosure_id": disclosure["disclosure_id"], "action": action, "by": by,
        "direction": disclosure["direction"], "kind": disclosure["kind"],
        "partner_id": disclosure["partner_id"], "partner_name": disclosure["partner_name"],
        "requesting_organisation": disclosure["partner_name"] if inbound else LANDLORD_NAME,
        "requesting_officer": _requesting_officer(disclosure),
        "purpose": disclosure["purpose"], "necessity": disclosure.get("necessity"),
        "legal_route": disclosure["legal_route"],
        "legal_route_text": LEGAL_ROUTES.get(disclosure["legal_route"], ""),
        "data_categories": disclosure["data_categories"], "subject": disclosure["subject"],
        "retain_until": years_after(local_day(at), LOG_KEPT_YEARS).isoformat(),
        "reporting_year": year_of(local_day(at)), "year_on": at.isoformat(), **detail,
    }
    return Record("DisclosureLog", new_id(), at, entry)


def _requesting_officer(disclosure: dict[str, Any]) -> str | None:
    """Who signed the request off, name and rank; once retention has erased the signatory
    (a partner's acknowledgement can still come after), the erased text as it stands."""
    signed_off = disclosure.get("signed_off_by")
    if isinstance(signed_off, dict):
        return f"{signed_off.get('name')} ({signed_off.get('rank')})"
    requested_by = signed_off or disclosure.get("requested_by")
    return None if requested_by is None else str(requested_by)


def request_withdrawn(folder: CaseFolder, measure: Measure, by: str, now: datetime,
                      note: str, new_id: NewId) -> list[Record]:
    """A partner's power withdrawn before its request has left: the request is withdrawn with
    it, in the same change - off the DueWork index (the manager's list), never sent - and the
    log says so. Once sent, the partner has it: its outcome is logged and changes nothing."""
    request = folder.disclosures.get(measure.disclosure_id or "")
    if request is None or request.status not in NOT_YET_SENT:
        return []
    disclosure = {**request.as_stored(), "case_reference": folder.case.reference}
    withdrawn = {**{k: v for k, v in disclosure.items() if k not in _UNDUE},
                 "status": "withdrawn", "withdrawn_by": by, "withdrawn_at": now.isoformat()}
    return [Record("Disclosure", request.disclosure_id, now, withdrawn, replace=True),
            log_entry(disclosure, "withdrawn", now, by, new_id, reason=note)]


def referral_due_at(now: datetime) -> datetime:
    """An ASB Case Review referral is decided (or, when it cannot be made yet, made) by the end
    of the working day (section 6: "at once")."""
    return end_of_day(on_or_after(add_working_days(
        local_day(now), CASE_REVIEW_REFERRAL_DECISION_WORKING_DAYS)))


def case_review_referral(folder: CaseFolder, partner: dict[str, Any] | None, review_id: str,
                         received_on: str, by: str, now: datetime,
                         new_id: NewId) -> tuple[str, list[Record]]:
    """The request to share that refers an ASB Case Review application to the point of contact
    (`partner`, its registry entry) with the case history: checked against its agreement now,
    so an application is never recorded with a referral that could not go; due for a manager's
    or the DPO's decision by the end of the working day (section 6: "at once"). Returns its id
    and its records (the request and its log line)."""
    if partner is None or not partner.get("active", True):
        raise RuleBroken("The ASB Case Review's point of contact is not an active partner in the "
                         "registry: a manager adds it (policy CASE_REVIEW_POINT_OF_CONTACT) "
                         "before the application can be referred")
    if CASE_REVIEW_REFERRAL_LEGAL_ROUTE not in partner["legal_routes"]:
        raise RuleBroken(f"The agreement with {partner['name']} does not cover "
                         f"{LEGAL_ROUTES[CASE_REVIEW_REFERRAL_LEGAL_ROUTE]}: the case history "
                         "cannot be referred")
    allowed = set(partner["data_categories"])
    missing = [DATA_CATEGORIES[c].lower() for c in CASE_REVIEW_REFERRAL_NEEDS if c not in allowed]
    if missing:
        raise RuleBroken(f"The agreement with {partner['name']} does not allow "
                         f"{'; '.join(missing)}: the case history cannot be referred")
    categories = [*CASE_REVIEW_REFERRAL_NEEDS,
                  *(c for c in CASE_REVIEW_REFERRAL_IF_ALLOWED if c in allowed)]
    case = folder.case
    disclosure_id = new_id()
    request = Disclosure.model_validate({
        "record_id": disclosure_id, "at": now, "disclosure_id": disclosure_id,
        "direction": "outbound", "kind": CASE_REVIEW_REFERRAL,
        "partner_id": partner["partner_id"], "partner_name": partner["name"],
        "purpose": f"To refer an application for an ASB Case Review, received on {received_on}, "
                   f"to {partner['name']}, the published point of contact, with the case history",
        "necessity": "The lead body needs the case history to decide the threshold and review "
                     "the case (ASBCPA 2014 s104 and Schedule 4)",
        "legal_route": CASE_REVIEW_REFERRAL_LEGAL_ROUTE, "subject": "case",
        "data_categories": sorted(categories), "consent": False, "status": "requested",
        "requested_by": by, "requested_at": now, "officer": case.officer, "team": case.team,
        "review_id": review_id, "due_kind": DISCLOSURE_DECISION,
        "due_at": referral_due_at(now).isoformat(), "title": DUE_TITLES[DISCLOSURE_DECISION],
    })
    disclosure = {**request.as_stored(), "case_reference": case.reference}
    return disclosure_id, [Record("Disclosure", disclosure_id, now, disclosure, replace=True),
                           log_entry(disclosure, "requested", now, by, new_id)]
