"""Once, after deploying the release with parties (issue 21): gives every case made before it its
parties - each reporter a complainant (a new person; an anonymous report, a complainant with no
person), each alleged perpetrator a report named or described a proposed party of a new person,
with intake's proposed matches (the same email or phone), never a merge (asb.people.carried_over).

Each case is one TransactWriteItems: its new parties (each with its person's lookup), persons and
match keys, every item the shape the one writer gives it (asb.dynamo.party_items) and on condition
that it is new, and an audit entry "PartiesMigrated" by system:migration; the case item itself is
left as it is (checked to be there). Ids come from the reports, so running it again - or after a
run stopped half-way - writes nothing a case already has. An anonymised case is left alone.
It writes no case at a home (HOME#<uprn>/CASE#, asb.case.home_cases): a report from before the
homes register names no UPRN, place's or alleged perpetrator's, and ties no party to a tenancy.

Run: `make migrate-parties` against make dev's local AWS, or with the deployment's credentials
`.venv/bin/python -m infra.migrate_parties <CasesTable name> [--dry-run]`. It scans the table
(paginated): an operator's one-off, never a request or schedule path. --dry-run prints the counts
and writes nothing; nothing it prints is personal data.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from botocore.exceptions import ClientError

from asb.case.change import PartyWrite, PersonWrite
from asb.case.parties import Party
from asb.dynamo import keys
from asb.dynamo.codec import from_item, to_item
from asb.dynamo.party_items import (
    match_key_writes,
    matched_persons,
    party_from_item,
    party_writes,
    person_write,
)
from asb.dynamo.transactions import cancelled, put_audit
from asb.people.carried_over import (
    CarriedOver,
    StoredReport,
    carried_over,
    migration_audit,
    with_matches,
)
from asb.people.carried_over import match_key_writes as new_match_keys

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient
    from mypy_boto3_dynamodb.type_defs import TransactWriteItemTypeDef

TRANSACTION_LIMIT = 100  # DynamoDB's TransactWriteItems
READ = ("Case", "Report", "Party", "MatchKey")


@dataclass
class Table:
    """What the scan found: each case's reports and party ids, and the persons under each key."""

    cases: dict[str, bool] = field(default_factory=dict)  # reference -> anonymised
    reports: dict[str, list[StoredReport]] = field(default_factory=dict)
    parties: dict[str, list[Party]] = field(default_factory=dict)
    match_keys: dict[str, list[str]] = field(default_factory=dict)


def scanned(client: DynamoDBClient, table: str) -> Table:
    """One paginated Scan of the cases, reports, parties and match keys (sealed fields unread)."""
    found = Table()
    for page in client.get_paginator("scan").paginate(
        TableName=table, FilterExpression="#entity IN (:case, :report, :party, :key)",
        ExpressionAttributeNames={"#entity": keys.ENTITY},
        ExpressionAttributeValues=to_item(dict(zip((":case", ":report", ":party", ":key"), READ,
                                                   strict=True))),
    ):
        for item in map(from_item, page["Items"]):
            _take(found, item)
    return found


def _take(found: Table, item: dict[str, Any]) -> None:
    entity = item[keys.ENTITY]
    if entity == "MatchKey":
        found.match_keys[str(item[keys.PK]).removeprefix("MATCHKEY#")] = matched_persons(item)
        return
    reference = keys.reference_of(str(item[keys.PK]))
    if entity == "Case":
        found.cases[reference] = bool(item.get("anonymised_at"))
    elif entity == "Report":
        found.reports.setdefault(reference, []).append(StoredReport.of(item))
    else:
        found.parties.setdefault(reference, []).append(party_from_item(item))


def planned(found: Table, now: datetime) -> list[CarriedOver]:
    """Every case with parties still to carry over, their matches proposed."""
    cases = [carried_over(reference, found.reports.get(reference, []),
                          found.parties.get(reference, []), now)
             for reference, anonymised in sorted(found.cases.items()) if not anonymised]
    return with_matches([c for c in cases if c.parties], found.match_keys)


def transaction(table: str, case: CarriedOver, now: datetime) -> list[TransactWriteItemTypeDef]:
    check: TransactWriteItemTypeDef = {"ConditionCheck": {
        "TableName": table, "Key": to_item(keys.case_key(case.case_reference)),
        "ConditionExpression": "attribute_exists(pk)"}}
    return [check,
            *[a for party in case.parties for a in party_writes(table, PartyWrite(party))],
            *[person_write(table, PersonWrite(person)) for person in case.persons],
            *match_key_writes(table, new_match_keys(case)),
            put_audit(table, migration_audit(case, now))]


def migrate(client: DynamoDBClient, table: str, dry_run: bool = False,
            now: datetime | None = None) -> Counter[str]:
    """Carries every case over; returns the counts (what was, or would be, written)."""
    moment = now or datetime.now(UTC)
    found = scanned(client, table)
    counts: Counter[str] = Counter(cases=len(found.cases))
    for case in planned(found, moment):
        actions = transaction(table, case, moment)
        if len(actions) > TRANSACTION_LIMIT:
            counts["cases too large for one transaction (left as they are)"] += 1
            continue
        if not dry_run and not _committed(client, actions):
            counts["cases carried over meanwhile (left as they are)"] += 1
            continue
        counts.update(_tally(case))
    return counts


def _committed(client: DynamoDBClient, actions: list[TransactWriteItemTypeDef]) -> bool:
    """False when a condition failed: a party or person is there already (another run)."""
    try:
        client.transact_write_items(TransactItems=actions)
    except ClientError as error:
        reasons = cancelled(error)
        if reasons is None or not reasons.only_conditions:
            raise
        return False
    return True


def _tally(case: CarriedOver) -> Counter[str]:
    tally: Counter[str] = Counter({"cases carried over": 1, "persons": len(case.persons)})
    for party in case.parties:
        kind = ("anonymous complainants" if party.person_id is None
                else f"{party.roles[0].value.replace('_', ' ')}s")
        tally[kind] += 1
        tally["parties with proposed matches"] += bool(party.proposed_matches)
    return tally


def printed(counts: Counter[str], dry_run: bool) -> str:
    head = "dry run: nothing written; it would write" if dry_run else "written"
    return "\n".join([head, *(f"  {name}: {n}" for name, n in sorted(counts.items()))]) + "\n"


def main(arguments: list[str] | None = None) -> None:
    import boto3

    parser = argparse.ArgumentParser(prog="python -m infra.migrate_parties",
                                     description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("table", help="the CasesTable's name")
    parser.add_argument("--dry-run", action="store_true", help="print the counts, write nothing")
    parser.add_argument("--endpoint", help="a local AWS (make dev's), instead of AWS")
    given = parser.parse_args(arguments)
    client = (boto3.client("dynamodb", endpoint_url=given.endpoint, region_name="eu-west-2",
                           aws_access_key_id="local", aws_secret_access_key="local")  # noqa: S106
              if given.endpoint else boto3.client("dynamodb"))
    sys.stdout.write(printed(migrate(client, given.table, given.dry_run), given.dry_run))


if __name__ == "__main__":
    main()
