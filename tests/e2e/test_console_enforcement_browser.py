"""Enforcement in the console, in real headless Chromium against the local runtime (issue 22):
the tool picker offers only the landlord's own powers (a CPN is a partner's, asked for; possession
only against a tenant of ours), an officer records an Acceptable Behaviour Agreement and takes an
injunction through its application to a hearing listed, which is then on the case's tools and on
their work list; a step refused says why next to the field."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

import boto3
from playwright.sync_api import Browser, Page, expect

from asb.policy.config import PARTNER_POWERS, TENANCY_ONLY_MEASURES
from infra.local.runtime import LocalRuntime
from tests.e2e.browser import axe_violations, fill_in
from tests.e2e.test_console_browser import MANAGER, open_form, saved, sign_in, staff_api, triaged
from tests.e2e.test_notifications_flow import report
from tests.landlords_homes import NUMBER_12, living_at, tenanted_home

INJUNCTION_WHY = ("Threats continue after a final written warning and an ABA; an injunction is "
                  "the least step that protects the reporter.")


def agreement_on(service: LocalRuntime, reference: str, version: int) -> None:
    """An Acceptable Behaviour Agreement recorded through the staff API, starting today."""
    today = date.today()
    staff_api(service, "POST", f"/cases/{reference}/measures", {
        "measure": "acceptable_behaviour_agreement",
        "rationale": "Noise continues after a verbal warning; an ABA sets the terms in writing.",
        "agreement": {"terms": ["No loud music after 11pm"], "signatories": ["Sam Carter"],
                      "starts_on": today.isoformat(),
                      "review_on": (today + timedelta(days=28)).isoformat()}}, version)


def picker(page: Page) -> list[str]:
    """The values the tool picker offers, its "Choose" left out."""
    return [v for v in page.locator("#measure-measure option").evaluate_all(
        "options => options.map(o => o.value)") if v]


def test_the_picker_offers_no_partners_power_and_possession_only_against_our_tenant(
        page: Page, service: LocalRuntime) -> None:
    stranger = report(service, "Quince Lane")  # the alleged perpetrator described in words only
    triaged(service, stranger)
    sign_in(page, service, "o.hughes", f"/console?case={stranger}")
    open_form(page, "measure")
    offered = picker(page)
    assert "acceptable_behaviour_agreement" in offered
    assert "civil_injunction" in offered
    assert not (PARTNER_POWERS | TENANCY_ONLY_MEASURES) & set(offered)
    assert "written_warning" not in offered  # kept for old records only
    expect(page.locator("#write-measure")).to_contain_text(
        "Possession and demotion are offered once the alleged perpetrator is tied")
    cpn = page.locator("#partner-powers [data-power=community_protection_notice]")
    expect(cpn).to_contain_text("a power of the police, the council or a person the council designates")
    expect(cpn).to_contain_text("Ask a partner (the police or the council)")
    expect(page.locator("#partner-powers")).to_contain_text("Criminal behaviour order")
    cpn.get_by_role("button", name="Ask a partner").click()  # the request form, the CPN chosen
    expect(page.locator("#power-request-power")).to_be_focused()
    expect(page.locator("#power-request-power")).to_have_value("community_protection_notice")
    page.select_option("#power-request-partner_id", "south-somerset-council")
    fill_in(page, {"#power-request-evidence_summary": "Loud music most nights since October; "
                                                      "a warning and an ABA were broken.",
                   "#power-request-rationale": "A CPN with conditions on the music is the least "
                                               "step left that the council can take.",
                   "#power-request-equality_impact": "No protected characteristic is engaged; "
                                                     "checked with the support worker."})
    page.select_option("#power-request-legal_route", "cda_1998_s115")
    page.click("#form-power-request button[type=submit]")
    saved(page, "Request for a Community Protection Notice sent for a manager's approval.")
    asked = page.locator("#case-enforcement .measure", has_text="Community Protection Notice")
    expect(asked).to_contain_text("South Somerset District Council")
    # The council's to use: the officer may only withdraw the request (no status, no court steps).
    cpn_id = asked.get_attribute("data-measure")
    choices = page.locator(f"#step-{cpn_id}-step option").evaluate_all("o => o.map(x => x.value)")
    assert [c for c in choices if c] == ["withdrawn"]
    expect(page.locator(f"#write-status-{cpn_id}")).to_have_count(0)

    home = tenanted_home(boto3.client("dynamodb", endpoint_url=service.aws_endpoint),
                         "asb-local-HomesTable")

    def about_our_tenant(data: dict[str, Any]) -> None:
        data["perpetrator"] = living_at(home)

    tenant = report(service, "Rowan Street", about_our_tenant)
    triaged(service, tenant)
    page.goto(f"{service.api_url}/console?case={tenant}")
    open_form(page, "measure")
    offered = picker(page)
    assert set(offered) >= TENANCY_ONLY_MEASURES
    assert not PARTNER_POWERS & set(offered)
    expect(page.locator("#write-measure")).not_to_contain_text("Possession and demotion are offered once")


def test_an_officer_records_an_aba_and_lists_a_hearing_which_is_then_on_their_list(
        page: Page, service: LocalRuntime) -> None:
    reference = report(service, "Sorrel Way")
    triaged(service, reference)
    sign_in(page, service, "o.hughes", f"/console?case={reference}")
    today = date.today()

    open_form(page, "measure")
    page.select_option("#measure-measure", "acceptable_behaviour_agreement")
    expect(page.locator("#measure-interview-held_on")).to_be_hidden()  # an interview's, not this
    fill_in(page, {"#measure-agreement-terms": "No loud music after 11pm\nNo shouting at neighbours",
                   "#measure-agreement-signatories": "Sam Carter (resident)\nO. Hughes (officer)",
                   "#measure-agreement-starts_on": today.isoformat(),
                   "#measure-agreement-review_on": today.isoformat(),
                   "#measure-rationale": "Noise continues after a verbal warning; an ABA sets "
                                         "the terms in writing."})
    page.click("#form-measure button[type=submit]")
    # The API's 422 names the nested field: its words sit beside it.
    error = page.locator("#form-measure [data-field='agreement.review_on'] .error-message")
    expect(error).to_have_text("The first review comes after the agreement starts")
    page.fill("#measure-agreement-review_on", (today + timedelta(days=28)).isoformat())
    page.click("#form-measure button[type=submit]")
    saved(page, "Acceptable Behaviour Agreement recorded.")
    aba = page.locator("#case-enforcement .measure", has_text="Acceptable Behaviour Agreement")
    expect(aba).to_contain_text("No loud music after 11pm")

    open_form(page, "measure")
    page.select_option("#measure-measure", "civil_injunction")
    fill_in(page, {"#measure-rationale": INJUNCTION_WHY,
                   "#measure-equality_impact": "No protected characteristic is engaged; checked "
                                               "with the support worker."})
    page.click("#form-measure button[type=submit]")
    saved(page, "Civil injunction (ASBCPA 2014 Part 1) recorded.")
    view = staff_api(service, "GET", f"/cases/{reference}", token=MANAGER)
    injunction = next(e["detail"] for e in view["timeline"] if e["kind"] == "tool_or_power"
                      and e["detail"]["measure"] == "civil_injunction")
    staff_api(service, "POST", f"/cases/{reference}/measures/{injunction['record_id']}/decision",
              {"approved": True, "reason": "Proportionate: the ABA did not stop the threats."},
              view["case"]["version"], token=MANAGER)
    page.reload()

    step = f"step-{injunction['record_id']}"
    open_form(page, step)
    page.select_option(f"#{step}-step", "applied")
    born = date(today.year - 16, 1, 15).isoformat()  # under 18: the youth offending team first
    fill_in(page, {f"#{step}-applied_on": today.isoformat(), f"#{step}-court": "Yeovil County Court",
                   f"#{step}-respondent_born_on": born})
    page.click(f"#form-{step} button[type=submit]")
    expect(page.locator(f"#form-{step} [data-field=youth_offending_team_consulted_on] "
                        ".error-message")).to_contain_text("the youth offending team is consulted")
    page.fill(f"#{step}-youth_offending_team_consulted_on", today.isoformat())
    page.click(f"#form-{step} button[type=submit]")
    saved(page, "Application recorded")

    open_form(page, step)
    page.select_option(f"#{step}-step", "hearing_listed")
    expect(page.locator(f"#{step}-applied_on")).to_be_hidden()
    page.select_option(f"#{step}-purpose", "committal")  # no breach yet: refused in words
    tomorrow = datetime.combine(today + timedelta(days=1), datetime.min.time()).replace(hour=10)
    fill_in(page, {f"#{step}-at": tomorrow.strftime("%Y-%m-%dT%H:%M"),
                   f"#{step}-court": "Yeovil County Court"})
    page.click(f"#form-{step} button[type=submit]")
    expect(page.locator(f"#form-{step} .error-summary")).to_contain_text(
        "A committal hearing follows a breach of the order")
    page.select_option(f"#{step}-purpose", "first")
    page.click(f"#form-{step} button[type=submit]")
    saved(page, "Hearing listed")
    listed = page.locator("#case-enforcement .measure", has_text="Civil injunction")
    expect(listed).to_contain_text("First hearing at Yeovil County Court")

    page.get_by_role("link", name="My work").click()
    due = page.locator("table tr", has_text="Court hearing (first)")
    expect(due).to_contain_text(reference)
    expect(due).to_contain_text("Due now")  # the day before: work due, not late


def test_the_enforcement_forms_have_no_serious_accessibility_violations(
        browser: Browser, service: LocalRuntime) -> None:
    reference = report(service, "Tansy Court")
    case = triaged(service, reference)
    agreement_on(service, reference, case["version"])
    aba = next(e["detail"] for e in staff_api(service, "GET", f"/cases/{reference}")["timeline"]
               if e["kind"] == "tool_or_power")
    # axe-core is injected as a script of its own, which the console's CSP rightly refuses.
    context = browser.new_context(bypass_csp=True, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    try:
        sign_in(page, service, "o.hughes", f"/console?case={reference}")
        open_form(page, "measure")
        page.select_option("#measure-measure", "interview")
        expect(page.locator("#measure-interview-held_on")).to_be_visible()
        step = f"step-{aba['record_id']}"
        open_form(page, step)
        page.select_option(f"#{step}-step", "agreement_reviewed")
        page.click(f"#form-{step} button[type=submit]")  # with its errors showing
        expect(page.locator(f"#form-{step} [data-field=held_on] .error-message")).to_be_visible()
        assert axe_violations(page) == []
    finally:
        context.close()


def test_the_manager_sees_the_years_enforcement_outcomes(
        page: Page, service: LocalRuntime) -> None:
    reference = report(service, "Teasel Drive")
    case = triaged(service, reference)
    agreement_on(service, reference, case["version"])
    version = staff_api(service, "GET", f"/cases/{reference}")["case"]["version"]
    staff_api(service, "POST", f"/cases/{reference}/power-requests", {
        "power": "closure_order", "partner_id": "avon-somerset-police",
        "evidence_summary": "Drug dealing from the flat most nights since October.",
        "rationale": "A closure order is the only way to stop the visitors at night.",
        "equality_impact": "No protected characteristic is engaged; checked with support."},
        version)
    sign_in(page, service, "m.jones", f"/console?case={reference}")
    closure = page.locator("#case-enforcement .measure", has_text="Closure")
    expect(closure).to_have_count(1)
    # Decided as a request to share (the manager's page), never as the landlord's legal action.
    expect(page.locator(f"#write-decide-{closure.get_attribute('data-measure')}")).to_have_count(0)
    page.get_by_role("link", name="Manager").click()
    outcomes = page.locator("#enforcement-figures")
    expect(outcomes).to_contain_text("Enforcement outcomes")
    aba = outcomes.locator("tr", has_text="Acceptable Behaviour Agreements")
    expect(aba).to_contain_text("made:")
    expect(aba).to_contain_text("in force")


def test_a_hearing_held_today_ends_in_an_order_with_its_terms_on_the_case(
        page: Page, service: LocalRuntime) -> None:
    reference = report(service, "Vetch Gardens")
    case = triaged(service, reference)
    staff_api(service, "POST", f"/cases/{reference}/measures", {
        "measure": "civil_injunction", "rationale": INJUNCTION_WHY,
        "equality_impact": "No protected characteristic is engaged; checked with support."},
        case["version"])
    view = staff_api(service, "GET", f"/cases/{reference}", token=MANAGER)
    injunction = next(e["detail"] for e in view["timeline"] if e["kind"] == "tool_or_power")
    route = f"/cases/{reference}/measures/{injunction['record_id']}"
    staff_api(service, "POST", f"{route}/decision",
              {"approved": True, "reason": "Proportionate: the warnings did not stop it."},
              view["case"]["version"], token=MANAGER)
    today = date.today()
    version = staff_api(service, "GET", f"/cases/{reference}")["case"]["version"]
    staff_api(service, "POST", f"{route}/steps", {
        "step": "applied", "applied_on": today.isoformat(), "court": "Yeovil County Court",
        "respondent_born_on": "1990-05-01"}, version)
    sign_in(page, service, "o.hughes", f"/console?case={reference}")

    step = f"step-{injunction['record_id']}"
    open_form(page, step)
    page.select_option(f"#{step}-step", "hearing_listed")
    heard = datetime.now() - timedelta(minutes=1)  # earlier today: it can be held now
    fill_in(page, {f"#{step}-at": heard.strftime("%Y-%m-%dT%H:%M"),
                   f"#{step}-court": "Yeovil County Court"})
    page.select_option(f"#{step}-purpose", "final")
    page.click(f"#form-{step} button[type=submit]")
    saved(page, "Hearing listed")

    open_form(page, step)
    page.select_option(f"#{step}-step", "hearing_held")
    page.check(f"#{step}-hearing_id-first")
    page.select_option(f"#{step}-outcome", "order made")
    page.fill(f"#{step}-note", "The judge made the order on the evidence of three neighbours.")
    page.click(f"#form-{step} button[type=submit]")  # no order kind: named beside its field
    expect(page.locator(f"#form-{step} [data-field='order.kind'] .error-message")).to_be_visible()
    page.select_option(f"#{step}-order-kind", "injunction")
    fill_in(page, {f"#{step}-order-terms": "Not to enter Vetch Gardens\nNot to contact the reporter",
                   f"#{step}-order-expires_on": (today + timedelta(days=365)).isoformat()})
    page.click(f"#form-{step} button[type=submit]")
    saved(page, "Hearing outcome recorded")
    made = page.locator("#case-enforcement .measure", has_text="Civil injunction")
    expect(made).to_contain_text("Not to enter Vetch Gardens")
    expect(made).to_contain_text("Not to contact the reporter")
    open_form(page, step)  # an order in force: its breach or its end, never withdrawn
    steps = page.locator(f"#{step}-step option").evaluate_all("o => o.map(x => x.value)")
    assert [s for s in steps if s] == ["hearing_listed", "breach", "order_ended"]


def test_the_absolute_ground_is_refused_in_words_once_lost_and_its_notice_served_in_time(
        page: Page, service: LocalRuntime) -> None:
    tenanted_home(boto3.client("dynamodb", endpoint_url=service.aws_endpoint),
                  "asb-local-HomesTable")  # the register holds Orchard Close's homes

    def about_number_12(data: dict[str, Any]) -> None:
        data["perpetrator"] = living_at(NUMBER_12)

    reference = report(service, "Orchard Close", about_number_12)
    triaged(service, reference)
    sign_in(page, service, "o.hughes", f"/console?case={reference}")
    today = date.today()
    open_form(page, "measure")
    page.select_option("#measure-measure", "possession_absolute_ground")
    page.select_option("#measure-absolute_ground-condition", "1")
    fill_in(page, {"#measure-absolute_ground-met_on": (today - timedelta(days=400)).isoformat(),
                   "#measure-rationale": "Convicted of a serious offence against a neighbour; "
                                         "the absolute ground protects them.",
                   "#measure-equality_impact": "No protected characteristic is engaged; checked "
                                               "with the support worker."})
    page.click("#form-measure button[type=submit]")
    expect(page.locator("#form-measure .error-summary")).to_contain_text(
        "The absolute ground is lost on condition 1")
    page.fill("#measure-absolute_ground-met_on", (today - timedelta(days=30)).isoformat())
    page.click("#form-measure button[type=submit]")
    saved(page, "recorded.")

    view = staff_api(service, "GET", f"/cases/{reference}", token=MANAGER)
    notice = next(e["detail"] for e in view["timeline"] if e["kind"] == "tool_or_power")
    assert notice["absolute_ground"]["condition"] == 1
    staff_api(service, "POST", f"/cases/{reference}/measures/{notice['record_id']}/decision",
              {"approved": True, "reason": "Proportionate: the conviction is for violence."},
              view["case"]["version"], token=MANAGER)
    page.reload()
    step = f"step-{notice['record_id']}"
    open_form(page, step)
    page.select_option(f"#{step}-step", "notice_served")
    page.select_option(f"#{step}-ground", "ground_7a")
    page.fill(f"#{step}-served_on", today.isoformat())
    page.click(f"#form-{step} button[type=submit]")
    saved(page, "Notice served")
    served = staff_api(service, "GET", f"/cases/{reference}")["timeline"]
    measure = next(e["detail"] for e in served if e["kind"] == "tool_or_power")
    assert measure["notice"]["ground"] == "ground_7a"
    rung = page.locator("#case-enforcement .measure", has_text="absolute ground 7A / s84A")
    expect(rung).to_contain_text("Absolute ground 7A, Housing Act 1988")
    expect(rung).to_contain_text("proceedings from")
