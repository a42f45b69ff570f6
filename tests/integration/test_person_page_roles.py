"""Whose a report is on a person's page (issue 21 review): intake gives the alleged
perpetrator's party the report that named him, but that report, its harm answers and its contact
safety are the complainant's - never shown on his page. Through intake, triage and the staff
reads on moto."""

from __future__ import annotations

from typing import Any

from tests.integration.helpers import Staff

OFFICER = ("o.hughes", "officer", "yeovil")


def party_with(staff: Staff, reference: str, role: str) -> dict[str, Any]:
    status, answer = staff.get(reference, who=OFFICER)
    assert status == 200
    return next(p for p in answer["parties"] if role in p["roles"])


def person_page(staff: Staff, person_id: str) -> dict[str, Any]:
    status, page = staff.call("case_queries-get-person", path=f"/people/{person_id}",
                              who=OFFICER)
    assert status == 200, page
    return page


def test_the_alleged_perpetrators_page_shows_nothing_of_the_complainants_report(
        staff: Staff) -> None:
    reference = staff.open_case()  # the report names the tenant of 14 Orchard Close
    perpetrator = party_with(staff, reference, "alleged_perpetrator")
    complainant = party_with(staff, reference, "complainant")
    assert perpetrator["report_id"] == complainant["report_id"]  # the report that named him

    his = person_page(staff, perpetrator["person_id"])
    assert [c["reference"] for c in his["cases"]] == [reference]
    assert his["reports"] == [] and his["contact_safety"] == []
    assert [f for f in his["vulnerability"] if f["kind"] == "harm_answer"] == []

    theirs = person_page(staff, complainant["person_id"])
    assert len(theirs["reports"]) == 1 and len(theirs["contact_safety"]) == 1
    assert [f for f in theirs["vulnerability"] if f["kind"] == "harm_answer"]
