"""`make outbox`: what the local service has sent - emails, SMS and letters - newest first."""

from __future__ import annotations

import json
import os
import sys
import urllib.request
from dataclasses import dataclass
from typing import Any

import boto3


@dataclass(frozen=True)
class Sent:
    kind: str  # email, sms, letter
    to: str
    summary: str
    body: str


def sent(endpoint: str) -> list[Sent]:
    """Newest first. moto keeps emails and SMS in the order sent; letters carry their time."""
    with urllib.request.urlopen(f"{endpoint}/moto-api/data.json", timeout=10) as answer:
        data: dict[str, Any] = json.load(answer)
    emails = [Sent("email", ", ".join(_addresses(m.get("destinations"))),
                   str(m.get("subject", "")), str(m.get("body", "")))
              for m in data.get("ses", {}).get("Message", [])]
    texts = [Sent("sms", str(m.get("phone_number", "")), str(m.get("message", ""))[:70],
                  str(m.get("message", ""))) for m in data.get("sns", {}).get("SMS", [])]
    messages = list(reversed(emails + texts))
    return messages + _letters(endpoint)


def _addresses(destinations: Any) -> list[str]:
    if isinstance(destinations, dict):
        return [a for values in destinations.values() for a in (values or [])]
    return [str(d) for d in destinations or []]


def _letters(endpoint: str) -> list[Sent]:
    s3 = boto3.client("s3", endpoint_url=endpoint, region_name="eu-west-2",
                      aws_access_key_id="local", aws_secret_access_key="local")  # noqa: S106
    found = []
    for bucket in s3.list_buckets().get("Buckets", []):
        if "letters" not in bucket["Name"].lower():
            continue
        objects = s3.list_objects_v2(Bucket=bucket["Name"], Prefix="letters/").get("Contents", [])
        for item in sorted(objects, key=lambda o: o["LastModified"], reverse=True):
            found.append(Sent("letter", f"s3://{bucket['Name']}/{item['Key']}",
                              f"{item['Size']} bytes, PDF", ""))
    return found


def main() -> int:
    endpoint = f"http://127.0.0.1:{os.environ.get('LOCAL_AWS_PORT', '4566')}"
    try:
        messages = sent(endpoint)
    except OSError as error:
        sys.stderr.write(f"the local service is not running ({error}); start it with make dev\n")
        return 1
    for message in messages:
        sys.stdout.write(f"{message.kind:<7}{message.to:<40} {message.summary}\n")
    if not messages:
        sys.stdout.write("nothing sent yet\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
