"""A step's date that no record could mean (a hearing in the year 10000 in London, a breach in
the year 1) is refused naming the field as sent - `at`, not its union's tag `hearing_listed.at` -
never a 500 (a date counted from it would overflow), with nothing stored."""

from __future__ import annotations

from typing import Any

import pytest

from tests.integration.helpers import Staff
from tests.integration.test_enforcement_flow import COURT, recorded_injunction, refused, take_step


@pytest.mark.parametrize(("body", "field"), [
    ({"step": "hearing_listed", "at": "9999-12-31T23:00:00-12:00", "court": COURT,
      "purpose": "first"}, "at"),  # the year 10000 in London
    ({"step": "hearing_listed", "at": "0001-01-01T00:30:00+12:00", "court": COURT,
      "purpose": "first"}, "at"),
    ({"step": "breach", "on": "0001-01-01", "what": "Shouting in the close."}, "on"),
], ids=["after 9999", "before year 1", "year 1"])
def test_a_date_no_record_could_mean_is_refused_naming_the_field(
        staff: Staff, body: dict[str, Any], field: str) -> None:
    reference = staff.open_case()
    measure_id = recorded_injunction(staff, reference)
    status, answer = refused(staff, lambda: take_step(staff, reference, measure_id, body),
                             reference)
    assert status == 422 and [e["field"] for e in answer["errors"]] == [field]
    assert answer["errors"][0]["message"] == "Enter a date between 1900 and 2199"
