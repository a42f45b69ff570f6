"""The parties a case from before parties is given (asb.people.carried_over): pure, no AWS."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from asb.case.parties import Party, PartyStatus, Role
from asb.people.carried_over import (
    StoredReport,
    carried_over,
    derived_id,
    match_key_writes,
    migration_audit,
    with_matches,
)

NOW = datetime(2026, 12, 3, 9, 0, tzinfo=UTC)


def _report(report_id: str, at: str, reporter: dict[str, Any] | None = None,
            perpetrator: dict[str, Any] | None = None, key: str | None = None) -> StoredReport:
    submission: dict[str, Any] = {"anonymous": reporter is None,
                                  "perpetrator": perpetrator or {"known": False}}
    if reporter:
        submission["reporter"] = reporter
    return StoredReport(report_id, at, key, submission)


ANN = {"name": "Ann", "email": "ann@example.org", "relationship": "resident"}


def test_one_reporter_reporting_twice_is_one_complainant_from_their_first_report() -> None:
    later = _report("r2", "2026-11-02", {**ANN, "phone": "07700 900 009"}, key="k-ann")
    first = _report("r1", "2026-11-01", ANN, key="k-ann")
    case = carried_over("ASB-1", [later, first], (), NOW)
    assert [(p.report_id, p.roles, p.status) for p in case.parties] == [
        ("r1", (Role.COMPLAINANT,), PartyStatus.CONFIRMED)]
    assert case.persons[0].phone is None  # the first report's details
    assert case.parties[0].party_id == derived_id("complainant-party", "r1")


def test_a_professional_reporter_is_a_professional_complainant() -> None:
    officer = _report("r1", "2026-11-01", {"name": "PC Lee", "relationship": "agency"}, key="k")
    assert carried_over("ASB-1", [officer], (), NOW).parties[0].roles == (
        Role.COMPLAINANT, Role.PROFESSIONAL)


def test_perpetrators_are_one_per_name_and_address_and_nothing_named_makes_none() -> None:
    bob = {"known": True, "name": "Bob", "address": "12 Larch Walk", "postcode": "BA20 9ZZ"}
    reports = [_report("r1", "1", perpetrator=bob),
               _report("r2", "2", perpetrator={**bob, "name": "BOB "}),
               _report("r3", "3", perpetrator={**bob, "address": "14 Larch Walk"}),
               _report("r4", "4", perpetrator={"known": False})]
    case = carried_over("ASB-1", reports, (), NOW)
    perpetrators = [p for p in case.parties if Role.ALLEGED_PERPETRATOR in p.roles]
    assert [p.report_id for p in perpetrators] == ["r1", "r3"]
    assert {p.status for p in perpetrators} == {PartyStatus.PROPOSED}
    assert [p.person_id for p in case.parties if p.person_id is None] == [None] * 4  # anonymous


def test_parties_the_case_has_are_not_made_again() -> None:
    reports = [_report("r1", "1", ANN, key="k-ann")]
    made = carried_over("ASB-1", reports, (), NOW)
    again = carried_over("ASB-1", reports, made.parties, NOW)
    assert again.parties == () and again.persons == ()


def test_a_report_filed_since_parties_keeps_the_parties_intake_gave_it() -> None:
    bob = {"known": True, "name": "Bob", "address": "12 Larch Walk"}
    older = _report("r1", "1", ANN, perpetrator=bob, key="k-ann")
    newer = _report("r2", "2", {**ANN, "name": "Cat", "email": "cat@example.org"},
                    perpetrator=bob, key="k-cat")
    intakes = Party(party_id="from-intake", case_reference="ASB-1", person_id="someone",
                    roles=(Role.COMPLAINANT,), status=PartyStatus.CONFIRMED, report_id="r2",
                    added_at=NOW, added_by="reporter:web_form")
    case = carried_over("ASB-1", [older, newer], [intakes], NOW)
    assert [(p.report_id, p.roles) for p in case.parties] == [
        ("r1", (Role.COMPLAINANT,)), ("r1", (Role.ALLEGED_PERPETRATOR,))]


def test_matches_are_proposed_across_cases_and_with_persons_known_never_merged() -> None:
    one = carried_over("ASB-1", [_report("r1", "1", ANN, key="k")], (), NOW)
    two = carried_over("ASB-2", [_report("r2", "2", ANN, key="k")], (), NOW)
    key = match_key_writes(one)[0].key
    matched = with_matches([one, two], {key: ["known-person"]})
    first, second = (c.parties[0] for c in matched)
    assert [m.person_id for m in first.proposed_matches] == sorted(
        ["known-person", second.person_id])
    assert [m.person_id for m in second.proposed_matches] == sorted(
        ["known-person", first.person_id])
    audit = migration_audit(matched[0], NOW)
    assert (audit.action, audit.actor) == ("PartiesMigrated", "system:migration")
    assert "Ann" not in str(audit.after) and "ann@example.org" not in str(audit.after)
