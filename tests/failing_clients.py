"""A real AWS client that fails on cue, for fault tests: given to a service through the
composition root (asb.bootstrap.Clients), never patched into a service's insides."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


class FailingClient:
    """Passes every call to the real client, except that `operation` raises `error` on its next
    `times` calls (only on those `when` picks, if given); then it works again. `calls` counts the
    calls to `operation`, `failed` those that raised; `heal()` makes it work now."""

    def __init__(self, real: Any, operation: str, error: Exception, times: int = 1,
                 when: Callable[[dict[str, Any]], bool] | None = None) -> None:
        self.real = real
        self.operation = operation
        self.calls = 0
        self.failed = 0
        self._error = error
        self._failures_left = times
        self._when = when

    def __getattr__(self, name: str) -> Any:
        if name != self.operation:
            return getattr(self.real, name)
        return self._call

    def _call(self, **arguments: Any) -> Any:
        self.calls += 1
        if self._failures_left > 0 and (self._when is None or self._when(arguments)):
            self._failures_left -= 1
            self.failed += 1
            raise self._error
        return getattr(self.real, self.operation)(**arguments)

    def heal(self) -> None:
        self._failures_left = 0
