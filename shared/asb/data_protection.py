"""The data protection officer's service: subject access (search by index, export logged),
who has read a person's data or what an officer has read, and corrections and erasures through
the case service (version-checked, audited)."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import timedelta
from typing import Any, Protocol

from asb.case_service import CaseRecords, CaseService, CaseStore
from asb.casework import InvalidChange
from asb.clock import Clock
from asb.data_rights import ErasureIn, RectificationIn, erase, rectify
from asb.models.case import AuditEntry, Case
from asb.people import search_keys
from asb.staff import StaffMember
from asb.subject_access import Holding, export, section
from asb.validation import FieldError

READ_FIELDS = ("at", "actor", "action", "case_reference", "after")


class DataProtectionStore(Protocol):
    def holdings(self, person_keys: list[str]) -> list[Holding]: ...
    def reads_by(self, actor: str, since: str) -> list[dict[str, Any]]: ...
    def reads_of_case(self, reference: str) -> list[dict[str, Any]]: ...


def _keys(search: dict[str, str | None]) -> list[str]:
    found = search_keys(search.get("email"), search.get("phone"), search.get("name"),
                        search.get("address"))
    if not found:
        raise InvalidChange([FieldError("email", "Give an email, a phone number, or a name "
                                                 "and an address")])
    return found


class DataProtection:
    def __init__(self, store: DataProtectionStore, cases: CaseStore, service: CaseService,
                 clock: Clock, new_id: Callable[[], str] = lambda: str(uuid.uuid4())) -> None:
        self._store, self._cases, self._service = store, cases, service
        self._clock, self._new_id = clock, new_id

    def subject_access(self, staff: StaffMember, search: dict[str, str | None],
                       route: str) -> dict[str, Any]:
        staff.require("dpo")
        now = self._clock.now()
        sections = []
        loaded: dict[str, CaseRecords | None] = {}
        for holding in self._store.holdings(_keys(search)):
            reference = holding.case_reference
            if reference not in loaded:  # one person, several reports on one case: one read
                loaded[reference] = self._cases.load(reference)
            records = loaded[reference]
            found = section(holding, records.folder, records.items) if records else None
            if found is None:
                continue
            sections.append(found)
            self._cases.record_view(AuditEntry(
                entry_id=self._new_id(), case_reference=holding.case_reference, at=now,
                actor=f"staff:{staff.username}", action="SubjectAccessExported",
                after={"route": route, "report_id": holding.report_id, "role": holding.role}))
        return export({k: "" for k, v in search.items() if v}, sections, now)

    def reads_by_officer(self, staff: StaffMember, officer: str, days: int) -> list[dict[str, Any]]:
        staff.require("dpo")
        since = (self._clock.now() - timedelta(days=days)).isoformat()
        reads = self._store.reads_by(f"staff:{officer}", since)
        return [{k: r.get(k) for k in READ_FIELDS} for r in sorted(reads, key=lambda r: r["at"])]

    def reads_about_person(self, staff: StaffMember,
                           search: dict[str, str | None]) -> list[dict[str, Any]]:
        staff.require("dpo")
        references = sorted({h.case_reference for h in self._store.holdings(_keys(search))})
        reads = [r for ref in references for r in self._store.reads_of_case(ref)]
        return [{k: r.get(k) for k in READ_FIELDS} for r in sorted(reads, key=lambda r: r["at"])]

    def rectify(self, staff: StaffMember, reference: str, if_match: str | None,
                body: RectificationIn) -> Case:
        now = self._clock.now()
        return self._service.change(reference, staff, if_match, lambda folder: rectify(
            folder, body, staff, now, self._new_id), roles=("dpo",))

    def erase(self, staff: StaffMember, reference: str, if_match: str | None,
              body: ErasureIn) -> Case:
        now = self._clock.now()
        return self._service.change(reference, staff, if_match, lambda folder: erase(
            folder, body, staff, now, self._new_id), roles=("dpo",))
