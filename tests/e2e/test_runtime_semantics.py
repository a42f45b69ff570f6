"""The local runtime's Lambda semantics, on a template of their own: redrive, partial batch
failures, and schedules fired as of a given time through `make tick`."""

from __future__ import annotations

import os
import subprocess
import sys

import boto3

from infra.local.pollers import first_messages
from infra.local.runtime import LocalRuntime
from infra.local.template import ROOT


def test_a_poison_message_lands_in_the_dead_letter_queue_after_the_retries(
    fixture_runtime: LocalRuntime,
) -> None:
    sqs = boto3.client("sqs", endpoint_url=fixture_runtime.aws_endpoint)
    work = sqs.get_queue_url(QueueName="fixture-WorkQueue")["QueueUrl"]
    dead = sqs.get_queue_url(QueueName="fixture-WorkDeadLetterQueue")["QueueUrl"]
    picky = fixture_runtime.loaded["PickyFunction"].module
    sqs.send_message(QueueUrl=work, MessageBody="poison")
    sqs.send_message(QueueUrl=work, MessageBody="wholesome")

    assert first_messages(sqs, dead, seconds=20) == ["poison"]
    assert picky.received.count("poison") == 3  # maxReceiveCount
    assert picky.received.count("wholesome") == 1  # handled once, deleted, never redelivered


def test_make_tick_fires_a_schedule_as_of_a_given_time(fixture_runtime: LocalRuntime) -> None:
    clock = fixture_runtime.loaded["ClockFunction"].module
    done = subprocess.run(
        [sys.executable, "-m", "infra.local.tick"], cwd=ROOT, capture_output=True, text=True,
        env={**os.environ, "PORT": str(fixture_runtime.api_port), "AT": "2026-12-24T09:00:00Z"},
        check=True, timeout=60,
    )
    assert clock.fired == ["2026-12-24T09:00:00Z"]
    assert "ClockFunction:EveryMorning" in done.stdout and "ok" in done.stdout
