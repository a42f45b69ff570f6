"""Reading what the handlers left in moto, the way an operator would look."""

from __future__ import annotations

import base64
import copy
import json
from types import ModuleType
from typing import Any, cast

import boto3

from asb.case.homes import Home
from asb.dynamo.codec import from_item
from tests.conftest import LambdaContext, sample_event


def table_items(table_name: str) -> list[dict[str, Any]]:
    """Every item of a table. Tests only: the service itself never scans."""
    client = boto3.client("dynamodb")
    items: list[dict[str, Any]] = []
    for page in client.get_paginator("scan").paginate(TableName=table_name):
        items += [from_item(item) for item in page["Items"]]
    return items


def case_partition(table_name: str, reference: str) -> list[dict[str, Any]]:
    client = boto3.client("dynamodb")
    answer = client.query(
        TableName=table_name,
        KeyConditionExpression="pk = :pk",
        ExpressionAttributeValues={":pk": {"S": f"CASE#{reference}"}},
    )
    return [from_item(item) for item in answer["Items"]]


def report_of(table_name: str, reference: str) -> tuple[str, str]:
    """The case and report a reporter's own reference names (a report that joined a case has
    its own reference)."""
    answer = boto3.client("dynamodb").get_item(
        TableName=table_name, Key={"pk": {"S": f"REPORTREF#{reference}"}, "sk": {"S": "REPORTREF"}})
    item = from_item(answer["Item"])
    return str(item["case_reference"]), str(item["report_id"])


def case_of_report(table_name: str, reference: str) -> str:
    return report_of(table_name, reference)[0]


def queue_messages(queue_url: str, most: int = 10) -> list[dict[str, Any]]:
    answer = boto3.client("sqs").receive_message(
        QueueUrl=queue_url, MaxNumberOfMessages=most, MessageAttributeNames=["All"],
        WaitTimeSeconds=0,
    )
    return cast("list[dict[str, Any]]", answer.get("Messages", []))


EVENT_FIELDS = ("event_id", "type", "case_reference", "occurred_at", "detail", "schema_version")


def outbox_events(table_name: str, reference: str, kind: str) -> list[dict[str, Any]]:
    """The case's outbox events of one type, as the stream publisher would send them."""
    return [{k: item[k] for k in EVENT_FIELDS} for item in case_partition(table_name, reference)
            if item["entity"] == "Event" and item["type"] == kind]


def queue_delivery(sample: str, body: dict[str, Any]) -> dict[str, Any]:
    """A sample SQS event from events/ carrying the given domain event."""
    from tests.conftest import sample_event

    event = sample_event(sample)
    event["Records"][0]["body"] = json.dumps(body)
    return event


def report_and_triage(intake: Any, triage: Any, table_name: str,
                      event: dict[str, Any] | None = None) -> str:
    """A report (the sample unless given) through intake, and its ReportReceived event through
    triage."""
    from tests.conftest import LambdaContext, sample_event

    answer = intake.lambda_handler(event or sample_event("intake-valid-json"), LambdaContext())
    reference = case_of_report(table_name, str(json.loads(answer["body"])["reference"]))
    (received,) = outbox_events(table_name, reference, "ReportReceived")
    result = triage.lambda_handler(queue_delivery("triage-report-received", received),
                                   LambdaContext())
    assert result == {"batchItemFailures": []}
    return reference


class Staff:
    """Calls the staff handlers as a given member of staff, from the sample events."""

    def __init__(self, handlers: dict[str, ModuleType], table: str) -> None:
        self.handlers = handlers
        self.table = table

    def open_case(self, address: str = "12 Orchard Close, Yeovil",
                  behaviours: list[str] | None = None, home: Home | None = None,
                  place: Home | None = None) -> str:
        """A report through intake and triage: about the person at `home` (one of the
        landlord's homes, in the register: a further report about them joins its case), or
        someone the reporter knows only as living next to `address`; happening at `place`
        (one of the landlord's homes, chosen from the register) if given."""
        event = sample_event("intake-valid-json")
        event["headers"].pop("Idempotency-Key")
        data = json.loads(event["body"])
        data["location"]["address"] = address
        if place is not None:
            data["location"] = {"address": place.address, "postcode": place.postcode,
                                "uprn": place.uprn}
        data["perpetrator"] = {"known": True, "address": f"next to {address}"} if home is None \
            else {"known": True, "address": home.address, "postcode": home.postcode,
                  "uprn": home.uprn}
        if behaviours:
            data["incident"]["behaviours"] = behaviours
        event["body"] = json.dumps(data)
        answer = self.handlers["Intake"].lambda_handler(event, LambdaContext())
        reference = case_of_report(self.table, json.loads(answer["body"])["reference"])
        stored = next(i for i in case_partition(self.table, reference)
                      if i["entity"] == "Event")
        body = {k: stored[k] for k in ("event_id", "type", "case_reference", "occurred_at",
                                       "detail", "schema_version")}
        sqs = sample_event("triage-report-received")
        sqs["Records"][0]["body"] = json.dumps(body)
        assert self.handlers["Triage"].lambda_handler(sqs, LambdaContext()) == {
            "batchItemFailures": []}
        return reference

    def call(self, sample: str, path: str | None = None, body: Any = None,
             query: dict[str, str] | None = None, if_match: str | None = None,
             who: tuple[str, str, str] | None = ("o.hughes", "officer", "yeovil"),
             reference: str | None = None,
             headers: dict[str, str] | None = None) -> tuple[int, dict[str, Any]]:
        event = copy.deepcopy(sample_event(sample))
        if reference:
            event["pathParameters"] = {**(event["pathParameters"] or {}), "reference": reference}
            event["path"] = event["path"].replace("ASB-2026-000001", reference)
        if path:
            event["path"] = path
            event["resource"] = path if "{" in path else event["resource"]
        if body is not None:
            event["body"] = json.dumps(body)
        if query is not None:
            event["queryStringParameters"] = query
            event["multiValueQueryStringParameters"] = {k: [v] for k, v in query.items()}
        for precondition in ("If-Match", "If-None-Match"):  # the caller's, or none
            event["headers"].pop(precondition, None)
            event["multiValueHeaders"].pop(precondition, None)
        if if_match is not None:
            event["headers"]["If-Match"] = if_match
            event["multiValueHeaders"]["If-Match"] = [if_match]
        for name, value in (headers or {}).items():
            event["headers"][name] = value
            event["multiValueHeaders"][name] = [value]
        if who is None:
            event["requestContext"]["authorizer"] = None
        else:
            claims = event["requestContext"]["authorizer"]["claims"]
            claims.update({"cognito:username": who[0], "cognito:groups": who[1],
                           "custom:team": who[2]})
        handler = {"case_queries": "CaseQueries", "case_review": "CaseReview",
                   "partners": "Partners", "data_protection": "DataProtection"}.get(
            sample.split("-")[0], "CaseWork")
        answer = self.handlers[handler].lambda_handler(event, LambdaContext())
        text = answer["body"] or "{}"
        headers = {**(answer.get("headers") or {}), **{
            k: v[0] for k, v in (answer.get("multiValueHeaders") or {}).items()}}
        kind = str(headers.get("Content-Type", ""))
        if kind.startswith("text/csv"):
            return answer["statusCode"], {"csv": text}
        if kind.startswith("application/pdf"):
            return answer["statusCode"], {"pdf": base64.b64decode(text)}
        return answer["statusCode"], json.loads(text)

    def get(self, reference: str, **kwargs: Any) -> tuple[int, dict[str, Any]]:
        return self.call("case_queries-get-case", reference=reference, **kwargs)

    def write(self, reference: str, route: str, body: Any, version: int | None = None,
              who: tuple[str, str, str] = ("o.hughes", "officer", "yeovil"),
              ) -> tuple[int, dict[str, Any]]:
        if version is None:
            version = self.get(reference, who=("m.jones", "manager", "yeovil"))[1]["case"][
                "version"]
        return self.call("case_work-add-diary-entry", path=f"/cases/{reference}/{route}",
                         body=body, if_match=f'"{version}"', who=who, reference=reference)


def earlier_views(client: Any, table: str, reference: str, times: int, last: Any) -> None:
    """The audit entries `times` earlier staff views of the case left, a minute apart, the last
    at `last`: written 25 to a call, as a case's trail builds up over months."""
    from datetime import timedelta

    from asb.case.models import AuditEntry
    from asb.dynamo.codec import to_item
    from asb.dynamo.transactions import audit_item

    entries = [to_item(audit_item(AuditEntry(
        entry_id=f"earlier-view-{n:04d}", case_reference=reference,
        at=last - timedelta(minutes=times - 1 - n), actor="staff:o.hughes", action="CaseViewed",
        after={"route": "GET /cases/{reference}"}))) for n in range(times)]
    for first in range(0, times, 25):
        client.batch_write_item(RequestItems={table: [
            {"PutRequest": {"Item": item}} for item in entries[first:first + 25]]})
