"""The officers' console in real headless Chromium against the local runtime: signing in, working
a case to closure, a manager's approval, a stale edit, the DPO's open subject access requests,
and accessibility on every page."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar

import pytest
from playwright.sync_api import Browser, Page, expect

from asb.case.targets import local_day
from asb.policy.calendar_months import months_after
from infra.local.outbox import sent
from infra.local.runtime import LocalRuntime
from infra.local.tokens import issue
from tests.e2e.browser import axe_violations, fill_in, tab_to
from tests.e2e.test_local_service import http
from tests.e2e.test_notifications_flow import report

T = TypeVar("T")
OFFICER = issue("o.hughes", ["officer"], "yeovil")
MANAGER = issue("m.jones", ["manager"], "yeovil")  # sees a case before triage gives it a team


def sign_in(page: Page, service: LocalRuntime, user: str, path: str = "/console") -> None:
    page.goto(service.api_url + path)
    expect(page.locator(".local-banner").first).to_contain_text("Local sign-in")
    page.check(f"#as-{user.replace('.', '-')}")
    page.click("#sign-in")
    expect(page.locator("#page-title")).not_to_have_text("Loading")
    expect(page.locator("#who")).to_contain_text(user)


def staff_api(service: LocalRuntime, method: str, path: str, body: Any = None,
              version: int | None = None, token: str = OFFICER) -> dict[str, Any]:
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    if version is not None:
        headers["If-Match"] = f'"{version}"'
    status, _, answer = http(service, method, path,
                             json.dumps(body) if body is not None else None, headers)
    assert status == 200, (status, answer)
    return dict(json.loads(answer))


def poll(read: Callable[[], T | None], seconds: float = 30) -> T | None:
    deadline = time.monotonic() + seconds
    while (found := read()) is None and time.monotonic() < deadline:
        time.sleep(0.2)
    return found


def triaged(service: LocalRuntime, reference: str) -> dict[str, Any]:
    def read() -> dict[str, Any] | None:
        case: dict[str, Any] = staff_api(service, "GET", f"/cases/{reference}",
                                         token=MANAGER)["case"]
        return case if case["category"] else None

    found = poll(read)
    assert found, f"{reference} was not triaged"
    return found


def threatened(data: dict[str, Any]) -> None:
    data["incident"]["behaviours"] = ["threats", "harassment"]
    data["incident"]["description"] = "He threatened to hurt me and follows me to the shops."
    data["harm"]["threats_or_violence"] = True
    data["harm"]["feels_unsafe"] = True


def open_form(page: Page, form: str) -> None:
    page.locator(f"#write-{form} > summary").click()


def saved(page: Page, text: str) -> None:
    expect(page.locator(".notice--success")).to_contain_text(text)


def test_an_officer_finds_a_new_category_a_case_first_and_works_it_to_closure(
        page: Page, service: LocalRuntime) -> None:
    report(service, "Beech Road")  # an older, category B case
    reference = report(service, "Alder Walk", threatened)
    assert triaged(service, reference)["category"] == "A"

    sign_in(page, service, "o.hughes")
    expect(page).to_have_title("My work \u2013 ASB console")
    first_row = page.locator("table tbody tr").first
    expect(first_row).to_contain_text(reference)
    expect(first_row).to_contain_text("Emergency")
    expect(first_row).to_contain_text("Category A")
    # Its first contact is due by the next working day: counted among this week's contacts.
    due = page.locator(".count", has_text="Contacts due this week").locator(".count__number")
    assert int(due.inner_text()) >= 1

    first_row.get_by_role("link", name=reference).click()
    expect(page.locator("#page-title")).to_have_text(f"Case {reference}")
    expect(page.locator("#case-summary")).to_contain_text("threats reported")
    # The landlord's policy its triage decided by (issue 24).
    expect(page.locator("#case-summary")).to_contain_text("Decided under policy")
    expect(page.locator("#policy-version")).to_have_text("magna-2026.1")

    open_form(page, "contact")
    page.select_option("#contact-channel", "phone")
    page.check("#contact-with_whom-first")
    page.fill("#contact-summary", "Called Alex. Agreed to visit tomorrow with the police.")
    page.click("#form-contact button[type=submit]")
    saved(page, "Contact recorded")
    expect(page.locator("#case-timeline")).to_contain_text("Called Alex")
    page.get_by_role("link", name="My work").click()  # the list says first contact was made
    row = page.locator("table tbody tr", has_text=reference)
    expect(row).to_contain_text("Made")
    row.get_by_role("link", name=reference).click()

    open_form(page, "action-plan")
    fill_in(page, {"#action-plan-landlord_actions": "Visit the alleged perpetrator\nWrite a warning",
                   "#action-plan-customer_actions": "Keep the diary\nCall 999 if threatened",
                   "#action-plan-contact_every_working_days": "5",
                   "#action-plan-review_on": "2027-01-15"})
    page.select_option("#action-plan-contact_channel", "phone")
    page.check("#action-plan-customer_agreed")
    page.click("#form-action-plan button[type=submit]")
    saved(page, "saved")
    expect(page.locator("#case-timeline")).to_contain_text("Visit the alleged perpetrator")

    open_form(page, "closure")
    page.select_option("#closure-outcome", "resolved")
    page.fill("#closure-reasons", "The behaviour stopped after the warning and the visit.")
    page.click("#form-closure button[type=submit]")
    saved(page, "saved")
    expect(page.locator("#case-summary")).to_contain_text("Closed")

    # What the customer was told is in `make outbox`: the plan they agreed, and the closure.
    wanted = {f"We have your report ({reference})", f"The plan we agreed ({reference})",
              f"We have closed your case ({reference})"}

    def told() -> set[str] | None:
        subjects = {m.summary for m in sent(service.aws_endpoint)}
        return wanted if wanted <= subjects else None

    assert poll(told), sorted(m.summary for m in sent(service.aws_endpoint))


def test_the_case_page_shows_what_each_reporter_told_us_under_their_own_reference(
        page: Page, service: LocalRuntime) -> None:
    import boto3

    from tests.landlords_homes import living_at, tenanted_home

    home = tenanted_home(boto3.client("dynamodb", endpoint_url=service.aws_endpoint),
                         "asb-local-HomesTable")

    def about_the_tenant(data: dict[str, Any]) -> None:  # chosen from the landlord's homes
        data["perpetrator"] = living_at(home)

    first = report(service, "Damson Row", about_the_tenant)

    def second_reporter(data: dict[str, Any]) -> None:
        about_the_tenant(data)  # the same tenancy: joins the first's case
        data["reporter"] = {"name": "Jo Nowak", "email": "jo.nowak@example.org",
                            "phone": "07700 900456", "relationship": "non_resident",
                            "preferred_contact": "email", "unsafe_channels": ["phone"],
                            "safe_contact_times": "Weekday mornings",
                            "safe_from": "09:00", "safe_until": "12:30",
                            "reasonable_adjustments": "Please write, do not call.",
                            "large_print": True, "language": "Polish"}
        data["incident"]["description"] = "Shouting on the stairs and bins kicked over at night."
        data["incident"]["ongoing"] = False

    joined = report(service, "Damson Row", second_reporter)
    assert joined != first
    triaged(service, first)
    sign_in(page, service, "o.hughes", f"/console?case={first}")

    answers = page.locator("#case-reports")
    mine = answers.locator(".report-answers", has_text=f"Report {first}")
    expect(mine).to_contain_text("Loud music and shouting from number 14")
    expect(mine).to_contain_text("1 Nov 2026")  # first happened
    expect(mine).to_contain_text("Still happening")
    expect(mine).to_contain_text("I live in one of the landlord's homes")
    expect(mine).to_contain_text("Verbal abuse or insults")  # never "verbal_abuse"
    theirs = answers.locator(".report-answers", has_text=f"Report {joined}")
    expect(theirs).to_contain_text("Shouting on the stairs")
    expect(theirs.locator(".summary-list__row", has_text="Still happening")).to_contain_text("No")
    expect(theirs.locator(".summary-list__row", has_text="Never contact by")).to_contain_text(
        "Phone call")
    expect(theirs.locator(".summary-list__row", has_text="Safe times")).to_contain_text(
        "Weekday mornings. Between 09:00 and 12:30")
    expect(theirs).to_contain_text("Please write, do not call.")
    expect(theirs).to_contain_text("Letters in large print")
    expect(theirs.locator(".summary-list__row", has_text="Language")).to_contain_text("Polish")
    expect(theirs).to_contain_text("I don't live in one of the landlord's homes")
    expect(page.locator("#main")).not_to_contain_text("verbal_abuse")


def no_postcode(data: dict[str, Any]) -> None:
    data["location"] = {"address": "The garages behind Larch Parade"}
    data["perpetrator"] = {"known": False}


def test_a_manager_assigns_a_case_from_the_queue_and_the_officer_is_told(
        page: Page, service: LocalRuntime) -> None:
    reference = report(service, "Larch Parade", no_postcode)
    assert triaged(service, reference)["team"] == "central-intake"

    sign_in(page, service, "m.jones", "/console")
    queue = page.locator("#assignment-queue")
    expect(queue).to_contain_text("Waiting for an officer")
    queue.get_by_role("link", name=reference).click()
    expect(page.locator("#page-title")).to_have_text(f"Case {reference}")
    open_form(page, "assignment")
    expect(page.locator("#write-assignment")).to_contain_text("Now: no officer (central-intake)")
    page.select_option("#assignment-officer", "k.evans")
    page.select_option("#assignment-team", "taunton")
    page.fill("#assignment-reason", "The garages are on the Taunton patch.")
    page.click("#form-assignment button[type=submit]")
    saved(page, "Case assigned to k.evans. They have been told by email.")
    open_form(page, "assignment")  # the same again: a rule broken, said in words
    page.select_option("#assignment-officer", "k.evans")
    page.select_option("#assignment-team", "taunton")
    page.click("#form-assignment button[type=submit]")
    refused = page.locator("#form-assignment .error-summary")
    expect(refused).to_contain_text("already with k.evans")
    expect(refused).not_to_contain_text("null")
    expect(page.locator("#case-summary")).to_contain_text("k.evans (taunton)")
    expect(page.locator("#case-timeline")).to_contain_text("Case assigned to k.evans by m.jones")
    page.get_by_role("link", name="My work").click()
    expect(page.locator("#assignment-queue")).not_to_contain_text(reference)

    def told() -> bool | None:
        return any(m.to == "k.evans@example.org" and reference in m.summary
                   for m in sent(service.aws_endpoint)) or None

    assert poll(told), [(m.to, m.summary) for m in sent(service.aws_endpoint)]


def test_the_case_list_shows_what_is_happening_and_where_readable_on_a_phone(
        page: Page, service: LocalRuntime) -> None:
    reference = report(service, "Hazel Mews")
    triaged(service, reference)
    sign_in(page, service, "o.hughes")
    cases = page.locator("table", has=page.locator("caption", has_text="most urgent first")).first
    headings = cases.locator("thead th")
    expect(headings).to_contain_text(["Case", "Priority", "Behaviour", "Where"])
    row = cases.locator("tbody tr", has_text=reference)
    expect(row.locator("td[data-label=Behaviour]")).to_have_text("Loud noise, Verbal abuse or insults")
    expect(row.locator("td[data-label=Where]")).to_have_text("Hazel Mews, BA20 1AB")
    expect(row).not_to_contain_text("7 Hazel Mews")  # the street, not the door

    # At 375 px each case is a card, every cell under its heading: nothing scrolls sideways,
    # not even inside the table.
    page.set_viewport_size({"width": 375, "height": 800})
    expect(row.locator("td[data-label=Where]")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    width = cases.evaluate("table => [table.scrollWidth, table.clientWidth]")
    assert width[0] <= width[1], width
    label = row.locator("td[data-label=Behaviour]").evaluate(
        "cell => getComputedStyle(cell, '::before').content")
    assert label == '"Behaviour"', label


def test_an_officer_outside_the_intake_team_has_no_queue_and_no_assignment_form(
        page: Page, service: LocalRuntime) -> None:
    reference = report(service, "Rowan Walk")
    triaged(service, reference)
    sign_in(page, service, "o.hughes", f"/console?case={reference}")
    expect(page.locator("#write-contact")).to_be_visible()
    expect(page.locator("#write-assignment")).to_have_count(0)
    page.get_by_role("link", name="My work").click()
    expect(page.locator("#page-title")).to_have_text("My work")
    expect(page.locator("#assignment-queue")).to_have_count(0)


def test_an_officer_records_a_case_review_application_and_its_referral_then_a_survey(
        page: Page, service: LocalRuntime) -> None:
    reference = report(service, "Quince Yard")
    triaged(service, reference)
    today = local_day(datetime.now(UTC)).isoformat()
    sign_in(page, service, "o.hughes", f"/console?case={reference}")

    open_form(page, "review-application")
    page.fill("#review-application-received_on", today)
    page.check("#review-application-applicant-first")
    page.fill("#review-application-summary", "Alex asks us to look again: the music goes on.")
    page.click("#form-review-application button[type=submit]")
    saved(page, "Application recorded")
    expect(page.locator("#write-review-application")).to_have_count(0)  # one at a time

    # As a participant (the policy's default) it is referred to the council, which runs it
    # (tests/e2e/test_console_case_review_browser.py follows it through).
    expect(page.locator("#case-timeline")).to_contain_text("ASB Case Review: referred")
    expect(page.locator("details[id^=write-review-acknowledgement-]")).to_have_count(0)
    expect(page.locator("details[id^=write-review-meeting-]")).to_have_count(1)

    def told() -> bool | None:
        return any(m.summary.startswith("Your ASB Case Review") and reference in m.summary
                   for m in sent(service.aws_endpoint)) or None

    assert poll(told), sorted(m.summary for m in sent(service.aws_endpoint))

    expect(page.locator("#write-survey")).to_have_count(0)  # asked once the case is closed
    staff_api(service, "POST", f"/cases/{reference}/closure", {
        "outcome": "resolved", "reasons": "The music stopped after the visit and the warning."},
        triaged(service, reference)["version"])
    page.reload()
    open_form(page, "survey")
    page.check("#survey-answer-first")
    page.fill("#survey-answered_on", today)
    page.select_option("#survey-channel", "phone")
    page.click("#form-survey button[type=submit]")
    saved(page, "Survey answer recorded.")
    expect(page.locator("#case-timeline")).to_contain_text("Satisfaction survey recorded")


def test_on_a_phone_in_two_tabs_saving_in_place_and_a_closed_case_offers_no_casework(
        page: Page, service: LocalRuntime) -> None:
    reference = report(service, "Walnut Grove")
    triaged(service, reference)
    sign_in(page, service, "o.hughes", f"/console?case={reference}")

    # A second tab is signed in already (the token is kept until it expires).
    second = page.context.new_page()
    second.goto(f"{service.api_url}/console?case={reference}")
    expect(second.locator("#page-title")).to_have_text(f"Case {reference}")
    assert "/_local/" not in second.url
    second.close()

    # At 375 px nothing scrolls sideways.
    page.set_viewport_size({"width": 375, "height": 800})
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, width

    # A save draws the page again in place: no reload, no "Signing you in".
    page.evaluate("window.notReloaded = true")
    open_form(page, "diary")
    page.fill("#diary-text", "Visited number 9; nobody answered the door.")
    page.click("#form-diary button[type=submit]")
    saved(page, "saved")
    assert page.evaluate("window.notReloaded === true")
    expect(page.locator("#status")).to_have_count(0)

    # The closure form says the reasons go to the complainant word for word, and how short is short.
    open_form(page, "closure")
    expect(page.locator("#write-closure")).to_contain_text(
        "sent a closure letter with the outcome and these reasons, word for word")
    expect(page.locator("#write-closure")).to_contain_text("any other reporter gets the outcome only")
    page.select_option("#closure-outcome", "resolved")
    page.fill("#closure-reasons", "Done.")
    page.click("#form-closure button[type=submit]")
    expect(page.locator("[data-field=reasons] .error-message")).to_have_text(
        "This answer is too short: use at least 20 characters (you have used 5)")
    page.fill("#closure-reasons", "The noise stopped after our visit and the letter.")
    page.click("#form-closure button[type=submit]")
    saved(page, "saved")
    expect(page.locator("#case-summary")).to_contain_text("Closed")
    for form in ("contact", "measure", "action-plan", "diary", "risk", "assignment"):
        expect(page.locator(f"#write-{form}")).to_have_count(0)
    expect(page.locator("#write-reopen")).to_have_count(1)


def test_a_manager_may_give_a_closed_cases_open_work_to_another_officer(
        page: Page, service: LocalRuntime) -> None:
    reference = report(service, "Hazel Mews")
    triaged(service, reference)
    version = staff_api(service, "GET", f"/cases/{reference}")["case"]["version"]
    staff_api(service, "POST", f"/cases/{reference}/closure", {
        "outcome": "resolved", "reasons": "The noise stopped after our visit and the letter."},
        version=version)
    sign_in(page, service, "m.jones", f"/console?case={reference}")
    expect(page.locator("#case-summary")).to_contain_text("Closed")
    expect(page.locator("#write-assignment")).to_contain_text(
        "Give the closed case's open work to an officer")
    open_form(page, "assignment")
    page.select_option("#assignment-officer", "r.patel")
    page.select_option("#assignment-team", "yeovil")
    page.click("#form-assignment button[type=submit]")
    # Nothing is open on it: the API's answer, in the console's words.
    expect(page.locator("#write-assignment")).to_contain_text("reopen it first")


def test_the_risk_ticks_and_a_request_to_share_reach_the_api_as_the_api_expects(
        page: Page, service: LocalRuntime) -> None:
    reference = report(service, "Birch Court")
    triaged(service, reference)
    sign_in(page, service, "o.hughes", f"/console?case={reference}")

    open_form(page, "risk")
    page.check("#risk-answers-first")  # the first question
    page.check("#risk-answers-threats_or_violence")
    page.check("#risk-answers-fear")
    page.click("#form-risk button[type=submit]")
    saved(page, "saved")
    audit = [e["detail"] for e in staff_api(service, "GET", f"/cases/{reference}")["timeline"]
             if e["kind"] == "audit" and e["detail"].get("action") == "RiskReassessed"]
    assert audit, "no reassessment recorded"
    expect(page.locator("#case-summary")).to_contain_text("Have there been threats or violence?")

    open_form(page, "disclosure")
    page.select_option("#disclosure-partner_id", "avon-somerset-police")
    page.check("#disclosure-kind-first")
    fill_in(page, {"#disclosure-purpose": "To prevent further threats: a joint visit is planned.",
                   "#disclosure-necessity": "The police need the address and the pattern to act."})
    page.select_option("#disclosure-legal_route", "cda_1998_s115")
    page.check("#disclosure-subject-first")
    page.check("#disclosure-data_categories-first")
    page.click("#form-disclosure button[type=submit]")
    saved(page, "saved")
    expect(page.locator("#case-timeline")).to_contain_text("Avon and Somerset Constabulary")


def test_a_case_read_often_shows_its_older_audit_entries_when_asked(
        page: Page, service: LocalRuntime) -> None:
    """The case is read without its audit trail, which grows with every view: the timeline
    shows the newest entries, and the rest come a page at a time when asked for."""
    import boto3

    from asb.casework.service import AUDIT_SHOWN
    from tests.integration.helpers import earlier_views

    reference = report(service, "Rowan Walk")
    triaged(service, reference)
    dynamodb = boto3.client("dynamodb", endpoint_url=service.aws_endpoint)
    # Earlier views: with intake's and triage's entries, more than the timeline shows.
    earlier_views(dynamodb, "asb-local-CasesTable", reference, AUDIT_SHOWN,
                  datetime.now(UTC) - timedelta(days=2))
    trail = dynamodb.query(
        TableName="asb-local-CasesTable", Select="COUNT", ConsistentRead=True,
        KeyConditionExpression="pk = :pk AND begins_with(sk, :audit)",
        ExpressionAttributeValues={":pk": {"S": f"CASE#{reference}"}, ":audit": {"S": "AUDIT#"}},
    )["Count"]
    assert AUDIT_SHOWN < trail < AUDIT_SHOWN + 100
    sign_in(page, service, "o.hughes", f"/console?case={reference}")
    expect(page.locator("#case-timeline .older-audit")).to_contain_text("not shown above")
    audit = page.locator("#case-timeline .timeline__item--audit")
    expect(audit).to_have_count(AUDIT_SHOWN)
    page.click("#case-timeline .older-audit button")
    # The rest of the trail as it was before this view: one page holds them all.
    expect(audit).to_have_count(trail)
    expect(page.locator("#case-timeline .older-audit button")).to_have_count(0)


def test_a_form_sent_with_mistakes_lists_them_and_links_to_each_field(
        page: Page, service: LocalRuntime) -> None:
    reference = report(service, "Cedar Row")
    triaged(service, reference)
    sign_in(page, service, "o.hughes", f"/console?case={reference}")
    open_form(page, "contact")
    page.click("#form-contact button[type=submit]")
    summary = page.locator("#form-contact .error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()
    expect(summary.get_by_role("link")).to_have_count(2)
    summary.get_by_role("link").first.click()
    expect(page.locator("#contact-channel")).to_be_focused()
    expect(page.locator("#form-contact [data-field=summary] .error-message")).to_be_visible()


def test_a_stale_edit_says_so_and_keeps_what_the_officer_typed(
        page: Page, service: LocalRuntime) -> None:
    reference = report(service, "Elm Gardens")
    case = triaged(service, reference)
    sign_in(page, service, "o.hughes", f"/console?case={reference}")
    open_form(page, "diary")
    typed = "Music again from 11pm until 2am; the walls were shaking."
    page.fill("#diary-text", typed)

    # Someone else changes the case meanwhile.
    staff_api(service, "POST", f"/cases/{reference}/contacts",
              {"channel": "email", "summary": "Emailed the reporter an update."}, case["version"])

    page.click("#form-diary button[type=submit]")
    summary = page.locator("#form-diary .error-summary")
    expect(summary).to_contain_text("Someone else changed this case")
    expect(summary).not_to_contain_text("null")
    expect(page.locator("#diary-text")).to_have_value(typed)
    expect(page.locator("#case-timeline")).to_contain_text("Emailed the reporter an update.")

    page.click("#form-diary button[type=submit]")  # sent again, at the version now shown
    saved(page, "saved")
    expect(page.locator("#case-timeline")).to_contain_text("the walls were shaking")


def test_a_manager_approves_legal_action_from_the_approvals_waiting(
        page: Page, service: LocalRuntime) -> None:
    reference = report(service, "Fir Close", threatened)
    case = triaged(service, reference)
    staff_api(service, "POST", f"/cases/{reference}/measures", {
        "measure": "civil_injunction",
        "rationale": "Threats continue after a written warning; an injunction is the least "
                     "step that protects the reporter.",
        "equality_impact": "No protected characteristic is engaged; checked with support.",
    }, case["version"])

    sign_in(page, service, "m.jones", "/console?view=manager")
    expect(page.locator("#page-title")).to_have_text("Manager")
    waiting = page.locator(".approvals li", has_text=reference)
    expect(waiting).to_contain_text("Civil injunction")
    waiting.locator("summary").click()
    waiting.locator("input[value=yes]").check()
    waiting.locator("textarea").fill("Proportionate: the warning did not stop the threats.")
    waiting.locator("button[type=submit]").click()
    saved(page, "Approved. Your decision is recorded on the case")  # never just "saved"
    expect(page.locator(".approvals li", has_text=reference)).to_have_count(0)

    measures = [e["detail"] for e in staff_api(service, "GET", f"/cases/{reference}")["timeline"]
                if e["kind"] == "tool_or_power"]
    assert [m["approval"] for m in measures] == ["approved"]
    expect(page.locator(".figures table")).to_contain_text("NM01(1)")
    tp12 = page.locator(".figures tr", has_text="TP12")
    expect(tp12).to_contain_text("Not imported")  # never the closure surveys
    expect(page.locator(".figures tr", has_text="Closure satisfaction (local measure)")).to_have_count(1)
    expect(page.locator("svg.chart")).to_be_visible()
    # No category C case has had its first contact here: no data, never "0%".
    expect(page.locator("svg.chart")).to_contain_text("No data yet")


def test_the_dpo_sees_open_subject_access_requests_and_what_is_overdue(
        page: Page, service: LocalRuntime) -> None:
    dpo = issue("d.price", ["dpo"], None)
    long_ago = months_after(local_day(datetime.now(UTC)), -2).isoformat()
    status, _, answer = http(service, "POST", "/subject-access-requests", json.dumps(
        {"received_on": long_ago, "email": "someone.overdue@example.org"}),
        {"Authorization": f"Bearer {dpo}", "Content-Type": "application/json"})
    assert status == 201, answer
    reference = json.loads(answer)["request"]["reference"]

    sign_in(page, service, "d.price", "/console")
    page.click("text=Data protection")
    expect(page.locator("#page-title")).to_have_text("Data protection")
    row = page.locator("tr", has_text=reference)
    expect(row).to_contain_text("late")
    expect(page.locator(".notice--error")).to_contain_text("overdue")


def test_the_contact_form_works_from_the_keyboard_alone(
        page: Page, service: LocalRuntime) -> None:
    reference = report(service, "Hazel Mews")
    triaged(service, reference)
    sign_in(page, service, "o.hughes", f"/console?case={reference}")
    tab_to(page, "")  # the first Tab moves into the page
    page.locator("#write-contact > summary").focus()
    page.keyboard.press("Enter")
    tab_to(page, "contact-channel")
    page.keyboard.press("ArrowDown")  # the first channel
    tab_to(page, "contact-with_whom-first")
    page.keyboard.press("Space")
    tab_to(page, "contact-summary")
    page.keyboard.type("Phoned the reporter; no answer, left a message.")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    saved(page, "Contact recorded")


@pytest.mark.parametrize("user,path", [
    ("o.hughes", "/console"),
    ("o.hughes", "/console?case={reference}"),
    ("m.jones", "/console?view=manager"),
    ("d.price", "/console?view=dpo"),
])
def test_no_page_has_serious_accessibility_violations(
        browser: Browser, service: LocalRuntime, user: str, path: str) -> None:
    reference = report(service, "Juniper Lane", threatened)
    triaged(service, reference)
    # axe-core is injected as a script of its own, which the console's CSP rightly refuses.
    context = browser.new_context(bypass_csp=True, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    try:
        page.goto(service.api_url + "/console")
        assert axe_violations(page) == []  # the local sign-in page
        sign_in(page, service, user, path.format(reference=reference))
        if "case=" in path:
            open_form(page, "contact")
            page.click("#form-contact button[type=submit]")  # with its error summary showing
            expect(page.locator("#form-contact .error-summary")).to_be_visible()
        assert axe_violations(page) == []
    finally:
        context.close()


def test_the_console_page_and_files_carry_no_case_data_and_a_strict_policy(
        service: LocalRuntime) -> None:
    status, headers, body = http(service, "GET", "/console")
    assert status == 200
    policy = headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "frame-ancestors 'none'" in policy
    assert "ASB-20" not in body
    assert http(service, "GET", "/console/console.js")[0] == 200
    assert http(service, "GET", "/console/app.py")[0] == 404
