"""A bounded load run against `make dev`'s runtime (bench/load.py, the same code `make load`
runs at 1,000 reports): nothing lost, nothing doubled, nothing left in a dead-letter queue.

`make test` runs it at LOAD_REPORTS (200 unless set) from 20 concurrent clients, a tenth sent
twice with the same Idempotency-Key; the local AWS slows as its table grows, and `make load`
is where the full run and its figures live.
"""

from __future__ import annotations

import os

from bench.load import load_run, report
from infra.local.runtime import LocalRuntime


def test_every_acknowledged_report_is_one_triaged_case_with_one_acknowledgement(
    service: LocalRuntime,
) -> None:
    reports = int(os.environ.get("LOAD_REPORTS", "200"))
    run, after = load_run(service, reports=reports, clients=20)
    problems = report(run, after)
    assert problems == []
    assert len(run.answers) == reports + reports // 10
    assert sum(1 for a in run.answers if a.replayed) == reports // 10
    assert len(after.cases) == reports
