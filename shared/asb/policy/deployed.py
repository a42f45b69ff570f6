"""The landlord's policy as deployed through AWS AppConfig, read at a function's start.

The AppConfig Agent Lambda extension fetches the deployed document when the execution environment
starts and serves it on localhost; Powertools' AppConfigExtensionProvider (aws-lambda-powertools
3.37 or later) reads it from there (no AppConfig client at cold start). AppConfig deploys only a
document its two validators passed: the JSON Schema, and functions/policy_check, which runs
asb.policy.document and refuses a document not in built form (exactly what `python -m infra.policy
build` writes, every default filled in). So what is deployed is what the build wrote and the
module constants read: it is used as it comes, without building the pydantic model.

Only when nothing is deployed (the agent answers 404: before the first deployment) does a
function run by the packaged seed, with a warning. A passing failure (no answer from the agent,
a timeout, a 5xx) is tried again briefly; if it persists, or the document cannot be what was
deployed (another status, not JSON, not the document config reads), or this Powertools has no
AppConfigExtensionProvider, the read raises PolicyUnavailable after an ERROR log naming the
reason: the import fails, so does the execution environment's start, and Lambda starts a fresh
one. A function never runs for its whole life by the seed because of a hiccup at its start.

Powertools' parameters utility imports boto3 in its package's __init__ (about 175 ms, all of it
for its other providers): the provider's own modules are imported without it
(asb.kernel.imports), so a function that needs no AWS client, the report form's pages, starts
without boto3. They are imported only when the AppConfig names are set (never locally).
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Collection
from typing import TYPE_CHECKING, Any, Final

from asb.kernel.imports import module_of
from asb.kernel.settings import PolicyAppConfig

if TYPE_CHECKING:
    from aws_lambda_powertools.utilities.parameters.appconfig_extension import (
        AppConfigExtensionProvider,
    )

# The extension polls AppConfig itself; a running environment reads the policy once, at import
# (it keeps the policy it started with), so the provider's own cache matters only to a re-read.
MAX_AGE_SECONDS = 300
# A passing failure is tried this many times in all, pausing between tries, each try waiting at
# most TIMEOUT_SECONDS for the agent (on localhost, with the document prefetched): about 2 s
# when the agent is unreachable or answers 5xx, within Lambda's 10 s for a start.
TRIES: Final = 3
PAUSES_SECONDS: Final = (0.5, 1.0)
TIMEOUT_SECONDS: Final = 1.0
POWERTOOLS_FLOOR: Final = "3.37"  # the first release with AppConfigExtensionProvider

_STATUS = re.compile(r"returned HTTP (\d{3})")


class NotDeployed(Exception):
    """Nothing is deployed: the seed is used (never the document's content)."""


class PolicyUnavailable(RuntimeError):
    """The deployed policy cannot be read now: the function's start fails (never the content)."""


class _Passing(Exception):
    """A failure worth another try: no answer from the agent, a timeout, a 5xx."""


def read(names: PolicyAppConfig, needed: Collection[str],
         sleep: Callable[[float], None] = time.sleep) -> dict[str, Any]:
    """The deployed document; NotDeployed when there is none; PolicyUnavailable, naming the
    reason, when it cannot be read after TRIES tries or could not be used if it were."""
    try:
        # The provider's own modules, not the utility's package, whose __init__ imports boto3.
        extension = module_of("aws_lambda_powertools.utilities.parameters.appconfig_extension")
        errors = module_of("aws_lambda_powertools.utilities.parameters.exceptions")
    except ImportError as old:
        raise PolicyUnavailable(
            f"this aws-lambda-powertools has no AppConfigExtensionProvider (it needs "
            f"{POWERTOOLS_FLOOR} or later): {_first_line(str(old))}") from None

    provider: AppConfigExtensionProvider = extension.AppConfigExtensionProvider(
        environment=names.environment, application=names.application, timeout=TIMEOUT_SECONDS)
    not_read: type[Exception] = errors.GetParameterError
    not_json: type[Exception] = errors.TransformParameterError

    def once() -> Any:
        try:
            return provider.get(names.profile, transform="json", max_age=MAX_AGE_SECONDS)
        except not_json:
            raise PolicyUnavailable("the deployed policy is not JSON") from None
        except not_read as unread:
            reason = _first_line(str(unread))
            status = _STATUS.search(str(unread))
            if status is None or status.group(1).startswith("5"):
                raise _Passing(reason) from None
            if status.group(1) == "404":
                raise NotDeployed(reason) from None
            raise PolicyUnavailable(reason) from None

    document: Any = None
    for tried, pause in enumerate((*PAUSES_SECONDS[:TRIES - 1], None), start=1):
        try:
            document = once()
            break
        except _Passing as passing:
            if pause is None:
                raise PolicyUnavailable(f"{passing} ({tried} tries)") from None
            sleep(pause)
    if not isinstance(document, dict):
        raise PolicyUnavailable("the deployed policy is not a JSON object")
    missing = sorted(key for key in needed if key not in document)
    if missing:
        raise PolicyUnavailable(f"the deployed policy has no {', '.join(missing)}")
    if not all(isinstance(document[key], str) and document[key] for key in ("landlord", "version")):
        raise PolicyUnavailable("the deployed policy's landlord or version is not a name")
    return document


def deployed_or(seed: Callable[[], dict[str, Any]], names: PolicyAppConfig,
                needed: Collection[str]) -> dict[str, Any]:
    """The deployed document; the seed's, with a warning naming why and the version kept, when
    nothing is deployed; PolicyUnavailable, logged at ERROR, when it cannot be read."""
    where = {"application": names.application, "environment": names.environment,
             "profile": names.profile}
    try:
        return read(names, needed)
    except NotDeployed as why:
        kept = seed()
        from asb.kernel.logs import service_logger  # only on this path: Logger at a failure

        service_logger().warning("deployed policy not used", extra={
            "reason": str(why), "policy_version": kept["version"], **where})
        return kept
    except PolicyUnavailable as why:
        from asb.kernel.logs import service_logger

        service_logger().error("deployed policy unavailable: the function does not start",
                               extra={"reason": str(why), **where})
        raise


def _first_line(message: str) -> str:
    # The provider's message may end with the extension's answer: keep the status, not a body.
    return message.split(": ", 1)[0] if "returned HTTP" in message else message.split(". ", 1)[0]
