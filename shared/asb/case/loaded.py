"""A case as a store loads it, and a page of a listing: plain data, so a function that only reads
cases (the tracking page) need not import the staff service's module graph to name them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from asb.case.change import CaseFolder


@dataclass(frozen=True)
class CaseRecords:
    folder: CaseFolder
    items: list[dict[str, Any]]


@dataclass(frozen=True)
class Page:
    items: list[dict[str, Any]]
    cursor: str | None
