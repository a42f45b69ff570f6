"""What partners' messages do, as plain functions: a package sent, an acknowledgement received,
a partner's own request checked against its agreement and put before a decision maker."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from asb.case.change import NewId, Record
from asb.case.models import DomainEvent
from asb.case.safeguarding import SAFEGUARDING_REFERRAL_KIND
from asb.case.sharing import log_entry
from asb.case.tasks import DISCLOSURE_DECISION, PARTNER_ACKNOWLEDGEMENT, SAFEGUARDING_OUTCOME
from asb.kernel.errors import DomainError
from asb.partners.disclosures import due_on_index
from asb.partners.models import PartnerAcknowledgement, PartnerRequest, rank_order
from asb.policy.config import (
    DISCLOSURE_DECISION_WORKING_DAYS,
    DISCLOSURE_SCHEMA,
    LANDLORD_NAME,
    LEGAL_ROUTES,
    PARTNER_ACKNOWLEDGEMENT_WORKING_DAYS,
    SAFEGUARDING_OUTCOME_WORKING_DAYS,
    SAFEGUARDING_WITHOUT_CONSENT_ROUTE,
)

_UNDUE = ("due_kind", "due_at", "title")


class NotFromPartner(DomainError):
    """A message that the registry does not match to a partner, or to what was sent it."""


@dataclass(frozen=True)
class PartnerStep:
    """Records written in one transaction, each on condition that its disclosure is still in
    the status it was read in (or new), so a redelivered message changes nothing."""

    case_reference: str
    records: list[Record]
    expected_status: str | None  # None: the disclosure record must be new
    events: list[DomainEvent] = field(default_factory=list)


def message_for(event: dict[str, Any], now: datetime) -> dict[str, Any]:
    """The versioned message a partner receives for an approved disclosure (its JSON Schema is
    docs/partners/disclosure-message.schema.json)."""
    detail = event["detail"]
    return {"schema": DISCLOSURE_SCHEMA, "message_id": detail["disclosure_id"],
            "sent_at": now.isoformat(), "from": LANDLORD_NAME,
            "case_reference": event["case_reference"], "partner_id": detail["partner_id"],
            "package": detail["package"]}


def sent(disclosure: dict[str, Any], queue: str, now: datetime,
         new_id: NewId = lambda: str(uuid.uuid4())) -> PartnerStep:
    updated = {**disclosure, "status": "sent", "sent_at": now.isoformat(), "queue": queue,
               **due_on_index(PARTNER_ACKNOWLEDGEMENT, now, PARTNER_ACKNOWLEDGEMENT_WORKING_DAYS)}
    return PartnerStep(disclosure["case_reference"], [
        Record("Disclosure", disclosure["disclosure_id"], now, updated, replace=True),
        log_entry(disclosure, "sent", now, "system:partner-publisher", new_id,
                  method=f"signed message on the partner's queue ({queue})",
                  data_disclosed=_data_disclosed(disclosure))],
        expected_status="approved")


def _data_disclosed(disclosure: dict[str, Any]) -> list[str] | None:
    """The package's data categories; None once retention has erased the package."""
    package = disclosure.get("package")
    categories = package.get("data_categories") if isinstance(package, dict) else None
    return None if categories is None else list(categories)


def check_sender(partner: dict[str, Any] | None, partner_id: str, sender_id: str | None) -> None:
    if partner is None or not partner.get("active", True):
        raise NotFromPartner(f"no active partner {partner_id}")
    if sender_id not in partner.get("sender_ids", []):
        raise NotFromPartner(f"the sender is not one of {partner_id}'s")


def acknowledged(disclosure: dict[str, Any] | None, message: PartnerAcknowledgement,
                 now: datetime, new_id: NewId = lambda: str(uuid.uuid4())) -> PartnerStep | None:
    """None when it was already acknowledged: a redelivery."""
    if disclosure is None or disclosure["partner_id"] != message.partner_id:
        raise NotFromPartner("the acknowledgement names nothing sent to this partner")
    if disclosure["status"] in ("acknowledged", "answered"):  # answered: its outcome came first
        return None
    if disclosure["status"] != "sent":
        raise NotFromPartner(f"the disclosure is {disclosure['status']}, not sent")
    updated = {**{k: v for k, v in disclosure.items() if k not in _UNDUE},
               "status": "acknowledged", "acknowledged_at": message.received_at.isoformat(),
               "acknowledged_by": message.received_by, **_outcome_due(disclosure, now)}
    return PartnerStep(disclosure["case_reference"], [
        Record("Disclosure", disclosure["disclosure_id"], now, updated, replace=True),
        log_entry(disclosure, "acknowledged", now, f"partner:{message.partner_id}", new_id,
                  received_by=message.received_by, received_at=message.received_at.isoformat())],
        expected_status="sent")


def _outcome_due(disclosure: dict[str, Any], now: datetime) -> dict[str, Any]:
    """A safeguarding referral, once acknowledged, waits for its outcome on the DueWork index:
    due the policy's working days after it was sent, then chased."""
    if disclosure.get("kind") != SAFEGUARDING_REFERRAL_KIND:
        return {}
    sent_at = disclosure.get("sent_at")
    return due_on_index(SAFEGUARDING_OUTCOME,
                        datetime.fromisoformat(sent_at) if sent_at else now,
                        SAFEGUARDING_OUTCOME_WORKING_DAYS)


def _problems(partner: dict[str, Any], message: PartnerRequest) -> list[str]:
    problems = []
    if message.legal_route not in LEGAL_ROUTES or message.legal_route not in partner[
            "legal_routes"]:
        problems.append(f"the agreement does not cover the legal route {message.legal_route}")
    if message.legal_route == SAFEGUARDING_WITHOUT_CONSENT_ROUTE:
        problems.append(f"the legal route {message.legal_route} is the route of a safeguarding "
                        "referral the landlord makes, with the risk of harm recorded, not of a "
                        "request for information")
    outside = sorted(set(message.data_categories) - set(partner["data_categories"]))
    if outside:
        problems.append(f"the agreement does not allow {', '.join(outside)}")
    if message.legal_route == "dpa_2018_sch2_para2":
        problems += _below_agreed_rank(partner, message)
    return problems


def _below_agreed_rank(partner: dict[str, Any], message: PartnerRequest) -> list[str]:
    """The crime exemption sets no rank; the agreement may (an entry saved before agreements
    carried the term has none)."""
    lowest = partner.get("crime_exemption_sign_off_rank")
    if lowest is None or message.signed_off_at_least(lowest):
        return []
    signer = message.signed_off_by
    was = ("not signed off" if signer is None
           else f"signed off at {signer.rank} rank" if rank_order(signer.rank) is not None
           else f"signed off at a rank that is not a police rank ({signer.rank})")
    return [f"the agreement ({partner['agreement']}) requires a request under the crime "
            f"exemption to be signed off at {lowest} rank or above; this one was {was}"]


def requested(case: dict[str, Any], partner: dict[str, Any], message: PartnerRequest,
              now: datetime, new_id: NewId = lambda: str(uuid.uuid4())) -> PartnerStep:
    """A partner's request, recorded whatever it says: one that its agreement does not cover is
    refused there and then, with the reasons; the rest wait for a manager or the DPO."""
    problems = _problems(partner, message)
    disclosure: dict[str, Any] = {
        "disclosure_id": message.request_id, "direction": "inbound", "kind": "disclosure",
        "case_reference": message.case_reference, "partner_id": partner["partner_id"],
        "partner_name": partner["name"], "purpose": message.purpose,
        "necessity": message.necessity,
        "legal_route": message.legal_route, "subject": message.subject,
        "data_categories": sorted(set(message.data_categories)), "consent": False,
        "requested_by": f"partner:{partner['partner_id']}", "requested_at": now.isoformat(),
        "signed_off_by": message.signed_off_by.model_dump() if message.signed_off_by else None,
        "officer": case.get("officer"), "team": case.get("team"),
    }
    if problems:
        reason = "; ".join(problems)
        refused = {**disclosure, "status": "refused", "decided_by": "automatic check",
                   "decided_at": now.isoformat(), "reason": reason}
        return PartnerStep(message.case_reference, [
            Record("Disclosure", message.request_id, now, refused, replace=True),
            log_entry(disclosure, "requested", now, disclosure["requested_by"], new_id),
            log_entry(disclosure, "refused", now, "automatic check", new_id, reason=reason)],
            expected_status=None)
    waiting = {**disclosure, "status": "requested",
               **due_on_index(DISCLOSURE_DECISION, now, DISCLOSURE_DECISION_WORKING_DAYS)}
    event = DomainEvent(event_id=new_id(), type="DisclosureRequestReceived",
                        case_reference=message.case_reference, occurred_at=now,
                        detail={"disclosure_id": message.request_id,
                                "partner_id": partner["partner_id"],
                                "officer": case.get("officer"), "team": case.get("team")})
    return PartnerStep(message.case_reference, [
        Record("Disclosure", message.request_id, now, waiting, replace=True),
        log_entry(disclosure, "requested", now, disclosure["requested_by"], new_id,
                  signed_off_by=disclosure["signed_off_by"])],
        expected_status=None, events=[event])
