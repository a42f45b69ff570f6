"""The homes register keeps an ended tenancy, with its tenants' names and contact details, for the
retention years from its end, then the next import removes it (asb.homes.register_import)."""

from __future__ import annotations

from datetime import date

from asb.homes.export_files import read_export
from asb.homes.register_import import ImportSummary, Register, merge
from asb.policy.config import RETENTION_YEARS

HOMES = "uprn,address,postcode,tenure,patch\n1,1 Oak Row,BA20 1AB,general_needs,yeovil\n"
TENANCIES = ("tenancy_reference,uprn,tenancy_type,start_date,end_date,tenant_name,tenant_email,"
             "tenant_phone\n")
ENDED = "T-1,1,secure,2010-04-01,2020-03-31,Ann Vale,ann@example.org,\n"
CURRENT = "T-2,1,secure,2020-05-01,,Bo Dale,,\n"


def _register() -> Register:
    register = merge(Register(), read_export(HOMES.encode()), date(2020, 6, 1)).register
    return merge(register, read_export((TENANCIES + ENDED + CURRENT).encode()),
                 date(2020, 6, 1)).register


def test_an_ended_tenancy_is_kept_until_its_retention_years_are_up() -> None:
    assert RETENTION_YEARS == 6
    last_day = date(2026, 3, 30)
    kept = merge(_register(), read_export((TENANCIES + CURRENT).encode()), last_day)
    assert kept.summary.no_change and "T-1" in kept.register.tenancies


def test_the_first_import_after_removes_it_and_its_tenants() -> None:
    after = merge(_register(), read_export((TENANCIES + CURRENT).encode()), date(2026, 3, 31))
    assert after.summary == ImportSummary(tenancies_removed=1)
    assert set(after.register.tenancies) == {"T-2"}
    assert after.summary.in_words() == "1 ended tenancies past retention removed"
    again = merge(after.register, read_export((TENANCIES + CURRENT).encode()), date(2026, 4, 1))
    assert again.summary.no_change  # the same file twice: nothing more


def test_an_export_that_still_lists_it_does_not_bring_it_back() -> None:
    after = merge(_register(), read_export((TENANCIES + ENDED + CURRENT).encode()),
                  date(2027, 1, 1))
    assert "T-1" not in after.register.tenancies
    assert after.summary.tenancies_removed == 1
