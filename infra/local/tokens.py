"""Staff tokens for the local runtime: what Cognito and API Gateway's authoriser do in AWS.

`make token ROLE=officer USER=o.hughes` prints a bearer token; the local gateway checks it on
every route the template protects and hands the handler the same claims Cognito would.
The signing secret is local-only and public: these tokens mean nothing outside `make dev`.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from typing import Any

import jwt

from asb.policy.config import PATCHES, UNASSIGNED_TEAM

LOCAL_SECRET = "asb-local-runtime-only-not-a-secret"  # noqa: S105 - local tokens only
ISSUER = "asb-local"
ROLES = ("officer", "manager", "dpo")


def team_of(user: str) -> str:
    return next((team for officer, team in PATCHES.values() if officer == user), UNASSIGNED_TEAM)


def issue(user: str, roles: list[str], team: str | None = None, hours: int = 12) -> str:
    now = int(time.time())
    claims = {
        "sub": f"local-{user}", "iss": ISSUER, "iat": now, "exp": now + hours * 3600,
        "cognito:username": user, "cognito:groups": roles,
        "custom:team": team or team_of(user), "token_use": "id",
    }
    return jwt.encode(claims, LOCAL_SECRET, algorithm="HS256")


def claims_of(authorization: str | None) -> dict[str, Any] | None:
    """Claims as API Gateway's Cognito authoriser passes them (strings; a list joined with
    commas, as a REST API's does), or None if the token is not a valid local ID token."""
    if not authorization or not authorization.lower().startswith("bearer "):
        return None
    try:
        payload = jwt.decode(authorization[7:].strip(), LOCAL_SECRET, algorithms=["HS256"],
                             issuer=ISSUER)
    except jwt.PyJWTError:
        return None
    if payload.get("token_use") != "id":
        return None  # the template's Cognito authoriser (no OAuth scopes) takes ID tokens only
    groups = payload.get("cognito:groups") or []
    return {**{k: str(v) for k, v in payload.items() if k != "cognito:groups"},
            "cognito:groups": ",".join(groups)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Print a local staff token.")
    parser.add_argument("--role", default=os.environ.get("ROLE") or "officer",
                        help="officer, manager or dpo (several: officer,manager)")
    parser.add_argument("--user", default=os.environ.get("USER_NAME") or "o.hughes")
    parser.add_argument("--team", default=os.environ.get("TEAM") or None)
    args = parser.parse_args(argv)
    roles = [r for r in args.role.split(",") if r]
    unknown = [r for r in roles if r not in ROLES]
    if unknown:
        sys.stderr.write(f"unknown role {', '.join(unknown)}: use {', '.join(ROLES)}\n")
        return 2
    token = issue(args.user, roles, args.team)
    team = args.team or team_of(args.user)
    sys.stdout.write(f"# {args.user} ({', '.join(roles)}, team {team}), valid 12 hours:\n"
                     f"# curl -H 'Authorization: Bearer <token>' http://127.0.0.1:3000/cases\n"
                     f"{token}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
