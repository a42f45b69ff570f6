"""Schemathesis against the local runtime: generated requests to every route of the OpenAPI
document, bounded in examples and time. No 5xx; every answer conforms to the document."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from infra.local.runtime import LocalRuntime
from infra.local.tokens import issue
from infra.openapi import DOCUMENT

# One process (make test runs it beside the workers): under pytest-xdist schemathesis's tests,
# one per operation, collapse into a single test that checks one operation.
pytestmark = pytest.mark.serial
schema = schemathesis.openapi.from_path(str(DOCUMENT))
MANAGER = issue("m.jones", ["manager"], "yeovil")
# No 5xx, and every answer as documented. Not "schema-valid means accepted": the service rightly
# refuses some schema-valid requests by its rules (a review date in the past, a stale If-Match).
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_headers_conformance, response_schema_conformance]


@schema.parametrize()
@settings(max_examples=12, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much,
                                 HealthCheck.function_scoped_fixture])
def test_every_staff_route_answers_as_documented(case: schemathesis.Case,
                                                 service: LocalRuntime) -> None:
    case.call_and_validate(base_url=service.api_url, checks=CHECKS,
                           headers={"Authorization": f"Bearer {MANAGER}"})
