"""AppConfig's LAMBDA validator for the landlord's policy profile: a document is deployed only if
it passes every check `asb.policy.document` makes (the JSON Schema validator before it checks the
shape; this one also checks the rules across the document's parts and the law's ceilings).

AppConfig invokes it with the profile's ids, the version being deployed and the document as
base64 (`content`); raising refuses the deployment, the exception's message naming each mistake
by its path. A document must also be in built form, exactly what `python -m infra.policy build`
writes (every default filled in): functions read the deployed document as it comes, without
pydantic, so one that passes the checks only once its defaults are filled would fail them at
start.

What this function logs itself is ids, the version and a count of mistakes. The exception it
raises quotes the mistakes, with the document's own values at their paths, and the Lambda
runtime logs a raised exception: a policy holds the landlord's published rules, names and
contact details, never a resident's data.
"""

from __future__ import annotations

import base64
import binascii
import json
from typing import Any

from aws_lambda_powertools.utilities.typing import LambdaContext

from asb.kernel.logs import service_logger
from asb.policy.document import PolicyRefused, compiled

logger = service_logger()


class PolicyNotDeployable(Exception):
    """Raised to AppConfig: the document's mistakes, each by its path."""


def _document(content: object) -> Any:
    if not isinstance(content, str) or not content:
        raise PolicyNotDeployable("content: the document is missing (base64 of its JSON)")
    try:
        text = base64.b64decode(content, validate=True).decode("utf-8")
    except (binascii.Error, ValueError):
        raise PolicyNotDeployable("content: not base64 of a UTF-8 document") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as broken:
        raise PolicyNotDeployable(f"content: not JSON (line {broken.lineno}, column "
                                  f"{broken.colno}: {broken.msg})") from None


_SHOWN = 5  # paths named when a document is not in built form


def _differences(built: Any, given: Any, path: str = "") -> list[str]:
    """Where the given document differs from its built form, each path with what differs."""
    at = path or "(document)"
    if isinstance(built, dict) and isinstance(given, dict):
        def named(key: str) -> str:
            return f"{path}.{key}" if path else key

        return [*(f"{named(key)} (missing)" for key in built if key not in given),
                *(f"{named(key)} (not in the built form)" for key in given if key not in built),
                *(d for key in built if key in given
                  for d in _differences(built[key], given[key], named(key)))]
    if isinstance(built, list) and isinstance(given, list) and len(built) == len(given):
        return [d for i, (b, g) in enumerate(zip(built, given, strict=True))
                for d in _differences(b, g, f"{path}.{i}" if path else str(i))]
    return [] if built == given and type(built) is type(given) else [f"{at} (not as built)"]


@logger.inject_lambda_context
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    where = {"application_id": event.get("applicationId"),
             "profile_id": event.get("configurationProfileId"),
             "configuration_version": event.get("configurationVersion")}
    try:
        document = _document(event.get("content"))
        if not isinstance(document, dict):
            raise PolicyNotDeployable("(document): a landlord's policy is a JSON object")
    except PolicyNotDeployable:
        logger.warning("policy refused", extra={**where, "mistakes": 1})
        raise
    try:
        policy = compiled(document)
    except PolicyRefused as refused:
        logger.warning("policy refused", extra={**where, "mistakes": len(refused.mistakes)})
        raise PolicyNotDeployable("; ".join(str(m) for m in refused.mistakes)) from None
    differ = _differences(policy, document)  # `!=` alone would take 1.0 for 1, True for 1
    if differ:
        logger.warning("policy refused", extra={**where, "mistakes": len(differ)})
        shown = ", ".join(differ[:_SHOWN]) + (f" and {len(differ) - _SHOWN} more"
                                              if len(differ) > _SHOWN else "")
        raise PolicyNotDeployable(
            "(document): not in built form: deploy what `python -m infra.policy build` writes "
            f"(or `python -m infra.policy deploy` sends); it differs at {shown}")
    logger.info("policy valid", extra={**where, "policy_version": policy["version"]})
    return {"valid": True, "policy_version": policy["version"]}
