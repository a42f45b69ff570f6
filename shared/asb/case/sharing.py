"""The case's side of sharing with partners that more than one capability writes: the disclosure
log's line (partners' every step) and a power asked of a partner withdrawn by enforcement's step
(enforcement may not import partners, so what the withdrawal does to the request lives here)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from asb.case.change import CaseFolder, NewId, Record
from asb.case.records import Measure
from asb.case.retention import years_after
from asb.case.targets import local_day
from asb.policy.config import LANDLORD_NAME, LEGAL_ROUTES, RETENTION_YEARS
from asb.policy.reporting_year import year_of

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
