"""The year's enforcement outcomes for the manager's and the regulator's figures: the tools and
powers recorded in the reporting year (each counts once, in the year it was recorded, as a case
counts in the year it was opened), with what has come of each so far - warnings by kind,
Acceptable Behaviour Agreements, injunctions, possession, demoted tenancies, and the powers
asked of a partner (a CPN, a closure order, a CBO). A plain function of the measures the
ByReportingYear index holds for the year."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from asb.case.records import Measure

WARNINGS = {"verbal_warning": "verbal", "first_written_warning": "first_written",
            "final_written_warning": "final_written", "written_warning": "written_before_kinds"}
INJUNCTIONS = frozenset({"civil_injunction", "without_notice_injunction", "respect_order"})
POSSESSION = frozenset({"possession_ground_14", "possession_absolute_ground"})
PARTNER_POWERS = {"community_protection_notice": "community_protection_notices",
                  "closure_order": "closure_orders",
                  "criminal_behaviour_order": "criminal_behaviour_orders"}
# An order made, as a measure kept before its life was recorded in parts says it.
_GRANTED = frozenset({"granted", "breached", "expired"})

Count = Callable[[Measure], bool]


def enforcement_figures(measures: Iterable[Measure]) -> dict[str, dict[str, int]]:
    kept = list(measures)

    def of(codes: Iterable[str]) -> list[Measure]:
        wanted = set(codes)
        return [m for m in kept if m.measure in wanted]

    return {
        "warnings": {**{kind: len(of([code])) for code, kind in WARNINGS.items()},
                     # Issued: asked of the notifications function, which logs its delivery
                     # (the case view shows it); the measure keeps the letter as it was queued.
                     "letters_issued": sum(len(m.letters) for m in of(WARNINGS))},
        "interviews": {"held": len(of(["interview"]))},
        "acceptable_behaviour_agreements": _counted(of(["acceptable_behaviour_agreement"]), {
            "made": _any, "breached": _agreement_breached, "in_force": _agreement_in_force,
            "kept": _reviewed("ended: kept"), "broken": _reviewed("ended: broken"),
            "withdrawn": _withdrawn}),
        "injunctions": _counted(of(INJUNCTIONS), {
            **_COURT, "with_power_of_arrest": lambda m: bool(m.order and m.order.power_of_arrest),
            "breached": lambda m: bool(m.breaches) or m.status == "breached"}),
        "possession": _counted(of(POSSESSION), {
            "considered": _any, "not_approved": _not_approved,
            "notices_served": lambda m: m.notice is not None or m.status == "served",
            "claims": _applied, "orders": _granted,
            "outright_orders": _order_kind("outright possession"),
            "suspended_orders": _order_kind("suspended possession"),
            "postponed_orders": _order_kind("postponed possession"),
            "refused": _refused, "withdrawn": _withdrawn}),
        "demoted_tenancies": _counted(of(["demoted_tenancy"]), _COURT),
        **{group: _counted(of([code]), _ASKED) for code, group in PARTNER_POWERS.items()},
    }


def _counted(measures: list[Measure], counts: dict[str, Count]) -> dict[str, int]:
    return {name: sum(1 for m in measures if count(m)) for name, count in counts.items()}


def _any(measure: Measure) -> bool:
    return True


def _withdrawn(measure: Measure) -> bool:
    return measure.status == "withdrawn"


def _not_approved(measure: Measure) -> bool:
    return measure.approval == "refused"


def _applied(measure: Measure) -> bool:
    return measure.application is not None or measure.status in ("applied", *_GRANTED)


def _granted(measure: Measure) -> bool:
    return measure.order is not None or measure.status in _GRANTED


def _refused(measure: Measure) -> bool:
    """Refused by the court (or the partner); a manager's refusal is `not_approved`."""
    return measure.status == "refused" and measure.approval != "refused"


def _order_kind(kind: str) -> Count:
    return lambda m: m.order is not None and m.order.kind == kind


def _agreement_breached(measure: Measure) -> bool:
    return bool(measure.agreement and measure.agreement.breaches)


def _agreement_in_force(measure: Measure) -> bool:
    return bool(measure.agreement and measure.agreement.review_on) and not _withdrawn(measure)


def _reviewed(outcome: str) -> Count:
    return lambda m: bool(m.agreement and m.agreement.reviews
                          and m.agreement.review_on is None
                          and m.agreement.reviews[-1].outcome == outcome)


def _waiting(measure: Measure) -> bool:
    return not (_granted(measure) or _refused(measure) or _withdrawn(measure))


_COURT: dict[str, Count] = {"considered": _any, "not_approved": _not_approved,
                            "applied": _applied, "granted": _granted, "refused": _refused,
                            "withdrawn": _withdrawn}
# A power asked of a partner: the partner's answer comes back onto the measure.
_ASKED: dict[str, Count] = {"requested": _any, "granted": _granted, "refused": _refused,
                            "withdrawn": _withdrawn, "waiting": _waiting}


def measures_of_year(items: Iterable[dict[str, Any]]) -> list[Measure]:
    """The year's Measure items as the index answers them (keys and all: a record keeps what
    it does not name)."""
    return [Measure.model_validate(item) for item in items]
