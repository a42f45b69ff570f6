"""Splitting and joining cases for staff: each case read as staff read it (another team's case
is "not found"), at the version they read, an officer or a manager; then one transaction."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any, Protocol

from asb.case.loaded import CaseRecords
from asb.case.models import Case
from asb.case.references import case_reference
from asb.casework.models import JoinIn, SplitIn
from asb.casework.regrouping import Regrouping, join_cases, split_report, splittable
from asb.kernel.clock import Clock
from asb.kernel.errors import CaseNotFound, VersionRequired, case_changed
from asb.kernel.staff import StaffMember


class CaseReader(Protocol):
    def report_reference(self, reference: str) -> tuple[str, str] | None: ...
    def load_visible(self, reference: str,
                     visible: Callable[[str | None], bool]) -> CaseRecords | None: ...


class RegroupingStore(Protocol):
    def commit(self, regrouping: Regrouping, items: list[dict[str, Any]]) -> None: ...


class RegroupingService:
    def __init__(self, cases: CaseReader, store: RegroupingStore, clock: Clock,
                 next_sequence: Callable[[int], int],
                 new_id: Callable[[], str] = lambda: str(uuid.uuid4())) -> None:
        self._cases = cases
        self._store = store
        self._clock = clock
        self._next_sequence = next_sequence
        self._new_id = new_id

    def split(self, reference: str, body: SplitIn, staff: StaffMember,
              if_match: str | None) -> tuple[Case, Case]:
        """The case as it is now, and the new case the report is on."""
        staff.require("officer", "manager")
        records = self._read(reference, staff, if_match)
        now = self._clock.now()
        # Only a split that passes the rules takes a reference (a gap, never a reuse).
        splittable(records.folder, body.report_id)
        new_reference = case_reference(now.year, self._next_sequence(now.year))
        regrouping = split_report(records.folder, body, staff, now, new_reference, self._new_id)
        self._store.commit(regrouping, records.items)
        return regrouping.changes[0].case, regrouping.changes[1].case

    def join(self, reference: str, body: JoinIn, staff: StaffMember,
             if_match: str | None) -> tuple[Case, Case]:
        """This case, grown, and the case joined into it, closed."""
        staff.require("officer", "manager")
        first = self._read(reference, staff, if_match)
        second = self._read(body.case_reference, staff, str(body.case_version))
        regrouping = join_cases(first.folder, second.folder, body, staff, self._clock.now(),
                                self._new_id)
        self._store.commit(regrouping, second.items)
        return regrouping.changes[1].case, regrouping.changes[0].case

    def _read(self, reference: str, staff: StaffMember, if_match: str | None) -> CaseRecords:
        resolved = self._cases.report_reference(reference)
        records = self._cases.load_visible(resolved[0] if resolved else reference,
                                           staff.may_see)
        if records is None or not staff.may_see(records.folder.case.team):
            raise CaseNotFound(f"There is no case {reference} that you can see")
        if if_match is None:
            raise VersionRequired("Send If-Match with the version of the case you read")
        if if_match.strip('"W/ ') != str(records.folder.case.version):
            raise case_changed(records.folder.case.version)
        return records
