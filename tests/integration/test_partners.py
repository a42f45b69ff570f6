"""Sharing with partners through the handlers, against moto: the registry, a request, its
decision, the signed package on the partner's own queue, the reference receiver's
acknowledgement, a police request, and the disclosure log as the DPO exports it."""

from __future__ import annotations

import csv
import io
import json
import uuid
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any, cast

import boto3
import jsonschema
import pytest

from asb.casework.service import CaseService
from asb.dynamo.codec import from_item
from asb.kernel.clock import SystemClock
from asb.kernel.errors import VersionConflict
from asb.kernel.staff import StaffMember
from asb.partners.models import PartnerIn
from asb.partners.service import Partners
from asb.partners.store import DynamoDBPartnerStore
from infra.local.partners import SEEDS, seed
from infra.partner_receiver import Receiver
from tests.conftest import LambdaContext, sample_event
from tests.integration.helpers import Staff, case_partition, queue_delivery, queue_messages

MANAGER = ("m.jones", "manager", "yeovil")
DPO = ("d.price", "dpo", "")
PARTNER_QUEUES = ("ConstabularyQueue", "CouncilQueue", "MediationQueue", "SupportQueue")
SCHEMA = json.loads((Path(__file__).parents[2] / "docs" / "partners" /
                     "disclosure-message.schema.json").read_text())


@pytest.fixture
def partners(staff: Staff, aws: Any, table: str,
             load_handler: Callable[[str], ModuleType]) -> dict[str, Any]:
    seed(DynamoDBPartnerStore(boto3.client("dynamodb"), table))
    return {"aws": aws, "publisher": load_handler("PartnerPublisherFunction"),
            "inbound": load_handler("PartnerInboundFunction")}


def ask(staff: Staff, reference: str, **changes: Any) -> tuple[int, dict[str, Any]]:
    body = {**json.loads(sample_event("partners-request-disclosure")["body"]), **changes}
    version = staff.get(reference, who=MANAGER)[1]["case"]["version"]
    return staff.call("partners-request-disclosure", path=f"/cases/{reference}/disclosures",
                      body=body, if_match=f'"{version}"', reference=reference)


def decide(staff: Staff, reference: str, disclosure_id: str, approved: bool,
           who: tuple[str, str, str] = MANAGER) -> tuple[int, dict[str, Any]]:
    version = staff.get(reference, who=MANAGER)[1]["case"]["version"]
    return staff.call("partners-decide-disclosure",
                      path=f"/cases/{reference}/disclosures/{disclosure_id}/decision",
                      body={"approved": approved, "reason": "Weighed under the agreement."},
                      if_match=f'"{version}"', reference=reference, who=who)


def disclosures(table: str, reference: str) -> list[dict[str, Any]]:
    return [i for i in case_partition(table, reference) if i["entity"] == "Disclosure"]


def publish_approved(partners: dict[str, Any], table: str, reference: str) -> None:
    for item in case_partition(table, reference):
        if item["entity"] == "Event" and item["type"] == "DisclosureApproved":
            event = {k: item[k] for k in ("event_id", "type", "case_reference", "occurred_at",
                                          "detail", "schema_version")}
            answer = partners["publisher"].lambda_handler(
                queue_delivery("partner_publisher-disclosure-approved", event), LambdaContext())
            assert answer == {"batchItemFailures": []}


def waiting_on_partner_queues(aws: Any) -> int:
    sqs = boto3.client("sqs")
    return sum(int(sqs.get_queue_attributes(
        QueueUrl=str(aws.ref(q)), AttributeNames=["ApproximateNumberOfMessages"])[
        "Attributes"]["ApproximateNumberOfMessages"]) for q in PARTNER_QUEUES)


def receiver(aws: Any) -> Receiver:
    kms = boto3.client("kms")
    return Receiver(boto3.client("sqs"), str(aws.ref("ConstabularyQueue")),
                    str(aws.ref("PartnerInboundQueue")),
                    kms.get_public_key(KeyId=str(aws.ref("SigningKey")))["PublicKey"],
                    "avon-somerset-police", "PC Sam Lewis")


def deliver_inbound(partners: dict[str, Any]) -> None:
    for message in queue_messages(str(partners["aws"].ref("PartnerInboundQueue"))):
        event = queue_delivery("partner_inbound-acknowledgement", json.loads(message["Body"]))
        answer = partners["inbound"].lambda_handler(event, LambdaContext())
        assert answer == {"batchItemFailures": []}


def test_the_registry_is_read_by_staff_and_kept_by_managers(staff: Staff, partners: Any) -> None:
    status, body = staff.call("partners-list")
    assert status == 200 and len(body["partners"]) == len(SEEDS)
    police = next(p for p in body["partners"] if p["partner_id"] == "avon-somerset-police")
    assert "reporter_details" not in police["data_categories"]
    new = json.loads(sample_event("partners-save-partner")["body"])
    path = "/partners/north-somerset-council"
    assert staff.call("partners-save-partner", path=path, body=new)[0] == 403  # an officer
    assert staff.call("partners-save-partner", path=path, body=new, who=MANAGER)[0] == 200
    status, _ = staff.call("partners-save-partner", path=path, body=new, who=MANAGER)
    assert status == 428  # changing it names the version read
    changed = {**new, "data_categories": ["case_summary"]}
    assert staff.call("partners-save-partner", path=path, body=changed, who=MANAGER,
                      if_match='"1"')[0] == 200
    assert staff.call("partners-save-partner", path=path, body=changed, who=MANAGER,
                      if_match='"1"')[0] == 412
    assert staff.call("partners-save-partner", path=path, body=changed, who=MANAGER,
                      if_match="not-a-version")[0] == 412
    status, body = staff.call("partners-save-partner", path=path, who=MANAGER,
                              body={**new, "data_categories": ["gossip"]})
    assert status == 422 and body["errors"][0]["field"] == "data_categories"


def partner_entries(table: str, partner_id: str) -> list[dict[str, Any]]:
    """The partner's registry entry and the audit of its saves, as stored."""
    client = boto3.client("dynamodb")
    entry = client.query(TableName=table, KeyConditionExpression="pk = :pk AND sk = :sk",
                         ExpressionAttributeValues={":pk": {"S": "PARTNER"},
                                                    ":sk": {"S": partner_id}})["Items"]
    audit = client.query(TableName=table, KeyConditionExpression="pk = :pk",
                         ExpressionAttributeValues={":pk": {"S": f"PARTNER#{partner_id}"}}
                         )["Items"]
    return [from_item(i) for i in entry + audit]


def test_a_partner_is_created_once(staff: Staff, partners: Any, table: str) -> None:
    new = json.loads(sample_event("partners-save-partner")["body"])
    path, create = "/partners/north-somerset-council", {"If-None-Match": "*"}
    assert staff.call("partners-save-partner", path=path, body=new, who=MANAGER,
                      headers=create)[0] == 200
    other = {**new, "data_categories": ["case_summary"]}
    status, body = staff.call("partners-save-partner", path=path, body=other,
                              who=("a.khan", "manager", "yeovil"), headers=create)
    assert status == 412 and "already a partner" in body["message"]
    (entry, saved) = partner_entries(table, "north-somerset-council")
    assert entry["version"] == 1 and entry["data_categories"] == ["actions_taken", "case_summary"]
    assert saved["action"] == "PartnerSaved" and saved["actor"] == "staff:m.jones"
    # A change names the version it read; of a partner that is not there, it is refused.
    status, _ = staff.call("partners-save-partner", path="/partners/nobody-yet", body=new,
                           who=MANAGER, if_match='"5"')
    assert status == 412 and partner_entries(table, "nobody-yet") == []
    assert staff.call("partners-save-partner", path=path, body=other, who=MANAGER,
                      if_match='"1"', headers=create)[0] == 412  # not both


def test_two_managers_creating_one_partner_at_once_store_it_once(table: str,
                                                                 partners: Any) -> None:
    class ReadBeforeTheOtherWrote(DynamoDBPartnerStore):
        def partner(self, partner_id: str) -> dict[str, Any] | None:
            return None  # each manager read the registry before either create landed

    body = PartnerIn.model_validate(json.loads(sample_event("partners-save-partner")["body"]))
    registry = Partners(ReadBeforeTheOtherWrote(boto3.client("dynamodb"), table),
                        cast(CaseService, None), SystemClock())
    registry.save(StaffMember("m.jones", frozenset({"manager"}), "yeovil"), "n-somerset", body,
                  None, "*")
    with pytest.raises(VersionConflict):
        registry.save(StaffMember("a.khan", frozenset({"manager"}), "yeovil"), "n-somerset",
                      body, None, "*")
    assert [i["entity"] for i in partner_entries(table, "n-somerset")] == [
        "Partner", "AuditEntry"]


def test_the_rank_a_police_request_needs_is_the_agreements(staff: Staff, partners: Any,
                                                           table: str) -> None:
    reference = staff.open_case()
    event = sample_event("partner_inbound-police-request")
    body = json.loads(event["Records"][0]["body"])

    def request_from_a_sergeant() -> dict[str, Any]:
        event["Records"][0]["body"] = json.dumps({
            **body, "case_reference": reference, "request_id": str(uuid.uuid4()),
            "signed_off_by": {"name": "Sgt. Lee", "rank": "Sergeant"}})
        assert partners["inbound"].lambda_handler(event, LambdaContext()) == {
            "batchItemFailures": []}
        return next(d for d in disclosures(table, reference)
                    if d["record_id"] == json.loads(event["Records"][0]["body"])["request_id"])

    refused = request_from_a_sergeant()  # the seeded agreement: inspector or above
    assert refused["status"] == "refused"
    assert refused["reason"] == (
        "the agreement (Avon and Somerset Housing Information Sharing Agreement) requires a "
        "request under the crime exemption to be signed off at inspector rank or above; this "
        "one was signed off at sergeant rank")
    police = next(p for p in staff.call("partners-list")[1]["partners"]
                  if p["partner_id"] == "avon-somerset-police")
    no_rank_term = {k: v for k, v in police.items()
                    if k not in ("partner_id", "version", "crime_exemption_sign_off_rank")}
    assert staff.call("partners-save-partner", path="/partners/avon-somerset-police",
                      body=no_rank_term, who=MANAGER, if_match=f'"{police["version"]}"')[0] == 200
    assert request_from_a_sergeant()["status"] == "requested"


def test_a_disclosure_from_request_to_acknowledgement(staff: Staff, partners: Any,
                                                      table: str) -> None:
    aws = partners["aws"]
    reference = staff.open_case()
    assert ask(staff, reference)[0] == 200
    (requested,) = disclosures(table, reference)
    assert requested["status"] == "requested" and waiting_on_partner_queues(aws) == 0
    status, body = staff.call("partners-list", path="/disclosures", who=MANAGER)
    assert status == 200 and [w["disclosure_id"] for w in body["waiting"]] == [
        requested["record_id"]]
    assert decide(staff, reference, requested["record_id"], True, who=("o.hughes", "officer",
                                                                       "yeovil"))[0] == 403
    assert decide(staff, reference, requested["record_id"], True)[0] == 200
    assert waiting_on_partner_queues(aws) == 0  # approved: it leaves through the outbox

    publish_approved(partners, table, reference)
    publish_approved(partners, table, reference)  # a redelivery sends nothing more
    partner = receiver(aws)
    assert partner.poll_once(wait_seconds=0) == 1 and partner.rejected == 0
    (message,) = partner.received
    jsonschema.validate(message, SCHEMA)
    assert message["case_reference"] == reference
    package_text = json.dumps(message["package"])
    assert "Alex" not in package_text and "alex.morgan" not in package_text  # the reporter
    assert waiting_on_partner_queues(aws) == 0

    deliver_inbound(partners)
    (done,) = disclosures(table, reference)
    assert done["status"] == "acknowledged" and done["acknowledged_by"] == "PC Sam Lewis"
    assert "due_kind" not in done

    status, body = staff.call("partners-disclosure-log", who=DPO, query={})
    rows = list(csv.DictReader(io.StringIO(body["csv"])))
    mine = [r for r in rows if r["case reference"] == reference]
    assert [r["step"] for r in mine] == ["requested", "approved", "sent", "acknowledged"]
    assert mine[0]["legal route"] == "Crime and Disorder Act 1998 s115"
    assert mine[0]["requesting officer (rank)"] == "o.hughes"
    assert mine[0]["why sharing is necessary"].startswith("The visit is safer")
    assert mine[2]["data disclosed"] == mine[1]["data disclosed"] != ""
    assert mine[2]["transfer method"].startswith("signed message")
    assert staff.call("partners-disclosure-log", who=MANAGER, query={})[0] == 403


def test_nothing_leaves_without_approval(staff: Staff, partners: Any, table: str) -> None:
    reference = staff.open_case()
    assert ask(staff, reference)[0] == 200
    (requested,) = disclosures(table, reference)
    assert decide(staff, reference, requested["record_id"], False)[0] == 200
    publish_approved(partners, table, reference)
    assert waiting_on_partner_queues(partners["aws"]) == 0
    status, body = decide(staff, reference, requested["record_id"], True)
    assert status == 409 and "refused" in body["message"]
    status, body = ask(staff, reference, data_categories=["reporter_details"])
    assert status == 422 and body["errors"][0]["field"] == "data_categories"
    status, body = ask(staff, reference, partner_id="nobody-at-all")
    assert status == 422 and body["errors"][0]["field"] == "partner_id"


def test_a_police_request_is_checked_recorded_and_decided(staff: Staff, partners: Any,
                                                          table: str) -> None:
    reference = staff.open_case()
    event = sample_event("partner_inbound-police-request")
    body = json.loads(event["Records"][0]["body"])
    event["Records"][0]["body"] = json.dumps({**body, "case_reference": reference})
    assert partners["inbound"].lambda_handler(event, LambdaContext()) == {"batchItemFailures": []}
    assert partners["inbound"].lambda_handler(event, LambdaContext()) == {"batchItemFailures": []}
    (request,) = disclosures(table, reference)
    assert request["direction"] == "inbound" and request["status"] == "requested"
    assert request["signed_off_by"]["rank"] == "inspector"
    assert decide(staff, reference, request["record_id"], True, who=DPO)[0] == 200
    publish_approved(partners, table, reference)
    assert receiver(partners["aws"]).poll_once(wait_seconds=0) == 1

    stranger = sample_event("partner_inbound-police-request")
    stranger["Records"][0]["attributes"]["SenderId"] = "AIDASOMEONEELSE"
    answer = partners["inbound"].lambda_handler(stranger, LambdaContext())
    assert len(answer["batchItemFailures"]) == 1  # retried, then the dead-letter queue


def test_the_log_cannot_run_formulas_in_a_spreadsheet(staff: Staff, partners: Any) -> None:
    reference = staff.open_case()
    assert ask(staff, reference, purpose="=HYPERLINK(\"http://evil.example\",\"click\")")[0] == 200
    rows = list(csv.DictReader(io.StringIO(staff.call("partners-disclosure-log", who=DPO,
                                                      query={})[1]["csv"])))
    assert rows[-1]["purpose"].startswith("'=")
