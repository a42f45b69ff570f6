"""Retention's erase plan for a case's parties (asb.case.retention): a party keeps its roles and
loses its person, tenancy, proposed matches and the reason it was unlinked; each party's person is
listed for the store to drop the party from their partition and, with none left, the person."""

from __future__ import annotations

from datetime import UTC, datetime

from asb.case.parties import (
    MatchReason,
    Party,
    PartyStatus,
    ProposedMatch,
    Role,
    TenancyTie,
    Unlinking,
)
from asb.case.retention import ERASED, ItemErasure, PartyOfPerson, StoredCase, erase_plan
from tests.unit.test_erase_plan import AS_OF, REFERENCE, closed_case


def test_a_party_keeps_its_roles_and_loses_its_person_tenancy_matches_and_reason() -> None:
    at = datetime(2026, 11, 3, tzinfo=UTC)
    tied = Party(party_id="p1", case_reference=REFERENCE, person_id="person-1",
                 roles=(Role.ALLEGED_PERPETRATOR,), status=PartyStatus.CONFIRMED,
                 tenancy=TenancyTie(reference="T-1", uprn="100040001014"),
                 proposed_matches=(ProposedMatch(person_id="person-9", reasons=(MatchReason.SAME_EMAIL,)),),
                 added_at=at, added_by="staff:o.hughes")
    unlinked = Party(party_id="p2", case_reference=REFERENCE, person_id="person-2",
                     roles=(Role.WITNESS,), status=PartyStatus.PROPOSED,
                     unlinked=Unlinking(reason="Alex Morgan moved away in May", by="o.hughes",
                                        at=at), added_at=at, added_by="staff:o.hughes")
    anonymous = Party(party_id="p3", case_reference=REFERENCE, person_id=None,
                      roles=(Role.COMPLAINANT,), status=PartyStatus.CONFIRMED, added_at=at,
                      added_by="reporter:web_form")
    plan = erase_plan(StoredCase(closed_case(), (), (), (tied, unlinked, anonymous)), AS_OF,
                      "audit-1")
    erasures = {i.sort_key: i for i in plan.items if i.sort_key.startswith("PARTY#")}
    removed = ("person_id", "tenancy", "proposed_matches", "vulnerability")
    assert erasures["PARTY#p1"] == ItemErasure(sort_key="PARTY#p1", remove=removed)
    assert erasures["PARTY#p2"].overwrite == {"unlinked": {"reason": ERASED, "by": "o.hughes",
                                                           "at": "2026-11-03T00:00:00Z"}}
    assert plan.party_persons == (PartyOfPerson("person-1", "p1", "T-1"),
                                  PartyOfPerson("person-2", "p2", None))
