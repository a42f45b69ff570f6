"""The register merged with an export: idempotent, homes updated and left (never dropped),
tenancies started, changed and ended; tenancies only on the landlord's homes."""

from __future__ import annotations

from datetime import date

from asb.case.homes import Home, Tenancy, TenancyType, Tenant, Tenure, address_order
from asb.homes.export_files import read_export
from asb.homes.register_import import ImportSummary, Register, merge
from tests.fakes import FakeHomesRegister

HOMES = "uprn,address,postcode,tenure,patch\n"
TENANCIES = ("tenancy_reference,uprn,tenancy_type,start_date,end_date,tenant_name,tenant_email,"
             "tenant_phone\n")
DAY, NEXT_DAY = date(2026, 12, 2), date(2026, 12, 3)
THREE_HOMES = HOMES + ("1,1 Oak Row,BA20 1AB,general_needs,yeovil\n"
                       "2,2 Oak Row,BA20 1AB,shared_ownership,yeovil\n"
                       "3,3 Oak Row,BA20 1AB,not_ours,yeovil\n")
TWO_TENANCIES = TENANCIES + ("T-1,1,secure,2019-04-01,,Ann Vale,,\n"
                             "T-1,1,secure,2019-04-01,,Bo Vale,,\n"
                             "T-2,2,starter,2025-06-01,,Cy Dale,,\n")


def merged(register: Register, text: str, today: date = DAY) -> tuple[Register, ImportSummary,
                                                                      dict[int, str]]:
    rows = read_export(text.encode())
    assert rows.rejections == ()
    result = merge(register, rows, today)
    return result.register, result.summary, {r.line: r.reason for r in result.rejections}


def loaded() -> Register:
    register, _, _ = merged(Register(), THREE_HOMES)
    register, _, _ = merged(register, TWO_TENANCIES)
    return register


def test_a_first_import_adds_every_home_and_starts_every_tenancy() -> None:
    register, summary, _ = merged(Register(), THREE_HOMES)
    assert summary == ImportSummary(homes_added=3)
    assert register.homes_owned() == 2  # not_ours is not counted
    register, summary, refused = merged(register, TWO_TENANCIES)
    assert refused == {} and summary == ImportSummary(tenancies_started=2)
    assert register.tenancies["T-1"].tenants == (Tenant("Ann Vale"), Tenant("Bo Vale"))
    assert summary.in_words() == "2 tenancies started"


def test_the_same_file_twice_changes_nothing() -> None:
    register = loaded()
    for text in (THREE_HOMES, TWO_TENANCIES):
        again, summary, _ = merged(register, text, NEXT_DAY)
        assert summary.no_change and summary.in_words() == "no change"
        assert again == register


def test_a_home_missing_from_the_file_is_kept_as_having_left_and_can_come_back() -> None:
    register = loaded()
    after, summary, _ = merged(register, HOMES + "1,1 Oak Row,BA20 1AB,general_needs,yeovil\n"
                                                 "3,3 Oak Row,BA20 1AB,not_ours,yeovil\n")
    assert summary == ImportSummary(homes_left=1)
    assert after.homes["2"].left_register_on == DAY and not after.homes["2"].landlords
    assert after.homes_owned() == 1
    again, summary, _ = merged(after, HOMES + "3,3 Oak Row,BA20 1AB,not_ours,yeovil\n", NEXT_DAY)
    assert summary == ImportSummary(homes_left=1)  # home 2 left already: not counted again
    assert again.homes["2"].left_register_on == DAY
    back, summary, _ = merged(again, THREE_HOMES, NEXT_DAY)
    assert summary == ImportSummary(homes_changed=2)
    assert back.homes["2"].left_register_on is None


def test_a_changed_home_is_counted_and_replaced() -> None:
    after, summary, _ = merged(loaded(), THREE_HOMES.replace("2,2 Oak Row,BA20 1AB,shared_ownership",
                                                             "2,2 Oak Row,BA20 1AB,leasehold"))
    assert summary == ImportSummary(homes_changed=1)
    assert after.homes["2"].tenure == Tenure.LEASEHOLD and after.homes_owned() == 1


def test_a_tenancy_missing_from_the_file_is_ended_on_the_imports_day() -> None:
    after, summary, _ = merged(loaded(), TENANCIES + "T-2,2,starter,2025-06-01,,Cy Dale,,\n",
                               NEXT_DAY)
    assert summary == ImportSummary(tenancies_ended=1)
    assert after.tenancies["T-1"].end_date == NEXT_DAY
    assert not after.tenancies["T-1"].current_on(NEXT_DAY)
    again, summary, _ = merged(after, TENANCIES + "T-2,2,starter,2025-06-01,,Cy Dale,,\n",
                               date(2027, 1, 1))
    assert summary.no_change and again.tenancies["T-1"].end_date == NEXT_DAY  # history kept


def test_an_end_date_ends_a_tenancy_and_other_changes_are_changes() -> None:
    after, summary, _ = merged(loaded(), TENANCIES + (
        "T-1,1,secure,2019-04-01,2026-11-30,Ann Vale,,\n"
        "T-1,1,secure,2019-04-01,2026-11-30,Bo Vale,,\n"
        "T-2,2,assured,2025-06-01,,Cy Dale,,\n"       # a starter tenancy made assured
        "T-3,1,secure,2026-12-01,,Di Moss,,\n"))
    assert summary == ImportSummary(tenancies_started=1, tenancies_changed=1, tenancies_ended=1)
    assert after.tenancies["T-1"].end_date == date(2026, 11, 30)
    assert after.tenancies["T-2"].tenancy_type == TenancyType.ASSURED


def test_a_tenancy_only_on_a_home_of_the_landlords_in_the_register() -> None:
    register, _, _ = merged(Register(), THREE_HOMES)
    register, _, _ = merged(register, HOMES + "1,1 Oak Row,BA20 1AB,general_needs,yeovil\n"
                                             "3,3 Oak Row,BA20 1AB,not_ours,yeovil\n")
    result = merge(register, read_export((TENANCIES + "T-1,1,secure,2019-04-01,,Ann Vale,,\n"
                                                      "T-2,2,starter,2025-06-01,,Cy Dale,,\n"
                                                      "T-3,3,secure,2019-04-01,,Di Moss,,\n"
                                                      "T-4,9,secure,2019-04-01,,Ed Rye,,\n"
                                          ).encode()), DAY)
    refused = {r.line: r.reason for r in result.rejections}
    assert refused == {
        3: "The home with UPRN 2 has left the register",
        4: "The home with UPRN 3 is not the landlord's (tenure not_ours)",
        5: "No home with UPRN 9 is in the register: import the homes file first"}


def test_homes_and_tenancies_in_one_source_are_checked_against_each_other() -> None:
    homes, tenancies = read_export(THREE_HOMES.encode()), read_export(TWO_TENANCIES.encode())
    both = type(homes)(homes=homes.homes, tenancies=tenancies.tenancies)
    result = merge(Register(), both, DAY)
    assert result.rejections == ()
    assert result.summary == ImportSummary(homes_added=3, tenancies_started=2)


def test_the_fake_register_answers_as_the_protocol_says() -> None:
    register = loaded()
    ended = Tenancy("T-0", "1", TenancyType.INTRODUCTORY, date(2018, 1, 1), (Tenant("Old"),),
                    date(2019, 3, 31))
    fake = FakeHomesRegister(
        [*register.homes.values(), Home("10", "10 Oak Row", "BA20 1AB", Tenure.SUPPORTED, "yeovil")],
        [*register.tenancies.values(), ended])
    assert [h.uprn for h in fake.homes_at("BA20 1AB")] == ["1", "2", "10"]  # not 3: not ours
    assert [t.reference for t in fake.tenancies_of("1")] == ["T-1", "T-0"]
    assert fake.homes_owned() == 3 and fake.home("3") is not None and fake.tenancy("T-9") is None


def test_addresses_in_the_order_a_person_reads_a_street() -> None:
    homes = [Home(str(n), address, "BA20 1AB", Tenure.SUPPORTED, "yeovil")
             for n, address in enumerate(["Flat 12, Mill Court", "10 Oak Row", "2 Oak Row",
                                          "Flat 3, Mill Court"])]
    assert [h.address for h in sorted(homes, key=address_order)] == [
        "2 Oak Row", "10 Oak Row", "Flat 3, Mill Court", "Flat 12, Mill Court"]


def _street(count: int) -> str:
    return HOMES + "".join(f"{n},{n} Elm Row,BA20 1AB,general_needs,yeovil\n"
                           for n in range(1, count + 1))


def _tenancies(count: int) -> str:
    return TENANCIES + "".join(f"T-{n},{n},secure,2019-04-01,,Tenant {n},,\n"
                               for n in range(1, count + 1))


def test_an_export_cut_short_is_refused_whole_at_its_first_line() -> None:
    """Twenty-five homes on the register: leaving five out is a whole list, six a partial one;
    the same for current tenancies. A small register (a landlord's first imports) is free."""
    register, _, _ = merged(Register(), _street(25))
    register, _, _ = merged(register, _tenancies(25))
    _, summary, refused = merged(register, _street(20))
    assert refused == {} and summary.homes_left == 5
    _, _, refused = merged(register, _street(19))
    assert list(refused) == [1] and "leaves out 6 of the 25 homes" in refused[1]
    _, summary, refused = merged(register, _tenancies(20))
    assert refused == {} and summary.tenancies_ended == 5
    _, _, refused = merged(register, _tenancies(19))
    assert "leaves out 6 of the 25 current tenancies" in refused[1]
    small, _, _ = merged(Register(), _street(19))
    _, summary, refused = merged(small, _street(1))
    assert refused == {} and summary.homes_left == 18
