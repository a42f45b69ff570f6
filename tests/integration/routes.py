"""Every API route of template.yaml, as the REST proxy event API Gateway would send its function:
for what must hold on every route (hostile input, security headers), so a route added to the
template is covered without being named here."""

from __future__ import annotations

import copy
import re
from collections.abc import Callable
from types import ModuleType
from typing import Any

from infra.local.template import functions
from tests.conftest import sample_event

# A plausible value of each path parameter the template's routes use.
PATH_VALUES = {"reference": "ASB-2026-000001", "partner_id": "constabulary", "year": "2026",
               "asset": "console.js"}
AN_ID = "0b7e4c1a-2f3d-4e5a-9b6c-7d8e9f0a1b2c"  # record, review, measure, report, evidence ids


def template_routes() -> list[tuple[str, str, str]]:
    """(function logical id, method, path) of every Api event."""
    return sorted((spec.logical_id, str(t.properties["Method"]).upper(), str(t.properties["Path"]))
                  for spec in functions() for t in spec.triggers if t.kind == "Api")


def route_event(method: str, resource: str, body: str | None = None,
                content_type: str = "application/json",
                who: tuple[str, str, str] | None = ("m.jones", "manager", "yeovil"),
                ) -> dict[str, Any]:
    """A REST (v1) proxy event for one route, built on a sample event, as a member of staff
    (`who`: username, group, team) or nobody."""
    event = copy.deepcopy(sample_event("case_work-add-diary-entry"))
    names = re.findall(r"{(\w+)}", resource)
    parameters = {name: PATH_VALUES.get(name, AN_ID) for name in names}
    path = resource
    for name, value in parameters.items():
        path = path.replace(f"{{{name}}}", value)
    event.update(resource=resource, path=path, httpMethod=method, body=body,
                 pathParameters=parameters or None, queryStringParameters=None,
                 multiValueQueryStringParameters=None, isBase64Encoded=False)
    for headers in (event["headers"], event["multiValueHeaders"]):
        headers.pop("If-Match", None)
    event["headers"]["Content-Type"] = content_type
    event["multiValueHeaders"]["Content-Type"] = [content_type]
    event["headers"]["If-Match"] = '"1"'
    event["multiValueHeaders"]["If-Match"] = ['"1"']
    context = event["requestContext"]
    context.update(resourcePath=resource, httpMethod=method, path=f"/v1{path}")
    if who is None:
        context["authorizer"] = None
    else:
        context["authorizer"]["claims"].update({"cognito:username": who[0],
                                                "cognito:groups": who[1],
                                                "custom:team": who[2]})
    return event


def header_map(answer: dict[str, Any]) -> dict[str, str]:
    """An answer's headers by lower-case name, as API Gateway merges its two maps."""
    merged = {k.lower(): str(v) for k, v in (answer.get("headers") or {}).items()}
    for name, values in (answer.get("multiValueHeaders") or {}).items():
        merged[name.lower()] = ", ".join(str(v) for v in values)
    return merged


def route_handlers(load_handler: Callable[[str], ModuleType]) -> dict[str, ModuleType]:
    """Every function that serves a route, loaded as Lambda would, by logical id."""
    return {logical_id: load_handler(logical_id) for logical_id, _, _ in template_routes()}
