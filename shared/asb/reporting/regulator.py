"""The year's figures (ASB-REFERENCE sections 6 and 7): the regulator's NM01(1) ASB cases opened
per 1,000 homes, NM01(2) hate-incident cases per 1,000 homes, TP12 from the imported tenant
perception survey, the landlord's own closure satisfaction measure (from closure surveys), the
share of first contacts made on time by category, the ASB Case Review statistics the landlord
publishes, and the year's enforcement outcomes (asb.reporting.enforcement). A reporting year runs
April to March."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from asb.case.pathways import recorded_or_disclosed
from asb.case_review.process import statistics
from asb.policy.config import (
    CASE_REVIEW_LEAD_BODY,
    FIRST_RESPONSE_WORKING_DAYS,
    NM01_PATHWAY,
    PATHWAYS,
)
from asb.policy.reporting_year import reporting_year
from asb.reporting.closure_surveys import closure_satisfaction
from asb.reporting.enforcement import enforcement_figures, measures_of_year
from asb.reporting.tenant_survey import NOT_IMPORTED, tp12_figures

FROM_REGISTER = "the homes register"
FROM_PARAMETER = "the HomesOwned parameter: the homes register is empty"


@dataclass(frozen=True)
class HomesOwned:
    """NM01's denominator and where it came from."""

    count: int
    source: str


def homes_owned(in_register: int, parameter: int) -> HomesOwned:
    """The register's homes owned (general needs, supported and shared ownership; not leasehold,
    not homes that are not the landlord's); the HomesOwned parameter only while the register is
    empty, before the landlord's first import."""
    return HomesOwned(in_register, FROM_REGISTER) if in_register else HomesOwned(parameter,
                                                                                FROM_PARAMETER)


@dataclass(frozen=True)
class RegulatorFigures:
    year: str
    homes: int
    homes_source: str
    cases_opened: int
    hate_cases: int
    nm01_1: float
    nm01_2: float
    first_contact_on_time: dict[str, dict[str, Any]] = field(default_factory=dict)
    tp12_percent: float | str = NOT_IMPORTED  # from the tenant perception survey, once imported
    tp12_survey: dict[str, Any] | None = None
    closure_satisfaction_local_measure_percent: float | None = None  # None: no answers yet
    closure_satisfaction_local_measure_respondents: int = 0
    case_reviews: dict[str, int] = field(default_factory=dict)
    enforcement: dict[str, dict[str, int]] = field(default_factory=dict)
    # Cases of every other pathway (domestic abuse, good neighbour), by pathway: not in NM01
    counted_apart: dict[str, dict[str, Any]] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


def figures(cases: Iterable[dict[str, Any]], homes: HomesOwned, starting: int,
            surveys: Iterable[dict[str, Any]] = (),
            case_reviews: Iterable[dict[str, Any]] = (),
            tenant_survey: dict[str, Any] | None = None,
            measures: Iterable[dict[str, Any]] = (),
            case_review_lead_body: bool = CASE_REVIEW_LEAD_BODY,
            moved_to_asb: Iterable[dict[str, Any]] = ()) -> RegulatorFigures:
    """Each case counts once, in the year it was opened: `cases` are case items, one per case,
    never reports; a further report about the same matter joined its open case (so is not here),
    and a report after closure opened a new one. A case joined into another is not counted (the
    other is); a report split out into a case of its own is a new case, opened that day.
    `measures`: the tools and powers recorded in the year, each counted once there.
    `moved_to_asb`: good-neighbour requests moved to ASB in the year (ByReportingYear), counted
    in the year they were moved, wherever they were first opened."""
    first, last = reporting_year(starting)
    cases = list(cases)
    listed = {c.get("reference") for c in cases}
    moved = [c for c in moved_to_asb if c.get("reference") not in listed]  # each case once
    in_year = [c for c in (*cases, *moved) if first <= opened_on(c) <= last and not joined(c)]
    opened = [c for c in in_year if pathway_of_case(c) == NM01_PATHWAY]
    hate = [c for c in opened if c.get("hate_incident")]
    satisfied, respondents = closure_satisfaction(surveys)
    by_category: dict[str, dict[str, Any]] = {}
    # Every first contact the landlord made, on any pathway, by the landlord's categories.
    for category in sorted(FIRST_RESPONSE_WORKING_DAYS):
        made = [c for c in in_year if c.get("category") == category
                and c.get("first_contact_on_time") is not None]
        on_time = sum(1 for c in made if c["first_contact_on_time"])
        by_category[category] = {"contacts": len(made), "on_time": on_time,
                                 "share": round(on_time / len(made), 3) if made else None}
    return RegulatorFigures(
        year=f"{starting}/{str(starting + 1)[-2:]}", homes=homes.count,
        homes_source=homes.source, cases_opened=len(opened), hate_cases=len(hate),
        nm01_1=round(len(opened) * 1000 / homes.count, 2) if homes.count else 0.0,
        nm01_2=round(len(hate) * 1000 / homes.count, 2) if homes.count else 0.0,
        first_contact_on_time=by_category, **tp12_figures(tenant_survey),
        closure_satisfaction_local_measure_percent=satisfied,
        closure_satisfaction_local_measure_respondents=respondents,
        case_reviews=statistics(case_reviews, case_review_lead_body),
        enforcement=enforcement_figures(measures_of_year(measures)),
        counted_apart=counted_apart(
            [c for c in cases if first <= received_on(c) <= last and not joined(c)], last))


def opened_on(case: dict[str, Any]) -> date:
    """The day a case counts as opened: a good-neighbour request an officer moved to ASB on the
    day it was moved (asb_opened_at, or its listing index row's copy in its targets), since
    before that it was not an ASB case; any other case the day it was opened."""
    moved = case.get("asb_opened_at") or (case.get("targets") or {}).get("asb_opened_at")
    return date.fromisoformat(str(moved or case["opened_at"])[:10])


def received_on(case: dict[str, Any]) -> date:
    """The day it came in (opened_at), whatever it became later."""
    return date.fromisoformat(str(case["opened_at"])[:10])


def pathway_in_year(case: dict[str, Any], last: date) -> str:
    """Its pathway as it stood at the end of the year (`last`): a good-neighbour request moved
    to ASB after that was still a good-neighbour request then, so a past year's figures do not
    change when a request is moved later."""
    if opened_on(case) > last:  # moved to ASB (asb_opened_at) after the year ended
        return "good_neighbour"
    return pathway_of_case(case)


def pathway_of_case(case: dict[str, Any]) -> str:
    """A case item's pathway, or its listing index row's (carried in its targets), as
    asb.case.pathways treats it: absent, asb - unless the item's behaviours disclose domestic
    abuse (a case from before pathways; its index row carries that in its targets too, once
    written again or backfilled: infra/backfill_domestic_abuse_pathway)."""
    recorded = case.get("pathway") or (case.get("targets") or {}).get("pathway")
    return recorded_or_disclosed(None if recorded is None else str(recorded),
                                 case.get("behaviours") or ())


def counted_apart(cases: list[dict[str, Any]], last: date) -> dict[str, dict[str, Any]]:
    """The cases received in the year (`cases`, by opened_at) of each pathway NM01 does not
    count, as each stood at the year's end (`last`; ASB-REFERENCE 7: the landlord decides, and
    says, that domestic abuse and good-neighbour cases are not ASB cases for NM01), each pathway
    once, whether or not any case took it."""
    return {pathway: {"label": label,
                      "cases_opened": sum(1 for c in cases
                                          if pathway_in_year(c, last) == pathway),
                      "notes": f"{label}: not in NM01, counted apart"}
            for pathway, label in PATHWAYS.items() if pathway != NM01_PATHWAY}


def joined(case: dict[str, Any]) -> bool:
    """A case joined into another (asb.casework.regrouping): that one counts, this one does not.
    The listing index carries it in the case's targets."""
    return bool(case.get("joined_into") or (case.get("targets") or {}).get("joined_into"))


def as_csv(result: RegulatorFigures) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["measure", "value", "notes"])
    writer.writerow(["reporting year", result.year, "1 April to 31 March"])
    writer.writerow(["homes owned", result.homes, _homes_notes(result.homes_source)])
    writer.writerow(["ASB cases opened", result.cases_opened, "NM01 counting rule"])
    writer.writerow(["NM01(1) ASB cases per 1,000 homes", result.nm01_1, ""])
    writer.writerow(["hate-incident cases opened", result.hate_cases, ""])
    writer.writerow(["NM01(2) hate-incident cases per 1,000 homes", result.nm01_2, ""])
    for category, row in result.first_contact_on_time.items():
        writer.writerow([f"first contact on time, category {category}",
                         "" if row["share"] is None else row["share"],
                         f"{row['on_time']} of {row['contacts']}"])
    writer.writerow(["TP12 satisfied with the approach to handling ASB (per cent)",
                     result.tp12_percent, _tp12_notes(result.tp12_survey)])
    local = result.closure_satisfaction_local_measure_percent
    writer.writerow(["closure satisfaction (local measure, per cent)",
                     "" if local is None else local,
                     f"{result.closure_satisfaction_local_measure_respondents} closure survey "
                     "respondents; the landlord's own measure"])
    for name, count in result.case_reviews.items():
        writer.writerow([f"ASB Case Review: {name.replace('_', ' ')}", count,
                         "applications received in the year"])
    for apart in result.counted_apart.values():
        writer.writerow([f"{apart['label']}: cases opened (not in NM01)", apart["cases_opened"],
                         apart["notes"]])
    for group, counts in result.enforcement.items():
        for name, count in counts.items():
            writer.writerow([f"{_words(group)}: {_words(name)}", count,
                             "tools and powers recorded in the year, as they stand"])
    return out.getvalue()


def _words(name: str) -> str:
    return name.replace("_", " ")


def _homes_notes(source: str) -> str:
    if source == FROM_REGISTER:
        return ("from the homes register: general needs, supported housing and shared ownership "
                "(not leasehold)")
    return "the HomesOwned parameter, used only while the homes register is empty"


def _tp12_notes(survey: dict[str, Any] | None) -> str:
    if survey is None:
        return "the year's tenant perception survey is not imported"
    return (f"{survey['satisfied']} of {survey['base']} tenant perception survey respondents "
            f"({survey['respondents']} asked, {survey['not_applicable_or_dont_know']} not "
            f"applicable or don't know left out); imported by {survey['imported_by']} "
            f"on {survey['imported_at'][:10]}")
