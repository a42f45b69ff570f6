"""What an officer does with the people of a case, as plain functions of the case's folder: each
returns one change (CaseChange; a merge one per case it touches, committed together) with an
audit entry on every case it touches and an outbox event. Audit entries and events name parties
and persons by id and roles, never by their details."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import date, datetime
from typing import Any

from asb.case.change import (
    CaseChange,
    CaseFolder,
    MatchKeyWrite,
    NewId,
    PartyWrite,
    PersonWrite,
    Record,
    audit_entry,
    bump,
    domain_event,
)
from asb.case.home_cases import CaseAtHome, HomeRole
from asb.case.homes import HomesRegister, Tenancy
from asb.case.models import Case, CaseStatus
from asb.case.parties import (
    NO_COMPLAINANT_LEFT,
    Party,
    PartyStatus,
    Person,
    TenancyTie,
    Unlinking,
    Vulnerability,
    VulnerabilityScreening,
    contact_match_keys,
    tenancy_match_key,
)
from asb.case.targets import local_day
from asb.case.witnesses import (
    contact_every,
    keeps_schedule,
    next_contact,
    schedule_ended,
    schedule_id,
)
from asb.kernel.errors import InvalidChange, RuleBroken, UnknownRecord
from asb.kernel.staff import NotAllowed, StaffMember
from asb.kernel.validation import FieldError
from asb.people.models import (
    ConfirmationIn,
    MergerIn,
    PartyIn,
    TenancyTieIn,
    UnlinkingIn,
    VulnerabilityScreeningIn,
)
from asb.policy.config import WITNESS_CONTACT_EVERY_WORKING_DAYS


def new_uuid() -> str:
    return str(uuid.uuid4())


def open_case(folder: CaseFolder) -> Case:
    if folder.case.status == CaseStatus.CLOSED:
        raise RuleBroken("The case is closed: reopen it first, with a reason")
    return folder.case


def active_party(folder: CaseFolder, party_id: str) -> Party:
    party = folder.parties.get(party_id)
    if party is None:
        raise UnknownRecord(f"No party {party_id} on this case")
    if not party.active:
        raise RuleBroken("This party was unlinked from the case")
    return party


def _changed(party: Party, **changes: Any) -> Party:
    return party.model_copy(update={**changes, "version": party.version + 1})


def _shown(party: Party) -> dict[str, Any]:
    """A party in an audit entry or event: ids and roles, nothing about the person."""
    return {"party_id": party.party_id, "person_id": party.person_id,
            "roles": [r.value for r in party.roles], "status": party.status.value}


def _change(folder: CaseFolder, by: StaffMember, now: datetime, new_id: NewId, kind: str,
            party: PartyWrite, before: dict[str, Any] | None, after: dict[str, Any],
            **writes: Any) -> CaseChange:
    case = folder.case
    return CaseChange(
        bump(case, now), case.version,
        audit_entry(case, by, kind, now, new_id, before=before, after=after),
        events=[domain_event(case, kind, now, new_id, _shown(party.party))],
        parties=[party], **writes)


def new_person(details: dict[str, Any], now: datetime, new_id: NewId) -> Person:
    return Person(person_id=new_id(), created_at=now, **details)


def add_party(folder: CaseFolder, known: Person | None, body: PartyIn, by: StaffMember,
              now: datetime, new_id: NewId = new_uuid) -> CaseChange:
    """A new person on the case, or a person already known (`known`, read by the id the body
    names: None if there is none) linked to it; confirmed, since an officer added them."""
    case = open_case(folder)
    persons: list[PersonWrite] = []
    match_keys: list[MatchKeyWrite] = []
    if body.person_id is not None:
        person = _linkable(folder, known, body.person_id)
    else:
        assert body.person is not None, "the body gives one of person and person_id"
        person = new_person(body.person.model_dump(exclude_none=True), now, new_id)
        persons.append(PersonWrite(person))
        match_keys = [MatchKeyWrite(key, added=(person.person_id,))
                      for key in contact_match_keys(person).values()]
    party = Party(party_id=new_id(), case_reference=case.reference, person_id=person.person_id,
                  roles=tuple(dict.fromkeys(body.roles)), status=PartyStatus.CONFIRMED,
                  added_at=now, added_by=f"staff:{by.username}")
    # A witness has a contact schedule of their own from the day they are added.
    schedule = ([next_contact(case, party.party_id, WITNESS_CONTACT_EVERY_WORKING_DAYS, now)]
                if keeps_schedule(party) else [])
    return _change(folder, by, now, new_id, "PartyAdded", PartyWrite(party), None,
                   {**_shown(party), "linked": body.person_id is not None},
                   persons=persons, match_keys=match_keys, records=schedule)


def _linkable(folder: CaseFolder, known: Person | None, person_id: str) -> Person:
    if known is None or known.person_id != person_id:
        raise InvalidChange([FieldError("person_id", "There is no person with this id")])
    if known.merged_into:
        raise InvalidChange([FieldError("person_id", (
            f"This record was merged into person {known.merged_into}: link that one"))])
    if any(p.active and p.person_id == person_id for p in folder.parties.values()):
        raise RuleBroken("This person is already a party on this case")
    return known


def confirm_party(folder: CaseFolder, party_id: str, body: ConfirmationIn, by: StaffMember,
                  now: datetime, new_id: NewId = new_uuid) -> CaseChange:
    """An officer has checked who a party a report named is."""
    open_case(folder)
    party = active_party(folder, party_id)
    if party.status == PartyStatus.CONFIRMED:
        raise RuleBroken("This party is already confirmed")
    confirmed = _changed(party, status=PartyStatus.CONFIRMED)
    after = {"party_id": party_id, "status": confirmed.status.value,
             **({"note": body.note} if body.note else {})}
    return _change(folder, by, now, new_id, "PartyConfirmed",
                   PartyWrite(confirmed, party.version), {"status": party.status.value}, after)


def unlink_party(folder: CaseFolder, party_id: str, body: UnlinkingIn, by: StaffMember,
                 now: datetime, new_id: NewId = new_uuid) -> CaseChange:
    """The party is not part of this case after all (kept, with why): refused when it is the
    case's last complainant."""
    open_case(folder)
    party = active_party(folder, party_id)
    others = [p for p in folder.parties.values() if p.party_id != party_id and p.complainant]
    if party.complainant and not others:
        raise RuleBroken(NO_COMPLAINANT_LEFT)
    unlinked = _changed(party, unlinked=Unlinking(reason=body.reason, by=by.username, at=now))
    return _change(folder, by, now, new_id, "PartyUnlinked", PartyWrite(unlinked, party.version),
                   {"party_id": party_id, "linked": True},
                   {"party_id": party_id, "linked": False, "reason": body.reason},
                   records=schedule_ended(folder, party_id, now, "party unlinked"))


def tie_to_tenancy(folder: CaseFolder, party_id: str, register: HomesRegister,
                   body: TenancyTieIn, by: StaffMember, now: datetime,
                   new_id: NewId = new_uuid) -> CaseChange:
    """The party is (a tenant or household member of) a tenancy in the landlord's register."""
    open_case(folder)
    party = active_party(folder, party_id)
    tenancy = register.tenancy(body.tenancy_reference)
    if tenancy is None:
        raise InvalidChange([FieldError("tenancy_reference", (
            "There is no tenancy with this reference in the landlord's register"))])
    today = local_day(now)
    if not tenancy.current_on(today):
        raise RuleBroken(f"Tenancy {tenancy.reference} is not current ({_when(tenancy, today)}): "
                         "tie a party only to a current tenancy")
    tie = TenancyTie(reference=tenancy.reference, uprn=tenancy.uprn)
    if party.tenancy == tie:
        raise RuleBroken("This party is already tied to this tenancy")
    tied = _changed(party, tenancy=tie)
    match_keys = ([MatchKeyWrite(tenancy_match_key(tie.reference), added=(party.person_id,))]
                  if party.person_id else [])
    before = {"party_id": party_id, "tenancy": party.tenancy.reference if party.tenancy else None}
    return _change(folder, by, now, new_id, "PartyTiedToTenancy",
                   PartyWrite(tied, party.version), before,
                   {"party_id": party_id, "tenancy": tie.reference, "uprn": tie.uprn},
                   match_keys=match_keys,
                   homes=[CaseAtHome(tie.uprn, frozenset({HomeRole.PARTYS_TENANCY}))])


def screen_vulnerability(folder: CaseFolder, party_id: str, body: VulnerabilityScreeningIn,
                         by: StaffMember, now: datetime,
                         new_id: NewId = new_uuid) -> CaseChange:
    """A party's vulnerability screening (any role: alleged perpetrators are screened too),
    replacing the last; a vulnerability kept unchanged keeps who recorded it and when. The
    audit entry and event name the party and counts only: the kinds are health data."""
    open_case(folder)
    party = active_party(folder, party_id)
    before = party.vulnerability
    kept = {(v.type, v.kind, v.note): v for v in (before.vulnerabilities if before else ())}
    found = tuple(kept.get((v.type, v.kind, v.note)) or Vulnerability(
        type=v.type, kind=v.kind, note=v.note, recorded_by=by.username, recorded_at=now)
        for v in body.vulnerabilities)
    screening = VulnerabilityScreening(
        vulnerabilities=found, safeguarding_concerns=body.safeguarding_concerns,
        screened_by=by.username, screened_at=now)
    screened = _changed(party, vulnerability=screening)
    return _change(folder, by, now, new_id, "PartyVulnerabilityScreened",
                   PartyWrite(screened, party.version),
                   {"party_id": party_id, "screened": before is not None,
                    "vulnerabilities": len(before.vulnerabilities) if before else 0},
                   {"party_id": party_id, "screened": True, "vulnerabilities": len(found),
                    "safeguarding_concerns": body.safeguarding_concerns})


def _when(tenancy: Tenancy, today: date) -> str:
    if tenancy.start_date > today:
        return f"it starts on {tenancy.start_date.isoformat()}"
    return f"it ended on {tenancy.end_date.isoformat() if tenancy.end_date else 'an earlier day'}"


def merge_persons(survivor: Person, merged: Person, folders: list[CaseFolder], body: MergerIn,
                  by: StaffMember, now: datetime, new_id: NewId = new_uuid) -> list[CaseChange]:
    """Two records of one person become one: every party of `merged` (on `folders`, the cases
    either is on) becomes `survivor`'s, and `merged` points at `survivor`. Where both are
    parties of one case, the survivor's party takes the other's roles and the other is
    unlinked. Every case of either is touched - audited, its version moved on - since whom its
    party is changed on both; one change per case, committed together; the persons and keys go
    with the first."""
    by.require("officer", "manager")
    if survivor.person_id == merged.person_id:
        raise RuleBroken("A person's record cannot be merged into itself")
    for person in (survivor, merged):
        if person.merged_into:
            raise RuleBroken(f"Person {person.person_id} was already merged into "
                             f"{person.merged_into}: merge with that record")
    touched = [f for f in folders if _parties_of(f, merged.person_id)
               or _parties_of(f, survivor.person_id)]
    if not any(_parties_of(f, merged.person_id) for f in touched):
        raise RuleBroken("The record to merge is a party on no case: nothing to merge")
    if any(not by.may_see(f.case.team) for f in touched):
        raise NotAllowed("Only a manager, or an officer of the team of every case the merge "
                         "touches, may merge these records")
    changes = [_merged_on(f, survivor.person_id, merged.person_id, body, by, now, new_id)
               for f in touched]
    persons = [PersonWrite(_bumped(survivor), survivor.version),
               PersonWrite(_merged_away(merged, survivor.person_id), merged.version)]
    moved_keys = [*contact_match_keys(merged).values(),
                  *{tenancy_match_key(p.tenancy.reference) for f in touched
                    for p in _parties_of(f, merged.person_id) if p.tenancy}]
    keys = [MatchKeyWrite(k, added=(survivor.person_id,), removed=(merged.person_id,))
            for k in sorted(set(moved_keys))]
    changes[0] = replace(changes[0], persons=persons, match_keys=keys)
    return changes


def _parties_of(folder: CaseFolder, person_id: str) -> list[Party]:
    return [p for p in folder.parties.values() if p.person_id == person_id]


def _bumped(person: Person, **changes: Any) -> Person:
    return person.model_copy(update={**changes, "version": person.version + 1})


def _merged_away(merged: Person, survivor_id: str) -> Person:
    """A record merged into another keeps only its ids: the person's name and contact details
    are the survivor's record's to hold now, so nothing keeps these with no end."""
    return Person(person_id=merged.person_id, merged_into=survivor_id,
                  created_at=merged.created_at, version=merged.version + 1)


def _merged_on(folder: CaseFolder, survivor_id: str, merged_id: str, body: MergerIn,
               by: StaffMember, now: datetime, new_id: NewId) -> CaseChange:
    case = folder.case
    moving = _parties_of(folder, merged_id)
    staying = next((p for p in _parties_of(folder, survivor_id) if p.active), None)
    writes: list[PartyWrite] = []
    for party in moving:
        unresolved = tuple(m for m in party.proposed_matches
                           if m.person_id not in (survivor_id, merged_id))
        changes: dict[str, Any] = {"person_id": survivor_id, "proposed_matches": unresolved}
        if staying is not None and party.active:
            staying = _changed(staying, roles=tuple(dict.fromkeys(
                (*staying.roles, *party.roles))))
            changes["unlinked"] = Unlinking(
                reason=f"The same person as party {staying.party_id}: records merged",
                by=by.username, at=now)
        writes.append(PartyWrite(_changed(party, **changes), party.version, moved_from=merged_id))
    if staying is not None and staying != folder.parties[staying.party_id]:
        writes.append(PartyWrite(staying, folder.parties[staying.party_id].version))
    detail = {"person_id": survivor_id, "merged_person_id": merged_id,
              "parties": [w.party.party_id for w in writes]}
    return CaseChange(
        bump(case, now), case.version,
        audit_entry(case, by, "PersonsMerged", now, new_id,
                    before={"person_id": merged_id, "parties": [p.party_id for p in moving]},
                    after={**detail, "reason": body.reason}),
        events=[domain_event(case, "PersonsMerged", now, new_id, detail)],
        parties=writes, records=_schedules_merged(folder, writes, now))


def _schedules_merged(folder: CaseFolder, writes: list[PartyWrite],
                      now: datetime) -> list[Record]:
    """A witness's schedule ends with their party unlinked by the merge; the party that stays
    and is a witness now keeps one from today, unless it had one already or the case is closed
    (or anonymised): its schedules ended with it, reopening starts them again."""
    records: list[Record] = []
    case = folder.case
    live = case.status != CaseStatus.CLOSED and case.anonymised_at is None
    for write in writes:
        party = write.party
        if not party.active:
            records += schedule_ended(folder, party.party_id, now, "records merged") \
                if live else []
        elif live and keeps_schedule(party) and schedule_id(party.party_id) not in folder.deadlines:
            records.append(next_contact(folder.case, party.party_id,
                                        contact_every(folder, party.party_id), now))
    return records
