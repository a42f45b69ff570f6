"""The due-work sweep over 5,000 and 50,000 cases of which 100 are due: items read per due item
(from DynamoDB's own ScannedCount) and the sweep's time, side by side.

Run: `make bench` (or `.venv/bin/python -m bench.sweep`). Against moto, which answers an index
query by looking through the whole table: its time inside the calls grows with the table, where
DynamoDB's does not. The items read are what DynamoDB would bill; the time outside the calls is
ours. The tasks' moves are counted, not written: moto copies its whole table per transaction.
"""

from __future__ import annotations

import os
import time
from datetime import UTC, datetime, timedelta
from typing import Any

from asb.due_work.sweep import SweepAction, sweep

AS_OF = datetime(2026, 12, 1, 9, 15, tzinfo=UTC)
DUE = 100
KINDS = ("FIRST_CONTACT", "CUSTOMER_CONTACT", "PLAN_REVIEW", "EMERGENCY_LEGAL_CONSIDERATION")


class CountingStore:
    """The real store's reads; its writes only counted."""

    def __init__(self, real: Any) -> None:
        self.real = real
        self.acted = 0

    def due(self, kind: str, as_of: datetime) -> Any:
        return self.real.due(kind, as_of)

    def act(self, action: SweepAction, as_of: datetime) -> bool:
        self.acted += 1
        return True


def _tasks(client: Any, table: str, start: int, count: int, due: int) -> None:
    from asb.dynamo.codec import to_item

    for first in range(start, start + count, 25):
        requests = []
        for n in range(first, min(first + 25, start + count)):
            kind = KINDS[n % len(KINDS)]
            when = AS_OF - timedelta(hours=1) if n < due else AS_OF + timedelta(days=1 + n % 60)
            requests.append({"PutRequest": {"Item": to_item({
                "pk": f"CASE#ASB-2026-{n:06d}", "sk": f"TASK#{kind}", "entity": "Task",
                "kind": kind, "status": "open", "case_reference": f"ASB-2026-{n:06d}",
                "due_kind": kind, "due_at": when.isoformat(), "team": "yeovil"})}})
        client.batch_write_item(RequestItems={table: requests})


def measure(store: Any, size: int, in_calls: list[float]) -> None:
    counting = CountingStore(store)
    store.items_read = 0
    in_calls[0] = 0.0
    started = time.perf_counter()
    report = sweep(counting, AS_OF)
    took = (time.perf_counter() - started) * 1000
    ours = took - in_calls[0] * 1000
    print(f"  {size:>6} cases, {report.due} due: items read per due item "
          f"{store.items_read / report.due:.2f} (goal <= 1.2); sweep {took:.0f} ms, of which "
          f"outside the DynamoDB calls {ours:.0f} ms")


def main() -> None:
    os.environ.update(AWS_DEFAULT_REGION="eu-west-2", AWS_ACCESS_KEY_ID="bench",
                      AWS_SECRET_ACCESS_KEY="bench")
    import boto3
    from moto import mock_aws

    from asb.due_work.store import DynamoDBReviewStore
    from infra.local.local_aws import mend
    from infra.local.resources import LocalResources

    mend()  # moto's whole-table copies and sorts are not DynamoDB's: they would be timed here
    with mock_aws():
        table = str(LocalResources().create_all().ref("CasesTable"))
        client = boto3.client("dynamodb")
        store = DynamoDBReviewStore(client, table)
        in_calls, started = [0.0], [0.0]
        client.meta.events.register("before-call.dynamodb.Query",
                                    lambda **_: started.__setitem__(0, time.perf_counter()))
        client.meta.events.register("after-call.dynamodb.Query", lambda **_: in_calls.__setitem__(
            0, in_calls[0] + time.perf_counter() - started[0]))
        print("due-work sweep (reads from the sparse DueWork index):")
        _tasks(client, table, 0, 5_000, DUE)
        sweep(CountingStore(store), AS_OF)  # warm: first calls pay for imports and clients
        measure(store, 5_000, in_calls)
        _tasks(client, table, 5_000, 45_000, DUE)
        measure(store, 50_000, in_calls)


if __name__ == "__main__":
    main()
