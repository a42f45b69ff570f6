"""The transactional outbox: events written with the change leave through the table's stream.

Each event type goes to the queues named here; the stream publisher sends it on. The relay works
on the stored image as it is (no model validation): it forwards what was committed.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final, Protocol

ROUTES: Final[dict[str, tuple[str, ...]]] = {
    "ReportReceived": ("triage",),
    "CaseTriaged": ("notification",),
    "EmergencyRaised": ("notification",),
    "ActionPlanAgreed": ("notification",),
    "ContactDue": ("notification",),
    "CaseReviewThresholdMet": ("notification",),
    "CaseClosed": ("notification",),
    "FirstContactOverdue": ("notification",),
    "EmergencyConsiderationOverdue": ("notification",),
    "NoRecentActivity": ("notification",),
    "CaseReviewStepOverdue": ("notification",),
    "CaseReviewAcknowledged": ("notification",),
    "CaseReviewThresholdDecided": ("notification",),
    "CaseReviewOutcome": ("notification",),
    "CaseReviewAppealDecided": ("notification",),
    "CaseReviewReferred": ("notification",),
    "DisclosureApproved": ("disclosure",),
    "DisclosureRequestReceived": ("notification",),
    "DisclosureDecisionOverdue": ("notification",),
    "PartnerAcknowledgementOverdue": ("notification",),
    "SafeguardingReferralOverdue": ("notification",),
    "SafeguardingOutcomeOverdue": ("notification",),
    "SpecialistReferralOverdue": ("notification",),  # the domestic abuse specialist referral
    "SubjectAccessOverdue": ("notification",),
    "OfficerAssigned": ("notification",),
    "WarningLetterRequested": ("notification",),
    # A good-neighbour request's property check: to the landlord's repairs system (minimised).
    "PropertyCheckRequested": ("repairs",),
    "GoodNeighbourDecided": ("notification",),
    "GoodNeighbourDecisionOverdue": ("notification",),
    "PartnerActionOverdue": ("disclosure",),  # chased by the partner publisher
}

# What a stored outbox item carries besides its keys: the event as consumers receive it.
EVENT_FIELDS: Final = (
    "event_id", "type", "case_reference", "occurred_at", "detail", "schema_version",
)


class QueueSender(Protocol):
    def send(self, queue_url: str, body: str, attributes: dict[str, str]) -> None: ...


class UnroutableEvent(Exception):
    """An event type with a route but no queue configured: a deployment fault, retried."""


@dataclass(frozen=True)
class OutboxMessage:
    event_id: str
    type: str
    body: str


def message_from_image(image: Mapping[str, Any]) -> OutboxMessage:
    event = {name: image[name] for name in EVENT_FIELDS if name in image}
    return OutboxMessage(
        event_id=str(event["event_id"]),
        type=str(event["type"]),
        body=json.dumps(event, separators=(",", ":"), sort_keys=True, default=_number),
    )


def _number(value: Any) -> Any:
    # Stream images carry numbers as Decimal.
    return int(value) if value == int(value) else float(value)


class OutboxRelay:
    def __init__(self, sender: QueueSender, queue_urls: Mapping[str, str]) -> None:
        self._sender = sender
        self._queue_urls = queue_urls

    def relay(self, message: OutboxMessage) -> list[str]:
        """Sends the event to every queue its type is routed to; returns their names."""
        destinations = ROUTES.get(message.type, ())
        for destination in destinations:
            url = self._queue_urls.get(destination)
            if not url:
                raise UnroutableEvent(f"no queue configured for {destination}")
            attributes = {"event_type": message.type, "event_id": message.event_id}
            self._sender.send(url, message.body, attributes)
        return list(destinations)
