"""The partner registry and the staff side of sharing with partners: who the partners are and
what their agreements allow (managed by managers), requests to share and their decisions (run
through the case service, so each is version-checked and audited), and the disclosure log."""

from __future__ import annotations

import csv
import io
import uuid
from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Any, Protocol

from asb.case.change import CaseFolder
from asb.case.meetings import MEETING_MINUTES
from asb.case.models import AuditEntry, Case
from asb.case.safeguarding import SAFEGUARDING_REFERRAL_KIND
from asb.case.sharing import CASE_REVIEW_REFERRAL
from asb.case.tasks import DISCLOSURE_DECISION
from asb.casework.service import CaseService
from asb.kernel.clock import Clock
from asb.kernel.errors import DomainError, VersionRequired
from asb.kernel.staff import StaffMember
from asb.partners.case_review_referrals import case_review_package
from asb.partners.disclosures import DECIDERS, PartnerUnknown, decide_disclosure, request_disclosure
from asb.partners.meeting_minutes import MeetingShareIn, attending, minutes_package, share_minutes
from asb.partners.models import (
    DisclosureDecisionIn,
    DisclosureRequestIn,
    PartnerIn,
    PowerRequestIn,
    ReferralOutcomeIn,
    SafeguardingReferralIn,
)
from asb.partners.power_requests import POWER_REQUEST, decide_power_request, request_power
from asb.partners.safeguarding import decide_referral, record_outcome, request_referral
from asb.policy.reporting_year import year_of


class PartnerStore(Protocol):
    def partners(self) -> list[dict[str, Any]]: ...
    def partner(self, partner_id: str) -> dict[str, Any] | None: ...
    def save_partner(self, partner: dict[str, Any], expected_version: int | None,
                     audit: AuditEntry) -> None: ...
    def log_for_year(self, year: int) -> list[dict[str, Any]]: ...
    def waiting_for_decision(self, kinds: list[str], now: datetime) -> list[dict[str, Any]]: ...


class Partners:
    def __init__(self, store: PartnerStore, cases: CaseService, clock: Clock,
                 new_id: Callable[[], str] = lambda: str(uuid.uuid4())) -> None:
        self._store = store
        self._cases = cases
        self._clock = clock
        self._new_id = new_id

    # ------------------------------------------------------------------ the registry
    def registry(self, staff: StaffMember) -> list[dict[str, Any]]:
        staff.require("officer", "manager", "dpo")
        return sorted(self._store.partners(), key=lambda p: p["partner_id"])

    def agreement(self, partner_id: str) -> dict[str, Any]:
        partner = self._store.partner(partner_id)
        if partner is None:
            raise PartnerUnknown(f"There is no partner {partner_id}")
        return partner

    def save(self, staff: StaffMember, partner_id: str, body: PartnerIn,
             if_match: str | None, if_none_match: str | None = None) -> dict[str, Any]:
        """Creates a partner (no If-Match; `If-None-Match: *` says so) only if there is none
        with that id - the store's write is conditional on it, so of two managers creating one
        partner at once, one succeeds - or replaces its entry at the version read (If-Match)."""
        staff.require("manager")
        current = self._store.partner(partner_id)
        expected = _expected_version(partner_id, current, if_match, if_none_match)
        partner = {**body.model_dump(mode="json"), "partner_id": partner_id,
                   "version": (expected or 0) + 1}
        now = self._clock.now()
        self._store.save_partner(partner, expected, AuditEntry(
            entry_id=self._new_id(), case_reference=f"PARTNER-{partner_id}", at=now,
            actor=f"staff:{staff.username}", action="PartnerSaved",
            before={"version": expected} if expected else None,
            after={"version": partner["version"], "data_categories": partner["data_categories"],
                   "legal_routes": partner["legal_routes"]}))
        return partner

    # ------------------------------------------------------------------ sharing
    def request(self, reference: str, staff: StaffMember, if_match: str | None,
                body: DisclosureRequestIn) -> Case:
        partner = self.agreement(body.partner_id)
        now = self._clock.now()
        return self._cases.change(reference, staff, if_match, lambda folder: request_disclosure(
            folder, partner, body, staff, now, self._new_id))

    def request_power(self, reference: str, staff: StaffMember, if_match: str | None,
                      body: PowerRequestIn) -> Case:
        """A power the landlord does not hold, asked of a partner in the registry."""
        partner = self.agreement(body.partner_id)
        now = self._clock.now()
        return self._cases.change(reference, staff, if_match, lambda folder: request_power(
            folder, partner, body, staff, now, self._new_id))

    def refer_for_safeguarding(self, reference: str, staff: StaffMember, if_match: str | None,
                               body: SafeguardingReferralIn) -> Case:
        """An adult, child, MARAC or specialist domestic abuse referral about a person at
        risk, to a partner in the registry that takes it."""
        partner = self.agreement(body.partner_id)
        now = self._clock.now()
        return self._cases.change(reference, staff, if_match, lambda folder: request_referral(
            folder, partner, body, staff, now, self._new_id))

    def record_referral_outcome(self, reference: str, disclosure_id: str, staff: StaffMember,
                                if_match: str | None, body: ReferralOutcomeIn) -> Case:
        now = self._clock.now()
        return self._cases.change(reference, staff, if_match, lambda folder: record_outcome(
            folder, disclosure_id, body, staff, now, self._new_id))

    def share_minutes(self, reference: str, meeting_id: str, staff: StaffMember,
                      if_match: str | None, body: MeetingShareIn) -> Case:
        """A request to share a meeting's minutes with each partner that attended (or those
        named), each checked against its agreement as it stands in the registry."""
        now = self._clock.now()

        def action(folder: CaseFolder) -> Any:
            meeting = folder.meetings.get(meeting_id)
            named = body.partner_ids or (attending(meeting) if meeting else [])
            present = attending(meeting) if meeting else []
            agreements = {p: self.agreement(p) for p in named if p in present}
            return share_minutes(folder, meeting_id, agreements, body, staff, now, self._new_id)

        return self._cases.change(reference, staff, if_match, action)

    def decide(self, reference: str, disclosure_id: str, staff: StaffMember,
               if_match: str | None, body: DisclosureDecisionIn) -> Case:
        now = self._clock.now()

        def action(folder: CaseFolder) -> Any:
            found = folder.disclosures.get(disclosure_id)
            partner = self.agreement(found.partner_id) if found else {}
            if found and found.kind == POWER_REQUEST:
                persons = self._cases.persons(folder) if body.approved else {}
                return decide_power_request(folder, partner, disclosure_id, body, staff, now,
                                            self._new_id, persons)
            if found and found.kind == CASE_REVIEW_REFERRAL:
                return decide_disclosure(folder, partner, disclosure_id, body, staff, now,
                                         self._new_id, build=case_review_package)
            if found and found.kind == MEETING_MINUTES:
                persons = self._cases.persons(folder) if body.approved else {}
                return decide_disclosure(
                    folder, partner, disclosure_id, body, staff, now, self._new_id,
                    build=lambda f, request, agreement: minutes_package(f, request, agreement,
                                                                        persons))
            if found and found.kind == SAFEGUARDING_REFERRAL_KIND:
                persons = self._cases.persons(folder) if body.approved else {}
                return decide_referral(folder, partner, disclosure_id, body, staff, now,
                                       self._new_id, persons)
            return decide_disclosure(folder, partner, disclosure_id, body, staff, now,
                                     self._new_id)

        return self._cases.change(reference, staff, if_match, action, roles=DECIDERS)

    def waiting(self, staff: StaffMember) -> list[dict[str, Any]]:
        """Approvals waiting: requests to share not yet decided, oldest due first."""
        staff.require(*DECIDERS)
        shown = ("case_reference", "disclosure_id", "direction", "kind", "partner_id",
                 "partner_name", "purpose", "legal_route", "data_categories", "requested_by",
                 "requested_at", "due_at", "team")
        kinds = [DISCLOSURE_DECISION, f"{DISCLOSURE_DECISION}:escalated"]
        # Only a safeguarding referral says whether it is urgent: the others answer as before.
        return [{**{k: i.get(k) for k in shown},
                 **({"urgent": i["urgent"]} if "urgent" in i else {})}
                for i in self._store.waiting_for_decision(kinds, self._clock.now())
                if staff.may_see(i.get("team"))]

    def log(self, staff: StaffMember, starting: int | None) -> str:
        staff.require("dpo")
        year = starting if starting is not None else year_of(self._clock.now().date())
        return log_csv(sorted(self._store.log_for_year(year), key=lambda e: e["at"]))


class PartnerPreconditionFailed(DomainError):
    """The registry is not as the manager's request assumed: 412."""


def _expected_version(partner_id: str, current: dict[str, Any] | None, if_match: str | None,
                      if_none_match: str | None) -> int | None:
    """The version a save replaces; None for a create (RFC 9110 section 13.1)."""
    if if_match is not None and if_none_match is not None:
        raise PartnerPreconditionFailed("Send If-Match to change a partner, or "
                                        "If-None-Match: * to add one, not both")
    if if_none_match is not None and if_none_match.strip() != "*":
        raise PartnerPreconditionFailed("To add a partner send If-None-Match: *")
    if if_match is not None:
        if current is None:
            raise PartnerPreconditionFailed(f"There is no partner {partner_id} to change: "
                                            "add it with If-None-Match: *")
        return _version(if_match)
    if current is not None:
        if if_none_match is not None:
            raise PartnerPreconditionFailed(f"There is already a partner {partner_id} (version "
                                            f"{current.get('version')}): read it, then change "
                                            "it with If-Match")
        raise VersionRequired("Send If-Match with the version of the partner you read")
    return None


def _version(if_match: str | None) -> int:
    """The version an If-Match names; one that names none matches no version."""
    try:
        return int(str(if_match).strip('"W/ '))
    except ValueError:
        return -1


# The log's columns for people: heading -> the field of a log line.
LOG_COLUMNS = {
    "date": "at", "case reference": "case_reference", "request reference": "disclosure_id",
    "step": "action", "direction": "direction", "disclosure or referral": "kind",
    "requesting organisation": "requesting_organisation",
    "requesting officer (rank)": "requesting_officer", "partner": "partner_name",
    "personal data requested": "data_categories", "about": "subject", "purpose": "purpose",
    "why sharing is necessary": "necessity", "legal route": "legal_route_text",
    "by": "by", "reasons": "reason", "data disclosed": "data_disclosed",
    "transfer method": "method", "received by": "received_by", "kept until": "retain_until",
}


def _cell(value: Any) -> str:
    """A spreadsheet never runs what a person typed: cells that start like a formula are
    prefixed with an apostrophe (OWASP CSV injection)."""
    if isinstance(value, list):
        value = "; ".join(str(v) for v in value)
    elif isinstance(value, dict):
        value = ", ".join(f"{k}: {v}" for k, v in value.items() if v)
    text = "" if value is None else str(value)
    return f"'{text}" if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def log_csv(entries: Iterable[dict[str, Any]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(LOG_COLUMNS)
    for entry in entries:
        writer.writerow([_cell(entry.get(field)) for field in LOG_COLUMNS.values()])
    return out.getvalue()


