"""Tenure decides the powers: possession and demotion only against an alleged perpetrator tied to
a tenancy of the landlord's, read from the case's parties."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import UTC, date, datetime

import pytest

from asb.case.homes import Tenancy, TenancyType, Tenant
from asb.case.parties import PartyStatus, Role, TenancyTie, Unlinking
from asb.case.powers import perpetrator_is_our_tenant
from asb.enforcement.measures import record_measure
from asb.enforcement.models import MeasureIn
from asb.kernel.errors import RuleBroken
from asb.kernel.staff import StaffMember
from asb.people.models import TenancyTieIn
from asb.people.parties import tie_to_tenancy
from asb.policy.config import TENANCY_ONLY_MEASURES, TOOLS_AND_POWERS
from tests.fakes import FakeHomesRegister
from tests.unit.test_parties import COMPLAINANT, a_party, folder

NOW = datetime(2026, 12, 2, 10, 0, tzinfo=UTC)
OFFICER = StaffMember("o.hughes", frozenset({"officer"}), "yeovil")
TIE = TenancyTie(reference="T-000114", uprn="100040001014")
TIED = a_party("p-2", None, Role.ALLEGED_PERPETRATOR, status=PartyStatus.PROPOSED, tenancy=TIE)
UNTIED = a_party("p-2", None, Role.ALLEGED_PERPETRATOR, status=PartyStatus.PROPOSED)
TODAY = date(2026, 12, 2)
TENANCY = Tenancy(TIE.reference, TIE.uprn, TenancyType.SECURE, date(2019, 4, 1),
                  (Tenant("Sam Carter"),))
REGISTER = FakeHomesRegister(tenancies=[TENANCY])


def body(measure: str) -> MeasureIn:
    return MeasureIn(measure=measure, rationale="Warnings and an injunction have not stopped it.",
                     equality_impact="No known disability in the household; support offered.")


def test_the_catalogue_marks_possession_and_demotion_as_needing_a_tenancy() -> None:
    needing = {"possession_ground_14", "possession_absolute_ground", "demoted_tenancy"}
    assert needing == TENANCY_ONLY_MEASURES
    assert set(TOOLS_AND_POWERS) >= needing


@pytest.mark.parametrize("measure", sorted(TENANCY_ONLY_MEASURES))
def test_a_tenancy_only_power_is_refused_in_words_without_a_tied_perpetrator(measure: str) -> None:
    with pytest.raises(RuleBroken, match="only open against a tenant of ours"):
        record_measure(folder(COMPLAINANT, UNTIED), body(measure), OFFICER, NOW,
                       register=REGISTER)
    change = record_measure(folder(COMPLAINANT, TIED), body(measure), OFFICER, NOW,
                            register=REGISTER)
    assert [r.entity for r in change.records] == ["Measure"]


def test_only_an_active_alleged_perpetrators_tie_counts() -> None:
    assert perpetrator_is_our_tenant(folder(COMPLAINANT, TIED), REGISTER, TODAY)
    assert not perpetrator_is_our_tenant(folder(COMPLAINANT, UNTIED), REGISTER, TODAY)
    assert not perpetrator_is_our_tenant(folder(COMPLAINANT), REGISTER, TODAY)
    unlinked = TIED.model_copy(update={"unlinked": Unlinking(reason="Wrong person", by="o.hughes",
                                                              at=NOW)})
    assert not perpetrator_is_our_tenant(folder(COMPLAINANT, unlinked), REGISTER, TODAY)
    a_tenant_complaining = a_party("p-3", None, Role.COMPLAINANT, tenancy=TIE)
    assert not perpetrator_is_our_tenant(folder(a_tenant_complaining, UNTIED), REGISTER, TODAY)


def test_other_tools_need_no_tenancy() -> None:
    change = record_measure(folder(COMPLAINANT, UNTIED), body("civil_injunction"), OFFICER, NOW)
    assert [r.entity for r in change.records] == ["Measure"]


@pytest.mark.parametrize("measure", sorted(TENANCY_ONLY_MEASURES))
def test_a_tie_counts_only_while_the_register_says_the_tenancy_is_current(measure: str) -> None:
    ended = FakeHomesRegister(tenancies=[replace(TENANCY, end_date=TODAY)])  # not current today
    for register in (ended, FakeHomesRegister(), None):  # ended, gone, no register read
        with pytest.raises(RuleBroken, match="current today"):
            record_measure(folder(COMPLAINANT, TIED), body(measure), OFFICER, NOW,
                           register=register)
    assert perpetrator_is_our_tenant(folder(COMPLAINANT, TIED), ended, date(2026, 12, 1))


def test_a_party_is_tied_only_to_a_current_tenancy() -> None:
    before = Tenancy("T-000014", TIE.uprn, TenancyType.ASSURED, date(2011, 1, 10),
                     (Tenant("Jo Reed"),), end_date=date(2025, 5, 30))
    later = Tenancy("T-000214", TIE.uprn, TenancyType.STARTER, date(2027, 1, 4),
                    (Tenant("Lee Ross"),))
    register = FakeHomesRegister(tenancies=[TENANCY, before, later])
    for tenancy, said in ((before, "it ended on 2025-05-30"), (later, "it starts on 2027-01-04")):
        with pytest.raises(RuleBroken, match=re.escape(f"{tenancy.reference} is not current ({said})")):
            tie_to_tenancy(folder(COMPLAINANT, UNTIED), "p-2", register,
                           TenancyTieIn(tenancy_reference=tenancy.reference), OFFICER, NOW)
    change = tie_to_tenancy(folder(COMPLAINANT, UNTIED), "p-2", register,
                            TenancyTieIn(tenancy_reference=TENANCY.reference), OFFICER, NOW)
    assert change.parties[0].party.tenancy == TIE
