"""Warning letters (ASB-REFERENCE section 5, proportionate and escalating): which tool sends which
letter, the notification that sends it, and what became of it as the delivery log tells it.

Enforcement asks for a letter and the notifications function sends it; both read this, so that
neither imports the other. The Measure item keeps the letter as asked for ("queued"): the
notifications function writes only its delivery log entry (NOTIFY#<id>), never the Measure,
which the one writer replaces whole under the case's version - a second writer there could have
its delivery overwritten by a step taken at the same moment. The case view joins the two."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from typing import Any, Final

# The tool and the letter it sends.
LETTER_OF_TOOL: Final = {"verbal_warning": "verbal", "first_written_warning": "first",
                         "final_written_warning": "final"}
# Each letter's template (asb/notifications/templates/<template>.<channel>.txt).
TEMPLATE_OF_LETTER: Final = {"verbal": "warning_verbal", "first": "warning_first",
                             "final": "warning_final"}
# The event that asks the notifications function for a letter.
WARNING_LETTER_REQUESTED: Final = "WarningLetterRequested"

# What a sent message is called, by channel: a letter goes to the print room to be posted.
_DELIVERED = {"email": "sent", "letter": "posted"}


def letter_notification_id(letter_id: str) -> str:
    """One notification per letter: a redelivered request is a replay, never a second letter."""
    return hashlib.sha256(f"warning-letter|{letter_id}".encode()).hexdigest()[:32]


def delivery(log: Mapping[str, Any] | None) -> dict[str, Any]:
    """A letter's delivery from its delivery log entry (none yet: still queued); a posted
    letter's PDF is where the print room took it from."""
    if log is None or log.get("status") not in ("sent", "failed"):
        return {"delivery": "queued"}
    if log["status"] == "failed":
        return {"delivery": "failed", "delivered_at": log.get("at")}
    channel = str(log.get("channel"))
    sent: Mapping[str, Any] = next((a for a in log.get("attempts") or [] if a.get("status") == "sent"), {})
    return {"delivery": _DELIVERED.get(channel, "sent"), "delivered_at": log.get("at"),
            **({"document_key": sent.get("provider_id")} if channel == "letter" else {})}


def with_delivery(measure: Mapping[str, Any],
                  logs: Mapping[str, Mapping[str, Any]]) -> dict[str, Any]:
    """A Measure item with each letter's delivery from the delivery log (by notification id)."""
    letters = measure.get("letters")
    if not letters:
        return dict(measure)
    return {**measure, "letters": [
        {**letter, **delivery(logs.get(str(letter.get("notification_id"))))}
        for letter in letters]}
