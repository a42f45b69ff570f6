"""Sending what an event calls for: once each, through the first safe channel that works, at a
time that is safe; every attempt in the case's delivery log."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any, Protocol

from asb.case.link_keys import LinkKeys, tracking_path
from asb.case.models import Case, Report
from asb.case.warning_letters import WARNING_LETTER_REQUESTED
from asb.kernel.clock import Clock
from asb.notifications.channels import Channel, ChannelFailed
from asb.notifications.plan import (
    WITHOUT_A_CASE,
    DutyOfficer,
    Message,
    messages_for,
    messages_without_case,
)
from asb.notifications.render import Rendered, render
from asb.notifications.warnings import WarningLetterTo, warning_letter_message


class NotificationStore(Protocol):
    def case_and_reports(self, reference: str) -> tuple[Case, list[Report]] | None: ...
    def sent(self, reference: str, notification_id: str) -> bool: ...
    def log(self, message: Message, status: str, attempts: list[dict[str, str]],
            at: datetime) -> None: ...
    def hold(self, message: Message, event: Mapping[str, Any], at: datetime) -> None: ...
    def due(self, now: datetime) -> list[tuple[str, str, dict[str, Any], datetime]]: ...
    def end_hold(self, reference: str, notification_id: str, status: str,
                 at: datetime) -> None: ...
    def warning_letter(self, reference: str, measure_id: str,
                       letter_id: str) -> WarningLetterTo | None: ...


# Sent, but the delivery log could not be written: never sent again, and flagged for operators.
UNRECORDED = "sent, not recorded"
# Every safe channel failed; the delivery log says why, and the message is tried again.
NOT_SENT = "not sent"
# A held message still failing this long after its time is given up (its run fails once more,
# for the alarm); one its case no longer plans is not needed. Neither waits any more.
HELD_TRIED_FOR = timedelta(days=1)
GIVEN_UP = "given up"
NOT_NEEDED = "not needed"


class NotDelivered(Exception):
    """Every safe channel failed: the event is retried, then lands in the dead-letter queue."""


@dataclass(frozen=True)
class Outcome:
    notification_id: str
    template: str
    status: str  # sent, waiting, already sent, UNRECORDED or NOT_SENT
    channel: str | None = None


@dataclass(frozen=True)
class TrackingLinks:
    """A reporter's private link, derived when a message is rendered and never stored: not in
    a held message, not in the delivery log."""

    keys: LinkKeys
    base_url: str

    def url(self, reference: str, report_id: str) -> str:
        return self.base_url + tracking_path(reference, self.keys.secret(report_id))


# The messages that carry the reporter's tracking link.
WITH_LINK = frozenset({"acknowledgement", "action_plan", "contact_due", "closure"})


class NotificationService:
    def __init__(self, store: NotificationStore, channels: Mapping[str, Channel],
                 duty: DutyOfficer, clock: Clock, links: TrackingLinks | None = None) -> None:
        self._store = store
        self._channels = channels
        self._duty = duty
        self._clock = clock
        self._links = links

    def plan(self, event: Mapping[str, Any]) -> list[Message]:
        if event["type"] in WITHOUT_A_CASE:
            return messages_without_case(dict(event), self._duty)
        if event["type"] == WARNING_LETTER_REQUESTED:
            detail = event.get("detail") or {}
            letter = self._store.warning_letter(str(event["case_reference"]),
                                                str(detail["measure_id"]), str(detail["letter_id"]))
            return [warning_letter_message(letter)] if letter else []
        found = self._store.case_and_reports(str(event["case_reference"]))
        if found is None:
            return []
        case, reports = found
        return messages_for(dict(event), case, reports, self._duty, self._clock.now())

    def handle(self, event: Mapping[str, Any], message: Message) -> Outcome:
        now = self._clock.now()
        if message.not_before and now < message.not_before:
            self._store.hold(message, event, now)
            return Outcome(message.notification_id, message.template, "waiting")
        return self.deliver(message)

    def deliver(self, message: Message) -> Outcome:
        if self._store.sent(message.case_reference, message.notification_id):
            return Outcome(message.notification_id, message.template, "already sent")
        now = self._clock.now()
        attempts: list[dict[str, str]] = []
        context = self._with_link(message)
        for channel in message.channels:
            rendered = rendered_for(message, channel, context)
            try:
                reference = self._channels[channel].send(message, rendered, now)
            except ChannelFailed as failure:
                attempts.append({"channel": channel, "status": "failed", "why": str(failure)})
                continue
            attempts.append({"channel": channel, "status": "sent", "provider_id": reference})
            return self._record_sent(message, attempts, now, channel)
        self._store.log(message, "failed", attempts, now)
        raise NotDelivered(f"{message.template} for {message.case_reference}")

    def _with_link(self, message: Message) -> dict[str, Any]:
        report_id = message.recipient.report_id
        if self._links is None or message.template not in WITH_LINK or not report_id \
                or message.recipient.kind != "reporter":
            return message.context
        reference = message.recipient.reference or message.case_reference
        return {**message.context, "tracking_url": self._links.url(reference, report_id)}

    def _record_sent(self, message: Message, attempts: list[dict[str, str]], now: datetime,
                     channel: str) -> Outcome:
        try:
            self._store.log(message, "sent", attempts, now)
        except Exception:  # whatever the store's fault, the message has gone
            # Raising would have the queue offer the event again and the customer told twice.
            return Outcome(message.notification_id, message.template, UNRECORDED, channel)
        return Outcome(message.notification_id, message.template, "sent", channel)

    def send_due(self, as_of: datetime) -> list[Outcome]:
        """The messages that waited for a safe time and whose time has come. One that cannot
        be sent stays due for the next run and does not hold up the others behind it, until it
        has failed for HELD_TRIED_FOR: then it is given up (its delivery log says so, on the
        case's timeline). One its case no longer plans (the case gone, the person erased) waits
        no more."""
        outcomes = []
        for reference, notification_id, event, due_at in self._store.due(as_of):
            try:
                outcome = self._send_held(reference, notification_id, event, due_at, as_of)
            except Exception:  # one message's fault must not hold up the others behind it
                outcome = Outcome(notification_id, "", NOT_SENT)
            if outcome is not None:
                outcomes.append(outcome)
        return outcomes

    def _send_held(self, reference: str, notification_id: str, event: dict[str, Any],
                   due_at: datetime, as_of: datetime) -> Outcome | None:
        found = self._store.case_and_reports(reference)
        planned = [m for m in messages_for(event, *found, self._duty, as_of)
                   if m.notification_id == notification_id] if found else []
        if not planned:
            self._store.end_hold(reference, notification_id, NOT_NEEDED, as_of)
            return Outcome(notification_id, "", NOT_NEEDED)
        message = planned[0]
        if message.not_before is not None and message.not_before > as_of:
            return None  # tried again outside the person's safe hours: it waits for them
        outcome = self._try(message)
        if outcome.status == NOT_SENT and as_of - due_at >= HELD_TRIED_FOR:
            self._store.end_hold(reference, notification_id, GIVEN_UP, as_of)
            return Outcome(notification_id, outcome.template, GIVEN_UP)
        return outcome

    def _try(self, message: Message) -> Outcome:
        try:
            return self.deliver(message)
        except NotDelivered:
            return Outcome(message.notification_id, message.template, NOT_SENT)


def rendered_for(message: Message, channel: str, context: dict[str, Any]) -> Rendered:
    """The message for its channel; an email that encloses its letter carries it too."""
    rendered = render(message.template, channel, context)
    if message.enclosed and channel == "email":
        return replace(rendered, enclosure=render(message.template, "letter", context))
    return rendered
