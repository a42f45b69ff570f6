"""The data protection officer's corrections and erasures (UK GDPR Articles 16 and 17), as plain
functions returning one CaseChange: audited, and never against a legal hold or an open case's
need for its data."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, StringConstraints, ValidationError

from asb.case.change import (
    CaseChange,
    CaseFolder,
    MatchKeyWrite,
    NewId,
    PartyWrite,
    PersonErasure,
    PersonWrite,
    audit_entry,
    bump,
)
from asb.case.models import CaseStatus, Report
from asb.case.parties import Party, Person, Role, contact_match_keys, tenancy_match_key
from asb.case.people import people_of
from asb.case.retention import ERASED, anonymised_submission
from asb.case.submission import STORED, ReportSubmission
from asb.case.witnesses import words_erased
from asb.kernel.errors import InvalidChange, RuleBroken, UnknownRecord
from asb.kernel.staff import StaffMember
from asb.kernel.validation import FieldError, field_errors

_IN = ConfigDict(extra="forbid", str_strip_whitespace=True, frozen=True, defer_build=True)
Reason = Annotated[str, StringConstraints(min_length=10, max_length=2000)]
ReportId = Annotated[str, StringConstraints(pattern=r"^[0-9a-f-]{36}$")]
_FIELDS = {"reporter": ("name", "email", "phone", "address"),
           "perpetrator": ("name", "address", "description")}
# The party a report brought, for the person it names there.
PARTY_ROLE = {"reporter": Role.COMPLAINANT, "perpetrator": Role.ALLEGED_PERPETRATOR}


class RectificationIn(BaseModel):
    model_config = _IN
    report_id: ReportId
    person: Literal["reporter", "perpetrator"]
    field: Literal["name", "email", "phone", "address", "description"]
    value: Annotated[str, StringConstraints(max_length=2000)] | None = None
    reason: Reason


class ErasureIn(BaseModel):
    model_config = _IN
    report_id: ReportId
    reason: Reason


def _report(folder: CaseFolder, report_id: str) -> Report:
    if folder.case.anonymised_at:
        raise RuleBroken("The case was anonymised: no personal data is left on it")
    found = next((r for r in folder.reports if r.report_id == report_id), None)
    if found is None:
        raise UnknownRecord(f"No report {report_id} on this case")
    return found


def _lookups(before: ReportSubmission, after: ReportSubmission,
             report_id: str) -> tuple[list[tuple[str, str, str]], list[tuple[str, str, str]]]:
    old, new = set(people_of(before)), set(people_of(after))
    return ([(p.key, report_id, p.role) for p in old - new],
            [(p.key, report_id, p.role) for p in new - old])


def party_of_report(folder: CaseFolder, report_id: str, person: str) -> Party | None:
    """The party the report brought for its reporter or its alleged perpetrator, if any."""
    return next((p for p in folder.parties.values() if p.report_id == report_id
                 and PARTY_ROLE[person] in p.roles and p.person_id), None)


def _person_rectified(person: Person | None, body: RectificationIn,
                      ) -> tuple[list[PersonWrite], list[MatchKeyWrite]]:
    """The same correction on the person's own record (one identity across their cases), on
    condition that it is as read; their email or phone moves from one match key to another."""
    if person is None or body.field not in Person.model_fields:
        return [], []
    corrected = person.model_copy(update={body.field: body.value or None,
                                          "version": person.version + 1})
    before, after = contact_match_keys(person), contact_match_keys(corrected)
    moved = [MatchKeyWrite(key, removed=(person.person_id,)) for key in before.values()
             if key not in after.values()]
    moved += [MatchKeyWrite(key, added=(person.person_id,)) for key in after.values()
              if key not in before.values()]
    return [PersonWrite(corrected, person.version)], moved


def rectify(folder: CaseFolder, body: RectificationIn, by: StaffMember, now: datetime,
            new_id: NewId = lambda: str(uuid.uuid4()),
            person: Person | None = None) -> CaseChange:
    """`person`: the record of the party the report brought for that person (if there is
    one), corrected with the report."""
    by.require("dpo")
    report = _report(folder, body.report_id)
    if body.field not in _FIELDS[body.person]:
        raise InvalidChange([FieldError("field", f"For the {body.person}, correct one of "
                                                 f"{', '.join(_FIELDS[body.person])}")])
    data = report.submission.model_dump(mode="json")
    if data.get(body.person) is None:
        raise InvalidChange([FieldError("person", f"This report has no {body.person}")])
    data[body.person][body.field] = body.value
    try:
        corrected = ReportSubmission.model_validate(data, context={"now": report.received_at,
                                                                   **STORED})
    except ValidationError as error:
        raise InvalidChange([FieldError("value", e.message) for e in field_errors(error)]) \
            from None
    removed, added = _lookups(report.submission, corrected, report.report_id)
    persons, match_keys = _person_rectified(person, body)
    case = folder.case
    return CaseChange(
        bump(case, now), case.version,
        audit_entry(case, by, "PersonalDataRectified", now, new_id,
                    after={"report_id": report.report_id, "person": body.person,
                           "field": body.field, "reason": body.reason,
                           "person_id": person.person_id if persons and person else None}),
        reports=[report.model_copy(update={"submission": corrected})],
        people_removed=removed, people_added=added, persons=persons, match_keys=match_keys)


def erase(folder: CaseFolder, body: ErasureIn, by: StaffMember, now: datetime,
          new_id: NewId = lambda: str(uuid.uuid4())) -> CaseChange:
    """Erases what one report holds about people, keeping the facts the figures count."""
    by.require("dpo")
    case = folder.case
    if case.legal_hold:
        raise RuleBroken("A legal hold keeps this case's data: release the hold first")
    if case.status != CaseStatus.CLOSED:
        raise RuleBroken("The case is open and its data is needed to handle it (UK GDPR "
                         "Article 17(3)): correct what is wrong, or erase it once closed")
    report = _report(folder, body.report_id)
    erased = ReportSubmission.model_validate(
        anonymised_submission(report.submission.model_dump(mode="json")), context=STORED)
    removed, _ = _lookups(report.submission, erased, report.report_id)
    parties = [p for p in folder.parties.values() if p.report_id == report.report_id
               and p.person_id]
    return CaseChange(
        bump(case, now), case.version,
        audit_entry(case, by, "PersonalDataErased", now, new_id,
                    after={"report_id": report.report_id, "reason": body.reason,
                           "parties": [p.party_id for p in parties]}),
        reports=[report.model_copy(update={"submission": erased, "reporter_key": None})],
        people_removed=removed,
        parties=[PartyWrite(erased_party(p), p.version, moved_from=p.person_id)
                 for p in parties],
        records=words_erased(folder, {p.party_id for p in parties}))


def erase_persons_in_no_case(change: CaseChange,
                             persons: list[tuple[Person, set[str]]]) -> CaseChange:
    """An erasure with the records of the persons it leaves a party of no case (each with the
    tenancies their erased parties were tied to): in its one transaction each record is deleted
    at the version read and no match key of theirs names them any more, so a failure leaves
    the erasure undone whole and the officer's retry finds it all again. The audit entry names
    the records erased by id, nothing of what they held."""
    if not persons:
        return change
    match_keys = [MatchKeyWrite(key, removed=(person.person_id,)) for person, tenancies in persons
                  for key in sorted({*contact_match_keys(person).values(),
                                     *(tenancy_match_key(t) for t in tenancies)})]
    audit = change.audit.model_copy(update={"after": {
        **(change.audit.after or {}),
        "person_records_erased": sorted(person.person_id for person, _ in persons)}})
    return replace(change, audit=audit, match_keys=[*change.match_keys, *match_keys],
                   persons_erased=[*change.persons_erased,
                                   *(PersonErasure(p.person_id, p.version) for p, _ in persons)])


def erased_party(party: Party) -> Party:
    """The party a report brought, once that report is erased: its roles stay (the case had a
    complainant), its person, tenancy, matches and an unlinking's reason go, and with its
    person gone the writer deletes their lookup of it (moved_from)."""
    unlinked = party.unlinked.model_copy(update={"reason": ERASED}) if party.unlinked else None
    return party.model_copy(update={"person_id": None, "tenancy": None, "proposed_matches": (),
                                    "unlinked": unlinked, "version": party.version + 1})

