"""The landlord's category (A, B or C) from the behaviours, raised by harm; emergency or not."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from asb.case.risk import RiskAssessment, answers_from_report, assess
from asb.case.submission import ReportSubmission
from asb.policy.config import (
    BEHAVIOUR_CATALOGUE,
    BEHAVIOUR_CATEGORY,
    EMERGENCY_BEHAVIOURS,
    FIRST_RESPONSE_WORKING_DAYS,
    HATE_INCIDENT_MINIMUM_CATEGORY,
    LEGACY_BEHAVIOURS,
    RISK_MINIMUM_CATEGORY,
    Category,
)

# The landlord's categories, the most serious first (A; a document names one to three: A, B, C).
CATEGORIES: tuple[Category, ...] = tuple(sorted(FIRST_RESPONSE_WORKING_DAYS))  # type: ignore[arg-type]
# What a behaviour outside the published list is (the least serious of the landlord's).
LEAST_SERIOUS: Category = CATEGORIES[-1]


def _most_serious(*categories: str) -> Category:
    best = min(categories, key=CATEGORIES.index)
    assert best in ("A", "B", "C")
    return best  # type: ignore[return-value]


def _label(behaviour: str) -> str:
    """A behaviour in the words of the published list: staff read the reasons."""
    known = {**BEHAVIOUR_CATALOGUE, **LEGACY_BEHAVIOURS}.get(behaviour)
    return known.label.lower() if known else behaviour.replace("_", " ")


@dataclass(frozen=True)
class CategoryDecision:
    category: Category
    reasons: tuple[str, ...]


def categorise(behaviours: Iterable[str], hate_incident: bool,
               risk: RiskAssessment) -> CategoryDecision:
    behaviours = list(behaviours)
    by_behaviour = [BEHAVIOUR_CATEGORY.get(b, LEAST_SERIOUS) for b in behaviours] or [LEAST_SERIOUS]
    category = _most_serious(*by_behaviour)
    reasons = [f"behaviours ({', '.join(map(_label, behaviours))}) are category {category}"]
    if hate_incident and _most_serious(category, HATE_INCIDENT_MINIMUM_CATEGORY) != category:
        category = _most_serious(category, HATE_INCIDENT_MINIMUM_CATEGORY)
        reasons.append(f"a hate incident is at least category {category}")
    floor = RISK_MINIMUM_CATEGORY[risk.level]
    if _most_serious(category, floor) != category:
        category = _most_serious(category, floor)
        reasons.append(f"{risk.level} risk makes it category {category}")
    return CategoryDecision(category, tuple(reasons))


def report_category(report: ReportSubmission) -> Category:
    """One report's own category - its behaviours, hate flag and harm answers alone - as if it
    had opened a case of its own: what a reporter who is not the case's complainant is promised
    by, since the case's category holds what others reported."""
    return categorise(report.incident.behaviours, report.is_hate_incident,
                      assess(answers_from_report(report))).category


def override_gives_way(value: str, hate_incident: bool) -> bool:
    """Any hate incident is at least HATE_INCIDENT_MINIMUM_CATEGORY however it was flagged: an
    officer's override below that gives way once the case is a hate incident."""
    return hate_incident and _most_serious(value, HATE_INCIDENT_MINIMUM_CATEGORY) != value


def with_override(decided: CategoryDecision, override: dict[str, str] | None,
                  hate_incident: bool) -> CategoryDecision:
    """The category an officer set stands, unless it is below a hate incident's minimum."""
    if not override:
        return decided
    if override_gives_way(override["value"], hate_incident):
        return CategoryDecision(decided.category, (*decided.reasons, (
            f"the override to category {override['value']} by {override['by']} gives way: a "
            f"hate incident is at least category {HATE_INCIDENT_MINIMUM_CATEGORY}")))
    return CategoryDecision(override["value"],  # type: ignore[arg-type]
                            (f"set by {override['by']}: {override['reason']}",))


@dataclass(frozen=True)
class EmergencyDecision:
    emergency: bool
    reasons: tuple[str, ...]


def emergency(behaviours: Iterable[str], threats_or_violence: bool | None,
              risk: RiskAssessment) -> EmergencyDecision:
    """Policy point 1: harassment, threats, violence or a significant risk of harm."""
    reasons = [f"{b} reported" for b in sorted(set(behaviours) & EMERGENCY_BEHAVIOURS)]
    if threats_or_violence and not reasons:
        reasons.append("the reporter says there have been threats or violence")
    if risk.level == "high":
        reasons.append("the risk assessment is high")
    return EmergencyDecision(bool(reasons), tuple(reasons))
