"""The regulator's Tenant Satisfaction Measures this service can count (ASB-REFERENCE section 7):
NM01(1) ASB cases opened per 1,000 homes, NM01(2) hate-incident cases per 1,000 homes, and the
share of first contacts made on time, by category. A reporting year runs April to March."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any


def reporting_year(starting: int) -> tuple[date, date]:
    """The year that starts on 1 April `starting` and ends on 31 March the year after."""
    return date(starting, 4, 1), date(starting + 1, 3, 31)


def year_of(day: date) -> int:
    return day.year if day.month >= 4 else day.year - 1


@dataclass(frozen=True)
class RegulatorFigures:
    year: str
    homes: int
    cases_opened: int
    hate_cases: int
    nm01_1: float
    nm01_2: float
    first_contact_on_time: dict[str, dict[str, Any]] = field(default_factory=dict)
    tp12: float | None = None  # from closure surveys, once they are collected

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


def figures(cases: Iterable[dict[str, Any]], homes: int, starting: int) -> RegulatorFigures:
    """Each case counts once, in the year it was opened: a further report about the same matter
    joined its open case (so is not here), and a report after closure opened a new one."""
    first, last = reporting_year(starting)
    opened = [c for c in cases if first <= date.fromisoformat(c["opened_at"][:10]) <= last]
    hate = [c for c in opened if c.get("hate_incident")]
    by_category: dict[str, dict[str, Any]] = {}
    for category in ("A", "B", "C"):
        made = [c for c in opened if c.get("category") == category
                and c.get("first_contact_on_time") is not None]
        on_time = sum(1 for c in made if c["first_contact_on_time"])
        by_category[category] = {"contacts": len(made), "on_time": on_time,
                                 "share": round(on_time / len(made), 3) if made else None}
    return RegulatorFigures(
        year=f"{starting}/{str(starting + 1)[-2:]}", homes=homes, cases_opened=len(opened),
        hate_cases=len(hate), nm01_1=round(len(opened) * 1000 / homes, 2) if homes else 0.0,
        nm01_2=round(len(hate) * 1000 / homes, 2) if homes else 0.0,
        first_contact_on_time=by_category)


def as_csv(result: RegulatorFigures) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["measure", "value", "notes"])
    writer.writerow(["reporting year", result.year, "1 April to 31 March"])
    writer.writerow(["homes owned", result.homes, ""])
    writer.writerow(["ASB cases opened", result.cases_opened, "NM01 counting rule"])
    writer.writerow(["NM01(1) ASB cases per 1,000 homes", result.nm01_1, ""])
    writer.writerow(["hate-incident cases opened", result.hate_cases, ""])
    writer.writerow(["NM01(2) hate-incident cases per 1,000 homes", result.nm01_2, ""])
    for category, row in result.first_contact_on_time.items():
        writer.writerow([f"first contact on time, category {category}",
                         "" if row["share"] is None else row["share"],
                         f"{row['on_time']} of {row['contacts']}"])
    writer.writerow(["TP12 satisfied with ASB handling", "" if result.tp12 is None else result.tp12,
                     "closure surveys not yet collected" if result.tp12 is None else ""])
    return out.getvalue()
