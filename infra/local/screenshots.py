"""`make screenshots`: the report form, its error summary and the confirmation page, for docs/."""

from __future__ import annotations

import socket

from playwright.sync_api import sync_playwright

from infra.local.runtime import LocalRuntime
from infra.local.template import ROOT

OUT = ROOT / "docs" / "screenshots"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    with LocalRuntime(api_port=_free_port(), aws_port=_free_port(),
                      schedules_on_clock=False) as runtime, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        page = browser.new_page(viewport={"width": 900, "height": 1200})
        page.goto(runtime.api_url + "/")
        page.screenshot(path=OUT / "report-form.png", full_page=True)
        page.click("#submit")
        page.wait_for_selector(".error-summary")
        page.screenshot(path=OUT / "report-form-errors.png")
        page.goto(runtime.api_url + "/")
        page.check("#anonymous")
        page.check("#reporter-relationship")
        page.fill("#reporter-name", "Sam Taylor")
        page.fill("#reporter-email", "sam.taylor@example.com")
        page.check("#reporter-preferred_contact")
        page.fill("#location-address", "7 Willow Court, Yeovil")
        page.check("#incident-behaviours")
        page.fill("#incident-description", "Shouting and banging on my door late at night.")
        page.click("#submit")
        page.wait_for_selector("#reference")
        page.screenshot(path=OUT / "confirmation.png", full_page=True)
        browser.close()
    for name in ("report-form.png", "report-form-errors.png", "confirmation.png"):
        print(OUT / name)


if __name__ == "__main__":
    main()
