"""Keys that say two reports are about the same matter (NM01's counting rule), and who reported.

A further report joins an open case when it is about the same alleged perpetrator: the same
current tenancy of one of the landlord's homes (`TENANCY#<reference>`), found by intake in the
homes register from the home the reporter picked. An address in words never joins anything:
"12 Orchard Close" typed by two people may be two homes, and anyone who names an address must
not land in a stranger's case. No tenancy, no matter key: the report opens its own case.
Cases stored before keep their `LOCATION#...` and `PERPETRATOR#...` matter items, which closure
and retention still close and delete; no report looks them up now.
Domestic abuse is never joined to a neighbour case about the same home (its own pathway), so a
report of it has no matter key.
Reporter keys are hashes (one closure letter per person): no email or phone in a key.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable

from asb.case.models import Report
from asb.case.pathways import pathway_of
from asb.case.submission import Reporter, ReportSubmission


def matter_keys(report: ReportSubmission, perpetrators_tenancy: str | None) -> list[str]:
    """The alleged perpetrator's current tenancy (its reference, from the register), if any.
    Only an ASB report has a matter: a domestic abuse case is never joined, and a good-neighbour
    request is not an ASB case (it neither joins one nor is joined)."""
    if perpetrators_tenancy is None or pathway_of(report) != "asb":
        return []
    return [_tenancy(perpetrators_tenancy)]


def tenancy_matters(reports: Iterable[Report]) -> list[str]:
    """The matters of a good-neighbour request an officer moves to ASB: each report's alleged
    perpetrator's tenancy, as intake found it, keyed as intake keys an ASB report's."""
    return list(dict.fromkeys(_tenancy(r.perpetrator_tenancy) for r in reports
                              if r.perpetrator_tenancy))


def _tenancy(reference: str) -> str:
    return f"TENANCY#{reference}"


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
