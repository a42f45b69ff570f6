"""AppConfig's LAMBDA validator for the landlord's policy profile: a document is deployed only if
it passes every check `asb.policy.document` makes (the JSON Schema validator before it checks the
shape; this one also checks the rules across the document's parts and the law's ceilings).

AppConfig invokes it with the profile's ids, the version being deployed and the document as
base64 (`content`); raising refuses the deployment, the exception's message naming each mistake
by its path. Nothing of the document is logged: only ids, the version and the outcome.
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
    logger.info("policy valid", extra={**where, "policy_version": policy["version"]})
    return {"valid": True, "policy_version": policy["version"]}
