"""Keys that say two reports are about the same matter (NM01's counting rule), and who reported.

Addresses are normalised so that "12 Orchard Close, Yeovil" and "12 orchard close yeovil" match.
Reporter keys are hashes: the indexes that count a person's complaints hold no email or phone.
"""

from __future__ import annotations

import hashlib
import re

from asb.models.report import Reporter, ReportSubmission


def normalise_address(address: str) -> str:
    return " ".join(re.sub(r"[^A-Z0-9 ]", " ", address.upper()).split())


def location_key(report: ReportSubmission) -> str:
    return f"LOCATION#{normalise_address(report.location.address)}"


def matter_keys(report: ReportSubmission) -> list[str]:
    keys = [location_key(report)]
    if report.perpetrator.address:
        perpetrator = f"PERPETRATOR#{normalise_address(report.perpetrator.address)}"
        if perpetrator not in keys:
            keys.append(perpetrator)
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
