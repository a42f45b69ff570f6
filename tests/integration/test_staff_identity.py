"""Roles through a staff handler as API Gateway's REST authoriser gives them: a comma-joined
groups claim is read from the ID token in the Authorization header, whole names only."""

from __future__ import annotations

from collections.abc import Callable
from types import ModuleType

from infra.local.tokens import issue
from tests.conftest import LambdaContext
from tests.integration.routes import route_event


def test_two_groups_grant_both_roles_and_a_group_named_with_a_comma_grants_none(
        load_handler: Callable[[str], ModuleType]) -> None:
    queries = load_handler("CaseQueriesFunction")

    def legal_approvals(groups: list[str]) -> int:
        """GET /legal-approvals (managers only), with the claims and the token they came from."""
        token = issue("m.jones", groups, "yeovil")
        event = route_event("GET", "/legal-approvals", who=("m.jones", ",".join(groups), "yeovil"))
        event["requestContext"]["authorizer"]["claims"]["sub"] = "local-m.jones"
        event["headers"]["Authorization"] = f"Bearer {token}"
        event["multiValueHeaders"]["Authorization"] = [f"Bearer {token}"]
        return int(queries.lambda_handler(event, LambdaContext())["statusCode"])

    assert legal_approvals(["officer", "manager"]) == 200
    assert legal_approvals(["officer,manager"]) == 403
