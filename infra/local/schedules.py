"""The schedules of template.yaml (Schedule and ScheduleV2 events), fired on time or "as of" a time.

AWS cron has six fields (minutes hours day-of-month month day-of-week year), `?` for "any" and
day-of-week 1-7 from Sunday; croniter takes five fields, `*`, and 0-6 from Sunday.
"""

from __future__ import annotations

import json
import logging
import re
import threading
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from croniter import croniter

from infra.local.functions import LocalFunction
from infra.local.resources import ACCOUNT, REGION
from infra.local.template import Trigger

log = logging.getLogger("asb.local")

_RATE = re.compile(r"^rate\((\d+)\s+(minute|minutes|hour|hours|day|days)\)$")
_UNITS = {"minute": 60, "hour": 3600, "day": 86400}


def _aws_dow_to_cron(field: str) -> str:
    def shift(match: re.Match[str]) -> str:
        return str((int(match.group(0)) - 1) % 7)

    return re.sub(r"(?<![#\d])\d(?!\d)", shift, field) if field not in ("?", "*") else "*"


@dataclass(frozen=True)
class Schedule:
    name: str
    function: LocalFunction
    expression: str
    timezone: str
    payload: str | None
    v2: bool

    @classmethod
    def from_trigger(cls, function: LocalFunction, trigger: Trigger) -> Schedule:
        props = trigger.properties
        expression = props.get("ScheduleExpression") or props["Schedule"]
        payload = props.get("Input")
        return cls(
            name=f"{function.spec.logical_id}:{trigger.name}",
            function=function,
            expression=str(expression).strip(),
            timezone=str(props.get("ScheduleExpressionTimezone", "UTC")),
            payload=payload if isinstance(payload, str) else (
                json.dumps(payload) if payload is not None else None
            ),
            v2=trigger.kind == "ScheduleV2",
        )

    def next_after(self, moment: datetime) -> datetime:
        rate = _RATE.match(self.expression)
        if rate:
            step = int(rate.group(1)) * _UNITS[rate.group(2).rstrip("s")]
            return moment + timedelta(seconds=step)
        if not self.expression.startswith("cron("):
            raise ValueError(f"unsupported schedule expression {self.expression}")
        minute, hour, dom, month, dow, _year = self.expression[5:-1].split()
        fields = " ".join([minute, hour, "*" if dom == "?" else dom, month, _aws_dow_to_cron(dow)])
        zone = ZoneInfo(self.timezone)
        following: datetime = croniter(fields, moment.astimezone(zone)).get_next(datetime)
        return following.astimezone(UTC)

    def event(self, at: datetime) -> dict[str, Any]:
        time = at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        if self.v2:
            text = (self.payload or "{}").replace("<aws.scheduler.scheduled-time>", time)
            text = text.replace("<aws.scheduler.execution-id>", str(uuid.uuid4()))
            text = text.replace("<aws.scheduler.attempt-number>", "1")
            text = text.replace(
                "<aws.scheduler.schedule-arn>",
                f"arn:aws:scheduler:{REGION}:{ACCOUNT}:schedule/default/{self.name}",
            )
            return dict(json.loads(text))
        if self.payload:
            return dict(json.loads(self.payload))
        return {
            "version": "0",
            "id": str(uuid.uuid4()),
            "detail-type": "Scheduled Event",
            "source": "aws.events",
            "account": ACCOUNT,
            "time": time,
            "region": REGION,
            "resources": [f"arn:aws:events:{REGION}:{ACCOUNT}:rule/{self.name}"],
            "detail": {},
        }

    def fire(self, at: datetime) -> dict[str, Any]:
        try:
            self.function.invoke(self.event(at), f"schedule {self.name.split(':')[1]}")
        except Exception as error:
            return {"schedule": self.name, "at": at.isoformat(), "outcome": type(error).__name__}
        return {"schedule": self.name, "at": at.isoformat(), "outcome": "ok"}


class Scheduler(threading.Thread):
    """Fires each schedule when it falls due on the wall clock."""

    def __init__(self, schedules: list[Schedule]) -> None:
        super().__init__(name="scheduler", daemon=True)
        self.schedules = schedules
        self._stop_event = threading.Event()
        now = datetime.now(UTC)
        self._due = {s.name: s.next_after(now) for s in schedules}

    def stop(self) -> None:
        self._stop_event.set()

    def run(self) -> None:
        while not self._stop_event.is_set() and self.schedules:
            now = datetime.now(UTC)
            for schedule in self.schedules:
                if self._due[schedule.name] <= now:
                    schedule.fire(self._due[schedule.name])
                    self._due[schedule.name] = schedule.next_after(now)
            wake = min(self._due.values())
            self._stop_event.wait(max(0.05, min(1.0, (wake - now).total_seconds())))

    def tick(self, at: datetime | None = None, only: str | None = None) -> list[dict[str, Any]]:
        """Fires every schedule (or those whose name contains `only`) now, as of `at`."""
        moment = at or datetime.now(UTC)
        chosen = [s for s in self.schedules if not only or only in s.name]
        return [schedule.fire(moment) for schedule in chosen]
