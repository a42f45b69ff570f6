"""The reporter's private tracking link, from API Gateway's events on moto: what the page shows
and never shows, a diary entry, files checked by their content, 404 and throttling (a wrong
link counted by address; a right one always served), and the hash a link is checked against kept
in step on its reference's item by revocation and retention."""

from __future__ import annotations

import base64
import copy
import hashlib
import json
import re
from collections.abc import Callable
from datetime import date
from types import ModuleType
from typing import Any
from urllib.parse import parse_qs, quote, urlsplit

import boto3
import pytest

from asb.case.targets import long_date
from asb.policy.config import EVIDENCE_KINDS, LANDLORD_PHONE
from tests.conftest import LambdaContext, sample_event
from tests.integration.helpers import Staff, case_partition, report_of, table_items
from tests.landlords_homes import NUMBER_14, living_at

MP3 = b"ID3\x03\x00\x00\x00\x00\x00\x00" + b"\xff\xfb\x90\x64" + bytes(4000)
PNG = b"\x89PNG\r\n\x1a\n" + bytes(200)


@pytest.fixture
def tracking(load_handler: Callable[[str], ModuleType]) -> ModuleType:
    return load_handler("TrackingFunction")


def report(staff: Staff, change: Callable[[dict[str, Any]], None] | None = None) -> tuple[str, str]:
    """A report through the intake handler, triaged; its reference and the link's secret."""
    event = sample_event("intake-valid-json")
    event["headers"].pop("Idempotency-Key")
    data = json.loads(event["body"])
    if change:
        change(data)
    event["body"] = json.dumps(data)
    answer = json.loads(staff.handlers["Intake"].lambda_handler(event, LambdaContext())["body"])
    url = urlsplit(answer["tracking_url"])
    assert url.path == f"/v1/track/{answer['reference']}"
    case, report_id = report_of(staff.table, answer["reference"])
    stored = next(i for i in case_partition(staff.table, case)
                  if i["entity"] == "Event" and i["type"] == "ReportReceived"
                  and i["detail"]["report_id"] == report_id)
    triage = sample_event("triage-report-received")
    triage["Records"][0]["body"] = json.dumps({k: stored[k] for k in (
        "event_id", "type", "case_reference", "occurred_at", "detail", "schema_version")})
    staff.handlers["Triage"].lambda_handler(triage, LambdaContext())
    return answer["reference"], parse_qs(url.query)["secret"][0]


def about_number_14(data: dict[str, Any]) -> None:
    """The person doing it lives at number 14, chosen from the landlord's homes: a further
    report about them joins the case."""
    data["perpetrator"] = living_at(NUMBER_14)


def get(tracking: ModuleType, path: str, query: dict[str, str] | None = None,
        source: str = "203.0.113.45") -> dict[str, Any]:
    event = copy.deepcopy(sample_event("tracking-get-page"))
    return call(tracking, event, "GET", path, query=query, source=source)


def post(tracking: ModuleType, path: str, form: dict[str, str],
         source: str = "203.0.113.45") -> dict[str, Any]:
    event = copy.deepcopy(sample_event("tracking-add-diary-entry"))
    event["body"] = "&".join(f"{k}={quote(v)}" for k, v in form.items())
    return call(tracking, event, "POST", path, source=source)


def call(tracking: ModuleType, event: dict[str, Any], method: str, path: str,
         query: dict[str, str] | None = None, source: str = "203.0.113.45") -> dict[str, Any]:
    resource = re.sub(r"ASB-\d{4}-\d{6}", "{reference}", path)
    resource = re.sub(r"/evidence/[0-9a-f-]{36}/", "/evidence/{evidence_id}/", resource)
    parameters = {"reference": path.split("/")[2]}
    if "{evidence_id}" in resource:
        parameters["evidence_id"] = path.split("/")[4]
    event.update(httpMethod=method, path=path, resource=resource, pathParameters=parameters,
                 queryStringParameters=query,
                 multiValueQueryStringParameters={k: [v] for k, v in query.items()}
                 if query else None)
    event["requestContext"].update(httpMethod=method, resourcePath=resource, path=f"/v1{path}")
    event["requestContext"]["identity"]["sourceIp"] = source
    answer: dict[str, Any] = tracking.lambda_handler(event, LambdaContext())
    answer["headers"] = {**(answer.get("headers") or {}), **{
        k: ", ".join(v) for k, v in (answer.get("multiValueHeaders") or {}).items()}}
    return answer


def text_of(page: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page))


def test_the_link_shows_where_the_report_stands_and_nothing_of_anyone_else(
        staff: Staff, tracking: ModuleType) -> None:
    def mine(data: dict[str, Any]) -> None:
        data["perpetrator"] = {"known": True, "name": "Dean Cole", "address": "14 Orchard Close"}

    reference, secret = report(staff, mine)

    def neighbour(data: dict[str, Any]) -> None:  # joins the same case: same place
        data["reporter"].update(name="Jo Neighbour", email="jo.neighbour@example.org",
                                phone="07700 900456")
        data["incident"]["description"] = "Jo's own account: the dog barks all night too."

    joined, _ = report(staff, neighbour)
    assert joined != reference  # the neighbour has a reference of their own
    answer = get(tracking, f"/track/{reference}", {"secret": secret})
    assert answer["statusCode"] == 200
    shown = text_of(answer["body"])
    assert "An officer is working on your report" in shown
    assert joined not in shown
    assert "Olivia" in shown  # the officer's first name, never a username
    for private in ("Dean Cole", "14 Orchard Close", "Jo Neighbour", "jo.neighbour",
                    "07700 900456", "the dog barks", "o.hughes", "Alex Morgan"):
        assert private not in shown, private
    headers = answer["headers"]
    assert headers["Referrer-Policy"] == "no-referrer"
    assert headers["Cache-Control"] == "no-store"


PLAN = {"landlord_actions": ["Write to the tenant at number 14"],
        "customer_actions": ["Keep a diary of the music at night"],
        "contact_channel": "phone", "contact_every_working_days": 5,
        "review_on": "2027-01-15", "customer_agreed": True}


def test_a_joining_reporters_link_works_and_shows_only_their_own_part(
        staff: Staff, tracking: ModuleType, homes: str) -> None:
    first, first_secret = report(staff, about_number_14)
    assert staff.write(first, "contacts", {"channel": "phone", "summary": "Agreed a plan."})[0] \
        == 200
    assert staff.write(first, "action-plan", PLAN)[0] == 200  # agreed with the first reporter
    case_view = staff.get(first)[1]
    next_contact = case_view["case"]["targets"]["next_contact_due"]

    def stranger(data: dict[str, Any]) -> None:  # chooses the same home, as anyone could
        about_number_14(data)
        data["reporter"].update(name="Sam Stranger", email="sam@example.org")

    joined, joined_secret = report(staff, stranger)
    assert joined != first
    page = get(tracking, f"/track/{joined}", {"secret": joined_secret})
    assert page["statusCode"] == 200
    shown = text_of(page["body"])
    assert f"Your report {joined}" in shown and "An officer is working on your report" in shown
    for not_theirs in (first, "Write to the tenant", "Keep a diary of the music",
                       long_date(date.fromisoformat(next_contact))):
        assert not_theirs not in shown, not_theirs
    assert "Your officer will agree a plan with you" in shown
    assert f"/track/{joined}/diary-entries" in page["body"]
    # The first reporter still sees the plan agreed with them.
    assert "Keep a diary of the music" in text_of(
        get(tracking, f"/track/{first}", {"secret": first_secret})["body"])
    # Neither secret opens the other's page.
    assert get(tracking, f"/track/{first}", {"secret": joined_secret})["statusCode"] == 404
    assert get(tracking, f"/track/{joined}", {"secret": first_secret})["statusCode"] == 404
    # A diary entry through the joining link lands on the case, as the reporter's own.
    added = post(tracking, f"/track/{joined}/diary-entries", {
        "secret": joined_secret, "occurred_on": "2026-11-20",
        "what_happened": "Music again until three in the morning."})
    assert added["statusCode"] == 303 and f"/track/{joined}?" in added["headers"]["Location"]
    assert "Music again" in text_of(get(tracking, f"/track/{joined}",
                                        {"secret": joined_secret})["body"])
    assert "Music again" not in text_of(get(tracking, f"/track/{first}",
                                            {"secret": first_secret})["body"])
    # Staff see each report with its own reference, and find the case by either.
    reports = [e["detail"] for e in staff.get(first)[1]["timeline"] if e["kind"] == "report"]
    assert sorted(r["reference"] for r in reports) == sorted([first, joined])
    assert staff.get(joined)[1]["case"]["reference"] == first


def test_a_wrong_secret_and_a_missing_case_are_the_same_plain_404(
        staff: Staff, tracking: ModuleType) -> None:
    reference, secret = report(staff)
    other_last = "B" if secret.endswith("A") else "A"  # never the right secret by chance
    wrong = get(tracking, f"/track/{reference}", {"secret": secret[:-1] + other_last})
    missing = get(tracking, "/track/ASB-2026-999999", {"secret": secret})
    none = get(tracking, f"/track/{reference}")
    assert wrong["statusCode"] == missing["statusCode"] == none["statusCode"] == 404
    assert wrong["body"] == missing["body"] == none["body"]
    assert reference not in wrong["body"]


def test_hostile_references_and_secrets_are_the_same_404_never_a_500(
        staff: Staff, tracking: ModuleType) -> None:
    reference, secret = report(staff)
    for path, query in [(f"/track/{'A' * 3000}", {"secret": secret}),
                        ("/track/..%2F..%2Fetc", {"secret": secret}),
                        (f"/track/{reference}", {"secret": "x" * 5000}),
                        (f"/track/{reference}", {"secret": "' OR 1=1 --"})]:
        answer = get(tracking, path, query, source="192.0.2.99")
        assert answer["statusCode"] == 404, (path[:40], answer["statusCode"])


def test_repeated_wrong_links_from_one_address_are_made_to_wait_but_a_right_one_never(
        staff: Staff, tracking: ModuleType) -> None:
    reference, secret = report(staff)
    household = "198.51.100.7"
    for n in range(10):
        assert get(tracking, f"/track/{reference}", {"secret": f"guess-{n}"},
                   source=household)["statusCode"] == 404
    refused = get(tracking, "/track/ASB-2026-999999", {"secret": "guess-10"}, source=household)
    assert refused["statusCode"] == 429
    assert 0 < int(refused["headers"]["Retry-After"]) <= 2 * 900
    shown = text_of(refused["body"])
    assert refused["headers"]["Content-Type"].startswith("text/html")
    assert "Please wait before you try again" in shown and "Please try again in" in shown
    assert LANDLORD_PHONE in shown and "call 999" in shown
    # A right link from the same address (a shared household, a mobile network) is served, and
    # does not count; wrong ones go on counting.
    for _ in range(3):
        assert get(tracking, f"/track/{reference}", {"secret": secret},
                   source=household)["statusCode"] == 200
    assert get(tracking, f"/track/{reference}", {"secret": "guess-11"},
               source=household)["statusCode"] == 429
    # Someone else, at another address, is not held up by it.
    assert get(tracking, f"/track/{reference}", {"secret": "guess-0"})["statusCode"] == 404
    counts = [i for i in table_items(staff.table) if i["pk"].startswith("GUESSES#")]
    assert len(counts) == 2 and "198.51.100.7" not in json.dumps(counts)  # a hash, by address
    # ... keyed: not the plain SHA-256 anyone can undo by hashing every IPv4 address
    assert hashlib.sha256(household.encode()).hexdigest() not in json.dumps(counts)
    assert sorted(sum(v for k, v in i.items() if k.startswith("w")) for i in counts) == [1, 12]


def test_a_json_client_is_answered_in_json_and_a_person_with_a_page(
        staff: Staff, tracking: ModuleType) -> None:
    reference, _ = report(staff)
    event = copy.deepcopy(sample_event("tracking-get-page"))
    event["headers"]["Accept"] = "application/json"
    answer = call(tracking, event, "GET", f"/track/{reference}", {"secret": "wrong"})
    assert answer["statusCode"] == 404
    assert answer["headers"]["Content-Type"] == "application/json"
    body = json.loads(answer["body"])
    assert body["phone"] == LANDLORD_PHONE and "check you copied the whole address" in \
        body["message"]
    page = get(tracking, f"/track/{reference}", {"secret": "wrong"})
    assert page["headers"]["Content-Type"].startswith("text/html")
    assert "This link is not working" in page["body"] and LANDLORD_PHONE in page["body"]
    assert f'href="tel:{LANDLORD_PHONE.replace(" ", "")}"' in page["body"]


def test_a_diary_entry_is_added_and_an_invalid_one_names_its_fields_and_keeps_nothing(
        staff: Staff, tracking: ModuleType) -> None:
    reference, secret = report(staff)
    bad = post(tracking, f"/track/{reference}/diary-entries",
               {"secret": secret, "occurred_on": "2099-01-01", "what_happened": ""})
    assert bad["statusCode"] == 422
    assert "The date must be today or in the past" in bad["body"]
    assert 'href="#what_happened"' in bad["body"]
    assert not [i for i in case_partition(staff.table, reference) if i["entity"] == "DiaryEntry"]
    added = post(tracking, f"/track/{reference}/diary-entries", {
        "secret": secret, "occurred_on": "2026-11-20", "occurred_at": "23:10",
        "lasted_minutes": "45", "what_happened": "Banging on my door and shouting my name.",
        "effect": "We could not sleep."})
    assert added["statusCode"] == 303
    assert added["headers"]["Location"].endswith("&done=diary")
    diary = [i for i in case_partition(staff.table, reference) if i["entity"] == "DiaryEntry"]
    assert [(d["occurred_on"], d["occurred_at"], d["lasted_minutes"], d["by"]) for d in diary] == [
        ("2026-11-20", "23:10", 45, "reporter:tracking-link")]
    officer_view = staff.get(reference)[1]["timeline"]
    assert any(e["kind"] == "diary" and "Banging" in e["detail"]["text"] for e in officer_view)


def upload(tracking: ModuleType, staff: Staff, reference: str, secret: str, kind: str,
           content: bytes) -> dict[str, Any]:
    """Chooses a kind, puts the file where the presigned POST would (as the browser would),
    then follows S3's redirect back."""
    chosen = post(tracking, f"/track/{reference}/evidence", {"secret": secret, "kind": kind})
    assert chosen["statusCode"] == 200
    page = chosen["body"]
    key = re.search(r'name="key" value="([^"]+)"', page)
    redirect = re.search(r'name="success_action_redirect" value="([^"]+)"', page)
    assert key and redirect
    policy = re.search(r'name="policy" value="([^"]+)"', page)
    assert policy
    conditions = json.loads(base64.b64decode(policy.group(1)))["conditions"]
    assert ["content-length-range", 1, EVIDENCE_KINDS[kind][1]] in conditions
    assert ["starts-with", "$Content-Type", f"{kind}/"] in conditions
    bucket = next(b["Name"] for b in boto3.client("s3").list_buckets()["Buckets"]
                  if "evidence" in b["Name"])
    boto3.client("s3").put_object(Bucket=bucket, Key=key.group(1), Body=content)
    back = urlsplit(redirect.group(1).replace("&amp;", "&"))
    return get(tracking, back.path.removeprefix("/v1"),
               {k: v[0] for k, v in parse_qs(back.query).items()})


def test_a_file_is_kept_only_if_its_content_is_what_was_chosen(
        staff: Staff, tracking: ModuleType) -> None:
    reference, secret = report(staff)
    kept = upload(tracking, staff, reference, secret, "audio", MP3)
    assert kept["statusCode"] == 303 and kept["headers"]["Location"].endswith("&done=checked")
    refused = upload(tracking, staff, reference, secret, "audio", PNG)  # a photo named audio
    assert refused["headers"]["Location"].endswith("&done=refused")
    evidence = {i["status"]: i for i in case_partition(staff.table, reference)
                if i["entity"] == "Evidence"}
    assert evidence["checked"]["content_type"] == "audio/mpeg"
    assert "did not look like a sound recording" in evidence["refused"]["reason"]
    bucket = next(b["Name"] for b in boto3.client("s3").list_buckets()["Buckets"]
                  if "evidence" in b["Name"])
    keys = [o["Key"] for o in boto3.client("s3").list_objects_v2(Bucket=bucket).get(
        "Contents", [])]
    assert keys == [f"evidence/{reference}/{evidence['checked']['record_id']}"]  # nothing else

    page = text_of(get(tracking, f"/track/{reference}", {"secret": secret})["body"])
    assert "A sound recording" in page and "not kept" in page
    status, link = staff.call("case_queries-get-case",
                              path=f"/cases/{reference}/evidence/{evidence['checked']['record_id']}",
                              reference=reference)
    assert status == 200 and link["content_type"] == "audio/mpeg"
    opened = [i for i in case_partition(staff.table, reference) if i.get("action") == "EvidenceOpened"]
    assert len(opened) == 1
    refused_id = evidence["refused"]["record_id"]
    assert staff.call("case_queries-get-case", path=f"/cases/{reference}/evidence/{refused_id}",
                      reference=reference)[0] == 404


def test_a_joining_reporters_upload_form_names_no_case_and_the_file_is_kept_on_the_case(
        staff: Staff, tracking: ModuleType, homes: str) -> None:
    first, _ = report(staff, about_number_14)

    def neighbour(data: dict[str, Any]) -> None:  # joins the same case: the same tenancy
        about_number_14(data)
        data["reporter"].update(name="Jo Neighbour", email="jo.neighbour@example.org")

    joined, secret = report(staff, neighbour)
    assert joined != first
    chosen = post(tracking, f"/track/{joined}/evidence", {"secret": secret, "kind": "audio"})
    assert chosen["statusCode"] == 200
    policy = re.search(r'name="policy" value="([^"]+)"', chosen["body"])
    assert policy
    # Not in the page, the key S3 will redirect with, nor the signed policy.
    for form in (chosen["body"], base64.b64decode(policy.group(1)).decode()):
        assert first not in form
    assert upload(tracking, staff, joined, secret, "audio", MP3)["headers"][
        "Location"].endswith("&done=checked")
    requested = [i for i in case_partition(staff.table, first) if i["entity"] == "Evidence"]
    assert len(requested) == 2 and not any(first in i["incoming_key"] for i in requested)
    evidence = next(i for i in requested if i["status"] == "checked")
    bucket = next(b["Name"] for b in boto3.client("s3").list_buckets()["Buckets"]
                  if "evidence" in b["Name"])
    keys = [o["Key"] for o in boto3.client("s3").list_objects_v2(Bucket=bucket).get(
        "Contents", [])]
    assert keys == [f"evidence/{first}/{evidence['record_id']}"]  # the officer's, on the case
    assert staff.call("case_queries-get-case",
                      path=f"/cases/{first}/evidence/{evidence['record_id']}",
                      reference=first)[0] == 200


def test_an_oversize_file_is_refused_with_a_clear_message_and_not_kept(
        staff: Staff, tracking: ModuleType, monkeypatch: pytest.MonkeyPatch) -> None:
    from asb.policy import config

    name, _, types = config.EVIDENCE_KINDS["image"]
    monkeypatch.setitem(config.EVIDENCE_KINDS, "image", (name, 1024 * 1024, types))
    reference, secret = report(staff)
    refused = upload(tracking, staff, reference, secret, "image",
                     b"\x89PNG\r\n\x1a\n" + bytes(1024 * 1024 + 1))
    assert refused["headers"]["Location"].endswith("&done=refused")
    page = text_of(get(tracking, f"/track/{reference}", {"secret": secret})["body"])
    assert "larger than 1 MB" in page


def test_an_officer_can_revoke_a_link(staff: Staff, tracking: ModuleType) -> None:
    reference, secret = report(staff)
    report_id = next(i["report_id"] for i in case_partition(staff.table, reference)
                     if i["entity"] == "Report")
    assert get(tracking, f"/track/{reference}", {"secret": secret})["statusCode"] == 200
    status, _ = staff.write(reference, f"tracking-links/{report_id}/revocation",
                            {"reason": "The reporter says their partner has seen the link."})
    assert status == 200
    assert get(tracking, f"/track/{reference}", {"secret": secret})["statusCode"] == 404
    stored = next(i for i in case_partition(staff.table, reference) if i["entity"] == "Report")
    assert "tracking_hash" not in stored and stored["tracking_revoked_at"]
    # The reference's item, that a link is checked against, lost the hash in the same write.
    assert report_reference_item(staff.table, reference)["links"] == {}


def report_reference_item(table: str, reference: str) -> dict[str, Any]:
    return next(i for i in table_items(table) if i["pk"] == f"REPORTREF#{reference}")


def test_the_reference_item_holds_the_links_hash_until_retention_takes_it(
        staff: Staff, tracking: ModuleType, load_handler: Callable[[str], ModuleType]) -> None:
    from tests.integration.test_retention import sweep

    reference, secret = report(staff)
    report_id = report_of(staff.table, reference)[1]
    assert report_reference_item(staff.table, reference)["links"] == {
        report_id: hashlib.sha256(secret.encode()).hexdigest()}
    assert staff.write(reference, "closure", {
        "outcome": "resolved", "reasons": "The music stopped after our letter."})[0] == 200
    retain_until = date.fromisoformat(staff.get(reference)[1]["case"]["retain_until"])
    assert sweep(load_handler("RetentionFunction"), retain_until) == [reference]
    assert "links" not in report_reference_item(staff.table, reference)
    assert get(tracking, f"/track/{reference}", {"secret": secret})["statusCode"] == 404


def test_an_anonymous_reporter_gets_a_link_and_the_secret_is_never_stored(
        staff: Staff, tracking: ModuleType) -> None:
    def anonymous(data: dict[str, Any]) -> None:
        data.pop("reporter")
        data["anonymous"] = True

    reference, secret = report(staff, anonymous)
    page = get(tracking, f"/track/{reference}", {"secret": secret})
    assert page["statusCode"] == 200
    # Triaged, with a first-contact date on the case: still no promise of contact (issue 19).
    assert staff.get(reference)[1]["case"]["targets"]["first_contact_due"]
    shown = text_of(page["body"])
    assert "we cannot contact you" in shown
    assert "We will contact you by" not in shown and 'id="next-contact"' not in page["body"]
    everything = json.dumps(case_partition(staff.table, reference))
    assert secret not in everything
    assert __import__("hashlib").sha256(secret.encode()).hexdigest() in everything


def test_links_from_before_reports_had_their_own_reference_work_once_backfilled(
        staff: Staff, tracking: ModuleType, homes: str) -> None:
    """Stored before reports had references, every report of a case carried the case's in its
    link, and no REPORTREF item: after the one-off backfill (infra/backfill_report_links.py)
    each link opens its own report again, and revoking one stops that one only."""
    from infra.backfill_report_links import backfill

    reference, first_secret = report(staff, about_number_14)

    def neighbour(data: dict[str, Any]) -> None:
        about_number_14(data)
        data["reporter"].update(name="Jo Neighbour", email="jo.neighbour@example.org")

    joined, joined_secret = report(staff, neighbour)
    client = boto3.client("dynamodb")
    for item in case_partition(staff.table, reference):
        if item["entity"] == "Report":  # as stored then: no reference of its own
            client.update_item(TableName=staff.table, UpdateExpression="REMOVE #ref",
                               Key={"pk": {"S": item["pk"]}, "sk": {"S": item["sk"]}},
                               ExpressionAttributeNames={"#ref": "reference"})
    for own in (reference, joined):
        client.delete_item(TableName=staff.table, Key={
            "pk": {"S": f"REPORTREF#{own}"}, "sk": {"S": "REPORTREF"}})
    assert get(tracking, f"/track/{reference}", {"secret": first_secret})["statusCode"] == 404

    assert backfill(client, staff.table) >= 1
    assert backfill(client, staff.table) >= 1  # again: the same items
    for secret in (first_secret, joined_secret):
        assert get(tracking, f"/track/{reference}", {"secret": secret})["statusCode"] == 200
    joined_id = next(r for r in case_partition(staff.table, reference)
                     if r["entity"] == "Report" and "Jo Neighbour" in json.dumps(r))["report_id"]
    assert staff.write(reference, f"tracking-links/{joined_id}/revocation",
                       {"reason": "Jo says the link was sent to the wrong address."})[0] == 200
    assert get(tracking, f"/track/{reference}", {"secret": joined_secret})["statusCode"] == 404
    assert get(tracking, f"/track/{reference}", {"secret": first_secret})["statusCode"] == 200
    assert list(report_reference_item(staff.table, reference)["links"]) == [
        report_of(staff.table, reference)[1]]
