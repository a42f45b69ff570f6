"""The year's enforcement outcomes as a plain function of the measures recorded in the year: each
tool counted once, by what has come of it, a measure kept before its life was recorded in parts
by its plain status."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from asb.case.enforcement import (
    Agreement,
    AgreementReview,
    Application,
    Breach,
    Notice,
    Order,
    WarningLetter,
)
from asb.case.records import Measure
from asb.reporting.enforcement import enforcement_figures, measures_of_year
from asb.reporting.regulator import HomesOwned, as_csv, figures

NOW = datetime(2026, 12, 2, 10, tzinfo=UTC)
DAY = date(2026, 12, 2)
APPLIED = Application(applied_on=DAY, court="Yeovil County Court")


def a_measure(measure: str, n: int, legal: bool = True, **more: Any) -> Measure:
    return Measure(**{"record_id": f"m-{n}", "at": NOW, "measure": measure, "name": measure,
                      "legal": legal, "rationale": "Threats", "by": "o.hughes",
                      "recorded_at": NOW, "status": "considered" if legal else "applied",
                      "approval": "approved" if legal else "not needed", **more})


def an_order(kind: str, power_of_arrest: bool = False) -> Order:
    return Order(kind=kind, made_on=DAY, power_of_arrest=power_of_arrest)


def agreement(outcome: str | None, breached: bool = False) -> Agreement:
    reviews = [AgreementReview(held_on=DAY, outcome=outcome, note="-", by="o.hughes")] \
        if outcome else []
    breaches = [Breach(breach_id="b", on=DAY, what="Music", by="o.hughes", at=NOW)] \
        if breached else []
    return Agreement(terms=["No music"], signatories=["Sam"], starts_on=DAY,
                     review_on=None if outcome else date(2027, 3, 2), reviews=reviews,
                     breaches=breaches)


def letter(kind: str, delivery: str) -> WarningLetter:
    return WarningLetter(letter_id=kind, kind=kind, issued_on=DAY, channel="letter",
                         delivery=delivery)


YEAR = [
    a_measure("verbal_warning", 1, legal=False, letters=[letter("verbal", "posted")]),
    a_measure("first_written_warning", 2, legal=False, letters=[letter("first", "queued")]),
    a_measure("written_warning", 3, legal=False),
    a_measure("interview", 4, legal=False),
    a_measure("acceptable_behaviour_agreement", 5, legal=False, agreement=agreement(None, True)),
    a_measure("acceptable_behaviour_agreement", 6, legal=False, status="completed",
              agreement=agreement("ended: kept")),
    a_measure("acceptable_behaviour_agreement", 7, legal=False, status="completed",
              agreement=agreement("ended: broken", True)),
    a_measure("civil_injunction", 8, status="breached", application=APPLIED,
              order=an_order("injunction", True), breaches=[
                  Breach(breach_id="b", on=DAY, what="Back", by="o.hughes", at=NOW)]),
    a_measure("without_notice_injunction", 9, status="refused", application=APPLIED),
    a_measure("civil_injunction", 10, status="refused", approval="refused"),
    a_measure("civil_injunction", 11, status="granted"),  # a plain status move, before parts
    a_measure("possession_ground_14", 12, status="served",
              notice=Notice(ground="ground_14", served_on=DAY, proceedings_from=DAY,
                            expires_on=date(2027, 12, 1))),
    a_measure("possession_absolute_ground", 13, status="granted", application=APPLIED,
              order=an_order("suspended possession")),
    a_measure("demoted_tenancy", 14, status="withdrawn"),
    a_measure("community_protection_notice", 15, status="requested", approval="pending"),
    a_measure("closure_order", 16, status="granted", order=an_order("injunction")),
    a_measure("criminal_behaviour_order", 17, status="refused", approval="approved"),
]


def test_each_tool_recorded_in_the_year_is_counted_once_by_what_came_of_it() -> None:
    counted = enforcement_figures(YEAR)
    assert counted["warnings"] == {"verbal": 1, "first_written": 1, "final_written": 0,
                                   "written_before_kinds": 1, "letters_issued": 2}
    assert counted["interviews"] == {"held": 1}
    assert counted["acceptable_behaviour_agreements"] == {
        "made": 3, "breached": 2, "in_force": 1, "kept": 1, "broken": 1, "withdrawn": 0}
    assert counted["injunctions"] == {
        "considered": 4, "not_approved": 1, "applied": 3, "granted": 2, "refused": 1,
        "withdrawn": 0, "with_power_of_arrest": 1, "breached": 1}
    assert counted["possession"] == {
        "considered": 2, "not_approved": 0, "notices_served": 1, "claims": 1, "orders": 1,
        "outright_orders": 0, "suspended_orders": 1, "postponed_orders": 0, "refused": 0,
        "withdrawn": 0}
    assert counted["demoted_tenancies"]["withdrawn"] == 1
    assert counted["community_protection_notices"] == {
        "requested": 1, "granted": 0, "refused": 0, "withdrawn": 0, "waiting": 1}
    assert counted["closure_orders"]["granted"] == 1
    assert counted["criminal_behaviour_orders"]["refused"] == 1


def test_the_figures_and_their_csv_carry_the_index_items_counts() -> None:
    items = [{"pk": "CASE#ASB-2026-000001", "sk": f"MEASURE#{m.record_id}", "entity": "Measure",
              "year_list": "Measure#2026", **m.as_stored()} for m in YEAR]
    assert measures_of_year(items)[7].order is not None
    result = figures([], HomesOwned(1000, "the homes register"), 2026, measures=items)
    assert result.enforcement["injunctions"]["granted"] == 2
    text = as_csv(result)
    assert 'possession: suspended orders,1,"tools and powers recorded in the year' in text
    assert "community protection notices: waiting,1," in text
