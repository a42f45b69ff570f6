"""The housing management system's export files (docs/homes-import.md), read into rows with the
line each came from, and every line refused with its reason.

Two kinds of file, told apart by their header: the homes (one row per home) and the tenancies
(one row per tenant; the rows of a joint tenancy share its reference). UTF-8, with or without a
byte order mark; the columns in any order. What a row says is checked here; what it says about
the register (a tenancy's home) is checked by the merge (asb.homes.register_import).
"""

from __future__ import annotations

import csv
import re
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from typing import TypeVar

from asb.case.homes import Home, TenancyType, Tenant, Tenure
from asb.case.postcodes import normalised_postcode

HOMES_COLUMNS = ("uprn", "address", "postcode", "tenure", "patch")
TENANCY_COLUMNS = ("tenancy_reference", "uprn", "tenancy_type", "start_date", "end_date",
                   "tenant_name", "tenant_email", "tenant_phone")

_UPRN = re.compile(r"^[0-9]{1,12}$")
_REFERENCE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9/_.-]{0,39}$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_PHONE = re.compile(r"^\+?[0-9 ()-]{7,20}$")
_LONGEST_TEXT = 200
# A file is the whole list: an empty one (a failed export) would empty the register.
_EMPTY = "The file has no {0} after its header: a file of {0} is the whole list"
_Choice = TypeVar("_Choice", Tenure, TenancyType)
_Row = TypeVar("_Row")


@dataclass(frozen=True)
class Rejection:
    line: int
    reason: str


@dataclass(frozen=True)
class HomeRow:
    line: int
    home: Home


@dataclass(frozen=True)
class TenancyRow:
    """One tenant of a tenancy, as one line of the tenancies file gives it."""

    line: int
    reference: str
    uprn: str
    tenancy_type: TenancyType
    start_date: date
    end_date: date | None
    tenant: Tenant

    def terms(self) -> tuple[str, TenancyType, date, date | None]:
        """What every line of a joint tenancy must agree on."""
        return self.uprn, self.tenancy_type, self.start_date, self.end_date


@dataclass(frozen=True)
class RegisterRows:
    """What a source gives the import: homes rows or tenancy rows (the other None), each with
    the line it came from, and every line refused with its reason."""

    homes: tuple[HomeRow, ...] | None = None
    tenancies: tuple[TenancyRow, ...] | None = None
    rejections: tuple[Rejection, ...] = ()


class RowRefused(ValueError):
    """A line's field that cannot be taken, said so a person can put it right."""


def read_export(data: bytes) -> RegisterRows:
    """A homes or tenancies export file, by its header."""
    records = _records(data.decode("utf-8-sig", errors="surrogateescape"))
    first = next(records, None)
    header = tuple(name.strip().lower() for name in first[1]) if first else ()
    if sorted(header) == sorted(HOMES_COLUMNS):
        return _homes(header, records)
    if sorted(header) == sorted(TENANCY_COLUMNS):
        return _tenancies(header, records)
    return RegisterRows(rejections=(Rejection(1, (
        "The first line must name the columns: " + ",".join(HOMES_COLUMNS) + " for a file of "
        "homes, or " + ",".join(TENANCY_COLUMNS) + " for a file of tenancies")),))


def _records(text: str) -> Iterator[tuple[int, list[str]]]:
    """Each non-blank record with the line it starts on (a quoted field may span lines)."""
    reader = csv.reader(text.splitlines(keepends=True))
    start = 1
    for record in reader:
        if any(field.strip() for field in record):
            yield start, record
        start = reader.line_num + 1


def _fields(line: int, header: tuple[str, ...],
            record: list[str]) -> dict[str, str] | Rejection:
    if any(_undecodable(field) for field in record):
        return Rejection(line, "The line is not UTF-8 text: save the export as UTF-8")
    if len(record) != len(header):
        return Rejection(line, f"The line has {len(record)} columns; the header has "
                               f"{len(header)}")
    return {name: value.strip() for name, value in zip(header, record, strict=True)}


def _rows(header: tuple[str, ...], records: Iterator[tuple[int, list[str]]],
          row_from: Callable[[int, dict[str, str]], _Row]) -> tuple[list[_Row], list[Rejection]]:
    """Each record made a row, or refused with its line and why."""
    rows: list[_Row] = []
    rejections: list[Rejection] = []
    for line, record in records:
        fields = _fields(line, header, record)
        try:
            if isinstance(fields, Rejection):
                rejections.append(fields)
            else:
                rows.append(row_from(line, fields))
        except RowRefused as refused:
            rejections.append(Rejection(line, str(refused)))
    return rows, rejections


def _undecodable(field: str) -> bool:
    return any("\udc80" <= character <= "\udcff" for character in field)


# ---------------------------------------------------------------- homes
def _homes(header: tuple[str, ...], records: Iterator[tuple[int, list[str]]]) -> RegisterRows:
    rows, rejections = _rows(header, records, lambda line, fields: HomeRow(line, home_from(fields)))
    kept, duplicates = _without_duplicate_uprns(rows)
    if not rows and not rejections:
        rejections = [Rejection(1, _EMPTY.format("homes"))]
    return RegisterRows(homes=tuple(kept), rejections=_in_line_order(rejections + duplicates))


def home_from(fields: dict[str, str]) -> Home:
    """A home from its fields by column name (the CSV's, or an API adapter's)."""
    return Home(uprn=uprn_from(fields["uprn"]), address=_text(fields["address"], "address"),
                postcode=_postcode(fields["postcode"]),
                tenure=_choice(Tenure, fields["tenure"], "tenure"),
                patch=_text(fields["patch"], "patch"))


def _without_duplicate_uprns(rows: list[HomeRow]) -> tuple[list[HomeRow], list[Rejection]]:
    lines: dict[str, list[int]] = defaultdict(list)
    for row in rows:
        lines[row.home.uprn].append(row.line)
    rejections = [
        Rejection(line, f"UPRN {uprn} is on more than one line (lines "
                        f"{', '.join(str(n) for n in found)}): a home is one line")
        for uprn, found in lines.items() if len(found) > 1 for line in found]
    return [row for row in rows if len(lines[row.home.uprn]) == 1], rejections


# ---------------------------------------------------------------- tenancies
def _tenancies(header: tuple[str, ...],
               records: Iterator[tuple[int, list[str]]]) -> RegisterRows:
    rows, rejections = _rows(header, records, tenancy_row_from)
    if not rows and not rejections:
        rejections = [Rejection(1, _EMPTY.format("tenancies"))]
    disagreeing = _joint_tenancies_disagreeing(rows)
    disagreeing_lines = {r.line for r in disagreeing}
    return RegisterRows(tenancies=tuple(r for r in rows if r.line not in disagreeing_lines),
                        rejections=_in_line_order(rejections + disagreeing))


def tenancy_row_from(line: int, fields: dict[str, str]) -> TenancyRow:
    """One tenant's line from its fields by column name (the CSV's, or an API adapter's)."""
    reference = fields["tenancy_reference"]
    if not _REFERENCE.match(reference):
        raise RowRefused("The tenancy reference must be 1 to 40 letters, digits or / _ . -")
    start = _date(fields["start_date"], "start_date")
    end = _date(fields["end_date"], "end_date") if fields["end_date"] else None
    if end is not None and end < start:
        raise RowRefused("The end_date is before the start_date")
    return TenancyRow(line=line, reference=reference, uprn=uprn_from(fields["uprn"]),
                      tenancy_type=_choice(TenancyType, fields["tenancy_type"], "tenancy_type"),
                      start_date=start, end_date=end, tenant=_tenant(fields))


def _tenant(fields: dict[str, str]) -> Tenant:
    email, phone = fields["tenant_email"], fields["tenant_phone"]
    if email and not _EMAIL.match(email):
        raise RowRefused("The tenant_email is not an email address")
    if phone and not _PHONE.match(phone):
        raise RowRefused("The tenant_phone is not a telephone number")
    return Tenant(name=_text(fields["tenant_name"], "tenant_name"), email=email or None,
                  phone=phone or None)


def _joint_tenancies_disagreeing(rows: list[TenancyRow]) -> list[Rejection]:
    """Every line of a joint tenancy must give the same home, type and dates as its first."""
    first: dict[str, TenancyRow] = {}
    rejections = []
    for row in rows:
        lead = first.setdefault(row.reference, row)
        if row.terms() != lead.terms():
            rejections.append(Rejection(row.line, (
                f"Tenancy {row.reference} gives a different uprn, tenancy_type or dates from "
                f"line {lead.line}: every tenant's line of a joint tenancy must agree")))
    return rejections


# ---------------------------------------------------------------- fields
def uprn_from(value: str) -> str:
    if not _UPRN.match(value):
        raise RowRefused("The uprn must be digits only, at most 12")
    return str(int(value))


def _text(value: str, column: str) -> str:
    if not value:
        raise RowRefused(f"The {column} is empty")
    if len(value) > _LONGEST_TEXT:
        raise RowRefused(f"The {column} is longer than {_LONGEST_TEXT} characters")
    return value


def _postcode(value: str) -> str:
    postcode = normalised_postcode(value)
    if postcode is None:
        raise RowRefused("The postcode is not a full UK postcode, like BA20 1AB")
    return postcode


def _choice(kind: type[_Choice], value: str, column: str) -> _Choice:
    try:
        return kind(value.strip().lower().replace(" ", "_").replace("-", "_"))
    except ValueError:
        allowed = ", ".join(member.value for member in kind)
        raise RowRefused(f"The {column} must be one of: {allowed}") from None


def _date(value: str, column: str) -> date:
    for form in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.strptime(value, form).date()
        except ValueError:
            continue
    raise RowRefused(f"The {column} is not a date like 2026-04-01 (or 01/04/2026)")


def _in_line_order(rejections: list[Rejection]) -> tuple[Rejection, ...]:
    return tuple(sorted(rejections, key=lambda r: r.line))
