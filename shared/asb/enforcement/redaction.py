"""Third parties in a court bundle (issue 22, item 4): everyone on a case who is not the
respondent - its reporters and their supporters, witnesses, household members and other
residents - named by a label that stays the same through the whole bundle ("[Resident A]",
"[Witness A]", "[Supporter A]"), their names, addresses, postcodes, emails and phone numbers
replaced by it. The respondent's name stays, and so do staff names and professionals acting in
their role (they are named in that capacity). A pure function of the case's reports, parties
and persons."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from asb.case.change import CaseFolder
from asb.case.models import Report
from asb.case.parties import Party, Person, Role
from asb.case.submission import Supporter

_SHORTEST_PART = 3  # a name part shorter than this is not searched for on its own ("Al", "Jo")
_POSTCODE = re.compile(r"^[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}$", re.IGNORECASE)
# Placeholders while a text is redacted: private-use characters, which no identifier (not even
# a phone number's digits) can match, so a label put in is never redacted again.
_OPEN, _CLOSE, _FIRST = "\ue000", "\ue001", 0xE100


@dataclass
class ThirdParty:
    """One person who is not the respondent, and what would identify them in a text."""

    label: str  # "Resident A"
    names: set[str] = field(default_factory=set)
    addresses: set[str] = field(default_factory=set)
    emails: set[str] = field(default_factory=set)
    phones: set[str] = field(default_factory=set)

    def add(self, name: str | None = None, address: str | None = None, email: str | None = None,
            phone: str | None = None) -> None:
        for found, value in ((self.names, name), (self.addresses, address),
                             (self.emails, email), (self.phones, phone)):
            if value and value.strip():
                found.add(value.strip())


def _words(value: str | None) -> set[str]:
    """A name's or an address's words, its address lines and itself, as the respondent's own."""
    text = (value or "").strip().lower()
    words = {w for w in re.split(r"[\s,.'-]+", text) if w}
    return words | {line.strip() for line in text.split(",") if line.strip()}


def _address_parts(address: str) -> list[str]:
    """The whole address, its first line (the house and street) and a postcode in it; not the
    town, which would take the court's name and every other place in it out too."""
    parts = [p.strip() for p in address.split(",") if p.strip()]
    return [address, *parts[:1], *[p for p in parts[1:] if _POSTCODE.match(p)]]


def _phone_pattern(phone: str) -> str | None:
    """A phone number however it is spaced or dashed ("07700 900123", "07700-900-123")."""
    digits = re.sub(r"\D", "", phone)
    return r"[\s-]?".join(digits) if len(digits) >= 6 else None


class Redactor:
    """Replaces each third party's details in a text with their label; the respondent's own
    words (their name, their address) are never taken out, even where a third party shares
    them (a surname, a street)."""

    def __init__(self, third_parties: list[ThirdParty], respondent_words: set[str]) -> None:
        self.third_parties = third_parties
        patterns: list[tuple[str, str]] = []
        for party in third_parties:
            name = f"[{party.label}]"
            for full in party.names:
                patterns.append((re.escape(full), name))
                patterns += [(re.escape(part), name) for part in re.split(r"[\s,.'-]+", full)
                             if len(part) >= _SHORTEST_PART and part.lower() not in respondent_words]
            for address in party.addresses:
                patterns += [(re.escape(part), f"[{party.label}'s address]")
                             for part in _address_parts(address)
                             if part.lower() not in respondent_words]
            patterns += [(re.escape(email), f"[{party.label}'s email]") for email in party.emails]
            patterns += [(pattern, f"[{party.label}'s phone]") for phone in party.phones
                         if (pattern := _phone_pattern(phone))]
        # Longest first, so a whole name or address goes before any part of it.
        patterns.sort(key=lambda p: len(p[0]), reverse=True)
        self._patterns = [(re.compile(rf"(?<!\w){p}(?!\w)", re.IGNORECASE), label)
                          for p, label in patterns]

    def __call__(self, text: str | None) -> str:
        if not text:
            return ""
        labels: list[str] = []
        for pattern, label in self._patterns:
            token = f"{_OPEN}{chr(_FIRST + len(labels))}{_CLOSE}"
            text, count = pattern.subn(token, text)
            if count:
                labels.append(label)
        for number, label in enumerate(labels):
            text = text.replace(f"{_OPEN}{chr(_FIRST + number)}{_CLOSE}", label)
        return text

    def all(self, texts: Iterable[str]) -> list[str]:
        return [self(t) for t in texts]


def _letters() -> Iterator[str]:
    """A, B, ... Z, AA, AB, ..."""
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    yield from alphabet
    for first in alphabet:
        for second in alphabet:
            yield first + second


@dataclass
class _Labels:
    counters: dict[str, Iterator[str]] = field(default_factory=dict)

    def next(self, kind: str) -> str:
        return f"{kind} {next(self.counters.setdefault(kind, _letters()))}"


def _kind(party: Party | None) -> str:
    if party is not None and Role.WITNESS in party.roles and Role.COMPLAINANT not in party.roles:
        return "Witness"
    return "Resident"


def _person(persons: dict[str, Person], party: Party | None) -> Person | None:
    return persons.get(party.person_id) if party is not None and party.person_id else None


@dataclass(frozen=True)
class CaseRedaction:
    redact: Redactor
    respondent: str  # the respondent's name as the bundle shows it
    by_report: dict[str, str]  # a report's id -> its reporter's label (none if anonymous)
    # A party's id -> its label (a witness's statement is headed by it); none: the respondent's
    # or a professional's, named as they are.
    by_party: dict[str, str] = field(default_factory=dict)


def redaction(folder: CaseFolder, persons: dict[str, Person],
              respondent: Party | None) -> CaseRedaction:
    """Labels in the order people came into the case: each report's reporter (with the party
    their report brought: one label for both), then every other party but the respondent and
    professionals (police officers, support workers: named in their professional capacity)."""
    respondent_person = _person(persons, respondent)
    perpetrators = [r.submission.perpetrator for r in folder.reports]
    kept = set[str]()
    if respondent_person is not None:
        kept = _words(respondent_person.name) | _words(respondent_person.address) \
            | _words(respondent_person.postcode)
    # The reports' words for the alleged perpetrator are the respondent's only while the case
    # has no other alleged perpetrator, whose name they may be.
    sole = not any(p.active and Role.ALLEGED_PERPETRATOR in p.roles
                   and (respondent is None or p.party_id != respondent.party_id)
                   for p in folder.parties.values())
    if sole:
        for perpetrator in perpetrators:
            kept |= _words(perpetrator.name) | _words(perpetrator.address)
    labels, found, by_report = _Labels(), dict[str, ThirdParty](), dict[str, str]()
    by_party = dict[str, str]()
    reports = sorted(folder.reports, key=lambda r: r.received_at)
    parties = sorted(folder.parties.values(), key=lambda p: p.added_at)
    for report in reports:
        if report.submission.reporter is None:
            continue
        brought = next((p for p in parties if p.report_id == report.report_id
                        and Role.COMPLAINANT in p.roles), None)
        key = (brought.person_id if brought and brought.person_id else None) \
            or f"report:{report.report_id}"
        if key not in found:
            found[key] = ThirdParty(labels.next(_kind(brought)))
        _reporter(found[key], report)
        _known(found[key], _person(persons, brought))
        by_report[report.report_id] = found[key].label
        if brought is not None:
            by_party[brought.party_id] = found[key].label
        _supporter(found, labels, report.submission.reporter.supporter)
    for other in parties:
        if respondent is not None and (other.party_id == respondent.party_id or (
                other.person_id and other.person_id == respondent.person_id)):
            continue
        if set(other.roles) == {Role.PROFESSIONAL}:
            continue
        key = other.person_id or f"party:{other.party_id}"
        if key not in found:
            found[key] = ThirdParty(labels.next(_kind(other)))
        _known(found[key], _person(persons, other))
        by_party[other.party_id] = found[key].label
    name = (respondent_person.name if respondent_person else None) or next(
        (p.name for p in perpetrators if p.name and sole), None) or "Not named"
    return CaseRedaction(Redactor(list(found.values()), kept), name, by_report, by_party)


def _reporter(party: ThirdParty, report: Report) -> None:
    reporter = report.submission.reporter
    if reporter is not None:
        party.add(reporter.name, reporter.address, reporter.email, reporter.phone)


def _supporter(found: dict[str, ThirdParty], labels: _Labels,
               supporter: Supporter | None) -> None:
    """A reporter's supporter (a relative, an advocate) has a label of their own: one for the
    same name, however many of the reports name them."""
    if supporter is None:
        return
    key = f"supporter:{supporter.name.strip().lower()}"
    if key not in found:
        found[key] = ThirdParty(labels.next("Supporter"))
    found[key].add(supporter.name, email=supporter.email, phone=supporter.phone)


def _known(party: ThirdParty, person: Person | None) -> None:
    if person is not None:
        party.add(person.name, person.address, person.email, person.phone)
        party.add(address=person.postcode)
