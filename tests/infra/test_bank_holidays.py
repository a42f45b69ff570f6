"""The bank holiday table the service reads is what the installed `holidays` library says."""

from __future__ import annotations

import json
from datetime import date

from asb.policy.working_days import is_working_day
from infra.bank_holidays import TABLE, generate


def test_the_table_is_the_librarys() -> None:
    assert json.loads(TABLE.read_text()) == generate(), (
        "run `python -m infra.bank_holidays` after upgrading holidays")


def test_a_year_outside_the_table_is_asked_of_the_library() -> None:
    assert not is_working_day(date(2050, 12, 26))  # Boxing Day, a Monday
    assert is_working_day(date(2050, 12, 28))
