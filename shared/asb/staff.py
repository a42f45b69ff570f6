"""Who is asking: a member of staff from the authoriser's claims, and what they may see."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from asb.errors import DomainError

ROLES = ("officer", "manager", "dpo")


class NotSignedIn(DomainError):
    pass


class NotAllowed(DomainError):
    pass


@dataclass(frozen=True)
class StaffMember:
    username: str
    roles: frozenset[str]
    team: str | None

    @property
    def sees_every_team(self) -> bool:
        return bool(self.roles & {"manager", "dpo"})

    def may_see(self, team: str | None) -> bool:
        return self.sees_every_team or ("officer" in self.roles and team == self.team)

    def require(self, *roles: str) -> None:
        if not self.roles & set(roles):
            raise NotAllowed(f"This needs the {' or '.join(roles)} role")


def _groups(value: Any) -> frozenset[str]:
    """Cognito sends groups as a list, or (through API Gateway REST) as "[a, b]" or "a,b"."""
    if isinstance(value, list | tuple):
        items = [str(v) for v in value]
    else:
        items = str(value or "").strip("[]").replace(",", " ").split()
    return frozenset(item for item in items if item in ROLES)


def staff_from_claims(claims: Mapping[str, Any] | None) -> StaffMember:
    if not claims or not claims.get("cognito:username"):
        raise NotSignedIn("Sign in to use the staff API")
    member = StaffMember(
        username=str(claims["cognito:username"]),
        roles=_groups(claims.get("cognito:groups")),
        team=str(claims["custom:team"]) if claims.get("custom:team") else None,
    )
    if not member.roles:
        raise NotAllowed("Your account has no ASB role (officer, manager or dpo)")
    return member
