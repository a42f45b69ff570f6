"""The year's figures: the monthly CSV through its scheduled handler, NM01(2) with an officer's
hate finding, and TP12 from the tenant perception survey a manager imports."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from types import ModuleType
from typing import Any

import boto3
import pytest

from asb.dynamo.codec import from_item
from tests.conftest import LambdaContext, sample_event
from tests.integration.helpers import Staff

SAMPLE_TEXT = sample_event("case_queries-import-tenant-perception-survey")["body"]


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


MANAGER = ("m.jones", "manager", "yeovil")
SAMPLE_SURVEY = "case_queries-import-tenant-perception-survey"


def import_survey(staff: Staff, text: str | None = None, who: tuple[str, str, str] | None = MANAGER,
                  if_match: str | None = None,
                  content_type: str = "text/csv") -> tuple[int, dict[str, Any], dict[str, str]]:
    """The sample PUT, with another file, caller, If-Match or content type."""
    event = sample_event(SAMPLE_SURVEY)
    if text is not None:
        event["body"] = text
    for headers, wrap in ((event["headers"], str), (event["multiValueHeaders"], lambda v: [v])):
        headers["Content-Type"] = wrap(content_type)
        if if_match is not None:
            headers["If-Match"] = wrap(if_match)
    if who is None:
        event["requestContext"]["authorizer"] = None
    else:
        event["requestContext"]["authorizer"]["claims"].update(
            {"cognito:username": who[0], "cognito:groups": who[1], "custom:team": who[2]})
    answer = staff.handlers["CaseQueries"].lambda_handler(event, LambdaContext())
    headers = {**(answer.get("headers") or {}),
               **{k: v[0] for k, v in (answer.get("multiValueHeaders") or {}).items()}}
    return answer["statusCode"], json.loads(answer["body"]), headers


def figures_of(staff: Staff, year: str = "2026") -> dict[str, Any]:
    status, body = staff.call("case_queries-figures", query={"year": year}, who=MANAGER)
    assert status == 200
    return body


def survey_partition(table: str) -> list[dict[str, Any]]:
    answer = boto3.client("dynamodb").query(
        TableName=table, KeyConditionExpression="pk = :pk",
        ExpressionAttributeValues={":pk": {"S": "FIGURES#2026"}})
    return [from_item(i) for i in answer["Items"]]


def test_tp12_comes_from_the_imported_tenant_perception_survey(
        staff: Staff, table: str, load_handler: Callable[[str], ModuleType], aws: Any) -> None:
    assert figures_of(staff)["tp12_percent"] == "not imported"
    status, body, headers = import_survey(staff)
    assert status == 200 and headers["ETag"] == '"1"'
    assert body["tp12_percent"] == 75.0  # 135 of the 180 who answered; 20 "don't know" left out
    shown = figures_of(staff)
    assert shown["tp12_percent"] == 75.0
    assert {k: shown["tp12_survey"][k] for k in ("respondents", "base", "satisfied",
                                                 "imported_by", "version")} == {
        "respondents": 200, "base": 180, "satisfied": 135, "imported_by": "m.jones", "version": 1}
    assert shown["closure_satisfaction_local_measure_percent"] is None  # apart, and unanswered
    (audit,) = [i for i in survey_partition(table) if i["entity"] == "AuditEntry"]
    assert (audit["actor"], audit["action"]) == ("staff:m.jones", "TenantPerceptionSurveyImported")
    monthly = load_handler("RegulatorFiguresFunction").lambda_handler(
        {"scheduled_time": "2026-12-01T06:00:00Z"}, LambdaContext())
    text = boto3.client("s3").get_object(Bucket=str(aws.ref("FiguresBucket")),
                                         Key=monthly["key"])["Body"].read().decode()
    rows = {row[0]: row[1:] for row in csv.reader(io.StringIO(text))}
    assert rows["TP12 satisfied with the approach to handling ASB (per cent)"][0] == "75.0"
    assert rows["closure satisfaction (local measure, per cent)"][0] == ""


def test_a_later_import_replaces_the_year_at_the_version_read(staff: Staff, table: str) -> None:
    assert import_survey(staff)[0] == 200
    corrected = SAMPLE_TEXT.replace("2026/27,200,90,45,25,12,8,20", "2026/27,200,100,44,16,12,8,20")
    assert import_survey(staff, corrected)[0] == 428
    assert import_survey(staff, corrected, if_match='"7"')[0] == 412
    status, body, headers = import_survey(staff, corrected, if_match='"1"')
    assert (status, headers["ETag"], body["tp12_percent"]) == (200, '"2"', 80.0)
    assert figures_of(staff)["tp12_survey"]["version"] == 2
    audits = [i for i in survey_partition(table) if i["entity"] == "AuditEntry"]
    assert len(audits) == 2


@pytest.mark.parametrize(("text", "field"), [
    (SAMPLE_TEXT.replace(",45,", ",-45,"), "row 2, column fairly_satisfied"),
    (SAMPLE_TEXT.replace(",200,", ",210,"), "row 2, column respondents"),
    (SAMPLE_TEXT.replace(",45,", ",4\u00b2,"), "row 2, column fairly_satisfied"),
    (SAMPLE_TEXT.replace(",45,", "," + "4" * 4301 + ","), "row 2, column fairly_satisfied"),
    (SAMPLE_TEXT.replace("very_dissatisfied,", ""), "row 1, column very_dissatisfied"),
    (SAMPLE_TEXT.replace("2026/27", "2025/26"), "row 2, column reporting_year"),
])
def test_a_bad_survey_file_names_its_row_and_column_and_nothing_is_kept(
        staff: Staff, table: str, text: str, field: str) -> None:
    status, body, _ = import_survey(staff, text)
    assert status == 422 and field in [e["field"] for e in body["errors"]]
    assert survey_partition(table) == []
    assert figures_of(staff)["tp12_percent"] == "not imported"


def test_only_a_manager_imports_and_only_csv(staff: Staff, table: str) -> None:
    assert import_survey(staff, who=("o.hughes", "officer", "yeovil"))[0] == 403
    assert import_survey(staff, who=("d.price", "dpo", ""))[0] == 403
    assert import_survey(staff, who=None)[0] == 401
    status, body, _ = import_survey(staff, content_type="application/json")
    assert status == 415 and body["errors"][0]["field"] == "body"
    assert import_survey(staff, "x" * 20_000)[0] == 413
    assert survey_partition(table) == []


def test_an_officers_finding_of_a_hate_motive_counts_in_nm01_2(staff: Staff) -> None:
    reference = staff.open_case("4 Quarry Road, Yeovil", ["noise"])
    before = figures_of(staff)
    assert staff.get(reference, who=MANAGER)[1]["case"]["hate_incident"] is False
    assert staff.write(reference, "risk-assessments", {"answers": {"hate_motive": True}})[0] == 200
    case = staff.get(reference, who=MANAGER)[1]
    assert case["case"]["hate_incident"] is True
    assert case["case"]["hate_finding"]["by"] == "o.hughes"
    assert any(e["kind"] == "audit" and (e["detail"].get("after") or {}).get(
        "hate_incident_found_by") == "o.hughes" for e in case["timeline"])
    assert staff.write(reference, "risk-assessments", {"answers": {"hate_motive": False}})[0] == 200
    after = figures_of(staff)
    assert after["hate_cases"] == before["hate_cases"] + 1  # and a later "no" unmarks nothing
    assert after["cases_opened"] == before["cases_opened"]
