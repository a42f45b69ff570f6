"""The clock every time-dependent decision takes as an argument, so it can run "as of" any time."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Protocol


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
