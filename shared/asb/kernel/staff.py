"""Who is asking: a member of staff from the authoriser's claims, and what they may see."""

from __future__ import annotations

import base64
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from asb.kernel.errors import DomainError
from asb.kernel.json_text import NotJson, read_json

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


def _listed(value: Any) -> list[str] | None:
    """The user's groups where the claim's form says what they are, or None where it cannot.

    The ID token holds a JSON list. API Gateway hands a Lambda every claim as a string: an HTTP
    API's JWT authoriser writes a list as "[a b]" (a group name holds no whitespace); a REST
    API's Cognito authoriser, this service's, joins it with commas, "a,b" - and a group name
    may hold a comma, so "officer,manager" is two groups or one group of that name."""
    if isinstance(value, list | tuple):
        return [str(v) for v in value]
    text = str(value or "").strip()
    if text.startswith("[") and text.endswith("]"):
        return text[1:-1].split()
    if "," not in text:
        return [text] if text else []
    return None


def _token_payload(id_token: str) -> dict[str, Any] | None:
    """The claims of a JWT, unverified: API Gateway verified this very token before the call."""
    parts = id_token.split(".")
    if len(parts) != 3:
        return None
    try:
        payload = read_json(base64.urlsafe_b64decode(parts[1] + "=" * (-len(parts[1]) % 4))
                            .decode())
    except (ValueError, NotJson):  # binascii.Error and UnicodeDecodeError are ValueErrors
        return None
    return payload if isinstance(payload, dict) else None


def _groups_in_token(claims: Mapping[str, Any], id_token: str | None) -> list[str]:
    """The groups of a comma-joined claim, from the ID token the authoriser read it from (its
    list keeps each name whole); none unless that token is the one the claims came from."""
    payload = _token_payload(id_token) if id_token else None
    if payload is None:
        return []
    groups = payload.get("cognito:groups")
    same_token = (payload.get("token_use") == "id"
                  and str(payload.get("sub")) == str(claims.get("sub"))
                  and str(payload.get("cognito:username")) == str(claims.get("cognito:username")))
    if not same_token or not isinstance(groups, list) or not all(
            isinstance(g, str) for g in groups):
        return []
    return groups if ",".join(groups) == str(claims.get("cognito:groups")) else []


def _roles(claims: Mapping[str, Any], id_token: str | None) -> frozenset[str]:
    groups = _listed(claims.get("cognito:groups"))
    if groups is None:
        groups = _groups_in_token(claims, id_token)
    return frozenset(group for group in groups if group in ROLES)  # a whole name, or nothing


def staff_from_claims(claims: Mapping[str, Any] | None,
                      id_token: str | None = None) -> StaffMember:
    """Who is asking, from the authoriser's claims; `id_token` is the token those claims were
    read from (the Authorization header), needed only to read a comma-joined group claim."""
    if not claims or not claims.get("cognito:username"):
        raise NotSignedIn("Sign in to use the staff API")
    member = StaffMember(
        username=str(claims["cognito:username"]),
        roles=_roles(claims, id_token),
        team=str(claims["custom:team"]) if claims.get("custom:team") else None,
    )
    if not member.roles:
        raise NotAllowed("Your account has no ASB role (officer, manager or dpo)")
    return member
