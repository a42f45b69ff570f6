"""The staff API's entry to persons: a person to link to a case, and the merge of two records of
one person across every case the merged record is a party of."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Protocol

from asb.case.change import CaseChange, CaseFolder
from asb.case.models import Case
from asb.case.parties import Person
from asb.kernel.clock import Clock
from asb.kernel.errors import UnknownRecord
from asb.kernel.staff import StaffMember
from asb.people.models import MergerIn
from asb.people.parties import merge_persons


class PeopleStore(Protocol):
    def person(self, person_id: str) -> Person | None: ...
    def cases_of(self, person_id: str) -> list[str]: ...
    def commit(self, changes: list[CaseChange]) -> None: ...


class PeopleService:
    def __init__(self, store: PeopleStore, folder: Callable[[str], CaseFolder | None],
                 clock: Clock, new_id: Callable[[], str] = lambda: str(uuid.uuid4())) -> None:
        self._store = store
        self._folder = folder  # a case's folder, by reference (the case store's load)
        self._clock = clock
        self._new_id = new_id

    def person(self, person_id: str | None) -> Person | None:
        return self._store.person(person_id) if person_id else None

    def linkable(self, person_id: str | None, staff: StaffMember) -> Person | None:
        """The known person `staff` may link to a case: one with a case they may see (a
        manager: anyone), as for the person's page; else None, answered as no such person -
        their details are another team's. A merged record by its survivor's cases."""
        person = self.person(person_id)
        if person is None or staff.sees_every_team:
            return person
        for reference in self._store.cases_of(person.merged_into or person.person_id):
            folder = self._folder(reference)
            if folder is not None and staff.may_see(folder.case.team):
                return person
        return None

    def merge(self, person_id: str, body: MergerIn, staff: StaffMember) -> list[Case]:
        """`body.merged_person_id`'s record merged into `person_id`'s: the cases it changed."""
        staff.require("officer", "manager")
        survivor = self._store.person(person_id)
        merged = self._store.person(body.merged_person_id)
        if survivor is None or merged is None:
            raise UnknownRecord("There is no such person")
        cases = {*self._store.cases_of(merged.person_id), *self._store.cases_of(person_id)}
        folders = [f for f in map(self._folder, sorted(cases)) if f]
        changes = merge_persons(survivor, merged, folders, body, staff, self._clock.now(),
                                self._new_id)
        self._store.commit(changes)
        return [c.case for c in changes]
