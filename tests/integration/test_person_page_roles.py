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


def test_a_repeat_victim_flag_is_on_its_own_complainants_page_other_teams_cases_counted(
        staff: Staff) -> None:
    manager = ("m.jones", "manager", "yeovil")
    earlier = staff.open_case()
    later = staff.open_case(address="3 Larch Walk, Yeovil")  # the same reporter's email
    status, _ = staff.write(later, "parties", {"roles": ["complainant"],
                                               "person": {"name": "Kim Ray"}})
    assert status == 200
    reporter = party_with(staff, later, "complainant")  # intake's, added first
    kim = next(p for p in staff.get(later)[1]["parties"]
               if p.get("person", {}).get("name") == "Kim Ray")
    flagged = staff.get(later)[1]["case"]["reported_before"]
    assert [(b["reference"], b["report_id"]) for b in flagged] == [
        (earlier, reporter["report_id"])]

    def repeat_flags(person_id: str) -> list[str]:
        page = person_page(staff, person_id)
        return [f["text"] for f in page["vulnerability"]
                if f["kind"] == "repeat_victim" and f["case_reference"] == later]

    assert len(repeat_flags(reporter["person_id"])) == 1
    assert earlier in repeat_flags(reporter["person_id"])[0]
    assert repeat_flags(kim["person_id"]) == []  # not Kim's history

    version = staff.get(earlier, who=manager)[1]["case"]["version"]
    assert staff.call("case_work-assign-case", body={"officer": "k.evans", "team": "taunton"},
                      if_match=f'"{version}"', who=manager, reference=earlier)[0] == 200
    (counted,) = repeat_flags(reporter["person_id"])
    assert earlier not in counted and "1 case in other teams" in counted
