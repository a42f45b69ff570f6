"""The monthly figures through their scheduled handler: a CSV in the figures bucket."""

from __future__ import annotations

from collections.abc import Callable
from types import ModuleType
from typing import Any

import boto3

from tests.conftest import LambdaContext, sample_event


def test_the_figures_are_written_as_csv(load_handler: Callable[[str], ModuleType],
                                        aws: Any) -> None:
    intake, figures = load_handler("IntakeFunction"), load_handler("RegulatorFiguresFunction")
    intake.lambda_handler(sample_event("intake-valid-json"), LambdaContext())
    answer = figures.lambda_handler({"scheduled_time": "2026-12-01T06:00:00Z"}, LambdaContext())
    assert answer["cases_opened"] == 1 and answer["year"] == "2026/27"
    body = boto3.client("s3").get_object(Bucket=str(aws.ref("FiguresBucket")),
                                         Key=answer["key"])["Body"].read().decode()
    assert body.startswith("measure,value,notes")
    assert "ASB cases opened,1," in body
    assert sample_event("regulator_figures-scheduled")["scheduled_time"].startswith("2026-12")
