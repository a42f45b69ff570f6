"""The OpenAPI document of the whole API, generated from the functions' resolvers (Powertools).

`python -m infra.openapi` writes docs/api/openapi.json and the copy the API serves from the
domain layer (GET /openapi.json); a test fails when either differs from a fresh generation.
"""

from __future__ import annotations

import json
import os
import sys
from typing import Any

from infra.local.template import ROOT

DOCUMENT = ROOT / "docs" / "api" / "openapi.json"
SERVED = ROOT / "shared" / "asb" / "web" / "openapi.json"
# Importing a handler reads its environment: these stand in, nothing is called.
_PLACEHOLDERS = {"CASES_TABLE_NAME": "cases", "TRIAGE_QUEUE_URL": "https://queue",
                 "DATA_KEY_ID": "alias/data", "EVIDENCE_BUCKET": "evidence",
                 "HOMES_TABLE_NAME": "homes",
                 "AWS_DEFAULT_REGION": "eu-west-2", "AWS_ACCESS_KEY_ID": "openapi",
                 "AWS_SECRET_ACCESS_KEY": "openapi"}


def generate() -> dict[str, Any]:
    from aws_lambda_powertools.event_handler.openapi import OpenAPIMerge
    from aws_lambda_powertools.event_handler.openapi.models import (
        APIKey,
        APIKeyIn,
    )

    for name, value in _PLACEHOLDERS.items():
        os.environ.setdefault(name, value)
    # Discovery skips a handler it cannot import: the PDF layer's package must be on the path,
    # as Lambda puts it for the functions that carry it, or data protection's routes drop out.
    if str(ROOT / "pdf") not in sys.path:
        sys.path.append(str(ROOT / "pdf"))
    merged = OpenAPIMerge(
        title="ASB case service",
        version="1.0.0",
        description=(
            "Public report intake and the staff case API of an anti-social behaviour case "
            "service for a UK social landlord. Staff routes need a Cognito ID token in the "
            "Authorization header (locally: `make token`)."
        ),
        security_schemes={"StaffPool": APIKey(name="Authorization", in_=APIKeyIn.header,
                                               description="Cognito ID token: 'Bearer <token>'")},
    )
    merged.discover(path=ROOT / "functions", pattern="app.py", resolver_name="app",
                    recursive=True, project_root=ROOT)
    return dict(json.loads(merged.get_openapi_json_schema()))


def text(document: dict[str, Any]) -> str:
    return json.dumps(document, indent=2, sort_keys=True) + "\n"


def main() -> None:
    document = text(generate())
    for target in (DOCUMENT, SERVED):
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(document)
        print(target)


if __name__ == "__main__":
    main()
