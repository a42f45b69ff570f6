"""Recording a change of the landlord's policy, once, and reading the changes newest first.

One service for the three that change a policy: PolicyAuditFunction (AppConfig's deployment
events), `python -m infra.policy deploy` and make dev's watcher. The version in force before a
change is the one the last completed change set (None before any)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from asb.kernel.clock import Clock
from asb.kernel.staff import StaffMember
from asb.policy_changes.models import (
    ChangeState,
    PolicyChange,
    deployment_change,
    deployment_of,
    policy_change,
)

# Who may read the changes: the staff who act by the policy (its targets, thresholds and
# categories); a data protection officer has no need of it.
READERS = ("officer", "manager")


@dataclass(frozen=True)
class InForce:
    landlord: str
    version: str


@dataclass(frozen=True)
class ChangesPage:
    changes: Sequence[PolicyChange]
    cursor: str | None


class PolicyChangeStore(Protocol):
    def in_force(self) -> InForce | None:
        """The version the last completed change set, or None before any."""
        ...

    def add(self, change: PolicyChange) -> bool:
        """Stores the change (and, when completed, the version in force) in one write; False
        when a change of that key was stored before."""
        ...

    def page(self, limit: int, cursor: str | None) -> ChangesPage:
        """The changes newest first, `limit` at most, from where `cursor` left off."""
        ...


class HostedVersions(Protocol):
    def policy_of(self, application_id: str, profile_id: str, version: str) -> InForce:
        """The landlord and policy version of a hosted configuration version."""
        ...


class PolicyChanges:
    def __init__(self, store: PolicyChangeStore, clock: Clock, running: str) -> None:
        """`running`: the policy version of the process recording (asb.policy.config's)."""
        self._store, self._clock, self._running = store, clock, running

    def record(self, *, key: str, landlord: str, to_version: str, state: ChangeState, by: str,
               at: datetime | None = None) -> PolicyChange | None:
        """Records a change once; None when the same key was recorded before (a redelivered
        event, a second run)."""
        before = self._store.in_force()
        change = policy_change(key=key, landlord=landlord, to_version=to_version,
                               from_version=before.version if before else None,
                               at=at or self._clock.now(), by=by, state=state,
                               recorded_under=self._running)
        return change if self._store.add(change) else None

    def record_deployment(self, event: Mapping[str, Any],
                          hosted: HostedVersions) -> PolicyChange | None:
        """An AppConfig deployment event (EventBridge): the deployed version's landlord and policy
        version read from AppConfig, the change recorded once. None for an event of another kind
        or one recorded before; InvalidChange naming the field of an event not of that shape."""
        deployment = deployment_of(event)
        if deployment is None:
            return None
        deployed = hosted.policy_of(deployment.application_id, deployment.profile_id,
                                    deployment.configuration_version)
        before = self._store.in_force()
        change = deployment_change(deployment, landlord=deployed.landlord,
                                   to_version=deployed.version,
                                   from_version=before.version if before else None,
                                   strategy=None, recorded_under=self._running)
        return change if self._store.add(change) else None

    def changes(self, staff: StaffMember, limit: int, cursor: str | None) -> ChangesPage:
        staff.require(*READERS)
        return self._store.page(limit, cursor)
