"""Disclosures and referrals to partners (Crime and Disorder Act 1998 s115, DPA 2018, UK GDPR):
nothing leaves without a legal route the agreement covers, a decision by someone other than the
requester, and a log entry. Each step is a plain function returning one CaseChange; the approved
package is built by `minimisation.build_package` and leaves through the outbox."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import datetime
from typing import Any

from asb.case.change import CaseChange, CaseFolder, NewId, Record, audit_entry, bump, domain_event
from asb.case.minimisation import build_package
from asb.case.records import Disclosure
from asb.case.safeguarding import SAFEGUARDING_REFERRAL_KIND
from asb.case.sharing import log_entry
from asb.case.targets import end_of_day, local_day
from asb.case.tasks import DISCLOSURE_DECISION, DUE_TITLES
from asb.kernel.errors import InvalidChange, RuleBroken, UnknownRecord
from asb.kernel.staff import StaffMember
from asb.kernel.validation import FieldError
from asb.partners.models import DisclosureDecisionIn, DisclosureRequestIn
from asb.policy.config import (
    CONSENT_ONLY_KINDS,
    DISCLOSURE_DECISION_WORKING_DAYS,
    LEGAL_ROUTES,
    SAFEGUARDING_WITHOUT_CONSENT_ROUTE,
)
from asb.policy.working_days import add_working_days

DECIDERS = ("manager", "dpo")


class PartnerUnknown(UnknownRecord):
    pass


# The package an approved request sends: (folder, the request, the partner's agreement) -> body.
PackageBuilder = Callable[[CaseFolder, dict[str, Any], dict[str, Any]], dict[str, Any]]


def due_on_index(kind: str, at: datetime, working_days: int) -> dict[str, Any]:
    """What puts a disclosure on the DueWork index until its next step is done."""
    return {"due_kind": kind, "due_at": end_of_day(add_working_days(local_day(at), working_days))
            .isoformat(), "title": DUE_TITLES[kind]}


def _check_against_agreement(partner: dict[str, Any], legal_route: str, categories: list[str],
                             consent: bool, kind: str) -> None:
    if legal_route == SAFEGUARDING_WITHOUT_CONSENT_ROUTE and kind != SAFEGUARDING_REFERRAL_KIND:
        # Without consent only with the risk of harm recorded: the safeguarding referral asks it.
        raise InvalidChange([FieldError("legal_route", (
            f"{LEGAL_ROUTES[legal_route]} is the route of a safeguarding referral only: make it "
            "at POST /cases/{reference}/safeguarding-referrals, with consent or the risk of harm "
            "that makes it necessary without"))])
    if not partner.get("active", True):
        raise RuleBroken(f"{partner['name']} is not an active partner")
    if legal_route not in partner["legal_routes"]:
        raise RuleBroken(f"The agreement with {partner['name']} does not cover "
                         f"{LEGAL_ROUTES[legal_route]}")
    outside = sorted(set(categories) - set(partner["data_categories"]))
    if outside:
        raise InvalidChange([FieldError("data_categories", (
            f"The agreement with {partner['name']} does not allow {', '.join(outside)}"))])
    if (partner["kind"] in CONSENT_ONLY_KINDS or kind == "referral") and not (
            consent and legal_route == "consent"):
        raise RuleBroken(f"A referral to {partner['name']} needs the subject's consent, "
                         "recorded as the legal route")


def request_disclosure(folder: CaseFolder, partner: dict[str, Any], body: DisclosureRequestIn,
                       by: StaffMember, now: datetime,
                       new_id: NewId = lambda: str(uuid.uuid4())) -> CaseChange:
    case = folder.case
    if case.anonymised_at:
        raise RuleBroken("The case was anonymised: there is nothing to share")
    _check_against_agreement(partner, body.legal_route, body.data_categories, body.consent,
                             body.kind)
    disclosure_id = new_id()
    request = Disclosure.model_validate({
        "record_id": disclosure_id, "at": now,
        "disclosure_id": disclosure_id, "direction": "outbound", "kind": body.kind,
        "partner_id": partner["partner_id"], "partner_name": partner["name"],
        "purpose": body.purpose, "necessity": body.necessity, "legal_route": body.legal_route,
        "subject": body.subject,
        "data_categories": body.data_categories, "consent": body.consent, "status": "requested",
        "requested_by": by.username, "requested_at": now,
        "officer": case.officer, "team": case.team,
        **due_on_index(DISCLOSURE_DECISION, now, DISCLOSURE_DECISION_WORKING_DAYS),
    })
    disclosure = {**request.as_stored(), "case_reference": case.reference}
    return CaseChange(
        bump(case, now), case.version,
        audit_entry(case, by, "DisclosureRequested", now, new_id,
                    after={"disclosure_id": disclosure_id, "partner_id": partner["partner_id"]}),
        records=[Record("Disclosure", disclosure_id, now, disclosure, replace=True),
                 log_entry(disclosure, "requested", now, by.username, new_id)])


def _disclosure(folder: CaseFolder, disclosure_id: str) -> Disclosure:
    found = folder.disclosures.get(disclosure_id)
    if found is None:
        raise UnknownRecord(f"No request to share {disclosure_id} on this case")
    return found


def decide_disclosure(folder: CaseFolder, partner: dict[str, Any], disclosure_id: str,
                      body: DisclosureDecisionIn, by: StaffMember, now: datetime,
                      new_id: NewId = lambda: str(uuid.uuid4()),
                      build: PackageBuilder = build_package) -> CaseChange:
    """A manager or the DPO approves (the package is built and sent) or refuses (nothing is)."""
    by.require(*DECIDERS)
    case = folder.case
    found = _disclosure(folder, disclosure_id)
    if found.status != "requested":
        raise RuleBroken(f"This request was already {found.status}")
    if found.requested_by == by.username:
        raise RuleBroken("Someone other than the person who asked decides")
    disclosure = {**found.as_stored(), "case_reference": case.reference}
    decision = {"decided_by": by.username, "decided_at": now.isoformat(), "reason": body.reason}
    # Decided, it leaves the DueWork index.
    kept = {k: v for k, v in disclosure.items() if k not in ("due_kind", "due_at", "title")}
    if not body.approved:
        refused = {**kept, **decision, "status": "refused"}
        return CaseChange(
            bump(case, now), case.version,
            audit_entry(case, by, "DisclosureRefused", now, new_id,
                        after={"disclosure_id": disclosure_id, "reason": body.reason}),
            records=[Record("Disclosure", disclosure_id, now, refused, replace=True),
                     log_entry(disclosure, "refused", now, by.username, new_id,
                               reason=body.reason)])
    _check_against_agreement(partner, disclosure["legal_route"], disclosure["data_categories"],
                             bool(disclosure.get("consent")), disclosure["kind"])
    package = build(folder, disclosure, partner)
    approved = {**kept, **decision, "status": "approved", "package": package}
    return CaseChange(
        bump(case, now), case.version,
        audit_entry(case, by, "DisclosureApproved", now, new_id,
                    after={"disclosure_id": disclosure_id, "reason": body.reason}),
        records=[Record("Disclosure", disclosure_id, now, approved, replace=True),
                 log_entry(disclosure, "approved", now, by.username, new_id, reason=body.reason,
                           data_disclosed=package["data_categories"])],
        events=[domain_event(case, "DisclosureApproved", now, new_id, {
            "disclosure_id": disclosure_id, "partner_id": partner["partner_id"],
            "queue": partner["queue"], "package": package})])
