"""The regulator's ASB figures as a plain function of the cases opened in a reporting year."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime
from typing import Any

import pytest

from asb.case.categorise import categorise
from asb.case.change import CaseFolder
from asb.case.models import Case, CaseStatus, Report
from asb.case.risk import answers_from_report, assess
from asb.casework.commands import reassess_risk
from asb.casework.models import RiskReassessmentIn
from asb.intake.service import parse_submission
from asb.kernel.errors import InvalidChange
from asb.kernel.staff import StaffMember
from asb.policy.reporting_year import reporting_year, year_of
from asb.reporting.regulator import (
    FROM_PARAMETER,
    FROM_REGISTER,
    HomesOwned,
    RegulatorFigures,
    as_csv,
    figures,
    homes_owned,
)
from asb.reporting.tenant_survey import parse_survey_csv, survey_record
from asb.triage.service import hate_incident
from tests.conftest import sample_event

NOW = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)
OFFICER = StaffMember("o.hughes", frozenset({"officer"}), "yeovil")
HOMES = HomesOwned(2000, FROM_REGISTER)


def case(opened: str, category: str = "B", hate: bool = False,
         on_time: bool | None = None) -> dict[str, Any]:
    return {"opened_at": f"{opened}T10:00:00+00:00", "category": category,
            "hate_incident": hate, "first_contact_on_time": on_time}


def test_a_reporting_year_runs_april_to_march() -> None:
    first, last = reporting_year(2026)
    assert (first.isoformat(), last.isoformat()) == ("2026-04-01", "2027-03-31")
    assert year_of(first) == 2026 and year_of(last) == 2026


def test_nm01_per_1000_homes_and_first_contacts_on_time() -> None:
    cases = [case("2026-04-01", "A", hate=True, on_time=True), case("2026-11-25", "A", on_time=False),
             case("2027-03-31", "B", on_time=True), case("2026-03-31"), case("2027-04-01")]
    result = figures(cases, homes=HOMES, starting=2026)
    assert (result.cases_opened, result.hate_cases) == (3, 1)
    assert (result.nm01_1, result.nm01_2) == (1.5, 0.5)
    assert result.first_contact_on_time["A"] == {"contacts": 2, "on_time": 1, "share": 0.5}
    assert result.first_contact_on_time["C"]["share"] is None
    assert result.year == "2026/27"
    text = as_csv(result)
    assert '"NM01(1) ASB cases per 1,000 homes",1.5,' in text
    assert result.tp12_percent == "not imported"
    assert csv_rows(result)["TP12 satisfied with the approach to handling ASB (per cent)"] == [
        "not imported", "the year's tenant perception survey is not imported"]


def csv_rows(result: RegulatorFigures) -> dict[str, list[str]]:
    return {row[0]: row[1:] for row in csv.reader(io.StringIO(as_csv(result)))}


SURVEY = ("reporting_year,respondents,very_satisfied,fairly_satisfied,neither,"
          "fairly_dissatisfied,very_dissatisfied,not_applicable_or_dont_know\n"
          "2026/27,200,90,45,25,12,8,20\n")


def imported(text: str = SURVEY, year: int = 2026) -> dict[str, Any]:
    return survey_record(parse_survey_csv(text, year), "m.jones",
                         datetime(2027, 4, 2, 10, 0, tzinfo=UTC), 1)


def test_tp12_is_the_tenant_perception_surveys_satisfied_share_without_dont_knows() -> None:
    result = figures([], homes=HOMES, starting=2026, tenant_survey=imported())
    assert result.tp12_percent == 75.0  # 135 of the 180 who answered; not 135 of 200
    assert result.tp12_survey is not None
    assert (result.tp12_survey["satisfied"], result.tp12_survey["base"]) == (135, 180)
    assert csv_rows(result)["TP12 satisfied with the approach to handling ASB (per cent)"] == [
        "75.0", "135 of 180 tenant perception survey respondents (200 asked, 20 not applicable "
                "or don't know left out); imported by m.jones on 2027-04-02"]


def test_closure_surveys_are_the_landlords_local_measure_never_tp12() -> None:
    surveys = [{"satisfied": True}, {"satisfied": True}, {"satisfied": False}]
    result = figures([], homes=HOMES, starting=2026, surveys=surveys)
    assert result.tp12_percent == "not imported"
    assert (result.closure_satisfaction_local_measure_percent,
            result.closure_satisfaction_local_measure_respondents) == (66.7, 3)
    assert csv_rows(result)["closure satisfaction (local measure, per cent)"] == [
        "66.7", "3 closure survey respondents; the landlord's own measure"]


def test_the_survey_file_may_come_from_a_spreadsheet() -> None:
    text = ("\ufeffReporting_Year,Respondents,Very_Satisfied,Fairly_Satisfied,Neither,"
            "Fairly_Dissatisfied,Very_Dissatisfied,Not_Applicable_Or_Dont_Know\r\n"
            '2026,"1,200",500,300,200,100,50,50\r\n\r\n')
    survey = parse_survey_csv(text, 2026)
    assert (survey.respondents, survey.base, survey.tp12_percent) == (1200, 1150, 69.6)


@pytest.mark.parametrize(("text", "field"), [
    ("", "body"),
    (SURVEY.replace(",neither", ""), "row 1, column neither"),
    (SURVEY.replace("neither", "neutral"), "row 1, column neither"),
    (SURVEY.replace("2026/27,", "2025/26,"), "row 2, column reporting_year"),
    (SURVEY.replace("2026/27,", "2026/28,"), "row 2, column reporting_year"),
    (SURVEY.replace(",45,", ",-45,"), "row 2, column fairly_satisfied"),
    (SURVEY.replace(",45,", ",forty,"), "row 2, column fairly_satisfied"),
    (SURVEY.replace(",45,", ",4\u00b2,"), "row 2, column fairly_satisfied"),
    (SURVEY.replace(",45,", ",\u0664\u0665,"), "row 2, column fairly_satisfied"),
    (SURVEY.replace(",45,", "," + "9" * 5000 + ","), "row 2, column fairly_satisfied"),
    (SURVEY.replace(",45,", ",10000000,"), "row 2, column fairly_satisfied"),
    (SURVEY.replace("2026/27,", "\uff12\uff10\uff12\uff16/27,"), "row 2, column reporting_year"),
    (SURVEY.replace(",200,", ",201,"), "row 2, column respondents"),
    (SURVEY.replace(",8,20\n", ",8\n"), "row 2"),
    (SURVEY + "2026/27,1,1,0,0,0,0,0\n", "row 3"),
    (SURVEY.splitlines()[0], "row 2"),
    (SURVEY.replace("2026/27,200,90,45,25,12,8,20", "2026/27,20,0,0,0,0,0,20"),
     "row 2, column not_applicable_or_dont_know"),
])
def test_a_bad_survey_file_names_the_row_and_column(text: str, field: str) -> None:
    with pytest.raises(InvalidChange) as refused:
        parse_survey_csv(text, 2026)
    assert field in [e.field for e in refused.value.errors]


def test_the_case_review_statistics_are_in_the_annual_figures() -> None:
    reviews = [
        {"status": "threshold not met"},
        {"status": "appealed", "appeal": {"against": "threshold not met"}},
        {"status": "completed", "meeting": {"held_on": "2026-12-01"},
         "recommendations": [{"action": "Joint visit", "owner": "police"}]},
        {"status": "completed", "meeting": {"held_on": "2026-12-02"}, "recommendations": []},
        {"status": "applied"},
    ]
    result = figures([], homes=HOMES, starting=2026, case_reviews=reviews,
                    case_review_lead_body=True)
    assert result.case_reviews == {"applications": 5, "threshold_not_met": 2,
                                   "reviews_held": 2, "reviews_with_recommendations": 1}
    assert "ASB Case Review: threshold not met,2," in as_csv(result)


def reported(report_id: str, behaviours: list[str], targeted_for: list[str]) -> Report:
    data = json.loads(sample_event("intake-valid-json")["body"])
    data["incident"]["behaviours"] = behaviours
    data["harm"] = {"targeted_for_identity": targeted_for}
    submission = parse_submission(data, NOW)
    return Report(report_id=report_id, case_reference="ASB-2026-000123", received_at=NOW,
                  channel="api", submission=submission, hate_incident=submission.is_hate_incident)


def triaged(behaviours: list[str], targeted_for: list[str] | None = None,
            category_override: str | None = None) -> CaseFolder:
    """A case triaged from one report: its risk and category from the triage rules."""
    report = reported("r1", behaviours, targeted_for or [])
    risk = assess(answers_from_report(report.submission))
    decided = categorise(behaviours, report.hate_incident, risk)
    case = Case(reference="ASB-2026-000123", status=CaseStatus.TRIAGED, opened_at=NOW,
                updated_at=NOW, anonymous=False, behaviours=behaviours,
                hate_incident=report.hate_incident, location_address="12 Orchard Close",
                postcode="BA20 1AB", category=decided.category,
                category_reasons=list(decided.reasons), risk=risk.as_dict(), team="yeovil",
                officer="o.hughes")
    if category_override:
        case = case.model_copy(update={"category": category_override, "category_override": {
            "value": category_override, "reason": "Minor, on the evidence.", "by": "staff:x"}})
    return CaseFolder(case, [report])


def reassessed(folder: CaseFolder, **answers: bool) -> Case:
    return reassess_risk(folder, RiskReassessmentIn(answers=answers), OFFICER, NOW).case


def test_an_officers_finding_of_a_hate_motive_makes_it_a_hate_incident_in_nm01_2() -> None:
    folder = triaged(["children_and_young_people"])
    assert (folder.case.hate_incident, folder.case.category) == (False, "C")
    change = reassess_risk(folder, RiskReassessmentIn(answers={"hate_motive": True}), OFFICER,
                           NOW)
    case = change.case
    assert case.hate_incident and case.hate_finding is not None
    assert case.hate_finding["by"] == "o.hughes"
    assert change.audit.actor == "staff:o.hughes"
    assert change.audit.after is not None
    assert change.audit.after["hate_incident_found_by"] == "o.hughes"
    assert case.category != "C"  # a hate incident is never C
    result = figures([case.model_dump(mode="json")], homes=HOMES, starting=year_of(NOW.date()))
    assert (result.cases_opened, result.hate_cases, result.nm01_2) == (1, 1, 0.5)


def test_an_officers_no_does_not_unmark_a_perceived_hate_incident() -> None:
    by_the_victim = triaged(["noise"], targeted_for=["race"])
    assert by_the_victim.case.hate_incident
    assert reassessed(by_the_victim, hate_motive=False).hate_incident
    found = reassessed(triaged(["noise"]), hate_motive=True)
    later = reassessed(CaseFolder(found, triaged(["noise"]).reports), hate_motive=False)
    assert later.hate_incident and later.hate_finding == found.hate_finding


def test_a_further_reports_triage_keeps_an_officers_finding() -> None:
    found = reassessed(triaged(["children_and_young_people"]), hate_motive=True)
    first = triaged(["children_and_young_people"]).reports[0]
    joined = reported("r2", ["children_and_young_people"], [])
    assert hate_incident(CaseFolder(found, [first, joined]))
    assert not hate_incident(CaseFolder(triaged(["noise"]).case, [first, joined]))


def test_an_officers_finding_sets_aside_a_category_override_below_a_hate_incidents() -> None:
    found = reassessed(triaged(["noise"], category_override="C"), hate_motive=True)
    assert found.category != "C" and found.category_override is None


def test_homes_owned_come_from_the_register_and_the_parameter_only_while_it_is_empty() -> None:
    from asb.case.homes import Home, Tenure
    from tests.fakes import FakeHomesRegister

    register = FakeHomesRegister([
        Home("1", "1 Larch Walk", "BA20 1CK", Tenure.GENERAL_NEEDS, "yeovil"),
        Home("2", "2 Larch Walk", "BA20 1CK", Tenure.SHARED_OWNERSHIP, "yeovil"),
        Home("3", "3 Larch Walk", "BA20 1CK", Tenure.LEASEHOLD, "yeovil"),
        Home("4", "4 Larch Walk", "BA20 1CK", Tenure.NOT_OURS, "yeovil")])
    assert homes_owned(register.homes_owned(), 10000) == HomesOwned(2, FROM_REGISTER)
    assert homes_owned(FakeHomesRegister().homes_owned(), 10000) == HomesOwned(10000, FROM_PARAMETER)
    from_register = figures([case("2026-05-01")], homes=HomesOwned(2, FROM_REGISTER), starting=2026)
    assert (from_register.nm01_1, from_register.homes_source) == (500.0, FROM_REGISTER)
    assert csv_rows(from_register)["homes owned"] == [
        "2", "from the homes register: general needs, supported housing and shared ownership "
        "(not leasehold)"]
    assert csv_rows(figures([], homes=HomesOwned(10000, FROM_PARAMETER), starting=2026))[
        "homes owned"] == ["10000", "the HomesOwned parameter, used only while the homes register is empty"]
