"""A change of the landlord's policy, audited: AWS AppConfig's "deployment events to Amazon
EventBridge" extension tells of each deployment's start, end and rollback; the deployed hosted
version's document names the landlord and policy version; the change is recorded once (a
redelivered event is the same change).

An event not of the extension's shape is refused with the field at fault logged and nothing
stored (retrying it would not mend it); a failure to read AppConfig or the table raises, so
EventBridge's retries and then the dead-letter queue keep the event."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.utilities.typing import LambdaContext

from asb import bootstrap
from asb.kernel.errors import InvalidChange
from asb.kernel.logs import service_logger
from asb.kernel.settings import CaseSettings

logger = service_logger()
settings = CaseSettings.load()
clients = bootstrap.Clients()
service = bootstrap.policy_changes(settings, clients)
hosted = bootstrap.hosted_policy_versions(clients)


@logger.inject_lambda_context
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    try:
        change = service.record_deployment(event, hosted)
    except InvalidChange as refused:
        fields = [e.field for e in refused.errors]
        logger.warning("deployment event refused", extra={"fields": fields})
        return {"recorded": False, "refused": fields}
    if change is None:
        logger.info("nothing to record (another kind of event, or recorded before)")
        return {"recorded": False}
    logger.info("policy change recorded", extra={
        "landlord": change.landlord, "from_version": change.from_version,
        "to_version": change.to_version, "state": change.state.value, "by": change.by})
    return {"recorded": True, "to_version": change.to_version, "state": change.state.value}
