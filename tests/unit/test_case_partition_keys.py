"""`sk >= AFTER_AUDIT` reads a case's partition without its audit trail: every audit entry's key
sorts below it and every other key of the partition at or above it, as DynamoDB compares them
(UTF-8 bytes)."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from asb.dynamo import keys

REFERENCE = "ASB-2026-000001"
AT = datetime(2026, 12, 3, 9, 30, tzinfo=UTC)


def _sorts_below_after_audit(sk: str) -> bool:
    return sk.encode() < keys.AFTER_AUDIT.encode()


def _case_keys() -> list[dict[str, str]]:
    """One of every key the stores write into a case's partition."""
    made = [keys.case_key(REFERENCE), keys.report_key(REFERENCE, AT, "r-1"),
            keys.event_key(REFERENCE, AT, "e-1"), keys.party_key(REFERENCE, "p-1"),
            keys.case_home_key(REFERENCE, "100040000001"), keys.task_key(REFERENCE, "TRIAGE"),
            {keys.PK: keys.case_pk(REFERENCE), keys.SK: "NOTIFY#n-1"}]  # notifications.store
    made += [keys.record_key(REFERENCE, entity, AT, "x-1") for entity in keys._RECORD_PREFIX]
    made += [keys.record_id_key(REFERENCE, entity, "x-1") for entity in keys._UPDATED_IN_PLACE]
    return made


def test_every_audit_entry_sorts_below_and_every_other_key_above() -> None:
    assert _sorts_below_after_audit(keys.audit_key(REFERENCE, AT, "a-1")[keys.SK])
    assert _sorts_below_after_audit(keys.audit_key(REFERENCE, AT, "\uffff")[keys.SK])
    others = _case_keys()
    assert {k[keys.PK] for k in others} == {keys.case_pk(REFERENCE)}
    assert [k[keys.SK] for k in others if _sorts_below_after_audit(k[keys.SK])] == []


def test_so_does_every_key_the_layout_table_names_in_a_case_partition() -> None:
    """The module's table of every key: a kind added there is held to the same order."""
    rows = re.findall(r"^\| [^|]+\| CASE#<reference>\s*\| (\S+)", keys.__doc__ or "", re.M)
    assert len(rows) >= 15
    assert [sk for sk in rows if _sorts_below_after_audit(sk) != sk.startswith("AUDIT#")] == []
