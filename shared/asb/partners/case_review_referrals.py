"""An ASB Case Review application referred to the lead body's point of contact (ASB-REFERENCE
section 6): the request is written by the review's application (asb.case.sharing), decided here
as any request to share, and its package is the case history the lead body needs - the case and
its incidents (everyone taken out of free text, as in every package), the complaints the
threshold counts with their dates, what the landlord has done and the risk where the agreement
allows them. No reporter or alleged perpetrator is named: the lead body asks the applicant."""

from __future__ import annotations

from datetime import date
from typing import Any

from asb.case.change import CaseFolder
from asb.case.minimisation import build_package
from asb.case.targets import local_day
from asb.policy.calendar_months import within_period
from asb.policy.config import CASE_REVIEW_APPLICATION_MONTHS


def case_review_package(folder: CaseFolder, request: dict[str, Any],
                        agreement: dict[str, Any]) -> dict[str, Any]:
    package = build_package(folder, {**request, "subject": "case"}, agreement)
    review = folder.case_reviews.get(str(request.get("review_id")))
    if review is None:
        return package
    applied_on = review.received_on
    package["case_review"] = {
        "review_id": review.review_id, "received_on": applied_on.isoformat(),
        "applicant": review.applicant,
        "threshold_met_at": folder.case.case_review_threshold_met_at.isoformat()
        if folder.case.case_review_threshold_met_at else None,
        "hate_incident": folder.case.hate_incident,
        "complaints": _complaints(folder, applied_on),
    }
    return package


def _complaints(folder: CaseFolder, applied_on: date) -> list[dict[str, Any]]:
    """Each report on the case with the day it was made and whether it falls in the six months
    before the application (s104(11)); the lead body counts the qualifying ones."""
    found = []
    for report in sorted(folder.reports, key=lambda r: r.received_at):
        made_on = local_day(report.received_at)
        incident = report.submission.incident
        found.append({
            "reported_on": made_on.isoformat(),
            "behaviour_from": incident.first_occurred.isoformat()
            if incident.first_occurred else None,
            "behaviours": list(incident.behaviours),
            "within_six_months": within_period(made_on, CASE_REVIEW_APPLICATION_MONTHS,
                                               applied_on)})
    return found
