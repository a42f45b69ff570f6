"""Closure surveys, the landlord's own measure of closure satisfaction (not the regulator's
TP12, which comes from the tenant perception survey: asb.tenant_survey): recorded on a closed
case, one answer per respondent per closure, counted in the reporting year they were answered."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from asb.case.change import CaseChange, CaseFolder, NewId, Record, audit_entry, bump
from asb.case.models import CaseStatus
from asb.case.records import Survey
from asb.case.targets import local_day
from asb.case_review.models import SatisfactionSurveyIn
from asb.kernel.errors import InvalidChange, RuleBroken
from asb.kernel.staff import StaffMember
from asb.kernel.validation import FieldError
from asb.policy.config import SATISFACTION_ANSWERS
from asb.policy.reporting_year import year_of


def record_survey(folder: CaseFolder, body: SatisfactionSurveyIn, by: StaffMember,
                  now: datetime, new_id: NewId = lambda: str(uuid.uuid4())) -> CaseChange:
    case = folder.case
    if case.status != CaseStatus.CLOSED or case.closed_at is None:
        raise RuleBroken("The satisfaction survey is asked once the case is closed")
    if body.answered_on > local_day(now) or body.answered_on < local_day(case.closed_at):
        raise InvalidChange([FieldError(
            "answered_on", "The answer must be dated between the closure and today")])
    identified = sorted((r for r in folder.reports if r.submission.reporter is not None),
                        key=lambda r: r.received_at)
    report = next((r for r in identified if body.report_id in (None, r.report_id)), None)
    if report is None:
        raise InvalidChange([FieldError("report_id",
                                        "Choose the report of an identified person on this case")])
    closure = case.closed_at.isoformat()
    if any(s.report_id == report.report_id and s.closure == closure for s in folder.surveys):
        raise RuleBroken("This person's survey answer for this closure is already recorded")
    survey = Survey.model_validate({
        "record_id": new_id(), "at": now, **body.model_dump(), "report_id": report.report_id,
        "closure": closure, "satisfied": SATISFACTION_ANSWERS[body.answer], "by": by.username,
        "reporting_year": year_of(body.answered_on), "year_on": body.answered_on})
    record = Record("Survey", survey.record_id, now, survey.as_stored())
    return CaseChange(bump(case, now), case.version, audit_entry(
        case, by, "SurveyRecorded", now, new_id,
        after={"record": record.record_id, "satisfied": survey.satisfied}), records=[record])


def closure_satisfaction(surveys: Iterable[dict[str, Any]]) -> tuple[float | None, int]:
    """Per cent of closure survey respondents very or fairly satisfied, and how many answered."""
    answers = [bool(s["satisfied"]) for s in surveys]
    if not answers:
        return None, 0
    return round(100 * sum(answers) / len(answers), 1), len(answers)
