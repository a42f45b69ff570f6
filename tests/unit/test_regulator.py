"""The regulator's ASB figures as a plain function of the cases opened in a reporting year."""

from __future__ import annotations

from typing import Any

from asb.regulator import as_csv, figures
from asb.reporting_year import reporting_year, year_of


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
    result = figures(cases, homes=2000, starting=2026)
    assert (result.cases_opened, result.hate_cases) == (3, 1)
    assert (result.nm01_1, result.nm01_2) == (1.5, 0.5)
    assert result.first_contact_on_time["A"] == {"contacts": 2, "on_time": 1, "share": 0.5}
    assert result.first_contact_on_time["C"]["share"] is None
    assert result.year == "2026/27"
    text = as_csv(result)
    assert '"NM01(1) ASB cases per 1,000 homes",1.5,' in text
    assert "TP12 satisfied with ASB handling,,0 closure survey respondents" in text


def test_tp12_counts_very_and_fairly_satisfied_among_respondents() -> None:
    surveys = [{"satisfied": True}, {"satisfied": True}, {"satisfied": False}]
    result = figures([], homes=2000, starting=2026, surveys=surveys)
    assert (result.tp12, result.tp12_respondents) == (0.667, 3)
    assert "TP12 satisfied with ASB handling,0.667,3 closure survey respondents" in as_csv(result)


def test_the_case_review_statistics_are_in_the_annual_figures() -> None:
    reviews = [
        {"status": "threshold not met"},
        {"status": "appealed", "appeal": {"against": "threshold not met"}},
        {"status": "completed", "meeting": {"held_on": "2026-12-01"},
         "recommendations": [{"action": "Joint visit", "owner": "police"}]},
        {"status": "completed", "meeting": {"held_on": "2026-12-02"}, "recommendations": []},
        {"status": "applied"},
    ]
    result = figures([], homes=2000, starting=2026, case_reviews=reviews)
    assert result.case_reviews == {"applications": 5, "threshold_not_met": 2,
                                   "reviews_held": 2, "reviews_with_recommendations": 1}
    assert "ASB Case Review: threshold not met,2," in as_csv(result)
