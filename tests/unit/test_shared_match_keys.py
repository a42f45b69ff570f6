"""A match key many persons share: intake proposes the most recent few and trims the key to the
most recent, from the order a match key item's persons are read in (asb.dynamo.party_items)."""

from __future__ import annotations

from asb.case.parties import MatchReason
from asb.case.report_parties import (
    PERSONS_PER_MATCH_KEY,
    PROPOSED_MATCHES_PER_PARTY,
    report_parties,
    wanted_match_keys,
)
from asb.dynamo.party_items import matched_persons
from tests.unit.test_parties import NOW, a_submission, new_ids


def test_a_key_item_reads_officers_persons_first_then_the_most_recently_added() -> None:
    item = {"pk": "MATCHKEY#phone:x", "sk": "MATCHKEY", "entity": "MatchKey",
            "person:old": "2026-01-01T09:00:00+00:00", "person:officers": True,
            "person:new": "2026-12-01T09:00:00+00:00"}
    assert matched_persons(item) == ["officers", "new", "old"]


def test_a_party_proposes_the_most_recent_persons_and_the_oldest_leave_the_key() -> None:
    submission = a_submission()
    email, phone = wanted_match_keys(submission, None)
    known = [f"person-{n:02d}" for n in range(30)]  # most recent first, as read
    made = report_parties(submission, "ASB-2026-000001", "r-1", False, None,
                          {phone: known, email: ["person-29"]}, "reporter:api", NOW, new_ids())

    (complainant,) = made.parties
    proposed = {m.person_id: m.reasons for m in complainant.proposed_matches}
    assert set(proposed) == set(known[:PROPOSED_MATCHES_PER_PARTY - 1]) | {"person-29"}
    assert proposed["person-29"] == (MatchReason.SAME_EMAIL, MatchReason.SAME_PHONE)
    by_key = {k.key: k for k in made.match_keys}
    assert by_key[phone].removed == tuple(known[PERSONS_PER_MATCH_KEY - 1:])
    assert by_key[phone].added == (complainant.person_id,) and by_key[phone].added_at == NOW
    assert by_key[email].removed == ()

