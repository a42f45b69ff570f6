"""The OpenAPI document: generated from the resolvers, checked in, served as it is."""

from __future__ import annotations

import json
from collections.abc import Callable
from types import ModuleType

from infra.openapi import DOCUMENT, SERVED, generate, text
from tests.conftest import LambdaContext, sample_event


def test_the_checked_in_document_is_what_the_resolvers_generate() -> None:
    fresh = text(generate())
    assert DOCUMENT.read_text() == fresh, "run `python -m infra.openapi` and commit the result"
    assert SERVED.read_text() == fresh


def test_every_staff_route_needs_the_staff_token_and_documents_its_problems() -> None:
    document = generate()
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            if not path.startswith("/cases"):
                continue
            assert operation["security"] == [{"StaffPool": []}], (method, path)
            assert {"200", "401", "403", "404", "422"} <= set(operation["responses"])
            # A court bundle changes no record of the case: no If-Match, no version to lose.
            if method == "post" and not path.endswith("/bundles"):
                assert {"409", "412", "428"} <= set(operation["responses"])


def test_get_openapi_json_serves_the_document(load_handler: Callable[[str], ModuleType]) -> None:
    docs = load_handler("ApiDocsFunction")
    answer = docs.lambda_handler(sample_event("api_docs-get-document"), LambdaContext())
    assert answer["statusCode"] == 200
    assert json.loads(answer["body"]) == json.loads(DOCUMENT.read_text())
