"""A multi-agency meeting's actions as due work, and an action done: the rules the meetings
capability (an officer's record), partners (a partner's `action_update`) and case work
(closing the case) share, so none of them imports another.

Each open action is one Deadline item (sk DEADLINE#meeting.<meeting id>.<action id>) on the
DueWork index, due by the end of its due day: the landlord's own as MEETING_ACTION, the case
officer's work; a partner's as PARTNER_ACTION_CHASE, which the due-work sweep turns into a
chase on the partner's queue once it is late. Being Deadline items, they move with the case on
reassignment and end with it at closure, as enforcement's dates do."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from asb.case.change import CaseFolder, Record
from asb.case.models import Case
from asb.case.records import Meeting, MeetingAction
from asb.case.targets import end_of_day, long_date
from asb.case.tasks import MEETING_ACTION, PARTNER_ACTION_CHASE
from asb.kernel.errors import RuleBroken, UnknownRecord
from asb.policy.config import ACTION_CHASE_LEGAL_ROUTE, LANDLORD_OWNER, MEETING_KINDS

DEADLINE = "Deadline"
OPEN, DONE, ENDED = "open", "done", "ended"
MEETING_MINUTES = "meeting_minutes"  # the kind of a request to share a meeting's minutes
ENDED_AT_CLOSURE = "The case was closed with this action open"


def deadline_id(meeting_id: str, action_id: str) -> str:
    """The record id of an action's Deadline item (its sk after DEADLINE#)."""
    return f"meeting.{meeting_id}.{action_id}"


def kind_of(action: MeetingAction) -> str:
    return MEETING_ACTION if action.owner == LANDLORD_OWNER else PARTNER_ACTION_CHASE


def chase_covered(partner: dict[str, Any]) -> bool:
    """Whether a partner's late action is chased by message: its agreement covers the chase's
    legal route and the meeting's data (a mediation or support service, whose referrals go with
    consent only, is followed up by the officer instead)."""
    return ACTION_CHASE_LEGAL_ROUTE in partner.get("legal_routes", []) \
        and MEETING_MINUTES in partner.get("data_categories", [])


def _held(meeting: Meeting) -> str:
    return f"the {MEETING_KINDS.get(meeting.kind, meeting.kind).lower()} on " \
           f"{long_date(meeting.held_on)}"


def _title(meeting: Meeting, action: MeetingAction, chased: bool = True) -> str:
    """What the officer's list and digest say: the meeting and the day, never the action's own
    words (a digest is an email; the words may name people). A partner's action is due until
    it is chased (chased_title); one whose partner is not `chased` says the officer follows it
    up."""
    if action.owner == LANDLORD_OWNER:
        return f"Do the action agreed at {_held(meeting)}, due {long_date(action.due_on)}"
    due = f"{action.owner_name}'s action from {_held(meeting)}, due {long_date(action.due_on)}"
    return due if chased else f"{due}: not chased (the agreement does not cover it): follow it up"


def not_chased_title(meeting: Meeting, action: MeetingAction) -> str:
    """A partner's late action its agreement (as it stands when it falls due) covers no chase."""
    return _title(meeting, action, chased=False)


def chased_title(meeting: Meeting, action: MeetingAction, on: date) -> str:
    """A partner's late action once its chase has gone."""
    return (f"{action.owner_name}'s action from {_held(meeting)} was due "
            f"{long_date(action.due_on)}: chased by message on {long_date(on)}, follow it up")


def _open(case: Case, meeting: Meeting, action: MeetingAction,
          not_chased: frozenset[str]) -> dict[str, Any]:
    kind = kind_of(action)
    return {"meeting_id": meeting.meeting_id, "action_id": action.action_id,
            "owner": action.owner, "kind": kind, "status": OPEN, "due_kind": kind,
            "due_at": end_of_day(action.due_on).isoformat(), "on": action.due_on.isoformat(),
            "title": _title(meeting, action, action.owner not in not_chased),
            "team": case.team, "officer": case.officer}


def action_records(case: Case, meeting: Meeting, now: datetime,
                   not_chased: frozenset[str] = frozenset()) -> list[Record]:
    """A Deadline item for each open action of a meeting just recorded; `not_chased`: the
    partners whose agreement does not cover a chase (chase_covered)."""
    return [Record(DEADLINE, deadline_id(meeting.meeting_id, a.action_id), now,
                   _open(case, meeting, a, not_chased), replace=True)
            for a in meeting.actions if a.status == OPEN]


def _closed(meeting: Meeting, action: MeetingAction, status: str,
            now: datetime) -> Record:
    return Record(DEADLINE, deadline_id(meeting.meeting_id, action.action_id), now, {
        "meeting_id": meeting.meeting_id, "action_id": action.action_id,
        "owner": action.owner, "kind": kind_of(action), "status": status,
        "on": action.due_on.isoformat(), "title": _title(meeting, action),
        "done_at": now.isoformat()}, replace=True)


def action_done(meeting: Meeting | None, action_id: str, note: str | None, actor: str,
                done_on: date, now: datetime) -> tuple[Meeting, list[Record]]:
    """The action marked done (by `actor`: staff:<username> or partner:<id>) with its note;
    the meeting as it is now and the records that write it: the meeting, and its Deadline item
    done (off the index). Done or ended already: RuleBroken, nothing changes."""
    if meeting is None:
        raise UnknownRecord("No such meeting on this case")
    action = next((a for a in meeting.actions if a.action_id == action_id), None)
    if action is None:
        raise UnknownRecord("No such action at this meeting")
    if action.status != OPEN:
        raise RuleBroken(f"This action is {action.status} already")
    if done_on < meeting.held_on:
        raise RuleBroken("An action is done on or after the day of the meeting that agreed it")
    done = action.model_copy(update={"status": DONE, "done_on": done_on, "done_by": actor,
                                     "note": note})
    updated = meeting.model_copy(update={
        "actions": [done if a.action_id == action_id else a for a in meeting.actions]})
    return updated, [Record("Meeting", meeting.meeting_id, now, updated.as_stored(), replace=True),
                     _closed(meeting, action, DONE, now)]


def actions_ended_at_closure(folder: CaseFolder, now: datetime,
                             why: str = ENDED_AT_CLOSURE) -> list[Record]:
    """Closing the case ends every open action of its meetings, the landlord's and the
    partners' (nobody is chased for a closed case): each says so on its meeting. Their Deadline
    items end with the case's other dates (casework's closure)."""
    records = []
    for meeting in sorted(folder.meetings.values(), key=lambda m: m.meeting_id):
        if not any(a.status == OPEN for a in meeting.actions):
            continue
        ended = meeting.model_copy(update={"actions": [
            a.model_copy(update={"status": ENDED, "note": a.note or why})
            if a.status == OPEN else a for a in meeting.actions]})
        records.append(Record("Meeting", meeting.meeting_id, now, ended.as_stored(),
                              replace=True))
    return records


def actions_ended_when_joined(folder: CaseFolder, into: str, now: datetime) -> list[Record]:
    """A case joined into another is closed: its meetings' open actions end as at closure, and
    their Deadline items with them (a join ends no other dates: the join refuses a case with
    tools and powers or an ASB Case Review). The meetings stay on the joined case."""
    why = f"The case was joined into {into} with this action open"
    return [*actions_ended_at_closure(folder, now, why),
            *(_closed(m, a, ENDED, now) for m in sorted(folder.meetings.values(),
                                                        key=lambda m: m.meeting_id)
              for a in m.actions if a.status == OPEN)]


def late(action: MeetingAction, today: date) -> bool:
    """Open after its due day."""
    return action.status == OPEN and today > action.due_on
