"""Who a report is about, as lookup keys. The data protection officer finds everything held about
a person - by email, phone, or name and address - through one PERSON# item per identifier,
written with the report; never by reading every case. Keys are hashes: the lookup items carry no
personal data themselves."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from asb.case.submission import ReportSubmission

REPORTER, PERPETRATOR = "reporter", "alleged perpetrator"


def _hash(kind: str, value: str) -> str:
    return hashlib.sha256(f"{kind}:{value}".encode()).hexdigest()[:40]


def _words(value: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", " ", value.upper()).split())


def email_key(email: str) -> str:
    return _hash("email", email.strip().lower())


def phone_key(phone: str) -> str:
    digits = re.sub(r"\D", "", phone)
    if digits.startswith("44"):
        digits = "0" + digits[2:]
    return _hash("phone", digits)


def name_address_key(name: str, address: str) -> str:
    return _hash("name+address", f"{_words(name)}|{_words(address)}")


@dataclass(frozen=True)
class PersonKey:
    key: str
    role: str


def people_of(submission: ReportSubmission) -> list[PersonKey]:
    """Every identifier of every person a report names, with their role in it."""
    found: list[PersonKey] = []
    reporter = submission.reporter
    if reporter is not None:
        found += [PersonKey(email_key(reporter.email), REPORTER)] if reporter.email else []
        found += [PersonKey(phone_key(reporter.phone), REPORTER)] if reporter.phone else []
        if reporter.address:
            found.append(PersonKey(name_address_key(reporter.name, reporter.address), REPORTER))
    perpetrator = submission.perpetrator
    if perpetrator.name and perpetrator.address:
        found.append(PersonKey(name_address_key(perpetrator.name, perpetrator.address),
                               PERPETRATOR))
    return list(dict.fromkeys(found))


def search_keys(email: str | None, phone: str | None, name: str | None,
                address: str | None) -> list[str]:
    """The keys a subject access search looks under: any of email, phone, name and address."""
    keys = [email_key(email)] if email else []
    keys += [phone_key(phone)] if phone else []
    keys += [name_address_key(name, address)] if name and address else []
    return keys
