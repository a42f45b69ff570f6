"""Which of the landlord's homes a case is at, and as what: the place a report names, the
alleged perpetrator's home, a party's tenancy. Each (home, case) is one lookup the home's page
reads (asb.dynamo.home_case_items), written with the change that brings the home in."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from asb.case.models import Report
from asb.case.parties import Party

# The entity of the case's own item of a home it is at (retention reads the partition by it).
CASE_HOME = "CaseHome"
CASE_HOME_PREFIX = "HOME#"  # its sort key's, before the UPRN


class HomeRole(StrEnum):
    PLACE = "place"  # where the behaviour happens (the report's location)
    ALLEGED_PERPETRATORS_HOME = "alleged_perpetrators_home"
    PARTYS_TENANCY = "partys_tenancy"  # a party of the case is tied to a tenancy of it


@dataclass(frozen=True)
class CaseAtHome:
    """One home of one case, with every role it has in it (the lookup keeps them all)."""

    uprn: str
    roles: frozenset[HomeRole]


def at_homes(pairs: Iterable[tuple[str | None, HomeRole]]) -> list[CaseAtHome]:
    """One entry per home (a transaction may touch an item once), its roles together."""
    roles: dict[str, set[HomeRole]] = {}
    for uprn, role in pairs:
        if uprn:
            roles.setdefault(uprn, set()).add(role)
    return [CaseAtHome(uprn, frozenset(r)) for uprn, r in roles.items()]


def _named_by(report: Report) -> list[tuple[str | None, HomeRole]]:
    return [(report.submission.location.uprn, HomeRole.PLACE),
            (report.perpetrator_home, HomeRole.ALLEGED_PERPETRATORS_HOME)]


def _tied(parties: Iterable[Party]) -> list[tuple[str | None, HomeRole]]:
    return [(p.tenancy.uprn if p.tenancy else None, HomeRole.PARTYS_TENANCY) for p in parties]


def homes_of_report(report: Report, parties: Iterable[Party] = ()) -> list[CaseAtHome]:
    """The homes a report intake files names (each checked against the register by intake):
    the place, the alleged perpetrator's home, and the tenancy its parties are tied to."""
    return at_homes([*_named_by(report), *_tied(parties)])


def homes_of_case(reports: Iterable[Report], parties: Iterable[Party]) -> list[CaseAtHome]:
    """The homes reports and parties name, as a case holding them is at them: what a split
    or a join moves, and what a case a split leaves is still at."""
    return at_homes([*(pair for r in reports for pair in _named_by(r)), *_tied(parties)])


def homes_left(stored: Iterable[CaseAtHome],
               named: Iterable[CaseAtHome]) -> tuple[list[CaseAtHome], list[str]]:
    """What a case's stored lookups become when it holds only what still names them `named`:
    the homes whose roles narrow (with the roles left), and the homes no longer named at all,
    whose lookups go. A home still named as before is left as it is."""
    still = {h.uprn: h.roles for h in named}
    narrowed, gone = [], []
    for home in stored:
        left = home.roles & still.get(home.uprn, frozenset())
        if not left:
            gone.append(home.uprn)
        elif left != home.roles:
            narrowed.append(CaseAtHome(home.uprn, left))
    return narrowed, gone
