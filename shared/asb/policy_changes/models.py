"""A change of the landlord's policy as data, and the pure functions that build one: from a
deployment event of AWS AppConfig's "deployment events to Amazon EventBridge" extension, from the
deploy command, from the local watcher. Nothing here reads AWS or a clock."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from asb.kernel.errors import InvalidChange
from asb.kernel.validation import FieldError


class ChangeState(StrEnum):
    STARTED = "deployment started"
    COMPLETED = "deployment completed"
    ROLLED_BACK = "rolled back"


# The event's detail-type as the EventBridge events reference names AppConfig's ("On Deployment
# Start", "On Deployment Rollback", "On Deployment Complete"; "On Deployment Step" and "On
# Deployment Baking" are not changes), and the extension's detail.Type, from its action points
# ON_DEPLOYMENT_START / COMPLETE / ROLLED_BACK, by state. Either names the state.
DETAIL_TYPES: dict[str, ChangeState] = {
    "On Deployment Start": ChangeState.STARTED,
    "On Deployment Complete": ChangeState.COMPLETED,
    "On Deployment Rollback": ChangeState.ROLLED_BACK,
}
EXTENSION_TYPES: dict[str, ChangeState] = {
    "OnDeploymentStart": ChangeState.STARTED,
    "OnDeploymentComplete": ChangeState.COMPLETED,
    "OnDeploymentRolledBack": ChangeState.ROLLED_BACK,
}

LOCAL_WATCHER = "local policy watcher"


@dataclass(frozen=True)
class PolicyChange:
    """One change: the landlord's policy from one version to another, when, by whom or what
    (a deployment with its strategy, the deploy command, the local watcher) and how far it got.
    `key` makes it once only: the same deployment event delivered twice is one change.
    `recorded_under` is the policy version the recording process itself ran by."""

    key: str
    landlord: str
    from_version: str | None
    to_version: str
    at: datetime
    by: str
    state: ChangeState
    recorded_under: str


@dataclass(frozen=True)
class Deployment:
    """What an AppConfig deployment event says: the ids, the deployment's number, the hosted
    configuration version deployed, when, and how far it got."""

    application_id: str
    environment_id: str
    profile_id: str
    deployment_number: int
    configuration_version: str
    state: ChangeState
    at: datetime
    event_id: str


def _text(values: Mapping[str, Any], name: str, path: str) -> str:
    value = values.get(name)
    if not isinstance(value, str | int) or isinstance(value, bool) or not str(value).strip():
        raise InvalidChange([FieldError(f"{path}{name}", "Missing or not text")])
    return str(value)


def _ids(detail: Mapping[str, Any], name: str) -> str:
    part = detail.get(name)
    if not isinstance(part, Mapping):
        raise InvalidChange([FieldError(f"detail.{name}", "Missing")])
    return _text(part, "Id", f"detail.{name}.")


def deployment_of(event: Mapping[str, Any]) -> Deployment | None:
    """The deployment an EventBridge event from the extension tells of; None for an event of
    another kind. InvalidChange naming the field when the event is not the extension's shape."""
    detail = event.get("detail")
    if not isinstance(detail, Mapping):
        raise InvalidChange([FieldError("detail", "Missing")])
    state = EXTENSION_TYPES.get(str(detail.get("Type"))) \
        or DETAIL_TYPES.get(str(event.get("detail-type")))
    if state is None:
        return None
    try:
        at = datetime.fromisoformat(_text(event, "time", "").replace("Z", "+00:00"))
    except ValueError:
        raise InvalidChange([FieldError("time", "Not an ISO 8601 time")]) from None
    number = _text(detail, "DeploymentNumber", "detail.")
    if not number.isdigit():
        raise InvalidChange([FieldError("detail.DeploymentNumber", "Not a number")])
    return Deployment(application_id=_ids(detail, "Application"),
                      environment_id=_ids(detail, "Environment"),
                      profile_id=_ids(detail, "ConfigurationProfile"),
                      deployment_number=int(number),
                      configuration_version=_text(detail, "ConfigurationVersion", "detail."),
                      state=state, at=at, event_id=_text(event, "id", ""))


def policy_change(*, key: str, landlord: str, to_version: str, from_version: str | None,
                  at: datetime, by: str, state: ChangeState, recorded_under: str) -> PolicyChange:
    """A change; from_version None when nothing was recorded before it. A change to the version
    already in force is still a change (a redeployment), kept as such."""
    if at.tzinfo is None:
        raise ValueError("a change's time is timezone-aware")
    return PolicyChange(key=key, landlord=landlord, from_version=from_version,
                        to_version=to_version, at=at, by=by, state=state,
                        recorded_under=recorded_under)


def deployment_key(application_id: str, environment_id: str, deployment_number: int,
                   state: ChangeState) -> str:
    """One deployment's one state: the deploy command's record of the deployment it started and
    AppConfig's start event for it are the same change."""
    return f"appconfig#{application_id}#{environment_id}#{deployment_number}#{state.name}"


def deployment_change(deployment: Deployment, *, landlord: str, to_version: str,
                      from_version: str | None, strategy: str | None,
                      recorded_under: str) -> PolicyChange:
    """The change an AppConfig deployment event records: keyed by the deployment and its state,
    so a redelivered event is the same change."""
    by = f"AWS AppConfig deployment {deployment.deployment_number}"
    if strategy:
        by += f" (strategy {strategy})"
    key = deployment_key(deployment.application_id, deployment.environment_id,
                         deployment.deployment_number, deployment.state)
    return policy_change(key=key, landlord=landlord, to_version=to_version,
                         from_version=from_version, at=deployment.at, by=by,
                         state=deployment.state, recorded_under=recorded_under)
