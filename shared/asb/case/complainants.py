"""Whose each part of a case is: the complainant its action plan was agreed with (the case's
contact schedule is theirs), and every other reporter's own contact date.

A case gathers reports from people who need not know each other (a place, an alleged
perpetrator's address). What one of them is shown or sent must be theirs alone: the plan and the
case's next contact date only to the complainant the plan was agreed with; to anyone else only
the first contact their own report was promised. Pure, and light: the notifier imports it.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from asb.case.categorise import report_category
from asb.case.models import Case, CaseStatus, Report
from asb.case.targets import local_day
from asb.policy.config import FIRST_RESPONSE_WORKING_DAYS, Category
from asb.policy.working_days import add_working_days


def first_report(reports: Sequence[Report]) -> Report | None:
    return min(reports, key=lambda r: r.received_at) if reports else None


def complainant_id(case: Case, reports: Sequence[Report]) -> str | None:
    """The report of the complainant the plan was agreed with, as the plan records it; before
    any plan, or for a plan recorded before plans named one, the case's first report. None: the
    plan was agreed with nobody who can be told (the first report was anonymous)."""
    plan = case.action_plan or {}
    if "agreed_with" in plan:
        return plan["agreed_with"]  # type: ignore[no-any-return]
    first = first_report(reports)
    return first.report_id if first else None


def is_complainant(case: Case, report: Report, reports: Sequence[Report]) -> bool:
    """The case's lead complainant: the one its own plan (`Case.action_plan`) and contact
    schedule are agreed with."""
    return not report.submission.anonymous and complainant_id(case, reports) == report.report_id


def action_plans(case: Case, reports: Sequence[Report]) -> dict[str, dict[str, Any]]:
    """Every complainant's current plan, by the report of the complainant it was agreed with:
    the lead's (`Case.action_plan`, which a plan stored before plans named one belongs to the
    case's first report by) first, then each further complainant's own."""
    lead = complainant_id(case, reports)
    found = {lead: case.action_plan} if case.action_plan and lead else {}
    return {**found, **case.complainant_plans}


def own_plan(case: Case, report: Report, reports: Sequence[Report]) -> dict[str, Any] | None:
    """This reporter's own plan, and nobody else's: none for an anonymous report."""
    if report.submission.anonymous:
        return None
    return action_plans(case, reports).get(report.report_id)


def triaged(case: Case, report: Report) -> bool:
    """Triage has seen this report: before that, a report that joined a case is told no more
    than one that opened a case (no officer, no date)."""
    return report.report_id in case.triaged_report_ids


def own_first_contact_due(case: Case, report: Report) -> date | None:
    """The first contact this report was promised, once triaged: from the day it arrived, by
    its own category (as if it had opened its own case) - never the case's, which holds other
    reporters' behaviours and harm, and whose date would say that a serious case exists."""
    if case.category is None:
        return None
    return add_working_days(local_day(report.received_at),
                            FIRST_RESPONSE_WORKING_DAYS[report_category(report.submission)])


def promised_category(case: Case, report: Report, reports: Sequence[Report]) -> Category | None:
    """The category this reporter's first contact is promised by: the case's for the
    complainant whose report opened it (the case's own first contact is theirs), else their
    report's own (`own_first_contact_due`); None before triage."""
    if case.category is None:
        return None
    first = first_report(reports)
    if is_complainant(case, report, reports) and first and first.report_id == report.report_id:
        return case.category
    return report_category(report.submission)


def contact_due(case: Case, report: Report, reports: Sequence[Report]) -> date | None:
    """When this reporter will next hear from us (their page): as `contact_promised`, once
    triage has seen their report."""
    return contact_promised(case, report, reports) if triaged(case, report) else None


def contact_promised(case: Case, report: Report, reports: Sequence[Report]) -> date | None:
    """The case's own next contact date for its complainant, else the first contact this
    report was promised; never once the case is closed, never to an anonymous reporter (who is
    never contacted)."""
    if case.status == CaseStatus.CLOSED or report.submission.anonymous:
        return None
    targets = case.targets or {}
    due = None
    if is_complainant(case, report, reports):
        if case.first_contact_at:
            due = targets.get("next_contact_due")
        elif report.report_id == getattr(first_report(reports), "report_id", None):
            # The case's own first contact is this report's (brought forward if it grew urgent);
            # a later report's complainant is never shown a date from before they reported.
            due = targets.get("first_contact_due")
    if due is None:
        return own_first_contact_due(case, report)
    return datetime.fromisoformat(due).date()
