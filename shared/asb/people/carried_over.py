"""Cases from before parties, carried over (infra/migrate_parties.py runs it): a pure function of
a case's stored reports, the parties it already has and the time.

Each distinct reporter of a case (their reports grouped by reporter_key) becomes a complainant
party of a new person, with the name and contact details of their first report; an anonymous
report, a complainant party with no person. Each distinct alleged perpetrator a report named or
described (by name, address and postcode) becomes a proposed alleged-perpetrator party of a new
person. Every id is derived from the report it comes from, so a second run derives the same
parties and writes none of them again. Matches are proposed as intake proposes them (the same
email or phone as another person), never merged."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from asb.case.change import MatchKeyWrite
from asb.case.models import AuditEntry
from asb.case.parties import (
    MatchReason,
    Party,
    PartyStatus,
    Person,
    Role,
    contact_match_keys,
    proposed_matches,
)

MIGRATION_ACTOR = "system:migration"
MIGRATED = "PartiesMigrated"
# Reporters who report in a professional capacity (policy.config.RELATIONSHIPS), as intake has it.
PROFESSIONAL = frozenset({"staff", "agency"})
# Fixed for ever: the ids of carried-over parties and persons are uuid5 under it.
_NAMESPACE = uuid.UUID("5f0c6d7e-8a1b-4c2d-9e3f-21a0b1c2d3e4")


def derived_id(kind: str, source: str) -> str:
    """The same id every run, from what it comes from (a report's id, a case's reference)."""
    return str(uuid.uuid5(_NAMESPACE, f"{kind}:{source}"))


@dataclass(frozen=True)
class StoredReport:
    """What the carry-over reads of a report item: nothing sealed."""

    report_id: str
    received_at: str
    reporter_key: str | None
    submission: Mapping[str, Any]

    @classmethod
    def of(cls, item: Mapping[str, Any]) -> StoredReport:
        return cls(str(item["report_id"]), str(item["received_at"]),
                   item.get("reporter_key"), item.get("submission") or {})


@dataclass(frozen=True)
class CarriedOver:
    """A case's new parties and persons, before matches are proposed."""

    case_reference: str
    parties: tuple[Party, ...]
    persons: tuple[Person, ...]


# A party made, its person, and the reports it stands for.
Made = tuple[Party, Person | None, frozenset[str]]


def carried_over(case_reference: str, reports: Iterable[StoredReport],
                 existing: Iterable[Party], now: datetime) -> CarriedOver:
    """The parties a case's reports make that it does not have yet: none made by an earlier
    run (the same id), nor one in a role that a report it stands for already brought (intake's,
    for a report filed since parties). A report with no reporter and no perpetrator named or
    described makes only its complainant."""
    ordered = sorted(reports, key=lambda r: (r.received_at, r.report_id))
    made = [*_complainants(case_reference, ordered, now),
            *_perpetrators(case_reference, ordered, now)]
    there = list(existing)
    ids = {p.party_id for p in there}
    new = [(party, person) for party, person, sources in made if party.party_id not in ids
           and not any(p.report_id in sources and party.roles[0] in p.roles for p in there)]
    return CarriedOver(case_reference, tuple(p for p, _ in new),
                       tuple(person for _, person in new if person))


def _party(case_reference: str, kind: str, first: StoredReport, person: Person | None,
           roles: tuple[Role, ...], status: PartyStatus, now: datetime) -> Party:
    return Party(party_id=derived_id(f"{kind}-party", first.report_id),
                 case_reference=case_reference, person_id=person.person_id if person else None,
                 roles=roles, status=status, report_id=first.report_id,
                 added_at=now, added_by=MIGRATION_ACTOR)


def _complainants(case_reference: str, reports: list[StoredReport],
                  now: datetime) -> list[Made]:
    groups: dict[str, list[StoredReport]] = {}
    for report in reports:
        reporter = report.submission.get("reporter")
        anonymous = report.submission.get("anonymous") or not reporter
        key = f"report:{report.report_id}" if anonymous or not report.reporter_key \
            else f"reporter:{report.reporter_key}"
        groups.setdefault(key, []).append(report)
    made: list[Made] = []
    for under in groups.values():
        first = under[0]
        reporter = first.submission.get("reporter")
        person: Person | None = None
        roles: tuple[Role, ...] = (Role.COMPLAINANT,)
        if reporter and not first.submission.get("anonymous"):
            person = Person(person_id=derived_id("complainant", first.report_id), created_at=now,
                            **_details(reporter, ("name", "email", "phone", "address")))
            if reporter.get("relationship") in PROFESSIONAL:
                roles = (Role.COMPLAINANT, Role.PROFESSIONAL)
        # Confirmed, as intake makes a reporter's: they said who they are.
        made.append((_party(case_reference, "complainant", first, person, roles,
                            PartyStatus.CONFIRMED, now), person,
                     frozenset(r.report_id for r in under)))
    return made


def _perpetrators(case_reference: str, reports: list[StoredReport],
                  now: datetime) -> list[Made]:
    groups: dict[tuple[str, str, str], list[StoredReport]] = {}
    for report in reports:
        named = report.submission.get("perpetrator") or {}
        if not any(named.get(f) for f in ("name", "address", "description")):
            continue
        key = tuple(_words(named.get(f)) for f in ("name", "address", "postcode"))
        groups.setdefault((key[0], key[1], key[2]), []).append(report)
    made: list[Made] = []
    for under in groups.values():
        first = under[0]
        named = first.submission["perpetrator"]
        person = Person(person_id=derived_id("perpetrator", first.report_id), created_at=now,
                        **_details(named, ("name", "address", "postcode", "description")))
        made.append((_party(case_reference, "perpetrator", first, person,
                            (Role.ALLEGED_PERPETRATOR,), PartyStatus.PROPOSED, now), person,
                     frozenset(r.report_id for r in under)))
    return made


def _details(given: Mapping[str, Any], fields: tuple[str, ...]) -> dict[str, str]:
    return {f: str(given[f]) for f in fields if given.get(f)}


def _words(text: Any) -> str:
    return " ".join("".join(c for c in str(text or "").upper() if c.isalnum() or c.isspace())
                    .split())


def with_matches(cases: list[CarriedOver],
                 known: Mapping[str, Iterable[str]]) -> list[CarriedOver]:
    """Each new party's proposed matches: the persons under its person's email or phone keys -
    carried over from any case, or known already (`known`: match key -> person ids)."""
    under: dict[str, set[str]] = {key: set(ids) for key, ids in known.items()}
    for case in cases:
        for person in case.persons:
            for key in contact_match_keys(person).values():
                under.setdefault(key, set()).add(person.person_id)
    persons = {p.person_id: p for case in cases for p in case.persons}
    return [CarriedOver(case.case_reference,
                        tuple(_matched(party, persons, under) for party in case.parties),
                        case.persons) for case in cases]


def _matched(party: Party, persons: Mapping[str, Person], under: Mapping[str, set[str]]) -> Party:
    person = persons.get(party.person_id or "")
    if person is None:
        return party
    found: dict[str, set[MatchReason]] = {}
    for reason, key in contact_match_keys(person).items():
        for other in under.get(key, ()):
            found.setdefault(other, set()).add(reason)
    return party.model_copy(update={"proposed_matches": proposed_matches(found,
                                                                          person.person_id)})


def match_key_writes(case: CarriedOver) -> list[MatchKeyWrite]:
    """Each new person under their email's and phone's keys, for intake to find them again."""
    return [MatchKeyWrite(key, added=(person.person_id,)) for person in case.persons
            for key in contact_match_keys(person).values()]


def migration_audit(case: CarriedOver, now: datetime) -> AuditEntry:
    """One entry per case carried over: parties by id and role, nothing about the persons."""
    return AuditEntry(
        entry_id=derived_id("audit", f"{case.case_reference}:{','.join(p.party_id for p in case.parties)}"),
        case_reference=case.case_reference, at=now, actor=MIGRATION_ACTOR, action=MIGRATED,
        after={"parties": [{"party_id": p.party_id, "person_id": p.person_id,
                            "roles": [r.value for r in p.roles], "report_id": p.report_id,
                            "proposed_matches": len(p.proposed_matches)}
                           for p in case.parties]})
