"""What an officer records about a witness, as plain functions of the case folder, each
returning one CaseChange: a statement (its day required, its words or a checked file, its
statement of truth), a statement signed later, and what the witness needs to give evidence
with how often the officer keeps in touch with them (asb.case.witnesses keeps the schedule).
Audit entries name the party and statement by id, never what was said or needed."""

from __future__ import annotations

from datetime import date, datetime

from asb.case.change import CaseChange, CaseFolder, NewId, Record, audit_entry, bump
from asb.case.parties import Party
from asb.case.records import WitnessNeeds, WitnessStatement
from asb.case.targets import local_day
from asb.case.witnesses import contact_made, keeps_schedule, may_give_statement, next_contact
from asb.kernel.errors import InvalidChange, RuleBroken, UnknownRecord
from asb.kernel.staff import StaffMember
from asb.kernel.validation import FieldError
from asb.people.parties import active_party, new_uuid, open_case
from asb.people.witness_models import SignatureIn, StatementIn, WitnessNeedsIn

STATEMENT = "WitnessStatement"
NEEDS = "WitnessNeeds"


def _witness(folder: CaseFolder, party_id: str) -> Party:
    party = active_party(folder, party_id)
    if not may_give_statement(party):
        raise RuleBroken("Only a witness, a complainant or a victim gives a witness statement: "
                         "add the person as a party with the witness role")
    return party


def _not_after(day: date, today: date, field: str, what: str) -> list[FieldError]:
    return [FieldError(field, f"{what} cannot be in the future")] if day > today else []


def _signature_errors(made_on: date, signed: bool, signed_on: date | None,
                      today: date) -> list[FieldError]:
    if not signed:
        return [FieldError("signed_on", "Only a signed statement has a day it was signed: "
                                        "leave it out, or say signed")] if signed_on else []
    if signed_on is None:
        return [FieldError("signed_on", "Give the day the statement of truth was signed")]
    if signed_on < made_on:
        return [FieldError("signed_on", "A statement is signed on or after the day it was made")]
    return _not_after(signed_on, today, "signed_on", "The day it was signed")


def _statement_errors(folder: CaseFolder, body: StatementIn, today: date) -> list[FieldError]:
    errors = _not_after(body.made_on, today, "made_on", "The day the statement was made")
    if (body.text is None) == (body.evidence_id is None):
        field = "text" if body.text is None else "evidence_id"
        errors.append(FieldError(field, "Give the statement's words (text) or a checked file "
                                        "on this case (evidence_id), one of them"))
    elif body.evidence_id is not None:
        file = folder.evidence.get(body.evidence_id)
        if file is None or file.status != "checked" or not file.object_key:
            errors.append(FieldError("evidence_id", "There is no checked file with this id on "
                                                    "this case"))
    return errors + _signature_errors(body.made_on, body.signed, body.signed_on, today)


def record_statement(folder: CaseFolder, party_id: str, body: StatementIn, by: StaffMember,
                     now: datetime, new_id: NewId = new_uuid) -> CaseChange:
    """A witness statement kept on the case; taking it is a contact with the witness, so their
    schedule moves on."""
    case = open_case(folder)
    party = _witness(folder, party_id)
    errors = _statement_errors(folder, body, local_day(now))
    if errors:
        raise InvalidChange(errors)
    statement = WitnessStatement(
        record_id=new_id(), at=now, party_id=party.party_id,
        **body.model_dump(mode="json", exclude_none=True, exclude={"taken_by"}),
        taken_by=body.taken_by or by.username, by=by.username)
    records = [Record(STATEMENT, statement.record_id, now, statement.as_stored()),
               *contact_made(folder, party_id, now)]
    return CaseChange(bump(case, now), case.version, audit_entry(
        case, by, "WitnessStatementRecorded", now, new_id,
        after={"statement_id": statement.record_id, "party_id": party_id,
               "made_on": body.made_on.isoformat(), "signed": body.signed,
               "as": "file" if body.evidence_id else "text"}),
        records=records)


def sign_statement(folder: CaseFolder, party_id: str, statement_id: str, body: SignatureIn,
                   by: StaffMember, now: datetime, new_id: NewId = new_uuid) -> CaseChange:
    """A statement taken unsigned, its statement of truth signed since."""
    case = open_case(folder)
    _witness(folder, party_id)
    statement = folder.witness_statements.get(statement_id)
    if statement is None or statement.party_id != party_id:
        raise UnknownRecord(f"No statement {statement_id} of this party on this case")
    if statement.signed:
        raise RuleBroken("This statement is signed already")
    errors = _signature_errors(statement.made_on, True, body.signed_on, local_day(now))
    if errors:
        raise InvalidChange(errors)
    signed = statement.model_copy(update={"signed": True, "signed_on": body.signed_on})
    return CaseChange(bump(case, now), case.version, audit_entry(
        case, by, "WitnessStatementSigned", now, new_id,
        before={"statement_id": statement_id, "signed": False},
        after={"statement_id": statement_id, "party_id": party_id, "signed": True,
               "signed_on": body.signed_on.isoformat()}),
        records=[Record(STATEMENT, statement_id, statement.at, signed.as_stored(),
                        replace=True)])


def record_needs(folder: CaseFolder, party_id: str, body: WitnessNeedsIn, by: StaffMember,
                 now: datetime, new_id: NewId = new_uuid) -> CaseChange:
    """What the witness needs, replacing what was recorded; a new gap between contacts sets
    their next contact that many working days from today."""
    case = open_case(folder)
    party = _witness(folder, party_id)
    before = folder.witness_needs.get(party_id)
    given = {"notes": body.notes or None,
             "contact_every_working_days": body.contact_every_working_days}
    needs = WitnessNeeds(
        record_id=party_id, at=before.at if before else now, party_id=party_id,
        support=list(dict.fromkeys(body.support)),
        special_measures=list(dict.fromkeys(body.special_measures)),
        **{k: v for k, v in given.items() if v is not None}, by=by.username)
    records = [Record(NEEDS, party_id, needs.at, needs.as_stored(), replace=True)]
    gap = body.contact_every_working_days
    if gap and keeps_schedule(party) and gap != (before.contact_every_working_days
                                                 if before else None):
        records.append(next_contact(case, party_id, gap, now))
    return CaseChange(bump(case, now), case.version, audit_entry(
        case, by, "WitnessNeedsRecorded", now, new_id,
        after={"party_id": party_id, "support": len(needs.support),
               "special_measures": len(needs.special_measures),
               "contact_every_working_days": gap}),
        records=records)
