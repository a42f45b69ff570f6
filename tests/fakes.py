"""In-memory stand-ins for the DynamoDB adapters, for fast tests of the domain services."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime

from asb.intake import IdempotencyRecord
from asb.models.case import OpenedCase


class InMemoryIntakeStore:
    def __init__(self) -> None:
        self.sequences: dict[int, int] = defaultdict(int)
        self.opened: list[OpenedCase] = []
        self.records: dict[str, IdempotencyRecord] = {}

    def find_idempotency_record(self, key_hash: str, now: datetime) -> IdempotencyRecord | None:
        record = self.records.get(key_hash)
        return record if record and record.expires_at > now else None

    def next_case_sequence(self, year: int) -> int:
        self.sequences[year] += 1
        return self.sequences[year]

    def save_opened_case(
        self, opened: OpenedCase, idempotency: IdempotencyRecord | None, now: datetime
    ) -> IdempotencyRecord | None:
        if idempotency:
            held = self.find_idempotency_record(idempotency.key_hash, now)
            if held:
                return held
            self.records[idempotency.key_hash] = idempotency
        self.opened.append(opened)
        return None
