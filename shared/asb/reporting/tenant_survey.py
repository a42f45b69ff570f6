"""TP12 from the annual tenant perception survey (ASB-REFERENCE section 7): the landlord imports
the survey's answer counts for a reporting year as CSV (docs/figures/tenant-perception-survey.md),
and TP12 is the share very or fairly satisfied among those who gave an answer - "not applicable /
don't know" is taken out of the base, as the Tenant Survey Requirements say. A closure survey is
not TP12: it is the landlord's local measure (asb.surveys)."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from asb.kernel.errors import InvalidChange
from asb.kernel.validation import FieldError

ANSWERS = ("very_satisfied", "fairly_satisfied", "neither", "fairly_dissatisfied",
           "very_dissatisfied", "not_applicable_or_dont_know")
COLUMNS = ("reporting_year", "respondents", *ANSWERS)
MAX_CSV_BYTES = 16 * 1024  # a header and a row, with room for comments a spreadsheet adds
NOT_IMPORTED = "not imported"
ENTITY = "TenantPerceptionSurvey"  # its items, and its ByReportingYear partition
_YEAR = re.compile(r"^([0-9]{4})(?:/([0-9]{2}))?$")
# ASCII digits only (str.isdigit takes '²', which int() refuses) and short enough for any
# landlord's survey - int() refuses a number of over 4,300 digits.
MAX_COUNT_DIGITS = 7
_COUNT = re.compile(rf"[0-9]{{1,{MAX_COUNT_DIGITS}}}")


@dataclass(frozen=True)
class TenantPerceptionSurvey:
    """The answer counts to the ASB question of one year's survey."""

    reporting_year: int
    respondents: int
    very_satisfied: int
    fairly_satisfied: int
    neither: int
    fairly_dissatisfied: int
    very_dissatisfied: int
    not_applicable_or_dont_know: int

    @property
    def satisfied(self) -> int:
        return self.very_satisfied + self.fairly_satisfied

    @property
    def base(self) -> int:
        """The respondents TP12 is a share of: those who gave an answer."""
        return self.respondents - self.not_applicable_or_dont_know

    @property
    def tp12_percent(self) -> float | None:
        """Per cent to one decimal place, as published; None when nobody gave an answer."""
        return round(100 * self.satisfied / self.base, 1) if self.base else None

    def counts(self) -> dict[str, int]:
        return {name: getattr(self, name) for name in ("respondents", *ANSWERS)}

    @classmethod
    def from_record(cls, record: dict[str, Any]) -> TenantPerceptionSurvey:
        return cls(int(record["reporting_year"]),
                   **{name: int(record[name]) for name in ("respondents", *ANSWERS)})


def parse_survey_csv(text: str, year: int) -> TenantPerceptionSurvey:
    """One header line naming every column of COLUMNS (in any order) and one row for `year`;
    each problem is named by its row and column, and nothing is kept unless all is well."""
    rows = [row for row in csv.reader(io.StringIO(text.removeprefix("\ufeff")))
            if any(cell.strip() for cell in row)]
    if not rows:
        raise _invalid("body", "The file is empty: send a header line and one row")
    header = [cell.strip().lower() for cell in rows[0]]
    problems = [FieldError(f"row 1, column {name}", "This column is missing")
                for name in COLUMNS if name not in header]
    problems += [FieldError(f"row 1, column {name or '(blank)'}",
                            f"Not a column of the survey file; the columns are {', '.join(COLUMNS)}")
                 for name in header if name not in COLUMNS]
    problems += [FieldError(f"row 1, column {name}", "This column is named twice")
                 for name in sorted({n for n in header if header.count(n) > 1})]
    if problems:
        raise InvalidChange(problems)
    if len(rows) != 2:
        raise _invalid("row 2" if len(rows) < 2 else "row 3",
                       "Send exactly one row of answers, for the year in the address")
    return _survey(dict(zip(header, rows[1], strict=False)), len(header) - len(rows[1]), year)


def _survey(row: dict[str, str], missing_cells: int, year: int) -> TenantPerceptionSurvey:
    if missing_cells:
        raise _invalid("row 2", f"The row has {'fewer' if missing_cells > 0 else 'more'} "
                                "cells than the header")
    problems: list[FieldError] = []
    found = _YEAR.match(row["reporting_year"].strip())
    if not found or (found.group(2) and int(found.group(2)) != (int(found.group(1)) + 1) % 100):
        problems.append(FieldError("row 2, column reporting_year",
                                   "Give the April-March year as 2026/27 (or 2026)"))
    elif int(found.group(1)) != year:
        problems.append(FieldError("row 2, column reporting_year",
                                   f"The row is for {found.group(0)}, the address for "
                                   f"{year}/{str(year + 1)[-2:]}"))
    counts: dict[str, int] = {}
    for name in ("respondents", *ANSWERS):
        value = row[name].strip().replace(",", "")
        if not _COUNT.fullmatch(value):
            problems.append(FieldError(f"row 2, column {name}",
                                       "Give a whole number of respondents, 0 to 9,999,999"))
        else:
            counts[name] = int(value)
    if problems:
        raise InvalidChange(problems)
    if sum(counts[a] for a in ANSWERS) != counts["respondents"]:
        raise _invalid("row 2, column respondents", (
            f"The answers add up to {sum(counts[a] for a in ANSWERS)}, not "
            f"{counts['respondents']}: every respondent gives one answer"))
    if counts["respondents"] == counts["not_applicable_or_dont_know"]:
        raise _invalid("row 2, column not_applicable_or_dont_know",
                       "Nobody gave an answer: TP12 has no respondents to count")
    return TenantPerceptionSurvey(year, **counts)


def _invalid(where: str, message: str) -> InvalidChange:
    return InvalidChange([FieldError(where, message)])


def survey_record(survey: TenantPerceptionSurvey, by: str, now: datetime,
                  version: int) -> dict[str, Any]:
    """What is kept for the year: the counts, who imported them and when."""
    return {"reporting_year": survey.reporting_year, **survey.counts(),
            "imported_by": by, "imported_at": now.isoformat(), "version": version}


def tp12_figures(record: dict[str, Any] | None) -> dict[str, Any]:
    """TP12 for the year's figures: from the imported survey, or "not imported"."""
    if record is None:
        return {"tp12_percent": NOT_IMPORTED, "tp12_survey": None}
    survey = TenantPerceptionSurvey.from_record(record)
    return {"tp12_percent": survey.tp12_percent, "tp12_survey": {
        **survey.counts(), "satisfied": survey.satisfied, "base": survey.base,
        "imported_by": record["imported_by"], "imported_at": record["imported_at"],
        "version": int(record["version"])}}
