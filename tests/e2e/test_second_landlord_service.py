"""A smoke of `make dev POLICY=<file>` under the second landlord, Fenmoor Homes, unchanged in code:
its runtime (`python -m infra.local`, as make runs it) started once with ASB_POLICY_FILE naming
a copy of fenmoor.yaml, a report triaged by Fenmoor's categories and targets and read back through
the staff API, its phone on the form; then the copy changed while it runs: a document with a
mistake is refused by its path and the policy stays, a right one is taken up by the next request.

Its own process: this test session's asb.policy.config was imported with the seed landlord's."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from asb.case.targets import local_day
from asb.policy.working_days import add_working_days
from infra.local.pollers import wait_until
from infra.local.ports import free_port
from infra.local.template import ROOT
from infra.local.tokens import issue
from tests.conftest import sample_event

FENMOOR = ROOT / "shared" / "asb" / "policy" / "landlords" / "fenmoor.yaml"
# A district of Fenmoor's patches: a.okafor's, team fenmoor-north.
FENMOOR_HOME = {"address": "3 Reedbed Row, Fenmoor", "postcode": "PE1 1XC"}


@dataclass
class Service:
    """What the tests need of `make dev`'s runtime running in its own process."""

    api_url: str
    policy: Path
    log: Path

    def logged(self, words: str) -> bool:
        return words in self.log.read_text(encoding="utf-8")

    def http(self, method: str, path: str, body: str | None = None,
             headers: dict[str, str] | None = None) -> tuple[int, str]:
        request = urllib.request.Request(self.api_url + path, method=method,
                                         data=body.encode() if body else None,
                                         headers=headers or {})
        try:
            with urllib.request.urlopen(request, timeout=30) as answer:
                return answer.status, answer.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()


@pytest.fixture(scope="module")
def fenmoor(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Service]:
    folder = tmp_path_factory.mktemp("fenmoor")
    policy, log = folder / "fenmoor.yaml", folder / "make-dev.log"
    policy.write_text(FENMOOR.read_text(encoding="utf-8"), encoding="utf-8")
    port = free_port()
    with log.open("w", encoding="utf-8") as written:
        process = subprocess.Popen(
            [sys.executable, "-m", "infra.local", "--port", str(port), "--aws-port", "0",
             "--homes", "0", "--retry-delay", "1"],
            cwd=ROOT, stdout=written, stderr=subprocess.STDOUT,
            env={**os.environ, "ASB_POLICY_FILE": str(policy)},
        )
    service = Service(f"http://127.0.0.1:{port}", policy, log)
    try:
        assert wait_until(lambda: service.logged("running locally") or process.poll() is not None,
                          seconds=60), "make dev did not start in a minute"
        assert process.poll() is None, log.read_text(encoding="utf-8")
        yield service
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def report_in_fenmoor(service: Service) -> str:
    body = json.loads(sample_event("intake-valid-json")["body"])  # noise and verbal abuse
    body["location"] = body["perpetrator"] = {**body["location"], **FENMOOR_HOME}
    status, answer = service.http("POST", "/reports", json.dumps(body),
                                  {"Content-Type": "application/json"})
    assert status == 201, answer
    return str(json.loads(answer)["reference"])


def triaged_case(service: Service, reference: str) -> dict[str, Any]:
    """The case as its officer reads it through the staff API, once triaged."""
    officer = {"Authorization": f"Bearer {issue('a.okafor', ['officer'], 'fenmoor-north')}"}
    case: dict[str, Any] = {}

    def triaged() -> bool:
        status, answer = service.http("GET", f"/cases/{reference}", headers=officer)
        case.clear()
        case.update(json.loads(answer)["case"] if status == 200 else {})
        return case.get("status") == "triaged"

    assert wait_until(triaged, seconds=30), case
    return case


def test_a_report_is_triaged_by_fenmoors_policy_and_its_form_gives_its_phone(
    fenmoor: Service,
) -> None:
    status, page = fenmoor.http("GET", "/")
    assert status == 200
    assert "01632 960 100" in page and "0300 123 4567" not in page

    case = triaged_case(fenmoor, report_in_fenmoor(fenmoor))
    # Verbal abuse: the seed landlord's category B (3 working days), Fenmoor's urgent A (1).
    assert case["category"] == "A"
    assert (case["officer"], case["team"]) == ("a.okafor", "fenmoor-north")
    assert case["policy_version"] == "fenmoor-2026.1"
    opened = local_day(datetime.fromisoformat(case["opened_at"].replace("Z", "+00:00")))
    assert case["targets"]["first_contact_due"] == add_working_days(opened, 1).isoformat()


def changed(service: Service, replacements: dict[str, str]) -> None:
    """The policy file edited and saved once, as a landlord's officer would."""
    text = service.policy.read_text(encoding="utf-8")
    for old, new in replacements.items():
        assert old in text
        text = text.replace(old, new)
    service.policy.write_text(text, encoding="utf-8")
    later = time.time_ns() + 2_000_000_000  # a modification time not seen before, however coarse
    os.utime(service.policy, ns=(later, later))


def test_a_changed_policy_is_checked_and_refused_or_taken_up_while_it_runs(
    fenmoor: Service,
) -> None:
    changed(fenmoor, {"qualifying_complaints: 2": "qualifying_complaints: 4",
                      "version: fenmoor-2026.1": "version: fenmoor-2026.2"})
    assert wait_until(lambda: fenmoor.logged(f"policy {fenmoor.policy} refused"), seconds=15)
    assert fenmoor.logged("case_review.qualifying_complaints: the ASB Case Review threshold")
    assert triaged_case(fenmoor, report_in_fenmoor(fenmoor))["policy_version"] == "fenmoor-2026.1"
    assert "01632 960 100" in fenmoor.http("GET", "/")[1]

    changed(fenmoor, {"qualifying_complaints: 4": "qualifying_complaints: 2",
                      "phone: 01632 960 100": "phone: 01632 960 200"})
    assert wait_until(lambda: fenmoor.logged("policy fenmoor-2026.2 loaded"), seconds=15)
    assert "01632 960 200" in fenmoor.http("GET", "/")[1]
    assert triaged_case(fenmoor, report_in_fenmoor(fenmoor))["policy_version"] == "fenmoor-2026.2"
