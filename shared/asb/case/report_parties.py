"""The parties a report brings to its case, as intake files it: its reporter as a complainant of
their own (an anonymous complainant, with no person, when they gave no details), and - on the
report that opens the case - the alleged perpetrator it names or whose home it gives. Each is a
new person: intake proposes matches (the same email, phone or tenancy as a person already known)
for an officer to confirm, and never merges two persons itself."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from asb.case.change import MatchKeyWrite
from asb.case.models import Report
from asb.case.parties import (
    MatchReason,
    Party,
    PartyStatus,
    Person,
    ProposedMatch,
    Role,
    TenancyTie,
    contact_match_keys,
    proposed_matches,
    tenancy_match_key,
)
from asb.case.people import email_key, phone_key
from asb.case.submission import ReportSubmission

# Reporters who report in a professional capacity (config.RELATIONSHIPS).
PROFESSIONAL_RELATIONSHIPS = frozenset({"staff", "agency"})
# A shared phone (a family, an agency's switchboard) is known under hundreds of persons: a party
# proposes only the few most recent (enough for an officer to see a match exists and follow it),
# and a match key keeps only the most recent persons, so its item stays far below DynamoDB's
# 400 KB and each intake reads and writes a bounded item.
PROPOSED_MATCHES_PER_PARTY = 5
PERSONS_PER_MATCH_KEY = 20


@dataclass(frozen=True)
class ReportParties:
    persons: tuple[Person, ...] = ()
    parties: tuple[Party, ...] = ()
    match_keys: tuple[MatchKeyWrite, ...] = ()


def perpetrator_tenancy(report: Report) -> TenancyTie | None:
    """The tenancy current at the alleged perpetrator's home when the report came, as intake
    recorded it from the homes register (asb.intake)."""
    if report.perpetrator_tenancy and report.perpetrator_home:
        return TenancyTie(reference=report.perpetrator_tenancy, uprn=report.perpetrator_home)
    return None


def wanted_match_keys(submission: ReportSubmission,
                      perpetrator_tenancy: TenancyTie | None) -> list[str]:
    """The match keys intake reads before filing the report: its reporter's email and phone,
    the alleged perpetrator's tenancy."""
    reporter = submission.reporter
    wanted = []
    if reporter is not None and not submission.anonymous:
        wanted += [f"email:{email_key(reporter.email)}"] if reporter.email else []
        wanted += [f"phone:{phone_key(reporter.phone)}"] if reporter.phone else []
    if perpetrator_tenancy is not None:
        wanted.append(tenancy_match_key(perpetrator_tenancy.reference))
    return wanted


def _matches(person: Person, keys: Mapping[MatchReason, str],
             found: Mapping[str, Sequence[str]]) -> tuple[ProposedMatch, ...]:
    """`found` lists each key's persons most recent first: the most recent of every key, up to
    PROPOSED_MATCHES_PER_PARTY, each with every reason it is found by."""
    reasons: dict[str, set[MatchReason]] = {}
    recency: dict[str, int] = {}
    for reason, key in keys.items():
        for rank, person_id in enumerate(found.get(key, ())):
            reasons.setdefault(person_id, set()).add(reason)
            recency[person_id] = min(rank, recency.get(person_id, rank))
    recent = sorted((p for p in reasons if p != person.person_id), key=lambda p: recency[p])
    return proposed_matches({p: reasons[p] for p in recent[:PROPOSED_MATCHES_PER_PARTY]},
                            itself=person.person_id)


def _known_under(keys: Mapping[MatchReason, str], person: Person,
                 found: Mapping[str, Sequence[str]], now: datetime) -> list[MatchKeyWrite]:
    """The new person added to each key, and the key's oldest persons removed beyond
    PERSONS_PER_MATCH_KEY, in the same write. Two intakes at once may each keep one more; the
    next write on the key trims it again."""
    return [MatchKeyWrite(key, added=(person.person_id,), added_at=now,
                          removed=tuple(found.get(key, ())[PERSONS_PER_MATCH_KEY - 1:]))
            for key in keys.values()]


def report_parties(submission: ReportSubmission, case_reference: str, report_id: str,
                   opens_case: bool, perpetrator_tenancy: TenancyTie | None,
                   found: Mapping[str, Sequence[str]], actor: str, now: datetime,
                   new_id: Callable[[], str]) -> ReportParties:
    """`found`: the persons already known under each of wanted_match_keys (match key -> ids)."""
    persons: list[Person] = []
    parties: list[Party] = []
    keys: list[MatchKeyWrite] = []

    def party(person: Person | None, roles: tuple[Role, ...], status: PartyStatus,
              matches: tuple[ProposedMatch, ...] = (),
              tenancy: TenancyTie | None = None) -> Party:
        return Party(party_id=new_id(), case_reference=case_reference,
                     person_id=person.person_id if person else None, roles=roles, status=status,
                     report_id=report_id, tenancy=tenancy, proposed_matches=matches,
                     added_at=now, added_by=actor)

    reporter = submission.reporter
    if reporter is None or submission.anonymous:
        parties.append(party(None, (Role.COMPLAINANT,), PartyStatus.CONFIRMED))
    else:
        person = Person(person_id=new_id(), name=reporter.name, email=reporter.email,
                        phone=reporter.phone, address=reporter.address, created_at=now)
        roles = (Role.COMPLAINANT, *((Role.PROFESSIONAL,) if reporter.relationship
                                     in PROFESSIONAL_RELATIONSHIPS else ()))
        contact = contact_match_keys(person)
        persons.append(person)
        parties.append(party(person, roles, PartyStatus.CONFIRMED,
                             _matches(person, contact, found)))
        keys += _known_under(contact, person, found, now)
    perpetrator = submission.perpetrator
    if opens_case and (perpetrator.name or perpetrator.address or perpetrator_tenancy):
        person = Person(person_id=new_id(), name=perpetrator.name, address=perpetrator.address,
                        postcode=perpetrator.postcode, created_at=now)
        tenancy = ({MatchReason.SAME_TENANCY: tenancy_match_key(perpetrator_tenancy.reference)}
                   if perpetrator_tenancy else {})
        persons.append(person)
        parties.append(party(person, (Role.ALLEGED_PERPETRATOR,), PartyStatus.PROPOSED,
                             _matches(person, tenancy, found), perpetrator_tenancy))
        keys += _known_under(tenancy, person, found, now)
    return ReportParties(tuple(persons), tuple(parties), tuple(keys))
