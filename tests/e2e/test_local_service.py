"""`make dev`'s runtime with the real template: resources, routes, and the flow to triage."""

from __future__ import annotations

import json
import urllib.request
from typing import Any

import boto3

from asb.dynamo.codec import from_item
from infra.local.pollers import wait_until
from infra.local.runtime import LocalRuntime
from tests.conftest import sample_event

# make dev's own start: the fictional landlord's homes in the register (tests/e2e/conftest.py)
FICTIONAL_HOMES = 3_000


def http(runtime: LocalRuntime, method: str, path: str, body: str | None = None,
         headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], str]:
    request = urllib.request.Request(
        runtime.api_url + path, data=body.encode() if body else None, method=method,
        headers=headers or {},
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as answer:
            return answer.status, dict(answer.headers), answer.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read().decode()


def test_every_resource_of_the_template_exists_on_the_local_aws(service: LocalRuntime) -> None:
    client = boto3.client("dynamodb", endpoint_url=service.aws_endpoint)
    tables = client.list_tables()["TableNames"]
    assert {"asb-local-CasesTable", "asb-local-IdempotencyTable"} <= set(tables)
    cases = client.describe_table(TableName="asb-local-CasesTable")["Table"]
    assert cases["StreamSpecification"]["StreamViewType"] == "NEW_AND_OLD_IMAGES"
    sqs = boto3.client("sqs", endpoint_url=service.aws_endpoint)
    triage = sqs.get_queue_url(QueueName="asb-local-TriageQueue")["QueueUrl"]
    redrive = json.loads(sqs.get_queue_attributes(
        QueueUrl=triage, AttributeNames=["RedrivePolicy"])["Attributes"]["RedrivePolicy"])
    assert redrive["deadLetterTargetArn"].endswith(":asb-local-TriageDeadLetterQueue")
    assert int(redrive["maxReceiveCount"]) == 5
    keys = boto3.client("kms", endpoint_url=service.aws_endpoint).list_keys()["Keys"]
    assert keys


def test_the_form_page_is_served_at_the_root(service: LocalRuntime) -> None:
    status, headers, page = http(service, "GET", "/")
    assert status == 200
    assert headers["Content-Type"].startswith("text/html")
    assert "Tell us what is happening" in page


def test_a_report_posted_over_http_is_relayed_to_triage_and_triaged(
    service: LocalRuntime,
) -> None:
    body = sample_event("intake-valid-json")["body"]
    status, headers, answer = http(service, "POST", "/reports", body,
                                   {"Content-Type": "application/json"})
    assert status == 201
    reference = json.loads(answer)["reference"]
    assert headers["Location"] == f"/cases/{reference}"

    dynamodb = boto3.client("dynamodb", endpoint_url=service.aws_endpoint)
    case: dict[str, Any] = {}

    def triaged() -> bool:
        item = dynamodb.get_item(TableName="asb-local-CasesTable",
                                 Key={"pk": {"S": f"CASE#{reference}"}, "sk": {"S": "CASE"}})
        case.update(from_item(item.get("Item", {})))
        return case.get("status") == "triaged"

    # intake -> table stream -> stream publisher -> triage queue -> triage
    assert wait_until(triaged, seconds=20)
    assert (case["category"], case["officer"]) == ("B", "o.hughes")
    sqs = boto3.client("sqs", endpoint_url=service.aws_endpoint)
    dead = sqs.get_queue_url(QueueName="asb-local-TriageDeadLetterQueue")["QueueUrl"]
    assert sqs.receive_message(QueueUrl=dead).get("Messages", []) == []


def test_bad_input_over_http_gets_a_4xx_naming_the_field(service: LocalRuntime) -> None:
    body = sample_event("intake-invalid-json")["body"]
    status, _, answer = http(service, "POST", "/reports", body,
                             {"Content-Type": "application/json"})
    assert status == 422
    assert "reporter.email" in {e["field"] for e in json.loads(answer)["errors"]}
    status, _, _ = http(service, "POST", "/reports", "x", {"Content-Type": "text/plain"})
    assert status == 415


def test_an_unknown_route_is_refused_as_api_gateway_does(service: LocalRuntime) -> None:
    status, _, _ = http(service, "GET", "/no-such-page")
    assert status == 404  # the template's MISSING_AUTHENTICATION_TOKEN response, not AWS's 403


def test_the_security_headers_arrive_through_the_gateway(service: LocalRuntime) -> None:
    from infra.local.tokens import issue

    officer = {"Authorization": f"Bearer {issue('o.hughes', ['officer'])}"}
    # a page, the console, the gateway's own 401, and a staff answer with personal data
    for path, sent, expected in (("/", {}, 200), ("/console", {}, 200), ("/cases", {}, 401),
                                 ("/cases", officer, 200)):
        status, received, _ = http(service, "GET", path, headers=sent)
        headers = {name.lower(): value for name, value in received.items()}
        assert status == expected, path
        assert headers["strict-transport-security"] == "max-age=63072000; includeSubDomains"
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["cache-control"] == "no-store"
        if status != 401:  # a function's answer, not the gateway's own
            assert "frame-ancestors 'none'" in headers["content-security-policy"]


def test_an_address_with_no_route_is_a_404_page_for_a_person_and_json_for_a_client(
    service: LocalRuntime,
) -> None:
    """As the template's MISSING_AUTHENTICATION_TOKEN gateway response answers in AWS."""
    browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    for path in ("/favicon.ico", "/no/such/page"):
        status, headers, page = http(service, "GET", path, headers={"Accept": browser})
        assert status == 404, (path, page)
        assert headers["Content-Type"].startswith("text/html")
        assert "<h1>Page not found</h1>" in page and "0300 123 4567" in page
        assert "Missing Authentication Token" not in page
        assert headers["X-Content-Type-Options"] == "nosniff"
        status, headers, body = http(service, "GET", path,
                                     headers={"Accept": "application/json"})
        assert (status, json.loads(body)) == (404, {"message": "Not found"})
        assert headers["Content-Type"].startswith("application/json")
    assert http(service, "POST", "/favicon.ico", "{}")[0] == 404  # any method, no Accept
    # A route that exists still answers as before.
    assert http(service, "GET", "/", headers={"Accept": browser})[0] == 200


def test_make_dev_starts_with_the_fictional_landlords_homes(service: LocalRuntime) -> None:
    from asb.homes.store import DynamoDBHomesRegister
    from infra.local.landlord import fictional_landlord

    register = DynamoDBHomesRegister(
        boto3.client("dynamodb", endpoint_url=service.aws_endpoint), "asb-local-HomesTable")
    assert 2_000 < register.homes_owned() < 3_000
    first = (fictional_landlord().rows().homes or ())[0].home
    assert first.uprn in {h.uprn for h in register.homes_at(first.postcode)}


def test_make_import_homes_prints_the_report_and_a_refused_file_changes_nothing(
    service: LocalRuntime, monkeypatch: Any, capsys: Any,
) -> None:
    from pathlib import Path

    from asb.homes.store import DynamoDBHomesRegister
    from infra.local import import_homes

    register = DynamoDBHomesRegister(
        boto3.client("dynamodb", endpoint_url=service.aws_endpoint), "asb-local-HomesTable")
    owned = register.homes_owned()
    monkeypatch.setenv("PORT", str(service.api_port))
    monkeypatch.setenv("LOCAL_AWS_PORT", str(service.aws_port))
    example = Path(__file__).parents[2] / "infra" / "seed" / "tenancies-example.csv"
    assert import_homes.main([str(example)]) == 1  # its homes are not the fictional landlord's
    printed = capsys.readouterr().out
    assert "imports/tenancies-example.csv: refused" in printed
    assert "line 2: No home with UPRN 990000100001 is in the register" in printed
    assert "nothing was loaded" in printed
    assert register.homes_owned() == owned
