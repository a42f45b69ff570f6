"""A partner's action from a multi-agency meeting, chased and answered through the partner
machinery: when it falls due undone, the due-work sweep raises PartnerActionOverdue and the
publisher signs an `action_chase` message onto the partner's own queue (logged in the disclosure
log); the partner's `action_update` on the inbound queue marks it done (asb.case.meetings), at
the case's version, with a log line and an audit entry. Plain functions."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, StringConstraints

from asb.case.change import CaseChange, NewId, Record, bump
from asb.case.meetings import (
    MEETING_MINUTES,
    OPEN,
    action_done,
    chase_covered,
    chased_title,
    not_chased_title,
)
from asb.case.models import AuditEntry, Case
from asb.case.records import Meeting, MeetingAction
from asb.case.sharing import log_entry
from asb.case.targets import local_day
from asb.kernel.errors import DomainError
from asb.kernel.plausible_dates import Day
from asb.partners.messages import NotFromPartner, PartnerStep
from asb.partners.models import Identifier, Reference, Uuid
from asb.policy.config import (
    ACTION_CHASE_LEGAL_ROUTE,
    ACTION_CHASE_SCHEMA,
    LANDLORD_NAME,
    MEETING_KINDS,
)

CHASED = "chased"
PUBLISHER = "system:partner-publisher"
_NAMESPACE = uuid.UUID("0d3c5a8e-1f2b-4c6d-9e7a-5b4c3d2e1f60")


class ActionUpdate(BaseModel):
    """A partner says an action it owns is done."""

    model_config = ConfigDict(extra="ignore", frozen=True, defer_build=True)
    type: Literal["action_update"]
    partner_id: Identifier
    case_reference: Reference
    meeting_id: Uuid
    action_id: Uuid
    done: Literal[True]
    done_on: Day
    note: Annotated[str, StringConstraints(max_length=2000)] | None = None


def _subject(reference: str, meeting: Meeting, action: MeetingAction) -> dict[str, Any]:
    """What a log line of a chase or an answer says it was about, as a request's fields."""
    named = MEETING_KINDS.get(meeting.kind, meeting.kind).lower()
    return {"disclosure_id": f"{meeting.meeting_id}.{action.action_id}", "direction": "outbound",
            "kind": "action_chase", "partner_id": action.owner, "partner_name": action.owner_name,
            "purpose": f"To chase an action {action.owner_name} agreed at the {named} on "
                       f"{meeting.held_on:%d %B %Y}, due {action.due_on:%d %B %Y}",
            "necessity": None, "legal_route": ACTION_CHASE_LEGAL_ROUTE,
            "data_categories": [MEETING_MINUTES], "subject": "perpetrator",
            "case_reference": reference}


def chase_message(reference: str, meeting: Meeting, action: MeetingAction, message_id: str,
                  now: datetime) -> dict[str, Any]:
    """The message the partner receives: the meeting's kind and day, the action's id, owner and
    due date, and how to answer - never the action's words (they may name people, and went to
    the partner only in minutes a manager or the DPO decided to share)."""
    return {"schema": ACTION_CHASE_SCHEMA, "type": "action_chase", "message_id": message_id,
            "sent_at": now.isoformat(), "from": LANDLORD_NAME, "case_reference": reference,
            "partner_id": action.owner,
            "meeting": {"meeting_id": meeting.meeting_id,
                        "kind": MEETING_KINDS.get(meeting.kind, meeting.kind),
                        "held_on": meeting.held_on.isoformat()},
            "action": {"action_id": action.action_id, "owner": action.owner,
                       "owner_name": action.owner_name, "due_on": action.due_on.isoformat()},
            "answer": "When it is done, send an action_update naming meeting_id and action_id"}


def chase_allowed(partner: dict[str, Any]) -> bool:
    """Only to a partner whose agreement covers the chase (asb.case.meetings.chase_covered)."""
    return chase_covered(partner)


def chased_item(event: dict[str, Any]) -> str:
    """The record id of the Deadline item a PartnerActionOverdue event is about (its sk, as the
    sweep read it from the index, less DEADLINE#)."""
    return str(event["detail"].get("item", "")).removeprefix("DEADLINE#")


def message_id_of(event_id: str) -> str:
    """One message id per chase event, however often the event is delivered."""
    return str(uuid.uuid5(_NAMESPACE, event_id))


def open_action(meeting: Meeting | None, action_id: str) -> MeetingAction | None:
    action = next((a for a in meeting.actions if a.action_id == action_id), None) \
        if meeting else None
    return action if action is not None and action.status == OPEN else None


def chased(deadline: dict[str, Any], meeting: Meeting, action: MeetingAction, queue: str,
           now: datetime, new_id: NewId = lambda: str(uuid.uuid4())) -> PartnerStep:
    """The chase recorded: its Deadline item `chased` (still on the officer's overdue list, as
    the sweep left it) on condition that it was open, and a line of the disclosure log."""
    reference = str(deadline["case_reference"])
    kept = {k: v for k, v in deadline.items() if k not in ("pk", "sk", "entity", "record_id",
                                                          "at")}
    return PartnerStep(reference, [
        Record("Deadline", str(deadline["record_id"]), now,
               {**kept, "status": CHASED, "chased_at": now.isoformat(),
                "title": chased_title(meeting, action, local_day(now))}, replace=True),
        log_entry(_subject(reference, meeting, action), "action chased", now, PUBLISHER, new_id,
                  method=f"signed message on the partner's queue ({queue})",
                  data_disclosed=[MEETING_MINUTES])],
        expected_status=OPEN)


def not_chased(deadline: dict[str, Any], meeting: Meeting, action: MeetingAction,
               now: datetime) -> PartnerStep:
    """No chase goes (the partner's agreement does not cover it now): its Deadline item, still
    open and on the officer's overdue list, says the officer follows it up."""
    kept = {k: v for k, v in deadline.items() if k not in ("pk", "sk", "entity", "record_id",
                                                          "at")}
    return PartnerStep(str(deadline["case_reference"]), [
        Record("Deadline", str(deadline["record_id"]), now,
               {**kept, "title": not_chased_title(meeting, action)}, replace=True)],
        expected_status=OPEN)


def action_update(case: Case, meeting: Meeting | None, message: ActionUpdate, now: datetime,
                  new_id: NewId = lambda: str(uuid.uuid4())) -> CaseChange | None:
    """The partner's own action marked done; None when it is not open any more (done before,
    or ended with its case): a second copy changes nothing."""
    found = next((a for a in meeting.actions if a.action_id == message.action_id), None) \
        if meeting else None
    if meeting is None or found is None or found.owner != message.partner_id:
        raise NotFromPartner("the update names no action of this partner")
    if found.status != OPEN:
        return None
    if message.done_on > local_day(now):
        raise NotFromPartner("done_on is after the update was received")
    actor = f"partner:{message.partner_id}"
    try:
        _, records = action_done(meeting, message.action_id, message.note, actor,
                                 message.done_on, now)
    except DomainError as error:  # done before the meeting: not a day we can record
        raise NotFromPartner(error.message) from None
    return CaseChange(
        bump(case, now), case.version,
        AuditEntry(entry_id=new_id(), case_reference=case.reference, at=now, actor=actor,
                   action="MeetingActionDone", after={
                       "meeting_id": meeting.meeting_id, "action_id": message.action_id,
                       "done_on": message.done_on.isoformat()}),
        records=[*records, log_entry(_subject(case.reference, meeting, found),
                                     "action update received", now, actor, new_id,
                                     reason=f"Done on {message.done_on.isoformat()}")])
