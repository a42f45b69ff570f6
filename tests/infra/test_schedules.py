"""Schedule expressions as EventBridge reads them, including Europe/London across clock changes."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from infra.local.schedules import Schedule


def schedule(expression: str, timezone: str = "UTC") -> Schedule:
    return Schedule("F:S", function=None, expression=expression,  # type: ignore[arg-type]
                    timezone=timezone, payload=None, v2=True)


@pytest.mark.parametrize(
    ("after", "expected"),
    [
        # Winter: London is UTC.
        (datetime(2026, 1, 14, 12, 0, tzinfo=UTC), datetime(2026, 1, 15, 7, 0, tzinfo=UTC)),
        # Summer: London is UTC+1, so 07:00 London is 06:00 UTC.
        (datetime(2026, 7, 14, 12, 0, tzinfo=UTC), datetime(2026, 7, 15, 6, 0, tzinfo=UTC)),
        # The night the clocks go forward (29 March 2026).
        (datetime(2026, 3, 28, 12, 0, tzinfo=UTC), datetime(2026, 3, 29, 6, 0, tzinfo=UTC)),
        # The night they go back (25 October 2026).
        (datetime(2026, 10, 24, 12, 0, tzinfo=UTC), datetime(2026, 10, 25, 7, 0, tzinfo=UTC)),
    ],
)
def test_a_daily_london_cron_keeps_to_seven_in_the_morning(after: datetime,
                                                           expected: datetime) -> None:
    assert schedule("cron(0 7 * * ? *)", "Europe/London").next_after(after) == expected


def test_rates_and_aws_day_of_week_numbers() -> None:
    start = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)  # a Wednesday
    assert schedule("rate(15 minutes)").next_after(start) == datetime(2026, 11, 25, 9, 15,
                                                                       tzinfo=UTC)
    # AWS counts days of the week from 1 = Sunday: 2-6 is Monday to Friday.
    assert schedule("cron(0 8 ? * 2-6 *)").next_after(datetime(2026, 11, 27, 9, tzinfo=UTC)) == (
        datetime(2026, 11, 30, 8, 0, tzinfo=UTC)
    )


def test_the_scheduled_time_reaches_the_function_input() -> None:
    event: dict[str, Any] = Schedule(
        "F:S", function=None, expression="rate(1 day)", timezone="UTC",  # type: ignore[arg-type]
        payload='{"as_of": "<aws.scheduler.scheduled-time>"}', v2=True,
    ).event(datetime(2026, 12, 24, 9, 0, tzinfo=UTC))
    assert event == {"as_of": "2026-12-24T09:00:00Z"}
