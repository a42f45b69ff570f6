"""What a multi-agency meeting shares is a disclosure like any other: its minutes and actions go
to each partner that attended only through a request to share - checked against the partner's
agreement, decided by a manager or the DPO (not the officer who asked), minimised, signed, sent
and logged by the ordinary machinery. Plain functions, each one CaseChange."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import datetime
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from asb.case.change import CaseChange, CaseFolder, NewId, Record, audit_entry, bump
from asb.case.meetings import MEETING_MINUTES
from asb.case.minimisation import (
    build_package,
    contact_identifiers,
    perpetrator_identifiers,
    reporter_identifiers,
    withhold,
)
from asb.case.parties import Person
from asb.case.records import Disclosure, Meeting
from asb.case.sharing import log_entry
from asb.case.tasks import DISCLOSURE_DECISION
from asb.kernel.errors import InvalidChange, RuleBroken, UnknownRecord
from asb.kernel.staff import StaffMember
from asb.kernel.validation import FieldError
from asb.partners.disclosures import _check_against_agreement, due_on_index
from asb.partners.models import Identifier, LegalRoute
from asb.policy.config import DISCLOSURE_DECISION_WORKING_DAYS, MEETING_KINDS

CATEGORIES = [MEETING_MINUTES]  # the data category a minutes package carries, and only it
# Still on its way (or there): a second request for the same meeting and partner is refused.
_LIVE = ("requested", "approved", "sent", "acknowledged")


class MeetingShareIn(BaseModel):
    """Share a meeting's minutes and actions with the partners that attended."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, frozen=True,
                              defer_build=True)
    partner_ids: list[Identifier] | None = Field(default=None, min_length=1, max_length=20,
                                                 description=(
        "The partners to share with, each one that attended; left out, every partner that did"))
    legal_route: LegalRoute = "information_sharing_agreement"
    necessity: Annotated[str, StringConstraints(min_length=20, max_length=2000)] = Field(
        description="Why each partner needs the minutes, and why less would not do")


def attending(meeting: Meeting) -> list[str]:
    """The partners at the meeting, by id, in the order they are listed."""
    return list(dict.fromkeys(a.partner_id for a in meeting.attendees
                              if a.attends_for == "partner" and a.partner_id))


def share_minutes(folder: CaseFolder, meeting_id: str, agreements: Mapping[str, dict[str, Any]],
                  body: MeetingShareIn, by: StaffMember, now: datetime,
                  new_id: NewId = lambda: str(uuid.uuid4())) -> CaseChange:
    """One request to share per partner (`agreements`: each one's registry entry), waiting for
    a decision on the DueWork index; nothing leaves until it is approved."""
    case = folder.case
    if case.anonymised_at:
        raise RuleBroken("The case was anonymised: there is nothing to share")
    meeting = folder.meetings.get(meeting_id)
    if meeting is None:
        raise UnknownRecord("No such meeting on this case")
    present = attending(meeting)
    wanted = list(body.partner_ids or present)
    absent = [p for p in wanted if p not in present]
    if absent or not wanted:
        raise InvalidChange([FieldError("partner_ids", (
            f"Only a partner that attended is sent the minutes: {', '.join(absent)} did not"
            if absent else "No partner of the registry attended this meeting"))])
    records: list[Record] = []
    for partner_id in dict.fromkeys(wanted):
        partner = agreements[partner_id]
        _not_shared_already(folder, meeting_id, partner)
        _check_against_agreement(partner, body.legal_route, CATEGORIES, False, "disclosure")
        records += _request(folder, meeting, partner, body, by, now, new_id)
    return CaseChange(
        bump(case, now), case.version,
        audit_entry(case, by, "MeetingMinutesShareRequested", now, new_id, after={
            "meeting_id": meeting_id, "partners": list(dict.fromkeys(wanted))}),
        records=records)


def _not_shared_already(folder: CaseFolder, meeting_id: str, partner: dict[str, Any]) -> None:
    for request in folder.disclosures.values():
        if request.kind == MEETING_MINUTES and getattr(request, "meeting_id", None) == meeting_id \
                and request.partner_id == partner["partner_id"] and request.status in _LIVE:
            raise RuleBroken(f"These minutes were already asked to be shared with "
                             f"{partner['name']} ({request.status})")


def _request(folder: CaseFolder, meeting: Meeting, partner: dict[str, Any],
             body: MeetingShareIn, by: StaffMember, now: datetime,
             new_id: NewId) -> list[Record]:
    disclosure_id = new_id()
    named = MEETING_KINDS.get(meeting.kind, meeting.kind).lower()
    request = Disclosure.model_validate({
        "record_id": disclosure_id, "at": now, "disclosure_id": disclosure_id,
        "direction": "outbound", "kind": MEETING_MINUTES, "partner_id": partner["partner_id"],
        "partner_name": partner["name"],
        "purpose": f"The minutes and actions of the {named} on {meeting.held_on:%d %B %Y}, "
                   f"which {partner['name']} attended",
        "necessity": body.necessity, "legal_route": body.legal_route, "subject": "perpetrator",
        "data_categories": CATEGORIES, "consent": False, "status": "requested",
        "requested_by": by.username, "requested_at": now, "officer": folder.case.officer,
        "team": folder.case.team, "meeting_id": meeting.meeting_id,
        **due_on_index(DISCLOSURE_DECISION, now, DISCLOSURE_DECISION_WORKING_DAYS)})
    disclosure = {**request.as_stored(), "case_reference": folder.case.reference}
    return [Record("Disclosure", disclosure_id, now, disclosure, replace=True),
            log_entry(disclosure, "requested", now, by.username, new_id)]


def minutes_package(folder: CaseFolder, request: dict[str, Any], agreement: dict[str, Any],
                    persons: Mapping[str, Person]) -> dict[str, Any]:
    """What the partner receives: the meeting (its kind, day, the agencies there), its minutes
    and actions with every reporter, supporter, alleged perpetrator as reported and party's
    person taken out of the words, and each action's owner and due date."""
    package = build_package(folder, {**request, "data_categories": []}, agreement)
    meeting = folder.meetings[str(request["meeting_id"])]
    withheld = _everyone(folder, persons)
    package |= {
        "data_categories": sorted(set(request["data_categories"])
                                  & set(agreement["data_categories"])),
        "meeting": {
            "meeting_id": meeting.meeting_id, "kind": MEETING_KINDS.get(meeting.kind),
            "held_on": meeting.held_on.isoformat(),
            "agencies": list(dict.fromkeys(a.agency for a in meeting.attendees)),
            "minutes": withhold(meeting.minutes, withheld),
            "actions": [{"action_id": a.action_id, "owner": a.owner_name,
                         "yours": a.owner == request["partner_id"],
                         "description": withhold(a.description, withheld),
                         "due_on": a.due_on.isoformat(), "status": a.status}
                        for a in meeting.actions]}}
    return package


def _everyone(folder: CaseFolder, persons: Mapping[str, Person]) -> list[str]:
    found: list[str] = []
    for report in folder.reports:
        found += reporter_identifiers(report) + perpetrator_identifiers(report)
        reporter = report.submission.reporter
        supporter = reporter.supporter if reporter is not None else None
        if supporter is not None:
            found += contact_identifiers(supporter.name, None, supporter.email, supporter.phone)
    for party in folder.parties.values():
        person = persons.get(party.person_id or "")
        if person is not None:
            found += contact_identifiers(person.name, person.address, person.email, person.phone)
    return found
