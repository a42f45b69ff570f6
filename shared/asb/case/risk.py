"""Harm-centred risk assessment: a weighted questionnaire, every score with its reasons."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace

from asb.case.models import ReportedBefore
from asb.case.submission import ReportSubmission
from asb.policy.config import (
    RISK_HIGH_WHATEVER_THE_SCORE,
    RISK_QUESTIONS,
    RISK_THRESHOLDS,
    RiskLevel,
)

Answers = Mapping[str, bool | None]


@dataclass(frozen=True)
class RiskReason:
    question: str
    text: str
    points: int | None  # None: a reason that raised the level itself, not a scored answer
    source: str  # "report", "officer" or "records" (what the service found, as a repeat victim)

    def as_dict(self) -> dict[str, str | int]:
        shown: dict[str, str | int] = {"question": self.question, "text": self.text,
                                       "source": self.source}
        return shown if self.points is None else {**shown, "points": self.points}


@dataclass(frozen=True)
class RiskAssessment:
    score: int
    level: RiskLevel
    reasons: tuple[RiskReason, ...]

    def as_dict(self) -> dict[str, object]:
        return {"score": self.score, "level": self.level,
                "reasons": [r.as_dict() for r in self.reasons]}


def answers_from_report(report: ReportSubmission) -> dict[str, bool | None]:
    """The questionnaire as far as a report answers it, from its harm answers and behaviours."""
    harm, behaviours = report.harm, set(report.incident.behaviours)
    return {
        "repeat_victimisation": harm.happened_before,
        "being_targeted": True if behaviours & {"harassment", "intimidation"} else None,
        "hate_motive": True if report.is_hate_incident else None,
        "threats_or_violence": harm.threats_or_violence
        or (True if behaviours & {"threats", "violence"} else None),
        "domestic_abuse": True if "domestic_abuse" in behaviours else None,
        "fear": harm.feels_unsafe,
        "health_affected": harm.affects_health,
        "vulnerable_household": harm.vulnerable_household,
        "isolated": harm.lives_alone_or_isolated,
        "daily_life_affected": harm.affects_daily_life,
        "children_affected": harm.children_affected,
    }


def combine(reports: Iterable[Answers]) -> dict[str, bool | None]:
    """Across several reports of one case, a "yes" in any of them counts."""
    combined: dict[str, bool | None] = {}
    for answers in reports:
        for question, answer in answers.items():
            if answer is True or combined.get(question) is None:
                combined[question] = answer or combined.get(question)
    return combined


def assess(from_reports: Answers, from_officer: Answers | None = None) -> RiskAssessment:
    """Scores the questionnaire. An officer's answer replaces the reports' answer to a question."""
    officer = dict(from_officer or {})
    reasons = []
    for question, (text, weight) in RISK_QUESTIONS.items():
        source = "officer" if officer.get(question) is not None else "report"
        answer = officer[question] if source == "officer" else from_reports.get(question)
        if answer:
            reasons.append(RiskReason(question, text, weight, source))
    score = sum(r.points or 0 for r in reasons)
    high_whatever = any(r.question in RISK_HIGH_WHATEVER_THE_SCORE for r in reasons)
    return RiskAssessment(score, "high" if high_whatever else level_for(score), tuple(reasons))


def level_for(score: int) -> RiskLevel:
    if score >= RISK_THRESHOLDS["high"]:
        return "high"
    if score >= RISK_THRESHOLDS["medium"]:
        return "medium"
    return "standard"


REPEAT_VICTIM = "repeat_victim"
_LEVEL_ABOVE: dict[RiskLevel, RiskLevel] = {"standard": "medium", "medium": "high", "high": "high"}


def raised_for_repeat_victim(risk: RiskAssessment,
                             reported_before: Sequence[ReportedBefore]) -> RiskAssessment:
    """A repeat victim's risk is one level higher than the answers score it (never beyond high),
    each earlier case a reason: its reference and the month it opened, nothing else of it."""
    if not reported_before:
        return risk
    reasons = tuple(dict.fromkeys(  # once a case, though two complainants had it
        RiskReason(REPEAT_VICTIM, f"Reported before: {earlier.reference}, opened "
                                  f"in {earlier.opened_on:%B %Y}", None, "records")
        for earlier in reported_before))
    return replace(risk, level=_LEVEL_ABOVE[risk.level], reasons=(*risk.reasons, *reasons))
