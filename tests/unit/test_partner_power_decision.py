"""A power asked of a partner is decided as its request to share, never as the landlord's own
legal action: approved through the measure's decision route, its request would stay unsent while
the measure said approved."""

from __future__ import annotations

import pytest

from asb.enforcement.measures import decide_measure
from asb.enforcement.models import ApprovalIn
from asb.kernel.errors import RuleBroken
from tests.unit.test_power_requests import MANAGER, NOW, asked


def test_a_partners_power_is_not_approved_as_the_landlords_legal_action() -> None:
    start, disclosure_id = asked()
    (measure_id,) = start.measures
    with pytest.raises(RuleBroken, match=f"disclosures/{disclosure_id}/decision"):
        decide_measure(start, measure_id, ApprovalIn(
            approved=True, reason="Proportionate: the council should issue it."), MANAGER, NOW)
