"""A reporter follows their report in headless Chromium: the link from the acknowledgement in
`make outbox`, a diary entry, a sound recording sent straight to the local S3 and checked; the
officer sees both; after closure and retention the link is a plain 404."""

from __future__ import annotations

import json
import re
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from playwright.sync_api import Browser, Page, expect

from asb.policy.config import CASE_REVIEW_URL, COMPLAINTS_URL
from infra.local.outbox import sent
from infra.local.runtime import LocalRuntime
from tests.e2e.browser import axe_violations, fill_in
from tests.e2e.test_console_browser import MANAGER, sign_in, staff_api, triaged
from tests.e2e.test_local_service import http
from tests.e2e.test_notifications_flow import report

MP3 = b"ID3\x03\x00\x00\x00\x00\x00\x00" + b"\xff\xfb\x90\x64" + bytes(20_000)


def link_from_outbox(service: LocalRuntime, reference: str) -> str:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        for message in sent(service.aws_endpoint):
            if message.summary == f"We have your report ({reference})":
                found = re.search(r"(http://\S+/track/" + reference + r"\?secret=[\w-]+)",
                                  message.body)
                assert found, message.body
                return found.group(1)
        time.sleep(0.3)
    raise AssertionError(f"no acknowledgement for {reference} in the outbox")


def with_a_neighbour(data: dict[str, Any]) -> None:
    data["perpetrator"] = {"known": True, "name": "Dean Cole", "address": "9 Rowan Way, Yeovil"}


def test_a_reporter_follows_adds_a_diary_entry_and_a_recording_and_the_officer_sees_both(
        page: Page, service: LocalRuntime, tmp_path: Path) -> None:
    reference = report(service, "Rowan Way", with_a_neighbour)
    triaged(service, reference)
    link = link_from_outbox(service, reference)

    page.goto(link)
    expect(page.locator("h1")).to_have_text(f"Your report {reference}")
    expect(page.locator("#status")).to_contain_text("An officer is working on your report")
    expect(page.locator("#officer")).to_have_text("Olivia")
    body = page.locator("main").inner_text()
    assert "Dean Cole" not in body and "9 Rowan Way" not in body

    fill_in(page, {"#occurred_on": "2026-11-20", "#occurred_at": "23:10", "#lasted_minutes": "45",
                   "#what_happened": "Banging on my door and shouting my name until midnight.",
                   "#effect": "The children could not sleep."})
    page.click("#add-diary")
    expect(page.locator("#notice")).to_contain_text("added that to your diary")
    expect(page.locator("#diary-entries")).to_contain_text("Banging on my door")

    page.check("#kind")  # a sound recording
    page.click("#choose-file")
    expect(page.locator("h1")).to_have_text("Send a sound recording")
    recording = tmp_path / "night.mp3"
    recording.write_bytes(MP3)
    page.set_input_files("#file", str(recording))
    page.click("#send-file")  # straight to S3 (the local one), which sends the browser back
    expect(page.locator("#notice")).to_contain_text("We have your file")
    expect(page.locator("#files-sent")).to_contain_text("A sound recording")
    expect(page.locator("#files-sent")).to_contain_text("received")

    timeline = staff_api(service, "GET", f"/cases/{reference}")["timeline"]
    diary = [e["detail"] for e in timeline if e["kind"] == "diary"]
    files = [e["detail"] for e in timeline if e["kind"] == "evidence"]
    assert [d["text"] for d in diary] == ["Banging on my door and shouting my name until midnight."]
    assert [(f["status"], f["content_type"]) for f in files] == [("checked", "audio/mpeg")]
    opened = staff_api(service, "GET", f"/cases/{reference}/evidence/{files[0]['record_id']}")
    assert opened["content_type"] == "audio/mpeg"

    # The officer sees both on the console too.
    sign_in(page, service, "o.hughes", f"/console?case={reference}")
    expect(page.locator("#case-timeline")).to_contain_text("Reporter's diary")
    expect(page.locator("#case-timeline")).to_contain_text("Audio file from the reporter: checked")
    expect(page.locator("button.open-file")).to_have_count(1)


def test_a_file_that_is_not_what_it_says_is_refused_and_an_oversize_one_never_leaves(
        page: Page, service: LocalRuntime, tmp_path: Path) -> None:
    reference = report(service, "Spruce Lane")
    triaged(service, reference)
    page.goto(link_from_outbox(service, reference))
    page.check("#kind")
    page.click("#choose-file")
    fake = tmp_path / "recording.mp3"
    fake.write_bytes(b"MZ\x90\x00" + bytes(5000))  # a program, named as a recording
    page.set_input_files("#file", str(fake))
    page.click("#send-file")
    expect(page.locator("#files-sent")).to_contain_text("did not look like a sound recording")

    page.check("#kind")
    page.click("#choose-file")
    large = tmp_path / "long.mp3"
    large.write_bytes(MP3 + bytes(26 * 1024 * 1024))
    page.set_input_files("#file", str(large))
    page.click("#send-file")
    expect(page.locator("#error-summary")).to_be_visible()
    expect(page.locator("#error-summary")).to_contain_text("larger than 25 MB")
    expect(page.locator("h1")).to_have_text("Send a sound recording")  # it never went


def test_the_tracking_pages_have_no_serious_accessibility_violations(
        browser: Browser, service: LocalRuntime) -> None:
    reference = report(service, "Willow Bank")
    triaged(service, reference)
    link = link_from_outbox(service, reference)
    context = browser.new_context(bypass_csp=True)  # axe-core is injected as a script
    page = context.new_page()
    try:
        page.goto(link)
        assert axe_violations(page) == []
        page.click("#add-diary")  # nothing filled in: the error summary
        expect(page.locator(".error-summary")).to_be_visible()
        assert axe_violations(page) == []
        page.check("#kind")
        page.click("#choose-file")
        assert axe_violations(page) == []
    finally:
        context.close()


def test_a_closed_cases_page_says_why_and_what_the_reporter_can_do_next(
        page: Page, service: LocalRuntime) -> None:
    reference = report(service, "Elder Grove")
    case = triaged(service, reference)
    link = link_from_outbox(service, reference)
    staff_api(service, "POST", f"/cases/{reference}/action-plan", {
        "landlord_actions": ["Write to the tenant at number 9"],
        "customer_actions": ["Keep a diary of the music at night"], "contact_channel": "phone",
        "contact_every_working_days": 5, "review_on": "2027-01-15", "customer_agreed": True},
        case["version"])
    page.goto(link)
    expect(page.locator("#plan")).to_contain_text("We will look at the plan again by")
    version = staff_api(service, "GET", f"/cases/{reference}")["case"]["version"]
    staff_api(service, "POST", f"/cases/{reference}/closure", {
        "outcome": "resolved", "reasons": "No further reports for eight weeks after the visit."},
        version)

    page.goto(link)
    expect(page.locator("#status")).to_have_text("We have closed your case.")
    expect(page.locator("#outcome")).to_have_text("Why we closed it: The behaviour has stopped.")
    expect(page.locator("#plan")).to_contain_text("Write to the tenant at number 9")
    main = page.inner_text("main")
    for stale in ("look at the plan again", "We will contact you by", "Add to your diary"):
        assert stale not in main, stale
    help_ = page.locator("#closed-help")
    expect(help_).to_contain_text("make a new report")
    expect(help_.get_by_role("link", name="Find out how to ask for an ASB Case Review")) \
        .to_have_attribute("href", CASE_REVIEW_URL)
    expect(help_.get_by_role("link", name="Find out how to complain")) \
        .to_have_attribute("href", COMPLAINTS_URL)


def test_after_closure_and_retention_the_link_is_a_plain_404(service: LocalRuntime) -> None:
    reference = report(service, "Hawthorn Rise")
    case = triaged(service, reference)
    link = link_from_outbox(service, reference)
    path = link.removeprefix(service.api_url)
    assert http(service, "GET", path)[0] == 200
    staff_api(service, "POST", f"/cases/{reference}/closure", {
        "outcome": "resolved", "reasons": "No further reports for eight weeks after the visit."},
        case["version"])
    assert http(service, "GET", path)[0] == 200  # closed, still kept: the reporter can read it
    closed = staff_api(service, "GET", f"/cases/{reference}", token=MANAGER)["case"]
    after = date.fromisoformat(closed["retain_until"]) + timedelta(days=1)
    assert service.scheduler
    service.scheduler.tick(datetime(after.year, after.month, after.day, 3, tzinfo=UTC),
                           "Retention")
    status, _, page = http(service, "GET", path)
    assert status == 404 and reference not in page
    assert json.dumps(staff_api(service, "GET", f"/cases/{reference}", token=MANAGER)).count(
        "tracking_hash") == 0
