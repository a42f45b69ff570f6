"""The data protection officer's service: subject access (search by index, export logged), the
subject access requests from receipt to release (due dates, extension, the review of free text),
who has read a person's data or what an officer has read, and corrections and erasures through
the case service (version-checked, audited)."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any, Protocol

from asb.case.loaded import CaseRecords
from asb.case.models import AuditEntry, Case
from asb.case.people import search_keys
from asb.casework.service import CaseService, CaseStore
from asb.data_protection.requests import (
    REQUEST_CHANGED,
    ExtensionIn,
    RequestStep,
    ReviewIn,
    SubjectAccessRequest,
    SubjectAccessRequestIn,
    check_releasable,
    extend,
    receive,
    release,
    released_export,
    review,
    view,
)
from asb.data_protection.rights import ErasureIn, RectificationIn, erase, rectify
from asb.data_protection.subject_access import Holding, export, section
from asb.kernel.clock import Clock
from asb.kernel.errors import InvalidChange, UnknownRecord, VersionConflict, VersionRequired
from asb.kernel.staff import StaffMember
from asb.kernel.validation import FieldError

READ_FIELDS = ("at", "actor", "action", "case_reference", "after")


class DataProtectionStore(Protocol):
    def holdings(self, person_keys: list[str]) -> list[Holding]: ...
    def reads_by(self, actor: str, since: str) -> list[dict[str, Any]]: ...
    def reads_of_case(self, reference: str) -> list[dict[str, Any]]: ...
    def subject_access_request(self, reference: str) -> SubjectAccessRequest | None: ...
    def open_subject_access_requests(self) -> list[SubjectAccessRequest]: ...
    def write_request(self, step: RequestStep) -> None: ...


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
        """The DPO's own search: what is held, for reading (a request's release is below)."""
        staff.require("dpo")
        now = self._clock.now()
        sections = self._sections(staff, _keys(search), route, now)
        return export({k: "" for k, v in search.items() if v}, sections, now)

    def _sections(self, staff: StaffMember, person_keys: list[str], route: str,
                  now: datetime) -> list[dict[str, Any]]:
        """What each case holds about the person; each read an audit entry on its case."""
        sections = []
        loaded: dict[str, CaseRecords | None] = {}
        for holding in self._store.holdings(person_keys):
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
        return sections

    # ------------------------------------------------------------------ subject access requests
    def receive_request(self, staff: StaffMember, body: SubjectAccessRequestIn) -> dict[str, Any]:
        now = self._clock.now()
        step = receive(body, staff, now, self._new_id)
        self._store.write_request(step)
        return view(step.request, now)

    def open_requests(self, staff: StaffMember) -> list[dict[str, Any]]:
        """The DPO's list: every request not yet released, due soonest first."""
        staff.require("dpo")
        now = self._clock.now()
        return [view(r, now) for r in sorted(self._store.open_subject_access_requests(),
                                             key=lambda r: (r.due_on, r.received_on))]

    def _request(self, staff: StaffMember, reference: str,
                 if_match: str | None = None, changing: bool = False) -> SubjectAccessRequest:
        staff.require("dpo")
        request = self._store.subject_access_request(reference)
        if request is None:
            raise UnknownRecord(f"There is no subject access request {reference}")
        if changing and if_match is None:
            raise VersionRequired("Send If-Match with the version of the request you read")
        if changing and _version(if_match) != request.version:
            raise VersionConflict(REQUEST_CHANGED, request.version)
        return request

    def request_for_review(self, staff: StaffMember, reference: str) -> dict[str, Any]:
        """The request and, for the DPO's review, what each case holds about the person now:
        the free text as minimisation left it (each read audited on its case)."""
        request = self._request(staff, reference)
        now = self._clock.now()
        found = ([] if request.release else self._sections(
            staff, request.person_keys, f"GET /subject-access-requests/{reference}", now))
        return {**view(request, now), "cases": found}

    def extend_request(self, staff: StaffMember, reference: str, if_match: str | None,
                       body: ExtensionIn) -> dict[str, Any]:
        request = self._request(staff, reference, if_match, changing=True)
        now = self._clock.now()
        step = extend(request, body, staff, now, self._new_id)
        self._store.write_request(step)
        return view(step.request, now)

    def review_request(self, staff: StaffMember, reference: str, if_match: str | None,
                       body: ReviewIn) -> dict[str, Any]:
        request = self._request(staff, reference, if_match, changing=True)
        now = self._clock.now()
        found = sorted({h.case_reference for h in self._store.holdings(request.person_keys)})
        step = review(request, found, body, staff, now, self._new_id)
        self._store.write_request(step)
        return view(step.request, now)

    def release_request(self, staff: StaffMember, reference: str,
                        if_match: str | None) -> tuple[dict[str, Any], dict[str, Any]]:
        """The request as released, and the export that goes to the person."""
        request = self._request(staff, reference, if_match, changing=True)
        check_releasable(request)  # before reading anyone's cases
        now = self._clock.now()
        sections = self._sections(staff, request.person_keys,
                                  f"POST /subject-access-requests/{reference}/release", now)
        step = release(request, [s["case_reference"] for s in sections], staff, now,
                       self._new_id)
        self._store.write_request(step)
        document = export({k: "" for k in request.searched_by}, sections, now)
        return view(step.request, now), released_export(step.request, document)

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


def _version(if_match: str | None) -> int:
    """The version an If-Match names; one that names none matches no version."""
    try:
        return int(str(if_match).strip('"W/ '))
    except ValueError:
        return -1
