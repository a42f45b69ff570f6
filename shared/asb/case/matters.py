"""Keys that say two reports are about the same matter (NM01's counting rule), and who reported.

Addresses are normalised so that "12 Orchard Close, Yeovil" and "12 orchard close yeovil" match.
A matter key needs the postcode as well as the address: an address alone ("1 High Street") is
in many towns, and anyone who names it must not land in a stranger's case. No postcode, no
matter key: the report opens its own case.
Reporter keys are hashes (one closure letter per person): no email or phone in a key.
"""

from __future__ import annotations

import hashlib
import re

from asb.case.submission import Reporter, ReportSubmission


def normalise_address(address: str) -> str:
    return " ".join(re.sub(r"[^A-Z0-9 ]", " ", address.upper()).split())


def matter_keys(report: ReportSubmission) -> list[str]:
    """The place (postcode and address), and the alleged perpetrator's address when the report
    gives its postcode too. Postcodes come normalised by the model ("BA20 1AB")."""
    keys = []
    place = report.location
    if place.postcode:
        keys.append(f"LOCATION#{place.postcode}#{normalise_address(place.address)}")
    perpetrator = report.perpetrator
    if perpetrator.address and perpetrator.postcode:
        keys.append(f"PERPETRATOR#{perpetrator.postcode}#{normalise_address(perpetrator.address)}")
    return keys


def reporter_key(reporter: Reporter | None) -> str | None:
    if reporter is None:
        return None
    if reporter.email:
        identity = "email:" + reporter.email.lower()
    elif reporter.phone:
        identity = "phone:" + re.sub(r"\D", "", reporter.phone).removeprefix("44")
    else:
        identity = "name:" + " ".join(reporter.name.upper().split())
    return hashlib.sha256(identity.encode()).hexdigest()[:32]
