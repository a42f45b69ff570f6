"""The case answer's multi-agency meetings (GET /cases/{reference}: `meetings`), described field
by field for the OpenAPI document."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from asb.web.case_responses import Day, Part, Timestamp, optional


class MeetingAttendeeView(Part):
    attends_for: Literal["partner", "agency", "landlord"]
    agency: str
    partner_id: str | None = optional("A partner in the registry")
    name: str | None = optional()
    role: str | None = optional()
    officer: str | None = optional("One of the landlord's officers")


class MeetingActionView(Part):
    action_id: str
    description: str
    owner: str = Field(description="landlord, or the owning partner's partner_id")
    owner_name: str
    due_on: Day
    status: Literal["open", "done", "ended"]
    late: bool = Field(description="Open after its due day")
    done_on: Day | None = optional()
    done_by: str | None = optional("staff:<username>, or partner:<partner id>")
    note: str | None = optional()


class MeetingView(Part):
    """A problem-solving panel or case conference about the case, newest first."""

    meeting_id: str
    kind: str
    kind_name: str
    held_on: Day
    attendees: list[MeetingAttendeeView]
    minutes: str
    actions: list[MeetingActionView]
    by: str = Field(description="The officer who recorded it")
    at: Timestamp = Field(description="When it was recorded")
