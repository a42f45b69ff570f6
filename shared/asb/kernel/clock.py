"""The clock every time-dependent decision takes as an argument, so it can run "as of" any time."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Protocol


class Clock(Protocol):
    def now(self) -> datetime:
        """The current time, timezone-aware, in UTC."""
        ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


@dataclass
class FixedClock:
    """A clock that says what it is told: for tests, benchmarks and "as of" runs."""

    at: datetime

    def now(self) -> datetime:
        return self.at


def as_of(event: Mapping[str, Any]) -> datetime:
    """The time a scheduled run acts as of: its scheduled time (so `make tick AT=` and a late
    run mean the same), else now."""
    scheduled = event.get("scheduled_time")
    if scheduled:
        return datetime.fromisoformat(str(scheduled).replace("Z", "+00:00"))
    return datetime.now(UTC)
