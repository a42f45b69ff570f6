"""The console as an officer meets it: from opening /console to seeing a case's page, and what
that case page weighs (bytes over the wire: the page, its script and style sheet and every
staff API answer it asks for), in headless Chromium against the whole local service.

Run: `.venv/bin/python -m bench.console_figures [CASES]` (also part of `make bench`). Needs
Debian's headless Chromium. The time is the median of 5 journeys: My work loads, the officer clicks the
first case, its heading shows. The weight is one load of the case page with the cache off.
"""

from __future__ import annotations

import statistics
import sys
import time

from playwright.sync_api import Page, Request

from bench.console import _report, _triaged
from infra.local.browser import CHROMIUM, chromium
from infra.local.ports import free_port
from infra.local.runtime import LocalRuntime
from infra.local.screenshots import sign_in_locally

JOURNEYS = 5


def _journey_ms(page: Page, home: str) -> float:
    start = time.perf_counter()
    page.goto(home)
    page.locator("table tbody tr a").first.click()
    page.locator("#page-title", has_text="Case").wait_for()
    return (time.perf_counter() - start) * 1000


def _case_weight(page: Page, url: str) -> dict[str, int]:
    """Bytes per kind of answer (headers and body as sent), for one uncached load."""
    weights: dict[str, int] = {}

    def counted(request: Request) -> None:
        sizes = request.sizes()
        path = request.url.split("?")[0]
        kind = ("script" if path.endswith(".js") else "style" if path.endswith(".css")
                else "page" if path.endswith("/console") else "API answers")
        weights[kind] = weights.get(kind, 0) + sizes["responseBodySize"] + sizes["responseHeadersSize"]

    page.context.route("**/*", lambda route: route.continue_())  # no cache while routed
    page.on("requestfinished", counted)
    page.goto(url)
    page.locator("#page-title", has_text="Case").wait_for()
    page.wait_for_load_state("networkidle")
    page.remove_listener("requestfinished", counted)
    page.context.unroute("**/*")
    return weights


def figures(cases: int) -> tuple[float, dict[str, int]]:
    with LocalRuntime(api_port=free_port(), aws_port=free_port(),
                      schedules_on_clock=False) as runtime, chromium() as browser:
        references = [_report(runtime, n) for n in range(cases)]
        _triaged(runtime, references[-1])
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        sign_in_locally(page, runtime, "o.hughes", "/console")
        home = runtime.api_url + "/console"
        _journey_ms(page, home)  # the script and style sheet cached, as on any later visit
        journey = statistics.median(_journey_ms(page, home) for _ in range(JOURNEYS))
        weight = _case_weight(page, f"{runtime.api_url}/console?case={references[0]}")
    return journey, weight


def main(cases: int = 30) -> None:
    if not CHROMIUM.exists():
        print(f"console journey: skipped (no {CHROMIUM}; `make test` installs it)")
        return
    journey, weight = figures(cases)
    print(f"console journey: headless Chromium against make dev's service, {cases} open cases")
    print(f"  /console to a case's page (median of {JOURNEYS})  {journey:7.0f} ms")
    print(f"  the case page's weight, uncached          {sum(weight.values()) / 1024:7.1f} KB")
    for kind, size in sorted(weight.items()):
        print(f"    {kind:<14} {size / 1024:7.1f} KB")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 30)
