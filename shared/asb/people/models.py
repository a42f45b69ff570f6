"""What staff send to change a case's parties, or to merge two persons: validated before anything
is stored."""

from __future__ import annotations

from typing import Annotated

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationInfo,
    field_validator,
    model_validator,
)

from asb.case.parties import Role
from asb.case.submission import Email, Name, Phone, Postcode
from asb.kernel.validation import chosen
from asb.policy.config import VULNERABILITY_KINDS, VULNERABILITY_TYPES

_IN = ConfigDict(extra="forbid", str_strip_whitespace=True, frozen=True, defer_build=True)

Line = Annotated[str, StringConstraints(min_length=1, max_length=300)]
Reason = Annotated[str, StringConstraints(min_length=10, max_length=2000)]
Id = Annotated[str, StringConstraints(pattern=r"^[0-9a-f-]{36}$")]


class PersonIn(BaseModel):
    """Someone not yet known to the service: at least their name."""

    model_config = _IN
    name: Name
    email: Email = None
    phone: Phone = None
    address: Line | None = None
    postcode: Postcode = None


class PartyIn(BaseModel):
    """A party added to a case: a new person, or a person already known, by id (one of them)."""

    model_config = _IN
    roles: list[Role] = Field(min_length=1, max_length=6)
    person: PersonIn | None = None
    person_id: Id | None = Field(default=None, description="An existing person, to link")

    @model_validator(mode="after")
    def _one_person(self) -> PartyIn:
        if (self.person is None) == (self.person_id is None):
            raise ValueError("give either person (someone new) or person_id (someone known)")
        return self


class ConfirmationIn(BaseModel):
    """An officer has checked who a proposed party is."""

    model_config = _IN
    note: Annotated[str, StringConstraints(max_length=2000)] | None = None


class UnlinkingIn(BaseModel):
    model_config = _IN
    reason: Reason


class TenancyTieIn(BaseModel):
    model_config = _IN
    tenancy_reference: Annotated[str, StringConstraints(min_length=1, max_length=40)]


class MergerIn(BaseModel):
    """Another record of the same person, merged into the one the path names."""

    model_config = _IN
    merged_person_id: Id
    reason: Reason


Note = Annotated[str, StringConstraints(min_length=1, max_length=1000)]


class VulnerabilityIn(BaseModel):
    """One vulnerability: its type, a kind of that type from the policy's list, a note."""

    model_config = _IN
    type: str = Field(json_schema_extra={"enum": list(VULNERABILITY_TYPES)})
    kind: str = Field(json_schema_extra={"enum": list(VULNERABILITY_KINDS)})
    note: Note | None = Field(default=None, validate_default=True)

    @field_validator("type")
    @classmethod
    def _type(cls, value: str) -> str:
        return chosen(value, VULNERABILITY_TYPES)

    @field_validator("kind")
    @classmethod
    def _kind(cls, value: str, info: ValidationInfo) -> str:
        chosen(value, VULNERABILITY_KINDS)
        of_type = VULNERABILITY_KINDS[value][0]
        if info.data.get("type") not in (None, of_type):
            raise ValueError(f"{VULNERABILITY_KINDS[value][1]} is a {of_type} vulnerability, "
                             f"not {info.data.get('type')}")
        return value

    @field_validator("note")
    @classmethod
    def _say_what(cls, value: str | None, info: ValidationInfo) -> str | None:
        # On the note, so the 422 names vulnerabilities.<i>.note (kind is validated before it).
        if str(info.data.get("kind", "")).startswith("other_") and not value:
            raise ValueError("say what it is in the note")
        return value


class VulnerabilityScreeningIn(BaseModel):
    """A party's vulnerability screening, whole: what was found (an empty list: screened, none
    found) and whether safeguarding concerns arise. It replaces the last one."""

    model_config = _IN
    vulnerabilities: list[VulnerabilityIn] = Field(default_factory=list, max_length=20)
    safeguarding_concerns: bool = Field(description=(
        "Safeguarding concerns arise: consider a safeguarding referral"))

    @field_validator("vulnerabilities")
    @classmethod
    def _once_each(cls, value: list[VulnerabilityIn]) -> list[VulnerabilityIn]:
        kinds = [v.kind for v in value]
        twice = sorted({k for k in kinds if kinds.count(k) > 1})
        if twice:
            raise ValueError(f"each kind once: {', '.join(twice)} is given more than once")
        return value
