"""The staff API's reads of a person's page and a home's page: who may see which case (the same
rule as a case read: an officer their team's, a manager every team's; others counted only), and
every read of personal data audited like a case read (AccessByActor shows them)."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Protocol

from asb.case.change import CaseFolder
from asb.case.home_cases import HomeRole
from asb.case.homes import HomesRegister
from asb.case.models import AuditEntry
from asb.case.parties import Person
from asb.kernel.clock import Clock
from asb.kernel.errors import UnknownRecord
from asb.kernel.staff import StaffMember
from asb.people.page_models import HomePage, PersonPage
from asb.people.pages import home_page, merged_page, person_page

NO_SUCH_PERSON = "There is no person with this id in a case you can see"
NO_SUCH_HOME = "There is no home with this UPRN in the landlord's register"

# A case's folder if the reader may see its team (`visible(team)`), else None: the case
# store's load_visible, which reads nothing more of a case the reader may not see.
LoadVisible = Callable[[str, Callable[[str | None], bool]], CaseFolder | None]


class PeoplePagesStore(Protocol):
    def person(self, person_id: str) -> Person | None: ...

    def cases_of(self, person_id: str) -> list[str]:
        """The references of every case the person is a party of."""
        ...

    def cases_at(self, uprn: str) -> dict[str, list[HomeRole]]:
        """The cases at the home (asb.case.home_cases), by reference, with its roles in each."""
        ...

    def record_reads(self, entries: list[AuditEntry], home_uprn: str | None = None) -> None:
        """Each entry in its case's partition, or (home_uprn) in the home's reads partition."""
        ...


class PeoplePages:
    def __init__(self, store: PeoplePagesStore, load_visible: LoadVisible,
                 register: Callable[[], HomesRegister], clock: Clock,
                 new_id: Callable[[], str] = lambda: str(uuid.uuid4())) -> None:
        self._store = store
        self._load_visible = load_visible
        self._register = register  # made at the first home read: the person page needs none
        self._clock = clock
        self._new_id = new_id

    def _visible(self, references: list[str],
                 staff: StaffMember) -> tuple[list[CaseFolder], int]:
        folders = [self._load_visible(r, staff.may_see) for r in references]
        shown = [f for f in folders if f is not None]
        return shown, len(folders) - len(shown)

    def _audit(self, action: str, reference: str, staff: StaffMember,
               after: dict[str, object]) -> AuditEntry:
        return AuditEntry(entry_id=self._new_id(), case_reference=reference,
                          at=self._clock.now(), actor=f"staff:{staff.username}", action=action,
                          after=after)

    def person(self, person_id: str, staff: StaffMember, route: str) -> PersonPage:
        """Their page; a record merged into another: a pointer to the survivor, nothing more.
        A person in none of the reader's cases is not found (their details are another
        team's)."""
        person = self._store.person(person_id)
        if person is None:
            raise UnknownRecord(NO_SUCH_PERSON)
        if person.merged_into:
            return merged_page(person)
        folders, hidden = self._visible(self._store.cases_of(person_id), staff)
        if not folders:
            raise UnknownRecord(NO_SUCH_PERSON)
        self._store.record_reads([
            self._audit("PersonViewed", f.case.reference, staff,
                        {"route": route, "person_id": person_id}) for f in folders])
        return person_page(person, folders, hidden, self._seen(folders, staff))

    def _seen(self, folders: list[CaseFolder], staff: StaffMember) -> set[str]:
        """Of the cases the person's repeat-victim flags name, those the reader may see."""
        named = {b.reference for f in folders for b in f.case.reported_before}
        if staff.sees_every_team:
            return named
        known = {f.case.reference for f in folders}
        return {r for r in named
                if r in known or self._load_visible(r, staff.may_see) is not None}

    def home(self, uprn: str, staff: StaffMember, route: str) -> HomePage:
        """The home, its tenancies and tenants, and every case at it (the place a report
        names, the alleged perpetrator's home, a party's tenancy): its lookups, one Query."""
        register = self._register()
        home = register.home(uprn)
        if home is None:
            raise UnknownRecord(NO_SUCH_HOME)
        tenancies = register.tenancies_of(uprn)
        roles = self._store.cases_at(uprn)
        folders, hidden = self._visible(sorted(roles), staff)
        self._store.record_reads(
            [self._audit("HomeViewed", uprn, staff, {"route": route, "uprn": uprn,
                                                     "cases": [f.case.reference
                                                               for f in folders]})],
            home_uprn=uprn)
        self._store.record_reads([
            self._audit("HomeViewed", f.case.reference, staff, {"route": route, "uprn": uprn})
            for f in folders])
        return home_page(home, tenancies, folders, hidden, self._clock.now(), roles)
