"""Tenure decides the powers: possession and demotion only against an alleged perpetrator tied to
a tenancy of the landlord's, read from the case's parties."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from asb.case.parties import PartyStatus, Role, TenancyTie, Unlinking
from asb.casework.commands import perpetrator_is_our_tenant, record_measure
from asb.casework.models import MeasureIn
from asb.kernel.errors import RuleBroken
from asb.kernel.staff import StaffMember
from asb.policy.config import TENANCY_ONLY_MEASURES, TOOLS_AND_POWERS
from tests.unit.test_parties import COMPLAINANT, a_party, folder

NOW = datetime(2026, 12, 2, 10, 0, tzinfo=UTC)
OFFICER = StaffMember("o.hughes", frozenset({"officer"}), "yeovil")
TIE = TenancyTie(reference="T-000114", uprn="100040001014")
TIED = a_party("p-2", None, Role.ALLEGED_PERPETRATOR, status=PartyStatus.PROPOSED, tenancy=TIE)
UNTIED = a_party("p-2", None, Role.ALLEGED_PERPETRATOR, status=PartyStatus.PROPOSED)


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
        record_measure(folder(COMPLAINANT, UNTIED), body(measure), OFFICER, NOW)
    change = record_measure(folder(COMPLAINANT, TIED), body(measure), OFFICER, NOW)
    assert [r.entity for r in change.records] == ["Measure"]


def test_only_an_active_alleged_perpetrators_tie_counts() -> None:
    assert perpetrator_is_our_tenant(folder(COMPLAINANT, TIED))
    assert not perpetrator_is_our_tenant(folder(COMPLAINANT, UNTIED))
    assert not perpetrator_is_our_tenant(folder(COMPLAINANT))
    unlinked = TIED.model_copy(update={"unlinked": Unlinking(reason="Wrong person", by="o.hughes",
                                                              at=NOW)})
    assert not perpetrator_is_our_tenant(folder(COMPLAINANT, unlinked))
    a_tenant_complaining = a_party("p-3", None, Role.COMPLAINANT, tenancy=TIE)
    assert not perpetrator_is_our_tenant(folder(a_tenant_complaining, UNTIED))


def test_other_tools_need_no_tenancy() -> None:
    change = record_measure(folder(COMPLAINANT, UNTIED), body("civil_injunction"), OFFICER, NOW)
    assert [r.entity for r in change.records] == ["Measure"]
