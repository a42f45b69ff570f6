"""Schemathesis against the local runtime: generated requests to every route of the OpenAPI
document, bounded in examples and time. No 5xx; every answer conforms to the document."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from schemathesis.transport.requests import ManagedCookiesSession

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


@pytest.fixture(scope="module")
def client() -> Iterator[requests.Session]:
    """One HTTP client for every generated request (a new one each time cost a connection and
    the environment's proxy and netrc settings read again): schemathesis's own, which drops a
    response's cookies between requests and follows a redirect only on the same host; nothing
    read from the machine."""
    session = ManagedCookiesSession()
    session.trust_env = False
    yield session
    session.close()


@schema.parametrize()
@settings(max_examples=12, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much,
                                 HealthCheck.function_scoped_fixture])
def test_every_staff_route_answers_as_documented(case: schemathesis.Case, service: LocalRuntime,
                                                 client: requests.Session) -> None:
    case.call_and_validate(base_url=service.api_url, session=client, checks=CHECKS,
                           headers={"Authorization": f"Bearer {MANAGER}"})
