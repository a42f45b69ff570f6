"""NM01's homes owned from the homes register, on moto: the monthly CSV and a manager's
GET /figures take the register's homes owned once the landlord's file is imported, and the
HomesOwned parameter only while the register is empty, each saying which it used."""

from __future__ import annotations

import copy
import csv
import io
import json
from collections import Counter
from collections.abc import Callable
from types import ModuleType
from typing import Any

import boto3
import pytest

from asb.reporting.regulator import FROM_PARAMETER, FROM_REGISTER
from tests.conftest import LambdaContext, sample_event
from tests.integration.helpers import Staff, table_items
from tests.landlords_homes import NUMBER_14, living_at

MANAGER = ("m.jones", "manager", "yeovil")
# Two general needs homes, one supported, one shared ownership: 4 owned. A leasehold home and a
# home that is not the landlord's are in the register but not owned.
HOMES = ("uprn,address,postcode,tenure,patch\n"
         "10001,1 Larch Walk,BA20 1CK,general_needs,yeovil\n"
         "10002,2 Larch Walk,BA20 1CK,general_needs,yeovil\n"
         "10003,3 Larch Walk,BA20 1CK,supported,yeovil\n"
         "10004,10 Larch Walk,BA20 1CK,leasehold,yeovil\n"
         "10005,12 Larch Walk,BA20 1CK,not_ours,yeovil\n"
         "20001,Flat 1 Mill Court,TA1 9OV,shared_ownership,taunton\n")


def import_homes(handler: ModuleType, bucket: str) -> None:
    """The landlord's export put in the import bucket, and the S3 event from events/ for it."""
    event = copy.deepcopy(sample_event("homes_import-file-arrived"))
    key = "imports/homes 2026-12-02.csv"
    boto3.client("s3").put_object(Bucket=bucket, Key=key, Body=HOMES.encode())
    event["Records"][0]["s3"]["bucket"]["name"] = bucket
    handler.lambda_handler(event, LambdaContext())


def monthly_csv(figures: ModuleType, aws: Any) -> tuple[dict[str, Any], dict[str, list[str]]]:
    answer = figures.lambda_handler(sample_event("regulator_figures-scheduled"), LambdaContext())
    body = boto3.client("s3").get_object(Bucket=str(aws.ref("FiguresBucket")),
                                         Key=answer["key"])["Body"].read().decode()
    return answer, {row[0]: row[1:] for row in csv.reader(io.StringIO(body))}


@pytest.fixture
def figures(load_handler: Callable[[str], ModuleType]) -> ModuleType:
    return load_handler("RegulatorFiguresFunction")


def test_homes_owned_come_from_the_register_once_it_is_imported(
        load_handler: Callable[[str], ModuleType], figures: ModuleType, staff: Staff,
        aws: Any) -> None:
    load_handler("IntakeFunction").lambda_handler(sample_event("intake-valid-json"),
                                                  LambdaContext())
    answer, rows = monthly_csv(figures, aws)
    assert (answer["homes"], answer["homes_source"]) == (10000, FROM_PARAMETER)  # the default
    assert rows["homes owned"] == [
        "10000", "the HomesOwned parameter, used only while the homes register is empty"]

    import_homes(load_handler("HomesImportFunction"), str(aws.ref("HomesImportBucket")))
    answer, rows = monthly_csv(figures, aws)
    assert (answer["homes"], answer["homes_source"]) == (4, FROM_REGISTER)
    assert rows["homes owned"][0] == "4" and rows["homes owned"][1].startswith(
        "from the homes register")
    assert answer["nm01_1"] == 250.0  # 1 case per 4 homes, per 1,000

    status, body = staff.call("case_queries-figures", query={"year": "2026"}, who=MANAGER)
    assert status == 200
    assert (body["homes"], body["homes_source"], body["nm01_1"]) == (4, FROM_REGISTER, 250.0)


def test_nm01_counts_a_case_per_matter_and_a_joined_report_never_twice(
        intake: ModuleType, homes: str, figures: ModuleType, aws: Any, table: str) -> None:
    """Three neighbours report the tenant of 14 Orchard Close (the later two join the first's
    case: the same tenancy), and one reports something else: two cases, four reports."""
    for n in range(3):
        event = sample_event("intake-valid-json")
        event["headers"].pop("Idempotency-Key", None)
        data = json.loads(event["body"])
        data["reporter"]["email"] = f"neighbour{n}@example.org"
        data["perpetrator"] = living_at(NUMBER_14)
        event["body"] = json.dumps(data)
        assert intake.lambda_handler(event, LambdaContext())["statusCode"] == 201
    elsewhere = sample_event("intake-valid-json")
    elsewhere["headers"].pop("Idempotency-Key", None)
    data = json.loads(elsewhere["body"])
    data["location"] = {"address": "3 Mill Lane, Taunton", "postcode": "TA1 1AA"}
    data["perpetrator"] = {"known": False}
    elsewhere["body"] = json.dumps(data)
    assert intake.lambda_handler(elsewhere, LambdaContext())["statusCode"] == 201

    reports = [i["case_reference"] for i in table_items(table) if i.get("entity") == "Report"]
    assert sorted(Counter(reports).values()) == [1, 3]  # the three are on one case
    answer, rows = monthly_csv(figures, aws)
    assert answer["cases_opened"] == 2
    assert rows["ASB cases opened"][0] == "2"
    # The register's six homes owned (general needs and supported; one is not the landlord's).
    assert (answer["homes"], answer["homes_source"], answer["nm01_1"]) == (6, FROM_REGISTER, 333.33)
