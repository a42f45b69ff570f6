"""Recording a change of the landlord's policy, once, and reading the changes newest first.

One service for the three that change a policy: PolicyAuditFunction (AppConfig's deployment
events), `python -m infra.policy deploy` and make dev's watcher. The version in force before a
change is the one the latest completed change set (None before any): a completion that arrives
late (EventBridge's retry, a redrive from the dead-letter queue) is recorded but leaves the version
in force where a later one put it, and a change is written only while the version in force is
still the one its "from" was read from (read again and tried again when another moved it)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
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
# How many times a change is read and written again when the version in force moved between.
ATTEMPTS = 5


@dataclass(frozen=True)
class InForce:
    """The version the latest completed change set, and that change's time (None on a document's
    own read, HostedVersions')."""

    landlord: str
    version: str
    at: datetime | None = None


class InForceMoved(Exception):
    """The version in force changed between its read and the change's write."""


def moves_in_force(change: PolicyChange, before: InForce | None) -> bool:
    """A completed change sets the version in force unless a later completion already did: a
    late completion (deployment 1's, redelivered after deployment 2 completed) leaves it."""
    if change.state is not ChangeState.COMPLETED:
        return False
    return before is None or before.at is None or change.at > before.at


@dataclass(frozen=True)
class ChangesPage:
    changes: Sequence[PolicyChange]
    cursor: str | None


class PolicyChangeStore(Protocol):
    def in_force(self) -> InForce | None:
        """The version the last completed change set, or None before any."""
        ...

    def add(self, change: PolicyChange, before: InForce | None, moves: bool) -> bool:
        """Stores the change (and, when `moves`, the version in force) in one write, on condition
        that the version in force is still `before`'s (InForceMoved when it is not) and, when
        `moves`, that no later completion set it; False when a change of that key was stored
        before."""
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
        when = at or self._clock.now()
        return self._add(lambda before: policy_change(
            key=key, landlord=landlord, to_version=to_version,
            from_version=before.version if before else None, at=when, by=by, state=state,
            recorded_under=self._running))

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
        return self._add(lambda before: deployment_change(
            deployment, landlord=deployed.landlord, to_version=deployed.version,
            from_version=before.version if before else None, strategy=None,
            recorded_under=self._running))

    def _add(self, change_from: Callable[[InForce | None], PolicyChange]) -> PolicyChange | None:
        """The change built from the version in force, stored while that is still in force: read
        again and tried again (ATTEMPTS times) when another change moved it in between."""
        for _ in range(ATTEMPTS):
            before = self._store.in_force()
            change = change_from(before)
            try:
                stored = self._store.add(change, before, moves_in_force(change, before))
            except InForceMoved:
                continue
            return change if stored else None
        raise InForceMoved(f"the version in force changed under each of {ATTEMPTS} attempts")

    def changes(self, staff: StaffMember, limit: int, cursor: str | None) -> ChangesPage:
        staff.require(*READERS)
        return self._store.page(limit, cursor)
