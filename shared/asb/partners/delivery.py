"""Moving messages to and from partners: the publisher signs an approved package and puts it on
the partner's own queue; the inbound service checks what partners send against the registry and
records it. Both are safe to run twice on the same message."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping
from typing import Any, Protocol

from asb.case.change import CaseChange
from asb.case.models import Case
from asb.case.records import Measure, Meeting
from asb.case.tasks import PARTNER_ACTION_CHASE
from asb.kernel.clock import Clock
from asb.kernel.errors import DomainError, VersionConflict
from asb.partners.action_chases import (
    ActionUpdate,
    action_update,
    chase_allowed,
    chase_message,
    chased,
    chased_item,
    message_id_of,
    not_chased,
    open_action,
)
from asb.partners.messages import (
    NotFromPartner,
    PartnerStep,
    acknowledged,
    check_sender,
    message_for,
    requested,
    sent,
)
from asb.partners.models import (
    PartnerAcknowledgement,
    PartnerRequest,
    PowerOutcome,
    ReferralOutcome,
)
from asb.partners.power_requests import DeadlineRecords, power_outcome
from asb.partners.safeguarding import referral_outcome
from asb.partners.signing import Signer, signed

OUTCOME_ATTEMPTS = 3  # an officer's write to the case meanwhile: read it again, this often


class DeliveryStore(Protocol):
    def partner(self, partner_id: str) -> dict[str, Any] | None: ...
    def disclosure(self, reference: str, disclosure_id: str) -> dict[str, Any] | None: ...
    def case_summary(self, reference: str) -> dict[str, Any] | None: ...
    def apply(self, step: PartnerStep) -> bool: ...
    def power_request(self, reference: str, disclosure_id: str) -> tuple[
        Case, dict[str, Any] | None, Measure | None] | None: ...
    def commit(self, change: CaseChange) -> None: ...
    def deadline(self, reference: str, record_id: str) -> dict[str, Any] | None: ...
    def meeting(self, reference: str, meeting_id: str) -> tuple[Case, Meeting | None] | None: ...


class MessageSender(Protocol):
    def send(self, queue_url: str, body: str, attributes: dict[str, Any]) -> None: ...


class UnknownQueue(DomainError):
    """An approved package for a queue this deployment does not have: retried, then the DLQ."""


class Publisher:
    def __init__(self, store: DeliveryStore, sender: MessageSender, signer: Signer,
                 queues: Mapping[str, str], clock: Clock,
                 new_id: Callable[[], str] = lambda: str(uuid.uuid4())) -> None:
        self._store, self._sender, self._signer = store, sender, signer
        self._queues, self._clock, self._new_id = queues, clock, new_id

    def publish(self, event: dict[str, Any]) -> str:
        """Sends the approved package once; what happened, in a word, for the log line."""
        detail = event["detail"]
        disclosure = self._store.disclosure(event["case_reference"], detail["disclosure_id"])
        if disclosure is None:
            return "no such disclosure"
        if disclosure["status"] == "withdrawn":  # with its measure, after it was approved
            return "withdrawn, not sent"
        if disclosure["status"] != "approved":
            return "already sent"
        queue_url = self._queues.get(detail["queue"])
        if queue_url is None:
            raise UnknownQueue(f"no partner queue {detail['queue']} in this deployment")
        now = self._clock.now()
        body, attributes = signed(message_for(event, now), self._signer)
        self._sender.send(queue_url, body, attributes)
        self._store.apply(sent(disclosure, detail["queue"], now, self._new_id))
        return "sent"

    def chase(self, event: dict[str, Any]) -> str:
        """Chases a partner's late action once (PartnerActionOverdue, from the due-work sweep):
        signed onto the partner's own queue, its Deadline item marked chased and the chase
        logged. An action done or ended meanwhile, or chased already, is not chased."""
        reference = str(event["case_reference"])
        deadline = self._store.deadline(reference, chased_item(event))
        if deadline is None or deadline.get("kind") != PARTNER_ACTION_CHASE:
            return "no such action"
        if deadline.get("status") != "open":
            return "not open: done, ended or chased already"
        found = self._store.meeting(reference, str(deadline["meeting_id"]))
        meeting = found[1] if found else None
        action = open_action(meeting, str(deadline["action_id"]))
        partner = self._store.partner(str(deadline["owner"]))
        if meeting is None or action is None:
            return "the action is not open"
        if partner is None or not partner.get("active", True):
            return "the partner is not active"
        if not chase_allowed(partner):  # the officer follows it up (their overdue list)
            self._store.apply(not_chased(deadline, meeting, action, self._clock.now()))
            return "not chased: the partner's agreement does not cover it"
        queue_url = self._queues.get(str(partner["queue"]))
        if queue_url is None:
            raise UnknownQueue(f"no partner queue {partner['queue']} in this deployment")
        now = self._clock.now()
        message = chase_message(reference, meeting, action, message_id_of(event["event_id"]), now)
        body, attributes = signed(message, self._signer)
        self._sender.send(queue_url, body, attributes)
        self._store.apply(chased(deadline, meeting, action, str(partner["queue"]), now,
                                 self._new_id))
        return "chased"


class Inbound:
    def __init__(self, store: DeliveryStore, clock: Clock, deadlines: DeadlineRecords,
                 new_id: Callable[[], str] = lambda: str(uuid.uuid4())) -> None:
        self._store, self._clock, self._new_id = store, clock, new_id
        self._deadlines = deadlines

    def receive(self, message: dict[str, Any], sender_id: str | None) -> str:
        """Records an acknowledgement, a request or a power's outcome; raises NotFromPartner
        for anything the registry does not match, and ValidationError for a message that is
        not one of ours."""
        kind = message.get("type")
        partner_id = str(message.get("partner_id", ""))
        partner = self._store.partner(partner_id)
        check_sender(partner, partner_id, sender_id)
        now = self._clock.now()
        if kind == "acknowledgement":
            ack = PartnerAcknowledgement.model_validate(message)
            step = acknowledged(self._store.disclosure(ack.case_reference, ack.disclosure_id),
                                ack, now, self._new_id)
            if step is None:
                return "already acknowledged"
            return "acknowledged" if self._store.apply(step) else "already acknowledged"
        if kind == "request":
            request = PartnerRequest.model_validate(message)
            case = self._store.case_summary(request.case_reference)
            if case is None or case.get("anonymised_at"):
                raise NotFromPartner("the request names no case we hold")
            assert partner is not None  # checked above
            step = requested(case, partner, request, now, self._new_id)
            return "request recorded" if self._store.apply(step) else "request already recorded"
        if kind == "power_outcome":
            return self._power_outcome(PowerOutcome.model_validate(message))
        if kind == "action_update":
            return self._action_update(ActionUpdate.model_validate(message))
        if kind == "referral_outcome":
            return self._referral_outcome(ReferralOutcome.model_validate(message))
        raise NotFromPartner(f"unknown message type {kind!r}")

    def _referral_outcome(self, message: ReferralOutcome) -> str:
        """A failed condition is a redelivery only once the referral is answered: its
        acknowledgement landing between read and write moves the status too, so read again."""
        for _ in range(OUTCOME_ATTEMPTS):
            step = referral_outcome(
                self._store.disclosure(message.case_reference, message.disclosure_id), message,
                self._clock.now(), self._new_id)
            if step is None:
                return "outcome already recorded"
            if self._store.apply(step):
                return "outcome recorded"
        raise VersionConflict(f"{message.case_reference}: the referral kept changing, retried "
                              "later")

    def _action_update(self, message: ActionUpdate) -> str:
        """A partner's action done: written at the case's version, read again on a conflict."""
        for _ in range(OUTCOME_ATTEMPTS):
            found = self._store.meeting(message.case_reference, message.meeting_id)
            if found is None or found[0].anonymised_at:
                raise NotFromPartner("the update names no case we hold")
            change = action_update(found[0], found[1], message, self._clock.now(),
                                   self._new_id)
            if change is None:
                return "action not open: done or ended already"
            try:
                self._store.commit(change)
            except VersionConflict:
                continue
            return "action done"
        raise VersionConflict(f"{message.case_reference} kept changing: retried later")

    def _power_outcome(self, message: PowerOutcome) -> str:
        """Written at the case's version, so an officer's change to the same measure is never
        lost; read again after a conflict, when a second copy finds it recorded."""
        for _ in range(OUTCOME_ATTEMPTS):
            found = self._store.power_request(message.case_reference, message.disclosure_id)
            if found is None or found[0].anonymised_at:
                raise NotFromPartner("the outcome names no case we hold")
            case, disclosure, measure = found
            change = power_outcome(case, disclosure, measure, message, self._clock.now(),
                                   self._deadlines, self._new_id)
            if change is None:
                return "outcome already recorded"
            try:
                self._store.commit(change)
            except VersionConflict:
                continue
            return "outcome recorded"
        raise VersionConflict(f"{message.case_reference} kept changing: retried later")

