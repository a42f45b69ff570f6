"""One local AWS for the runtimes a test process starts one after another (tests/e2e/conftest.py):
the next runtime finds the template's resources as made and nothing the one before left in them,
and resources a reset took are made again."""

from __future__ import annotations

import json
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager

import boto3

from infra.local.outbox import sent
from infra.local.pollers import wait_until
from infra.local.ports import free_port
from infra.local.runtime import KeptLocalAws, LocalRuntime
from tests.conftest import sample_event
from tests.e2e.test_local_service import http

CASES = "asb-local-CasesTable"


@contextmanager
def runtime_in(kept: KeptLocalAws) -> Iterator[LocalRuntime]:
    with LocalRuntime(api_port=free_port(), retry_delay=1, schedules_on_clock=False,
                      fictional_homes=0, kept=kept) as runtime:
        yield runtime


def a_report(runtime: LocalRuntime) -> str:
    status, _, answer = http(runtime, "POST", "/reports", sample_event("intake-valid-json")["body"],
                             {"Content-Type": "application/json"})
    assert status == 201, answer
    return str(json.loads(answer)["reference"])


def items(runtime: LocalRuntime) -> list[tuple[str, str]]:
    """Each item's partition and entity (a seeded item's sort key carries the time it was put)."""
    dynamodb = boto3.client("dynamodb", endpoint_url=runtime.aws_endpoint)
    return sorted((item["pk"]["S"], item["entity"]["S"])
                  for item in dynamodb.scan(TableName=CASES)["Items"])


def waiting_messages(runtime: LocalRuntime) -> dict[str, int]:
    sqs = boto3.client("sqs", endpoint_url=runtime.aws_endpoint)
    counts = {}
    for url in sqs.list_queues()["QueueUrls"]:
        attributes = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=[
            "ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"])["Attributes"]
        counts[url.rsplit("/", 1)[-1]] = sum(int(n) for n in attributes.values())
    return {name: n for name, n in counts.items() if n}


def test_the_next_runtime_finds_the_resources_as_made_and_nothing_the_last_one_left(
        local_aws: KeptLocalAws) -> None:
    with runtime_in(local_aws) as first:
        seeded = items(first)  # the local partners, as every runtime starts with
        first_reference = a_report(first)
        assert wait_until(lambda: bool(sent(first.aws_endpoint)), seconds=30)
        made = first.resources
        boto3.client("sqs", endpoint_url=first.aws_endpoint).send_message(
            QueueUrl=str(made.ref("TriageDeadLetterQueue")), MessageBody="left behind")
        evidence = str(made.ref("EvidenceBucket"))
        boto3.client("s3", endpoint_url=first.aws_endpoint).put_object(
            Bucket=evidence, Key="left/behind.txt", Body=b"left behind")

    with runtime_in(local_aws) as second:
        assert second.resources is made  # not made again
        assert second.aws_endpoint == first.aws_endpoint
        assert items(second) == seeded
        assert sent(second.aws_endpoint) == []
        assert waiting_messages(second) == {}
        assert "Contents" not in boto3.client("s3", endpoint_url=second.aws_endpoint
                                              ).list_objects_v2(Bucket=evidence)
        assert a_report(second) == first_reference  # the year's numbering starts again


def test_resources_a_reset_took_are_made_again(local_aws: KeptLocalAws) -> None:
    with runtime_in(local_aws) as first:
        made = first.resources
    reset = urllib.request.Request(f"{first.aws_endpoint}/moto-api/reset", method="POST")
    urllib.request.urlopen(reset, timeout=10).close()

    with runtime_in(local_aws) as second:
        assert second.resources is not made
        a_report(second)
        assert CASES in boto3.client("dynamodb", endpoint_url=second.aws_endpoint).list_tables()[
            "TableNames"]
