"""`make screenshots`: the report form's start page, a page's error summary, its check page and
the confirmation page, and the officers' console (my work, a case, the manager's page), for
docs/ and the README."""

from __future__ import annotations

import json
import time
import urllib.request
from typing import Any

from playwright.sync_api import Page

from infra.local.browser import chromium
from infra.local.ports import free_port
from infra.local.runtime import LocalRuntime
from infra.local.template import ROOT
from infra.local.tokens import issue

OUT = ROOT / "docs" / "screenshots"


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    with LocalRuntime(api_port=free_port(), aws_port=free_port(),
                      schedules_on_clock=False) as runtime, chromium() as browser:
        page = browser.new_page(viewport={"width": 900, "height": 1200})
        page.goto(runtime.api_url + "/")
        page.screenshot(path=OUT / "report-form.png", full_page=True)
        page.click("#start")
        page.click("#continue")  # no behaviour ticked
        page.wait_for_selector(".error-summary")
        page.screenshot(path=OUT / "report-form-errors.png")
        _answer_every_page(page)
        page.screenshot(path=OUT / "report-form-check.png", full_page=True)
        page.click("#submit")
        page.wait_for_selector("#reference")
        page.screenshot(path=OUT / "confirmation.png", full_page=True)
        _console(runtime, browser.new_page(viewport={"width": 1280, "height": 900}))
        browser.close()
    for name in (*FORM_PAGES, *CONSOLE_PAGES):
        print(OUT / name)


FORM_PAGES = ("report-form.png", "report-form-errors.png", "report-form-check.png",
              "confirmation.png")
# Each page of the form (asb.web.report_journey) as a resident answers it: (ids to tick,
# {id: text to type}); a page not named is left blank.
FORM_ANSWERS: dict[str, tuple[tuple[str, ...], dict[str, str]]] = {
    "what": (("incident-behaviours",), {}),
    "details": ((), {"incident-description": "Shouting and banging on my door late at night."}),
    "where": ((), {"location-postcode": "BA21 4XY"}),
    "where-home": (("location-uprn",), {}),  # none of our homes there: "It is not listed"
    "where-address": ((), {"location-address": "7 Willow Court, Yeovil"}),
    "whose-homes": (("address_to_check",), {}),  # Yes
    "you": (("anonymous",), {}),
    "about-you": (("reporter-relationship",), {"reporter-name": "Sam Taylor"}),
    "contact": (("reporter-preferred_contact",), {"reporter-email": "sam.taylor@example.com"}),
    "sharing": (("consent_to_share",), {}),
}


def _answer_every_page(page: Page) -> None:
    """From the page showing to "Check your answers"."""
    while not page.locator("#submit").count():
        name = page.locator("form:not(.back-form) input[name='page']").last.get_attribute("value")
        ticked, typed = FORM_ANSWERS.get(name or "", ((), {}))
        for element_id in ticked:
            page.check(f"#{element_id}")
        for element_id, text in typed.items():
            page.fill(f"#{element_id}", text)
        page.click("#continue")


CONSOLE_PAGES = ("console-my-work.png", "console-case.png", "console-manager.png",
                 "tracking.png")
REPORTS = [  # street, behaviours, description, threats or violence
    ("Alder Walk", ["threats", "harassment"], "He threatened to hurt me and follows me.", True),
    ("Beech Road", ["noise"], "Loud music most nights after midnight.", False),
    ("Cedar Row", ["rubbish_and_fly_tipping"], "Bags of rubbish left by the bins.", False),
]


def _call(runtime: LocalRuntime, method: str, path: str, body: Any = None,
          token: str | None = None, version: int | None = None) -> dict[str, Any]:
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    if version is not None:
        headers["If-Match"] = f'"{version}"'
    request = urllib.request.Request(runtime.api_url + path, method=method, headers=headers,
                                     data=json.dumps(body).encode() if body else None)
    with urllib.request.urlopen(request, timeout=30) as answer:
        return dict(json.load(answer))


def _seed(runtime: LocalRuntime) -> tuple[str, str]:
    """Three reports, triaged; the category A case has legal action waiting for a manager.
    Returns its reference and the tracking link of the second report."""
    sample = json.loads((ROOT / "events" / "intake-valid-json.json").read_text())["body"]
    references, links = [], []
    for street, behaviours, description, threats in REPORTS:
        data = json.loads(sample)
        data["location"]["address"] = f"7 {street}, Yeovil"
        data["perpetrator"] = {"known": True, "address": f"9 {street}, Yeovil"}
        data["incident"].update(behaviours=behaviours, description=description)
        data["harm"].update(threats_or_violence=threats, feels_unsafe=threats)
        answer = _call(runtime, "POST", "/reports", data)
        references.append(answer["reference"])
        links.append(answer["tracking_url"])
    manager = issue("m.jones", ["manager"], "yeovil")
    urgent = references[0]
    for _ in range(100):
        case = _call(runtime, "GET", f"/cases/{urgent}", token=manager)["case"]
        if case["category"]:
            break
        time.sleep(0.2)
    officer = issue("o.hughes", ["officer"], "yeovil")
    _call(runtime, "POST", f"/cases/{urgent}/contacts", {
        "channel": "phone", "summary": "Called the reporter; agreed to visit with the police."},
        officer, case["version"])
    _call(runtime, "POST", f"/cases/{urgent}/measures", {
        "measure": "civil_injunction",
        "rationale": "Threats continue after a written warning; an injunction is the least step "
                     "that protects the reporter.",
        "equality_impact": "No protected characteristic engaged; support offered first."},
        officer, case["version"] + 1)
    return str(urgent), str(links[1])


def sign_in_locally(page: Page, runtime: LocalRuntime, user: str, path: str) -> None:
    page.goto(runtime.api_url + path)
    page.check(f"#as-{user.replace('.', '-')}")
    page.click("#sign-in")
    page.locator("#page-title").filter(has_not_text="Loading").wait_for()


def _console(runtime: LocalRuntime, page: Page) -> None:
    urgent, tracking = _seed(runtime)
    sign_in_locally(page, runtime, "o.hughes", "/console")
    page.screenshot(path=OUT / "console-my-work.png", full_page=True)
    page.goto(f"{runtime.api_url}/console?case={urgent}")
    page.locator("#page-title").filter(has_text="Case").wait_for()
    page.locator("#write-contact > summary").click()
    page.click("#form-contact button[type=submit]")
    page.locator("#form-contact .error-summary").wait_for()
    page.screenshot(path=OUT / "console-case.png", full_page=True)
    page.goto(runtime.api_url + "/_local/logout?logout_uri=/console")
    page.context.clear_cookies()
    page.evaluate("localStorage.clear(); sessionStorage.clear()")  # the token is kept in localStorage
    sign_in_locally(page, runtime, "m.jones", "/console?view=manager")
    page.screenshot(path=OUT / "console-manager.png", full_page=True)
    page.set_viewport_size({"width": 900, "height": 1200})
    page.goto(tracking)
    page.fill("#occurred_on", "2026-11-20")
    page.fill("#what_happened", "Music again from 11pm until 2am.")
    page.click("#add-diary")
    page.locator("#notice").wait_for()
    page.screenshot(path=OUT / "tracking.png", full_page=True)


if __name__ == "__main__":
    main()
