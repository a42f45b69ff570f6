"""The homes register import through the S3 event from events/, on moto: a good file loads; a
refused file leaves the register exactly as it was and names each line; the same file twice
writes nothing new; a later file ends a tenancy; the register's reads; no Scan, no half-load."""

from __future__ import annotations

import copy
import io
import json
from collections.abc import Callable
from datetime import UTC, datetime
from types import ModuleType
from typing import Any

import boto3
import pytest

from asb.case.homes import TenancyType, Tenant, Tenure
from asb.homes.service import RegisterImport, StoredRegister
from asb.homes.store import DynamoDBHomesRegister, DynamoDBRegisterStore
from asb.kernel.clock import FixedClock, SystemClock
from asb.kernel.errors import VersionConflict
from tests.conftest import LambdaContext, sample_event

SAMPLE = "homes_import-file-arrived"
KEY = "imports/homes 2026-12-02.csv"  # the sample event's key, URL-decoded
HOMES = ("uprn,address,postcode,tenure,patch\n"
         "10001,1 Larch Walk,BA20 1CK,general_needs,yeovil\n"
         "10002,2 Larch Walk,BA20 1CK,supported,yeovil\n"
         "10003,10 Larch Walk,BA20 1CK,leasehold,yeovil\n"
         "10004,4 Larch Walk,BA20 1CK,not_ours,yeovil\n"
         "20001,Flat 1 Mill Court,TA1 9OV,shared_ownership,taunton\n")
TENANCIES = ("tenancy_reference,uprn,tenancy_type,start_date,end_date,tenant_name,tenant_email,"
             "tenant_phone\n"
             "T-100,10001,secure,2015-04-01,,Ann Vale,ann@example.org,01935 000111\n"
             "T-100,10001,secure,2015-04-01,,Bo Vale,,\n"
             "T-200,10002,starter,2025-06-01,,Cy Dale,,\n")


@pytest.fixture
def homes_import(load_handler: Callable[[str], ModuleType]) -> ModuleType:
    return load_handler("HomesImportFunction")


@pytest.fixture
def bucket(aws: Any) -> str:
    return str(aws.ref("HomesImportBucket"))


@pytest.fixture
def table(aws: Any) -> str:
    return str(aws.ref("HomesTable"))


def arrive(handler: ModuleType, bucket: str, text: str | bytes,
           key: str = KEY) -> dict[str, Any]:
    """The file put in the bucket, then the S3 event Lambda would get for it."""
    body = text.encode() if isinstance(text, str) else text
    boto3.client("s3").put_object(Bucket=bucket, Key=key, Body=body)
    event = copy.deepcopy(sample_event(SAMPLE))
    event["Records"][0]["s3"]["bucket"]["name"] = bucket
    if key != KEY:
        event["Records"][0]["s3"]["object"]["key"] = key.replace(" ", "+")
    (loaded,) = handler.lambda_handler(event, LambdaContext())["imports"]
    return dict(loaded)


def register_items(table: str) -> list[dict[str, Any]]:
    """Every item but the imports' reports, in order (a test may Scan; the service never)."""
    items = boto3.client("dynamodb").scan(TableName=table)["Items"]
    return sorted((i for i in items if i["pk"]["S"] != "IMPORT"),
                  key=lambda i: (i["pk"]["S"], i["sk"]["S"]))


def report_in_bucket(bucket: str, key: str = KEY) -> dict[str, Any]:
    body = boto3.client("s3").get_object(Bucket=bucket, Key=f"reports/{key}.json")["Body"]
    return dict(json.loads(body.read()))


def test_the_sample_event_names_a_csv_under_imports() -> None:
    record = sample_event(SAMPLE)["Records"][0]
    assert record["eventSource"] == "aws:s3" and record["eventName"].startswith("ObjectCreated")
    key = record["s3"]["object"]["key"]
    assert key.startswith("imports/") and key.endswith(".csv")


def test_a_good_file_loads_and_the_register_answers_from_it(
        homes_import: ModuleType, bucket: str, table: str) -> None:
    loaded = arrive(homes_import, bucket, HOMES)
    assert (loaded["outcome"], loaded["summary"]) == ("loaded", "5 homes added")
    assert loaded["accepted"] == {"homes": 5, "tenancy_lines": 0}
    assert report_in_bucket(bucket)["summary"] == "5 homes added"
    loaded = arrive(homes_import, bucket, TENANCIES, "imports/tenancies.csv")
    assert (loaded["outcome"], loaded["summary"]) == ("loaded", "2 tenancies started")

    register = DynamoDBHomesRegister(boto3.client("dynamodb"), table)
    at_postcode = register.homes_at("BA20 1CK")
    assert [h.address for h in at_postcode] == ["1 Larch Walk", "2 Larch Walk", "10 Larch Walk"]
    home = register.home("10001")
    assert home is not None and (home.tenure, home.patch) == (Tenure.GENERAL_NEEDS, "yeovil")
    (tenancy,) = register.tenancies_of("10001")
    assert tenancy.tenants == (Tenant("Ann Vale", "ann@example.org", "01935 000111"),
                               Tenant("Bo Vale"))
    assert register.tenancy("T-200") is not None
    assert register.tenancy("T-200").tenancy_type == TenancyType.STARTER  # type: ignore[union-attr]
    assert register.tenancy("T-999") is None and register.home("99999") is None
    assert register.homes_owned() == 3  # general needs, supported, shared ownership
    assert register.homes_at("TA1 9OV")[0].uprn == "20001"
    assert register.homes_at("DT1 1AA") == []
    # the only generation left is the current one: the one before was removed at the switch
    assert len(_generations(table)) == 1


@pytest.mark.parametrize(("text", "refused"), [
    (HOMES + "10002,22 Larch Walk,BA20 1CK,supported,yeovil\n",
     {3: "UPRN 10002 is on more than one line (lines 3, 7): a home is one line",
      7: "UPRN 10002 is on more than one line (lines 3, 7): a home is one line"}),
    ("uprn,address,postcode,tenure\n10001,1 Larch Walk,BA20 1CK,general_needs\n",
     {1: "The first line must name the columns"}),
    (HOMES.replace("10002,2 Larch Walk,BA20 1CK,supported", "10002,2 Larch Walk,BA20 1CK,council"),
     {3: "The tenure must be one of: general_needs, supported, shared_ownership, leasehold, "
         "not_ours"}),
    (HOMES.encode() + b"30001,3 Caf\xe9 Row,DT1 1CK,supported,dorchester\n",
     {7: "The line is not UTF-8 text"}),
])
def test_a_refused_file_leaves_the_register_as_it_was_and_names_each_line(
        homes_import: ModuleType, bucket: str, table: str, text: str | bytes,
        refused: dict[int, str]) -> None:
    arrive(homes_import, bucket, HOMES)
    arrive(homes_import, bucket, TENANCIES, "imports/tenancies.csv")
    before = register_items(table)
    loaded = arrive(homes_import, bucket, text)
    assert loaded["outcome"] == "refused" and loaded["summary"] == "no change"
    assert {r["line"]: r["reason"][:len(refused[r["line"]])]
            for r in loaded["rejections"]} == refused
    assert register_items(table) == before
    assert report_in_bucket(bucket)["rejections"] == loaded["rejections"]


def test_the_same_file_twice_writes_nothing_new(
        homes_import: ModuleType, bucket: str, table: str) -> None:
    arrive(homes_import, bucket, HOMES)
    before = register_items(table)
    again = arrive(homes_import, bucket, HOMES)
    assert (again["outcome"], again["summary"]) == ("no change", "no change")
    assert register_items(table) == before
    reports = DynamoDBRegisterStore(boto3.client("dynamodb"), table).imports()
    assert [r["outcome"] for r in reports] == ["no change", "loaded"]  # each import reported


def test_a_second_tenancies_file_ends_the_tenancy_missing_from_it(
        homes_import: ModuleType, bucket: str, table: str) -> None:
    arrive(homes_import, bucket, HOMES)
    arrive(homes_import, bucket, TENANCIES, "imports/tenancies.csv")
    later = TENANCIES.split("\n", 1)[0] + "\nT-200,10002,starter,2025-06-01,,Cy Dale,,\n"
    loaded = arrive(homes_import, bucket, later, "imports/tenancies-2.csv")
    assert (loaded["outcome"], loaded["summary"]) == ("loaded", "1 tenancies ended")
    register = DynamoDBHomesRegister(boto3.client("dynamodb"), table)
    ended = register.tenancy("T-100")
    assert ended is not None and ended.end_date == datetime.now(UTC).date()


def test_a_tenancy_on_a_home_not_the_landlords_refuses_the_file(
        homes_import: ModuleType, bucket: str, table: str) -> None:
    arrive(homes_import, bucket, HOMES)
    before = register_items(table)
    loaded = arrive(homes_import, bucket, TENANCIES + "T-300,10004,secure,2020-01-01,,Di,,\n"
                                                      "T-400,55555,secure,2020-01-01,,Ed,,\n")
    assert [r["line"] for r in loaded["rejections"]] == [5, 6]
    assert loaded["accepted"] == {"homes": 0, "tenancy_lines": 3}
    assert register_items(table) == before


def test_of_two_imports_at_once_one_switches_and_the_other_leaves_nothing(
        aws: Any, table: str) -> None:
    store = DynamoDBRegisterStore(boto3.client("dynamodb"), table)
    RegisterImport(store, SystemClock()).load(_Source(HOMES))
    stale = store.current()
    RegisterImport(store, SystemClock()).load(_Source(HOMES.replace("1 Larch", "One Larch")))
    before = register_items(table)
    with pytest.raises(VersionConflict):
        store.replace(stale, stale.register, datetime.now(UTC))
    # the loser's generation written and taken away again; only its number was used up
    assert _but_the_counter(register_items(table)) == _but_the_counter(before)


def test_an_import_that_loses_the_switch_reads_again_and_merges_again(
        aws: Any, table: str) -> None:
    store = DynamoDBRegisterStore(boto3.client("dynamodb"), table)
    RegisterImport(store, SystemClock()).load(_Source(HOMES))

    class Racing(DynamoDBRegisterStore):
        raced = False

        def current(self) -> StoredRegister:
            read = super().current()
            if not self.raced:  # another import switches the register right after this read
                self.raced = True
                RegisterImport(store, SystemClock()).load(_Source(TENANCIES))
            return read

    racing = Racing(boto3.client("dynamodb"), table)
    report = RegisterImport(racing, FixedClock(datetime(2026, 12, 2, 9, tzinfo=UTC))).load(
        _Source(HOMES.replace("2 Larch Walk", "2a Larch Walk")))
    assert report.outcome == "loaded" and report.summary.homes_changed == 1
    assert store.tenancy("T-100") is not None  # the other import's tenancies are kept
    assert store.home("10002").address == "2a Larch Walk"  # type: ignore[union-attr]


def test_a_generation_left_by_a_failed_clean_up_is_removed_by_the_next_import(
        aws: Any, table: str) -> None:
    store = DynamoDBRegisterStore(boto3.client("dynamodb"), table)
    RegisterImport(store, SystemClock()).load(_Source(HOMES))
    failing = DynamoDBRegisterStore(boto3.client("dynamodb"), table)
    failing._remove_before = lambda *_: None  # type: ignore[method-assign]
    RegisterImport(failing, SystemClock()).load(_Source(HOMES.replace("1 Larch", "One Larch")))
    assert len(_generations(table)) == 2
    RegisterImport(store, SystemClock()).load(_Source(HOMES))
    assert len(_generations(table)) == 1


def test_no_log_line_carries_a_tenants_details(
        homes_import: ModuleType, bucket: str, capsys: pytest.CaptureFixture[str]) -> None:
    lines = io.StringIO()
    homes_import.logger.registered_handler.setStream(lines)
    arrive(homes_import, bucket, HOMES)
    arrive(homes_import, bucket, TENANCIES, "imports/tenancies.csv")
    arrive(homes_import, bucket, TENANCIES.replace("secure", "licence"), "imports/t2.csv")
    logs = lines.getvalue() + capsys.readouterr().out
    assert "homes register import" in logs and "refused" in logs
    for personal in ("Ann Vale", "ann@example.org", "01935 000111", "Larch Walk"):
        assert personal not in logs


def test_locally_the_import_function_gets_only_imports_csv_in_its_bucket(
        aws: Any, bucket: str) -> None:
    from infra.local.s3_notifications import object_created, wants
    from infra.local.template import function

    (trigger,) = [t for t in function("HomesImportFunction").triggers if t.kind == "S3"]
    resources = aws
    assert wants(trigger, resources, bucket, "imports/homes.csv")
    assert wants(trigger, resources, bucket, "imports/2026/tenancies.csv")
    assert not wants(trigger, resources, bucket, "reports/imports/homes.csv.json")
    assert not wants(trigger, resources, bucket, "imports/homes.xlsx")
    assert not wants(trigger, resources, "another-bucket", "imports/homes.csv")
    event = object_created(bucket, "imports/homes 2026.csv", 10, "c")
    assert event["Records"][0]["s3"]["object"]["key"] == "imports/homes+2026.csv"


class _Source:
    name = "test"

    def __init__(self, text: str) -> None:
        self.text = text

    def rows(self) -> Any:
        from asb.homes.export_files import read_export

        return read_export(self.text.encode())


def _but_the_counter(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [i for i in items if i["sk"]["S"] != "GENERATIONS"]


def _generations(table: str) -> set[str]:
    return {item["pk"]["S"].split("#")[1] for item in register_items(table)
            if item["pk"]["S"].startswith("G#")}

