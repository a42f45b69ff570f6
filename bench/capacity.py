"""DynamoDB request units, worked out from what each call wrote and read, by DynamoDB's published
rules: a write is 1 WRU per KB of the item (2 in a transaction), plus 1 per KB of each index copy;
a read is 1 RRU per 4 KB read strongly, half that eventually consistent.

moto reports a fixed ConsumedCapacity, so this reads the items instead: what a Put sends, what an
Update leaves (read back from moto outside the count), and what a read returns. A Query with a
filter is charged here for what it returns, DynamoDB charges for what it read: an undercount
where filters discard much (the service's filters discard little).
"""

from __future__ import annotations

import math
from collections import defaultdict
from decimal import Decimal
from typing import Any

KB = 1024


def attribute_size(value: dict[str, Any]) -> int:
    (kind, inner), = value.items()
    if kind == "S":
        return len(inner.encode())
    if kind == "N":
        return len(str(Decimal(inner)).lstrip("-").replace(".", "")) // 2 + 2
    if kind == "B":
        return len(inner)
    if kind in ("BOOL", "NULL"):
        return 1
    if kind in ("SS", "NS", "BS"):
        return sum(attribute_size({kind[0]: v}) for v in inner)
    if kind == "L":
        return 3 + sum(1 + attribute_size(v) for v in inner)
    if kind == "M":
        return 3 + item_size(inner) + len(inner)
    raise ValueError(kind)


def item_size(item: dict[str, Any]) -> int:
    return sum(len(name.encode()) + attribute_size(value) for name, value in item.items())


class RequestUnits:
    """Counts WRU and RRU of the calls one client makes; `peek` reads moto without counting."""

    def __init__(self, peek: Any, table: str) -> None:
        # Counted as a Counter would, in halves too: an eventually consistent read is half a unit.
        self.units: defaultdict[str, float] = defaultdict(float)
        self._peek = peek
        described = peek.describe_table(TableName=table)["Table"]
        self._keys = [k["AttributeName"] for k in described["KeySchema"]]
        self._indexes = [
            ([k["AttributeName"] for k in index["KeySchema"]], index["Projection"])
            for index in described.get("GlobalSecondaryIndexes", [])
        ]

    def after_call(self, model: Any, parsed: dict[str, Any], context: dict[str, Any],
                   **_: Any) -> None:
        params = context.get("api_params")
        if model.service_model.service_name != "dynamodb" or params is None:
            return
        operation = model.name
        if operation == "PutItem":
            self._written(params["Item"], transactional=False)
        elif operation in ("UpdateItem", "DeleteItem"):
            self._written(self._stored(params["TableName"], params["Key"]), transactional=False)
        elif operation == "TransactWriteItems":
            for action in params["TransactItems"]:
                (kind, detail), = action.items()
                if kind == "Put":
                    self._written(detail["Item"], transactional=True)
                elif kind in ("Update", "Delete"):
                    self._written(self._stored(detail["TableName"], detail["Key"]), True)
                else:  # a ConditionCheck is charged as a write
                    self.units["WRU"] += 2
        elif operation in ("GetItem", "Query"):
            items = [parsed["Item"]] if "Item" in parsed else parsed.get("Items", [])
            self._read(items, bool(params.get("ConsistentRead")))
        elif operation == "BatchGetItem":
            for table, request in params["RequestItems"].items():
                found = parsed.get("Responses", {}).get(table, [])
                # Each key asked for is a read, found or not.
                for item in [*found, *[{}] * (len(request["Keys"]) - len(found))]:
                    self._read([item], bool(request.get("ConsistentRead")))

    def _stored(self, table: str, key: dict[str, Any]) -> dict[str, Any]:
        return dict(self._peek.get_item(TableName=table, Key=key).get("Item") or key)

    def _written(self, item: dict[str, Any], transactional: bool) -> None:
        size = item_size(item)
        self.units["WRU"] += (2 if transactional else 1) * max(1, math.ceil(size / KB))
        for keys, projection in self._indexes:
            if all(k in item for k in keys):
                copied = self._projected(item, keys, projection)
                self.units["WRU"] += max(1, math.ceil(item_size(copied) / KB))

    def _projected(self, item: dict[str, Any], keys: list[str],
                   projection: dict[str, Any]) -> dict[str, Any]:
        kind = projection.get("ProjectionType", "ALL")
        if kind == "ALL":
            return item
        wanted = set(keys) | set(self._keys) | set(projection.get("NonKeyAttributes", []))
        return {name: value for name, value in item.items() if name in wanted}

    def _read(self, items: list[dict[str, Any]], consistent: bool) -> None:
        size = sum(item_size(i) for i in items)
        units = max(1, math.ceil(size / (4 * KB)))
        self.units["RRU"] += units if consistent else units / 2
