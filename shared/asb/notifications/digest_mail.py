"""Emails each officer's digest once a day (a log item per officer and day guards the send, and
is taken back if the send fails)."""

from __future__ import annotations

from typing import Any

from asb.config import CONSOLE_CASE_PATH, CONSOLE_PATH
from asb.digest import Digest, DigestLine
from asb.notifications.render import render


class EmailDigestSender:
    def __init__(self, dynamodb: Any, table: str, sesv2: Any, sender: str, domain: str,
                 service_url: str) -> None:
        self._dynamodb = dynamodb
        self._table = table
        self._ses = sesv2
        self._sender = sender
        self._domain = domain
        self._url = service_url  # the deployment's own address: links open its console

    def send(self, digest: Digest) -> bool:
        key = {"pk": {"S": f"DIGEST#{digest.day.isoformat()}"},
               "sk": {"S": f"OFFICER#{digest.officer}"}}
        try:
            self._dynamodb.put_item(TableName=self._table, Item={
                **key, "entity": {"S": "DigestSent"}}, ConditionExpression="attribute_not_exists(pk)")
        except self._dynamodb.exceptions.ConditionalCheckFailedException:
            return False
        rendered = render("digest", "email", {
            "reference": f"digest {digest.day.isoformat()}", "officer": digest.officer,
            "day": f"{digest.day:%A %d %B}", "overdue": self._lines(digest.overdue),
            "due_today": self._lines(digest.due_today), "link": self._url + CONSOLE_PATH})
        try:
            self._ses.send_email(
                FromEmailAddress=self._sender,
                Destination={"ToAddresses": [f"{digest.officer}@{self._domain}"]},
                Content={"Simple": {"Subject": {"Data": rendered.subject},
                                    "Body": {"Text": {"Data": rendered.text},
                                             "Html": {"Data": rendered.html}}}})
        except Exception:
            # Not sent: take the day's mark back, so that the next run sends it.
            self._dynamodb.delete_item(TableName=self._table, Key=key)
            raise
        return True

    def _lines(self, lines: list[DigestLine]) -> list[dict[str, str]]:
        return [{"reference": line.reference, "what": line.what, "due": line.due,
                 "link": self._url + CONSOLE_CASE_PATH.format(reference=line.reference)}
                for line in lines]
