"""Who is asking: roles come from whole group names, in every form API Gateway gives the groups
claim. A REST API's Cognito authoriser joins the ID token's list with commas, so a group named
"officer,manager" and the two groups look alike in the claim: the token itself tells them apart,
and a group of that name grants nothing."""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest

from asb.kernel.staff import NotAllowed, staff_from_claims

SUB = "7d9a1c2e-4b5f-4e6a-9c8d-0e1f2a3b4c5d"


def claims(groups: Any) -> dict[str, Any]:
    return {"sub": SUB, "cognito:username": "o.hughes", "cognito:groups": groups,
            "custom:team": "yeovil", "token_use": "id"}


def id_token(groups: list[str], **changes: Any) -> str:
    """A token as the client sent it (API Gateway has checked its signature before the call)."""
    payload = {"sub": SUB, "cognito:username": "o.hughes", "cognito:groups": groups,
               "custom:team": "yeovil", "token_use": "id", **changes}

    def part(data: dict[str, Any]) -> str:
        return base64.urlsafe_b64encode(json.dumps(data).encode()).decode().rstrip("=")

    return f"{part({'alg': 'RS256', 'kid': 'k'})}.{part(payload)}.c2lnbmF0dXJl"


@pytest.mark.parametrize(("claimed", "token", "roles"), [
    ("officer", None, {"officer"}),  # one group: the REST claim is its name
    (["officer", "manager"], None, {"officer", "manager"}),
    ("[officer manager]", None, {"officer", "manager"}),  # an HTTP API's JWT authoriser
    ("officer,manager", id_token(["officer", "manager"]), {"officer", "manager"}),
    ("manager,dpo", id_token(["manager", "dpo"]), {"manager", "dpo"}),
    ("officer,auditors", id_token(["officer", "auditors"]), {"officer"}),
])
def test_roles_come_from_whole_group_names(claimed: Any, token: str | None,
                                           roles: set[str]) -> None:
    assert staff_from_claims(claims(claimed), token).roles == roles


@pytest.mark.parametrize(("claimed", "token"), [
    ("officer,manager", id_token(["officer,manager"])),  # one group, named with a comma
    ("[officer,manager]", None),
    (["officer,manager"], None),
    ("officer,manager", None),  # no token to read the list from
    ("officer,manager", id_token(["officer", "manager"], sub="someone-else")),
    ("officer,manager", id_token(["officer", "manager"], token_use="access")),
    ("officer,manager", id_token(["officer", "manager", "dpo"])),  # not the token claimed from
    ("officer,manager", "not-a-token"),
    ("officer,manager", "a.b.c"),
])
def test_a_group_named_officer_comma_manager_grants_nothing(claimed: Any,
                                                            token: str | None) -> None:
    with pytest.raises(NotAllowed):
        staff_from_claims(claims(claimed), token)
