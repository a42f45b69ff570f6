"""A partner's reference receiver: what a partner's developer would start from.

It reads the partner's queue, checks each message's signature with the landlord's public key
(ECDSA P-256 over "schema, message id, SHA-256 of the body"), skips one it has seen, and
acknowledges on the landlord's inbound queue. A message whose signature does not check is left on
the queue, so after its retries it lands in the partner's dead-letter queue, never read as true.

Locally, with `make dev` running:  make receiver PARTNER=constabulary
It needs boto3 and `cryptography`; nothing from the service itself.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import json
import os
import sys
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import boto3
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec

SCHEMA = "asb-disclosure/1"
# The local runtime's partners: queue name -> (partner id, who acknowledges).
LOCAL_PARTNERS = {
    "constabulary": ("avon-somerset-police", "PC Sam Lewis"),
    "council": ("south-somerset-council", "Jo Baxter"),
    "mediation": ("west-mediation", "Ali Khan"),
    "support": ("victim-support", "Dee Marsh"),
}


def verify(body: str, attributes: dict[str, str], public_key_der: bytes) -> bool:
    """True only if the body is exactly what the landlord signed."""
    if attributes.get("schema") != SCHEMA or attributes.get("algorithm") != "ECDSA_SHA_256":
        return False
    digest = hashlib.sha256(body.encode()).hexdigest()
    statement = f"{SCHEMA}\n{attributes.get('message_id', '')}\n{digest}".encode()
    key = serialization.load_der_public_key(public_key_der)
    if not isinstance(key, ec.EllipticCurvePublicKey):
        return False
    try:
        key.verify(base64.b64decode(attributes.get("signature", "")), statement,
                   ec.ECDSA(hashes.SHA256()))
    except (InvalidSignature, ValueError):
        return False
    message = json.loads(body)
    return bool(message.get("message_id") == attributes.get("message_id"))


@dataclass
class Receiver:
    sqs: Any
    queue_url: str
    inbound_url: str
    public_key_der: bytes
    partner_id: str
    officer: str
    seen: set[str] = field(default_factory=set)
    received: list[dict[str, Any]] = field(default_factory=list)
    rejected: int = 0

    def poll_once(self, wait_seconds: int = 1) -> int:
        """Reads what is waiting; returns how many messages were accepted."""
        answer = self.sqs.receive_message(QueueUrl=self.queue_url, MaxNumberOfMessages=10,
                                          WaitTimeSeconds=wait_seconds,
                                          MessageAttributeNames=["All"])
        accepted = 0
        for message in answer.get("Messages", []):
            attributes = {name: value["StringValue"] for name, value in
                          message.get("MessageAttributes", {}).items()}
            if not verify(message["Body"], attributes, self.public_key_der):
                self.rejected += 1  # left for the dead-letter queue
                continue
            body = json.loads(message["Body"])
            if body["message_id"] not in self.seen:
                self.seen.add(body["message_id"])
                self.received.append(body)
                if body.get("type") != "action_chase":  # a chase is answered by action_update
                    self._acknowledge(body)
                accepted += 1
            self.sqs.delete_message(QueueUrl=self.queue_url,
                                    ReceiptHandle=message["ReceiptHandle"])
        return accepted

    def _acknowledge(self, body: dict[str, Any]) -> None:
        self.sqs.send_message(QueueUrl=self.inbound_url, MessageBody=json.dumps({
            "type": "acknowledgement", "partner_id": self.partner_id,
            "case_reference": body["case_reference"], "disclosure_id": body["message_id"],
            "received_at": datetime.now(UTC).isoformat(), "received_by": self.officer}))


def local_receiver(queue: str, endpoint: str, stack: str = "asb-local") -> Receiver:
    """A receiver for one of the local runtime's partners, on its local AWS."""
    session = boto3.Session(region_name="eu-west-2")
    sqs = session.client("sqs", endpoint_url=endpoint)
    kms = session.client("kms", endpoint_url=endpoint)
    logical = {"constabulary": "Constabulary", "council": "Council", "mediation": "Mediation",
               "support": "Support"}[queue]
    partner_id, officer = LOCAL_PARTNERS[queue]
    public_key = kms.get_public_key(KeyId=f"alias/{stack}-disclosure-signing")["PublicKey"]
    return Receiver(
        sqs=sqs, queue_url=sqs.get_queue_url(QueueName=f"{stack}-{logical}Queue")["QueueUrl"],
        inbound_url=sqs.get_queue_url(QueueName=f"{stack}-PartnerInboundQueue")["QueueUrl"],
        public_key_der=public_key, partner_id=partner_id, officer=officer)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="A partner's reference receiver.")
    parser.add_argument("--partner", default=os.environ.get("PARTNER", "constabulary"),
                        choices=sorted(LOCAL_PARTNERS))
    parser.add_argument("--endpoint", default=os.environ.get(
        "AWS_ENDPOINT_URL", f"http://127.0.0.1:{os.environ.get('LOCAL_AWS_PORT', '4566')}"))
    parser.add_argument("--once", action="store_true", help="read what is waiting, then stop")
    args = parser.parse_args(argv)
    os.environ.setdefault("AWS_ACCESS_KEY_ID", "partner")
    os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "partner")
    receiver = local_receiver(args.partner, args.endpoint)
    print(f"reading {receiver.queue_url} as {receiver.partner_id} (Ctrl-C to stop)")
    while True:
        try:
            before = len(receiver.received)
            receiver.poll_once(wait_seconds=1 if args.once else 5)
            for body in receiver.received[before:]:
                if body.get("type") == "action_chase":  # answered with an action_update
                    print(f"{body['sent_at']}  {body['case_reference']}  verified, a chase: "
                          f"action {body['action']['action_id']} was due {body['action']['due_on']}")
                    continue
                package = body["package"]
                print(f"{body['sent_at']}  {body['case_reference']}  verified, acknowledged  "
                      f"({', '.join(package['data_categories'])})")
            if args.once:
                return 0
        except KeyboardInterrupt:
            return 0
        time.sleep(0.2)


if __name__ == "__main__":
    sys.exit(main())
