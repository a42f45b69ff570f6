"""What staff send about a multi-agency meeting: the meeting with its attendees, minutes and
actions, and an action marked done. An action's owner is checked by the rules (a 422 naming
`actions.<i>.owner`), so a missing one is refused in words, like a wrong one."""

from __future__ import annotations

from typing import Annotated, Literal, Self

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    field_validator,
    model_validator,
)

from asb.kernel.plausible_dates import Day
from asb.kernel.validation import chosen
from asb.policy.config import MEETING_ACTIONS_MAX, MEETING_ATTENDEES_MAX, MEETING_KINDS

_IN = ConfigDict(extra="forbid", str_strip_whitespace=True, frozen=True, defer_build=True)

Name = Annotated[str, StringConstraints(min_length=2, max_length=200)]
Identifier = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]{1,40}$")]
Username = Annotated[str, StringConstraints(min_length=2, max_length=64,
                                            pattern=r"^[A-Za-z0-9._@-]+$")]
Minutes = Annotated[str, StringConstraints(min_length=20, max_length=20000)]
Description = Annotated[str, StringConstraints(min_length=5, max_length=1000)]


class AttendeeIn(BaseModel):
    """One attendee: a partner in the registry (`partner_id`, with the person who came if
    named), someone of another agency (`agency`, `name` and `role`), or one of our officers
    (`officer`)."""

    model_config = _IN
    attends_for: Literal["partner", "agency", "landlord"]
    partner_id: Identifier | None = None
    agency: Name | None = None
    name: Name | None = None
    role: Name | None = None
    officer: Username | None = None

    @model_validator(mode="after")
    def _who(self) -> Self:
        if self.attends_for == "partner" and self.partner_id is None:
            raise ValueError("a partner attendee names its partner_id")
        if self.attends_for == "agency" and (self.agency is None or self.name is None):
            raise ValueError("someone of another agency is named, with their agency")
        if self.attends_for == "landlord" and self.officer is None:
            raise ValueError("one of our officers is named by their username (officer)")
        return self


class ActionIn(BaseModel):
    model_config = _IN
    description: Description
    owner: Annotated[str, StringConstraints(max_length=41)] | None = Field(
        default=None, description="landlord, or the partner_id of a partner that attended")
    due_on: Day


class MeetingIn(BaseModel):
    """A multi-agency meeting about the case, as an officer records it after it was held."""

    model_config = _IN
    kind: str = Field(json_schema_extra={"enum": list(MEETING_KINDS)})
    held_on: Day
    attendees: list[AttendeeIn] = Field(min_length=1, max_length=MEETING_ATTENDEES_MAX)
    minutes: Minutes
    actions: list[ActionIn] = Field(default_factory=list, max_length=MEETING_ACTIONS_MAX)

    @field_validator("kind")
    @classmethod
    def _kind(cls, value: str) -> str:
        return chosen(value, MEETING_KINDS)


class ActionUpdateIn(BaseModel):
    """An action done, with a note of what was done."""

    model_config = _IN
    done: Literal[True] = Field(description="The action is done")
    note: Annotated[str, StringConstraints(min_length=3, max_length=2000)]
    done_on: Day | None = Field(default=None, description="Left out: today")
