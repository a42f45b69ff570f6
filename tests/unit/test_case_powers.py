"""The tools and powers open to the landlord on a case, as the staff case view tells the console:
its own offered tools, never a partner's power nor one kept for old records, possession and
demotion only against a tenant of ours today, nothing on a closed case."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from asb.case.homes import Tenancy
from asb.case.models import CaseStatus
from asb.case.powers import powers_open
from asb.policy.config import PARTNER_POWERS, TENANCY_ONLY_MEASURES, TOOL_CATALOGUE
from tests.fakes import FakeHomesRegister
from tests.unit.test_parties import COMPLAINANT, a_case, folder
from tests.unit.test_tenure_powers import REGISTER, TENANCY, TIED, TODAY, UNTIED


class CountingRegister(FakeHomesRegister):
    """The fake register, counting its tenancy reads."""

    def __init__(self, tenancies: list[Tenancy]) -> None:
        super().__init__(tenancies=tenancies)
        self.reads = 0

    def tenancy(self, reference: str) -> Tenancy | None:
        self.reads += 1
        return super().tenancy(reference)


def test_against_our_tenant_every_offered_tool_of_ours_is_open() -> None:
    opened = powers_open(folder(COMPLAINANT, TIED), REGISTER, TODAY)
    assert opened == [key for key, tool in TOOL_CATALOGUE.items()
                      if tool.offered and tool.held_by == "landlord"]
    assert set(opened) >= TENANCY_ONLY_MEASURES
    assert "written_warning" not in opened  # kept only so that old records read


def test_a_partners_power_is_never_open_to_the_landlord() -> None:
    for perpetrator in (TIED, UNTIED):
        assert not PARTNER_POWERS & set(powers_open(folder(COMPLAINANT, perpetrator), REGISTER,
                                                    TODAY))


def test_possession_and_demotion_need_a_tenancy_of_ours_current_today() -> None:
    ended = FakeHomesRegister(tenancies=[replace(TENANCY, end_date=TODAY)])
    for case_folder, register in ((folder(COMPLAINANT, UNTIED), REGISTER),
                                  (folder(COMPLAINANT, TIED), ended),
                                  (folder(COMPLAINANT, TIED), None)):
        opened = powers_open(case_folder, register, TODAY)
        assert "civil_injunction" in opened
        assert not TENANCY_ONLY_MEASURES & set(opened)
    yesterday = powers_open(folder(COMPLAINANT, TIED), ended, date(2026, 12, 1))
    assert set(yesterday) >= TENANCY_ONLY_MEASURES


def test_the_register_is_read_only_for_a_tied_perpetrator() -> None:
    register = CountingRegister([TENANCY])
    powers_open(folder(COMPLAINANT, UNTIED), register, TODAY)
    assert register.reads == 0
    powers_open(folder(COMPLAINANT, TIED), register, TODAY)
    assert register.reads == 1


def test_nothing_is_open_on_a_closed_case() -> None:
    closed = folder(COMPLAINANT, TIED, case=a_case(status=CaseStatus.CLOSED))
    assert powers_open(closed, REGISTER, TODAY) == []
