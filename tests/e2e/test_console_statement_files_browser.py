"""A witness's signed statement attached as a file in the console (issue 23, item 2), in real
headless Chromium against the local runtime, under the console's own Content-Security-Policy:
the officer chooses a file on the statement form; the page asks for the upload, POSTs the file
to S3 with fetch, has it checked and records the statement with it. A file that is not a
statement (a text file named .pdf) is refused beside the field, nothing recorded; a real PDF is
kept and the statement holds it, its file opens from the timeline."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import boto3
from playwright.sync_api import Page, expect

from asb.case.targets import local_day
from infra.local.runtime import LocalRuntime
from tests.e2e.test_console_browser import MANAGER, open_form, saved, sign_in, staff_api, triaged
from tests.e2e.test_notifications_flow import report

PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n" + b"0" * 200


def evidence_keys(service: LocalRuntime) -> list[str]:
    s3 = boto3.client("s3", endpoint_url=service.aws_endpoint, region_name="eu-west-2",
                      aws_access_key_id="local", aws_secret_access_key="local")
    bucket = next(b["Name"] for b in s3.list_buckets()["Buckets"] if "evidence" in b["Name"])
    return sorted(o["Key"] for o in s3.list_objects_v2(Bucket=bucket).get("Contents", []))


def test_an_officer_attaches_a_signed_statement_file(
        page: Page, service: LocalRuntime, tmp_path: Path) -> None:
    reference = report(service, "Hazel Court")
    triaged(service, reference)
    today = local_day(datetime.now(UTC)).isoformat()
    sign_in(page, service, "o.hughes", f"/console?case={reference}")
    open_form(page, "party-add")
    page.check("#party-add-roles-witness")
    page.fill("#party-add-name", "Jo Witness")
    page.click("#form-party-add button[type=submit]")
    saved(page, "The party was added.")

    # Words typed into a text file, named as a PDF: refused by its contents, beside the field.
    fake = tmp_path / "statement.pdf"
    fake.write_bytes(b"I saw him kick the door. Signed, Jo.\n" * 20)
    open_form(page, "witness-statement")
    page.select_option("#witness-statement-party_id", label="Witness: Jo Witness")
    page.fill("#witness-statement-made_on", today)
    page.set_input_files("#witness-statement-attachment", str(fake))
    page.check("#witness-statement-signed-first")
    page.fill("#witness-statement-signed_on", today)
    page.click("#form-witness-statement button[type=submit]")
    expect(page.locator("#witness-statement-attachment-error")).to_contain_text(
        "did not look like a signed statement")
    case = staff_api(service, "GET", f"/cases/{reference}", token=MANAGER)
    assert case["witnesses"][0]["statements"] == []
    assert evidence_keys(service) == []  # deleted

    scan = tmp_path / "signed statement.pdf"
    scan.write_bytes(PDF)
    page.set_input_files("#witness-statement-attachment", str(scan))
    page.click("#form-witness-statement button[type=submit]")
    saved(page, "The statement was saved.")
    expect(page.locator("#case-witnesses tbody tr", has_text="Jo Witness")).to_contain_text(
        "(a file on the case)")
    case = staff_api(service, "GET", f"/cases/{reference}", token=MANAGER)
    (statement,) = case["witnesses"][0]["statements"]
    assert statement["signed"] is True and statement["evidence_id"]
    assert evidence_keys(service) == [f"evidence/{reference}/{statement['evidence_id']}"]
    (kept,) = [e for e in case["timeline"] if e["kind"] == "evidence"
               and e["detail"]["status"] == "checked"]
    assert kept["detail"]["content_type"] == "application/pdf"
    expect(page.locator("#case-timeline")).to_contain_text(
        "Signed statement file attached by o.hughes: checked")
