"""Multi-agency meetings for staff: a meeting recorded with the partners the registry knows, and
an action marked done, each through the case service (access, If-Match, one change). The
registry and the case service are given by the composition root: this capability imports
neither partners nor case work."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from asb.case.change import CaseChanges
from asb.case.models import Case
from asb.kernel.clock import Clock
from asb.kernel.staff import StaffMember
from asb.meetings.models import ActionUpdateIn, MeetingIn
from asb.meetings.rules import record_meeting, update_action

PartnerLookup = Callable[[str], dict[str, Any] | None]


class Meetings:
    def __init__(self, cases: CaseChanges, partner: PartnerLookup, clock: Clock,
                 new_id: Callable[[], str] = lambda: str(uuid.uuid4())) -> None:
        self._cases, self._partner, self._clock, self._new_id = cases, partner, clock, new_id

    def record(self, reference: str, staff: StaffMember, if_match: str | None,
               body: MeetingIn) -> Case:
        """The registry's entry of each partner that attended, read before the change."""
        named = {a.partner_id for a in body.attendees if a.partner_id}
        registry = {partner_id: self._partner(partner_id) for partner_id in sorted(named)}
        now = self._clock.now()
        return self._cases.change(reference, staff, if_match, lambda folder: record_meeting(
            folder, body, registry, staff, now, self._new_id))

    def update_action(self, reference: str, meeting_id: str, action_id: str,
                      staff: StaffMember, if_match: str | None, body: ActionUpdateIn) -> Case:
        now = self._clock.now()
        return self._cases.change(reference, staff, if_match, lambda folder: update_action(
            folder, meeting_id, action_id, body, staff, now, self._new_id))
