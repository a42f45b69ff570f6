"""Fixtures of the integration tests: the staff handlers, the table, and the staff harness."""

from __future__ import annotations

from collections.abc import Callable
from types import ModuleType
from typing import Any

import pytest

from tests.integration.helpers import Staff


@pytest.fixture
def handlers(load_handler: Callable[[str], ModuleType]) -> dict[str, ModuleType]:
    return {name: load_handler(f"{name}Function")
            for name in ("Intake", "Triage", "CaseQueries", "CaseWork", "CaseReview",
                         "Partners", "DataProtection")}


@pytest.fixture
def intake(load_handler: Callable[[str], ModuleType]) -> ModuleType:
    return load_handler("IntakeFunction")


@pytest.fixture
def table(aws: Any) -> str:
    return str(aws.ref("CasesTable"))


@pytest.fixture
def staff(handlers: dict[str, ModuleType], table: str) -> Staff:
    return Staff(handlers, table)


@pytest.fixture
def homes(aws: Any) -> str:
    """The homes register (HomesTable) with a few of the fictional landlord's homes
    (tests/landlords_homes.py): a further report joins a case by their tenancies."""
    from tests.landlords_homes import seed

    table = str(aws.ref("HomesTable"))
    seed(table)
    return table
