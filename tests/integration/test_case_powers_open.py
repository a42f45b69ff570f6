"""The staff case view says which tools and powers the landlord may record on the case
(`powers_open`), read through the case queries handler on moto with the homes register: the
console builds its tool picker from it, so it never offers what the API would refuse."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from types import ModuleType

import pytest

from asb.policy.config import PARTNER_POWERS, TENANCY_ONLY_MEASURES
from tests.integration.helpers import Staff
from tests.integration.test_tenure_powers import about_our_tenant, end_tenancy
from tests.landlords_homes import TENANCY_14


@pytest.fixture
def triage(load_handler: Callable[[str], ModuleType]) -> ModuleType:
    return load_handler("TriageFunction")


def powers(staff: Staff, reference: str) -> set[str]:
    status, view = staff.get(reference)
    assert status == 200, view
    return set(view["case"]["powers_open"])


def test_possession_and_demotion_are_open_against_our_tenant_and_no_partners_power(
        intake: ModuleType, triage: ModuleType, homes: str, table: str, staff: Staff) -> None:
    reference = about_our_tenant(intake, triage, table)
    opened = powers(staff, reference)
    assert opened >= TENANCY_ONLY_MEASURES
    assert {"civil_injunction", "acceptable_behaviour_agreement"} <= opened
    assert not PARTNER_POWERS & opened


def test_possession_and_demotion_are_not_open_against_someone_not_our_tenant(
        staff: Staff) -> None:
    reference = staff.open_case()  # the alleged perpetrator described in words only
    opened = powers(staff, reference)
    assert "civil_injunction" in opened
    assert not (TENANCY_ONLY_MEASURES | PARTNER_POWERS) & opened


def test_possession_closes_once_the_register_says_the_tenancy_ended(
        intake: ModuleType, triage: ModuleType, homes: str, table: str, staff: Staff) -> None:
    reference = about_our_tenant(intake, triage, table)
    end_tenancy(homes, TENANCY_14.reference, date.today() - timedelta(days=1))
    assert not TENANCY_ONLY_MEASURES & powers(staff, reference)
