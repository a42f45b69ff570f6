"""In-memory stand-ins for the DynamoDB adapters, for fast tests of the domain services."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime

from asb.intake import IdempotencyRecord, Lookup, Matter, MatterChanged
from asb.models.case import JoinedReport, OpenedCase


class InMemoryIntakeStore:
    def __init__(self) -> None:
        self.sequences: dict[int, int] = defaultdict(int)
        self.opened: list[OpenedCase] = []
        self.joined: list[JoinedReport] = []
        self.records: dict[str, IdempotencyRecord] = {}
        self.matters: dict[str, Matter] = {}
        # A reporter's own reference -> (case reference, report id), as the table keeps it.
        self.report_references: dict[str, tuple[str, str]] = {}

    def look_up(self, key_hash: str | None, matter_keys: list[str], now: datetime) -> Lookup:
        record = self.records.get(key_hash) if key_hash else None
        live = record if record and record.expires_at > now else None
        return Lookup(live, {k: self.matters[k] for k in matter_keys if k in self.matters})

    def next_reference_sequence(self, year: int) -> int:
        self.sequences[year] += 1
        return self.sequences[year]

    def _hold(self, idempotency: IdempotencyRecord | None, now: datetime) -> IdempotencyRecord | None:
        if idempotency:
            held = self.look_up(idempotency.key_hash, [], now).record
            if held:
                return held
            self.records[idempotency.key_hash] = idempotency
        return None

    def save_opened_case(
        self, opened: OpenedCase, idempotency: IdempotencyRecord | None, now: datetime
    ) -> IdempotencyRecord | None:
        if any(self.matters.get(k, Matter("", False)).open for k in opened.case.matter_keys):
            raise MatterChanged()
        held = self._hold(idempotency, now)
        if held:
            return held
        self.opened.append(opened)
        self._resolve(opened.report.public_reference, opened.case.reference,
                      opened.report.report_id)
        for key in opened.case.matter_keys:
            self.matters[key] = Matter(opened.case.reference, True)
        return None

    def save_joined_report(
        self, joined: JoinedReport, idempotency: IdempotencyRecord | None, now: datetime
    ) -> IdempotencyRecord | None:
        matter = self.matters.get(joined.matter_key)
        if not matter or not matter.open or matter.case_reference != joined.case_reference:
            raise MatterChanged()
        held = self._hold(idempotency, now)
        if held:
            return held
        self.joined.append(joined)
        self._resolve(joined.report.public_reference, joined.case_reference,
                      joined.report.report_id)
        return None

    def _resolve(self, reference: str, case_reference: str, report_id: str) -> None:
        assert reference not in self.report_references, "a reference is never given twice"
        self.report_references[reference] = (case_reference, report_id)

    def close(self, reference: str) -> None:
        for key, matter in self.matters.items():
            if matter.case_reference == reference:
                self.matters[key] = Matter(reference, False)
