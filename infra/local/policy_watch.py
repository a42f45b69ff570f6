"""`make dev POLICY=<file>` picking up a changed policy: the document ASB_POLICY_FILE names is
watched (its modification time polled, as the queues and streams are) and, when it changes,
checked by the document model. A document with mistakes is refused, each mistake logged by its
path, and the policy the functions run by stays; a right one gets every function fresh modules,
so the next request decides by it (asb.policy.config reads its document at import). Each policy
taken up (and the one make dev starts with) is recorded as a policy change by "local policy
watcher", through the service the deployed path uses (asb.policy_changes), so the console's Policy
page shows it."""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from infra.local.pollers import Poller

log = logging.getLogger("asb.local")


def version_of(path: Path) -> tuple[str | None, list[str]]:
    """The document's version if it is right, or each of its mistakes by its path."""
    from infra.check_policy import mistakes_in  # the document model and PyYAML: dev tools
    from infra.policy import read_document

    mistakes = mistakes_in(path)
    if mistakes:
        return None, mistakes
    return str(read_document(path)["version"]), []


# Records a policy taken up: (the change's key, landlord, version).
Recorder = Callable[[str, str, str], None]


def landlord_of(path: Path) -> str:
    from infra.policy import read_document

    return str(read_document(path)["landlord"])


class PolicyWatcher(Poller):
    def __init__(self, path: Path, reload: Callable[[], None], interval: float = 1.0,
                 record: Recorder | None = None) -> None:
        super().__init__("policy", interval)
        self.path = path
        self.reload = reload
        self.record = record
        self._seen = self._modified()

    def record_start(self) -> None:
        """The policy make dev starts with, recorded as the change to it."""
        version, _ = version_of(self.path)
        if version is not None:
            self._record(version)

    def _record(self, version: str) -> None:
        if self.record is None:
            return
        try:
            self.record(f"local#{version}#{self._seen}", landlord_of(self.path), version)
        except Exception as failed:  # the policy is taken up whatever its record
            log.warning("policy %s taken up but its change not recorded (%s)", version, failed)

    def _modified(self) -> int | None:
        try:
            return self.path.stat().st_mtime_ns
        except OSError:
            return None  # being replaced (an editor's save): looked at again next poll

    def poll_once(self) -> bool:
        modified = self._modified()
        if modified is None or modified == self._seen:
            return False
        self._seen = modified
        self.take_up()
        return False

    def take_up(self) -> bool:
        """Checks the document and, if it is right, reloads the functions by it."""
        version, mistakes = version_of(self.path)
        if version is None:
            log.warning("policy %s refused, %d mistake(s); the previous policy stays",
                        self.path, len(mistakes))
            for mistake in mistakes:
                log.warning("  %s", mistake)
            return False
        try:
            self.reload()
        except Exception as failed:
            log.warning("policy %s not loaded (%s); the previous policy stays", version, failed)
            return False
        log.info("policy %s loaded", version)
        self._record(version)
        return True
