"""GET / through the report form handler: the page residents use."""

from __future__ import annotations

from collections.abc import Callable
from types import ModuleType

from tests.conftest import LambdaContext, sample_event


def test_the_form_page_is_served_with_a_fresh_idempotency_key(
    load_handler: Callable[[str], ModuleType],
) -> None:
    form = load_handler("ReportFormFunction")
    first = form.lambda_handler(sample_event("report_form-get"), LambdaContext())
    second = form.lambda_handler(sample_event("report_form-get"), LambdaContext())
    assert first["statusCode"] == 200
    assert first["multiValueHeaders"]["Content-Type"] == ["text/html; charset=utf-8"]
    assert first["multiValueHeaders"]["Cache-Control"] == ["no-store"]
    page = first["body"]
    assert page.index("call 999") < page.index("<form")
    assert 'action="reports"' in page and 'method="post"' in page
    key = 'name="idempotency_key" value="'
    assert page.split(key)[1][:36] != second["body"].split(key)[1][:36]
