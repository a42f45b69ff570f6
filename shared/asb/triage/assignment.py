"""Which officer and team a case goes to: the patch of its postcode district."""

from __future__ import annotations

from dataclasses import dataclass

from asb.policy.config import PATCHES, UNASSIGNED_TEAM


@dataclass(frozen=True)
class Assignment:
    officer: str | None
    team: str
    reason: str


def assign(postcode: str | None) -> Assignment:
    district = postcode.split()[0] if postcode else None
    if district and district in PATCHES:
        officer, team = PATCHES[district]
        return Assignment(officer, team, f"postcode district {district} is {officer}'s patch")
    why = f"no patch for {district}" if district else "no postcode given"
    return Assignment(None, UNASSIGNED_TEAM, f"{why}: the {UNASSIGNED_TEAM} team's queue")
