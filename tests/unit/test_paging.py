"""asb.dynamo.paging: every page of a Query, as botocore's paginator gave them, without it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import asb
from asb.dynamo.paging import query_pages


class PagedTable:
    """A Query's answers in pages of two items, each but the last with its LastEvaluatedKey;
    every call recorded as asked."""

    def __init__(self, items: list[str]) -> None:
        self._items = items
        self.asked: list[dict[str, Any]] = []

    def query(self, **arguments: Any) -> dict[str, Any]:
        self.asked.append(arguments)
        start = int(arguments.get("ExclusiveStartKey", {"n": 0})["n"])
        page: dict[str, Any] = {"Items": self._items[start:start + 2]}
        if start + 2 < len(self._items):
            page["LastEvaluatedKey"] = {"n": start + 2}
        return page


def test_every_page_is_read_each_from_where_the_last_stopped() -> None:
    table = PagedTable(["a", "b", "c", "d", "e"])
    pages = list(query_pages(table, TableName="cases", Limit=2))  # type: ignore[arg-type]
    assert [page["Items"] for page in pages] == [["a", "b"], ["c", "d"], ["e"]]
    assert table.asked == [{"TableName": "cases", "Limit": 2},
                           {"TableName": "cases", "Limit": 2, "ExclusiveStartKey": {"n": 2}},
                           {"TableName": "cases", "Limit": 2, "ExclusiveStartKey": {"n": 4}}]


def test_a_query_of_one_page_is_asked_once() -> None:
    table = PagedTable(["a"])
    assert [page["Items"] for page in query_pages(table, TableName="cases")] == [["a"]]  # type: ignore[arg-type]
    assert len(table.asked) == 1


def test_a_page_left_unread_is_never_asked_for() -> None:
    """A reader that stops (the overdue list, at its limit) asks for no more pages."""
    table = PagedTable(["a", "b", "c", "d", "e"])
    next(query_pages(table, TableName="cases"))  # type: ignore[arg-type]
    assert len(table.asked) == 1


def test_no_adapter_asks_botocore_for_a_paginator() -> None:
    """Every Query's pages come through query_pages: a paginator costs a function's first answer
    one more scan of botocore's data."""
    package = Path(asb.__file__).parent
    asking = [str(path.relative_to(package)) for path in sorted(package.rglob("*.py"))
              if "get_paginator(" in path.read_text()]
    assert asking == []
