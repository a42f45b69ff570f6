"""The homes register in its own table (HomesTable): the import's store and the register the
service reads (asb.case.homes.HomesRegister). Every read a GetItem or a Query; no Scan.

| item               | pk                        | sk                              |
|--------------------|---------------------------|---------------------------------|
| register pointer   | REGISTER                  | CURRENT                         |
| generation counter | REGISTER                  | GENERATIONS                     |
| home               | G#<generation>#<shard>    | H#<uprn>#                       |
| tenancy            | G#<generation>#<shard>    | H#<uprn>#T#<start date>#<reference> |
| import's report    | IMPORT                    | <at>#<import id>                |

Indexes (sparse):

| index                | partition (key: value)                 | sort | items              |
|----------------------|----------------------------------------|------|--------------------|
| HomesByPostcode      | postcode_key: <generation>#<postcode>  | uprn | the landlord's homes |
| TenanciesByReference | tenancy_key: <generation>#<reference>  | sk   | tenancies          |

A generation's homes and their tenancies are spread over SHARDS partitions by UPRN: a home
with its tenancies is one Query (its shard, sk beginning H#<uprn>#), a whole generation
SHARDS Queries of the table itself, and an import's writes are spread.

Nothing half-loaded: an import writes the whole register after under a new generation, then
switches the pointer in one conditional write (on the generation it read: of two imports at
once, one wins and the other reads again), then removes the generations before it. A failure
before the switch leaves items nobody reads (the pointer never named them); a failure after it
leaves the old generation, which the next import removes (every generation above
`cleaned_through` and below the current one).
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from botocore.exceptions import ClientError

from asb.case.homes import Home, Tenancy, TenancyType, Tenant, Tenure, address_order
from asb.dynamo.codec import from_item, to_item
from asb.dynamo.paging import query_pages
from asb.kernel.errors import VersionConflict

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient
    from mypy_boto3_s3 import S3Client

    from asb.homes.register_import import Register
    from asb.homes.service import ImportReport, StoredRegister

POINTER = {"pk": {"S": "REGISTER"}, "sk": {"S": "CURRENT"}}
COUNTER = {"pk": {"S": "REGISTER"}, "sk": {"S": "GENERATIONS"}}
SHARDS = 16  # partitions per generation
BATCH = 25  # BatchWriteItem's most
STORED_REJECTIONS = 500  # in the IMPORT item (400 KB at most); the whole list is in the bucket
ANOTHER_IMPORT = "Another import switched the register first: load the file again."


def shard_pk(generation: int, shard: int) -> str:
    return f"G#{generation}#{shard}"


def home_pk(generation: int, uprn: str) -> str:
    return shard_pk(generation, int(uprn) % SHARDS)


def home_sk(uprn: str) -> str:
    return f"H#{uprn}#"


def home_item(generation: int, home: Home) -> dict[str, Any]:
    item = {"pk": home_pk(generation, home.uprn), "sk": home_sk(home.uprn), "entity": "Home",
            "uprn": home.uprn, "address": home.address, "postcode": home.postcode,
            "tenure": home.tenure.value, "patch": home.patch}
    if home.left_register_on:
        item["left_register_on"] = home.left_register_on.isoformat()
    if home.landlords:
        item["postcode_key"] = f"{generation}#{home.postcode}"
    return item


def tenancy_item(generation: int, tenancy: Tenancy) -> dict[str, Any]:
    item = {"pk": home_pk(generation, tenancy.uprn),
            "sk": f"{home_sk(tenancy.uprn)}T#{tenancy.start_date.isoformat()}#{tenancy.reference}",
            "entity": "Tenancy", "reference": tenancy.reference, "uprn": tenancy.uprn,
            "tenancy_type": tenancy.tenancy_type.value,
            "start_date": tenancy.start_date.isoformat(),
            "tenants": [{k: v for k, v in vars(t).items() if v} for t in tenancy.tenants],
            "tenancy_key": f"{generation}#{tenancy.reference}"}
    if tenancy.end_date:
        item["end_date"] = tenancy.end_date.isoformat()
    return item


def home_of(values: dict[str, Any]) -> Home:
    left = values.get("left_register_on")
    return Home(uprn=values["uprn"], address=values["address"], postcode=values["postcode"],
                tenure=Tenure(values["tenure"]), patch=values["patch"],
                left_register_on=date.fromisoformat(left) if left else None)


def tenancy_of(values: dict[str, Any]) -> Tenancy:
    end = values.get("end_date")
    return Tenancy(reference=values["reference"], uprn=values["uprn"],
                   tenancy_type=TenancyType(values["tenancy_type"]),
                   start_date=date.fromisoformat(values["start_date"]),
                   tenants=tuple(Tenant(**t) for t in values["tenants"]),
                   end_date=date.fromisoformat(end) if end else None)


class DynamoDBHomesRegister:
    """The register as the service reads it: the pointer (one GetItem), then one Query or
    GetItem of the generation it names."""

    def __init__(self, client: DynamoDBClient, table: str) -> None:
        self._client = client
        self._table = table

    def _pointer(self, consistent: bool = False) -> dict[str, Any] | None:
        item = self._client.get_item(TableName=self._table, Key=POINTER,
                                     ConsistentRead=consistent).get("Item")
        return from_item(item) if item else None

    def _generation(self) -> int | None:
        pointer = self._pointer()
        return int(pointer["generation"]) if pointer else None

    def homes_at(self, postcode: str) -> list[Home]:
        generation = self._generation()
        if generation is None:
            return []
        homes = [home_of(v) for v in self._query(
            IndexName="HomesByPostcode", KeyConditionExpression="postcode_key = :key",
            ExpressionAttributeValues={":key": {"S": f"{generation}#{postcode}"}})]
        return sorted(homes, key=address_order)

    def home(self, uprn: str) -> Home | None:
        home, _ = self.home_with_tenancies(uprn)
        return home

    def tenancies_of(self, uprn: str) -> list[Tenancy]:
        _, tenancies = self.home_with_tenancies(uprn)
        return tenancies

    def home_with_tenancies(self, uprn: str) -> tuple[Home | None, list[Tenancy]]:
        """A home and its tenancies, newest first: one Query of the home's partition."""
        generation = self._generation()
        if generation is None or not uprn.isdigit():
            return None, []
        uprn = str(int(uprn))
        items = list(self._query(
            KeyConditionExpression="pk = :pk AND begins_with(sk, :home)", ScanIndexForward=False,
            ExpressionAttributeValues={":pk": {"S": home_pk(generation, uprn)},
                                       ":home": {"S": home_sk(uprn)}}))
        homes = [home_of(v) for v in items if v["entity"] == "Home"]
        return (homes[0] if homes else None,
                [tenancy_of(v) for v in items if v["entity"] == "Tenancy"])

    def tenancy(self, reference: str) -> Tenancy | None:
        generation = self._generation()
        if generation is None:
            return None
        found = list(self._query(
            IndexName="TenanciesByReference", KeyConditionExpression="tenancy_key = :key",
            ExpressionAttributeValues={":key": {"S": f"{generation}#{reference}"}}))
        return tenancy_of(found[0]) if found else None

    def homes_owned(self) -> int:
        pointer = self._pointer()
        return int(pointer["homes_owned"]) if pointer else 0

    def _query(self, **arguments: Any) -> Iterator[dict[str, Any]]:
        for page in query_pages(self._client, TableName=self._table, **arguments):
            yield from (from_item(item) for item in page["Items"])


class DynamoDBRegisterStore(DynamoDBHomesRegister):
    """The import's store: the register in whole, under generations switched by the pointer."""

    def current(self) -> StoredRegister:
        # The import's own modules: intake and the report form read the register through
        # DynamoDBHomesRegister without loading them.
        from asb.homes.register_import import Register
        from asb.homes.service import StoredRegister

        pointer = self._pointer(consistent=True)
        if pointer is None:
            return StoredRegister(Register(), 0)
        generation = int(pointer["generation"])
        homes, tenancies = {}, {}
        for values in self._generation_items(generation):
            if values["entity"] == "Home":
                homes[values["uprn"]] = home_of(values)
            else:
                tenancies[values["reference"]] = tenancy_of(values)
        return StoredRegister(Register(homes, tenancies), generation)

    def replace(self, read: StoredRegister, register: Register, at: datetime) -> None:
        generation = self._next_generation()
        items = [home_item(generation, h) for h in register.homes.values()] + [
            tenancy_item(generation, t) for t in register.tenancies.values()]
        self._write([{"PutRequest": {"Item": to_item(item)}} for item in items])
        cleaned_through = self._cleaned_through(read.generation)
        try:
            self._switch(read.generation, generation, register, at, cleaned_through)
        except VersionConflict:
            self._write([{"DeleteRequest": {"Key": _key(item)}} for item in items])
            raise
        self._remove_before(generation, cleaned_through)

    def record_import(self, report: ImportReport) -> None:
        stored = report.as_dict()
        stored["rejections_total"] = len(stored["rejections"])
        stored["rejections"] = stored["rejections"][:STORED_REJECTIONS]
        self._client.put_item(TableName=self._table, Item=to_item({
            "pk": "IMPORT", "sk": f"{report.at.isoformat()}#{report.import_id}",
            "entity": "RegisterImport", **stored}))

    def imports(self) -> list[dict[str, Any]]:
        """Every import's report, newest first."""
        return list(self._query(KeyConditionExpression="pk = :pk", ScanIndexForward=False,
                                ExpressionAttributeValues={":pk": {"S": "IMPORT"}}))

    # ------------------------------------------------------------------ generations
    def _next_generation(self) -> int:
        answer = self._client.update_item(
            TableName=self._table, Key=COUNTER, UpdateExpression="ADD #last :one",
            ExpressionAttributeNames={"#last": "last"},
            ExpressionAttributeValues={":one": {"N": "1"}}, ReturnValues="UPDATED_NEW")
        return int(answer["Attributes"]["last"]["N"])

    def _switch(self, read: int, generation: int, register: Register, at: datetime,
                cleaned_through: int) -> None:
        """The pointer to the new generation, if it still names the one read."""
        try:
            self._client.put_item(
                TableName=self._table,
                ConditionExpression="attribute_not_exists(pk) OR generation = :read",
                ExpressionAttributeValues={":read": {"N": str(read)}},
                Item=to_item({**from_item(POINTER), "generation": generation,
                              "homes_owned": register.homes_owned(),
                              "imported_at": at.isoformat(),
                              "cleaned_through": cleaned_through}))
        except ClientError as error:
            if error.response["Error"]["Code"] == "ConditionalCheckFailedException":
                raise VersionConflict(ANOTHER_IMPORT) from error
            raise

    def _cleaned_through(self, read: int) -> int:
        """The generations up to this one are removed (a crash may have left later ones)."""
        pointer = self._pointer(consistent=True) if read else None
        return int(pointer.get("cleaned_through", 0)) if pointer else 0

    def _remove_before(self, generation: int, cleaned_through: int) -> None:
        for old in range(cleaned_through + 1, generation):
            self._write([{"DeleteRequest": {"Key": to_item({"pk": v["pk"], "sk": v["sk"]})}}
                         for v in self._generation_items(old)])
        self._client.update_item(
            TableName=self._table, Key=POINTER, UpdateExpression="SET cleaned_through = :done",
            ConditionExpression="generation = :generation",
            ExpressionAttributeValues={":done": {"N": str(generation - 1)},
                                       ":generation": {"N": str(generation)}})

    def _generation_items(self, generation: int) -> Iterator[dict[str, Any]]:
        for shard in range(SHARDS):
            yield from self._query(
                KeyConditionExpression="pk = :pk", ConsistentRead=True,
                ExpressionAttributeValues={":pk": {"S": shard_pk(generation, shard)}})

    def _write(self, requests: list[Any]) -> None:
        for start in range(0, len(requests), BATCH):
            pending = {self._table: requests[start:start + BATCH]}
            for pause in (0.0, 0.05, 0.1, 0.2, 0.4, 0.8, 1.6, 3.2):
                time.sleep(pause)
                pending = self._client.batch_write_item(RequestItems=pending).get(
                    "UnprocessedItems") or {}
                if not pending:
                    break
            if pending:
                raise RuntimeError("DynamoDB left writes unprocessed after retries")


def _key(item: dict[str, Any]) -> dict[str, Any]:
    return to_item({"pk": item["pk"], "sk": item["sk"]})


class S3ImportFiles:
    """The import bucket: the landlord's files under imports/, each import's report beside it
    under reports/ (the bucket is the event's: the function is not told it)."""

    def __init__(self, client: S3Client) -> None:
        self._client = client

    def read(self, bucket: str, key: str) -> bytes:
        return self._client.get_object(Bucket=bucket, Key=key)["Body"].read()

    def write_report(self, bucket: str, key: str, report: str) -> str:
        report_key = f"reports/{key}.json"
        self._client.put_object(Bucket=bucket, Key=report_key, Body=report.encode(),
                                ContentType="application/json")
        return report_key
