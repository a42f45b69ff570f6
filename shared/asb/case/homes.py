"""The landlord's homes and tenancies, as its housing management system exports them (asb.homes
imports them): what intake, triage, case work and the figures read of the register.

Tenure decides which powers are open (possession and demotion only against a tenancy of the
landlord's); a home the register marks `not_ours` (or that has left it) is not the landlord's.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Protocol


class Tenure(StrEnum):
    GENERAL_NEEDS = "general_needs"
    SUPPORTED = "supported"
    SHARED_OWNERSHIP = "shared_ownership"
    LEASEHOLD = "leasehold"
    NOT_OURS = "not_ours"


# The homes the regulator's "homes owned" counts (TSM: low-cost rental and low-cost home
# ownership); leasehold and homes that are not the landlord's are not counted.
OWNED_TENURES = frozenset({Tenure.GENERAL_NEEDS, Tenure.SUPPORTED, Tenure.SHARED_OWNERSHIP})


class TenancyType(StrEnum):
    SECURE = "secure"
    ASSURED = "assured"
    STARTER = "starter"
    INTRODUCTORY = "introductory"
    DEMOTED = "demoted"


@dataclass(frozen=True)
class Home:
    uprn: str  # the Unique Property Reference Number, digits only
    address: str  # one line, as a letter would be addressed: "12 Larch Walk, Yeovil"
    postcode: str  # normalised: "BA20 1AB"
    tenure: Tenure
    patch: str
    left_register_on: date | None = None  # no longer in the landlord's export

    @property
    def landlords(self) -> bool:
        """The landlord's own home: possession, demotion and its tenancy's terms apply."""
        return self.tenure != Tenure.NOT_OURS and self.left_register_on is None


def address_order(home: Home) -> tuple[tuple[int | str, ...], str]:
    """Homes by address as a person reads a street: 2 before 10, Flat 3 before Flat 12."""
    parts = re.split(r"([0-9]+)", home.address.lower())
    return tuple(int(p) if p.isdigit() else p for p in parts), home.uprn


@dataclass(frozen=True)
class Tenant:
    name: str
    email: str | None = None
    phone: str | None = None


@dataclass(frozen=True)
class Tenancy:
    reference: str
    uprn: str
    tenancy_type: TenancyType
    start_date: date
    tenants: tuple[Tenant, ...]
    end_date: date | None = None

    def current_on(self, day: date) -> bool:
        return self.start_date <= day and (self.end_date is None or day < self.end_date)


class HomesRegister(Protocol):
    """The register as the service reads it: every call a GetItem or a Query."""

    def homes_at(self, postcode: str) -> list[Home]:
        """The landlord's homes at a normalised postcode, by address; [] if none."""
        ...

    def home(self, uprn: str) -> Home | None: ...

    def tenancies_of(self, uprn: str) -> list[Tenancy]:
        """A home's tenancies, current and ended, newest first."""
        ...

    def tenancy(self, reference: str) -> Tenancy | None: ...

    def homes_owned(self) -> int:
        """The homes of OWNED_TENURES in the register now (NM01's denominator)."""
        ...
