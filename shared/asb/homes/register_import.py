"""The register now and an export merged: the register after and what changed. Pure.

A homes file is the whole list of the landlord's homes: a home missing from it is kept (cases
still point at it), marked as having left the register that day. A tenancies file is the whole
list of current tenancies: an end_date in it ends one, and a current tenancy missing from it is
ended on the import's day. The same file twice changes nothing.

The register mirrors the housing management system, the landlord's own record: an ended tenancy,
with its tenants' names and contact details, is kept RETENTION_YEARS from its end (a case about
it may still need it, as a closed case is kept) and removed by the first import after that.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date

from asb.case.homes import OWNED_TENURES, Home, Tenancy, Tenure
from asb.homes.export_files import HomeRow, RegisterRows, Rejection, TenancyRow
from asb.policy.config import RETENTION_YEARS


@dataclass(frozen=True)
class Register:
    homes: Mapping[str, Home] = field(default_factory=dict)  # by UPRN
    tenancies: Mapping[str, Tenancy] = field(default_factory=dict)  # by reference

    def homes_owned(self) -> int:
        """NM01's denominator: the homes of OWNED_TENURES still in the register."""
        return sum(1 for home in self.homes.values()
                   if home.tenure in OWNED_TENURES and home.left_register_on is None)


@dataclass(frozen=True)
class ImportSummary:
    homes_added: int = 0
    homes_changed: int = 0
    homes_left: int = 0
    tenancies_started: int = 0
    tenancies_changed: int = 0
    tenancies_ended: int = 0
    tenancies_removed: int = 0  # ended more than RETENTION_YEARS before the import

    @property
    def no_change(self) -> bool:
        return not any(vars(self).values())

    def in_words(self) -> str:
        if self.no_change:
            return "no change"
        counts = [(self.homes_added, "homes added"), (self.homes_changed, "homes changed"),
                  (self.homes_left, "homes left the register"),
                  (self.tenancies_started, "tenancies started"),
                  (self.tenancies_changed, "tenancies changed"),
                  (self.tenancies_ended, "tenancies ended"),
                  (self.tenancies_removed, "ended tenancies past retention removed")]
        return ", ".join(f"{count} {what}" for count, what in counts if count)


@dataclass(frozen=True)
class Merge:
    register: Register
    summary: ImportSummary
    rejections: tuple[Rejection, ...] = ()


def merge(register: Register, rows: RegisterRows, today: date) -> Merge:
    """The register after the rows: homes first, then tenancies against the homes after."""
    homes, summary = dict(register.homes), ImportSummary()
    if rows.homes is not None:
        homes, summary = _merged_homes(register.homes, rows.homes, today)
    tenancies = dict(register.tenancies)
    rejections: tuple[Rejection, ...] = ()
    if rows.tenancies is not None:
        tenancies, rejections, ended = _merged_tenancies(
            register.tenancies, homes, rows.tenancies, today)
        summary = replace(summary, **ended)
    kept = {reference: tenancy for reference, tenancy in tenancies.items()
            if not _past_retention(tenancy, today)}
    removed = sum(1 for reference in register.tenancies if reference not in kept)
    summary = replace(summary, tenancies_removed=removed)
    return Merge(Register(homes, kept), summary, rejections + _partial_export(register, rows, today))


# A whole list that leaves out more than a fifth of what the register holds is more likely an
# export cut short than a landlord losing a fifth of its homes or tenants in a day: refused, so
# the form never turns residents away for it. A real transfer of stock is loaded in steps.
MOST_A_FILE_MAY_LEAVE_OUT = 0.2
SMALLEST_REGISTER_CHECKED = 20  # a landlord's first imports may change everything


def _partial_export(register: Register, rows: RegisterRows,
                    today: date) -> tuple[Rejection, ...]:
    found = []
    if rows.homes is not None:
        listed = {row.home.uprn for row in rows.homes}
        on_register = [h.uprn for h in register.homes.values() if h.left_register_on is None]
        found.append(_too_many_left_out("homes", on_register, listed))
    if rows.tenancies is not None:
        listed = {row.reference for row in rows.tenancies}
        current = [t.reference for t in register.tenancies.values() if not _ended(t, today)]
        found.append(_too_many_left_out("current tenancies", current, listed))
    return tuple(rejection for rejection in found if rejection)


def _too_many_left_out(what: str, held: list[str], listed: set[str]) -> Rejection | None:
    missing = sum(1 for key in held if key not in listed)
    if len(held) < SMALLEST_REGISTER_CHECKED or missing <= len(held) * MOST_A_FILE_MAY_LEAVE_OUT:
        return None
    return Rejection(1, f"This file leaves out {missing} of the {len(held)} {what} the register "
                        f"holds (more than a fifth): is the export complete? A file is the whole "
                        f"list; a transfer of that many is loaded in steps of a fifth at most")


def _merged_homes(before: Mapping[str, Home], rows: tuple[HomeRow, ...],
                  today: date) -> tuple[dict[str, Home], ImportSummary]:
    after = {row.home.uprn: row.home for row in rows}
    added = sum(1 for uprn in after if uprn not in before)
    changed = sum(1 for uprn, home in after.items() if uprn in before and before[uprn] != home)
    left = 0
    for uprn, home in before.items():
        if uprn not in after:
            if home.left_register_on is None:
                home, left = replace(home, left_register_on=today), left + 1
            after[uprn] = home
    return after, ImportSummary(homes_added=added, homes_changed=changed, homes_left=left)


def _merged_tenancies(
        before: Mapping[str, Tenancy], homes: Mapping[str, Home],
        rows: tuple[TenancyRow, ...], today: date,
) -> tuple[dict[str, Tenancy], tuple[Rejection, ...], dict[str, int]]:
    rejections = tuple(Rejection(row.line, reason) for row in rows
                       if (reason := _home_refuses(homes.get(row.uprn), row.uprn)))
    refused = {r.line for r in rejections}
    listed = _tenancies(row for row in rows if row.line not in refused)
    counts = {"tenancies_started": 0, "tenancies_changed": 0, "tenancies_ended": 0}
    after = dict(listed)
    for reference, tenancy in listed.items():
        was = before.get(reference)
        if was is None:
            counts["tenancies_started"] += 1
        elif was != tenancy:
            ended = _ended(tenancy, today) and not _ended(was, today)
            counts["tenancies_ended" if ended else "tenancies_changed"] += 1
    for reference, tenancy in before.items():
        if reference in after:
            continue
        if not _ended(tenancy, today):
            tenancy = replace(tenancy, end_date=today)
            counts["tenancies_ended"] += 1
        after[reference] = tenancy
    return after, rejections, counts


def _home_refuses(home: Home | None, uprn: str) -> str | None:
    if home is None:
        return f"No home with UPRN {uprn} is in the register: import the homes file first"
    if home.left_register_on is not None:
        return f"The home with UPRN {uprn} has left the register"
    if home.tenure == Tenure.NOT_OURS:
        return f"The home with UPRN {uprn} is not the landlord's (tenure not_ours)"
    return None


def _tenancies(rows: Iterable[TenancyRow]) -> dict[str, Tenancy]:
    """One tenancy per reference; its tenants in line order (the rows agree on the rest)."""
    by_reference: dict[str, list[TenancyRow]] = defaultdict(list)
    for row in rows:
        by_reference[row.reference].append(row)
    return {reference: Tenancy(reference=reference, uprn=lines[0].uprn,
                               tenancy_type=lines[0].tenancy_type,
                               start_date=lines[0].start_date, end_date=lines[0].end_date,
                               tenants=tuple(line.tenant for line in lines))
            for reference, lines in by_reference.items()}


def _past_retention(tenancy: Tenancy, today: date) -> bool:
    """Ended RETENTION_YEARS ago or more, to the day (29 February's: from 1 March). Compared
    as numbers, without case/retention, which the import's cold start does not load."""
    end = tenancy.end_date
    return end is not None and (today.year - RETENTION_YEARS, today.month, today.day) >= (
        end.year, end.month, end.day)


def _ended(tenancy: Tenancy, today: date) -> bool:
    return tenancy.end_date is not None and tenancy.end_date <= today
