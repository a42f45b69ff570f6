"""A hearing's court bundle through its handler on moto (issue 22, item 4): a case reported by
Alex Morgan about Dean Cole, a photo and a sound recording through Alex's link, the officer's
diary and contact, an injunction listed for a hearing; the bundle's PDF read back (its index,
exhibit numbers, page numbers, the reporter named only by a label), its making audited with
its items, and bad input refused with nothing stored."""

from __future__ import annotations

import copy
import io
import json
import struct
import zlib
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from types import ModuleType
from typing import Any
from zoneinfo import ZoneInfo

import boto3
import pytest
from pypdf import PdfReader

from tests.conftest import LambdaContext, sample_event
from tests.integration.helpers import Staff, case_partition
from tests.integration.test_tracking import MP3, PNG, post, report, upload
from tests.pdfs import text_lines

MANAGER = ("m.jones", "manager", "yeovil")
REPORTER_PHONE = "07700 900123"  # the sample report's


@pytest.fixture
def tracking(load_handler: Callable[[str], ModuleType]) -> ModuleType:
    return load_handler("TrackingFunction")


@pytest.fixture
def court_bundles(load_handler: Callable[[str], ModuleType]) -> ModuleType:
    return load_handler("CourtBundlesFunction")


def a_photo() -> bytes:
    """A real 2 x 2 PNG, which the tracking page checks and fpdf2 draws."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))

    rows = b"".join(b"\x00" + b"\xff\x00\x00" * 2 for _ in range(2))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 2, 2, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


def about_dean_cole(data: dict[str, Any]) -> None:
    data["perpetrator"] = {"known": True, "name": "Dean Cole",
                           "address": "14 Orchard Close, Yeovil"}


def records(staff: Staff, reference: str, entity: str) -> list[dict[str, Any]]:
    return [i for i in case_partition(staff.table, reference) if i["entity"] == entity]


def a_listed_injunction(staff: Staff, reference: str) -> tuple[str, str]:
    injunction = {"measure": "civil_injunction",
                  "rationale": "Warnings have failed; the noise and the threats continue.",
                  "equality_impact": "No known disability; support was offered before this."}
    assert staff.write(reference, "measures", injunction)[0] == 200
    (measure,) = records(staff, reference, "Measure")
    steps = f"measures/{measure['record_id']}"
    approve = {"approved": True, "reason": "Proportionate after the warnings failed."}
    assert staff.write(reference, f"{steps}/decision", approve, who=MANAGER)[0] == 200
    today = datetime.now(UTC).astimezone(ZoneInfo("Europe/London"))
    assert staff.write(reference, f"{steps}/steps", {
        "step": "applied", "applied_on": today.date().isoformat(),
        "court": "Yeovil County Court", "respondent_born_on": "1990-05-01"})[0] == 200
    hearing_at = (today + timedelta(days=7)).replace(hour=10, minute=0, second=0, microsecond=0)
    assert staff.write(reference, f"{steps}/steps", {
        "step": "hearing_listed", "at": hearing_at.isoformat(), "court": "Yeovil County Court",
        "purpose": "first"})[0] == 200
    (measure,) = records(staff, reference, "Measure")
    return measure["record_id"], measure["hearings"][0]["hearing_id"]


def make(handler: ModuleType, reference: str, measure_id: str, body: Any,
         who: tuple[str, str, str] | None = ("o.hughes", "officer", "yeovil"),
         ) -> tuple[int, dict[str, Any]]:
    event = copy.deepcopy(sample_event("court_bundles-make-bundle"))
    event["path"] = f"/cases/{reference}/measures/{measure_id}/bundles"
    event["pathParameters"] = {"reference": reference, "measure_id": measure_id}
    event["body"] = json.dumps(body)
    if who is None:
        event["requestContext"]["authorizer"] = None
    else:
        event["requestContext"]["authorizer"]["claims"].update(
            {"cognito:username": who[0], "cognito:groups": who[1], "custom:team": who[2]})
    answer = handler.lambda_handler(event, LambdaContext())
    return answer["statusCode"], json.loads(answer["body"] or "{}")


def bucket_objects(prefix: str) -> dict[str, bytes]:
    s3 = boto3.client("s3")
    bucket = next(b["Name"] for b in s3.list_buckets()["Buckets"] if "evidence" in b["Name"])
    listed = s3.list_objects_v2(Bucket=bucket, Prefix=prefix).get("Contents", [])
    return {o["Key"]: s3.get_object(Bucket=bucket, Key=o["Key"])["Body"].read() for o in listed}


def test_a_bundle_has_its_index_exhibits_and_page_numbers_and_no_reporters_details(
        staff: Staff, tracking: ModuleType, court_bundles: ModuleType) -> None:
    reference, secret = report(staff, about_dean_cole)
    for kind, content in (("image", a_photo()), ("audio", MP3)):
        assert upload(tracking, staff, reference, secret, kind, content)["statusCode"] == 303
    assert post(tracking, f"/track/{reference}/diary-entries", {
        "secret": secret, "occurred_on": "2026-11-20", "occurred_at": "23:10",
        "what_happened": "Dean Cole shouted at my door again.",
        "effect": "We could not sleep."})["statusCode"] == 303
    assert staff.write(reference, "diary-entries", {
        "text": "Alex Morgan (07700 900123, alex.morgan@example.org) says Dean Cole played "
                "music until 3am; Alex could not sleep."})[0] == 200
    assert staff.write(reference, "contacts", {
        "channel": "visit", "with_whom": "perpetrator",
        "summary": "Visited Dean Cole at 14 Orchard Close; he denied it was him."})[0] == 200
    measure_id, hearing_id = a_listed_injunction(staff, reference)
    files = {i["content_type"]: i["record_id"] for i in records(staff, reference, "Evidence")}
    diary = {i["kind"]: i["record_id"] for i in records(staff, reference, "DiaryEntry")}
    (contact,) = records(staff, reference, "Contact")
    items = [{"kind": "evidence", "id": files["image/png"]},
             {"kind": "evidence", "id": files["audio/mpeg"]},
             {"kind": "diary_entry", "id": diary["diary"]},
             {"kind": "diary_entry", "id": diary["reporter_diary"]},
             {"kind": "contact", "id": contact["record_id"]}]

    status, made = make(court_bundles, reference, measure_id,
                        {"hearing_id": hearing_id, "items": items})

    assert status == 200, made
    numbers = [e["exhibit"] for e in made["exhibits"]]
    assert numbers == ["OH/1", "OH/2", "OH/3", "OH/4", "OH/5"]
    assert made["exhibits"][0]["id"] == diary["reporter_diary"]  # 20 November, before the rest
    (key, pdf), = bucket_objects("bundles/").items()
    assert key == f"bundles/{reference}/{made['bundle_id']}.pdf"
    lines = text_lines(pdf)
    text = "\n".join(lines)
    pages = made["pages"]
    assert pages >= 8  # cover, index, schedule and an exhibit a page
    assert [f"Page {n} of {pages}" in text for n in range(1, pages + 1)] == [True] * pages
    index = lines[lines.index("Index"):lines.index("Exhibit schedule")]
    assert any(line.startswith("OH/5") and line.endswith(f"page {pages}") for line in index)
    assert "Yeovil County Court" in text and "Dean Cole" in text and "Civil injunction" in text
    for reporters in ("Alex Morgan", "Alex", "Morgan", "alex.morgan@example.org", "07700",
                      "900123"):
        assert reporters not in text, reporters
    assert "[Resident A] ([Resident A's phone], [Resident A's email]) says Dean Cole" in text
    assert "audio/mpeg" in text and "not reproduced on paper" in text
    assert len(PdfReader(io.BytesIO(pdf)).pages[4].images) == 1  # OH/2, the photo, drawn
    assert "This photo could not be drawn" not in text
    (audit,) = [i for i in case_partition(staff.table, reference)
                if i.get("action") == "CourtBundleMade"]
    assert audit["actor"] == "staff:o.hughes" and audit["access_actor"] == "staff:o.hughes"
    assert audit["after"]["hearing_id"] == hearing_id and audit["after"]["pages"] == pages
    assert {(i["kind"], i["id"]) for i in audit["after"]["items"]} == {
        (i["kind"], i["id"]) for i in items}
    assert "Alex" not in json.dumps(audit) and "Dean" not in json.dumps(audit)


def test_bad_choices_are_named_and_nothing_is_kept_or_audited(
        staff: Staff, tracking: ModuleType, court_bundles: ModuleType) -> None:
    reference, secret = report(staff, about_dean_cole)
    upload(tracking, staff, reference, secret, "audio", PNG)  # refused: not a sound recording
    (refused,) = records(staff, reference, "Evidence")
    assert refused["status"] == "refused"
    measure_id, hearing_id = a_listed_injunction(staff, reference)
    unknown = "0b7e4c1a-2f3d-4e5a-9b6c-7d8e9f0a1b2c"

    status, body = make(court_bundles, reference, measure_id, {
        "hearing_id": hearing_id, "items": [{"kind": "evidence", "id": refused["record_id"]},
                                            {"kind": "diary_entry", "id": unknown}]})
    assert status == 422
    assert {e["field"]: e["message"] for e in body["errors"]} == {
        "items.0.id": "This file is not checked (refused): only a checked file can be an exhibit",
        "items.1.id": "No diary entry with this id on this case"}
    status, body = make(court_bundles, reference, measure_id,
                        {"hearing_id": unknown, "items": [{"kind": "contact", "id": unknown}]})
    assert status == 422 and [e["field"] for e in body["errors"]] == ["hearing_id"]
    status, body = make(court_bundles, reference, measure_id, {"hearing_id": hearing_id,
                                                               "items": []})
    assert status == 422 and body["errors"][0]["field"] == "items"
    assert make(court_bundles, reference, unknown, {
        "hearing_id": hearing_id, "items": [{"kind": "contact", "id": unknown}]})[0] == 404
    chosen = {"hearing_id": hearing_id, "items": [{"kind": "interview", "id": measure_id}]}
    assert make(court_bundles, reference, measure_id, chosen,
                who=("k.evans", "officer", "taunton"))[0] == 404
    assert make(court_bundles, reference, measure_id, chosen, who=("d.price", "dpo", ""))[0] == 403
    assert make(court_bundles, reference, measure_id, chosen, who=None)[0] == 401
    assert bucket_objects("bundles/") == {}
    assert not [i for i in case_partition(staff.table, reference)
                if i.get("action") == "CourtBundleMade"]
