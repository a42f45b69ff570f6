"""`make outbox`: what the local service has sent - emails, SMS and letters - newest first across
channels, numbered; `make outbox N=3` prints message 3 whole."""

from __future__ import annotations

import email
import html
import json
import os
import re
import sys
import urllib.request
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import boto3

from asb.case.targets import LONDON


@dataclass(frozen=True)
class Sent:
    kind: str  # email, sms, letter
    to: str
    summary: str  # an email's subject, the start of an SMS, a letter's size
    body: str  # an email's text (from its HTML part), an SMS whole; a letter is a PDF in S3
    at: str = ""  # when it was sent (ISO); the local AWS stamps emails and SMS


def sent(endpoint: str) -> list[Sent]:
    """Newest first, across channels."""
    with urllib.request.urlopen(f"{endpoint}/moto-api/data.json", timeout=10) as answer:
        data: dict[str, Any] = json.load(answer)
    emails = [Sent("email", ", ".join(_addresses(m.get("destinations"))),
                   str(m.get("subject", "")), _text(str(m.get("body", ""))),
                   str(m.get("sent_at", "")))
              for m in data.get("ses", {}).get("Message", [])]
    emails += [raw_email(m) for m in data.get("ses", {}).get("RawMessage", [])]
    texts = [Sent("sms", str(m.get("phone_number", "")), str(m.get("message", ""))[:70],
                  str(m.get("message", "")), str(m.get("sent_at", "")))
             for m in data.get("sns", {}).get("SMS", [])]
    # Each channel is kept in the order sent: a stable sort by time, newest first, keeps that
    # order between messages stamped alike.
    messages = list(reversed(emails + texts)) + _letters(endpoint)
    return sorted(messages, key=lambda m: m.at, reverse=True)


def raw_email(sent: dict[str, Any]) -> Sent:
    """An email sent as MIME (a warning letter, its PDF attached): its text part, and the name
    of each file attached."""
    mail = email.message_from_string(str(sent.get("raw_data", "")))
    text = next((part.get_payload(decode=True) for part in mail.walk()
                 if part.get_content_type() == "text/plain"), b"")
    attached = "".join(f"\n[attached: {part.get_filename()}]\n" for part in mail.walk()
                       if part.get_filename())
    body = (text.decode() if isinstance(text, bytes) else "") + attached
    return Sent("email", ", ".join(_addresses(sent.get("destinations"))),
                str(mail["Subject"] or ""), body, str(sent.get("sent_at", "")))


def _text(body: str) -> str:
    """An email's HTML part as the text a person reads: paragraphs, line breaks, no tags."""
    if "<" not in body:
        return body
    body = re.sub(r"</p>\s*", "\n\n", body)
    body = re.sub(r"<br\s*/?>", "\n", body)
    return html.unescape(re.sub(r"<[^>]+>", "", body)).strip() + "\n"


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
        for item in objects:
            found.append(Sent("letter", f"s3://{bucket['Name']}/{item['Key']}",
                              f"{item['Size']} bytes, PDF", "", item["LastModified"].isoformat()))
    return found


def _when(at: str) -> str:
    return f"{datetime.fromisoformat(at).astimezone(LONDON):%d %b %H:%M:%S}" if at else ""


def listing(messages: list[Sent]) -> str:
    lines = [f"{n:>3}  {_when(m.at):<15}  {m.kind:<7}{m.to:<40} {m.summary}"
             for n, m in enumerate(messages, start=1)]
    return "\n".join(lines) + "\n" if lines else "nothing sent yet\n"


def whole(messages: list[Sent], number: int) -> str:
    if not 1 <= number <= len(messages):
        return f"there is no message {number}: {len(messages)} sent\n"
    m = messages[number - 1]
    heading = [f"Message {number}, {m.kind}", f"To:      {m.to}", f"Sent:    {_when(m.at)}"]
    if m.kind == "email":
        heading.append(f"Subject: {m.summary}")
    body = m.body if m.kind != "letter" else (
        f"A PDF, {m.summary.split(',')[0]}: aws s3 cp {m.to} . (with the local AWS endpoint)\n")
    return "\n".join(heading) + "\n\n" + body


def main() -> int:
    endpoint = f"http://127.0.0.1:{os.environ.get('LOCAL_AWS_PORT', '4566')}"
    number = os.environ.get("N", "").strip()
    if number and not number.isdecimal():
        sys.stderr.write(f"N is a message's number in the list, not {number!r}\n")
        return 2
    try:
        messages = sent(endpoint)
    except OSError as error:
        sys.stderr.write(f"the local service is not running ({error}); start it with make dev\n")
        return 1
    sys.stdout.write(whole(messages, int(number)) if number else listing(messages))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
