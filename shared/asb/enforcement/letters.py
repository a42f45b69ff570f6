"""Warning letters as plain functions: a verbal warning confirmed in writing, a first or a final
written warning, asked for under its measure, to the party the warning is against. The letter
is queued on the measure in the case's one transaction, with the event that has the
notifications function draw it (PDF) and send it by email or post it (the print room's bucket);
its delivery is that function's delivery log (asb.case.warning_letters).

Proportionate and escalating: a final written warning follows a verbal or first written warning
to the same party on the case. The particulars are the officer's own words, quoted by the letter:
they may not name a reporter of the case (or their supporter), nor any other party of it - a
complainant, victim, witness or household member an officer added - nor give their contact
details or address. A professional acting in their role (a police officer) may be named.
On a domestic abuse pathway case a letter waits for the referral to the specialist service: a
letter to the alleged perpetrator can put the victim at greater risk, so it is sent only as part
of the safety plan the specialist agrees with them (DAHA standards, ASB-REFERENCE 7a)."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Iterable, Iterator
from datetime import datetime

from asb.case.change import CaseChange, CaseFolder, NewId, Record, audit_entry, bump, domain_event
from asb.case.enforcement import WarningLetter
from asb.case.good_neighbour import require_asb_case
from asb.case.models import CaseStatus, Report
from asb.case.parties import Party, Person, Role
from asb.case.records import Measure
from asb.case.targets import local_day
from asb.case.tasks import DA_SPECIALIST_REFERRAL
from asb.case.warning_letters import (
    LETTER_OF_TOOL,
    WARNING_LETTER_REQUESTED,
    letter_notification_id,
)
from asb.enforcement.models import WarningLetterIn
from asb.kernel.errors import InvalidChange, RuleBroken, UnknownRecord
from asb.kernel.staff import StaffMember
from asb.kernel.validation import FieldError

PersonOf = Callable[[str], Person | None]
# What would identify someone in a letter's particulars: name, email, phone, address.
Details = tuple[str | None, str | None, str | None, str | None]

# What each channel needs of the person, and what to do without it.
_NEEDS = {"email": ("email", "email address", "post the letter instead"),
          "letter": ("address", "postal address", "email it instead")}


def _invalid(field: str, message: str) -> InvalidChange:
    return InvalidChange([FieldError(field, message)])


def issue_warning_letter(folder: CaseFolder, measure_id: str, body: WarningLetterIn,
                         by: StaffMember, now: datetime, person_of: PersonOf,
                         new_id: NewId = lambda: str(uuid.uuid4())) -> CaseChange:
    """`person_of`: a person's record by id (read inside the case's access check)."""
    case = folder.case
    if case.status == CaseStatus.CLOSED:
        raise RuleBroken("The case is closed: reopen it first, with a reason")
    require_asb_case(case, "send a warning")
    _after_the_specialist_referral(folder)
    measure = folder.measures.get(measure_id)
    if measure is None:
        raise UnknownRecord(f"No tool or power {measure_id} on this case")
    kind = _kind(measure)
    party = _against(folder, measure)
    if kind == "final":
        _escalates(folder, measure, party)
    person = _person(party, person_of)
    _reachable(person, body.channel)
    others = [*_reporters(folder.reports), *_other_parties(folder, party, person, person_of)]
    _particulars(body, others, person, now)
    letter_id = new_id()
    letter = WarningLetter(
        letter_id=letter_id, kind=kind, issued_on=local_day(now), channel=body.channel,
        notification_id=letter_notification_id(letter_id), delivery="queued",
        what_happened=body.what_happened, happened_on=body.happened_on,
        must_stop=body.must_stop, by=by.username)
    updated = measure.model_copy(update={"letters": [*measure.letters, letter]})
    detail = {"measure_id": measure_id, "letter_id": letter_id, "kind": kind,
              "channel": body.channel, "party_id": party.party_id}
    return CaseChange(
        bump(case, now), case.version,
        audit_entry(case, by, "WarningLetterIssued", now, new_id, after=detail),
        records=[Record("Measure", measure_id, now, updated.as_stored(), replace=True)],
        events=[domain_event(case, WARNING_LETTER_REQUESTED, now, new_id, detail)])


DA_LETTER_WAITS = ("This is a domestic abuse case: refer it to the domestic abuse specialist "
                   "service first. A letter to the alleged perpetrator can put the victim at "
                   "greater risk; send it only as part of the safety plan agreed with them")


def _after_the_specialist_referral(folder: CaseFolder) -> None:
    if folder.case.pathway != "domestic_abuse":
        return
    referral = folder.tasks.get(DA_SPECIALIST_REFERRAL)
    if referral is None or referral.open:
        raise RuleBroken(DA_LETTER_WAITS)


def _kind(measure: Measure) -> str:
    kind = LETTER_OF_TOOL.get(measure.measure)
    if kind is None:
        raise RuleBroken(f"A warning letter is sent under a verbal, first or final written "
                         f"warning, not under {measure.name}: record the warning first")
    if measure.status == "withdrawn":
        raise RuleBroken(f"This {measure.name} was withdrawn: it sends no letter")
    return kind


def _against(folder: CaseFolder, measure: Measure) -> Party:
    party = folder.parties.get(measure.party_id or "")
    if party is None:
        raise RuleBroken(f"This {measure.name} names nobody it is against: record the warning "
                         "against the alleged perpetrator's party")
    if not party.active:
        raise RuleBroken("The party this warning is against was unlinked from the case")
    return party


def _escalates(folder: CaseFolder, measure: Measure, party: Party) -> None:
    """A final written warning follows a verbal warning, or a first written warning's letter,
    to the same party on this case."""
    earlier = [m for m in folder.measures.values()
               if m.record_id != measure.record_id and m.party_id == party.party_id
               and m.status != "withdrawn"
               and (m.measure == "verbal_warning"
                    or (m.measure == "first_written_warning" and m.letters))]
    if not earlier:
        raise RuleBroken("A final written warning follows a verbal warning or a first written "
                         "warning to the same person on this case: the response is "
                         "proportionate and escalating. Give the earlier warning first")


def _record_of(party: Party, person_of: PersonOf) -> Person | None:
    person = person_of(party.person_id) if party.person_id else None
    if person is not None and person.merged_into:
        person = person_of(person.merged_into)
    return person


def _person(party: Party, person_of: PersonOf) -> Person:
    person = _record_of(party, person_of)
    if person is None:
        raise RuleBroken("The party this warning is against has no person on record to write to")
    return person


def _reachable(person: Person, channel: str) -> None:
    if not person.name:
        raise _invalid("person.name", "A warning letter is addressed to the person by name: "
                                      "add their name to their party first")
    field, words, otherwise = _NEEDS[channel]
    if not getattr(person, field):
        raise _invalid(f"person.{field}", f"We hold no {words} for the "
                                          f"person this warning is against: add it to their "
                                          f"party, or {otherwise}")


def _reporters(reports: list[Report]) -> Iterator[Details]:
    """Each report's reporter and their supporter (who has no address of ours)."""
    for report in reports:
        reporter = report.submission.reporter
        if reporter is None:
            continue
        yield reporter.name, reporter.email, reporter.phone, reporter.address
        if reporter.supporter is not None:
            supporter = reporter.supporter
            yield supporter.name, supporter.email, supporter.phone, None


def _other_parties(folder: CaseFolder, party: Party, person: Person,
                   person_of: PersonOf) -> Iterator[Details]:
    """Every party of the case but the letter's recipient (by their party or their person) and
    a professional acting only in their role, who is named in that capacity as staff are."""
    for other in folder.parties.values():
        if other.party_id == party.party_id or set(other.roles) == {Role.PROFESSIONAL}:
            continue
        found = _record_of(other, person_of)
        if found is not None and found.person_id != person.person_id:
            yield found.name, found.email, found.phone, found.address


def _particulars(body: WarningLetterIn, others: list[Details], person: Person,
                 now: datetime) -> None:
    for n, day in enumerate(body.happened_on):
        if day > local_day(now):
            raise _invalid(f"happened_on.{n}", "This cannot be a day still to come")
    own = set((person.name or "").split())
    looks_for = [test for someone in others for test in _identifying(someone, person, own)]
    said = [("what_happened", body.what_happened),
            *((f"must_stop.{n}", words) for n, words in enumerate(body.must_stop))]
    for field, words in said:
        if any(found(words) for found in looks_for):
            raise _invalid(field, "A warning letter never says who complained: leave out every "
                                  "reporter's, witness's and other party's name, address and "
                                  "contact details")


def _identifying(someone: Details, person: Person,
                 own: set[str]) -> Iterable[Callable[[str], bool]]:
    """A test for each detail that would identify someone else on the case: their name in full
    or a part of it as written (capitalised), their email, their phone, their address's first
    line; never a detail the letter's own recipient shares (`own`: their name's words)."""
    name, email, phone, address = someone
    if name and name != person.name:
        yield _words(name, ignore_case=True)
        yield from (_words(part, ignore_case=False) for part in name.split()
                    if len(part) >= 3 and part not in own)
    if email and email != person.email:
        yield _words(email, ignore_case=True)
    if phone and phone != person.phone:
        yield _phone(phone)
    first_line = (address or "").split(",")[0].strip()
    if len(first_line) >= 6 and first_line != (person.address or "").split(",")[0].strip():
        yield _words(first_line, ignore_case=True)


def _words(words: str, ignore_case: bool) -> Callable[[str], bool]:
    pattern = re.compile(rf"(?<!\w){re.escape(words)}(?!\w)", re.IGNORECASE if ignore_case else 0)
    return lambda text: pattern.search(text) is not None


def _phone(phone: str) -> Callable[[str], bool]:
    digits = re.sub(r"\D", "", phone)[-10:]
    return lambda text: len(digits) >= 7 and any(
        re.sub(r"\D", "", run).endswith(digits) for run in re.findall(r"[\d +()-]{7,}", text))
