"""Triage of a good-neighbour request (asb.case.good_neighbour): not triaged as ASB. No
category, risk-driven emergency, response targets or ASB Case Review count; it is assigned as a
case is (the patch's officer and team) and given one light follow-up: send the advice pack and
offer mediation. Where the reporter says the sound may come through a wall, floor or ceiling,
a property check goes to the repairs service (PropertyCheckRequested, minimised)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from asb.case.change import CaseFolder
from asb.case.good_neighbour import (
    GOOD_NEIGHBOUR,
    PROPERTY_CHECK_REQUESTED,
    follow_up_due,
    property_check,
    wants_property_check,
)
from asb.case.models import AuditEntry, Case, CaseStatus, DomainEvent, Report
from asb.case.tasks import GOOD_NEIGHBOUR_FOLLOW_UP, TASK_TITLES, Task
from asb.policy.config import POLICY_VERSION
from asb.triage.assignment import Assignment, assign


def good_neighbour_case(file: CaseFolder, report: Report, assignment: Assignment,
                        now: datetime) -> Case:
    case = file.case
    return case.model_copy(update={
        "status": CaseStatus.TRIAGED if case.status == CaseStatus.NEW else case.status,
        "updated_at": now, "version": case.version + 1,
        "officer": assignment.officer, "team": assignment.team,
        "report_count": len(file.reports),
        "triaged_report_ids": [*case.triaged_report_ids, report.report_id],
        "policy_version": POLICY_VERSION,  # its behaviours put it on this route
    })


def good_neighbour_events(after: Case, report: Report, now: datetime,
                          new_id: Callable[[], str]) -> list[DomainEvent]:
    def event(kind: str, detail: dict[str, Any]) -> DomainEvent:
        return DomainEvent(event_id=new_id(), type=kind, case_reference=after.reference,
                           occurred_at=now, detail=detail)

    checked = wants_property_check(report.submission)
    events = [event("CaseTriaged", {
        "report_id": report.report_id, "retriage": False, "pathway": GOOD_NEIGHBOUR,
        "property_check": checked, "officer": after.officer, "team": after.team,
        "anonymous": after.anonymous})]
    if checked:
        events.append(event(PROPERTY_CHECK_REQUESTED,
                            property_check(after, report).as_detail("system:triage")))
    return events


def good_neighbour_triage(file: CaseFolder, report: Report, now: datetime,
                          new_id: Callable[[], str]
                          ) -> tuple[Case, list[Task], list[DomainEvent], AuditEntry]:
    """What triage writes for a good-neighbour request, in its one transaction."""
    case = file.case
    assignment = (Assignment(case.officer, case.team, "already assigned") if case.team
                  else assign(case.postcode))
    after = good_neighbour_case(file, report, assignment, now)
    tasks = [] if GOOD_NEIGHBOUR_FOLLOW_UP in file.tasks else [
        Task(GOOD_NEIGHBOUR_FOLLOW_UP, follow_up_due(now), TASK_TITLES[GOOD_NEIGHBOUR_FOLLOW_UP])]
    events = good_neighbour_events(after, report, now, new_id)
    audit = AuditEntry(entry_id=new_id(), case_reference=case.reference, at=now,
                       actor="system:triage", action="GoodNeighbourRequestTriaged",
                       before={"status": case.status.value},
                       after={"status": after.status.value, "pathway": GOOD_NEIGHBOUR,
                              "officer": after.officer, "team": after.team,
                              "report_id": report.report_id,
                              "policy_version": POLICY_VERSION,
                              "property_check": any(e.type == PROPERTY_CHECK_REQUESTED
                                                    for e in events)})
    return after, tasks, events, audit
