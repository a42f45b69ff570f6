"""Emails each officer's digest once a day (a log item per officer and day guards the send, and
is taken back if the send fails)."""

from __future__ import annotations

from typing import Any

from asb.case.targets import long_date
from asb.due_work.digest import Digest, DigestLine
from asb.notifications.render import Rendered, render
from asb.policy.config import CONSOLE_CASE_PATH, CONSOLE_PATH


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
        rendered = digest_email(digest, self._url)
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


def digest_email(digest: Digest, service_url: str) -> Rendered:
    """The digest in words, each line linking to its case in the console at `service_url`."""
    def lines(found: list[DigestLine]) -> list[dict[str, str]]:
        return [{"reference": line.reference, "what": line.what, "due": line.due,
                 "link": service_url + CONSOLE_CASE_PATH.format(reference=line.reference)}
                for line in found]

    return render("digest", "email", {
        "officer": digest.officer, "day": long_date(digest.day), "overdue": lines(digest.overdue),
        "due_today": lines(digest.due_today), "link": service_url + CONSOLE_PATH})
