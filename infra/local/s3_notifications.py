"""S3's ObjectCreated notifications, locally: moto stores an object but tells no function of it,
so whoever put the object asks the runtime to deliver the event (`make import-homes`, the
fictional landlord at start). The runtime invokes each function whose S3 trigger in
template.yaml names that bucket and whose prefix and suffix rules the key meets, with the event
S3 would send, at once and in the asker's sight: the import's report comes back to the command
that put the file. A poller listing the bucket would deliver the same event later and alone.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote_plus

from infra.local.functions import LocalFunction
from infra.local.resources import REGION, LocalResources
from infra.local.template import Trigger


def object_created(bucket: str, key: str, size: int, configuration: str) -> dict[str, Any]:
    """The event S3 sends a function for one object put (the key URL-encoded, as S3 sends it)."""
    return {"Records": [{
        "eventVersion": "2.1", "eventSource": "aws:s3", "awsRegion": REGION,
        "eventTime": datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z"),
        "eventName": "ObjectCreated:Put",
        "userIdentity": {"principalId": "AWS:local"},
        "requestParameters": {"sourceIPAddress": "127.0.0.1"},
        "responseElements": {"x-amz-request-id": "local", "x-amz-id-2": "local"},
        "s3": {"s3SchemaVersion": "1.0", "configurationId": configuration,
               "bucket": {"name": bucket, "ownerIdentity": {"principalId": "local"},
                          "arn": f"arn:aws:s3:::{bucket}"},
               "object": {"key": quote_plus(key, safe="/"), "size": size,
                          "sequencer": f"{datetime.now(UTC).timestamp():f}"}}}]}


def wants(trigger: Trigger, resources: LocalResources, bucket: str, key: str) -> bool:
    """The trigger is an S3 one on this bucket for created objects, and the key meets its
    prefix and suffix rules."""
    if trigger.kind != "S3" or resources.resolve(trigger.properties["Bucket"]) != bucket:
        return False
    events = trigger.properties["Events"]
    if not any(e in ("s3:ObjectCreated:*", "s3:ObjectCreated:Put")
               for e in (events if isinstance(events, list) else [events])):
        return False
    rules = trigger.properties.get("Filter", {}).get("S3Key", {}).get("Rules", [])
    tests = {"prefix": key.startswith, "suffix": key.endswith}
    return all(tests[rule["Name"].lower()](rule["Value"]) for rule in rules)


def deliver(functions: list[LocalFunction], resources: LocalResources, bucket: str, key: str,
            size: int) -> list[dict[str, Any]]:
    """Each interested function invoked with the event; what each answered."""
    answers = []
    for function in functions:
        for trigger in function.spec.triggers:
            if wants(trigger, resources, bucket, key):
                event = object_created(bucket, key, size,
                                       f"{function.spec.logical_id}{trigger.name}")
                answers.append({"function": function.spec.logical_id,
                                "result": function.invoke(event, f"s3:{key}")})
    return answers
