"""POST /reports through the intake handler, with sample API Gateway events, against moto."""

from __future__ import annotations

import base64
import copy
import io
import json
import re
from collections.abc import Callable
from datetime import datetime
from types import ModuleType
from typing import Any

import pytest

from tests.conftest import LambdaContext, sample_event
from tests.integration.helpers import case_partition, table_items
from tests.landlords_homes import FLAT_4, NUMBER_14, TENANCY_14, living_at

PERSONAL = ["Alex Morgan", "alex.morgan@example.org", "07700 900123", "12 Orchard Close",
            "Priya Shah", "priya.shah@example.net", "Flat 3, Mill House"]


def call(intake: ModuleType, event: dict[str, Any]) -> dict[str, Any]:
    return intake.lambda_handler(event, LambdaContext())


def stored_cases(table: str) -> list[dict[str, Any]]:
    return [item for item in table_items(table) if item.get("entity") == "Case"]


def test_a_json_report_opens_a_case_in_one_partition(intake: ModuleType, table: str) -> None:
    answer = call(intake, sample_event("intake-valid-json"))
    assert answer["statusCode"] == 201
    body = json.loads(answer["body"])
    reference = body["reference"]
    assert re.fullmatch(r"ASB-2026-\d{6}", reference)
    assert answer["multiValueHeaders"]["Location"] == [f"/v1/cases/{reference}"]
    assert "contact you by" in body["next_steps"]
    assert "We will write to you by email" in body["next_steps"]
    items = {item["entity"]: item for item in case_partition(table, reference)}
    # The reporter and the alleged perpetrator it names are the case's parties (issue 21).
    assert set(items) == {"Case", "Report", "AuditEntry", "Event", "Party"}
    assert items["Case"]["status"] == "new"
    assert items["Case"]["version"] == 1
    assert items["Report"]["submission"]["reporter"]["email"] == "alex.morgan@example.org"
    assert items["Report"]["channel"] == "api"
    assert items["AuditEntry"]["action"] == "CaseOpened"
    assert items["Event"]["type"] == "ReportReceived"
    assert items["Event"]["detail"]["report_id"] == items["Report"]["report_id"]
    assert items["Event"]["expires_at"] > 0


def with_place(name: str, number: int) -> dict[str, Any]:
    event = sample_event(name)
    data = json.loads(event["body"])
    data["location"]["address"] = f"{number} Quarry Road, Yeovil"
    data["perpetrator"] = {"known": False}
    event["body"] = json.dumps(data)
    return event


def test_references_follow_on_within_the_year(intake: ModuleType) -> None:
    refs = [json.loads(call(intake, with_place("intake-anonymous-json", n))["body"])["reference"]
            for n in range(3)]
    numbers = [int(ref.rsplit("-", 1)[1]) for ref in refs]
    assert numbers == [numbers[0], numbers[0] + 1, numbers[0] + 2]


def test_an_anonymous_report_is_flagged_and_stores_no_reporter(
    intake: ModuleType, table: str
) -> None:
    answer = call(intake, sample_event("intake-anonymous-json"))
    body = json.loads(answer["body"])
    assert answer["statusCode"] == 201 and body["anonymous"] is True
    assert "cannot contact you" in body["next_steps"]
    items = {item["entity"]: item for item in case_partition(table, body["reference"])}
    assert items["Case"]["anonymous"] is True
    assert "reporter" not in items["Report"]["submission"]


def test_bad_fields_are_listed_by_path_and_nothing_is_stored(
    intake: ModuleType, table: str
) -> None:
    answer = call(intake, sample_event("intake-invalid-json"))
    assert answer["statusCode"] == 422
    body = json.loads(answer["body"])
    fields = {e["field"]: e["message"] for e in body["errors"]}
    assert set(fields) == {
        "reporter.email", "reporter.relationship", "incident.behaviours",
        "incident.description", "location.postcode", "harm.affects_health",
    }
    assert fields["harm.affects_health"] == "Answer yes or no"
    assert table_items(table) == []


def test_a_new_report_cannot_use_the_legacy_drugs_behaviour(intake: ModuleType,
                                                             table: str) -> None:
    """`drugs` is read on reports stored before the dealing/use split, never taken on new."""
    event = sample_event("intake-valid-json")
    data = json.loads(event["body"])
    data["incident"]["behaviours"] = ["drugs"]
    answer = call(intake, {**event, "body": json.dumps(data)})
    assert answer["statusCode"] == 422
    assert [e["field"] for e in json.loads(answer["body"])["errors"]] == ["incident.behaviours"]
    assert table_items(table) == []


@pytest.mark.parametrize(
    ("change", "status", "says"),
    [
        (lambda e: e.update(body='{"reporter": '), 400, "not valid JSON"),
        (lambda e: e.update(body="[1, 2]"), 400, "must be a JSON object"),
        (lambda e: e.update(body=""), 400, "empty"),
        (lambda e: e["headers"].update({"Content-Type": "text/plain"}), 415, "application/json"),
        (lambda e: e["headers"].pop("Content-Type"), 415, "application/json"),
        (lambda e: e.update(body=json.dumps({"pad": "x" * 70_000})), 413, "64 KiB"),
        (lambda e: e.update(body="%%%", isBase64Encoded=True), 400, "base64"),
        (lambda e: e.update(body="[" * 100_000 + "]" * 100_000), 413, "64 KiB"),
    ],
    ids=["malformed", "not an object", "empty", "text/plain", "no content type", "too large",
         "bad base64", "deeply nested"],
)
def test_unreadable_bodies_get_their_own_clear_4xx_and_store_nothing(
    intake: ModuleType, table: str, change: Callable[[dict[str, Any]], None], status: int, says: str
) -> None:
    event = sample_event("intake-valid-json")
    change(event)
    answer = call(intake, event)
    assert answer["statusCode"] == status
    assert says in json.loads(answer["body"])["message"]
    assert table_items(table) == []


def test_deeply_nested_json_within_the_size_limit_is_refused_cleanly(
    intake: ModuleType, table: str
) -> None:
    event = sample_event("intake-valid-json")
    event["body"] = "[" * 30_000 + "]" * 30_000
    answer = call(intake, event)
    assert answer["statusCode"] == 400
    assert table_items(table) == []


def test_the_sample_malformed_and_wrong_type_events(intake: ModuleType) -> None:
    assert call(intake, sample_event("intake-malformed-json"))["statusCode"] == 400
    assert call(intake, sample_event("intake-wrong-content-type"))["statusCode"] == 415


def test_a_base64_body_is_read_as_api_gateway_sends_binary(intake: ModuleType) -> None:
    event = sample_event("intake-valid-json")
    event["body"] = base64.b64encode(event["body"].encode()).decode()
    event["isBase64Encoded"] = True
    assert call(intake, event)["statusCode"] == 201


def test_a_retried_submission_returns_the_same_reference_and_stores_one_case(
    intake: ModuleType, table: str
) -> None:
    first = call(intake, sample_event("intake-valid-json"))
    again = call(intake, sample_event("intake-valid-json"))
    assert first["statusCode"] == again["statusCode"] == 201
    assert json.loads(first["body"])["reference"] == json.loads(again["body"])["reference"]
    assert again["multiValueHeaders"]["Idempotent-Replayed"] == ["true"]
    assert len(stored_cases(table)) == 1


def test_the_same_key_with_a_different_report_is_refused(intake: ModuleType, table: str) -> None:
    call(intake, sample_event("intake-valid-json"))
    changed = sample_event("intake-valid-json")
    data = json.loads(changed["body"])
    data["incident"]["description"] = "A different incident, on a different night entirely."
    changed["body"] = json.dumps(data)
    answer = call(intake, changed)
    assert answer["statusCode"] == 422
    assert "Idempotency-Key" in json.loads(answer["body"])["message"]
    assert len(stored_cases(table)) == 1


def test_an_overlong_idempotency_key_is_named(intake: ModuleType, table: str) -> None:
    event = sample_event("intake-valid-json")
    event["headers"]["Idempotency-Key"] = "k" * 300
    answer = call(intake, event)
    assert answer["statusCode"] == 422
    assert json.loads(answer["body"])["errors"][0]["field"] == "header.Idempotency-Key"
    assert table_items(table) == []


def test_a_plain_html_form_gets_an_html_confirmation_with_the_reference(
    intake: ModuleType, table: str
) -> None:
    answer = call(intake, sample_event("intake-form-encoded"))
    assert answer["statusCode"] == 201
    assert answer["multiValueHeaders"]["Content-Type"][0].startswith("text/html")
    (case,) = stored_cases(table)
    assert case["reference"] in answer["body"]
    assert "Report sent" in answer["body"]
    assert "999" in answer["body"]
    report = next(i for i in case_partition(table, case["reference"]) if i["entity"] == "Report")
    assert report["channel"] == "web_form"
    assert report["submission"]["incident"]["behaviours"] == ["harassment", "threats"]


def test_a_form_submitted_twice_stores_one_case(intake: ModuleType, table: str) -> None:
    first = call(intake, sample_event("intake-form-encoded"))
    again = call(intake, sample_event("intake-form-encoded"))
    assert again["statusCode"] == 201
    assert len(stored_cases(table)) == 1
    reference = stored_cases(table)[0]["reference"]
    assert reference in first["body"] and reference in again["body"]


def test_an_empty_form_comes_back_with_an_error_summary_and_nothing_stored(
    intake: ModuleType, table: str
) -> None:
    answer = call(intake, sample_event("intake-form-empty"))
    assert answer["statusCode"] == 422
    page = answer["body"]
    assert "There is a problem" in page
    # The form's first page with a problem (asb.web.report_journey), its error linking to its
    # question's group, so the label and error show above the input; the others follow.
    assert 'href="#incident-behaviours-field"' in page
    assert 'id="incident-behaviours-field"' in page
    assert 'name="checking" value="yes"' in page  # each page with a problem, then the check
    assert 'name="idempotency_key" value="5a2b8c1d-0e9f-4a3b-8c7d-6e5f4a3b2c1d"' in page
    assert table_items(table) == []


def form_with(**answers: str) -> dict[str, Any]:
    """The sample form post, with some answers replaced (field name with '.' as '__')."""
    from urllib.parse import parse_qsl, urlencode

    event = sample_event("intake-form-encoded")
    fields = dict(parse_qsl(event["body"], keep_blank_values=True))
    fields.update({name.replace("__", "."): value for name, value in answers.items()})
    event["body"] = urlencode(fields)
    return event


def test_a_100_kb_description_comes_back_on_the_form_with_the_answers_kept(
    intake: ModuleType, table: str
) -> None:
    """Issue 19: it was a 413 in JSON, and everything typed was lost."""
    answer = call(intake, form_with(incident__description="Loud music. " * 8_534))
    assert answer["statusCode"] == 422
    assert answer["multiValueHeaders"]["Content-Type"][0].startswith("text/html")
    page = answer["body"]
    assert "There is a problem" in page
    assert 'href="#incident-description' in page
    assert "Use 5,000 characters or fewer (you have used 102,408)" in page
    assert "Priya Shah" in page and "Flat 3, Mill House, Station Road, Yeovil" in page
    typed = re.search(r'<textarea id="incident-description"[^>]*>([^<]*)</textarea>', page)
    assert typed and typed.group(1) == "Loud music. " * 8_534  # kept, to be cut down
    assert table_items(table) == []


def test_date_boxes_that_make_no_date_come_back_naming_the_box(
    intake: ModuleType, table: str
) -> None:
    answer = call(intake, form_with(incident__first_occurred__month=""))
    assert answer["statusCode"] == 422
    page = answer["body"]
    assert 'href="#incident-first_occurred-field">The date it started must include a month<' in page
    assert re.search(r'name="incident.first_occurred.day"\s+value="20"', page)
    assert re.search(r'name="incident.first_occurred.year"\s+value="2026"', page)
    assert table_items(table) == []


def test_the_sample_form_posts_its_dates_as_boxes_and_they_are_stored_as_dates(
    intake: ModuleType, table: str
) -> None:
    assert call(intake, sample_event("intake-form-encoded"))["statusCode"] == 201
    (case,) = stored_cases(table)
    report = next(i for i in case_partition(table, case["reference"]) if i["entity"] == "Report")
    assert report["submission"]["incident"]["first_occurred"] == "2026-10-20"


def test_a_report_in_chinese_within_each_questions_length_is_taken_though_over_64_kib(
    intake: ModuleType, table: str
) -> None:
    """Percent-encoded, a Chinese character is 9 bytes: the form is held to its questions'
    lengths, not to the JSON API's 64 KiB."""
    event = form_with(incident__description="他每天晚上在楼梯间大声放音乐。" * 333,
                      location__details="楼梯间" * 666, perpetrator__description="四号" * 1000)
    assert len(event["body"]) > 64 * 1024
    answer = call(intake, event)
    assert answer["statusCode"] == 201
    assert len(stored_cases(table)) == 1


def test_a_form_too_large_to_read_gets_the_form_page_not_json(
    intake: ModuleType, table: str
) -> None:
    answer = call(intake, form_with(incident__description="x" * (1024 * 1024)))
    assert answer["statusCode"] == 413
    assert answer["multiValueHeaders"]["Content-Type"][0].startswith("text/html")
    assert "Your report is too long" in answer["body"]
    assert "0300 123 4567" in answer["body"]
    assert table_items(table) == []


def test_answers_are_kept_and_escaped_when_the_form_comes_back(intake: ModuleType) -> None:
    event = sample_event("intake-form-encoded")
    event["body"] = event["body"].replace(
        "reporter.email=priya.shah%40example.net", "reporter.email=%3Cscript%3Ex%3C%2Fscript%3E"
    )
    answer = call(intake, event)
    assert answer["statusCode"] == 422
    assert "&lt;script&gt;x&lt;/script&gt;" in answer["body"]
    assert "<script>x</script>" not in answer["body"]
    assert "Flat 3, Mill House, Station Road, Yeovil" in answer["body"]


def test_no_log_line_carries_the_reporters_personal_data(
    intake: ModuleType, capsys: pytest.CaptureFixture[str]
) -> None:
    lines = io.StringIO()
    intake.logger.registered_handler.setStream(lines)  # the JSON lines CloudWatch would get
    for name in ("intake-valid-json", "intake-invalid-json", "intake-form-encoded",
                 "intake-form-empty", "intake-malformed-json"):
        call(intake, sample_event(name))
    logs = lines.getvalue() + capsys.readouterr().out
    assert "report accepted" in logs
    for personal in PERSONAL:
        assert personal not in logs


def test_a_storage_fault_is_a_503_that_says_nothing_was_saved(
    intake: ModuleType, monkeypatch: pytest.MonkeyPatch
) -> None:
    import boto3
    from botocore.exceptions import EndpointConnectionError

    from asb import bootstrap
    from tests.failing_clients import FailingClient

    unreachable = FailingClient(
        boto3.client("dynamodb"), "update_item",
        EndpointConnectionError(endpoint_url="https://dynamodb.eu-west-2.amazonaws.com"),
        times=99)
    monkeypatch.setattr(intake, "service", bootstrap.intake_service(
        clients=bootstrap.Clients(dynamodb=unreachable)))
    answer = call(intake, copy.deepcopy(sample_event("intake-anonymous-json")))
    assert unreachable.failed == 1  # the year's next reference could not be taken
    assert answer["statusCode"] == 503
    assert "Traceback" not in answer["body"]
    assert json.loads(answer["body"])["message"].startswith("We could not save your report")


def test_two_cases_cannot_hold_one_matter_at_once(aws: Any, table: str) -> None:
    """The claim in the opening transaction is what keeps simultaneous reports to one case."""
    from datetime import UTC, datetime

    import boto3

    from asb.dynamo.sealing import KmsSealer
    from asb.intake.service import ReportHomes, open_case, parse_submission
    from asb.intake.store import DynamoDBIntakeStore
    from asb.kernel.errors import VersionConflict

    key = str(aws.attribute("DataKey", "Arn"))
    store = DynamoDBIntakeStore(boto3.client("dynamodb"), table,
                                KmsSealer(boto3.client("kms"), key))
    now = datetime.now(UTC)
    submission = parse_submission(json.loads(sample_event("intake-valid-json")["body"]), now)
    ids = iter(range(100))
    homes = ReportHomes(NUMBER_14.uprn, TENANCY_14.reference)  # both about one tenancy
    first = open_case(submission, "ASB-2026-000901", "api", now, lambda: f"id-{next(ids)}",
                      homes=homes)
    second = open_case(submission, "ASB-2026-000902", "api", now, lambda: f"id-{next(ids)}",
                       homes=homes)
    assert store.save_opened_case(first, None, now) is None
    with pytest.raises(VersionConflict):
        store.save_opened_case(second, None, now)
    assert [c["reference"] for c in stored_cases(table)] == ["ASB-2026-000901"]
    assert first.case.matter_keys == [f"TENANCY#{TENANCY_14.reference}"]
    lookup = store.look_up(None, first.case.matter_keys, now)
    assert {m.case_reference for m in lookup.matters.values()} == {"ASB-2026-000901"}
    assert all(m.open for m in lookup.matters.values())


def joining(name: str, key: str | None, reporter: dict[str, str] | None = None,
            place: str | None = None) -> dict[str, Any]:
    """The sample report under another key, by someone else, about the person at number 14
    (chosen from the landlord's homes) unless another place is given (postcode and all)."""
    event = sample_event(name)
    event["headers"].pop("Idempotency-Key", None)
    if key:
        event["headers"]["Idempotency-Key"] = key
    data = json.loads(event["body"])
    data["reporter"].update(reporter or {"name": "Sam Stranger", "email": "sam@example.org"})
    data["perpetrator"] = living_at(NUMBER_14)
    if place:
        data["location"] = {"address": place, "postcode": "TA1 1AA"}
        data["perpetrator"] = {"known": False}
    event["body"] = json.dumps(data)
    return event


def shape(answer: dict[str, Any]) -> dict[str, Any]:
    """A 201 with the reporter's own reference taken out: what is left must not say whether
    the report opened a case or joined one."""
    body = json.loads(answer["body"])
    reference = body["reference"]
    assert re.fullmatch(r"ASB-\d{4}-\d{6}", reference)
    body["received_at"] = datetime.fromisoformat(body["received_at"]).tzinfo is not None
    assert answer["multiValueHeaders"]["Location"] == [f"/v1/cases/{reference}"]
    headers = {k: v for k, v in answer["multiValueHeaders"].items() if k != "Location"}
    text = json.dumps(body).replace(reference, "REF")
    return {"status": answer["statusCode"], "headers": headers,
            "body": json.loads(re.sub(r"secret=[^\"&]+", "secret=S", text))}


def test_a_joining_report_is_answered_as_a_new_case_is_under_its_own_reference(
    intake: ModuleType, table: str, homes: str
) -> None:
    from tests.integration.helpers import report_of

    first = json.loads(call(intake, joining("intake-valid-json", None, {}))["body"])
    joined = call(intake, joining("intake-valid-json", "k-joined"))
    alone = call(intake, joining("intake-valid-json", "k-alone", place="1 Elm Row, Taunton"))
    reference = json.loads(joined["body"])["reference"]
    assert reference != first["reference"]
    assert shape(joined) == shape(alone)
    # It is on the first report's case, and its reference resolves to it.
    case, report_id = report_of(table, reference)
    assert case == first["reference"]
    assert len(stored_cases(table)) == 2  # the first's, and the one somewhere else
    assert case_partition(table, reference) == []  # no case of its own to give away
    report = next(i for i in case_partition(table, case)
                  if i["entity"] == "Report" and i["report_id"] == report_id)
    assert report["reference"] == reference
    assert report_of(table, first["reference"]) == (first["reference"], next(
        i["report_id"] for i in case_partition(table, case)
        if i["entity"] == "Report" and i["reference"] == first["reference"]))
    # The tracking link carries the report's own reference; a retry replays it.
    assert json.loads(joined["body"])["tracking_url"].split("?")[0].endswith(
        f"/track/{reference}")
    again = call(intake, joining("intake-valid-json", "k-joined"))
    assert json.loads(again["body"])["reference"] == reference
    assert again["multiValueHeaders"]["Idempotent-Replayed"] == ["true"]


def test_a_joining_form_report_gets_the_same_confirmation_page(
    intake: ModuleType, table: str, homes: str
) -> None:
    def form(key: str, email: str, place: str | None = None) -> str:
        event = sample_event("intake-form-encoded")
        body = event["body"].replace("0d4c1e52-93f5-4a0e-8a8b-6c3d2e1f0a9b", key)
        body = body.replace("priya.shah%40example.net", email)
        if place:
            body = body.replace("location.address=Flat+3%2C+Mill+House%2C+Station+Road",
                                place).replace("postcode=ba21+5aa", "postcode=ta1+1aa")
        else:  # flat 4 chosen from the landlord's homes at Mill House
            body += f"&perpetrator.uprn={FLAT_4.uprn}"
        event["body"] = body
        answer = call(intake, event)
        assert answer["statusCode"] == 201
        reference = re.search(r'id="reference">([^<]+)<', answer["body"])
        assert reference
        page = answer["body"].replace(reference.group(1), "REF")
        return re.sub(r"secret=[^\"&<]+", "secret=S", page)

    form("k-1", "priya.shah%40example.net")
    joined = form("k-2", "sam%40example.org")
    alone = form("k-3", "jo%40example.org", place="location.address=1+Elm+Row%2C+Taunton")
    assert joined == alone
    assert len(stored_cases(table)) == 2


def test_a_home_the_register_does_not_have_is_a_422_naming_it_and_nothing_is_stored(
    intake: ModuleType, table: str, homes: str
) -> None:
    event = joining("intake-valid-json", "k-unknown")
    data = json.loads(event["body"])
    data["perpetrator"]["uprn"] = "100099999999"
    event["body"] = json.dumps(data)
    answer = call(intake, event)
    assert answer["statusCode"] == 422
    assert [e["field"] for e in json.loads(answer["body"])["errors"]] == ["perpetrator.uprn"]
    assert table_items(table) == []  # no case, no reference taken, no idempotency record


def test_reports_join_by_the_perpetrators_tenancy_never_by_the_same_words(
    intake: ModuleType, table: str, homes: str
) -> None:
    plain = sample_event("intake-valid-json")
    plain["headers"].pop("Idempotency-Key")
    # The sample's words twice (the place, the perpetrator's address and postcode alike), then
    # two reports whose reporters chose number 14 from the landlord's homes.
    worded = [call(intake, copy.deepcopy(plain)) for _ in range(2)]
    chosen = [call(intake, joining("intake-valid-json", f"k-{n}")) for n in range(2)]
    assert [answer["statusCode"] for answer in worded + chosen] == [201] * 4
    cases = stored_cases(table)
    assert len(cases) == 3  # each report in words opened its own case; number 14's joined
    (tenancy_case,) = [case for case in cases if case["matter_keys"]]
    assert tenancy_case["matter_keys"] == [f"TENANCY#{TENANCY_14.reference}"]
    reports = [i for i in case_partition(table, tenancy_case["reference"])
               if i["entity"] == "Report"]
    assert {(r["perpetrator_home"], r["perpetrator_tenancy"]) for r in reports} == {
        (NUMBER_14.uprn, TENANCY_14.reference)} and len(reports) == 2
