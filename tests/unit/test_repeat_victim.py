"""A repeat victim at triage: a complainant who reported another case in the 12 months before
their report here is flagged, their risk one level higher, each earlier case a reason."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from typing import Any

import pytest

from asb.case.change import CaseFolder
from asb.case.models import Case, Report, ReportedBefore
from asb.case.people import REPORTER, people_of
from asb.case.risk import RiskAssessment, raised_for_repeat_victim
from asb.casework.commands import reassess_risk
from asb.casework.models import RiskReassessmentIn
from asb.intake.service import open_case, parse_submission
from asb.kernel.clock import FixedClock
from asb.kernel.staff import StaffMember
from asb.triage.case_review_threshold import Complaint
from asb.triage.repeat_victim import EarlierCase, reported_before
from asb.triage.service import TriageService, TriageUpdate, decide
from tests.conftest import sample_event

NOW = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)
THIS = "ASB-2026-000200"


def opened(anonymous: bool = False, perpetrator: str | None = None, **harm: Any) -> CaseFolder:
    data = json.loads(sample_event("intake-valid-json")["body"])
    data["harm"] = harm
    if perpetrator:
        data["perpetrator"]["name"] = perpetrator
    if anonymous:
        data.pop("reporter")
    made = open_case(parse_submission(data, NOW), THIS, "api", NOW, lambda: "r1")
    return CaseFolder(made.case, [made.report])


def earlier(reference: str, opened: datetime, closed: datetime | None = None) -> EarlierCase:
    return EarlierCase(reference, opened, closed)


def the_report(file: CaseFolder) -> Report:
    return file.reports[0]


MARCH = datetime(2026, 3, 14, 10, tzinfo=UTC)


def test_another_case_open_within_the_12_months_before_makes_a_repeat_victim() -> None:
    report = the_report(opened())
    found = reported_before(report, [earlier("ASB-2026-000123", MARCH)])
    assert found == [ReportedBefore(reference="ASB-2026-000123", opened_on=date(2026, 3, 14),
                                    report_id=report.report_id)]
    closed_since = earlier("ASB-2026-000124", MARCH, datetime(2026, 6, 1, tzinfo=UTC))
    assert [r.reference for r in reported_before(report, [closed_since])] == ["ASB-2026-000124"]
    long_running = earlier("ASB-2023-000007", datetime(2023, 5, 2, tzinfo=UTC))  # still open
    assert [r.reference for r in reported_before(report, [long_running])] == ["ASB-2023-000007"]


def test_closed_12_months_before_to_the_day_counts_and_12_months_and_a_day_does_not() -> None:
    report = the_report(opened())  # 25 November 2026
    a_year = earlier("ASB-2025-000900", datetime(2025, 1, 6, tzinfo=UTC),
                     datetime(2025, 11, 25, 8, tzinfo=UTC))
    and_a_day = earlier("ASB-2025-000899", datetime(2025, 1, 6, tzinfo=UTC),
                        datetime(2025, 11, 24, 23, 30, tzinfo=UTC))
    assert [r.reference for r in reported_before(report, [a_year, and_a_day])] == ["ASB-2025-000900"]
    assert reported_before(report, [and_a_day]) == []


def test_the_same_case_and_a_case_opened_after_the_report_do_not_count() -> None:
    report = the_report(opened())
    assert reported_before(report, [earlier(THIS, datetime(2026, 10, 1, tzinfo=UTC)),
                                    earlier("ASB-2026-000300", datetime(2026, 11, 26, tzinfo=UTC))]) == []


def test_an_anonymous_report_is_never_a_repeat_victim() -> None:
    report = the_report(opened(anonymous=True))
    assert report.submission.anonymous
    assert reported_before(report, [earlier("ASB-2026-000123", MARCH)]) == []


def test_each_earlier_case_once_newest_first_and_what_was_known_kept() -> None:
    report = the_report(opened())
    known = [ReportedBefore(reference="ASB-2026-000050", opened_on=date(2026, 1, 5))]
    found = reported_before(report, [earlier("ASB-2026-000123", MARCH),
                                     earlier("ASB-2026-000150", datetime(2026, 6, 30, tzinfo=UTC))],
                            known)
    assert [(r.reference, r.opened_on) for r in found] == [
        ("ASB-2026-000150", date(2026, 6, 30)), ("ASB-2026-000123", date(2026, 3, 14)),
        ("ASB-2026-000050", date(2026, 1, 5))]


def test_each_flag_says_whose_report_found_it_and_one_kept_before_that_is_replaced() -> None:
    report = the_report(opened())
    other_complainants = ReportedBefore(reference="ASB-2026-000123", opened_on=date(2026, 3, 14),
                                        report_id="another-report")
    kept_before = ReportedBefore(reference="ASB-2026-000150", opened_on=date(2026, 6, 30))
    found = reported_before(report, [earlier("ASB-2026-000123", MARCH),
                                     earlier("ASB-2026-000150", datetime(2026, 6, 30, tzinfo=UTC))],
                            [other_complainants, kept_before])
    assert [(r.reference, r.report_id) for r in found] == [
        ("ASB-2026-000150", report.report_id), ("ASB-2026-000123", "another-report"),
        ("ASB-2026-000123", report.report_id)]
    risk = raised_for_repeat_victim(RiskAssessment(7, "standard", ()), found)
    assert [r.text for r in risk.reasons] == ["Reported before: ASB-2026-000150, opened in June "
                                              "2026", "Reported before: ASB-2026-000123, opened "
                                              "in March 2026"]  # once a case


@pytest.mark.parametrize(("level", "raised"), [("standard", "medium"), ("medium", "high"),
                                               ("high", "high")])
def test_a_repeat_victims_risk_is_one_level_higher_never_beyond_high(level: Any, raised: str) -> None:
    before = [ReportedBefore(reference="ASB-2026-000123", opened_on=date(2026, 3, 14))]
    risk = raised_for_repeat_victim(RiskAssessment(7, level, ()), before)
    assert (risk.score, risk.level) == (7, raised)
    assert risk.as_dict()["reasons"] == [{"question": "repeat_victim", "source": "records",
                                          "text": "Reported before: ASB-2026-000123, opened in March 2026"}]
    assert raised_for_repeat_victim(RiskAssessment(7, level, ()), []).level == level


def test_triage_raises_the_risk_and_keeps_the_finding_on_the_case() -> None:
    file = opened()
    plain = decide(file, [], NOW)
    before = [ReportedBefore(reference="ASB-2026-000123", opened_on=date(2026, 3, 14))]
    flagged = decide(file, [], NOW, before)
    assert (plain.risk.level, flagged.risk.level) == ("standard", "medium")
    assert flagged.reported_before == tuple(before)


class FakeTriageStore:
    """A case's file in memory; the complainant's earlier reports by identifier."""

    def __init__(self, file: CaseFolder, by_key: dict[str, list[EarlierCase]]) -> None:
        self.file, self.by_key = file, by_key
        self.asked: list[tuple[list[str], str]] = []
        self.saved: list[TriageUpdate] = []

    def load(self, reference: str) -> CaseFolder | None:
        return self.file if reference == self.file.case.reference else None

    def complaints_on(self, reference: str) -> list[Complaint]:
        return []

    def cases_reported_by(self, person_keys: list[str], besides: str) -> list[EarlierCase]:
        self.asked.append((person_keys, besides))
        return [e for key in person_keys for e in self.by_key.get(key, []) if e.reference != besides]

    def save(self, update: TriageUpdate) -> None:
        self.saved.append(update)


def test_the_service_looks_only_under_the_reporters_own_identifiers() -> None:
    file = opened(perpetrator="Sam Carter")  # named with an address: a lookup key of their own
    mine = [p.key for p in people_of(the_report(file).submission) if p.role == REPORTER]
    perpetrators = [p.key for p in people_of(the_report(file).submission) if p.role != REPORTER]
    assert perpetrators
    store = FakeTriageStore(file, {
        mine[0]: [earlier("ASB-2026-000123", MARCH)],
        **{key: [earlier("ASB-2026-000999", datetime(2026, 9, 1, tzinfo=UTC))] for key in perpetrators}})
    TriageService(store, FixedClock(NOW), new_id=lambda: "e").triage(THIS, "r1")
    assert store.asked == [(mine, THIS)]
    case = store.saved[0].case
    assert [r.reference for r in case.reported_before] == ["ASB-2026-000123"]
    assert case.risk is not None and case.risk["level"] == "medium"
    assert store.saved[0].audit.after["reported_before"] == ["ASB-2026-000123"]


def test_an_anonymous_report_is_not_looked_up_at_all() -> None:
    store = FakeTriageStore(opened(anonymous=True), {})
    TriageService(store, FixedClock(NOW), new_id=lambda: "e").triage(THIS, "r1")
    assert store.asked == []
    assert store.saved[0].case.reported_before == []


def test_an_officers_reassessment_keeps_a_repeat_victims_raise() -> None:
    file = opened()
    case: Case = file.case.model_copy(update={"reported_before": [
        ReportedBefore(reference="ASB-2026-000123", opened_on=date(2026, 3, 14))]})
    change = reassess_risk(CaseFolder(case, file.reports), RiskReassessmentIn(answers={}),
                           StaffMember("o.hughes", frozenset({"officer"}), "yeovil"), NOW)
    assert change.case.risk is not None and change.case.risk["level"] == "medium"


def test_retention_drops_a_repeat_victims_other_cases_and_keeps_the_risk_level() -> None:
    from tests.unit.test_erase_plan import closed_case, plan_of

    flagged = closed_case(reported_before=[ReportedBefore(reference="ASB-2026-000123",
                                                          opened_on=date(2026, 3, 14))],
                          risk={"score": 7, "level": "medium", "reasons": [
                              {"question": "health_affected", "text": "Health", "points": 3,
                               "source": "report"},
                              {"question": "repeat_victim", "source": "records",
                               "text": "Reported before: ASB-2026-000123, opened in March 2026"}]})
    erasure = plan_of(case=flagged).case
    assert "reported_before" in erasure.remove
    assert erasure.overwrite["risk"] == {"score": 7, "level": "medium", "reasons": [
        {"question": "health_affected", "text": "Health", "points": 3, "source": "report"}]}
    assert "reported_before" not in plan_of().case.remove
