"""A manager imports the year's tenant perception survey (TP12's source): the CSV is checked
whole before anything is kept, the year's one record is replaced only at the version the
manager read, and each import leaves an audit entry with who imported it and when."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import datetime
from typing import Any, Protocol

from asb.case.models import AuditEntry
from asb.case.targets import local_day
from asb.kernel.clock import Clock
from asb.kernel.errors import InvalidChange, VersionConflict, VersionRequired
from asb.kernel.staff import StaffMember
from asb.kernel.validation import FieldError
from asb.policy.reporting_year import year_of
from asb.reporting.tenant_survey import parse_survey_csv, survey_record, tp12_figures

READ_AGAIN = "Read the year's figures again."


class TenantSurveyStore(Protocol):
    def tenant_survey(self, year: int) -> dict[str, Any] | None: ...
    def save_tenant_survey(self, record: dict[str, Any], expected_version: int | None,
                           audit: AuditEntry) -> None: ...


class TenantSurveyImports:
    def __init__(self, store: TenantSurveyStore, clock: Clock,
                 new_id: Callable[[], str] = lambda: str(uuid.uuid4())) -> None:
        self._store = store
        self._clock = clock
        self._new_id = new_id

    def import_csv(self, staff: StaffMember, year: int, text: str,
                   if_match: str | None) -> dict[str, Any]:
        """The first import of a year needs no If-Match; a later one replaces it at the version
        read (428 without it, 412 when another import came first)."""
        staff.require("manager")
        now = self._clock.now()
        if year > year_of(local_day(now)):
            raise InvalidChange([FieldError("year", "That reporting year has not begun")])
        survey = parse_survey_csv(text, year)
        current = self._store.tenant_survey(year)
        expected = None if current is None else _expected(current, if_match)
        record = survey_record(survey, staff.username, now, (expected or 0) + 1)
        self._store.save_tenant_survey(record, expected, self._audit(
            year, staff, now, current, record, survey.tp12_percent))
        return {"year": f"{year}/{str(year + 1)[-2:]}", **tp12_figures(record)}

    def _audit(self, year: int, staff: StaffMember, now: datetime,
               current: dict[str, Any] | None, record: dict[str, Any],
               tp12: float | None) -> AuditEntry:
        before = None if current is None else {
            "version": int(current["version"]), "tp12_percent": tp12_figures(current)[
                "tp12_percent"], "imported_by": current["imported_by"]}
        return AuditEntry(entry_id=self._new_id(), case_reference=f"FIGURES-{year}", at=now,
                          actor=f"staff:{staff.username}", action="TenantPerceptionSurveyImported",
                          before=before, after={"version": record["version"],
                                                "respondents": record["respondents"],
                                                "tp12_percent": tp12})


def _expected(current: dict[str, Any], if_match: str | None) -> int:
    if if_match is None:
        raise VersionRequired("This year's survey is already imported: send If-Match with its "
                              "version to replace it")
    version = int(current["version"])
    if if_match.strip('"W/ ') != str(version):
        raise VersionConflict(f"The year's survey is now at version {version}. {READ_AGAIN}")
    return version
