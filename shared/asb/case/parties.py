"""Parties: a person has one identity across cases (a Person) and a place in each case they are
in (a Party), with their roles in it. A complainant who is also the victim is one party with
both roles; the alleged perpetrator of one case may be the complainant of another.

Intake makes parties and proposes matches (the same tenancy, email or phone as a person already
known) for an officer to confirm; it never merges two persons by itself: an officer does
(asb.people). A party is never deleted: unlinked, it stays, with why, who and when."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

from asb.case.people import email_key, phone_key

_STORED = ConfigDict(extra="forbid", frozen=True, defer_build=True)


# A case always has a complainant: unlinking a party or splitting a report out refuses to
# leave it without one (asb.people, asb.casework.regrouping).
NO_COMPLAINANT_LEFT = ("This would leave the case with no complainant: add the complainant's "
                       "own party (or give another party the complainant role) first")


class Role(StrEnum):
    COMPLAINANT = "complainant"
    VICTIM = "victim"
    WITNESS = "witness"
    ALLEGED_PERPETRATOR = "alleged_perpetrator"
    HOUSEHOLD_MEMBER = "household_member"
    PROFESSIONAL = "professional"


class PartyStatus(StrEnum):
    PROPOSED = "proposed"  # named by a report: an officer has not checked who it is
    CONFIRMED = "confirmed"


class MatchReason(StrEnum):
    SAME_TENANCY = "same_tenancy"
    SAME_EMAIL = "same_email"
    SAME_PHONE = "same_phone"


class Person(BaseModel):
    """One identity across cases. `merged_into`: this record was found to be the same person
    as that one, whose record holds their parties now."""

    model_config = _STORED

    person_id: str
    name: str | None = None
    email: str | None = None
    phone: str | None = None
    address: str | None = None
    postcode: str | None = None
    # How a report described someone it could not name (a carried-over alleged perpetrator)
    description: str | None = None
    merged_into: str | None = None
    created_at: datetime
    version: int = 1


class TenancyTie(BaseModel):
    """The landlord's tenancy a party is tied to, and its home."""

    model_config = _STORED

    reference: str
    uprn: str


class Unlinking(BaseModel):
    model_config = _STORED

    reason: str
    by: str
    at: datetime


class ProposedMatch(BaseModel):
    """Another person this party may be, and why intake thought so: an officer decides."""

    model_config = _STORED

    person_id: str
    reasons: tuple[MatchReason, ...]


class Vulnerability(BaseModel):
    """One vulnerability of a party (ASB-REFERENCE 7a): its type (personal, situational or
    incidental: policy VULNERABILITY_TYPES), its kind from the policy's list, an officer's note,
    and who recorded it when (kept when a later screening keeps it unchanged)."""

    model_config = _STORED

    type: str
    kind: str
    note: str | None = None
    recorded_by: str
    recorded_at: datetime


class VulnerabilityScreening(BaseModel):
    """A party screened for vulnerability, alleged perpetrators too: what was found (possibly
    nothing), whether safeguarding concerns arise, and the last screening's who and when."""

    model_config = _STORED

    vulnerabilities: tuple[Vulnerability, ...] = ()
    safeguarding_concerns: bool
    screened_by: str
    screened_at: datetime


class Party(BaseModel):
    """A person's place in one case. `person_id` is None only for an anonymous complainant,
    of whom nothing is known."""

    model_config = _STORED

    party_id: str
    case_reference: str
    person_id: str | None = None
    roles: tuple[Role, ...] = Field(min_length=1)
    status: PartyStatus
    report_id: str | None = None  # the report it came from, if any
    tenancy: TenancyTie | None = None
    unlinked: Unlinking | None = None
    proposed_matches: tuple[ProposedMatch, ...] = ()
    vulnerability: VulnerabilityScreening | None = None  # None: not screened yet
    added_at: datetime
    added_by: str  # "staff:<username>", or "reporter:<channel>" for intake's
    version: int = 1

    @property
    def active(self) -> bool:
        return self.unlinked is None

    @property
    def complainant(self) -> bool:
        return self.active and Role.COMPLAINANT in self.roles


def contact_match_keys(person: Person) -> dict[MatchReason, str]:
    """The keys under which intake finds a person again by their email or phone: the same
    hashes subject access searches by (asb.case.people), so no personal data is in a key."""
    found: dict[MatchReason, str] = {}
    if person.email:
        found[MatchReason.SAME_EMAIL] = f"email:{email_key(person.email)}"
    if person.phone:
        found[MatchReason.SAME_PHONE] = f"phone:{phone_key(person.phone)}"
    return found


def tenancy_match_key(tenancy_reference: str) -> str:
    return f"tenancy:{tenancy_reference}"


def proposed_matches(found: dict[str, set[MatchReason]],
                     itself: str | None) -> tuple[ProposedMatch, ...]:
    """Persons found under a new party's match keys, each once with every reason, in a stable
    order; never the party's own person, nor a merged record (the caller resolves those)."""
    return tuple(ProposedMatch(person_id=person_id, reasons=tuple(sorted(reasons)))
                 for person_id, reasons in sorted(found.items()) if person_id != itself)
