"""The case item as stored: the case itself plus the attributes its listing indexes key on."""

from __future__ import annotations

from datetime import UTC, datetime, time
from typing import Any

from asb.case.good_neighbour import ASB_OPENED
from asb.case.models import Case, CaseStatus
from asb.case.pathways import pathway_of_case
from asb.case.retention import RETENTION
from asb.case.targets import NO_ACTIVITY, local_day, no_activity_due
from asb.dynamo import keys
from asb.policy.config import UNASSIGNED_TEAM
from asb.policy.reporting_year import year_of


def case_item(case: Case) -> dict[str, Any]:
    item: dict[str, Any] = {**keys.case_key(case.reference), keys.ENTITY: "Case",
                            **case.model_dump(mode="json", exclude_none=True)}
    if not case.reported_before:  # not a repeat victim: the item as it was before the field
        del item["reported_before"]
    if not case.complainant_plans:  # one complainant's plan at most: the item as it was before
        del item["complainant_plans"]
    if not case.joined_from:
        del item["joined_from"]
    if case.pathway == "asb":  # the ASB pathway, as every case was before pathways
        del item["pathway"]
    if (treated_as := pathway_of_case(case)) != "asb":
        # The listing indexes' projections are fixed (one index change per deployment): their
        # `targets` carry it, so lists and the year's figures see the pathway (joined_into's way);
        # a case from before pathways that discloses domestic abuse, the pathway it is treated as.
        item["targets"] = {**(item.get("targets") or {}), "pathway": treated_as}
    # A case not yet triaged sits on the intake team's queue, so lists and figures see it.
    team = case.team or UNASSIGNED_TEAM
    item["list_team"] = team
    item["team_status"] = f"{team}#{case.status.value}"
    if case.category:
        item["team_category"] = f"{team}#{case.category}"
    if case.emergency and case.status != CaseStatus.CLOSED:
        item["team_emergency"] = team
    if case.officer:
        item["list_officer"] = case.officer
    elif case.status != CaseStatus.CLOSED:
        item["list_officer"] = keys.unassigned_queue(team)  # the assignment queue
    if case.status == CaseStatus.CLOSED and case.retain_until and not case.legal_hold \
            and not case.anonymised_at:
        # Past retention, the sweep anonymises it; a legal hold keeps it out of the index.
        item["case_reference"] = case.reference
        item["kind"] = RETENTION
        item["due_kind"] = RETENTION
        item["due_at"] = datetime.combine(case.retain_until, time(0), UTC).isoformat()
    if case.asb_opened_at and case.pathway == "asb":
        # A good-neighbour request moved to ASB: NM01 counts it in the reporting year of that
        # day (asb.reporting.regulator), found on ByReportingYear (AsbOpened#<year>) even when
        # the request came in an earlier year; the listing indexes' rows carry the day too.
        item["targets"] = {**(item.get("targets") or {}),
                           "asb_opened_at": case.asb_opened_at.isoformat()}
        moved_on = local_day(case.asb_opened_at)
        item["year_list"] = keys.year_list(ASB_OPENED, year_of(moved_on))
        item["year_on"] = moved_on.isoformat()
    if case.status != CaseStatus.CLOSED and case.pathway != "good_neighbour":
        # The case itself is due work: quiet for 20 working days, the sweep raises it (an ASB
        # target; a good-neighbour request has its own light follow-up instead).
        item["case_reference"] = case.reference
        item["kind"] = NO_ACTIVITY
        item["due_kind"] = NO_ACTIVITY
        item["due_at"] = no_activity_due(case.updated_at).isoformat()
    return item


def case_from_item(item: dict[str, Any]) -> Case:
    case = {k: v for k, v in item.items() if k in Case.model_fields}
    if {"pathway", "asb_opened_at"} & set(case.get("targets") or {}):
        # the index's copies: the case has its own
        targets = {k: v for k, v in case["targets"].items()
                   if k not in ("pathway", "asb_opened_at")}
        case["targets"] = targets or None
    return Case.model_validate(case)
