"""A multi-agency meeting recorded, and an action of it marked done: plain functions of the case
folder, the partner registry's entries for the partners named, the officer and the time, each
returning one CaseChange. Nothing is stored for bad input: every field at fault is named."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from asb.case.change import CaseChange, CaseFolder, NewId, Record, audit_entry, bump
from asb.case.meetings import OPEN, action_done, action_records, chase_covered
from asb.case.models import CaseStatus
from asb.case.records import Meeting, MeetingAction, MeetingAttendee
from asb.case.targets import local_day
from asb.kernel.errors import InvalidChange, RuleBroken
from asb.kernel.staff import StaffMember
from asb.kernel.validation import FieldError
from asb.meetings.models import ActionIn, ActionUpdateIn, AttendeeIn, MeetingIn
from asb.policy.config import LANDLORD_NAME, LANDLORD_OWNER

# The registry's entries for the partners a meeting names, by partner id (None: not there).
Registry = Mapping[str, dict[str, Any] | None]


def _open_case(folder: CaseFolder) -> None:
    case = folder.case
    if case.anonymised_at:
        raise RuleBroken("The case was anonymised under the retention policy")
    if case.status == CaseStatus.CLOSED:
        raise RuleBroken("The case is closed: reopen it first, with a reason")


def record_meeting(folder: CaseFolder, body: MeetingIn, registry: Registry, by: StaffMember,
                   now: datetime, new_id: NewId = lambda: str(uuid.uuid4())) -> CaseChange:
    """The meeting with who attended, its minutes and its actions; each open action due work
    (the landlord's for the officer, a partner's to chase)."""
    _open_case(folder)
    today = local_day(now)
    errors = _when_held(body.held_on, today)
    attendees, attending = _attendees(body.attendees, registry, errors)
    errors += [e for i, a in enumerate(body.actions) for e in _action_errors(i, a, attending, today)]
    if errors:
        raise InvalidChange(errors)
    case = folder.case
    meeting_id = new_id()
    meeting = Meeting(
        record_id=meeting_id, at=now, meeting_id=meeting_id, kind=body.kind,
        held_on=body.held_on, attendees=attendees, minutes=body.minutes, by=by.username,
        actions=[_action(a, attending, new_id()) for a in body.actions])
    return CaseChange(
        bump(case, now), case.version,
        audit_entry(case, by, "MeetingRecorded", now, new_id, after={
            "meeting_id": meeting_id, "kind": body.kind, "held_on": body.held_on.isoformat(),
            "partners": sorted(attending), "actions": len(meeting.actions)}),
        records=[Record("Meeting", meeting_id, now, meeting.as_stored()),
                 *action_records(case, meeting, now, frozenset(
                     p for p, entry in registry.items() if entry and not chase_covered(entry)))])


def _when_held(held_on: date, today: date) -> list[FieldError]:
    if held_on > today:
        return [FieldError("held_on", "A meeting is recorded once it has been held: this day "
                                      "is still to come")]
    return []


def _attendees(sent: list[AttendeeIn], registry: Registry,
               errors: list[FieldError]) -> tuple[list[MeetingAttendee], dict[str, str]]:
    """The attendees as kept (a partner under its registry name), and the partners that
    attended by id -> name; a partner not in the registry, or not active, is an error."""
    kept: list[MeetingAttendee] = []
    attending: dict[str, str] = {}
    for i, attendee in enumerate(sent):
        agency = attendee.agency
        if attendee.attends_for == "partner":
            partner = registry.get(attendee.partner_id or "")
            if partner is None or not partner.get("active", True):
                errors.append(FieldError(f"attendees.{i}.partner_id",
                                         "No active partner with this id in the registry"))
                continue
            agency = str(partner["name"])
            attending[str(partner["partner_id"])] = agency
        elif attendee.attends_for == "landlord":
            agency = LANDLORD_NAME
        kept.append(MeetingAttendee(
            attends_for=attendee.attends_for, agency=agency or "", partner_id=attendee.partner_id,
            name=attendee.name, role=attendee.role, officer=attendee.officer))
    return kept, attending


def _action_errors(i: int, action: ActionIn, attending: Mapping[str, str],
                   today: date) -> list[FieldError]:
    errors = []
    if not action.owner:
        errors.append(FieldError(f"actions.{i}.owner", (
            "Say who owns this action: landlord, or a partner that attended (its partner_id)")))
    elif action.owner != LANDLORD_OWNER and action.owner not in attending:
        errors.append(FieldError(f"actions.{i}.owner", (
            f"{action.owner} is not a partner that attended: an action is owned by the "
            "landlord or by a partner at the meeting")))
    if action.due_on < today:
        errors.append(FieldError(f"actions.{i}.due_on", "A due date is today or later"))
    return errors


def _action(sent: ActionIn, attending: Mapping[str, str], action_id: str) -> MeetingAction:
    owner = sent.owner or LANDLORD_OWNER
    ours = owner == LANDLORD_OWNER
    return MeetingAction(
        action_id=action_id, description=sent.description, owner=owner,
        owner_name=LANDLORD_NAME if ours else attending[owner], due_on=sent.due_on,
        status=OPEN)


def update_action(folder: CaseFolder, meeting_id: str, action_id: str, body: ActionUpdateIn,
                  by: StaffMember, now: datetime,
                  new_id: NewId = lambda: str(uuid.uuid4())) -> CaseChange:
    """An officer records an action done (the landlord's, or a partner's they heard of): off
    the due work, with its note."""
    _open_case(folder)
    today = local_day(now)
    done_on = body.done_on or today
    if done_on > today:
        raise InvalidChange([FieldError("done_on", "An action is recorded done once it is: "
                                                   "this day is still to come")])
    held = folder.meetings.get(meeting_id)
    if held is not None and done_on < held.held_on:
        raise InvalidChange([FieldError("done_on", "An action is done on or after the day of "
                                                   "the meeting that agreed it")])
    meeting, records = action_done(folder.meetings.get(meeting_id), action_id, body.note,
                                   f"staff:{by.username}", done_on, now)
    case = folder.case
    return CaseChange(
        bump(case, now), case.version,
        audit_entry(case, by, "MeetingActionDone", now, new_id, after={
            "meeting_id": meeting.meeting_id, "action_id": action_id,
            "done_on": done_on.isoformat()}),
        records=records)
