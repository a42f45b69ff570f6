"""The console's weight and speed: what a browser downloads, and how long headless Chromium
takes to show My work and a case, against the whole local service.

Run: `.venv/bin/python -m bench.console [CASES]` (also part of `make bench`). Needs Debian's headless
Chromium (`make test` installs it). Times are the median of 5 loads of each page, from
navigation to the page's heading, with the script and style sheet cached as a browser would.
"""

from __future__ import annotations

import gzip
import json
import statistics
import sys
import time
import urllib.request

from playwright.sync_api import Page

from infra.local.browser import CHROMIUM, chromium
from infra.local.ports import free_port
from infra.local.runtime import LocalRuntime
from infra.local.screenshots import sign_in_locally
from infra.local.template import ROOT
from infra.local.tokens import issue

STATIC = ROOT / "functions" / "console" / "static"
LOADS = 5


def weight() -> None:
    print("console weight: what the browser downloads (API Gateway sends it uncompressed "
          "unless MinimumCompressionSize is set)")
    for path in sorted(STATIC.iterdir()):
        raw = path.read_bytes()
        print(f"  {path.name:<14} {len(raw) / 1024:6.1f} KB   gzip {len(gzip.compress(raw)) / 1024:5.1f} KB")


def _report(runtime: LocalRuntime, number: int) -> str:
    data = json.loads(json.loads((ROOT / "events" / "intake-valid-json.json").read_text())["body"])
    data["location"]["address"] = f"{number} Bench Street, Yeovil"
    data["perpetrator"] = {"known": True, "address": f"{number + 1000} Bench Street, Yeovil"}
    request = urllib.request.Request(runtime.api_url + "/reports", method="POST",
                                     data=json.dumps(data).encode(),
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as answer:
        return str(json.load(answer)["reference"])


def _triaged(runtime: LocalRuntime, reference: str) -> None:
    token = issue("m.jones", ["manager"], "yeovil")
    for _ in range(600):
        request = urllib.request.Request(f"{runtime.api_url}/cases/{reference}",
                                         headers={"Authorization": f"Bearer {token}"})
        with urllib.request.urlopen(request, timeout=30) as answer:
            if json.load(answer)["case"]["category"]:
                return
        time.sleep(0.2)
    raise SystemExit(f"{reference} was not triaged")


def _median_ms(page: Page, url: str, heading: str) -> float:
    times = []
    for _ in range(LOADS):
        start = time.perf_counter()
        page.goto(url)
        page.locator("#page-title", has_text=heading).wait_for()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def speed(cases: int) -> None:
    with LocalRuntime(api_port=free_port(), aws_port=free_port(),
                      schedules_on_clock=False) as runtime, chromium() as browser:
        references = [_report(runtime, n) for n in range(cases)]
        _triaged(runtime, references[-1])
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        sign_in_locally(page, runtime, "o.hughes", "/console")
        work = _median_ms(page, runtime.api_url + "/console", "My work")
        one = _median_ms(page, f"{runtime.api_url}/console?case={references[0]}", "Case")
    print(f"console speed: headless Chromium against make dev's service, {cases} open cases, "
          f"median of {LOADS}")
    print(f"  My work ({cases} cases, two API reads)      {work:7.0f} ms")
    print(f"  a case (case, partners: two API reads)  {one:7.0f} ms")
    print("  most of each is the local service (one process, moto); in AWS the reads run on "
          "their own functions")


def main(cases: int = 30) -> None:
    weight()
    print()
    if CHROMIUM.exists():
        speed(cases)
    else:
        print(f"console speed: skipped (no {CHROMIUM}; `make test` installs it)")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 30)
