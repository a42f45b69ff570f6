"""Suicidal thoughts or self-harm make risk high whatever else is answered (ASB-REFERENCE 7a),
issue 23's first step: before, "yes" to self-harm alone scored 6 of the 8 a medium risk needs."""

from __future__ import annotations

from asb.case.risk import assess


def test_self_harm_alone_makes_the_risk_high() -> None:
    risk = assess({}, {"self_harm_risk": True})
    assert (risk.score, risk.level) == (6, "high")
    assert [r.question for r in risk.reasons] == ["self_harm_risk"]


def test_without_it_the_same_score_stays_standard() -> None:
    assert assess({"fear": True, "isolated": True}).level == "standard"  # 5 points
    assert assess({}, {"self_harm_risk": False}).level == "standard"
