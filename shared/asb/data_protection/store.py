"""What the data protection officer reads: a person's reports through the PERSON# lookups, and
reads of personal data by who made them (AccessByActor) or by case; and the subject access
requests, each in its own partition with its audit, open ones on the DueWork index."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from botocore.exceptions import ClientError

from asb.case.parties import Person
from asb.case.tasks import SUBJECT_ACCESS
from asb.data_protection.requests import REQUEST_CHANGED, RequestStep, SubjectAccessRequest
from asb.data_protection.subject_access import Holding
from asb.dynamo import keys
from asb.dynamo.codec import from_item, to_item
from asb.dynamo.due_work import waiting
from asb.dynamo.paging import query_pages
from asb.dynamo.party_items import matched_persons, person_from_item
from asb.dynamo.transactions import cancelled, put_audit
from asb.kernel.errors import VersionConflict

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient
    from mypy_boto3_dynamodb.type_defs import PutTypeDef


class DynamoDBDataProtectionStore:
    def __init__(self, client: DynamoDBClient, table_name: str) -> None:
        self._client = client
        self._table = table_name

    def _query(self, **arguments: Any) -> list[dict[str, Any]]:
        found: list[dict[str, Any]] = []
        for page in query_pages(self._client, TableName=self._table, **arguments):
            found += [from_item(i) for i in page["Items"]]
        return found

    def holdings(self, person_keys: list[str]) -> list[Holding]:
        found: dict[tuple[str, str, str], Holding] = {}
        for key in person_keys:
            for item in self._query(KeyConditionExpression="pk = :pk",
                                    ExpressionAttributeValues=to_item({":pk": f"PERSON#{key}"})):
                holding = Holding(item["case_reference"], item["report_id"], item["role"])
                found[(holding.case_reference, holding.report_id, holding.role)] = holding
        return sorted(found.values(), key=lambda h: (h.case_reference, h.report_id))

    def persons_under(self, person_keys: list[str]) -> list[str]:
        """The persons the match keys of these hashes name (an email's or a phone's: the same
        hashes the person lookups use), in BatchGetItems of up to 100 keys."""
        wanted = [keys.match_key(f"{kind}:{key}") for key in dict.fromkeys(person_keys)
                  for kind in ("email", "phone")]
        found: set[str] = set()
        for start in range(0, len(wanted), 100):
            request: Any = {self._table: {"Keys": [to_item(k) for k in wanted[start:start + 100]],
                                          "ConsistentRead": True}}
            while request:
                answer = self._client.batch_get_item(RequestItems=request)
                for item in answer["Responses"].get(self._table, []):
                    found.update(matched_persons(from_item(item)))
                request = answer.get("UnprocessedKeys") or None
        return sorted(found)

    def person(self, person_id: str) -> Person | None:
        answer = self._client.get_item(TableName=self._table, ConsistentRead=True,
                                       Key=to_item(keys.person_record_key(person_id)))
        return person_from_item(from_item(answer["Item"])) if "Item" in answer else None

    def parties_of(self, person_id: str) -> list[tuple[str, str]]:
        """Each (case reference, party id) the person is a party of, from their own partition."""
        return sorted((str(i["case_reference"]), str(i["party_id"])) for i in self._query(
            KeyConditionExpression="pk = :pk AND begins_with(sk, :party)", ConsistentRead=True,
            ExpressionAttributeValues=to_item({":pk": keys.person_pk(person_id),
                                               ":party": "PARTY#"})))

    def reads_by(self, actor: str, since: str) -> list[dict[str, Any]]:
        return self._query(IndexName=keys.ACCESS_BY_ACTOR,
                           KeyConditionExpression="access_actor = :actor AND #at >= :since",
                           ExpressionAttributeNames={"#at": "at"},
                           ExpressionAttributeValues=to_item({":actor": actor,
                                                              ":since": since}))

    def reads_of_case(self, reference: str, since: str) -> list[dict[str, Any]]:
        """Reads of the case from `since` (isoformat, as the audit keys write it): the key
        condition bounds what is read; the filter only drops the changes among them."""
        return self._query(KeyConditionExpression="pk = :pk AND sk BETWEEN :since AND :end",
                           FilterExpression="attribute_exists(access_actor)",
                           ExpressionAttributeValues=to_item({
                               ":pk": keys.case_pk(reference),
                               ":since": f"{keys.AUDIT_PREFIX}{since}",
                               ":end": keys.AFTER_AUDIT}))

    # ------------------------------------------------------------------ subject access requests
    def subject_access_request(self, reference: str) -> SubjectAccessRequest | None:
        answer = self._client.get_item(TableName=self._table, ConsistentRead=True,
                                       Key=to_item(keys.subject_access_key(reference)))
        item = answer.get("Item")
        return SubjectAccessRequest.model_validate(from_item(item)) if item else None

    def open_subject_access_requests(self) -> list[SubjectAccessRequest]:
        """Every request not yet released, due soonest first, from the DueWork index."""
        found = waiting(self._client, self._table, [SUBJECT_ACCESS, f"{SUBJECT_ACCESS}:escalated"])
        return [SubjectAccessRequest.model_validate(i) for i in found]

    def write_request(self, step: RequestStep) -> None:
        """The request and its audit entry in one transaction, on condition that the request is
        as read: at its version and where it was on the DueWork index (the sweep moves it)."""
        request = step.request
        record = request.model_dump(mode="json", exclude_none=True)
        if request.due_at is not None:  # as every DueWork item has it, for the sweep's query
            record["due_at"] = request.due_at.isoformat()
        put: PutTypeDef = {"TableName": self._table, "Item": to_item({
            **record, **keys.subject_access_key(request.reference),
            keys.ENTITY: "SubjectAccessRequest"})}
        if step.expected_version is None:
            put["ConditionExpression"] = "attribute_not_exists(pk)"
        else:
            put["ConditionExpression"] = "version = :version AND " + (
                "due_kind = :due_kind" if step.expected_due_kind
                else "attribute_not_exists(due_kind)")
            put["ExpressionAttributeValues"] = to_item({
                ":version": step.expected_version,
                **({":due_kind": step.expected_due_kind} if step.expected_due_kind else {})})
        audit = step.audit
        try:
            self._client.transact_write_items(TransactItems=[{"Put": put},
                                                             put_audit(self._table, audit)])
        except ClientError as error:
            if cancelled(error) is not None:
                raise VersionConflict(REQUEST_CHANGED) from None
            raise
