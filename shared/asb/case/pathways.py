"""The pathway a report takes (ASB-REFERENCE sections 1, 7 and 7a): one pure rule for intake.

- domestic_abuse: the report discloses domestic abuse (a behaviour in
  DOMESTIC_ABUSE_BEHAVIOURS). Its own pathway: a specialist referral, safe contact only, never
  joined to a neighbour case about the same address, never shown to an alleged perpetrator, and
  counted apart from NM01. Domestic abuse comes first: whatever else a report says, a disclosure
  of it is never handled as a neighbour dispute.
- good_neighbour: household noise or lifestyle differences alone, nothing raising harm (the
  good-neighbour route, asb.case.good_neighbour): advice, mediation, a property check; not an
  ASB case, not counted in NM01, and it claims no matter (nothing joins it, it joins nothing
  of another pathway).
- asb: everything else, counted in NM01.
"""

from __future__ import annotations

from collections.abc import Iterable

from asb.case.good_neighbour import takes_good_neighbour_route
from asb.case.models import Case
from asb.case.submission import ReportSubmission
from asb.policy.config import DOMESTIC_ABUSE_BEHAVIOURS, Pathway


def discloses_domestic_abuse(report: ReportSubmission) -> bool:
    return bool(DOMESTIC_ABUSE_BEHAVIOURS & set(report.incident.behaviours))


def pathway_of(report: ReportSubmission) -> Pathway:
    """The pathway a new report takes at intake."""
    if discloses_domestic_abuse(report):
        return "domestic_abuse"
    if takes_good_neighbour_route(report):  # asb.case.good_neighbour
        return "good_neighbour"
    return "asb"


def may_be_joined(first: Pathway, second: Pathway) -> bool:
    """Whether cases (or a report and a case) on these pathways may ever be one case: a domestic
    abuse case is never joined with a case on another pathway (a neighbour case about the same
    address would put the victim's disclosure in front of the alleged perpetrator's neighbours)."""
    return first == second or "domestic_abuse" not in (first, second)


def pathway_of_case(case: Case) -> Pathway:
    """The pathway a case is treated as on: its own, except that a case stored before pathways
    (none recorded, so asb) whose behaviours disclose domestic abuse is a domestic abuse case
    for who may see it (subject access) and for the figures (not NM01), until an officer moves
    it (asb.casework.pathway_moves) and it records the pathway itself."""
    return recorded_or_disclosed(case.pathway, case.behaviours)


def recorded_or_disclosed(recorded: str | None, behaviours: Iterable[str]) -> Pathway:
    """`pathway_of_case` for a stored item's fields (a figure reads items, not cases)."""
    if recorded == "domestic_abuse" or DOMESTIC_ABUSE_BEHAVIOURS & set(behaviours):
        return "domestic_abuse"  # it comes first, as at intake
    return "good_neighbour" if recorded == "good_neighbour" else "asb"
