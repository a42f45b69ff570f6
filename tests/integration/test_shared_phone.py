"""A phone many reporters share (a family, an agency's switchboard), through intake from events/
against moto: each new party proposes only the most recent few persons known under it, and its
match key item keeps only the most recent persons, so neither grows with every report."""

from __future__ import annotations

import json
from types import ModuleType
from typing import Any

from asb.case.people import phone_key
from asb.case.report_parties import PERSONS_PER_MATCH_KEY, PROPOSED_MATCHES_PER_PARTY
from tests.conftest import LambdaContext, sample_event
from tests.integration.helpers import table_items


def reporter_numbered(n: int) -> dict[str, Any]:
    """The sample report, from a reporter of their own (their own email) on the same phone."""
    event = sample_event("intake-valid-json")
    event["headers"].pop("Idempotency-Key", None)
    data = json.loads(event["body"])
    data["reporter"]["email"] = f"reporter{n}@example.org"
    event["body"] = json.dumps(data)
    return event


def test_thirty_reporters_on_one_phone_propose_and_keep_a_bounded_number(
        intake: ModuleType, table: str) -> None:
    phone = json.loads(sample_event("intake-valid-json")["body"])["reporter"]["phone"]
    for n in range(30):
        answer = intake.lambda_handler(reporter_numbered(n), LambdaContext())
        assert answer["statusCode"] in (200, 201, 202), answer

    items = table_items(table)
    key = next(i for i in items if i["pk"] == f"MATCHKEY#phone:{phone_key(phone)}")
    assert sum(1 for name in key if name.startswith("person:")) == PERSONS_PER_MATCH_KEY
    complainants = [i for i in items if i.get("entity") == "Party"
                    and "complainant" in i["roles"]]
    assert len(complainants) == 30
    proposed = sorted(len(p.get("proposed_matches", [])) for p in complainants)
    assert proposed[-1] == PROPOSED_MATCHES_PER_PARTY  # the later ones still see a match
    assert proposed[:PROPOSED_MATCHES_PER_PARTY + 1] == list(range(PROPOSED_MATCHES_PER_PARTY + 1))
