"""The housing management system's export files read into rows: every kind of refused line,
named by its line and said in words."""

from __future__ import annotations

from datetime import date

from asb.case.homes import TenancyType, Tenure
from asb.homes.export_files import Rejection, read_export

HOMES = "uprn,address,postcode,tenure,patch\n"
TENANCIES = ("tenancy_reference,uprn,tenancy_type,start_date,end_date,tenant_name,tenant_email,"
             "tenant_phone\n")


def read(text: str) -> tuple[list[int], dict[int, str]]:
    rows = read_export(text.encode())
    lines = [r.line for r in (rows.homes or rows.tenancies or ())]
    return lines, {r.line: r.reason for r in rows.rejections}


def test_a_good_homes_file_gives_each_home_with_its_line() -> None:
    rows = read_export((HOMES + "100012345678,12 Larch Walk,ba201ab,General Needs,yeovil\n\n"
                        "0200,\"Flat 2, Mill Court\",TA1 1CK,leasehold,taunton\n").encode())
    assert rows.rejections == () and rows.tenancies is None and rows.homes is not None
    assert [r.line for r in rows.homes] == [2, 4]  # a blank line is skipped, and counted
    first, second = (r.home for r in rows.homes)
    assert (first.postcode, first.tenure) == ("BA20 1AB", Tenure.GENERAL_NEEDS)
    assert (second.uprn, second.address, second.postcode, second.tenure, second.patch) == (
        "200", "Flat 2, Mill Court", "TA1 1CK", Tenure.LEASEHOLD, "taunton")


def test_with_a_byte_order_mark_and_columns_in_another_order() -> None:
    data = "\ufeffpostcode,uprn,patch,tenure,address\nBA20 1AB,7,yeovil,supported,7 Oak Row\n"
    rows = read_export(data.encode("utf-8"))
    assert rows.rejections == () and rows.homes and rows.homes[0].home.tenure == Tenure.SUPPORTED


def test_a_wrong_or_missing_header_is_line_1_naming_both_headers() -> None:
    for text in ("uprn,address,postcode,tenure\n1,a,BA20 1AB,supported\n", "", "\n\n",
                 "1,2 Oak Row,BA20 1AB,supported,yeovil\n"):
        rows = read_export(text.encode())
        (rejection,) = rows.rejections
        assert rejection.line == 1 and rows.homes is None and rows.tenancies is None
        assert "uprn,address,postcode,tenure,patch" in rejection.reason
        assert "tenancy_reference,uprn,tenancy_type" in rejection.reason


def test_each_bad_field_is_refused_by_its_line() -> None:
    lines, refused = read(HOMES + "\n".join([
        "1,1 Oak Row,BA20 1AB,general_needs,yeovil",       # 2 good
        "12a,2 Oak Row,BA20 1AB,general_needs,yeovil",     # 3 UPRN not digits
        "1234567890123,3 Oak Row,BA20 1AB,supported,yeovil",  # 4 UPRN 13 digits
        "4,4 Oak Row,BA20,supported,yeovil",               # 5 postcode not full
        "5,5 Oak Row,BA20 1AB,council,yeovil",             # 6 unknown tenure
        "6,,BA20 1AB,supported,yeovil",                    # 7 no address
        "7,7 Oak Row,BA20 1AB,supported",                  # 8 too few columns
        "8,8 Oak Row,BA20 1AB,supported,yeovil,extra",     # 9 too many columns
    ]) + "\n")
    assert lines == [2]
    assert set(refused) == {3, 4, 5, 6, 7, 8, 9}
    assert "uprn must be digits only, at most 12" in refused[3] == refused[4]
    assert "postcode" in refused[5]
    assert refused[6] == ("The tenure must be one of: general_needs, supported, "
                          "shared_ownership, leasehold, not_ours")
    assert refused[7] == "The address is empty"
    assert refused[8] == "The line has 4 columns; the header has 5"
    assert refused[9] == "The line has 6 columns; the header has 5"


def test_a_line_that_is_not_utf8_is_refused_and_the_others_read() -> None:
    data = (HOMES + "1,1 Oak Row,BA20 1AB,supported,yeovil\n").encode() + \
        b"2,2 Caf\xe9 Row,BA20 1AB,supported,yeovil\n" + \
        "3,3 Łąka Row,BA20 1AB,supported,yeovil\n".encode()
    rows = read_export(data)
    assert [r.line for r in rows.homes or ()] == [2, 4]
    assert rows.rejections == (Rejection(3, "The line is not UTF-8 text: save the export as "
                                            "UTF-8"),)


def test_every_line_of_a_duplicate_uprn_is_refused() -> None:
    lines, refused = read(HOMES + "5,1 Oak Row,BA20 1AB,supported,yeovil\n"
                                  "6,2 Oak Row,BA20 1AB,supported,yeovil\n"
                                  "005,3 Oak Row,BA20 1AB,supported,yeovil\n")
    assert lines == [3]
    assert refused == {line: "UPRN 5 is on more than one line (lines 2, 4): a home is one line"
                       for line in (2, 4)}


def test_a_quoted_address_over_two_lines_is_named_by_its_first_line() -> None:
    lines, refused = read(HOMES + '1,"1 Oak Row\nAshcombe",BA20 1AB,supported,yeovil\n'
                                  "2,2 Oak Row,nowhere,supported,yeovil\n")
    assert lines == [2] and set(refused) == {4}


def test_a_joint_tenancy_is_one_line_per_tenant() -> None:
    rows = read_export((TENANCIES +
                        "T-1,100,secure,2019-04-01,,Ann Vale,ann@example.org,01935 000000\n"
                        "T-1,100,secure,01/04/2019,,Bo Vale,,\n").encode())
    assert rows.rejections == () and rows.tenancies is not None
    first, second = rows.tenancies
    assert (first.reference, first.uprn, first.tenancy_type, first.start_date, first.end_date) == (
        "T-1", "100", TenancyType.SECURE, date(2019, 4, 1), None)
    assert first.tenant.email == "ann@example.org" and second.tenant.email is None
    assert second.start_date == date(2019, 4, 1)


def test_each_bad_tenancy_line_is_refused_by_its_line() -> None:
    lines, refused = read(TENANCIES + "\n".join([
        "T-1,100,secure,2019-04-01,,Ann Vale,,",             # 2 good
        "T-2,100,licence,2019-04-01,,Ann Vale,,",            # 3 unknown type
        "T-3,100,assured,2019-31-01,,Ann Vale,,",            # 4 bad date
        "T-4,100,assured,2019-04-01,2019-03-01,Ann Vale,,",  # 5 end before start
        "T-5,10x,assured,2019-04-01,,Ann Vale,,",            # 6 bad UPRN
        "T-6,100,assured,2019-04-01,,,,",                    # 7 no tenant
        "T-7,100,assured,2019-04-01,,Ann Vale,not-an-email,",  # 8 bad email
        "T-1,101,secure,2019-04-01,,Bo Vale,,",              # 9 joint tenancy, another home
    ]) + "\n")
    assert lines == [2]
    assert refused[3] == ("The tenancy_type must be one of: secure, assured, starter, "
                          "introductory, demoted")
    assert refused[4] == "The start_date is not a date like 2026-04-01 (or 01/04/2026)"
    assert refused[5] == "The end_date is before the start_date"
    assert "uprn" in refused[6] and refused[7] == "The tenant_name is empty"
    assert refused[8] == "The tenant_email is not an email address"
    assert refused[9].startswith("Tenancy T-1 gives a different uprn, tenancy_type or dates "
                                 "from line 2")


def test_a_file_with_only_its_header_is_refused_rather_than_emptying_the_register() -> None:
    for text, kind in ((HOMES, "homes"), (TENANCIES + "\n", "tenancies")):
        assert read_export(text.encode()).rejections == (Rejection(1, (
            f"The file has no {kind} after its header: a file of {kind} is the whole list")),)
