"""The daily digest: each officer's work due today and overdue, from the DueWork index only."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Protocol

from asb.case.targets import NO_ACTIVITY, NO_ACTIVITY_TITLE, end_of_day, local_day, long_date
from asb.case.tasks import (
    DUE_TITLES,
    ENFORCEMENT_KINDS,
    OVERDUE_KINDS,
    STEP_TITLES,
    TASK_TITLES,
    DueTask,
    date_of,
    is_overdue,
)

DIGEST_KINDS = OVERDUE_KINDS
TITLES = {**TASK_TITLES, **STEP_TITLES, **DUE_TITLES, NO_ACTIVITY: NO_ACTIVITY_TITLE}


@dataclass(frozen=True)
class DigestLine:
    reference: str
    what: str
    due: str


@dataclass
class Digest:
    officer: str
    day: date
    overdue: list[DigestLine] = field(default_factory=list)
    due_today: list[DigestLine] = field(default_factory=list)


class DigestSource(Protocol):
    def due(self, kind: str, as_of: datetime) -> list[DueTask]: ...


class DigestSender(Protocol):
    def send(self, digest: Digest) -> bool:
        """Sends it unless already sent for that officer and day; True if it was sent now."""
        ...


def digests(tasks: list[DueTask], as_of: datetime) -> list[Digest]:
    today = local_day(as_of)
    by_officer: dict[str, Digest] = defaultdict(lambda: Digest("", today))
    for task in sorted(tasks, key=lambda t: t.due_at):
        if not task.officer:
            continue  # unassigned work is on the team queue, which managers see
        digest = by_officer[task.officer]
        digest.officer = task.officer
        line = DigestLine(task.case_reference, _what(task), long_date(date_of(task)))
        (digest.overdue if is_overdue(task, as_of) else digest.due_today).append(line)
    return [by_officer[name] for name in sorted(by_officer)]


def _what(task: DueTask) -> str:
    """The kind's title; an enforcement date's own, which names its day (and a hearing's court)."""
    kind = task.kind.split(":")[0]
    if kind in ENFORCEMENT_KINDS and task.title:
        return task.title
    return TITLES.get(kind, kind)


@dataclass(frozen=True)
class DigestRun:
    sent: int
    failed: int  # not sent and not marked: a run again (or Lambda's retry) sends them


def send_digests(source: DigestSource, sender: DigestSender, as_of: datetime) -> DigestRun:
    until = end_of_day(local_day(as_of))
    tasks = [task for kind in DIGEST_KINDS for task in source.due(kind, until)]
    sent = failed = 0
    for digest in digests(tasks, as_of):
        try:
            sent += sender.send(digest)
        except Exception:  # one officer's email must not keep the others' from going
            failed += 1
    return DigestRun(sent, failed)
