"""The data protection officer's service: subject access (search by index, export logged), the
subject access requests from receipt to release (due dates, extension, the review of free text),
who has read a person's data or what an officer has read, and corrections and erasures through
the case service (version-checked, audited)."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any, Protocol

from asb.case.change import CaseChange, CaseFolder
from asb.case.loaded import CaseRecords
from asb.case.minimisation import contact_identifiers
from asb.case.models import AuditEntry, Case
from asb.case.parties import Person, Role
from asb.case.people import PERPETRATOR, REPORTER, search_keys
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
from asb.data_protection.rights import (
    ErasureIn,
    RectificationIn,
    erase,
    erase_persons_in_no_case,
    party_of_report,
    rectify,
)
from asb.data_protection.subject_access import (
    Holding,
    export,
    party_section,
    person_record,
    section,
    withheld_case,
    withheld_from,
)
from asb.kernel.clock import Clock
from asb.kernel.errors import InvalidChange, UnknownRecord, VersionConflict, VersionRequired
from asb.kernel.staff import StaffMember
from asb.kernel.validation import FieldError
from asb.policy.config import DA_SUBJECT_ACCESS_WITHHELD

READ_FIELDS = ("at", "actor", "action", "case_reference", "after")


class DataProtectionStore(Protocol):
    def holdings(self, person_keys: list[str]) -> list[Holding]: ...
    def reads_by(self, actor: str, since: str) -> list[dict[str, Any]]: ...
    def reads_of_case(self, reference: str, since: str) -> list[dict[str, Any]]: ...
    def subject_access_request(self, reference: str) -> SubjectAccessRequest | None: ...
    def open_subject_access_requests(self) -> list[SubjectAccessRequest]: ...
    def write_request(self, step: RequestStep) -> None: ...
    def persons_under(self, person_keys: list[str]) -> list[str]: ...
    def person(self, person_id: str) -> Person | None: ...
    def parties_of(self, person_id: str) -> list[tuple[str, str]]: ...


# A report's person lookup role -> the role of the party that report brought.
_PARTY_ROLE = {REPORTER: Role.COMPLAINANT, PERPETRATOR: Role.ALLEGED_PERPETRATOR}


def _identifiers(person: Person) -> list[str]:
    return contact_identifiers(person.name, person.address, person.email, person.phone)


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
        withheld: set[str] = set()
        sections, persons, parties = self._found(staff, _keys(search), route, now, withheld)
        document = export({k: "" for k, v in search.items() if v}, sections, now, persons,
                          parties)
        return {**document, "withheld": [withheld_case(r) for r in sorted(withheld)]}

    def _found(self, staff: StaffMember, person_keys: list[str], route: str, now: datetime,
               withheld: set[str],
               ) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[dict[str, Any]]]:
        """The cases' sections, the person's own records and their places in cases; the cases
        withheld from them (asb.data_protection.subject_access.withheld_from) are added to
        `withheld` and are in neither, whichever way they were found."""
        loaded: dict[str, CaseRecords | None] = {}
        holdings = self._store.holdings(person_keys)
        sections = self._sections(staff, person_keys, route, now, loaded, holdings, withheld)
        persons, parties = self._parties(staff, person_keys, holdings, route, now, loaded,
                                         withheld)
        return ([s for s in sections if s["case_reference"] not in withheld], persons,
                [p for p in parties if p["case_reference"] not in withheld])

    def _withhold(self, staff: StaffMember, reference: str, route: str, now: datetime,
                  withheld: set[str]) -> None:
        """Once a case: the read, and why nothing of it goes into the export, on its audit."""
        if reference in withheld:
            return
        withheld.add(reference)
        self._cases.record_view(AuditEntry(
            entry_id=self._new_id(), case_reference=reference, at=now,
            actor=f"staff:{staff.username}", action="SubjectAccessWithheld",
            after={"route": route, "why": DA_SUBJECT_ACCESS_WITHHELD}))

    def _sections(self, staff: StaffMember, person_keys: list[str], route: str,
                  now: datetime, loaded: dict[str, CaseRecords | None] | None = None,
                  holdings: list[Holding] | None = None,
                  withheld: set[str] | None = None) -> list[dict[str, Any]]:
        """What each case holds about the person; each read an audit entry on its case."""
        sections = []
        loaded = {} if loaded is None else loaded
        withheld = set() if withheld is None else withheld
        for holding in self._store.holdings(person_keys) if holdings is None else holdings:
            reference = holding.case_reference
            if reference not in loaded:  # one person, several reports on one case: one read
                loaded[reference] = self._cases.load(reference)
            records = loaded[reference]
            if records and withheld_from(records.folder, role=holding.role):
                self._withhold(staff, reference, route, now, withheld)
                continue
            found = section(holding, records.folder, records.items,
                            self._party_identifiers(records.folder)) if records else None
            if found is None or reference in withheld:
                continue
            sections.append(found)
            self._cases.record_view(AuditEntry(
                entry_id=self._new_id(), case_reference=holding.case_reference, at=now,
                actor=f"staff:{staff.username}", action="SubjectAccessExported",
                after={"route": route, "report_id": holding.report_id, "role": holding.role}))
        return sections

    def _parties(self, staff: StaffMember, person_keys: list[str], holdings: list[Holding],
                 route: str, now: datetime, loaded: dict[str, CaseRecords | None],
                 withheld: set[str]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        """The person's own records (found under their email's or phone's match keys, or as
        the party a report of theirs brought) and every case they are a party of, whatever their
        role: each party read an audit entry on its case."""
        person_ids = set(self._store.persons_under(person_keys))
        for holding in holdings:  # the parties their reports brought, on cases read already
            records = loaded.get(holding.case_reference)
            person_ids.update(p.person_id for p in (records.folder.parties.values() if records
                                                    else ()) if p.person_id
                              and p.report_id == holding.report_id
                              and _PARTY_ROLE.get(holding.role) in p.roles)
        persons = [p for p in map(self._store.person, sorted(person_ids)) if p]
        survivors = {p.merged_into for p in persons if p.merged_into} - person_ids
        persons += [p for p in map(self._store.person, sorted(survivors)) if p]
        parties = []
        audited = set(loaded)  # a case read for a report of theirs is audited once, above
        for person in persons:
            for reference, party_id in self._store.parties_of(person.person_id):
                if reference not in loaded:
                    loaded[reference] = self._cases.load(reference)
                records = loaded[reference]
                party = records.folder.parties.get(party_id) if records else None
                if records is None or party is None:
                    continue
                if withheld_from(records.folder, party=party):
                    self._withhold(staff, reference, route, now, withheld)
                    continue
                parties.append(party_section(party, records.folder, _identifiers(person),
                                             self._party_identifiers(records.folder, party_id)))
                if reference in audited:
                    continue
                audited.add(reference)
                self._cases.record_view(AuditEntry(
                    entry_id=self._new_id(), case_reference=reference, at=now,
                    actor=f"staff:{staff.username}", action="SubjectAccessExported",
                    after={"route": route, "party_id": party_id,
                           "roles": [r.value for r in party.roles]}))
        return [person_record(p) for p in persons], parties

    def _party_identifiers(self, folder: CaseFolder, but: str | None = None) -> list[str]:
        """The people an officer added to the case (witnesses, professionals: no report names
        them), but for the party `but`, as identifiers to take out of what the person gets."""
        added = [p.person_id for p in folder.parties.values()
                 if p.report_id is None and p.person_id and p.party_id != but]
        persons = [p for p in map(self._store.person, sorted(set(added))) if p]
        return [i for p in persons for i in _identifiers(p)]

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
        withheld: set[str] = set()
        found = ([] if request.release else self._sections(
            staff, request.person_keys, f"GET /subject-access-requests/{reference}", now,
            withheld=withheld))
        return {**view(request, now), "cases": found,
                "withheld": [withheld_case(r) for r in sorted(withheld)]}

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
        withheld: set[str] = set()
        sections, persons, parties = self._found(
            staff, request.person_keys, f"POST /subject-access-requests/{reference}/release", now,
            withheld)
        step = release(request, [s["case_reference"] for s in sections], staff, now,
                       self._new_id, sorted(withheld))
        self._store.write_request(step)
        document = export({k: "" for k in request.searched_by}, sections, now, persons, parties)
        return view(step.request, now), released_export(step.request, document)

    def reads_by_officer(self, staff: StaffMember, officer: str, days: int) -> list[dict[str, Any]]:
        staff.require("dpo")
        since = (self._clock.now() - timedelta(days=days)).isoformat()
        reads = self._store.reads_by(f"staff:{officer}", since)
        return [{k: r.get(k) for k in READ_FIELDS} for r in sorted(reads, key=lambda r: r["at"])]

    def reads_about_person(self, staff: StaffMember, search: dict[str, str | None],
                           days: int) -> list[dict[str, Any]]:
        staff.require("dpo")
        since = (self._clock.now() - timedelta(days=days)).isoformat()
        references = sorted({h.case_reference for h in self._store.holdings(_keys(search))})
        reads = [r for ref in references for r in self._store.reads_of_case(ref, since)]
        return [{k: r.get(k) for k in READ_FIELDS} for r in sorted(reads, key=lambda r: r["at"])]

    def rectify(self, staff: StaffMember, reference: str, if_match: str | None,
                body: RectificationIn) -> Case:
        now = self._clock.now()

        def rectified(folder: CaseFolder) -> CaseChange:
            party = party_of_report(folder, body.report_id, body.person)
            person = self._store.person(party.person_id) if party and party.person_id else None
            return rectify(folder, body, staff, now, self._new_id, person)

        return self._service.change(reference, staff, if_match, rectified, roles=("dpo",))

    def erase(self, staff: StaffMember, reference: str, if_match: str | None,
              body: ErasureIn) -> Case:
        now = self._clock.now()

        def erased(folder: CaseFolder) -> CaseChange:
            change = erase(folder, body, staff, now, self._new_id)
            return erase_persons_in_no_case(change, self._in_no_case_after(folder, change))

        return self._service.change(reference, staff, if_match, erased, roles=("dpo",))

    def _in_no_case_after(self, folder: CaseFolder,
                          change: CaseChange) -> list[tuple[Person, set[str]]]:
        """The persons of the parties an erasure erases who are a party of nothing else, each
        with the tenancies those parties were tied to (the match keys that name them)."""
        tenancies: dict[str, set[str]] = {}
        for write in change.parties:
            before = folder.parties[write.party.party_id]
            tenancies.setdefault(str(before.person_id), set()).update(
                [before.tenancy.reference] if before.tenancy else [])
        erased = {(folder.case.reference, write.party.party_id) for write in change.parties}
        found = []
        for person_id, tied in tenancies.items():
            if set(self._store.parties_of(person_id)) <= erased:
                person = self._store.person(person_id)
                if person:
                    found.append((person, tied))
        return found


def _version(if_match: str | None) -> int:
    """The version an If-Match names; one that names none matches no version."""
    try:
        return int(str(if_match).strip('"W/ '))
    except ValueError:
        return -1
