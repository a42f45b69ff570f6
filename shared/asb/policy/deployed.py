"""The landlord's policy as deployed through AWS AppConfig, read at a function's start.

The AppConfig Agent Lambda extension fetches the deployed document when the execution environment
starts and serves it on localhost; Powertools' AppConfigExtensionProvider reads it from there (no
AppConfig client at cold start). AppConfig deploys only a document its two validators passed (the
JSON Schema and functions/policy_check, which runs asb.policy.document), so it is used as it comes;
what can still go wrong (no deployment yet, no extension, not JSON, not the document config reads)
falls back to the packaged seed with a warning naming the reason and the version kept.

Powertools' parameters utility imports boto3 (about 175 ms): it is imported here only when the
AppConfig names are set, so local runs and tests never pay for it.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from typing import Any

from asb.kernel.settings import PolicyAppConfig

# The extension polls AppConfig itself; a running environment reads the policy once, at import
# (it keeps the policy it started with), so the provider's own cache matters only to a re-read.
MAX_AGE_SECONDS = 300


class NotDeployed(Exception):
    """Why the deployed policy cannot be used (never the document's content)."""


def read(names: PolicyAppConfig, needed: Collection[str]) -> dict[str, Any]:
    """The deployed document, or NotDeployed naming the reason."""
    from aws_lambda_powertools.utilities.parameters import (
        AppConfigExtensionProvider,
        GetParameterError,
        TransformParameterError,
    )

    provider = AppConfigExtensionProvider(environment=names.environment,
                                          application=names.application)
    try:
        document = provider.get(names.profile, transform="json", max_age=MAX_AGE_SECONDS)
    except TransformParameterError:
        raise NotDeployed("the deployed policy is not JSON") from None
    except GetParameterError as unread:
        raise NotDeployed(_first_line(str(unread))) from None
    if not isinstance(document, dict):
        raise NotDeployed("the deployed policy is not a JSON object")
    missing = sorted(key for key in needed if key not in document)
    if missing:
        raise NotDeployed(f"the deployed policy has no {', '.join(missing)}")
    if not all(isinstance(document[key], str) and document[key] for key in ("landlord", "version")):
        raise NotDeployed("the deployed policy's landlord or version is not a name")
    return document


def deployed_or(seed: Callable[[], dict[str, Any]], names: PolicyAppConfig,
                needed: Collection[str]) -> dict[str, Any]:
    """The deployed document, or the seed's with a warning naming why and the version kept."""
    try:
        return read(names, needed)
    except NotDeployed as why:
        kept = seed()
        from asb.kernel.logs import service_logger  # only on this path: Logger at a failure

        service_logger().warning("deployed policy not used", extra={
            "reason": str(why), "policy_version": kept["version"],
            "application": names.application, "environment": names.environment,
            "profile": names.profile})
        return kept


def _first_line(message: str) -> str:
    # The provider's message may end with the extension's answer: keep the status, not a body.
    return message.split(": ", 1)[0] if "returned HTTP" in message else message.split(". ", 1)[0]
